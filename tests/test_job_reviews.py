"""Decisions (#15.5): last writer wins by timestamp on import, an older workbook never reverts a
newer decision, one header however many first writers, ``review`` refreshes the workbook."""

from __future__ import annotations

import multiprocessing as mp
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook

from toolkit.cli import main
from toolkit.executor import SerialExecutor
from toolkit.pipeline import screen
from toolkit.report.review import (
    CONFIRMED,
    EXCLUDED,
    NEEDS_MORE,
    Review,
    append_reviews,
    import_workpapers,
    latest_reviews,
    read_reviews,
)
from toolkit.store import REVIEW_COLUMNS, RunDir

SEEDS = Path(__file__).resolve().parents[1] / "datasets" / "seeds"


@pytest.fixture(scope="module")
def screened(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("reviews")
    (root / "in").mkdir()
    shutil.copy(next(SEEDS.glob("004_*.txt")), root / "in")
    screen([root / "in"], root / "out", executor=SerialExecutor())
    return root / "out"


def _copy_run(out: Path, dest: Path) -> Path:
    shutil.copytree(out, dest)  # a plain folder with its own reviews.csv (the link is followed)
    return dest


def _rows(ws) -> tuple[dict[str, int], dict[str, int]]:
    header = [c.value for c in ws[1]]
    col = {name: header.index(name) + 1 for name in ("发现编号", "复核状态", "复核人", "复核意见")}
    return col, {ws.cell(r, col["发现编号"]).value: r for r in range(2, ws.max_row + 1)}


def _iso(t: datetime) -> str:
    return t.isoformat(timespec="microseconds")


def test_an_older_workbook_never_reverts_newer_decisions(screened: Path, tmp_path: Path) -> None:
    out = _copy_run(screened, tmp_path / "run")
    ids = pl.read_parquet(out / "findings.parquet").sort("finding_id")["finding_id"].to_list()
    a, b, c, d = ids[:4]
    now = datetime.now(UTC).replace(microsecond=0)
    # the workbook was written two hours ago; the auditor saves it now
    wb = load_workbook(out / "workpapers.xlsx")
    wb.properties.created = (now - timedelta(hours=2)).replace(tzinfo=None)
    ws = wb["发现"]
    col, at = _rows(ws)
    ws.cell(at[b], col["复核状态"], CONFIRMED)  # b: nobody else decided -> imported
    ws.cell(at[c], col["复核状态"], NEEDS_MORE)  # c: decided after the save -> that decision stays
    ws.cell(at[d], col["复核状态"], EXCLUDED)  # d: decided before the save -> the workbook wins, with a warning
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    append_reviews(out, [
        Review(a, EXCLUDED, "重复", "王审计", _iso(now - timedelta(hours=1))),  # a: untouched in the workbook
        Review(c, CONFIRMED, "", "王审计", _iso(now + timedelta(hours=1))),
        Review(d, CONFIRMED, "", "王审计", _iso(now - timedelta(hours=1))),
    ])
    added, problems = import_workpapers(out, edited)
    assert added == 2
    conflicts = [p for p in problems if "conflict" in p]
    assert len(conflicts) == 2 and any(p.startswith(c) and "kept" in p for p in conflicts)
    assert any(p.startswith(d) and "replaces" in p for p in conflicts)
    latest = latest_reviews(read_reviews(out))
    decided = dict(zip(latest["finding_id"], latest["status"], strict=True))
    assert decided == {a: EXCLUDED, b: CONFIRMED, c: CONFIRMED, d: EXCLUDED}
    assert import_workpapers(out, edited)[0] == 0  # importing it again adds nothing


def _append_many(args: tuple[str, int]) -> None:
    root, n = args
    run = RunDir(root)
    for i in range(n):
        run.append_reviews([[f"f{i}", EXCLUDED, "", "x", _iso(datetime.now(UTC)), ""]])


def test_concurrent_first_writers_write_one_header(tmp_path: Path) -> None:
    run = RunDir(tmp_path / "r").create()
    # fork: the writers start at once (they only touch the csv module, never Polars' thread pool)
    with mp.get_context("fork").Pool(4) as pool:
        pool.map(_append_many, [(str(run.root), 15)] * 4)
    lines = run.reviews_path.read_text(encoding="utf-8-sig").splitlines()
    assert lines.count(",".join(REVIEW_COLUMNS)) == 1 and lines[0] == ",".join(REVIEW_COLUMNS)
    assert len(lines) == 1 + 60
    assert run.read_reviews().height == 60


def test_review_refreshes_the_workbook(screened: Path, tmp_path: Path, capsys) -> None:
    out = _copy_run(screened, tmp_path / "run")
    fid = pl.read_parquet(out / "findings.parquet")["finding_id"][0]
    assert main(["review", str(out), "--finding", fid, "--status", NEEDS_MORE, "--by", "李审计"]) == 0
    ws = load_workbook(out / "workpapers.xlsx")["发现"]
    col, at = _rows(ws)
    assert ws.cell(at[fid], col["复核状态"]).value == NEEDS_MORE
    assert main(["review", str(out), "--finding", fid, "--status", EXCLUDED, "--no-refresh"]) == 0
    assert "stale" in capsys.readouterr().err
