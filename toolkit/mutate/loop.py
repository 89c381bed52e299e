"""The quality loop: mutate every real document, screen originals and mutants, score, report.

Screening runs in batches so that each batch looks like a real corpus with at most one version
of each document: the originals; the re-rendered originals; then the k-th mutant of every
document. A document is never screened beside its own mutant, so corpus-wide checks (copies
across bureaus) compare it with the other bureaus only.
"""

from __future__ import annotations

import logging
import os
import resource
import tempfile
import time
from pathlib import Path

import polars as pl

from toolkit.mutate.evaluate import compute
from toolkit.mutate.generate import mutate
from toolkit.mutate.report import write_report

log = logging.getLogger(__name__)


def default_inputs(repo: Path) -> list[Path]:
    """``datasets/`` plus the shared seeds and real documents in the nearest ``shared/`` directory
    beside the clone or one level further up, when there is one."""
    out = [repo / "datasets"]
    for parent in (repo.parent, repo.parent.parent):
        shared = parent / "shared"
        if shared.is_dir():
            out += [p for p in (shared / "seeds", shared / "realdocs") if p.is_dir()]
            break
    return [p.resolve() for p in out if p.exists()]


def batches(truth: pl.DataFrame) -> list[list[str]]:
    """Originals; re-rendered originals; then the k-th mutant of every original."""
    out = [truth.filter(pl.col("edit_mode") == "original")["document"].to_list(),
           truth.filter(pl.col("clean") & (pl.col("edit_mode") == "re-rendered"))["document"].to_list()]
    mutants = truth.filter(~pl.col("clean")).with_columns(
        pl.int_range(pl.len()).over("original_document").alias("k"))
    for k in range(int(mutants["k"].max()) + 1 if mutants.height else 0):
        out.append(mutants.filter(pl.col("k") == k)["document"].to_list())
    return [b for b in out if b]


def screen_batches(corpus: Path, groups: list[list[str]], work: Path, workers: int) -> pl.DataFrame:
    from toolkit.executor import LocalProcessExecutor
    from toolkit.pipeline import screen
    from toolkit.worker import hard_budget

    found = []
    for i, docs in enumerate(groups):
        res = screen([corpus / d for d in docs], work / f"batch{i:02d}",
                     executor=LocalProcessExecutor(workers, timeout_s=hard_budget), write_report=False)
        found.append(res.findings)
        log.info("batch %d: %d documents, %d findings", i, len(docs), res.findings.height)
    return pl.concat(found, how="diagonal_relaxed") if found else pl.DataFrame()


def cpu_seconds() -> float:
    """User + system CPU time of this process and its finished children (the worker pools)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def quality(inputs: list[Path], out: Path, *, per_doc: int, seed: int = 0, kinds: list[str],
            workers: int = 2, work: Path | None = None, untemplated: bool = False) -> dict:
    t0, c0 = time.perf_counter(), cpu_seconds()
    tmp = None
    if work is None:
        tmp = tempfile.TemporaryDirectory(prefix="mutants-")
        work = Path(tmp.name)
    try:
        corpus = Path(work) / "corpus"
        labels, truth = mutate(inputs, corpus, kinds=kinds, per_doc=per_doc, seed=seed, workers=workers,
                               untemplated=untemplated)
        t_mutate = time.perf_counter() - t0
        findings = screen_batches(corpus, batches(truth), Path(work) / "screens", workers)
        t_screen = time.perf_counter() - t0 - t_mutate
        metrics = compute(labels, truth, findings, corpus)
    finally:
        if tmp is not None:
            tmp.cleanup()
    metrics["run"] = {
        "inputs": ", ".join(p.name if p.is_absolute() else str(p) for p in map(Path, inputs)),
        "documents": int((truth["edit_mode"] == "original").sum()), "per_doc": per_doc, "seed": seed,
        "workers": workers, "untemplated": untemplated, "mutate_s": t_mutate, "screen_s": t_screen, "seconds": time.perf_counter() - t0,
        "cpu_s": cpu_seconds() - c0, "load_average": os.getloadavg()[0],
    }
    write_report(metrics, out)
    return metrics
