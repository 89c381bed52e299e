"""The Dask executor (optional extra ``dask``): the same findings as the local process pool, and
timeouts and crashed workers as failed items. Skipped without the extra."""

from __future__ import annotations

import os
import time
from pathlib import Path

import polars as pl
import pytest

pytest.importorskip("distributed")

from toolkit.executor import executor_for  # noqa: E402
from toolkit.executor_dask import DaskExecutor  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def _slow_or_dying(x: int) -> int:
    if x == 1:
        time.sleep(60)
    if x == 2:
        os._exit(3)  # a worker process dying in C code looks like this
    if x == 3:
        raise ValueError("bad item")
    return x * 10


def test_crashes_and_errors_fail_their_item_only() -> None:
    results = {r.index: r for r in DaskExecutor(2).map(_slow_or_dying, [0, 2, 3, 4])}
    assert sorted(results) == [0, 1, 2, 3]
    assert (results[0].value, results[3].value) == (0, 40) and results[0].ok and results[3].ok
    assert results[1].kind == "crash"
    assert results[2].kind == "error" and "bad item" in results[2].error


def test_an_item_past_its_budget_is_a_timeout_and_the_rest_still_run() -> None:
    results = {r.index: r for r in DaskExecutor(2, timeout_s=8.0).map(_slow_or_dying, [1, 0, 4])}
    assert sorted(results) == [0, 1, 2]
    assert results[0].kind == "timeout" and "8 s" in results[0].error
    assert (results[1].value, results[2].value) == (0, 40)


def test_registry_names_the_executors() -> None:
    assert isinstance(executor_for("dask", 2, scheduler="tcp://127.0.0.1:8786"), DaskExecutor)
    with pytest.raises(ValueError, match="needs --executor dask"):
        executor_for("local", scheduler="tcp://127.0.0.1:8786")
    with pytest.raises(ValueError, match="unknown executor"):
        executor_for("ray")


def _findings(res) -> pl.DataFrame:
    keep = ["check_code", "document", "location", "message", "severity"]
    return res.findings.select([c for c in keep if c in res.findings.columns]).sort(pl.all())


def test_dask_screen_finds_what_the_local_pool_finds(tmp_path: Path) -> None:
    from toolkit.pipeline import default_executor, screen

    inputs = [ROOT / "datasets" / "seeds", ROOT / "datasets" / "realdocs" / "dept_budget.pdf"]
    inputs = [p for p in inputs if p.exists()]
    t0 = time.perf_counter()
    local = screen(inputs, tmp_path / "local", executor=default_executor(2), write_report=False)
    t1 = time.perf_counter()
    dask = screen(inputs, tmp_path / "dask", executor=executor_for("dask", 2), write_report=False)
    t2 = time.perf_counter()
    print(f"local pool {t1 - t0:.1f} s, dask LocalCluster {t2 - t1:.1f} s, {local.run.n_files} files")
    assert local.run.n_files == dask.run.n_files >= 2
    assert local.findings.height > 0
    assert _findings(dask).equals(_findings(local))
