"""DP001: The first two digits of a province-year's printed amounts, pooled, do not follow Benford's law."""

from __future__ import annotations

from typing import ClassVar

import polars as pl

from toolkit.checks.framework import EVALS, Check, CheckResult, hits_frame
from toolkit.checks.registry import register
from toolkit.peers.digits import (
    CLASS_LABELS,
    MIN_N,
    amounts,
    fmt_p,
    is_first_two_failure,
    nigrini_class,
    pooled_first_two,
)
from toolkit.peers.explain import evidence_json


@register
class FirstTwoDigitsPooled(Check):
    """The first two digits of a province-year's printed amounts, pooled, do not follow Benford's law.

    What it does: pools the distinct printed amounts of every bureau of a province and fiscal year
    (决算 line items; the same figure once per bureau-year; provinces below the guard are pooled
    together as 各省合并), counts their first two digits (10–99)
    and computes Nigrini's MAD against Benford's proportions. Fires when the pool holds at least
    1,000 amounts (coverage skipped below), its MAD is in Nigrini's nonconformity class (> 0.0022)
    and at least 1.8 times the MAD sampling noise alone gives at that N (0.0025 at 1,000, 0.0014 at
    3,000: below ~3,000 amounts chance alone passes Nigrini's bounds). The finding is attached to the bureau
    whose removal lowers the pool's MAD most, and names the MAD with and without it.

    Why it matters: amounts that were invented rather than booked rarely follow Benford's law;
    pooled over a province the test has the sample it needs, and the bureau that pulls the pool
    away is where to look.

    Example: 湖南省 2023, N = 4,210: MAD 0.0031 (不符合); without 某县医疗保障局 0.0014 (可接受).

    Known false positives: a province whose bureaus print many fixed standard amounts (per-person
    subsidies times counts) or many copies of one template; the MAD class says how far it is.
    """

    code = "DP001"
    name = "first-two-digits-pooled"
    category = "digit_pattern"
    detects = ("first_digits_nonconforming",)
    label = "首两位数字分布异常（汇总）"
    requires = ("frame:line_items",)
    scope: ClassVar[str] = "corpus"

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        am = amounts(frames)
        if am.height == 0:
            return CheckResult.of([], [])
        hits, evals = [], []
        for pool in pooled_first_two(am):
            fail = is_first_two_failure(pool)
            docs = sorted({d for m in pool["members"] for d in m["documents"]})
            status = "failed" if fail else "passed" if pool["n"] >= MIN_N["first_two"] else "skipped"
            reason = None if status != "skipped" else f"pooled N {pool['n']} < {MIN_N['first_two']} amounts"
            evals += [{"document_id": d, "identity": "D-1", "status": status, "reason": reason} for d in docs]
            if not fail:
                continue
            worst = min(pool["members"], key=lambda m: (m["mad_without"] if m["mad_without"] is not None else 9,
                                                        m["bkey"]))
            without = worst["mad_without"]
            msg = (f"{pool['province']}{pool['fiscal_year']}年各局决算金额汇总（N={pool['n']}）的首两位数字分布"
                   f"与本福特定律的平均绝对偏差（MAD）为{pool['mad']:.4f}，属“{CLASS_LABELS[pool['class']]}”"
                   f"（卡方检验p={fmt_p(pool['p'])}）；剔除{worst['bureau'] or worst['bkey']}（{worst['n']}个金额）后"
                   f"MAD为{without:.4f}（{CLASS_LABELS[nigrini_class(without)]}）。数字分布异常可能提示金额系编造或"
                   f"照抄，需抽查原始凭证。")
            hits.append({"document_id": worst["document_id"], "table_id": None,
                         "location": f"DP001|{pool['province']}|{pool['fiscal_year']}", "kind": "first_digits_nonconforming",
                         "message": msg,
                         "evidence": evidence_json([{"pool": f"{pool['province']} {pool['fiscal_year']}", "n": pool["n"],
                                                     "mad": round(pool["mad"], 5), "class": pool["class"],
                                                     "p": pool["p"], "bureau": worst["bureau"],
                                                     "bureau_n": worst["n"], "mad_without": round(without, 5)}]),
                         "expected": "MAD ≤ 0.0022（本福特定律）", "actual": f"MAD {pool['mad']:.4f}（N={pool['n']}）",
                         "difference": f"{pool['mad'] - 0.0022:+.4f}", "rel_diff": 0.02, "severity": "low"})
        return CheckResult.of([hits_frame(hits)], [pl.DataFrame(evals, schema=EVALS)] if evals else [])
