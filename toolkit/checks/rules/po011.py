"""PO011: A bureau-year's profile of features as a whole is unlike every peer's (IsolationForest + kNN)."""

from __future__ import annotations

from typing import ClassVar

import polars as pl

from toolkit.checks.framework import Check, CheckResult, hits_frame
from toolkit.checks.registry import register
from toolkit.peers.explain import evidence_json, show
from toolkit.peers.scoring import TOTAL_FAMILIES, evals_for, fit_profiles, fmt_z, peer_scores

MIN_CORPUS = 100  # bureau-years with a profile: the rarest 1 % is then at least one of them
TAIL_FLAG = 0.01  # the rarest 1 % of the corpus …
DETECTOR_FLAG = 0.97  # … on which both detectors agree (each ranks it in its top 3 %)
Z_SUPPORT = 3.0  # and one feature at least this far from its peers, to explain it


@register
class ProfileOutlier(Check):
    """A bureau-year's profile of features as a whole is unlike every peer's (IsolationForest + kNN).

    What it does: takes every bureau-year's robust z profile (PO010's features, missing read as 0)
    and scores it with two detectors fitted on the corpus: an IsolationForest (seeded) and the
    mean distance to its 5 nearest neighbours; each score becomes its rank in the corpus and the
    two ranks are averaged (one calibrated score: the share of bureau-years at least as unusual).
    Fires, at low severity, for the rarest 1 % on which both detectors agree (each in its top 3 %)
    and when at least one feature is 3 robust z from its peers; the message names the features
    that drive it. Needs 100 bureau-years with profiles (coverage: skipped).

    Why it matters: several moderately unusual figures together (a high 行政运行 share, low
    personnel share, high 三公) can mark a bureau whose accounts differ in kind from its peers'
    even when no single figure would be flagged.

    Example: 某区医疗保障局 2023: combined rank 0.995 (forest 0.99, neighbours 1.00), driven by
    信息化建设 share (z 3.6) and 事业运行 per insured person (z −3.2).

    Known false positives: a bureau with an unusual but legitimate remit (it runs the 经办中心, or
    carries 医疗救助); the top features say which part of the profile is unusual.
    """

    code = "PO011"
    name = "profile-outlier"
    category = "peer_outlier"
    detects = ("profile_outlier",)
    label = "整体结构异于同类单位"
    requires = ("expense", "frame:facts")
    scope: ClassVar[str] = "corpus"

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        scores, sz = peer_scores(frames)
        if scores.height == 0:
            return CheckResult.of([], [])
        prof = fit_profiles(scores)
        if prof.height < MIN_CORPUS or prof["combined"].null_count() == prof.height:
            ev = evals_for(scores.with_columns(tier=pl.lit(None, pl.String)), sz, frames, "P-11", set())
            return CheckResult.of([], [ev.with_columns(reason=pl.lit(f"fewer than {MIN_CORPUS} bureau-years "
                                                                     "with a feature profile"))])
        z = scores.filter(pl.col("tier").is_not_null() & ~pl.col("family").is_in(list(TOTAL_FAMILIES))).with_columns(
            _a=pl.col("z").abs())
        cand = prof.filter((pl.col("calibrated") <= TAIL_FLAG) & (pl.col("iso_rank") >= DETECTOR_FLAG)
                           & (pl.col("knn_rank") >= DETECTOR_FLAG))
        names = {(k, y): b for k, y, b in sz.select("bkey", "fiscal_year", "bureau").iter_rows()}
        hits, failed = [], set()
        for r in cand.to_dicts():
            top = z.filter((pl.col("bkey") == r["bkey"]) & (pl.col("fiscal_year") == r["fiscal_year"])).sort(
                ["_a", "feature"], descending=[True, False]).head(3)
            if top.height == 0 or top["_a"][0] < Z_SUPPORT:
                continue
            failed.add((r["bkey"], r["fiscal_year"]))
            bureau = names.get((r["bkey"], r["fiscal_year"])) or r["bkey"]
            parts = [f"{t['label']}{show(t['feature'], t['value'])}（同类中位数{show(t['feature'], t['peer_median_value'])}，"
                     f"z {fmt_z(t['z'])}）" for t in top.to_dicts()]
            n = prof.height

            def top_share(rank: float, n: int = n) -> str:
                return f"{((1 - rank) * (n - 1) + 1) / n * 100:.1f}%"

            msg = (f"{bureau}{r['fiscal_year']}年各项指标的整体结构与同类医保局差异显著（在{n}个局年度中，孤立森林与近邻距离"
                   f"两种方法分别排在最不寻常的前{top_share(r['iso_rank'])}和前{top_share(r['knn_rank'])}，综合排名前"
                   f"{r['calibrated'] * 100:.1f}%），主要由" + "、".join(parts) + "造成；需结合情况说明核实其职能或口径是否与"
                   "同类单位不同。")
            t0 = top.row(0, named=True)
            hits.append({"document_id": t0["document_id"], "table_id": t0["table_id"],
                         "location": f"PO011|{r['bkey']}|{r['fiscal_year']}", "kind": "profile_outlier",
                         "message": msg, "evidence": evidence_json(
                             [{"combined_rank": round(r["combined"], 4), "tail_share": round(r["calibrated"], 4),
                               "isolation_forest_rank": round(r["iso_rank"], 4), "knn_rank": round(r["knn_rank"], 4)}]
                             + [{"feature": t["feature"], "label": t["label"], "value": t["value"],
                                 "peer_median": t["peer_median_value"], "robust_z": round(t["z"], 2),
                                 "peer_group": t["tier"], "peer_n": t["peer_n"], "document_id": t["document_id"],
                                 "raw_text": t["raw_text"]} for t in top.to_dicts()]),
                         "expected": "与同类单位结构相近", "actual": f"综合排名前{r['calibrated'] * 100:.1f}%",
                         "difference": f"z {fmt_z(t0['z'])}", "rel_diff": 0.01, "severity": "low"})
        return CheckResult.of([hits_frame(hits)], [evals_for(scores, sz, frames, "P-11", failed)])
