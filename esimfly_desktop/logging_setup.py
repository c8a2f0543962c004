"""Logging to a rotating file and stderr, with secrets redacted from every record.

Access codes are masked to their prefix and last four characters. Secret keys,
webhook secrets, request signatures, LPA strings (activation codes), bearer
tokens and values of fields named like a secret are removed. The filter sits
on the handlers, so records from every logger pass through it, including the
exception text and stack of a record.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sys
from dataclasses import dataclass
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import TextIO

from esimfly_desktop.api.signing import mask_access_code
from esimfly_desktop.storage.paths import DataFolders

LOG_FILE_NAME = "esimfly-desktop.log"
LOG_FILE_MAX_BYTES = 2_000_000
LOG_FILE_BACKUPS = 5
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"

REMOVED = "[removed]"

_ACCESS_CODE = re.compile(r"\besf_[A-Za-z0-9_-]+")
_SECRET_KEY = re.compile(r"\b(?:sk|whsec)_[A-Za-z0-9_-]+")
_SIGNATURE = re.compile(r"\b[0-9A-Fa-f]{64}\b")
# An LPA string, also percent-encoded as in the one-tap install links.
_LPA_STRING = re.compile(r"LPA(?::|%3A)1(?:\$|%24)[^\s\"'<>,;]*", re.IGNORECASE)
_BEARER_TOKEN = re.compile(r"\b(Bearer)\s+[A-Za-z0-9._~+/=-]+", re.IGNORECASE)
# A whole Authorization header value, whatever its scheme (Bearer, Basic, Token).
_AUTHORIZATION = re.compile(
    r"""(?P<name>\bAuthorization["']?\s*[:=]\s*["']?)[^"'\r\n,}]+""", re.IGNORECASE
)
# The value of a field named like a secret, in JSON, headers or key=value text.
_SECRET_FIELD = re.compile(
    r"""(?P<name>["']?[\w-]*(?:secret|password|passwd|token|signature|activation[_-]?code|"""
    r"""matching[_-]?id|lpa[_-]?(?:string|format))[\w-]*["']?\s*[:=]\s*)"""
    r"""(?P<quote>["']?)(?P<value>[^"'\s,;}&]+)""",
    re.IGNORECASE,
)


def redact(text: str) -> str:
    """Return ``text`` with secrets masked or removed, for logs and crash reports."""
    text = _LPA_STRING.sub(f"LPA:{REMOVED}", text)
    text = _SECRET_KEY.sub(REMOVED, text)
    text = _AUTHORIZATION.sub(lambda match: f"{match.group('name')}{REMOVED}", text)
    text = _BEARER_TOKEN.sub(lambda match: f"{match.group(1)} {REMOVED}", text)
    text = _SECRET_FIELD.sub(_remove_field_value, text)
    text = _SIGNATURE.sub(REMOVED, text)
    return _ACCESS_CODE.sub(lambda match: mask_access_code(match.group(0)), text)


def _remove_field_value(match: re.Match[str]) -> str:
    return f"{match.group('name')}{match.group('quote')}{REMOVED}"


class RedactingFilter(logging.Filter):
    """Rewrite each record so that its message, arguments and traceback carry no secret."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            # Logging reports a bad format itself; keep the record, minus its arguments.
            message = f"{record.msg} (log arguments did not match the format)"
        record.msg = redact(message)
        record.args = None

        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def report_handler_error(record: logging.LogRecord) -> None:
    """Print a redacted line about a failed emit, in place of logging's full traceback.

    ``logging.Handler.handleError`` prints the chained traceback, which can
    include the text of the exception being logged, unredacted.
    """
    error = sys.exc_info()[1]
    if not logging.raiseExceptions or sys.stderr is None:
        return
    line = f"--- Logging error: {type(error).__name__}: {error} (message {record.msg!r})\n"
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(redact(line))


class RedactingFileHandler(RotatingFileHandler):
    """The rotating log file, reporting its own failures without the record's secrets."""

    def handleError(self, record: logging.LogRecord) -> None:
        report_handler_error(record)


class StderrHandler(logging.StreamHandler):
    """A handler that writes to the current ``sys.stderr``, and to nothing when it is None.

    A windowed build on Windows has no stderr, and tests replace it, so the
    stream is looked up for each record instead of once at start-up.
    """

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: object) -> None:
        pass

    def emit(self, record: logging.LogRecord) -> None:
        if sys.stderr is not None:
            super().emit(record)

    def handleError(self, record: logging.LogRecord) -> None:
        report_handler_error(record)


@dataclass(frozen=True)
class LoggingSetup:
    """The handlers that ``configure_logging`` installed on the root logger."""

    log_file: Path
    file_handler: RedactingFileHandler
    stderr_handler: logging.Handler | None

    def remove(self) -> None:
        """Detach and close the handlers (shutdown and tests)."""
        root = logging.getLogger()
        for handler in (self.file_handler, self.stderr_handler):
            if handler is None:
                continue
            root.removeHandler(handler)
            handler.close()


def configure_logging(
    folders: DataFolders,
    *,
    level: int = logging.INFO,
    to_stderr: bool = True,
) -> LoggingSetup:
    """Send log records to a rotating file in ``folders.logs`` and to stderr, redacted.

    Runs once at start-up, before the event loop, so the blocking folder
    creation and file open happen on the main thread before any window exists.
    """
    folders.logs.mkdir(parents=True, exist_ok=True)
    log_file = folders.logs / LOG_FILE_NAME
    formatter = logging.Formatter(LOG_FORMAT)
    redacting_filter = RedactingFilter()

    file_handler = RedactingFileHandler(
        log_file,
        maxBytes=LOG_FILE_MAX_BYTES,
        backupCount=LOG_FILE_BACKUPS,
        encoding="utf-8",
    )
    file_handler.setFormatter(formatter)
    file_handler.addFilter(redacting_filter)

    stderr_handler: logging.Handler | None = None
    if to_stderr:
        stderr_handler = StderrHandler()
        stderr_handler.setFormatter(formatter)
        stderr_handler.addFilter(redacting_filter)

    root = logging.getLogger()
    root.setLevel(level)
    root.addHandler(file_handler)
    if stderr_handler is not None:
        root.addHandler(stderr_handler)
    logging.captureWarnings(True)

    logging.getLogger(__name__).info("Logging to %s", log_file)
    return LoggingSetup(log_file, file_handler, stderr_handler)


__all__ = [
    "LoggingSetup",
    "RedactingFilter",
    "StderrHandler",
    "configure_logging",
    "mask_access_code",
    "redact",
]
