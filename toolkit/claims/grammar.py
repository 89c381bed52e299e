"""The grammar: the figures of a sentence (``tokens``) -> typed claims.

One set of rules for Chinese fiscal phrasing, not a pattern per check:

* **change** — a change amount (增加/减少/增收/减收/多支/少支 D) and/or a growth rate (增长/下降 P%)
  that stand next to each other in a clause, in either order (“同比增长P%，增收D万” is the same claim as
  “增加D，增长P%”), with the figure it is about (new: the nearest amount before it; old: an amount stated
  for last year or an earlier year) — “A年执行数X，B年安排Y，比A年减少P%” has old, new and rate;
* **share** — 占…P%: the part is the figure just before it, the whole the one it names after 占
  (resolved later, in ``resolve``), or, when unnamed (占比), the whole of the 其中 list the part is in;
* **completion** — 完成预算的 / 预算完成率 / 执行率 / 占调整预算 P%: the budget is the amount named as
  预算/计划/指标/安排/下达 and the actual another amount of the same clause;
* **partition** — a whole followed by 其中/包括/主要用于 and its parts (amounts of an amount, change
  amounts of a change amount);
* **comparison** — 大于/等于/小于/高于/低于/超过/未达到 between two printed figures or two named ones;
* **product** — a count, a per-unit amount (每人/人均/元/人) and a total (共/合计);
* respective lists (分别/各/依次) pair position by position (``Token.slot``);
* sums stated without 其中 — netted reasons of a change, a budget with its adjustments — are in ``sums``.

A comparison or completion whose sentence prints no figure of its own (“决算数小于预算数的主要原因…”,
“完成年初预算的P%”) reads the sentence just before, only when each operand matches exactly one figure there.

Each claim keeps its operands with where each was found (``resolved_by``: clause, sentence,
paragraph, partition; ``resolve`` adds document and table). An operand that is not found stays
missing: the claim is not checked and says why (``missing``).
"""

from __future__ import annotations

import re

from toolkit.claims.claim import Claim, Operand
from toolkit.claims.segment import Span, list_end, sentences
from toolkit.claims.sums import budget_sums, reasons
from toolkit.claims.tokens import COMPARE_CUE, DOWN, PARTITION, UP, Token, clean_subject, tokens

UP_DOWN = f"{UP}|{DOWN}"

BUDGET_WORDS = re.compile(r"预算|计划|指标|安排|下达")
ACTUAL_WORDS = re.compile(r"决算|执行|支出|完成|实际|支付|使用|拨付")
_RELATION = re.compile(r"大于|小于|等于|高于|低于|超过|未达到|未超过|少于|多于|不足")
RELATIONS = {"大于": ">", "高于": ">", "超过": ">", "多于": ">", "小于": "<", "低于": "<", "少于": "<",
             "未达到": "<", "不足": "<", "未超过": "<=", "等于": "="}
# 共 as “in all” (共计, 共下达), not inside 公共/共同/共享
_TOTAL_CUE = re.compile(r"(?<!公)共(?![同享建济])|合计|总计|累计|总额|总金额")
_PER_UNIT_CUE = re.compile(r"每人|人均|每户|每名|每人次|标准为")


def _op(role: str, t: Token | None, how: str) -> Operand:
    if t is None:
        return Operand(role)
    return Operand(role, t.num, t.subject or None, how)


def _where(a: Token, b: Token) -> str:
    return "clause" if a.clause == b.clause else "sentence"


# ------------------------------------------------------------------------------------- change


def _merges(event: list[Token], t: Token) -> bool:
    last = event[-1]
    roles = {e.role for e in event}
    if t.role in roles or (None not in (last.slot, t.slot) and last.slot != t.slot) or last.clause != t.clause:
        return False
    # “减少408.65万元，减少52.98%”: nothing but the verb between; “压减10%，专项增加200万元” and
    # “压减10%，增加综合管理费209万元” name a new subject (before or after the verb)
    return not clean_subject(re.sub(r"[（(）)]", "", t.cue)) and not _names_after_verb(t)


