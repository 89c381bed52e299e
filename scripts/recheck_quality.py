"""Score a finished `yibao-audit quality --work WORK` run again with the checks of this checkout.

The mutant corpus and the frames of every screen are reused as they are (extraction is not repeated), so
two versions of the checks can be compared on exactly the same mutants in a minute or two:

    python scripts/recheck_quality.py WORK OUT      # OUT/mutants.md, OUT/mutants.json, OUT/findings.parquet
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl

from toolkit.checks import run_checks
from toolkit.mutate.evaluate import compute
from toolkit.mutate.report import write_report
from toolkit.pipeline import load_frames


def main(work: Path, out: Path) -> None:
    corpus = work / "corpus"
    found = [run_checks(load_frames(b))[0] for b in sorted((work / "screens").glob("batch*"))]
    findings = pl.concat(found, how="diagonal_relaxed")
    labels = pl.read_parquet(corpus / "labels.parquet")
    truth = pl.read_parquet(corpus / "truth.parquet")
    metrics = compute(labels, truth, findings, corpus)
    metrics["run"] = {"inputs": f"frames of {work} re-checked", "documents": int((truth["edit_mode"] == "original").sum()),
                      "per_doc": 0, "seed": 0, "workers": 1, "mutate_s": 0.0, "screen_s": 0.0, "seconds": 0.0,
                      "cpu_s": 0.0, "load_average": 0.0}
    out.mkdir(parents=True, exist_ok=True)
    write_report(metrics, out)
    findings.write_parquet(out / "findings.parquet")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
