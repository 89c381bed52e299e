"""Text normalisation shared by the copy-paste checks (CP001–CP005)."""

from __future__ import annotations

import re

import polars as pl


def normalize_text(s: str | None) -> str:
    """Text as compared: no whitespace, full-width punctuation folded."""
    s = (s or "").translate(str.maketrans("（）：，；＞＜＝", "():,;><="))
    return re.sub(r"\s+", "", s)


def shorten(s: str | None, n: int = 60) -> str:
    s = re.sub(r"\s+", " ", s or "").strip()
    return s if len(s) <= n else s[: n - 1] + "…"


def unit_key(documents: pl.DataFrame) -> pl.Expr:
    """A bureau's identity across documents: region code when resolved, else the printed name."""
    return pl.coalesce(pl.col("region_code"), pl.col("bureau"), pl.col("document_id"))


YEARS_AND_DATES = re.compile(r"(?:19|20)\d\d\s*年(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*日)?|\d{1,2}\s*月\s*\d{1,2}\s*日")
