"""Choose what to mutate from our own extraction of the original document.

For each fault a function turns the document's frames (cells, line_items, facts, indicators,
passages, tables) into candidate :class:`Plan` s, best first. A candidate names the edit by
text (anchors taken from the extracted raw text, page and sheet), the value before and after,
and the tokens a correct finding must mention (the injected number or word). Whether the
anchor can be found in the source is the editors' business: a candidate they cannot place is
skipped for the next.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import polars as pl

from toolkit.mutate import numbers as nb
from toolkit.mutate.edits import DeleteRow, DeleteTable, Edit, Replace, Swap
from toolkit.mutate.spans import compact

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Plan:
    fault: str
    alternatives: list[list[Edit]]  # the same change anchored in different ways, tried in order
    location: str
    original_value: str
    injected_value: str
    tokens: tuple[str, ...]
    description: str
    table_id: str | None = None
    page: int | None = None
    sheet: str | None = None
    templated: bool | None = None  # for table faults: the table's type was recognised
    extra: dict = field(default_factory=dict)


Frames = dict[str, pl.DataFrame]
Planner = Callable[[Frames, "Context"], Iterator[Plan]]


@dataclass(slots=True)
class Context:
    fiscal_year: int | None
    bureau: str | None
    donors: list[str]  # long paragraphs of other bureaus' documents (for the copy fault)
    untemplated_only: bool = False  # plan table faults in tables of no recognised type only


def plans_for(planner: Planner, frames: Frames, ctx: Context) -> Iterator[Plan]:
    """The planner's candidates, restricted to un-templated tables when the context asks for it."""
    for plan in planner(frames, ctx):
        if not ctx.untemplated_only or plan.templated is False:
            yield plan


def _frame(frames: Frames, name: str) -> pl.DataFrame:
    df = frames.get(name)
    return df if df is not None else pl.DataFrame()


def _cell_row(cells: pl.DataFrame, table_id: str, row: int) -> list[dict]:
    return cells.filter((pl.col("table_id") == table_id) & (pl.col("row") == row)).sort("col").to_dicts()


def _equal_cells(cells: pl.DataFrame, passages: pl.DataFrame | None, cell: dict, old: str) -> tuple[int, int] | None:
    """(index, count) of ``cell`` among the cells of its page printing the same number, in table
    order; None when the number also appears in the page's running text (order unknown there)."""
    if cell.get("page") is not None:
        scope = pl.col("page") == cell["page"]
    elif cell.get("sheet") is not None:
        scope = pl.col("sheet") == cell["sheet"]
    else:  # a text source: no page to count within, and its running text is not consulted
        return None
    same = cells.filter(scope & (pl.col("raw_text").str.replace_all(r"\s", "") == compact(cell["raw_text"])))
    same = same.sort("table_id", "row", "col")
    if same.height < 2:
        return None
    if passages is not None and passages.height and cell.get("page") is not None:
        text = "".join(passages.filter(pl.col("page") == cell["page"])["text"].to_list())
        if re.search(rf"(?<![\d.,]){re.escape(old)}(?![\d])", text):
            return None
    keys = list(zip(same["table_id"].to_list(), same["row"].to_list(), same["col"].to_list(), strict=True))
    k = keys.index((cell["table_id"], cell["row"], cell["col"]))
    return k, same.height


def _cell_anchors(cell: dict, row_cells: list[dict], old: str, new: str, frames: Frames | None = None) -> list[list[Edit]]:
    """The cell's number alone, then with the cells before it in its row as context, then (equal
    cells on the page) the k-th of them in table order."""
    raw = cell["raw_text"]
    start = raw.find(old)
    scope = {"page": cell.get("page"), "sheet": cell.get("sheet")}
    alts: list[list[Edit]] = [[Replace(old, new, old, 0, numeric=True, **scope)]]
    if frames is not None and compact(raw) == compact(old):
        eq = _equal_cells(_frame(frames, "cells"), frames.get("passages"), cell, old)
        if eq:
            alts.append([Replace(old, new, old, 0, numeric=True, occurrence=eq[0], expected=eq[1], **scope)])
    before = [c["raw_text"] for c in row_cells if c["col"] < cell["col"] and (c["raw_text"] or "").strip()]
    if before:
        ctx = compact("".join(before[-2:]))
        alts.append([Replace(old, new, ctx + compact(raw), len(ctx) + len(compact(raw[:start])),
                             numeric=True, **scope)])
        label = compact(before[0])
        if len(before) > 2 and label:
            alts.append([Replace(old, new, label + compact("".join(before[1:])) + compact(raw),
                                 len(label) + len(compact("".join(before[1:]))) + len(compact(raw[:start])),
                                 numeric=True, **scope)])
    return alts


def _where(cell: dict) -> str:
    return (f"{cell['table_id']} 第{cell['row']}行 {cell.get('row_label') or ''} / {cell.get('col_label') or ''}"
            f" (p{cell.get('page')}{' ' + cell['sheet'] if cell.get('sheet') else ''})")


def _templated(table_type: str | None) -> bool:
    return bool(table_type) and table_type not in ("generic", "unknown", "other")


