"""The launcher starts the sandbox, reads its ready line and stops it."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable

import httpx
import pytest

from esimfly_desktop.sandbox.launcher import SandboxProcess, SandboxStartError, sandbox_command


def test_ready_line_matches_sandbox_json(start_sandbox: Callable[..., SandboxProcess]) -> None:
    process = start_sandbox("--currency", "EUR", "--balance", "250")

    saved = json.loads((process.data_dir / "sandbox.json").read_text())
    assert saved["base_url"] == process.info.base_url
    assert saved["access_code"] == process.info.access_code
    assert saved["secret"] == process.info.secret
    assert saved["admin_url"] == process.info.admin_url
    assert saved["currency"] == "EUR"
    assert process.info.base_url.startswith("http://127.0.0.1:")
    assert process.info.base_url.endswith("/api/v1/business")
    assert process.info.access_code.startswith("esf_")
    assert process.info.secret.startswith("sk_")


def test_stop_ends_process(start_sandbox: Callable[..., SandboxProcess]) -> None:
    process = start_sandbox()

    assert process.stop() == 0
    assert not process.running
    with pytest.raises(httpx.ConnectError):
        httpx.get(process.info.base_url + "/balance", timeout=2, trust_env=False)


def test_account_kept_across_restarts(start_sandbox: Callable[..., SandboxProcess]) -> None:
    first = start_sandbox()
    first.stop()

    second = SandboxProcess.start(first.data_dir)
    try:
        assert second.info.access_code == first.info.access_code
        assert second.info.secret == first.info.secret
    finally:
        second.stop()

    fresh = SandboxProcess.start(first.data_dir, "--reset")
    try:
        assert fresh.info.access_code != first.info.access_code
    finally:
        fresh.stop()


def test_bad_argument_reports_log(tmp_path) -> None:
    with pytest.raises(SandboxStartError, match="exited with code 2"):
        SandboxProcess.start(tmp_path, "--currency", "GBP", ready_timeout_s=20)


def test_command_runs_package_module() -> None:
    assert sandbox_command()[1:] == ["-m", "esimfly_desktop.sandbox"]


def test_frozen_command_uses_child_flag(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)

    assert sandbox_command() == [sys.executable, "--run-sandbox"]
