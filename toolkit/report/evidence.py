"""One finding's evidence, drilled down to the source cells it names.

:func:`finding_evidence` lists the evidence cells a check recorded (table, page, row and column
labels, the printed text); :func:`source_rows` reads from the run's cells frame every cell of
the table rows those evidence cells sit in, so the reported number is seen beside its whole
row as printed. Only the rows named are read (the cells frame is scanned, never loaded whole).
Text here is as printed: not masked.
"""

from __future__ import annotations

import polars as pl

from toolkit.report.data import describe_place, evidence_cells
from toolkit.store import RunDir

EVIDENCE_SCHEMA: dict[str, pl.DataType] = {
    "place": pl.String, "table_id": pl.String, "page": pl.Int64, "row": pl.Int64, "col": pl.Int64,
    "row_label": pl.String, "col_label": pl.String, "raw_text": pl.String, "sentence": pl.String,
}


def _finding(run_dir: RunDir, finding_id: str) -> dict:
    hit = run_dir.read_findings().filter(pl.col("finding_id") == finding_id)
    if hit.height == 0:
        raise KeyError(f"no finding {finding_id!r} in {run_dir.root}")
    return hit.row(0, named=True)


def finding_evidence(out_dir: str | RunDir, finding_id: str) -> pl.DataFrame:
    """The evidence cells of one finding, one row each, with a readable place."""
    finding = _finding(RunDir(out_dir), finding_id)
    rows = []
    for cell in evidence_cells(finding.get("evidence")):
        row = {k: cell.get(k) for k in EVIDENCE_SCHEMA if k != "place"}
        row["table_id"] = row["table_id"] or (finding.get("table_id") if cell.get("row") is not None else None)
        row["place"] = describe_place(cell)
        rows.append({k: (v if not isinstance(v, int | float) or k in ("page", "row", "col") else str(v))
                     for k, v in row.items()})
    return pl.DataFrame(rows, schema=EVIDENCE_SCHEMA, strict=False) if rows else pl.DataFrame(schema=EVIDENCE_SCHEMA)


def source_rows(out_dir: str | RunDir, finding_id: str) -> pl.DataFrame:
    """Every source cell of the table rows the finding's evidence names (page, row, column, label, printed text)."""
    run_dir = RunDir(out_dir)
    finding = _finding(run_dir, finding_id)
    evidence = finding_evidence(run_dir, finding_id).filter(pl.col("table_id").is_not_null() & pl.col("row").is_not_null())
    columns = ["table_id", "page", "row", "col", "row_label", "col_label", "raw_text", "value", "unit"]
    if evidence.height == 0:
        return pl.DataFrame(schema={c: pl.String for c in columns})
    wanted = evidence.select("table_id", pl.col("row").cast(pl.Int32)).unique()
    cells = (
        run_dir.frames().scan("cells")
        .filter(pl.col("document_id") == finding["document_id"])
        .join(wanted.lazy(), on=["table_id", "row"], how="inner")
        .select(columns)
        .sort("table_id", "row", "col")
        .collect()
    )
    marks = evidence.select("table_id", pl.col("row").cast(pl.Int32), pl.col("col").cast(pl.Int32).alias("_col"),
                            pl.col("col_label").alias("_col_label"),
                            pl.col("raw_text").str.replace_all(",", "").cast(pl.Float64, strict=False).alias("_value"))
    # evidence without a column index names the cell by its column label, or by the number it printed
    same_label = pl.col("col_label") == pl.col("_col_label")
    same_value = pl.col("value").is_not_null() & (pl.col("value") == pl.col("_value"))
    # ... and only when one cell of the row prints that number: two equal cells are not guessed between
    only_value = same_value & (same_value.cast(pl.Int32).sum().over("table_id", "row", "_value") == 1)
    hit = (pl.col("col") == pl.col("_col")) | (pl.col("_col").is_null() & (same_label | only_value))
    return (
        cells.join(marks, on=["table_id", "row"], how="left")
        .with_columns(_hit=hit.fill_null(False))
        .group_by(columns, maintain_order=True)
        .agg(reported=pl.col("_hit").any())
    )
