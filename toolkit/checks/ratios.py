"""Implausible ratios: 参保率 over 100 %, fund spending far above income, rates outside sourced bands.

The bands (typical and hard limits, with their source) are data: ``toolkit/data/bands.csv``,
taken from REFERENCE.md §3.3. Only values beyond the *hard* limits become findings; a value
outside the typical band but inside the hard one is recorded as passed in the coverage.

Rates are read from ``facts`` (narrative sentences) and, for 参保率, from the 实际完成值 of
自评表 indicator rows. The facts extractor does not always tell 职工 from 居民 in an
enumeration (“职工、居民…分别为83.31%和63.50%”), so :func:`_rate_context` re-reads the clause
around each percentage in the passage text to name the scheme and the measured thing.
"""

from __future__ import annotations

import csv
import json
import re
from functools import lru_cache
from importlib import resources

import polars as pl

from toolkit.checks.framework import Check, CheckResult, get, hits_frame
from toolkit.checks.registry import register
from toolkit.checks.tolerance import fmt_number

# words that make a percentage something else than the bureau's own measured rate
NOT_OWN_RATE = r"救助|困难|低收入|贫困|脱贫|特困|低保|一站式|综合保障|综合报销|离休|离退休|大病|门诊|慢特病|生育|规划|全国|全省|全市平均|国家|目标|确保|不低于|考核|要求|标准"
SCHEME_WORDS = {"employee": r"职工", "resident": r"居民"}
CLAUSE_END = r"[。；;\n]"
SUBCLAUSE_END = r"[。；;\n，,：:]"
CHANGE_WORDS = re.compile(r"^\s*(?:个百分点|以上|以下|左右)|^[^，。；]{0,3}(?:增长|提高|下降|减少|增加)")


@lru_cache(maxsize=1)
def bands() -> dict[str, dict]:
    """The plausibility bands of REFERENCE.md §3.3 (``toolkit/data/bands.csv``), keyed by band."""
    text = resources.files("toolkit").joinpath("data/bands.csv").read_text(encoding="utf-8")
    out = {}
    for row in csv.DictReader(text.splitlines()):
        for k in ("typical_low", "typical_high", "hard_low", "hard_high"):
            row[k] = float(row[k]) if row[k] not in ("", None) else None
        out[row["band"]] = row
    return out


def _passage_texts(frames: dict[str, pl.DataFrame]) -> dict[tuple[str, str], str]:
    p = get(frames, "passages").select("document_id", "passage_id", "text")
    return {(d, pid): t or "" for d, pid, t in p.iter_rows()}


def _last(pattern: str, text: str) -> int:
    """Index just after the last match of ``pattern`` in ``text`` (0 when none)."""
    ends = [m.end() for m in re.finditer(pattern, text)]
    return ends[-1] if ends else 0


def _scheme_in(clause: str, number_index: int, numbers_before: int) -> str | None:
    """The scheme a percentage in ``clause`` belongs to: “分别为A和B” by order, else the nearest word before."""
    found = sorted((m.start(), s) for s, w in SCHEME_WORDS.items() for m in re.finditer(w, clause[:number_index]))
    if not found:
        return None
    if "分别" in clause[:number_index]:
        order = list(dict.fromkeys(s for _, s in found))
        if numbers_before < len(order):
            return order[numbers_before]
    return found[-1][1]


def _rate_context(text: str, start: int) -> dict | None:
    """Clause, sub-clause and scheme around the percentage starting at ``start`` in a passage."""
    if start is None or start < 0 or start > len(text):
        return None
    c0 = _last(CLAUSE_END, text[:start])
    clause = text[c0:start]
    s0 = _last(SUBCLAUSE_END, clause)
    numbers_before = len(re.findall(r"\d(?:[\d.]*)\s*%", clause))
    return {"clause": clause, "subclause": clause[s0:], "scheme": _scheme_in(clause, len(clause), numbers_before),
            "after": text[start: start + 40]}