def _names_after_verb(t: Token | None) -> bool:
    """“减少卫生健康支出423.62万元”: the item is named after the verb; the figure is that item's change
    (a reason listed for a larger change), not a change of the figure before it."""
    if t is None:
        return False
    tail = re.split(r"(?:增加|减少|增收|减收|多支|少支|增支|减支|节约|压减|缩减)", t.cue)[-1]
    return len(clean_subject(tail)) >= 2


_REFERENCE = re.compile(r"(?:比|较|与)(?P<ref>[^，,；;。比较与]{2,16}?)(?:相比|同期)?(?:[，,])?(?:" + UP_DOWN + r")")


def _reference(t: Token) -> str | None:
    """What a change is measured against when the sentence names it: 比年初预算数减少 -> 年初预算数
    (比上年/同比 name last year, which the amounts' periods already tell)."""
    m = list(_REFERENCE.finditer(t.head + t.cue))
    if not m:
        return None
    ref = m[-1].group("ref")
    return None if re.fullmatch(r"(?:上|去)年(?:度)?(?:同期)?", ref) else ref


def _changes(toks: list[Token], previous: list[Token]) -> list[Claim]:
    events: list[tuple[int, list[Token]]] = []
    for i, t in enumerate(toks):
        if t.role not in ("change", "growth"):
            continue
        if events and events[-1][0] + len(events[-1][1]) == i and _merges(events[-1][1], t):
            events[-1][1].append(t)
        else:
            events.append((i, [t]))
    # respective lists: “各下降p%、q%，各减少a、b” -> the rate and the change of one position are one claim
    merged: list[tuple[int, list[Token]]] = []
    for start, ev in events:
        host = next((m for m in merged if ev[0].slot is not None and m[1][0].slot == ev[0].slot
                     and not {t.role for t in m[1]} & {t.role for t in ev}), None)
        if host is not None:
            host[1].extend(ev)
        else:
            merged.append((start, ev))
    out = []
    floor = 0
    for start, ev in merged:
        delta = next((t for t in ev if t.role == "change"), None)
        rate = next((t for t in ev if t.role == "growth"), None)
        first = ev[0]
        slot = first.slot
        cands = [] if _names_after_verb(delta) else [t for t in toks[:start] if t.role == "amount" and t.num.is_money
                 and (slot is None or t.slot == slot) and (slot is not None or toks.index(t) >= floor)]
        # a figure inside a 其中 list is not the base of a change stated outside it, nor the reverse
        cands = [t for t in cands if t.in_partition == first.in_partition]
        years = [int(t.period) for t in cands if t.period and t.period.isdigit()]
        ref = _reference(first)
        ref_year = re.search(r"(20\d\d)", ref or "")
        old = next((t for t in reversed(cands) if ref and len(_core(ref)) >= 2 and _core(ref) in t.subject + t.cue
                    and (ref_year is None or t.period == ref_year.group(1))), None)
        # “与2016年度相比（2016年度…为8,648.07万元），增加498.72万元”: the year compared with dates the old figure
        lead = first.sentence.text[:first.num.start - first.sentence.start]
        year_ref = re.search(r"(?:与|比|较)\s*(20\d\d)\s*年", lead)
        old = old or next((t for t in reversed(cands) if year_ref and t.period == year_ref.group(1)), None)
        old = old or next((t for t in reversed(cands) if t.period == "prev"
                           or (t.period and t.period.isdigit() and years and int(t.period) < max(years))), None)
        new = next((t for t in reversed(cands) if t is not old), None)
        how_new = _where(new, first) if new else None
        lead = first.sentence.text[:first.num.start - first.sentence.start]
        if new is None and old is None and start == 0 and previous and (
                COMPARE_CUE.match(lead.strip()) or re.search(r"与上年|比上年|较上年|同比", lead)):
            # “总收入362.62万元。与上年相比，减少408.65万元”: the paragraph's figure just before
            prev_amounts = [t for t in previous if t.role == "amount" and t.num.is_money]
            if prev_amounts:
                new, how_new = prev_amounts[-1], "paragraph"
        c = Claim("change", "+".join(sorted(r for r, x in (("old", old), ("new", new), ("delta", delta), ("rate", rate))
                                              if x is not None)),
                  _sentence_of(first), subject=(new or first).subject,
                  direction=(delta or rate).direction)
        c.operands = [_op("old", old, _where(old, first) if old else ""), _op("new", new, how_new or ""),
                      _op("delta", delta, "clause"), _op("rate", rate, "clause")]
        known = sum(x is not None for x in (old, new, delta, rate))
        if known < 3:
            c.missing = [r for r, x in (("old", old), ("new", new)) if x is None] or ["a third figure"]
        if delta is not None and rate is not None and None not in (delta.direction, rate.direction) \
                and delta.direction != rate.direction:
            c.missing = []  # two directions in one claim contradict each other: checkable as they stand
        out.append(c)
        floor = start + len(ev)
    return out


