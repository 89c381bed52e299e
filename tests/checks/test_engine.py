"""The check engine: stable finding ids, a broken check does not stop the run, empty input."""

from __future__ import annotations

from tests.checks.discover import all_cases
from toolkit.checks import run_checks


def _firing(code: str):
    return next(c for c in all_cases() if c.code == code and c.fires)


def test_finding_ids_are_stable():
    case = _firing("IT011")
    a, _ = run_checks(case.frames)
    b, _ = run_checks(case.frames)
    assert sorted(a["finding_id"].to_list()) == sorted(b["finding_id"].to_list())
    assert a["finding_id"].n_unique() == a.height


def test_a_broken_check_does_not_stop_the_run(monkeypatch):
    from toolkit.checks.rules.it002 import RowCrossFooting

    def boom(self, frames):
        raise RuntimeError("boom")

    monkeypatch.setattr(RowCrossFooting, "run", boom)
    findings, coverage = run_checks(_firing("IT001").frames)
    assert "IT001" in findings["check_code"].to_list()
    err = coverage.filter(coverage["status"] == "error")
    assert err["check_code"].to_list() == ["IT002"] and "boom" in err["reason"][0]


def test_empty_frames_do_not_crash():
    findings, coverage = run_checks({})
    assert findings.height == 0


def test_the_text_amount_join_runs_once_per_run(monkeypatch):
    from toolkit.checks import text_amounts

    calls = []
    real = text_amounts.metric_cells

    def counting(frames):
        calls.append(1)
        return real(frames)

    monkeypatch.setattr(text_amounts, "metric_cells", counting)
    case = _firing("IT036")
    findings, _ = run_checks(case.frames)
    assert calls == [1]  # IT030 and IT036 share it
    assert {"IT036"} <= set(findings["check_code"].to_list())
    run_checks(case.frames)
    assert calls == [1, 1]  # not kept from one run to the next
