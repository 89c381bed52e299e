"""DP002: The last two printed digits of a bureau-year's amounts are far from uniform."""

from __future__ import annotations

from typing import ClassVar

import polars as pl

from toolkit.checks.framework import EVALS, Check, CheckResult, hits_frame
from toolkit.checks.registry import register
from toolkit.peers.digits import MIN_N, amounts, fmt_p, is_last_two_failure, last_two_counts, last_two_test
from toolkit.peers.explain import evidence_json


@register
class LastTwoDigitsNonUniform(Check):
    """The last two printed digits of a bureau-year's amounts are far from uniform.

    What it does: takes the bureau-year's distinct printed amounts of at least four digits
    (决算 line items of all its documents) and tests their last two digits (00–99) against the
    uniform distribution (chi-square, 99 degrees of freedom). Fires when N ≥ 300 and the tail
    probability is below 1e-4; fewer amounts: coverage skipped (N stated).

    Why it matters: the last digits of booked amounts are noise; amounts typed from memory or
    made up favour some endings (00, 50, repeated digits) and the test sees it once there are
    enough of them.

    Example: N = 412 amounts, 61 ending in 00 or 50 (expected 8): χ² 540, p < 1e-12.

    Known false positives: tables of rounded budget figures or standard per-person amounts;
    the message gives N and the most over-represented endings.
    """

    code = "DP002"
    name = "last-two-digits-nonuniform"
    category = "digit_pattern"
    detects = ("last_digits_nonuniform",)
    label = "末两位数字分布异常"
    requires = ("frame:line_items",)
    scope: ClassVar[str] = "corpus"

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        am = amounts(frames)
        if am.height == 0:
            return CheckResult.of([], [])
        hits, evals = [], []
        for (bkey, year), g in am.group_by(["bkey", "fiscal_year"], maintain_order=True):
            c = last_two_counts(g["digits"])
            r = last_two_test(c)
            docs = g["document_id"].unique().sort().to_list()
            fail = is_last_two_failure(r)
            status = "failed" if fail else "passed" if r["n"] >= MIN_N["last_two"] else "skipped"
            reason = f"N {r['n']} < {MIN_N['last_two']} amounts of ≥ 4 digits" if status == "skipped" else None
            evals += [{"document_id": d, "identity": "D-2", "status": status, "reason": reason} for d in docs]
            if not fail:
                continue
            top = sorted(range(100), key=lambda i: (-c[i], i))[:3]
            ends = "、".join(f"{i:02d}（{int(c[i])}次）" for i in top)
            bureau = g["bureau"].drop_nulls().first() or bkey
            msg = (f"{bureau}{year}年决算中{r['n']}个金额的末两位数字明显偏离均匀分布（卡方{r['chi2']:.0f}，"
                   f"p={fmt_p(r['p'])}）；出现最多的末两位为{ends}，均匀时每种约{r['n'] / 100:.1f}次。"
                   f"末位数字集中可能提示金额系估填或编造，需核对明细账。")
            hits.append({"document_id": g["document_id"][0], "table_id": None, "location": f"DP002|{bkey}|{year}",
                         "kind": "last_digits_nonuniform", "message": msg,
                         "evidence": evidence_json([{"n": r["n"], "chi2": round(r["chi2"], 1), "p": r["p"],
                                                     "top_endings": {f"{i:02d}": int(c[i]) for i in top}}]),
                         "expected": f"每种末两位约{r['n'] / 100:.1f}次", "actual": ends,
                         "difference": f"χ² {r['chi2']:.0f}", "rel_diff": 0.02, "severity": "low"})
        return CheckResult.of([hits_frame(hits)], [pl.DataFrame(evals, schema=EVALS)] if evals else [])
