"""The figures of one sentence, each with the role its words give it (the lexicon of the grammar).

A figure's role comes from its *cue*, the words between the previous figure (or the start of its
sub-clause) and itself: 增加/减少… before money make a change amount, 占…的 before a rate a share,
完成…预算 / 执行率 a completion rate, 增长/下降 a growth rate. Its *subject* is the noun phrase
before it in its sub-clause, carried over from the previous sub-clause of the sentence when the
sub-clause names none (“总支出362.62万元，与上年相比，减少408.65万元”). A respective list
(分别/各/依次) numbers its figures 0, 1, … so that a later list pairs with it position by position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from toolkit.claims.numbers import Num, numbers
from toolkit.claims.segment import Span, clauses, subclauses

UP = r"增加|增长|提高|上升|增收|多支|增支|超支|上涨|增幅"
DOWN = r"减少|下降|降低|减收|少支|减支|节约|压减|减幅|降幅|下滑|回落|缩减"
FLAT = r"持平"
_DIRECTION = re.compile(rf"(?P<up>{UP})|(?P<down>{DOWN})|(?P<flat>{FLAT})")
_COMPLETION = re.compile(
    r"完成(?:了)?(?:年初|调整后?|全年)?(?:预算|计划|目标)|预算完成率|执行率|完成率|执行进度|支出进度|"
    r"占(?:年初|调整后?|全年)?预算|预算执行率")
_SHARE = re.compile(r"占")
_GROWTH_WORD = re.compile(rf"{UP}|{DOWN}|增长率|变动率|增减率")
_PREV_PERIOD = re.compile(r"上年|去年|上一年|上年度|前一年")
_YEAR = re.compile(r"(20\d\d)\s*年")
RESPECTIVE = re.compile(r"分别|各是|各为|依次|各(?=[增减下提降])")
PARTITION = re.compile(r"其中|包括|主要用于|分别用于|具体为")
COMPARE_CUE = re.compile(r"^(?:与|比|较|同比|环比)")
# words stripped from the front and back of a subject
_LEAD = re.compile(r"^(?:[（(]?[一二三四五六七八九十\d]+[)）、.．]|其中|包括|主要用于|分别用于|以下方面|主要是|"
                   r"与上年相比|与上年度相比|比上年|较上年|同比|本年度|本年|全年|当年|截至|截止|共计|合计|"
                   r"20\d\d年(?:度)?|\d+月\d+日|[\d\-－—~至]+月|年|度|的|为|是|共|达到?|：|:|、|\s)+")
_LIST_SEP = re.compile(r"[、和及与\s]*")
_TRAIL = re.compile(r"(?:分别为|分别是|各是|各为|依次为|分别|各|依次|为|是|达到?|共计|合计|总计|约|计|共|了|的|总额为?|金额为?|\s)+$")


@dataclass(slots=True)
class Token:
    num: Num
    role: str  # amount|change|growth|share|completion|points|rate|count|per_unit|number
    direction: str | None  # increase|decrease|flat (change, growth)
    subject: str
    cue: str  # words between the previous figure and this one
    head: str  # its sub-clause up to the figure
    period: str | None  # "prev" (上年), "YYYY", or None
    clause: int  # index of its clause in the sentence
    subclause: int
    slot: int | None  # position in a respective list
    in_partition: bool  # after a 其中/包括/主要用于 of its clause chain
    whole_name: str | None  # for a share: the whole named after 占 (占基本支出的 -> 基本支出)
    after: str  # the sentence's next characters after the figure
    sentence: Span


def _direction(text: str) -> str | None:
    found = list(_DIRECTION.finditer(text))
    if not found:
        return None
    if len({next(k for k, v in m.groupdict().items() if v) for m in found[-2:]}) > 1 and \
            found[-1].start() - found[-2].end() <= 2:
        return None  # “下降(增长)”: a template offering both words states no direction
    m = found[-1]
    return "increase" if m.group("up") else "decrease" if m.group("down") else "flat"


def clean_subject(text: str) -> str:
    s = re.sub(r"[“”\"'《》]", "", text)
    s = re.sub(rf"(?:{UP}|{DOWN}|{FLAT}).*$", "", s)  # the verb and what follows it is no part of the subject
    for _ in range(3):
        s = _LEAD.sub("", s)
        s = _TRAIL.sub("", s)
    return s.strip()


def _role(n: Num, cue: str) -> tuple[str, str | None, str | None]:
    """(role, direction, whole named by a share)."""
    if n.base_unit == "pp":
        return "points", _direction(cue), None
    if n.base_unit == "%":
        if _COMPLETION.search(cue):
            return "completion", None, None
        share = list(_SHARE.finditer(cue))
        if share:
            whole = cue[share[-1].end():]
            whole = re.sub(r"(?:的|比例?为?|比重为?|比|为|达到?|了|\s)+$", "", whole)
            whole = whole.removeprefix("到")  # 占到全县行政村的60%
            return "share", None, whole.strip() or None
        if _GROWTH_WORD.search(cue):
            return "growth", _direction(cue), None
        return "rate", None, None
    if n.base_unit == "元/":
        return "per_unit", None, None
    if n.is_money:
        d = _direction(cue)
        if d is not None and not re.search(r"(?:增加|减少)(?:到|至)", cue):
            return "change", d, None
        return "amount", None, None
    if n.base_unit in ("人", "人次", "户", "家", "个"):
        return "count", None, None
    return "number", None, None


_COMPARISON_PHRASE = re.compile(r"(?:与|比|较)(?:上年|去年|上一年|上年度)(?:同期)?(?:相比|比较)?|同比")


def _period(cue: str) -> str | None:
    """“prev” when the figure is stated for last year (上年支出X), a year when one is named, else None."""
    plain = _COMPARISON_PHRASE.sub("", cue)
    if _PREV_PERIOD.search(plain):
        return "prev"
    years = _YEAR.findall(plain)
    return years[-1] if years else None


def tokens(text: str, sentence: Span) -> list[Token]:
    """The figures of ``sentence`` (a span of ``text``) with their roles, subjects and list slots."""
    out: list[Token] = []
    subject = ""
    in_partition = False
    for ci, clause in enumerate(clauses(sentence)):
        for si, sub in enumerate(subclauses(clause)):
            if PARTITION.search(sub.text[:6]):
                in_partition = True
            nums = numbers(sub.text)
            respective = RESPECTIVE.search(sub.text)
            slot = 0
            prev_end = 0
            own_subject = ""
            for n in nums:
                n = Num(n.value, n.decimals, n.unit, n.base_unit, n.scale, n.raw, n.start + sub.start, n.end + sub.start)
                local_start = n.start - sub.start
                cue = sub.text[prev_end:local_start]
                head = sub.text[:local_start]
                role, direction, whole = _role(n, cue)
                prev = out[-1] if out and out[-1].subclause == si and out[-1].clause == ci else None
                if prev is not None and _LIST_SEP.fullmatch(cue) and prev.num.base_unit == n.base_unit:
                    role, direction, whole = prev.role, prev.direction, prev.whole_name  # “下降p%、q%”: q is a 下降 too
                named = clean_subject(cue)
                if named and role in ("amount", "count", "change") and not re.fullmatch(r"[、和及与,，\s]*", named):
                    own_subject = named
                elif not own_subject and clean_subject(head):
                    own_subject = clean_subject(head)
                if own_subject and not COMPARE_CUE.match(own_subject):
                    subject = own_subject
                in_list = respective is not None and respective.start() < local_start
                out.append(Token(
                    num=n, role=role, direction=direction, subject=subject, cue=cue, head=head,
                    period=_period(cue), clause=ci, subclause=si,
                    slot=slot if in_list else None, in_partition=in_partition, whole_name=whole,
                    after=text[n.end:min(n.end + 16, sentence.end)], sentence=sentence))
                if in_list:
                    slot += 1
                prev_end = local_start + len(n.raw)
            if slot == 1:
                out[-1].slot = None  # “收、支总计各增加X”: one figure for every item is no list to pair by position
    return out
