"""Reviewed verdicts: a finding on an original judged a real error of the document is not false."""

from __future__ import annotations

import json

import polars as pl

from toolkit.mutate.evaluate import compute
from toolkit.mutate.labels import labels_frame, truth_frame
from toolkit.mutate.report import render_markdown
from toolkit.mutate.verdicts import DEFAULT_DIR, Verdicts, load_verdicts

HEADER = "check_code,file,page,location,message_excerpt,verdict,why\n"


def _finding(doc: str, code: str, message: str, *, fid: str, page: int = 2, category: str = "inconsistent_total"):
    return {"finding_id": fid, "check_code": code, "category": category, "severity": "high", "document": doc,
            "table_id": None, "location": "p2 s3", "message": message,
            "evidence": json.dumps([{"page": page, "raw_text": "x"}]), "expected": "", "actual": "", "difference": ""}


def _corpus():
    labels = labels_frame([
        {"document": "mutants/001_a__text_growth.txt", "original_document": "originals/001_a.txt",
         "fault": "text_growth", "category": "inconsistent_total", "kind": "wrong_growth_rate", "tokens": ["9.9%"],
         "table_id": None, "source_format": "txt", "edit_mode": "real-layout"}])
    truth = truth_frame([
        {"document": "originals/001_a.txt", "clean": True, "edit_mode": "original", "format": "txt"},
        {"document": "mutants/001_a__text_growth.txt", "clean": False, "edit_mode": "real-layout", "format": "txt"}])
    return labels, truth


def _write(tmp_path, rows: str):
    folder = tmp_path / "verdicts"
    folder.mkdir()
    (folder / "text.csv").write_text(HEADER + rows, encoding="utf-8")
    return load_verdicts(folder)


def test_real_error_verdicts_are_counted_apart_and_false_ones_stay_false(tmp_path):
    verdicts = _write(tmp_path, "IT070,seeds/a.txt,2,,增长12.5%,real_error,page prints 100 and 110: 10%\n"
                                "IT071,a.txt,2,,占比40%,false,the whole is another year's\n")
    labels, truth = _corpus()
    findings = pl.DataFrame([
        _finding("originals/001_a.txt", "IT070", "文字称增长12.5%，由金额计算为10.0%", fid="o1"),
        _finding("originals/001_a.txt", "IT071", "文字称占比40%，由金额计算为35%", fid="o2"),
        _finding("originals/001_a.txt", "IT011", "合计不符", fid="o3"),
        # the same real error on the mutant with another message wording of its location: not new by key,
        # so carried over; and the mutant's own finding
        _finding("mutants/001_a__text_growth.txt", "IT070", "文字称增长12.5%，由金额计算为10.0%（另一处）", fid="m1"),
        _finding("mutants/001_a__text_growth.txt", "CP005", "模板残留", fid="m2", category="copy_paste"),
    ])
    m = compute(labels, truth, findings, tmp_path, verdicts=verdicts)
    ff = m["false_findings"]["original"]
    assert ff["serious_findings"] == 3 and ff["confirmed_real"] == 1 and ff["reviewed_false"] == 1
    assert ff["unreviewed"] == 1 and ff["false_findings"] == 2 and ff["per_document"] == 2.0
    assert ff["text"] == {"serious_findings": 2, "false_findings": 1, "per_document": 1.0, "confirmed_real": 1,
                          "unreviewed": 0}
    # precision on the mutant: the carried-over real error is left out; CP005 is off-label
    assert m["new_serious_findings_on_mutants"] == 1 and m["precision_on_mutants"] == 0.0
    md = render_markdown({**m, "run": {}})
    assert "confirmed real errors of the documents (reviewed verdicts): 1 (IT070×1)" in md
    assert "unreviewed: 1" in md and "text checks (IT03x/IT07x): 1.00 per document (1 false of 2)" in md


def test_a_verdict_names_its_page_excerpt_and_check():
    v = Verdicts([{"check_code": "IT070", "file": "a.pdf", "page": 3, "location": "", "message_excerpt": "增长12.5%",
                   "verdict": "real_error", "why": ""}])
    hit = _finding("x/a.pdf", "IT070", "增长12.5%不符", fid="1", page=3)
    assert v.verdict(hit) == "real_error"
    assert v.verdict({**hit, "evidence": json.dumps([{"page": 4}])}) is None  # another page
    assert v.verdict({**hit, "check_code": "IT071"}) is None
    assert v.verdict({**hit, "message": "增长13.5%不符"}) is None
    assert v.verdict(hit, "originals/007_b.pdf") is None  # another document


def test_unknown_verdicts_are_ignored_and_the_shipped_files_load(tmp_path):
    v = _write(tmp_path, "IT070,a.txt,,,x,maybe,\nIT070,a.txt,,,y,unclear,\n")
    assert v.rows == 1 and v.table[0]["verdict"] == "unclear" and v.table[0]["page"] is None
    shipped = load_verdicts(DEFAULT_DIR)
    assert all(r["verdict"] in ("real_error", "false", "unclear") and r["check_code"] for r in shipped.table)


def test_a_verdict_read_on_the_corpus_copy_names_the_file_with_spaces_too():
    # the quality corpus writes “局 2024 年度决算.pdf” as “006_局_2024_年度决算.pdf”; a screen of the input keeps the spaces
    v = Verdicts([{"check_code": "IT030", "file": "局_2024_年度决算.pdf", "page": None, "location": "",
                   "message_excerpt": "人员经费", "verdict": "real_error", "why": ""}])
    hit = _finding("realdocs/局 2024 年度决算.pdf", "IT030", "人员经费 为 4896.98万元", fid="1")
    assert v.verdict(hit) == "real_error"
    assert v.verdict(hit, "originals/006_局_2024_年度决算.pdf") == "real_error"
    assert v.verdict(hit, "realdocs/局 2025 年度决算.pdf") is None
