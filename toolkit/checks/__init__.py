"""The consistency engine: registered checks over the canonical frames.

``run_checks(frames) -> (findings, coverage)`` runs every registered check. It never
raises: a check that errors yields a coverage row with status ``error`` and the
exception, and the run goes on.
"""

from __future__ import annotations

import logging
import traceback

import polars as pl

from toolkit.checks import (  # noqa: F401  (importing registers the checks)
    basic_expense,
    cross_tables,
    footing,
    parse_issues,
    projects,
    self_eval,
    summary_tables,
    text_tables,
)
from toolkit.checks.framework import COVERAGE, get
from toolkit.checks.registry import all_checks, catalogue
from toolkit.findings import to_findings
from toolkit.schemas import FINDINGS, empty

log = logging.getLogger(__name__)

__all__ = ["run_checks", "catalogue"]


def _coverage(code: str, evals: pl.DataFrame) -> pl.DataFrame:
    if evals.height == 0:
        return empty(COVERAGE)
    return (
        evals.group_by("document_id", "identity", "status", "reason")
        .len()
        .rename({"len": "n"})
        .with_columns(check_code=pl.lit(code), n=pl.col("n").cast(pl.Int64))
        .select(list(COVERAGE))
    )


def run_checks(frames: dict[str, pl.DataFrame]) -> tuple[pl.DataFrame, pl.DataFrame]:
    documents = get(frames, "documents")
    findings, coverage = [], []
    for cls in all_checks():
        try:
            result = cls().run(frames)
            f = to_findings(cls.code, cls.version, cls.category, result.hits, documents)
            findings.append(f)
            coverage.append(_coverage(cls.code, result.evals))
        except Exception as exc:  # noqa: BLE001 - a broken check must not stop the run
            log.warning("check %s failed: %s", cls.code, exc)
            coverage.append(
                pl.DataFrame(
                    {"check_code": [cls.code], "document_id": [None], "identity": [None], "status": ["error"],
                     "reason": [f"{type(exc).__name__}: {exc} | {traceback.format_exc(limit=3)[-500:]}"], "n": [1]},
                    schema=COVERAGE,
                )
            )
    f = [x for x in findings if x.height]
    c = [x for x in coverage if x.height]
    out_f = pl.concat(f, how="vertical") if f else empty(FINDINGS)
    out_c = pl.concat(c, how="vertical") if c else empty(COVERAGE)
    if out_f.height:
        out_f = out_f.sort(["score", "document_id"], descending=[True, False])
    return out_f, out_c
