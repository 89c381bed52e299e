"""PO012: One feature of a bureau changes between years far beyond its peers' changes."""

from __future__ import annotations

from typing import ClassVar

import polars as pl

from toolkit.checks.framework import Check, CheckResult, hits_frame
from toolkit.checks.registry import register
from toolkit.checks.tolerance import fmt_number
from toolkit.peers.explain import PeerIndex, evidence_json, peer_summary, show
from toolkit.peers.scoring import (
    MAX_DRIVERS,
    TOTAL_FAMILIES,
    evals_for,
    flagged,
    fmt_z,
    group_phrase,
    peer_scores,
    severity,
    yoy_scores,
)


@register
class FeatureYearOnYearJump(Check):
    """One feature of a bureau changes between years far beyond its peers' changes.

    What it does: for every feature of the feature table (PO010's) present for the same bureau in
    two consecutive years, takes the change (log ratio) and compares it with the changes of the
    other bureaus of its peer group the same year (same groups, minimum sizes and fallbacks as
    PO010): robust z with a MAD floor of 0.15. Flags |z| ≥ 4 together with a change of at least ×2
    (or ÷2); one finding per bureau-year, naming the strongest feature with both years' values and
    the peers' median change, the other driving features in the evidence. Upward only for amounts
    (a project that ended is ordinary). The total is PO002's.

    Why it matters: a 科目 that triples in one year while the bureau's peers' stay flat is a new
    pass-through, a mis-booked item or a typed figure, even when the total moves little.

    Example: 一般行政管理事务 per insured person 1.9 → 6.2元/人 (×3.3) while 14 county bureaus of the
    province changed by a median +3 % (z 8.1).

    Known false positives: a one-off project or an institutional change (经办中心 merged into the
    bureau); the message gives both years so the 说明 can be checked.
    """

    code = "PO012"
    name = "feature-year-on-year-jump"
    category = "peer_outlier"
    detects = ("feature_yoy_jump",)
    label = "科目年度变化异于同类单位"
    requires = ("expense", "frame:facts")
    scope: ClassVar[str] = "corpus"

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        ys = yoy_scores(frames)
        _, sz = peer_scores(frames)
        if ys.height == 0:
            return CheckResult.of([], [])
        meta = sz.select("bkey", "fiscal_year", "bureau")
        hits = flagged(ys, exclude=TOTAL_FAMILIES).with_columns(_a=pl.col("z").abs()).sort(
            ["bkey", "fiscal_year", "_a", "feature"], descending=[False, False, True, False])
        rows, failed = [], set()
        index = PeerIndex(ys, meta)
        names = {(k, y): b for k, y, b in meta.iter_rows()}
        for (bkey, year), g in hits.group_by(["bkey", "fiscal_year"], maintain_order=True):
            drivers = []
            for r in g.head(MAX_DRIVERS).to_dicts():
                s = peer_summary(index.peers(r), "change")
                drivers.append({"feature": r["feature"], "label": r["label"], "document_id": r["document_id"],
                                "table_id": r["table_id"], "page": r["page"], "raw_text": r["raw_text"],
                                "prev_raw_text": r["prev_raw"], "value": r["value"], "prev_value": r["prev_value"],
                                "ratio": round(r["ratio"], 3), "peer_median_ratio": _exp(s["median"]),
                                "peer_p10_ratio": _exp(s["p10"]), "peer_p90_ratio": _exp(s["p90"]),
                                "peer_n": s["n"], "peer_group": r["tier"], "robust_z": round(r["z"], 2),
                                "peers": s["names"]})
            top, d = g.row(0, named=True), drivers[0]
            bureau = names.get((bkey, year)) or bkey
            others = "；另有" + "、".join(x["label"] for x in drivers[1:]) + "同样异常" if len(drivers) > 1 else ""
            med = d["peer_median_ratio"]
            msg = (f"{bureau}{year}年{top['label']}为{show(top['feature'], top['value'])}（原表{top['raw_text']}），"
                   f"上年为{show(top['feature'], top['prev_value'])}，变为上年的{fmt_number(top['ratio'], 2)}倍；"
                   f"{group_phrase(top)}（{d['peer_n']}个，{'、'.join(d['peers'][:5])}等）同期变化的中位数为"
                   f"{fmt_number(((med or 1) - 1) * 100, 1)}%（稳健z值{fmt_z(top['z'])}）{others}：该项一年内的变化远超同类单位，"
                   f"需核实是否含一次性转拨资金、科目调整或数字有误。")
            rows.append({"document_id": top["document_id"], "table_id": top["table_id"],
                         "location": f"PO012|{bkey}|{year}|{top['feature']}", "kind": "feature_yoy_jump",
                         "message": msg, "evidence": evidence_json(drivers),
                         "expected": f"约为上年的{fmt_number(med or 1, 2)}倍（同类中位数）",
                         "actual": f"上年的{fmt_number(top['ratio'], 2)}倍",
                         "difference": f"{fmt_number(top['ratio'], 2)}倍", "rel_diff": min(1.0, abs(top["z"]) / 100),
                         "severity": severity(top["z"], top["ratio"])})
            failed.add((bkey, year))
        return CheckResult.of([hits_frame(rows)], [evals_for(ys, sz, frames, "P-12", failed)])


def _exp(v: float | None) -> float | None:
    import math

    return None if v is None else round(math.exp(v), 4)
