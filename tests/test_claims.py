"""Golden tests of the claims layer: numbers, clauses, every form of the grammar, resolution and abstention.

The sentences are written for these tests around figures of the kind real 情况说明 print; every expected
operand is read off the sentence by hand.
"""

from __future__ import annotations

import polars as pl
import pytest

from tests.checks.builders import I3, L, P, frames, with_passages
from toolkit.checks.text_ratios import claim_verdicts, claims_coverage
from toolkit.claims.frame import CLAIMS, claims_of
from toolkit.claims.grammar import Claim, parse_passage
from toolkit.claims.numbers import numbers
from toolkit.claims.resolve import names_match
from toolkit.claims.segment import clauses, sentences, subclauses


def _claims(text: str, kind: str) -> list[Claim]:
    return [c for c in parse_passage(text)[0] if c.kind == kind]


def _raw(c: Claim, role: str) -> str | None:
    o = c.get(role)
    return o.num.raw if o is not None and o.num is not None else None


# ---------------------------------------------------------------------------------------- numbers


def test_numbers_read_units_scales_and_skip_dates():
    ns = numbers("2023年1-11月支出1,015,954.00元，减少399.09万，占97.66%，提高1.5个百分点，覆盖66.09万人，4.5万余份")
    assert [(n.raw, n.base_unit, n.scale, n.decimals) for n in ns] == [
        ("1,015,954.00元", "元", 1.0, 2), ("399.09万", "元", 1e4, 2), ("97.66%", "%", 1.0, 2),
        ("1.5个百分点", "pp", 1.0, 1), ("66.09万人", "人", 1e4, 2)]
    assert numbers("截止2021年11月30日") == []


def test_sentences_clauses_and_subclauses_keep_spans():
    text = "总支出1,384.75万元，其中工资656.63万元；商品673.73万元。下一句"
    s = sentences(text)
    assert [x.text for x in s] == ["总支出1,384.75万元，其中工资656.63万元；商品673.73万元", "下一句"]
    c = clauses(s[0])
    assert [x.text for x in c] == ["总支出1,384.75万元，其中工资656.63万元", "商品673.73万元"]
    sub = subclauses(c[0])
    assert [x.text for x in sub] == ["总支出1,384.75万元", "其中工资656.63万元"]  # 1,384 is no clause break
    assert text[sub[1].start:sub[1].end] == sub[1].text


# ----------------------------------------------------------------------------------------- change


def test_change_new_delta_rate_with_subject_carried_from_previous_sentence():
    (c,) = _claims("2023年度总收入362.62万元。与上年相比，减少408.65万元，减少52.98%。", "change")
    assert (_raw(c, "new"), _raw(c, "delta"), _raw(c, "rate"), c.direction) == ("362.62万元", "408.65万元", "52.98%",
                                                                               "decrease")
    assert c.get("new").resolved_by == "paragraph" and not c.missing


def test_change_two_years_and_a_rate():
    (c,) = _claims("2022年执行数为156.34万元，2023年安排183.95万元，比2022年增加17.66%。", "change")
    assert (_raw(c, "old"), _raw(c, "new"), _raw(c, "delta"), _raw(c, "rate")) == ("156.34万元", "183.95万元", None,
                                                                                  "17.66%")


@pytest.mark.parametrize("verb,direction", [("增收", "increase"), ("减收", "decrease"), ("多支", "increase"),
                                            ("少支", "decrease")])
def test_rate_before_amount_and_fiscal_verbs(verb, direction):
    (c,) = _claims(f"本年基金收入2150.40万元，同比增长5.50%，{verb}112.10万元。", "change")
    assert (_raw(c, "rate"), _raw(c, "delta")) == ("5.50%", "112.10万元")
    assert c.direction == direction


def test_respective_lists_pair_by_position():
    cs = _claims("收入、支出总计各是362.62万元、350.00万元，各下降52.98%、10.00%，各减少408.65万元、38.89万元。", "change")
    assert [(_raw(c, "new"), _raw(c, "rate"), _raw(c, "delta")) for c in cs] == [
        ("362.62万元", "52.98%", "408.65万元"), ("350.00万元", "10.00%", "38.89万元")]


