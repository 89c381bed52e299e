"""The one orchestrator: files -> frames -> checks -> findings. Owns I/O and parallelism.

``ingest`` walks the inputs (directories recursively, sorted, so runs are
deterministic), hands each file to a worker through an :class:`~toolkit.executor.Executor`
(``load_path`` + ``extract_document``), and streams the frames each worker ships back
(Polars frames, pickled: measured 0.9 ms per seed document against 1.2 ms for explicit
Arrow IPC bytes and 8 ms for row dicts) into ``out/frames/<name>.parquet`` in input order, with
``out/manifest.csv`` listing every input file and what became of it. Frames are gathered
:data:`BATCH_DOCS` documents at a time and appended to each file as one Parquet row group, so
the parent's memory is one batch, not the corpus (about 90 KB of frames per document: 8,000
documents would be ~0.7 GB before any check ran).

``screen`` is ingest plus every check: ``findings.parquet``, ``findings.csv`` and
``coverage.csv``. Document-scope checks (``Check.scope == "document"``) run on each batch
before it is written; corpus-scope checks (peers, copies across bureaus or years) run once at
the end over :class:`ParquetFrames`, which reads a frame only when a check asks for it. Both
give the same findings as one pass over every frame (findings and coverage are totally ordered).
A loader problem is a ``parse_issues`` row and, in screen, a finding of category
``parse_issue`` naming the file and the reason. :class:`PhaseTimes` splits the wall time into
load+extract, checks and writing.

Per-file budget: a soft CPU-time alarm in the worker turns a slow file into a
``timeout`` issue (the worker survives); if the file is stuck in C code and ignores
the alarm, the executor kills the worker once the wall-clock :func:`hard_budget` is spent.

The ``*_command`` functions at the bottom are what ``toolkit.cli`` calls; they are the
only place that prints (rich tables, progress bar).
"""

from __future__ import annotations

import hashlib
import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from toolkit import schemas
from toolkit.executor import Executor, LocalProcessExecutor, TaskResult
from toolkit.model import Limits, LoadIssue, RawDocument

log = logging.getLogger(__name__)

FRAMES_DIR = "frames"
MANIFEST_FILE = "manifest.csv"
BATCH_DOCS = 200  # documents per written batch (and per document-scope check pass): bounds parent memory
FILE_TIMEOUT_S = 120.0  # base per-file CPU budget when Limits has no ``file_timeout_s``
TIMEOUT_S_PER_MB = 10.0  # big files (500-page PDFs) get more
HARD_TIMEOUT_GRACE_S = 10.0  # wall-clock slack past twice the soft budget before the worker is killed
SKIPPED_PREFIXES = (".", "~$")  # hidden files, Office lock files (only when walking directories)
# Files that sit beside documents (notes, data, code) but are never a bureau's publication. When a
# directory is walked they are listed in the manifest as ``skipped`` instead of being read, so a
# README or labels.parquet does not turn into findings; naming one explicitly still reads it.
COMPANION_SUFFIXES = frozenset(
    {".md", ".markdown", ".rst", ".parquet", ".json", ".jsonl", ".py", ".ipynb", ".yml", ".yaml", ".toml",
     ".log", ".sha256", ".md5", ".lock"}
)
SEVERITY_RANK = {"info": 0, "low": 1, "medium": 2, "high": 3}
STATUS_RANK = {"ok": 0, "partial": 1, "failed": 2}

ProgressCallback = Callable[[int, int, str, str], None]  # (done, total, path, status)


# --------------------------------------------------------------------------- inputs


@dataclass(slots=True, frozen=True)
class FileTask:
    path: str  # where to read it
    display_path: str  # as given on the command line (joined with the walk's relative path)
    limits: Limits
    timeout_s: float | None = None


