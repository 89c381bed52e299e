"""Peer comparisons across the corpus: a bureau's spending against its province peers and its own last year.

The measured figure is the department's 本年支出合计 (01 收入支出决算总表) or, without it, the
部门整体自评表's 年度资金总额 全年执行数. To compare bureaus of different sizes it is normalised by
the bureau's 参保人数 (from its 自评报告) or, failing that, by its 医保基金收入 (职工 + 居民).
Comparisons are robust: log values, median and MAD (scaled by 1.4826), with a floor on the MAD so
that a handful of very similar peers does not turn a small difference into a large z.
"""

from __future__ import annotations

import json
import math
import re
from statistics import median
from typing import ClassVar

import polars as pl

from toolkit.checks.framework import Check, CheckResult, get, hits_frame
from toolkit.checks.registry import register
from toolkit.checks.tolerance import fmt_number

MIN_PEERS = 5
Z_FLAG = 3.5
RATIO_FLAG = 2.0  # and at least ×2 (or ÷2) away from the peer median: z alone is not enough
MAD_FLOOR = 0.15  # log units: honest per-capita spending of one province's bureaus varies at least ±15 %
YOY_MAD_FLOOR = 0.10
POPULATION_WORDS = re.compile(r"户籍|常住|人口|职工|居民|在职|退休|困难|救助|资助|脱贫|低保|特困|监测|人次")


def _unit_key() -> pl.Expr:
    return pl.coalesce(pl.col("region_code"), pl.col("bureau"), pl.col("document_id"))


