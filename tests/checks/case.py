"""One fire-or-quiet case of a check, run by ``tests/checks/test_rules.py`` over the frames it builds.

Expected values are worked out by hand (say how in a comment beside the case).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Case:
    code: str  # the check code this case is about
    name: str  # short kebab-case name, unique per code
    frames: dict  # canonical frames the check runs over
    fires: int  # how many findings of ``code`` are expected (0: a quiet case)
    expected: str | None = None  # one finding's ``expected`` value (computed side)
    actual: str | None = None  # one finding's ``actual`` value (printed side)
    kind: str | None = None  # the anomaly kind the findings must carry
    contains: list[str] = field(default_factory=list)  # texts one finding's message must contain
    severity: str | None = None  # the severity the first finding must have
    max_severity: str | None = None  # no finding of ``code`` may be above this
