"""IR003: 医保基金 spending far above its income (or a 当期结余率 far above its band): 支出÷收入 out of band."""

from __future__ import annotations

import json
import re

import polars as pl

from toolkit.checks.framework import Check, CheckResult, get, hits_frame
from toolkit.checks.rates import band_text, bands, eval_row, judge, other_year, shorten
from toolkit.checks.registry import register
from toolkit.checks.tolerance import fmt_number

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
            if other_year(r["period"], years.get(doc)):
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
    with the sourced bands in ``toolkit/data/bands.csv`` (national 统计公报): 居民 −10 %…+20 %, 职工 0…50 %. A deficit
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
    label = "基金支出与收入比例异常"
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
            status, kind, beyond = judge(balance_rate, b)
            evals.append(eval_row(p["document_id"], f"R-{band}", status))
            if kind is None:
                continue
            scheme_word = {"employee": "职工医保", "resident": "居民医保"}.get(p["scheme"] or "", "医保")
            pct = fmt_number(p["ratio"] * 100, 2)
            what = (f"基金支出{p['exp']}、收入{p['inc']}，支出为收入的{pct}%" if not p["stated"]
                    else f"基金支出占收入的{p['raw']}")
            if kind == "fund_spending_over_income":
                msg = (f"文字说明“{shorten(p['sentence'])}”：{scheme_word}{what}，当期结余率{fmt_number(balance_rate, 2)}%，"
                       f"低于合理下限{fmt_number(b['hard_low'], 0)}%（{band_text(b)}）：基金当期严重收不抵支，"
                       f"需核实是否动用累计结余或数字有误。")
                sev = "high" if p["ratio"] >= 1.2 else "medium"
            else:
                msg = (f"文字说明“{shorten(p['sentence'])}”：{scheme_word}{what}，当期结余率{fmt_number(balance_rate, 2)}%，"
                       f"高于合理上限{fmt_number(b['hard_high'], 0)}%（{band_text(b)}）：收入与支出可能不是同一期间或同一口径。")
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
