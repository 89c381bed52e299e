"""Golden cases of every form of stated number the claims layer reads, each with a variant that fires and
one that stays quiet, run end to end: a 情况说明 written as a text file, read by the loader and extractor,
then every check.

The sentences are written for these tests around figures real 情况说明 and fund reports print (a county's
总支出 1384.75万元 of which 工资福利 656.63 and 商品和服务 673.73; a 职工医保 fund of 6809.15 and 7183.01万元;
a 居民医保 fund spending 46866.29万元 in four parts; 14731 insured; 40.65 % against a 28 % standard).
Every expected value is worked by hand in the comment beside its case. A quiet variant must raise no text
finding at all (IT03x/IT07x, any severity).

A text amount whose table cell is printed blank is read from the ``cells`` frame, which keeps blank cells
(line items hold printed numbers only): the 政府性基金 table below is laid out as a real 公开07表 (合计 row,
本年支出 over 小计/基本支出/项目支出), its figure 9.56万元 the 政府性基金预算财政拨款 amount a real
情况说明 gives for the year before.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest

from tests.checks.builders import I3, L
from tests.helpers import extract_text_file
from toolkit import schemas
from toolkit.checks import run_checks

TEXT_CODES = r"^IT0[37]"


@dataclass(frozen=True)
class Form:
    name: str
    text: str  # paragraphs separated by "\n"
    code: str | None  # the check that must fire (None: a quiet variant)
    expected: str | None = None  # one finding of ``code`` has this expected value
    cells: tuple[dict, ...] = ()  # table cells of the document (builder rows), when the form needs a table


def _text_findings(tmp_path: Path, form: Form) -> pl.DataFrame:
    path = tmp_path / "情况说明.txt"
    path.write_text("某县医疗保障局2023年度部门决算情况说明\n" + form.text + "\n", encoding="utf-8")
    fr = extract_text_file(path)
    if form.cells:
        doc = fr["documents"]["document_id"][0]
        rows = [{**c, "document_id": doc} for c in form.cells]
        fr["line_items"] = schemas.frame(rows, schemas.LINE_ITEMS)
        fr["tables"] = schemas.frame([{"document_id": doc, "table_id": r["table_id"], "table_type": r["table_type"],
                                       "title": r["table_type"], "page": 1} for r in rows[:1]], schemas.TABLES)
    findings, coverage = run_checks(fr)
    assert coverage.filter(pl.col("status") == "error").height == 0
    return findings.filter(pl.col("check_code").str.contains(TEXT_CODES))


def _gov_fund_table(*rows: str, note: str = "") -> str:
    """A 政府性基金预算财政拨款收入支出决算表 as TAB rows, with the given body rows and a note after it."""
    head = ("政府性基金预算财政拨款收入支出决算表\n单位：万元\n"
            "项目\t\t年初结转和结余\t本年收入\t本年支出\t\t\t年末结转和结余\n"
            "科目代码\t科目名称\t\t\t小计\t基本支出\t项目支出\t\n栏次\t\t1\t2\t3\t4\t5\t6\n")
    return head + "\n".join(rows) + ("\n" + note if note else "")


GOV_FUND_SPENT = "2023年政府性基金预算财政拨款支出9.56万元，主要用于城乡医疗救助。\n"
BLANK_TOTAL = "合计\t\t\t\t\t\t\t"
EMPTY_NOTE = "说明：本单位没有政府性基金预算财政拨款收入和支出，故本表无数据。"


def _expense_total(value: float | None) -> tuple[dict, ...]:
    return (L("t01", I3, "final", value, key="expense_total", section="expense"),)


FORMS = [
    # --- two amounts and a rate, no change amount: (1278.79 − 1384.75) ÷ 1384.75 = −7.652 % -> 减少7.65 %
    Form("two-amounts-and-rate-quiet", "2022年执行数为1384.75万元，2023年安排1278.79万元，比2022年减少7.65%。", None),
    Form("two-amounts-and-rate-fires", "2022年执行数为1384.75万元，2023年安排1278.79万元，比2022年减少8.65%。", "IT070",
         "7.65%"),
    # --- the rate before the amount, four verbs (old = new ∓ delta)
    # 增收: 355.00 ÷ (6809.15 − 355.00 = 6454.15) = 5.5003 %
    Form("rate-before-zengshou-quiet", "城镇职工基金收入6809.15万元，同比增长5.50%，增收355.00万元。", None),
    Form("rate-before-zengshou-fires", "城镇职工基金收入6809.15万元，同比增长6.50%，增收355.00万元。", "IT070", "5.50%"),
    # 减收: 358.38 ÷ (6809.15 + 358.38 = 7167.53) = 5.0000 %; 385.38 ÷ 7194.53 = 5.3566 % -> 5.36 %
    Form("rate-before-jianshou-quiet", "城镇职工基金收入6809.15万元，同比下降5.00%，减收358.38万元。", None),
    Form("rate-before-jianshou-fires", "城镇职工基金收入6809.15万元，同比下降5.00%，减收385.38万元。", "IT070", "5.36%"),
    # 多支: 355.06 ÷ (7183.01 − 355.06 = 6827.95) = 5.2001 %
    Form("rate-before-duozhi-quiet", "城镇职工基金支出7183.01万元，同比增长5.20%，多支355.06万元。", None),
    Form("rate-before-duozhi-fires", "城镇职工基金支出7183.01万元，同比增长6.20%，多支355.06万元。", "IT070", "5.20%"),
    # 少支: 393.96 ÷ (7183.01 + 393.96 = 7576.97) = 5.1994 %
    Form("rate-before-shaozhi-quiet", "城镇职工基金支出7183.01万元，同比下降5.20%，少支393.96万元。", None),
    Form("rate-before-shaozhi-fires", "城镇职工基金支出7183.01万元，同比下降4.20%，少支393.96万元。", "IT070", "5.20%"),
    # --- respective lists, paired by position
    # 分别 shares: 656.63 ÷ 1384.75 = 47.418 %, 673.73 ÷ 1384.75 = 48.653 %; slot 2 printed 46.65 % fires
    Form("respective-fenbie-quiet", "本年总支出为1384.75万元。工资福利支出、商品和服务支出分别为656.63万元、673.73万元，"
         "分别占本年支出的47.42%、48.65%。", None),
    Form("respective-fenbie-fires", "本年总支出为1384.75万元。工资福利支出、商品和服务支出分别为656.63万元、673.73万元，"
         "分别占本年支出的47.42%、46.65%。", "IT071", "48.65%"),
    # the whole of a respective share list is not one of its own items: no whole named -> not checked
    Form("respective-fenbie-no-whole-quiet", "工资福利支出、商品和服务支出分别为656.63万元、673.73万元，"
         "分别占本年支出的47.42%、46.65%。", None),
    # 依次 changes: 31.27 ÷ (656.63 − 31.27 = 625.36) = 5.0003 %; 13.21 ÷ (673.73 − 13.21 = 660.52) = 2.0000 %
    Form("respective-yici-quiet", "工资福利支出、商品和服务支出依次为656.63万元、673.73万元，依次增长5.00%、2.00%，"
         "依次增加31.27万元、13.21万元。", None),
    Form("respective-yici-fires", "工资福利支出、商品和服务支出依次为656.63万元、673.73万元，依次增长5.00%、3.00%，"
         "依次增加31.27万元、13.21万元。", "IT070", "2.00%"),
    # --- a share whose whole is in another paragraph: 656.63 ÷ 1384.75 = 47.42 %
    Form("share-whole-other-paragraph-quiet", "本年总支出为1384.75万元。\n工资福利支出656.63万元，占本年总支出的47.42%。", None),
    Form("share-whole-other-paragraph-fires", "本年总支出为1384.75万元。\n工资福利支出656.63万元，占本年总支出的49.42%。",
         "IT071", "47.42%"),
    # --- … or in a table (01表 本年支出合计 1384.75)
    Form("share-whole-in-table-quiet", "工资福利支出656.63万元，占本年支出合计的47.42%。", None,
         cells=_expense_total(1384.75)),
    Form("share-whole-in-table-fires", "工资福利支出656.63万元，占本年支出合计的49.42%。", "IT071", "47.42%",
         cells=_expense_total(1384.75)),
    # --- comparison words against the figures: 40.65 > 28; 3.96 < 15; 12.24 < 15.24
    Form("dayu-quiet", "重特大疾病医疗救助人次占直接救助人次比重40.65%，大于28%的标准值。", None),
    Form("dayu-fires", "重特大疾病医疗救助人次占直接救助人次比重40.65%，小于28%的标准值。", "IT074", "40.65% 大于 28%"),
    Form("xiaoyu-quiet", "基金累计结余占筹集基金总额的比重3.96%，小于15%的标准值。", None),
    Form("dengyu-fires", "基金累计结余占筹集基金总额的比重3.96%，等于15%的标准值。", "IT074", "3.96% 小于 15%"),
    Form("dengyu-named-quiet", "年初预算为12.24万元，支出决算为12.24万元，决算数等于年初预算数。", None),
    Form("weidadao-quiet", "年初预算为15.24万元，支出决算为12.24万元，决算数未达到年初预算数。", None),
    Form("chaoguo-fires", "年初预算为15.24万元，支出决算为12.24万元，决算数超过年初预算数。", "IT074",
         "12.24万元 小于 15.24万元"),
    # --- a total in the text against the table's: 01表 本年支出合计 1384.75; the text 1348.75 differs by 36.00
    Form("text-total-vs-table-quiet", "本年支出合计1384.75万元。", None, cells=_expense_total(1384.75)),
    Form("text-total-vs-table-fires", "本年支出合计1348.75万元。", "IT030", "1384.75万元", cells=_expense_total(1384.75)),
    # --- a text amount whose table cell is blank: 9.56万元 ≠ 0, and the 合计 row's 本年支出/小计 cell prints nothing
    Form("blank-cell-fires", GOV_FUND_SPENT + _gov_fund_table(BLANK_TOTAL), "IT079", "（空白）"),
    # the same cell printed 9.56 (0.00 + 9.56 − 9.56 = 0.00 年末): nothing to say
    Form("blank-cell-printed-quiet", GOV_FUND_SPENT + _gov_fund_table("合计\t\t0.00\t9.56\t9.56\t0.00\t9.56\t0.00"),
         None),
    # 合计 blank but its 科目 row prints the 9.56 in that column: the text has its cell
    Form("blank-total-item-printed-quiet", GOV_FUND_SPENT + _gov_fund_table(
        BLANK_TOTAL, "2081001\t城乡医疗救助\t\t\t9.56\t\t9.56\t"), None),
    # 小计 blank, 基本支出 0.00 and 项目支出 9.56 printed: the spending is in the table (小计 = 基本 + 项目)
    Form("blank-subtotal-parts-printed-quiet", GOV_FUND_SPENT + _gov_fund_table(
        "合计\t\t0.00\t9.56\t\t0.00\t9.56\t0.00"), None),
    # 0.00万元 against a blank cell agrees (blank is not zero, but nothing is contradicted)
    Form("blank-cell-zero-quiet", "2023年政府性基金预算财政拨款支出0.00万元。\n" + _gov_fund_table(BLANK_TOTAL), None),
    # two 政府性基金 tables: which one the sentence means is not resolved -> not checked
    Form("blank-cell-two-tables-quiet", GOV_FUND_SPENT + _gov_fund_table(BLANK_TOTAL) + "\n"
         + _gov_fund_table(BLANK_TOTAL), None),
    # the 年末结转和结余 is another column than the year's spending: not tied to 本年支出
    Form("blank-cell-carryover-quiet", "2023年政府性基金预算财政拨款年末结转和结余9.56万元。\n"
         + _gov_fund_table(BLANK_TOTAL), None),
    # the table prints no row and states “本表无数据” while the text gives 9.56万元
    Form("stated-empty-fires", GOV_FUND_SPENT + _gov_fund_table(note=EMPTY_NOTE), "IT079", "本表无数据"),
    Form("stated-empty-no-amount-quiet", "2023年本单位无政府性基金预算财政拨款支出。\n" + _gov_fund_table(note=EMPTY_NOTE),
         None),
    # --- a unit slip inside one sentence: 1384.75元 with parts in 万元 (656.63 + 673.73 = 1330.36万元 ≤ 1384.75万元)
    Form("unit-slip-fires", "本年总支出1384.75元，其中工资福利支出656.63万元，商品和服务支出673.73万元。", "IT076"),
    Form("unit-slip-quiet", "本年总支出1384.75万元，其中工资福利支出656.63万元，商品和服务支出673.73万元。", None),
    # --- N人 × S元/人 = T: 14731 × 320 = 4,713,920元 = 471.39万元
    Form("product-quiet", "资助困难群众参保14731人，每人补助320元，共计471.39万元。", None),
    Form("product-fires", "资助困难群众参保14731人，每人补助320元，共计417.39万元。", "IT075", "471.39万元"),
    # --- parts exceeding their whole: 34208.61 + 4335.98 + 3845.05 + 4476.65 = 46866.29 (= the whole);
    # 43208.61 in place of 34208.61 gives 55866.29 > 46866.29
    Form("parts-qizhong-quiet", "城乡居民医保基金支出46866.29万元，其中住院补偿34208.61万元，门诊补偿4335.98万元，"
         "大病保险支出3845.05万元，意外伤害4476.65万元。", None),
    Form("parts-qizhong-fires", "城乡居民医保基金支出46866.29万元，其中住院补偿43208.61万元，门诊补偿4335.98万元，"
         "大病保险支出3845.05万元，意外伤害4476.65万元。", "IT073", "≤ 46866.29万元"),
    Form("parts-zhuyaoyongyu-fires", "城乡居民医保基金支出46866.29万元，主要用于住院补偿43208.61万元，门诊补偿4335.98万元，"
         "大病保险支出3845.05万元。", "IT073", "≤ 46866.29万元"),
    # --- 收入 − 支出 = 结余 with 收入 called 筹集/到位/征缴: 7183.01 − 6809.15 = 373.86
    Form("balance-chouji-quiet", "城镇职工医保基金筹集7183.01万元。\n城镇职工医保基金支出6809.15万元。\n"
         "城镇职工医保当期结余373.86万元。", None),
    Form("balance-chouji-fires", "城镇职工医保基金筹集7183.01万元。\n城镇职工医保基金支出6809.15万元。\n"
         "城镇职工医保当期结余337.86万元。", "IT077", "373.86万元"),
    Form("balance-daowei-fires", "城镇职工医保基金已到位7183.01万元，城镇职工医保基金支出6809.15万元，"
         "城镇职工医保当期结余337.86万元。", "IT077", "373.86万元"),
    Form("balance-zhengjiao-quiet", "城镇职工医保基金征缴收入7183.01万元，城镇职工医保基金支出6809.15万元，"
         "城镇职工医保当期结余373.86万元。", None),
    Form("balance-zhengjiao-fires", "城镇职工医保基金征缴收入7183.01万元，城镇职工医保基金支出6809.15万元，"
         "城镇职工医保当期结余337.86万元。", "IT077", "373.86万元"),
    # --- the same item stated differently across paragraphs: 0.39 twice, 0.93 once
    Form("restated-quiet", "公务接待费支出决算0.39万元，比上年减少0.10万元。\n2023年公务接待费支出决算0.39万元，主要用于接待。\n"
         "公务接待费支出决算0.39万元，接待12批次。", None),
    Form("restated-fires", "公务接待费支出决算0.39万元，比上年减少0.10万元。\n2023年公务接待费支出决算0.93万元，主要用于接待。\n"
         "公务接待费支出决算0.39万元，接待12批次。", "IT078", "0.39万元"),
]


@pytest.mark.parametrize("form", FORMS, ids=[f.name for f in FORMS])
def test_form(tmp_path, form):
    found = _text_findings(tmp_path, form)
    rows = found.select("check_code", "severity", "expected", "actual", "message").rows()
    if form.code is None:
        assert found.is_empty(), rows
        return
    mine = found.filter(pl.col("check_code") == form.code)
    assert mine.height == 1, rows
    if form.expected is not None:
        assert form.expected in mine["expected"][0], rows
    assert mine["severity"][0] in ("medium", "high"), rows

