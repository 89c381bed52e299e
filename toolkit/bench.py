"""Throughput benchmark: generate corpora of growing size, ingest and screen them, measure.

Each size runs in a fresh process (so peak memory is per size): generate a mixed-format corpus
(txt, docx, pdf, xlsx, html; 3 documents per bureau-year, 4 years per bureau), then
``toolkit.run.screen`` (ingest + every check). Reported per size: generation documents/s,
ingest documents/s, screen (ingest + checks) documents/s, PDF pages/s (PDF pages ingested ÷
ingest wall time — all formats run concurrently, so this is a lower bound for PDF alone), peak
RSS of the process and of its largest worker (``resource.getrusage``), and the ratio of
screen time between successive sizes next to the ratio of sizes (≈ equal means linear scaling).

Writes ``<out>/bench.json`` and ``<out>/bench.png``.
"""

from __future__ import annotations

import json
import logging
import math
import multiprocessing as mp
import resource
import shutil
import tempfile
import time
from pathlib import Path

log = logging.getLogger(__name__)

FORMATS = "txt,docx,pdf,xlsx,html"
YEARS = 4
DOCS_PER_BUREAU_YEAR = 3


def _peak_mb() -> dict[str, float]:
    # Linux reports ru_maxrss in KiB; children = the largest waited-for descendant
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"peak_rss_self_mb": round(own, 1), "peak_rss_largest_worker_mb": round(kids, 1)}


def bench_one(size: int, workdir: Path, workers: int, seed: int = 0) -> dict:
    """Generate ~``size`` documents under ``workdir`` and screen them; returns the measurements."""
    import polars as pl

    from toolkit.executor import LocalProcessExecutor
    from toolkit.run import screen
    from toolkit.synth.corpus import build_corpus

    bureaus = max(1, math.ceil(size / (YEARS * DOCS_PER_BUREAU_YEAR)))
    corpus = workdir / "corpus"
    _, truth, gen_s = build_corpus(corpus, bureaus=bureaus, years=YEARS, formats=FORMATS, seed=seed,
                                   anomaly_rate=0.3)
    n_docs = truth.height
    t0 = time.perf_counter()
    res = screen([corpus / "docs"], workdir / "screen", executor=LocalProcessExecutor(workers=workers))
    screen_s = time.perf_counter() - t0
    ingest_s = res.run.seconds
    docs_path = res.run.frames_dir / "documents.parquet"
    pdf_pages = 0
    if docs_path.exists():
        docs = pl.read_parquet(docs_path)
        pdf_pages = int(docs.filter(pl.col("format") == "pdf")["pages"].fill_null(0).sum())
    status = res.run.by_status()
    out = {
        "size_requested": size,
        "documents": n_docs,
        "bureaus": bureaus,
        "generate_s": round(gen_s, 2),
        "generate_docs_per_s": round(n_docs / gen_s, 2),
        "ingest_s": round(ingest_s, 2),
        "ingest_docs_per_s": round(n_docs / ingest_s, 2) if ingest_s else None,
        "checks_s": round(screen_s - ingest_s, 2),
        "screen_s": round(screen_s, 2),
        "screen_docs_per_s": round(n_docs / screen_s, 2),
        "pdf_pages": pdf_pages,
        "pdf_pages_per_s": round(pdf_pages / ingest_s, 2) if ingest_s else None,
        "findings": res.findings.height,
        "status": status,
        "workers": workers,
    }
    out.update(_peak_mb())
    return out


def _child(size: int, workdir: str, workers: int, queue: mp.Queue) -> None:
    try:
        queue.put(bench_one(size, Path(workdir), workers))
    except Exception as exc:  # reported, not raised: the parent keeps going with other sizes
        log.exception("bench size %s failed", size)
        queue.put({"size_requested": size, "error": repr(exc)})


def run_sizes(sizes: list[int], workers: int) -> list[dict]:
    ctx = mp.get_context("spawn")
    results = []
    for size in sizes:
        tmp = tempfile.mkdtemp(prefix=f"yibao-bench-{size}-")
        try:
            q: mp.Queue = ctx.Queue()
            p = ctx.Process(target=_child, args=(size, tmp, workers, q))
            p.start()
            r = q.get()
            p.join()
            results.append(r)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    prev = None
    for r in results:
        if prev and "screen_s" in r and "screen_s" in prev:
            r["time_ratio_vs_previous"] = round(r["screen_s"] / prev["screen_s"], 2)
            r["size_ratio_vs_previous"] = round(r["documents"] / prev["documents"], 2)
        prev = r
    return results


def plot(results: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ok = [r for r in results if "screen_s" in r]
    if not ok:
        return
    n = [r["documents"] for r in ok]
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4))
    a.plot(n, [r["screen_s"] for r in ok], "o-", label="screen (ingest + checks)")
    a.plot(n, [r["ingest_s"] for r in ok], "s--", label="ingest")
    a.plot(n, [r["generate_s"] for r in ok], "^:", label="generate")
    a.set_xlabel("documents")
    a.set_ylabel("seconds")
    a.legend()
    a.set_title("Wall time")
    b.plot(n, [r["screen_docs_per_s"] for r in ok], "o-", label="screen docs/s")
    b.plot(n, [r["ingest_docs_per_s"] for r in ok], "s--", label="ingest docs/s")
    b.plot(n, [r["pdf_pages_per_s"] for r in ok], "^:", label="PDF pages/s")
    b.set_xlabel("documents")
    b.set_ylabel("per second")
    b.legend()
    b.set_title("Throughput")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def bench_command(sizes: str | list[int], out: Path, workers: int = 0) -> list[dict]:
    """CLI entry: run every size, write bench.json and bench.png, print a table."""
    from rich.console import Console
    from rich.table import Table

    size_list = [int(s) for s in sizes.split(",")] if isinstance(sizes, str) else list(sizes)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    results = run_sizes(size_list, workers)
    meta = {"formats": FORMATS, "years_per_bureau": YEARS, "workers": workers, "results": results,
            "notes": "pdf_pages_per_s = PDF pages ÷ ingest wall time with all formats ingested concurrently; "
                     "peak RSS per size from a fresh process (self) and its largest worker."}
    (out / "bench.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    plot(results, out / "bench.png")
    t = Table(title=f"Benchmark ({workers or 'all'} workers)")
    cols = ("documents", "generate_docs_per_s", "ingest_docs_per_s", "screen_docs_per_s", "pdf_pages_per_s",
            "peak_rss_self_mb", "peak_rss_largest_worker_mb", "time_ratio_vs_previous", "size_ratio_vs_previous")
    for c in cols:
        t.add_column(c.replace("_", " "), justify="right")
    for r in results:
        t.add_row(*[str(r.get(c, r.get("error", "—") if c == "documents" else "—")) for c in cols])
    Console().print(t)
    Console().print(f"bench: {out / 'bench.json'}  chart: {out / 'bench.png'}")
    return results
