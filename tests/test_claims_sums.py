"""Golden tests of the sums a sentence states without 其中: reasons of a change and a budget with its adjustments.

Sentences are written for these tests around figures of the kind a 决算 情况说明 prints; the expected sums are
worked out by hand beside each test.
"""

from __future__ import annotations

from tests.checks.builders import P, frames, with_passages
from toolkit.checks.text_ratios import claim_verdicts
from toolkit.claims.grammar import Claim, parse_passage


def _sums(text: str, form: str) -> list[Claim]:
    return [c for c in parse_passage(text)[0] if c.kind == "partition" and c.form == form]


def _roles(c: Claim) -> list[tuple[str, str]]:
    return [(o.role, o.num.raw) for o in c.operands if o.num is not None]


def _verdicts(text: str, form: str) -> list[str]:
    rows = claim_verdicts(with_passages(frames(), [P(text)]))
    return [r["verdict"].status for r in rows if r["kind"] == "partition" and r["form"] == form]


# 423.62 + 9.56 + 3.23 + 3 − 15.63 − 15.13 = 408.65
_REASONS = ("本年支出合计362.62万元，比上年减少{}万元，主要原因是：压减卫生健康支出423.62万元、其他支出9.56万元、"
            "一般公共服务支出3.23万元、农林水支出3万元；增加社会保障和就业支出15.63万元、住房保障支出15.13万元。")


def test_netted_reasons_add_up_to_the_change():
    (c,) = _sums(_REASONS.format("408.65"), "原因")
    assert _roles(c) == [("whole", "408.65万元"), ("part", "423.62万元"), ("part", "9.56万元"), ("part", "3.23万元"),
                         ("part", "3万元"), ("part_minus", "15.63万元"), ("part_minus", "15.13万元")]
    assert c.relation == "=" and not c.missing
    assert _verdicts(_REASONS.format("408.65"), "原因") == ["passed"]


def test_netted_reasons_that_miss_the_change_fail():
    # the same reasons net 408.65, not 418.65
    assert _verdicts(_REASONS.format("418.65"), "原因") == ["failed"]


def test_reasons_in_the_sentence_after_the_change():
    text = "财政拨款收入比上年减少408.65万元。主要是因为减少卫生健康收入423.62万元、其他收入9.56万元、一般公共服务收入3.23万元、" \
           "农林水收入3万元，增加社会保障和就业收入15.63万元、住房保障收入15.13万元。"
    (c,) = _sums(text, "原因")
    assert c.operands[0].resolved_by == "paragraph" and c.operands[0].num.raw == "408.65万元"
    assert _verdicts(text, "原因") == ["passed"]


def test_reasons_of_one_direction_state_no_sum():
    # the main items only: offsets may be unsaid, so 423.62 + 9.56 > 408.65 is no error and no claim
    assert _sums("支出比上年减少408.65万元，主要是因为减少卫生健康支出423.62万元、其他支出9.56万元。", "原因") == []


def test_reasons_without_a_direction_word_or_with_a_rate_abstain():
    assert _sums("支出比上年减少408.65万元，主要是因为卫生健康支出423.62万元、增加住房保障支出15.13万元。", "原因") == []
    assert _sums("支出比上年减少408.65万元，主要是因为减少卫生健康支出423.62万元、下降12%，增加住房保障支出15.13万元。",
                 "原因") == []
    assert _sums("支出比上年减少408.65万元，主要是因为卫生健康支出减少到23.62万元，增加住房保障支出15.13万元。", "原因") == []


def test_reasons_need_a_change_amount():
    # a change stated only as a rate has no amount the reasons could add up to
    assert _sums("支出比上年下降52.98%，主要是因为减少卫生健康支出423.62万元，增加住房保障支出15.13万元。", "原因") == []


# 140.07 + 99.72 = 239.79
def test_budget_and_its_adjustments_in_any_order():
    text = "项目支出全年预算数239.79万元，年初预算数为140.07万元，年中追加预算99.72万元。"
    (c,) = _sums(text, "年初+调整")
    assert _roles(c) == [("whole", "239.79万元"), ("part", "140.07万元"), ("part", "99.72万元")]
    assert _verdicts(text, "年初+调整") == ["passed"]
    assert _verdicts(text.replace("99.72", "89.72"), "年初+调整") == ["failed"]


def test_budget_cut_counts_against_the_initial_budget():
    # 250.00 − 10.21 = 239.79
    text = "年初预算250.00万元，年中调减10.21万元，调整后预算239.79万元。"
    (c,) = _sums(text, "年初+调整")
    assert [o.role for o in c.operands] == ["whole", "part", "part_minus"]
    assert _verdicts(text, "年初+调整") == ["passed"]