def collect_files(
    inputs: Sequence[Path | str], companions: list[tuple[Path, str]] | None = None
) -> list[tuple[Path, str]]:
    """Every file under ``inputs`` as (path, display path): directories walked recursively, sorted.

    Files named explicitly are always kept (even missing ones: they fail in the manifest);
    hidden files and Office lock files (``~$x.docx``) found while walking are skipped. Companion
    files (:data:`COMPANION_SUFFIXES`) found while walking go to ``companions`` when it is given.
    """
    found: list[tuple[Path, str]] = []
    seen: set[str] = set()

    def add(path: Path, shown: str) -> None:
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            found.append((path, shown))

    for given in inputs:
        root = Path(given)
        if not root.is_dir():
            add(root, str(given))
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith(SKIPPED_PREFIXES):
                    log.debug("skipping %s/%s", dirpath, name)
                    continue
                path = Path(dirpath) / name
                if not path.is_file():
                    continue
                if path.suffix.lower() in COMPANION_SUFFIXES:
                    if companions is not None:
                        companions.append((path, str(path)))
                    continue
                add(path, str(path))
    return found


def _companion_row(path: Path, shown: str) -> dict:
    return {
        "path": shown, "sha256": None, "format": path.suffix.lower().lstrip("."), "size_bytes": _size_or_zero(path),
        "status": "skipped", "reason": "companion file (not a bureau document format); name it explicitly to read it",
        "seconds": 0.0,
    }


# --------------------------------------------------------------------------- one file (runs in a worker)


@dataclass(slots=True)
class FileResult:
    manifest: dict  # one row of schemas.MANIFEST
    frames: dict[str, pl.DataFrame] = field(
        default_factory=dict
    )  # conformed to FRAME_SCHEMAS; non-empty only
    document_id: str | None = None


