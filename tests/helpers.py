"""Shared test helpers: load and extract a shipped document."""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl

from toolkit.extract.document import extract_document
from toolkit.loaders.text import load_text
from toolkit.model import Limits

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "datasets" / "seeds"


def seed_path(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def extract_text_file(path: Path) -> dict[str, pl.DataFrame]:
    data = path.read_bytes()
    raw = load_text(data, str(path), Limits())
    sha = hashlib.sha256(data).hexdigest()
    return extract_document(raw, document_id=sha[:16], path=str(path), sha256=sha, size_bytes=len(data))