def test_budget_sum_abstains_without_a_total_or_with_two_of_a_kind():
    assert _sums("年初预算数为140.07万元，年中追加预算99.72万元，决算数239.79万元。", "年初+调整") == []
    assert _sums("基本支出年初预算100.00万元，项目支出年初预算40.07万元，追加99.72万元，全年预算239.79万元。",
                 "年初+调整") == []
    # the adjustment in another clause (；) is not assumed to be of the same budget
    assert _sums("年初预算数为140.07万元；项目追加99.72万元，全年预算数239.79万元。", "年初+调整") == []


# ------------------------------------------------------------------ the sentence before, and 从无到有


def _statuses(text: str, kind: str) -> list[str]:
    rows = claim_verdicts(with_passages(frames(), [P(text)]))
    return [r["verdict"].status for r in rows if r["kind"] == kind]


def test_named_comparison_reads_the_two_figures_of_the_sentence_before():
    # 1511.89 < 1560.05: the 小于 holds; stated 大于 it fails
    text = "年初预算为1560.05万元，支出决算为1511.89万元。决算数{}预算数的主要原因：人员退休。"
    (c,) = [c for c in parse_passage(text.format("小于"))[0] if c.kind == "comparison"]
    assert [(o.role, o.num.raw, o.resolved_by) for o in c.operands] == [
        ("a", "1511.89万元", "paragraph"), ("b", "1560.05万元", "paragraph")]
    assert _statuses(text.format("小于"), "comparison") == ["passed"]
    assert _statuses(text.format("大于"), "comparison") == ["failed"]


def test_level_with_and_basically_level():
    assert _statuses("全年预算为202.24万元，支出决算为202.24万元。决算数与全年预算数持平。", "comparison") == ["passed"]
    assert _statuses("全年预算为202.24万元，支出决算为200.24万元。决算数与全年预算数持平。", "comparison") == ["failed"]
    # 基本持平: 200.24 is within a twentieth of 202.24 (2.00 / 202.24 = 1 %); 150.00 is not (26 %)
    assert _statuses("全年预算为202.24万元，支出决算为200.24万元。决算数与预算数基本持平。", "comparison") == ["passed"]
    assert _statuses("全年预算为202.24万元，支出决算为150.00万元。决算数与预算数基本持平。", "comparison") == ["failed"]


def test_comparison_before_abstains_when_a_name_has_two_figures_or_the_sentence_prints_money():
    text = "公务接待费决算为0.39万元，公务用车决算为0.00万元，预算为2.85万元。决算数小于预算数。"
    assert _statuses(text, "comparison") == ["skipped"]
    # a sentence with its own money figures does not reach back
    assert _statuses("年初预算为10.00万元，支出决算为9.00万元。另支出3.00万元，决算数小于预算数。", "comparison") == ["skipped"]
    # 与上年持平 is no comparison of two named figures
    assert _statuses("因公出国（境）费支出0.00万元，与上年度持平。", "comparison") == []


def test_completion_opening_a_sentence_takes_the_budget_and_actual_before():
    # 0.88 ÷ 0.88 = 100 %
    assert _statuses("年初预算为0.88万元，支出决算为0.88万元。完成年初预算的100.00%。", "completion") == ["passed"]
    assert _statuses("年初预算为0.88万元，支出决算为0.44万元。完成年初预算的100.00%。", "completion") == ["failed"]
    # three figures before: which is the actual is a guess
    assert _statuses("年初预算为0.88万元，支出决算为0.88万元，上年决算0.50万元。完成年初预算的100.00%。",
                     "completion") == ["skipped"]


def test_increase_from_nothing_is_stated_as_one_hundred_percent():
    # 307.82 − 307.82 = 0 last year: 增长100% by convention, 增长50% is wrong under any reading
    text = "机关运行经费支出307.82万元，比2023年度增加307.82万元，增长{}。"
    assert _statuses(text.format("100.00%"), "change") == ["passed"]
    assert _statuses(text.format("50.00%"), "change") == ["failed"]
    # an increase of nothing from nothing states no rate to check
    assert _statuses("机关运行经费支出0.00万元，比2023年度增加0.00万元，增长0%。", "change") == ["skipped"]


def test_reasons_after_a_sentence_with_parts_explain_its_whole():
    # the 其中 parts 399.09 and 9.56 are not what the reasons add up to: 423.62 + 9.56 − 15.13 − 9.40 = 408.65
    text = ("与上年相比，减少408.65万元，其中财政拨款收入减少399.09万元；政府性基金收入减少9.56万元。"
            "主要是因为减少卫生健康收入423.62万元、其他收入9.56万元，增加住房保障收入15.13万元、农林水收入9.40万元。")
    (c,) = _sums(text, "原因")
    assert c.operands[0].num.raw == "408.65万元"
    assert _verdicts(text, "原因") == ["passed"]
    # two changes outside a list in the sentence before: which the reasons explain is a guess
    two = "收入减少408.65万元，支出减少399.09万元。主要是因为减少卫生健康支出423.62万元，增加住房保障支出15.13万元。"
    assert _sums(two, "原因") == []
