"""Narrative facts: golden values read by hand from the seed documents, and unit parsing."""

from __future__ import annotations

import time
from pathlib import Path

import polars as pl
import pytest

from toolkit.extract.facts import METRICS, QUALIFIERS, extract_facts
from toolkit.extract.passages import build_passages
from toolkit.model import Block, RawDocument
from toolkit.schemas import FACTS

SEEDS = Path(__file__).resolve().parents[1] / "datasets" / "seeds"


def seed_facts(prefix: str) -> pl.DataFrame:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    lines = path.read_text(encoding="utf-8").splitlines()
    raw = RawDocument(path=str(path), format="txt", blocks=[Block.para(t) for t in lines if t.strip()])
    return extract_facts(build_passages(raw, prefix))


def text_facts(text: str) -> pl.DataFrame:
    passages = pl.DataFrame({"document_id": ["d"], "passage_id": ["d:p0"], "page": [1], "text": [text]})
    return extract_facts(passages)


def one(df: pl.DataFrame, raw_text: str, **where) -> dict:
    hits = df.filter(pl.col("raw_text") == raw_text)
    for col, val in where.items():
        hits = hits.filter(pl.col(col).is_null() if val is None else pl.col(col) == val)
    assert hits.height == 1, (raw_text, where, hits.select("metric", "subject", "qualifier", "raw_text"))
    return hits.row(0, named=True)


@pytest.fixture(scope="module")
def f000() -> pl.DataFrame:
    return seed_facts("000")


@pytest.fixture(scope="module")
def f001() -> pl.DataFrame:
    return seed_facts("001")


@pytest.fixture(scope="module")
def f004() -> pl.DataFrame:
    return seed_facts("004")


def test_schema_and_vocabulary(f000, f001, f004):
    for df in (f000, f001, f004):
        assert df.schema == pl.Schema(FACTS)
        assert set(df["metric"].unique()) <= set(METRICS)
        assert set(df["qualifier"].unique()) <= set(QUALIFIERS)


def test_spans_point_at_raw_text(f000):
    path = next(SEEDS.glob("000_*.txt"))
    lines = path.read_text(encoding="utf-8").splitlines()
    passages = build_passages(RawDocument(path="x", format="txt", blocks=[Block.para(t) for t in lines if t.strip()]), "000")
    texts = dict(zip(passages["passage_id"], passages["text"], strict=True))
    for r in f000.iter_rows(named=True):
        assert texts[r["passage_id"]][r["span_start"]:r["span_end"]].strip() == r["raw_text"]


def test_seed000_fund_income_with_its_parts(f000):
    # "职工医保基金收入总额13129万元，其中统筹基金7972万元，个人账户基金4572万元，大病互助基金585万元"
    total = one(f000, "13129万元")
    assert (total["metric"], total["scheme"], total["qualifier"], total["value"], total["unit"], total["scale"]) == (
        "fund_income", "employee", "amount", 13129.0, "万元", 1e4)
    assert total["subject"] == "职工医保基金收入总额"
    assert total["period"] == "截止2021年11月30日"
    parts = f000.filter((pl.col("sentence") == total["sentence"]) & (pl.col("qualifier") == "part"))
    assert parts["subject"].to_list() == ["统筹基金", "个人账户基金", "大病互助基金"]
    assert parts["value"].to_list() == [7972.0, 4572.0, 585.0]
    assert set(parts["metric"]) == {"fund_income"} and set(parts["scheme"]) == {"employee"}


