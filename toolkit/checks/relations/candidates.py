"""Candidate relations per table, generated from the shape of its numeric cells (not its values).

Families (``family`` column):

* ``col_sum``: a column equals the sum of other columns in every row — any pair (which also covers
  a difference: 结余 = 拨付 − 小计 is 拨付 = 小计 + 结余) or a contiguous block of three or more
  columns next to the total column (合计 | 基本支出 | 项目支出 …);
* ``col_sum`` also tries a balance ``t = a + b − x`` over four columns (滚存结余 = 上年结余 + 本年收入
  − 本年支出) in tables of at most :data:`MAX_BALANCE_COLS` amount columns;
* ``row_sum``: a row equals the sum of the contiguous block of rows next to it, in every column
  (合计 over its items, up to the next 合计/小计 row; 其中 rows are parts of their parent, never items);
* ``ratio``: a percent column is ``a / b × 100`` or ``(a − b) / b × 100`` of two amount columns, row by row;
* ``share``: a percent column is a column's amount over the same column's total row × 100;
* ``share_row``: a percent row (占比) is the amounts of the row above over one of that row's cells × 100;
* ``qizhong``: every 其中 row is at most its parent row, column by column.

Candidates are many; :mod:`toolkit.checks.relations.support` keeps those the values bear out.
"""

from __future__ import annotations

from itertools import combinations

import polars as pl

MAX_PAIR_COLS = 10  # pair candidates grow as n³; wider tables get contiguous blocks only
MAX_COLS = 24
MAX_BALANCE_COLS = 8
MAX_RATIO_AMOUNT_COLS = 12

SUM_SPEC: dict[str, pl.DataType] = {
    "document_id": pl.String, "table_id": pl.String, "rel_id": pl.String, "family": pl.String,
    "target": pl.Int32, "part": pl.Int32, "labelled": pl.Boolean, "sign": pl.Int8,
}
RATIO_SPEC: dict[str, pl.DataType] = {
    "document_id": pl.String, "table_id": pl.String, "rel_id": pl.String, "family": pl.String, "form": pl.String,
    "place": pl.Int32, "p_row": pl.Int32, "p_col": pl.Int32, "n_row": pl.Int32, "n_col": pl.Int32,
    "d_row": pl.Int32, "d_col": pl.Int32,
}


