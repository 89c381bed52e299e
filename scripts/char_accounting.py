"""List character accounting per file of a ``screen`` output: status, share of visible characters read,
worst page, and the reason of a file that is not ``ok``.

Usage::

    yibao-audit screen datasets ../shared/realdocs --out OUT
    python scripts/char_accounting.py OUT

Exit 1 when an ``ok`` file reads less than the accounting threshold (it should have been ``partial``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from toolkit.extract.accounting import MIN_SHARE  # noqa: E402


def main(argv: list[str]) -> int:
    out = Path(argv[0])
    manifest = pl.read_csv(out / "manifest.csv").select("path", "sha256", "status", "reason")
    docs = pl.read_parquet(out / "frames" / "documents.parquet")
    keep = [c for c in ("sha256", "chars_visible", "chars_read", "chars_share", "worst_page", "worst_page_share")
            if c in docs.columns]
    table = manifest.join(docs.select(keep).unique("sha256"), on="sha256", how="left").sort("path")
    bad = 0
    for row in table.iter_rows(named=True):
        share = row.get("chars_share")
        shown = "—" if share is None else f"{share:.4f}"
        worst = "" if row.get("worst_page") is None else f" worst page {row['worst_page']}: {row['worst_page_share']:.4f}"
        reason = f" ({row['reason']})" if row.get("reason") else ""
        flag = ""
        if row["status"] == "ok" and share is not None and share < MIN_SHARE:
            flag, bad = "  BELOW THRESHOLD", bad + 1
        print(f"{row['status']:<17} {shown:>7} {row.get('chars_visible') or 0:>8} chars{worst}  {row['path']}{reason}{flag}")
    counts = table.group_by("status").len().sort("status")
    print("; ".join(f"{s}: {n}" for s, n in counts.iter_rows()), f"; ok below {MIN_SHARE:.0%}: {bad}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
