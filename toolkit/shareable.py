"""Outputs that leave the auditor's machine: how they are written, CSV cells safe to open in Excel.

A run's frames keep the raw text (checks need it); what is *shared* -- ``findings.csv``,
``findings.parquet``, ``manifest.csv``, rankings, the report and the workbook -- is masked by
default before it gets here (:func:`toolkit.report.masking.mask_findings`,
:func:`~toolkit.report.masking.mask_manifest`: phone, ID and card numbers, names after a role word).
``--no-mask`` writes them raw, and says so (:data:`UNMASKED_NOTICE`, and ``yibao.masked`` =
``false`` in the Parquet metadata).

CSV formula injection (OWASP "CSV Injection"): a cell that starts with ``=``, ``+``, ``-``, ``@``,
TAB or CR is run as a formula by Excel/LibreOffice (a file named ``=HYPERLINK(...).pdf`` lands in
``manifest.csv``). :func:`neutralise_cell` prefixes such a cell with ``'`` -- except a plain number
(``-12.5`` stays a number). Only CSV is neutralised; Parquet keeps the raw value.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A plain number Excel reads as a number, not a formula: -12, -1,234.56, +3.5e2, -12%.
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?%?$")
MASKED_METADATA_KEY = b"yibao.masked"
UNMASKED_NOTICE = "personal data NOT masked (--no-mask): do not share these files"


def neutralise_cell(value: str | None) -> str | None:
    """``value`` made inert for a spreadsheet: ``'`` before a leading formula character, plain numbers kept."""
    if not value or not value.startswith(FORMULA_STARTS) or _PLAIN_NUMBER.match(value):
        return value
    return "'" + value


def neutralise_frame(df: pl.DataFrame) -> pl.DataFrame:
    """Every String column of ``df`` with :func:`neutralise_cell` applied (numbers are left alone)."""
    risky = pl.col(pl.String).str.contains(r"^[=+\-@\t\r]") & ~pl.col(pl.String).str.contains(
        _PLAIN_NUMBER.pattern
    )
    return df.with_columns(
        pl.when(risky).then(pl.lit("'") + pl.col(pl.String)).otherwise(pl.col(pl.String)).name.keep()
    )


def write_csv(df: pl.DataFrame, path: Path) -> None:
    """A shared CSV: UTF-8 with a BOM (Excel reads it as UTF-8), every cell neutralised."""
    neutralise_frame(df).write_csv(path, include_bom=True)


def write_parquet(df: pl.DataFrame, path: Path, *, masked: bool) -> None:
    """A shared Parquet file, raw values (no CSV escaping) and ``yibao.masked`` in its metadata."""
    table = df.to_arrow()
    metadata = {**(table.schema.metadata or {}), MASKED_METADATA_KEY: b"true" if masked else b"false"}
    pq.write_table(table.replace_schema_metadata(metadata), path)


def is_masked(parquet_path: Path) -> bool | None:
    """What a shared Parquet file says of itself: True/False, None when written before it said."""
    metadata = pq.read_schema(parquet_path).metadata or {}
    value = metadata.get(MASKED_METADATA_KEY)
    return None if value is None else value == b"true"
