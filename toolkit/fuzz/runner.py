"""Fuzzing runs: mutated real files through the whole ingest, one child process per family.

For each family, ``cases`` files are written (each: a base file from :mod:`toolkit.fuzz.corpus`
with 1-3 mutations from :mod:`toolkit.fuzz.mutators`, reproducible from ``seed`` and its case
number), then ingested by :mod:`toolkit.fuzz.probe` in a child process under a wall-clock limit.
What is counted, per family:

* ``crashes``: the run itself failed (non-zero exit, no manifest) plus files whose worker
  process died (``worker_crash``);
* ``hangs``: the child over its wall-clock limit, plus files killed past their hard budget;
* ``missing``: cases absent from the manifest (must be 0: every file is accounted for);
* ``caught_errors``: extraction exceptions turned into a ``extract_error`` parse issue (not a
  crash, but each one is a bug worth a look);
* ``out_of_memory``: files failed with a MemoryError under the per-worker memory limit (reported,
  not a crash; a mutated small file needing 2 GB is a bound missing somewhere);
* the slowest case and the peak RSS of a worker process (``RUSAGE_CHILDREN`` of the child).
"""

from __future__ import annotations

import json
import logging
import random
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import polars as pl

from toolkit.fuzz.corpus import FAMILIES, Base, base_files
from toolkit.fuzz.mutators import mutate
from toolkit.store import RunDir

log = logging.getLogger(__name__)

FILE_TIMEOUT_S = 30.0  # soft CPU budget per case: a mutated small file has no reason to need more


@dataclass(slots=True)
class FamilyStats:
    family: str
    bases: int
    cases: int
    in_manifest: int = 0
    missing: int = 0
    crashes: int = 0
    hangs: int = 0
    caught_errors: int = 0
    out_of_memory: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    slowest_s: float = 0.0
    slowest_case: str = ""
    peak_worker_rss_mb: float | None = None
    run_seconds: float = 0.0
    run_error: str = ""


def write_cases(directory: Path, bases: list[Base], family: str, cases: int, seed: int) -> list[dict]:
    """Write ``cases`` mutants of ``bases`` into ``directory``; returns one record per case."""
    directory.mkdir(parents=True, exist_ok=True)
    records = []
    for i in range(cases):
        rng = random.Random(f"{seed}:{family}:{i}")
        base = bases[i % len(bases)]
        data, edits = mutate(base.data, family, rng)
        name = f"{family}_{i:05d}{base.suffix}"
        (directory / name).write_bytes(data)
        records.append({"case": name, "base": base.name, "edits": edits, "bytes": len(data)})
    return records


def probe(inputs: Sequence[Path | str], out: Path, *, workers: int = 1, timeout_s: float = 600.0,
          file_timeout_s: float | None = FILE_TIMEOUT_S, follow_links: bool = False) -> dict:
    """Ingest ``inputs`` into ``out`` in a child process; what it printed, or why it printed nothing."""
    cmd = [sys.executable, "-m", "toolkit.fuzz.probe", str(out), *map(str, inputs), "--workers", str(workers)]
    if file_timeout_s is not None:
        cmd += ["--file-timeout", str(file_timeout_s)]
    if follow_links:
        cmd.append("--follow-links")
    t0 = time.perf_counter()
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired:
        return {"timed_out": True, "seconds": round(time.perf_counter() - t0, 2), "error": f"over {timeout_s:g} s"}
    result: dict = {"timed_out": False, "returncode": done.returncode, "seconds": round(time.perf_counter() - t0, 2)}
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode == 0 and lines:
        result.update(json.loads(lines[-1]))
    else:
        result["error"] = (done.stderr or done.stdout)[-2000:]
    return result


def _count(manifest: pl.DataFrame, pattern: str) -> int:
    return manifest.filter(pl.col("reason").fill_null("").str.contains(pattern)).height


def family_stats(family: str, bases: int, records: list[dict], run: dict, out: Path) -> FamilyStats:
    stats = FamilyStats(family, bases, len(records), run_seconds=run.get("seconds", 0.0))
    if run.get("timed_out"):
        stats.hangs += 1
    if run.get("error"):
        stats.run_error = run["error"][-500:]
        if not run.get("timed_out"):
            stats.crashes += 1
    if "peak_worker_rss_kb" in run:
        stats.peak_worker_rss_mb = round(run["peak_worker_rss_kb"] / 1024, 1)
    manifest_path = RunDir(out).manifest_path
    if not manifest_path.exists():
        stats.missing = len(records)
        return stats
    manifest = RunDir(out).read_manifest()
    listed = {Path(p).name for p in manifest["path"].to_list()}
    stats.in_manifest = sum(1 for r in records if r["case"] in listed)
    stats.missing = len(records) - stats.in_manifest
    stats.crashes += _count(manifest, r"^worker_crash")
    stats.hangs += _count(manifest, r"wall-clock budget; worker killed")
    stats.caught_errors += _count(manifest, r"extract_error|extraction failed")
    stats.out_of_memory += _count(manifest, r"MemoryError")
    counts = manifest.group_by("status").len()
    stats.statuses = dict(zip(counts["status"].to_list(), counts["len"].to_list(), strict=True))
    if manifest.height:
        slowest = manifest.sort("seconds", descending=True, nulls_last=True).row(0, named=True)
        stats.slowest_s = float(slowest["seconds"] or 0.0)
        stats.slowest_case = Path(slowest["path"]).name
    return stats


def run_fuzz(
    inputs: Sequence[Path | str],
    out: Path | str,
    *,
    cases: int = 1000,
    families: Sequence[str] = FAMILIES,
    seed: int = 0,
    workers: int = 1,
    file_timeout_s: float | None = FILE_TIMEOUT_S,
    max_base_bytes: int | None = None,
) -> list[FamilyStats]:
    """Fuzz every family in ``families``; writes OUT/cases/, OUT/runs/, OUT/fuzz.json and OUT/fuzz.md."""
    out = Path(out)
    bases = base_files(inputs, max_base_bytes) if max_base_bytes else base_files(inputs)
    results: list[FamilyStats] = []
    for family in families:
        if not bases.get(family):
            log.warning("no base file for %s: family skipped", family)
            results.append(FamilyStats(family, 0, 0, run_error="no base file"))
            continue
        case_dir = out / "cases" / family
        records = write_cases(case_dir, bases[family], family, cases, seed)
        (out / "cases" / f"{family}.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
        )
        run_out = out / "runs" / family
        limit = 120.0 + cases * 10.0
        run = probe([case_dir], run_out, workers=workers, timeout_s=limit, file_timeout_s=file_timeout_s)
        stats = family_stats(family, len(bases[family]), records, run, run_out)
        log.info("%s: %s", family, stats)
        results.append(stats)
    (out / "fuzz.json").write_text(json.dumps([asdict(s) for s in results], indent=2, ensure_ascii=False))
    (out / "fuzz.md").write_text(fuzz_markdown(results), encoding="utf-8")
    return results


def fuzz_markdown(results: list[FamilyStats]) -> str:
    head = (
        "| family | bases | cases | in manifest | missing | crashes | hangs | caught errors | out of memory "
        "| slowest case (s) | peak worker RSS (MB) | run (s) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    )
    rows = "".join(
        f"| {s.family} | {s.bases} | {s.cases} | {s.in_manifest} | {s.missing} | {s.crashes} | {s.hangs} "
        f"| {s.caught_errors} | {s.out_of_memory} | {s.slowest_s:.2f} ({s.slowest_case}) | {s.peak_worker_rss_mb} | {s.run_seconds:.0f} |\n"
        for s in results
    )
    return head + rows
