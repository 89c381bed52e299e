"""DP003: Too many of a bureau-year's printed amounts end in 00."""

from __future__ import annotations

from typing import ClassVar

import polars as pl

from toolkit.checks.framework import EVALS, Check, CheckResult, hits_frame
from toolkit.checks.registry import register
from toolkit.peers.digits import MIN_N, amounts, fmt_p, is_round_failure, last_two_counts, round_test
from toolkit.peers.explain import evidence_json


@register
class RoundNumberExcess(Check):
    """Too many of a bureau-year's printed amounts end in 00.

    What it does: among the bureau-year's distinct printed amounts of at least four digits
    (决算 line items), counts those whose last two printed digits are 00 (12,300.00 元 or 123.00
    万元) and compares with the 1 % expected of booked amounts (binomial upper tail). Fires when
    N ≥ 100, the tail probability is below 1e-4 and at least 5 % end in 00; fewer amounts:
    coverage skipped (N stated).

    Why it matters: 决算 amounts are sums of vouchers; a surplus of round figures means estimated
    or invented numbers (or budget figures printed as actuals).

    Example: 23 of 140 amounts end in 00 (16.4 %, expected 1.4): p < 1e-12.

    Known false positives: bureaus whose 03 表 carries fixed transfers (补助 of whole 万元); the
    message lists N and the share.
    """

    code = "DP003"
    name = "round-number-excess"
    category = "digit_pattern"
    detects = ("round_number_excess",)
    label = "整数金额过多"
    requires = ("frame:line_items",)
    scope: ClassVar[str] = "corpus"

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        am = amounts(frames)
        if am.height == 0:
            return CheckResult.of([], [])
        hits, evals = [], []
        for (bkey, year), g in am.group_by(["bkey", "fiscal_year"], maintain_order=True):
            r = round_test(last_two_counts(g["digits"]))
            docs = g["document_id"].unique().sort().to_list()
            fail = is_round_failure(r)
            status = "failed" if fail else "passed" if r["n"] >= MIN_N["round"] else "skipped"
            reason = f"N {r['n']} < {MIN_N['round']} amounts of ≥ 4 digits" if status == "skipped" else None
            evals += [{"document_id": d, "identity": "D-3", "status": status, "reason": reason} for d in docs]
            if not fail:
                continue
            rounds = g.filter((pl.col("digits").str.len_chars() >= 4) & pl.col("digits").str.ends_with("00"))
            sample = rounds.head(8)
            bureau = g["bureau"].drop_nulls().first() or bkey
            msg = (f"{bureau}{year}年决算{r['n']}个金额中有{r['k']}个末两位为00（{r['share'] * 100:.1f}%，"
                   f"正常约1%即{r['n'] / 100:.1f}个，p={fmt_p(r['p'])}），如"
                   + "、".join(f"{n or ''}{t}" for n, t in list(zip(sample["name"].to_list(),
                                                                   sample["raw_text"].to_list(), strict=True))[:4])
                   + "。整数金额过多可能提示决算数系估填或以预算数代替，需核对明细账。")
            hits.append({"document_id": g["document_id"][0], "table_id": None, "location": f"DP003|{bkey}|{year}",
                         "kind": "round_number_excess", "message": msg,
                         "evidence": evidence_json([{"table_id": t, "page": p, "row_label": n, "raw_text": x}
                                                    for t, p, n, x in sample.select("table_id", "page", "name",
                                                                                    "raw_text").rows()]),
                         "expected": f"约{r['n'] / 100:.1f}个（1%）", "actual": f"{r['k']}个（N={r['n']}）",
                         "difference": f"{r['share'] * 100:.1f}%", "rel_diff": 0.02, "severity": "low"})
        return CheckResult.of([hits_frame(hits)], [pl.DataFrame(evals, schema=EVALS)] if evals else [])
