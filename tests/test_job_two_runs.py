"""The screening job over two runs of a changing corpus: reuse, new/resolved, decisions, history.

Run 1 screens the five seed documents. Between the runs one figure of 岳阳市屈原管理区's
project self-evaluation (区级扶贫捐款专项资金, 服务人数 得分) goes from 5 to 10, one document is
added (临泽县's, re-issued under 高台县) and one deleted (临泽县's). Worked out by hand from the
table: its items' 得分 summed to 82 against a printed 总分 of 87 (IT020 S-1); with 10 instead of 5
they sum to 87, so that finding is resolved, and a 得分 of 10 on an indicator worth 5 分 is new
(IT021 S-5). 临泽县's two IR003 findings (结余率 outside the band) are resolved and the same two
appear as new under 高台县.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import polars as pl
import pytest

from toolkit.executor import SerialExecutor, TaskResult
from toolkit.job import history
from toolkit.pipeline import screen
from toolkit.report.review import CONFIRMED, EXCLUDED, latest_reviews, read_reviews, record_review
from toolkit.store import RunDir, RunStore
from toolkit.worker import FileTask

SEEDS = Path(__file__).resolve().parents[1] / "datasets" / "seeds"
YUEYANG = "004_4aab53e2ab223d76.txt"
LINZE = "001_b8c8dfb6c76e9ad3.txt"
SCORE_ROW = "\t数量指标 (5分)\t服务人数\t≥2\t≥2\t5\t5\t"
EDITED_ROW = "\t数量指标 (5分)\t服务人数\t≥2\t≥2\t5\t10\t"


class CountingExecutor:
    """Runs in this process and remembers which files it was given (what was parsed)."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def map(self, fn: Callable, items: Sequence, *, chunksize: int = 1) -> Iterator[TaskResult]:
        self.seen.extend(Path(t.path).name for t in items if isinstance(t, FileTask))  # not check batches
        return SerialExecutor().map(fn, items, chunksize=chunksize)


def _one(changes: pl.DataFrame, change: str, location: str) -> dict:
    rows = changes.filter((pl.col("change") == change) & (pl.col("location") == location))
    assert rows.height == 1, (change, location, changes.select("change", "location"))
    return rows.row(0, named=True)


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("two_runs")
    docs, out = root / "in", root / "out"
    docs.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, docs / seed.name)
    first_exec = CountingExecutor()
    first = screen([docs], out, executor=first_exec, write_report=False)
    f1 = first.findings
    yueyang = f1.filter(pl.col("document").str.ends_with(YUEYANG))
    s1 = yueyang.filter(pl.col("location") == "S-1|t15").row(0, named=True)
    s3 = yueyang.filter(pl.col("location") == "S-3|t15|L1|产出指标").row(0, named=True)
    linze = f1.filter(pl.col("document").str.ends_with(LINZE))
    record_review(out, s1["finding_id"], CONFIRMED, note="总分与得分之和不符", reviewer="张审计")
    record_review(out, s3["finding_id"], EXCLUDED, note="分值表述口径不同", reviewer="张审计")
    record_review(out, linze["finding_id"][0], CONFIRMED, reviewer="李审计")

    text = (docs / YUEYANG).read_text(encoding="utf-8")
    assert text.count(SCORE_ROW) == 1
    (docs / YUEYANG).write_text(text.replace(SCORE_ROW, EDITED_ROW), encoding="utf-8")
    linze_text = (docs / LINZE).read_text(encoding="utf-8")
    (docs / "005_gaotai.txt").write_text(linze_text.replace("临泽县", "高台县"), encoding="utf-8")
    (docs / LINZE).unlink()
    second_exec = CountingExecutor()
    second = screen([docs], out, executor=second_exec, write_report=False)
    return {"out": out, "first": first, "second": second, "first_exec": first_exec, "second_exec": second_exec,
            "s1": s1, "s3": s3, "linze": linze}


def test_unchanged_files_are_not_parsed_again(two_runs: dict) -> None:
    assert sorted(two_runs["first_exec"].seen) == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert sorted(two_runs["second_exec"].seen) == sorted(["005_gaotai.txt", YUEYANG])
    summary = two_runs["second"].summary
    assert summary["reused"] == 3 and summary["counts"]["parsed"] == 2
    assert two_runs["first"].summary["reused"] == 0


