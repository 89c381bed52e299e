"""Scoring on mutants (hand-made findings) and a small run of the whole quality loop."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from toolkit.mutate.evaluate import compute, new_findings
from toolkit.mutate.labels import labels_frame, truth_frame
from toolkit.mutate.loop import batches, quality

SEED = Path(__file__).resolve().parent.parent / "datasets" / "seeds" / "003_e61ad20af645541a.txt"


def _finding(doc: str, code: str, category: str, message: str, *, fid: str, severity: str = "high",
             table_id: str | None = None) -> dict:
    return {"finding_id": fid, "check_code": code, "category": category, "severity": severity, "document": doc,
            "table_id": table_id, "location": "t01 r3", "message": message, "evidence": "[]", "expected": "",
            "actual": "", "difference": ""}


def _corpus() -> tuple[pl.DataFrame, pl.DataFrame]:
    labels = labels_frame([
        {"document": "mutants/a__text_amount.txt", "original_document": "originals/a.txt", "fault": "text_amount",
         "category": "inconsistent_total", "kind": "text_table_mismatch", "tokens": ["2,015,954.00"],
         "table_id": None, "source_format": "txt", "edit_mode": "real-layout"},
        {"document": "mutants/a__stale_year.txt", "original_document": "originals/a.txt", "fault": "stale_year",
         "category": "copy_paste", "kind": "stale_year_text", "tokens": ["2020"], "table_id": None,
         "source_format": "txt", "edit_mode": "real-layout"},
    ])
    truth = truth_frame([
        {"document": "originals/a.txt", "clean": True, "edit_mode": "original", "format": "txt"},
        {"document": "mutants/a__text_amount.txt", "clean": False, "edit_mode": "real-layout", "format": "txt"},
        {"document": "mutants/a__stale_year.txt", "clean": False, "edit_mode": "real-layout", "format": "txt"},
    ])
    return labels, truth


def test_a_finding_already_on_the_original_is_no_credit(tmp_path):
    labels, truth = _corpus()
    same = "合计 1,015,954.00 ≠ Σ 1,000,000.00"
    findings = pl.DataFrame([
        _finding("originals/a.txt", "IT010", "inconsistent_total", same, fid="IT010-orig"),
        # the same check, location and message on the mutant: not new, though its id differs
        _finding("mutants/a__stale_year.txt", "IT010", "inconsistent_total", same, fid="IT010-m1"),
        _finding("mutants/a__stale_year.txt", "CP005", "copy_paste", "标题年份2020早于决算年度2021", fid="CP005-m1"),
        _finding("mutants/a__text_amount.txt", "IT033", "inconsistent_total", "正文 2,015,954.00 与表 1,015,954.00 不符",
                 fid="IT033-m2"),
        _finding("mutants/a__text_amount.txt", "CP005", "copy_paste", "other", fid="CP005-m2", severity="medium"),
    ])
    m = compute(labels, truth, findings, tmp_path)
    by_fault = {r["fault"]: r for r in m["per_fault"]}
    assert by_fault["stale_year"]["detected"] == 1 and by_fault["stale_year"]["located"] == 1.0
    assert by_fault["text_amount"]["detected"] == 1 and by_fault["text_amount"]["checks_fired"] == {"IT033": 1}
    # new serious findings on mutants: CP005 (right), IT033 (right), CP005 on the text_amount mutant (wrong)
    assert m["new_serious_findings_on_mutants"] == 3
    assert abs(m["precision_on_mutants"] - 2 / 3) < 1e-9
    assert m["false_findings"]["original"]["per_document"] == 1.0
    news = new_findings(findings.with_columns(pl.col("document").alias("doc")), "mutants/a__stale_year.txt",
                        "originals/a.txt")
    assert [r["finding_id"] for r in news] == ["CP005-m1"]


def test_batches_never_put_a_document_beside_its_mutant():
    _, truth = _corpus()
    groups = batches(truth)
    assert groups[0] == ["originals/a.txt"]
    assert all(len(g) == 1 for g in groups[1:]) and len(groups) == 3


def test_quality_loop_writes_the_tables(tmp_path):
    metrics = quality([SEED], tmp_path / "q", per_doc=2, seed=0, kinds=["text_amount", "stale_year"], workers=1)
    md = (tmp_path / "q" / "mutants.md").read_text(encoding="utf-8")
    data = json.loads((tmp_path / "q" / "mutants.json").read_text(encoding="utf-8"))
    assert metrics["n_mutants"] == 2 == data["n_mutants"]
    assert "| text_amount |" in md and "| stale_year |" in md and "runtime:" in md
    assert data["false_findings"]["original"]["documents"] == 1
    assert {r["fault"] for r in data["mutants"]} == {"text_amount", "stale_year"}


def test_rare_faults_are_handed_out_first():
    from toolkit.mutate.generate import Original, assign_faults

    def doc(i: int, faults: tuple[str, ...]) -> Original:
        return Original(i, f"d{i}.pdf", f"{i:03d}_d.pdf", "pdf", "ok", None, None, None, "", faults)

    common = ("text_amount", "stale_year", "column_total_broken")
    docs = [doc(0, common), doc(1, common), doc(2, common + ("coverage_over_100",))]
    given = assign_faults(docs, ["text_amount", "stale_year", "column_total_broken", "coverage_over_100"],
                          per_doc=1, seed=0)
    assert given[2] == ["coverage_over_100"]  # the only document that allows it gets it
    assert all(len(v) == 1 for v in given.values())
    assert len({v[0] for v in given.values()}) == 3  # three documents, three different faults


def test_repeats_of_the_original_and_findings_citing_the_injected_value(tmp_path):
    labels, truth = _corpus()
    orig_path = str(tmp_path / "originals" / "a.txt")
    mut_path = str(tmp_path / "mutants" / "a__text_amount.txt")

    def f(doc: str, doc_id: str, code: str, category: str, message: str, location: str, fid: str) -> dict:
        return {**_finding(doc, code, category, message, fid=fid), "document_id": doc_id, "location": location}

    findings = pl.DataFrame([
        # the original's own findings: a placeholder in passage 3, a copy of another bureau's paragraph, a scan
        f(orig_path, "aaaa1111", "CP005", "copy_paste", "正文中留有占位符“XX”", "C-5|aaaa1111:p3|4", "o1"),
        f(orig_path, "aaaa1111", "CP003", "copy_paste", "段落与乙局2022年文件相同", "C-3|aaaa1111:p7|0", "o2"),
        f(orig_path, "aaaa1111", "PI001", "parse_issue", f"文件 {orig_path} 未能完整读取：第3页无文字层", "scanned|p3|0", "o3"),
        # on the mutant: the same placeholder one passage later (a block before it removed), the same copy paired
        # with another peer of the batch, the same scan under the mutant's path -- all the original's
        f(mut_path, "bbbb2222", "CP005", "copy_paste", "正文中留有占位符“XX”", "C-5|bbbb2222:p4|4", "m1"),
        f(mut_path, "bbbb2222", "CP003", "copy_paste", "段落与丙局2021年文件相同", "C-3|bbbb2222:p7|0", "m2"),
        f(mut_path, "bbbb2222", "PI001", "parse_issue", f"文件 {mut_path} 未能完整读取：第3页无文字层", "scanned|p3|0", "m3"),
        # the fault's finding, and a share check of another category quoting the injected 2,015,954.00
        f(mut_path, "bbbb2222", "IT033", "inconsistent_total", "正文 2,015,954.00 与表 1,015,954.00 不符", "N-1|p2", "m4"),
        f(mut_path, "bbbb2222", "IT071", "wrong_share", "2,015,954.00 ÷ 3,000,000.00 = 67.20%，文字称 33.87%", "C|p2", "m5"),
        # another category, not quoting the injected value: stays off-label under both rules
        f(mut_path, "bbbb2222", "CP004", "copy_paste", "写的是2019年", "C-4|bbbb2222:p9|1", "m6"),
    ])
    m = compute(labels.head(1), truth.head(2), findings, tmp_path)
    assert [r["check_code"] for r in m["off_category"]] == ["IT071", "CP004"]
    assert m["new_serious_findings_on_mutants"] == 3
    assert m["precision_on_mutants"] == 1 / 3 and m["precision_on_mutants_citing"] == 2 / 3
    # text checks on text faults: IT033 (on label) and IT071 (cites)
    assert m["new_serious_text_findings_on_text_faults"] == 2
    assert m["text_precision_on_text_faults"] == 0.5 and m["text_precision_on_text_faults_citing"] == 1.0
