"""Measure the peer and digit checks on generated corpora (seeds never used while tuning).

    python scripts/peer_eval.py peers   [--bureaus 300 --years 2 --seeds 101,102,103 --rate 0.1]
    python scripts/peer_eval.py digits  [--reps 200 --seed 201]
    python scripts/peer_eval.py bench   [--sizes 4000,8000]

``peers``: per seed and multiplier (2×, 3×, 5× one 03 表 line item of a tenth of the last year's
bureau-years, ``toolkit.synth.peer_anomalies``): recall (any severity and medium+), false findings
per clean bureau-year (medium+ and all), and the ROC AUC of the bureau-year ranking
(``toolkit.rank.rank_bureaus`` risk over the peer checks' findings) and of the detector's own score.
``digits``: false-alarm rate per Nigrini class and test on clean generated amounts of 100, 1,000 and
10,000, and the detection rate on fabricated amounts. ``bench``: the corpus pass of the PO/DP checks
over prebuilt frames at the given document counts, with the time ratio.

Tuning used seeds 0–9 only.
"""

from __future__ import annotations

import argparse
import logging
import random

import numpy as np
import polars as pl
from sklearn.metrics import roc_auc_score

from toolkit.bench import peer_pass_timing
from toolkit.checks.framework import clear_frame_caches
from toolkit.checks.registry import all_checks
from toolkit.findings import to_findings
from toolkit.peers import digits as dg
from toolkit.peers.scoring import TOTAL_FAMILIES, peer_scores, yoy_scores
from toolkit.rank import rank_bureaus
from toolkit.synth.peer_anomalies import (
    clean_amounts,
    corpus_frames,
    fabricate_amounts,
    generated,
    plan_injections,
)

log = logging.getLogger("peer_eval")
PEER_CODES = ("PO001", "PO002", "PO010", "PO011", "PO012")
MEDIUM_UP = ("medium", "high")


def run_codes(frames: dict, codes: tuple[str, ...]) -> pl.DataFrame:
    """Findings of the named checks over the frames (the framework's hits -> findings step)."""
    clear_frame_caches()
    out = []
    for cls in all_checks():
        if cls.code not in codes:
            continue
        res = cls().run(frames)
        out.append(to_findings(cls.code, cls.version, cls.category, res.hits, frames["documents"]))
    return pl.concat([f for f in out if f.height], how="diagonal_relaxed") if any(f.height for f in out) else out[0]


def _bureau_year_of(findings: pl.DataFrame, docs: pl.DataFrame) -> pl.DataFrame:
    keys = docs.select("document_id", pl.coalesce("region_code", "bureau", "document_id").alias("bkey"))
    return findings.join(keys, on="document_id", how="left")


def detector_score(frames: dict) -> pl.DataFrame:
    """Per bureau-year: the largest upward robust z of a non-total feature, level or change."""
    lv, _ = peer_scores(frames)
    ch = yoy_scores(frames)
    parts = [s.filter(~pl.col("family").is_in(list(TOTAL_FAMILIES)) & pl.col("z").is_not_null())
             .group_by("bkey", "fiscal_year").agg(pl.col("z").max().alias("s")) for s in (lv, ch) if s.height]
    return pl.concat(parts).group_by("bkey", "fiscal_year").agg(pl.col("s").max())


def eval_peers(bureaus: int, years: int, seeds: list[int], rate: float, multipliers: list[float]) -> pl.DataFrame:
    rows = []
    for seed in seeds:
        items = generated(bureaus, years, seed)
        last = max(it.year for it in items)
        for k in multipliers:
            boosts, labels = plan_injections(items, k, rate, seed)
            frames = corpus_frames(items, boosts, doc_prefix=f"{seed}-{k}")
            docs = frames["documents"]
            f = _bureau_year_of(run_codes(frames, PEER_CODES), docs)
            injected = {(lb.bkey, lb.fiscal_year) for lb in labels}
            fy = f.select("bkey", "fiscal_year", "severity", "check_code")
            hit_keys = set(zip(fy["bkey"], fy["fiscal_year"], strict=True))
            med = fy.filter(pl.col("severity").is_in(MEDIUM_UP))
            med_keys = set(zip(med["bkey"], med["fiscal_year"], strict=True))
            all_keys = set(zip(*(docs.select(pl.coalesce("region_code", "bureau").alias("k"), "fiscal_year")
                                 .unique().get_columns()), strict=True))
            clean = all_keys - injected
            inj = pl.DataFrame([{"bkey": b, "fiscal_year": y} for b, y in injected],
                               schema={"bkey": pl.String, "fiscal_year": pl.Int32})
            false_med = med.join(inj, on=["bkey", "fiscal_year"], how="anti").height
            false_all = fy.join(inj, on=["bkey", "fiscal_year"], how="anti").height
            # ranking AUC over the last year's bureau-years (injections are in the last year only)
            ranked = rank_bureaus(f.drop("bkey"), docs)
            name_to_key = dict(docs.select("bureau", pl.coalesce("region_code", "bureau")).unique("bureau").iter_rows())
            risk = {(name_to_key.get(b, b), y): r for b, y, r in ranked.select("bureau", "fiscal_year", "risk_score")
                    .iter_rows()}
            last_keys = sorted(k2 for k2 in all_keys if k2[1] == last)
            y_true = [int(k2 in injected) for k2 in last_keys]
            auc_rank = roc_auc_score(y_true, [risk.get(k2, 0.0) for k2 in last_keys]) if 0 < sum(y_true) < len(
                y_true) else None
            ds = {(b, y): s for b, y, s in detector_score(frames).iter_rows()}
            auc_det = roc_auc_score(y_true, [ds.get(k2, 0.0) for k2 in last_keys]) if 0 < sum(y_true) < len(
                y_true) else None
            injected_bureaus = {b for b, _ in injected}
            clean_bureaus = {b for b, _ in all_keys} - injected_bureaus
            false_med_bureau = med.filter(~pl.col("bkey").is_in(list(injected_bureaus))).height
            rows.append({"seed": seed, "multiplier": k, "bureau_years": len(all_keys), "injected": len(injected),
                         "recall_any": len(injected & hit_keys) / max(1, len(injected)),
                         "recall_medium": len(injected & med_keys) / max(1, len(injected)),
                         "false_medium_per_clean": false_med / max(1, len(clean)),
                         "false_any_per_clean": false_all / max(1, len(clean)),
                         "false_medium_per_clean_bureau": false_med_bureau / max(1, len(clean_bureaus)),
                         "auc_ranking": auc_rank, "auc_detector": auc_det})
            log.info("seed %s ×%s: %s", seed, k, rows[-1])
    return pl.DataFrame(rows)


