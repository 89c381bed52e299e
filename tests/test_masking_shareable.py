"""What leaves the auditor's machine: findings.csv/.parquet and manifest.csv masked by default,
CSV cells neutralised against formula injection (Parquet keeps the raw value), frames raw,
``--no-mask`` raw and saying so; the masking rules for spaced IDs, spaced role words and file names.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.report.data import load_report_data
from toolkit.report.masking import mask_text
from toolkit.report.review import import_workpapers, latest_reviews, read_reviews, record_review
from toolkit.shareable import UNMASKED_NOTICE, is_masked, neutralise_cell, neutralise_frame

# An empty file is a parse issue whose finding names the file: the name carries the personal data.
PERSONAL_NAME = "经办人_张三_13812345678.txt"
FORMULA_NAME = "=1+2.txt"
SEED = sorted((Path(__file__).resolve().parents[1] / "datasets" / "seeds").glob("001_*.txt"))[0]


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("身份证号 110105 19491231 002X", "身份证号 110*************2X"),
        ("身份证号110105-1949-1231-002X。", "身份证号110*************2X。"),
        ("联 系 人：张三", "联 系 人：张*"),
        ("负　责　人：李四", "负　责　人：李*"),
        ("经办人_张三.docx", "经办人_张*.docx"),
        ("举报人-王五-材料.pdf", "举报人-王*-材料.pdf"),
    ],
)
def test_spaced_ids_spaced_roles_and_names_in_file_names_are_masked(text: str, masked: str) -> None:
    assert mask_text(text) == masked


@pytest.mark.parametrize(
    "text",
    ["科目 2080501 110105 20210101", "负 责 人：高度重视", "支出合计 110105.19 万元", "2021 年 12 月 31 日"],
)
def test_codes_amounts_and_dates_with_spaces_are_not_masked(text: str) -> None:
    assert mask_text(text) == text


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-12.5", "-12.5"),  # a plain negative number stays a number
        ("-1,234.56", "-1,234.56"),
        ("+3", "+3"),
        ("-5%", "-5%"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralise_cell_follows_the_owasp_rule(cell: str, safe: str) -> None:
    assert neutralise_cell(cell) == safe


def test_neutralise_frame_matches_the_cell_rule_and_leaves_numbers_alone() -> None:
    cells = ["=1+2", "-12.5", "@x", "ok", None]
    df = pl.DataFrame({"s": cells, "n": [-1.0, 2.0, 3.0, 4.0, 5.0]})
    out = neutralise_frame(df)
    assert out["s"].to_list() == [neutralise_cell(c) for c in cells]
    assert out["n"].to_list() == df["n"].to_list()


def _screen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *extra: str) -> tuple[Path, str]:
    inputs = tmp_path / "in"
    inputs.mkdir(exist_ok=True)
    (inputs / PERSONAL_NAME).write_bytes(b"")
    (inputs / FORMULA_NAME).write_bytes(b"")
    # one readable document beside the two empty ones: a run with nothing readable is a usage error
    shutil.copy(SEED, inputs / "seed.txt")
    out = tmp_path / ("out" + "".join(extra).replace("-", "_"))
    monkeypatch.chdir(inputs)  # "." as the input: shown paths start with the file name
    result = CliRunner().invoke(
        app, ["screen", ".", "--out", str(out), "--workers", "1", "--no-progress", "--no-report", *extra]
    )
    assert result.exit_code == 0, result.output + repr(result.exception)
    return out, result.output


def test_shared_outputs_are_masked_and_formula_safe_frames_stay_raw(tmp_path: Path, monkeypatch) -> None:
    out, output = _screen(tmp_path, monkeypatch)
    assert UNMASKED_NOTICE not in output
    findings_csv = (out / "findings.csv").read_text(encoding="utf-8-sig")
    manifest_csv = (out / "manifest.csv").read_text(encoding="utf-8-sig")
    findings = pl.read_parquet(out / "findings.parquet")
    for shared in (findings_csv, manifest_csv, findings.write_csv()):
        assert "13812345678" not in shared and "张三" not in shared
        assert "138****5678" in shared and "张*" in shared
    # CSV: the cell that starts like a formula gets a leading quote; Parquet keeps the raw value
    manifest = pl.read_csv(out / "manifest.csv")
    assert f"'{FORMULA_NAME}" in manifest["path"].to_list()
    assert FORMULA_NAME in findings["document"].to_list()
    assert f"'{FORMULA_NAME}" in pl.read_csv(out / "findings.csv")["document"].to_list()
    assert is_masked(out / "findings.parquet") is True
    # the frames keep the raw data (checks need it)
    documents = pl.read_parquet(out / "frames" / "documents.parquet")
    assert PERSONAL_NAME in documents["path"].to_list()


def test_no_mask_writes_raw_values_and_says_so(tmp_path: Path, monkeypatch) -> None:
    out, output = _screen(tmp_path, monkeypatch, "--no-mask")
    assert UNMASKED_NOTICE in output
    assert PERSONAL_NAME in pl.read_parquet(out / "findings.parquet")["document"].to_list()
    assert "13812345678" in (out / "manifest.csv").read_text(encoding="utf-8-sig")
    assert is_masked(out / "findings.parquet") is False
    # formula safety does not depend on masking
    assert f"'{FORMULA_NAME}" in pl.read_csv(out / "manifest.csv")["path"].to_list()


def test_reviewer_notes_are_masked_in_the_workbook_and_survive_a_round_trip(tmp_path: Path, monkeypatch) -> None:
    from toolkit.report import write_reports

    out, _ = _screen(tmp_path, monkeypatch)
    finding_id = pl.read_parquet(out / "findings.parquet")["finding_id"][0]
    note = "已电话联系人：李四 13912345678 核实"
    record_review(out, finding_id, "需补充资料", note, "审计甲")
    data = load_report_data(out)
    (shown,) = data.findings.filter(pl.col("finding_id") == finding_id)["review_note"].to_list()
    assert shown == "已电话联系人：李* 139****5678 核实"
    # decisions and the workbook's creation time are kept to the second: write it in a later
    # second, as an auditor's workbook always is, so it is not taken for an older one
    time.sleep(1.1)
    paths = write_reports(out)
    # importing the workbook untouched keeps the raw note: the masked one is not a new decision
    appended, problems = import_workpapers(out, paths["xlsx"])
    assert (appended, problems) == (0, [])
    latest = latest_reviews(read_reviews(out)).filter(pl.col("finding_id") == finding_id)
    assert latest["note"].to_list() == [note]
