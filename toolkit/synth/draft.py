"""An editable document before rendering: paragraphs and tables that anomalies can address.

Tables keep, beside their printed rows, a key for every row and column and the ledger integer
behind every amount cell, so an anomaly can change "支出决算表 / 2101501 / 本年支出合计" by
name and record what was printed before. :func:`to_blocks` turns a draft into
``toolkit.model.Block`` objects (the contract renderers consume).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from toolkit.model import Block


@dataclass(slots=True)
class TableDraft:
    key: str  # semantic table type (a key of toolkit.extract.table_types)
    title: str
    meta: list[str]  # lines printed above the table after the title (公开 0N 表, 单位, 部门)
    rows: list[list[str]]
    header_rows: int
    row_keys: list[str | None]
    col_keys: list[str | None]
    amounts: dict[tuple[str, str], int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # paragraphs printed after the table
    fmt: Callable[[int], str] | None = None
    project: str = ""

    def locate(self, row_key: str, col_key: str) -> tuple[int, int]:
        # a two-lane row (01/04表) carries "left|right" keys: either side finds it
        for r, key in enumerate(self.row_keys):
            if key is not None and row_key in key.split("|"):
                return r, self.col_keys.index(col_key)
        raise KeyError(row_key)

    def get(self, row_key: str, col_key: str) -> str:
        r, c = self.locate(row_key, col_key)
        return self.rows[r][c]

    def set(self, row_key: str, col_key: str, text: str) -> str:
        r, c = self.locate(row_key, col_key)
        old = self.rows[r][c]
        self.rows[r][c] = text
        return old

    def has(self, row_key: str, col_key: str) -> bool:
        if col_key not in self.col_keys:
            return False
        return any(k is not None and row_key in k.split("|") for k in self.row_keys)


@dataclass(slots=True)
class Para:
    text: str
    section: str = ""  # narrative section id (final.overall ...), '' for headings/boilerplate


@dataclass(slots=True)
class PageBreak:
    pass


Item = Para | TableDraft | PageBreak


@dataclass(slots=True)
class DocDraft:
    name: str  # file stem
    doc_type: str  # final_accounts|dept_self_eval|project_self_eval
    title: str
    items: list[Item] = field(default_factory=list)

    def tables(self, key: str | None = None) -> list[TableDraft]:
        return [t for t in self.items if isinstance(t, TableDraft) and (key is None or t.key == key)]

    def paras(self, section: str | None = None) -> list[Para]:
        return [p for p in self.items if isinstance(p, Para) and (section is None or p.section == section)]

    def text(self) -> str:
        return "\n".join(p.text for p in self.items if isinstance(p, Para))


def to_blocks(
    draft: DocDraft,
    *,
    rng: random.Random,
    split_tables: bool = False,
    page_lines: bool = False,
    bookmarks: bool = False,
) -> list[Block]:
    """Lay a draft out as blocks with page numbers; optionally add artefacts seen in real documents.

    ``split_tables`` breaks a long table over two pages, the continuation printed without
    its header (as PDF converters show it); ``page_lines`` adds "—N—" page-number lines;
    ``bookmarks`` prefixes some headings with Word ``[bookmark: _Toc…]`` residue.
    """
    blocks: list[Block] = []
    page = 1

    def new_page() -> None:
        nonlocal page
        if page_lines:
            blocks.append(Block.para(f"—{page}—", page=page))
        blocks.append(Block("page_break", page=page))
        page += 1

    for item in draft.items:
        if isinstance(item, PageBreak):
            new_page()
        elif isinstance(item, Para):
            text = item.text
            if bookmarks and not item.section and len(text) < 30 and rng.random() < 0.3:
                text = f"[bookmark: _Toc{rng.randint(10000, 99999)}]{text}"
            blocks.append(Block.para(text, page=page))
        else:
            blocks.append(Block.para(item.title, page=page))
            for m in item.meta:
                blocks.append(Block.para(m, page=page))
            body = len(item.rows) - item.header_rows
            if split_tables and body >= 12 and rng.random() < 0.5:
                cut = item.header_rows + body // 2
                blocks.append(Block.tab([list(r) for r in item.rows[:cut]], page=page))
                new_page()
                blocks.append(Block.tab([list(r) for r in item.rows[cut:]], page=page))
            else:
                blocks.append(Block.tab([list(r) for r in item.rows], page=page))
            for n in item.notes:
                blocks.append(Block.para(n, page=page))
    return blocks
