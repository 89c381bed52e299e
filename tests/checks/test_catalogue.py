"""The check catalogue: unique stable codes, a one-line entry each, and docs/checks.md in sync."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import tests.checks.rules
from tests.checks import cases, cases_other
from toolkit.checks.registry import all_checks, catalogue_markdown

# the table/text checks' cases, the ratio/copy/peer checks' cases, and one module per code in rules/
ALL_CASES = cases.CASES + cases_other.build() + [
    c for m in pkgutil.iter_modules(tests.checks.rules.__path__)
    for c in importlib.import_module(f"tests.checks.rules.{m.name}").CASES]

ROOT = Path(__file__).resolve().parents[2]


def test_every_check_has_a_code_a_summary_and_fire_and_quiet_cases():
    codes = [c.code for c in all_checks()]
    assert len(codes) == len(set(codes))
    cased = {}
    for case in ALL_CASES:
        cased.setdefault(case.code, set()).add("fires" if case.fires else "quiet")
    for check in all_checks():
        assert check.summary(), check.code
        if check.category != "parse_issue":
            assert cased.get(check.code) == {"fires", "quiet"}, check.code


def test_docs_catalogue_is_generated_from_the_docstrings():
    assert (ROOT / "docs" / "checks.md").read_text(encoding="utf-8") == catalogue_markdown()
