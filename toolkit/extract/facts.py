"""Facts stated in running text: every amount, count and rate, tied to what it measures.

Chinese reports list figures in long sentences ("职工医保基金收入总额13129万元，其中统筹
基金7972万元，个人账户基金4572万元…；…当期结余基金1079万元，累计结余24016万元"), so a
number's meaning comes from the words between it and the previous number (its *label*),
from what the sentence or passage said before (the insurance scheme, the period, the
topic of "与上年相比，减少408.65万元") and from the structure words 其中 (parts of the
preceding total), 占…的 (a share), 分别为 (one value per listed scheme).

Vocabulary (``facts.metric``) is ``METRICS``; ``facts.qualifier`` is one of ``QUALIFIERS``:

* ``amount`` / ``count``: a stated level (money / people, visits, items).
* ``part``: a component listed after 其中 of the total stated just before it; its metric is
  its own when it has one (在职 -> insured_active) else the total's (统筹基金 -> fund_income),
  its subject names the part.
* ``share``: 占…的 x% / 占比 x%; metric is the *denominator* (占基金收入的122.71% ->
  fund_income), subject the numerator's words.
* ``completion``: 完成预算的 / 执行率 / 控制率 x%; metric is what was budgeted.
* ``change`` / ``growth``: 增加/减少 an amount / a percentage, with ``direction``.
* ``rate``: any other percentage (参保率, 报销比例 ...). ``ratio``: 倍 / …比 1.38.

Numbers inside dates, document numbers (〔2021〕6号), titles in 《》, list markers and
ordinals (第16次) are not facts. Speed: one regex pass per passage for numbers and one
for the masked spans; the per-number work is a handful of anchored regex searches.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import cn2an
import polars as pl

from toolkit.extract.units import declared_unit_before
from toolkit.normalize.numbers import unit_scale
from toolkit.schemas import FACTS, frame

METRICS: dict[str, str] = {
    "fund_income": "医保基金收入 / 筹集基金",
    "fund_expense": "医保基金支出",
    "fund_balance_current": "当期结余",
    "fund_balance_accumulated": "累计结余 / 滚存结余",
    "insured_persons": "参保人数",
    "insured_active": "在职人员参保",
    "insured_retired": "退休人员参保",
    "coverage_rate": "参保率",
    "reimbursement_rate": "(政策范围内)住院费用基金支付比例 / 报销比例",
    "assistance_rate": "医疗救助比例",
    "assistance_persons": "医疗救助人次 / 救助对象 / 资助参保人数",
    "assistance_amount": "医疗救助资金 / 支出",
    "recovered_funds": "追回 / 退回 / 拒付 医保基金",
    "penalties": "行政处罚 / 罚款",
    "budget_total": "预算数 (年初 / 全年)",
    "expense_total": "支出总额 / 支出决算 / 执行数",
    "income_total": "收入总额",
    "basic_expense": "基本支出",
    "project_expense": "项目支出",
    "personnel_expense": "人员经费",
    "public_expense": "公用经费",
    "sangong": "三公经费",
    "score": "评分 / 得分",
    "amount": "any other figure (see subject)",
}
QUALIFIERS = ("amount", "count", "part", "share", "completion", "change", "growth", "rate", "ratio")
_MONEY_UNITS = {"元", "千元", "万元", "亿元", "万", "亿"}
_PERCENT_UNITS = {"%", "‰"}
_COUNT_BASES = {"人", "人次", "户", "家", "个", "次", "件", "份", "条", "批次", "批", "项", "所", "场", "篇", "幅",
                "册", "张", "辆", "台", "名"}

_UNIT_ALT = "|".join(sorted((
    "万元", "亿元", "千元", "元", "万人次", "人次", "万人", "万户", "个百分点", "百分点", "个月", "%", "‰",
    "人", "名", "户", "家", "个", "次", "件", "份", "条", "批次", "批", "项", "所", "场次", "场", "篇", "幅",
    "册", "张", "辆", "台", "天", "分", "倍", "平方米",
), key=len, reverse=True))

NUMBER_RE = re.compile(
    # a minus sign only where it cannot be a range or a hyphen (当期结余-1650.49万元, not 1-12月)
    r"(?:(?<![\dA-Za-z.\-/+)%])(?P<sign>[-−])|(?<![\dA-Za-z.\-/+]))"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?![\dA-Za-z+]|\.\d)"
    r"[ \t]*(?P<mag>万|亿|千)?(?P<approx>余|多)?[ \t]*"
    rf"(?P<unit>{_UNIT_ALT})?(?![钟民性])"
    r"(?P<approx2>余|多|左右)?(?P<sop>及以上|以上|及以下|以下|以内)?"
)
CN_COUNT_RE = re.compile(
    r"(?<![第零一二三四五六七八九十百千两])"
    r"(?P<num>[一二三四五六七八九十两][零一二三四五六七八九十百千万两]*)"
    r"(?P<unit>个|家|名|批|项|件|条|所|场|篇)(?![性式是零一二三四五六七八九十])"
)

_MASK_RE = re.compile(
    "|".join((
        r"《[^《》]{0,80}》",  # titles of documents and plans
        r"[〔\[(]\s*(?:19|20)\d{2}\s*[〕\])]?\s*\d*\s*号?",  # 〔2021〕6号, [2018]13号
        r"\d+\s*号",
        r"(?:19|20)\d{2}\s*[-—~至到]\s*(?:19|20)?\d{2,4}\s*年?",  # 2021—2025年
        r"(?:19|20)\d{2}\s*年(?:度)?(?:\s*\d{1,2}\s*(?:[-—~至到]\s*\d{1,2}\s*)?月(?:份|底|末|初)?(?:\s*\d{1,2}\s*日)?)?",
        r"\d{1,2}\s*(?:[-—~至到]\s*\d{1,2}\s*)?月(?:份|底|末|初)?(?:\s*\d{1,2}\s*日)?",
        r"\d{1,2}\s*日(?![常均])",
        # 2021-03-05, 2021.3.5, 2021/03: a real month, and not an amount such as 1986.61万元 or 2023.12万元
        r"(?:19|20)\d{2}(?P<dsep>[-./])(?:0?[1-9]|1[0-2])(?:(?P=dsep)(?:0?[1-9]|[12]\d|3[01]))?"
        r"(?![\d.])(?!\s*(?:万|亿|千|元|%|‰|人|户|家|个|次|件|分|倍))",
        r"(?m:^\s*(?:\d{1,2}\s*[、.](?!\d)|\(\s*\d{1,2}\s*\)|[一二三四五六七八九十]+、))",
        r"第\s*[\d一二三四五六七八九十]+",
        r"\d+\s*\+\s*\d+",
        r"(?<!\d)1\d{10}(?!\d)",  # phone numbers
        r"公开\s*\d+\s*表|\d+\s*表",
        r"\d+(?:\.\d+)?\s*岁",
    ))
)

# dates and document numbers are not part of what a number measures (第三方 is)
_SUBJECT_DROP = re.compile(
    r"[〔\[(]\s*(?:19|20)\d{2}\s*[〕\])]?\s*\d*\s*号?|(?:19|20)\d{2}\s*年(?:度)?(?:\s*\d{1,2}\s*(?:[-—~至到]\s*\d{1,2}\s*)?月"
    r"(?:份|底|末|初)?(?:\s*\d{1,2}\s*日)?)?|\d{1,2}\s*(?:[-—~至到]\s*\d{1,2}\s*)?月(?:份|底|末|初)?(?:\s*\d{1,2}\s*日)?|^\s*\d{1,2}\s*[、.]|^\s*\(\s*\d{1,2}\s*\)"
)
_DIRECTION_HEAD = re.compile(r"^(?:主要是因为|主要原因是|主要是由于|主要是|原因是|由于|其中)?(?P<w>增加|增长|提高|上升|下降|减少|降低)(?:了)?")
_SENTENCE_RE = re.compile(r"[^。;!?\n]+[。;!?]?")
_PERIOD_RES: tuple[tuple[int, re.Pattern[str]], ...] = (
    (3, re.compile(r"截[止至](?:到)?\s*(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*日)?(?P<tail>底|末)?")),
    (2, re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m1>\d{1,2})\s*[-—~至到]\s*(?P<m2>\d{1,2})\s*月")),
    (1, re.compile(r"(?P<y>(?:19|20)\d{2})\s*年(?:度)?(?!\s*\d{1,2}\s*[-—~至到月])")),
)
_SCHEME_RES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("assistance", re.compile(r"医疗救助|救助(?:对象|人次|资金|支出|比例|比率)|资助参保")),
    ("resident", re.compile(r"城乡居民|城居|居民(?:医保|基本医疗|医疗保险|参保)|新农合|新型农村合作医疗")),
    ("employee", re.compile(r"职工")),
)
_SCHEME_ONLY = re.compile(r"(?:城乡居民|城镇居民|城居|居民|城镇职工|在职职工|职工)(?:医保|基本医疗保险|医疗保险)?")
_CONTINUATION = re.compile(r"^\s*(?:其中|此外|另外|同时|目前|至目前|截[止至]|其|该|上述)")
_AGGREGATE = re.compile(r"综合|总计|合计|全区|全县|全市|基本医疗保险覆盖|基本医保覆盖")
_SCHEME_RESET = re.compile(r"^\s*(?:[一二三四五六七八九十]+是|\(\s*[一二三四五六七八九十\d]+\s*\))")

_FUND_BARE = re.compile(r"(?:基金)?(?:全年|本年|当年|当期|本期)?(?P<w>收入|支出|结余|结存)")
_FUND_BARE_METRIC = {"收入": "fund_income", "支出": "fund_expense", "结余": "fund_balance_current",
                     "结存": "fund_balance_current"}

_PART_METRICS: dict[str, tuple[str, ...]] = {
    "insured_persons": ("insured_active", "insured_retired"),
    "expense_total": ("basic_expense", "project_expense", "personnel_expense", "public_expense", "sangong"),
    "basic_expense": ("personnel_expense", "public_expense"),
    "amount": tuple(METRICS),
}
_BUDGET_METRICS = {"budget_total", "expense_total", "income_total", "basic_expense", "project_expense",
                   "personnel_expense", "public_expense", "sangong", "score"}

# (metric, pattern, dimension): dimension is what the number must be (money|count|percent|score)
_METRIC_RULES: tuple[tuple[str, re.Pattern[str], str], ...] = tuple(
    (m, re.compile(p), d)
    for m, p, d in (
        ("insured_active", r"在职.{0,6}参保|参保.{0,4}在职", "count"),
        ("insured_retired", r"退休.{0,6}参保|参保.{0,4}退休", "count"),
        ("coverage_rate", r"参保率", "percent"),
        ("insured_persons", r"参保(?:人数|缴费|人员|群众|登记)?$|参保总?人数|参保缴费|参保人员合计|参加(?:基本)?医疗保险|"
                            r"参加(?:基本)?医保|医疗保险覆盖|医保覆盖|覆盖$", "count"),
        ("assistance_rate", r"救助比[例率]", "percent"),
        ("reimbursement_rate", r"(?:报销|支付|补偿)比[例率]", "percent"),
        ("assistance_persons", r"救助.{0,10}(?:人次|人数|对象|规模)|资助参保|直接救助|救助$", "count"),
        ("assistance_amount", r"救助.{0,8}(?:资金|支出|金额|支付|补助)|医疗救助$", "money"),
        ("fund_balance_current", r"当期结[余存]|当年结[余存]|本期结[余存]", "money"),
        ("fund_balance_accumulated", r"累计结[余存]|滚存结[余存]|历年结[余存]", "money"),
        ("fund_income", r"(?<!政府性)基金.{0,4}收入|筹集.{0,6}(?:基金|资金)|征缴收入|基金筹集", "money"),
        ("fund_expense", r"(?<!政府性)基金.{0,4}支出|基金支付(?!比)", "money"),
        ("recovered_funds", r"追回|退回.{0,6}(?:资金|基金)|拒付|追缴|挽回", "money"),
        ("penalties", r"行政处罚|罚款|处罚款", "money"),
        ("sangong", r"三公", "money"),
        ("personnel_expense", r"人员经费|人员支出", "money"),
        ("public_expense", r"公用经费|公用支出", "money"),
        ("basic_expense", r"基本支出", "money"),
        ("project_expense", r"项目支出", "money"),
        ("budget_total", r"年初预算|全年预算|预算数|预算总额|部门预算|预算为|预算资金|可用指标|下达资金|预算$", "money"),
        ("income_total", r"总收入|收入总额|收入合计|本年收入|^收入$", "money"),
        ("expense_total", r"总支出|支出总额|支出合计|本年支出|支出决算|决算数|执行数|实际执行|完成支付|实际支出|^支出$", "money"),
        ("score", r"得分|评分|总分", "score"),
    )
)

_LEAD_FILLER = re.compile(
    r"^(?:其中|另外|此外|同时|至目前|截至目前|截止目前|目前|今年以来|全年|本年度|本年|当年(?!结[余存])|年末|我县|我区|我市|我局|"
    r"全县|全区|全市|共计|合计|共(?!济|享)|计(?!划)|为|达到|达|是|已|了|和|与|及|并从|并|对(?!象)|在(?!职)|向|从|、|的(?!士)|[\s:,①-⑩])+"
)
_TRAIL_FILLER = re.compile(r"(?:分别为|分别|共计|累计|共|为|达到|达|是|约|近|已|了|的|超过|大于|小于|低于|高于|不低于|不少于|不超过|至少|控制在|[\s:,≥≤<>=])+$")
# 增加5.5%, 增长了, 增加幅度为5.5%
_DIRECTION_TAIL = re.compile(r"(?P<w>增加|增长|提高|上升|增|下降|减少|降低|减)(?:了)?(?:的)?(?:幅度|比例|比率)?"
                             r"(?:为|达到|达|是)?(?:约|近)?\s*$")
# 变动率 / 变动幅度 of a change stated just before: the rate has that change's direction
_CHANGE_RATE = re.compile(r"(?:变动|变化|增减)(?:率|幅度|比例)(?:为|达到|达|是)?\s*$")
_SHARE = re.compile(r"占(?P<den>[^,;]*?)(?:的)?(?:比例|比重)?(?:为|达)?\s*$|占比(?:为|达)?\s*$|比重(?:为|达)?\s*$")
_COMPLETION = re.compile(r"完成(?P<den>[^,;]{0,12}?)(?:的)?\s*$|(?:完成率|执行率|执行进度|控制率|到位率|资金使用率)(?:为|达|达到)?\s*$")
_RATIO = re.compile(r"比\s*$|是[^,;]{0,8}的\s*$")
_PREFIX_OP = re.compile(r"(?P<op>≥|≤|>=|<=|>|<|不低于|不少于|不高于|不超过|不大于|超过|大于|小于|低于|高于|至少|控制在)\s*$")
_OPS = {"≥": ">=", ">=": ">=", "不低于": ">=", "不少于": ">=", "至少": ">=", "≤": "<=", "<=": "<=",
        "不高于": "<=", "不超过": "<=", "不大于": "<=", "控制在": "<=", ">": ">", "超过": ">", "大于": ">",
        "高于": ">", "<": "<", "小于": "<", "低于": "<"}
_SUFFIX_OPS = {"及以上": ">=", "以上": ">=", "及以下": "<=", "以下": "<=", "以内": "<="}
_CONNECTOR = re.compile(r"\s*(?:和|与|及|、|,)\s*")
_CLAUSE_SPLIT = re.compile(r"[,:;]")
_LOOSE_NUMBER = re.compile(r"(?<![^\s\u4e00-\u9fff])\d[\d.,]*\s+(?=[\d\u4e00-\u9fff])(?![年月日])")
_SEPARATOR = re.compile(r"[,:;、()]")
_VERB_END = re.compile(r"(?:发|设|挂|放|增|定|购|展|施|谈|了|印发|新增|建立|开展|处理)$")
# the noun after a count: 172家[协议医药机构]开展了…, 12个[子方案]
_TRAILING_NOUN = re.compile(r"([\u4e00-\u9fff]{1,12}?)(?=开展|进行|实施|完成|办理|发放|签订|参与|参加|的|了|[,;。:、()\s]|$)")


@dataclass(slots=True)
class _Number:
    start: int
    end: int
    raw: str
    value: float
    decimals: int
    unit: str | None
    scale: float
    dimension: str  # money|count|percent|score|other|bare
    op: str | None


@dataclass(slots=True)
class _Fact:
    metric: str
    subject: str
    scheme: str | None
    qualifier: str
    direction: str | None
    number: _Number
    period: str | None
    sentence: str


def _mask_spans(text: str) -> tuple[list[int], list[int]]:
    starts, ends = [], []
    for m in _MASK_RE.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
    return starts, ends


def _masked(pos: int, starts: list[int], ends: list[int]) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and pos < ends[i]


def _dimension(unit: str | None) -> str:
    if unit is None:
        return "bare"
    if unit in _MONEY_UNITS:
        return "money"
    if unit in _PERCENT_UNITS or unit.endswith("百分点"):
        return "percent"
    if unit == "分":
        return "score"
    base = unit[1:] if unit.startswith(("万", "亿")) and len(unit) > 1 else unit
    if base in _COUNT_BASES:
        return "count"
    return "other"


def _numbers(text: str) -> list[_Number]:
    starts, ends = _mask_spans(text)
    out: list[_Number] = []
    for m in NUMBER_RE.finditer(text):
        if _masked(m.start(), starts, ends):
            continue
        num = m.group("num")
        mag, unit = m.group("mag"), m.group("unit")
        if unit is None and mag is None:
            # a bare number is a fact only when it closes a clause after a label (人次规模68004,)
            nxt = text[m.end():m.end() + 1]
            prev = text[m.start() - 1:m.start()] if m.start() else ""
            if (nxt and nxt not in ",;。:)、\n") or not re.match(r"[\u4e00-\u9fff”]", prev or " "):
                continue
            if "." not in num and len(num.replace(",", "")) < 2:
                continue
        digits = num.replace(",", "")
        if "." not in digits and len(digits) >= 11:
            continue  # an identifier, not a quantity
        printed_unit = (mag or "") + (unit or "") or None
        if printed_unit in ("千",):
            printed_unit = None
        if unit is None and mag is None and "." in digits:
            unit = declared_unit_before(text, m.start())  # a bare amount under a 单位：万元 line takes its unit
            printed_unit = unit
        base_unit = unit or mag
        _, base_scale = unit_scale(unit) if unit else (None, 1.0)
        scale = base_scale
        if mag == "万" and unit:
            scale = 1e4 * (unit_scale(unit)[1])
        elif mag == "亿" and unit:
            scale = 1e8 * (unit_scale(unit)[1])
        elif mag and not unit:
            scale = {"万": 1e4, "亿": 1e8, "千": 1e3}[mag]
        value = -float(digits) if m.group("sign") else float(digits)
        decimals = len(digits.split(".", 1)[1]) if "." in digits else 0
        op = None
        if m.group("approx") or m.group("approx2") in ("余", "多"):
            op = ">"
        if m.group("sop"):
            op = _SUFFIX_OPS[m.group("sop")]
        raw_end = m.end()
        out.append(_Number(m.start(), raw_end, text[m.start():raw_end].strip(), value, decimals,
                           printed_unit, scale, _dimension(printed_unit if printed_unit else base_unit), op))
    for m in CN_COUNT_RE.finditer(text):
        if _masked(m.start(), starts, ends):
            continue
        try:
            value = float(cn2an.cn2an(m.group("num"), "smart"))
        except (ValueError, KeyError, IndexError, TypeError):
            continue
        if value <= 1:
            continue  # 一个课题, 一站式: idiom far more often than a count
        unit = m.group("unit")
        out.append(_Number(m.start(), m.end(), m.group(0), value, 0, unit, 1.0, "count", None))
    out.sort(key=lambda n: n.start)
    return out


def _periods(sentence: str, offset: int) -> list[tuple[int, int, str]]:
    """(rank, absolute start, normalised period) of every period expression in the sentence."""
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for rank, rx in _PERIOD_RES:
        for m in rx.finditer(sentence):
            if any(s <= m.start() < e for s, e in taken):
                continue
            if re.search(r"[较比与]\s*$", sentence[max(0, m.start() - 3):m.start()]):
                continue  # 较2023年增加…: the comparison base, not the period
            taken.append((m.start(), m.end()))
            if rank == 3:
                text = f"截止{m.group('y')}年{int(m.group('m'))}月"
                if m.group("d"):
                    text += f"{int(m.group('d'))}日"
                elif m.group("tail"):
                    text += m.group("tail")
            elif rank == 2:
                text = f"{m.group('y')}年{int(m.group('m1'))}-{int(m.group('m2'))}月"
            else:
                text = f"{m.group('y')}年"
            found.append((rank, offset + m.start(), text))
    return found


def _closed_aside(text: str, s_start: int, pos: int, end: int) -> bool:
    """True when ``pos`` lies in a parenthesis opened after ``s_start`` and closed before ``end``."""
    head = text[s_start:pos]
    return head.count("(") + head.count("（") > head.count(")") + head.count("）") and bool(
        re.search(r"[)）]", text[pos:end]))


def _scheme_in(text: str) -> list[tuple[int, str]]:
    """Schemes named in ``text``, in text order."""
    hits = [(m.start(), scheme) for scheme, rx in _SCHEME_RES for m in rx.finditer(text)]
    return sorted(hits)


def _clean_subject(label: str) -> str:
    s = _SUBJECT_DROP.sub("", label)
    for _, rx in _PERIOD_RES:
        s = rx.sub("", s)
    s = re.sub(r"截[止至](?:到)?|以来|至今|与上年相比|较上年|比上年|同比|上年", "", s)
    s = _LEAD_FILLER.sub("", s.strip())
    s = _TRAIL_FILLER.sub("", s)
    s = re.sub(r"[“”\"‘’]", "", s)
    s = re.sub(r"\([^)]*$", "", s)  # 社会保障和就业支出(类 -> 社会保障和就业支出
    return s.strip(" ,:()")


def metric_for(subject: str, dimension: str) -> str | None:
    """The specific metric named by ``subject`` for a number of ``dimension`` (None: generic)."""
    for metric, rx, dim in _METRIC_RULES:
        if dim != dimension and not (dim == "count" and dimension == "bare"):
            continue
        if rx.search(subject):
            return metric
    return None


def _facts_in_passage(text: str) -> list[_Fact]:
    facts: list[_Fact] = []
    numbers = _numbers(text)
    if not numbers:
        return facts
    scheme: str | None = None
    period: str | None = None
    topic: _Fact | None = None
    ni = 0
    for sm in _SENTENCE_RE.finditer(text):
        s_start, s_end = sm.start(), sm.end()
        sentence = sm.group(0).strip()
        if _SCHEME_RESET.match(sm.group(0)) or not _CONTINUATION.match(sm.group(0)):
            scheme = None  # a new sentence names its own scheme unless it continues the last one
        periods = _periods(sm.group(0), s_start)
        in_sentence: list[_Fact] = []
        head: _Fact | None = None  # the total a 其中 list belongs to
        qizhong_at = text.find("其中", s_start, s_end)
        distribute: list[str] = []
        dist_fact: _Fact | None = None
        list_direction: str | None = None
        prev_end = s_start
        while ni < len(numbers) and numbers[ni].start < s_end:
            num = numbers[ni]
            ni += 1
            if num.start < s_start:
                continue
            label = text[prev_end:num.start]
            prev_end = num.end
            if _LOOSE_NUMBER.search(label):
                continue  # "其他2946.25 2940.05 99.79%": a table row flattened into text, not prose
            clauses = _CLAUSE_SPLIT.split(label)
            last_clause = clauses[-1]
            # 住院33580人次报销11663.42万元: no punctuation between two numbers, one subject
            adjacent = bool(in_sentence) and not _SEPARATOR.search(label)
            after_paren = label.lstrip().startswith(")")  # 脱贫人口(六类人员1752名)共99935名
            op_m = _PREFIX_OP.search(last_clause)
            if op_m and num.op is None:
                num.op = _OPS[op_m.group("op")]
            # period: the most specific one in this number's own label, else in the sentence so far
            own = [p for p in periods if num.start - len(label) <= p[1] < num.start]
            # a year inside a closed aside “(2016年度…为X)” dates only what is inside it
            before = [p for p in periods if p[1] < num.start and not _closed_aside(text, s_start, p[1], num.start)]
            pick = max(own or before, key=lambda p: (p[0], p[1])) if (own or before) else None
            if pick:
                period = pick[2]
            # scheme: named in the label, else carried
            named = _scheme_in(label)
            fact_scheme = named[-1][1] if named else scheme
            if named:
                scheme = named[-1][1]
            if _AGGREGATE.search(last_clause):
                fact_scheme = None
            subject = _clean_subject(last_clause)
            direction = None
            dm = _DIRECTION_TAIL.search(last_clause)
            hm = _DIRECTION_HEAD.match(_LEAD_FILLER.sub("", last_clause))
            if dm:
                direction = _direction_of(dm.group("w"))
                subject = _clean_subject(last_clause[: dm.start()])
                list_direction = None
            elif hm:
                # 主要是因为减少卫生健康收入423.62万元、其他收入9.56万元…；增加…
                direction = list_direction = _direction_of(hm.group("w"))
                subject = _clean_subject(_LEAD_FILLER.sub("", last_clause)[hm.end():])
            elif list_direction and label.strip(" ") in ("、",) or (list_direction and label.startswith("、")):
                direction = list_direction
            elif num.dimension == "percent" and _CHANGE_RATE.search(last_clause):
                change = next((x for x in reversed(in_sentence) if x.qualifier == "change"), None)
                if change is not None:
                    direction = change.direction
                    subject = change.subject
            prev_fact = in_sentence[-1] if in_sentence else None
            if adjacent and prev_fact is not None:
                subject = (prev_fact.subject + subject) if subject else prev_fact.subject
            elif after_paren and prev_fact is not None and not _has_noun(subject):
                subject = _clean_subject(prev_fact.subject.split("(")[0])
            if not _has_noun(subject) or (num.dimension in ("count", "bare") and _VERB_END.search(subject)):
                tail = _TRAILING_NOUN.match(text, num.end)  # 172家[协议医药机构], 大于28%[的标准值]
                if tail and tail.group(1):
                    subject = subject + tail.group(1).lstrip("的")
            qualifier, metric = _qualify(num, last_clause, subject, direction, prev_fact, head, topic)
            if metric is None:
                metric = "amount"
            if qualifier == "amount" and num.dimension == "money" and _FUND_BARE.fullmatch(subject):
                # 职工医保基金收入X，支出Y，当年结余Z: bare 支出/结余 after a fund figure are the fund's
                prev_fund = next((x for x in reversed(in_sentence) if x.metric.startswith("fund_")), None)
                if prev_fund is not None:
                    metric = _FUND_BARE_METRIC[_FUND_BARE.fullmatch(subject).group("w")]
            if (metric == "amount" and prev_fact is not None and _SCHEME_ONLY.fullmatch(subject)
                    and prev_fact.number.dimension == num.dimension and prev_fact.metric != "amount"):
                # 职工医保参保率96.12%，城乡居民62.49%: a bare scheme name continues the figure before it
                metric, qualifier = prev_fact.metric, prev_fact.qualifier
            if qualifier == "share":
                # the subject of a share is its numerator: the words before 占, else the figure before it
                before = _clean_subject(last_clause.split("占", 1)[0]) if "占" in last_clause else ""
                if _has_noun(before):
                    subject = before
                elif prev_fact is not None:
                    subject = prev_fact.subject
            elif qualifier == "completion" and prev_fact is not None and not _has_noun(subject):
                subject = prev_fact.subject
            if qualifier in ("change", "growth") and not _has_noun(subject) and topic is not None:
                subject = topic.subject
                fact_scheme = topic.scheme if not named else fact_scheme
            # 分别为 A 和 B: one value per scheme named before it
            if "分别" in label and len({s for _, s in named}) >= 2:
                distribute = [s for _, s in named]
                fact_scheme = distribute.pop(0)
                dist_fact = None
            elif distribute and _CONNECTOR.fullmatch(label or ","):
                fact_scheme = distribute.pop(0)
                if dist_fact is not None:
                    subject, metric, qualifier = dist_fact.subject, dist_fact.metric, dist_fact.qualifier
            # parts of the total stated before 其中
            if (
                head is not None
                and qualifier in ("amount", "count")
                and num.dimension == head.number.dimension
                and qizhong_at != -1
                and num.start > qizhong_at
            ):
                qualifier = "part"
                # a part keeps its own metric only when it refines the total's (在职 of 参保人数);
                # 大病保险支出 inside a fund's 其中 list is still fund expense
                if metric not in _PART_METRICS.get(head.metric, ()):
                    metric = head.metric
                if fact_scheme is None:
                    fact_scheme = head.scheme
            if metric in _BUDGET_METRICS:
                fact_scheme = None
            subject = subject or last_clause.strip()
            if re.search(r"\d", subject):
                continue  # words and numbers out of order (PDF text of a table): no reliable subject
            fact = _Fact(metric, subject, fact_scheme, qualifier, direction, num, period, sentence)
            if "分别" in label and dist_fact is None:
                dist_fact = fact
            in_sentence.append(fact)
            facts.append(fact)
            if (
                qualifier in ("amount", "count", "change")
                and num.dimension in ("money", "count", "bare")
                and (qizhong_at == -1 or num.start < qizhong_at)
            ):
                head = fact
            if qualifier in ("amount", "count") and _has_noun(subject):
                topic = fact
    return facts


def _direction_of(word: str) -> str:
    return "increase" if word in ("增加", "增长", "提高", "上升", "增") else "decrease"


def _has_noun(subject: str) -> bool:
    return len(re.sub(r"[^\u4e00-\u9fff]", "", subject)) >= 2


def _qualify(num: _Number, last_clause: str, subject: str, direction: str | None,
             prev_fact: _Fact | None, head: _Fact | None, topic: _Fact | None) -> tuple[str, str | None]:
    dim = num.dimension
    if dim == "percent":
        sm = _SHARE.search(last_clause)
        if sm:
            den = _clean_subject(sm.group("den") or "") if sm.groupdict().get("den") else ""
            metric = metric_for(den, "money") if den else None
            if metric is None:
                ref = head or prev_fact or topic
                metric = ref.metric if ref is not None else None
            return "share", metric
        cm = _COMPLETION.search(last_clause)
        if cm:
            den = _clean_subject(cm.group("den") or "")
            metric = (metric_for(den, "money") if den else None) or metric_for(subject, "money")
            if metric is None and "预算" in last_clause:
                metric = "budget_total"
            return "completion", metric
        if direction:
            metric = metric_for(subject, "money") or metric_for(subject, "count") or metric_for(subject, "percent")
            if metric is None and topic is not None and not _has_noun(subject):
                metric = topic.metric
            return "growth", metric
        return "rate", metric_for(subject, "percent")
    if direction and dim in ("money", "count", "bare"):
        metric = metric_for(subject, "money" if dim == "money" else "count")
        if metric is None and topic is not None and not _has_noun(subject):
            metric = topic.metric
        return "change", metric
    if num.unit == "倍" or _RATIO.search(last_clause):
        return "ratio", None
    if dim == "money":
        return "amount", metric_for(subject, "money")
    if dim == "score":
        return "amount", metric_for(subject, "score") or "score"
    if dim in ("count", "bare"):
        metric = metric_for(subject, "count")
        if metric is None and subject in ("总计", "合计", "共计") and prev_fact is not None:
            metric = prev_fact.metric
        return "count", metric
    return "amount", None


# full-width digits and punctuation -> ASCII, one character for one, so spans stay valid
_FULLWIDTH = str.maketrans({chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)} | {"\u3000": " "})


def extract_facts(passages: pl.DataFrame) -> pl.DataFrame:
    """Facts of every passage (schema ``FACTS``); spans index the passage ``text``."""
    rows: list[dict] = []
    for p in passages.select("document_id", "passage_id", "page", "text").iter_rows(named=True):
        text = (p["text"] or "").translate(_FULLWIDTH)
        for f in _facts_in_passage(text):
            n = f.number
            rows.append({
                "document_id": p["document_id"],
                "passage_id": p["passage_id"],
                "page": p["page"],
                "metric": f.metric,
                "subject": f.subject,
                "scheme": f.scheme,
                "qualifier": f.qualifier,
                "direction": f.direction,
                "operator": n.op,
                "value": n.value,
                "unit": n.unit,
                "scale": n.scale,
                "decimals": n.decimals,
                "raw_text": n.raw,
                "period": f.period,
                "sentence": f.sentence,
                "span_start": n.start,
                "span_end": n.end,
            })
    return frame(rows, FACTS)