# ---------------------------------------------------------------------------------- partitions


def _partitions(text: str, sentence: Span, toks: list[Token], previous: list[Token]) -> list[Claim]:
    out = []
    marks = [m.start() + sentence.start for m in PARTITION.finditer(sentence.text)]
    # “基本支出5377.64万元。其中：人员经费…”: a sentence opening with 其中 lists the parts of the sentence just
    # before when that sentence states one amount only (with several, which one is the whole is a guess)
    prior = [t for t in previous if t.role == "amount" and t.num.is_money]
    opening = bool(marks) and not sentence.text[:marks[0] - sentence.start].strip()
    for k, at in enumerate(marks):
        nxt = marks[k + 1] if k + 1 < len(marks) else sentence.end
        before = [t for t in toks if t.num.end <= at and t.role in ("amount", "change") and t.num.is_money]
        c = Claim("partition", "其中", sentence)
        how = "sentence"
        if not before and k == 0 and opening and len(prior) == 1:
            before, how = prior, "paragraph"
        if not before:
            continue  # “其中：” opening a list of words, or a whole in another sentence: no figure to check
        whole = before[-1]
        if "主要是因为" in text[at - 6:at + 6] or "原因" in text[at - 6:at + 8]:
            continue  # 主要是因为减少…: the reasons of a change, not its parts
        stop = list_end(sentence, at, nxt)
        # a figure named as a total (合计/共计/总计…) restates the whole, it is no part: the list ends there
        total = next((t.num.start for t in toks if at < t.num.start < stop and _TOTAL_CUE.search(t.cue)), None)
        stop = total if total is not None else stop
        parts = [t for t in toks if at < t.num.start < stop and t.role == whole.role and t.num.is_money
                 and (whole.role != "change" or t.direction == whole.direction)]
        c.subject, c.direction = whole.subject, whole.direction
        # a list closed by its residual item (其他收入…) names every part: the parts add up to the whole
        c.relation = "=" if parts and parts[-1].subject.startswith("其他") and len(parts) >= 2 else "<="
        c.operands = [_op("whole", whole, how)] + [_op("part", t, "sentence") for t in parts]
        if parts:
            out.append(c)
    return out


def _partition_whole(t: Token, parts: list[Claim]) -> Operand | None:
    for c in parts:
        if any(p.num is t.num for p in c.parts()):
            w = c.get("whole")
            return Operand("whole", w.num, w.name, "partition") if w else None
    return None


# ------------------------------------------------------------------------------ share, completion


def _shares(toks: list[Token], partitions: list[Claim]) -> list[Claim]:
    out = []
    for i, t in enumerate(toks):
        if t.role != "share":
            continue
        c = Claim("share", "占", _sentence_of(t), subject=t.subject)
        # in a respective list (“A、B分别为X、Y，分别占…的p%、q%”) the part of each rate is the figure of its slot
        part = next((p for p in reversed(toks[:i]) if p.role in ("amount", "change", "count")
                     and p.clause == t.clause and (t.slot is None or p.slot == t.slot)), None)
        if part is not None and clean_subject(t.cue.split("占")[0]) and t.subclause == part.subclause:
            # “A 5万元，B占其中的20%”: a new subject before 占 is the part, and it has no figure
            part = None
        whole = None
        if t.whole_name is None and part is not None:
            whole = _partition_whole(part, partitions)
        c.operands = [_op("part", part, "clause"), whole or Operand("whole", name=t.whole_name),
                      _op("rate", t, "clause")]
        c.missing = [r for r, o in (("part", part), ("whole", whole)) if o is None]
        out.append(c)
    return out