def test_change_of_another_subject_is_not_merged():
    # “压减10%，专项增加200万元”: the 200 is 专项's change, not the rate's
    cs = _claims("项目经费6459.58万元，统一压减10%，专项增加200万元。", "change")
    assert [(_raw(c, "rate"), _raw(c, "delta")) for c in cs] == [("10%", None), (None, "200万元")]


def test_reasons_after_the_verb_are_not_changes_of_the_figure_before():
    (c,) = _claims("支出合计362.62万元，主要是因为减少卫生健康支出423.62万元。", "change")
    assert _raw(c, "new") is None and c.missing


# ------------------------------------------------------------------------------ share, completion


def test_unnamed_share_takes_the_whole_of_its_partition():
    cs = _claims("本年总支出为1384.75万元，其中工资福利支出656.63万元，占比47.42%。", "share")
    assert [(_raw(c, "part"), _raw(c, "whole"), c.get("whole").resolved_by) for c in cs] == [
        ("656.63万元", "1384.75万元", "partition")]


def test_share_named_whole_resolved_from_the_paragraph():
    fr = with_passages(frames(), [P("2023年度财政拨款基本支出122.83万元。人员经费104.09万元，占基本支出的84.74%。")])
    claims, _ = claims_of(fr)
    share = claims.filter(pl.col("kind") == "share").row(0, named=True)
    whole = next(o for o in share["operands"] if o["role"] == "whole")
    assert (whole["raw"], whole["resolved_by"]) == ("122.83万元", "paragraph") and share["missing"] is None


def test_share_whole_resolved_from_another_passage_and_from_tables():
    fr = with_passages(frames(), [P("财政拨款基本支出122.83万元。", pid="a", order=0),
                                  P("人员经费104.09万元，占基本支出的84.74%。", pid="b", order=1)])
    share = claims_of(fr)[0].filter(pl.col("kind") == "share").row(0, named=True)
    whole = next(o for o in share["operands"] if o["role"] == "whole")
    assert (whole["resolved_by"], whole["passage_id"]) == ("document", "a")
    fr = with_passages(frames([L("t01", I3, "final", 380.00, key="expense_total", section="expense")]),
                       [P("一般公共预算财政拨款支出362.62万元，占本年支出合计的95.43%。")])
    (v,) = [v for v in claim_verdicts(fr) if v["kind"] == "share"]
    assert v["ops"]["whole"].resolved_by == "table" and v["verdict"].status == "passed"


def test_ambiguous_whole_is_not_guessed():
    fr = with_passages(frames(), [P("一般公共预算支出300.00万元。调整后一般公共预算支出320.00万元。"
                                    "人员经费100.00万元，占一般公共预算支出的50.00%。")])
    (v,) = [v for v in claim_verdicts(fr) if v["kind"] == "share"]
    assert v["verdict"].status == "skipped" and "ambiguous" in v["verdict"].reason


def test_completion_forms_and_the_adjusted_budget_is_no_share():
    (c,) = _claims("“三公”经费支出预算为2.85万元，支出决算为0.39万元，完成预算的13.68%。", "completion")
    assert (_raw(c, "budget"), _raw(c, "actual")) == ("2.85万元", "0.39万元")
    text = "调整预算为500.00万元，实际支出450.00万元，占调整预算的90.00%。"
    assert _claims(text, "share") == [] and len(_claims(text, "completion")) == 1
    (c,) = _claims("全年指标为1384.75万元，指标实际执行1384.70万元，预算执行率为99.99%。", "completion")
    assert (_raw(c, "budget"), _raw(c, "actual")) == ("1384.75万元", "1384.70万元")


# ------------------------------------------------------------------ partition, comparison, product


@pytest.mark.parametrize("marker", ["其中", "包括", "主要用于"])
def test_partition_markers(marker):
    (c,) = _claims(f"基金支出46866.29万元，{marker}住院补偿34208.61万元，门诊补偿4335.98万元。", "partition")
    assert _raw(c, "whole") == "46866.29万元" and [p.num.raw for p in c.parts()] == ["34208.61万元", "4335.98万元"]


