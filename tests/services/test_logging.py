"""Logging set-up and redaction: no secret reaches the log file, stderr or a crash report."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from esimfly_desktop.logging_setup import (
    LOG_FILE_NAME,
    REMOVED,
    LoggingSetup,
    configure_logging,
    redact,
)
from esimfly_desktop.storage.paths import DataFolders

ACCESS_CODE = "esf_shop_0042"
SECRET_KEY = "sk_live_Zx81mQ_secret"
WEBHOOK_SECRET = "whsec_4f9a2c7d1e"
SIGNATURE = "D9B75D53334F80B5B502D18F3096CAE8D47C3B1B3B262C92971D3FDEB4495CB5"
LPA_STRING = "LPA:1$smdp.example.com$K2-3ZL1M4-1XH8W2P"
BEARER = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"
MATCHING_ID = "K2-3ZL1M4-1XH8W2P"

SECRETS = (SECRET_KEY, WEBHOOK_SECRET, SIGNATURE, LPA_STRING, BEARER, MATCHING_ID, ACCESS_CODE)


@pytest.fixture
def configured(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[LoggingSetup]:
    # Requesting capsys first makes the stderr handler write into the captured stream.
    root = logging.getLogger()
    previous_level = root.level
    setup = configure_logging(DataFolders(tmp_path), level=logging.DEBUG)
    yield setup
    setup.remove()
    root.setLevel(previous_level)


def logged_text(setup: LoggingSetup, capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    setup.file_handler.flush()
    return setup.log_file.read_text(encoding="utf-8"), capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "kept", "removed"),
    [
        (f"access code {ACCESS_CODE}", "esf_…0042", ACCESS_CODE),
        (f"RT-AccessCode: {ACCESS_CODE}", "esf_…0042", ACCESS_CODE),
        (f"key {SECRET_KEY} rejected", "key [removed] rejected", SECRET_KEY),
        (f"webhook secret {WEBHOOK_SECRET}", REMOVED, WEBHOOK_SECRET),
        (f"RT-Signature: {SIGNATURE}", REMOVED, SIGNATURE),
        (f"signature {SIGNATURE.lower()} mismatch", REMOVED, SIGNATURE.lower()),
        (f"eSIM {LPA_STRING} ready", "LPA:[removed] ready", "smdp.example.com"),
        (f'{{"lpaString": "{LPA_STRING}"}}', REMOVED, MATCHING_ID),
        (
            f"https://esimsetup.apple.com/esim_qrcode_provisioning?carddata={LPA_STRING}",
            "carddata=LPA:[removed]",
            MATCHING_ID,
        ),
        ("carddata=LPA%3A1%24smdp.example.com%24K2-3ZL1M4", "LPA:[removed]", "K2-3ZL1M4"),
        (f"Authorization: Bearer {BEARER}", "Authorization: [removed]", BEARER),
        (f"sent with bearer {BEARER} header", "bearer [removed] header", BEARER),
        ("Authorization: Token abc123def", "Authorization: [removed]", "abc123def"),
        ('{"authorization": "Basic dXNlcjpwYXNz"}', '"authorization": "[removed]"', "dXNlcjpw"),
        (f'{{"secret_key": "{SECRET_KEY}"}}', '"secret_key": "[removed]"', SECRET_KEY),
        ('{"secretKey":"plain-value-1"}', REMOVED, "plain-value-1"),
        ("admin_token=abcDEF123&x=1", "admin_token=[removed]&x=1", "abcDEF123"),
        (f'"activation_code": "{MATCHING_ID}"', REMOVED, MATCHING_ID),
        ("password: hunter2", "password: [removed]", "hunter2"),
    ],
)
def test_redact_masks_or_removes(text: str, kept: str, removed: str) -> None:
    redacted = redact(text)

    assert removed not in redacted
    assert kept in redacted


def test_redact_keeps_ordinary_text() -> None:
    text = (
        "Order order_1733300000000_ab12c for ICCID 8988247000001234567 risk_level=low; "
        "access token refreshed; SM-DP+ smdp.example.com"
    )

    assert redact(text) == text


def test_redact_is_idempotent() -> None:
    text = f"{ACCESS_CODE} {SECRET_KEY} {LPA_STRING} Bearer {BEARER} password=x"

    once = redact(text)

    assert redact(once) == once


def test_short_access_code_fully_hidden() -> None:
    assert redact("esf_ab12") == "esf_…"


def test_message_redacted_in_file_and_stderr(
    configured: LoggingSetup, capsys: pytest.CaptureFixture[str]
) -> None:
    log = logging.getLogger("esimfly_desktop.test")

    log.info(f"request with {ACCESS_CODE} {SECRET_KEY} {SIGNATURE} {LPA_STRING} Bearer {BEARER}")
    file_text, stderr_text = logged_text(configured, capsys)

    for secret in SECRETS:
        assert secret not in file_text
        assert secret not in stderr_text
    assert "esf_…0042" in file_text


def test_arguments_redacted(configured: LoggingSetup, capsys: pytest.CaptureFixture[str]) -> None:
    log = logging.getLogger("esimfly_desktop.test")

    log.warning("headers %s, body %r", {"RT-Signature": SIGNATURE}, {"secret": SECRET_KEY})
    log.info("eSIM %(lpa)s for %(code)s", {"lpa": LPA_STRING, "code": ACCESS_CODE})
    file_text, stderr_text = logged_text(configured, capsys)

    for secret in SECRETS:
        assert secret not in file_text
        assert secret not in stderr_text
    assert "headers" in file_text


def test_exception_text_redacted(
    configured: LoggingSetup, capsys: pytest.CaptureFixture[str]
) -> None:
    log = logging.getLogger("esimfly_desktop.test")

    try:
        raise RuntimeError(f"signing failed for {ACCESS_CODE} with {SECRET_KEY} -> {LPA_STRING}")
    except RuntimeError:
        log.exception("Order failed")
    log.error("stack for %s", SIGNATURE, stack_info=True)
    file_text, stderr_text = logged_text(configured, capsys)

    assert "RuntimeError: signing failed for esf_…0042" in file_text
    assert "Traceback" in file_text
    for secret in SECRETS:
        assert secret not in file_text
        assert secret not in stderr_text


def test_bad_format_arguments_still_logged(
    configured: LoggingSetup, capsys: pytest.CaptureFixture[str]
) -> None:
    log = logging.getLogger("esimfly_desktop.test")

    log.info("two values %s %s", SECRET_KEY)
    file_text, _stderr_text = logged_text(configured, capsys)

    assert "two values" in file_text
    assert SECRET_KEY not in file_text


def test_log_file_in_logs_folder(configured: LoggingSetup, tmp_path: Path) -> None:
    assert configured.log_file == tmp_path / "logs" / LOG_FILE_NAME
    assert configured.log_file.exists()


def test_log_file_rotates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("esimfly_desktop.logging_setup.LOG_FILE_MAX_BYTES", 2_000)
    root = logging.getLogger()
    previous_level = root.level
    setup = configure_logging(DataFolders(tmp_path), to_stderr=False)
    log = logging.getLogger("esimfly_desktop.test")

    try:
        for line in range(100):
            log.info("line %d of a rotating log with some padding text", line)
    finally:
        setup.remove()
        root.setLevel(previous_level)

    assert (tmp_path / "logs" / f"{LOG_FILE_NAME}.1").exists()
    assert setup.log_file.stat().st_size <= 2_000


def test_handler_error_report_redacted(
    configured: LoggingSetup, capsys: pytest.CaptureFixture[str]
) -> None:
    log = logging.getLogger("esimfly_desktop.test")
    closed_stream = io.StringIO()
    closed_stream.close()
    open_stream, configured.file_handler.stream = configured.file_handler.stream, closed_stream

    try:
        try:
            raise RuntimeError(f"order failed for {SECRET_KEY}")
        except RuntimeError:
            log.exception("Order failed with %s", LPA_STRING)
    finally:
        configured.file_handler.stream = open_stream
    stderr_text = capsys.readouterr().err

    assert "Logging error: ValueError" in stderr_text
    assert SECRET_KEY not in stderr_text
    assert LPA_STRING not in stderr_text