def _completions(toks: list[Token], previous: list[Token]) -> list[Claim]:
    out = []
    floor = 0
    for i, t in enumerate(toks):
        if t.role in ("completion", "share", "growth", "rate") and t.role != "completion":
            floor = i + 1
            continue
        if t.role != "completion":
            continue
        cands = [a for a in toks[floor:i] if a.role == "amount" and a.num.is_money and a.clause == t.clause
                 and not (a.in_partition and not t.in_partition)]

        def budget_like(a: Token) -> bool:
            # the last word decides: 支出预算 is a budget, 指标实际执行 and 支出决算 are actuals
            words = (a.subject + a.cue).replace("一般公共预算", "")
            b = [m.end() for m in BUDGET_WORDS.finditer(words)]
            x = [m.end() for m in ACTUAL_WORDS.finditer(words)]
            return bool(b) and (not x or max(b) > max(x))

        budget = next((a for a in reversed(cands) if budget_like(a)), None)
        actual = next((a for a in reversed(cands) if a is not budget and not budget_like(a)), None)
        how = "clause"
        if not cands and i == 0 and not clean_subject(t.head.split("完成")[0]):
            # “年初预算为X万元，支出决算为Y万元。完成年初预算的P%”: the sentence before states exactly one budget
            # and one actual, and nothing else
            prior = [a for a in previous if a.num.is_money]
            if len(prior) == 2 and all(a.role == "amount" for a in prior) and \
                    sorted(budget_like(a) for a in prior) == [False, True]:
                budget = next(a for a in prior if budget_like(a))
                actual = next(a for a in prior if not budget_like(a))
                how = "paragraph"
        c = Claim("completion", "完成", _sentence_of(t), subject=(actual or t).subject)
        c.operands = [_op("actual", actual, how), _op("budget", budget, how), _op("rate", t, "clause")]
        c.missing = [r for r, o in (("actual", actual), ("budget", budget)) if o is None]
        out.append(c)
        floor = i + 1
    return out


# ----------------------------------------------------------------------------- comparison, product


def _comparisons(text: str, sentence: Span, toks: list[Token], previous: list[Token]) -> list[Claim]:
    out = []
    for m in _RELATION.finditer(sentence.text):
        at, end = m.start() + sentence.start, m.end() + sentence.start
        word = m.group(0)
        after = [t for t in toks if end <= t.num.start <= end + 4]
        c = Claim("comparison", word, sentence, relation=RELATIONS[word])
        if after:
            b = after[0]
            if re.match(r"\s*(?:以上|以下|及以上)", b.after) or b.after.startswith("以"):
                continue  # 超过7200元以上: a threshold, not a comparison of two figures
            a = next((t for t in reversed(toks) if t.num.end <= at and t.num.base_unit == b.num.base_unit
                      and at - t.num.end <= 6), None)
            if a is None:
                continue  # no figure compared: a threshold of a count (超过N人次)
            c.form = f"X{word}Y"
            c.operands = [_op("a", a, "clause"), _op("b", b, "clause")]
            out.append(c)
            continue
        left = re.split(r"[，,；;：:（(]", text[sentence.start:at])[-1]
        right = re.split(r"[，,；;。：:是因）)的]", text[end:sentence.end])[0]
        a_name, b_name = _core(left), _core(right)
        if not a_name or not b_name or a_name == b_name:
            continue
        c.form = f"名{word}名"
        c.subject = a_name
        c.operands, c.missing = _named_pair(a_name, b_name, toks, at, previous)
        out.append(c)
    for m in _LEVEL.finditer(sentence.text):
        # “决算数与预算数持平”: the two named figures are equal (基本持平: within a twentieth)
        a_name, b_name = _core(m.group("a")), _core(m.group("b"))
        if not a_name or not b_name or a_name == b_name or _LAST_YEAR.search(m.group("b")):
            continue  # 与上年持平 is a change of one figure (flat), not two figures compared
        basic = bool(m.group("basic"))
        c = Claim("comparison", "名基本持平名" if basic else "名持平名", sentence, relation="~" if basic else "=",
                  subject=a_name)
        c.operands, c.missing = _named_pair(a_name, b_name, toks, m.start() + sentence.start, previous)
        out.append(c)
    return out


