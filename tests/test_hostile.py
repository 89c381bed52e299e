"""Hostile and broken inputs: every directory entry ends up in the manifest with a status and a reason
naming its problem, the good files are read, and the run does not crash or hang.

All files are generated (:mod:`toolkit.fuzz.hostile`; the 200 MB one is sparse: it costs no disk).
"""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.fuzz.hostile import (
    CONTENT_TYPES,
    DOCUMENT_XML,
    build_hostile_corpus,
    manifest_rows,
    problems,
    restore_permissions,
)
from toolkit.fuzz.hostile import zip_bytes as _zip
from toolkit.loaders import load_bytes
from toolkit.loaders.safety import check_zip
from toolkit.loaders.sniff import sniff
from toolkit.model import Limits

SEEDS = Path(__file__).resolve().parents[1] / "datasets" / "seeds"
if not SEEDS.is_dir():
    SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"  # shared/ beside the checkout

SEED_TEXT = sorted(SEEDS.glob("*.txt"))[0].read_text(encoding="utf-8")


def test_hostile_corpus_through_the_cli(tmp_path: Path):
    """Every entry of the hostile corpus is in the manifest with the status and reason expected;
    no crash, no hang; what a link outside the inputs points to never reaches the frames."""
    inputs = tmp_path / "inputs"
    cases = build_hostile_corpus(inputs, SEED_TEXT, outside=tmp_path)
    out = tmp_path / "out"
    try:
        result = CliRunner().invoke(
            app, ["ingest", str(inputs), "--out", str(out), "--workers", "2", "--no-progress"]
        )
    finally:
        restore_permissions(inputs)
    assert result.exit_code == 0, result.output + repr(result.exception)

    manifest = pl.read_csv(out / "manifest.csv", schema_overrides={"reason": pl.String})
    rows = manifest_rows(inputs, manifest.to_dicts())
    assert problems(cases, rows) == []
    # sniffed formats, not extensions
    assert rows["text_named.pdf"]["format"] == "txt"
    assert rows["html_named.xls"]["format"] == "html"
    assert rows["gbk.txt"]["format"] == "txt"
    assert rows["utf16le_nobom.txt"]["format"] == "txt"
    # a refused file was never read: no hash, but its size is known
    assert rows["huge.pdf"]["sha256"] is None and rows["huge.pdf"]["size_bytes"] == 200 * 1024 * 1024
    # every problem is also a parse_issues row naming the file
    issues = pl.read_parquet(out / "frames" / "parse_issues.parquet")
    read_failed = {rel for rel, r in rows.items() if r["status"] == "failed" and r["sha256"] is not None}
    assert {rel.split("/")[-1] for rel in read_failed} <= {Path(p).name for p in issues["path"]}
    # the name that was not UTF-8 is shown escaped, in the manifest and in the frames
    documents = pl.read_parquet(out / "frames" / "documents.parquet")
    escaped = r"\xd2\xbd\xb1\xa3\xbe\xd62021\xc4\xea\xbe\xf6\xcb\xe3.txt"
    assert any(p.endswith(escaped) for p in documents["path"])
    # nothing from outside the inputs was read
    for frame in out.glob("frames/*.parquet"):
        df = pl.read_parquet(frame).select(pl.col(pl.String))
        leaked = df.select(pl.any_horizontal(pl.all().str.contains("OUTSIDE-SECRET", literal=True).fill_null(False)))
        assert not leaked.to_series().any(), frame.name


