"""``toolkit.evaluate``: the matching rule on hand-made labels/findings, then end to end on a generated corpus."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from tests.synth_fixtures import SynthCorpus, SynthScreen, synth_corpus, synth_screen  # noqa: F401
from toolkit.evaluate import compute_metrics, evaluate_command, normalise_path
from toolkit.schemas import FINDINGS, frame

A = "docs/湖南省/平江县医疗保障局/2023/final_accounts.pdf"
B = "docs/湖南省/华容县医疗保障局/2023/final_accounts.txt"
C = "docs/湖南省/华容县医疗保障局/2023/dept_self_eval.docx"
D = "docs/湖南省/汨罗市医疗保障局/2023/final_accounts.txt"


def _labels(rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(rows)


def test_matching_rule_by_hand(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    labels = _labels([
        {"document": A, "bureau": "平江县医疗保障局", "fiscal_year": 2023, "category": "inconsistent_total",
         "kind": "broken_footing"},
        {"document": C, "bureau": "华容县医疗保障局", "fiscal_year": 2023, "category": "copy_paste",
         "kind": "template_residue"},
    ])
    truth = pl.DataFrame({
        "document": [A, B, C, D],
        "bureau": ["平江县医疗保障局", "华容县医疗保障局", "华容县医疗保障局", "汨罗市医疗保障局"],
        "fiscal_year": [2023] * 4,
    })
    findings = frame([
        # absolute path under the corpus: hits A with the right category -> label detected, finding true
        {"check_code": "X1", "category": "inconsistent_total", "score": 0.9, "document": str(corpus / A)},
        # wrong category on A: a false finding, does not detect anything
        {"check_code": "X2", "category": "implausible_ratio", "score": 0.5, "document": str(corpus / A)},
        # a finding on clean document D (relative path as given from elsewhere: normalised from 'docs/')
        {"check_code": "X1", "category": "inconsistent_total", "score": 0.2, "document": "../elsewhere/" + D},
    ], FINDINGS)
    m = compute_metrics(labels, findings, truth, corpus)
    it = m["per_category"]["inconsistent_total"]
    assert (it["labels"], it["detected"], it["findings"], it["true_findings"]) == (1, 1, 2, 1)
    assert it["precision"] == 0.5 and it["recall"] == 1.0 and it["f1"] == pytest.approx(2 / 3)
    cp = m["per_category"]["copy_paste"]
    assert cp["recall"] == 0.0 and cp["precision"] is None
    assert m["per_kind"]["broken_footing"]["recall"] == 1.0
    # clean documents: B and D; one finding on D
    assert m["n_clean_documents"] == 2
    assert m["false_findings_per_clean_document"] == 0.5
    # ranking: bureau-years 平江 (pos, 0.9), 华容 (pos, 0), 汨罗 (neg, 0.2) -> AUC 0.5, p@2 = 0.5
    r = m["ranking"]["max_score"]
    assert r["roc_auc"] == pytest.approx(0.5)
    assert r["precision_at_n_positive"] == 0.5


def test_normalise_path(tmp_path: Path) -> None:
    assert normalise_path(str(tmp_path / A), tmp_path) == A
    assert normalise_path("/somewhere/else/" + A, tmp_path) == A
    assert normalise_path(None, tmp_path) is None


def test_generated_corpus_layout(synth_corpus: SynthCorpus) -> None:  # noqa: F811
    t = synth_corpus.truth
    assert t.height == 48
    assert set(t["format"].unique().to_list()) == {"txt", "docx", "pdf", "xlsx", "html"}
    for rel in t["document"].to_list():
        assert (synth_corpus.root / rel).is_file()
        assert rel.startswith("docs/")
    labelled = set(synth_corpus.labels["document"].to_list())
    assert labelled <= set(t["document"].to_list())
    assert t.filter(pl.col("document").is_in(sorted(labelled)))["clean"].sum() == 0
    assert synth_corpus.seconds < 30


def test_end_to_end_screen_and_evaluate(synth_corpus: SynthCorpus, synth_screen: SynthScreen,  # noqa: F811
                                        tmp_path: Path) -> None:
    man = synth_screen.manifest
    assert man.height == 48
    assert man.filter(pl.col("status") == "failed").height == 0, man.filter(pl.col("status") == "failed")
    assert synth_corpus.seconds + synth_screen.seconds < 90
    findings_path = synth_screen.out / "findings.parquet"
    metrics = evaluate_command(synth_corpus.root / "labels.parquet", findings_path, tmp_path)
    saved = json.loads((tmp_path / "metrics.json").read_text(encoding="utf-8"))
    assert saved["n_labels"] == synth_corpus.labels.height
    assert saved["findings_on_unknown_documents"] == 0  # every finding maps onto a corpus document
    assert set(saved["per_kind"]) >= {"broken_footing", "peer_outlier", "template_residue"}
    assert metrics["ranking"]["bureau_years"] == 16
