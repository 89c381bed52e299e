"""The one composition of a run: files -> frames -> checks -> findings -> reports.

``ingest`` walks the inputs (:mod:`toolkit.inputs`), hands each file to a worker through an
:class:`~toolkit.executor.Executor` (:func:`toolkit.worker.process_file`) and streams the frames
each worker ships back (Polars frames, pickled: measured 0.9 ms per seed document against 1.2 ms
for explicit Arrow IPC bytes and 8 ms for row dicts) into the run directory in input order
(:class:`toolkit.store.RunDir`), :data:`~toolkit.settings.BATCH_DOCS` documents at a time
(:mod:`toolkit.batching`), with a manifest listing every input file and what became of it.

``screen`` is ingest plus every check plus the reports: findings, coverage, report.html and
workpapers.xlsx. Document-scope checks (``Check.scope == "document"``) run per batch of documents
on the same workers once every file is read (:mod:`toolkit.checks.batches`: the driver only merges);
corpus-scope checks (peers, copies across bureaus or years) run once at the end in this process
over the written frames, read on demand. Both give the same findings as one pass over every frame
(:mod:`toolkit.checks.merge`). A loader problem is a ``parse_issues`` row and a finding of
category ``parse_issue`` naming the file and the reason.

Every run writes into a fresh folder and switches ``out_dir`` to it atomically
(:class:`toolkit.store.RunStore`): a run killed at any point leaves the previous outputs intact.
``screen`` is incremental when ``out_dir`` holds a previous run (:mod:`toolkit.job.cache`):
unchanged files are neither parsed nor re-checked; it marks every finding new / recurring /
changed / resolved against that run (:mod:`toolkit.job.diff`), writes ``ranking.*``,
``changes.*`` and ``run.json`` (:mod:`toolkit.job.outputs`) and records the run in the history
database (:mod:`toolkit.job.history`).

The CLI, the notebooks and the benchmark all call these functions; nothing here prints.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from toolkit import __version__, schemas, settings
from toolkit.batching import BatchCallback, Batcher, PhaseTimes
from toolkit.checks.batches import CheckSpool
from toolkit.checks.merge import CheckAccumulator, has_checks, merge_check_outputs
from toolkit.executor import Executor, LocalProcessExecutor
from toolkit.inputs import Unread, collect_files, size_or_zero, unread_row
from toolkit.job import diff, history, outputs
from toolkit.job.cache import ReusePlan, cache_key, drop_documents, plan_reuse
from toolkit.job.config import JobConfig, select_results
from toolkit.job.exitcodes import UserError, refuse_unreadable
from toolkit.job.fingerprint import fingerprints
from toolkit.model import Limits
from toolkit.report.masking import mask_findings, mask_manifest
from toolkit.store import LockedError, OutputError, RunDir, RunStore
from toolkit.worker import FileResult, FileTask, failed_result, file_budget, hard_budget, process_file

log = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int, str, str], None]  # (done, total, path, status)


@dataclass(slots=True)
class RunResult:
    """What ``ingest`` did: the run directory, the manifest, the wall time and its phases."""

    out_dir: Path
    manifest: pl.DataFrame
    seconds: float
    frames_dir: Path
    times: PhaseTimes = field(default_factory=PhaseTimes)
    reused: int = 0  # files whose previous results were reused (not parsed again)

    @property
    def run_dir(self) -> RunDir:
        return RunDir(self.out_dir)

    @property
    def n_files(self) -> int:
        return self.manifest.height

    def by_status(self) -> dict[str, int]:
        counts = self.manifest.group_by("status").len()
        return dict(zip(counts["status"].to_list(), counts["len"].to_list(), strict=True))


@dataclass(slots=True)
class ScreenResult:
    """What ``screen`` did: the ingest run, the findings and coverage, and the reports written."""

    run: RunResult
    findings: pl.DataFrame
    coverage: pl.DataFrame
    reports: dict[str, Path] = field(default_factory=dict)  # {"html": ..., "xlsx": ...} when written
    changes: pl.DataFrame | None = None  # toolkit.job.diff.CHANGE_SCHEMA: new/recurring/changed/resolved
    ranking: pl.DataFrame | None = None  # toolkit.job.outputs.RANKING_COLUMNS
    summary: dict = field(default_factory=dict)  # what run.json says

    @property
    def times(self) -> PhaseTimes:
        return self.run.times

    @property
    def run_dir(self) -> RunDir:
        return self.run.run_dir


def default_executor(workers: int = settings.WORKERS) -> LocalProcessExecutor:
    """A local process pool that kills a worker once its file's hard budget is spent."""
    return LocalProcessExecutor(workers, timeout_s=hard_budget)


