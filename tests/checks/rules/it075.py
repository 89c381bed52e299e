"""Fire / quiet cases of IT075 (product claims); expected values worked out by hand beside each case."""

from __future__ import annotations

from tests.checks.builders import P, frames, with_passages
from tests.checks.case import Case


def _text(text: str) -> dict:
    return with_passages(frames(), [P(text, role="goal_actual")])


CASES: list[Case] = [
    # 19400 × 320 = 6,208,000 元 = 620.80万元
    Case("IT075", "quiet", _text("资助参保19400人，每人补助320元，共计620.80万元。"), 0),
    # 602.80 against 620.80 (18.00 / 620.80 = 2.9 % -> medium)
    Case("IT075", "fires", _text("资助参保19400人，每人补助320元，共计602.80万元。"), 1,
         expected="620.80万元", actual="602.80万元", kind="product_mismatch", severity="medium"),
    # no total: a per-unit amount alone states no product
    Case("IT075", "quiet-no-total", _text("资助参保19400人，每人补助320元。"), 0),
]
