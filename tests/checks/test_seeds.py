"""The engine on the real seed documents (loaded and extracted by the project's own pipeline)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import polars as pl
import pytest

from toolkit.checks import run_checks

SEEDS = Path(__file__).resolve().parents[2] / "datasets" / "seeds"
SEVERE = ("low", "medium", "high")


def _frames(path: Path) -> dict[str, pl.DataFrame]:
    from toolkit.extract.document import extract_document
    from toolkit.loaders.text import load_text
    from toolkit.model import Limits

    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    raw = load_text(data, str(path), Limits())
    return extract_document(raw, document_id=sha[:16], path=str(path), sha256=sha, size_bytes=len(data))


@pytest.fixture(scope="module")
def results() -> dict[str, tuple[pl.DataFrame, pl.DataFrame]]:
    return {p.name[:3]: run_checks(_frames(p)) for p in sorted(SEEDS.glob("*.txt"))}


def test_seed004_moved_subject_amounts(results):
    findings, _ = results["004"]
    moved = findings.filter(pl.col("check_code") == "IT011")
    # 03/05 rows carry 02's amounts rotated by one row (checked by hand against the document):
    # 2101501 105.6 (02: 45.83), 2101505 45.83 (14.45), 2101506 14.45 (109.65),
    # 2101550 109.65 (25.28), 2210201 25.28 (15.13), 2101301 15.13 (105.6)
    expected = {"2101501": ("105.6", "45.83"), "2101505": ("45.83", "14.45"), "2101506": ("14.45", "109.65"),
                "2101550": ("109.65", "25.28"), "2210201": ("25.28", "15.13"), "2101301": ("15.13", "105.6")}
    assert moved.height == 6
    for code, (shown_03, shown_02) in expected.items():
        msg = moved.filter(pl.col("location") == f"X-3|{code}")["message"][0]
        assert f"均为 {shown_03}万元" in msg and f"为 {shown_02}万元" in msg, msg
        assert "见于收入决算表" in msg and "见于支出决算表" in msg, msg
    msg = moved.filter(pl.col("location") == "X-3|2210201")["message"][0]
    assert "25.28 见于收入决算表 2101550 事业运行 行" in msg


def test_seed004_score_total(results):
    findings, _ = results["004"]
    s = findings.filter((pl.col("check_code") == "IT020") & pl.col("message").str.contains("区级扶贫捐款专项资金"))
    total = s.filter(pl.col("message").str.contains("总分 为 87分"))
    assert total.height == 1 and total["expected"][0] == "82分" and total["severity"][0] in ("medium", "high")
    weights = s.filter(pl.col("message").str.contains("满分"))
    assert weights.height == 1 and weights["expected"][0] == "95分"


def test_seed004_class_totals_and_no_footing_noise(results):
    findings, coverage = results["004"]
    # every table foots; only cross-table and score identities fail
    assert findings.filter(pl.col("check_code").is_in(["IT001", "IT002", "IT003", "IT004", "IT005", "IT006"])).height == 0
    x2 = findings.filter((pl.col("check_code") == "IT010") & (pl.col("location") == "X-2|221"))
    assert x2["actual"][0] == "15.13万元" and x2["expected"][0] == "25.28万元"
    assert "error" not in coverage["status"].to_list()


def test_seed003_generic_table_no_finding_above_info(results):
    findings, _ = results["003"]
    assert findings.filter(pl.col("severity").is_in(SEVERE)).height == 0, findings["message"].to_list()


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_no_severe_finding_rounding_explains(results, seed):
    findings, coverage = results[seed]
    assert "error" not in coverage["status"].to_list()
    # a severe finding must carry a difference that is not zero at its printed precision
    for row in findings.filter(pl.col("severity").is_in(SEVERE)).iter_rows(named=True):
        digits = re.match(r"-?[\d.]+", row["difference"]).group(0)
        assert float(digits) != 0.0, row["message"]
