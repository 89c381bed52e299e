"""Measure the peer and digit checks on generated corpora (seeds never used while tuning).

    python scripts/peer_eval.py peers   [--bureaus 300 --years 2 --seeds 101,102,103 --rate 0.1]
    python scripts/peer_eval.py digits  [--reps 200 --seed 201]
    python scripts/peer_eval.py bench   [--sizes 4000,8000]
    python scripts/peer_eval.py real    [DOCS_OR_DIRS ...] [--background 24 --seed 201 --work DIR]

``peers``: per seed and multiplier (2×, 3×, 5× one 03 表 line item of a tenth of the last year's
bureau-years, ``toolkit.synth.peer_anomalies``): recall (any severity and medium+), false findings
per clean bureau-year (medium+ and all), and the ROC AUC of the bureau-year ranking
(``toolkit.rank.rank_bureaus`` risk over the peer checks' findings) and of the detector's own score.
``digits``: false-alarm rate per Nigrini class and test on clean generated amounts of 100, 1,000 and
10,000, and the detection rate on fabricated amounts. ``bench``: the corpus pass of the PO/DP checks
over prebuilt frames at the given document counts, with the time ratio.

``real``: the same anomaly injected into real documents through the mutation harness
(``toolkit.mutate.peer_faults``: one 项 ×2/×3/×5 in the document's own layout, its 款/类/合计/总计
raised by the same amount in every table). A real department has no peers in a handful of files, so
each host document is screened with the other real originals plus ``--background`` generated
bureau-years of its province, level and year built from its own 03 表 (each 项 × a size factor × the
generator's between-bureau noise): the peers then share its 科目. Detected = a PO finding on the
mutant naming the scaled 科目 code (any severity; medium+ apart); false = PO/DP medium+ findings on
the unmutated original in the same setting; new IT findings on the mutant alone show whether the
arithmetic stayed whole.

Tuning used seeds 0–9 only.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import random

import numpy as np
import polars as pl
from sklearn.metrics import roc_auc_score

from toolkit import schemas
from toolkit.bench import peer_pass_timing
from toolkit.checks.framework import clear_frame_caches
from toolkit.checks.registry import all_checks
from toolkit.findings import to_findings
from toolkit.mutate.peer_faults import MULTIPLIERS, PEER_PLANNERS
from toolkit.mutate.planner import Context
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


# --------------------------------------------------------------------------- real documents

REAL_KINDS = tuple(MULTIPLIERS)
SERIOUS_CODES = PEER_CODES + ("DP001", "DP002", "DP003", "DP004")


def _extract_file(path: str) -> dict | None:
    """The frames extraction gives one document file (None when it cannot be read)."""
    from pathlib import Path

    from toolkit.loaders import load_path
    from toolkit.model import Limits
    from toolkit.worker import _extract, document_id_for

    raw = load_path(Path(path), Limits(), display_path=path)
    sha = raw.meta.get("sha256")
    if raw.failed or not sha:
        return None
    size = int(raw.meta["size_bytes"]) if raw.meta.get("size_bytes") else None
    return _extract(raw, document_id_for(sha, path, size), sha, size)


def item_dispersion(seed: int) -> float:
    """The generator's spread between bureaus of one 项's share of the 03 表 合计 (median over items of
    1.4826 × MAD of its log share, per level): the background's noise, so that a real document's
    peers vary as the generated corpora's do."""
    from toolkit.peers.features import feature_table

    fr = corpus_frames(generated(300, 1, seed))
    ft = feature_table(fr).filter(pl.col("family") == "item_share")
    lv = fr["documents"].select(pl.coalesce("region_code", "bureau").alias("bkey"), "level").unique("bkey")
    s = ft.join(lv, on="bkey").with_columns(lg=pl.col("value").log()).group_by("feature", "level").agg(
        n=pl.len(), mad=(pl.col("lg") - pl.col("lg").median()).abs().median() * 1.4826)
    return float(s.filter(pl.col("n") >= 20)["mad"].median())


