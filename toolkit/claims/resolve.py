"""Reference resolution with abstention: the operands a sentence names but does not print.

A share's whole named after 占 (占基本支出的84.74%) is looked up, in order, in the same sentence, the
paragraph (the passage's earlier sentences), the document's other amount claims and last its tables
(``TableLookup``, supplied by the caller: the claims layer does not know table types). A name found with
two different values at one level is ambiguous and stops the search there: the claim stays unresolved
and is not checked, rather than paired with a number that may be another item's.

Balance claims (收入 − 支出 = 结余) are assembled here too, since their three figures are usually in
different sentences: a 当期结余 with exactly one income (收入/筹集/征缴/到位) and one expense figure of the
same scheme (职工/居民) and period in its paragraph, else in its document.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from toolkit.claims.claim import Claim, Operand
from toolkit.claims.numbers import Num
from toolkit.claims.tokens import Token


@dataclass(frozen=True, slots=True)
class TableFigure:
    num: Num
    where: str  # table title, row and column, for the evidence


# (document_id, the whole's name) -> the table figures it may name (empty: none, or the name is no table's)
TableLookup = Callable[[str, str], list[TableFigure]]

_NOISE = re.compile(r"本年度|本年|全年|当年|年度|的|总额|金额|数|资金|经费|\s")
_INCOME_SYNONYM = re.compile(r"(?:筹集|征缴|到位)(?:医保)?基金|基金(?:筹集|征缴|到位)")


def _norm(name: str) -> str:
    n = _INCOME_SYNONYM.sub("基金收入", name)
    n = _NOISE.sub("", n)
    return n.replace("总计", "合计").replace("总", "")


def names_match(want: str, subject: str) -> bool:
    """Does ``subject`` (an amount's subject) name the whole ``want``? 基本支出 ~ 财政拨款基本支出; 基金收入 ~
    筹集医保基金; 本年支出合计 ~ 支出合计 (a 合计 wanted needs a 合计 named)."""
    w, s = _norm(want), _norm(subject)
    if len(w) < 2 or len(s) < 2:
        return False
    if "合计" in w and "合计" not in s:
        return False
    return s.endswith(w) or (w.endswith(s) and len(s) >= 3)


def _unique(cands: list[Token]) -> Token | None | bool:
    """The one candidate (by value), None when none, False when several values compete."""
    values = {round(t.num.base, 6) for t in cands}
    if not values:
        return None
    return cands[-1] if len(values) == 1 else False


@dataclass(slots=True)
class PassageClaims:
    passage_id: str
    claims: list[Claim]
    tokens: list[Token]


def _amounts(tokens: list[Token], before: int | None = None) -> list[Token]:
    return [t for t in tokens if t.role == "amount" and t.num.is_money and (before is None or t.num.start < before)]


def resolve_wholes(document_id: str, passages: list[PassageClaims], lookup: TableLookup | None) -> None:
    """Fill the named wholes of share claims in place (``resolved_by`` says where each came from)."""
    every = [t for p in passages for t in _amounts(p.tokens)]
    home = {id(t): p.passage_id for p in passages for t in p.tokens}
    for p in passages:
        for c in p.claims:
            whole = c.get("whole")
            part = c.get("part")
            if c.kind != "share" or whole is None or whole.num is not None or not whole.name or part is None \
                    or part.num is None:
                continue
            levels = (
                # a figure of a respective list names the list's items, never the whole of one of them
                ("sentence", [t for t in _amounts(p.tokens, part.num.start) if t.sentence == c.sentence
                              and t.slot is None]),
                ("paragraph", [t for t in _amounts(p.tokens, c.sentence.start)]),
                ("document", [t for t in every if t not in p.tokens]),
            )
            done = False
            for how, pool in levels:
                found = _unique([t for t in pool if t.num is not part.num and t.num.base_unit == part.num.base_unit
                                 and names_match(whole.name, t.subject)])
                if found is False:
                    c.missing = ["whole (ambiguous)"]
                    done = True
                    break
                if found is not None:
                    whole.num, whole.resolved_by = found.num, how
                    whole.passage_id = home[id(found)] if how == "document" else None
                    c.missing = []
                    done = True
                    break
            if done or lookup is None:
                continue
            figures = lookup(document_id, whole.name)
            values = {round(f.num.base, 6) for f in figures}
            if len(values) == 1:
                whole.num, whole.resolved_by = figures[0].num, "table"
                whole.name = f"{whole.name}（{figures[0].where}）"
                c.missing = []
            elif len(values) > 1:
                c.missing = ["whole (ambiguous in tables)"]


_SCHEMES = {"职工": r"职工", "居民": r"居民"}
_INCOME = re.compile(r"收入|筹集|征缴|到位")
_EXPENSE = re.compile(r"支出")
_BALANCE = re.compile(r"当期结余|本年结余|当年结余|收支结余")
_NOT_ACTUAL = re.compile(r"可筹集|预计|计划|应|累计|滚存|预算")


def _scheme(subject: str) -> str | None:
    found = [k for k, w in _SCHEMES.items() if re.search(w, subject)]
    return found[0] if len(found) == 1 else None


def balance_claims(passages: list[PassageClaims]) -> list[tuple[str, Claim]]:
    """(passage_id, claim) for each 当期结余 whose income and expense are found once each."""
    out = []
    every = [(p, t) for p in passages for t in _amounts(p.tokens) if "基金" in t.subject]
    for p in passages:
        for t in _amounts(p.tokens):
            if not _BALANCE.search(t.subject + t.cue) or _NOT_ACTUAL.search(t.subject.replace("当期结余", "")):
                continue
            scheme = _scheme(t.subject)
            if scheme is None:
                continue
            ops = [Operand("balance", t.num, t.subject, "clause")]
            missing = []
            for role, words in (("income", _INCOME), ("expense", _EXPENSE)):
                def fits(x: Token, words: re.Pattern[str] = words, scheme: str = scheme, unit: str = t.num.base_unit) -> bool:
                    return (words.search(x.subject) is not None and _scheme(x.subject) == scheme
                            and not _NOT_ACTUAL.search(x.subject + x.cue) and not _BALANCE.search(x.subject)
                            and x.num.base_unit == unit and not x.in_partition)
                found: Token | None | bool = None
                for how, pool in (("paragraph", [x for q, x in every if q is p]),
                                  ("document", [x for q, x in every if q is not p])):
                    found = _unique([x for x in pool if fits(x)])
                    if found is not None:
                        if found is not False:
                            owner = next(q for q, x in every if x is found)
                            ops.append(Operand(role, found.num, found.subject, how,
                                               owner.passage_id if owner is not p else None))
                        break
                if not found:
                    missing.append(role if found is None else f"{role} (ambiguous)")
            c = Claim("balance", "收入−支出=结余", t.sentence, ops, subject=t.subject, missing=missing)
            out.append((p.passage_id, c))
    return out
