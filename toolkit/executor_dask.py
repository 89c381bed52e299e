"""The executor interface on Dask distributed (optional extra ``dask``): a cluster's workers parse the files.

``DaskExecutor(workers, scheduler="tcp://host:8786")`` sends every item to an existing
cluster; without ``scheduler`` it starts a ``LocalCluster`` of ``workers`` single-threaded
worker processes for the run. Like :class:`toolkit.executor.LocalProcessExecutor` it yields
one :class:`~toolkit.executor.TaskResult` per item in completion order and never raises for
a bad item:

* an exception inside ``fn`` is caught on the worker: kind ``error``;
* a worker process that dies (segfault, killed by the nanny for memory) fails the item it ran:
  kind ``crash`` (the local cluster is started with ``allowed-failures = 0``, so Dask does not
  retry a file that killed a worker on the next one);
* an item past its wall-clock budget (``timeout_s``: seconds or a function of the item) is
  cancelled and its worker restarted (a call into pdfium cannot be interrupted any other
  way): kind ``timeout``. The budget counts from when the scheduler reports a worker
  processing the item; only as many items are submitted as the cluster has live threads.

One file at a time per worker process: pdfium is not thread-safe, so ``fn`` runs under a
process-wide lock even on a worker started with several threads (start remote workers with
``--nthreads 1 --nworkers N`` to use the cores). Workers of a remote cluster must see the
input paths (a shared file system) and run the same toolkit version.

Why Dask: its futures API is concurrent.futures-like (submit, as-completed, cancel), it runs
on one laptop or a cluster with the same code, and the extra is small (about 31 MB installed:
dask, distributed, tornado, msgpack, cloudpickle and friends).
"""

from __future__ import annotations

import logging
import os
import threading
import time
import traceback
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from toolkit.executor import WORKER_ENV, TaskResult, _describe, _environ

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

_RESTART_WAIT_S = 30.0  # longest wait for a restarted worker to leave the scheduler's list
_POLL_S = 1.0  # how often the scheduler is asked which queued items a worker has started
_ONE_AT_A_TIME = threading.Lock()  # per worker process: pdfium is not thread-safe
_LOCAL_CONFIG = {
    "distributed.scheduler.allowed-failures": 0,  # a file that kills a worker is not retried elsewhere
    "distributed.scheduler.worker-saturation": 1.0,  # no task queued behind a running one on a worker
}


