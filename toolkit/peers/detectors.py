"""Peer detectors as scikit-learn estimators: fitted on the corpus, scoring each bureau-year.

* :class:`RobustPeerZ` — per feature: robust z = (x − others' median) ÷ max(1.4826 · others' MAD, floor),
  in the group :func:`toolkit.peers.groups.tiered_centre` chooses, on a log scale for amounts and
  ratios of amounts. The floor is the feature family's (``FeatureFamily.floor``): honest bureaus of
  one group differ at least that much, so a tight group never turns a small gap into a large z.
* :class:`ProfileOutlier` — multivariate: IsolationForest and the mean distance to the k nearest
  neighbours (the baseline pair benchmark studies recommend), both over the bureau-years' robust z
  profiles; each detector's score becomes its rank among the corpus's bureau-years and the two
  ranks are averaged, then mapped to the corpus's empirical tail (``calibrated``: the share of
  bureau-years scoring at least as high).

Both are deterministic (a fixed ``random_state``) and independent of the order rows arrive in:
rows are sorted by bureau and year before fitting.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from sklearn.base import BaseEstimator, OutlierMixin
from sklearn.ensemble import IsolationForest
from sklearn.neighbors import NearestNeighbors

from toolkit.peers.features import FEATURE_FAMILIES
from toolkit.peers.groups import MIN_PEERS, tiered_centre, with_group_keys

_LOG = {f.prefix: f.log for f in FEATURE_FAMILIES}
_FLOOR = {f.prefix: f.floor for f in FEATURE_FAMILIES}


def transformed(family: pl.Expr, value: pl.Expr) -> pl.Expr:
    logged = family.replace_strict(_LOG, default=True, return_dtype=pl.Boolean)
    return pl.when(logged).then(value.log()).otherwise(value)


class RobustPeerZ(BaseEstimator, OutlierMixin):
    """Leave-one-out robust z of every (bureau-year, feature) against its peer group.

    ``fit(features, sizes)`` takes the long feature table (``toolkit.peers.features``) and the
    per bureau-year sizes/metadata; ``scores_`` is the feature table with ``x`` (compared value),
    ``tier``, ``peer_median``, ``peer_mad``, ``peer_n``, ``z`` and ``ratio`` (bureau ÷ peer median on the
    original scale, for log features). ``score_samples`` returns −|z| in row order (higher = more
    normal, as scikit-learn's outlier detectors do); rows never compared are NaN.
    """

    def __init__(self, min_peers: int = MIN_PEERS, value_col: str = "value", transform: bool = True,
                 floor: float | None = None) -> None:
        self.min_peers = min_peers
        self.value_col = value_col
        self.transform = transform  # False: ``value_col`` is already on the compared scale (a log ratio)
        self.floor = floor  # one MAD floor for every feature instead of the family's

    def fit(self, features: pl.DataFrame, sizes: pl.DataFrame | None = None) -> RobustPeerZ:
        meta_cols = ["bkey", "fiscal_year", "province", "level", "insured"]
        keyed = with_group_keys(sizes.select(meta_cols)) if sizes is not None else None
        x = features.sort("bkey", "fiscal_year", "feature")
        if keyed is not None:
            x = x.join(keyed.select("bkey", "fiscal_year", "province", "level_class", "size_band"),
                       on=["bkey", "fiscal_year"], how="left")
        value = transformed(pl.col("family"), pl.col(self.value_col)) if self.transform else pl.col(self.value_col)
        x = x.with_columns(x=value).filter(pl.col("x").is_finite())
        c = tiered_centre(x, "x", by=("fiscal_year", "feature"), min_peers=self.min_peers)
        floor = (pl.lit(self.floor) if self.floor is not None
                 else pl.col("family").replace_strict(_FLOOR, default=0.25, return_dtype=pl.Float64))
        logged = pl.col("family").replace_strict(_LOG, default=True, return_dtype=pl.Boolean)
        self.scores_ = c.with_columns(
            z=(pl.col("x") - pl.col("peer_median")) / pl.max_horizontal(pl.col("peer_mad"), floor),
            ratio=pl.when(logged).then((pl.col("x") - pl.col("peer_median")).exp()).otherwise(None),
            peer_median_value=pl.when(logged).then(pl.col("peer_median").exp()).otherwise(pl.col("peer_median")),
        )
        return self

    def score_samples(self, features: pl.DataFrame) -> np.ndarray:
        keys = ["bkey", "fiscal_year", "feature"]
        z = features.select(keys).join(self.scores_.select(*keys, "z"), on=keys, how="left", maintain_order="left")
        return -np.abs(z["z"].cast(pl.Float64).fill_null(np.nan).to_numpy())


class ProfileOutlier(BaseEstimator, OutlierMixin):
    """IsolationForest + kNN distance over robust-z profiles, combined into one calibrated score.

    ``fit(Z)`` with ``Z`` an (n bureau-years × p features) array of robust z (NaN = not compared,
    read as 0: no evidence either way), clipped at ±``clip`` so one extreme feature does not hide
    the rest. ``combined_`` is the mean of the two detectors' corpus ranks (0..1, 1 = most unusual),
    ``calibrated_`` the empirical tail share (small = rare).
    """

    def __init__(self, n_estimators: int = 200, n_neighbors: int = 5, clip: float = 8.0,
                 random_state: int = 0) -> None:
        self.n_estimators = n_estimators
        self.n_neighbors = n_neighbors
        self.clip = clip
        self.random_state = random_state

    def _prepare(self, z: np.ndarray) -> np.ndarray:
        return np.clip(np.nan_to_num(np.asarray(z, dtype=float), nan=0.0), -self.clip, self.clip)

    def fit(self, z: np.ndarray, y: None = None) -> ProfileOutlier:
        x = self._prepare(z)
        n = x.shape[0]
        self.forest_ = IsolationForest(n_estimators=self.n_estimators, random_state=self.random_state).fit(x)
        k = max(1, min(self.n_neighbors, n - 1))
        self.knn_ = NearestNeighbors(n_neighbors=k + 1).fit(x)
        iso = -self.forest_.score_samples(x)
        dist, _ = self.knn_.kneighbors(x)
        knn = dist[:, 1:].mean(axis=1)
        self.iso_rank_ = _rank01(iso)
        self.knn_rank_ = _rank01(knn)
        self.combined_ = (self.iso_rank_ + self.knn_rank_) / 2
        self.calibrated_ = _tail_share(self.combined_)
        return self

    def score_samples(self, z: np.ndarray) -> np.ndarray:
        """Higher = more normal (scikit-learn convention): minus the mean of both detectors' raw scores,
        each scaled by its spread over the fitted corpus."""
        x = self._prepare(z)
        iso = -self.forest_.score_samples(x)
        dist, _ = self.knn_.kneighbors(x, n_neighbors=self.knn_.n_neighbors - 1)
        return -(iso / max(1e-12, iso.std()) + dist.mean(axis=1) / max(1e-12, dist.mean(axis=1).std())) / 2


def _rank01(v: np.ndarray) -> np.ndarray:
    """Average ranks scaled to 0..1 (ties share a rank; one row -> 0.5)."""
    n = len(v)
    if n <= 1:
        return np.full(n, 0.5)
    order = np.argsort(v, kind="stable")
    ranks = np.empty(n)
    ranks[order] = np.arange(n, dtype=float)
    # average the ranks of ties
    _, inv, counts = np.unique(v, return_inverse=True, return_counts=True)
    sums = np.bincount(inv, weights=ranks)
    return (sums / counts)[inv] / (n - 1)


def _tail_share(v: np.ndarray) -> np.ndarray:
    """For each value: the share of values ≥ it (1/n for the single highest)."""
    n = len(v)
    s = np.sort(v)
    return (n - np.searchsorted(s, v, side="left")) / max(1, n)
