"""A run's output directory: every file name a run writes, and how each is written and read back.

:class:`RunDir` is the only place that knows the layout::

    DIR/frames/<name>.parquet   the canonical frames (toolkit.schemas.FRAME_SCHEMAS), one row group per batch
    DIR/manifest.csv            every input file and what became of it
    DIR/findings.parquet        findings (toolkit.schemas.FINDINGS), and findings.csv for Excel
    DIR/coverage.csv            every identity run/passed/failed/skipped (toolkit.checks.framework.COVERAGE)
    DIR/reviews.csv             auditors' decisions, append-only
    DIR/report.html, DIR/workpapers.xlsx   the reports

CSV files are UTF-8 with a BOM, so Excel opens them as UTF-8. Frames are streamed through a
:class:`FrameSink` while a run goes, and read back on demand through :class:`ParquetFrames`
(what corpus-scope checks receive: a check that needs only ``documents`` never loads ``cells``).
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from toolkit import schemas, shareable
from toolkit.checks.framework import COVERAGE

log = logging.getLogger(__name__)

REVIEW_COLUMNS: tuple[str, ...] = ("finding_id", "status", "note", "reviewer", "timestamp")
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

    def create(self) -> RunDir:
        self.root.mkdir(parents=True, exist_ok=True)
        return self

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

    def append_reviews(self, rows: Iterable[Sequence[str]]) -> int:
        """Append rows (in :data:`REVIEW_COLUMNS` order); a new file starts with a BOM and the header."""
        rows = list(rows)
        if not rows:
            return 0
        path = self.reviews_path
        new_file = not path.exists() or path.stat().st_size == 0
        with path.open("a", encoding="utf-8-sig" if new_file else "utf-8", newline="") as fh:
            writer = csv.writer(fh)
            if new_file:
                writer.writerow(REVIEW_COLUMNS)
            writer.writerows(rows)
        return len(rows)


def load_frames(out_dir: Path | str) -> dict[str, pl.DataFrame]:
    """Read a run's frames back; a missing frame comes back empty with its schema."""
    return RunDir(out_dir).load_frames()
