"""Faults for claim kinds the other planners do not reach: a comparison word flipped between two printed
figures (“40.65%，大于28%”), the total of a count × per-unit product changed, and one of two statements
of the same item's amount changed (the item restated differently).

Candidates come from the claims grammar (``toolkit.claims``) over the document's own passages, so a
mutation always lands on a statement the text really makes; only statements that hold in the original are
mutated, so the fault is the only thing wrong with them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import polars as pl

from toolkit.claims.grammar import parse_passage
from toolkit.claims.restate import restatement_subject
from toolkit.mutate import numbers as nb
from toolkit.mutate.edits import Edit, Replace
from toolkit.mutate.planner import PLANNERS, Context, Frames, Plan, _fact_edit, _passages, _text_replace
from toolkit.mutate.spans import compact

# extraction normalises punctuation (， -> ,): an anchor that crosses none is found in the source as printed
_PUNCT = re.compile(r"[，,。；;：:、（）()“”\s]")


def _word_anchors(text: str, i: int, old: str, new: str, page: int | None) -> list[list[Edit]]:
    """Anchors around ``old`` that stop at the nearest punctuation on each side, then the usual wider ones."""
    b = i
    while b > 0 and not _PUNCT.match(text[b - 1]) and i - b < 12:
        b -= 1
    e = i + len(old)
    while e < len(text) and not _PUNCT.match(text[e]) and e - i < 16:
        e += 1
    before, after = compact(text[b:i]), compact(text[i + len(old):e])
    alts: list[list[Edit]] = []
    if before or len(after) >= 3:
        alts.append([Replace(old, new, before + old + after, len(before), page=page)])
    return alts + _text_replace(text, i, old, new, page)

_OPPOSITE = {"大于": "小于", "小于": "大于", "高于": "低于", "低于": "高于", "超过": "未达到", "未达到": "超过",
             "等于": "大于", "多于": "少于", "少于": "多于"}


def _holds(a: float, b: float, relation: str) -> bool:
    return {">": a > b, "<": a < b, "<=": a <= b, "=": abs(a - b) < 1e-9}[relation]


def plan_comparison_flipped(frames: Frames, ctx: Context) -> Iterator[Plan]:
    for p in _passages(frames):
        text = p["text"] or ""
        for c in parse_passage(text)[0]:
            a, b = c.get("a"), c.get("b")
            if c.kind != "comparison" or a is None or b is None or a.num is None or b.num is None:
                continue
            word = c.form.strip("XY名")
            new = _OPPOSITE.get(word)
            if new is None or not _holds(a.num.base, b.num.base, c.relation or "") or abs(a.num.base - b.num.base) < 1e-9:
                continue  # flip only a comparison that holds with figures that differ: the flip is then false
            i = text.find(word, c.sentence.start, c.sentence.end)
            if i < 0:
                continue
            yield Plan("comparison_flipped", _word_anchors(text, i, word, new, p.get("page")),
                       f"{p['passage_id']} p{p.get('page')}: …{text[max(0, i - 10):i + 12]}…", word, new,
                       (new, a.num.raw), f"{word} flipped to {new} between {a.num.raw} and {b.num.raw}",
                       page=p.get("page"))


def plan_product_broken(frames: Frames, ctx: Context) -> Iterator[Plan]:
    for p in _passages(frames):
        text = p["text"] or ""
        for c in parse_passage(text)[0]:
            total = c.get("total")
            if c.kind != "product" or total is None or total.num is None:
                continue
            old = nb.number_part(total.num.raw)
            new = nb.bump_leading(old or "")
            if not old or not new:
                continue
            fact = {"raw_text": total.num.raw, "sentence": c.sentence.text, "page": p.get("page"),
                    "passage_id": p["passage_id"]}
            yield Plan("product_broken", _fact_edit(fact, old, new), f"{p['passage_id']} p{p.get('page')}: {total.num.raw}",
                       old, new, (new,), "the total of count × per-unit amount changed", page=p.get("page"))


def plan_balance_broken(frames: Frames, ctx: Context) -> Iterator[Plan]:
    """A 当期结余 whose income and expense the text names (the claim resolves) and which holds in the
    original: changing it breaks 结余 = 收入 − 支出 where an auditor, too, could recompute it. A balance
    whose income the text does not tie to its scheme is not planted on (it could not be checked)."""
    from toolkit.checks.text_ratios import evaluate
    from toolkit.claims.frame import claims_of

    passages = {p["passage_id"]: p for p in _passages(frames)}
    claims, _ = claims_of({"passages": frames.get("passages", pl.DataFrame())})
    for r in evaluate(claims.filter(pl.col("kind") == "balance")):
        bal = r["ops"].get("balance")
        p = passages.get(r["passage_id"])
        if r["verdict"].status != "passed" or bal is None or p is None:
            continue
        old = nb.number_part(bal.raw)
        new = nb.bump_leading(old or "")
        if not old or not new:
            continue
        fact = {"raw_text": bal.raw, "sentence": r["sentence"], "page": p.get("page"), "passage_id": p["passage_id"]}
        yield Plan("balance_broken", _fact_edit(fact, old, new), f"{p['passage_id']} p{p.get('page')}: {bal.raw}",
                   old, new, (new,), "结余 ≠ 收入 − 支出 in the text", page=p.get("page"))


def plan_restatement_changed(frames: Frames, ctx: Context) -> Iterator[Plan]:
    """A third (or later) statement of an item named specifically (``restatement_subject``) with the same
    amount in another sentence: after the change the item is stated one way twice and another way once,
    which a reader can tell is one misstatement (two statements that differ could be two items)."""
    seen: dict[tuple[str, str | None, float], set[str]] = {}
    for p in _passages(frames):
        text = p["text"] or ""
        for c in parse_passage(text)[0]:
            v = c.get("value")
            if c.kind != "amount" or v is None or v.num is None or not restatement_subject(c.subject) \
                    or not v.num.value:
                continue
            key = (c.subject, c.period, round(v.num.base, 2))
            sentences = seen.setdefault(key, set())
            if c.sentence.text in sentences:
                continue  # the same sentence printed twice is one statement
            sentences.add(c.sentence.text)
            if len(sentences) < 3:
                continue
            old = nb.number_part(v.num.raw)
            new = nb.bump_leading(old or "")
            if not old or not new:
                continue
            fact = {"raw_text": v.num.raw, "sentence": c.sentence.text, "page": p.get("page"),
                    "passage_id": p["passage_id"]}
            yield Plan("restatement_changed", _fact_edit(fact, old, new),
                       f"{p['passage_id']} p{p.get('page')}: {c.subject} {v.num.raw}", old, new, (new,),
                       f"a later statement of {c.subject} changed", page=p.get("page"))


CLAIM_PLANNERS = {"comparison_flipped": plan_comparison_flipped, "product_broken": plan_product_broken,
                  "restatement_changed": plan_restatement_changed, "balance_broken": plan_balance_broken}


# ------------------------------------------------------------------ text faults only where a check is possible

_CLAUSE = re.compile(r"[，,。；;：:]")


def _checkable(frames: Frames) -> tuple[set[tuple[str, str, str]], list[tuple[str, str]]]:
    """({(passage_id, printed number, claim kind or "table")} of every figure that takes part in a claim the claims layer checks
    and that holds in the original, or in a text–table comparison that matches; [(passage_id, sentence)]
    of every change or comparison claim checked and holding)."""
    from toolkit.checks.text_amounts import text_amounts_vs_tables, text_facts
    from toolkit.checks.text_ratios import claim_verdicts

    numbers: set[tuple[str, str, str]] = set()
    sentences: list[tuple[str, str]] = []
    for r in claim_verdicts(frames):
        if r["verdict"].status != "passed":
            continue
        for op in r["ops"].values():
            numbers.add((op.passage_id or r["passage_id"], compact(nb.number_part(op.raw) or op.raw), r["kind"]))
        if r["kind"] in ("change", "comparison"):
            sentences.append((r["passage_id"], compact(r["sentence"] or "")))
    try:
        per, _ = text_amounts_vs_tables(frames)
        facts = text_facts(frames)
        matched = per.filter(pl.col("any_match")).join(facts.select("fid", "passage_id", "raw_text"), on="fid")
        numbers |= {(pid, compact(nb.number_part(raw) or raw), "table")
                    for pid, raw in matched.select("passage_id", "raw_text").iter_rows()}
    except (KeyError, pl.exceptions.PolarsError):  # a document without facts or tables: claims only
        pass
    return numbers, sentences


def _passage_of(plan: Plan) -> str:
    return plan.location.split(" ", 1)[0]


def only_checkable(name: str, planner):  # noqa: ANN001, ANN201  (a Planner in, a Planner out)
    """``planner`` restricted to statements whose relation the original's text (or its table) lets one
    recompute: the figure changed takes part in a claim that is checked and holds, or the word flipped is
    in a checked change or comparison. A fault on a figure nothing else in the document relates to
    (a lone 购置单价100万元, a 完成100% with no amounts) could not be found by an auditor either."""
    def plan(frames: Frames, ctx: Context) -> Iterator[Plan]:
        numbers, sentences = _checkable(frames)
        for p in planner(frames, ctx):
            pid = _passage_of(p)
            if name == "direction_flipped":
                excerpt = p.location.split(": ", 1)[-1].strip("…")
                piece = next((x for x in _CLAUSE.split(excerpt) if p.original_value in x), "")
                if piece and any(q == pid and compact(piece) in s for q, s in sentences):
                    yield p
            elif any((pid, compact(nb.number_part(p.original_value) or p.original_value), k) in numbers
                     for k in _KINDS_OF[name]):
                yield p
    return plan


def checkable_text_planners(planners: dict) -> dict:  # noqa: ANN001
    return {k: only_checkable(k, planners[k]) for k in _CHECKABLE_ONLY if k in planners}


# which checked relations a changed figure must take part in for the fault to be findable
_AMOUNT_RELATIONS = ("change", "share", "completion", "partition", "product", "balance", "table")
_KINDS_OF = {"text_amount": _AMOUNT_RELATIONS, "unit_flipped_text": _AMOUNT_RELATIONS, "text_share": ("share",),
             "text_completion": ("completion",), "text_growth": ("change",), "text_change_amount": ("change",)}
_CHECKABLE_ONLY = ("text_amount", "text_share", "text_completion", "text_growth", "text_change_amount",
                   "direction_flipped", "unit_flipped_text")

# the table-and-text planners of these kinds, kept to where the statement can be recomputed
CLAIM_PLANNERS.update(checkable_text_planners(PLANNERS))