def test_the_edit_resolves_one_finding_and_adds_one(two_runs: dict) -> None:
    changes = two_runs["second"].changes
    resolved = _one(changes, "resolved", "S-1|t15")
    assert resolved["previous_finding_id"] == two_runs["s1"]["finding_id"] and resolved["finding_id"] is None
    new = _one(changes, "new", "S-5|t15|r10")
    assert new["check_code"] == "IT021"
    # the edited document's other findings are the same findings under new ids
    kept = _one(changes, "recurring", "S-3|t15|L1|产出指标")
    assert kept["finding_id"] != two_runs["s3"]["finding_id"] and kept["previous_finding_id"] == two_runs["s3"]["finding_id"]


def test_the_deleted_documents_findings_are_resolved_and_the_added_ones_new(two_runs: dict) -> None:
    changes = two_runs["second"].changes
    gone = changes.filter((pl.col("change") == "resolved") & (pl.col("bureau") == "临泽县医保局"))
    assert gone.height == two_runs["linze"].height == 2
    added = changes.filter(pl.col("document").str.ends_with("005_gaotai.txt"))
    assert added.height == 2 and set(added["change"]) == {"new"}
    counts = two_runs["second"].summary["changes"]
    assert counts == {"new": 3, "recurring": 24, "changed": 0, "resolved": 3}


def test_decisions_follow_their_finding_and_orphans_are_reported(two_runs: dict) -> None:
    out, second = two_runs["out"], two_runs["second"]
    new_s3 = _one(second.changes, "recurring", "S-3|t15|L1|产出指标")["finding_id"]
    latest = latest_reviews(read_reviews(out))
    assert latest.filter(pl.col("finding_id") == new_s3)["status"].to_list() == [EXCLUDED]
    orphans = {o["finding_id"] for o in second.summary["orphan_decisions"]}
    assert orphans == {two_runs["s1"]["finding_id"], two_runs["linze"]["finding_id"][0]}
    ranking = pl.read_parquet(RunDir(out).ranking_path)
    yueyang = ranking.filter(pl.col("bureau").str.contains("屈原")).row(0, named=True)
    assert yueyang["n_excluded"] == 1 and yueyang["new_since_last_run"] == 1


def test_both_runs_are_in_the_history(two_runs: dict) -> None:
    db = RunStore(two_runs["out"]).history_path
    runs = history.runs(db)
    assert runs["status"].to_list() == ["complete", "complete"]
    assert runs["run_id"].to_list() == [two_runs["first"].summary["run_id"], two_runs["second"].summary["run_id"]]
    second = history.findings_of(db, two_runs["second"].summary["run_id"])
    assert second.group_by("change").len().sort("change").rows() == [
        ("new", 3), ("recurring", 24), ("resolved", 3)
    ]


def test_the_incremental_run_finds_what_a_full_run_finds(two_runs: dict, tmp_path: Path) -> None:
    docs = Path(two_runs["second"].run.manifest["path"][0]).parent
    full = screen([docs], tmp_path / "full", executor=SerialExecutor(), write_report=False)
    assert full.summary["reused"] == 0
    incremental = two_runs["second"]
    assert sorted(full.findings["finding_id"]) == sorted(incremental.findings["finding_id"])
    assert full.findings.sort("finding_id").equals(incremental.findings.sort("finding_id"))
    key = ["check_code", "document_id", "identity", "status"]
    assert full.coverage.sort(key, nulls_last=True).equals(incremental.coverage.sort(key, nulls_last=True))


def test_review_lists_the_orphans(two_runs: dict, capsys: pytest.CaptureFixture) -> None:
    from toolkit.cli import main

    assert main(["review", str(two_runs["out"]), "--orphans"]) == 0
    captured = capsys.readouterr()
    assert "2 orphan decision(s)" in captured.err
    assert two_runs["s1"]["finding_id"] in captured.out


def test_an_unchanged_rerun_takes_the_previous_results_whole(tmp_path: Path) -> None:
    docs, out = tmp_path / "in", tmp_path / "out"
    docs.mkdir()
    shutil.copy(SEEDS / LINZE, docs / LINZE)
    first = screen([docs], out, executor=SerialExecutor())
    executor = CountingExecutor()
    again = screen([docs], out, executor=executor)
    assert executor.seen == [] and again.summary["reused"] == 1
    assert again.summary["timings"]["checks_corpus_s"] == 0
    assert again.findings.equals(first.findings) and again.coverage.equals(first.coverage)
    assert again.summary["changes"] == {"new": 0, "recurring": 2, "changed": 0, "resolved": 0}
    assert RunDir(out).report_path.read_bytes() == first.reports["html"].read_bytes()
    record_review(out, first.findings["finding_id"][0], EXCLUDED, reviewer="张审计")
    third = screen([docs], out, executor=executor)  # a new decision: the reports are written again
    assert "已有 1 条经复核排除" in third.reports["html"].read_text(encoding="utf-8")
