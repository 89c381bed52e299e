"""Format-agnostic edits a fault is made of; each format editor applies them to its source.

An edit names *what* to change by text, never by byte offset, so the same edit applies to a
text file, a DOCX run, an XLSX cell or a PDF text-showing operator:

- :class:`Replace`: the text ``old`` inside ``anchor`` (``old`` starts at ``offset`` in the
  anchor, whitespace ignored) becomes ``new``; the anchor must occur exactly once in the scope
  (the page of a PDF, the sheet of a workbook, the whole file otherwise);
- :class:`DeleteRow`: the table row whose cells read ``cells`` (in order) is removed;
- :class:`DeleteTable`: the table titled ``title`` is removed with its rows (on ``pages`` in a PDF).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Replace:
    old: str
    new: str
    anchor: str
    offset: int = 0  # where ``old`` starts in ``anchor`` (counted in non-whitespace characters)
    page: int | None = None
    sheet: str | None = None
    numeric: bool = False  # the neighbours of ``old`` must not be digits (a whole number is replaced)
    # when the anchor occurs ``expected`` times in the scope (equal cells of a table), take this one
    occurrence: int | None = None
    expected: int | None = None


@dataclass(frozen=True, slots=True)
class DeleteRow:
    cells: tuple[str, ...]  # the row's non-empty cell texts, in order
    page: int | None = None
    sheet: str | None = None


@dataclass(frozen=True, slots=True)
class DeleteTable:
    title: str
    pages: tuple[int, ...] = field(default_factory=tuple)  # 1-based pages the table (and only it) fills
    first_row: tuple[str, ...] = field(default_factory=tuple)
    last_row: tuple[str, ...] = field(default_factory=tuple)
    sheet: str | None = None




class EditError(Exception):
    """The edit cannot be applied to this source in place (the caller may re-render instead)."""


@dataclass(frozen=True, slots=True)
class Swap:
    """Two replacements located together before either is written (two rows' amounts swapped)."""

    first: Replace
    second: Replace


@dataclass(frozen=True, slots=True)
class Group:
    """Several replacements on one page or sheet, located together before any is written (a line
    item and the parents and totals that print it, which may share its printed number)."""

    items: tuple[Replace, ...]


Edit = Replace | Swap | Group | DeleteRow | DeleteTable


def replacements(edit: object) -> list[Replace] | None:
    """The replacements of a Replace or Swap, else None."""
    if isinstance(edit, Replace):
        return [edit]
    if isinstance(edit, Swap):
        return [edit.first, edit.second]
    if isinstance(edit, Group):
        return list(edit.items)
    return None
