"""A finding's fingerprint: what it is about, not which bytes it was found in.

``finding_id`` hashes the document's content, so any edit to a document gives every finding on it
a new id. The fingerprint keeps what an auditor would call "the same finding": the check, the
bureau, the fiscal year, the document type, the table (its type and project, and its place among
tables of that type, never its position in the document), and the row key / measure / claim the
location names. Content hashes and character offsets in a location are dropped; page numbers
never enter. Two findings that would still share a fingerprint (the same finding in a PDF and in
the XLSX of one disclosure) are told apart by their order (document path, then location).

A finding that keeps its fingerprint but not its values (expected, actual, difference, severity) is
*changed*; :func:`value_key` is what is compared.
"""

from __future__ import annotations

import hashlib

import polars as pl

# a document id (16 hex), optionally with a passage's page and character offset: "15b1c37a87938a2d:p23|107"
_DOC_TOKEN = r"[0-9a-f]{16}(?::p\d+)?(?:\|\d+)?"
_TABLE_TOKEN = r"\bt\d{2,}\b"


def _table_keys(tables: pl.DataFrame) -> pl.DataFrame:
    """(document_id, table_id) -> "type/project#k", k counting tables of that type and project in order."""
    if tables.height == 0:
        return pl.DataFrame(schema={"document_id": pl.String, "table_id": pl.String, "table_key": pl.String})
    t = tables.select("document_id", "table_id", "table_type", pl.col("project").fill_null("")).unique(
        ["document_id", "table_id"]
    )
    return t.sort("document_id", "table_id").with_columns(
        _k=pl.int_range(pl.len()).over("document_id", "table_type", "project")
    ).select(
        "document_id",
        "table_id",
        table_key=pl.concat_str(
            [pl.col("table_type").fill_null("?"), pl.lit("/"), pl.col("project"), pl.lit("#"), pl.col("_k").cast(pl.String)]
        ),
    )


def fingerprints(findings: pl.DataFrame, documents: pl.DataFrame, tables: pl.DataFrame) -> pl.DataFrame:
    """``finding_id, fingerprint, value_key`` for every finding (in the order given)."""
    schema = {"finding_id": pl.String, "fingerprint": pl.String, "value_key": pl.String}
    if findings.height == 0:
        return pl.DataFrame(schema=schema)
    docs = documents.select("document_id", pl.col("doc_type").fill_null("")).unique("document_id")
    keys = _table_keys(tables)
    f = (
        findings.select(
            "finding_id", "check_code", "bureau", "fiscal_year", "document", "document_id", "table_id",
            "location", "severity", "expected", "actual", "difference",
        )
        .with_row_index("_order")
        .join(docs, on="document_id", how="left")
        .join(keys, on=["document_id", "table_id"], how="left")
    )
    f = f.with_columns(
        _who=pl.coalesce(pl.col("bureau"), pl.lit("@") + pl.col("document").fill_null("")),
        _where=pl.col("location").fill_null("").str.replace_all(_DOC_TOKEN, "").str.replace_all(
            _TABLE_TOKEN, "<t>"
        ),
    ).with_columns(
        _base=pl.concat_str(
            [
                pl.col("check_code"),
                pl.col("_who"),
                pl.col("fiscal_year").cast(pl.String).fill_null(""),
                pl.col("doc_type").fill_null(""),
                pl.col("table_key").fill_null(""),
                pl.col("_where"),
            ],
            separator="\x1f",
        )
    )
    f = f.sort("_base", "document", "location", "finding_id", nulls_last=True).with_columns(
        _n=pl.int_range(pl.len()).over("_base")
    )
    fp = [
        f"{code}-{hashlib.sha256(f'{base}{chr(31)}{n}'.encode()).hexdigest()[:16]}"
        for code, base, n in zip(f["check_code"].to_list(), f["_base"].to_list(), f["_n"].to_list(), strict=True)
    ]
    vk = [
        hashlib.sha256("\x1f".join(str(v or "") for v in row).encode()).hexdigest()[:16]
        for row in f.select("severity", "expected", "actual", "difference").iter_rows()
    ]
    return (
        f.with_columns(fingerprint=pl.Series(fp, dtype=pl.String), value_key=pl.Series(vk, dtype=pl.String))
        .sort("_order")
        .select(list(schema))
    )
