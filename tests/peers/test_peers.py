"""The peer package: leave-one-out statistics, the feature table, determinism and the digit tests."""

from __future__ import annotations

import math
import random

import numpy as np
import polars as pl
import pytest

from tests.checks.peer_corpus import level_corpus
from toolkit.checks.framework import clear_frame_caches
from toolkit.checks.rules.po010 import LineItemPeerOutlier
from toolkit.peers import digits as dg
from toolkit.peers.detectors import ProfileOutlier
from toolkit.peers.features import feature_table
from toolkit.peers.groups import loo_centre, loo_median, tiered_centre


@pytest.mark.parametrize("n", range(1, 12))
def test_leave_one_out_median_matches_brute_force(n: int) -> None:
    rng = np.random.default_rng(n)
    v = rng.integers(0, 6, size=n).astype(float)  # with ties
    got = loo_median(pl.DataFrame({"g": ["a"] * n, "v": v}), ["g"], "v", "m")["m"].to_list()
    want = [None if n < 2 else float(np.median(np.delete(v, i))) for i in range(n)]
    assert got == want


def test_leave_one_out_mad_is_about_the_group_median() -> None:
    # values 1, 2, 3, 4, 100: group median 3, deviations 2, 1, 0, 1, 97; leaving out 100 -> deviations 2, 1, 0, 1
    # -> median 1.0, × 1.4826
    df = pl.DataFrame({"g": ["a"] * 5, "v": [1.0, 2.0, 3.0, 4.0, 100.0]})
    out = loo_centre(df, ["g"], "v", "p_").filter(pl.col("v") == 100.0).row(0, named=True)
    assert out["p_median"] == 2.5 and out["p_mad"] == pytest.approx(1.4826) and out["p_n"] == 4


def test_tiers_fall_back_to_the_same_level_across_provinces() -> None:
    # 3 bureaus in 甲省, 9 in 乙省, all 县 and 中: 甲省's rows have only 2 others in their province -> the
    # nationwide tier (11 others); 乙省's rows have 8 others in province -> the provincial tier
    rows = [{"fiscal_year": 2023, "feature": "f", "bkey": f"a{i}", "province": "甲省", "level_class": "县",
             "size_band": "中", "x": 1.0} for i in range(3)]
    rows += [{"fiscal_year": 2023, "feature": "f", "bkey": f"b{i}", "province": "乙省", "level_class": "县",
              "size_band": "中", "x": 2.0} for i in range(9)]
    c = tiered_centre(pl.DataFrame(rows), "x", min_peers=8)
    tiers = dict(zip(c["bkey"], c["tier"], strict=True))
    assert tiers["a0"] == "全国同级同规模" and tiers["b0"] == "同省同级同规模"
    assert c.filter(pl.col("bkey") == "a0")["peer_n"][0] == 11


def test_missing_size_gives_no_per_insured_feature_never_zero() -> None:
    frames = level_corpus(930.0)
    frames["facts"] = frames["facts"].filter(pl.col("document_id") != "d1")
    clear_frame_caches()
    ft = feature_table(frames)
    mine = ft.filter(pl.col("bkey") == "430000")
    assert not mine["feature"].str.starts_with("item_per_insured").any()
    assert mine.filter(pl.col("feature") == "item_share:2101501")["value"][0] == pytest.approx(930 / 1030)
    assert (ft["value"] != 0).all()


def test_findings_do_not_depend_on_row_order() -> None:
    frames = level_corpus(2000.0)
    clear_frame_caches()
    a = LineItemPeerOutlier().run(frames).hits
    shuffled = {k: v.sample(fraction=1.0, shuffle=True, seed=3) for k, v in frames.items()}
    clear_frame_caches()
    b = LineItemPeerOutlier().run(shuffled).hits
    assert a.height == 1 and a.equals(b)


def test_profile_detector_is_seeded_and_order_free() -> None:
    rng = np.random.default_rng(0)
    z = rng.normal(size=(120, 6))
    z[7] = 9.0  # one row far from all others in every column
    d1 = ProfileOutlier(random_state=0).fit(z)
    d2 = ProfileOutlier(random_state=0).fit(z)
    assert np.array_equal(d1.combined_, d2.combined_)
    assert int(np.argmax(d1.combined_)) == 7 and d1.calibrated_[7] == pytest.approx(1 / 120)


def test_nigrini_classes_at_their_bounds() -> None:
    assert [dg.nigrini_class(m) for m in (0.0012, 0.0013, 0.0018, 0.0022, 0.0023)] == [
        "close", "acceptable", "acceptable", "marginal", "nonconformity"]


def test_first_two_test_on_exact_benford_counts_is_close() -> None:
    counts = np.round(dg.BENFORD_FIRST_TWO * 100_000)
    r = dg.first_two_test(counts)
    assert r["n"] == int(counts.sum()) and r["class"] == "close" and r["mad"] < 1e-5


def test_round_numbers_and_last_two_digits_on_fabricated_amounts() -> None:
    rng = random.Random(4)
    like = [rng.lognormvariate(8, 1.2) for _ in range(2000)]
    fab = dg.digit_strings(pl.Series([f"{v:.2f}" for v in [round(x, -2) if i % 3 == 0 else x
                                                          for i, x in enumerate(like[:600])]]))
    counts = dg.last_two_counts(fab)
    # a third of 600 rounded to whole hundreds: ≥ 200 end in 00 against 6 expected
    assert counts[0] >= 200
    assert dg.is_round_failure(dg.round_test(counts)) and dg.is_last_two_failure(dg.last_two_test(counts))


def test_expected_mad_shrinks_like_one_over_root_n() -> None:
    assert dg.expected_mad(400) == pytest.approx(2 * dg.expected_mad(1600))
    # mean over the 90 bins of sqrt(2p(1−p)/(πn)): 0.0025 at n = 1,000 (past the 0.0022 nonconformity bound by
    # chance alone), 0.0014 at 3,000
    assert dg.expected_mad(1000) > 0.0022 > 0.0018 > dg.expected_mad(3000)
    # at the 1,000 guard a pool needs MAD ≥ 1.8 × 0.0025 = 0.0045 to fire
    assert not dg.is_first_two_failure({"n": 1000, "mad": 0.0040, "class": "nonconformity"})
    assert dg.is_first_two_failure({"n": 1000, "mad": 0.0050, "class": "nonconformity"})
    assert math.isfinite(dg.expected_mad(1))
