"""Throughput benchmark: screen nested corpora of growing size, measure time by phase and memory.

One mixed-format corpus (txt, docx, pdf, xlsx, html; 3 documents per bureau-year, 4 years per
bureau) is generated once, at the largest size, in its own process and under the system temp
directory (never inside the repository). Each size then screens the first ``ceil(size / 12)``
bureaus of it -- nested corpora, so successive sizes differ only in how many documents there
are -- in a fresh process, so its peak memory is its own. Measured per size:

* wall time by phase (:class:`toolkit.batching.PhaseTimes`): load+extract, checks, writing; ingest
  = load+extract + writing, screen = all three; ``checks_over_ingest`` = checks ÷ ingest;
* documents/s for ingest and screen, PDF pages/s (PDF pages ÷ ingest wall time with every
  format ingested concurrently: a lower bound for PDF alone);
* CPU seconds of the orchestrating process and of its workers (less sensitive than wall time
  to whatever else the machine is doing), and the load average before and after;
* peak RSS of the orchestrating process and of its largest worker, and the orchestrator's RSS
  every few hundred documents (flat = memory bounded by the batch, not the corpus);
* the ratio of screen time (and CPU time) between successive sizes next to the ratio of sizes.

Writes ``<out>/bench.json`` and ``<out>/bench.png``; the corpus and outputs are deleted. Screening
goes through :func:`toolkit.pipeline.screen`, as the CLI does, without the reports (report writing
is not what is measured). The CLI prints the table.
"""

from __future__ import annotations

import json
import logging
import math
import multiprocessing as mp
import os
import queue
import resource
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)

FORMATS = "txt,docx,pdf,xlsx,html"
YEARS = 4
DOCS_PER_BUREAU_YEAR = 3
RSS_SAMPLE_EVERY = 250  # documents between two samples of the orchestrator's RSS
MAX_RATIO_PER_DOUBLING = 2.1  # target: 4k -> 8k time, of the whole screen and of the corpus pass
MAX_CHECKS_OVER_INGEST = 0.30  # issue target: checks add at most 30 % to ingest time


