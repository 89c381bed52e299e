"""Fire / quiet cases of IT070 (change claims); expected values worked out by hand beside each case."""

from __future__ import annotations

from tests.checks.builders import P, frames, with_passages
from tests.checks.case import Case


def _text(*sentences: str) -> dict:
    return with_passages(frames(), [P("".join(sentences), role="statement")])


CASES: list[Case] = [
    # new + change + rate, the rate's amount in the previous sentence (paragraph subject):
    # 408.65 ÷ (362.62 + 408.65 = 771.27) = 52.984 % -> 52.98 % quiet, 53.98 % fires (1.00 / 53.98 = 1.9 % -> medium)
    Case("IT070", "quiet-new-change-rate", _text("2023年度总支出362.62万元。与上年相比，减少408.65万元，减少52.98%。"), 0),
    Case("IT070", "fires-new-change-rate", _text("2023年度总支出362.62万元。与上年相比，减少408.65万元，减少53.98%。"), 1,
         expected="52.98%", actual="53.98%", kind="wrong_growth_rate", severity="medium"),
    # rate before the amount: old = 2150.40 − 112.10 = 2038.30; 112.10 ÷ 2038.30 = 5.4997 % -> 5.50 % quiet;
    # 6.50 % fires: 1.00 / 6.50 = 15 % -> high
    Case("IT070", "quiet-rate-before-amount", _text("本年基金收入2150.40万元，同比增长5.50%，增收112.10万元。"), 0),
    Case("IT070", "fires-rate-before-amount", _text("本年基金收入2150.40万元，同比增长6.50%，增收112.10万元。"), 1,
         expected="5.50%", severity="high"),
    # two years' amounts and a rate, no change amount: (183.95 − 156.34) ÷ 156.34 = 17.660 % quiet;
    # (91.97 − 77.99) ÷ 77.99 = 17.925 % against a stated 17.66 % fires (0.27 / 17.93 = 1.5 % -> medium)
    Case("IT070", "quiet-two-years-and-rate", _text("2022年执行数为156.34万元，2023年安排183.95万元，比2022年增加17.66%。"), 0),
    Case("IT070", "fires-two-years-and-rate", _text("2022年执行数为77.99万元，2023年安排91.97万元，比2022年增加17.66%。"), 1,
         expected="17.93%", severity="medium"),
    # the direction word contradicts the figures: 771.27 -> 362.62 is a decrease of 408.65
    Case("IT070", "fires-direction-word", _text("2022年支出771.27万元，2023年支出362.62万元，比2022年增加52.98%。"), 1,
         expected="减少 408.65万元", severity="high"),
    # the change amount and the rate carry opposite directions in one clause
    Case("IT070", "fires-opposite-directions", _text("总收入362.62万元，比上年减少408.65万元，增长52.98%。"), 1,
         severity="high"),
    # respective lists: slot 0: 408.65 ÷ 771.27 = 52.98 %; slot 1: 38.89 ÷ (350.00 + 38.89) = 10.000 %;
    # with 12.00 % in slot 1 only that claim fires (2.00 / 12.00 = 17 % -> high)
    Case("IT070", "quiet-respective", _text("收入、支出总计各是362.62万元、350.00万元，各下降52.98%、10.00%，各减少408.65万元、38.89万元。"), 0),
    Case("IT070", "fires-respective", _text("收入、支出总计各是362.62万元、350.00万元，各下降52.98%、12.00%，各减少408.65万元、38.89万元。"),
         1, expected="10.00%", severity="high"),
    # measured against the budget the sentence names (比年初预算数): 1.26 ÷ 20 = 6.3 %; 6.8 % fires (0.5 / 6.8 -> high)
    Case("IT070", "quiet-against-named-budget", _text("机关运行经费支出18.74万元，年初预算数20万元，比年初预算数减少1.26万元，降低6.3%。"), 0),
    Case("IT070", "fires-against-named-budget", _text("机关运行经费支出18.74万元，年初预算数20万元，比年初预算数减少1.26万元，降低6.8%。"), 1,
         expected="6.30%", severity="high"),
    # abstention: no amount the change is of anywhere in the paragraph -> not checked
    Case("IT070", "quiet-unresolved", _text("与上年相比，减少408.65万元，减少60.00%。"), 0),
    # a template offering both words (下降(增长)) states no direction; 0.15 ÷ 0.54 = 27.78 %
    Case("IT070", "quiet-template-direction", _text("三公经费支出0.39万元，比上年减少0.15万元，下降(增长)27.78%。"), 0),
    # a reason listed for the change (减少卫生健康支出423.62万元) is no change of the figure before it
    Case("IT070", "quiet-reasons", _text("支出合计362.62万元，主要是因为减少卫生健康支出423.62万元、增加住房保障支出15.13万元。"), 0),
]

CASES += [
    # founded this year: 10.23 − 10.23 = 0 last year, stated 增长100% by convention
    Case("IT070", "quiet-from-nothing", _text("机关运行经费支出10.23万元，比2023年度增加10.23万元，增长100.00%。"), 0),
    # from nothing no rate but 100% holds
    Case("IT070", "fires-from-nothing", _text("机关运行经费支出10.23万元，比2023年度增加10.23万元，增长50.00%。"), 1,
         expected="100%（上年数为零）", actual="50.00%", severity="high"),
]
