"""Fire / quiet cases of DP001; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.case import Case
from tests.checks.peer_corpus import amounts_corpus


def _benford(n: int, offset: int) -> list[str]:
    # the quantiles 10**(3 + (i + ½)/n) of a log-uniform magnitude: their first two digits follow Benford's
    # proportions to within 1/n each, so the MAD is below 1/n ≈ 0.0003 (close conformity)
    return [f"{10 ** (3 + (i + 0.5) / n) + offset * 0.01:.2f}" for i in range(n)]


def _uniform(n: int, offset: int) -> list[str]:
    # first two digits cycling 10, 11, … 99 (3 or 4 of each in 320), against Benford's 4.1 % for 10 and 0.44 %
    # for 99: exactly even counts give MAD = mean |1/90 − log10(1 + 1/d)| = 0.0060, far above 0.0022
    # (nonconformity), and 3-or-4 counts stay near it; distinct amounts (.37 tail)
    return [f"{(10 + i % 90) * 100 + (i // 90) * 10 + offset}.37" for i in range(n)]


CASES: list[Case] = [
    # ten bureaus × 320 distinct amounts = 3,200 ≥ the 1,000 guard, uniform first two digits: MAD ≈ 0.006, above
    # 0.0022 and above 1.8 × the 0.0014 chance gives at N 3,200: one pooled finding
    Case("DP001", "fires", amounts_corpus([_uniform(320, b) for b in range(10)]), 1,
         kind="first_digits_nonconforming", contains=["N=3200", "不符合"], severity="low"),
    Case("DP001", "quiet-benford", amounts_corpus([_benford(320, b) for b in range(10)]), 0),
    # the same uniform digits but only 3 × 320 = 960 amounts: below the 1,000 guard (coverage: skipped)
    Case("DP001", "quiet-small-sample", amounts_corpus([_uniform(320, b) for b in range(3)]), 0),
]
