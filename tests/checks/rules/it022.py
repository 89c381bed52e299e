"""Fire / quiet cases of IT022; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.builders import L, frames
from tests.checks.case import Case


def _self_eval(total: float, rate_raw: float, score: float, executed: float = 1.976) -> list[dict]:
    t = "project_self_eval"
    return [L("t11", t, "budget_full", 86.031, key="fund_total", dec=3),
            L("t11", t, "executed", executed, key="fund_total", dec=3),
            L("t11", t, "exec_rate", rate_raw, key="fund_total", dec=1, unit="%", scale=1.0),
            L("t11", t, "weight", 10, key="fund_total", dec=0, unit="分", scale=1.0),
            L("t11", t, "score", score, key="fund_total", dec=0, unit="分", scale=1.0)]


CASES: list[Case] = [
    # IT022: 1.976 / 86.031 = 2.2968% (printed 2.3 ✓) but 得分 8 of 10 (linear 0.23) -> score finding
    # severity: 7.77 / 8 = 97 % -> high
    Case("IT022", "fires-score", frames(_self_eval(0, 2.3, 8)), 1, kind="score_sum_mismatch", expected="0.23分", severity="high"),
    # 39.41 / 86.031 = 45.81% printed 89.5% -> rate finding (score 5 ≈ linear 4.58: quiet)
    # severity: 43.69 / 89.5 = 49 % -> high
    Case("IT022", "fires-rate", frames(_self_eval(0, 89.5, 5, executed=39.41)), 1, kind="wrong_percentage",
         expected="45.81%", severity="high"),
    Case("IT022", "quiet", frames(_self_eval(0, 2.3, 0)), 0),
]
