"""Write a list of :class:`~toolkit.model.Block` as a document file (txt, docx, pdf, xlsx, html, csv).

The inverse of ``toolkit.loaders``: a generated document is rendered to every format
and loaded back, so loaders and extractors can be tested for parity. All writers are
pure Python (no LibreOffice) and fast enough for corpora of thousands of documents.

``style`` is a ``+``-separated list of options; each writer ignores options it does not know:

- txt: ``tsv`` (default: one table row per line, cells joined by TAB, like PDF-to-text output)
  or ``word`` (each cell on its own line starting with TAB, blank line between rows, like
  Word-to-text output); ``pipe``, ``aligned``, ``cells`` or ``oneline`` print every table in that
  text shape (``toolkit.render.text_tables``); ``pagenum`` writes page breaks as a centred ``—N—`` line instead of ``\\f``.
- docx: ``merged`` merges a header cell with the empty cells to its right (and identical
  neighbours) the way Word tables usually look.
- xlsx: ``merged`` merges title rows across the grid; ``numeric`` stores numeric-looking cells
  as numbers with a number format that prints them exactly as given.
- html/csv: ``gbk`` encodes as GB18030 (declared as such), the usual legacy Chinese encoding;
  csv also accepts ``bom`` (UTF-8 with BOM, as Excel writes it).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from toolkit.model import Block
from toolkit.render.to_csv import write_csv
from toolkit.render.to_docx import write_docx
from toolkit.render.to_html import write_html
from toolkit.render.to_pdf import write_pdf
from toolkit.render.to_txt import write_txt
from toolkit.render.to_xlsx import write_xlsx

WRITERS: dict[str, Callable[[list[Block], Path, frozenset[str]], None]] = {
    "txt": write_txt,
    "docx": write_docx,
    "pdf": write_pdf,
    "xlsx": write_xlsx,
    "html": write_html,
    "csv": write_csv,
}


def style_options(style: str) -> frozenset[str]:
    """``"word+pagenum"`` -> {"word", "pagenum"}; ``"default"`` -> {}."""
    opts = {s.strip().lower() for s in style.replace(",", "+").split("+")}
    return frozenset(o for o in opts if o and o != "default")


def write_document(blocks: list[Block], path: Path, fmt: str, *, style: str = "default") -> Path:
    """Render ``blocks`` to ``path`` in format ``fmt`` and return the path written."""
    fmt = fmt.lower().lstrip(".")
    if fmt not in WRITERS:
        raise ValueError(f"unknown document format {fmt!r}; expected one of {sorted(WRITERS)}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    WRITERS[fmt](blocks, path, style_options(style))
    return path


__all__ = ["WRITERS", "style_options", "write_document"]