def _peak_self_mb() -> float:
    # Linux reports ru_maxrss in KiB
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _child_peaks_mb() -> dict[int, float]:
    """VmHWM of each live child process (pid -> MB), from /proc; empty where there is no /proc.

    Not RUSAGE_CHILDREN: a spawned worker is forked from this process before it execs, and Linux
    keeps the forked copy's high-water mark in the child's ru_maxrss, so every worker would read
    at least this process's size. VmHWM belongs to the worker's own address space."""
    me, out = os.getpid(), {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return out
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            if int(stat[stat.rindex(")") + 2 :].split()[1]) != me:
                continue
            for line in Path(f"/proc/{entry}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    out[int(entry)] = int(line.split()[1]) / 1024
        except (OSError, ValueError, IndexError):
            continue  # the process ended meanwhile
    return out


class _WorkerPeakSampler:
    """Samples the workers' peak RSS every ``every_s`` seconds while a screen runs."""

    def __init__(self, every_s: float = 0.5):
        self.every_s = every_s
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="worker-rss", daemon=True)

    def _loop(self) -> None:
        while not self._stop.wait(self.every_s):
            self.peak_mb = max([self.peak_mb, *_child_peaks_mb().values()])

    def __enter__(self) -> _WorkerPeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _cpu_s() -> dict[str, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"cpu_self_s": own.ru_utime + own.ru_stime, "cpu_workers_s": kids.ru_utime + kids.ru_stime}


def _rss_mb() -> float:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return float("nan")
    return pages * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def bureaus_for(size: int) -> int:
    return max(1, math.ceil(size / (YEARS * DOCS_PER_BUREAU_YEAR)))


def bureau_dirs(corpus: Path) -> list[Path]:
    """``docs/<province>/<bureau>`` directories, sorted: the first k are the k-bureau sub-corpus."""
    docs = corpus / "docs"
    return sorted(b for p in sorted(docs.iterdir()) if p.is_dir() for b in sorted(p.iterdir()) if b.is_dir())


def generate_once(size: int, corpus: Path, seed: int = 0) -> dict:
    """Generate the largest corpus (runs in its own process: generation memory is not screening memory)."""
    from toolkit.synth.corpus import build_corpus

    bureaus = bureaus_for(size)
    _, truth, gen_s = build_corpus(corpus, bureaus=bureaus, years=YEARS, formats=FORMATS, seed=seed,
                                   anomaly_rate=0.3)
    return {"documents": truth.height, "bureaus": bureaus, "generate_s": round(gen_s, 2),
            "generate_docs_per_s": round(truth.height / gen_s, 2), "peak_rss_self_mb": _peak_self_mb()}


def bench_one(size: int, inputs: list[Path], out_dir: Path, workers: int) -> dict:
    """Screen ``inputs`` (the sub-corpus of ``size``) into ``out_dir``; returns the measurements."""
    import polars as pl

    from toolkit.pipeline import default_executor, screen

    rss_timeline: list[tuple[int, float]] = [(0, round(_rss_mb(), 1))]
    t_start = time.perf_counter()

    def progress(done: int, total: int, path: str, status: str) -> None:
        if done % RSS_SAMPLE_EVERY == 0 or done == total:
            rss_timeline.append((done, round(_rss_mb(), 1)))
            log.info("size %d: %d/%d files, %.0f s, RSS %.0f MB", size, done, total,
                     time.perf_counter() - t_start, rss_timeline[-1][1])

    load_before = os.getloadavg()
    cpu0 = _cpu_s()
    t0 = time.perf_counter()
    with _WorkerPeakSampler() as sampler:
        res = screen(inputs, out_dir, executor=default_executor(workers), progress_callback=progress,
                     write_report=False)
    screen_s = time.perf_counter() - t0
    cpu1 = _cpu_s()
    load_after = os.getloadavg()
    times = res.times
    n_docs = res.run.n_files
    docs_path = res.run_dir.frame_path("documents")
    pdf_pages = 0
    if docs_path.exists():
        pdf_pages = int(
            pl.scan_parquet(docs_path).filter(pl.col("format") == "pdf").select(pl.col("pages").fill_null(0).sum())
            .collect().item() or 0
        )
    ingest_s = times.ingest_s
    cpu_self = cpu1["cpu_self_s"] - cpu0["cpu_self_s"]
    cpu_workers = cpu1["cpu_workers_s"] - cpu0["cpu_workers_s"]
    out = {
        "size_requested": size,
        "documents": n_docs,
        "bureaus": len(inputs),
        "load_extract_s": round(times.load_extract_s, 2),
        "checks_s": round(times.checks_s, 2),
        "write_s": round(times.write_s, 2),
        "ingest_s": round(ingest_s, 2),
        "screen_s": round(screen_s, 2),
        "checks_over_ingest": round(times.checks_s / ingest_s, 4) if ingest_s else None,
        "checks_cpu_s": round(times.checks_cpu_s, 2),
        "checks_corpus_s": round(times.checks_corpus_s, 2),
        # CPU view of the same ratio: checks' CPU ÷ the CPU that ingest cost (workers + the rest of this process)
        "checks_cpu_over_ingest_cpu": round(times.checks_cpu_s / (cpu_workers + cpu_self - times.checks_cpu_s), 4)
        if (cpu_workers + cpu_self - times.checks_cpu_s) > 0 else None,
        "batches": times.batches,
        "ingest_docs_per_s": round(n_docs / ingest_s, 2) if ingest_s else None,
        "screen_docs_per_s": round(n_docs / screen_s, 2) if screen_s else None,
        "pdf_pages": pdf_pages,
        "pdf_pages_per_s": round(pdf_pages / ingest_s, 2) if ingest_s else None,
        "cpu_self_s": round(cpu_self, 1),
        "cpu_workers_s": round(cpu_workers, 1),
        "cpu_ms_per_doc": round(1000 * (cpu_self + cpu_workers) / n_docs, 1) if n_docs else None,
        "loadavg_1m_before": round(load_before[0], 2),
        "loadavg_1m_after": round(load_after[0], 2),
        "findings": res.findings.height,
        "status": res.run.by_status(),
        "workers": workers,
        "rss_self_timeline_mb": rss_timeline,
    }
    out["peak_rss_self_mb"] = _peak_self_mb()
    out["peak_rss_largest_worker_mb"] = round(sampler.peak_mb, 1)
    return out


def _setup_child_logging() -> None:
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(processName)s %(message)s")


def _generate_child(size: int, corpus: str, answer: mp.Queue) -> None:
    _setup_child_logging()
    try:
        answer.put(generate_once(size, Path(corpus)))
    except Exception as exc:  # reported, not raised
        log.exception("generating %s documents failed", size)
        answer.put({"error": repr(exc)})


def _screen_child(size: int, inputs: list[str], out_dir: str, workers: int, answer: mp.Queue) -> None:
    _setup_child_logging()
    try:
        answer.put(bench_one(size, [Path(p) for p in inputs], Path(out_dir), workers))
    except Exception as exc:  # reported, not raised: the parent keeps going with other sizes
        log.exception("bench size %s failed", size)
        answer.put({"size_requested": size, "error": repr(exc)})


def _in_child(target, *args) -> dict:  # noqa: ANN001 - a module-level function and its arguments
    ctx = mp.get_context("spawn")
    q: mp.Queue = ctx.Queue()
    p = ctx.Process(target=target, args=(*args, q))
    p.start()
    while True:
        try:
            result = q.get(timeout=5)
            break
        except queue.Empty:
            if not p.is_alive():  # died without answering (killed, out of memory)
                result = {"error": f"benchmark process died with exit code {p.exitcode}"}
                break
    p.join()
    return result


def add_ratios(results: list[dict]) -> None:
    """Ratios between successive sizes (results sorted by size, smallest first)."""
    results.sort(key=lambda r: r.get("documents", r.get("size_requested", 0)))
    prev = None
    for r in results:
        if prev and "screen_s" in r and "screen_s" in prev:
            r["size_ratio_vs_previous"] = round(r["documents"] / prev["documents"], 2)
            r["time_ratio_vs_previous"] = round(r["screen_s"] / prev["screen_s"], 2)
            r["ingest_ratio_vs_previous"] = round(r["ingest_s"] / prev["ingest_s"], 2)
            if prev.get("checks_corpus_s"):
                r["corpus_ratio_vs_previous"] = round(r["checks_corpus_s"] / prev["checks_corpus_s"], 2)
            if prev.get("peak_rss_self_mb"):
                r["rss_ratio_vs_previous"] = round(r["peak_rss_self_mb"] / prev["peak_rss_self_mb"], 2)
            prev_cpu = prev["cpu_self_s"] + prev["cpu_workers_s"]
            if prev_cpu:
                r["cpu_ratio_vs_previous"] = round((r["cpu_self_s"] + r["cpu_workers_s"]) / prev_cpu, 2)
        prev = r


def verdict(results: list[dict]) -> dict:
    """The issue's acceptance numbers, read off the two largest sizes."""
    ok = [r for r in results if "screen_s" in r]
    if not ok:
        return {"largest_finished": False}
    last = ok[-1]
    out = {
        "largest_documents": last["documents"],
        "largest_finished": True,
        "largest_failed_files": last.get("status", {}).get("failed", 0),
        "checks_over_ingest_at_largest": last["checks_over_ingest"],
        "checks_within_30_percent": (last["checks_over_ingest"] or 0) <= MAX_CHECKS_OVER_INGEST,
    }
    if len(ok) >= 2 and "time_ratio_vs_previous" in last:
        out["time_ratio_largest_doubling"] = last["time_ratio_vs_previous"]
        out["cpu_ratio_largest_doubling"] = last.get("cpu_ratio_vs_previous")
        out["size_ratio_largest_doubling"] = last["size_ratio_vs_previous"]
        out["ratio_within_target"] = last["time_ratio_vs_previous"] <= MAX_RATIO_PER_DOUBLING
        if "corpus_ratio_vs_previous" in last:
            out["corpus_ratio_largest_doubling"] = last["corpus_ratio_vs_previous"]
            out["corpus_ratio_within_target"] = last["corpus_ratio_vs_previous"] <= MAX_RATIO_PER_DOUBLING
        if "rss_ratio_vs_previous" in last:  # orchestrator memory grows no faster than the corpus
            out["rss_ratio_largest_doubling"] = last["rss_ratio_vs_previous"]
            out["rss_within_size_ratio"] = last["rss_ratio_vs_previous"] <= last["size_ratio_vs_previous"]
    return out


def ensure_corpus(size: int, workdir: Path) -> dict:
    """Generate the ``size`` corpus under ``workdir/corpus`` unless a big-enough one is already there."""
    corpus = workdir / "corpus"
    truth = corpus / "truth.parquet"
    if truth.exists() and (corpus / "docs").is_dir() and len(bureau_dirs(corpus)) >= bureaus_for(size):
        import polars as pl

        log.info("reusing the corpus under %s", corpus)
        n = pl.scan_parquet(truth).select(pl.len()).collect().item()
        return {"documents": n, "bureaus": len(bureau_dirs(corpus)), "reused": True}
    shutil.rmtree(corpus, ignore_errors=True)
    log.info("generating %d documents under %s", size, corpus)
    return _in_child(_generate_child, size, str(corpus))


def _remove_screen(out_dir: Path) -> None:
    """A size's screen output: ``out_dir`` is a link to ``out_dir.runs/runs/<id>`` (RunStore)."""
    from toolkit.store import RunStore

    state = RunStore(out_dir).state_dir
    if out_dir.is_symlink():
        out_dir.unlink()
    shutil.rmtree(out_dir, ignore_errors=True)
    shutil.rmtree(state, ignore_errors=True)


def run_sizes(
    sizes: list[int],
    workers: int,
    workdir: Path | None = None,
    *,
    on_result: Callable[[dict, list[dict]], None] | None = None,
    keep: bool = False,
) -> tuple[dict, list[dict]]:
    """Generate the largest corpus once (or reuse ``workdir/corpus``), screen each nested size.

    Largest size first: it is the one the acceptance numbers need, and ``on_result`` (called
    after every size) lets the caller save partial results if the run is cut short.
    Returns (generation, results sorted by size). ``workdir`` is deleted unless ``keep``.
    """
    tmp = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="yibao-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    results: list[dict] = []
    generation: dict = {}
    try:
        generation = ensure_corpus(max(sizes), tmp)
        if "error" in generation:
            return generation, []
        dirs = bureau_dirs(tmp / "corpus")
        for size in sorted(sizes, reverse=True):
            inputs = [str(d) for d in dirs[: bureaus_for(size)]]
            out_dir = tmp / f"screen-{size}"
            log.info("screening %d bureaus (~%d documents)", len(inputs), size)
            results.append(_in_child(_screen_child, size, inputs, str(out_dir), workers))
            _remove_screen(out_dir)
            add_ratios(results)
            if on_result is not None:
                on_result(generation, results)
    finally:
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)
    add_ratios(results)
    return generation, results