def make_executor(name: str = "local", workers: int = settings.WORKERS, scheduler: str | None = None) -> Executor:
    """The executor a job names: ``local`` (a process pool), ``serial`` or ``dask`` (a cluster at
    ``scheduler``, or a LocalCluster of ``workers`` processes), see ``toolkit.executor.executor_for``."""
    from toolkit.executor import executor_for

    if name == "local" and not scheduler:
        return default_executor(workers)
    try:
        return executor_for(name, workers, timeout_s=hard_budget, scheduler=scheduler)
    except (ValueError, ImportError) as exc:
        raise UserError(f"executor {name!r}: {exc}") from exc


def new_run_id() -> str:
    return f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(3)}"


def _check_inputs(paths: Sequence[Path | str]) -> None:
    if not paths:
        raise UserError("no inputs given: name files or folders, or [inputs] in the job file")
    for p in paths:
        if not (Path(p).exists() or Path(p).is_symlink()):
            raise UserError(f"input {p}: no such file or folder")


def _ingest_into(
    run_dir: RunDir,
    tasks: list[FileTask],
    unread: list[Unread],
    executor: Executor,
    *,
    progress_callback: ProgressCallback | None,
    chunksize: int,
    batch_docs: int,
    on_batch: BatchCallback | None,
    reuse: ReusePlan | None = None,
    mask: bool = True,
) -> RunResult:
    """Read ``tasks`` into ``run_dir`` (frames and manifest), reusing what ``reuse`` names."""
    t0 = time.perf_counter()
    total = len(tasks)
    reused = reuse.reused if reuse is not None else {}
    log.info("ingesting %d files into %s (%d reused)", total, run_dir.root, len(reused))
    times = PhaseTimes()
    sink = run_dir.frame_sink()
    batcher = Batcher(sink, batch_docs, on_batch, times)
    manifest_rows: list[dict] = []
    first_path_of: dict[str, str] = {}  # document_id -> first path with that content
    pending: dict[int, FileResult] = {}  # completed out of order, waiting for earlier files
    next_index = 0
    done = 0

    def emit(result: FileResult) -> None:
        row = result.manifest
        doc_id = result.document_id
        if doc_id and row["sha256"] and doc_id in first_path_of:
            # Same bytes as an earlier file: one document, not two (peer and copy checks would double count).
            row["reason"] = f"duplicate: same content as {first_path_of[doc_id]}; frames not repeated"
        else:
            if doc_id:
                first_path_of[doc_id] = row["path"]
            batcher.add(result.frames)
        manifest_rows.append(row)

    def arrived(index: int, result: FileResult) -> None:
        nonlocal done, next_index
        done += 1
        if progress_callback is not None:
            progress_callback(done, total, tasks[index].display_path, result.manifest["status"])
        pending[index] = result
        while next_index in pending:  # write in input order: same inputs, same output files
            emit(pending.pop(next_index))
            next_index += 1
            emit_reused()

    def emit_reused() -> None:
        """Reused files come from the previous run, in their place in the input order."""
        nonlocal done, next_index
        while next_index in reused:
            doc_id = reused[next_index]
            row = reuse.manifest_row(tasks[next_index].display_path)
            emit(FileResult(row, reuse.frames(doc_id), doc_id))
            done += 1
            if progress_callback is not None:
                progress_callback(done, total, tasks[next_index].display_path, row["status"])
            next_index += 1

    to_run = [t for i, t in enumerate(tasks) if i not in reused]
    index_of = [i for i in range(total) if i not in reused]
    try:
        emit_reused()
        for task_result in executor.map(process_file, to_run, chunksize=chunksize):
            index = index_of[task_result.index]
            task = tasks[index]
            result = task_result.value if task_result.ok else failed_result(task, task_result)
            arrived(index, result)
        batcher.flush()
    finally:
        t_close = time.perf_counter()
        sink.close()
        times.write_s += time.perf_counter() - t_close
    t_manifest = time.perf_counter()
    manifest_rows.extend(unread_row(entry) for entry in unread)
    manifest = schemas.frame(manifest_rows, schemas.MANIFEST)
    run_dir.write_manifest(mask_manifest(manifest) if mask else manifest)
    times.write_s += time.perf_counter() - t_manifest
    seconds = time.perf_counter() - t0
    times.load_extract_s = max(0.0, seconds - times.checks_s - times.write_s)
    log.info("ingested %d files in %.1f s (%d batches, %d reused)", total, seconds, times.batches, len(reused))
    return RunResult(run_dir.root, manifest, seconds, run_dir.frames_dir, times, len(reused))


