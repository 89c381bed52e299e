"""The check registry and catalogue.

Checks register themselves with :func:`register` when their module is imported
(``toolkit.checks`` imports every family module). Codes are unique and never reused:
a retired code stays listed in :data:`RETIRED` so it cannot be given to a new check.
"""

from __future__ import annotations

from toolkit.checks.framework import Check
from toolkit.kinds import CATEGORIES, KINDS

_REGISTRY: dict[str, type[Check]] = {}

# code -> why it was retired (never reuse these codes)
RETIRED: dict[str, str] = {}


def register(cls: type[Check]) -> type[Check]:
    code = cls.code
    if code in _REGISTRY and _REGISTRY[code] is not cls:
        raise ValueError(f"check code {code} registered twice ({_REGISTRY[code].__name__}, {cls.__name__})")
    if code in RETIRED:
        raise ValueError(f"check code {code} is retired: {RETIRED[code]}")
    if cls.category not in CATEGORIES:
        raise ValueError(f"{code}: unknown category {cls.category}")
    for kind in cls.detects:
        if kind not in KINDS and cls.category != "parse_issue":
            raise ValueError(f"{code}: unknown kind {kind}")
    _REGISTRY[code] = cls
    return cls


def all_checks() -> list[type[Check]]:
    import toolkit.checks  # noqa: F401  (imports the family modules, which register)

    return [_REGISTRY[c] for c in sorted(_REGISTRY)]


def catalogue() -> list[dict]:
    return [
        {
            "code": c.code,
            "name": c.name,
            "category": c.category,
            "version": c.version,
            "detects": ", ".join(c.detects),
            "summary": c.summary(),
            "doc": c.doc(),
        }
        for c in all_checks()
    ]


def catalogue_markdown() -> str:
    """The catalogue as Markdown (docs/checks.md is generated from this)."""
    lines = ["# Check catalogue", "", "Generated from the check docstrings (`yibao-audit checks`).", ""]
    lines += ["| Code | Name | Category | Detects | Summary |", "|---|---|---|---|---|"]
    for e in catalogue():
        lines.append(f"| {e['code']} | {e['name']} | {e['category']} | {e['detects']} | {e['summary']} |")
    for e in catalogue():
        lines += ["", f"## {e['code']} {e['name']}", "", e["doc"]]
    return "\n".join(lines) + "\n"


def checks_command() -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="yibao-audit checks")
    for col in ("code", "category", "name", "summary"):
        table.add_column(col)
    for e in catalogue():
        table.add_row(e["code"], e["category"], e["name"], e["summary"])
    Console().print(table)
