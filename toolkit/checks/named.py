"""Identities between named rows (01/04 总表, 三公, 自评表 资金 block) described as data.

A :class:`NamedIdentity` says: in a table of ``table_type``, the cell (section, item_key,
measure) equals (or is bounded by) the signed sum of other cells. ``measure="*"`` means
"for every column, the same column"; item_key ``@class`` means the 类 rows (3-digit code), and
``@use`` the 支出 rows by use (基本支出, 项目支出, 机动经费 …) of a table whose 支出 side lists
only those: no 类 row and no other uncoded line (else a part could be missing from the sum).
The specs become a frame joined to ``line_items``; the engine in ``identities`` does the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from toolkit.checks.identities import run_terms
from toolkit.checks.select import items

Cell = tuple[str | None, str, str]  # (section or None = any, item_key, @class or @use, measure or *)

# 支出 by use, as 预算 总表 print it (numbered or not): the whole of 本年支出 split another way than by 类
USE_ROW = (r"^(?:[一二三四五六七八九十]+[、.．]\s*)?(?:基本支出|项目支出|(?:单位)?(?:预留)?机动经费|事业单位经营支出"
           r"|上缴上级支出|对附属单位补助支出)$")


@dataclass(frozen=True, slots=True)
class NamedIdentity:
    identity: str
    table_type: str
    whole: Cell
    parts: tuple[tuple[str | None, str, str, float], ...]  # (section, key, measure, sign)
    desc: str  # Chinese name of the whole
    parts_desc: str
    relation: str = "eq"
    is_total: bool = True
    measures: tuple[str, ...] = field(default=())  # restrict "*" to these measures


def _spec_frame(specs: list[NamedIdentity]) -> pl.DataFrame:
    rows = []
    for s in specs:
        entries = [(s.whole[0], s.whole[1], s.whole[2], 1.0, "whole")] + [(a, b, c, d, "part") for a, b, c, d in s.parts]
        for sec, key, meas, sign, role in entries:
            rows.append(
                {
                    "identity": s.identity, "table_type": s.table_type, "s_section": sec, "key": key,
                    "s_measure": meas, "sign": sign, "role": role, "s_desc": s.desc, "parts_desc": s.parts_desc,
                    "relation": s.relation, "is_total": s.is_total,
                    "s_measures": list(s.measures),
                }
            )
    return pl.DataFrame(rows, schema_overrides={"s_measures": pl.List(pl.String), "s_section": pl.String})


def named_terms(frames: dict[str, pl.DataFrame], specs: list[NamedIdentity]) -> pl.DataFrame:
    spec = _spec_frame(specs)
    tts = tuple(spec["table_type"].unique().to_list())
    li = items(frames, tts)
    expense = (pl.col("section") == "expense") & pl.col("item_key").is_null()
    klass = pl.col("item_key").is_null() & pl.col("code").is_not_null() & (pl.col("code").str.len_chars() == 3)
    uncoded = expense & pl.col("code").is_null() & (pl.col("row_kind") == "item")
    use = uncoded & pl.col("name").fill_null("").str.replace_all(r"\s", "").str.contains(USE_ROW)
    table = ["document_id", "table_id"]
    only_use = ((uncoded & ~use).sum().over(table) == 0) & ((expense & klass).sum().over(table) == 0)
    li = li.with_columns(
        key=pl.when(klass).then(pl.lit("@class")).when(use & only_use).then(pl.lit("@use")).otherwise(pl.col("item_key"))
    )
    t = li.join(spec, on=["table_type", "key"], how="inner")
    wildcard = pl.col("s_measure") == "*"
    t = t.filter(
        (pl.col("s_section").is_null() | (pl.col("s_section") == pl.col("section")))
        & (
            (wildcard & ((pl.col("s_measures").list.len() == 0) | pl.col("s_measures").list.contains(pl.col("measure"))))
            | (pl.col("s_measure") == pl.col("measure"))
        )
    )
    group = pl.concat_str(
        [pl.col("table_id"), pl.lit("|"), pl.col("identity"), pl.lit("|"),
         pl.when(wildcard).then(pl.col("measure")).otherwise(pl.lit("-"))]
    )
    desc = pl.concat_str([pl.col("title"), pl.lit(" "), pl.col("s_desc"), pl.lit(" · "), pl.col("measure_label").fill_null("")])
    return t.with_columns(group=group, desc=desc)


def run_named(frames: dict[str, pl.DataFrame], specs: list[NamedIdentity], kind: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    return run_terms(named_terms(frames, specs), kind)
