"""Re-render a document from what the loader read (``toolkit.render``) with the edits applied.

The fallback where a source cannot be edited in place (XLS/BIFF, a PDF number whose glyphs or
operator cannot be mapped, a structural edit on a PDF page): the loaded blocks are edited and
written again (PDF as PDF, XLS as XLSX, others in their own format), with a page break wherever
the original page changed, so pages stay where they were as far as the text allows.
"""

from __future__ import annotations

import copy
from pathlib import Path

from toolkit.model import Block, RawDocument
from toolkit.mutate.edits import DeleteRow, DeleteTable, Edit, EditError, Replace, replacements
from toolkit.mutate.spans import compact, contains_in_order, locate_all, rewrite_many

RENDER_FORMAT = {"xls": "xlsx", "unknown": "txt"}


def render_format(fmt: str) -> str:
    return RENDER_FORMAT.get(fmt, fmt)


def with_page_breaks(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    page = None
    for b in blocks:
        if b.kind == "page_break":
            continue
        if out and b.page is not None and page is not None and b.page != page:
            out.append(Block("page_break"))
        if b.page is not None:
            page = b.page
        out.append(b)
    return out


def _pieces(blocks: list[Block], page: int | None, sheet: str | None) -> list[tuple[int, int, int, str]]:
    """(block, row, col, text) per paragraph or cell in scope; row = col = -1 for a paragraph."""
    out = []
    for bi, b in enumerate(blocks):
        if page is not None and b.page is not None and b.page != page:
            continue
        if sheet is not None and b.sheet is not None and b.sheet != sheet:
            continue
        if b.kind == "para":
            out.append((bi, -1, -1, b.text))
        elif b.kind == "table" and b.table is not None:
            for ri, row in enumerate(b.table.rows):
                for ci, cell in enumerate(row):
                    out.append((bi, ri, ci, cell or ""))
    return out


def _replace(blocks: list[Block], reps: list[Replace]) -> None:
    slots = _pieces(blocks, reps[0].page, reps[0].sheet)
    pieces = []
    for *_, text in slots:
        pieces.extend([text, "\n"])
    hits = locate_all(pieces, reps)
    new = rewrite_many(pieces, hits)
    for pi in {pi for hit, _ in hits for pi, _ in hit.chars}:
        bi, ri, ci, _ = slots[pi // 2]
        if ri < 0:
            blocks[bi].text = new[pi]
        else:
            blocks[bi].table.rows[ri][ci] = new[pi]


def _delete_row(blocks: list[Block], edit: DeleteRow) -> None:
    found = [(bi, ri) for bi, b in enumerate(blocks) if b.kind == "table" and b.table is not None
             and (edit.page is None or b.page is None or b.page == edit.page)
             for ri, row in enumerate(b.table.rows) if contains_in_order("\n".join(row), edit.cells)]
    if len(found) != 1:
        raise EditError(f"row found {len(found)} times")
    bi, ri = found[0]
    del blocks[bi].table.rows[ri]


def _delete_table(blocks: list[Block], edit: DeleteTable) -> list[Block]:
    title = compact(edit.title)
    start = next((i for i, b in enumerate(blocks) if title in compact(b.text if b.kind == "para" else
                  "\n".join("\n".join(r) for r in (b.table.rows if b.table else [])))), None)
    if start is None:
        raise EditError("table title not found")
    end = start
    for i in range(start, len(blocks)):
        b = blocks[i]
        if b.kind == "table" and b.table is not None:
            end = i
            if not edit.last_row or any(contains_in_order("\n".join(r), edit.last_row) for r in b.table.rows):
                break
    if edit.pages:
        keep = [b for b in blocks if b.page not in edit.pages]
        if len(keep) < len(blocks):
            return keep
    return blocks[:start] + blocks[end + 1:]


def apply_block_edits(doc: RawDocument, edits: list[Edit]) -> list[Block]:
    blocks = copy.deepcopy(doc.blocks)
    for edit in edits:
        reps = replacements(edit)
        if reps:
            _replace(blocks, reps)
        elif isinstance(edit, DeleteRow):
            _delete_row(blocks, edit)
        elif isinstance(edit, DeleteTable):
            blocks = _delete_table(blocks, edit)
    return blocks


def write_rendered(blocks: list[Block], path: Path, fmt: str) -> Path:
    from toolkit.render import write_document

    return write_document(with_page_breaks(blocks), Path(path), render_format(fmt))
