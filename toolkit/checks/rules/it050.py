"""IT050: a cell breaks a column relation the rest of its table follows (sum or difference of columns)."""

from __future__ import annotations

from typing import ClassVar

import polars as pl

from toolkit.checks.framework import Check, CheckResult
from toolkit.checks.registry import register
from toolkit.checks.relations import infer
from toolkit.checks.relations.infer import coverage_evals
from toolkit.checks.relations.report import break_hits

FAMILIES = ("col_sum",)


@register
class InferredColumnRelation(Check):
    """A row breaks a column sum or difference (小计 = Σ 分项, 结余 = 拨付 − 支出) that the table's other rows follow.

    What it does: in every table, recognised or not, tries each column as the sum of a pair of other
    columns (which covers differences: 结余 = 拨付 − 小计 is 拨付 = 小计 + 结余) or of a contiguous block
    of three or more columns beside it, or a balance t = a + b − x (滚存结余 = 上年结余 + 本年收入 − 本年
    支出), row by row, with printed-precision intervals. A relation that holds in at least 3 rows and in
    at least three quarters of the rows where it is not trivial is accepted (2 of 3 rows when a label
    declares it: a 合计/小计/总计 target or a 结余 part), or over the copies of the table's form in the same
    document when one copy has too few rows (at least 3 copies with the same rows, labels and columns,
    judged together; reported at low severity); each row that breaks it is a finding naming the
    relation and its support (“结余 = 拨付资金 − 小计，在7行中有6行成立”). Cells a declared identity
    (IT001–IT036) checks are left to it.

    Why it matters: 镇街 allocation tables, fund statements and project lists follow no template, so no
    declared identity covers them; a wrong 小计 or 结余 there goes unseen otherwise.

    Example: 3个街道合计: 拨付 298,482.00, 小计 257,863.50, 结余 41,618.50 while 拨付 = 小计 + 结余 holds in
    the other rows → 结余 should be 40,618.50.

    Known false positives: a table whose rows are of two kinds (amounts and counts) where the relation
    holds only for one kind; support below 4 rows or 80 % keeps such findings at low severity.
    """

    code = "IT050"
    version = "2"
    name = "inferred-column-relation"
    detects = ("broken_footing",)
    label: ClassVar[str] = "表内推断的列间勾稽关系不符"
    requires = ("frame:cells",)
    scope = "document"

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        inf = infer(frames)
        return CheckResult.of([break_hits(inf, FAMILIES, "broken_footing")],
                              [coverage_evals(inf, FAMILIES, report_none=True)])
