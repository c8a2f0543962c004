"""Storage failures as typed errors with a message the operator can act on."""

from __future__ import annotations

from pathlib import Path

from esimfly_desktop.i18n import _


class StorageError(Exception):
    """A profile database or data folder cannot be used."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


class DatabaseLockedError(StorageError):
    """Another program holds a lock on the database."""


class DatabaseFullError(StorageError):
    """The disk or the database's size limit is full."""


class DatabaseReadOnlyError(StorageError):
    """The database or its folder cannot be written."""


class DatabaseCorruptError(StorageError):
    """The database file is damaged or is not a database."""


def classify_sqlite_error(error: BaseException, path: Path) -> StorageError:
    """Map an ``sqlite3``/``OSError`` failure to a typed error naming the file."""
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return DatabaseLockedError(
            _(
                "The database {path} is locked by another program. Close other copies of "
                "eSIMfly Desktop and try again."
            ).format(path=path),
            path,
        )
    if "full" in text or "no space" in text:
        return DatabaseFullError(
            _(
                "There is no room left to save data in {path}. Free some disk space, then "
                "try again; nothing already saved was lost."
            ).format(path=path),
            path,
        )
    if "readonly" in text or "read-only" in text or "read only" in text:
        return DatabaseReadOnlyError(
            _(
                "The database {path} cannot be written. Check that the data folder is "
                "writable, or choose another one with --data-dir."
            ).format(path=path),
            path,
        )
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return DatabaseCorruptError(
            _("The database {path} is damaged.").format(path=path),
            path,
        )
    if isinstance(error, OSError):
        return StorageError(
            _(
                "The data folder for {path} cannot be used: {reason}. Choose another folder "
                "with --data-dir."
            ).format(path=path, reason=error.strerror or error),
            path,
        )
    return StorageError(
        _("The database {path} failed: {reason}.").format(path=path, reason=error), path
    )


__all__ = [
    "DatabaseCorruptError",
    "DatabaseFullError",
    "DatabaseLockedError",
    "DatabaseReadOnlyError",
    "StorageError",
    "classify_sqlite_error",
]