def _bumped_cell(fault: str, cell: dict, cells: pl.DataFrame, description: str,
                 frames: Frames | None = None) -> Plan | None:
    old = nb.number_part(cell["raw_text"])
    new = nb.bump_leading(old) if old else None
    if not new:
        return None
    row_cells = _cell_row(cells, cell["table_id"], cell["row"])
    return Plan(fault, _cell_anchors(cell, row_cells, old, new, frames), _where(cell), old, new, (new,), description,
                table_id=cell["table_id"], page=cell.get("page"), sheet=cell.get("sheet"),
                templated=_templated(cell.get("table_type")))


def _numeric_cells(frames: Frames) -> pl.DataFrame:
    """Amount cells: not percents, and not the plain integers left of a row's name (科目编码 split
    over 类|款|项 columns, 序号), which are labels however well they happen to add up."""
    cells = _frame(frames, "cells")
    if cells.is_empty():
        return cells
    raw = pl.col("raw_text").fill_null("").str.strip_chars()
    text = pl.col("value").is_null() & (raw != "")
    last_text = pl.when(text).then(pl.col("col")).otherwise(None).max().over("table_id", "row")
    label_int = raw.str.contains(r"^\d+$") & (pl.col("col") < last_text.fill_null(-1))
    return cells.filter(pl.col("value").is_not_null() & ~pl.col("is_percent").fill_null(False)
                        & raw.str.contains(r"\d.*\d") & ~label_int & ~raw.str.contains(r"^0\d+$"))


def _close(a: float, b: float, tol: float) -> bool:
    return abs(a - b) <= tol


def _footed_groups(cells: pl.DataFrame, by: str, along: str) -> Iterator[tuple[dict, list[dict]]]:
    """(total cell, components) where one cell of a column (by="col") or row (by="row") equals
    the sum of the others in it, within the printed rounding envelope."""
    for _, grp in cells.group_by(["table_id", by], maintain_order=True):
        items = grp.sort(along).to_dicts()
        if len(items) < 3:
            continue
        for total in (items[0], items[-1]):
            parts = [c for c in items if c is not total]
            tol = sum(10.0 ** -(c["decimals"] or 0) / 2 for c in items) + 1e-9
            if _close(total["value"], sum(c["value"] for c in parts), tol) and total["value"]:
                yield total, parts
                break


def _relation_parts(frames: Frames, family: str, min_parts: int = 2) -> list[tuple[dict, dict, int]]:
    """(part cell, total cell, number of parts) at the places where an accepted sum relation of an
    un-templated table holds: ``col_sum`` (a column that is the sum of others, row by row) or
    ``row_sum`` (a 合计 row over a block of rows, column by column); the largest part per place.

    Templated tables keep their declared identities (the footed groups above); in a table no
    template describes, a total is a total only where the table bears the relation out."""
    from toolkit.checks.relations import infer

    cells = _numeric_cells(frames)
    if cells.is_empty():
        return []
    try:
        inf = infer(frames)
    except Exception:  # noqa: BLE001 - frames without what inference needs: no relation-based plans
        log.debug("relation inference failed while planning sum faults", exc_info=True)
        return []
    acc = inf.relations.filter(pl.col("accepted") & (pl.col("family") == family))
    held = inf.places.filter(pl.col("status") == "hold").join(
        acc.select("document_id", "table_id", "rel_id", "holds"), on=["document_id", "table_id", "rel_id"]
    ).sort(["holds", "rel_id", "place"], descending=[True, False, False])
    by_key = {(c["table_id"], c["row"], c["col"]): c for c in cells.to_dicts()}
    out, seen = [], set()
    for r in held.iter_rows(named=True):
        parts = [p for p in inf.members.get((r["document_id"], r["table_id"], r["rel_id"]), [])]
        if len(parts) < min_parts or "-" in r["rel_id"]:
            continue
        keys = [(r["table_id"], r["t_row"], p) if family == "col_sum" else (r["table_id"], p, r["t_col"]) for p in parts]
        total = by_key.get((r["table_id"], r["t_row"], r["t_col"]))
        cand = [by_key[k] for k in keys if k in by_key and by_key[k]["value"]]
        if total is None or not cand or _templated(total.get("table_type")):
            continue
        part = max(cand, key=lambda c: abs(c["value"]))
        key = (part["table_id"], part["row"], part["col"])
        if key not in seen:
            seen.add(key)
            out.append((part, total, len(parts)))
    return out


def plan_column_total(frames: Frames, ctx: Context) -> Iterator[Plan]:
    cells = _numeric_cells(frames)
    if cells.is_empty():
        return
    seen: set[str] = set()

    def bumped(part: dict, total: dict) -> Plan | None:
        plan = _bumped_cell("column_total_broken", part, cells,
                            f"column {part.get('col_label')} no longer adds to {total['raw_text']}", frames)
        if plan is None or plan.location in seen:
            return None
        seen.add(plan.location)
        plan.extra["total"] = total["raw_text"]
        return plan

    for total, parts in _footed_groups(cells, "col", "row"):
        for part in sorted(parts, key=lambda c: -abs(c["value"])):
            if plan := bumped(part, total):
                yield plan
                break
    for part, total, _n in _relation_parts(frames, "row_sum"):
        if plan := bumped(part, total):
            yield plan
    items = _frame(frames, "line_items")
    if items.is_empty():
        return
    for it in items.filter((pl.col("row_kind") == "item") & (pl.col("level") == 3)).to_dicts():
        match = cells.filter((pl.col("table_id") == it["table_id"]) & (pl.col("row") == it["row"])
                             & (pl.col("col") == it["col"]))
        if match.height:
            plan = _bumped_cell("column_total_broken", match.to_dicts()[0], cells,
                                f"{it['name']} ({it['measure']}) changed: its 款/类 subtotal no longer adds up", frames)
            if plan and plan.location not in seen:
                seen.add(plan.location)
                yield plan


