"""Runs every case of ``tests/checks/rules/*.py``: a firing case's findings, a quiet case's silence."""

from __future__ import annotations

import json

import pytest

from tests.checks.discover import all_cases, case_id, case_modules
from toolkit.checks import run_checks
from toolkit.checks.registry import all_checks

SEVERITY_ORDER = ["info", "low", "medium", "high"]
CASES = all_cases()


def check_class(code: str):
    return next(c for c in all_checks() if c.code == code)


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_case(case):
    findings, coverage = run_checks(case.frames)
    errors = coverage.filter(coverage["status"] == "error")
    assert errors.height == 0, errors["reason"].to_list()
    mine = findings.filter(findings["check_code"] == case.code)
    assert mine.height == case.fires, mine["message"].to_list()
    if case.max_severity is not None:
        worst = max((SEVERITY_ORDER.index(s) for s in mine["severity"].to_list()), default=-1)
        assert worst <= SEVERITY_ORDER.index(case.max_severity), mine.select("severity", "message").rows()
    if case.fires == 0:
        return
    row = mine.row(0, named=True)
    if case.expected is not None:
        assert case.expected in mine["expected"].to_list(), mine.select("expected", "actual", "message").rows()
    if case.actual is not None:
        assert case.actual in mine["actual"].to_list(), mine.select("expected", "actual").rows()
    if case.kind is not None:  # findings carry no kind: the check's own hits do
        hits = check_class(case.code)().run(case.frames).hits
        assert set(hits["kind"].to_list()) == {case.kind}, hits["kind"].to_list()
    for text in case.contains:
        assert any(text in m for m in mine["message"].to_list()), mine["message"].to_list()
    assert case.severity is not None, "a firing case states the severity of its first finding"
    assert row["severity"] == case.severity, (row["severity"], row["message"])
    assert row["message"] and row["evidence"]
    assert isinstance(json.loads(row["evidence"]), list)
    # the finding names its document as the case's documents frame describes it
    docs = case.frames["documents"].filter(case.frames["documents"]["document_id"] == row["document_id"])
    assert docs.height == 1, row["document_id"]
    doc = docs.row(0, named=True)
    assert (row["document"], row["bureau"], row["fiscal_year"]) == (doc["path"], doc["bureau"], doc["fiscal_year"])
    assert 0.0 <= row["score"] <= 1.0


@pytest.mark.parametrize("module", sorted(case_modules()))
def test_a_case_file_holds_the_cases_of_its_own_code(module):
    cases = case_modules()[module]
    assert cases, f"{module}.py defines no case"
    assert {c.code.lower() for c in cases} == {module}
    names = [c.name for c in cases]
    assert len(names) == len(set(names)), names
