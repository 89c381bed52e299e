"""One file -> its frames and its manifest row: what a worker process runs.

:func:`process_file` loads one file (``toolkit.loaders.load_path``), extracts it
(``toolkit.extract.document.extract_document``) and never raises for a bad file: whatever went
wrong becomes a fatal issue, a ``failed`` documents row and a manifest reason.

One deadline per file, set once by :func:`file_budget` and carried by the :class:`FileTask`:
``soft_s`` CPU seconds, enforced inside the worker by CPU-time alarms (the file becomes a
``timeout`` issue and the worker survives); derived from it, ``hard_s`` wall-clock seconds, past
which the executor kills a worker stuck in C code that ignores the alarm (:func:`hard_budget`,
given to ``LocalProcessExecutor(timeout_s=...)``). The PDF loader's own per-page CPU alarm
(ITIMER_PROF) runs undisturbed inside the soft one.

Memory: a worker process caps its own memory at ``limits.max_worker_memory_bytes``
(RLIMIT_DATA on Linux, :func:`limit_worker_memory`), so a file that would take gigabytes fails with a
``too_large`` issue naming the limit instead of exhausting the machine; the executor replaces a
worker the kernel killed all the same. The cap is set only in worker processes, never in the
process that runs ``process_file`` directly (a serial run, a test).
"""

from __future__ import annotations

import hashlib
import logging
import math
import multiprocessing
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from toolkit import schemas
from toolkit.executor import TaskResult
from toolkit.extract.document_row import failure_frames, issue_reason, issue_status
from toolkit.model import Limits, LoadIssue, RawDocument

log = logging.getLogger(__name__)


@dataclass(slots=True, frozen=True)
class FileTask:
    path: str  # where to read it
    display_path: str  # as given on the command line (joined with the walk's relative path)
    limits: Limits
    soft_s: float | None = None  # CPU seconds before the worker gives up on the file (None: no limit)

    @property
    def hard_s(self) -> float | None:
        """Wall-clock seconds before the executor kills the worker: twice the soft budget (a worker
        may share its core) plus ``limits.hard_timeout_grace_s``; reached only when the soft alarm
        could not fire (stuck in C code, or the alarm was swallowed)."""
        if self.soft_s is None:
            return None
        return 2 * self.soft_s + self.limits.hard_timeout_grace_s


def file_budget(size_bytes: int, limits: Limits, soft_s: float | None = None) -> float:
    """The soft CPU budget of one file: ``limits.file_timeout_s`` plus ``limits.file_timeout_s_per_mb``
    per MB, unless ``soft_s`` overrides it."""
    if soft_s is not None:
        return soft_s
    return limits.file_timeout_s + limits.file_timeout_s_per_mb * size_bytes / 1024 / 1024


def hard_budget(task: FileTask) -> float | None:
    """Wall-clock seconds after which the executor kills the worker on ``task`` (``task.hard_s``)."""
    return task.hard_s


@dataclass(slots=True)
class FileResult:
    manifest: dict  # one row of schemas.MANIFEST
    frames: dict[str, pl.DataFrame] = field(default_factory=dict)  # conformed to FRAME_SCHEMAS; non-empty only
    document_id: str | None = None