def spending(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Per document: the department's total spending (元) as printed, with where it was read."""
    li = get(frames, "line_items")
    final = li.filter((pl.col("table_type") == "income_expense_summary") & (pl.col("item_key") == "expense_total")
                      & (pl.col("measure") == "final")).with_columns(src=pl.lit("收入支出决算总表 本年支出合计"), prio=0)
    dept = li.filter((pl.col("table_type") == "dept_self_eval") & (pl.col("item_key") == "fund_total")
                     & (pl.col("measure") == "executed")).with_columns(src=pl.lit("部门整体支出绩效自评表 年度资金总额 全年执行数"),
                                                                       prio=1)
    x = pl.concat([final, dept], how="vertical_relaxed").filter(pl.col("value").is_not_null() & (pl.col("value") > 0))
    return x.sort("prio", "row").unique("document_id", keep="first").select(
        "document_id", "table_id", "page", "src", "raw_text", "unit",
        (pl.col("value") * pl.col("scale").fill_null(1.0)).alias("yuan"))


def insured(frames: dict[str, pl.DataFrame]) -> dict[str, float]:
    """Per document: 参保人数 — the largest head count stated with the 参保率 or named as 参保/参加/覆盖."""
    f = get(frames, "facts").filter(pl.col("unit").is_in(["人", "万人"]) & pl.col("value").is_not_null())
    if f.height == 0:
        return {}
    cov = get(frames, "facts").filter(pl.col("metric") == "coverage_rate").select("document_id", "passage_id").unique()
    subj = pl.col("subject").fill_null("")
    named = subj.str.contains("参保|参加|覆盖|合计|总计|共计") | (pl.col("metric") == "insured_persons")
    f = f.join(cov.with_columns(with_rate=pl.lit(True)), on=["document_id", "passage_id"], how="left").filter(
        (named | pl.col("with_rate").fill_null(False)) & ~subj.str.contains(POPULATION_WORDS.pattern)
        & ~(pl.col("scheme").is_in(["employee", "resident", "assistance"]).fill_null(False)
             & ~subj.str.contains("合计|总计|共计")))
    f = f.with_columns(persons=pl.col("value") * pl.col("scale").fill_null(1.0))
    return dict(f.group_by("document_id").agg(pl.col("persons").max()).iter_rows())


def fund_income(frames: dict[str, pl.DataFrame]) -> dict[str, float]:
    """Per document: 职工 + 居民 医保基金收入 (元), the first statement of each scheme."""
    f = get(frames, "facts").filter((pl.col("metric") == "fund_income") & (pl.col("qualifier") == "amount")
                                    & pl.col("scheme").is_in(["employee", "resident"]) & pl.col("value").is_not_null())
    if f.height == 0:
        return {}
    f = f.sort("passage_id", "span_start").unique(["document_id", "scheme"], keep="first")
    g = f.group_by("document_id").agg((pl.col("value") * pl.col("scale").fill_null(1.0)).sum().alias("y"),
                                      pl.len().alias("n")).filter(pl.col("n") == 2)
    return dict(g.select("document_id", "y").iter_rows())


def bureau_years(frames: dict[str, pl.DataFrame]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(per bureau-year measures, per document spending rows to report on)."""
    docs = get(frames, "documents").with_columns(bkey=_unit_key())
    sp = spending(frames).join(docs.select("document_id", "bkey", "bureau", "province", "fiscal_year"), on="document_id")
    ins, fund = insured(frames), fund_income(frames)
    d = docs.select("document_id", "bkey", "fiscal_year").with_columns(
        ins=pl.col("document_id").replace_strict(ins, default=None, return_dtype=pl.Float64),
        fund=pl.col("document_id").replace_strict(fund, default=None, return_dtype=pl.Float64))
    size = d.group_by("bkey", "fiscal_year").agg(pl.col("ins").max(), pl.col("fund").max())
    by = sp.sort("document_id").group_by("bkey", "fiscal_year").agg(
        pl.col("yuan").sort_by(pl.col("src").str.starts_with("部门")).first(), pl.col("province").drop_nulls().first(),
        pl.col("bureau").drop_nulls().first()).join(size, on=["bkey", "fiscal_year"], how="left")
    by = by.filter(pl.col("fiscal_year").is_not_null())
    return by, sp


def _robust(values: list[float], floor: float) -> tuple[float, float]:
    med = median(values)
    mad = median(abs(v - med) for v in values) * 1.4826
    return med, max(mad, floor)


def _report(sp: pl.DataFrame, unit: str, year: int) -> list[dict]:
    return sp.filter((pl.col("bkey") == unit) & (pl.col("fiscal_year") == year)).to_dicts()


@register
class PerCapitaSpendingPeerOutlier(Check):
    """A bureau's spending per insured person (or per 元 of fund income) is far from its province peers.

    What it does: per bureau-year, divides the department's 本年支出合计 (01 表; else the 自评表's
    全年执行数) by its 参保人数 (stated in the 自评报告; else by 职工 + 居民 医保基金收入), takes logs and
    compares with the *other* bureaus of the same province in the corpus (all years pooled): robust
    z = (x − median) ÷ max(1.4826·MAD, 0.15). Flags |z| ≥ 3.5 and at least ×2 (or ÷2) from the median;
    when both normalisations exist the second must lean the same way (z ≥ 2). Skipped (coverage):
    fewer than 5 peer bureaus, no spending figure, no size measure.

    Why it matters: a county bureau spending three times what its neighbours spend per insured person
    either carries pass-through money in its own accounts, mis-states its figures, or overspends —
    each worth a question in an audit.

    Example: 农安县 2021: 本年支出合计 3176.43万元 for 96万 参保人 = 33.1元/人, province median 10.2元/人
    (×3.3, z 5.3).

    Known false positives: a bureau that runs the 经办中心 or 医疗救助 budget its peers leave to another
    department; a 地级市 bureau among county peers. The message names the peers' median.
    """

    code = "PO001"
    name = "per-capita-spending-peer-outlier"
    category = "peer_outlier"
    detects = ("peer_outlier",)
    requires = ("income_expense_summary", "dept_self_eval", "frame:facts")
    scope: ClassVar[str] = "corpus"

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        by, sp = bureau_years(frames)
        if by.height == 0:
            return CheckResult.of([], [])
        rows = by.to_dicts()
        for r in rows:
            r["m_ins"] = math.log(r["yuan"] / r["ins"]) if r["ins"] else None
            r["m_fund"] = math.log(r["yuan"] / r["fund"]) if r["fund"] else None
        hits, evals = [], []
        for r in rows:
            verdicts = {}
            for m, floor in (("m_ins", MAD_FLOOR), ("m_fund", MAD_FLOOR)):
                if r[m] is None:
                    continue
                peers = [p[m] for p in rows if p["province"] == r["province"] and p["bkey"] != r["bkey"]
                         and p[m] is not None]
                if len({p["bkey"] for p in rows if p["province"] == r["province"] and p["bkey"] != r["bkey"]
                        and p[m] is not None}) < MIN_PEERS:
                    continue
                med, mad = _robust(peers, floor)
                verdicts[m] = ((r[m] - med) / mad, math.exp(r[m] - med), math.exp(med), len(peers))
            docs = _report(sp, r["bkey"], r["fiscal_year"])
            if not verdicts:
                reason = ("no size measure (参保人数 / 基金收入)" if r["m_ins"] is None and r["m_fund"] is None
                          else f"fewer than {MIN_PEERS} peer bureaus in {r['province']}")
                evals += [{"document_id": d["document_id"], "identity": "P-1", "status": "skipped", "reason": reason}
                          for d in docs]
                continue
            main = "m_ins" if "m_ins" in verdicts else "m_fund"
            z, ratio, med_raw, n = verdicts[main]
            other = verdicts.get("m_fund" if main == "m_ins" else "m_ins")
            failed = abs(z) >= Z_FLAG and (ratio >= RATIO_FLAG or ratio <= 1 / RATIO_FLAG) and (
                other is None or other[0] * z >= 4.0 or abs(other[0]) >= 2.0 and other[0] * z > 0)
            evals += [{"document_id": d["document_id"], "identity": "P-1", "status": "failed" if failed else "passed",
                       "reason": None} for d in docs]
            if not failed:
                continue
            if main == "m_ins":
                per = f"人均（按参保人数{fmt_number(r['ins'], 0)}人）{fmt_number(r['yuan'] / r['ins'], 2)}元"
                peer = f"全省其他{n}个局年度的中位数{fmt_number(med_raw, 2)}元/人"
            else:
                per = f"占医保基金收入的{fmt_number(r['yuan'] / r['fund'] * 1000, 2)}‰"
                peer = f"全省其他{n}个局年度的中位数{fmt_number(med_raw * 1000, 2)}‰"
            for d in docs:
                msg = (f"{r['bureau'] or r['bkey']}{r['fiscal_year']}年{d['src']}为{d['raw_text']}{d['unit'] or ''}，"
                       f"{per}，为{peer}的{fmt_number(ratio, 1)}倍（稳健z值{fmt_number(z, 1)}）："
                       f"支出规模明显偏离同省同类医保局，需核实是否含代管/转拨资金或数字有误。")
                hits.append({"document_id": d["document_id"], "table_id": d["table_id"],
                             "location": f"P-1|{r['bkey']}|{r['fiscal_year']}", "kind": "peer_outlier", "message": msg,
                             "evidence": json.dumps([{"table_id": d["table_id"], "page": d["page"], "row_label": d["src"],
                                                      "raw_text": d["raw_text"], "persons": r["ins"],
                                                      "fund_income_yuan": r["fund"]}], ensure_ascii=False),
                             "expected": peer, "actual": per, "difference": f"{fmt_number(ratio, 2)}倍",
                             "rel_diff": min(1.0, abs(math.log(ratio)) / 10),
                             "severity": "high" if abs(z) >= 5 else "medium"})
        return CheckResult.of([hits_frame(hits)], [pl.DataFrame(evals)] if evals else [])


@register
class YearOnYearJump(Check):
    """A bureau's total spending jumps (or collapses) between consecutive years far beyond the corpus norm.

    What it does: for each bureau with spending figures (01 表 本年支出合计, else the 自评表's 全年执行数)
    in two consecutive fiscal years, takes the log ratio and compares it with the year-on-year log
    ratios of all *other* bureaus in the corpus: robust z = (r − median) ÷ max(1.4826·MAD, 0.10).
    Flags |z| ≥ 3.5 together with a change of at least ×2 (or ÷2). Skipped: no previous year in the
    corpus, fewer than 5 other bureaus with two consecutive years.

    Why it matters: a department's own budget rarely doubles; a jump usually means money passed
    through (one-off transfers booked as own spending), a unit error, or figures of another unit.

    Example: 荥阳市 2023: 本年支出合计 92,422,818.40元 against 29,823,927.89元 in 2022 (×3.1).

    Known false positives: a merger (医疗救助 or 经办中心 moved into the bureau that year) or a one-off
    construction project; the message gives both years' figures so the reader can check the 说明.
    """

    code = "PO002"
    name = "year-on-year-jump"
    category = "peer_outlier"
    detects = ("yoy_jump",)
    requires = ("income_expense_summary", "dept_self_eval")
    scope: ClassVar[str] = "corpus"

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        by, sp = bureau_years(frames)
        if by.height == 0:
            return CheckResult.of([], [])
        val = {(r["bkey"], r["fiscal_year"]): r for r in by.to_dicts()}
        steps = [(u, y, math.log(r["yuan"] / val[(u, y - 1)]["yuan"])) for (u, y), r in val.items() if (u, y - 1) in val]
        hits, evals = [], []
        for u, y, lr in steps:
            others = [s for s in steps if s[0] != u]
            docs = _report(sp, u, y)
            if len({s[0] for s in others}) < MIN_PEERS:
                evals += [{"document_id": d["document_id"], "identity": "P-2", "status": "skipped",
                           "reason": f"fewer than {MIN_PEERS} other bureaus with consecutive years"} for d in docs]
                continue
            med, mad = _robust([s[2] for s in others], YOY_MAD_FLOOR)
            z = (lr - med) / mad
            ratio = math.exp(lr)
            failed = abs(z) >= Z_FLAG and (ratio >= RATIO_FLAG or ratio <= 1 / RATIO_FLAG)
            evals += [{"document_id": d["document_id"], "identity": "P-2", "status": "failed" if failed else "passed",
                       "reason": None} for d in docs]
            if not failed:
                continue
            prev = val[(u, y - 1)]
            prev_docs = _report(sp, u, y - 1)
            prev_raw = (prev_docs[0]["raw_text"] + (prev_docs[0]["unit"] or "")) if prev_docs else fmt_number(prev["yuan"], 2) + "元"
            for d in docs:
                msg = (f"{val[(u, y)]['bureau'] or u}{y}年{d['src']}为{d['raw_text']}{d['unit'] or ''}，上年（{y - 1}年）为{prev_raw}，"
                       f"为上年的{fmt_number(ratio, 2)}倍；语料中其他局相邻年度变化的中位数为{fmt_number((math.exp(med) - 1) * 100, 1)}%"
                       f"（稳健z值{fmt_number(z, 1)}）。支出规模一年内{'剧增' if ratio > 1 else '骤减'}，需核实是否含一次性转拨资金、"
                       f"机构调整或数字有误。")
                hits.append({"document_id": d["document_id"], "table_id": d["table_id"], "location": f"P-2|{u}|{y}",
                             "kind": "yoy_jump", "message": msg,
                             "evidence": json.dumps([{"table_id": d["table_id"], "page": d["page"], "row_label": d["src"],
                                                      "raw_text": d["raw_text"]},
                                                     {"fiscal_year": y - 1, "raw_text": prev_raw}], ensure_ascii=False),
                             "expected": f"约{prev_raw}（±常见变化）", "actual": f"{d['raw_text']}{d['unit'] or ''}",
                             "difference": f"{fmt_number(ratio, 2)}倍", "rel_diff": min(1.0, abs(lr) / 10),
                             "severity": "high" if abs(z) >= 6 else "medium"})
        return CheckResult.of([hits_frame(hits)], [pl.DataFrame(evals)] if evals else [])
