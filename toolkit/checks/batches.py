"""Document-scope checks run in the worker processes, one batch of documents per task.

Ingest hands each batch of documents to :class:`CheckSpool`, which writes its frames as Arrow IPC
files in the run's staging directory. Once every file is read, the executor that read them runs the
document checks of each batch (one worker per batch, all workers at once) and the driver only
merges findings, coverage and the corpus checks' digests (``Check.summarise``) in batch order, so
the result is the one a single pass gives (``toolkit.checks.merge``) and the driver's own work does
not grow with the corpus.

A batch whose task fails (a crashed or killed worker, a memory limit), or a worker that does not
know every check the driver has registered (a check registered at run time, as tests do), is
checked in the driver instead: no document goes unchecked and none is checked twice.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from toolkit import schemas
from toolkit.checks import Summaries, run_checks
from toolkit.checks.merge import CheckAccumulator
from toolkit.checks.registry import all_checks
from toolkit.executor import Executor

log = logging.getLogger(__name__)

SPOOL_DIR = ".document-checks"


def document_check_codes() -> tuple[str, ...]:
    return tuple(cls.code for cls in all_checks() if getattr(cls, "scope", "document") == "document")


@dataclass(slots=True, frozen=True)
class CheckBatchTask:
    directory: str  # one batch's frames, <frame>.arrow each (an absent file is an empty frame)
    codes: tuple[str, ...]  # the document checks the driver has registered
    hard_s: float | None = None  # no wall-clock budget: a batch is bounded by its size


@dataclass(slots=True)
class CheckBatchResult:
    findings: pl.DataFrame
    coverage: pl.DataFrame
    summaries: Summaries = field(default_factory=dict)
    cpu_s: float = 0.0
    missing: tuple[str, ...] = ()  # checks the driver has and this process has not: nothing was run


def read_batch(directory: Path | str) -> dict[str, pl.DataFrame]:
    root = Path(directory)
    frames = {}
    for name, schema in schemas.FRAME_SCHEMAS.items():
        path = root / f"{name}.arrow"
        frames[name] = pl.read_ipc(path) if path.exists() else schemas.empty(schema)
    return frames


def check_batch(task: CheckBatchTask) -> CheckBatchResult:
    """The document checks of one spooled batch (runs in a worker process)."""
    c0 = time.process_time()
    missing = tuple(sorted(set(task.codes) - set(document_check_codes())))
    if missing:
        return CheckBatchResult(schemas.empty(schemas.FINDINGS), pl.DataFrame(), missing=missing)
    summaries: Summaries = {}
    findings, coverage = run_checks(read_batch(task.directory), scope="document", summaries=summaries)
    return CheckBatchResult(findings, coverage, summaries, time.process_time() - c0)


class CheckSpool:
    """Batches of frames waiting for their document checks, under ``<run>/.document-checks``."""

    def __init__(self, run_root: Path):
        self.root = Path(run_root) / SPOOL_DIR
        self.tasks: list[CheckBatchTask] = []
        self.codes = document_check_codes()

    def add(self, frames: Mapping[str, pl.DataFrame]) -> None:
        documents = frames.get("documents")
        if documents is None or not documents.height:
            return  # every document of the batch was reused: its checks are copied
        directory = self.root / f"{len(self.tasks):05d}"
        directory.mkdir(parents=True, exist_ok=True)
        for name, df in frames.items():
            if df.height:
                df.write_ipc(directory / f"{name}.arrow", compression="lz4")
        self.tasks.append(CheckBatchTask(str(directory), self.codes))

    def run(self, executor: Executor, acc: CheckAccumulator) -> float:
        """Check every batch on ``executor`` and merge into ``acc`` in batch order; returns the CPU
        seconds the workers spent in the checks."""
        if not self.tasks:
            return 0.0
        results: dict[int, CheckBatchResult] = {}
        for task_result in executor.map(check_batch, self.tasks):
            value = task_result.value
            if task_result.ok and value is not None and not value.missing:
                results[task_result.index] = value
            elif task_result.ok and value is not None:
                log.info("document checks of batch %d in the driver: the workers lack %s",
                         task_result.index, ", ".join(value.missing))
            else:
                log.warning("document checks of batch %d failed in a worker (%s); checking it here",
                            task_result.index, task_result.error)
        cpu = 0.0
        for index, task in enumerate(self.tasks):
            result = results.get(index)
            if result is None:
                acc.run(read_batch(task.directory), "document")
                continue
            cpu += result.cpu_s
            if result.findings.height:
                acc.findings.append(schemas.conform(result.findings, schemas.FINDINGS))
            if result.coverage.height:
                acc.coverage.append(result.coverage)
            for code, digests in result.summaries.items():
                acc.summaries.setdefault(code, []).extend(digests)
        return cpu

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
