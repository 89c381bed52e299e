"""The peer fault: one 项级 line item multiplied by k, with the document kept arithmetically whole.

The peer checks (PO010–PO012) look for a line item far from what the bureau's size and its peers
explain. To measure them on real documents the fault must be invisible to the arithmetic checks:
the item (its 合计 and 项目支出 cells: the extra spending is one more project, so the 基本支出
split and the 06 表 stay as printed) rises by Δ = (k − 1) × its 合计, and so does every cell that
prints a sum containing it, in every table of the document:

* 03 支出决算表 / 05 一般公共预算财政拨款支出决算表: the item's 款 and 类 rows and the 合计 row
  (合计 and 项目支出 columns);
* 02 收入决算表: the item's 项/款/类 rows and the 合计 row (收入合计 and 财政拨款 columns): the extra
  spending is financed by a larger 一般公共预算 appropriation;
* 01 收入支出决算总表 / 04 财政拨款收入支出决算总表: the 类 row, 本年支出合计 and 总计 on the expense
  side, 一般公共预算财政拨款(收入), 本年收入合计 and 总计 on the income side.

Only items of at most 30 % of the table's 合计 (a larger one ×k would be most of the spending, not
one line of it) whose arithmetic can be carried through are candidates: a 05 表 that does not print the
item (it is not financed by the 一般公共预算), a 01/04 表 without its 一般公共预算 income row, or a Δ
the printed precision cannot hold abstain. The text of 情况说明 is not edited (its restatements of
the totals may then disagree with the tables: the evaluation reports such findings apart).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from decimal import Decimal

import polars as pl

from toolkit.mutate import numbers as nb
from toolkit.mutate.edits import Edit, Group, Replace
from toolkit.mutate.planner import Context, Frames, Plan, _cell_anchors, _cell_row, _frame, _where

MULTIPLIERS: dict[str, int] = {"line_item_scaled_2x": 2, "line_item_scaled_3x": 3, "line_item_scaled_5x": 5}
ITEM_TABLES = ("expense", "gpb_expense")  # 03, then 05: where the scaled 项 is read (as the features read it)
PARENT_TABLES = ("expense", "gpb_expense", "income")
SUMMARY_TABLES = ("income_expense_summary", "fiscal_summary")
# columns a sum containing the item's 合计 is printed in (never 基本支出, 预算数 or 年初结转)
SUM_MEASURES = ("total", "project", "fiscal", "final", "amount", "gpb")
GPB_INCOME = "一般公共预算"
MAX_SHARE = 0.3  # of the table's 合计: larger items are left alone


def _order(code: str, doc: str) -> str:
    """A stable, document-dependent order of the candidate items (not the first rows of the table)."""
    return hashlib.sha256(f"{doc}|{code}".encode()).hexdigest()


def _decimal(raw: str | None) -> Decimal | None:
    num = nb.number_part(raw or "")
    if not num:
        return None
    try:
        return Decimal(num.replace(",", "").replace("，", "").replace("−", "-"))
    except ArithmeticError:
        return None


def _printed(value: Decimal, like: str) -> str:
    return nb.format_like(float(value), like)


def _host_items(li: pl.DataFrame) -> pl.DataFrame:
    """Candidate 项 rows of the first 03 表 (else 05 表): 合计 > 0 with a 项目支出 cell in the row."""
    rows = li.filter(pl.col("table_type").is_in(list(ITEM_TABLES)) & (pl.col("row_kind") == "item")
                     & (pl.col("code").str.len_chars() == 7) & pl.col("value").is_not_null())
    if rows.is_empty():
        return rows
    host = rows.with_columns(prio=pl.col("table_type").replace_strict({"expense": 0, "gpb_expense": 1},
                                                                       return_dtype=pl.Int32)).sort("prio", "table_id")
    table = host["table_id"][0]
    rows = rows.filter(pl.col("table_id") == table)
    total = rows.filter((pl.col("measure") == "total") & (pl.col("value") > 0))
    sums = li.filter((pl.col("table_id") == table) & (pl.col("row_kind") == "total") & (pl.col("measure") == "total"))
    if sums.height:  # an item that is most of the spending cannot be k× its size without being the total
        total = total.filter(pl.col("value") <= MAX_SHARE * sums["value"].max())
    project = rows.filter(pl.col("measure") == "project").select("row", pl.col("col").alias("project_col"))
    return total.join(project, on="row").unique("row", keep="first").sort("row")


def _affected(li: pl.DataFrame, code: str, host_table: str) -> pl.DataFrame | None:
    """Every cell that prints a sum containing the item, or None when the chain cannot be closed."""
    lineage = [code[:3], code[:5], code]
    sums = pl.col("measure").is_in(list(SUM_MEASURES))
    out = []
    for table_id, t in li.group_by("table_id", maintain_order=True):
        ttype = t["table_type"][0]
        if ttype in PARENT_TABLES:
            if ttype == "gpb_expense" and table_id != host_table and t.filter(pl.col("code") == code).is_empty():
                return None  # a 05 表 without the item: it is not financed by the 一般公共预算
            out.append(t.filter(sums & (pl.col("code").is_in(lineage) | (pl.col("row_kind") == "total"))))
        elif ttype in SUMMARY_TABLES:
            expense = t.filter((pl.col("section") == "expense") & sums
                               & ((pl.col("code") == code[:3]) | pl.col("row_kind").is_in(["total", "grand_total"])))
            income_rows = t.filter(pl.col("section") == "income")
            gpb = income_rows.filter((pl.col("row_kind") == "item") & pl.col("name").str.contains(GPB_INCOME))
            if gpb.is_empty() or expense.filter(pl.col("code") == code[:3]).is_empty():
                return None
            gpb_row = gpb["row"].min()
            income = income_rows.filter(sums & ((pl.col("row") == gpb_row)
                                                | pl.col("row_kind").is_in(["total", "grand_total"])))
            out += [expense, income]
    cells = pl.concat([o for o in out if o.height], how="vertical") if any(o.height for o in out) else None
    return cells.unique(["table_id", "row", "col"], keep="first") if cells is not None else None


def scaled_cells(frames: Frames, code: str, k: int) -> list[tuple[dict, str, str]] | None:
    """(line item, printed before, printed after) for every cell the scaling of ``code`` changes, or
    None when it cannot be done within the printed precision and the document's tables."""
    li = _frame(frames, "line_items")
    items = _host_items(li)
    row = items.filter(pl.col("code") == code)
    if row.is_empty():
        return None
    item = row.to_dicts()[0]
    total = _decimal(item["raw_text"])
    if total is None or total <= 0:
        return None
    delta_yuan = (k - 1) * total * Decimal(str(item["scale"] or 1.0))
    cells = _affected(li, code, item["table_id"])
    if cells is None:
        return None
    out = []
    for c in cells.sort("table_id", "row", "col").to_dicts():
        old = nb.number_part(c["raw_text"] or "")
        before = _decimal(c["raw_text"])
        if not old or before is None:
            return None
        delta = delta_yuan / Decimal(str(c["scale"] or 1.0))
        quantum = Decimal(1).scaleb(-nb.decimals_of(old))
        if delta != delta.quantize(quantum):
            return None  # Δ would need more digits than this cell prints
        out.append((c, old, _printed(before + delta, old)))
    return out


