"""Restatements: the same item's amount stated in two places of a document's text (claim against claim).

Two amount claims are statements of the same item only when their subjects are printed the same
(after the usual leading and trailing words are stripped), name something specific (not a bare
预算安排/执行数/一是…), have the same period and base unit, and sit in different sentences. An item
stated with more than two different amounts is a generic name for several things (each project's
预算执行数): it is not compared (abstain). Everything else is left to the text–table checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

# words that name a measure or a stage rather than an item: a subject made only of them is generic
_GENERIC = re.compile(
    r"预算|决算|安排|执行数|执行|完成数?|实际|调整|年初|全年|本年度?|当年|上年|本级|财政拨款|拨款|支出|收入|资金|"
    r"经费总额|金额|总额|总计|合计|共计|数额|数|累计|纳入|管理|用于|其中|项目|指标|20\d\d年度?|年度?|[\d.,]+|[为了的是共计达]"
)
# a subject that carries a comparison (本年数小于上年…), a leftover enumerator or a 科目 level names no one item
_NOT_AN_ITEM = re.compile(r"[小大高低多少]于|比|较|上年|同比|^[)）、.．]|[(（](?:类|款|项)[)）]")
_ENUMERATOR = re.compile(r"^(?:[一二三四五六七八九十]+是|第[一二三四五六七八九十]+|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．])")


def restatement_subject(subject: str | None) -> bool:
    """Whether ``subject`` names one item specifically enough that two amounts of it must agree."""
    s = _ENUMERATOR.sub("", (subject or "").strip())
    if len(s) < 4 or _ENUMERATOR.match(subject or "") or _NOT_AN_ITEM.search(s):
        return False
    return len(_GENERIC.sub("", s)) >= 2


@dataclass(frozen=True, slots=True)
class Statement:
    document_id: str
    passage_id: str
    page: int | None
    sentence: str
    span_start: int
    subject: str
    period: str | None
    value: float  # in the base unit
    half: float  # half a unit of the last printed digit, in the base unit
    raw: str
    start: int | None

    def meets(self, other: Statement) -> bool:
        return abs(self.value - other.value) <= self.half + other.half + 1e-9 * (abs(self.value) + 1)


def statements(claims: pl.DataFrame) -> list[Statement]:
    """The amount claims of ``claims`` whose subject is specific (``restatement_subject``)."""
    out = []
    amounts = claims.filter((pl.col("kind") == "amount") & pl.col("missing").is_null())
    for r in amounts.iter_rows(named=True):
        op = next((o for o in r["operands"] or [] if o["role"] == "value" and o["value"] is not None), None)
        if op is None or op["base_unit"] != "元" or not restatement_subject(r["subject"]):
            continue
        scale = op["scale"] or 1.0
        out.append(Statement(r["document_id"], r["passage_id"], r["page"], r["sentence"] or "", r["span_start"] or 0,
                             r["subject"], r["period"], op["value"] * scale, 0.5 * 10 ** -(op["decimals"] or 0) * scale,
                             op["raw"] or "", op["start"]))
    return out


def _clusters(items: list[Statement]) -> list[list[Statement]]:
    groups: list[list[Statement]] = []
    for s in items:
        home = next((g for g in groups if g[0].meets(s)), None)
        if home is None:
            groups.append([s])
        else:
            home.append(s)
    return groups


def _by_period(items: list[Statement]) -> dict[str | None, list[Statement]]:
    """上年 apart; an unmarked statement joins the one year printed with the name, and is left out when
    the name is printed with several years (which year it means is then a guess)."""
    out: dict[str | None, list[Statement]] = {}
    years = {s.period for s in items if s.period not in (None, "prev")}
    for s in items:
        if s.period == "prev":
            out.setdefault("prev", []).append(s)
        elif s.period is not None:
            out.setdefault(s.period, []).append(s)
        elif len(years) <= 1:
            out.setdefault(next(iter(years), None), []).append(s)
    return out


def restatements(claims: pl.DataFrame) -> tuple[list[tuple[Statement, Statement]], list[dict]]:
    """(pairs that disagree, coverage rows): per document and item stated more than once, the first
    statement of the amount stated at least twice and the one statement that disagrees with it. Two
    statements that differ (the same item misstated, or two items of one name?), three amounts, or two
    amounts each stated more than once abstain."""
    by_name: dict[tuple, list[Statement]] = {}
    for s in statements(claims):
        by_name.setdefault((s.document_id, s.subject), []).append(s)
    by_item: dict[tuple, list[Statement]] = {}
    for key, items in by_name.items():
        for period, group in _by_period(items).items():
            by_item[(*key, period)] = group
    pairs, evals = [], []
    for (doc, subject, _), items in by_item.items():
        # one statement per sentence (the same sentence printed twice, or a list inside one sentence, is not a restatement)
        seen: dict[str, Statement] = {}
        for s in items:
            seen.setdefault(s.sentence, s)
        items = list(seen.values())
        if len(items) < 2:
            continue
        groups = _clusters(items)
        identity = "C-restatement"
        if len(groups) == 1:
            evals.append({"document_id": doc, "identity": identity, "status": "passed", "reason": None})
        elif len(groups) == 2 and min(map(len, groups)) == 1 and max(map(len, groups)) >= 2:
            first = max(groups, key=len)[0]
            other = next(s for s in items if not first.meets(s))
            pairs.append((first, other))
            evals.append({"document_id": doc, "identity": identity, "status": "failed", "reason": None})
        else:  # two statements that differ (one item or two?), three amounts, or two each stated more
            # than once: a name that may be shared by several items
            evals.append({"document_id": doc, "identity": identity, "status": "skipped",
                          "reason": f"{subject}: {len(groups)} different amounts (a name for several items)"})
    return pairs, evals
