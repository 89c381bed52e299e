"""The consistency engine: registered checks over the canonical frames.

``run_checks(frames, scope=None) -> (findings, coverage)`` runs every registered check (or
only the "document"- or "corpus"-scope ones, see ``Check.scope``). It never
raises: a check that errors yields a coverage row with status ``error`` and the
exception, and the run goes on.

Layout: one module per check code in ``toolkit/checks/rules/`` (imported here by walking the package,
so adding a check is adding its module); helpers shared by several checks in one library module each
beside this file (``tolerance``, ``select``, ``identities``, ``named``, ``text_amounts``…); the check
contract in ``framework``, the registry and catalogue in ``registry``.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import traceback
from collections.abc import Mapping

import polars as pl

from toolkit.checks.framework import COVERAGE, Check, clear_frame_caches, get, scan
from toolkit.checks.registry import all_checks, catalogue
from toolkit.findings import ocr_index, to_findings
from toolkit.schemas import FINDINGS, empty

log = logging.getLogger(__name__)

Summaries = dict[str, list[object]]  # check code -> its digests of the document batches (Check.summarise)


def _discover() -> None:
    """Import every module of ``toolkit.checks.rules``: each registers its check (no hand-kept list)."""
    from toolkit.checks import rules

    for info in sorted(pkgutil.iter_modules(rules.__path__), key=lambda m: m.name):
        importlib.import_module(f"{rules.__name__}.{info.name}")


_discover()

__all__ = ["run_checks", "catalogue", "sort_findings", "sort_coverage", "SCOPES", "Summaries"]


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
    frames: Mapping[str, pl.DataFrame], scope: str | None = None, summaries: Summaries | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Run the registered checks (only those of ``scope`` when given: "document" or "corpus").

    Findings come back in a total order (score, document, check, finding id) and coverage sorted,
    so running document-scope checks batch by batch and concatenating gives the same frames as
    one run over the whole corpus (see ``toolkit.checks.merge.merge_check_outputs``).

    ``summaries`` carries work from the document pass to the corpus pass: with ``scope="document"``
    each corpus-scope check's digest of these frames (``Check.summarise``) is appended to it,
    while the batch's shared inferences are still cached; with ``scope="corpus"`` each check gets
    its digests (``Check.run_with``).
    """
    if scope is not None and scope not in SCOPES:
        raise ValueError(f"unknown check scope {scope!r}; expected one of {SCOPES}")
    try:
        findings, coverage = _run(frames, scope, summaries)
        if scope == "document" and summaries is not None:
            _summarise(frames, summaries)
        return findings, coverage
    finally:
        clear_frame_caches()  # a shared join must not outlive its run (nor hold the run's frames)


def _summarise(frames: Mapping[str, pl.DataFrame], summaries: Summaries) -> None:
    for cls in all_checks():
        summarise = getattr(cls, "summarise", None)  # a registered class need not subclass Check
        if getattr(cls, "scope", "document") != "corpus" or summarise in (None, Check.summarise):
            continue
        try:
            digest = cls().summarise(frames)
        except Exception as exc:  # noqa: BLE001 - the corpus pass computes these documents itself
            log.warning("check %s could not summarise a batch (the corpus pass will read it): %s", cls.code, exc)
            continue
        if digest is not None:
            summaries.setdefault(cls.code, []).append(digest)


def _run(
    frames: Mapping[str, pl.DataFrame], scope: str | None, summaries: Summaries | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    documents = get(frames, "documents")
    ocr = ocr_index(frames, scan)  # findings built on OCR'd numbers are marked and capped
    findings, coverage = [], []
    for cls in all_checks():
        if scope is not None and getattr(cls, "scope", "document") != scope:
            continue
        try:
            check = cls()
            carried = summaries.get(cls.code) if summaries is not None and scope == "corpus" else None
            result = check.run_with(frames, carried) if carried else check.run(frames)
            f = to_findings(cls.code, cls.version, cls.category, result.hits, documents, ocr=ocr)
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