def _tasks(
    paths: Sequence[Path | str], limits: Limits, file_timeout_s: float | None, follow_links: bool = False
) -> tuple[list[FileTask], list[Unread]]:
    """Files to read, and the entries listed but not read (companions, hidden, links, FIFOs...)."""
    unread: list[Unread] = []
    tasks = [
        FileTask(str(p), shown, limits, file_budget(size_or_zero(p), limits, file_timeout_s))
        for p, shown in collect_files(paths, unread, follow_links=follow_links)
    ]
    return tasks, unread


def ingest(
    paths: Sequence[Path | str],
    out_dir: Path | str,
    *,
    executor: Executor | None = None,
    workers: int = settings.WORKERS,
    limits: Limits | None = None,
    progress_callback: ProgressCallback | None = None,
    file_timeout_s: float | None = None,
    chunksize: int = settings.CHUNKSIZE,
    batch_docs: int = settings.BATCH_DOCS,
    on_batch: BatchCallback | None = None,
    follow_links: bool = False,
    mask: bool = True,
) -> RunResult:
    """Load every file under ``paths`` into ``out_dir/frames/*.parquet`` and ``out_dir/manifest.csv``.

    Frames are written ``batch_docs`` documents at a time, in input order; ``on_batch`` (if given)
    sees each batch's frames first, so the parent process never holds more than one batch of frames
    plus results that arrived early. The run is written aside and ``out_dir`` switched to it at the
    end (:class:`toolkit.store.RunStore`). ``executor`` defaults to :func:`default_executor` with
    ``workers`` processes; ``file_timeout_s`` overrides the soft per-file CPU budget.
    Links out of the input folders are followed only with ``follow_links``; manifest.csv is masked
    unless ``mask=False``.
    """
    limits = limits or Limits()
    _check_inputs(paths)
    store = RunStore(out_dir)
    _prepare(store)
    tasks, unread = _tasks(paths, limits, file_timeout_s, follow_links)
    with _locked(store):
        store.clean()
        stage = store.stage(new_run_id())
        try:
            run = _ingest_into(
                stage, tasks, unread, executor or default_executor(workers),
                progress_callback=progress_callback, chunksize=chunksize, batch_docs=batch_docs, on_batch=on_batch,
                mask=mask,
            )
            stage.write_json(RunDir.RUN_JSON, {"status": "complete", "kind": "ingest", "files": run.by_status(),
                                              "seconds": round(run.seconds, 3)})
            store.commit(stage)
        except BaseException:
            store.abandon(stage)
            raise
    run.out_dir, run.frames_dir = store.out, RunDir(store.out).frames_dir
    return run


