"""A lone 合计 row printed after a page break joins the table it ends, and only then."""

from __future__ import annotations

from toolkit.extract.document import lone_total_row, recognise_tables
from toolkit.model import Block, RawDocument

TITLE = "镇街经费拨付及使用情况表"
BODY = [
    ["镇街", "拨付金额", "使用金额", "结余金额"],
    ["甲街道", "1,200.00", "1,000.00", "200.00"],
    ["乙街道", "800.00", "700.00", "100.00"],
    ["丙镇", "500.00", "450.00", "50.00"],
]


def _doc(*blocks: Block) -> RawDocument:
    raw = RawDocument(path="x.txt", format="txt")
    raw.blocks = list(blocks)
    return raw


def _tables(between: list[Block], last: list[list[str]], page: int = 2):
    return recognise_tables(_doc(Block.para(TITLE, page=1), Block.tab(BODY, page=1), *between,
                                 Block.tab(last, page=page)))


def test_a_lone_total_row_on_the_next_page_joins_the_table_with_the_reason():
    tables = _tables([Block.para("- 1 -", page=1)], [["合计", "2,500.00", "2,150.00", "350.00"]])
    assert len(tables) == 1
    t = tables[0]
    assert t.rows[-1] == ["合计", "2,500.00", "2,150.00", "350.00"]
    assert t.row_pages[-1] == 2
    assert "lone 合计 row after a page break" in t.recognized_by
    assert "3 numbers on the 3 number columns" in t.recognized_by


def test_a_page_break_marker_of_a_text_dump_counts_as_the_page_break():
    tables = _tables([Block.para("-- PAGE_BREAK --", page=1)], [["合计", "2,500.00", "2,150.00", "350.00"]], page=1)
    assert len(tables) == 1 and tables[0].rows[-1][0] == "合计"


def test_numbers_land_on_the_amount_columns_after_the_codes():
    body = [["类", "款", "科目名称", "合计", "基本支出", "项目支出"],
            ["201", "05", "统计信息事务", "438,300", "0", "438,300"],
            ["201", "29", "群众团体事务", "422,900", "0", "422,900"]]
    raw = _doc(Block.para(TITLE, page=1), Block.tab(body, page=1), Block.tab([["合计", "861,200", "0", "861,200"]], page=2))
    t = recognise_tables(raw)[0]
    assert t.rows[-1] == ["合计", "", "", "861,200", "0", "861,200"]


def test_not_joined_when_the_numbers_do_not_match_the_columns():
    tables = _tables([], [["合计", "2,500.00", "2,150.00"]])
    assert len(tables) == 2


def test_not_joined_when_text_stands_between():
    tables = _tables([Block.para("注：本表反映各镇街经费情况。", page=2)], [["合计", "2,500.00", "2,150.00", "350.00"]])
    assert len(tables) == 2


def test_not_joined_on_the_same_page_without_a_break():
    assert lone_total_row([], recognise_tables(_doc(Block.para(TITLE, page=1), Block.tab(BODY, page=1)))[0],
                          [["合计", "2,500.00", "2,150.00", "350.00"]], 1) is None


def test_not_joined_when_the_row_is_not_a_total():
    tables = _tables([], [["丁镇", "2,500.00", "2,150.00", "350.00"]])
    assert len(tables) == 2


def test_a_headless_block_after_a_page_marker_continues_an_untitled_table():
    body = [["甲街道", "1,200", "1,000", "200"], ["乙街道", "800", "700", "100"]]
    more = [["丙镇", "500", "450", "50"], ["丁镇", "300", "250", "50"]]
    raw = _doc(Block.para("各街道经费", page=1), Block.tab(body, page=1), Block.para("-- PAGE_BREAK --", page=1),
               Block.tab(more, page=1))
    tables = recognise_tables(raw)
    assert len(tables) == 1 and [r[0] for r in tables[0].rows] == ["甲街道", "乙街道", "丙镇", "丁镇"]


def test_a_block_with_its_own_header_or_width_after_a_break_stays_a_table():
    body = [["甲街道", "1,200", "1,000", "200"], ["乙街道", "800", "700", "100"]]
    headed = [["项目", "金额", "备注", "说明"], ["丙镇", "500", "450", "50"]]
    narrow = [["丙镇", "500", "450"], ["丁镇", "300", "250"]]
    for nxt in (headed, narrow):
        raw = _doc(Block.para("各街道经费", page=1), Block.tab(body, page=1), Block.tab(nxt, page=2))
        assert len(recognise_tables(raw)) == 2
