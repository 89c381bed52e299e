"""A run's output directory: every file name a run writes, and how each is written and read back.

:class:`RunDir` is the only place that knows the layout::

    DIR/frames/<name>.parquet   the canonical frames (toolkit.schemas.FRAME_SCHEMAS), one row group per batch
    DIR/manifest.csv            every input file and what became of it
    DIR/findings.parquet        findings (toolkit.schemas.FINDINGS), and findings.csv for Excel
    DIR/coverage.csv            every identity run/passed/failed/skipped (toolkit.checks.framework.COVERAGE)
    DIR/reviews.csv             auditors' decisions, append-only (under a file lock)
    DIR/changes.parquet/csv     each finding's fingerprint and new/recurring/changed/resolved against the last run
    DIR/ranking.parquet/csv     bureau-years, riskiest first
    DIR/run.json                what the run did; written last: a folder without it is incomplete
    DIR/report.html, DIR/workpapers.xlsx   the reports

A screening job writes each run into a fresh folder and switches ``DIR`` to it atomically
(:class:`RunStore`): ``DIR`` is a symbolic link to ``DIR.runs/runs/<run id>``, and beside the run
folders ``DIR.runs/`` keeps what outlives one run: ``history.sqlite`` and ``reviews.csv`` (every
run folder's ``reviews.csv`` links to it, so a decision recorded during a run is not lost).

CSV files are UTF-8 with a BOM, so Excel opens them as UTF-8. Frames are streamed through a
:class:`FrameSink` while a run goes, and read back on demand through :class:`ParquetFrames`
(what corpus-scope checks receive: a check that needs only ``documents`` never loads ``cells``).
"""

from __future__ import annotations

import csv
import errno
import fcntl
import json
import logging
import os
import shutil
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from toolkit import schemas, shareable
from toolkit.checks.framework import COVERAGE

log = logging.getLogger(__name__)

REVIEW_COLUMNS: tuple[str, ...] = ("finding_id", "status", "note", "reviewer", "timestamp", "fingerprint")
REVIEW_SCHEMA = {c: pl.String for c in REVIEW_COLUMNS}


class FrameSink:
    """Streams frames to ``frames/<name>.parquet``: one Parquet row group per batch, never the whole corpus."""

    def __init__(self, frames_dir: Path):
        frames_dir.mkdir(parents=True, exist_ok=True)
        self.writers: dict[str, pq.ParquetWriter] = {}
        for name, schema in schemas.FRAME_SCHEMAS.items():
            arrow_schema = schemas.empty(schema).to_arrow().schema
            self.writers[name] = pq.ParquetWriter(frames_dir / f"{name}.parquet", arrow_schema)

    def write(self, frames: Mapping[str, pl.DataFrame]) -> None:
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

    A check that needs a few columns uses ``toolkit.checks.framework.scan``, which reads
    only those through :meth:`scan`.
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


def _read_csv(path: Path, schema: Mapping[str, pl.DataType]) -> pl.DataFrame:
    if not path.exists():
        return schemas.empty(dict(schema))
    df = pl.read_csv(path, infer_schema=False, encoding="utf8")
    df = df.rename({c: c.lstrip("\ufeff") for c in df.columns})
    return schemas.conform(df, dict(schema))