def report(out_dir: Path | str, *, mask: bool = True) -> dict[str, Path]:
    """Write report.html and workpapers.xlsx for a screened run directory; {"html": path, "xlsx": path}.

    Personal data (phone and ID numbers, names) is masked unless ``mask=False``.
    """
    from toolkit.report import write_reports

    return write_reports(out_dir, mask=mask)


def _prepare(store: RunStore) -> None:
    try:
        store.prepare()
    except OutputError as exc:
        raise UserError(str(exc)) from exc
    except OSError as exc:
        raise UserError(f"--out {store.out}: {exc.strerror or exc}") from exc


class _locked:
    """The store's run lock as a context manager whose failure is a user error (exit 2)."""

    def __init__(self, store: RunStore):
        self.cm = store.lock()

    def __enter__(self) -> None:
        try:
            self.cm.__enter__()
        except LockedError as exc:
            raise UserError(f"another run is writing {exc}; wait for it or choose another --out") from exc
        except OSError as exc:
            raise UserError(f"cannot write beside --out: {exc.strerror or exc}") from exc

    def __exit__(self, *exc: object) -> None:
        self.cm.__exit__(*exc)


def screen(
    paths: Sequence[Path | str],
    out_dir: Path | str,
    *,
    executor: Executor | None = None,
    workers: int = settings.WORKERS,
    limits: Limits | None = None,
    progress_callback: ProgressCallback | None = None,
    file_timeout_s: float | None = None,
    batch_docs: int = settings.BATCH_DOCS,
    write_report: bool = True,
    mask: bool = True,
    config: JobConfig | None = None,
    incremental: bool = True,
    regions: dict[str, list[str]] | None = None,
    follow_links: bool = False,
) -> ScreenResult:
    """Ingest, run every check, write findings, coverage, changes, ranking and run.json, then the reports.

    Document-scope checks run on the workers, one batch of ``batch_docs`` documents each (files
    unchanged since the previous run in ``out_dir`` reuse that run's results unless
    ``incremental=False``); corpus-scope checks run once at the end over the written frames.
    ``config`` carries the job's check selection and ranking weights (and is recorded); ``regions``
    names which input belongs to which region (recorded in run.json and the history).
    ``write_report=False`` leaves out report.html and workpapers.xlsx (``report()`` writes them later).
    Raises :class:`toolkit.job.exitcodes.UserError` for a missing input, no input file, nothing
    readable or an unusable ``out_dir``; the previous outputs stay as they were.
    """
    t0 = time.perf_counter()
    config = config or JobConfig()
    limits = limits or Limits()
    _check_inputs(paths)
    store = RunStore(out_dir)
    _prepare(store)
    tasks, unread = _tasks(paths, limits, file_timeout_s, follow_links)
    if not tasks:
        raise UserError(f"no input files under {', '.join(str(p) for p in paths)}")
    key = cache_key(limits, config.cache_settings())
    started = datetime.now(UTC).isoformat(timespec="seconds")
    run_id = new_run_id()
    inputs = regions or {"inputs": [str(p) for p in paths]}
    with _locked(store):
        store.clean()  # folders left by killed runs
        previous = store.current()
        t_plan = time.perf_counter()
        usable = previous if incremental and previous is not None and previous.read_run_json().get("cache_key") == key else None
        reuse = plan_reuse([(t.path, t.display_path) for t in tasks], usable, limits.max_file_bytes)
        plan_s = time.perf_counter() - t_plan
        history.start(store.history_path, run_id, started, out=str(store.out), config_hash=config.config_hash(),
                      code_version=__version__, cache_key=key, inputs=inputs)
        stage = store.stage(run_id)
        try:
            result = _screen_into(stage, store, tasks, unread, executor or default_executor(workers),
                                  progress_callback=progress_callback, batch_docs=batch_docs, reuse=reuse,
                                  previous=previous, config=config, mask=mask, write_report=write_report)
            summary = outputs.run_summary(result, run_id=run_id, started=started, key=key, config=config, inputs=inputs,
                               plan_s=plan_s, t0=t0, reuse=reuse, incremental=usable is not None,
                               task_paths={t.display_path: t.path for t in tasks}, mask=mask)
            decisions = result.summary["_decisions"]
            summary["reports"] = result.summary["_reports"]
            result.summary = summary
            refuse_unreadable(result.run.manifest)
            history.finish(store.history_path, run_id, summary["finished"], status="complete",
                           counts=summary["counts"], durations=summary["timings"], changes=result.changes,
                           decisions=decisions)
            stage.write_json(RunDir.RUN_JSON, summary)  # the last file: the folder is now a finished run
            store.commit(stage)
        except BaseException as exc:
            store.abandon(stage)
            status = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
            try:
                history.finish(store.history_path, run_id, datetime.now(UTC).isoformat(timespec="seconds"),
                               status=status, counts={"error": f"{type(exc).__name__}: {exc}"[:300]}, durations={})
            except Exception:  # noqa: BLE001 - the original error is what matters
                log.warning("could not record the %s run in the history", status, exc_info=True)
            raise
    result.run.out_dir, result.run.frames_dir = store.out, RunDir(store.out).frames_dir
    if result.reports:
        result.reports = {k: store.out / Path(v).name for k, v in result.reports.items()}
    return result