@contextmanager
def soft_deadline(cpu_seconds: float | None) -> Iterator[None]:
    """Raise TimeoutError in this process after ``cpu_seconds`` of CPU time (POSIX main thread; else no-op).

    CPU time (ITIMER_VIRTUAL / SIGVTALRM), not wall-clock: parsing in-memory bytes never
    blocks, so a stuck parser burns CPU; and the PDF loader's own per-page wall-clock
    alarm (ITIMER_REAL / SIGALRM) runs undisturbed inside this one.
    """
    usable = (
        cpu_seconds is not None
        and cpu_seconds > 0
        and hasattr(signal, "setitimer")
        and hasattr(signal, "SIGVTALRM")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def on_alarm(signum: int, frame: object) -> None:
        raise TimeoutError(f"processing used more than its {cpu_seconds:g} s CPU budget for this file")

    previous = signal.signal(signal.SIGVTALRM, on_alarm)
    signal.setitimer(signal.ITIMER_VIRTUAL, cpu_seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)


def document_id_for(sha256: str | None, path: str, size: int | None) -> str:
    """First 16 hex of the content hash; a file we refused to read gets one from its path and size."""
    if sha256:
        return sha256[:16]
    return hashlib.sha256(f"unread:{path}:{size}".encode()).hexdigest()[:16]


def _status_of(raw: RawDocument) -> str:
    if raw.failed:
        return "failed"
    if any(SEVERITY_RANK.get(i.severity, 2) >= 2 for i in raw.issues):
        return "partial"
    return "ok"


def _reason_of(issues: list[LoadIssue]) -> str | None:
    """Fatal issues first, then the rest by severity; info notes only when nothing else is wrong."""
    ranked = sorted(issues, key=lambda i: (not i.fatal, -SEVERITY_RANK.get(i.severity, 2)))
    serious = [i for i in ranked if i.severity != "info" or i.fatal]
    chosen = serious or ranked
    return "; ".join(f"{i.code}: {i.reason}" for i in chosen)[:1000] or None


def failure_frames(
    raw: RawDocument, document_id: str, sha256: str | None, size: int | None
) -> dict[str, pl.DataFrame]:
    """The frames of a document we could not (or chose not to) extract: its documents row and issues."""
    doc_row = {
        "document_id": document_id,
        "path": raw.path,
        "sha256": sha256,
        "format": raw.format,
        "size_bytes": size,
        "pages": raw.pages,
        "n_tables": 0,
        "status": _status_of(raw),
        "reason": _reason_of(raw.issues),
    }
    issues = [
        {
            "document_id": document_id,
            "path": raw.path,
            "severity": i.severity,
            "code": i.code,
            "page": i.page,
            "reason": i.reason,
        }
        for i in raw.issues
    ]
    return {
        "documents": schemas.frame([doc_row], schemas.DOCUMENTS),
        "parse_issues": schemas.frame(issues, schemas.PARSE_ISSUES),
    }


def _extract(
    raw: RawDocument, document_id: str, sha256: str | None, size: int | None
) -> dict[str, pl.DataFrame]:
    if raw.failed:
        return failure_frames(raw, document_id, sha256, size)
    from toolkit.extract.document import extract_document

    return extract_document(
        raw, document_id=document_id, path=raw.path, sha256=sha256 or "", size_bytes=size or 0
    )


def process_file(task: FileTask) -> FileResult:
    """Load and extract one file. Never raises for a bad file; runs in a worker process."""
    from toolkit.loaders import load_path

    t0 = time.perf_counter()
    with soft_deadline(task.timeout_s):
        try:
            raw = load_path(Path(task.path), task.limits, display_path=task.display_path)
        except TimeoutError as exc:  # the alarm fired outside the loader's own try (sniff, safety)
            raw = RawDocument(
                task.display_path, "unknown", issues=[LoadIssue("timeout", str(exc), "high", fatal=True)]
            )
        sha256 = raw.meta.get("sha256")
        size = int(raw.meta["size_bytes"]) if raw.meta.get("size_bytes") else None
        document_id = document_id_for(sha256, task.display_path, size)
        try:
            frames = _extract(raw, document_id, sha256, size)
        except Exception as exc:  # noqa: BLE001 - extraction bugs fail this file only
            log.warning("extraction failed on %s", task.display_path, exc_info=True)
            code = "timeout" if isinstance(exc, TimeoutError) else "extract_error"
            raw.issues.append(
                LoadIssue(code, f"extraction failed: {type(exc).__name__}: {exc}"[:500], "high", fatal=True)
            )
            frames = failure_frames(raw, document_id, sha256, size)
    documents = frames["documents"]
    status = documents["status"][0] if documents.height and documents["status"][0] else _status_of(raw)
    reason = (documents["reason"][0] if documents.height else None) or _reason_of(raw.issues)
    manifest = {
        "path": task.display_path,
        "sha256": sha256,
        "format": raw.format,
        "size_bytes": size,
        "status": status,
        "reason": reason,
        "seconds": round(time.perf_counter() - t0, 4),
    }
    shipped = {
        name: schemas.conform(df, schemas.FRAME_SCHEMAS[name])
        for name, df in frames.items()
        if name in schemas.FRAME_SCHEMAS and df.height
    }
    return FileResult(manifest, shipped, document_id)


def _failed_result(task: FileTask, result: TaskResult) -> FileResult:
    """A file whose worker raised, hung past the hard budget or died: describe it from the parent."""
    path = Path(task.path)
    try:
        size = path.stat().st_size
    except OSError:
        size = None
    sha256 = None
    if size is not None and size <= task.limits.max_file_bytes:
        try:
            with path.open("rb") as fh:
                sha256 = hashlib.file_digest(fh, "sha256").hexdigest()
        except OSError:
            pass
    code = {"timeout": "timeout", "crash": "worker_crash"}.get(result.kind, "unreadable")
    raw = RawDocument(
        task.display_path, "unknown", issues=[LoadIssue(code, result.error or "failed", "high", fatal=True)]
    )
    document_id = document_id_for(sha256, task.display_path, size)
    frames = failure_frames(raw, document_id, sha256, size)
    manifest = {
        "path": task.display_path,
        "sha256": sha256,
        "format": "unknown",
        "size_bytes": size,
        "status": "failed",
        "reason": f"{code}: {result.error}",
        "seconds": round(result.seconds, 4),
    }
    return FileResult(manifest, frames, document_id)


# --------------------------------------------------------------------------- writing frames


class FrameSink:
    """Streams frames to ``frames/<name>.parquet``: one Parquet row group per batch, never the whole corpus."""

    def __init__(self, frames_dir: Path):
        frames_dir.mkdir(parents=True, exist_ok=True)
        self.writers: dict[str, pq.ParquetWriter] = {}
        for name, schema in schemas.FRAME_SCHEMAS.items():
            arrow_schema = schemas.empty(schema).to_arrow().schema
            self.writers[name] = pq.ParquetWriter(frames_dir / f"{name}.parquet", arrow_schema)

    def write(self, frames: dict[str, pl.DataFrame]) -> None:
        for name, df in frames.items():
            if not df.height:
                continue
            writer = self.writers[name]
            table: pa.Table = df.to_arrow()
            if table.schema != writer.schema:
                table = table.cast(writer.schema)
            writer.write_table(table)

    def close(self) -> None:
        for writer in self.writers.values():
            writer.close()


class ParquetFrames(Mapping[str, pl.DataFrame]):
    """A run's frames read on demand: ``frames[name]`` loads one file (once); :meth:`scan` reads lazily.

    What corpus-scope checks receive: a check that needs only ``documents`` and ``line_items``
    never loads ``cells``; one that needs a few columns uses ``toolkit.checks.framework.scan``.
    """

    def __init__(self, frames_dir: Path | str):
        self.frames_dir = Path(frames_dir)
        self._loaded: dict[str, pl.DataFrame] = {}

    def _path(self, name: str) -> Path:
        return self.frames_dir / f"{name}.parquet"

    def __getitem__(self, name: str) -> pl.DataFrame:
        if name not in schemas.FRAME_SCHEMAS:
            raise KeyError(name)
        if name not in self._loaded:
            path = self._path(name)
            schema = schemas.FRAME_SCHEMAS[name]
            self._loaded[name] = (
                schemas.conform(pl.read_parquet(path), schema) if path.exists() else schemas.empty(schema)
            )
        return self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(schemas.FRAME_SCHEMAS)

    def __len__(self) -> int:
        return len(schemas.FRAME_SCHEMAS)

    def scan(self, name: str) -> pl.LazyFrame:
        path = self._path(name)
        if name in self._loaded or not path.exists():
            return self[name].lazy()
        return pl.scan_parquet(path)


def load_frames(out_dir: Path | str) -> dict[str, pl.DataFrame]:
    """Read a run's frames back; a missing frame comes back empty with its schema."""
    lazy = ParquetFrames(Path(out_dir) / FRAMES_DIR)
    return {name: lazy[name] for name in schemas.FRAME_SCHEMAS}


# --------------------------------------------------------------------------- ingest


@dataclass(slots=True)
class PhaseTimes:
    """Wall-clock seconds by phase in the orchestrating process (they add up to the run's wall time).

    ``load_extract_s`` is time spent waiting for and receiving worker results (the workers load and
    extract in parallel meanwhile); ``checks_s`` is time inside the checks (document batches plus the
    corpus-scope pass); ``write_s`` is writing frames, manifest, findings and coverage.
    """

    load_extract_s: float = 0.0
    checks_s: float = 0.0
    write_s: float = 0.0
    batches: int = 0
    checks_cpu_s: float = 0.0  # CPU seconds of this process inside the checks (robust to a busy machine)
    checks_corpus_s: float = 0.0  # the part of checks_s spent in the corpus-scope pass at the end

    @property
    def ingest_s(self) -> float:
        """What ``ingest`` alone costs: loading, extracting and writing."""
        return self.load_extract_s + self.write_s

    def as_dict(self) -> dict[str, float]:
        return {
            "load_extract_s": round(self.load_extract_s, 3),
            "checks_s": round(self.checks_s, 3),
            "write_s": round(self.write_s, 3),
            "ingest_s": round(self.ingest_s, 3),
            "checks_cpu_s": round(self.checks_cpu_s, 3),
            "checks_corpus_s": round(self.checks_corpus_s, 3),
            "batches": self.batches,
        }


@dataclass(slots=True)
class RunResult:
    out_dir: Path
    manifest: pl.DataFrame
    seconds: float
    frames_dir: Path
    times: PhaseTimes = field(default_factory=PhaseTimes)

    @property
    def n_files(self) -> int:
        return self.manifest.height

    def by_status(self) -> dict[str, int]:
        counts = self.manifest.group_by("status").len()
        return dict(zip(counts["status"].to_list(), counts["len"].to_list(), strict=True))


def file_budget(size_bytes: int, limits: Limits) -> float:
    """Soft per-file CPU budget: a base (``limits.file_timeout_s`` if set) plus time per MB."""
    base = float(getattr(limits, "file_timeout_s", FILE_TIMEOUT_S))
    return base + TIMEOUT_S_PER_MB * size_bytes / 1024 / 1024


def hard_budget(task: FileTask) -> float | None:
    """Wall-clock seconds after which the executor kills the worker on ``task``.

    Twice the CPU budget (a worker may share its core) plus grace: reached only when
    the soft alarm could not fire (stuck in C code, or the alarm was swallowed).
    """
    if task.timeout_s is None:
        return None
    return 2 * task.timeout_s + HARD_TIMEOUT_GRACE_S


def _size_or_zero(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


BatchCallback = Callable[[dict[str, pl.DataFrame]], None]


class _Batcher:
    """Collects documents' frames in input order; hands each full batch to a callback, then to the sink."""

    def __init__(self, sink: FrameSink, batch_docs: int, on_batch: BatchCallback | None, times: PhaseTimes):
        self.sink = sink
        self.batch_docs = max(1, batch_docs)
        self.on_batch = on_batch
        self.times = times
        self.parts: dict[str, list[pl.DataFrame]] = {name: [] for name in schemas.FRAME_SCHEMAS}
        self.n_docs = 0

    def add(self, frames: dict[str, pl.DataFrame]) -> None:
        for name, df in frames.items():
            self.parts[name].append(df)
        self.n_docs += 1
        if self.n_docs >= self.batch_docs:
            self.flush()

    def flush(self) -> None:
        if not self.n_docs:
            return
        batch = {
            name: pl.concat(dfs, how="vertical") if dfs else schemas.empty(schemas.FRAME_SCHEMAS[name])
            for name, dfs in self.parts.items()
        }
        self.parts = {name: [] for name in schemas.FRAME_SCHEMAS}
        self.n_docs = 0
        self.times.batches += 1
        if self.on_batch is not None:
            t0, c0 = time.perf_counter(), time.process_time()
            self.on_batch(batch)
            self.times.checks_s += time.perf_counter() - t0
            self.times.checks_cpu_s += time.process_time() - c0
        t0 = time.perf_counter()
        self.sink.write(batch)
        self.times.write_s += time.perf_counter() - t0


def ingest(
    paths: Sequence[Path | str],
    out_dir: Path | str,
    *,
    executor: Executor | None = None,
    limits: Limits | None = None,
    progress_callback: ProgressCallback | None = None,
    file_timeout_s: float | None = None,
    chunksize: int = 1,
    batch_docs: int = BATCH_DOCS,
    on_batch: BatchCallback | None = None,
) -> RunResult:
    """Load every file under ``paths`` into ``out_dir/frames/*.parquet`` and ``out_dir/manifest.csv``.

    Frames are written ``batch_docs`` documents at a time, in input order; ``on_batch`` (if given)
    sees each batch's frames first (``screen`` runs the document-scope checks there), so the parent
    process never holds more than one batch of frames plus results that arrived early.
    ``file_timeout_s`` overrides the soft per-file CPU budget (default :func:`file_budget`);
    a process executor should kill a worker after :func:`hard_budget` of its task.
    """
    t0 = time.perf_counter()
    limits = limits or Limits()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if executor is None:
        executor = LocalProcessExecutor(0, timeout_s=hard_budget)
    companions: list[tuple[Path, str]] = []
    files = collect_files(paths, companions)
    tasks = [
        FileTask(
            str(p),
            shown,
            limits,
            file_timeout_s if file_timeout_s is not None else file_budget(_size_or_zero(p), limits),
        )
        for p, shown in files
    ]
    total = len(tasks)
    log.info("ingesting %d files into %s", total, out)

    times = PhaseTimes()
    sink = FrameSink(out / FRAMES_DIR)
    batcher = _Batcher(sink, batch_docs, on_batch, times)
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

    try:
        for task_result in executor.map(process_file, tasks, chunksize=chunksize):
            task = tasks[task_result.index]
            result = task_result.value if task_result.ok else _failed_result(task, task_result)
            done += 1
            if progress_callback is not None:
                progress_callback(done, total, task.display_path, result.manifest["status"])
            pending[task_result.index] = result
            while next_index in pending:  # write in input order: same inputs, same output files
                emit(pending.pop(next_index))
                next_index += 1
        batcher.flush()
    finally:
        t_close = time.perf_counter()
        sink.close()
        times.write_s += time.perf_counter() - t_close
    t_manifest = time.perf_counter()
    manifest_rows.extend(_companion_row(p, shown) for p, shown in companions)
    manifest = schemas.frame(manifest_rows, schemas.MANIFEST)
    manifest.write_csv(out / MANIFEST_FILE, include_bom=True)
    times.write_s += time.perf_counter() - t_manifest
    seconds = time.perf_counter() - t0
    times.load_extract_s = max(0.0, seconds - times.checks_s - times.write_s)
    log.info("ingested %d files in %.1f s (%d batches)", total, seconds, times.batches)
    return RunResult(out, manifest, seconds, out / FRAMES_DIR, times)


# --------------------------------------------------------------------------- screen


class CheckAccumulator:
    """Findings and coverage of document-scope checks, gathered batch by batch (both are small)."""

    def __init__(self) -> None:
        self.findings: list[pl.DataFrame] = []
        self.coverage: list[pl.DataFrame] = []

    def run(self, frames: Mapping[str, pl.DataFrame], scope: str) -> None:
        from toolkit.checks import run_checks

        findings, coverage = run_checks(frames, scope=scope)
        if findings.height:
            self.findings.append(schemas.conform(findings, schemas.FINDINGS))
        if coverage.height:
            self.coverage.append(coverage)

    def result(self) -> tuple[pl.DataFrame, pl.DataFrame]:
        return merge_check_outputs(self.findings, self.coverage)


def merge_check_outputs(
    findings: list[pl.DataFrame], coverage: list[pl.DataFrame]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Concatenate per-batch outputs into what one run over the whole corpus gives.

    A check that raised reports one ``error`` coverage row per batch; only its first is kept.
    """
    from toolkit.checks import sort_coverage, sort_findings
    from toolkit.checks.framework import COVERAGE

    out_f = pl.concat(findings, how="vertical") if findings else schemas.empty(schemas.FINDINGS)
    out_c = pl.concat(coverage, how="vertical") if coverage else schemas.empty(COVERAGE)
    is_error = (pl.col("status") == "error") & pl.col("document_id").is_null()
    if out_c.filter(is_error).height > 1:
        errors = out_c.filter(is_error).unique("check_code", keep="first", maintain_order=True)
        out_c = pl.concat([out_c.filter(~is_error), errors], how="vertical")
    return sort_findings(schemas.conform(out_f, schemas.FINDINGS)), sort_coverage(out_c)


def _has_checks(scope: str) -> bool:
    from toolkit.checks.registry import all_checks

    return any(getattr(cls, "scope", "document") == scope for cls in all_checks())


@dataclass(slots=True)
class ScreenResult:
    run: RunResult
    findings: pl.DataFrame
    coverage: pl.DataFrame

    @property
    def times(self) -> PhaseTimes:
        return self.run.times


def screen(
    paths: Sequence[Path | str],
    out_dir: Path | str,
    *,
    executor: Executor | None = None,
    limits: Limits | None = None,
    progress_callback: ProgressCallback | None = None,
    file_timeout_s: float | None = None,
    batch_docs: int = BATCH_DOCS,
) -> ScreenResult:
    """Ingest, run every check, write findings.parquet, findings.csv (UTF-8 BOM) and coverage.csv.

    Document-scope checks run on each batch of ``batch_docs`` documents as it is written;
    corpus-scope checks run once at the end over the written frames, read on demand.
    """
    t0 = time.perf_counter()
    acc = CheckAccumulator()
    run = ingest(
        paths,
        out_dir,
        executor=executor,
        limits=limits,
        progress_callback=progress_callback,
        file_timeout_s=file_timeout_s,
        batch_docs=batch_docs,
        on_batch=lambda frames: acc.run(frames, "document"),
    )
    times = run.times
    t_checks, c_checks = time.perf_counter(), time.process_time()
    if _has_checks("corpus"):
        acc.run(ParquetFrames(run.frames_dir), "corpus")
    times.checks_corpus_s = time.perf_counter() - t_checks
    findings, coverage = acc.result()
    times.checks_s += time.perf_counter() - t_checks
    times.checks_cpu_s += time.process_time() - c_checks
    t_write = time.perf_counter()
    out = run.out_dir
    findings.write_parquet(out / "findings.parquet")
    findings.write_csv(out / "findings.csv", include_bom=True)
    coverage.write_csv(out / "coverage.csv", include_bom=True)
    times.write_s += time.perf_counter() - t_write
    run.seconds = time.perf_counter() - t0
    return ScreenResult(run, findings, coverage)


# --------------------------------------------------------------------------- CLI-facing (prints)


def _limits_for(max_file_mb: float = 100.0, max_pages: int = 500) -> Limits:
    return Limits(max_file_bytes=int(max_file_mb * 1024 * 1024), max_pages=max_pages)


def _with_progress(progress: bool, fn: Callable[[ProgressCallback | None], object]) -> object:
    if not progress:
        return fn(None)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[last]}", style="dim"),
        transient=True,
    ) as bar:
        task_id = bar.add_task("reading", total=None, last="")

        def callback(done: int, total: int, path: str, status: str) -> None:
            bar.update(task_id, completed=done, total=total, last=f"{status:<7} {Path(path).name[:40]}")

        return fn(callback)


def _print_files_table(console: object, run: RunResult) -> None:
    from rich.table import Table

    table = Table(title=f"{run.n_files} files in {run.seconds:.1f} s", show_lines=False)
    table.add_column("status")
    table.add_column("files", justify="right")
    table.add_column("first reasons", overflow="fold")
    for status in ("ok", "not_a_disclosure", "partial", "failed", "skipped"):
        rows = run.manifest.filter(pl.col("status") == status)
        if status == "skipped" and rows.height == 0:
            continue
        reasons = rows.drop_nulls("reason")["reason"].head(3).to_list() if status != "ok" else []
        table.add_row(status, str(rows.height), "\n".join(r[:120] for r in reasons))
    console.print(table)  # type: ignore[attr-defined]


def ingest_command(
    inputs: list[Path],
    out: Path,
    *,
    workers: int = 0,
    max_file_mb: float = 100.0,
    max_pages: int = 500,
    progress: bool = True,
) -> RunResult:
    from rich.console import Console

    limits = _limits_for(max_file_mb, max_pages)
    executor = LocalProcessExecutor(workers, timeout_s=hard_budget)
    run = _with_progress(
        progress, lambda cb: ingest(inputs, out, executor=executor, limits=limits, progress_callback=cb)
    )
    console = Console()
    _print_files_table(console, run)  # type: ignore[arg-type]
    console.print(f"frames: {Path(out) / FRAMES_DIR}   manifest: {Path(out) / MANIFEST_FILE}")
    return run  # type: ignore[return-value]


def screen_command(
    inputs: list[Path],
    out: Path,
    *,
    workers: int = 0,
    progress: bool = True,
    max_file_mb: float = 100.0,
    max_pages: int = 500,
) -> ScreenResult:
    from rich.console import Console
    from rich.table import Table

    limits = _limits_for(max_file_mb, max_pages)
    executor = LocalProcessExecutor(workers, timeout_s=hard_budget)
    result = _with_progress(
        progress, lambda cb: screen(inputs, out, executor=executor, limits=limits, progress_callback=cb)
    )
    console = Console()
    _print_files_table(console, result.run)  # type: ignore[attr-defined]
    findings: pl.DataFrame = result.findings  # type: ignore[attr-defined]
    table = Table(title=f"{findings.height} findings")
    severities = ["high", "medium", "low", "info"]
    table.add_column("category")
    for sev in severities:
        table.add_column(sev, justify="right")
    table.add_column("total", justify="right")
    if findings.height:
        counts = findings.group_by("category", "severity").len()
        for category in sorted(counts["category"].drop_nulls().unique().to_list()):
            sub = counts.filter(pl.col("category") == category)
            by_sev = dict(zip(sub["severity"].to_list(), sub["len"].to_list(), strict=True))
            table.add_row(category, *(str(by_sev.get(s, 0)) for s in severities), str(sum(by_sev.values())))
    console.print(table)
    console.print(f"findings: {Path(out) / 'findings.csv'}   coverage: {Path(out) / 'coverage.csv'}")
    return result  # type: ignore[return-value]
