"""Run ``ingest`` in this process and print, as one JSON line, what its worker processes peaked at.

``python -m toolkit.fuzz.probe OUT INPUT... [--workers N] [--file-timeout S]`` -- run by
:mod:`toolkit.fuzz.runner` in a child process with a wall-clock limit, so that a run that
crashes or hangs is seen from outside, and ``RUSAGE_CHILDREN`` covers exactly this run's workers.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time

from toolkit.pipeline import ingest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m toolkit.fuzz.probe")
    parser.add_argument("out")
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--file-timeout", type=float, default=None)
    parser.add_argument("--follow-links", action="store_true")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    run = ingest(
        args.inputs, args.out, workers=args.workers, file_timeout_s=args.file_timeout, follow_links=args.follow_links
    )
    result = {
        "files": run.n_files,
        "seconds": round(time.perf_counter() - t0, 2),
        "peak_worker_rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        "parent_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
