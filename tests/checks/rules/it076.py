"""Fire / quiet cases of IT076 (a claim that holds once one amount's unit is read the other way)."""

from __future__ import annotations

from tests.checks.builders import P, frames, with_passages
from tests.checks.case import Case


def _text(text: str) -> dict:
    return with_passages(frames(), [P(text, role="statement")])


CASES: list[Case] = [
    # 408.65 ÷ (362.62 + 408.65) = 52.98 % holds with 362.62万元, not with 362.62元
    Case("IT076", "fires-change", _text("2023年度总收入362.62元。与上年相比，减少408.65万元，减少52.98%。"), 1,
         kind="unit_slip", contains=["362.62元", "万元"], severity="high"),
    Case("IT076", "quiet-change", _text("2023年度总收入362.62万元。与上年相比，减少408.65万元，减少52.98%。"), 0),
    # “X元，其中A万元、B万元”: 656.63 + 673.73 = 1330.36 ≤ 1384.75 once the whole is 万元
    Case("IT076", "fires-partition", _text("本年总支出1384.75元，其中工资福利支出656.63万元，商品和服务支出673.73万元。"), 1,
         contains=["1384.75元"], severity="high"),
    # a share wrong for other reasons too is no unit slip: IT071 reports it, IT076 stays quiet
    Case("IT076", "quiet-not-fixed-by-a-flip", _text("基本支出122.83万元，其中人员经费104.09元，占比50.00%。"), 0),
    # a 其中 list that holds as printed only because the whole is 万元: 585,654.00 + 424,276.00 + 6,024.00 =
    # 1,015,954.00元, the whole's digits exactly, read in 元
    Case("IT076", "fires-whole-in-the-other-unit", _text(
        "区医保局支各街道（镇）城乡居民参保筹资经费1,015,954.00万元，其中街道585,654.00元、镇424,276.00元、学校6,024.00元。"), 1,
         kind="unit_slip", expected="= 1015954.00元", contains=["1,015,954.00万元 读作元"], severity="high"),
    # 101.60万元 = 1,016,000元 holds the same parts (1,015,954.00元) with no digit in common: a whole in 万元
    Case("IT076", "quiet-whole-in-wan-parts-in-yuan", _text(
        "区医保局支各街道（镇）城乡居民参保筹资经费101.60万元，其中街道585,654.00元、镇424,276.00元、学校6,024.00元。"), 0),
    Case("IT076", "quiet-whole-and-parts-in-yuan", _text(
        "区医保局支各街道（镇）城乡居民参保筹资经费1,015,954.00元，其中街道585,654.00元、镇424,276.00元、学校6,024.00元。"), 0),
]
