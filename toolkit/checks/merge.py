"""Check results gathered batch by batch, merged into what one pass over the whole corpus gives.

Document-scope checks run on each batch of documents as it is written; corpus-scope checks run
once at the end. :class:`CheckAccumulator` keeps their (small) findings and coverage and
:func:`merge_check_outputs` concatenates them in the total order of ``sort_findings`` /
``sort_coverage``, so the result does not depend on the batch size.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from toolkit import schemas
from toolkit.checks import Summaries, run_checks, sort_coverage, sort_findings
from toolkit.checks.framework import COVERAGE
from toolkit.checks.registry import all_checks


def has_checks(scope: str) -> bool:
    """Whether any registered check has this scope ("document" or "corpus")."""
    return any(getattr(cls, "scope", "document") == scope for cls in all_checks())


def merge_check_outputs(
    findings: list[pl.DataFrame], coverage: list[pl.DataFrame]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Concatenate per-batch outputs into what one run over the whole corpus gives.

    A check that raised reports one ``error`` coverage row per batch; only its first is kept.
    """
    out_f = pl.concat(findings, how="vertical") if findings else schemas.empty(schemas.FINDINGS)
    out_c = pl.concat(coverage, how="vertical") if coverage else schemas.empty(COVERAGE)
    is_error = (pl.col("status") == "error") & pl.col("document_id").is_null()
    if out_c.filter(is_error).height > 1:
        errors = out_c.filter(is_error).unique("check_code", keep="first", maintain_order=True)
        out_c = pl.concat([out_c.filter(~is_error), errors], how="vertical")
    return sort_findings(schemas.conform(out_f, schemas.FINDINGS)), sort_coverage(out_c)


class CheckAccumulator:
    """Findings and coverage of the checks, gathered batch by batch (both are small), and the corpus
    checks' digests of each document batch, handed to the corpus pass (``Check.summarise``)."""

    def __init__(self) -> None:
        self.findings: list[pl.DataFrame] = []
        self.coverage: list[pl.DataFrame] = []
        self.summaries: Summaries = {}

    def run(self, frames: Mapping[str, pl.DataFrame], scope: str) -> None:
        findings, coverage = run_checks(frames, scope=scope, summaries=self.summaries)
        if scope == "corpus":
            self.summaries.clear()  # used once: the corpus pass is the last
        if findings.height:
            self.findings.append(schemas.conform(findings, schemas.FINDINGS))
        if coverage.height:
            self.coverage.append(coverage)

    def result(self) -> tuple[pl.DataFrame, pl.DataFrame]:
        return merge_check_outputs(self.findings, self.coverage)
