"""The one composition: ``toolkit.screen`` from Python writes what ``yibao-audit screen`` writes;
the run directory owns the output names; one rule builds a document's status and reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
from typer.testing import CliRunner

import toolkit
from toolkit.cli import app
from toolkit.extract.document_row import document_row, failure_frames, issue_reason, issue_status
from toolkit.model import LoadIssue, RawDocument
from toolkit.store import RunDir

SEED = sorted((Path(__file__).resolve().parents[1] / "datasets" / "seeds").glob("001_*.txt"))[0]  # has findings
RUN_FILES = {"frames", "manifest.csv", "findings.parquet", "findings.csv", "coverage.csv", "report.html",
             "workpapers.xlsx", "changes.parquet", "changes.csv", "ranking.parquet", "ranking.csv", "run.json",
             "reviews.csv"}


def test_python_screen_writes_what_the_cli_writes(tmp_path: Path) -> None:
    docs = tmp_path / "in"
    docs.mkdir()
    shutil.copy(SEED, docs / SEED.name)
    result = toolkit.screen([docs], tmp_path / "py", executor=toolkit.SerialExecutor())
    cli = CliRunner().invoke(app, ["screen", str(docs), "--out", str(tmp_path / "cli"), "--workers", "1",
                                   "--no-progress"])
    assert cli.exit_code == 0, cli.output

    py_dir, cli_dir = RunDir(tmp_path / "py"), RunDir(tmp_path / "cli")
    assert {p.name for p in py_dir.root.iterdir()} == RUN_FILES
    assert {p.name for p in cli_dir.root.iterdir()} == RUN_FILES
    assert result.reports == {"html": py_dir.report_path, "xlsx": py_dir.workpapers_path}
    assert py_dir.read_findings().equals(cli_dir.read_findings())
    assert py_dir.read_findings().height == result.findings.height > 0
    assert py_dir.read_coverage().equals(cli_dir.read_coverage())
    assert py_dir.read_manifest().drop("seconds").equals(cli_dir.read_manifest().drop("seconds"))
    for name, frame in py_dir.load_frames().items():
        assert frame.equals(cli_dir.load_frames()[name]), name
    assert "<html" in py_dir.report_path.read_text(encoding="utf-8")[:500].lower()


def test_screen_without_reports_and_report_later(tmp_path: Path) -> None:
    out = RunDir(tmp_path / "out")
    result = toolkit.screen([SEED], out.root, executor=toolkit.SerialExecutor(), write_report=False)
    assert result.reports == {}
    assert out.has_findings() and not out.report_path.exists() and not out.workpapers_path.exists()
    paths = toolkit.write_reports(out.root)
    assert paths == {"html": out.report_path, "xlsx": out.workpapers_path}
    assert out.report_path.stat().st_size > 0 and out.workpapers_path.stat().st_size > 0


def test_run_dir_owns_the_names_and_round_trips(tmp_path: Path) -> None:
    run = RunDir(tmp_path / "r").create()
    assert run.frame_path("documents") == tmp_path / "r" / "frames" / "documents.parquet"
    assert run.reviews_path.name == "reviews.csv"
    assert run.read_reviews().height == 0 and run.finding_ids() == set()
    assert run.append_reviews([["f1", "排除", "重复", "张三", "2024-01-01T00:00:00+00:00"]]) == 1
    assert run.append_reviews([["f1", "确认问题", "", "李四", "2024-01-02T00:00:00+00:00"]]) == 1
    reviews = run.read_reviews()
    assert reviews["status"].to_list() == ["排除", "确认问题"]
    assert run.reviews_path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    empty = run.read_coverage()
    assert empty.height == 0 and empty.schema["n"] == pl.Int64


def test_one_rule_for_status_and_reason() -> None:
    low = LoadIssue("odd_font", "page 2 font without a ToUnicode map", "low")
    fatal = LoadIssue("encrypted", "the file is password-protected", "high", fatal=True)
    note = LoadIssue("encoding", "read as GB18030", "info")
    medium = LoadIssue("table_unreadable", "t03 could not be read", "medium", page=3)

    assert issue_status([note]) == "ok" and issue_reason([note]) is None
    assert issue_reason([note], notes_if_clean=True) == "encoding: read as GB18030"
    assert issue_status([low, note]) == "ok"
    assert issue_status([low, medium]) == "partial"
    # fatal first, then the more serious; info notes left out
    assert issue_reason([low, note, medium, fatal]) == (
        "encrypted: the file is password-protected; table_unreadable: t03 could not be read; "
        "odd_font: page 2 font without a ToUnicode map"
    )
    assert len(issue_reason([LoadIssue("x", "y" * 5000, "high")])) == 1000

    raw = RawDocument("a.pdf", "pdf", pages=4, issues=[low, fatal])
    frames = failure_frames(raw, "abc", "f" * 64, 123)
    row = frames["documents"].row(0, named=True)
    assert (row["status"], row["n_tables"], row["pages"], row["size_bytes"]) == ("failed", 0, 4, 123)
    assert row["reason"].startswith("encrypted:")
    assert frames["parse_issues"]["code"].to_list() == ["odd_font", "encrypted"]  # in the order met

    read = document_row(RawDocument("b.txt", "txt"), [medium], document_id="d", path="b.txt", sha256="s",
                        size_bytes=9, n_tables=2, meta={"fiscal_year": 2023})
    assert read["status"][0] == "partial" and read["n_tables"][0] == 2 and read["fiscal_year"][0] == 2023


def test_one_deadline_per_file_and_defaults_in_one_place() -> None:
    import inspect

    from toolkit import cli, settings
    from toolkit.worker import FileTask, file_budget, hard_budget

    limits = toolkit.Limits()
    soft = file_budget(5 * 1024 * 1024, limits)
    assert soft == limits.file_timeout_s + 5 * limits.file_timeout_s_per_mb
    task = FileTask("a.pdf", "a.pdf", limits, soft)
    assert hard_budget(task) == 2 * soft + limits.hard_timeout_grace_s
    assert hard_budget(FileTask("a.pdf", "a.pdf", limits)) is None
    assert file_budget(10**9, limits, soft_s=0.5) == 0.5

    from toolkit.job.config import JobConfig

    options = {name: p.default.default for name, p in inspect.signature(cli.ingest).parameters.items()}
    assert options["workers"] == settings.WORKERS
    assert options["max_file_mb"] * settings.MB == limits.max_file_bytes
    assert options["max_pages"] == limits.max_pages
    # screen's options default to the job file's, whose defaults are the settings
    job = JobConfig()
    assert (job.workers, job.max_file_mb * settings.MB, job.max_pages) == (
        settings.WORKERS, limits.max_file_bytes, limits.max_pages)