def plan_cross_foot(frames: Frames, ctx: Context) -> Iterator[Plan]:
    cells = _numeric_cells(frames)
    if cells.is_empty():
        return
    seen: set[str] = set()
    for total, parts in _footed_groups(cells, "row", "col"):
        part = max(parts, key=lambda c: abs(c["value"]))
        plan = _bumped_cell("cross_foot_broken", part, cells,
                            f"row {part.get('row_label')} no longer adds across to {total['raw_text']}", frames)
        if plan:
            seen.add(plan.location)
            yield plan
    for part, total, _n in _relation_parts(frames, "col_sum"):
        plan = _bumped_cell("cross_foot_broken", part, cells,
                            f"row {part.get('row_label')} no longer adds across to {total['raw_text']}", frames)
        if plan and plan.location not in seen:
            seen.add(plan.location)
            yield plan


_DIFF_WORDS = re.compile(r"结余|余额|结转|差额")


def plan_difference(frames: Frames, ctx: Context) -> Iterator[Plan]:
    cells = _numeric_cells(frames)
    if cells.is_empty():
        return
    for _, grp in cells.group_by(["table_id", "row"], maintain_order=True):
        row = grp.sort("col").to_dicts()
        for c in row:
            if not _DIFF_WORDS.search(c.get("col_label") or ""):
                continue
            others = [o for o in row if o["col"] < c["col"]]
            tol = sum(10.0 ** -(o["decimals"] or 0) / 2 for o in row) + 1e-9
            if any(_close(a["value"] - b["value"], c["value"], tol) for a in others for b in others if a is not b):
                plan = _bumped_cell("difference_broken", c, cells, "结余 ≠ 收入 − 支出 in the row", frames)
                if plan:
                    yield plan
                break


def _inferred_ratio_cells(frames: Frames) -> pl.DataFrame:
    """Percent cells where an accepted ratio relation of their table holds (占比 = 金额 ÷ 合计 × 100,
    执行率 = 执行数 ÷ 预算数 × 100): table, row and column, best-supported relation first.

    A percent cell no ratio relation explains (a 满意度 score of 90, a 权重) is not a ratio, so a
    fault planted there would test nothing the document states."""
    from toolkit.checks.relations import infer

    try:
        inf = infer(frames)
    except Exception:  # noqa: BLE001 - frames without the columns inference needs: no ratio cells
        log.debug("relation inference failed while planning ratio faults", exc_info=True)
        return pl.DataFrame(schema={"table_id": pl.String, "row": pl.Int32, "col": pl.Int32})
    acc = inf.relations.filter(pl.col("accepted") & pl.col("family").is_in(["ratio", "share", "share_row"]))
    held = inf.places.filter(pl.col("status") == "hold").join(
        acc.select("document_id", "table_id", "rel_id", "holds", "share"), on=["document_id", "table_id", "rel_id"])
    return (held.sort(["holds", "share", "rel_id", "t_row", "t_col"], descending=[True, True, False, False, False])
            .unique(["table_id", "t_row", "t_col"], keep="first", maintain_order=True)
            .select("table_id", pl.col("t_row").alias("row"), pl.col("t_col").alias("col")))


def plan_ratio_cell(frames: Frames, ctx: Context) -> Iterator[Plan]:
    cells = _frame(frames, "cells")
    if cells.is_empty():
        return
    ratio_cells = _inferred_ratio_cells(frames)
    if ratio_cells.is_empty():
        return
    keys = ["table_id", "row", "col"]
    ratio = ratio_cells.join(cells.with_columns(pl.col("row").cast(pl.Int32), pl.col("col").cast(pl.Int32)),
                             on=keys, how="inner", maintain_order="left")
    for c in ratio.filter(pl.col("value").is_not_null()).to_dicts():
        plan = _bumped_cell("ratio_cell_broken", c, cells, f"{c.get('col_label')} no longer the ratio of its amounts", frames)
        if plan:
            yield plan


def plan_rows_swapped(frames: Frames, ctx: Context) -> Iterator[Plan]:
    cells = _numeric_cells(frames)
    if cells.is_empty():
        return
    for _total, parts in _footed_groups(cells, "col", "row"):
        parts = [p for p in parts if nb.significant_digits(nb.number_part(p["raw_text"]) or "") >= 2]
        for a, b in zip(parts, parts[1:], strict=False):
            na, nb_ = nb.number_part(a["raw_text"]), nb.number_part(b["raw_text"])
            if not na or not nb_ or na == nb_ or len(na) != len(nb_):
                continue
            scope_a = {"page": a.get("page"), "sheet": a.get("sheet")}
            scope_b = {"page": b.get("page"), "sheet": b.get("sheet")}
            if scope_a != scope_b:
                continue
            ra, rb = _cell_row(cells, a["table_id"], a["row"]), _cell_row(cells, b["table_id"], b["row"])
            alts = [[Swap(ea[0], eb[0])] for ea, eb in zip(_cell_anchors(a, ra, na, nb_)[::-1],
                                                            _cell_anchors(b, rb, nb_, na)[::-1], strict=False)]
            alts += [[Swap(ea[0], eb[0])] for ea in _cell_anchors(a, ra, na, nb_, frames)
                     for eb in _cell_anchors(b, rb, nb_, na, frames) if ea[0].occurrence is not None
                     or eb[0].occurrence is not None]
            yield Plan("rows_swapped", alts, f"{_where(a)} ⇄ {_where(b)}", f"{na} / {nb_}", f"{nb_} / {na}",
                       (na, nb_), f"{a.get('row_label')} and {b.get('row_label')} swapped in {a.get('col_label')}",
                       table_id=a["table_id"], page=a.get("page"), sheet=a.get("sheet"),
                       templated=_templated(a.get("table_type")))
            break


