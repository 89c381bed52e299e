"""绩效自评表 (部门整体 / 项目支出) and 计分表 -> ``indicators``, fund-block ``line_items`` and goal passages.

A 自评表 is a stack of blocks inside one grid, each introduced by a row whose words say
what follows: 项目支出名称 (the project), 项目资金/年度资金总额 (the funding block with
年初预算数 · 全年预算数 · 全年执行数 · 分值 · 执行率 · 得分), 年度总体目标 (预期目标 ‖
实际完成情况), 一级指标 … (the indicator rows) and 总分. Columns are located from the
words of each block's own header row, so templates that add or drop a column still read.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from toolkit.extract.grid import Grid
from toolkit.normalize.numbers import parse_number, unit_scale
from toolkit.normalize.text import squash

if TYPE_CHECKING:
    from toolkit.extract.table_types import TableType

WEIGHT_IN_LABEL = re.compile(r"[(（]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")

_FUND_ROWS = (
    ("fund_total", ("年度资金总额", "资金总额")),
    ("fund_current", ("当年财政拨款", "本年财政拨款", "财政拨款")),
    ("fund_carryover", ("上年结转",)),
    ("fund_other", ("其他资金",)),
)
FUND_ROW_KEYS = tuple(key for key, _ in _FUND_ROWS)
_FUND_COLS = (
    ("budget_initial", ("年初预算", "年初")),
    ("budget_full", ("全年预算", "调整后预算", "调整预算")),
    ("executed", ("全年执行", "执行数", "预算执行数", "实际支出")),
    ("weight", ("分值", "权重")),
    ("exec_rate", ("执行率",)),
    ("score", ("得分",)),
)
_IND_COLS = (
    ("level1", ("一级指标", "一级")),
    ("level2", ("二级指标", "二级")),
    ("level3", ("三级指标", "三级")),
    ("target", ("年度指标值", "指标值", "目标值", "预期值")),
    ("actual", ("实际完成值", "完成值", "实际值", "全年实际")),
    ("weight", ("分值", "权重")),
    ("score", ("得分", "自评分")),
    ("note", ("偏差", "原因", "改进措施", "说明")),
)


def label_weight(label: str) -> float | None:
    m = WEIGHT_IN_LABEL.search(label or "")
    return float(m.group(1)) if m else None


def strip_weight(label: str) -> str:
    return WEIGHT_IN_LABEL.sub("", squash(label)).strip() or ""


def _match_cols(row: list[str], spec) -> dict[str, int]:
    found: dict[str, int] = {}
    for c, cell in enumerate(row):
        s = squash(cell)
        if not s:
            continue
        for key, words in spec:
            if key in found:
                continue
            if any(w in s for w in words):
                found[key] = c
                break
    return found


def project_name(rows: list[list[str]]) -> str | None:
    for row in rows[:4]:
        for c, cell in enumerate(row):
            s = squash(cell)
            if s in ("项目支出名称", "项目名称", "部门名称", "单位名称") or s.endswith("部门名称"):
                for nxt in row[c + 1 :]:
                    if squash(nxt):
                        return squash(nxt)
    return None


def extract_selfeval_table(grid: Grid, spec: TableType, unit: str | None, base: dict, project: str | None) -> dict[str, list[dict]]:
    """The extractor of both 自评表 types (see ``toolkit.extract.table_types.Extractor``)."""
    indicators, fund_items, goals = extract_selfeval(grid, spec.key, unit, base, project)
    return {"indicators": indicators, "line_items": fund_items, "goals": goals}


def extract_score_sheet_table(grid: Grid, spec: TableType, unit: str | None, base: dict, project: str | None) -> dict[str, list[dict]]:
    """The extractor of the 计分表."""
    return {"indicators": extract_score_sheet(grid, base, project)}


def extract_selfeval(grid: Grid, table_type: str, unit: str | None, base: dict, project: str | None) -> tuple[list[dict], list[dict], list[dict]]:
    """Return (indicator rows, fund-block line items, goal passages)."""
    indicators: list[dict] = []
    fund_items: list[dict] = []
    goals: list[dict] = []
    rows = grid.rows
    fund_cols: dict[str, int] = {}
    ind_cols: dict[str, int] = {}
    goal_cols: dict[str, int] = {}
    mode = None
    level1 = level2 = None
    w1 = w2 = None
    fund_unit = unit or "万元"
    for r_i, row in enumerate(rows):
        joined = squash("".join(row))
        if not joined:
            continue
        # block headers
        fc = _match_cols(row, _FUND_COLS)
        if {"budget_full", "executed"} <= fc.keys() or {"budget_initial", "executed"} <= fc.keys():
            fund_cols, mode = fc, "fund"
            if "(万元)" in joined or "（万元）" in joined or "万元" in joined:
                fund_unit = "万元"
            elif "(元)" in joined:
                fund_unit = "元"
            continue
        if "预期目标" in joined and ("实际完成" in joined or "完成情况" in joined):
            goal_cols = {}
            for c, cell in enumerate(row):
                s = squash(cell)
                if "预期目标" in s:
                    goal_cols["goal_expected"] = c
                elif "实际完成" in s or "完成情况" in s:
                    goal_cols["goal_actual"] = c
            mode = "goal"
            continue
        ic = _match_cols(row, _IND_COLS)
        if "level3" in ic and ("weight" in ic or "score" in ic or "target" in ic):
            ind_cols, mode = ic, "indicators"
            continue
        first_cells = [squash(c) for c in row if squash(c)]
        if first_cells and first_cells[0] in ("总分", "合计", "总计", "总分值") and mode in ("indicators", "goal", "fund", None):
            indicators.append(_indicator_row(base, r_i, row, ind_cols, "total", project, None, None, None, None))
            mode = None
            continue
        if mode == "fund":
            key = _fund_row_key(row, fund_cols)
            if key:
                fund_items.extend(_fund_items(base, r_i, row, key, fund_cols, fund_unit))
                if key == "fund_total":
                    indicators.append(_budget_exec_row(base, r_i, row, fund_cols, project))
            continue
        if mode == "goal" and goal_cols:
            for role, c in goal_cols.items():
                text = _cell_text_from(row, c, goal_cols)
                if text:
                    goals.append({"role": role, "text": text, "row": r_i, "project": project})
            continue
        if mode == "indicators" and ind_cols:
            c1, c2 = ind_cols.get("level1"), ind_cols.get("level2")
            if c1 is not None and squash(row[c1]):
                level1, w1 = strip_weight(row[c1]), label_weight(squash(row[c1]))
                level2, w2 = None, None
            if c2 is not None and squash(row[c2]):
                level2, w2 = strip_weight(row[c2]), label_weight(squash(row[c2]))
            c3 = ind_cols.get("level3")
            if c3 is None or not squash(row[c3]):
                continue
            indicators.append(_indicator_row(base, r_i, row, ind_cols, "indicator", project, level1, w1, level2, w2))
    return indicators, fund_items, goals


def _cell_text_from(row: list[str], c: int, goal_cols: dict[str, int]) -> str:
    """Text of a goal cell; when the text sits in a neighbouring blank-merged cell, take it from there."""
    ends = sorted(goal_cols.values())
    nxt = next((e for e in ends if e > c), len(row))
    for k in range(c, nxt):
        if squash(row[k]):
            return row[k].strip()
    return ""


def _fund_row_key(row: list[str], cols: dict[str, int]) -> str | None:
    first_num = min(cols.values())
    label = squash("".join(row[:first_num]))
    for key, words in _FUND_ROWS:
        if any(w in label for w in words):
            return key
    return None


def _fund_items(base: dict, r_i: int, row: list[str], key: str, cols: dict[str, int], unit: str) -> list[dict]:
    out = []
    for measure, c in cols.items():
        if c >= len(row):
            continue
        num = parse_number(row[c])
        if num is None:
            continue
        if measure in ("weight", "score"):
            u, sc = "分", 1.0
        elif measure == "exec_rate":
            u, sc = "%", 1.0
        else:
            u = num.unit or unit
            sc = num.scale if num.unit else unit_scale(unit)[1]
        out.append(
            {**base, "row": r_i, "col": c, "section": None, "lane": None, "code": None, "code_kind": None, "level": None,
             "name": dict(_FUND_ROWS)[key][0], "row_kind": "total" if key == "fund_total" else "item",
             "item_key": key, "measure": measure, "measure_label": None, "raw_text": row[c], "value": num.value,
             "unit": u, "scale": sc, "decimals": num.decimals}
        )
    return out


def _num(row: list[str], c: int | None):
    if c is None or c >= len(row):
        return None, None
    return row[c], parse_number(row[c])


def _budget_exec_row(base: dict, r_i: int, row: list[str], cols: dict[str, int], project: str | None) -> dict:
    _, w = _num(row, cols.get("weight"))
    _, s = _num(row, cols.get("score"))
    rate_raw, rate = _num(row, cols.get("exec_rate"))
    return {
        **_ind_base(base, r_i, project),
        "row_kind": "budget_execution",
        "level1": "预算执行率",
        "level3": "预算执行率",
        "actual_raw": rate_raw,
        "actual_value": rate.value if rate else None,
        "actual_unit": rate.unit if rate else None,
        "actual_decimals": rate.decimals if rate else None,
        "weight": w.value if w else None,
        "weight_decimals": w.decimals if w else None,
        "score": s.value if s else None,
        "score_decimals": s.decimals if s else None,
    }


def _ind_base(base: dict, r_i: int, project: str | None) -> dict:
    return {
        "document_id": base["document_id"],
        "table_id": base["table_id"],
        "page": base.get("page"),
        "row": r_i,
        "project": project,
    }


def _indicator_row(base, r_i, row, cols, kind, project, level1, w1, level2, w2) -> dict:
    out = _ind_base(base, r_i, project)
    out.update({"row_kind": kind, "level1": level1, "level1_weight": w1, "level2": level2, "level2_weight": w2})
    if kind == "indicator":
        out["level3"] = squash(row[cols["level3"]])
    for key in ("target", "actual"):
        raw, num = _num(row, cols.get(key))
        out[f"{key}_raw"] = raw.strip() if raw else None
        if num is not None:
            out[f"{key}_op"] = num.op
            out[f"{key}_value"] = num.value
            out[f"{key}_unit"] = num.unit
            out[f"{key}_decimals"] = num.decimals
    if kind == "total":
        # 总分 rows print 分值 (100) and 得分 in their own columns; when columns are unknown take the numbers in order
        nums = [(c, parse_number(x)) for c, x in enumerate(row)]
        nums = [(c, n) for c, n in nums if n is not None]
        wc, sc = cols.get("weight"), cols.get("score")
        by_col = dict(nums)
        w = by_col.get(wc) if wc is not None else None
        s = by_col.get(sc) if sc is not None else None
        if w is None and s is None and nums:
            if len(nums) >= 2:
                w, s = nums[-2][1], nums[-1][1]
            else:
                s = nums[-1][1]
        elif s is None and w is not None and len(nums) >= 2:
            s = nums[-1][1] if nums[-1][0] != wc else None
    else:
        _, w = _num(row, cols.get("weight"))
        _, s = _num(row, cols.get("score"))
    out["weight"] = w.value if w else None
    out["weight_decimals"] = w.decimals if w else None
    out["score"] = s.value if s else None
    out["score_decimals"] = s.decimals if s else None
    nc = cols.get("note")
    if nc is not None and nc < len(row) and squash(row[nc]):
        out["deviation_note"] = row[nc].strip()
    return out


def extract_score_sheet(grid: Grid, base: dict, project: str | None) -> list[dict]:
    """计分表 (一级/二级/三级指标 × 自评分): weights come from the '(N分)' in the labels."""
    header = grid.rows[: max(grid.header_rows, 1)]
    cols: dict[str, int] = {}
    for row in header:
        cols.update({k: v for k, v in _match_cols(row, _IND_COLS).items() if k not in cols})
    c1, c2, c3, cs = cols.get("level1", 0), cols.get("level2", 1), cols.get("level3", 2), cols.get("score", 3)
    out: list[dict] = []
    level1 = level2 = None
    w1 = w2 = None
    for r_i, row in grid.body():
        first = squash(row[c1])
        if first.startswith("总分") or first in ("合计", "总计"):
            _, s = _num(row, cs)
            if s is None:
                nums = [parse_number(x) for x in row[1:]]
                nums = [n for n in nums if n is not None]
                s = nums[-1] if nums else None
            out.append({**_ind_base(base, r_i, project), "row_kind": "total",
                        "score": s.value if s else None, "score_decimals": s.decimals if s else None})
            continue
        if first and first != level1:
            level1, w1 = strip_weight(row[c1]), label_weight(first)
        if squash(row[c2]):
            level2, w2 = strip_weight(row[c2]), label_weight(squash(row[c2]))
        l3 = squash(row[c3])
        if not l3:
            continue
        _, s = _num(row, cs)
        out.append(
            {**_ind_base(base, r_i, project), "row_kind": "indicator", "level1": level1, "level1_weight": w1,
             "level2": level2, "level2_weight": w2, "level3": strip_weight(row[c3]),
             "weight": label_weight(l3), "weight_decimals": 0 if label_weight(l3) is not None else None,
             "score": s.value if s else None, "score_decimals": s.decimals if s else None}
        )
    return out
