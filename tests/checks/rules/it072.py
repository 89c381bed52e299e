"""Fire / quiet cases of IT072 (completion claims); expected values worked out by hand beside each case."""

from __future__ import annotations

from tests.checks.builders import P, frames, with_passages
from tests.checks.case import Case


def _text(text: str) -> dict:
    return with_passages(frames(), [P(text, role="statement")])


CASES: list[Case] = [
    # 488.18 ÷ 490.06 = 99.6164 %: printed 99.62 % (rounded) and 99.61 % (truncated) are both right
    Case("IT072", "quiet-rounded", _text("年初预算数为490.06万元，支出决算数为488.18万元，完成年初预算的99.62%。"), 0),
    Case("IT072", "quiet-truncated", _text("年初预算数为490.06万元，支出决算数为488.18万元，完成年初预算的99.61%。"), 0),
    # 96.62 % fires: 3.00 / 99.62 = 3.0 % -> medium
    Case("IT072", "fires", _text("年初预算数为490.06万元，支出决算数为488.18万元，完成年初预算的96.62%。"), 1,
         expected="99.62%", actual="96.62%", kind="wrong_percentage", severity="medium"),
    # 99.60 % is outside [99.614, 99.618] but within twice the rounding envelope: a finding at info only
    Case("IT072", "near-rounding-is-info", _text("年初预算数为490.06万元，支出决算数为488.18万元，完成年初预算的99.60%。"), 1,
         expected="99.62%", severity="info"),
    # 占调整预算的…%: 450 ÷ 500 = 90 %; 80.00 % fires (10 / 90 = 11 % -> high)
    Case("IT072", "quiet-adjusted-budget", _text("调整预算为500.00万元，实际支出450.00万元，占调整预算的90.00%。"), 0),
    Case("IT072", "fires-adjusted-budget", _text("调整预算为500.00万元，实际支出450.00万元，占调整预算的80.00%。"), 1,
         expected="90.00%", severity="high"),
    # budget and actual in either order: 0.89 ÷ 2 = 44.5 % (2 printed without decimals: [1.5, 2.5] -> 35.6–59.7 %)
    Case("IT072", "quiet-actual-first", _text("支出决算为0.89万元，支出预算为2万元，完成预算的44.5%。"), 0),
    # the second rate's clause has an actual and no budget of its own: not checked
    Case("IT072", "quiet-own-clause", _text("预算2.85万元，决算0.39万元，完成13.68%，其中：出国费决算0.00万元，完成0.00%。"), 0),
]

CASES += [
    # the rate opens its sentence: 0.88 ÷ 0.88 = 100 % from the sentence before
    Case("IT072", "quiet-sentence-before", _text("年初预算为0.88万元，支出决算为0.88万元。完成年初预算的100.00%。"), 0),
    # 0.66 ÷ 0.88 = 75 %, not 100 %; shown is the middle of [0.655 ÷ 0.885, 0.665 ÷ 0.875] = [74.01, 76.00] %
    Case("IT072", "fires-sentence-before", _text("年初预算为0.88万元，支出决算为0.66万元。完成年初预算的100.00%。"), 1,
         expected="75.01%", actual="100.00%", severity="high"),
]
