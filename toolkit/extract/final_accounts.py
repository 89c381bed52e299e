"""决算/预算 tables -> ``line_items`` rows (one per amount cell), keyed by 科目编码 or a named row.

A table may print several *lanes* side by side (01: 收入 | 支出; 06: 人员经费 | 公用经费 |
资本性支出). Lanes are found where a label column (项目/科目名称) repeats in the header.
Within a lane the columns are: an optional code column (or 类|款|项 split over three
columns), a name column, an optional 行次 column and amount columns, whose header words
give the ``measure`` (the words are declared per type in ``toolkit.extract.table_types``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from toolkit.extract.grid import CODE_RE, LEADING_CODE_RE, Grid
from toolkit.normalize.numbers import parse_number, unit_scale
from toolkit.normalize.text import squash

if TYPE_CHECKING:
    from toolkit.extract.table_types import TableType

# 政府收支分类 类 codes by name, for 01/04 expense lanes that print names without codes
FUNCTION_CLASS_CODES: dict[str, str] = {
    "一般公共服务": "201",
    "外交": "202",
    "国防": "203",
    "公共安全": "204",
    "教育": "205",
    "科学技术": "206",
    "文化旅游体育与传媒": "207",
    "文化体育与传媒": "207",
    "社会保障和就业": "208",
    "社会保险基金": "209",
    "卫生健康": "210",
    "医疗卫生与计划生育": "210",
    "节能环保": "211",
    "城乡社区": "212",
    "农林水": "213",
    "交通运输": "214",
    "资源勘探工业信息等": "215",
    "资源勘探信息等": "215",
    "商业服务业等": "216",
    "金融": "217",
    "援助其他地区": "219",
    "自然资源海洋气象等": "220",
    "国土海洋气象等": "220",
    "住房保障": "221",
    "粮油物资储备": "222",
    "国有资本经营预算": "223",
    "灾害防治及应急管理": "224",
    "其他": "229",
    "债务还本": "231",
    "债务付息": "232",
    "债务发行费用": "233",
}


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
                  "政府性基金", "国有资本", "执行数", "经费支出")
    )


def measure_for(spec: TableType, joined: str, deepest: str) -> str | None:
    """Map a column header to its measure key: the spec's measure words, then its fallback."""
    for key, words in spec.measure_words:
        if any(w in deepest for w in words):
            return key
    return spec.measure_fallback(joined, deepest) if spec.measure_fallback is not None else None


# --- measure fallbacks named by the specs in toolkit.extract.table_types ----------------------

def every_column_is_total(joined: str, deepest: str) -> str | None:
    """机关运行经费 tables print one amount column."""
    return "total"


def amount_is_total(joined: str, deepest: str) -> str | None:
    """A lone 决算数/预算数/金额 column of a 科目 table is its total."""
    return "total" if "决算数" in deepest or "预算数" in deepest or "金额" in deepest else None


def income_by_header_path(joined: str, deepest: str) -> str | None:
    """政府性基金/国有资本经营 tables name 本年收入 above its columns, not in them."""
    return "income" if "本年收入" in joined else None


def stage_of_column(joined: str, deepest: str) -> str | None:
    """'budget' for a 预算 column printed beside 决算, 'final' for the amount itself."""
    if "预算" in deepest and "决算" not in deepest:
        return "budget"
    if any(w in deepest for w in ("决算", "金额", "合计", "数")):
        return "final"
    return None


def staff_or_stage(joined: str, deepest: str) -> str | None:
    """06 预算 layout: 合计 | 人员经费 | 公用经费 columns (the 决算 layout prints them as lanes instead)."""
    if deepest.startswith("人员经费"):
        return "personnel"
    if deepest.startswith("公用经费"):
        return "public"
    return stage_of_column(joined, deepest)


def _is_code_header(lbl: str) -> bool:
    return "编码" in lbl or "代码" in lbl or lbl in ("类", "款", "项")


_CLASS_RE = re.compile(r"^\d{3}$")
_SUB_RE = re.compile(r"^\d{2}$")


