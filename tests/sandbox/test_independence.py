"""The sandbox shares no code with the API client, so a misreading on one side shows."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import sys
import esimfly_desktop.sandbox.__main__
import esimfly_desktop.sandbox.server
loaded = sorted(name for name in sys.modules if name.startswith("esimfly_desktop.api"))
print(",".join(loaded))
"""


def test_sandbox_imports_no_client_code() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=60, check=True
    )

    assert result.stdout.strip() == ""


def test_sandbox_imports_no_qt() -> None:
    check = CHECK.replace('"esimfly_desktop.api"', '"PySide6"')
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=60, check=True
    )

    assert result.stdout.strip() == ""
