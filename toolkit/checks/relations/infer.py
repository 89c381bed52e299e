"""One inference over a document batch: accepted relations, their places, the breaks, and coverage.

:func:`infer` is called by every IT05x check over the same frames; the result is kept for the last
cells frame seen (keyed by identity), so the engine runs once per batch.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import polars as pl

from toolkit.checks.framework import EVALS, get, per_frames
from toolkit.checks.relations.candidates import qizhong_candidates, ratio_candidates, sum_candidates
from toolkit.checks.relations.grid import numeric_cells
from toolkit.checks.relations.support import (
    accept,
    evaluate_qizhong,
    evaluate_ratios,
    evaluate_share_base,
    evaluate_sums,
    form_signatures,
    pool_copies,
)
from toolkit.checks.tolerance import fmt_number
from toolkit.schemas import empty

REMAINDER_LABEL = r"结余|余额|结存|差额|节余|剩余|结转"
FAMILY_NAMES = {"col_sum": "列间合计", "row_sum": "行间合计", "ratio": "比率列", "growth": "增长率列",
                "share": "占比列", "share_row": "占比行",
                "share_base": "占比行的基数", "qizhong": "其中项不超过总数"}


@dataclass(slots=True)
class Inference:
    num: pl.DataFrame  # numeric cells (toolkit.checks.relations.grid.NUMERIC)
    places: pl.DataFrame  # every (relation, place) evaluated
    relations: pl.DataFrame  # per relation: holds, fails, accepted, strong
    tables: pl.DataFrame  # every table of the batch (document_id, table_id, title, table_type)
    members: dict[tuple[str, str, str], list[int]]  # sum relation -> its part columns/rows


_CACHE: dict[int, tuple[object, Inference]] = {}


@per_frames  # IT050–IT053 read the same inference: compute it once per run
def infer(frames: dict[str, pl.DataFrame]) -> Inference:
    raw = frames.get("cells")
    key = id(raw)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is raw:
        return hit[1]
    num = numeric_cells(frames)
    spec = sum_candidates(num)
    sums = evaluate_sums(spec, num)
    ratios = evaluate_ratios(ratio_candidates(num), num)
    qz = evaluate_qizhong(qizhong_candidates(num), num)
    base = evaluate_share_base(num)
    places = pl.concat([x for x in (sums, ratios, qz, base) if x.height] or [sums], how="vertical")
    tables = get(frames, "tables").select("document_id", "table_id", "title", "table_type").unique(
        ["document_id", "table_id"])
    result = Inference(num=num, places=places, relations=pool_copies(accept(places), form_signatures(num)), tables=tables, members=spec_members(spec))
    _CACHE.clear()
    _CACHE[key] = (raw, result)
    return result


def breaks(inf: Inference, families: tuple[str, ...]) -> pl.DataFrame:
    """Failing places of accepted relations of ``families``, one per blamed cell, best-supported first.

    A cell a declared identity already checks is left to it (see :func:`coverage_evals`).
    """
    acc = inf.relations.filter(pl.col("accepted") & pl.col("family").is_in(families))
    b = inf.places.filter(pl.col("status") == "fail").join(
        acc.select("document_id", "table_id", "rel_id", "holds", "fails", "share", "strong", "pooled", "copies",
                   "pooled_holds", "pooled_fails"),
        on=["document_id", "table_id", "rel_id"])
    b = b.filter(~pl.col("declared"))
    if b.height == 0:
        return b
    b = b.sort(["strong", "holds", "share", "rel_id"], descending=[True, True, True, False])
    # one break per row for column relations (a wrong cell breaks every relation through it)
    row_key = pl.when(pl.col("family").is_in(["col_sum", "ratio", "share"])).then(pl.col("t_row")).otherwise(-1)
    b = b.with_columns(_rk=row_key).unique(["document_id", "table_id", "t_row", "t_col"], keep="first",
                                           maintain_order=True)
    b = pl.concat([b.filter(pl.col("_rk") < 0),
                   b.filter(pl.col("_rk") >= 0).unique(["document_id", "table_id", "_rk", "family"], keep="first",
                                                        maintain_order=True)])
    return b.drop("_rk")


# ------------------------------------------------------------------ rendering


class Labels:
    """Printed labels of a batch's rows and columns, for messages and evidence."""

    def __init__(self, inf: Inference, doc_tables: pl.DataFrame):
        keys = doc_tables.select("document_id", "table_id").unique()
        n = inf.num.join(keys, on=["document_id", "table_id"], how="semi")
        self.cells = {(r["document_id"], r["table_id"], r["row"], r["col"]): r for r in n.iter_rows(named=True)}
        self.col = {}
        self.row = {}
        for r in self.cells.values():
            k = (r["document_id"], r["table_id"])
            if r["col_label"] and (k, r["col"]) not in self.col:
                self.col[(k, r["col"])] = r["col_label"]
            if r["row_label"] and (k, r["row"]) not in self.row:
                self.row[(k, r["row"])] = r["row_label"]
        self.titles = {(r["document_id"], r["table_id"]): r["title"] or r["table_id"]
                       for r in inf.tables.iter_rows(named=True)}

    def c(self, doc: str, tid: str, col: int) -> str:
        return _short(self.col.get(((doc, tid), col)) or f"第{col + 1}列")

    def r(self, doc: str, tid: str, row: int) -> str:
        return _short(self.row.get(((doc, tid), row)) or f"第{row + 1}行")

    def evidence(self, doc: str, tid: str, cells: list[tuple[int, int]]) -> str:
        out = []
        for row, col in cells:
            x = self.cells.get((doc, tid, row, col))
            out.append({"table": tid, "page": x["page"] if x else None, "row": row, "col": col,
                        "row_label": self.r(doc, tid, row), "col_label": self.c(doc, tid, col),
                        "raw_text": x["raw_text"] if x else None})
        return json.dumps(out, ensure_ascii=False)