def _removed_row_plan(part: dict, total: dict, allc: pl.DataFrame) -> Plan | None:
    row = [c for c in _cell_row(allc, part["table_id"], part["row"]) if (c["raw_text"] or "").strip()]
    if len(row) < 2 or not any(re.search(r"[\u4e00-\u9fff]", c["raw_text"]) for c in row):
        return None
    texts = tuple(c["raw_text"] for c in row)
    return Plan("row_removed", [[DeleteRow(texts, page=part.get("page"), sheet=part.get("sheet"))]],
                _where(part), " | ".join(texts), "", (total["raw_text"],),
                f"row {part.get('row_label')} removed; {total['raw_text']} keeps its value",
                table_id=part["table_id"], page=part.get("page"), sheet=part.get("sheet"),
                templated=_templated(part.get("table_type")))


def plan_row_removed(frames: Frames, ctx: Context) -> Iterator[Plan]:
    """A component row of a footed table removed, its total kept. In a table no template describes
    at least two parts must remain: a 合计 over a single row states no sum that could break."""
    cells = _numeric_cells(frames)
    allc = _frame(frames, "cells")
    if cells.is_empty():
        return
    seen: set[str] = set()
    for total, parts in _footed_groups(cells, "col", "row"):
        if not _templated(total.get("table_type")) and len(parts) < 3:
            continue
        for part in sorted(parts, key=lambda c: -abs(c["value"]))[:2]:
            plan = _removed_row_plan(part, total, allc)
            if plan:
                seen.add(plan.location)
                yield plan
                break
    for part, total, _n in _relation_parts(frames, "row_sum", min_parts=3):
        plan = _removed_row_plan(part, total, allc)
        if plan and plan.location not in seen:
            seen.add(plan.location)
            yield plan


# --------------------------------------------------------------------------- facts in the text


def _fact_edit(f: dict, old: str, new: str) -> list[list[Edit]]:
    sentence = f.get("sentence") or ""
    raw = f["raw_text"]
    alts: list[list[Edit]] = []
    i = sentence.find(raw)
    j = raw.find(old)
    if i >= 0 and j >= 0:
        for width in (6, 12, 3):
            ctx = compact(sentence[max(0, i - width * 2):i])[-width:]
            anchor = ctx + compact(raw)
            alts.append([Replace(old, new, anchor, len(ctx) + len(compact(raw[:j])), numeric=old[:1].isdigit(),
                                 page=f.get("page"))])
    if j >= 0:
        alts.append([Replace(old, new, raw, len(compact(raw[:j])), numeric=old[:1].isdigit(), page=f.get("page"))])
    return alts


def _fact_plan(fault: str, f: dict, new_num: str | None, description: str, tokens: tuple[str, ...] = ()) -> Plan | None:
    old = nb.number_part(f["raw_text"])
    if not old or not new_num or new_num == old:
        return None
    return Plan(fault, _fact_edit(f, old, new_num), f"{f['passage_id']} p{f.get('page')}: {f['raw_text']}", old,
                new_num, tokens or (new_num,), description, page=f.get("page"))


def _facts(frames: Frames, expr: pl.Expr) -> list[dict]:
    facts = _frame(frames, "facts")
    if facts.is_empty():
        return []
    return facts.filter(expr).sort("value", descending=True, nulls_last=True).to_dicts()


_MONEY = pl.col("unit").fill_null("").str.contains("元")


def _partitions(frames: Frames) -> list[tuple[dict, object]]:
    """(passage, partition claim) for every 其中/包括/主要用于 list of the running text (``toolkit.claims``)."""
    from toolkit.claims.grammar import parse_passage

    return [(p, c) for p in _passages(frames) for c in parse_passage(p["text"] or "")[0] if c.kind == "partition"]


def _open_wholes(frames: Frames) -> dict[tuple[str, str], float]:
    """(passage_id, raw) -> Σ parts, in the whole's printed unit, of the wholes of 其中 lists that do not
    name every part: a larger whole still holds its parts, so raising it is no fault the text can show."""
    out = {}
    for p, c in _partitions(frames):
        whole = c.get("whole")
        parts = [o.num for o in c.parts() if o.num is not None]
        if c.relation != "=" and whole is not None and whole.num is not None and whole.num.scale and parts:
            out[(p["passage_id"], whole.num.raw)] = sum(n.base for n in parts) / whole.num.scale
    return out