def test_seed000_insured_coverage_balances(f000):
    r = one(f000, "723141人")
    assert (r["metric"], r["scheme"], r["qualifier"], r["unit"]) == ("insured_persons", "resident", "count", "人")
    r = one(f000, "95.03%")
    assert (r["metric"], r["scheme"], r["value"], r["decimals"], r["unit"]) == ("coverage_rate", "resident", 95.03, 2, "%")
    r = one(f000, "39266人")
    assert (r["metric"], r["scheme"]) == ("insured_persons", "employee")
    assert one(f000, "24430人")["metric"] == "insured_active"
    assert one(f000, "14836人")["metric"] == "insured_retired"
    r = one(f000, "1079万元")
    assert (r["metric"], r["scheme"], r["value"]) == ("fund_balance_current", "employee", 1079.0)
    r = one(f000, "24016万元")
    assert (r["metric"], r["scheme"]) == ("fund_balance_accumulated", "employee")
    r = one(f000, "57908.69万元")
    assert (r["metric"], r["scheme"], r["decimals"]) == ("fund_balance_accumulated", "resident", 2)
    r = one(f000, "12050 万元")
    assert (r["metric"], r["scheme"], r["period"]) == ("fund_expense", "employee", "2021年1-11月")
    # 城乡居民 支出 46866.29 = 34208.61 + 4335.98 + 3845.05 + 4476.65: four parts of fund expense
    head = one(f000, "46866.29万元")
    parts = f000.filter((pl.col("sentence") == head["sentence"]) & (pl.col("qualifier") == "part")
                        & (pl.col("span_start") > head["span_start"]))
    assert parts["value"].to_list() == [34208.61, 4335.98, 3845.05, 4476.65]
    assert set(parts["metric"]) == {"fund_expense"}
    assert one(f000, "190.81万元")["metric"] == "recovered_funds"
    assert one(f000, "36.77万元")["metric"] == "penalties"


def test_seed001_resident_and_employee_funds(f001):
    r = one(f001, "11155.30万元")
    assert (r["metric"], r["scheme"], r["value"], r["decimals"]) == ("fund_income", "resident", 11155.30, 2)
    r = one(f001, "13688.72万元")
    assert (r["metric"], r["scheme"]) == ("fund_expense", "resident")
    r = one(f001, "122.71%")
    assert (r["metric"], r["qualifier"], r["scheme"], r["subject"]) == (
        "fund_income", "share", "resident", "城乡居民医保基金支出")
    r = one(f001, "72.78%")
    assert (r["metric"], r["scheme"], r["qualifier"]) == ("reimbursement_rate", "resident", "rate")
    r = one(f001, "6809.15万元")
    assert (r["metric"], r["scheme"]) == ("fund_income", "employee")
    r = one(f001, "7183.01万元")
    assert (r["metric"], r["scheme"]) == ("fund_expense", "employee")
    assert one(f001, "105.49%")["metric"] == "fund_income"
    r = one(f001, "87.57%")
    assert (r["metric"], r["scheme"]) == ("reimbursement_rate", "employee")
    r = one(f001, "116201人")
    assert (r["metric"], r["scheme"]) == ("insured_persons", "resident")
    r = one(f001, "98%", metric="coverage_rate")
    assert r["scheme"] == "resident"
    r = one(f001, "490.06万元")
    assert (r["metric"], r["scheme"], r["period"]) == ("budget_total", None, "2023年")


def test_seed004_statement_changes(f004):
    first = f004.filter(pl.col("sentence").str.starts_with("2023年度总收入362.62万元"))
    assert first.height == 1
    r = first.row(0, named=True)
    assert (r["metric"], r["qualifier"], r["value"], r["unit"]) == ("income_total", "amount", 362.62, "万元")
    # the next sentence: "与上年相比,减少408.65万元,减少52.98%,其中财政拨款收入减少399.09万,占比97.66%"
    nxt = f004.filter(pl.col("sentence").str.starts_with("与上年相比,减少408.65万元,减少52.98%,其中财政拨款收入"))
    change, growth = nxt.row(0, named=True), nxt.row(1, named=True)
    assert (change["metric"], change["qualifier"], change["direction"], change["value"]) == (
        "income_total", "change", "decrease", 408.65)
    assert change["subject"] == "总收入"
    assert (growth["metric"], growth["qualifier"], growth["direction"], growth["value"], growth["unit"]) == (
        "income_total", "growth", "decrease", 52.98, "%")
    part = nxt.row(2, named=True)
    assert (part["subject"], part["direction"], part["value"], part["unit"], part["scale"]) == (
        "财政拨款收入", "decrease", 399.09, "万", 1e4)
    assert nxt.row(3, named=True)["qualifier"] == "share"
    # "综合参保率达到102.02%": all schemes together (printed twice: 情况说明 and the attached 自评报告)
    rates = f004.filter(pl.col("raw_text") == "102.02%")
    assert rates.height == 2
    assert rates.select("metric", "scheme", "qualifier").unique().rows() == [("coverage_rate", None, "rate")]
    shares = f004.filter(pl.col("raw_text") == "84.74%")
    assert shares.select("metric", "qualifier", "subject").unique().rows() == [("basic_expense", "share", "人员经费")]