def _band_for(clause: str, subclause: str) -> str | None:
    """Which band (if any) a percentage measures, from the words just before it."""
    b = bands()
    # “参保率x%”, or “参保…合计N人，占户籍人口M人的x%”
    if re.search(b["coverage_total"]["keyword"], subclause) or (
            re.search(r"占(?:户籍|常住|全县|全区|全市|总)?人口", subclause) and "参保" in clause):
        return "coverage_vulnerable" if re.search(b["coverage_vulnerable"]["require"], subclause) else "coverage_total"
    kw = b["reimb_employee"]["keyword"]
    matches = list(re.finditer(kw, clause))
    m = matches[-1] if matches else None
    if m is None:
        return None
    # the keyword must govern this number: nothing but other percentages of the same enumeration between
    tail = clause[m.end():]
    if len(tail) > 40 or re.search(r"率|比例|占比|满意|人次|万元|元|人", re.sub(r"\d[\d.]*\s*%", "", tail)):
        return None
    # the words of the phrase that holds the keyword decide whether it is the bureau's own rate
    phrase = clause[_last(SUBCLAUSE_END, clause[: m.start()]):]
    if re.search(NOT_OWN_RATE, phrase):
        return None
    return "reimb"


def _other_year(period: str | None, year: int | None) -> bool:
    if not period or year is None:
        return False
    years = {int(y) for y in re.findall(r"(20\d\d)年", period)}
    return bool(years) and year not in years


