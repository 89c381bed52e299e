"""The check cases: every ``tests/checks/rules/<code>.py`` module's ``CASES``, found without a hand-kept list."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from tests.checks import rules
from tests.checks.case import Case


@cache
def case_modules() -> dict[str, list[Case]]:
    """Module name (the code in lower case) -> its cases."""
    out = {}
    for info in sorted(pkgutil.iter_modules(rules.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{rules.__name__}.{info.name}")
        out[info.name] = list(module.CASES)
    return out


def all_cases() -> list[Case]:
    return [case for cases in case_modules().values() for case in cases]


def case_id(case: Case) -> str:
    return f"{case.code}-{case.name}"
