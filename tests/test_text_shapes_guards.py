"""Text tables: what must not become a table, and where every rebuilt cell came from.

- prose with numbers (the seeds' narrative paragraphs, in every text shape of a paragraph) stays text;
- a table typed in Word as paragraphs with TABs between the cells reads like the same table's TAB
  rows in a text file; a table of contents (title, TAB, page number) stays text;
- every cell rebuilt from a text shape records its line and character span, and the span holds the
  cell's raw text.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import polars as pl
import pytest

from tests.test_text_tables import (
    AFTER,
    BEFORE,
    LINE_ITEM_COLUMNS,
    SUMMARY,
    SUMMARY_TITLE,
    aligned,
    cell_per_line,
    one_line,
    pipe,
    read,
    semantic,
    summary_doc,
    tsv,
)
from toolkit.extract.document import extract_document
from toolkit.extract.text_grid import TextTable, find_text_tables
from toolkit.loaders import load_bytes
from toolkit.model import Limits

SEEDS = Path(__file__).resolve().parents[1] / "datasets" / "seeds"
_HAS_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:万元|元|%|人|个)")


def _narrative_paragraphs() -> list[str]:
    """Lines of the real seeds that are sentences holding a figure (no TAB: not a table row)."""
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").split("\n"):
            s = line.strip()
            if "\t" not in line and "。" in s and _HAS_FIGURE.search(s):
                out.append(s)
    return out


@pytest.mark.skipif(not SEEDS.exists(), reason="seed documents not present")
def test_prose_with_numbers_never_becomes_a_table() -> None:
    paragraphs = _narrative_paragraphs()
    assert len(paragraphs) > 50  # the seeds' 情况说明 and 自评报告 are full of amounts and rates
    lines: list[str] = []
    for p in paragraphs:
        lines += [p, ""]
    assert not [x for x in find_text_tables(lines) if isinstance(x, TextTable)]
    # the same sentences cut where a reader view or a PDF copy cuts them: short lines, one per line
    short = [p[k : k + 30] for p in paragraphs[:40] for k in range(0, len(p), 30)]
    assert not [x for x in find_text_tables(short) if isinstance(x, TextTable)]
    spaced = ["  ".join(p.split("，")) for p in paragraphs[:40]]  # clauses set apart by runs of spaces
    assert not [x for x in find_text_tables(spaced) if isinstance(x, TextTable)]


def test_a_list_of_short_headings_is_not_a_table() -> None:
    toc = ["目录", "", "一、收入支出决算总表", "", "二、收入决算表", "", "三、支出决算表", "", "第 3 页", "", "2", "", "3"]
    assert not [x for x in find_text_tables(toc) if isinstance(x, TextTable)]


def _docx_with_tab_paragraphs(paras: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for text in paras:
        run = document.add_paragraph().add_run()
        for k, part in enumerate(text.split("\t")):
            if k:
                run.add_tab()
            run.add_text(part)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _extract(data: bytes, name: str) -> dict[str, pl.DataFrame]:
    raw = load_bytes(data, name, Limits())
    return extract_document(raw, document_id="d", path=name, sha256="0" * 64, size_bytes=len(data))


def test_a_table_typed_with_tabs_in_word_reads_like_tab_rows() -> None:
    data = _docx_with_tab_paragraphs([BEFORE, *SUMMARY_TITLE, *tsv(SUMMARY), AFTER])
    got = _extract(data, "typed.docx")
    reference = read(summary_doc(tsv))
    assert got["tables"]["table_type"].to_list() == ["income_expense_summary"]
    assert semantic(got["line_items"], LINE_ITEM_COLUMNS).equals(semantic(reference["line_items"], LINE_ITEM_COLUMNS))
    # 329.85 is 卫生健康支出 in the sixth column: its span is its place in the paragraph's text
    cell = got["cells"].filter(pl.col("raw_text") == "329.85").row(0, named=True)
    row = "\t".join(SUMMARY[9])  # 八、其他收入 | 8 | | 九、卫生健康支出 | 21 | 329.85
    assert row[cell["span_start"] : cell["span_end"]] == "329.85"


def test_a_table_of_contents_with_tabs_stays_text() -> None:
    data = _docx_with_tab_paragraphs(["目录", "一、收入支出决算总表\t3", "二、收入决算表\t4", "三、支出决算表\t5"])
    raw = load_bytes(data, "toc.docx", Limits())
    assert [b.kind for b in raw.blocks] == ["para"] * 4


@pytest.mark.parametrize("shape", [tsv, pipe, aligned, cell_per_line, one_line], ids=lambda f: f.__name__)
def test_every_rebuilt_amount_points_back_to_its_text(shape) -> None:
    lines = [BEFORE, *SUMMARY_TITLE, *shape(SUMMARY), AFTER]
    cells = read(lines)["cells"].filter(pl.col("raw_text").str.contains(r"^\d+\.\d+$"))
    assert cells.height == 8  # 362.62 five times (财政拨款收入, 本年收入/支出合计, both 总计), 17.64, 329.85, 15.13
    for c in cells.iter_rows(named=True):
        assert lines[c["src_line"] - 1][c["span_start"] : c["span_end"]] == c["raw_text"], (shape.__name__, c)
