"""The check contract: metadata, hits and coverage frames.

A check is a class with a stable ``code`` (never reused), a kebab-case ``name``, a
``category`` and the anomaly ``detects`` kinds it can emit (``toolkit.kinds``). Its
docstring's first line is the catalogue entry; the rest is in fixed sections
(What it does / Why it matters / Example / Known false positives).

``Check.run(frames)`` is pure: it returns a :class:`CheckResult` with

* ``hits`` (schema :data:`HITS`): one row per violation, message already rendered,
  the numbers and the contributing cells (evidence, JSON list);
* ``evals`` (schema :data:`EVALS`): one row per identity instance evaluated
  (``passed``/``failed``/``skipped`` with a reason), which becomes the coverage report.

The framework (``toolkit.findings``) turns hits into findings; checks never rank or render.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar, TypeVar

import polars as pl

from toolkit.schemas import COVERAGE, conform, empty, frame  # noqa: F401  (COVERAGE re-exported)

HITS: dict[str, pl.DataType] = {
    "document_id": pl.String,
    "table_id": pl.String,
    "location": pl.String,  # stable, human-readable: table/row/column or passage/span
    "kind": pl.String,  # one of the check's ``detects``
    "message": pl.String,
    "evidence": pl.String,  # JSON list of cells: table, page, row_label, col_label, raw_text
    "expected": pl.String,
    "actual": pl.String,
    "difference": pl.String,
    "rel_diff": pl.Float64,  # |reported − computed| / max(|reported|, |computed|)
    "near_rounding": pl.Boolean,  # within twice the rounding envelope: at most info
    "is_total": pl.Boolean,  # the relation concerns a 合计/总计/总分 (weighs more)
    "severity": pl.String,  # optional override (parse issues); null = derived
}

EVALS: dict[str, pl.DataType] = {
    "document_id": pl.String,
    "identity": pl.String,  # e.g. T03-2, X-2, S-1
    "status": pl.String,  # passed|failed|skipped|error
    "reason": pl.String,
}



@dataclass(slots=True)
class CheckResult:
    hits: pl.DataFrame
    evals: pl.DataFrame

    @staticmethod
    def nothing() -> CheckResult:
        return CheckResult(empty(HITS), empty(EVALS))

    @staticmethod
    def of(hits: list[pl.DataFrame], evals: list[pl.DataFrame]) -> CheckResult:
        h = [conform_hits(x) for x in hits if x is not None and x.height]
        e = [x.select(list(EVALS)).cast(EVALS) for x in evals if x is not None and x.height]
        return CheckResult(
            pl.concat(h, how="vertical") if h else empty(HITS),
            pl.concat(e, how="vertical") if e else empty(EVALS),
        )


def conform_hits(df: pl.DataFrame) -> pl.DataFrame:
    return conform(df, HITS, {"near_rounding": False, "is_total": False})


def hits_frame(rows: list[dict]) -> pl.DataFrame:
    return conform_hits(frame(rows, HITS))


class Check:
    """Base class. Subclasses set the metadata and implement :meth:`run`."""

    code: ClassVar[str]
    name: ClassVar[str]
    category: ClassVar[str] = "inconsistent_total"
    detects: ClassVar[tuple[str, ...]] = ()
    # short Chinese name of the check, used by the ranking's explanations (``toolkit.rank.check_label``)
    label: ClassVar[str] = ""
    version: ClassVar[str] = "1"
    # table types (or frame names prefixed "frame:") the check reads; used for coverage
    requires: ClassVar[tuple[str, ...]] = ()
    # "document": every hit depends on one document's frames only, so the orchestrator may run the
    # check batch by batch while files stream in; "corpus": compares documents (peers, copies across
    # bureaus or years) and runs once at the end over every frame (read lazily, see :func:`scan`).
    scope: ClassVar[str] = "document"

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:  # pragma: no cover - abstract
        raise NotImplementedError

    def summarise(self, frames: Mapping[str, pl.DataFrame]) -> object | None:
        """A corpus-scope check's digest of one document batch, taken during the document pass.

        The document pass has each batch in memory with the inferences its checks share
        (:func:`per_frames`); a corpus check that needs the same per-document work takes what it
        needs here, so the corpus pass does not read and infer those documents again. The digest
        must hold only what the corpus pass reads (it is kept until the end of the run) and must
        depend on the batch's documents alone. None: nothing to carry (the default).
        """
        return None

    def run_with(self, frames: dict[str, pl.DataFrame], summaries: Sequence[object]) -> CheckResult:
        """The corpus pass given the digests :meth:`summarise` took of the document batches.

        Must give what :meth:`run` gives over the same frames; documents no digest covers (a
        document reused from a previous run, a call without a document pass) are computed from
        ``frames``. The default ignores the digests.
        """
        return self.run(frames)

    @classmethod
    def summary(cls) -> str:
        doc = (cls.__doc__ or "").strip()
        return doc.splitlines()[0].strip() if doc else ""

    @classmethod
    def doc(cls) -> str:
        import inspect

        return inspect.cleandoc(cls.__doc__ or "")


def get(frames: Mapping[str, pl.DataFrame], name: str) -> pl.DataFrame:
    """A frame by name, conformed to its canonical schema (missing frame -> empty)."""
    from toolkit.schemas import FRAME_SCHEMAS, conform

    schema = FRAME_SCHEMAS[name]
    df = frames.get(name)
    if df is None:
        return empty(schema)
    return conform(df, schema)


def scan(frames: Mapping[str, pl.DataFrame], name: str) -> pl.LazyFrame:
    """A frame as a LazyFrame conformed to its schema: for corpus-scope checks that need a few columns.

    Over a run's Parquet files (``toolkit.store.ParquetFrames``) this is ``pl.scan_parquet``, so
    projections and filters are pushed down and the whole corpus never sits in memory at once;
    over an in-memory dict it is the frame's ``.lazy()``.
    """
    from toolkit.schemas import FRAME_SCHEMAS

    schema = FRAME_SCHEMAS[name]
    scanner = getattr(frames, "scan", None)
    lf = scanner(name) if callable(scanner) else get(frames, name).lazy()  # type: ignore[arg-type]
    return conform(lf, schema)


def skipped_missing_tables(
    frames: dict[str, pl.DataFrame], table_types: tuple[str, ...], identity: str, *, need_all: bool = True
) -> pl.DataFrame:
    """Evals rows ``skipped: table not found`` for documents lacking the tables an identity needs.

    Only documents that look like they should have them count: a document with *none* of the
    决算/自评 tables (a narrative report) is skipped with reason ``not applicable``.
    """
    docs = get(frames, "documents").select("document_id").unique()
    tables = get(frames, "tables").select("document_id", "table_type").unique()
    have = tables.filter(pl.col("table_type").is_in(table_types)).group_by("document_id").agg(
        pl.col("table_type").n_unique().alias("n")
    )
    want = len(table_types) if need_all else 1
    out = docs.join(have, on="document_id", how="left").filter(pl.col("n").fill_null(0) < want)
    if out.height == 0:
        return empty(EVALS)
    return out.select(
        "document_id",
        pl.lit(identity).alias("identity"),
        pl.lit("skipped").alias("status"),
        pl.lit("table not found: " + "+".join(table_types)).alias("reason"),
    )


T = TypeVar("T")
_FRAME_CACHES: list[list] = []


def _frames_key(frames: Mapping[str, pl.DataFrame]) -> tuple:
    # an in-memory dict may be refilled between calls: its frames' identities are part of the key
    if isinstance(frames, dict):
        return tuple((name, id(df)) for name, df in frames.items())
    return ()


def per_frames(fn: Callable[[Mapping[str, pl.DataFrame]], T]) -> Callable[[Mapping[str, pl.DataFrame]], T]:
    """Memoise ``fn(frames)`` for the frames last seen, so several checks of one run share a costly join.

    One entry only, holding the frames it was computed from (their ids cannot be reused meanwhile);
    ``toolkit.checks.run_checks`` drops every entry after each run (:func:`clear_frame_caches`).
    """
    last: list = []  # [(frames, key, result)]

    @functools.wraps(fn)
    def cached(frames: Mapping[str, pl.DataFrame]) -> T:
        key = _frames_key(frames)
        if last and last[0][0] is frames and last[0][1] == key:
            return last[0][2]
        result = fn(frames)
        last[:] = [(frames, key, result)]
        return result

    _FRAME_CACHES.append(last)
    return cached


def clear_frame_caches() -> None:
    for entry in _FRAME_CACHES:
        entry.clear()
