"""RunStore: a run is written aside and switched in with one rename; unfinished folders are refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from toolkit.store import LockedError, OutputError, RunDir, RunStore


def _finish(run: RunDir, run_id: str) -> None:
    (run.root / RunDir.FINDINGS_CSV).write_text("x", encoding="utf-8")
    run.write_json(RunDir.RUN_JSON, {"status": "complete", "run_id": run_id})


def test_out_points_at_the_previous_run_until_the_next_is_committed(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "out")
    store.prepare()
    first = store.stage("r1")
    assert first.incomplete_reason() == "a run was writing here and did not finish"
    _finish(first, "r1")
    store.commit(first)
    assert (tmp_path / "out").is_symlink() and json.loads((tmp_path / "out" / "run.json").read_text())["run_id"] == "r1"
    second = store.stage("r2")  # a killed writer leaves this behind
    assert RunDir(tmp_path / "out").read_run_json()["run_id"] == "r1"
    assert store.current() == RunDir(first.root.resolve())
    store.clean()  # what the next run does first
    assert not second.root.exists() and first.root.exists()
    third = store.stage("r3")
    _finish(third, "r3")
    store.commit(third)
    assert RunDir(tmp_path / "out").read_run_json()["run_id"] == "r3"
    assert sorted(p.name for p in store.runs_dir.iterdir()) == ["r3"]


def test_a_plain_run_folder_is_adopted_and_other_folders_refused(tmp_path: Path) -> None:
    legacy = tmp_path / "old"
    legacy.mkdir()
    (legacy / RunDir.MANIFEST).write_text("path,status\n", encoding="utf-8")
    (legacy / RunDir.REVIEWS).write_text("finding_id,status\n", encoding="utf-8")
    store = RunStore(legacy)
    store.prepare()
    assert legacy.is_symlink() and (legacy / RunDir.MANIFEST).exists()
    assert store.reviews_path.exists()  # decisions moved beside the runs, shared by the next ones
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(OutputError, match="not a screening run"):
        RunStore(mine).prepare()
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="is a file"):
        RunStore(tmp_path / "file").prepare()


def test_a_second_run_on_the_same_output_is_refused(tmp_path: Path) -> None:
    from toolkit.executor import SerialExecutor
    from toolkit.job.exitcodes import UserError
    from toolkit.pipeline import screen

    doc = tmp_path / "a.txt"
    doc.write_text("x", encoding="utf-8")
    store = RunStore(tmp_path / "out")
    with store.lock(), pytest.raises(UserError, match="another run is writing"):
        screen([doc], tmp_path / "out", executor=SerialExecutor())
    with pytest.raises(LockedError):  # the lock is the job's, not this process's: a fresh take fails too
        with store.lock(), RunStore(tmp_path / "out").lock():
            pass


def test_unfinished_folders_say_why(tmp_path: Path) -> None:
    run = RunDir(tmp_path / "r").create()
    assert "not a screen output folder" in run.incomplete_reason()
    run.write_json(RunDir.RUN_JSON, {"status": "running"})
    assert "status 'running'" in run.incomplete_reason()
    run.write_json(RunDir.RUN_JSON, {"status": "complete"})
    assert run.incomplete_reason() is None
    assert RunDir(tmp_path / "none").incomplete_reason() == "no such run folder"
