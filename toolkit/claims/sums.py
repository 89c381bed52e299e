"""Sums a sentence states without 其中: the reasons listed for a change, and a budget built from its adjustments.

* **reasons** — “减少408.65万元，主要是因为减少A 423.62万元、B 9.56万元…；增加C 15.63万元…”: each reason
  carries the direction word before it (or of the reason before it in the list); a list that nets
  increases against decreases gives the change item by item, so Σ(same direction) − Σ(opposite) = the
  change. A list of one direction only (“主要是因为减少A、B”) names the main items and may leave offsets
  unsaid: it states no sum and makes no claim. A reason with no direction word, one stated as a rate
  or count, or one whose verb is 增加到 (a new level, not a change) stops the list's claim too.
* **budget** — “年初预算X万元，年中追加Y万元，全年预算Z万元” (in any order, one clause): X + Y (− 调减) = Z,
  with exactly one figure of each kind, else no claim.

Both are partitions (IT073): the whole, its ``part`` operands and the ``part_minus`` operands that
count against it.
"""

from __future__ import annotations

import re

from toolkit.claims.claim import Claim, Operand
from toolkit.claims.segment import Span, list_end
from toolkit.claims.tokens import DOWN, UP, Token

REASON_CUE = re.compile(r"主要(?:是)?(?:因为|由于|原因(?:是|为|：|:))|原因(?:是|为|：|:)|主要系")
_VERB = re.compile(rf"{UP}|{DOWN}")


def _op(role: str, t: Token, how: str) -> Operand:
    return Operand(role, t.num, t.subject or None, how)


def reasons(sentence: Span, toks: list[Token], previous: list[Token]) -> list[Claim]:
    m = REASON_CUE.search(sentence.text)
    if m is None:
        return []
    at = m.end() + sentence.start
    changes = [t for t in toks if t.num.end <= at and t.role == "change" and t.num.is_money]
    how = "clause"
    if not changes and not sentence.text[:m.start()].strip(" ，,"):
        # “…减少408.65万元。主要是因为…”: the reasons of the change closing the sentence just before
        # (not a part of its 其中 list: the reasons explain the whole; two such changes: which one is a guess)
        changes = [t for t in previous if t.role == "change" and t.num.is_money and not t.in_partition]
        changes = changes if len(changes) == 1 else []
        how = "paragraph"
    if not changes or changes[-1].direction not in ("increase", "decrease"):
        return []
    whole = changes[-1]
    if how == "clause" and whole.clause != next((t.clause for t in toks if t.num.start >= at), whole.clause):
        return []  # the reasons open another clause than the change's
    stop = list_end(sentence, at, sentence.end)
    listed = [t for t in toks if at <= t.num.start < stop]
    direction: str | None = None
    ops = [_op("whole", whole, how)]
    for t in listed:
        if not t.num.is_money:
            return []  # a reason stated as a rate or a count: the money list is incomplete
        if t.role == "change":
            direction = t.direction
        elif _VERB.search(t.cue):
            return []  # 增加到/减少至: a level, not a change
        if direction not in ("increase", "decrease"):
            return []
        ops.append(_op("part" if direction == whole.direction else "part_minus", t, "sentence"))
    if not any(o.role == "part_minus" for o in ops) or not any(o.role == "part" for o in ops):
        return []  # one direction only: the main items, not the whole change
    return [Claim("partition", "原因", sentence, ops, subject=whole.subject, direction=whole.direction, relation="=")]


_ADD = re.compile(r"追加|调增|增加预算|追加预算")
_CUT = re.compile(r"调减|核减|减少预算")
_INITIAL = re.compile(r"年初(?:部门)?预算")
_FINAL = re.compile(r"全年预算|调整后(?:的)?(?:部门)?预算|调整预算|预算调整为")


def budget_sums(sentence: Span, toks: list[Token]) -> list[Claim]:
    out = []
    for clause in sorted({t.clause for t in toks}):
        kinds: dict[str, list[Token]] = {"add": [], "cut": [], "initial": [], "final": []}
        for t in toks:
            if t.clause != clause or not t.num.is_money or t.role not in ("amount", "change"):
                continue
            cue = t.cue
            kind = ("add" if _ADD.search(cue) else "cut" if _CUT.search(cue) else
                    "initial" if _INITIAL.search(cue) else "final" if _FINAL.search(cue) else None)
            if kind is not None:
                kinds[kind].append(t)
        one = {k: v for k, v in kinds.items() if len(v) == 1}
        if len(one) != sum(1 for v in kinds.values() if v):
            continue  # two figures of one kind: which belongs to which is a guess
        if "initial" not in one or "final" not in one or not ({"add", "cut"} & one.keys()):
            continue
        ops = [_op("whole", one["final"][0], "clause"), _op("part", one["initial"][0], "clause")]
        ops += [_op("part", one["add"][0], "clause")] if "add" in one else []
        ops += [_op("part_minus", one["cut"][0], "clause")] if "cut" in one else []
        out.append(Claim("partition", "年初+调整", sentence, ops, subject=one["final"][0].subject, relation="="))
    return out
