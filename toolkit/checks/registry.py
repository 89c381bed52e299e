"""The check registry and catalogue.

Checks register themselves with :func:`register` when their module is imported
(``toolkit.checks`` imports every module of ``toolkit.checks.rules``, one per code). Codes are unique and never reused:
a retired code stays listed in :data:`RETIRED` so it cannot be given to a new check.
"""

from __future__ import annotations

from toolkit.checks.framework import Check
from toolkit.kinds import CATEGORIES, KINDS

_REGISTRY: dict[str, type[Check]] = {}

# code -> why it was retired (never reuse these codes)
RETIRED: dict[str, str] = {
    "IT031": "text shares are claims now: IT071 (and IT076 for a unit slip)",
    "IT032": "text growth rates and change amounts are claims now: IT070 (and IT076 for a unit slip)",
    "IT033": "text completion rates are claims now: IT072 (and IT076 for a unit slip)",
}


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
    if not getattr(cls, "label", ""):
        raise ValueError(f"{code}: no Chinese label (ClassVar ``label``)")
    _REGISTRY[code] = cls
    return cls


def all_checks() -> list[type[Check]]:
    import toolkit.checks  # noqa: F401  (imports the rule modules, which register)

    return [_REGISTRY[c] for c in sorted(_REGISTRY)]


def label_of(code: str) -> str | None:
    """The Chinese label of a registered check code (None for a code not registered)."""
    import toolkit.checks  # noqa: F401  (imports the rule modules, which register)

    cls = _REGISTRY.get(code)
    return cls.label if cls is not None else None


def catalogue() -> list[dict]:
    return [
        {
            "code": c.code,
            "name": c.name,
            "label": c.label,
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
    lines = ["# Check catalogue", "", "Generated from the check docstrings by `yibao-audit checks --markdown --out docs/checks.md`.", ""]
    lines += ["| Code | Name | Label | Category | Detects | Summary |", "|---|---|---|---|---|---|"]
    for e in catalogue():
        lines.append(f"| {e['code']} | {e['name']} | {e['label']} | {e['category']} | {e['detects']} | {e['summary']} |")
    for e in catalogue():
        lines += ["", f"## {e['code']} {e['name']} · {e['label']}", "", e["doc"]]
    if RETIRED:
        lines += ["", "## Retired codes (never reused)", ""]
        lines += [f"- {code}: {why}" for code, why in sorted(RETIRED.items())]
    return "\n".join(lines) + "\n"
