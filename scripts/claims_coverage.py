"""Claims coverage of a `screen` run: per document and per document type, the claims the text states
(found / resolved / checked / abstained) and the share of its money figures and rates that took part in
at least one check.

    python scripts/claims_coverage.py RUN_DIR
"""

from __future__ import annotations

import sys

import polars as pl

from toolkit.checks.text_ratios import claims_coverage
from toolkit.pipeline import load_frames


def main(run_dir: str) -> None:
    cov = claims_coverage(load_frames(run_dir))
    pl.Config.set_tbl_rows(200)
    pl.Config.set_fmt_str_lengths(60)
    pl.Config.set_tbl_width_chars(200)
    print(cov.select(pl.col("path").str.split("/").list.last().alias("document"), "doc_type", "claims", "resolved",
                     "checked", "abstained", "text_numbers", "numbers_checked",
                     pl.col("share_checked").round(2)).sort("doc_type", "document"))
    by_type = cov.group_by("doc_type").agg(
        pl.len().alias("documents"), pl.col("claims").sum(), pl.col("checked").sum(), pl.col("abstained").sum(),
        pl.col("text_numbers").sum(), pl.col("numbers_checked").sum()).with_columns(
        (pl.col("numbers_checked") / pl.col("text_numbers")).round(2).alias("share_checked")).sort("doc_type")
    print(by_type)


if __name__ == "__main__":
    main(sys.argv[1])
