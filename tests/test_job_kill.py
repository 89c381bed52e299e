"""A screening run killed (SIGKILL) or interrupted (Ctrl-C) leaves the previous outputs intact and
readable, and the next run completes. ``scripts/kill_points.py`` does the same at ten random points."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest

from toolkit.store import RunDir, RunStore

SEEDS = Path(__file__).resolve().parents[1] / "datasets" / "seeds"
ROOT = Path(__file__).resolve().parents[1]


def _screen(docs: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "toolkit.cli", "screen", str(docs), "--out", str(out), "--no-progress",
            "--workers", "2", "--no-report", *extra]


def _run_id(out: Path) -> str:
    return json.loads((out / "run.json").read_text(encoding="utf-8"))["run_id"]


def _cli(*args: str) -> int:
    from toolkit.cli import main

    return main(list(args))


def _started(out: Path, proc: subprocess.Popen, timeout: float = 60) -> None:
    """Wait until the run has a staged folder (it is past start-up and writing)."""
    runs = RunStore(out).runs_dir
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout and proc.poll() is None:
        if any((d / RunDir.RUNNING).exists() for d in runs.iterdir()):
            return
        time.sleep(0.05)


@pytest.fixture(scope="module")
def corpus_dirs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Three small seeds screened once; each test starts from the run the previous test left."""
    root = tmp_path_factory.mktemp("kill")
    docs, out = root / "in", root / "out"
    docs.mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[:3]:
        shutil.copy(seed, docs / seed.name)
    first = subprocess.run(_screen(docs, out), capture_output=True, text=True, cwd=ROOT, check=False)
    assert first.returncode == 0, first.stderr
    return docs, out


@pytest.fixture()
def corpus(corpus_dirs: tuple[Path, Path]) -> tuple[Path, Path, str]:
    docs, out = corpus_dirs
    return docs, out, _run_id(out)


def _previous_is_intact(out: Path, run_id: str) -> None:
    assert _run_id(out) == run_id
    assert RunDir(out).incomplete_reason() is None
    assert pl.read_parquet(out / "findings.parquet").height > 0
    assert _cli("report", str(out)) == 0
    assert _cli("review", str(out), "--orphans") == 0


def test_sigkill_leaves_previous_outputs_and_the_next_run_completes(corpus, delay_s: float = 1.0) -> None:
    docs, out, previous = corpus
    proc = subprocess.Popen(_screen(docs, out, "--full"), cwd=ROOT, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _started(out, proc)
    time.sleep(delay_s)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        _previous_is_intact(out, previous)
    again = subprocess.run(_screen(docs, out), capture_output=True, text=True, cwd=ROOT, check=False)
    assert again.returncode == 0, again.stderr
    assert _run_id(out) != previous
    assert [d.name for d in RunStore(out).runs_dir.iterdir()] == [_run_id(out)]  # the killed run's folder is gone


def test_ctrl_c_exits_cleanly_without_worker_tracebacks(corpus) -> None:
    docs, out, previous = corpus
    proc = subprocess.Popen(_screen(docs, out, "--full"), cwd=ROOT, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _started(out, proc)
    time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGINT)  # what the terminal sends to the whole foreground group
    _, err = proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.skip("the run finished before the interrupt arrived")
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert "interrupted" in err
    _previous_is_intact(out, previous)
    assert not [d for d in RunStore(out).runs_dir.iterdir() if (d / RunDir.RUNNING).exists()]