def test_a_link_out_of_the_inputs_is_read_only_when_asked(tmp_path: Path):
    inputs, outside = tmp_path / "in", tmp_path / "elsewhere"
    inputs.mkdir()
    outside.mkdir()
    (outside / "report.txt").write_text(SEED_TEXT, encoding="utf-8")
    (inputs / "link.txt").symlink_to(outside / "report.txt")
    skipped = CliRunner().invoke(app, ["ingest", str(inputs), "--out", str(tmp_path / "a"), "--workers", "1",
                                       "--no-progress"])
    followed = CliRunner().invoke(app, ["ingest", str(inputs), "--out", str(tmp_path / "b"), "--workers", "1",
                                        "--no-progress", "--follow-links"])
    assert skipped.exit_code == followed.exit_code == 0
    (row_a,) = pl.read_csv(tmp_path / "a" / "manifest.csv").to_dicts()
    (row_b,) = pl.read_csv(tmp_path / "b" / "manifest.csv").to_dicts()
    assert row_a["status"] == "skipped" and "outside the input folders" in row_a["reason"]
    assert row_b["status"] == "ok" and row_b["sha256"] is not None


# ---- the same rules, one function at a time (fast, no processes)


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"%PDF-1.7\n...", "a.pdf", "pdf"),
        (b"\xef\xbb\xbf<!DOCTYPE html><html></html>", "a.xls", "html"),
        ("  \n<table><tr><td>合计</td></tr></table>".encode("gb18030"), "a.xls", "html"),
        ("项目,预算数,决算数\n基本支出,1,2\n合计,1,2\n".encode("gb18030"), "a.dat", "csv"),
        ("项目,预算数\n合计,1\n其中,1\n".encode("utf-16"), "a.txt", "txt"),
        ("一、部门概况\n本局负责医疗保障工作。\n".encode("gb18030"), "a", "txt"),
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "scan.pdf", "unknown"),
        (b"{\\rtf1\\ansi hello}", "a.doc", "unknown"),
    ],
)
def test_sniff_formats(data: bytes, name: str, expected: str):
    assert sniff(data, name).format == expected


def test_sniff_flags_wrong_extension_only_when_content_disagrees():
    assert [i.code for i in sniff(b"%PDF-1.4 x", "report.doc").issues] == ["wrong_extension"]
    assert sniff(b"%PDF-1.4 x", "report.PDF").issues == []
    assert sniff(b"a,b\n1,2\n3,4\n", "t.txt").issues == []  # csv vs txt: one family


def test_check_zip_limits_and_names():
    docx = {"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": DOCUMENT_XML}
    assert check_zip(_zip(docx), Limits()) == []
    # total declared size above a (low) limit
    padded = _zip({**docx, "word/media/a.bin": random.Random(1).randbytes(300_000)})
    (issue,) = check_zip(padded, Limits(max_decompressed_bytes=200_000))
    assert issue.code == "zip_bomb" and issue.fatal and "195.3 KB limit" in issue.reason
    (issue,) = check_zip(_zip({**docx, "../../etc/cron.d/x": "x"}), Limits())
    assert issue.code == "hostile_zip" and "path traversal" in issue.reason
    (issue,) = check_zip(_zip({**docx, "word/media/inner.zip": _zip({"a": "b"})}), Limits())
    assert issue.code == "zip_bomb" and "nested" in issue.reason
    # a chart's workbook embedded in a DOCX is a zip too, and legitimate
    assert (
        check_zip(
            _zip({**docx, "word/embeddings/Microsoft_Excel_Worksheet.xlsx": _zip({"a": "b"})}), Limits()
        )
        == []
    )


def test_load_bytes_never_raises_on_a_loader_bug(monkeypatch: pytest.MonkeyPatch):
    from toolkit.loaders import formats

    monkeypatch.delitem(formats.by_name(), "txt")  # a sniffed format nobody loads
    doc = load_bytes("医疗保障局".encode(), "a.txt", Limits())
    assert doc.failed and doc.issues[-1].code == "unsupported_format"
    monkeypatch.undo()
    txt = formats.by_name()["txt"]
    monkeypatch.setitem(formats.by_name(), "txt", dataclasses.replace(txt, load=json.loads))  # raises: wrong signature
    doc = load_bytes("医疗保障局".encode(), "a.txt", Limits())
    assert doc.failed and doc.issues[-1].code == "unreadable" and "TypeError" in doc.issues[-1].reason