def _frame(rows: list[dict], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    if not rows:
        return pl.DataFrame(schema=schema)
    return pl.DataFrame(rows, schema=schema, orient="row")


def sum_candidates(num: pl.DataFrame) -> pl.DataFrame:
    """``col_sum`` and ``row_sum`` candidates: one row per (relation, part), schema :data:`SUM_SPEC`."""
    amounts = num.filter(pl.col("kind") == "amount")
    out: list[tuple] = []
    cols = amounts.group_by("document_id", "table_id").agg(pl.col("col").unique().sort().alias("cols"))
    for doc, tid, cs in cols.iter_rows():
        cs = list(cs)[:MAX_COLS]
        n = len(cs)
        if n < 3:
            continue
        if n <= MAX_PAIR_COLS:
            for t in cs:
                others = [c for c in cs if c != t]
                for a, b in combinations(others, 2):
                    rel = f"col_sum:c{t}=c{a}+c{b}"
                    out += [(doc, tid, rel, "col_sum", t, a, False, 1), (doc, tid, rel, "col_sum", t, b, False, 1)]
                    if n > MAX_BALANCE_COLS:
                        continue
                    # one canonical form of the four equivalent ones: the result column is the rightmost
                    for x in others:
                        if x not in (a, b) and t > max(a, b, x):
                            rel = f"col_sum:c{t}=c{a}+c{b}-c{x}"
                            out += [(doc, tid, rel, "col_sum", t, a, False, 1), (doc, tid, rel, "col_sum", t, b, False, 1),
                                    (doc, tid, rel, "col_sum", t, x, False, -1)]
        min_block = 3 if n <= MAX_PAIR_COLS else 2
        for i in range(n):
            for j in range(i + min_block - 1, n):
                for t_i in (i - 1, j + 1):
                    if 0 <= t_i < n:
                        t = cs[t_i]
                        rel = f"col_sum:c{t}=c{cs[i]}..c{cs[j]}"
                        out += [(doc, tid, rel, "col_sum", t, cs[k], False, 1) for k in range(i, j + 1)]
    rows = (
        amounts.group_by("document_id", "table_id", "row")
        .agg(role=pl.col("row_role").first())
        .sort("document_id", "table_id", "row")
        .group_by("document_id", "table_id", maintain_order=True)
        .agg("row", "role")
    )
    for doc, tid, rs, roles in rows.iter_rows():
        items = [(r, ro) for r, ro in zip(rs, roles, strict=True) if ro != "qizhong"]
        n = len(items)
        if n < 3:
            continue
        for t_i, (t, role) in enumerate(items):
            labelled = role == "total"
            if not labelled and t_i not in (0, n - 1):
                continue
            blocks = set()
            # below: up to the next total row, and to the end
            nxt = next((k for k in range(t_i + 1, n) if items[k][1] == "total"), n)
            blocks.add((t_i + 1, nxt - 1))
            blocks.add((t_i + 1, n - 1))
            prv = next((k for k in range(t_i - 1, -1, -1) if items[k][1] == "total"), -1)
            blocks.add((prv + 1, t_i - 1))
            blocks.add((0, t_i - 1))
            for i, j in blocks:
                if j - i + 1 < 2:
                    continue
                rel = f"row_sum:r{t}=r{items[i][0]}..r{items[j][0]}"
                out += [(doc, tid, rel, "row_sum", t, items[k][0], labelled, 1) for k in range(i, j + 1)]
    return _frame([dict(zip(SUM_SPEC, r, strict=True)) for r in out], SUM_SPEC).unique(
        ["document_id", "table_id", "rel_id", "part"])


def ratio_candidates(num: pl.DataFrame) -> pl.DataFrame:
    """``ratio``, ``share`` and ``share_row`` candidates, one row per place (schema :data:`RATIO_SPEC`)."""
    keys = ["document_id", "table_id"]
    out: list[dict] = []
    by_col = num.group_by(*keys, "col").agg(
        pct=(pl.col("kind") == "percent").mean(), n=pl.len(),
        rows=pl.col("row").filter(pl.col("kind") == "percent"))
    pct_cols = by_col.filter((pl.col("pct") >= 0.5) & (pl.col("rows").list.len() >= 2))
    amount_cells = num.filter(pl.col("kind") == "amount")
    amt_cols = amount_cells.group_by(keys).agg(pl.col("col").unique().sort().alias("cols"))
    totals = amount_cells.filter(pl.col("row_role") == "total").group_by(keys).agg(
        pl.col("row").unique().sort().alias("trows"))
    tables = pct_cols.join(amt_cols, on=keys, how="inner").join(totals, on=keys, how="left")
    for doc, tid, p, _pct, _n, prows, acols, trows in tables.select(
            *keys, "col", "pct", "n", "rows", "cols", "trows").iter_rows():
        acols = [c for c in acols if c != p][:MAX_RATIO_AMOUNT_COLS]
        for nc in acols:
            for dc in acols:
                if nc == dc:
                    continue
                for form in ("ratio", "growth"):
                    rel = f"{form}:c{p}=c{nc}/c{dc}"
                    out += [dict(document_id=doc, table_id=tid, rel_id=rel, family="ratio", form=form, place=r,
                                 p_row=r, p_col=p, n_row=r, n_col=nc, d_row=r, d_col=dc) for r in prows]
            for t in trows or []:
                rel = f"share:c{p}=c{nc}/r{t}"
                out += [dict(document_id=doc, table_id=tid, rel_id=rel, family="share", form="ratio", place=r,
                             p_row=r, p_col=p, n_row=r, n_col=nc, d_row=t, d_col=nc) for r in prows if r != t]
    # 占比 rows: every numeric cell of the row is a percent, and the row above carries amounts
    by_row = num.group_by(*keys, "row").agg(
        allpct=(pl.col("kind") == "percent").all(), cols=pl.col("col"), n=pl.len())
    pct_rows = by_row.filter(pl.col("allpct") & (pl.col("n") >= 2))
    amt_rows = amount_cells.group_by(*keys, "row").agg(pl.col("col").alias("acols")).sort(*keys, "row")
    for doc, tid, prow, pcs in pct_rows.select(*keys, "row", "cols").iter_rows():
        above = amt_rows.filter((pl.col("document_id") == doc) & (pl.col("table_id") == tid) & (pl.col("row") < prow))
        if above.height == 0:
            continue
        arow, acs = above.row(-1)[2], set(above.row(-1)[3])
        for b in sorted(acs):
            rel = f"share_row:r{prow}=r{arow}/c{b}"
            out += [dict(document_id=doc, table_id=tid, rel_id=rel, family="share_row", form="ratio", place=c,
                         p_row=prow, p_col=c, n_row=arow, n_col=c, d_row=arow, d_col=b)
                    for c in pcs if c in acs and c != b]
    return _frame([[r[k] for k in RATIO_SPEC] for r in out], RATIO_SPEC)


def qizhong_candidates(num: pl.DataFrame) -> pl.DataFrame:
    """其中 rows and their parent (the nearest row above that is not a 其中 row): document, table, row, parent."""
    keys = ["document_id", "table_id"]
    rows = (
        num.filter(pl.col("kind") == "amount")
        .group_by(*keys, "row").agg(role=pl.col("row_role").first())
        .sort(*keys, "row")
        .with_columns(parent=pl.when(pl.col("role") != "qizhong").then(pl.col("row")))
        .with_columns(parent=pl.col("parent").forward_fill().over(keys))
    )
    return rows.filter((pl.col("role") == "qizhong") & pl.col("parent").is_not_null()).select(
        *keys, "row", pl.col("parent").cast(pl.Int32))