def _short(s: str, n: int = 24) -> str:
    s = re.sub(r"\s+", "", s or "")
    return s if len(s) <= n else s[: n - 1] + "…"


def parse_rel(rel_id: str) -> tuple[str, list[int]]:
    """``col_sum:c5=c1..c4`` -> ("col_sum", [5, 1, 2, 3, 4]); ranges expand, ``r``/``c`` prefixes drop."""
    fam, body = rel_id.split(":", 1)
    nums = []
    for tok in re.split(r"[=+/]", body):
        if ".." in tok:
            a, b = (int(x[1:]) for x in tok.split(".."))
            nums.append((a, b))
        else:
            nums.append(int(tok[1:]))
    return fam, nums


def relation_text(lab: Labels, doc: str, tid: str, family: str, target: int, parts: list[int], rel_id: str = "") -> str:
    """A readable relation: “小计 = 用于医保宣传金额 + 办公经费 + …”, a difference when a part is a 结余."""
    if family == "col_sum":
        t = lab.c(doc, tid, target)
        names = [lab.c(doc, tid, p) for p in parts]
    else:
        t = lab.r(doc, tid, target)
        names = [lab.r(doc, tid, p) for p in parts]
    if "-" in rel_id:  # a balance: t = a + b − x
        return f"{t} = {names[0]} + {names[1]} − {names[2]}"
    rem = remainder_part(lab, doc, tid, family, target, parts, rel_id)
    if rem is not None:
        i = parts.index(rem)
        return f"{names[i]} = {t} − {names[1 - i]}"
    if len(names) > 4:
        return f"{t} = {names[0]} + … + {names[-1]}（{len(names)}项）"
    return f"{t} = " + " + ".join(names)


def remainder_part(lab: Labels, doc: str, tid: str, family: str, target: int, parts: list[int],
                   rel_id: str = "") -> int | None:
    """The 结余 column of ``t = a + 结余``: the relation reads (and is reported) as 结余 = t − a."""
    if family != "col_sum" or len(parts) != 2 or "-" in rel_id:
        return None
    t = lab.c(doc, tid, target)
    for p in (parts[1], parts[0]):
        if re.search(REMAINDER_LABEL, lab.c(doc, tid, p)) and not re.search(REMAINDER_LABEL, t):
            return p
    return None


def spec_members(frames_spec: pl.DataFrame) -> dict[tuple[str, str, str], list[int]]:
    g = frames_spec.group_by("document_id", "table_id", "rel_id").agg(
        pl.col("part").sort_by("sign", "part", descending=[True, False]))
    return {(d, t, r): list(p) for d, t, r, p in g.iter_rows()}


