"""Compare two `screen` output folders: every frame, findings, coverage and manifest (timings left out).

Rows are compared as sets after sorting on every column, so the order in which workers finished does
not matter. Used to show that a refactoring changed no output:

    python scripts/compare_runs.py BEFORE_DIR AFTER_DIR     # exit 0 when identical
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl


def _canonical(df: pl.DataFrame) -> pl.DataFrame:
    df = df.select(sorted(df.columns))
    return df.sort(df.columns, nulls_last=True) if df.height else df


def compare(name: str, before: pl.DataFrame, after: pl.DataFrame) -> list[str]:
    """Differences between two frames, as lines to print (empty when identical)."""
    if sorted(before.columns) != sorted(after.columns):
        return [f"{name}: columns differ: {sorted(set(before.columns) ^ set(after.columns))}"]
    after = after.select(before.columns)
    out = []
    if before.schema != after.schema:
        out.append(f"{name}: dtypes differ")
    a, b = _canonical(before), _canonical(after)
    if not a.equals(b):
        only_a = a.join(b, on=a.columns, how="anti", nulls_equal=True)
        only_b = b.join(a, on=a.columns, how="anti", nulls_equal=True)
        out.append(f"{name}: {a.height} vs {b.height} rows; {only_a.height} only before, {only_b.height} only after")
    return out


def main(argv: list[str]) -> int:
    before, after = (Path(a) for a in argv[1:3])
    problems: list[str] = []
    pairs = [(f"frames/{p.name}", pl.read_parquet(p), after / "frames" / p.name)
             for p in sorted((before / "frames").glob("*.parquet"))]
    for name, df, other in pairs:
        if not other.exists():
            problems.append(f"{name}: missing after")
            continue
        problems += compare(name, df, pl.read_parquet(other))
    problems += compare("findings.parquet", pl.read_parquet(before / "findings.parquet"),
                        pl.read_parquet(after / "findings.parquet"))
    for csv in ("coverage.csv", "manifest.csv"):
        a = pl.read_csv(before / csv, infer_schema=False).drop("seconds", strict=False)
        b = pl.read_csv(after / csv, infer_schema=False).drop("seconds", strict=False)
        problems += compare(csv, a, b)
    for line in problems:
        print(line)
    print(f"differences: {len(problems)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