def plan_text_amount(frames: Frames, ctx: Context) -> Iterator[Plan]:
    open_wholes = _open_wholes(frames)
    for f in _facts(frames, (pl.col("qualifier") == "amount") & _MONEY):
        num = nb.number_part(f["raw_text"]) or ""
        parts = open_wholes.get((f["passage_id"], f["raw_text"]))
        # the whole of an open 其中 list is set to 0.8 × its parts, below them; raised, it would still hold them
        new = nb.format_like(0.8 * parts, num) if parts and num else nb.bump_leading(num)
        p = _fact_plan("text_amount", f, new, f"{f.get('subject') or f['metric']} amount changed in the text")
        if p:
            yield p


def _rate_planner(fault: str, qualifiers: tuple[str, ...], what: str) -> Planner:
    def plan(frames: Frames, ctx: Context) -> Iterator[Plan]:
        for f in _facts(frames, pl.col("qualifier").is_in(list(qualifiers))):
            num = nb.number_part(f["raw_text"]) or ""
            p = _fact_plan(fault, f, nb.bump_leading(num), f"stated {what} changed")
            if p:
                yield p
    return plan


plan_text_share = _rate_planner("text_share", ("share",), "share")
plan_text_completion = _rate_planner("text_completion", ("completion",), "completion/execution rate")
plan_text_growth = _rate_planner("text_growth", ("growth",), "growth rate")


def plan_text_change(frames: Frames, ctx: Context) -> Iterator[Plan]:
    for f in _facts(frames, pl.col("qualifier") == "change"):
        p = _fact_plan("text_change_amount", f, nb.bump_leading(nb.number_part(f["raw_text"]) or ""),
                       "stated change amount changed")
        if p:
            yield p


def plan_coverage(frames: Frames, ctx: Context) -> Iterator[Plan]:
    for f in _facts(frames, pl.col("metric").str.contains("coverage") | pl.col("sentence").fill_null("").str.contains("参保率")):
        num = nb.number_part(f["raw_text"])
        if not num or "%" not in f["raw_text"] or nb.value_of(num) > 100:
            continue
        p = _fact_plan("coverage_over_100", f, nb.over_100(num), "coverage rate above 100 %")
        if p:
            yield p


def _by_passage(frames: Frames, metric: str) -> dict[str, dict]:
    return {f["passage_id"]: f for f in _facts(frames, (pl.col("metric") == metric) & (pl.col("qualifier") == "amount"))}


def plan_spending_over_income(frames: Frames, ctx: Context) -> Iterator[Plan]:
    income = _by_passage(frames, "fund_income")
    for f in _facts(frames, (pl.col("metric") == "fund_expense") & (pl.col("qualifier") == "amount")):
        inc = income.get(f["passage_id"]) or next(iter(income.values()), None)
        num = nb.number_part(f["raw_text"])
        if not inc or not num or not inc.get("value") or inc.get("unit") != f.get("unit"):
            continue
        new = nb.format_like(inc["value"] * 3, num)
        p = _fact_plan("spending_over_income", f, new, f"fund spending {new} far above income {inc['raw_text']}")
        if p:
            yield p


def plan_balance(frames: Frames, ctx: Context) -> Iterator[Plan]:
    for f in _facts(frames, pl.col("metric").is_in(["fund_balance_current"]) & (pl.col("qualifier") == "amount")):
        p = _fact_plan("balance_broken", f, nb.bump_leading(nb.number_part(f["raw_text"]) or ""),
                       "结余 ≠ 收入 − 支出 in the text")
        if p:
            yield p


def plan_parts_exceed(frames: Frames, ctx: Context) -> Iterator[Plan]:
    """The largest part of a 其中 list (read by the claims grammar, so the part and its whole are one list's)
    set to 1.2 × the whole, written in the part's own unit and decimals."""
    for p, c in _partitions(frames):
        whole = c.get("whole")
        parts = [o for o in c.parts() if o.num is not None and o.num.scale]
        if whole is None or whole.num is None or not parts or whole.num.base_unit != parts[0].num.base_unit:
            continue
        part = max(parts, key=lambda o: o.num.base)
        num = nb.number_part(part.num.raw)
        if not num:
            continue
        new = nb.format_like(whole.num.base * 1.2 / part.num.scale, num)
        fact = {"raw_text": part.num.raw, "sentence": c.sentence.text, "page": p.get("page"), "passage_id": p["passage_id"]}
        plan = _fact_plan("parts_exceed_whole", fact, new, f"a 其中 part set to {new}, above the whole {whole.num.raw}")
        if plan:
            yield plan


# --------------------------------------------------------------------------- words


_FLIPS = [("增加", "减少"), ("减少", "增加"), ("增长", "下降"), ("下降", "增长"), ("大于", "小于"),
          ("小于", "大于"), ("超过", "未达到"), ("未达到", "超过")]


def _passages(frames: Frames) -> list[dict]:
    p = _frame(frames, "passages")
    return [] if p.is_empty() else p.sort("order").to_dicts()


def _text_replace(text: str, i: int, old: str, new: str, page: int | None, width: int = 10) -> list[list[Edit]]:
    alts = []
    for w in (width, width * 2, 4):
        before = compact(text[max(0, i - w * 2):i])[-w:]
        after = compact(text[i + len(old):i + len(old) + w * 2])[:w]
        alts.append([Replace(old, new, before + old + after, len(before), page=page)])
    return alts


