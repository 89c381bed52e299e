"""Session-scoped fixtures: a small generated corpus in every format, ingested and screened once.

Import the fixtures into a test module (``from tests.synth_fixtures import synth_corpus, synth_screen``)
or register the module in conftest.py (``pytest_plugins = ["tests.synth_fixtures"]``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest

SYNTH_FORMATS = "txt,docx,pdf,xlsx,html"


@dataclass(slots=True)
class SynthCorpus:
    root: Path  # corpus dir (labels.parquet, truth.parquet, docs/)
    labels: pl.DataFrame
    truth: pl.DataFrame
    seconds: float


@dataclass(slots=True)
class SynthScreen:
    out: Path
    findings: pl.DataFrame
    manifest: pl.DataFrame
    seconds: float


@pytest.fixture(scope="session")
def synth_corpus(tmp_path_factory: pytest.TempPathFactory) -> SynthCorpus:
    """8 bureaus × 2 years × 3 documents = 48 documents, formats drawn from all five, 40% anomalous."""
    from toolkit.synth.corpus import build_corpus

    root = tmp_path_factory.mktemp("synth_corpus")
    labels, truth, secs = build_corpus(root, bureaus=8, years=2, formats=SYNTH_FORMATS, seed=7, anomaly_rate=0.4)
    return SynthCorpus(root, labels, truth, secs)


@pytest.fixture(scope="session")
def synth_screen(synth_corpus: SynthCorpus, tmp_path_factory: pytest.TempPathFactory) -> SynthScreen:
    from toolkit.executor import LocalProcessExecutor
    from toolkit.pipeline import screen

    out = tmp_path_factory.mktemp("synth_screen")
    t0 = time.perf_counter()
    res = screen([synth_corpus.root / "docs"], out, executor=LocalProcessExecutor(workers=2))
    return SynthScreen(out, res.findings, res.run.manifest, time.perf_counter() - t0)
