"""The module matrix of a QR code, built locally with segno."""

from __future__ import annotations

from dataclasses import dataclass

import segno

# The QR specification requires a quiet zone of four modules on every side.
QUIET_ZONE_MODULES = 4


@dataclass(frozen=True)
class QrMatrix:
    """Dark (True) and light modules, quiet zone included, row by row."""

    rows: tuple[tuple[bool, ...], ...]

    @property
    def size(self) -> int:
        return len(self.rows)

    def dark_runs(self) -> list[tuple[int, int, int]]:
        """Return ``(row, first column, length)`` for each run of dark modules."""
        runs: list[tuple[int, int, int]] = []
        for row_index, row in enumerate(self.rows):
            start = None
            for column, dark in enumerate((*row, False)):
                if dark and start is None:
                    start = column
                elif not dark and start is not None:
                    runs.append((row_index, start, column - start))
                    start = None
        return runs


def make_qr_matrix(text: str, *, quiet_zone: int = QUIET_ZONE_MODULES) -> QrMatrix:
    """Encode ``text`` as a QR code (error correction M or better, never Micro QR)."""
    code = segno.make(text, error="m", micro=False, boost_error=True)
    rows = tuple(
        tuple(bool(module) for module in row)
        for row in code.matrix_iter(scale=1, border=quiet_zone)
    )
    return QrMatrix(rows)
