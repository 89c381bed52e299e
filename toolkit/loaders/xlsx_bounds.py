"""The size a worksheet grid takes once laid out, bounded before it is laid out.

A sheet is stored sparse (only the cells present), but every later step pads it: each row that
holds a cell becomes a row as wide as the used columns, and each merge range is walked cell by
cell. Two cells far apart (``A1`` and ``XFD1000``) or one merge over the whole sheet
(``A1:XFD1048576``) are a few bytes in the file and billions of positions once padded. Counting
the cells present (what the readers do while reading) does not see either, so the padded size is
checked here, against the same ``Limits.max_sheet_cells``.
"""

from __future__ import annotations

from toolkit.loaders.sheet import SheetGrid
from toolkit.model import LoadIssue


def padded_cells(grid: SheetGrid) -> int:
    """Rows holding a cell times the span of the used columns: the table the sheet becomes."""
    if not grid.cells:
        return 0
    rows = {r for r, _ in grid.cells}
    cols = [c for _, c in grid.cells]
    return len(rows) * (max(cols) - min(cols) + 1)


def bounded_merges(grid: SheetGrid, max_cells: int) -> int:
    """Drop the merge ranges covering more than ``max_cells`` positions (no disclosure table merges
    that much: a damaged or hostile range); how many were dropped."""
    kept = [m for m in grid.merges if (m[2] - m[0] + 1) * (m[3] - m[1] + 1) <= max_cells]
    dropped = len(grid.merges) - len(kept)
    grid.merges = kept
    return dropped


def sheet_too_large(grid: SheetGrid, max_cells: int, issues: list[LoadIssue]) -> bool:
    """True (and a ``too_large`` issue) when the padded sheet passes ``max_cells``; otherwise its
    oversized merge ranges are dropped, said so."""
    padded = padded_cells(grid)
    if padded > max_cells:
        issues.append(
            LoadIssue(
                "too_large",
                f"sheet {grid.name!r} lays out to {padded} cells (rows holding a cell x used columns), "
                f"more than {max_cells} (max_sheet_cells); sheet skipped",
                severity="medium",
            )
        )
        return True
    dropped = bounded_merges(grid, max_cells)
    if dropped:
        issues.append(
            LoadIssue(
                "too_large",
                f"sheet {grid.name!r}: {dropped} merge range(s) over {max_cells} cells ignored",
                severity="low",
            )
        )
    return False
