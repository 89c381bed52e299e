"""Where per-file work runs: one small interface, several engines.

An :class:`Executor` applies a picklable function to every item and yields one
:class:`TaskResult` per item **in completion order** (``result.index`` says which
item it was). A failure on one item -- an exception, a hang past the wall-clock
budget, a worker process that crashed or was killed for memory -- becomes a failed
result for that item only; the run goes on.

* :class:`SerialExecutor` runs in the calling process (profiling, debugging, tests).
  It cannot pre-empt a hung call; callers that need a budget there use a soft alarm.
* :class:`LocalProcessExecutor` runs a pool of worker processes on this machine (all
  cores by default). Each worker owns a pipe, so the parent always knows which item a
  worker is on and since when: a worker over budget is killed and replaced, and the
  rest of its chunk is handed to another worker.

A distributed engine (Ray, Dask, a batch queue) can implement the same ``map``
contract -- ship ``fn`` and items, stream back ``TaskResult`` -- without any change to
loaders, extraction or checks, which only ever see one file at a time.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import pickle
import signal
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, Protocol, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

# Worker processes run one file at a time: many-threaded libraries would oversubscribe the cores.
WORKER_ENV = {"POLARS_MAX_THREADS": "1", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}


@dataclass(slots=True)
class TaskResult(Generic[T, R]):
    index: int  # position of the item in the input sequence
    item: T
    value: R | None
    error: str | None = None  # None when fn returned; otherwise what went wrong
    seconds: float = 0.0
    kind: str = "ok"  # ok|error|timeout|crash

    @property
    def ok(self) -> bool:
        return self.error is None


class Executor(Protocol):
    def map(
        self, fn: Callable[[T], R], items: Sequence[T], *, chunksize: int = 1
    ) -> Iterator[TaskResult[T, R]]:
        """Yield one result per item, in completion order; never raise for a bad item."""
        ...


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


class SerialExecutor:
    """Run every item in this process, one after another (input order = completion order)."""

    def map(
        self, fn: Callable[[T], R], items: Sequence[T], *, chunksize: int = 1
    ) -> Iterator[TaskResult[T, R]]:
        for index, item in enumerate(items):
            t0 = time.perf_counter()
            try:
                value = fn(item)
            except Exception as exc:  # noqa: BLE001 - one bad item must not stop the run
                log.debug("task %d failed:\n%s", index, traceback.format_exc())
                yield TaskResult(index, item, None, _describe(exc), time.perf_counter() - t0, "error")
                continue
            yield TaskResult(index, item, value, None, time.perf_counter() - t0)


def _memory_nearly_spent(share: float = 0.75) -> bool:
    """True when this process's data memory is past ``share`` of its RLIMIT_DATA (Linux only).

    Memory a parser freed often stays mapped (allocator arenas, a loaded OCR model); a worker
    left near its limit fails every later item at once with MemoryError, so it retires instead.
    """
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_DATA)
        if soft == resource.RLIM_INFINITY:
            return False
        with open("/proc/self/statm", "rb") as fh:
            data_pages = int(fh.read().split()[5])
    except (ImportError, OSError, ValueError, IndexError):
        return False
    return data_pages * os.sysconf("SC_PAGE_SIZE") > share * soft


def _worker_main(conn: Connection, fn_blob: bytes) -> None:
    """Worker loop: receive a chunk [(index, item)], send back (index, value, error, seconds, retiring)
    per item. ``retiring``: this worker ran out of memory (or nearly) and exits after this answer."""
    fn = pickle.loads(fn_blob)
    while True:
        try:
            chunk = conn.recv()
        except (EOFError, OSError):
            return
        if chunk is None:
            return
        for index, item in chunk:
            t0 = time.perf_counter()
            retiring = False
            try:
                value, error = fn(item), None
            except MemoryError as exc:
                value, error, retiring = None, _describe(exc), True
            except Exception as exc:  # noqa: BLE001
                value, error = None, _describe(exc)
            seconds = time.perf_counter() - t0
            retiring = retiring or _memory_nearly_spent()
            try:
                conn.send((index, value, error, seconds, retiring))
            except (EOFError, OSError):
                return  # the parent is gone
            except Exception as exc:  # noqa: BLE001 - also MemoryError pickling a big result: the item fails, not the worker
                value = None
                retiring = retiring or isinstance(exc, MemoryError)
                conn.send((index, None, f"result could not be sent back: {_describe(exc)}", seconds, retiring))
            if retiring:
                return


@contextmanager
def _environ(extra: dict[str, str]) -> Iterator[None]:
    """Temporarily set variables a spawned child inherits (it reads them before its first import)."""
    saved = {k: os.environ.get(k) for k in extra}
    os.environ.update(extra)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Start a worker with SIGINT ignored: an ignored signal stays ignored across exec, so a Ctrl-C
    (sent to the whole terminal group) never interrupts a worker, even while its interpreter starts;
    the parent gets it and stops the workers itself. (A blocked mask would not survive the spawn.)"""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class _Worker:
    def __init__(self, ctx: Any, fn_blob: bytes, env: dict[str, str]):
        self.conn, child_conn = ctx.Pipe(duplex=True)
        with _environ(env), _sigint_ignored():
            self.proc = ctx.Process(target=_worker_main, args=(child_conn, fn_blob), daemon=True)
            self.proc.start()
        child_conn.close()
        self.pending: deque[tuple[int, Any]] = deque()  # items sent and not yet answered, in order
        self.started = 0.0  # when the current (first pending) item started, as far as we know
        self.budget: float | None = None  # wall-clock budget of the current item
        self.retiring = False  # said it exits after its last answer (out of memory)

    def send(self, chunk: list[tuple[int, Any]]) -> None:
        self.pending.extend(chunk)
        self.conn.send(chunk)

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(timeout=5)
        self.conn.close()