def rate_facts(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Percentages in the narrative that measure a banded rate: band, scheme, value, where."""
    f = get(frames, "facts").filter((pl.col("unit") == "%") & pl.col("value").is_not_null())
    if f.height == 0:
        return pl.DataFrame()
    years = dict(get(frames, "documents").select("document_id", "fiscal_year").iter_rows())
    texts = _passage_texts(frames)
    rows = []
    for r in f.iter_rows(named=True):
        if r["qualifier"] in ("growth", "change") or r["operator"] not in (None, "="):
            continue
        if _other_year(r["period"], years.get(r["document_id"])):
            continue
        text = texts.get((r["document_id"], r["passage_id"]))
        ctx = _rate_context(text, r["span_start"]) if text else None
        if ctx is None:
            ctx = {"clause": r["sentence"] or "", "subclause": r["subject"] or "", "scheme": None, "after": ""}
        if CHANGE_WORDS.search(ctx["after"][len(r["raw_text"] or ""):]):
            continue
        band = _band_for(ctx["clause"], ctx["subclause"])
        if band is None:
            continue
        scheme = ctx["scheme"] or r["scheme"]
        if band == "reimb":
            band = {"employee": "reimb_employee", "resident": "reimb_resident"}.get(scheme or "", "reimb_unnamed")
        rows.append({"document_id": r["document_id"], "band": band, "value": r["value"], "raw": r["raw_text"],
                     "where": f"{r['passage_id']}|{r['span_start']}", "page": r["page"],
                     "quote": (r["sentence"] or ctx["clause"]).strip(), "source": "text",
                     "passage_id": r["passage_id"], "span": [r["span_start"], r["span_end"]]})
    return pl.DataFrame(rows, infer_schema_length=None) if rows else pl.DataFrame()


def indicator_rates(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """参保率 reported as 实际完成值 in 自评表 indicator rows."""
    ind = get(frames, "indicators").filter(
        pl.col("level3").str.contains("参保率") & (pl.col("actual_unit") == "%") & pl.col("actual_value").is_not_null()
        & pl.col("actual_op").is_null())
    rows = []
    req = bands()["coverage_vulnerable"]["require"]
    for r in ind.iter_rows(named=True):
        band = "coverage_vulnerable" if re.search(req, r["level3"]) else "coverage_total"
        rows.append({"document_id": r["document_id"], "band": band, "value": r["actual_value"], "raw": r["actual_raw"],
                     "where": f"{r['table_id']}|r{r['row']}", "page": r["page"],
                     "quote": f"{r['project'] or ''} {r['level3']} 年度指标值 {r['target_raw'] or ''} 实际完成值 {r['actual_raw']}".strip(),
                     "source": "table", "passage_id": None, "span": None})
    return pl.DataFrame(rows, infer_schema_length=None) if rows else pl.DataFrame()


def _band_text(b: dict) -> str:
    lo, hi = b["hard_low"], b["hard_high"]
    tl, th = b["typical_low"], b["typical_high"]
    hard = (f"{fmt_number(lo, 0)}%–{fmt_number(hi, 0)}%" if lo is not None and hi is not None
            else f"≤{fmt_number(hi, 0)}%" if hi is not None else f"≥{fmt_number(lo, 0)}%")
    return f"常见区间{fmt_number(tl, 0)}%–{fmt_number(th, 0)}%，合理上下限{hard}"


def _judge(value: float, b: dict) -> tuple[str, str | None, float]:
    """(status, kind or None, points beyond the hard limit)."""
    lo, hi = b["hard_low"], b["hard_high"]
    if hi is not None and value > hi + 1e-9:
        return "failed", b["kind_high"] or None, value - hi
    if lo is not None and value < lo - 1e-9:
        return "failed", b["kind_low"] or None, lo - value
    tl, th = b["typical_low"], b["typical_high"]
    if (tl is not None and value < tl) or (th is not None and value > th):
        return "passed", None, 0.0  # outside the typical band, inside the hard one: noted, not flagged
    return "passed", None, 0.0


def _evals(doc: str, identity: str, status: str, reason: str | None = None) -> dict:
    return {"document_id": doc, "identity": identity, "status": status, "reason": reason}


def _evidence(r: dict) -> str:
    ev = {"raw_text": r["raw"], "sentence": r["quote"], "page": r["page"]}
    if r["source"] == "text":
        ev |= {"passage_id": r["passage_id"], "span": r["span"]}
    else:
        ev |= {"table_id": r["where"].split("|")[0], "row_label": r["quote"]}
    return json.dumps([ev], ensure_ascii=False)


def _short(s: str, n: int = 90) -> str:
    s = re.sub(r"\s+", " ", s or "").strip()
    return s if len(s) <= n else s[: n - 1] + "…"


def _dedupe(df: pl.DataFrame) -> pl.DataFrame:
    """One row per (document, band, value): a sentence repeated in two passages is one statement."""
    if df.height == 0:
        return df
    return df.sort("source", "where").unique(["document_id", "band", "value"], keep="first", maintain_order=True)


@register
class CoverageRate(Check):
    """A 参保率 above 100 % (or a 综合参保率 below 90 %): more insured than people, or a wrong denominator.

    What it does: reads every 参保率 stated in the narrative or as 实际完成值 of an indicator row and
    compares it with the bands of REFERENCE.md §3.3 (``toolkit/data/bands.csv``): any 参保率 above
    100 % is impossible (coverage_over_100, high); a 综合参保率 below 90 % is out of band
    (rate_out_of_band, low/medium). Targets (≥95 %), changes (提高2个百分点) and rates of another
    year are not read. 困难群体 rates below 100 % are noted in coverage, not flagged, and so is an
    indicator row's shortfall against its own target (the 自评表 scores and explains it).

    Why it matters: a 参保率 over 100 % means duplicate enrolment (people insured twice, in two places
    or two schemes) or a denominator that is not the population — either way the headline figure is
    not what it claims, and duplicate enrolment wastes 财政补助.

    Example: 屈原管理区 2023: “总计75646人，综合参保率达到102.02%”.

    Known false positives: 参保率 computed on 常住人口 in a county with heavy in-migration can exceed
    100 % honestly (the message says so); a “完成参保任务的102%” phrased as 参保率.
    """

    code = "IR001"
    name = "coverage-rate-implausible"
    category = "implausible_ratio"
    detects = ("coverage_over_100", "rate_out_of_band")
    requires = ("frame:facts", "frame:indicators")

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        parts = [x for x in (rate_facts(frames), indicator_rates(frames)) if x.height]
        if not parts:
            return CheckResult.of([], [])
        rates = _dedupe(pl.concat(parts, how="diagonal_relaxed").filter(
            pl.col("band").is_in(["coverage_total", "coverage_vulnerable"])))
        hits, evals = [], []
        for r in rates.iter_rows(named=True):
            b = bands()[r["band"]]
            status, kind, beyond = _judge(r["value"], b)
            over = kind == "coverage_over_100"
            if r["source"] == "table" and kind is not None and not over:
                # a shortfall against the row's own target is scored (and explained) by the 自评表 itself
                status, kind = "passed", None
            evals.append(_evals(r["document_id"], f"R-{r['band']}", status))
            if kind is None:
                continue
            where = "文字说明" if r["source"] == "text" else "绩效自评表"
            if over:
                msg = (f"{where}“{_short(r['quote'])}”中{b['label']}为{r['raw']}，超过100%：参保人数多于其计算基数，"
                       f"可能存在重复参保，或分母用的不是户籍/常住人口（{_band_text(b)}；来源 REFERENCE.md §3.3）。")
                sev = "high"
            else:
                msg = (f"{where}“{_short(r['quote'])}”中{b['label']}为{r['raw']}，低于{fmt_number(b['hard_low'], 0)}%，"
                       f"远低于全国“稳定在95%以上”的水平（{_band_text(b)}）；请核实口径或是否漏统计。")
                sev = "medium" if beyond >= 3 else "low"
            limit = b["hard_high"] if over else b["hard_low"]
            hits.append({
                "document_id": r["document_id"], "location": f"IR001|{r['band']}|{r['where']}", "kind": kind,
                "message": msg, "evidence": _evidence(r), "expected": ("≤" if over else "≥") + f"{fmt_number(limit, 0)}%",
                "actual": r["raw"], "difference": f"{fmt_number(beyond, 2)}个百分点",
                "rel_diff": beyond / max(abs(r["value"]), 1e-9), "severity": sev,
            })
        return CheckResult.of([hits_frame(hits)], [pl.DataFrame(evals)] if evals else [])


@register
class ReimbursementRateBand(Check):
    """A 政策范围内住院费用基金支付比例 outside its plausible band (职工 75–95 %, 居民 55–85 %).

    What it does: reads each 职工/居民 政策范围内（目录内）住院费用基金支付（报销）比例 stated in the
    narrative, names its scheme from the clause (“职工、居民…分别为A和B” is read in order) and compares
    it with the hard limits of REFERENCE.md §3.3 (``toolkit/data/bands.csv``). Rates of 医疗救助,
    困难群体 一站式 综合报销, 大病, 门诊, 离休 and stated targets (不低于, 确保) are not read; a rate
    whose scheme is not named is skipped.

    Why it matters: these ratios are the headline benefit indicators (national 2023: 职工 84.6 %,
    居民 68.1 %); a county far outside the band either mis-states the indicator (e.g. 实际报销比例
    including 救助) or reports a number nobody computed.

    Example: “职工医保政策范围内住院费用基金支付比例98.20%” (hard limit 95 %).

    Known false positives: 一级医院-only or 离休 rates phrased like the general one; a scheme named only
    in an earlier sentence (then the extractor's scheme is used).
    """

    code = "IR002"
    name = "reimbursement-rate-out-of-band"
    category = "implausible_ratio"
    detects = ("rate_out_of_band",)
    requires = ("frame:facts",)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        rates = rate_facts(frames)
        if rates.height == 0:
            return CheckResult.of([], [])
        rates = _dedupe(rates.filter(pl.col("band").str.starts_with("reimb_")))
        hits, evals = [], []
        for r in rates.iter_rows(named=True):
            if r["band"] == "reimb_unnamed":
                evals.append(_evals(r["document_id"], "R-reimb", "skipped", "scheme (职工/居民) not named"))
                continue
            b = bands()[r["band"]]
            status, kind, beyond = _judge(r["value"], b)
            evals.append(_evals(r["document_id"], f"R-{r['band']}", status))
            if kind is None:
                continue
            high = r["value"] > (b["hard_high"] or 0)
            limit = b["hard_high"] if high else b["hard_low"]
            msg = (f"文字说明“{_short(r['quote'])}”中{b['label']}为{r['raw']}，"
                   f"{'高于' if high else '低于'}合理{'上' if high else '下'}限{fmt_number(limit, 0)}%"
                   f"（{_band_text(b)}；全国2023年职工84.6%、居民68.1%）。请核实是否混入了医疗救助/大病保险，或口径有误。")
            hits.append({
                "document_id": r["document_id"], "location": f"IR002|{r['band']}|{r['where']}", "kind": kind,
                "message": msg, "evidence": _evidence(r), "expected": f"{_band_text(b)}",
                "actual": r["raw"], "difference": f"{fmt_number(beyond, 2)}个百分点",
                "rel_diff": beyond / max(abs(r["value"]), 1e-9), "severity": "medium" if beyond >= 3 else "low",
            })
        return CheckResult.of([hits_frame(hits)], [pl.DataFrame(evals)] if evals else [])


# ------------------------------------------------------------------ fund income vs spending
EXPENSE_SUBJECT = re.compile(r"^(?:基金|全年|年度|当年|本年)?(?:总)?支出(?:总额|合计|共计)?$|^(?:职工|居民|城乡居民)?(?:医保)?基金(?:总)?支出")
MAX_PAIR_GAP = 60  # characters between a 基金收入 figure and the 支出 figure that follows it


def fund_pairs(frames: dict[str, pl.DataFrame]) -> list[dict]:
    """(scheme, income, expense) stated together: a 基金收入 amount followed by its 支出, or 支出占收入的x%."""
    f = get(frames, "facts").filter(pl.col("value").is_not_null())
    if f.height == 0:
        return []
    years = dict(get(frames, "documents").select("document_id", "fiscal_year").iter_rows())
    f = f.sort("document_id", "passage_id", "span_start")
    out = []
    by_passage: dict[tuple, list[dict]] = {}
    for r in f.iter_rows(named=True):
        by_passage.setdefault((r["document_id"], r["passage_id"]), []).append(r)
    for (doc, _), rs in by_passage.items():
        for i, r in enumerate(rs):
            if _other_year(r["period"], years.get(doc)):
                continue
            if r["metric"] == "fund_income" and r["qualifier"] == "share" and r["unit"] == "%" \
                    and "支出" in (r["subject"] or ""):
                out.append({"document_id": doc, "scheme": r["scheme"], "ratio": r["value"] / 100.0, "stated": True,
                            "inc": None, "exp": None, "raw": r["raw_text"], "sentence": r["sentence"],
                            "passage_id": r["passage_id"], "page": r["page"], "span": [r["span_start"], r["span_end"]]})
                continue
            if not (r["metric"] == "fund_income" and r["qualifier"] == "amount" and r["scale"]):
                continue
            for e in rs[i + 1:]:
                if e["span_start"] - r["span_end"] > MAX_PAIR_GAP or e["metric"] == "fund_income":
                    break
                if e["qualifier"] != "amount" or not e["scale"] or not EXPENSE_SUBJECT.search(e["subject"] or ""):
                    continue
                inc, exp = r["value"] * r["scale"], e["value"] * e["scale"]
                if inc <= 0:
                    break
                out.append({"document_id": doc, "scheme": r["scheme"] or e["scheme"], "ratio": exp / inc,
                            "stated": False, "inc": r["raw_text"], "exp": e["raw_text"], "raw": None,
                            "sentence": r["sentence"] if r["sentence"] == e["sentence"] else
                            f"{r['sentence']} {e['sentence']}", "passage_id": r["passage_id"], "page": r["page"],
                            "span": [r["span_start"], e["span_end"]]})
                break
    return out


@register
class FundSpendingVersusIncome(Check):
    """医保基金 spending far above its income (or a 当期结余率 far above its band): 支出÷收入 out of band.

    What it does: pairs each 基金收入 stated in the narrative with the 支出 stated right after it (or
    reads “支出…占基金收入的x%”) per scheme, computes the 当期结余率 (收入 − 支出) ÷ 收入 and compares it
    with REFERENCE.md §3.3 (``toolkit/data/bands.csv``): 居民 −10 %…+20 %, 职工 0…50 %. A deficit
    beyond the band is fund_spending_over_income (支出 ≥ 120 % of income is high); a surplus beyond it
    is rate_out_of_band.

    Why it matters: a fund that spends far more than it raises is drawing down its reserve (or the
    figures are wrong); the national 居民 fund ran +1.1 % in 2023, so a county at −20 % needs an
    explanation. A very large surplus rate suggests income and spending of different periods.

    Example: 临泽县 2023: “城乡居民医保基金支出13688.72万元，占基金收入的122.71%”.

    Known false positives: figures for part of a year (1–11月) where income arrives early and spending
    late; 收入 that excludes 上年结转/财政补助 paid later. The message carries the period as printed.
    """

    code = "IR003"
    name = "fund-spending-vs-income"
    category = "implausible_ratio"
    detects = ("fund_spending_over_income", "rate_out_of_band")
    requires = ("frame:facts",)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        pairs = fund_pairs(frames)
        hits, evals, seen = [], [], set()
        # a stated ratio wins over one recomputed from the same sentence
        for p in sorted(pairs, key=lambda p: not p["stated"]):
            key = (p["document_id"], p["scheme"], round(p["ratio"], 3))
            if key in seen:
                continue
            seen.add(key)
            band = {"employee": "balance_employee", "resident": "balance_resident"}.get(p["scheme"] or "", "balance_any")
            b = bands()[band]
            balance_rate = (1.0 - p["ratio"]) * 100.0
            status, kind, beyond = _judge(balance_rate, b)
            evals.append(_evals(p["document_id"], f"R-{band}", status))
            if kind is None:
                continue
            scheme_word = {"employee": "职工医保", "resident": "居民医保"}.get(p["scheme"] or "", "医保")
            pct = fmt_number(p["ratio"] * 100, 2)
            what = (f"基金支出{p['exp']}、收入{p['inc']}，支出为收入的{pct}%" if not p["stated"]
                    else f"基金支出占收入的{p['raw']}")
            if kind == "fund_spending_over_income":
                msg = (f"文字说明“{_short(p['sentence'])}”：{scheme_word}{what}，当期结余率{fmt_number(balance_rate, 2)}%，"
                       f"低于合理下限{fmt_number(b['hard_low'], 0)}%（{_band_text(b)}）：基金当期严重收不抵支，"
                       f"需核实是否动用累计结余或数字有误。")
                sev = "high" if p["ratio"] >= 1.2 else "medium"
            else:
                msg = (f"文字说明“{_short(p['sentence'])}”：{scheme_word}{what}，当期结余率{fmt_number(balance_rate, 2)}%，"
                       f"高于合理上限{fmt_number(b['hard_high'], 0)}%（{_band_text(b)}）：收入与支出可能不是同一期间或同一口径。")
                sev = "low"
            hits.append({
                "document_id": p["document_id"], "location": f"IR003|{band}|{p['passage_id']}|{p['span'][0]}",
                "kind": kind, "message": msg,
                "evidence": json.dumps([{"raw_text": p["raw"] or f"{p['inc']} / {p['exp']}", "sentence": p["sentence"],
                                         "passage_id": p["passage_id"], "page": p["page"], "span": p["span"]}],
                                       ensure_ascii=False),
                "expected": f"当期结余率 {fmt_number(b['hard_low'], 0)}%–{fmt_number(b['hard_high'], 0)}%",
                "actual": f"支出/收入 {pct}%", "difference": f"{fmt_number(beyond, 2)}个百分点",
                "rel_diff": beyond / 100.0, "severity": sev,
            })
        return CheckResult.of([hits_frame(hits)], [pl.DataFrame(evals)] if evals else [])