def plan_direction(frames: Frames, ctx: Context) -> Iterator[Plan]:
    facts = _frame(frames, "facts")
    with_change = set(facts.filter(pl.col("direction").is_not_null())["passage_id"].to_list()) if facts.height else set()
    passages = sorted(_passages(frames), key=lambda p: p["passage_id"] not in with_change)
    for p in passages:
        text = p["text"] or ""
        for old, new in _FLIPS:
            i = text.find(old)
            if i < 0 or (old == "增长" and text[i:i + 3] == "增长率"):
                continue
            m = re.search(r"\d[\d,.]*(?:%|万元|元)?", text[i:i + 30])
            tokens = (new,) + ((m.group(0),) if m else ())
            yield Plan("direction_flipped", _text_replace(text, i, old, new, p.get("page")),
                       f"{p['passage_id']} p{p.get('page')}: …{text[max(0, i - 8):i + 12]}…", old, new, tokens,
                       f"{old} flipped to {new}", page=p.get("page"))
            break


def plan_unit_text(frames: Frames, ctx: Context) -> Iterator[Plan]:
    for f in _facts(frames, pl.col("unit").is_in(["万元", "元"])):
        raw = f["raw_text"]
        num = nb.number_part(raw)
        if not num or not raw.endswith(f["unit"]) or f["qualifier"] not in ("amount", "part", "change"):
            continue
        old = f["unit"]
        new = "元" if old == "万元" else "万元"
        if old == "元" and raw.endswith("万元"):
            continue
        sentence = f.get("sentence") or ""
        i = sentence.find(raw)
        alts = []
        for w in (6, 12):
            ctx_ = compact(sentence[max(0, i - w * 2):i])[-w:] if i >= 0 else ""
            anchor = ctx_ + compact(raw)
            alts.append([Replace(old, new, anchor, len(anchor) - len(old), page=f.get("page"))])
        yield Plan("unit_flipped_text", alts, f"{f['passage_id']} p{f.get('page')}: {raw}", raw, num + new,
                   (num,), f"unit of {raw} flipped to {new}", page=f.get("page"))


_UNIT_LINE = re.compile(r"(?:金额)?单位\s*[:：]\s*(万元|元)")


def plan_unit_header(frames: Frames, ctx: Context) -> Iterator[Plan]:
    cells = _frame(frames, "cells")
    sources: list[tuple[str, int | None, str | None, str]] = []
    for p in _passages(frames):
        sources.append((p["text"] or "", p.get("page"), None, p["passage_id"]))
    if cells.height:
        for c in cells.filter(pl.col("raw_text").str.contains(_UNIT_LINE.pattern)).to_dicts():
            sources.append((c["raw_text"], c.get("page"), c.get("sheet"), f"{c['table_id']} r{c['row']}"))
    tables = _frame(frames, "tables")
    titles = {t["page"]: t["title"] for t in tables.to_dicts()} if tables.height else {}
    for text, page, sheet, where in sources:
        m = _UNIT_LINE.search(text)
        if not m:
            continue
        old = m.group(1)
        new = "元" if old == "万元" else "万元"
        line = compact(m.group(0))
        alts: list[list[Edit]] = [[Replace(old, new, line, len(line) - len(old), page=page, sheet=sheet)]]
        title = compact(titles.get(page) or "")
        if title:
            alts.append([Replace(old, new, title + line, len(title) + len(line) - len(old), page=page, sheet=sheet)])
        yield Plan("unit_flipped_header", alts, f"{where} p{page}: {m.group(0)}", m.group(0),
                   m.group(0).replace(old, new), (new,), f"table unit {old} flipped to {new}", page=page, sheet=sheet)


# --------------------------------------------------------------------------- 自评表


def _indicator_cell(frames: Frames, ind: dict, words: str) -> dict | None:
    cells = _frame(frames, "cells")
    if cells.is_empty():
        return None
    row = cells.filter((pl.col("table_id") == ind["table_id"]) & (pl.col("row") == ind["row"])
                       & pl.col("col_label").fill_null("").str.contains(words) & pl.col("value").is_not_null())
    return row.to_dicts()[-1] if row.height else None


def _score_planner(fault: str, column: str, words: str, down: bool) -> Planner:
    def plan(frames: Frames, ctx: Context) -> Iterator[Plan]:
        ind = _frame(frames, "indicators")
        if ind.is_empty():
            return
        cells = _frame(frames, "cells")
        for _project, grp in ind.filter(pl.col("row_kind") == "indicator").group_by("project", maintain_order=True):
            rows = grp.filter(pl.col(column).is_not_null()).sort(column, descending=True).to_dicts()
            for r in rows:
                cell = _indicator_cell(frames, r, words)
                num = nb.number_part(cell["raw_text"]) if cell else None
                new = nb.shift_beyond(num, len(rows), down=down) if num else None
                if not new:
                    continue
                row_cells = _cell_row(cells, cell["table_id"], cell["row"])
                yield Plan(fault, _cell_anchors(cell, row_cells, num, new, frames), _where(cell), num, new, (new,),
                           f"{r.get('level3')}: {column} {num} -> {new}", table_id=cell["table_id"],
                           page=cell.get("page"), sheet=cell.get("sheet"), templated=True)
                break
    return plan


plan_score_total = _score_planner("score_total_broken", "score", "得分", True)
plan_weight_sum = _score_planner("weight_sum_broken", "weight", "分值|权重", False)