@contextmanager
def _cpu_rlimit_backstop(cpu_seconds: float, on_alarm: Callable[[int, object], None]) -> Iterator[None]:
    """SIGXCPU once this process's user + system CPU time passes the budget (whole seconds, plus one).

    ITIMER_VIRTUAL counts user time only; a parser that spends its time in the kernel (a buffer
    regrown a byte at a time: page faults and copies) would never reach it.
    """
    try:
        import resource
    except ImportError:  # Windows
        yield
        return
    if not hasattr(signal, "SIGXCPU"):
        yield
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    saved = resource.getrlimit(resource.RLIMIT_CPU)
    limit = math.ceil(usage.ru_utime + usage.ru_stime + cpu_seconds) + 1
    if saved[1] != resource.RLIM_INFINITY and limit >= saved[1]:
        yield
        return
    previous = signal.signal(signal.SIGXCPU, on_alarm)
    resource.setrlimit(resource.RLIMIT_CPU, (limit, saved[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_CPU, saved)
        signal.signal(signal.SIGXCPU, previous)


@contextmanager
def soft_deadline(cpu_seconds: float | None) -> Iterator[None]:
    """Raise TimeoutError in this process after ``cpu_seconds`` of CPU time (POSIX main thread; else no-op).

    CPU time, not wall-clock, so that a file passes or fails whatever the machine's load:
    ITIMER_VIRTUAL / SIGVTALRM at the budget (user time, fine-grained), and RLIMIT_CPU / SIGXCPU
    a second or two later as a backstop counting system time too. The PDF loader's own per-page
    alarm (ITIMER_PROF / SIGPROF) runs undisturbed inside this one.
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
        with _cpu_rlimit_backstop(cpu_seconds, on_alarm):
            yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)


def limit_worker_memory(max_bytes: int | None) -> bool:
    """Cap this worker process's memory at ``max_bytes``; False where it cannot be (not a worker
    process, no ``resource`` module, or the hard limit is already lower).

    RLIMIT_DATA on Linux (heap and private writable mappings: what a parser allocates, so a
    ``bytearray`` or zlib buffer past it raises MemoryError), RLIMIT_AS elsewhere. Not the address
    space on Linux: onnxruntime (OCR) reserves about 2 GB of it while using a third of that.
    """
    if not max_bytes or multiprocessing.parent_process() is None:
        return False
    try:
        import resource
    except ImportError:  # Windows
        return False
    which = resource.RLIMIT_DATA if sys.platform.startswith("linux") else resource.RLIMIT_AS
    soft, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY and hard < max_bytes:
        return False
    if soft != max_bytes:
        resource.setrlimit(which, (max_bytes, hard))
    return True


def _memory_limit_named(issues: list[LoadIssue], limits: Limits) -> None:
    """An out-of-memory failure says which limit it hit and how to raise it."""
    limit_mb = limits.max_worker_memory_bytes / 1024 / 1024
    for issue in issues:
        if "MemoryError" in issue.reason and "max_worker_memory_bytes" not in issue.reason:
            issue.code = "too_large"
            issue.reason = (
                f"{issue.reason} -- ran out of memory under the per-worker limit of {limit_mb:,.0f} MB "
                "(max_worker_memory_bytes)"
            )


def document_id_for(sha256: str | None, path: str, size: int | None) -> str:
    """First 16 hex of the content hash; a file we refused to read gets one from its path and size."""
    if sha256:
        return sha256[:16]
    return hashlib.sha256(f"unread:{path}:{size}".encode()).hexdigest()[:16]


def _extract(raw: RawDocument, document_id: str, sha256: str | None, size: int | None) -> dict[str, pl.DataFrame]:
    if raw.failed:
        return failure_frames(raw, document_id, sha256, size)
    from toolkit.extract.document import extract_document

    return extract_document(raw, document_id=document_id, path=raw.path, sha256=sha256 or "", size_bytes=size or 0)


def process_file(task: FileTask) -> FileResult:
    """Load and extract one file. Never raises for a bad file; runs in a worker process."""
    from toolkit.loaders import load_path

    t0 = time.perf_counter()
    limit_worker_memory(task.limits.max_worker_memory_bytes)
    with soft_deadline(task.soft_s):
        try:
            raw = load_path(Path(task.path), task.limits, display_path=task.display_path)
        except TimeoutError as exc:  # the alarm fired outside the loader's own try (sniff, safety)
            raw = RawDocument(
                task.display_path, "unknown", issues=[LoadIssue("timeout", str(exc), "high", fatal=True)]
            )
        _memory_limit_named(raw.issues, task.limits)
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
            _memory_limit_named(raw.issues, task.limits)
            frames = failure_frames(raw, document_id, sha256, size)
    documents = frames["documents"]
    status = documents["status"][0] if documents.height and documents["status"][0] else issue_status(raw.issues)
    reason = (documents["reason"][0] if documents.height else None) or issue_reason(raw.issues, notes_if_clean=True)
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


def failed_result(task: FileTask, result: TaskResult) -> FileResult:
    """A file whose worker raised, hung past the hard budget or died: described from the parent."""
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
    _memory_limit_named(raw.issues, task.limits)  # a MemoryError raised past process_file's own guards
    code = raw.issues[0].code
    document_id = document_id_for(sha256, task.display_path, size)
    frames = failure_frames(raw, document_id, sha256, size)
    manifest = {
        "path": task.display_path,
        "sha256": sha256,
        "format": "unknown",
        "size_bytes": size,
        "status": "failed",
        "reason": f"{code}: {raw.issues[0].reason}",
        "seconds": round(result.seconds, 4),
    }
    return FileResult(manifest, frames, document_id)
