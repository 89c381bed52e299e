"""Seed 003's 镇街 table, read from the real document: the relations its author computed are inferred,
and since every printed figure follows them there is no finding.

By hand (datasets/seeds/003, the 抽取的街道（镇）经费使用情况 table, 元):
6个镇街合计 487,632.00 = 3个街道合计 298,482.00 + 3个镇合计 189,150.00 (and likewise in every column);
小计 437,264.00 = 宣传 8,600.00 + 办公 62,462.00 + 村（居）委会 366,202.00;
结余 50,368.00 = 拨付 487,632.00 − 小计 437,264.00; 占比 1.76 % = 8,600.00 ÷ 487,632.00 × 100, and 拨付,
printed 100.00 % in each 占比 row, is the base all five shares of the row imply.
"""

from __future__ import annotations

import polars as pl
import pytest

from tests.helpers import extract_text_file, seed_path
from toolkit.checks import run_checks
from toolkit.checks.relations import infer

RELATION_CHECKS = ("IT050", "IT051", "IT052", "IT053", "IT054")


@pytest.fixture(scope="module")
def seed003() -> dict[str, pl.DataFrame]:
    return extract_text_file(seed_path("003"))


def test_the_relations_of_the_zhenjie_table(seed003):
    inf = infer(seed003)
    accepted = inf.relations.filter(pl.col("accepted"))
    assert set(accepted["table_id"]) == {"t01"}
    assert set(accepted["rel_id"]) == {
        "col_sum:c5=c2..c4",  # 小计 = 用于医保宣传金额 + 办公经费 + 拨付给村（居）委会金额
        "col_sum:c1=c5+c6",  # 拨付 = 小计 + 结余, read as 结余 = 拨付 − 小计
        "row_sum:r2=r4..r6",  # 6个镇街合计 = 3个街道合计 + 3个镇合计 (the 占比 rows are not amounts)
        "share_row:r3=r2/c1", "share_row:r5=r4/c1", "share_row:r7=r6/c1",  # 占比 = amount ÷ 拨付 × 100
        # 拨付 prints 100 % in each 占比 row: the five shares agree on one base, and it is the printed 拨付
        "share_base:r3=r2/c1", "share_base:r5=r4/c1", "share_base:r7=r6/c1",
    }
    # every place each relation covers holds: three rows, six columns, five 占比 cells per row
    assert accepted.filter(pl.col("fails") > 0).height == 0
    holds = dict(zip(accepted["rel_id"], accepted["holds"], strict=True))
    assert holds["col_sum:c5=c2..c4"] == 3 and holds["col_sum:c1=c5+c6"] == 3
    assert holds["row_sum:r2=r4..r6"] == 6
    assert holds["share_row:r3=r2/c1"] == 5
    assert holds["share_base:r3=r2/c1"] == 6  # five agreeing shares and the printed base


def test_no_finding_on_the_zhenjie_table(seed003):
    findings, coverage = run_checks(seed003)
    assert findings.filter(pl.col("check_code").is_in(RELATION_CHECKS)).height == 0
    passed = coverage.filter(pl.col("check_code").is_in(RELATION_CHECKS) & (pl.col("status") == "passed"))
    assert passed["n"].sum() == 3 + 3 + 6 + 5 * 3 + 6 * 3