def background(host: dict, n: int, sigma: float, seed: int) -> dict:
    """``n`` generated bureau-years like the host: its province, level and year, its 03 表 (else 05 表)
    项 rows, each 项 × a bureau size factor (log-normal, σ 0.5) × its own noise (log-normal, ``sigma``),
    printed in the host's unit with two decimals; the 合计 row is their sum. No 参保人数 (the real
    departments print none), so the peers are the same province and level."""
    from toolkit.peers.features import bureau_index

    rng = np.random.default_rng(seed)
    doc = host["documents"].to_dicts()[0]
    li = host["line_items"]
    items = li.filter(pl.col("table_type").is_in(["expense", "gpb_expense"]) & (pl.col("row_kind") == "item")
                      & (pl.col("code").str.len_chars() == 7) & pl.col("measure").is_in(["total", "basic", "project"])
                      & pl.col("value").is_not_null())
    if items.is_empty():
        return {}
    table = items.sort(pl.col("table_type") != "expense", "table_id")["table_id"][0]
    items = items.filter(pl.col("table_id") == table).unique(["code", "measure"], keep="first").sort("row", "col")
    wide = items.pivot(on="measure", index=["code", "name", "row"], values="value", aggregate_function="first")
    for m in ("total", "basic", "project"):
        if m not in wide.columns:
            wide = wide.with_columns(pl.lit(None, pl.Float64).alias(m))
    wide = wide.filter(pl.col("total") > 0)
    scale = float(items["scale"].drop_nulls().first() or 1.0)
    unit = items["unit"].drop_nulls().first()
    docs, rows = [], []
    bk = bureau_index(host)["bkey"][0]
    for b in range(n):
        d = f"bg-{bk}-{seed}-{b:03d}"
        size = rng.lognormal(0.0, 0.5)
        docs.append({"document_id": d, "path": f"background/{d}.txt", "sha256": d, "format": "txt",
                     "bureau": f"背景单位{b:03d}", "region_code": f"BG{b:03d}-{bk}", "province": doc.get("province"),
                     "level": doc.get("level"), "fiscal_year": doc.get("fiscal_year"), "doc_type": doc.get("doc_type"),
                     "status": "ok"})
        sums = {"total": 0.0, "basic": 0.0}
        for r in wide.iter_rows(named=True):
            f = size * rng.lognormal(0.0, sigma)
            tot = round(r["total"] * f, 2)
            basic = round((r["basic"] or 0.0) * f, 2) if r["basic"] is not None else None
            sums["total"] += tot
            sums["basic"] += basic or 0.0
            for m, v in (("total", tot), ("basic", basic), ("project", None if basic is None else round(tot - basic, 2))):
                if v is not None:
                    rows.append(_bg_item(d, r["row"], m, v, unit, scale, code=r["code"], name=r["name"]))
        for m, v in sums.items():
            rows.append(_bg_item(d, 0, m, round(v, 2), unit, scale, name="合计", row_kind="total"))
    return {"documents": schemas.frame(docs, schemas.DOCUMENTS), "line_items": schemas.frame(rows, schemas.LINE_ITEMS)}


def _bg_item(doc: str, row: int, measure: str, value: float, unit: str | None, scale: float, *,
             code: str | None = None, name: str | None = None, row_kind: str = "item") -> dict:
    return {"document_id": doc, "table_id": "t03", "table_type": "expense", "page": 1, "row": row, "col": 0,
            "code": code, "level": 3 if code else None, "name": name, "row_kind": row_kind, "measure": measure,
            "raw_text": f"{value:.2f}", "value": value, "unit": unit, "scale": scale, "decimals": 2,
            "code_kind": "function" if code else None}


def _union(parts: list[dict]) -> dict:
    names = {k for p in parts for k in p}
    out = {}
    for k in names:
        fs = [p[k] for p in parts if p.get(k) is not None and p[k].height]
        out[k] = pl.concat(fs, how="diagonal_relaxed") if fs else next(p[k] for p in parts if p.get(k) is not None)
    return out


def _doc_findings(f: pl.DataFrame, doc_id: str) -> pl.DataFrame:
    return f.filter(pl.col("document_id") == doc_id) if f.height and "document_id" in f.columns else f.clear()


def _names(f: pl.DataFrame, token: str) -> pl.DataFrame:
    text = pl.concat_str([pl.col(c).cast(pl.String).fill_null("") for c in ("message", "evidence", "location")
                          if c in f.columns], separator=" ")
    return f.filter(text.str.contains(token, literal=True)) if f.height else f


def eval_real(inputs: list[str], work: str, n_background: int, seed: int, workers: int) -> tuple[pl.DataFrame, dict]:
    """Mutate the real documents (one multiplier per mutant, in their own layout), then screen each
    original and each mutant with the other real originals and the host's generated background."""
    from pathlib import Path

    from toolkit.mutate.generate import mutate

    corpus = Path(work) / "corpus"
    labels, truth = mutate([Path(p) for p in inputs], corpus, kinds=list(REAL_KINDS), per_doc=len(REAL_KINDS),
                           seed=seed, workers=workers)
    return score_real(corpus, labels, truth, n_background, seed, workers)