def test_seed004_approximate_and_magnitude_units(f004):
    r = f004.filter(pl.col("raw_text") == "1.2万余条").row(0, named=True)
    assert (r["value"], r["unit"], r["scale"], r["operator"], r["decimals"]) == (1.2, "万条", 1e4, ">", 1)
    r = f004.filter(pl.col("raw_text") == "1.76万人次").row(0, named=True)
    assert (r["value"], r["unit"], r["scale"]) == (1.76, "万人次", 1e4)


def test_units_and_number_forms():
    df = text_facts("本年收入合计1,234,567.80元，项目支出3.5亿元，基本支出１２３．４５万元，共两批，下达三个专项。")
    got = {r["raw_text"]: (r["value"], r["unit"], r["scale"], r["decimals"]) for r in df.iter_rows(named=True)}
    assert got["1,234,567.80元"] == (1234567.80, "元", 1.0, 2)
    assert got["3.5亿元"] == (3.5, "亿元", 1e8, 1)
    assert got["123.45万元"] == (123.45, "万元", 1e4, 2)  # full-width digits
    assert got["两批"] == (2.0, "批", 1.0, 0)
    assert got["三个"] == (3.0, "个", 1.0, 0)
    metrics = dict(zip(df["raw_text"], df["metric"], strict=True))
    assert metrics["1,234,567.80元"] == "income_total"
    assert metrics["3.5亿元"] == "project_expense"
    assert metrics["123.45万元"] == "basic_expense"


def test_dates_document_numbers_and_ordinals_are_not_facts():
    df = text_facts("根据《关于印发2020年工作要点的通知》(湘医保发〔2020〕22号)，2021年8月25日县人民政府第16次常务会议研究，"
                    "联系电话18773099839，参保人数39266人。")
    assert df["raw_text"].to_list() == ["39266人"]


def test_amounts_that_look_like_dates_are_amounts():
    # 1986.61 and 2058.60 read as year.month would be masked as dates; months 61 and 60 do not exist,
    # and 2023.12万元 carries a money unit; 2021.3.5 and 2020/12/31 are dates
    df = text_facts("年初预算为1894.73万元，支出决算为1986.61万元；支出合计2058.60万元，另2023.12万元；"
                    "于2021.3.5印发，2020/12/31止。")
    assert df["raw_text"].to_list() == ["1894.73万元", "1986.61万元", "2058.60万元", "2023.12万元"]
    assert one(df, "1986.61万元")["metric"] == "expense_total"


def test_negative_amounts_keep_their_sign():
    df = text_facts("居民医保基金全年收入105519.85万元，支出107170.34万元，当年结余-1650.49万元。服务1-12月共5-6人。")
    bal = one(df, "-1650.49万元")
    assert bal["value"] == -1650.49 and bal["metric"] == "fund_balance_current" and bal["scheme"] == "resident"
    # 1-12月 is a date range and 5-6人 a range: no negative number comes out of either
    assert (df["value"] >= 0).sum() == df.height - 1


