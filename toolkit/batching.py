"""Documents' frames gathered a batch at a time: checks see each batch, then it is written.

The parent process of a run never holds more than one batch of frames (about 90 KB per
document: 8,000 documents would be ~0.7 GB before any check ran). :class:`PhaseTimes` splits a
run's wall time into load+extract, checks and writing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from toolkit import schemas
from toolkit.store import FrameSink

BatchCallback = Callable[[dict[str, pl.DataFrame]], None]


@dataclass(slots=True)
class PhaseTimes:
    """Wall-clock seconds by phase in the orchestrating process (they add up to the run's wall time).

    ``load_extract_s`` is time spent waiting for and receiving worker results (the workers load and
    extract in parallel meanwhile); ``checks_s`` is time inside the checks (the document batches on
    the workers plus the corpus-scope pass here); ``write_s`` is writing frames, manifest, findings and coverage.
    """

    load_extract_s: float = 0.0
    checks_s: float = 0.0
    write_s: float = 0.0
    batches: int = 0
    checks_cpu_s: float = 0.0  # CPU seconds inside the checks, here and in the workers (robust to a busy machine)
    checks_corpus_s: float = 0.0  # the part of checks_s spent in the corpus-scope pass at the end
    report_s: float = 0.0  # writing report.html and workpapers.xlsx (not part of the wall time above)

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
            "report_s": round(self.report_s, 3),
            "batches": self.batches,
        }


class Batcher:
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