def eval_digits(reps: int, seed: int, sizes: tuple[int, ...] = (100, 1000, 10000)) -> pl.DataFrame:
    """False alarms on clean generated amounts and detection on fabricated ones, per test and size."""
    rng = random.Random(seed)
    pool = clean_amounts(generated(400, 3, seed))
    rows = []
    for how in ("clean", "uniform", "round"):
        for n in sizes:
            classes = {c: 0 for c in ("close", "acceptable", "marginal", "nonconformity")}
            first_fail = last_fail = round_fail = 0
            r_n = reps if n < 10000 else max(20, reps // 4)
            for _ in range(r_n):
                if how == "clean":
                    sample = rng.sample(pool, n)  # distinct draws: the checks count each printed amount once
                else:
                    sample = fabricate_amounts(n, how, rng, like=pool)
                digits = pl.Series([f"{v:.2f}" for v in sample]).str.replace_all(r"[^0-9]", "").str.strip_chars_start("0")
                ft = dg.first_two_test(dg.first_two_counts(digits))
                classes[ft["class"]] += 1
                first_fail += dg.is_first_two_failure(ft)
                lt_counts = dg.last_two_counts(digits)
                last_fail += dg.is_last_two_failure(dg.last_two_test(lt_counts))
                round_fail += dg.is_round_failure(dg.round_test(lt_counts))
            rows.append({"amounts": how, "n": n, "reps": r_n, **{f"class_{c}": v / r_n for c, v in classes.items()},
                         "DP001_fires": first_fail / r_n, "DP002_fires": last_fail / r_n,
                         "DP003_fires": round_fail / r_n, "expected_mad": round(dg.expected_mad(n), 5)})
    return pl.DataFrame(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["peers", "digits", "bench"])
    ap.add_argument("--bureaus", type=int, default=300)
    ap.add_argument("--years", type=int, default=2)
    ap.add_argument("--seeds", default="101,102,103")
    ap.add_argument("--rate", type=float, default=0.1)
    ap.add_argument("--multipliers", default="2,3,5")
    ap.add_argument("--reps", type=int, default=200)
    ap.add_argument("--seed", type=int, default=201)
    ap.add_argument("--sizes", default="4000,8000")
    ap.add_argument("--out", default=None, help="also write the table as CSV")
    a = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    pl.Config.set_tbl_cols(20)
    pl.Config.set_tbl_width_chars(220)
    pl.Config.set_tbl_rows(50)
    if a.what == "peers":
        df = eval_peers(a.bureaus, a.years, [int(s) for s in a.seeds.split(",")], a.rate,
                        [float(m) for m in a.multipliers.split(",")])
        summary = df.group_by("multiplier").agg(pl.col("injected").sum(), pl.col("bureau_years").sum(),
                                               *(pl.col(c).mean() for c in ("recall_any", "recall_medium",
                                                                            "false_medium_per_clean",
                                                                            "false_any_per_clean",
                                                                            "false_medium_per_clean_bureau", "auc_ranking",
                                                                            "auc_detector"))).sort("multiplier")
        print(df)
        print(summary)
    elif a.what == "digits":
        df = eval_digits(a.reps, a.seed)
        print(df)
    else:
        df = pl.DataFrame(peer_pass_timing([int(s) for s in a.sizes.split(",")]))
        print(df)
    if a.out:
        df.write_csv(a.out)
    np.seterr(all="ignore")


if __name__ == "__main__":
    main()
