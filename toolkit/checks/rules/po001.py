"""PO001: A bureau's spending per insured person (or per 元 of fund income) is far from its province peers."""

from __future__ import annotations

import json
import math
from typing import ClassVar

import polars as pl

from toolkit.checks.framework import EVALS, Check, CheckResult, hits_frame
from toolkit.checks.peer_stats import MIN_PEERS, RATIO_FLAG, Z_FLAG, bureau_years, rows_by_bureau_year
from toolkit.checks.registry import register
from toolkit.checks.tolerance import fmt_number
from toolkit.peers.groups import loo_centre

MAD_FLOOR = 0.15  # log units: honest per-capita spending of one province's bureaus varies at least ±15 %


def _centred(by: pl.DataFrame, measure: str) -> pl.DataFrame:
    """Others' median / MAD of ``measure`` within province × fiscal year (one row per bureau-year)."""
    x = by.filter(pl.col(measure).is_not_null() & pl.col("province").is_not_null())
    if x.height == 0:
        return x.select("bkey", "fiscal_year")
    c = loo_centre(x, ["province", "fiscal_year"], measure, f"{measure}_")
    return c.select("bkey", "fiscal_year", f"{measure}_median", f"{measure}_mad", f"{measure}_n")


@register
class PerCapitaSpendingPeerOutlier(Check):
    """A bureau's spending per insured person (or per 元 of fund income) is far from its province peers.

    What it does: per bureau-year, divides the department's 本年支出合计 (01 表; else the 自评表's
    全年执行数) by its 参保人数 (stated in the 自评报告; else by 职工 + 居民 医保基金收入), takes logs and
    compares with the *other* bureaus of the same province and fiscal year in the corpus: robust
    z = (x − others' median) ÷ max(1.4826·others' MAD, 0.15), read from the group's sorted values in
    one pass. Flags |z| ≥ 3.5 and at least ×2 (or ÷2) from the median; when both normalisations
    exist the second must lean the same way (z ≥ 2). Skipped (coverage): fewer than 5 peer
    bureaus, no spending figure, no size measure. Single line items are PO010's.

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
    label = "人均支出偏离同省单位"
    requires = ("income_expense_summary", "dept_self_eval", "frame:facts")
    scope: ClassVar[str] = "corpus"
    version: ClassVar[str] = "2"

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        by, sp = bureau_years(frames)
        if by.height == 0:
            return CheckResult.of([], [])
        by = by.with_columns(m_ins=pl.when(pl.col("ins") > 0).then((pl.col("yuan") / pl.col("ins")).log()),
                             m_fund=pl.when(pl.col("fund") > 0).then((pl.col("yuan") / pl.col("fund")).log()))
        for m in ("m_ins", "m_fund"):
            by = by.join(_centred(by, m), on=["bkey", "fiscal_year"], how="left")
        docs_of = rows_by_bureau_year(sp)
        hits, evals = [], []
        for r in by.sort("bkey", "fiscal_year").to_dicts():
            verdicts = {}
            for m in ("m_ins", "m_fund"):
                if r[m] is None or (r.get(f"{m}_n") or 0) < MIN_PEERS:
                    continue
                med, mad = r[f"{m}_median"], max(r[f"{m}_mad"], MAD_FLOOR)
                verdicts[m] = ((r[m] - med) / mad, math.exp(r[m] - med), math.exp(med), r[f"{m}_n"])
            docs = docs_of.get((r["bkey"], r["fiscal_year"]), [])
            if not verdicts:
                reason = ("no size measure (参保人数 / 基金收入)" if r["m_ins"] is None and r["m_fund"] is None
                          else f"fewer than {MIN_PEERS} peer bureaus in {r['province']} {r['fiscal_year']}")
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
                peer = f"全省其他{n}个局同年度的中位数{fmt_number(med_raw, 2)}元/人"
            else:
                per = f"占医保基金收入的{fmt_number(r['yuan'] / r['fund'] * 1000, 2)}‰"
                peer = f"全省其他{n}个局同年度的中位数{fmt_number(med_raw * 1000, 2)}‰"
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
        return CheckResult.of([hits_frame(hits)], [pl.DataFrame(evals, schema=EVALS)] if evals else [])
