"""Character accounting: how much of a file's visible text reached a paragraph or a cell.

A loader records the visible (non-blank) characters of its input per page in
``RawDocument.visible_chars`` (a multiset per page) before it builds blocks. After extraction the
characters of the paragraphs and table cells are counted the same way, per page; a character the
blocks hold more often than the input counts only as often as the input has it, so duplicated text
cannot hide lost text. A file or page whose share falls below :data:`MIN_SHARE` makes the file
``partial`` with a ``chars_dropped`` parse issue naming the pages that lost text.

Passages and cells (the frames) are compared with the input too, on letters, digits and CJK only
after width normalisation (passages normalise punctuation, drop heading markers and tables of
contents by design): ``chars_in_frames_share`` is reported, not used for the status.

A file that was read whole but holds neither an amount nor any disclosure vocabulary is
``not_a_disclosure``.

Table rule characters (``|``, ``+``, box-drawing lines, Markdown ``---`` rules) are layout, not
content, and are not counted on either side.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import polars as pl

from toolkit.model import RawDocument
from toolkit.normalize.visible import visible_counter, visible_text  # noqa: F401  (re-exported)

MIN_SHARE = 0.95
_WORD = re.compile(r"\w")
_CONTENT_WORDS = re.compile(
    r"决算|预算|绩效|自评|医疗保障|医保|基金|支出|收入|财政|拨款|指标|结余|参保|项目|单位|部门|合计|总计|金额|经费"
)
_AMOUNT = re.compile(r"\d[\d,，]*(?:\.\d+)?\s*(?:万元|亿元|元|%|％|人|万人)|\d[\d,，]*\.\d{2}")


def _covered(seen: Counter, wanted: Counter) -> int:
    """How many of ``wanted``'s characters ``seen`` holds (a character repeated in the frames counts once)."""
    return sum(min(n, seen.get(ch, 0)) for ch, n in wanted.items())


def _content(text: str) -> str:
    return "".join(_WORD.findall(unicodedata.normalize("NFKC", text)))


def _frame_chars(passages: pl.DataFrame, cells: pl.DataFrame) -> Counter:
    parts: list[str] = []
    if passages.height:
        own = passages.filter(~pl.col("passage_id").str.contains(":g"))  # goal passages repeat 自评表 cells
        parts += own["text"].drop_nulls().to_list() + own["heading"].drop_nulls().unique().to_list()
    if cells.height:
        parts += cells["raw_text"].drop_nulls().to_list()
    return Counter(_content("".join(parts)))


def _block_chars(raw: RawDocument) -> dict[int | None, Counter]:
    out: dict[int | None, Counter] = {}
    for b in raw.blocks:
        text = b.text if b.kind == "para" else ("".join(c for r in b.table.rows for c in r if c) if b.table else "")
        out.setdefault(b.page, Counter()).update(visible_text(text))
    return out


def account(raw: RawDocument, passages: pl.DataFrame, cells: pl.DataFrame) -> dict:
    """Documents columns (``chars_visible``, ``chars_read``, ``chars_share``, ``worst_page``,
    ``worst_page_share``) and the places below :data:`MIN_SHARE` as (page, visible, read).

    The file's share compares the characters of the input with those in the frames (passages and
    cells); a page's share compares the page's input with its paragraphs and table cells.
    """
    if not raw.visible_chars:
        return {"columns": {}, "short_pages": []}
    total: Counter = Counter()
    for counter in raw.visible_chars.values():
        total.update(counter)
    n_total = sum(total.values())
    blocks = _block_chars(raw)
    all_blocks: Counter = Counter()
    for counter in blocks.values():
        all_blocks.update(counter)
    read = _covered(all_blocks, total)
    share = read / n_total if n_total else 1.0
    content = Counter(_content("".join(ch * n for ch, n in total.items())))
    n_content = sum(content.values())
    in_frames = _covered(_frame_chars(passages, cells), content) / n_content if n_content else 1.0
    pages = []
    for page, wanted in raw.visible_chars.items():
        n = sum(wanted.values())
        if page is None or not n:
            continue
        pages.append((page, n, _covered(blocks.get(page, Counter()), wanted)))
    worst = min(pages, key=lambda x: x[2] / x[1]) if pages else None
    short = [(p, n, r) for p, n, r in pages if n >= 40 and r / n < MIN_SHARE]
    if share < MIN_SHARE and not short:
        short = [(None, n_total, read)]
    columns = {
        "chars_visible": n_total,
        "chars_read": read,
        "chars_share": round(share, 4),
        "worst_page": worst[0] if worst else None,
        "worst_page_share": round(worst[2] / worst[1], 4) if worst else None,
        "chars_in_frames_share": round(in_frames, 4),
    }
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