def test_partition_list_ends_at_a_new_topic():
    (c,) = _claims("基金收入13129万元，其中统筹基金7972万元；截止2021年11月30日，居民医保已到位58548.19万元。", "partition")
    assert [p.num.raw for p in c.parts()] == ["7972万元"]


def test_comparison_of_figures_and_of_names():
    (c,) = _claims("比重40.65%，大于28%的标准值。", "comparison")
    assert (_raw(c, "a"), _raw(c, "b"), c.relation) == ("40.65%", "28%", ">")
    (c,) = _claims("年初预算为15.24万元，支出决算为12.24万元，决算数未达到年初预算数。", "comparison")
    assert (_raw(c, "a"), _raw(c, "b"), c.relation) == ("12.24万元", "15.24万元", "<")
    assert _claims("个人自付超过7200元以上157人次。", "comparison") == []


def test_product():
    (c,) = _claims("资助参保19400人，每人补助320元，共计620.80万元。", "product")
    assert (_raw(c, "count"), _raw(c, "per_unit"), _raw(c, "total")) == ("19400人", "320元", "620.80万元")


# ------------------------------------------------------------------------ units, verdicts, coverage


def test_unit_slip_inside_a_sentence_is_reported_as_a_slip():
    fr = with_passages(frames(), [P("本年总支出1384.75元，其中工资福利支出656.63万元，商品和服务支出673.73万元。")])
    (v,) = [v for v in claim_verdicts(fr) if v["kind"] == "partition"]
    assert v["code"] == "IT076" and [op.raw for op in v["slip"]] == ["1384.75元"]


def test_names_match():
    assert names_match("基本支出", "财政拨款基本支出")
    assert names_match("基金收入", "筹集医保基金")
    assert names_match("本年支出合计", "支出合计")
    assert not names_match("本年支出合计", "一般公共预算财政拨款支出")
    assert not names_match("基本支出", "项目支出")


def test_claims_frame_schema_and_coverage():
    text = "2023年度总收入362.62万元。与上年相比，减少408.65万元，减少52.98%。另有说明：捐赠100.00万元。"
    fr = with_passages(frames(), [P(text)])
    claims, nums = claims_of(fr)
    assert claims.schema == pl.Schema(CLAIMS)
    change = claims.filter(pl.col("kind") == "change").row(0, named=True)
    assert text[change["span_start"]:change["span_end"]] == change["sentence"]
    cov = claims_coverage(fr).row(0, named=True)
    # four figures; 362.62, 408.65 and 52.98% took part in the change check, 100.00 in none
    assert (cov["text_numbers"], cov["numbers_checked"]) == (4, 3)
    assert cov["share_checked"] == pytest.approx(0.75)


def test_a_list_over_lines_with_a_fund_name_holding_gong():
    # 一般公共预算 holds 共 but restates no total; the list goes on over the line breaks after ： and ；
    text = "本年收入预算合计 9,146.79万元,其中:\n一般公共预算收入 9,066.79万元,占 99.13%;\n其他资金 80万元,占 0.87%。"
    (c,) = _claims(text, "partition")
    assert [p.num.raw for p in c.parts()] == ["9,066.79万元", "80万元"] and c.relation == "="
    assert [_raw(s, "whole") for s in _claims(text, "share")] == ["9,146.79万元", "9,146.79万元"]


def test_a_sentence_opening_with_qizhong_lists_the_parts_of_the_one_amount_before():
    (c,) = _claims("基本支出5377.64万元。其中：人员经费4896.98万元，公用经费480.66万元。", "partition")
    assert (_raw(c, "whole"), c.get("whole").resolved_by) == ("5377.64万元", "paragraph")
    # with two amounts before, which is the whole would be a guess: no claim
    assert _claims("资本性支出38.75万元，对个人补助15.63万元。其中三公经费支出10万元。", "partition") == []
