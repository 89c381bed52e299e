"""IT053: a 其中 row exceeds the row it is part of."""

from __future__ import annotations

from typing import ClassVar

import polars as pl

from toolkit.checks.framework import Check, CheckResult
from toolkit.checks.registry import register
from toolkit.checks.relations import infer
from toolkit.checks.relations.infer import coverage_evals
from toolkit.checks.relations.report import break_hits

FAMILIES = ("qizhong",)


@register
class QizhongOverParent(Check):
    """A 其中 row is larger than the row it is part of (其中 ≤ 总数), where the table's other 其中 rows respect it.

    What it does: a row whose label starts with 其中 is a part of the nearest row above it that is not a
    其中 row; column by column, its printed interval must not lie wholly above the parent's. The rule is
    accepted per table when at least 3 non-trivial 其中 cells respect it and three quarters do (so a table
    whose 其中 rows we attach to the wrong parent is not judged), or over the copies of the table's form in
    the same document when one copy has too few cells (a 绩效目标表 per project: at least 3 copies with the
    same rows, labels and columns, judged together, reported at low severity); each exceeding cell is a finding.

    Why it matters: a part larger than its whole is impossible; one of the two figures is wrong.

    Example: 基本支出 120.00, 其中：人员经费 135.00 → finding (135.00 > 120.00).

    Known false positives: 其中 rows describing a different quantity than their parent (“其中：增长” as a
    rate in an amount column); negative values are not judged.
    """

    code = "IT053"
    version = "2"
    name = "qizhong-over-parent"
    detects = ("broken_footing",)
    label: ClassVar[str] = "“其中”项大于所属总数"
    requires = ("frame:cells",)
    scope = "document"

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        inf = infer(frames)
        return CheckResult.of([break_hits(inf, FAMILIES, "broken_footing")],
                              [coverage_evals(inf, FAMILIES, report_none=False)])