def support_text(holds: int, fails: int, family: str, pooled: tuple[int, int, int] | None = None) -> str:
    """How many places bear a relation out; ``pooled`` (copies, holds, fails) when the copies of the
    table's form in the document bear it out together."""
    unit = {"col_sum": "行", "ratio": "行", "share": "行", "row_sum": "列", "share_row": "列", "share_base": "列",
            "qizhong": "处"}.get(family, "处")
    own = f"在{holds + fails}{unit}中有{holds}{unit}成立"
    if pooled is None:
        return own
    copies, p_holds, p_fails = pooled
    return f"本文件{copies}张同式样表格共{p_holds + p_fails}{unit}中有{p_holds}{unit}成立，本表{own}"


def hit_numbers(r: dict) -> dict:
    """expected/actual/difference/rel_diff/near_rounding of a break (values in the printed unit)."""
    scale = r["scale"] or 1.0
    dec = r["decimals"] if r["decimals"] is not None else 2
    printed = r["base"] / scale
    computed = r["c_base"] / scale if r["c_base"] is not None else None
    diff = printed - computed if computed is not None else None
    width = ((r["hi"] - r["lo"]) / 2 + (r["c_hi"] - r["c_lo"]) / 2) / scale
    gap = max(0.0, r["lo"] - r["c_hi"], r["c_lo"] - r["hi"]) / scale
    denom = max(abs(printed), abs(computed or 0.0), 1e-12)
    return {
        "expected": fmt_number(computed, dec), "actual": r["raw_text"],
        "difference": fmt_number(diff, dec), "rel_diff": abs(diff or 0.0) / denom,
        "near_rounding": gap <= width,
    }


# ------------------------------------------------------------------ coverage


def coverage_evals(inf: Inference, families: tuple[str, ...], *, report_none: bool) -> pl.DataFrame:
    """Coverage rows: per accepted relation its places passed/failed (failed cells a declared identity
    checks are ``skipped``); with ``report_none``, one ``skipped`` row per table where no relation of
    any family is inferred, saying why."""
    acc = inf.relations.filter(pl.col("accepted") & pl.col("family").is_in(families))
    p = inf.places.join(acc.select("document_id", "table_id", "rel_id"), on=["document_id", "table_id", "rel_id"])
    p = p.filter(pl.col("status").is_in(["hold", "fail"]))
    out = [p.select(
        "document_id",
        pl.concat_str([pl.col("table_id"), pl.lit(":"), pl.col("rel_id")]).alias("identity"),
        pl.when(pl.col("status") == "hold").then(pl.lit("passed"))
        .when(pl.col("declared")).then(pl.lit("skipped")).otherwise(pl.lit("failed")).alias("status"),
        pl.when((pl.col("status") == "fail") & pl.col("declared")).then(pl.lit("declared identity checks this cell"))
        .otherwise(pl.lit(None, dtype=pl.String)).alias("reason"),
    )]
    if report_none:
        any_acc = inf.relations.filter(pl.col("accepted")).select("document_id", "table_id").unique()
        best = inf.relations.sort(["holds", "fails", "rel_id"], descending=[True, False, False]).unique(
            ["document_id", "table_id"], keep="first", maintain_order=True).select(
            "document_id", "table_id", "holds", "fails", "rel_id")
        nums = inf.num.group_by("document_id", "table_id").agg(n=pl.len())
        none = inf.tables.join(any_acc, on=["document_id", "table_id"], how="anti").join(
            nums, on=["document_id", "table_id"], how="left").join(best, on=["document_id", "table_id"], how="left")
        reason = (
            pl.when(pl.col("n").is_null()).then(pl.lit("no relation applies: no numeric cells"))
            .when(pl.col("rel_id").is_null()).then(pl.lit("no relation applies: too few amount rows/columns"))
            .otherwise(pl.concat_str([pl.lit("no relation inferred: best candidate holds "),
                                      pl.col("holds").cast(pl.String), pl.lit(" of "),
                                      (pl.col("holds") + pl.col("fails")).cast(pl.String), pl.lit(" places")]))
        )
        out.append(none.select("document_id", pl.concat_str([pl.col("table_id"), pl.lit(":relations")]).alias(
            "identity"), pl.lit("skipped").alias("status"), reason.alias("reason")))
    out = [x.select(list(EVALS)).cast(EVALS) for x in out if x.height]
    return pl.concat(out) if out else empty(EVALS)