class LocalProcessExecutor:
    """A pool of worker processes with a per-item wall-clock budget.

    ``workers=0`` uses every local core. ``timeout_s`` (None: no limit) is the wall-clock
    budget of one item, or a function of the item giving it; a worker over it is killed
    and replaced, and the item fails with kind ``timeout``. A worker that dies (segfault, out-of-memory kill) fails only the
    item it was on (kind ``crash``). ``start_method`` is ``spawn`` by default: a clean
    interpreter per worker, safe with multi-threaded libraries (Polars, Arrow).
    """

    def __init__(
        self,
        workers: int = 0,
        *,
        timeout_s: float | Callable[[Any], float | None] | None = None,
        start_method: str = "spawn",
        env: dict[str, str] | None = None,
    ):
        self.workers = workers if workers and workers > 0 else (os.cpu_count() or 1)
        self.timeout_s = timeout_s
        self.start_method = start_method
        self.env = {**WORKER_ENV, **(env or {})}

    def _budget(self, item: Any) -> float | None:
        return self.timeout_s(item) if callable(self.timeout_s) else self.timeout_s

    def map(
        self, fn: Callable[[T], R], items: Sequence[T], *, chunksize: int = 1
    ) -> Iterator[TaskResult[T, R]]:
        items = list(items)
        if not items:
            return
        ctx = mp.get_context(self.start_method)
        fn_blob = pickle.dumps(fn)
        queue: deque[tuple[int, Any]] = deque(enumerate(items))
        chunksize = max(1, chunksize)
        pool: list[_Worker] = []
        remaining = len(items)

        def start_clock(worker: _Worker) -> None:
            """The worker moves on to its next pending item now."""
            worker.started = time.monotonic()
            worker.budget = self._budget(worker.pending[0][1]) if worker.pending else None

        def feed(worker: _Worker) -> None:
            chunk = [queue.popleft() for _ in range(min(chunksize, len(queue)))]
            if chunk:
                worker.send(chunk)
                start_clock(worker)

        def spawn() -> None:
            worker = _Worker(ctx, fn_blob, self.env)
            pool.append(worker)
            feed(worker)

        def replace(worker: _Worker) -> None:
            """Requeue the rest of the worker's chunk and give a fresh worker the queue."""
            for pending in reversed(worker.pending):
                queue.appendleft(pending)
            worker.pending.clear()
            worker.kill()
            pool.remove(worker)
            if queue:
                spawn()

        def retire(worker: _Worker, kind: str, error: str) -> TaskResult:
            """Fail the worker's current item, requeue the rest of its chunk, replace the worker."""
            index, item = worker.pending.popleft()
            seconds = time.monotonic() - worker.started
            replace(worker)
            return TaskResult(index, item, None, error, seconds, kind)

        def overdue(worker: _Worker) -> bool:
            return worker.budget is not None and time.monotonic() - worker.started > worker.budget

        try:
            for _ in range(min(self.workers, len(items))):
                spawn()
            while remaining:
                busy = [w for w in pool if w.pending]
                if not busy:  # cannot happen while items remain; guard against spinning forever
                    break
                deadlines = [w.started + w.budget for w in busy if w.budget is not None]
                wait_s = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
                ready = set(wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout=wait_s))
                for worker in busy:
                    if worker.conn in ready or worker.proc.sentinel in ready:
                        # Drain answers first: a worker may have answered and then exited.
                        try:
                            while worker.pending and worker.conn.poll():
                                index, value, error, seconds, retiring = worker.conn.recv()
                                pending_index, item = worker.pending.popleft()
                                assert pending_index == index, (pending_index, index)
                                start_clock(worker)
                                remaining -= 1
                                worker.retiring = retiring
                                yield TaskResult(
                                    index, item, value, error, seconds, "ok" if error is None else "error"
                                )
                                if retiring:
                                    break
                        except (EOFError, OSError):
                            pass
                        if worker.retiring:  # out of memory: a fresh worker takes the rest of its chunk
                            replace(worker)
                            continue
                        if not worker.pending:
                            if worker.proc.is_alive():
                                feed(worker)
                            else:
                                worker.kill()
                                pool.remove(worker)
                                if queue:
                                    spawn()
                            continue
                        if not worker.proc.is_alive():
                            remaining -= 1
                            yield retire(
                                worker,
                                "crash",
                                f"worker process died (exit code {worker.proc.exitcode}: crashed or was killed, "
                                "e.g. out of memory)",
                            )
                            continue
                    if worker.pending and overdue(worker):
                        remaining -= 1
                        budget = worker.budget
                        yield retire(
                            worker,
                            "timeout",
                            f"timeout: still running after the {budget:g} s wall-clock budget; worker killed",
                        )
        finally:
            for worker in pool:
                try:
                    worker.conn.send(None)
                except (OSError, ValueError):
                    pass
            for worker in pool:
                worker.proc.join(timeout=2)
                worker.kill()