def _split_code_cols(body: list[list[str]], cols: list[int]) -> list[int] | None:
    """类|款|项 printed over three columns ('204' | '06' | '01'), found from the body cells.

    Three adjacent columns whose non-blank cells are 3, 2 and 2 digits, on most rows that
    have anything there, with 2-digit cells present at all (else it is one code column).
    """
    for c in cols[:3]:
        if c + 2 not in cols:
            break
        rows = [r for r in body if squash(r[c]) or squash(r[c + 1])]
        if not rows:
            continue
        fits = sum(
            1
            for r in rows
            if (not squash(r[c]) or _CLASS_RE.match(squash(r[c])))
            and (not squash(r[c + 1]) or _SUB_RE.match(squash(r[c + 1])))
            and (not squash(r[c + 2]) or _SUB_RE.match(squash(r[c + 2])))
        )
        subs = sum(1 for r in rows if _SUB_RE.match(squash(r[c + 1])))
        if subs and fits >= max(2, (len(rows) * 2 + 2) // 3):
            return [c, c + 1, c + 2]
    return None


def _lane_starts(labels: list[str], deepest: list[str]) -> list[int]:
    """Columns where a lane begins: a code column (a run of 编码/类|款|项 columns) or a label column.

    A label column right after the code columns (blank headers under a merged 科目编码 count
    as code columns) belongs to their lane.
    """
    starts: list[int] = []
    after_code = False
    for c in range(len(labels)):
        lbl = deepest[c] or labels[c]
        if _is_code_header(lbl):
            if not after_code:
                starts.append(c)
            after_code = True
            continue
        if not lbl:
            continue
        if _is_label_header(lbl) and not after_code and (not starts or starts[-1] != c):
            starts.append(c)
        after_code = False
    return starts or [0]


def _lane_section(grid: Grid, start: int) -> str | None:
    """收入 or 支出 from the top header label over the lane (a merged top cell spans several lanes)."""
    if not grid.header_rows:
        return None
    top = squash(grid.rows[0][start]) or grid.labels[start].split("/")[0]
    if top.startswith("收入") or top.endswith("收入"):
        return "income"
    if top.startswith("支出") or top.endswith("支出"):
        return "expense"
    return None


def find_lanes(grid: Grid) -> list[Lane]:
    labels, deepest = grid.labels, grid.deepest
    width = grid.n_cols
    body = [r for _, r in grid.body()]
    starts = _lane_starts(labels, deepest)
    lanes: list[Lane] = []
    for k, s in enumerate(starts):
        e = starts[k + 1] if k + 1 < len(starts) else width
        cols = list(range(s, e))
        code_cols = [c for c in cols if _is_code_header(deepest[c])]
        # a merged 科目编码 header over blank-headed columns: the blank columns next to it are codes too
        while code_cols and code_cols[-1] + 1 in cols and not deepest[code_cols[-1] + 1] and not labels[code_cols[-1] + 1]:
            code_cols.append(code_cols[-1] + 1)
        split = _split_code_cols(body, cols)
        if split and (not code_cols or set(code_cols) <= set(split) or set(split) <= set(code_cols)):
            code_cols = split
        elif not code_cols:
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
        lanes.append(Lane(section=_lane_section(grid, s), label_col=label_col, code_cols=code_cols,
                          amount_cols=amount_cols, seq_col=seq_col))
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


_INCOME_TOTAL_RE = re.compile(r"^(?:本年|当年)?收入(?:合计|小计)$|^(?:本年|当年)收入$")
_EXPENSE_TOTAL_RE = re.compile(r"^(?:本年|当年)?支出(?:合计|小计)$|^(?:本年|当年)支出$")
# a fund named bare, as the 预算 总表 and the Jiangsu 04 table print it ("1.一般公共预算", "一、政府性基金预算")
_BARE_FUNDS = {
    "一般公共预算": "income_gpb", "一般公共预算资金": "income_gpb", "一般公共预算拨款": "income_gpb",
    "政府性基金预算": "income_govfund", "政府性基金": "income_govfund", "政府性基金预算资金": "income_govfund",
    "国有资本经营预算": "income_soe", "国有资本经营预算资金": "income_soe",
}
CHINESE_NUMBERING_RE = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）])")
ARABIC_NUMBERING_RE = re.compile(r"^[（(]?\d{1,2}[)）]?[、.．]?(?=\D)")


def named_row_key(name: str, section: str | None, after_carryover: bool) -> tuple[str | None, str | None, str]:
    """(item_key, class code, row_kind) for a code-less row of a summary table."""
    n = NUMBERING_RE.sub("", squash(name))
    if not n:
        return None, None, "item"
    if n in ("总计", "收入总计", "支出总计", "收支总计") or n.endswith("总计"):
        return "grand_total", None, "grand_total"
    if "本年收入合计" in n or _INCOME_TOTAL_RE.match(n):
        return "income_total", None, "total"
    if "本年支出合计" in n or _EXPENSE_TOTAL_RE.match(n):
        return "expense_total", None, "total"
    if ("年初" in n or "上年" in n) and "结转" in n:
        return "carryover_begin", None, "subtotal"
    if ("年末" in n or "下年" in n) and "结转" in n:
        return "carryover_end", None, "subtotal"
    if "结余分配" in n:
        return "balance_distribution", None, "item"
    if "使用非财政拨款结余" in n or "用事业基金弥补" in n:
        return "use_nonfiscal_balance", None, "item"
    if n in ("合计",):
        return "total", None, "total"
    if section != "expense":
        bare = _BARE_FUNDS.get(n)
        for key, words in _INCOME_ROWS:
            if bare == key or (any(w in n for w in words) and ("收入" in n or "拨款" in n or key in ("income_upper",))):
                if after_carryover and key in ("income_gpb", "income_govfund", "income_soe"):
                    # 年初财政拨款结转和结余 by fund: parts of the carry-over row above, not income items
                    return "carryover_begin_" + key.split("_", 1)[1], None, "part"
                return key, None, "item"
        if n.startswith("财政拨款"):
            return "income_fiscal", None, "item"
        if "财政专户" in n:
            return "income_special_account", None, "item"
        if n == "其他资金":
            return "income_other", None, "item"
    if section != "income":
        base = n.removesuffix("支出").removesuffix("(类)").removesuffix("（类）")
        for cname, code in FUNCTION_CLASS_CODES.items():
            if base == cname or base == cname + "支出" or n == cname + "支出":
                return f"class_{code}", code, "item"
    return None, None, "item"


