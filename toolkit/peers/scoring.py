"""The corpus pass shared by PO010–PO012: features, robust z and hit rows, computed once per frames."""

from __future__ import annotations

import math

import numpy as np
import polars as pl

from toolkit.checks.framework import EVALS, get, per_frames
from toolkit.checks.tolerance import fmt_number
from toolkit.peers.detectors import ProfileOutlier, RobustPeerZ
from toolkit.peers.explain import PeerIndex, evidence_json, peer_summary, show
from toolkit.peers.features import FAMILY, feature_table, sizes, year_on_year
from toolkit.peers.groups import MIN_PEERS

Z_FLAG = 4.0  # |z| at which a feature is a driving feature
RATIO_FLAG = 2.0  # and at least ×2 (÷2) from the peers' median (log features)
Z_MEDIUM = 6.0  # medium severity needs both
RATIO_MEDIUM = 2.5
TOTAL_FAMILIES = ("total_per_insured", "total_per_fund_income")  # PO001 reads these
MAX_DRIVERS = 5
YOY_FLOOR = 0.15  # log units: a bureau's honest year-on-year change differs from its peers' by ±15 % at least


@per_frames
def peer_scores(frames: dict[str, pl.DataFrame]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(robust z of every bureau-year feature, bureau-year sizes and metadata)."""
    ft = feature_table(frames)
    sz = sizes(frames)
    if ft.height == 0:
        return ft, sz
    return RobustPeerZ().fit(ft, sz).scores_, sz


@per_frames
def yoy_scores(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Robust z of every feature's year-on-year change against the peers' changes the same year."""
    ft = feature_table(frames)
    sz = sizes(frames)
    ch = year_on_year(ft)
    if ch.height == 0:
        return ch
    # changes of amounts only (log ratios); rates' changes in points are left to the rate checks
    ch = ch.filter(pl.col("family").replace_strict({k: v.log for k, v in FAMILY.items()}, default=False))
    est = RobustPeerZ(value_col="change", transform=False, floor=YOY_FLOOR)
    fitted = est.fit(ch, sz).scores_
    return fitted.with_columns(ratio=pl.col("change").exp())


# amounts are flagged only upwards: a bureau spending little on one 科目 (no car, no project that year)
# is ordinary; ratios of the fund and rates are flagged both ways
UPWARD_ONLY = ("item_per_insured", "item_share", "class_per_insured", "sangong_per_insured")


def flagged(scores: pl.DataFrame, exclude: tuple[str, ...] = TOTAL_FAMILIES) -> pl.DataFrame:
    logged = pl.col("ratio").is_not_null()
    far = pl.when(logged).then((pl.col("ratio") >= RATIO_FLAG) | (pl.col("ratio") <= 1 / RATIO_FLAG)).otherwise(True)
    up = ~pl.col("family").is_in(list(UPWARD_ONLY)) | (pl.col("z") > 0)
    return scores.filter(pl.col("z").abs() >= Z_FLAG, far, up, ~pl.col("family").is_in(list(exclude)))


def severity(z: float, ratio: float | None) -> str:
    strong = ratio is None or ratio >= RATIO_MEDIUM or ratio <= 1 / RATIO_MEDIUM
    return "medium" if abs(z) >= Z_MEDIUM and strong else "low"


def evals_for(scores: pl.DataFrame, sz: pl.DataFrame, frames: dict[str, pl.DataFrame], identity: str,
              failed_keys: set[tuple[str, int]]) -> pl.DataFrame:
    """One coverage row per document: failed / passed / skipped (no feature had enough peers)."""
    docs = get(frames, "documents").select("document_id", pl.coalesce("region_code", "bureau", "document_id")
                                           .alias("bkey"), "fiscal_year")
    compared = scores.filter(pl.col("tier").is_not_null()).select("bkey", "fiscal_year").unique().with_columns(
        _cmp=pl.lit(True))
    has = scores.select("bkey", "fiscal_year").unique().with_columns(_has=pl.lit(True))
    d = docs.join(compared, on=["bkey", "fiscal_year"], how="left").join(has, on=["bkey", "fiscal_year"], how="left")
    failed = pl.Series([(k, y) in failed_keys for k, y in zip(d["bkey"].to_list(), d["fiscal_year"].to_list(),
                                                              strict=True)], dtype=pl.Boolean)
    d = d.with_columns(_failed=failed)
    return d.select(
        "document_id", pl.lit(identity).alias("identity"),
        pl.when(pl.col("_failed")).then(pl.lit("failed")).when(pl.col("_cmp").fill_null(False)).then(pl.lit("passed"))
        .otherwise(pl.lit("skipped")).alias("status"),
        pl.when(pl.col("_failed") | pl.col("_cmp").fill_null(False)).then(pl.lit(None, pl.String))
        .when(pl.col("_has").fill_null(False)).then(pl.lit(f"fewer than {MIN_PEERS} peer bureaus in every peer group"))
        .otherwise(pl.lit("no comparable feature (参保人数 / 科目 / 基金 figures not found)")).alias("reason"),
    ).cast(EVALS)


def driver_rows(index: PeerIndex, hits: pl.DataFrame, value_col: str = "value") -> list[dict]:
    """Evidence rows of a bureau-year's driving features: value, peers' median and range, group, n."""
    out = []
    for r in hits.head(MAX_DRIVERS).to_dicts():
        peers = index.peers(r)
        s = peer_summary(peers, value_col)
        out.append({"feature": r["feature"], "label": r["label"], "row_label": r["label"], "document_id": r["document_id"],
                    "table_id": r["table_id"], "page": r["page"], "raw_text": r["raw_text"],
                    "value": r[value_col], "peer_median": s["median"], "peer_p10": s["p10"], "peer_p90": s["p90"],
                    "peer_n": s["n"], "peer_group": r["tier"], "robust_z": round(r["z"], 2),
                    "ratio": None if r["ratio"] is None else round(r["ratio"], 3), "peers": s["names"]})
    return out


def group_phrase(r: dict) -> str:
    where = {"同省同级同规模": f"{r.get('province') or ''}同级同规模", "同省同级": f"{r.get('province') or ''}同级",
             "全国同级同规模": "各省同级同规模", "全国同级": "各省同级"}.get(r["tier"], r["tier"])
    return f"{where}{r.get('level_class') or ''}级医保局"


def hit_row(code: str, kind: str, drivers: list[dict], top: dict, bureau: str, message: str, sev: str) -> dict:
    ratio = top["ratio"]
    return {"document_id": top["document_id"], "table_id": top["table_id"],
            "location": f"{code}|{top['bkey']}|{top['fiscal_year']}|{top['feature']}", "kind": kind,
            "message": message, "evidence": evidence_json(drivers),
            "expected": f"同类单位中位数{show(top['feature'], drivers[0]['peer_median'])}",
            "actual": show(top["feature"], drivers[0]["value"]),
            "difference": f"{fmt_number(ratio, 2)}倍" if ratio is not None else f"z {fmt_number(top['z'], 1)}",
            "rel_diff": min(1.0, abs(top["z"]) / 100), "severity": sev}


def profile_matrix(scores: pl.DataFrame, min_share: float = 0.5) -> tuple[pl.DataFrame, np.ndarray, list[str]]:
    """(bureau-year keys, robust z matrix, feature names) over features present in ≥ ``min_share`` of rows."""
    z = scores.filter(pl.col("tier").is_not_null() & ~pl.col("family").is_in(list(TOTAL_FAMILIES)))
    if z.height == 0:
        return pl.DataFrame(schema={"bkey": pl.String, "fiscal_year": pl.Int32}), np.zeros((0, 0)), []
    keys = z.select("bkey", "fiscal_year").unique().sort("bkey", "fiscal_year")
    counts = z.group_by("feature").len()
    keep = sorted(counts.filter(pl.col("len") >= min_share * keys.height)["feature"].to_list())
    if not keep:
        return keys, np.zeros((keys.height, 0)), []
    w = z.filter(pl.col("feature").is_in(keep)).pivot(on="feature", index=["bkey", "fiscal_year"], values="z",
                                                       aggregate_function="first")
    w = keys.join(w, on=["bkey", "fiscal_year"], how="left")
    for f in keep:
        if f not in w.columns:
            w = w.with_columns(pl.lit(None, pl.Float64).alias(f))
    return keys, w.select(keep).to_numpy().astype(float), keep


def fit_profiles(scores: pl.DataFrame, random_state: int = 0) -> pl.DataFrame:
    """Per bureau-year: the combined (IsolationForest + kNN) rank and its calibrated tail share."""
    keys, z, names = profile_matrix(scores)
    if z.shape[0] < 2 or not names:
        return keys.with_columns(combined=pl.lit(None, pl.Float64), calibrated=pl.lit(None, pl.Float64))
    det = ProfileOutlier(random_state=random_state).fit(z)
    return keys.with_columns(combined=pl.Series(det.combined_), calibrated=pl.Series(det.calibrated_),
                             iso_rank=pl.Series(det.iso_rank_), knn_rank=pl.Series(det.knn_rank_))


def fmt_z(z: float) -> str:
    return fmt_number(z, 1) if math.isfinite(z) else "—"


FAMILY_LABELS = {k: v.label for k, v in FAMILY.items()}
