"""Relation inference over ``cells``: the cases of IT050–IT053 and the relations found on real tables."""

from __future__ import annotations

import polars as pl

from tests.checks.grid_builder import FUND, ZHENJIE, table_frames
from toolkit.checks.registry import all_checks
from toolkit.checks.relations import infer


def _accepted(frames: dict) -> set[str]:
    inf = infer(frames)
    return set(inf.relations.filter(pl.col("accepted"))["rel_id"].to_list())


def test_zhenjie_relations_inferred() -> None:
    # columns: 0 项目, 1 拨付, 2 宣传, 3 办公, 4 村（居）委会, 5 小计, 6 结余; rows 1/3/5 amounts, 2/4/6 占比
    got = _accepted(table_frames(ZHENJIE))
    assert got == {
        "col_sum:c5=c2..c4",  # 小计 = 宣传 + 办公 + 村（居）委会
        "col_sum:c1=c5+c6",  # 拨付 = 小计 + 结余, i.e. 结余 = 拨付 − 小计
        "row_sum:r1=r3..r5",  # 6个镇街合计 = 3个街道合计 + 3个镇合计 (占比 rows are not amounts)
        "share_row:r2=r1/c1", "share_row:r4=r3/c1", "share_row:r6=r5/c1",  # 占比 = amount ÷ 拨付 × 100
        # the 100 % cell marks 拨付 as each 占比 row's base; the shares imply it, and it is the printed one
        "share_base:r2=r1/c1", "share_base:r4=r3/c1", "share_base:r6=r5/c1",
    }


def test_fund_statement_relations_inferred() -> None:
    # columns: 1 上年结余, 2 本年收入, 3 本年支出, 4 滚存结余
    got = _accepted(table_frames(FUND, unit="万元"))
    assert "col_sum:c4=c1+c2-c3" in got  # 滚存结余 = 上年结余 + 本年收入 − 本年支出
    assert "row_sum:r4=r1..r3" in got  # 合计 = the three funds


def test_coverage_says_why_nothing_applies() -> None:
    frames = table_frames([["项目", "金额"], ["宣传", "12.00"], ["合计", "12.00"]])
    cls = {c.code: c for c in all_checks()}["IT050"]
    ev = cls().run(frames).evals
    assert ev.filter(pl.col("status") == "skipped")["reason"].to_list() == [
        "no relation applies: too few amount rows/columns"]


def test_coverage_counts_places() -> None:
    cls = {c.code: c for c in all_checks()}["IT050"]
    ev = cls().run(table_frames(ZHENJIE)).evals
    # 2 accepted column relations × 3 rows, all passed
    assert ev.filter(pl.col("status") == "passed").height == 6
    assert ev.filter(pl.col("status") == "failed").height == 0