def _code_and_name(row: list[str], lane: Lane, carried: list[str]) -> tuple[str | None, str]:
    """科目编码 and name of a row; ``carried`` holds the 类|款 cells of the rows above (split codes).

    A split-code layout may leave the 类 (and 款) cell blank under the row that printed it.
    """
    name = row[lane.label_col]
    parts = [squash(row[c]) for c in lane.code_cols]
    if len(parts) == 3 and all(p.isdigit() or not p for p in parts) and any(parts):
        for i in range(2):
            if parts[i]:
                carried[i] = parts[i]
                if i == 0:
                    carried[1] = ""
            elif any(parts[i + 1:]):
                parts[i] = carried[i]
    code = "".join(parts)
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


def _spanning_total(row: list[str], lane: Lane, section: str | None) -> str:
    """A total label printed once across lanes (Jiangsu '当年支出小计' over 功能分类 | 支出用途)."""
    for c in range(lane.label_col - 1, -1, -1):
        text = squash(row[c])
        if text:
            if parse_number(text) is None and named_row_key(text, section, False)[2] in ("total", "grand_total", "subtotal"):
                return text
            return ""
    return ""


@dataclass(slots=True)
class _LaneState:
    """What the rows above told about the current row of a lane."""

    after_carryover: bool = False
    parent_has_amount: bool = False  # the last 一、/二、 row carried an amount: 1./2. rows under it are its parts
    seen: set[str] | None = None
    carried: list[str] | None = None


def extract_line_item_table(grid: Grid, spec: TableType, unit: str | None, base: dict, project: str | None) -> dict[str, list[dict]]:
    """The extractor of the 科目/summary tables (see ``toolkit.extract.table_types.Extractor``)."""
    return {"line_items": extract_line_items(grid, spec, unit, base)}


def extract_sangong_table(grid: Grid, spec: TableType, unit: str | None, base: dict, project: str | None) -> dict[str, list[dict]]:
    """The extractor of the 三公 table: one data row, the item and the stage come from the columns."""
    return {"line_items": _sangong_items(grid, unit, base)}


def extract_line_items(grid: Grid, spec: TableType, unit: str | None, base: dict) -> list[dict]:
    """All amount cells of a recognised 决算/预算 table as line_items rows."""
    lanes = find_lanes(grid)
    _, scale = unit_scale(unit)
    code_kind = spec.code_kind
    summary = spec.summary
    out: list[dict] = []
    for lane_no, lane in enumerate(lanes):
        state = _LaneState(seen=set(), carried=["", ""])
        for r_i, row in grid.body():
            if spec.staff_summaries and _summary_row(row):
                continue
            code, name = _code_and_name(row, lane, state.carried)
            amounts = [c for c in lane.amount_cols if parse_number(row[c]) is not None]
            if not code and not squash(name) and summary and lane_no and amounts:
                name = _spanning_total(row, lane, lane.section)
            if not code and not squash(name):
                continue
            item_key, row_kind, class_code = None, "item", None
            if code:
                level = {3: 1, 5: 2, 7: 3}.get(len(code))
            else:
                level = None
                item_key, class_code, row_kind = named_row_key(name, lane.section, state.after_carryover)
                if item_key in ("income_total", "expense_total") and item_key in state.seen:
                    # the second 收入合计 (below 上年结转资金) is the 总计 of a 预算 总表
                    item_key, row_kind = "grand_total", "grand_total"
                if item_key:
                    state.seen.add(item_key)
                if item_key == "carryover_begin":
                    state.after_carryover = True
                elif item_key in ("grand_total", "carryover_end"):
                    state.after_carryover = False
                if class_code:
                    code, level = class_code, 1
                    item_key = None
                if item_key is None and not class_code and squash(name) in ("合计",):
                    item_key, row_kind = "total", "total"
                if summary and row_kind == "item":
                    raw_name = squash(name)
                    if CHINESE_NUMBERING_RE.match(raw_name):
                        state.parent_has_amount = bool(amounts)
                    elif ARABIC_NUMBERING_RE.match(raw_name) and state.parent_has_amount:
                        row_kind = "part"  # 1.一般公共预算 under 一、财政拨款: counted in its parent already
                if row_kind != "item":
                    state.parent_has_amount = row_kind == "part" and state.parent_has_amount
            for c in lane.amount_cols:
                measure = measure_for(spec, grid.labels[c], grid.deepest[c])
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
    if spec.staff_summaries:
        out.extend(_basic_summary_items(grid, unit, base))
    return _single_stage_is_the_amount(out)


