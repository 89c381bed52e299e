"""The peer fault (one 项 ×k): the scaled cell and every sum that contains it change by the same
amount, in every table, and the document still foots.

A small 决算 in 万元 worked by hand: 03 表 合计 100.00 = 208 (20.00) + 212 (80.00); 2080505 is 12.00
of basic spending. ×3 adds Δ = 24.00 as project spending: 2080505 → 36.00 (项目 24.00), 20805 and
208 → 44.00, 合计 → 124.00 (项目 64.00); the same in 05 表 and 02 表; in 01 表 一般公共预算财政拨款收入,
本年收入合计, 本年支出合计, 208 and both 总计 rise by 24.00 while 年初/年末结转 stay 5.00.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from toolkit import schemas
from toolkit.mutate.edits import Group, replacements
from toolkit.mutate.faults import FAULTS
from toolkit.mutate.peer_faults import PEER_PLANNERS, scaled_cells
from toolkit.mutate.planner import Context
from toolkit.mutate.text_editor import apply_text_edits

# (code, name, total, basic, project) of the 03 表 and 05 表
EXPENSE = [
    (None, "合计", "100.00", "60.00", "40.00"),
    ("208", "社会保障和就业支出", "20.00", "20.00", "0.00"),
    ("20805", "行政事业单位养老支出", "20.00", "20.00", "0.00"),
    ("2080505", "机关事业单位基本养老保险缴费支出", "12.00", "12.00", "0.00"),
    ("2080506", "机关事业单位职业年金缴费支出", "8.00", "8.00", "0.00"),
    ("212", "城乡社区支出", "80.00", "40.00", "40.00"),
    ("21201", "城乡社区管理事务", "80.00", "40.00", "40.00"),
    ("2120101", "行政运行", "25.00", "25.00", "0.00"),
    ("2120102", "一般行政管理事务", "15.00", "15.00", "0.00"),
    ("2120199", "其他城乡社区管理事务支出", "40.00", "0.00", "40.00"),
]
# (section, row_kind, code, name, amount) of the 01 表
SUMMARY = [
    ("income", "item", None, "一、一般公共预算财政拨款收入", "100.00"),
    ("income", "total", None, "本年收入合计", "100.00"),
    ("income", "subtotal", None, "年初结转和结余", "5.00"),
    ("income", "grand_total", None, "总计", "105.00"),
    ("expense", "item", "208", "社会保障和就业支出", "20.00"),
    ("expense", "item", "212", "城乡社区支出", "80.00"),
    ("expense", "total", None, "本年支出合计", "100.00"),
    ("expense", "subtotal", None, "年末结转和结余", "5.00"),
    ("expense", "grand_total", None, "总计", "105.00"),
]


def _li(tid: str, ttype: str, row: int, col: int, measure: str, raw: str, *, code=None, name=None,
        row_kind="item", section=None) -> dict:
    return {"document_id": "d1", "table_id": tid, "table_type": ttype, "page": None, "row": row, "col": col,
            "section": section, "code": code, "level": {3: 1, 5: 2, 7: 3}.get(len(code)) if code else None,
            "name": name, "row_kind": row_kind, "measure": measure, "raw_text": raw, "value": float(raw),
            "unit": "万元", "scale": 1e4, "decimals": 2}


def _frames(with_item_in_05: bool = True) -> tuple[dict, str]:
    li, cells, lines = [], [], []
    for tid, ttype, title in (("t03", "expense", "支出决算表"), ("t05", "gpb_expense", "一般公共预算财政拨款支出决算表")):
        lines.append(title)
        for r, (code, name, *amounts) in enumerate(EXPENSE):
            if tid == "t05" and code == "2080505" and not with_item_in_05:
                continue
            row_kind = "total" if code is None else "item"
            texts = [code or "", name + ("（拨款）" if tid == "t05" else ""), *amounts]  # as the two tables read
            lines.append("\t".join(texts))
            for c, t in enumerate(texts):
                cells.append({"document_id": "d1", "table_id": tid, "table_type": ttype, "row": r, "col": c,
                              "raw_text": t, "page": None, "sheet": None})
            for c, (m, raw) in enumerate(zip(("total", "basic", "project"), amounts, strict=True), start=2):
                li.append(_li(tid, ttype, r, c, m, raw, code=code, name=name, row_kind=row_kind))
    lines.append("收入决算表")
    for r, (code, name, total, *_rest) in enumerate(EXPENSE):
        if code is not None and len(code) == 5:
            continue  # this 02 表 prints 类 and 项 only
        texts = [code or "", name + "（收入）", total + " ", total]
        lines.append("\t".join(texts))
        for c, t in enumerate(texts):
            cells.append({"document_id": "d1", "table_id": "t02", "table_type": "income", "row": r, "col": c,
                          "raw_text": t.strip(), "page": None, "sheet": None})
        for c, m in ((2, "total"), (3, "fiscal")):
            li.append(_li("t02", "income", r, c, m, total, code=code, name=name,
                          row_kind="total" if code is None else "item"))
    lines.append("收入支出决算总表")
    for r, (section, kind, code, name, amount) in enumerate(SUMMARY):
        texts = [name + ("（收）" if section == "income" else "（支）"), amount]
        lines.append("\t".join(texts))
        for c, t in enumerate(texts):
            cells.append({"document_id": "d1", "table_id": "t01", "table_type": "income_expense_summary", "row": r,
                          "col": c, "raw_text": t, "page": None, "sheet": None})
        li.append(_li("t01", "income_expense_summary", r, 1, "final", amount, code=code, name=name, row_kind=kind,
                      section=section))
    frames = {"line_items": schemas.frame(li, schemas.LINE_ITEMS), "cells": pl.DataFrame(cells),
              "documents": pl.DataFrame({"document_id": ["d1"]})}
    return frames, "\n".join(lines) + "\n"


def _after(frames: dict, changes) -> pl.DataFrame:
    """The line items with the changes applied."""
    new = {(c["table_id"], c["row"], c["col"]): n for c, _, n in changes}
    return frames["line_items"].with_columns(
        value=pl.struct("table_id", "row", "col", "value").map_elements(
            lambda s: float(new.get((s["table_id"], s["row"], s["col"]), s["value"])), return_dtype=pl.Float64))


def test_the_three_multipliers_are_peer_outlier_faults():
    for name in ("line_item_scaled_2x", "line_item_scaled_3x", "line_item_scaled_5x"):
        assert FAULTS[name].kind == "line_item_peer_outlier" and FAULTS[name].category == "peer_outlier"


def test_the_item_and_every_sum_containing_it_rise_by_the_same_amount():
    frames, _ = _frames()
    changes = scaled_cells(frames, "2080505", 3)
    got = {(c["table_id"], c["name"], c["measure"]): (old, new) for c, old, new in changes}
    for tid in ("t03", "t05"):
        assert got[(tid, "机关事业单位基本养老保险缴费支出", "total")] == ("12.00", "36.00")
        assert got[(tid, "机关事业单位基本养老保险缴费支出", "project")] == ("0.00", "24.00")
        assert got[(tid, "行政事业单位养老支出", "total")] == ("20.00", "44.00")
        assert got[(tid, "社会保障和就业支出", "project")] == ("0.00", "24.00")
        assert got[(tid, "合计", "total")] == ("100.00", "124.00")
        assert got[(tid, "合计", "project")] == ("40.00", "64.00")
        assert (tid, "合计", "basic") not in got  # the extra spending is project spending
    assert got[("t02", "机关事业单位基本养老保险缴费支出", "fiscal")] == ("12.00", "36.00")
    assert got[("t02", "合计", "total")] == ("100.00", "124.00")
    assert got[("t01", "一、一般公共预算财政拨款收入", "final")] == ("100.00", "124.00")
    assert got[("t01", "社会保障和就业支出", "final")] == ("20.00", "44.00")
    assert got[("t01", "本年支出合计", "final")] == ("100.00", "124.00")
    assert ("t01", "城乡社区支出", "final") not in got and ("t01", "年初结转和结余", "final") not in got
    # 03 and 05: 合计/208/20805/2080505 × (合计, 项目); 02: 合计/208/2080505 × (合计, 财政拨款); 01: 6 cells
    assert len(changes) == 8 + 8 + 6 + 6
    assert {Decimal(n) - Decimal(o) for _, o, n in changes} == {Decimal("24.00")}


def test_the_document_still_foots_after_the_change():
    frames, _ = _frames()
    li = _after(frames, scaled_cells(frames, "2080505", 5))
    for tid in ("t03", "t05"):
        t = li.filter(pl.col("table_id") == tid)
        for m in ("total", "basic", "project"):
            col = t.filter(pl.col("measure") == m)
            v = dict(zip(col["code"].fill_null("合计"), col["value"], strict=True))
            assert abs(v["合计"] - v["208"] - v["212"]) < 1e-9
            assert abs(v["208"] - v["20805"]) < 1e-9 and abs(v["20805"] - v["2080505"] - v["2080506"]) < 1e-9
        by_row = t.pivot(on="measure", index="row", values="value")
        assert ((by_row["total"] - by_row["basic"] - by_row["project"]).abs() < 1e-9).all()
    s = li.filter(pl.col("table_id") == "t01")
    v = {(r["section"], r["name"]): r["value"] for r in s.to_dicts()}
    assert v[("income", "总计")] == v[("expense", "总计")] == 105.00 + 4 * 12.00
    assert v[("expense", "本年支出合计")] == v[("expense", "社会保障和就业支出")] + v[("expense", "城乡社区支出")]


def test_abstains_when_the_chain_cannot_be_closed_or_the_item_is_most_of_the_spending():
    frames, _ = _frames(with_item_in_05=False)
    assert scaled_cells(frames, "2080505", 2) is None  # a 05 表 without the item: not financed by it
    frames, _ = _frames()
    plans = list(PEER_PLANNERS["line_item_scaled_2x"](frames, Context(2024, None, [])))
    codes = {p.extra["code"] for p in plans}
    assert "2120199" not in codes  # 40.00 of 100.00: over the 30 % share
    assert {"2080505", "2080506", "2120101", "2120102"} == codes


def test_the_planned_edit_applies_to_the_source_in_place():
    frames, text = _frames()
    plan = next(p for p in PEER_PLANNERS["line_item_scaled_3x"](frames, Context(2024, None, []))
                if p.extra["code"] == "2080505")
    assert plan.tokens == ("2080505", "36.00") and plan.injected_value == "36.00"
    out = None
    for edits in plan.alternatives:
        assert all(isinstance(e, Group) for e in edits)
        assert sum(len(replacements(e)) for e in edits) == 28
        try:
            out = apply_text_edits(text.encode(), "txt", edits).decode()
            break
        except Exception:  # noqa: BLE001 - an anchor ambiguous in this source: the next alternative
            continue
    assert out is not None
    rows = {line.split("\t")[1]: line.split("\t")[2:] for line in out.splitlines() if "\t" in line
            and line.split("\t")[0] and len(line.split("\t")) > 3}
    assert rows["机关事业单位基本养老保险缴费支出"] == ["36.00", "12.00", "24.00"]
    assert "一、一般公共预算财政拨款收入（收）\t124.00" in out and "年初结转和结余（收）\t5.00" in out
