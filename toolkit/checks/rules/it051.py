"""IT051: a cell breaks a row total (合计 or unlabelled) that the table's other columns follow."""

from __future__ import annotations

from typing import ClassVar

import polars as pl

from toolkit.checks.framework import Check, CheckResult
from toolkit.checks.registry import register
from toolkit.checks.relations import infer
from toolkit.checks.relations.infer import coverage_evals
from toolkit.checks.relations.report import break_hits

FAMILIES = ("row_sum",)


@register
class InferredRowTotal(Check):
    """A column breaks a row total (合计 over the rows beside it) that the table's other columns follow.

    What it does: for each 合计/总计/小计 row and for the first and last amount rows, tries the block of
    rows next to it (up to the next total row, or to the table's edge; 其中 rows are parts of their
    parent and never items), column by column, with printed-precision intervals. Accepted when it holds
    in at least 3 columns (2 for a row labelled 合计/小计) and three quarters of the non-trivial
    columns, or over at least 3 copies of the table's form in the same document (same rows, labels and
    columns; low severity); each column that breaks it is a finding with the relation, its support and the cells.

    Why it matters: a 合计 that does not equal its rows means a row was dropped, added twice or typed
    wrong, in tables no template check knows.

    Example: 6个镇街合计 = 3个街道合计 + 3个镇合计 holds in every column (办公经费 62,462.00 = 39,597.00 +
    22,865.00); were 62,562.00 printed there, that column is a finding (difference 100.00).

    Known false positives: hierarchical tables whose total sums only the top level (the block then
    double-counts and the relation is not accepted: no finding, coverage says why).
    """

    code = "IT051"
    version = "2"
    name = "inferred-row-total"
    detects = ("broken_footing",)
    label: ClassVar[str] = "表内推断的行间合计不符"
    requires = ("frame:cells",)
    scope = "document"

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        inf = infer(frames)
        return CheckResult.of([break_hits(inf, FAMILIES, "broken_footing")],
                              [coverage_evals(inf, FAMILIES, report_none=False)])
