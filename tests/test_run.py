"""The executor and the orchestrator: failures stay per file, output is complete and deterministic."""

from __future__ import annotations

import dataclasses
import os
import signal
import time
from pathlib import Path

import polars as pl
import pytest

from tests.synth_fixtures import synth_corpus  # noqa: F401  (session fixture)
from toolkit import schemas
from toolkit.executor import LocalProcessExecutor, SerialExecutor, TaskResult
from toolkit.inputs import collect_files
from toolkit.loaders.formats import by_name
from toolkit.model import RawDocument
from toolkit.pipeline import ingest, load_frames, screen
from toolkit.worker import FileTask, process_file

SEEDS = Path(__file__).resolve().parents[1] / "datasets" / "seeds"
if not SEEDS.is_dir():
    SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"  # shared/ beside the checkout


# ---- work functions for the process pool (module level: workers import them by name)


def square_or_misbehave(x: int) -> int:
    if x == 3:
        raise ValueError("three is bad")
    if x == 5:
        signal.signal(signal.SIGALRM, signal.SIG_IGN)  # a hang no soft alarm can break
        signal.signal(signal.SIGVTALRM, signal.SIG_IGN)
        time.sleep(120)
    if x == 7:
        os._exit(9)  # a crash: the worker vanishes without answering
    return x * x


def test_process_executor_isolates_error_hang_and_crash():
    executor = LocalProcessExecutor(2, timeout_s=lambda x: 1.5 if x == 5 else 30)
    t0 = time.monotonic()
    results = list(executor.map(square_or_misbehave, list(range(10)), chunksize=2))
    elapsed = time.monotonic() - t0
    by_index = {r.index: r for r in results}
    assert sorted(by_index) == list(range(10))  # every item answered exactly once
    assert len(results) == 10
    for i in (0, 1, 2, 4, 6, 8, 9):
        assert by_index[i].ok and by_index[i].value == i * i
    assert by_index[3].kind == "error" and "ValueError: three is bad" in by_index[3].error
    assert by_index[5].kind == "timeout" and "1.5 s" in by_index[5].error
    assert by_index[7].kind == "crash" and "exit code 9" in by_index[7].error
    assert elapsed < 60  # the hang cost its budget, not its 120 s sleep (slack for a loaded machine)