def available() -> bool:
    """Whether the ``dask`` extra is installed."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


def _call(fn: Callable[[Any], Any], item: Any) -> tuple[Any, str | None, float]:
    """Run on a worker: (value, error, seconds); an exception becomes the error text."""
    with _ONE_AT_A_TIME:
        t0 = time.perf_counter()
        try:
            return fn(item), None, time.perf_counter() - t0
        except Exception as exc:  # noqa: BLE001 - one bad item must not stop the run
            log.debug("task failed:\n%s", traceback.format_exc())
            return None, _describe(exc), time.perf_counter() - t0


class DaskExecutor:
    """Items run as Dask futures on a cluster (``scheduler`` address) or on a local cluster of ``workers`` processes."""

    def __init__(
        self,
        workers: int = 0,
        *,
        scheduler: str | None = None,
        timeout_s: float | Callable[[Any], float | None] | None = None,
        env: dict[str, str] | None = None,
    ):
        self.workers = workers if workers and workers > 0 else (os.cpu_count() or 1)
        self.scheduler = scheduler
        self.timeout_s = timeout_s
        self.env = {**WORKER_ENV, **(env or {})}

    def _budget(self, item: Any) -> float | None:
        return self.timeout_s(item) if callable(self.timeout_s) else self.timeout_s

    def _client(self):  # noqa: ANN202 - distributed is imported lazily
        import dask
        from distributed import Client, LocalCluster

        if self.scheduler:
            return Client(self.scheduler), None
        with dask.config.set(_LOCAL_CONFIG), _environ(self.env):
            cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.ERROR)
        return Client(cluster), cluster

    def map(
        self, fn: Callable[[T], R], items: Sequence[T], *, chunksize: int = 1
    ) -> Iterator[TaskResult[T, R]]:
        items = list(items)
        if not items:
            return
        client, cluster = self._client()
        try:
            yield from self._run(client, fn, items)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()

    def _run(self, client, fn: Callable[[T], R], items: list[T]) -> Iterator[TaskResult[T, R]]:  # noqa: ANN001
        from distributed import wait

        run = uuid.uuid4().hex[:8]
        queue: deque[tuple[int, T]] = deque(enumerate(items))
        # future -> index, item, started (None until a worker is seen running it), budget
        running: dict[Any, list] = {}

        def submit() -> None:
            slots = max(1, sum(client.nthreads().values()))  # workers alive now (one may be restarting)
            while queue and len(running) < slots:
                index, item = queue.popleft()
                future = client.submit(_call, fn, item, pure=False, key=f"yibao-{run}-{index}")
                running[future] = [index, item, None, self._budget(item)]

        def mark_started() -> None:
            """A budget counts from when a worker runs the item, not from when it was queued."""
            if all(entry[2] is not None or entry[3] is None for entry in running.values()):
                return
            try:
                busy = {key for keys in client.processing().values() for key in keys}
            except Exception:  # noqa: BLE001 - the scheduler is busy or gone: look again next round
                return
            now = time.monotonic()
            for future, entry in running.items():
                if entry[2] is None and future.key in busy:
                    entry[2] = now

        submit()
        while running:
            mark_started()
            deadlines = [t0 + b for _, _, t0, b in running.values() if b is not None and t0 is not None]
            unstarted = any(t0 is None and b is not None for _, _, t0, b in running.values())
            wait_s = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
            if unstarted:
                wait_s = min(wait_s, _POLL_S) if wait_s is not None else _POLL_S
            try:
                done = wait(list(running), timeout=wait_s, return_when="FIRST_COMPLETED").done
            except TimeoutError:
                done = set()
            for future in done:
                index, item, t0, _ = running.pop(future)
                yield self._result(future, index, item, t0)
            now = time.monotonic()
            for future, (index, item, t0, budget) in list(running.items()):
                if budget is not None and t0 is not None and now - t0 > budget and future not in done:
                    running.pop(future)
                    self._kill(client, future)
                    yield TaskResult(index, item, None,
                                     f"timeout: still running after the {budget:g} s wall-clock budget; worker restarted",
                                     now - t0, "timeout")
            submit()

    @staticmethod
    def _result(future, index: int, item: T, t0: float | None) -> TaskResult:  # noqa: ANN001
        from distributed import KilledWorker

        if future.status == "finished":
            value, error, seconds = future.result()
            return TaskResult(index, item, value, error, seconds, "ok" if error is None else "error")
        exc = future.exception() if future.status == "error" else None
        seconds = time.monotonic() - t0 if t0 is not None else 0.0
        if exc is None or isinstance(exc, KilledWorker):
            return TaskResult(index, item, None, "worker process died (crashed or was killed, e.g. out of memory)",
                              seconds, "crash")
        return TaskResult(index, item, None, _describe(exc), seconds, "error")

    @staticmethod
    def _kill(client, future) -> None:  # noqa: ANN001
        """Cancel an overdue future and restart the worker running it (its call cannot be interrupted)."""
        try:
            processing = client.processing()
        except Exception:  # noqa: BLE001 - a scheduler that went away: nothing left to kill
            processing = {}
        workers = [w for w, keys in processing.items() if future.key in keys]
        future.cancel()
        if not workers:
            return
        try:
            client.restart_workers(workers)
        except Exception:  # noqa: BLE001 - a worker that cannot be restarted is retired by the cluster
            log.warning("could not restart worker %s after a timeout", workers, exc_info=True)
        # No new item may be sent to the old address while it is going away: wait until the
        # scheduler has dropped it (the restarted process comes back under a new address).
        deadline = time.monotonic() + _RESTART_WAIT_S
        while time.monotonic() < deadline:
            try:
                if not set(workers) & set(client.nthreads()):
                    return
            except Exception:  # noqa: BLE001
                return
            time.sleep(0.2)
