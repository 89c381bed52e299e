"""PO010: One line item or ratio of a bureau is far from what its size and its peers explain."""

from __future__ import annotations

from typing import ClassVar

import polars as pl

from toolkit.checks.framework import Check, CheckResult, hits_frame
from toolkit.checks.registry import register
from toolkit.checks.tolerance import fmt_number
from toolkit.peers.explain import PeerIndex, show
from toolkit.peers.scoring import (
    driver_rows,
    evals_for,
    flagged,
    fmt_z,
    group_phrase,
    hit_row,
    peer_scores,
    severity,
)


@register
class LineItemPeerOutlier(Check):
    """One line item or ratio of a bureau is far from what its size and its peers explain.

    What it does: builds the feature table (``docs/peer-features.md``: every 项级科目 per insured
    person and as a share of the 03 表 合计, 类级科目 per insured person, 基本/人员 shares, 三公 per
    insured person, 执行率, fund 支出/收入, 结余 in months, 支付比例) and compares each bureau-year's
    feature with the other bureaus of the same year in its peer group (province × 省/市/县 level ×
    size band; fallbacks down to the same level across provinces; at least 8 other bureaus):
    robust z = (x − others' median) ÷ max(1.4826 × others' MAD, floor), on a log scale for amounts.
    Flags |z| ≥ 4 together with at least ×2 (or ÷2) from the peers' median; one finding per
    bureau-year, naming the strongest feature, with every driving feature in the evidence
    (value, peers' median, 10th–90th percentile, group, n and the peers' names). The totals per
    insured person are PO001's. Skipped (coverage): no peer group with 8 other bureaus.

    Why it matters: a 行政运行 three times what the bureau's size explains, inside an ordinary
    total, is money booked under the wrong 科目, pass-through funds, or a typed figure — the
    totals-based PO001 cannot see it.

    Example: a county bureau with 80万 参保人 reporting 行政运行（2101501）of 21.5元/人 against a
    median of 7.0元/人 among 12 county bureaus of its province (×3.1, z 7.4).

    Known false positives: a bureau that runs the 经办中心 (事业运行) its peers leave to another
    budget unit; one-off projects. The message names the peers and the group so the reader can
    judge the comparison.
    """

    code = "PO010"
    name = "line-item-peer-outlier"
    category = "peer_outlier"
    detects = ("line_item_peer_outlier",)
    label = "科目规模偏离同类单位"
    requires = ("expense", "frame:facts")
    scope: ClassVar[str] = "corpus"

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        scores, sz = peer_scores(frames)
        if scores.height == 0:
            return CheckResult.of([], [])
        meta = sz.select("bkey", "fiscal_year", "bureau")
        hits = flagged(scores).with_columns(_a=pl.col("z").abs()).sort(
            ["bkey", "fiscal_year", "_a", "feature"], descending=[False, False, True, False])
        rows, failed = [], set()
        index = PeerIndex(scores, meta)
        names = {(k, y): b for k, y, b in meta.iter_rows()}
        for (bkey, year), g in hits.group_by(["bkey", "fiscal_year"], maintain_order=True):
            drivers = driver_rows(index, g)
            top = g.row(0, named=True)
            bureau = names.get((bkey, year)) or bkey
            d = drivers[0]
            others = "；另有" + "、".join(x["label"] for x in drivers[1:]) + "同样偏离" if len(drivers) > 1 else ""
            ratio_text = f"为同类的{fmt_number(top['ratio'], 1)}倍" if top["ratio"] is not None else "明显偏离同类"
            msg = (f"{bureau}{year}年{top['label']}为{show(top['feature'], d['value'])}（原表{top['raw_text']}），"
                   f"{group_phrase(top)}（{d['peer_n']}个，{'、'.join(d['peers'][:5])}等）中位数为"
                   f"{show(top['feature'], d['peer_median'])}、常见区间{show(top['feature'], d['peer_p10'])}–"
                   f"{show(top['feature'], d['peer_p90'])}，{ratio_text}"
                   f"（稳健z值{fmt_z(top['z'])}）{others}：该项规模与单位体量和同类单位不相称，需核实是否含代管/转拨资金、"
                   f"科目归类错误或数字有误。")
            rows.append(hit_row(self.code, "line_item_peer_outlier", drivers, top, bureau, msg,
                                severity(top["z"], top["ratio"])))
            failed.add((bkey, year))
        return CheckResult.of([hits_frame(rows)], [evals_for(scores, sz, frames, "P-10", failed)])
