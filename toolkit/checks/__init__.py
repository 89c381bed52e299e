"""The consistency engine: registered checks over the canonical frames.

``run_checks(frames, scope=None) -> (findings, coverage)`` runs every registered check (or
only the "document"- or "corpus"-scope ones, see ``Check.scope``). It never
raises: a check that errors yields a coverage row with status ``error`` and the
exception, and the run goes on.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Mapping

import polars as pl

from toolkit.checks import (  # noqa: F401  (importing registers the checks)
    basic_expense,
    copy_paste,
    cross_tables,
    footing,
    parse_issues,
    peers,
    projects,
    ratios,
    self_eval,
    summary_tables,
    text_tables,
)
from toolkit.checks.framework import COVERAGE, get
from toolkit.checks.registry import all_checks, catalogue
from toolkit.checks.rules import (  # noqa: F401
    cp010,
    cp011,
    cp012,
    dg001,
    dg002,
    dg003,
    dg004,
    it050,
    it051,
    it052,
    it053,
    it054,
)
from toolkit.findings import to_findings
from toolkit.schemas import FINDINGS, empty

log = logging.getLogger(__name__)

__all__ = ["run_checks", "catalogue", "sort_findings", "sort_coverage", "SCOPES"]


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


SCOPES = ("document", "corpus")


def run_checks(
    frames: Mapping[str, pl.DataFrame], scope: str | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Run the registered checks (only those of ``scope`` when given: "document" or "corpus").

    Findings come back in a total order (score, document, check, finding id) and coverage sorted,
    so running document-scope checks batch by batch and concatenating gives the same frames as
    one run over the whole corpus (see ``toolkit.run.merge_check_outputs``).
    """
    if scope is not None and scope not in SCOPES:
        raise ValueError(f"unknown check scope {scope!r}; expected one of {SCOPES}")
    documents = get(frames, "documents")
    findings, coverage = [], []
    for cls in all_checks():
        if scope is not None and getattr(cls, "scope", "document") != scope:
            continue
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
    return sort_findings(out_f), sort_coverage(out_c)


def sort_findings(findings: pl.DataFrame) -> pl.DataFrame:
    """Highest score first; ties broken by document, check and finding id (a total order: reproducible)."""
    if findings.height == 0:
        return findings
    return findings.sort(
        ["score", "document_id", "check_code", "finding_id"],
        descending=[True, False, False, False],
        nulls_last=True,
    )


def sort_coverage(coverage: pl.DataFrame) -> pl.DataFrame:
    if coverage.height == 0:
        return coverage
    return coverage.sort(["check_code", "document_id", "identity", "status", "reason"], nulls_last=True)
