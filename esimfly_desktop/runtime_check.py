"""Refuse Python and PySide6 combinations known to crash the console.

PySide6 6.12.0 on Python 3.11 takes one reference away from ``None`` on every
call of a method that returns nothing, and one from ``True`` on every signal
emitted to a Python slot. Python 3.11's ``None`` and ``True`` are not immortal,
so the interpreter aborts with ``none_dealloc`` or ``bool_dealloc`` once the
count reaches zero: a busy window dies within about half a minute. Python 3.12
made both objects immortal, so the same PySide6 release is safe there.
``python -m esimfly_desktop.refcount_probe`` measures a combination directly.
"""

from __future__ import annotations

import logging
import platform
import sys
from dataclasses import dataclass

from esimfly_desktop.i18n import _

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BrokenCombination:
    """PySide6 releases ``[first, before)`` that crash Pythons older than ``python_before``."""

    pyside_first: tuple[int, int, int]
    pyside_before: tuple[int, int, int]
    python_before: tuple[int, int]


# NOTE: only 6.12.0 was measured. The whole 6.12 series is refused on Python
# 3.11 until a 6.12 release passes the refcount probe there.
BROKEN_COMBINATIONS = (
    BrokenCombination(pyside_first=(6, 12, 0), pyside_before=(6, 13, 0), python_before=(3, 12)),
)


class UnsupportedRuntimeError(RuntimeError):
    """The installed Python and PySide6 are a combination known to crash."""


def parse_version(text: str) -> tuple[int, int, int]:
    """Read ``6.12.0``, ``6.11.3a1`` or ``6.12`` as a three-part number."""
    parts: list[int] = []
    for piece in text.split(".")[:3]:
        digits = ""
        for character in piece:
            if not character.isdigit():
                break
            digits += character
        parts.append(int(digits) if digits else 0)
    while len(parts) < 3:
        parts.append(0)
    return parts[0], parts[1], parts[2]


def installed_pyside_version() -> str:
    """Return the PySide6 version string of the installed package."""
    import PySide6

    return str(PySide6.__version__)


def check_runtime(
    python_version: tuple[int, int, int] | None = None,
    pyside_version: str | None = None,
) -> None:
    """Log the Python and PySide6 versions and raise if they are known to crash."""
    python = python_version or (sys.version_info[0], sys.version_info[1], sys.version_info[2])
    pyside = pyside_version or installed_pyside_version()
    python_text = ".".join(str(part) for part in python)
    log.info(
        "Runtime: Python %s (%s), PySide6 %s", python_text, platform.python_implementation(), pyside
    )

    pyside_number = parse_version(pyside)
    for broken in BROKEN_COMBINATIONS:
        in_range = broken.pyside_first <= pyside_number < broken.pyside_before
        if in_range and python[:2] < broken.python_before:
            log.critical(
                "PySide6 %s on Python %s is known to crash; refusing to start", pyside, python_text
            )
            raise UnsupportedRuntimeError(
                _(
                    "PySide6 {pyside} on Python {python} is known to crash after a few "
                    "seconds of use. Install a supported combination: run "
                    "\"pip install 'PySide6-Essentials<6.12'\" for Python {python}, or use "
                    "Python 3.12 or later, then start eSIMfly Desktop again."
                ).format(pyside=pyside, python=python_text)
            )
