"""Fire / quiet cases of IT079; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.builders import F, L, P, with_passages
from tests.checks.case import Case
from tests.checks.grid_builder import table_frames
from toolkit import schemas

_HEAD = [["项目", "年初结转和结余", "本年收入", "本年支出", "年末结转和结余"], ["栏次", "1", "2", "3", "4"]]
_SPENT = "2023年国有资本经营预算财政拨款支出3.20万元。"


def _case(total_row: list[str], *, facts: list[dict], line_items: list[dict] = (), passages: list[str] = (),
          ttype: str = "soe_capital") -> dict:
    fr = table_frames([*_HEAD, total_row], title="国有资本经营预算财政拨款收入支出决算表", unit="万元",
                      table_type=ttype, fiscal_year=2023)
    fr["facts"] = schemas.frame(facts, schemas.FACTS)
    fr["line_items"] = schemas.frame(list(line_items), schemas.LINE_ITEMS)
    return with_passages(fr, [P(t, pid=f"p{i}") for i, t in enumerate(passages)]) if passages else fr


def _spent(value: float) -> dict:
    return F("amount", "amount", value, "万元", subject="国有资本经营预算财政拨款支出", period="2023年",
             sentence=f"2023年国有资本经营预算财政拨款支出{value:.2f}万元。")


# 本年收入 0.00 printed, so the row is tied; 本年支出 (column 3) blank
_BLANK = ["合计", "0.00", "0.00", "", "0.00"]

CASES: list[Case] = [
    # 3.20万元 ≠ 0 with the 合计 row's 本年支出 blank; nothing printed against 3.20: rel_diff 1, a total -> high
    Case("IT079", "fires-blank-cell", _case(_BLANK, facts=[_spent(3.20)]), 1, expected="（空白）",
         actual="3.20万元", kind="text_table_mismatch", contains=["合计", "本年支出", "空白"], severity="high"),
    # 0.00万元: the interval [-0.005, 0.005] holds zero -> not checked
    Case("IT079", "quiet-zero", _case(_BLANK, facts=[_spent(0.0)]), 0),
    # the cell printed: nothing blank to report (a mismatch there is not this check's)
    Case("IT079", "quiet-printed", _case(["合计", "0.00", "3.20", "3.20", "0.00"], facts=[_spent(3.20)],
                                          line_items=[L("t01", "soe_capital", "total", 3.20, key="total")]), 0),
    # the subject names 政府性基金, and this document's table is the 国有资本经营 one: not tied
    Case("IT079", "quiet-other-fund", _case(_BLANK, facts=[
        F("amount", "amount", 3.20, "万元", subject="政府性基金预算财政拨款支出", period="2023年")]), 0),
    # a statement in the text that the table is empty, the table printing no figure, the text giving 3.20
    Case("IT079", "fires-stated-empty", _case(["合计", "", "", "", ""], facts=[_spent(3.20)], passages=[
        _SPENT, "本单位没有国有资本经营预算财政拨款收入和支出，故本表无数据。"]), 1, expected="本表无数据", severity="high"),
]
