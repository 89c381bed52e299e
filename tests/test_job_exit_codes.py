"""Exit codes of the job commands (0 clean, 1 findings at --fail-on, 2 input/usage, 3 internal)
and one clear line, never a traceback, for a user's mistake."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from toolkit import cli
from toolkit.job import exitcodes
from toolkit.store import RunDir

SEEDS = Path(__file__).resolve().parents[1] / "datasets" / "seeds"
CLEAN = "000_9754da307f9204bf.txt"  # no finding
RATIOS = "001_b8c8dfb6c76e9ad3.txt"  # two high IR003 findings (结余率 outside the band)
FAST = ["--executor", "serial", "--no-report", "--no-progress"]


def run(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str]:
    code = cli.main([str(a) for a in args])
    return code, capsys.readouterr().err


def one_line_no_traceback(err: str) -> bool:
    lines = [line for line in err.splitlines() if line.strip()]
    return len(lines) == 1 and "Traceback" not in err


@pytest.fixture()
def docs(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(SEEDS / CLEAN, d / CLEAN)
    return d


def test_exit_0_when_nothing_reaches_fail_on(capsys, docs: Path, tmp_path: Path) -> None:
    code, _ = run(capsys, "screen", docs, "--out", tmp_path / "out", "--fail-on", "low", *FAST)
    assert code == exitcodes.OK == 0
    assert RunDir(tmp_path / "out").incomplete_reason() is None


def test_exit_1_when_a_finding_is_at_fail_on(capsys, docs: Path, tmp_path: Path) -> None:
    shutil.copy(SEEDS / RATIOS, docs / RATIOS)
    out = tmp_path / "out"
    assert run(capsys, "screen", docs, "--out", out, "--fail-on", "high", *FAST)[0] == exitcodes.FINDINGS == 1
    # without --fail-on the same findings are a clean run; the second run reuses both files
    assert run(capsys, "screen", docs, "--out", out, *FAST)[0] == 0
    assert RunDir(out).read_run_json()["reused"] == 2


@pytest.mark.parametrize("case", ["no such path", "empty folder", "out is a file", "out is not a run",
                                  "bad fail-on", "bad job file", "nothing readable"])
def test_exit_2_for_input_and_usage_errors(capsys, docs: Path, tmp_path: Path, case: str) -> None:
    out = tmp_path / "out"
    args: list = ["screen", docs, "--out", out, *FAST]
    if case == "no such path":
        args[1] = tmp_path / "nope"
    elif case == "empty folder":
        (tmp_path / "empty").mkdir()
        args[1] = tmp_path / "empty"
    elif case == "out is a file":
        out.write_text("x", encoding="utf-8")
    elif case == "out is not a run":
        out.mkdir()
        (out / "notes.txt").write_text("mine", encoding="utf-8")
    elif case == "bad fail-on":
        args += ["--fail-on", "severe"]
    elif case == "bad job file":
        job = tmp_path / "job.toml"
        job.write_text("[job]\nworkers = 'many'\n", encoding="utf-8")
        args = ["screen", "--config", job, *FAST]
    elif case == "nothing readable":
        junk = tmp_path / "junk"
        junk.mkdir()
        (junk / "a.pdf").write_bytes(b"%PDF-1.4 not really\x00\x01")
        args[1] = junk
    code, err = run(capsys, *args)
    assert code == exitcodes.USAGE == 2, err
    assert one_line_no_traceback(err), err
    assert err.startswith("error: ")
    if case == "out is not a run":
        assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"  # left alone


def test_exit_2_for_report_review_evaluate_mistakes(capsys, tmp_path: Path) -> None:
    half = tmp_path / "half"
    (half / "frames").mkdir(parents=True)
    (half / "findings.parquet").write_bytes(b"PAR1 truncated")  # a killed writer leaves no footer
    for args in (["report", half], ["review", half, "--finding", "x", "--status", "排除"],
                 ["report", tmp_path / "nothing"],
                 ["evaluate", "--labels", tmp_path / "labels.parquet", "--findings", tmp_path / "f.parquet"]):
        code, err = run(capsys, *args)
        assert code == 2, (args, err)
        assert one_line_no_traceback(err), err


def test_exit_3_for_an_internal_error(capsys, docs: Path, tmp_path: Path, monkeypatch) -> None:
    import toolkit.pipeline

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(toolkit.pipeline, "screen", broken)
    code, err = run(capsys, "screen", docs, "--out", tmp_path / "out", *FAST)
    assert code == exitcodes.INTERNAL == 3
    assert one_line_no_traceback(err) and "internal error: RuntimeError: a bug" in err
    code, err = run(capsys, "screen", docs, "--out", tmp_path / "out", *FAST, "--verbose")
    assert code == 3 and "Traceback" in err  # the traceback on request