def score_real(corpus, labels: pl.DataFrame, truth: pl.DataFrame, n_background: int, seed: int,
               workers: int) -> tuple[pl.DataFrame, dict]:
    """The screening and scoring half of :func:`eval_real` over a mutant corpus already written."""
    from concurrent.futures import ProcessPoolExecutor
    from pathlib import Path

    originals = truth.filter(pl.col("edit_mode") == "original")["document"].to_list()
    real = labels.filter(pl.col("edit_mode") == "real-layout")
    paths = originals + real["document"].to_list()
    files = [str(Path(corpus) / p) for p in paths]
    if workers <= 1:
        frames = dict(zip(paths, map(_extract_file, files), strict=True))
    else:
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            frames = dict(zip(paths, pool.map(_extract_file, files), strict=True))
    sigma = item_dispersion(seed)
    log.info("background item noise σ = %.3f (log units, from the generator)", sigma)
    orig_frames = {p: f for p, f in frames.items() if p in originals and f is not None}
    hosts = sorted(set(real["original_document"].to_list()))
    it_codes = tuple(c.code for c in all_checks() if c.category == "inconsistent_total")
    rows, clean_rows = [], []
    for h in hosts:
        hf = orig_frames.get(h)
        if hf is None:
            continue
        bg = background(hf, n_background, sigma, seed)
        others = [f for p, f in orig_frames.items() if p != h]
        host_id = hf["documents"]["document_id"][0]
        clean = run_codes(_union([hf, *others, bg]), SERIOUS_CODES)
        on_host = _doc_findings(clean, host_id)
        clean_rows.append({"document": h, "peer_findings": on_host.filter(pl.col("check_code").str.starts_with("PO")).height,
                           "peer_medium": on_host.filter(pl.col("check_code").str.starts_with("PO")
                                                         & pl.col("severity").is_in(MEDIUM_UP)).height,
                           "digit_medium": on_host.filter(pl.col("check_code").str.starts_with("DP")
                                                          & pl.col("severity").is_in(MEDIUM_UP)).height})
        it_before = run_codes(hf, it_codes)
        for lab in real.filter(pl.col("original_document") == h).to_dicts():
            mf = frames.get(lab["document"])
            row = {"document": h, "fault": lab["fault"], "multiplier": MULTIPLIERS[lab["fault"]],
                   "code": lab["tokens"][0], "location": lab["location"], "reads_back": False}
            if mf is None:
                rows.append(row)
                continue
            m_id = mf["documents"]["document_id"][0]
            row["reads_back"] = _reads_back(mf, lab)
            found = _doc_findings(run_codes(_union([mf, *others, bg]), PEER_CODES), m_id)
            named = _names(found, lab["tokens"][0])
            it_after = run_codes(mf, it_codes)
            row.update({"detected_any": named.height > 0,
                        "detected_medium": named.filter(pl.col("severity").is_in(MEDIUM_UP)).height > 0,
                        "po_findings": found.height, "checks": ",".join(sorted(set(named["check_code"].to_list()))),
                        "new_it_findings": max(0, it_after.height - it_before.height),
                        "new_it_checks": ",".join(sorted(set(it_after["check_code"].to_list())
                                                         - set(it_before["check_code"].to_list())))
                        if it_after.height else ""})
            rows.append(row)
    can_host = sum(any(next(iter(PEER_PLANNERS[k](f, Context(None, None, []))), None) is not None
                       for k in REAL_KINDS) for f in orig_frames.values())
    summary = {"originals": len(originals), "read": len(orig_frames), "can_host": can_host,
               "hosts_with_mutants": len(hosts), "mutants_real_layout": real.height, "sigma": sigma,
               "clean": pl.DataFrame(clean_rows)}
    return pl.DataFrame(rows), summary


def _reads_back(mf: dict, lab: dict) -> bool:
    """The mutant's extraction reads the scaled item's 合计 as injected."""
    li = mf["line_items"].filter((pl.col("code") == lab["tokens"][0]) & (pl.col("measure") == "total"))
    return bool(li.height) and lab["tokens"][1] in [r.replace(" ", "") for r in li["raw_text"].to_list()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["peers", "digits", "bench", "real"])
    ap.add_argument("inputs", nargs="*", help="real: documents or folders to mutate (default datasets/realdocs)")
    ap.add_argument("--work", default="peer-real-work", help="real: where the mutant corpus is written")
    ap.add_argument("--background", type=int, default=24, help="real: generated peers per host document")
    ap.add_argument("--workers", type=int, default=1)
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
    elif a.what == "real":
        df, summ = eval_real(a.inputs or ["datasets/realdocs"], a.work, a.background, a.seed, a.workers)
        print(df)
        clean = summ.pop("clean")
        print(clean)
        print(summ)
        if df.height:
            print(df.filter(pl.col("reads_back")).group_by("multiplier").agg(
                pl.len().alias("mutants"), pl.col("detected_any").mean().alias("recall_any"),
                pl.col("detected_medium").mean().alias("recall_medium"),
                (pl.col("new_it_findings") > 0).sum().alias("with_new_it_findings")).sort("multiplier"))
        if clean.height:
            print(clean.select(pl.len().alias("originals"), pl.col("peer_medium").sum(), pl.col("digit_medium").sum(),
                               pl.col("peer_findings").sum()))
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