def plot(results: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ok = [r for r in results if "screen_s" in r]
    if not ok:
        return
    n = [r["documents"] for r in ok]
    fig, (a, b, c) = plt.subplots(1, 3, figsize=(15, 4.2))
    a.plot(n, [r["screen_s"] for r in ok], "o-", label="screen (all phases)")
    a.plot(n, [r["load_extract_s"] for r in ok], "s--", label="load + extract")
    a.plot(n, [r["checks_s"] for r in ok], "^:", label="checks")
    a.plot(n, [r["write_s"] for r in ok], "v:", label="writing")
    cores = ok[0]["workers"] or os.cpu_count() or 1
    a.plot(n, [(r["cpu_self_s"] + r["cpu_workers_s"]) / cores for r in ok], "D-.",
           label=f"CPU seconds ÷ {cores} (busy-machine-proof)")
    linear = [ok[0]["screen_s"] * x / n[0] for x in n]
    a.plot(n, linear, color="grey", linewidth=0.8, label="linear from smallest")
    a.set_xlabel("documents")
    a.set_ylabel("wall seconds")
    a.legend(fontsize=8)
    a.set_title("Wall time by phase")
    b.plot(n, [r["screen_docs_per_s"] for r in ok], "o-", label="screen docs/s")
    b.plot(n, [r["ingest_docs_per_s"] for r in ok], "s--", label="ingest docs/s")
    b.plot(n, [r["pdf_pages_per_s"] for r in ok], "^:", label="PDF pages/s (lower bound)")
    b.set_xlabel("documents")
    b.set_ylabel("per second")
    b.set_ylim(bottom=0)
    b.legend(fontsize=8)
    b.set_title(f"Throughput ({ok[0]['workers'] or os.cpu_count()} workers)")
    for r in ok:
        xs, ys = zip(*r["rss_self_timeline_mb"], strict=True)
        c.plot(xs, ys, "-", label=f"orchestrator, {r['documents']} docs")
    c.plot(n, [r["peak_rss_self_mb"] for r in ok], "ro", label="orchestrator peak (incl. corpus-scope checks)")
    c.plot(n, [r["peak_rss_largest_worker_mb"] for r in ok], "ks--", label="largest worker (peak)")
    c.set_xlabel("documents processed")
    c.set_ylabel("RSS MB")
    c.set_ylim(bottom=0)
    c.legend(fontsize=8)
    c.set_title("Memory")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_report(out: Path, workers: int, generation: dict, results: list[dict], *, complete: bool,
                 wall_s: float) -> dict:
    meta = {
        "complete": complete,
        "formats": FORMATS, "years_per_bureau": YEARS, "docs_per_bureau_year": DOCS_PER_BUREAU_YEAR,
        "workers": workers, "cpu_count": os.cpu_count(), "generation": generation, "results": results,
        "verdict": verdict(results), "total_wall_s": round(wall_s, 1),
        "notes": "Sizes are nested sub-corpora (first bureaus) of one generated corpus, screened largest first. "
                 "Phase times are wall seconds in the orchestrating process: load_extract_s waits on the parallel "
                 "workers, checks_s is the checks (the document batches on the workers, then the corpus pass here; "
                 "checks_cpu_s counts both processes' CPU), write_s writes frames/manifest/"
                 "findings; ingest_s = load_extract_s + write_s. pdf_pages_per_s = PDF pages ÷ ingest wall time "
                 "with all formats concurrent. cpu_* are CPU seconds (robust to other load on the machine; see "
                 "loadavg_*). Peak RSS per size from a fresh process (self, ru_maxrss) and its largest worker (VmHWM "
                 "sampled every 0.5 s: a spawned worker's ru_maxrss would include the parent it was forked from).",
    }
    (out / "bench.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    plot(results, out / "bench.png")
    return meta


def run_benchmark(sizes: str | list[int], out: Path, workers: int = 0, workdir: Path | None = None,
                  keep: bool = False) -> dict:
    """Run every size, write bench.json and bench.png (after every size); returns what bench.json holds."""
    _setup_child_logging()
    size_list = [int(s) for s in sizes.split(",")] if isinstance(sizes, str) else list(sizes)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()

    def save_partial(generation: dict, results: list[dict]) -> None:
        write_report(out, workers, generation, results, complete=False, wall_s=time.perf_counter() - t0)

    generation, results = run_sizes(size_list, workers, workdir, on_result=save_partial, keep=keep)
    return write_report(out, workers, generation, results, complete=True, wall_s=time.perf_counter() - t0)


# --------------------------------------------------------------------------- peer and digit checks


PEER_BENCH_CODES = ("PO001", "PO002", "PO010", "PO011", "PO012", "DP001", "DP002", "DP003", "DP004")


def peer_pass_timing(sizes: list[int], seed: int = 0) -> list[dict]:
    """The corpus pass of the peer (PO) and digit (DP) checks over prebuilt frames, per document count.

    Frames come from :mod:`toolkit.synth.peer_anomalies` (two years, a 决算 and a 自评 document per
    bureau-year), so the time is the checks' alone; each size is timed once, after a warm-up on the
    smallest. ``ratio`` is the time over the previous size's (target ≤ :data:`MAX_RATIO_PER_DOUBLING`
    per doubling).
    """
    from toolkit.checks.framework import clear_frame_caches
    from toolkit.checks.registry import all_checks
    from toolkit.synth.peer_anomalies import corpus_frames, generated

    checks = [c for c in all_checks() if c.code in PEER_BENCH_CODES]

    def once(frames: dict) -> tuple[float, int]:
        clear_frame_caches()
        t0 = time.perf_counter()
        n = sum(c().run(frames).hits.height for c in checks)
        return time.perf_counter() - t0, n

    rows: list[dict] = []
    for i, n_docs in enumerate(sizes):
        frames = corpus_frames(generated(max(1, n_docs // 4), 2, seed + n_docs))
        if i == 0:
            once(frames)  # imports and first-call compilation are not the pass
        dt, hits = once(frames)
        rows.append({"documents": frames["documents"].height, "line_items": frames["line_items"].height,
                     "hits": hits, "seconds": round(dt, 2),
                     "ratio": round(dt / rows[-1]["seconds"], 2) if rows and rows[-1]["seconds"] else None})
    return rows


# ---------------------------------------------------------------------------------------
# PDF sources: pages per CPU-second of the pdfium source and of the pdfplumber fallback
# ---------------------------------------------------------------------------------------

PDF_TARGET_PAGES_PER_S = 120.0  # issue target: pdfium source, one core
PDF_TARGET_RATIO = 3.5  # issue target: pdfium ÷ pdfplumber


def pdf_sources(folders: list[Path], sources: tuple[str, ...] = ("pdfium", "pdfplumber")) -> dict:
    """Read every PDF under ``folders`` with each source in turn, in this process, one file at a time.

    CPU seconds (``time.process_time``: robust to other work on the machine) of the PDF
    loader's text layer -- the stream-size check, the source and the page reader, without
    OCR -- per source, and pages read. The sources alternate file by file, so a change in
    machine load affects both alike.
    """
    from toolkit.loaders.pdf import read_text_layer
    from toolkit.model import Limits

    files = sorted({p for f in folders for p in ([f] if f.is_file() else f.rglob("*.pdf"))})
    limits = Limits()
    totals = {s: {"cpu_s": 0.0, "pages": 0, "tables": 0, "failed": 0} for s in sources}
    for path in files:
        data = path.read_bytes()
        for source in sources:
            t0 = time.process_time()
            doc = read_text_layer(data, str(path), limits, source=source)
            t = totals[source]
            t["cpu_s"] += time.process_time() - t0
            t["pages"] += min(doc.pages, limits.max_pages)
            t["tables"] += sum(1 for b in doc.blocks if b.kind == "table")
            t["failed"] += doc.failed
    for t in totals.values():
        t["pages_per_cpu_s"] = round(t["pages"] / t["cpu_s"], 1) if t["cpu_s"] else None
        t["cpu_s"] = round(t["cpu_s"], 2)
    out: dict = {"files": len(files), "sources": totals}
    if set(sources) >= {"pdfium", "pdfplumber"}:
        fast, slow = totals["pdfium"]["pages_per_cpu_s"], totals["pdfplumber"]["pages_per_cpu_s"]
        out["ratio"] = round(fast / slow, 2) if fast and slow else None
        out["meets_target"] = bool(fast and fast >= PDF_TARGET_PAGES_PER_S and (out["ratio"] or 0) >= PDF_TARGET_RATIO)
    return out


def format_pdf_sources(result: dict) -> str:
    lines = [f"{result['files']} PDFs", f"{'source':<11} {'pages':>6} {'tables':>6} {'failed':>6} {'CPU s':>8} {'pages/CPU-s':>12}"]
    for name, t in result["sources"].items():
        lines.append(f"{name:<11} {t['pages']:>6} {t['tables']:>6} {t['failed']:>6} {t['cpu_s']:>8.2f} "
                     f"{t['pages_per_cpu_s'] or 0:>12.1f}")
    if "ratio" in result:
        lines.append(f"ratio pdfium/pdfplumber: {result['ratio']} (targets: >= {PDF_TARGET_PAGES_PER_S:g} pages/s, "
                     f"ratio >= {PDF_TARGET_RATIO:g}: {'met' if result['meets_target'] else 'NOT met'})")
    return "\n".join(lines)