def _single_stage_is_the_amount(items: list[dict]) -> list[dict]:
    """A 预算 document's 总表 prints one 预算数 column: that is the table's amount ('final'), as in a 决算.

    'budget' is kept for the 年初预算数 column printed beside a 决算数 column.
    """
    lanes: dict[tuple, set[str]] = {}
    for it in items:
        lanes.setdefault((it["table_type"] if "table_type" in it else None, it["lane"]), set()).add(it["measure"])
    for it in items:
        if it["measure"] == "budget" and "final" not in lanes[(it.get("table_type"), it["lane"])]:
            it["measure"] = "final"
    return items


def _summary_row(row: list[str]) -> bool:
    """'人员经费合计 … 公用经费合计 …' of a 决算 06 table; a coded class such as '303 离退休人员经费' is not one."""
    cells = [squash(c) for c in row]
    if any(CODE_RE.match(c) for c in cells):
        return False
    return any(c.startswith(("人员经费", "公用经费")) for c in cells)


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
    ("running_cost", ("机关运行",)),  # 机关运行经费 printed beside the 三公 columns (Shanghai 预算)
    ("vehicle", ("小计",)),
    ("vehicle", ("购置及运行",)),
    ("vehicle_purchase", ("购置",)),
    ("vehicle_operation", ("运行",)),
    ("abroad", ("出国",)),
    ("reception", ("接待",)),
    ("total", ("合计",)),
)


SANGONG_ROW = "sangong"  # item_key of the single data row of the 三公 table
SANGONG_MEASURES = (
    *(f"{stage}_{key}" for stage in ("budget", "final") for key in
      ("total", "abroad", "vehicle", "vehicle_purchase", "vehicle_operation", "reception")),
    "budget_running_cost", "final_running_cost",  # 机关运行经费 column of a “三公”经费和机关运行经费 table
)
_STAGE_RE = re.compile(r"^(?:年初)?(?:预算|决算|执行)数?$|^全年预算数$")


def sangong_measure(joined: str, deepest: str, beside_other_costs: bool = False) -> str | None:
    """Measure of a 三公 column; ``beside_other_costs``: the table also prints 会议费/培训费 columns."""
    path = joined.split("/")
    # a bottom header row of 预算数 | 决算数 under each item (Shanghai 决算): the stage, not the item
    stages = [p for p in path if _STAGE_RE.match(p)]
    path = [p for p in path if not _STAGE_RE.match(p)] or path
    deepest = path[-1] if stages else deepest
    stage_words = stages[-1] if stages else joined
    stage = "budget" if "预算" in stage_words and "决算" not in stage_words else "final"
    if deepest == "小计" and len(path) >= 2 and "三公" in path[-2]:
        return f"{stage}_total"  # 三公经费 | 小计: the 三公 total beside 会议费/培训费
    if deepest == "合计" and beside_other_costs:
        return None  # 合计 of 三公 + 会议费 + 培训费: not a 三公 figure
    for key, words in _SANGONG_ITEMS:
        if any(w in deepest for w in words):
            return f"{stage}_{key}"
    return None


def _sangong_items(grid: Grid, unit: str | None, base: dict) -> list[dict]:
    _, scale = unit_scale(unit)
    out = []
    others = any("会议费" in lbl or "培训费" in lbl for lbl in grid.labels)
    for r_i, row in grid.body():
        for c, raw in enumerate(row):
            num = parse_number(raw)
            if num is None:
                continue
            measure = sangong_measure(grid.labels[c], grid.deepest[c], others)
            if measure is None:
                continue
            out.append(
                {**base, "page": base.get("page"), "row": r_i, "col": c, "section": measure.split("_")[0], "lane": None,
                 "code": None, "code_kind": None, "level": None, "name": "三公经费", "row_kind": "item",
                 "item_key": SANGONG_ROW, "measure": measure, "measure_label": grid.labels[c] or None, "raw_text": raw,
                 "value": num.value, "unit": num.unit or unit, "scale": num.scale if num.unit else scale,
                 "decimals": num.decimals}
            )
    return out