def _file_sha(path: Path) -> str | None:
    try:
        with path.open("rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None


def _same_reports(previous: RunDir, reviews_sha: str | None, mask: bool) -> bool:
    """Whether the previous run's reports show what this run's would (same findings, decisions, masking)."""
    stamp = previous.read_run_json().get("reports") or {}
    return (stamp.get("reviews_sha") == reviews_sha and stamp.get("mask") == mask
            and previous.report_path.exists() and previous.workpapers_path.exists())


def _link(source: Path, target: Path) -> Path:
    """``target`` as a hard link to ``source`` (a copy where links are not possible)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
    return target


def _reuse_whole_run(stage: RunDir, previous: RunDir, t0: float) -> tuple[RunResult, pl.DataFrame, pl.DataFrame]:
    """Nothing changed (same files, same order, same cache key): the previous frames, manifest,
    findings and coverage are this run's. The corpus-scope checks would see the same frames and
    give the same findings, so they are not run again."""
    times = PhaseTimes()
    stage.frames_dir.mkdir(parents=True, exist_ok=True)
    for source in sorted(previous.frames_dir.glob("*.parquet")):
        _link(source, stage.frame_path(source.stem))
    _link(previous.manifest_path, stage.manifest_path)
    manifest = stage.read_manifest()
    findings, coverage = previous.read_findings(), previous.read_coverage()
    times.load_extract_s = time.perf_counter() - t0
    reused = manifest.filter(pl.col("status") != "skipped").height
    run = RunResult(stage.root, manifest, time.perf_counter() - t0, stage.frames_dir, times, reused)
    log.info("nothing changed since the previous run: its %d files' results reused whole", reused)
    return run, findings, coverage


def _read_and_check(
    stage: RunDir, tasks: list[FileTask], unread: list[Unread], executor: Executor,
    reuse: ReusePlan, config: JobConfig, *, progress_callback: ProgressCallback | None, batch_docs: int,
    mask: bool = True,
) -> tuple[RunResult, pl.DataFrame, pl.DataFrame]:
    """Read the files (reusing the unchanged ones), run the document checks per batch on the workers
    once every file is read (not on reused documents: theirs are copied) and the corpus checks over
    everything in this process."""
    acc = CheckAccumulator()
    reused_ids = reuse.document_ids
    spool = CheckSpool(stage.root)
    try:
        run = _ingest_into(
            stage, tasks, unread, executor, progress_callback=progress_callback, chunksize=settings.CHUNKSIZE,
            batch_docs=batch_docs, reuse=reuse, mask=mask,
            on_batch=lambda frames: spool.add(drop_documents(frames, reused_ids)),
        )
        times = run.times
        t_checks, c_checks = time.perf_counter(), time.process_time()
        log.info("document checks: %d batches on the workers", len(spool.tasks))
        worker_cpu = spool.run(executor, acc)
    finally:
        spool.close()
    times.checks_cpu_s += worker_cpu
    prior_findings, prior_coverage = reuse.document_outputs()
    if prior_findings.height:
        acc.findings.append(schemas.conform(prior_findings, schemas.FINDINGS))
    if prior_coverage.height:
        acc.coverage.append(prior_coverage)
    t_corpus = time.perf_counter()
    if has_checks("corpus"):
        acc.run(stage.frames(), "corpus")
    times.checks_corpus_s = time.perf_counter() - t_corpus
    findings, coverage = merge_check_outputs(acc.findings, acc.coverage)
    findings, coverage = select_results(findings, coverage, config)
    times.checks_s += time.perf_counter() - t_checks
    times.checks_cpu_s += time.process_time() - c_checks
    return run, findings, coverage


def _screen_into(
    stage: RunDir,
    store: RunStore,
    tasks: list[FileTask],
    unread: list[Unread],
    executor: Executor,
    *,
    progress_callback: ProgressCallback | None,
    batch_docs: int,
    reuse: ReusePlan,
    previous: RunDir | None,
    config: JobConfig,
    mask: bool,
    write_report: bool,
) -> ScreenResult:
    from toolkit.report.review import resolve_decisions

    t0 = time.perf_counter()
    unchanged = previous is not None and reuse.previous is not None and reuse.covers(tasks, unread)
    if unchanged:
        run, findings, coverage = _reuse_whole_run(stage, reuse.previous, t0)
        times = run.times
    else:
        run, findings, coverage = _read_and_check(stage, tasks, unread, executor, reuse, config,
                                                  progress_callback=progress_callback, batch_docs=batch_docs, mask=mask)
        times = run.times
    frames = stage.frames()
    t_write = time.perf_counter()
    documents, tables = frames["documents"], frames["tables"]
    current = diff.describe(findings, fingerprints(findings, documents, tables))
    changes = diff.compare(current, diff.previous_findings(previous))
    stage.write_findings(mask_findings(findings) if mask else findings, masked=mask)
    stage.write_coverage(coverage)
    changes.write_parquet(stage.changes_path)
    changes.write_csv(stage.root / RunDir.CHANGES_CSV, include_bom=True)
    decisions, orphans = resolve_decisions(stage.read_reviews(), changes)
    excluded = set(decisions.filter(pl.col("status") == "排除")["finding_id"].drop_nulls().to_list())
    ranked = outputs.ranking(findings, documents, changes, exclude_ids=excluded, weights=config.weights)
    if mask:
        from toolkit.report.masking import mask_text

        ranked = ranked.with_columns(
            documents=pl.Series([[mask_text(d) for d in ds or []] for ds in ranked["documents"].to_list()],
                                dtype=pl.List(pl.String))
        )
    outputs.write_ranking(stage, ranked)
    times.write_s += time.perf_counter() - t_write
    run.seconds = time.perf_counter() - t0  # the screening time; report writing is times.report_s
    reports: dict[str, Path] = {}
    if write_report:
        t_report = time.perf_counter()
        reviews_sha = _file_sha(stage.reviews_path)
        if unchanged and _same_reports(reuse.previous, reviews_sha, mask):
            reports = {kind: _link(reuse.previous.root / path.name, path)
                       for kind, path in (("html", stage.report_path), ("xlsx", stage.workpapers_path))}
        else:
            reports = report(stage.root, mask=mask)
        times.report_s = time.perf_counter() - t_report
        stamp = {"reviews_sha": reviews_sha, "mask": mask}  # what the reports show (run.json "reports")
    else:
        stamp = {}
    result = ScreenResult(run, findings, coverage, reports, changes, ranked)
    result.summary = {"_decisions": decisions, "_orphans": orphans, "_reports": stamp}
    return result


def load_frames(out_dir: Path | str) -> dict[str, pl.DataFrame]:
    """Read a run's frames back; a missing frame comes back empty with its schema."""
    return RunDir(out_dir).load_frames()
