import subprocess
import sys
import textwrap
from pathlib import Path

# A child that leaves unflushed output, a buffered log record and a live
# QApplication, then ends through end_process.
CHILD = textwrap.dedent(
    """
    import logging, sys
    from PySide6.QtWidgets import QApplication
    from esimfly_desktop.process_exit import end_process

    handler = logging.FileHandler(sys.argv[1], encoding="utf-8")
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)
    application = QApplication([])
    sys.stdout.write("written without a newline")
    logging.info("last record before the exit")
    end_process(7)
    print("not reached")
    """
)


def run_child(log_path: Path, *code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", *code, str(log_path)],
        capture_output=True,
        text=True,
        timeout=60,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )


def test_end_process_keeps_exit_code_output_and_log(tmp_path: Path) -> None:
    log_path = tmp_path / "child.log"

    completed = run_child(log_path, CHILD)

    assert completed.returncode == 7, completed.stderr
    assert completed.stdout == "written without a newline"
    assert "last record before the exit" in log_path.read_text(encoding="utf-8")


def test_end_process_without_qt(tmp_path: Path) -> None:
    code = "import sys; from esimfly_desktop.process_exit import end_process; end_process(3)"

    completed = run_child(tmp_path / "unused.log", code)

    assert completed.returncode == 3, completed.stderr