def _patterns(alts: list[Replace]) -> list[Replace]:
    """One cell's anchors in the orders tried: the k-th equal cell (else the number alone), then with
    its row as context, then the number alone, then each anchor in turn."""
    plain = alts[0]
    occ = next((a for a in alts if a.occurrence is not None), None)
    ctx = [a for a in alts[1:] if a.occurrence is None]
    firsts = [occ or plain, (occ or (ctx[0] if ctx else plain)), (ctx[0] if ctx else occ or plain), plain]
    return firsts + alts


def _edits(frames: Frames, changes: list[tuple[dict, str, str]]) -> list[list[Edit]]:
    """Alternatives, each anchoring every cell by the same rule (:func:`_patterns`), the cells of a
    page located together (they may print the same number)."""
    cells = _frame(frames, "cells")
    anchors = []
    for li_row, old, new in changes:
        cell = cells.filter((pl.col("table_id") == li_row["table_id"]) & (pl.col("row") == li_row["row"])
                            & (pl.col("col") == li_row["col"]))
        if cell.is_empty():
            return []
        c = cell.to_dicts()[0]
        alts = _cell_anchors(c, _cell_row(cells, c["table_id"], c["row"]), old, new, frames)
        reps = [a[0] for a in alts if a and isinstance(a[0], Replace)]
        if not reps:
            return []
        anchors.append(_patterns(reps))
    out: list[list[Edit]] = []
    seen: set[tuple] = set()
    for n in range(max(len(a) for a in anchors)):
        picked = tuple(a[min(n, len(a) - 1)] for a in anchors)
        if picked in seen:
            continue
        seen.add(picked)
        by_scope: dict[tuple, list[Replace]] = {}
        for r in picked:
            by_scope.setdefault((r.page, r.sheet), []).append(r)
        out.append([Group(tuple(reps)) for reps in by_scope.values()])
    return out


def plan_line_item_scaled(k: int, fault: str) -> Callable[[Frames, Context], Iterator[Plan]]:
    def planner(frames: Frames, ctx: Context) -> Iterator[Plan]:
        items = _host_items(_frame(frames, "line_items"))
        if items.is_empty():
            return
        doc = str(items["document_id"][0])
        for item in sorted(items.to_dicts(), key=lambda r: _order(r["code"], doc)):
            changes = scaled_cells(frames, item["code"], k)
            if not changes:
                continue
            alternatives = _edits(frames, changes)
            if not alternatives:
                continue
            old = nb.number_part(item["raw_text"]) or ""
            new = next(n for c, _, n in changes if c["table_id"] == item["table_id"] and c["row"] == item["row"]
                       and c["measure"] == "total")
            where = _where({**item, "row_label": f"{item.get('name') or ''}（{item['code']}）",
                            "col_label": "合计", "sheet": None})
            yield Plan(fault, alternatives, where, old, new, (item["code"], new),
                       f"{item.get('name')}（{item['code']}）×{k}: {old} -> {new}, with its 款/类, 合计 and "
                       f"总计 in {len({c['table_id'] for c, _, _ in changes})} tables raised by the same amount",
                       table_id=item["table_id"], page=item.get("page"), templated=True,
                       extra={"code": item["code"], "multiplier": k, "cells": len(changes)})
    return planner


PEER_PLANNERS = {name: plan_line_item_scaled(k, name) for name, k in MULTIPLIERS.items()}