def test_serial_executor_reports_exceptions_in_order():
    results = list(SerialExecutor().map(lambda x: 10 // x, [1, 0, 2]))
    assert [r.index for r in results] == [0, 1, 2]
    assert [r.value for r in results] == [10, None, 5]
    assert "ZeroDivisionError" in results[1].error


# ---- inputs


def test_collect_files_is_sorted_recursive_and_skips_hidden(tmp_path: Path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    for rel in ("b/2.txt", "b/1.txt", "a/z.txt", "top.txt", ".hidden.txt", "a/~$lock.docx"):
        (tmp_path / rel).write_text("x", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("x")
    found = [Path(shown).relative_to(tmp_path).as_posix() for _, shown in collect_files([tmp_path])]
    assert found == ["top.txt", "a/z.txt", "b/1.txt", "b/2.txt"]
    # named twice (file and its directory): listed once
    assert len(collect_files([tmp_path / "top.txt", tmp_path])) == 4


def test_companion_files_are_listed_as_skipped_not_read(tmp_path: Path):
    docs = tmp_path / "in"
    docs.mkdir()
    seed = sorted(SEEDS.glob("*.txt"))[0]
    (docs / "bureau.txt").write_bytes(seed.read_bytes())
    (docs / "SOURCES.md").write_text("| 文件 | XX县医疗保障局 |", encoding="utf-8")
    pl.DataFrame({"a": [1]}).write_parquet(docs / "labels.parquet")
    run = ingest([docs], tmp_path / "out", executor=SerialExecutor())
    status = dict(zip(run.manifest["path"].map_elements(lambda p: Path(p).name, return_dtype=pl.String),
                      run.manifest["status"], strict=True))
    assert status == {"bureau.txt": "ok", "SOURCES.md": "skipped", "labels.parquet": "skipped"}
    # named explicitly, a companion file is read like any other input
    named = ingest([docs / "SOURCES.md"], tmp_path / "named", executor=SerialExecutor())
    assert named.manifest["status"].to_list() != ["skipped"]


# ---- ingest


def _seed_copies(tmp_path: Path, n: int = 3) -> list[Path]:
    seeds = sorted(SEEDS.glob("*.txt"))[:n]
    inputs = tmp_path / "in"
    inputs.mkdir()
    for seed in seeds:
        (inputs / seed.name).write_bytes(seed.read_bytes())
    return seeds


def test_ingest_writes_every_frame_and_manifest_in_input_order(tmp_path: Path):
    seeds = _seed_copies(tmp_path)
    (tmp_path / "in" / "zz_duplicate.txt").write_bytes(seeds[0].read_bytes())
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    calls = []
    run = ingest(
        [tmp_path / "in"],
        tmp_path / "out",
        executor=LocalProcessExecutor(2),
        progress_callback=lambda done, total, path, status: calls.append((done, total, status)),
    )
    manifest = pl.read_csv(tmp_path / "out" / "manifest.csv")
    assert (tmp_path / "out" / "manifest.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    names = [Path(p).name for p in manifest["path"]]
    assert names == [s.name for s in seeds] + ["empty.txt", "zz_duplicate.txt"]
    assert manifest.columns == list(schemas.MANIFEST)
    status = dict(zip(names, manifest["status"], strict=True))
    assert status["empty.txt"] == "failed"
    assert all(status[s.name] == "ok" for s in seeds)
    dup = manifest.filter(pl.col("path").str.ends_with("zz_duplicate.txt")).row(0, named=True)
    assert "duplicate" in dup["reason"] and seeds[0].name in dup["reason"]
    assert [c[0] for c in calls] == [1, 2, 3, 4, 5] and all(c[1] == 5 for c in calls)

    for name in schemas.FRAME_SCHEMAS:
        assert (run.frames_dir / f"{name}.parquet").exists(), name
    frames = load_frames(tmp_path / "out")
    docs = frames["documents"]
    assert docs.height == 4  # the duplicate is not a second document
    assert docs["document_id"].n_unique() == 4
    assert frames["cells"].height > 0 and frames["cells"].schema == pl.Schema(schemas.CELLS)
    assert frames["parse_issues"].filter(pl.col("code") == "empty").height == 1


def test_ingest_is_deterministic_across_executors(tmp_path: Path):
    _seed_copies(tmp_path, 4)
    ingest([tmp_path / "in"], tmp_path / "serial", executor=SerialExecutor())
    ingest([tmp_path / "in"], tmp_path / "pool", executor=LocalProcessExecutor(2))
    a, b = load_frames(tmp_path / "serial"), load_frames(tmp_path / "pool")
    for name in schemas.FRAME_SCHEMAS:
        assert a[name].equals(b[name]), name


def busy_loader(data: bytes, path: str, limits) -> RawDocument:
    while True:  # burns CPU: the soft CPU-time alarm must stop it
        pass


def test_soft_cpu_budget_turns_a_stuck_loader_into_a_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(by_name(), "txt", dataclasses.replace(by_name()["txt"], load=busy_loader))
    stuck = tmp_path / "stuck.txt"
    stuck.write_text("医疗保障局 2021年度 决算\n", encoding="utf-8")
    run = ingest([stuck], tmp_path / "out", executor=SerialExecutor(), file_timeout_s=0.3)
    row = run.manifest.row(0, named=True)
    assert row["status"] == "failed"
    assert row["reason"].startswith("timeout") and "0.3 s" in row["reason"]
    assert row["sha256"] is not None  # the file was read; only the parser was stopped


class FakeHungExecutor:
    """Answers like a pool whose worker had to be killed on the first item."""

    def map(self, fn, items, *, chunksize=1):
        for index, item in enumerate(items):
            if index == 0:
                yield TaskResult(index, item, None, "timeout: still running after 9 s", 9.0, "timeout")
            else:
                yield TaskResult(index, item, fn(item), None, 0.1)


def test_killed_worker_becomes_a_failed_row(tmp_path: Path):
    seeds = _seed_copies(tmp_path, 2)
    run = ingest([tmp_path / "in"], tmp_path / "out", executor=FakeHungExecutor())
    first, second = run.manifest.rows(named=True)
    assert first["status"] == "failed" and first["reason"].startswith("timeout")
    assert first["sha256"] is not None and first["size_bytes"] == seeds[0].stat().st_size
    assert second["status"] == "ok"
    issues = load_frames(tmp_path / "out")["parse_issues"]
    assert issues.filter(pl.col("code") == "timeout").height == 1


def test_process_file_never_raises_on_missing_file(tmp_path: Path):
    from toolkit.model import Limits

    result = process_file(FileTask(str(tmp_path / "nope.pdf"), "nope.pdf", Limits(), 5.0))
    assert result.manifest["status"] == "failed" and "cannot open" in result.manifest["reason"]


def test_screen_reports_parse_issues_as_findings(tmp_path: Path):
    _seed_copies(tmp_path, 1)
    (tmp_path / "in" / "garbage.docx").write_bytes(bytes(range(256)) * 8)
    result = screen([tmp_path / "in"], tmp_path / "out", executor=SerialExecutor())
    out = tmp_path / "out"
    assert (out / "findings.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (out / "coverage.csv").exists()
    back = pl.read_parquet(out / "findings.parquet")
    assert back.columns == list(schemas.FINDINGS)
    parse = back.filter(pl.col("category") == "parse_issue")
    assert parse.height >= 1
    assert parse["document"].str.ends_with("garbage.docx").any()
    assert result.findings.height == back.height




# ---- batch-wise screening (bounded memory) and check scopes


def test_ingest_hands_batches_of_at_most_batch_docs_in_input_order(tmp_path: Path):
    seeds = _seed_copies(tmp_path, 3)
    seen: list[list[str]] = []
    run = ingest(
        [tmp_path / "in"],
        tmp_path / "out",
        executor=SerialExecutor(),
        batch_docs=2,
        on_batch=lambda frames: seen.append(frames["documents"]["path"].to_list()),
    )
    assert [[Path(p).name for p in batch] for batch in seen] == [[s.name for s in seeds[:2]], [seeds[2].name]]
    assert run.times.batches == 2
    # one Parquet row group per batch: the file is appended to, never rewritten from memory
    import pyarrow.parquet as pq

    assert pq.ParquetFile(run.frames_dir / "documents.parquet").metadata.num_row_groups == 2
    assert load_frames(tmp_path / "out")["documents"].height == 3


class _CountsEveryDocument:
    """A corpus-scope check for the test: one hit on the first document, naming how many it saw."""

    code = "ZZ999"
    name = "test-corpus-count"
    category = "peer_outlier"
    detects = ("peer_outlier",)
    version = "1"
    label = "测试用语料计数"
    scope = "corpus"

    def run(self, frames):
        from toolkit.checks.framework import CheckResult, hits_frame, scan

        docs = scan(frames, "documents").select("document_id").sort("document_id").collect()
        hit = {"document_id": docs["document_id"][0], "location": "corpus", "kind": "peer_outlier",
               "message": f"saw {docs.height} documents", "rel_diff": 0.0}
        return CheckResult(hits_frame([hit]), CheckResult.nothing().evals)


def test_batched_screen_equals_one_pass_and_corpus_checks_see_every_document(
    synth_corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811 (the fixture)
):
    from toolkit.checks import registry, run_checks
    from toolkit.checks.framework import Check

    assert Check.scope == "document"
    monkeypatch.setitem(registry._REGISTRY, _CountsEveryDocument.code, _CountsEveryDocument)
    out = tmp_path / "out"
    result = screen([synth_corpus.root / "docs"], out, executor=LocalProcessExecutor(2), batch_docs=7)
    n_docs = synth_corpus.truth.height  # 48 generated documents, all distinct
    assert result.run.manifest.height == n_docs
    assert result.times.batches == -(-n_docs // 7)  # ceil: every batch but the last holds 7 documents

    one_pass_findings, one_pass_coverage = run_checks(load_frames(out))  # every check over every frame at once
    assert result.findings.height > 0
    assert result.findings.equals(schemas.conform(one_pass_findings, schemas.FINDINGS))
    assert result.coverage.equals(one_pass_coverage)
    assert pl.read_parquet(out / "findings.parquet").equals(result.findings)

    corpus_hits = result.findings.filter(pl.col("check_code") == "ZZ999")
    assert corpus_hits["message"].to_list() == [f"saw {n_docs} documents"]  # once, over all batches

    only_corpus, _ = run_checks(load_frames(out), scope="corpus")
    corpus_codes = {c.code for c in registry.all_checks() if c.scope == "corpus"}
    assert "ZZ999" in only_corpus["check_code"].to_list()
    assert set(only_corpus["check_code"].to_list()) <= corpus_codes
    with pytest.raises(ValueError, match="scope"):
        run_checks({}, scope="bureau")
    t = result.times
    assert t.checks_s > 0 and t.load_extract_s > 0 and t.write_s > 0
    assert abs(t.load_extract_s + t.checks_s + t.write_s - result.run.seconds) < 0.05


class _DriverOnlyDocumentCheck:
    """A document-scope check registered at run time: the spawned workers do not know it."""

    code = "ZZ998"
    name = "test-driver-only"
    category = "inconsistent_total"
    detects = ("column_total_broken",)
    version = "1"
    label = "测试用驱动进程检查"
    scope = "document"

    def run(self, frames):
        from toolkit.checks.framework import CheckResult, hits_frame, scan

        docs = scan(frames, "documents").select("document_id").collect()
        hits = [{"document_id": d, "location": "document", "kind": "column_total_broken",
                 "message": "seen", "rel_diff": 0.0} for d in docs["document_id"].to_list()]
        return CheckResult(hits_frame(hits), CheckResult.nothing().evals)


def _spy_on_driver_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Scopes of the checks this process runs itself (the workers' runs are not seen)."""
    from toolkit.checks import merge

    scopes: list[str] = []
    real = merge.run_checks

    def spy(frames, scope=None, summaries=None):
        scopes.append(scope)
        return real(frames, scope=scope, summaries=summaries)

    monkeypatch.setattr(merge, "run_checks", spy)
    return scopes


def test_document_checks_run_on_the_workers_and_the_driver_only_merges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    _seed_copies(tmp_path, 3)
    serial = screen([tmp_path / "in"], tmp_path / "serial", executor=SerialExecutor(), batch_docs=2,
                    write_report=False)
    scopes = _spy_on_driver_checks(monkeypatch)
    pooled = screen([tmp_path / "in"], tmp_path / "pooled", executor=LocalProcessExecutor(2), batch_docs=2,
                    write_report=False)
    assert scopes == ["corpus"]  # both document batches were checked in the workers
    assert pooled.findings.height > 0 and pooled.findings.equals(serial.findings)
    assert pooled.coverage.equals(serial.coverage)
    assert not (tmp_path / "pooled" / ".document-checks").exists()  # the spool is removed
    assert pooled.times.checks_cpu_s > 0  # the workers' CPU in the checks is counted


class _ChecksFailExecutor:
    """Reads files in this process; every batch of document checks fails as if its worker died."""

    def map(self, fn, items, *, chunksize=1):
        from toolkit.checks.batches import CheckBatchTask

        for index, item in enumerate(items):
            if isinstance(item, CheckBatchTask):
                yield TaskResult(index, item, None, "crash: worker exited with -9", 1.0, "crash")
            else:
                yield TaskResult(index, item, fn(item), None, 0.1)


def test_a_batch_the_workers_cannot_check_is_checked_in_the_driver(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from toolkit.checks import registry

    _seed_copies(tmp_path, 3)
    serial = screen([tmp_path / "in"], tmp_path / "serial", executor=SerialExecutor(), batch_docs=2,
                    write_report=False)
    scopes = _spy_on_driver_checks(monkeypatch)
    failed = screen([tmp_path / "in"], tmp_path / "failed", executor=_ChecksFailExecutor(), batch_docs=2,
                    write_report=False)
    assert scopes == ["document", "document", "corpus"]
    assert failed.findings.equals(serial.findings) and failed.coverage.equals(serial.coverage)

    # a check the workers do not have (registered here at run time) is run here, on every document
    monkeypatch.setitem(registry._REGISTRY, _DriverOnlyDocumentCheck.code, _DriverOnlyDocumentCheck)
    scopes.clear()
    extra = screen([tmp_path / "in"], tmp_path / "extra", executor=LocalProcessExecutor(2), batch_docs=2,
                   write_report=False)
    assert scopes == ["document", "document", "corpus"]
    assert extra.findings.filter(pl.col("check_code") == "ZZ998").height == 3
