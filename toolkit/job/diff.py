"""This run's findings against the previous run's: new, recurring, changed, resolved (by fingerprint).

* **new** — a fingerprint the previous run did not have;
* **recurring** — the same fingerprint with the same values (:func:`toolkit.job.fingerprint.value_key`);
* **changed** — the same fingerprint, other values (a figure or the severity moved);
* **resolved** — a fingerprint of the previous run that this run does not have (its row keeps the
  previous finding's description; ``finding_id`` is empty).

With no previous run every finding is new.
"""

from __future__ import annotations

import polars as pl

from toolkit.job.fingerprint import fingerprints
from toolkit.store import RunDir

CHANGES = ("new", "recurring", "changed", "resolved")
DETAIL_COLUMNS: tuple[str, ...] = (
    "check_code", "category", "severity", "score", "document", "bureau", "region_code", "fiscal_year",
    "location", "message",
)
CHANGE_SCHEMA: dict[str, pl.DataType] = {
    "fingerprint": pl.String,
    "change": pl.String,
    "finding_id": pl.String,
    "previous_finding_id": pl.String,
    "value_key": pl.String,
    "check_code": pl.String,
    "category": pl.String,
    "severity": pl.String,
    "score": pl.Float64,
    "document": pl.String,
    "bureau": pl.String,
    "region_code": pl.String,
    "fiscal_year": pl.Int32,
    "location": pl.String,
    "message": pl.String,
}


def describe(findings: pl.DataFrame, prints: pl.DataFrame) -> pl.DataFrame:
    """Findings with their fingerprint and value key: the rows :func:`compare` takes."""
    return findings.select("finding_id", *DETAIL_COLUMNS).join(prints, on="finding_id", how="left")


def compare(current: pl.DataFrame, previous: pl.DataFrame | None) -> pl.DataFrame:
    """One row per fingerprint of either run (:data:`CHANGE_SCHEMA`); ``current``/``previous`` from :func:`describe`.

    Rows of this run come first in its order, then the resolved ones.
    """
    cur = current.select(list(CHANGE_SCHEMA.keys() - {"change", "previous_finding_id"}))
    if previous is None or previous.height == 0:
        out = cur.with_columns(change=pl.lit("new"), previous_finding_id=pl.lit(None, pl.String))
        return out.select(list(CHANGE_SCHEMA)).cast(CHANGE_SCHEMA)
    prev = previous.select("fingerprint", pl.col("finding_id").alias("previous_finding_id"),
                           pl.col("value_key").alias("_prev_value"))
    matched = cur.join(prev, on="fingerprint", how="left").with_columns(
        change=pl.when(pl.col("previous_finding_id").is_null()).then(pl.lit("new"))
        .when(pl.col("_prev_value") == pl.col("value_key")).then(pl.lit("recurring"))
        .otherwise(pl.lit("changed"))
    )
    resolved = (
        previous.join(cur.select("fingerprint"), on="fingerprint", how="anti")
        .rename({"finding_id": "previous_finding_id"})
        .with_columns(change=pl.lit("resolved"), finding_id=pl.lit(None, pl.String))
    )
    cols = list(CHANGE_SCHEMA)
    return pl.concat(
        [matched.select(cols).cast(CHANGE_SCHEMA), resolved.select(cols).cast(CHANGE_SCHEMA)], how="vertical"
    )


def counts(changes: pl.DataFrame) -> dict[str, int]:
    by = dict(changes.group_by("change").len().iter_rows()) if changes.height else {}
    return {c: int(by.get(c, 0)) for c in CHANGES}


def previous_findings(previous: RunDir | None) -> pl.DataFrame | None:
    """The previous run's findings with fingerprints (from its changes file, else computed)."""
    if previous is None:
        return None
    if previous.changes_path.exists():
        ch = pl.read_parquet(previous.changes_path).filter(pl.col("change") != "resolved")
        return ch.select(list(CHANGE_SCHEMA.keys() - {"change", "previous_finding_id"}))
    found = previous.read_findings()
    frames = previous.frames()
    return describe(found, fingerprints(found, frames["documents"], frames["tables"]))