_LAST_YEAR = re.compile(r"上年|上一年|去年|同期|前一年|20\d\d|年度")
_LEVEL = re.compile(r"(?P<a>[^，,；;。：:（(]{1,16}?)(?:与|同|和)(?P<b>[^，,；;。：:（(与同和]{1,16}?)(?P<basic>基本)?持平")


def _named_pair(a_name: str, b_name: str, toks: list[Token], at: int,
                previous: list[Token]) -> tuple[list[Operand], list[str]]:
    """The figures two names of a comparison stand for: the nearest before it in its sentence, or, when the
    sentence prints no money at all (“…支出决算为Y万元。决算数小于预算数…”), the one figure of each name
    in the sentence just before (two values for one name: not resolved)."""
    def named(t: Token, name: str) -> bool:
        return name in (t.subject + t.cue)

    money = [t for t in toks if t.num.end <= at and t.num.is_money and t.role == "amount"]
    a = next((t for t in reversed(money) if named(t, a_name)), None)
    b = next((t for t in reversed(money) if named(t, b_name) and t is not a and not named(t, a_name)), None)
    how = "sentence"
    if a is None and b is None and not any(t.num.is_money for t in toks):
        prior = [t for t in previous if t.num.is_money and t.role == "amount"]
        pa = [t for t in prior if named(t, a_name) and not named(t, b_name)]
        pb = [t for t in prior if named(t, b_name) and not named(t, a_name)]
        if len(pa) == 1 and len(pb) == 1:
            a, b, how = pa[0], pb[0], "paragraph"
    ops = [Operand("a", a.num if a else None, a_name, how if a else None),
           Operand("b", b.num if b else None, b_name, how if b else None)]
    return ops, [r for r, o in (("a", a), ("b", b)) if o is None]


def _core(words: str) -> str:
    w = re.sub(r"[的数额金]+$", "", clean_subject(words))
    w = re.sub(r"^(?:本年|全年|当年|年度)", "", w)
    return w[-4:] if len(w) > 4 else w


def _products(toks: list[Token]) -> list[Claim]:
    out = []
    for i, t in enumerate(toks):
        per = t.role == "per_unit" or (t.role == "amount" and t.num.is_money and _PER_UNIT_CUE.search(t.cue))
        if not per:
            continue
        count = next((c for c in reversed(toks[:i]) if c.role == "count" and c.clause == t.clause), None)
        total = next((x for x in toks[i + 1:] if x.num.is_money and x.role == "amount" and x.clause == t.clause
                      and _TOTAL_CUE.search(x.cue)), None)
        if count is None or total is None:
            continue  # a per-unit amount alone states no product
        c = Claim("product", "N×S=T", _sentence_of(t), subject=total.subject)
        c.operands = [_op("count", count, "clause"), _op("per_unit", t, "clause"), _op("total", total, "clause")]
        out.append(c)
    return out


# --------------------------------------------------------------------------------------- passage

def _sentence_of(t: Token) -> Span:
    return t.sentence


def parse_passage(text: str) -> tuple[list[Claim], list[Token]]:
    """Every claim of a passage and every figure it printed (for coverage)."""
    claims: list[Claim] = []
    all_tokens: list[Token] = []
    previous: list[Token] = []
    for s in sentences(text):
        toks = tokens(text, s)
        parts = _partitions(text, s, toks, previous)
        claims += _changes(toks, previous) + parts + _shares(toks, parts) + _completions(toks, previous)
        claims += _comparisons(text, s, toks, previous) + _products(toks)
        claims += reasons(s, toks, previous) + budget_sums(s, toks)
        for t in toks:
            if t.role == "amount" and t.num.is_money:
                a = Claim("amount", "amount", s, [_op("value", t, "clause")], subject=t.subject, period=t.period)
                claims.append(a)
        all_tokens += toks
        previous = toks  # only the sentence just before: a sentence between breaks the reference
    return claims, all_tokens

