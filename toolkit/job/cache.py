"""Incremental runs: which files the previous run already read and checked, and their results.

The cache is the previous finished run itself. Its ``run.json`` carries a **cache key** (the
toolkit version, every check's code and version, the limits and the settings that change what a
file gives); when the key matches, a file whose path and content hash (SHA-256) match a document of
that run is *reused*: its frames, manifest row and document-scope findings and coverage are copied
from the previous run instead of being parsed and checked again. Corpus-scope checks always re-run
over the whole set. ``--full`` (``incremental=False``) ignores the cache.

A file's hash is computed here, before any worker is started; when size and modification time are
those the previous run saw, its recorded hash is trusted without reading the file again.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from toolkit import __version__, schemas
from toolkit.checks.registry import all_checks
from toolkit.model import Limits
from toolkit.store import RunDir

log = logging.getLogger(__name__)

CHUNK_DOCS = 200  # reused documents read back from the previous run at a time (bounds memory)


def document_check_codes() -> set[str]:
    return {cls.code for cls in all_checks() if getattr(cls, "scope", "document") == "document"}


def cache_key(limits: Limits, settings: Mapping[str, object]) -> str:
    """What must be equal for a previous run's per-file results to be reused."""
    checks = sorted(f"{cls.code}:{cls.version}:{getattr(cls, 'scope', 'document')}" for cls in all_checks())
    blob = json.dumps(
        {"toolkit": __version__, "checks": checks, "limits": repr(limits), "settings": dict(settings)},
        sort_keys=True, ensure_ascii=False, default=str,
    )
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def file_sha256(path: Path, max_bytes: int) -> str | None:
    """The content hash, or None for a file too large to be read anyway or unreadable (never reused)."""
    try:
        if path.stat().st_size > max_bytes:
            return None
        with path.open("rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None


def file_stamp(path: Path) -> str | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return f"{st.st_size}:{st.st_mtime_ns}"


@dataclass(slots=True)
class ReusePlan:
    """Which task (by index) reuses which previous document, and the previous run it comes from."""

    previous: RunDir | None
    reused: dict[int, str] = field(default_factory=dict)  # task index -> document_id
    stamps: dict[str, tuple[str, str]] = field(default_factory=dict)  # display path -> (stamp, sha256)
    _manifest: dict[str, dict] = field(default_factory=dict)
    _loaded: dict[str, dict[str, pl.DataFrame]] = field(default_factory=dict)
    _order: list[str] = field(default_factory=list)
    _manifest_order: list[str] = field(default_factory=list)

    def covers(self, tasks: Sequence, unread: Sequence) -> bool:
        """Whether nothing changed: every file reused, and the same entries (those listed but not
        read too, ``toolkit.inputs.Unread``) in the same order as the previous run's manifest."""
        if self.previous is None or len(self.reused) != len(tasks):
            return False
        paths = [t.display_path for t in tasks] + [u.shown for u in unread]
        return paths == list(self._manifest_order)

    @property
    def document_ids(self) -> set[str]:
        return set(self.reused.values())

    def manifest_row(self, display_path: str) -> dict:
        return dict(self._manifest[display_path])

    def frames(self, document_id: str) -> dict[str, pl.DataFrame]:
        """The previous run's frames of one reused document (read ``CHUNK_DOCS`` documents at a time)."""
        if document_id not in self._loaded:
            start = self._order.index(document_id)
            chunk = [d for d in self._order[start:start + CHUNK_DOCS] if d not in self._loaded]
            self._load(chunk)
        return self._loaded.pop(document_id)

    def _load(self, ids: list[str]) -> None:
        assert self.previous is not None
        frames = self.previous.frames()
        parts: dict[str, dict[str, pl.DataFrame]] = {d: {} for d in ids}
        for name in schemas.FRAME_SCHEMAS:
            df = frames.scan(name).filter(pl.col("document_id").is_in(ids)).collect()
            if not df.height:
                continue
            df = schemas.conform(df, schemas.FRAME_SCHEMAS[name])
            for (doc,), part in df.partition_by("document_id", as_dict=True, maintain_order=True).items():
                parts[doc][name] = part
        self._loaded.update(parts)

    def document_outputs(self) -> tuple[pl.DataFrame, pl.DataFrame]:
        """The previous run's document-scope findings and coverage of the reused documents."""
        if self.previous is None or not self.reused:
            return schemas.empty(schemas.FINDINGS), pl.DataFrame()
        ids = list(self.document_ids)
        codes = list(document_check_codes())
        keep = pl.col("document_id").is_in(ids) & pl.col("check_code").is_in(codes)
        findings = self.previous.read_findings().filter(keep)
        coverage = self.previous.read_coverage().filter(keep)
        return findings, coverage


def plan_reuse(
    tasks: Sequence[tuple[str, str]], previous: RunDir | None, max_bytes: int
) -> ReusePlan:
    """Match ``tasks`` ((path, display path) in input order) against the previous run's documents."""
    plan = ReusePlan(previous)
    if previous is None:
        return plan
    prior_stamps = previous.read_run_json().get("file_stamps", {})
    docs = previous.frames()["documents"].select("document_id", "path", "sha256")
    by_path = {p: (d, s) for d, p, s in docs.iter_rows() if p is not None}
    manifest = previous.read_manifest()
    plan._manifest = {r["path"]: r for r in manifest.iter_rows(named=True)}
    plan._manifest_order = manifest["path"].to_list()
    seen: set[str] = set()
    for index, (path, shown) in enumerate(tasks):
        prior = by_path.get(shown)
        if prior is None or shown not in plan._manifest:
            continue
        doc_id, sha = prior
        stamp = file_stamp(Path(path))
        recorded = prior_stamps.get(shown)
        if stamp is not None and recorded is not None and recorded[0] == stamp:
            current_sha = recorded[1]
        else:
            current_sha = file_sha256(Path(path), max_bytes)
        if current_sha is None or current_sha != sha or doc_id in seen:
            continue
        seen.add(doc_id)
        plan.reused[index] = doc_id
        plan._order.append(doc_id)
        if stamp is not None:
            plan.stamps[shown] = (stamp, current_sha)
    log.info("%d of %d files unchanged since the previous run: reused", len(plan.reused), len(tasks))
    return plan


def drop_documents(frames: Mapping[str, pl.DataFrame], ids: set[str]) -> dict[str, pl.DataFrame]:
    """``frames`` without the rows of documents ``ids`` (the reused ones: their checks are cached)."""
    if not ids:
        return dict(frames)
    keep = ~pl.col("document_id").is_in(list(ids))
    return {name: df.filter(keep) if df.height else df for name, df in frames.items()}
