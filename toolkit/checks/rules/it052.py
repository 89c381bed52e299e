"""IT052: a rate or share cell breaks the ratio its column or row follows."""

from __future__ import annotations

from typing import ClassVar

import polars as pl

from toolkit.checks.framework import Check, CheckResult
from toolkit.checks.registry import register
from toolkit.checks.relations import infer
from toolkit.checks.relations.infer import coverage_evals
from toolkit.checks.relations.report import break_hits

FAMILIES = ("ratio", "share", "share_row", "share_base")


@register
class InferredRatio(Check):
    """A 占比/执行率/完成率/增长率 cell is not the ratio its column (or 占比 row) follows elsewhere in the table.

    What it does: for each percent column (cells printed with %, or a header naming 率/占比/比例/比重),
    tries every pair of amount columns as a / b × 100 and (a − b) / b × 100 row by row, and each amount
    column over its 合计 row (a share of the total); for each 占比 row, tries the amounts of the row above
    over one of that row's cells; where a 占比 row prints 100 % in one column (its base) and all its
    other shares imply one common base, the printed base cell outside that range is a finding. Intervals: the amounts ± half a unit of their last digit, the rate ± one
    unit (rates are printed rounded or truncated). Accepted at 3 holding places and three quarters of
    the non-trivial ones (0 % and a cell's share of itself are trivial); a place that breaks it is a finding.

    Why it matters: a 执行率 or 占比 that its own amounts do not give was typed by hand or left from an
    earlier version of the table; readers take the rate as the summary of the figures.

    Example: 占比 row under 3个镇合计: 12.09 % for 办公经费 22,865.00 of 拨付 189,150.00 holds, as do the
    other columns; a printed 13.09 % would be a finding (22,865.00 ÷ 189,150.00 × 100 = 12.09).

    Known false positives: a percent column that is a ratio for most rows and a 权重 or score in a few.
    """

    code = "IT052"
    name = "inferred-ratio"
    detects = ("wrong_percentage",)
    label: ClassVar[str] = "表内推断的比率或占比计算不符"
    requires = ("frame:cells",)
    scope = "document"

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        inf = infer(frames)
        return CheckResult.of([break_hits(inf, FAMILIES, "wrong_percentage")],
                              [coverage_evals(inf, FAMILIES, report_none=False)])
