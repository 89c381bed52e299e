"""Kill a screening run with SIGKILL at random points; after each, the previous outputs must be readable.

For each point: start ``yibao-audit screen CORPUS --out OUT --full`` (a full run, so every point
falls inside real work), send SIGKILL to its whole process group after a random delay drawn from
the measured length of one run, then check that ``OUT`` is the previous finished run (same run id,
findings readable) -- or, killed after its switch, the new run and finished -- that ``report OUT`` and ``review OUT --orphans`` exit 0, and finally that a next
run completes. Prints one line per point and exits 1 on the first failure::

    python scripts/kill_points.py datasets/seeds --out work/kill --points 10 --seed 0
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

PY = sys.executable


def screen_cmd(corpus: list[str], out: Path, workers: int) -> list[str]:
    return [PY, "-m", "toolkit.cli", "screen", *corpus, "--out", str(out), "--full", "--no-progress",
            "--workers", str(workers)]


def run_id(out: Path) -> str | None:
    try:
        return json.loads((out / "run.json").read_text(encoding="utf-8"))["run_id"]
    except (OSError, ValueError, KeyError):
        return None


def cli_ok(*args: str) -> bool:
    done = subprocess.run([PY, "-m", "toolkit.cli", *args], capture_output=True, text=True, check=False)
    return done.returncode == 0


def check_previous(out: Path, expected: str) -> list[str]:
    import polars as pl

    problems = []
    now = run_id(out)
    if now != expected:
        # killed after its switch: OUT must then be that run, finished (its run.json is written last)
        try:
            finished = json.loads((out / "run.json").read_text(encoding="utf-8")).get("status") == "complete"
        except (OSError, ValueError):
            finished = False
        if not finished:
            problems.append(f"OUT is run {now}, neither the previous {expected} nor a finished one")
    try:
        pl.read_parquet(out / "findings.parquet")
    except Exception as exc:  # noqa: BLE001 - any failure to read is the failure we look for
        problems.append(f"findings unreadable: {exc}")
    if not cli_ok("report", str(out)):
        problems.append("report failed")
    if not cli_ok("review", str(out), "--orphans"):
        problems.append("review failed")
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="+")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--points", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    cmd = screen_cmd(args.corpus, args.out, args.workers)
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    length = time.perf_counter() - t0
    print(f"one run takes {length:.1f} s; killing at {args.points} random points in it (5 %–90 % of a run)")
    failures = 0
    point = 0
    while point < args.points:
        previous = run_id(args.out)
        delay = rng.uniform(0.05, 0.9) * length
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        started = time.perf_counter()
        time.sleep(delay)
        if proc.poll() is not None:  # the machine got faster: that run ran to the end; draw again
            length = time.perf_counter() - started
            if run_id(args.out) in (None, previous):
                print(f"a run that ran to the end was not switched in: {run_id(args.out)}")
                failures += 1
            print(f"(a run ended before {delay:.1f} s: one run now takes {length:.1f} s; drawing again)")
            continue
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        point += 1
        problems = check_previous(args.out, previous)
        where = "OUT is the previous run" if run_id(args.out) == previous else "killed after its switch: OUT is it"
        print(f"point {point:2d}: killed at {delay:5.1f} s: " + (f"ok ({where})" if not problems else "; ".join(problems)))
        failures += bool(problems)
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    print(f"next run: exit {done.returncode}, run {run_id(args.out)}")
    return 1 if failures or done.returncode != 0 else 0


if __name__ == "__main__":
    sys.exit(main())
