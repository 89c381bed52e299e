"""Time a screening run and the unchanged re-run of the same corpus (incremental: files reused).

Runs ``yibao-audit screen CORPUS --out OUT --full`` (every file parsed and checked), then the same
command without ``--full`` on the unchanged corpus, and prints both wall times, the ratio and
what run.json says was reused::

    yibao-audit synth --out work/synth1000 --bureaus 167 --years 2      # 1,002 documents
    python scripts/incremental_speed.py work/synth1000/docs --out work/synth1000-screen --workers 2
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path


def timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="+")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--workers", type=int, default=0)
    args = ap.parse_args()
    cmd = [sys.executable, "-m", "toolkit.cli", "screen", *args.corpus, "--out", str(args.out), "--no-progress",
           "--workers", str(args.workers)]
    first = timed([*cmd, "--full"])
    first_run = json.loads((args.out / "run.json").read_text(encoding="utf-8"))
    second = timed(cmd)
    second_run = json.loads((args.out / "run.json").read_text(encoding="utf-8"))
    print(f"first run (--full): {first:.1f} s, {first_run['counts']['files']} files, "
          f"{first_run['counts']['findings']} findings; timings {first_run['timings']}")
    print(f"unchanged re-run:   {second:.1f} s, reused {second_run['reused']} of {second_run['counts']['files']} "
          f"files, changes {second_run['changes']}; timings {second_run['timings']}")
    print(f"re-run / first run = {second / first:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
