"""The raw intermediate representation every loader produces and every renderer consumes.

A loader turns one file (any format) into a :class:`RawDocument`: an ordered list of
blocks, each either a paragraph of running text or a table grid of raw cell strings,
with the page (PDF, text page breaks) or sheet (XLS/XLSX) it came from. Nothing is
interpreted here: recognition, numbers and units belong to ``toolkit.extract``.

The same classes describe a document to *write* (``toolkit.render``), so a generated
document can be rendered to every format and loaded back for parity tests.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["para", "table", "page_break"]


@dataclass(slots=True)
class RawTable:
    """A grid of raw cell texts, as the file shows them.

    ``rows`` is rectangular or ragged; merged cells appear once (the other covered
    positions are empty strings) unless the loader knows better. ``row_pages`` gives
    the page of each row when a table runs over several pages.
    """

    rows: list[list[str]]
    page: int | None = None
    sheet: str | None = None
    row_pages: list[int] | None = None
    caption: str = ""  # a title the loader found attached to the table (sheet name, <caption>)
    # Tables rebuilt from text: per cell (line, start, end) in the source text (1-based line of the file,
    # 0-based character span in that line), and the shape they were printed in (pipe|aligned|...).
    cell_spans: list[list[tuple[int, int, int] | None]] | None = None
    shape: str | None = None
    # figures of the text that a rebuilt table could not place in a column, and why (not in any cell)
    unplaced: list[str] = field(default_factory=list)
    # figures a rebuilt table placed only by taking one printed figure as wrong, and which (the checks compare it)
    suspects: list[str] = field(default_factory=list)
    # per-cell recognition confidence (0-1), same shape as ``rows``, for tables read by OCR; else None
    confidence: list[list[float | None]] | None = None

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass(slots=True)
class Block:
    kind: BlockKind
    text: str = ""
    table: RawTable | None = None
    page: int | None = None
    sheet: str | None = None
    line: int | None = None  # 1-based line of the source text where the block starts (text formats)
    source: str | None = None  # "ocr" when recognised from a page image; None for a text layer / native file
    confidence: float | None = None  # OCR confidence (0-1) of the block's text (mean over its text boxes)

    @staticmethod
    def para(text: str, page: int | None = None, sheet: str | None = None, line: int | None = None) -> Block:
        return Block("para", text=text, page=page, sheet=sheet, line=line)

    @staticmethod
    def tab(rows: list[list[str]], page: int | None = None, sheet: str | None = None, caption: str = "") -> Block:
        return Block("table", table=RawTable(rows=rows, page=page, sheet=sheet, caption=caption), page=page, sheet=sheet)


@dataclass(slots=True)
class LoadIssue:
    """Something the loader could not read, or read only in part."""

    code: str  # empty|unreadable|encrypted|truncated|scanned|cid_garbage|too_large|zip_bomb|hostile_xml|...
    reason: str  # human-readable, names what was wrong
    severity: str = "medium"  # info|low|medium|high
    page: int | None = None
    fatal: bool = False  # True: nothing usable was read from the file


@dataclass(slots=True)
class RawDocument:
    path: str
    format: str  # the name of a format declared by a loader (toolkit.loaders.formats), or unknown
    blocks: list[Block] = field(default_factory=list)
    pages: int | None = None
    issues: list[LoadIssue] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)  # producer, title, encoding ...
    # Character accounting: the visible (non-blank) characters of the input as a multiset per page (None:
    # the whole file), as the loader saw them before building blocks; empty when the loader does not measure.
    visible_chars: dict[int | None, Counter[str]] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return any(i.fatal for i in self.issues)

    def text(self) -> str:
        """All paragraph text in order (tables excluded)."""
        return "\n".join(b.text for b in self.blocks if b.kind == "para")


@dataclass(slots=True)
class Limits:
    """Safety limits for reading untrusted files. Defaults are safe for a laptop.

    These are the per-file defaults of a run (``toolkit.settings`` holds the run-wide ones).
    """

    max_file_bytes: int = 100 * 1024 * 1024
    max_pages: int = 500
    max_decompressed_bytes: int = 300 * 1024 * 1024  # total of a zip container's members
    max_compression_ratio: float = 200.0  # per zip member
    # A table costs its worker about 1.2 KB (CSV) to 2.1 KB (XLSX) per padded cell once extracted
    # (scripts/sheet_memory.py: 1 M cells of XLSX peak at 2.1 GB, 0.5 M at 0.7-1.1 GB): at this limit
    # a table stays under half of max_worker_memory_bytes. Disclosure tables are a few thousand cells.
    max_sheet_cells: int = 400_000
    max_text_chars: int = 20_000_000
    pdf_page_timeout_s: float = 20.0  # CPU seconds per page
    file_timeout_s: float = 120.0  # soft per-file CPU budget (plus file_timeout_s_per_mb for big files)
    file_timeout_s_per_mb: float = 10.0  # big files (500-page PDFs) get more
    hard_timeout_grace_s: float = 10.0  # wall-clock slack past twice the soft budget before the worker is killed
    max_zip_members: int = 10_000
    max_worker_memory_bytes: int = 2 * 1024 * 1024 * 1024  # data memory of a worker process (RLIMIT_DATA)
