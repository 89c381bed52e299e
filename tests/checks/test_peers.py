"""Peer checks: robust z with a MAD floor, the peer minimum, year-on-year steps."""

from __future__ import annotations

import polars as pl

from tests.checks.rules.po001 import peer_case
from tests.checks.rules.po002 import yoy_case
from toolkit.checks.peer_stats import MIN_PEERS
from toolkit.checks.rules.po001 import PerCapitaSpendingPeerOutlier
from toolkit.checks.rules.po002 import YearOnYearJump


def test_peer_outlier_numbers():
    r = PerCapitaSpendingPeerOutlier().run(peer_case(930.0))
    h = r.hits.row(0, named=True)
    # 930万元 / 300000人 = 31.00元/人 ; peers 290…320万元 -> 9.67…10.67, median (300+305)/2/30 = 10.08
    assert "31.00元" in h["actual"] and "10.08元/人" in h["expected"]
    assert h["document_id"] == "d1"


def test_too_few_peers_is_skipped_not_flagged():
    fr = peer_case(930.0)
    keep = ["d1", "d2", "d3", "d4"]  # 3 peers < MIN_PEERS
    fr = {k: (v.filter(pl.col("document_id").is_in(keep)) if "document_id" in v.columns else v) for k, v in fr.items()}
    r = PerCapitaSpendingPeerOutlier().run(fr)
    assert r.hits.height == 0 and MIN_PEERS == 5
    assert set(r.evals["status"].to_list()) == {"skipped"}
    assert all("fewer than 5 peer bureaus" in x for x in r.evals["reason"].to_list())


def test_a_drop_is_flagged_too():
    r = YearOnYearJump().run(yoy_case(0.3))
    assert r.hits.height == 1 and "骤减" in r.hits["message"][0]
    assert YearOnYearJump().run(yoy_case(1.6)).hits.height == 0  # ×1.6 is below the ×2 floor
