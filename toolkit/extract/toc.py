"""The document's own 目录 (table of contents), kept as one passage of role ``toc``.

A 目录 page lists the sections and tables the document says it contains; completeness checks
(DG002) compare it with the tables actually found. Entries are the lines after a line reading
“目录” on the same page and the next one, with leader dots and page numbers removed; a line
wrapped before its last character (“…决算\\n表”) is joined back.
"""

from __future__ import annotations

import re

from toolkit.model import RawDocument
from toolkit.normalize.text import clean_text, squash

_TOC_LINE = re.compile(r"^目\s*录$")
_LEADER = re.compile(r"[.…·．\-—_\s]{3,}\s*\d*\s*$|\s+\d{1,3}\s*$")
MAX_ENTRY_CHARS = 60  # longer lines are body text: the 目录 has ended
MAX_ENTRIES = 80


def toc_entries(raw: RawDocument) -> tuple[int | None, list[str]]:
    """(page of the 目录, its entries) — (None, []) when the document prints none."""
    paras = [b for b in raw.blocks if b.kind == "para"]
    lines: list[tuple[int | None, str]] = []
    for b in paras:
        for line in clean_text(b.text).split("\n"):
            if line.strip():
                lines.append((b.page, line.strip()))
    start = next((i for i, (_, t) in enumerate(lines) if _TOC_LINE.match(squash(t)) or squash(t).endswith("目录")
                  and len(squash(t)) <= 40), None)
    if start is None:
        return None, []
    page = lines[start][0]
    entries: list[str] = []
    for p, text in lines[start + 1:]:
        if page is not None and p is not None and p > page + 1:
            break
        t = _LEADER.sub("", text).strip()
        if not t:
            continue
        if len(squash(t)) > MAX_ENTRY_CHARS:
            break
        if entries and len(squash(t)) <= 2 and not re.match(r"^[一二三四五六七八九十\d]", t):
            entries[-1] += t  # “…预算\n表”
            continue
        entries.append(t)
        if len(entries) >= MAX_ENTRIES:
            break
    return page, entries


def toc_passage(raw: RawDocument, document_id: str, order: int) -> dict | None:
    page, entries = toc_entries(raw)
    if not entries:
        return None
    return {"document_id": document_id, "passage_id": f"{document_id}:toc", "page": page, "order": order,
            "heading": "目录", "role": "toc", "project": None, "text": "\n".join(entries)}