def plan_actual_from_target(frames: Frames, ctx: Context) -> Iterator[Plan]:
    ind = _frame(frames, "indicators")
    cells = _frame(frames, "cells")
    if ind.is_empty() or cells.is_empty():
        return
    for r in ind.filter(pl.col("target_raw").is_not_null() & pl.col("actual_raw").is_not_null()
                        & (pl.col("target_raw") != pl.col("actual_raw"))).to_dicts():
        row = _cell_row(cells, r["table_id"], r["row"])
        cell = next((c for c in row if c["raw_text"] == r["actual_raw"]), None)
        if cell is None:
            continue
        old, new = r["actual_raw"], r["target_raw"]
        before = [c["raw_text"] for c in row if c["col"] < cell["col"] and (c["raw_text"] or "").strip()]
        ctx_ = compact("".join(before[-1:]))
        scope = {"page": cell.get("page"), "sheet": cell.get("sheet")}
        alts = [[Replace(old, new, ctx_ + compact(old), len(ctx_), **scope)], [Replace(old, new, old, 0, **scope)]]
        yield Plan("actual_from_target", alts, _where(cell), old, new, (compact(new)[:20],),
                   f"{r.get('level3')}: 实际完成 replaced by 预期目标", table_id=r["table_id"], page=cell.get("page"),
                   sheet=cell.get("sheet"), templated=True)
    for p in _passages(frames):
        if p["role"] == "goal_actual":
            target = next((q for q in _passages(frames) if q["role"] == "goal_expected" and len(q["text"] or "") > 20), None)
            if target and len(p["text"] or "") > 20:
                yield Plan("actual_from_target", [[Replace(p["text"], target["text"], p["text"], 0, page=p.get("page"))]],
                           f"{p['passage_id']} p{p.get('page')}", p["text"][:60], target["text"][:60],
                           (compact(target["text"])[:20],), "实际完成情况 paragraph replaced by the 预期目标 text",
                           page=p.get("page"))


def plan_targets_copied(frames: Frames, ctx: Context) -> Iterator[Plan]:
    ind = _frame(frames, "indicators")
    cells = _frame(frames, "cells")
    if ind.is_empty() or ind["project"].n_unique() < 2:
        return
    projects = ind.filter(pl.col("target_raw").is_not_null())["project"].unique(maintain_order=True).to_list()
    if len(projects) < 2:
        return
    a = ind.filter((pl.col("project") == projects[0]) & pl.col("target_raw").is_not_null()).to_dicts()
    b = ind.filter((pl.col("project") == projects[1]) & pl.col("target_raw").is_not_null()).to_dicts()
    edits: list[Edit] = []
    for ra, rb in zip(a, b, strict=False):
        if ra["target_raw"] == rb["target_raw"]:
            continue
        row = _cell_row(cells, rb["table_id"], rb["row"])
        cell = next((c for c in row if c["raw_text"] == rb["target_raw"]), None)
        if cell is None:
            continue
        before = [c["raw_text"] for c in row if c["col"] < cell["col"] and (c["raw_text"] or "").strip()]
        ctx_ = compact("".join(before[-1:]))
        edits.append(Replace(rb["target_raw"], ra["target_raw"], ctx_ + compact(rb["target_raw"]), len(ctx_),
                             page=cell.get("page"), sheet=cell.get("sheet")))
    if len(edits) >= 2:
        yield Plan("targets_copied_between_projects", [edits], f"{projects[1]} 指标 (≈{len(edits)} rows)",
                   f"{projects[1]} targets", f"{projects[0]} targets", (projects[1][:12],),
                   f"targets of {projects[0]} copied into {projects[1]}", page=edits[0].page, templated=True)


def plan_paragraph_copy(frames: Frames, ctx: Context) -> Iterator[Plan]:
    if not ctx.donors:
        return
    donor = ctx.donors[0]
    for p in _passages(frames):
        text = p["text"] or ""
        if p["role"] in ("statement", "budget_execution", "fund_operation", "problems", "improvements") and len(text) >= 60:
            yield Plan("paragraph_from_other_bureau", [[Replace(text, donor, text, 0, page=p.get("page"))]],
                       f"{p['passage_id']} p{p.get('page')}", text[:60], donor[:60], (compact(donor)[:16],),
                       "paragraph replaced by one from another bureau's document", page=p.get("page"))


# --------------------------------------------------------------------------- template residue, years


_NAME = re.compile(r"([\u4e00-\u9fff]{2,8}?)(医疗保障局|局|县|区|市)")


def plan_placeholder(frames: Frames, ctx: Context) -> Iterator[Plan]:
    passages = _passages(frames)
    for p in passages[:5]:
        text = p["text"] or ""
        m = _NAME.search(text)
        if m and len(text) <= 80:
            old, new = m.group(1), "XX"
            yield Plan("placeholder", _text_replace(text, m.start(1), old, new, p.get("page")),
                       f"{p['passage_id']} p{p.get('page')}: {text[:40]}", m.group(0), new + m.group(2),
                       (new + m.group(2),), "unit name in the title replaced by a placeholder", page=p.get("page"))
            break
    for p in passages:
        heading = p.get("heading") or ""
        if 4 <= len(heading) <= 30 and p["role"] not in ("other", "glossary"):
            i = (p["text"] or "").find(heading)
            if i < 0:
                continue
            yield Plan("placeholder", _text_replace(p["text"], i, heading, heading + "（200字以内）", p.get("page")),
                       f"{p['passage_id']} p{p.get('page')}: {heading}", heading, heading + "（200字以内）",
                       ("200字以内",), "template instruction left in a heading", page=p.get("page"))
            break


