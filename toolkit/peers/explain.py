"""How a peer finding explains itself: the value as it reads, the peers' median and range, their names."""

from __future__ import annotations

import json

import polars as pl

from toolkit.checks.tolerance import fmt_number
from toolkit.peers.features import family_of
from toolkit.peers.groups import tier_columns

MAX_PEER_NAMES = 12


def show(feature: str, value: float | None) -> str:
    """A feature value with its unit, as a reader expects it (shares in %, fund ratio in 倍 …)."""
    if value is None:
        return "—"
    unit = family_of(feature).unit
    if unit == "占比":
        return f"{fmt_number(value * 100, 1)}%"
    if unit == "‰":
        return f"{fmt_number(value * 1000, 2)}‰"
    if unit == "元/人":
        return f"{fmt_number(value, 2)}元/人"
    if unit == "月":
        return f"{fmt_number(value, 1)}个月"
    if unit == "倍":
        return f"{fmt_number(value, 2)}倍"
    return f"{fmt_number(value, 2)}{unit}"


class PeerIndex:
    """The scored rows partitioned by (fiscal year, feature), joined to bureau names once, so that
    finding a flagged row's peers reads one partition instead of the whole corpus."""

    def __init__(self, scores: pl.DataFrame, meta: pl.DataFrame) -> None:
        named = scores.join(meta.select("bkey", "fiscal_year", "bureau"), on=["bkey", "fiscal_year"], how="left")
        self.parts = named.sort("bkey").partition_by(["fiscal_year", "feature"], as_dict=True)

    def peers(self, row: dict) -> pl.DataFrame:
        """The other members of the row's peer group (same tier keys), with their names and values."""
        part = self.parts.get((row["fiscal_year"], row["feature"]))
        if part is None:
            return pl.DataFrame()
        cond = pl.col("bkey") != row["bkey"]
        for c in tier_columns(row.get("tier")):
            cond = cond & (pl.col(c) == row[c])
        return part.filter(cond)


def peer_summary(peers: pl.DataFrame, value_col: str = "value") -> dict:
    """Median, 10th–90th percentile range and up to :data:`MAX_PEER_NAMES` names of the peers."""
    v = peers[value_col]
    names = [n or k for n, k in zip(peers["bureau"].to_list(), peers["bkey"].to_list(), strict=True)]
    return {"n": peers.height, "median": v.median(), "p10": v.quantile(0.1, "linear"), "p90": v.quantile(0.9, "linear"),
            "names": names[:MAX_PEER_NAMES], "more": max(0, len(names) - MAX_PEER_NAMES)}


def names_text(summary: dict) -> str:
    more = f"等{summary['n']}个" if summary["more"] else ""
    return "、".join(summary["names"]) + more


def evidence_json(rows: list[dict]) -> str:
    return json.dumps(rows, ensure_ascii=False, default=str)
