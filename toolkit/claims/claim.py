"""A claim stated in the text and its operands, each with where it was found (the grammar's output)."""

from __future__ import annotations

from dataclasses import dataclass, field

from toolkit.claims.numbers import Num
from toolkit.claims.segment import Span


@dataclass(slots=True)
class Operand:
    role: str
    num: Num | None = None
    name: str | None = None  # the words naming it (subject, or the whole named after 占)
    resolved_by: str | None = None  # clause|sentence|paragraph|partition|document|table
    passage_id: str | None = None  # set when found in another passage than the claim's


@dataclass(slots=True)
class Claim:
    kind: str  # change|share|completion|partition|comparison|product|balance|amount
    form: str  # which phrasing produced it (for coverage and messages)
    sentence: Span
    operands: list[Operand] = field(default_factory=list)
    subject: str = ""
    period: str | None = None
    direction: str | None = None
    relation: str | None = None
    missing: list[str] = field(default_factory=list)  # roles the claim needs and no text supplies

    def get(self, role: str) -> Operand | None:
        return next((o for o in self.operands if o.role == role), None)

    def parts(self) -> list[Operand]:
        return [o for o in self.operands if o.role == "part"]