def plan_stale_year(frames: Frames, ctx: Context) -> Iterator[Plan]:
    if not ctx.fiscal_year:
        return
    year = str(ctx.fiscal_year)
    stale = str(ctx.fiscal_year - 1)
    for p in _passages(frames):
        text = p["text"] or ""
        for pattern in (rf"截[至止]{year}年\d{{1,2}}月\d{{1,2}}日", rf"{year}年度?"):
            m = re.search(pattern, text)
            if m and (len(text) <= 60 or pattern.startswith("截")):
                i = m.group(0).find(year) + m.start()
                yield Plan("stale_year", _text_replace(text, i, year, stale, p.get("page"), width=8),
                           f"{p['passage_id']} p{p.get('page')}: {m.group(0)}", year, stale, (stale,),
                           f"{m.group(0)} set to the year before", page=p.get("page"))
                return


# --------------------------------------------------------------------------- tables


def _table_plans(frames: Frames, fault: str, only_toc: bool) -> Iterator[Plan]:
    tables = _frame(frames, "tables")
    cells = _frame(frames, "cells")
    if tables.is_empty() or cells.is_empty():
        return
    toc = "".join(p["text"] or "" for p in _passages(frames) if "目录" in (p["text"] or "")[:10]
                  or "目录" in (p.get("heading") or ""))
    pages_of = tables.group_by("page").len()
    lone_pages = set(pages_of.filter(pl.col("len") == 1)["page"].to_list())
    for t in tables.filter(pl.col("title").is_not_null() & (pl.col("title").str.len_chars() >= 4)).to_dicts():
        if not _templated(t["table_type"]):
            continue
        title = t["title"]
        if only_toc and compact(title)[-8:] not in compact(toc):
            continue
        tc = cells.filter(pl.col("table_id") == t["table_id"])
        pages = tuple(sorted(p for p in tc["page"].drop_nulls().unique().to_list()))
        last_row = tc.filter(pl.col("row") == tc["row"].max()).sort("col")
        last = tuple(x for x in last_row["raw_text"].to_list() if x and x.strip())[:3]
        whole_pages = pages if pages and all(p in lone_pages for p in pages) else ()
        if fault == "table_title_altered":
            new = "附表"
            yield Plan(fault, [[Replace(title, new, title, 0, page=t.get("page"), sheet=t.get("sheet"))]],
                       f"{t['table_id']} p{t.get('page')}: {title}", title, new, (compact(title)[-8:],),
                       f"title {title} replaced by {new}", table_id=t["table_id"], page=t.get("page"),
                       sheet=t.get("sheet"), templated=True, extra={"table_type": t["table_type"]})
        else:
            yield Plan(fault, [[DeleteTable(title, whole_pages, last_row=last, sheet=t.get("sheet"))]],
                       f"{t['table_id']} p{t.get('page')}: {title}", title, "", (compact(title)[-8:],),
                       f"table {title} removed" + (f" (pages {', '.join(map(str, whole_pages))})" if whole_pages else ""),
                       table_id=t["table_id"], page=t.get("page"), sheet=t.get("sheet"), templated=True,
                       extra={"table_type": t["table_type"]})


def plan_required_table(frames: Frames, ctx: Context) -> Iterator[Plan]:
    yield from _table_plans(frames, "required_table_removed", only_toc=False)


def plan_title_altered(frames: Frames, ctx: Context) -> Iterator[Plan]:
    yield from _table_plans(frames, "table_title_altered", only_toc=False)


def plan_toc_table(frames: Frames, ctx: Context) -> Iterator[Plan]:
    yield from _table_plans(frames, "toc_table_removed", only_toc=True)


PLANNERS: dict[str, Planner] = {
    "column_total_broken": plan_column_total,
    "cross_foot_broken": plan_cross_foot,
    "difference_broken": plan_difference,
    "ratio_cell_broken": plan_ratio_cell,
    "rows_swapped": plan_rows_swapped,
    "row_removed": plan_row_removed,
    "text_amount": plan_text_amount,
    "text_share": plan_text_share,
    "text_completion": plan_text_completion,
    "text_growth": plan_text_growth,
    "text_change_amount": plan_text_change,
    "direction_flipped": plan_direction,
    "unit_flipped_text": plan_unit_text,
    "unit_flipped_header": plan_unit_header,
    "score_total_broken": plan_score_total,
    "weight_sum_broken": plan_weight_sum,
    "parts_exceed_whole": plan_parts_exceed,
    "coverage_over_100": plan_coverage,
    "spending_over_income": plan_spending_over_income,
    "balance_broken": plan_balance,
    "actual_from_target": plan_actual_from_target,
    "paragraph_from_other_bureau": plan_paragraph_copy,
    "targets_copied_between_projects": plan_targets_copied,
    "placeholder": plan_placeholder,
    "stale_year": plan_stale_year,
    "required_table_removed": plan_required_table,
    "table_title_altered": plan_title_altered,
    "toc_table_removed": plan_toc_table,
}

_ = math  # kept for shift computations in callers