class RunDir:
    """The output directory of one ``ingest``/``screen`` run (``RunDir(path)``; nothing is created until written)."""

    __slots__ = ("root",)

    FRAMES = "frames"
    MANIFEST = "manifest.csv"
    FINDINGS = "findings.parquet"
    FINDINGS_CSV = "findings.csv"
    COVERAGE = "coverage.csv"
    REVIEWS = "reviews.csv"
    REPORT = "report.html"
    WORKPAPERS = "workpapers.xlsx"
    CHANGES = "changes.parquet"
    CHANGES_CSV = "changes.csv"
    RANKING = "ranking.parquet"
    RANKING_CSV = "ranking.csv"
    RUN_JSON = "run.json"
    RUNNING = "RUNNING"  # present while a run writes here; removed just before run.json is written

    def __init__(self, root: Path | str | RunDir) -> None:
        self.root = root.root if isinstance(root, RunDir) else Path(root)

    def __fspath__(self) -> str:
        return str(self.root)

    def __repr__(self) -> str:
        return f"RunDir({str(self.root)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RunDir) and other.root == self.root

    def __hash__(self) -> int:
        return hash(self.root)

    # ---- paths
    @property
    def frames_dir(self) -> Path:
        return self.root / self.FRAMES

    def frame_path(self, name: str) -> Path:
        return self.frames_dir / f"{name}.parquet"

    @property
    def manifest_path(self) -> Path:
        return self.root / self.MANIFEST

    @property
    def findings_path(self) -> Path:
        return self.root / self.FINDINGS

    @property
    def findings_csv_path(self) -> Path:
        return self.root / self.FINDINGS_CSV

    @property
    def coverage_path(self) -> Path:
        return self.root / self.COVERAGE

    @property
    def reviews_path(self) -> Path:
        return self.root / self.REVIEWS

    @property
    def report_path(self) -> Path:
        return self.root / self.REPORT

    @property
    def workpapers_path(self) -> Path:
        return self.root / self.WORKPAPERS

    @property
    def changes_path(self) -> Path:
        return self.root / self.CHANGES

    @property
    def ranking_path(self) -> Path:
        return self.root / self.RANKING

    @property
    def run_json_path(self) -> Path:
        return self.root / self.RUN_JSON

    def create(self) -> RunDir:
        self.root.mkdir(parents=True, exist_ok=True)
        return self

    # ---- completeness
    def incomplete_reason(self) -> str | None:
        """Why this folder is not a finished run (None when it is one).

        A job's run folder is finished once its ``run.json`` is written (the last file). A folder
        written by ``screen()`` without the job layer (no run.json) counts as finished when its
        findings and every frame file have their Parquet footer (a killed writer leaves none).
        """
        if not self.root.is_dir():
            return "no such run folder"
        if (self.root / self.RUNNING).exists():
            return "a run was writing here and did not finish"
        if self.run_json_path.exists():
            try:
                status = json.loads(self.run_json_path.read_text(encoding="utf-8")).get("status")
            except (OSError, ValueError):
                return f"{self.RUN_JSON} is unreadable"
            return None if status == "complete" else f"{self.RUN_JSON} says status {status!r}"
        if not self.has_findings() and not self.manifest_path.exists():
            return f"no {self.FINDINGS} or {self.MANIFEST} (not a screen output folder)"
        parquet = [self.findings_path] if self.has_findings() else []
        parquet += sorted(self.frames_dir.glob("*.parquet")) if self.frames_dir.is_dir() else []
        for path in parquet:
            try:
                pq.read_metadata(path)
            except (OSError, pa.ArrowException):
                return f"{path.relative_to(self.root)} is truncated (the run writing it was stopped)"
        return None

    def read_run_json(self) -> dict:
        try:
            return json.loads(self.run_json_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def write_json(self, name: str, data: Mapping) -> Path:
        """Write ``DIR/name`` (UTF-8 JSON) through a temporary file and a rename: never half a file."""
        path = self.root / name
        tmp = path.with_name(f".{name}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
        os.replace(tmp, path)
        return path

    # ---- frames
    def frame_sink(self) -> FrameSink:
        return FrameSink(self.frames_dir)

    def frames(self) -> ParquetFrames:
        """The frames, each read when first asked for."""
        return ParquetFrames(self.frames_dir)

    def load_frames(self) -> dict[str, pl.DataFrame]:
        """Every frame read back; a missing frame comes back empty with its schema."""
        lazy = self.frames()
        return {name: lazy[name] for name in schemas.FRAME_SCHEMAS}

    # ---- manifest, findings, coverage
    def write_manifest(self, manifest: pl.DataFrame) -> None:
        """manifest.csv as given (the caller masks it: :func:`toolkit.report.masking.mask_manifest`), formula-safe."""
        shareable.write_csv(manifest, self.manifest_path)

    def read_manifest(self) -> pl.DataFrame:
        return _read_csv(self.manifest_path, schemas.MANIFEST)

    def has_findings(self) -> bool:
        return self.findings_path.exists()

    def write_findings(self, findings: pl.DataFrame, *, masked: bool = True) -> None:
        """findings.parquet (the record) and findings.csv (the same rows, for Excel, formula-safe).

        The caller masks them (:func:`toolkit.report.masking.mask_findings`); ``masked`` is what
        the Parquet metadata says of it.
        """
        shareable.write_parquet(findings, self.findings_path, masked=masked)
        shareable.write_csv(findings, self.findings_csv_path)

    def read_findings(self) -> pl.DataFrame:
        if not self.has_findings():
            log.warning("%s missing: no findings to read", self.findings_path)
            return schemas.empty(schemas.FINDINGS)
        return schemas.conform(pl.read_parquet(self.findings_path), schemas.FINDINGS)

    def finding_ids(self) -> set[str]:
        if not self.has_findings():
            return set()
        return set(pl.read_parquet(self.findings_path, columns=["finding_id"])["finding_id"].to_list())

    def write_coverage(self, coverage: pl.DataFrame) -> None:
        shareable.write_csv(coverage, self.coverage_path)

    def read_coverage(self) -> pl.DataFrame:
        return _read_csv(self.coverage_path, COVERAGE)

    # ---- reviews (append-only)
    def read_reviews(self) -> pl.DataFrame:
        """Every decision in the order written (an empty frame when there is none)."""
        path = self.reviews_path
        if not path.exists():
            return pl.DataFrame(schema=REVIEW_SCHEMA)
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = [{c: (r.get(c) or "") for c in REVIEW_COLUMNS} for r in csv.DictReader(fh)]
        return pl.DataFrame(rows, schema=REVIEW_SCHEMA) if rows else pl.DataFrame(schema=REVIEW_SCHEMA)

    @contextmanager
    def reviews_lock(self) -> Iterator[None]:
        """An exclusive lock for read-modify-append of reviews.csv (``reviews.csv.lock`` beside the file)."""
        target = self.reviews_path.resolve() if self.reviews_path.is_symlink() else self.reviews_path
        with file_lock(target.with_name(target.name + ".lock"), wait=True, reentrant=True):
            yield

    def append_reviews(self, rows: Iterable[Sequence[str]]) -> int:
        """Append rows (in :data:`REVIEW_COLUMNS` order) under the reviews lock.

        A new file starts with a BOM and the header (one header, however many writers start at once);
        a file written before the ``fingerprint`` column existed is rewritten with the current header.
        """
        rows = list(rows)
        if not rows:
            return 0
        with self.reviews_lock():
            path = self.reviews_path
            new_file = not path.exists() or path.stat().st_size == 0
            if not new_file:
                with path.open(encoding="utf-8-sig", newline="") as fh:
                    header = next(csv.reader(fh), [])
                if tuple(header) != REVIEW_COLUMNS:
                    old = self.read_reviews()
                    rows = [list(r) for r in old.iter_rows()] + rows
                    path.unlink()
                    new_file = True
            with path.open("a", encoding="utf-8-sig" if new_file else "utf-8", newline="") as fh:
                writer = csv.writer(fh)
                if new_file:
                    writer.writerow(REVIEW_COLUMNS)
                writer.writerows(rows)
                fh.flush()
                os.fsync(fh.fileno())
        return len(rows)


class LockedError(RuntimeError):
    """Another process holds the lock (another run writing the same output)."""


_HELD = threading.local()  # locks this thread holds (taking one again inside it does not wait for itself)


@contextmanager
def file_lock(path: Path, *, wait: bool, reentrant: bool = False) -> Iterator[None]:
    """An exclusive ``flock`` on ``path`` (created if missing), released when the process dies too.

    ``reentrant``: taking it again in the thread that holds it passes (instead of waiting for itself).
    """
    key = os.path.realpath(path)
    held: set[str] = _HELD.__dict__.setdefault("paths", set())
    if reentrant and key in held:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise LockedError(f"{path} is locked by another process") from exc
            raise
        held.add(key)
        try:
            yield
        finally:
            held.discard(key)
    finally:
        os.close(fd)


class OutputError(ValueError):
    """``--out`` names something a run cannot write to (a file, a folder that is not a run's)."""


class RunStore:
    """Where a screening job keeps its runs: ``OUT`` (a link to the current run) and ``OUT.runs/``.

    A run writes into :meth:`stage` (``OUT.runs/runs/<run id>``, marked RUNNING) and
    :meth:`commit` switches ``OUT`` to it with one ``rename`` of a symbolic link, so a reader sees
    either the previous run or the new one, never a mixture, whenever the writer is killed.
    A folder already at ``OUT`` from an earlier plain ``screen`` is moved into ``runs/`` first.
    """

    RUNS = "runs"
    HISTORY = "history.sqlite"
    LOCK = "lock"

    def __init__(self, out: Path | str):
        self.out = Path(out).absolute()
        self.state_dir = self.out.with_name(self.out.name + ".runs")

    @property
    def runs_dir(self) -> Path:
        return self.state_dir / self.RUNS

    @property
    def history_path(self) -> Path:
        return self.state_dir / self.HISTORY

    @property
    def reviews_path(self) -> Path:
        return self.state_dir / RunDir.REVIEWS

    def lock(self) -> AbstractContextManager[None]:
        """Held for a whole run: a second run on the same output fails at once instead of interleaving."""
        return file_lock(self.state_dir / self.LOCK, wait=False)

    def current(self) -> RunDir | None:
        """The finished run ``OUT`` points at (None when there is none yet or it is incomplete)."""
        if not self.out.exists():
            return None
        run = RunDir(self.out.resolve())
        return run if run.incomplete_reason() is None else None

    def prepare(self) -> None:
        """Check ``OUT`` can be written and adopt a plain run folder already there."""
        out = self.out
        if out.is_symlink():
            return
        if out.exists() and not out.is_dir():
            raise OutputError(f"--out {out} is a file, not a folder")
        if out.is_dir():
            entries = list(out.iterdir())
            if not entries:
                out.rmdir()
                return
            if not (out / RunDir.FINDINGS).exists() and not (out / RunDir.MANIFEST).exists():
                raise OutputError(f"--out {out} holds files that are not a screening run; choose another folder")
            self.runs_dir.mkdir(parents=True, exist_ok=True)
            adopted = self.runs_dir / f"adopted-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}"
            shutil.move(str(out), adopted)
            if (adopted / RunDir.REVIEWS).is_file() and not self.reviews_path.exists():
                shutil.move(str(adopted / RunDir.REVIEWS), self.reviews_path)
            self._switch(adopted)

    def stage(self, run_id: str) -> RunDir:
        """A fresh folder for run ``run_id``, marked RUNNING, its reviews.csv linked to the shared one."""
        folder = self.runs_dir / run_id
        folder.mkdir(parents=True, exist_ok=False)
        (folder / RunDir.RUNNING).write_text(f"{os.getpid()}\n", encoding="utf-8")
        with file_lock(self.reviews_path.with_name(RunDir.REVIEWS + ".lock"), wait=True, reentrant=True):
            if not self.reviews_path.exists():  # a link that resolves: copying a run folder copies the decisions
                with self.reviews_path.open("w", encoding="utf-8-sig", newline="") as fh:
                    csv.writer(fh).writerow(REVIEW_COLUMNS)
        os.symlink(os.path.relpath(self.reviews_path, folder), folder / RunDir.REVIEWS)
        return RunDir(folder)

    def commit(self, run: RunDir) -> None:
        """Mark ``run`` finished, switch ``OUT`` to it atomically, then delete the folders no one points at."""
        (run.root / RunDir.RUNNING).unlink(missing_ok=True)
        self._switch(run.root)
        self.clean()

    def abandon(self, run: RunDir) -> None:
        """Remove a staged run that will not be committed (interrupted or failed)."""
        shutil.rmtree(run.root, ignore_errors=True)

    def clean(self) -> None:
        """Delete every run folder but the current one (left by killed or superseded runs)."""
        if not self.runs_dir.is_dir():
            return
        keep = self.out.resolve() if self.out.is_symlink() else None
        for folder in self.runs_dir.iterdir():
            if folder.is_dir() and folder.resolve() != keep:
                shutil.rmtree(folder, ignore_errors=True)

    def _switch(self, folder: Path) -> None:
        link = self.out.with_name(f".{self.out.name}.link-{os.getpid()}")
        link.unlink(missing_ok=True)
        os.symlink(os.path.relpath(folder, self.out.parent), link)
        os.replace(link, self.out)  # atomic: readers see the old target or the new one


def load_frames(out_dir: Path | str) -> dict[str, pl.DataFrame]:
    """Read a run's frames back; a missing frame comes back empty with its schema."""
    return RunDir(out_dir).load_frames()
