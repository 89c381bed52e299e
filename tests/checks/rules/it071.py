"""Fire / quiet cases of IT071 (share claims); expected values worked out by hand beside each case."""

from __future__ import annotations

from tests.checks.builders import I3, L, P, frames, with_passages
from tests.checks.case import Case


def _text(text: str, line_items: list[dict] = ()) -> dict:
    return with_passages(frames(list(line_items)), [P(text, role="statement")])


_TOTAL_380 = [L("t01", I3, "final", 380.00, key="expense_total", section="expense")]

CASES: list[Case] = [
    # the whole of the 其中 list: 656.63 ÷ 1384.75 = 47.418 %, 673.73 ÷ 1384.75 = 48.653 %
    Case("IT071", "quiet-partition-whole", _text(
        "本年总支出为1384.75万元，其中工资福利支出656.63万元，占比47.42%；商品和服务支出673.73万元，占比48.65%。"), 0),
    # 57.42 % fires: 10.00 / 57.42 = 17 % -> high
    Case("IT071", "fires-partition-whole", _text(
        "本年总支出为1384.75万元，其中工资福利支出656.63万元，占比57.42%；商品和服务支出673.73万元，占比48.65%。"), 1,
         expected="47.42%", actual="57.42%", kind="wrong_percentage", severity="high"),
    # the whole named after 占 and stated in the paragraph's previous sentence: 104.09 ÷ 122.83 = 84.743 %
    Case("IT071", "quiet-named-whole-in-paragraph", _text("2023年度财政拨款基本支出122.83万元。人员经费104.09万元，占基本支出的84.74%。"), 0),
    Case("IT071", "fires-named-whole-in-paragraph", _text("2023年度财政拨款基本支出122.83万元。人员经费104.09万元，占基本支出的94.74%。"), 1,
         expected="84.74%", severity="high"),
    # a share of a change: 399.09 ÷ 408.65 = 97.661 %
    Case("IT071", "quiet-share-of-change", _text("与上年相比减少408.65万元，其中财政拨款收入减少399.09万元，占比97.66%。"), 0),
    # the whole named twice with different amounts in the paragraph: ambiguous, not checked
    Case("IT071", "quiet-ambiguous-whole", _text(
        "一般公共预算支出300.00万元。调整后一般公共预算支出320.00万元。人员经费100.00万元，占一般公共预算支出的50.00%。"), 0),
    # the whole from the tables (收入支出决算总表 支出总计 380.00): 362.62 ÷ 380.00 = 95.426 %, stated 100 %
    # (4.57 / 100 = 4.6 % -> medium); quiet when the text says 95.43 %
    Case("IT071", "fires-whole-from-table", _text("一般公共预算财政拨款支出362.62万元，占本年支出合计的100%。", _TOTAL_380), 1,
         expected="95.43%", severity="medium"),
    # the table total found equals the part (17981.68 ÷ 17981.68 = 100 %, stated 99.92 % of the all-funds total
    # 17996.68 printed elsewhere): that table figure is not the whole the text means, not checked
    Case("IT071", "quiet-table-whole-is-the-part", _text("财政拨款预算支出380.00万元，占本年支出合计的99.92%。", _TOTAL_380), 0),
    Case("IT071", "quiet-whole-from-table", _text("一般公共预算财政拨款支出362.62万元，占本年支出合计的95.43%。", _TOTAL_380), 0),
    # 占调整预算的…% is a completion rate, never a share (IT072 reads it)
    Case("IT071", "quiet-completion-not-share", _text("调整预算为500.00万元，实际支出450.00万元，占调整预算的80.00%。"), 0),
]
