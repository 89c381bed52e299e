"""Ingest throughput on one core (SerialExecutor): text and DOCX documents/s, PDF pages/s.

Builds a corpus from the seed documents (each copy with a few numbers perturbed, so every
file has its own hash and none is dropped as a duplicate), renders the DOCX copies with
``toolkit.render``, runs ``toolkit.pipeline.ingest`` serially and prints documents/s plus a
cProfile summary of where the time goes. Target: >= 20 documents/s per core for text/DOCX.

    .venv/bin/python scripts/ingest_speed.py --docs 100 --pdf-dir datasets/realdocs
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import re
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

from toolkit.executor import SerialExecutor
from toolkit.loaders.text import load_text
from toolkit.model import Limits
from toolkit.pipeline import ingest
from toolkit.render import write_document

ROOT = Path(__file__).resolve().parents[1]
AMOUNT = re.compile(r"\d+\.\d{2}")


def vary(text: str, rng: random.Random) -> str:
    """Perturb three printed amounts: a new document of the same shape and size."""
    matches = list(AMOUNT.finditer(text))
    for m in sorted(rng.sample(matches, min(3, len(matches))), key=lambda m: m.start(), reverse=True):
        new = f"{float(m.group()) + rng.randint(1, 99) / 100:.2f}"
        text = text[: m.start()] + new + text[m.end() :]
    return text


def build_corpus(seeds: list[Path], n_docs: int, out: Path) -> tuple[Path, Path]:
    rng = random.Random(0)
    txt_dir, docx_dir = out / "txt", out / "docx"
    txt_dir.mkdir(parents=True)
    docx_dir.mkdir(parents=True)
    texts = [s.read_text(encoding="utf-8") for s in seeds]
    for k in range(n_docs):
        text = vary(texts[k % len(texts)], rng)
        (txt_dir / f"{k:05d}.txt").write_text(text, encoding="utf-8")
        blocks = load_text(text.encode("utf-8"), "x.txt", Limits()).blocks
        write_document(blocks, docx_dir / f"{k:05d}.docx", "docx")
    return txt_dir, docx_dir


def timed_ingest(inputs: Path | list[Path], out: Path) -> tuple[float, float, pl.DataFrame, pl.DataFrame]:
    """Wall and CPU seconds (the serial executor works in this process, so CPU time is robust to
    other load on the machine)."""
    t0, c0 = time.perf_counter(), time.process_time()
    run = ingest(inputs if isinstance(inputs, list) else [inputs], out, executor=SerialExecutor())
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    return seconds, cpu, run.manifest, pl.read_parquet(run.run_dir.frame_path("documents"))


def profile_summary(fn, top: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    fn()
    profiler.disable()
    buf = io.StringIO()
    stats = pstats.Stats(profiler, stream=buf).strip_dirs()
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=100, help="documents per format (text, DOCX)")
    parser.add_argument("--seeds", type=Path, default=ROOT / "datasets" / "seeds")
    parser.add_argument(
        "--pdf-dir", type=Path, default=ROOT / "datasets" / "realdocs", help="PDFs for pages/s"
    )
    parser.add_argument("--pdf-files", type=int, default=3, help="how many PDFs (smallest first)")
    parser.add_argument("--profile-top", type=int, default=25, help="rows of the cProfile summary (0: none)")
    args = parser.parse_args(argv)

    seeds = sorted(args.seeds.glob("*.txt"))
    if not seeds:
        print(f"no seeds in {args.seeds}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="ingest_speed_") as tmp:
        tmp_path = Path(tmp)
        t0 = time.perf_counter()
        txt_dir, docx_dir = build_corpus(seeds, args.docs, tmp_path / "corpus")
        print(
            f"corpus: {args.docs} text + {args.docs} DOCX documents from {len(seeds)} seeds "
            f"in {time.perf_counter() - t0:.1f} s"
        )
        ingest([txt_dir / "00000.txt", docx_dir / "00000.docx"], tmp_path / "warm", executor=SerialExecutor())

        print("\none core (SerialExecutor), load + extract + write frames:")
        for label, folder in (("text", txt_dir), ("docx", docx_dir)):
            seconds, cpu, manifest, _ = timed_ingest(folder, tmp_path / f"out_{label}")
            ok = manifest.filter(pl.col("status") != "failed").height
            kb = manifest["size_bytes"].sum() / 1024 / manifest.height
            print(
                f"  {label:5s} {manifest.height:5d} docs ({ok} read, {kb:.0f} KB avg) in {seconds:6.2f} s wall "
                f"= {manifest.height / seconds:6.1f} docs/s; {cpu:6.2f} s CPU = {manifest.height / cpu:6.1f} docs/s"
            )

        pdfs = sorted(args.pdf_dir.glob("*.pdf"), key=lambda p: p.stat().st_size)[: args.pdf_files]
        if pdfs:
            seconds, cpu, manifest, documents = timed_ingest(pdfs, tmp_path / "out_pdf")
            pages = int(documents["pages"].fill_null(0).sum())
            print(
                f"  pdf   {len(pdfs):5d} files, {pages} pages in {seconds:6.2f} s wall = {pages / seconds:6.1f} pages/s, "
                f"{cpu:6.2f} s CPU = {pages / cpu:6.1f} pages/s "
                f"({', '.join(f'{s}' for s in manifest['status'])})"
            )

        if args.profile_top:
            print("\ncProfile of text + DOCX ingest (cumulative, then own time):")
            summary = profile_summary(
                lambda: ingest([txt_dir, docx_dir], tmp_path / "out_prof", executor=SerialExecutor()),
                args.profile_top,
            )
            print(summary)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
