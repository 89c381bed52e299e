"""Comparing regions: bureau-year risk by province and year, and each bureau's change from year to year.

Input is a bureau ranking with ``risk`` on the 0–100 scale (``ReportData.bureau_ranking``).
Provinces are the first two digits of the GB/T 2260 region code, named in Chinese.
"""

from __future__ import annotations

import polars as pl

from toolkit.report.labels import PROVINCES


def with_province(bureau_ranking: pl.DataFrame) -> pl.DataFrame:
    """Adds ``province`` (Chinese name; ``未知地区`` without a region code)."""
    prefix = pl.col("region_code").str.slice(0, 2)
    return bureau_ranking.with_columns(
        province=prefix.replace_strict(PROVINCES, default=None, return_dtype=pl.String).fill_null("未知地区")
    )


def province_year_table(bureau_ranking: pl.DataFrame, value: str = "mean") -> pl.DataFrame:
    """Province × fiscal year: the mean (or ``max``) bureau-year risk, one column per year, riskiest province first."""
    df = with_province(bureau_ranking).filter(pl.col("fiscal_year").is_not_null())
    if df.height == 0:
        return pl.DataFrame(schema={"province": pl.String})
    agg = pl.col("risk").max() if value == "max" else pl.col("risk").mean()
    long = df.group_by("province", "fiscal_year").agg(agg.round(1).alias("risk"), pl.len().alias("n"))
    wide = long.sort("fiscal_year").pivot("fiscal_year", index="province", values="risk")
    counts = long.group_by("province").agg(bureau_years=pl.col("n").sum())
    years = [c for c in wide.columns if c != "province"]
    return (
        wide.join(counts, on="province")
        .with_columns(overall=pl.mean_horizontal(years).round(1))
        .sort(["overall", "province"], descending=[True, False])
        .select("province", "bureau_years", *years, "overall")
    )


def year_on_year(bureau_ranking: pl.DataFrame) -> pl.DataFrame:
    """One row per bureau and year with the previous year's risk and the change; largest rise first."""
    df = with_province(bureau_ranking).filter(pl.col("fiscal_year").is_not_null())
    return (
        df.sort("bureau", "fiscal_year")
        .with_columns(previous=pl.col("risk").shift(1).over("bureau"),
                      previous_year=pl.col("fiscal_year").shift(1).over("bureau"))
        .filter(pl.col("previous").is_not_null())
        .with_columns(change=(pl.col("risk") - pl.col("previous")).round(1))
        .select("province", "bureau", "region_code", "previous_year", "previous", "fiscal_year", "risk", "change",
                "explanation")
        .sort(["change", "bureau"], descending=[True, False])
    )
