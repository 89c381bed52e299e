"""Every check code has a case that fires and a case that stays quiet (cases.py)."""

from __future__ import annotations

import importlib
import json
import pkgutil

import pytest

import tests.checks.rules
from tests.checks import cases, cases_other
from toolkit.checks import run_checks
from toolkit.checks.registry import all_checks

# the table/text checks' cases and the ratio/copy/peer checks' cases
ALL_CASES = cases.CASES + cases_other.build()
# one module per code in tests/checks/rules/ (run by their own test files until the generic runner lands)
RULE_CASES = [c for m in pkgutil.iter_modules(tests.checks.rules.__path__)
              for c in importlib.import_module(f"tests.checks.rules.{m.name}").CASES]

SEVERITY_ORDER = ["info", "low", "medium", "high"]


@pytest.mark.parametrize("case", ALL_CASES, ids=[f"{c.code}-{c.name}" for c in ALL_CASES])
def test_case(case):
    findings, coverage = run_checks(case.frames)
    assert "error" not in coverage["status"].to_list(), coverage.filter(coverage["status"] == "error")["reason"].to_list()
    mine = findings.filter(findings["check_code"] == case.code)
    assert mine.height == case.fires, mine["message"].to_list()
    if case.fires == 0:
        return
    row = mine.row(0, named=True)
    if case.expected is not None:
        assert case.expected in mine["expected"].to_list(), mine.select("expected", "actual", "message").rows()
    if case.actual is not None:
        assert case.actual in mine["actual"].to_list(), mine.select("expected", "actual").rows()
    for text in case.contains:
        assert any(text in m for m in mine["message"].to_list()), mine["message"].to_list()
    assert row["message"] and row["evidence"]
    assert isinstance(json.loads(row["evidence"]), list)
    assert row["document"] == "case.txt" and row["bureau"] == "测试县医疗保障局" and row["fiscal_year"] == 2023
    assert 0.0 <= row["score"] <= 1.0


def test_every_code_has_fire_and_quiet_case():
    codes = {c.code for c in all_checks()}
    fire = {c.code for c in ALL_CASES + RULE_CASES if c.fires}
    quiet = {c.code for c in ALL_CASES + RULE_CASES if not c.fires}
    assert codes <= fire, codes - fire
    assert codes <= quiet, codes - quiet


def test_finding_ids_are_stable():
    case = next(c for c in ALL_CASES if c.code == "IT011" and c.fires)
    a, _ = run_checks(case.frames)
    b, _ = run_checks(case.frames)
    assert sorted(a["finding_id"].to_list()) == sorted(b["finding_id"].to_list())
    assert a["finding_id"].n_unique() == a.height


def test_a_broken_check_does_not_stop_the_run(monkeypatch):
    from toolkit.checks.footing import RowCrossFooting

    def boom(self, frames):
        raise RuntimeError("boom")

    monkeypatch.setattr(RowCrossFooting, "run", boom)
    case = next(c for c in ALL_CASES if c.code == "IT001" and c.fires)
    findings, coverage = run_checks(case.frames)
    assert "IT001" in findings["check_code"].to_list()
    err = coverage.filter(coverage["status"] == "error")
    assert err["check_code"].to_list() == ["IT002"] and "boom" in err["reason"][0]


def test_empty_frames_do_not_crash():
    findings, coverage = run_checks({})
    assert findings.height == 0
