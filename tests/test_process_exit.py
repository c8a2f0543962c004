import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

# A child that leaves unflushed output, a log record held in a buffer until
# logging shuts down and a live QApplication, then ends through end_process.
CHILD = textwrap.dedent(
    """
    import logging, sys
    from logging.handlers import MemoryHandler
    from PySide6.QtWidgets import QApplication
    from esimfly_desktop.process_exit import end_process

    target = logging.FileHandler(sys.argv[1], encoding="utf-8")
    buffered = MemoryHandler(capacity=1000, flushLevel=logging.CRITICAL + 1, target=target)
    logging.getLogger().addHandler(buffered)
    logging.getLogger().setLevel(logging.INFO)
    application = QApplication([])
    application.destroyed.connect(lambda: sys.stdout.write("application destroyed;"))
    sys.stdout.write("written without a newline;")
    logging.info("last record before the exit")
    end_process(7)
    print("not reached")
    """
)

# A child whose database thread is still writing when end_process is called,
# as after a shutdown that ran out of time.
BUSY_DATABASE_CHILD = textwrap.dedent(
    """
    import asyncio, sys, time
    from pathlib import Path
    from esimfly_desktop.process_exit import end_process
    from esimfly_desktop.storage.database import Database

    def slow_insert(connection):
        time.sleep(0.5)
        connection.execute("CREATE TABLE note (text TEXT)")
        connection.execute("INSERT INTO note VALUES ('queued before the exit')")

    async def queue_write(database):
        asyncio.ensure_future(database.run(slow_insert))
        await asyncio.sleep(0.05)

    database = Database.open_sync(Path(sys.argv[1]))
    asyncio.run(queue_write(database))
    end_process(5)
    """
)


def run_child(path: Path, code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )


def test_end_process_keeps_exit_code_output_and_log(tmp_path: Path) -> None:
    log_path = tmp_path / "child.log"

    completed = run_child(log_path, CHILD)

    assert completed.returncode == 7, completed.stderr
    assert completed.stdout == "written without a newline;application destroyed;"
    assert "last record before the exit" in log_path.read_text(encoding="utf-8")


def test_end_process_without_qt(tmp_path: Path) -> None:
    code = "from esimfly_desktop.process_exit import end_process; end_process(3)"

    completed = run_child(tmp_path / "unused.log", code)

    assert completed.returncode == 3, completed.stderr


def test_end_process_waits_for_busy_database(tmp_path: Path) -> None:
    database_path = tmp_path / "profile.sqlite3"

    completed = run_child(database_path, BUSY_DATABASE_CHILD)

    assert completed.returncode == 5, completed.stderr
    assert "waits for the threads still working" in completed.stderr
    with sqlite3.connect(database_path) as connection:
        rows = connection.execute("SELECT text FROM note").fetchall()
    assert rows == [("queued before the exit",)]
