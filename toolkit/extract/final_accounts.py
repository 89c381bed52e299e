"""决算/预算 tables -> ``line_items`` rows (one per amount cell), keyed by 科目编码 or a named row.

A table may print several *lanes* side by side (01: 收入 | 支出; 06: 人员经费 | 公用经费 |
资本性支出). Lanes are found where a label column (项目/科目名称) repeats in the header.
Within a lane the columns are: an optional code column (or 类|款|项 split over three
columns), a name column, an optional 行次 column and amount columns, whose header words
give the ``measure`` (see ``toolkit.extract.vocabulary.MEASURES``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from toolkit.extract.grid import CODE_RE, LEADING_CODE_RE, Grid
from toolkit.extract.vocabulary import FUNCTION_CLASS_CODES
from toolkit.normalize.numbers import parse_number, unit_scale
from toolkit.normalize.text import squash

NUMBERING_RE = re.compile(r"^[一二三四五六七八九十]+[、.．]|^\(?[一二三四五六七八九十]+\)|^\d+[、.．]")


@dataclass(slots=True)
class Lane:
    section: str | None
    label_col: int
    code_cols: list[int]
    amount_cols: list[int]
    seq_col: int | None = None  # 行次


# --- column roles -----------------------------------------------------------------------------

def _is_label_header(lbl: str) -> bool:
    return any(w in lbl for w in ("项目", "科目名称", "功能分类", "经济分类", "收入", "支出")) and not _measure_words(lbl)


def _measure_words(lbl: str) -> bool:
    return any(
        w in lbl
        for w in ("合计", "决算数", "预算数", "金额", "小计", "基本支出", "项目支出", "收入合计", "财政拨款收入",
                  "上级补助", "事业收入", "经营", "附属", "其他收入", "年初", "年末", "本年", "一般公共预算",
                  "政府性基金", "国有资本", "执行数")
    )


def measure_for(table_type: str, joined: str, deepest: str) -> str | None:
    """Map a column header to its measure key for ``table_type``."""
    d, j = deepest, joined
    if table_type in ("income",):
        for key, words in (
            ("fiscal", ("财政拨款",)),
            ("upper", ("上级补助",)),
            ("business", ("事业收入",)),
            ("operating", ("经营收入",)),
            ("affiliated", ("附属单位",)),
            ("other", ("其他收入",)),
            ("total", ("合计", "小计", "收入总计", "本年收入")),
        ):
            if any(w in d for w in words):
                return key
        return None
    if table_type in ("expense", "gpb_expense", "project_expense"):
        for key, words in (
            ("basic", ("基本支出",)),
            ("project", ("项目支出",)),
            ("upper_remit", ("上缴上级",)),
            ("operating", ("经营支出",)),
            ("affiliated_subsidy", ("附属单位",)),
            ("total", ("合计", "小计", "本年支出", "支出总计", "总计")),
        ):
            if any(w in d for w in words):
                return key
        if "决算数" in d or "预算数" in d or "金额" in d:
            return "total"
        return None
    if table_type in ("gov_fund", "soe_capital"):
        for key, words in (
            ("carryover_begin", ("年初",)),
            ("carryover_end", ("年末",)),
            ("basic", ("基本支出",)),
            ("project", ("项目支出",)),
            ("income", ("本年收入",)),
            ("total", ("小计", "合计", "本年支出")),
        ):
            if any(w in d for w in words):
                return key
        if "本年收入" in j:
            return "income"
        return None
    if table_type == "fiscal_summary":
        for key, words in (
            ("gpb", ("一般公共预算",)),
            ("govfund", ("政府性基金",)),
            ("soe", ("国有资本",)),
            ("total", ("合计", "小计")),
            ("amount", ("金额", "决算数", "预算数")),
        ):
            if any(w in d for w in words):
                return key
        return None
    if table_type in ("income_expense_summary", "gpb_basic_expense"):
        if "预算" in d and "决算" not in d:
            return "budget"
        if any(w in d for w in ("决算", "金额", "合计", "数")):
            return "final"
        return None
    return None


def find_lanes(grid: Grid, table_type: str) -> list[Lane]:
    labels, deepest = grid.labels, grid.deepest
    width = grid.n_cols
    body = [r for _, r in grid.body()]
    # a lane starts at a label column: header says 项目/科目名称/编码, or the body has text there
    starts: list[int] = []
    for c in range(width):
        lbl = deepest[c] or labels[c]
        if "编码" in lbl or "代码" in lbl:
            if not starts or starts[-1] < c - 1:
                starts.append(c)
            continue
        if _is_label_header(lbl) and not (starts and starts[-1] == c - 1 and ("编码" in deepest[c - 1] or "代码" in deepest[c - 1])):
            if not starts or starts[-1] != c:
                starts.append(c)
    if not starts:
        starts = [0]
    lanes: list[Lane] = []
    for k, s in enumerate(starts):
        e = starts[k + 1] if k + 1 < len(starts) else width
        cols = list(range(s, e))
        code_cols = [c for c in cols if "编码" in deepest[c] or "代码" in deepest[c] or deepest[c] in ("类", "款", "项")]
        if not code_cols:
            # body cells that are codes (3/5/7 digits) in the lane's first column
            first = cols[0]
            codes = sum(1 for r in body if CODE_RE.match(squash(r[first])))
            if codes >= max(1, len([r for r in body if r[first]]) // 2) and len(cols) > 1:
                code_cols = [first]
        name_candidates = [c for c in cols if c not in code_cols]
        if not name_candidates:
            continue
        label_col = name_candidates[0]
        seq_col = None
        amount_cols = []
        for c in name_candidates[1:]:
            if "行次" in deepest[c] or "行次" in labels[c]:
                seq_col = c
            else:
                amount_cols.append(c)
        section = None
        top = squash(grid.rows[0][s]) if grid.header_rows else ""
        if top.startswith("收入") or "收入" == top:
            section = "income"
        elif top.startswith("支出"):
            section = "expense"
        lanes.append(Lane(section=section, label_col=label_col, code_cols=code_cols, amount_cols=amount_cols, seq_col=seq_col))
    return lanes


# --- named rows -------------------------------------------------------------------------------

_INCOME_ROWS = (
    ("income_gpb", ("一般公共预算",)),
    ("income_govfund", ("政府性基金",)),
    ("income_soe", ("国有资本经营",)),
    ("income_upper", ("上级补助",)),
    ("income_business", ("事业收入",)),
    ("income_operating", ("经营收入",)),
    ("income_affiliated", ("附属单位上缴",)),
    ("income_other", ("其他收入",)),
)


def named_row_key(name: str, section: str | None, after_carryover: bool) -> tuple[str | None, str | None, str]:
    """(item_key, class code, row_kind) for a code-less row of a summary table."""
    n = NUMBERING_RE.sub("", squash(name))
    if not n:
        return None, None, "item"
    if n in ("总计", "收入总计", "支出总计", "收支总计") or n.endswith("总计"):
        return "grand_total", None, "grand_total"
    if "本年收入合计" in n or n == "收入合计" or n == "本年收入":
        return "income_total", None, "total"
    if "本年支出合计" in n or n == "支出合计" or n == "本年支出":
        return "expense_total", None, "total"
    if "年初" in n and "结转" in n:
        return "carryover_begin", None, "subtotal"
    if "年末" in n and "结转" in n:
        return "carryover_end", None, "subtotal"
    if "结余分配" in n:
        return "balance_distribution", None, "item"
    if "使用非财政拨款结余" in n or "用事业基金弥补" in n:
        return "use_nonfiscal_balance", None, "item"
    if n in ("合计",):
        return "total", None, "total"
    if section != "expense":
        for key, words in _INCOME_ROWS:
            if any(w in n for w in words) and ("收入" in n or "拨款" in n or key in ("income_upper",)):
                if after_carryover and key in ("income_gpb", "income_govfund", "income_soe"):
                    return "carryover_begin_" + key.split("_", 1)[1], None, "item"
                return key, None, "item"
    if section != "income":
        base = n.removesuffix("支出").removesuffix("(类)").removesuffix("（类）")
        for cname, code in FUNCTION_CLASS_CODES.items():
            if base == cname or base == cname + "支出" or n == cname + "支出":
                return f"class_{code}", code, "item"
    return None, None, "item"


def _code_and_name(row: list[str], lane: Lane) -> tuple[str | None, str]:
    name = row[lane.label_col]
    code = "".join(squash(row[c]) for c in lane.code_cols) if lane.code_cols else ""
    if code and not CODE_RE.match(code):
        # 类|款|项 printed as 210|15|01 is joined above; anything else is not a code
        if not code.isdigit():
            name = (code + name) if not name else name
            code = ""
    if not code:
        m = LEADING_CODE_RE.match(squash(name))
        if m and CODE_RE.match(m.group(1)):
            code, name = m.group(1), m.group(2)
    return (code or None), name


def extract_line_items(grid: Grid, table_type: str, unit: str | None, base: dict) -> list[dict]:
    """All amount cells of a recognised 决算/预算 table as line_items rows."""
    if table_type == "sangong":
        return _sangong_items(grid, unit, base)
    lanes = find_lanes(grid, table_type)
    _, scale = unit_scale(unit)
    code_kind = "economic" if table_type == "gpb_basic_expense" else "function"
    out: list[dict] = []
    for lane_no, lane in enumerate(lanes):
        after_carryover = False
        for r_i, row in grid.body():
            if table_type == "gpb_basic_expense" and _summary_row(row):
                continue
            code, name = _code_and_name(row, lane)
            if not code and not squash(name):
                continue
            item_key, row_kind, class_code = None, "item", None
            if code:
                level = {3: 1, 5: 2, 7: 3}.get(len(code))
            else:
                level = None
                item_key, class_code, row_kind = named_row_key(name, lane.section, after_carryover)
                if item_key == "carryover_begin":
                    after_carryover = True
                elif item_key in ("grand_total", "carryover_end"):
                    after_carryover = False
                if class_code:
                    code, level = class_code, 1
                    item_key = None
                if item_key is None and not class_code and squash(name) in ("合计",):
                    item_key, row_kind = "total", "total"
            for c in lane.amount_cols:
                measure = measure_for(table_type, grid.labels[c], grid.deepest[c])
                raw = row[c]
                num = parse_number(raw)
                if num is None:
                    continue
                out.append(
                    {
                        **base,
                        "page": grid.row_pages[r_i] if r_i < len(grid.row_pages) and grid.row_pages[r_i] else base.get("page"),
                        "row": r_i,
                        "col": c,
                        "section": lane.section,
                        "lane": lane_no,
                        "code": code,
                        "code_kind": code_kind if code else None,
                        "level": level,
                        "name": squash(name) or None,
                        "row_kind": row_kind,
                        "item_key": item_key,
                        "measure": measure,
                        "measure_label": grid.labels[c] or None,
                        "raw_text": raw,
                        "value": num.value,
                        "unit": num.unit or unit,
                        "scale": num.scale if num.unit else scale,
                        "decimals": num.decimals,
                    }
                )
    if table_type == "gpb_basic_expense":
        out.extend(_basic_summary_items(grid, unit, base))
    return out


def _summary_row(row: list[str]) -> bool:
    joined = squash("".join(row))
    return "人员经费" in joined or "公用经费" in joined


def _basic_summary_items(grid: Grid, unit: str | None, base: dict) -> list[dict]:
    """06 table: '人员经费合计 … 104.09 公用经费合计 … 18.74' — pair each label with the next number."""
    _, scale = unit_scale(unit)
    out = []
    for r_i, row in grid.body():
        if not _summary_row(row):
            continue
        pending: str | None = None
        for c, cell in enumerate(row):
            s = squash(cell)
            if "人员经费" in s:
                pending = "personnel_total"
                continue
            if "公用经费" in s:
                pending = "public_total"
                continue
            num = parse_number(cell)
            if pending and num is not None:
                out.append(
                    {**base, "row": r_i, "col": c, "section": None, "lane": None, "code": None, "code_kind": None,
                     "level": None, "name": "人员经费合计" if pending == "personnel_total" else "公用经费合计",
                     "row_kind": "summary", "item_key": pending, "measure": "final", "measure_label": None,
                     "raw_text": cell, "value": num.value, "unit": num.unit or unit,
                     "scale": num.scale if num.unit else scale, "decimals": num.decimals}
                )
                pending = None
    return out


_SANGONG_ITEMS = (
    ("vehicle", ("小计",)),
    ("vehicle", ("购置及运行",)),
    ("vehicle_purchase", ("购置",)),
    ("vehicle_operation", ("运行",)),
    ("abroad", ("出国",)),
    ("reception", ("接待",)),
    ("total", ("合计",)),
)


def sangong_measure(joined: str, deepest: str) -> str | None:
    stage = "budget" if "预算" in joined and "决算" not in joined else "final"
    for key, words in _SANGONG_ITEMS:
        if any(w in deepest for w in words):
            return f"{stage}_{key}"
    return None


def _sangong_items(grid: Grid, unit: str | None, base: dict) -> list[dict]:
    _, scale = unit_scale(unit)
    out = []
    for r_i, row in grid.body():
        for c, raw in enumerate(row):
            num = parse_number(raw)
            if num is None:
                continue
            measure = sangong_measure(grid.labels[c], grid.deepest[c])
            if measure is None:
                continue
            out.append(
                {**base, "page": base.get("page"), "row": r_i, "col": c, "section": measure.split("_")[0], "lane": None,
                 "code": None, "code_kind": None, "level": None, "name": "三公经费", "row_kind": "item",
                 "item_key": "sangong", "measure": measure, "measure_label": grid.labels[c] or None, "raw_text": raw,
                 "value": num.value, "unit": num.unit or unit, "scale": num.scale if num.unit else scale,
                 "decimals": num.decimals}
            )
    return out
