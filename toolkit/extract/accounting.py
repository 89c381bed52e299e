"""Character accounting: how much of a file's visible text reached a paragraph or a cell.

A loader records the visible (non-blank) characters of its input per page in
``RawDocument.visible_chars`` before it builds blocks. After extraction the characters that
reached the frames (passage text and headings, table cells) are counted the same way, per page.
A file whose share falls below :data:`MIN_SHARE` is ``partial`` with a ``chars_dropped`` parse
issue naming the pages that lost text; a file that was read whole but holds neither an amount
nor any disclosure vocabulary is ``not_a_disclosure``.

Table rule characters (``|``, ``+``, box-drawing lines, Markdown ``---`` rules) are layout, not
content, and are not counted on either side.
"""

from __future__ import annotations

import re
from collections import Counter

import polars as pl

from toolkit.model import RawDocument

MIN_SHARE = 0.95
_LAYOUT = re.compile(r"[\s|│┃┆┊║─━┄┈═┼╋├┤┬┴┌┐└┘╔╗╚╝+]")
_RULE_LINE = re.compile(r"(?m)^[\s|:：\-—=+]*[-—=]{3,}[\s|:：\-—=+]*$")
_CONTENT_WORDS = re.compile(
    r"决算|预算|绩效|自评|医疗保障|医保|基金|支出|收入|财政|拨款|指标|结余|参保|项目|单位|部门|合计|总计|金额|经费"
)
_AMOUNT = re.compile(r"\d[\d,，]*(?:\.\d+)?\s*(?:万元|亿元|元|%|％|人|万人)|\d[\d,，]*\.\d{2}")


def visible_count(text: str | None) -> int:
    """Characters that carry content: not whitespace, not table rules."""
    if not text:
        return 0
    return len(_LAYOUT.sub("", _RULE_LINE.sub("", text)))


def _reached(passages: pl.DataFrame, cells: pl.DataFrame) -> Counter:
    got: Counter = Counter()
    if passages.height:
        for page, text in zip(passages["page"].to_list(), passages["text"].to_list(), strict=True):
            got[page] += visible_count(text)
        seen: set[tuple[object, str]] = set()
        for page, heading in zip(passages["page"].to_list(), passages["heading"].to_list(), strict=True):
            if heading and (page, heading) not in seen:
                seen.add((page, heading))
                got[page] += visible_count(heading)
    if cells.height:
        for page, text in zip(cells["page"].to_list(), cells["raw_text"].to_list(), strict=True):
            got[page] += visible_count(text)
    return got


def account(raw: RawDocument, passages: pl.DataFrame, cells: pl.DataFrame) -> dict:
    """Documents columns (``chars_visible``, ``chars_read``, ``chars_share``, ``worst_page``,
    ``worst_page_share``) and the list of pages below :data:`MIN_SHARE` as (page, visible, read)."""
    if not raw.visible_chars:
        return {"columns": {}, "short_pages": []}
    got = _reached(passages, cells)
    total_visible = sum(raw.visible_chars.values())
    paged = any(k is not None for k in raw.visible_chars)
    if paged:
        # text without a page (headings, a table's cells merged across pages) is credited to the file
        per_page = {p: (v, got.get(p, 0)) for p, v in raw.visible_chars.items()}
        read_total = sum(got.values())
    else:
        per_page = {None: (total_visible, sum(got.values()))}
        read_total = sum(got.values())
    share = min(read_total / total_visible, 1.0) if total_visible else 1.0
    short = [(p, v, r) for p, (v, r) in sorted(per_page.items(), key=lambda x: (x[0] is None, x[0] or 0))
             if v >= 40 and r / v < MIN_SHARE]
    worst = min(per_page.items(), key=lambda x: (x[1][1] / x[1][0]) if x[1][0] else 1.0) if per_page else None
    columns = {
        "chars_visible": total_visible,
        "chars_read": min(read_total, total_visible),
        "chars_share": round(share, 4),
        "worst_page": worst[0] if worst and paged else None,
        "worst_page_share": round(min(worst[1][1] / worst[1][0], 1.0), 4) if worst and worst[1][0] else None,
    }
    if share >= MIN_SHARE:
        short = []
    elif not short:
        short = [(None, total_visible, read_total)]
    return {"columns": columns, "short_pages": short}


def looks_like_disclosure(raw: RawDocument, n_amounts: int) -> bool:
    """Anything a bureau publishes about its money carries amounts and some of the disclosure vocabulary."""
    if n_amounts == 0:
        text = " ".join(
            [b.text for b in raw.blocks if b.kind == "para"]
            + [c for b in raw.blocks if b.table is not None for r in b.table.rows for c in r if c]
        )
        if not _AMOUNT.search(text):
            return False
    words = set()
    for b in raw.blocks:
        texts = [b.text] if b.kind == "para" else ([c for r in b.table.rows for c in r if c] if b.table else [])
        for t in texts:
            words.update(_CONTENT_WORDS.findall(t))
            if words:
                return True
    return False
