"""Copy-paste checks: distinctive targets, the copier's direction, years and placeholders."""

from __future__ import annotations

from tests.checks.builders import P, frames, with_passages
from tests.checks.rules.cp003 import COPIED, paragraph_case
from toolkit.checks.rules.cp001 import distinctive
from toolkit.checks.rules.cp003 import ParagraphCopiedAcrossBureaus
from toolkit.checks.rules.cp004 import StaleYearText
from toolkit.checks.rules.cp005 import TemplateResidue


def test_distinctive_targets():
    assert distinctive("≥16129") and distinctive("≤179.83万元")
    assert not distinctive("≥95%") and not distinctive("2023年12月31日前") and not distinctive("≥1000")
    assert not distinctive("收支平衡")


def test_copier_is_the_document_naming_the_other_place():
    r = ParagraphCopiedAcrossBureaus().run(paragraph_case(COPIED))
    assert r.hits["document_id"].to_list() == ["d1"]
    assert r.hits["severity"].to_list() == ["high"]


def test_without_a_place_name_the_later_year_is_the_copier():
    text = "组织开展医保政策宣传进村入户活动34场次，发放宣传资料2514份，群众政策知晓率明显提升；受理并办结群众诉求57件。"
    fr = paragraph_case(text)
    fr["passages"] = fr["passages"].with_columns(text=fr["passages"]["text"].str.replace("芙蓉区", ""))
    fr["documents"] = fr["documents"].with_columns(
        fiscal_year=fr["documents"]["document_id"].replace_strict({"d1": 2023, "d2": 2022}, return_dtype=int))
    r = ParagraphCopiedAcrossBureaus().run(fr)
    assert r.hits["document_id"].to_list() == ["d1"] and r.hits["severity"].to_list() == ["medium"]


def test_stale_year_ignores_comparisons_ranges_and_titles():
    quiet = ["与2021年相比，支出增加5.2万元。", "2021—2023年累计追回基金100万元。", "根据《2021年医疗保障工作要点》开展工作。",
             "2021年以来共检查定点医药机构300家次。", "2022年度收入总计1633.52万元。"]
    for text in quiet:
        assert StaleYearText().run(with_passages(frames(), [P(text)])).hits.height == 0, text
    loud = StaleYearText().run(with_passages(frames(), [P("截至2021年底，全县参保人数达到92万人。")]))
    assert loud.hits["actual"].to_list() == ["2021年"]


def test_placeholders_in_headings_and_cells():
    fr = with_passages(frames(), [P("正文。", heading="三、部门整体支出绩效情况（200字以内）")])
    assert TemplateResidue().run(fr).hits["actual"].to_list() == ["（200字以内）"]
    assert TemplateResidue().run(with_passages(frames(), [P("XX县医疗保障局2023年度部门决算")])).hits.height == 1
    # Latin words and masked names are not placeholders
    assert TemplateResidue().run(with_passages(frames(), [P("推进DRG/DIP支付方式改革，XXL号病号服。李××同志。")])).hits.height == 0