def test_bare_expense_and_balance_after_a_fund_figure_are_the_funds():
    df = text_facts("职工医保基金全年收入80819.58万元，支出65850.75万元，当年结余13158.22万元，历年累计结余170192.96万元。")
    assert df["metric"].to_list() == ["fund_income", "fund_expense", "fund_balance_current", "fund_balance_accumulated"]
    assert set(df["scheme"]) == {"employee"}
    # without a fund figure before it, a bare 支出 stays the department's spending
    assert one(text_facts("本年收入800.00万元，支出790.00万元。"), "790.00万元")["metric"] == "expense_total"


def test_change_rates_worded_without_a_direction_word_before_the_number():
    df = text_facts("与上年(989.10万元)相比增加56.29万元，变动率5.69%。较上年减少56.29万元，减少幅度为5.38%。")
    assert one(df, "5.69%")["qualifier"] == "growth" and one(df, "5.69%")["direction"] == "increase"
    assert one(df, "5.38%")["qualifier"] == "growth" and one(df, "5.38%")["direction"] == "decrease"


def test_respectively_assigns_one_scheme_per_value():
    df = text_facts("职工和城乡居民基本医疗保险政策范围内住院费用基金支付比例分别为84.25%和68.60%。")
    assert df["scheme"].to_list() == ["employee", "resident"]
    assert set(df["metric"]) == {"reimbursement_rate"}


def test_targets_keep_their_operator():
    df = text_facts("重特大疾病医疗救助人次占直接救助人次比例≥28%；参保对象满意度达95%以上；超过7200元以上157人次。")
    ops = dict(zip(df["raw_text"], df["operator"], strict=True))
    assert ops["28%"] == ">=" and ops["95%以上"] == ">=" and ops["7200元以上"] == ">="


def test_speed_per_seed_document():
    timings = {}
    for prefix in ("000", "001", "002", "003", "004"):
        path = next(SEEDS.glob(f"{prefix}_*.txt"))
        lines = path.read_text(encoding="utf-8").splitlines()
        passages = build_passages(RawDocument(path="x", format="txt", blocks=[Block.para(t) for t in lines if t.strip()]), prefix)
        t0 = time.perf_counter()
        extract_facts(passages)
        timings[prefix] = time.perf_counter() - t0
    assert max(timings.values()) < 0.5, timings


def test_scheme_pairs_and_bare_scheme_continuations():
    # “分别为 A 和 B” after two schemes: one value per scheme, in the order they are named
    f = text_facts("全市职工、居民基本医疗保险参保率分别为98.5%和97.2%。")
    assert (one(f, "98.5%")["scheme"], one(f, "97.2%")["scheme"]) == ("employee", "resident")
    assert one(f, "97.2%")["metric"] == "coverage_rate"
    # a bare scheme name after a rate continues that rate's metric (城乡居民 62.49% is a 参保率, not an amount)
    f = text_facts("职工医保参保率96.12%，城乡居民62.49%。")
    r = one(f, "62.49%")
    assert (r["metric"], r["scheme"], r["qualifier"]) == ("coverage_rate", "resident", "rate")
    # bare 支出 after a scheme's 基金收入 is that scheme's fund expense
    f = text_facts("居民医保基金收入12.5亿元，支出11.8亿元。")
    assert (one(f, "11.8亿元")["metric"], one(f, "11.8亿元")["scheme"]) == ("fund_expense", "resident")


@pytest.mark.parametrize("text, raw", [("全县参保总人数达45678人。", "45678人"), ("参保人员合计12345人。", "12345人"),
                                       ("全县参加基本医疗保险23456人。", "23456人")])
def test_insured_person_counts(text, raw):
    assert one(text_facts(text), raw)["metric"] == "insured_persons"


def test_year_in_an_aside_dates_only_the_aside():
    # “与2016年度相比” is the comparison base; “(2016年度…为8,648.07万元)” dates only the amount inside the aside
    f = text_facts("2017 年度部门支出预算安排与 2016 年度相比(2016 年度部门支出预算安排为8,648.07万元),增加498.72万元,增长5.77%。")
    assert one(f, "8,648.07万元")["period"] == "2016年"
    assert one(f, "498.72万元")["period"] == "2017年" and one(f, "5.77%")["period"] == "2017年"