# ---------------------------------------------------------------------------------------
# registry: executors by name (the CLI's --executor); optional engines load only when chosen
# ---------------------------------------------------------------------------------------

EXECUTORS: dict[str, str] = {
    "local": "toolkit.executor:LocalProcessExecutor",
    "serial": "toolkit.executor:SerialExecutor",
    "dask": "toolkit.executor_dask:DaskExecutor",  # optional extra ``dask``
}


def executor_for(
    name: str = "local",
    workers: int = 0,
    *,
    timeout_s: float | Callable[[Any], float | None] | None = None,
    scheduler: str | None = None,
) -> Executor:
    """The executor registered as ``name``: ``local`` (a process pool), ``serial`` or ``dask``.

    ``scheduler`` (dask only) is a cluster's address such as ``tcp://host:8786``; without it a
    local cluster of ``workers`` processes is started. ``timeout_s`` is the per-item
    wall-clock budget (seconds or a function of the item), ignored by ``serial``.
    """
    import importlib

    if name not in EXECUTORS:
        raise ValueError(f"unknown executor {name!r}; choose one of {', '.join(EXECUTORS)}")
    if scheduler and name != "dask":
        raise ValueError("--scheduler needs --executor dask")
    module_name, _, class_name = EXECUTORS[name].partition(":")
    try:
        cls = getattr(importlib.import_module(module_name), class_name)
    except ImportError as exc:
        raise ValueError(f"executor {name!r} needs the optional extra: pip install 'yibao-audit[{name}]' ({exc})") from exc
    if name == "serial":
        return cls()
    if name == "dask":
        return cls(workers, scheduler=scheduler, timeout_s=timeout_s)
    return cls(workers, timeout_s=timeout_s)
