"""Mark the frames' rows that come from OCR'd pages (columns ``source`` / ``ocr_confidence``).

The loader marks blocks read by OCR (``Block.source == "ocr"``) and keeps a confidence per
block and per table cell. OCR is page-wide (a PDF page either has a text layer or is read
from its image), so a row is OCR'd when its page is; its confidence is, in order of
preference: the cell's own (matched by page and printed text), the lowest of its row's cells
(line items, indicators), or the page's mean. Frames of documents without OCR'd pages are
returned unchanged.
"""

from __future__ import annotations

from collections import defaultdict

import polars as pl

from toolkit.model import RawDocument
from toolkit.normalize.text import squash


def _confidences(raw: RawDocument) -> tuple[dict[int, float], dict[tuple[int, str], list[float]]]:
    """(page -> mean block confidence, (page, cell text) -> confidences of that text's cells in reading order)."""
    by_page: dict[int, list[float]] = {}
    by_cell: dict[tuple[int, str], list[float]] = defaultdict(list)
    for b in raw.blocks:
        if b.source != "ocr" or b.page is None:
            continue
        by_page.setdefault(b.page, []).append(b.confidence if b.confidence is not None else 0.0)
        table = b.table
        if table is None or table.confidence is None:
            continue
        for row, confs in zip(table.rows, table.confidence, strict=False):
            for text, conf in zip(row, confs, strict=False):
                key = (b.page, squash(text or ""))
                if conf is not None and key[1]:
                    by_cell[key].append(conf)
    return {p: sum(v) / len(v) for p, v in by_page.items()}, by_cell


def mark_ocr(raw: RawDocument, frames: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    pages, cell_conf = _confidences(raw)
    if not pages:
        return frames
    page_conf = pl.col("page").replace_strict(pages, default=None, return_dtype=pl.Float64)
    out = dict(frames)

    def by_page(df: pl.DataFrame, own: pl.Expr | pl.Series | None = None) -> pl.DataFrame:
        """OCR'd where the row's page is; confidence its own when known, else the page's."""
        if df.height == 0:
            return df
        conf = own if own is not None else pl.lit(None, dtype=pl.Float64)
        return df.with_columns(
            source=pl.when(page_conf.is_not_null()).then(pl.lit("ocr")).otherwise(pl.col("source")),
            ocr_confidence=pl.when(page_conf.is_not_null()).then(pl.coalesce(conf, page_conf))
            .otherwise(pl.col("ocr_confidence")),
        )

    cells = out["cells"]
    if cells.height:
        own = _cell_confidences(cells, pages, cell_conf)
        cells = by_page(cells, pl.Series("_own", own, dtype=pl.Float64))
        out["cells"] = cells
        ocr_cells = cells.filter(pl.col("source") == "ocr")
        cell_keys = ocr_cells.select("document_id", "table_id", "row", "col",
                                     pl.col("ocr_confidence").alias("_conf"))
        row_keys = ocr_cells.group_by("document_id", "table_id", "row").agg(pl.col("ocr_confidence").min().alias("_conf"))
        for name, keys in (("line_items", cell_keys), ("indicators", row_keys)):
            df = out[name]
            if df.height == 0:
                continue
            on = [c for c in keys.columns if c != "_conf"]
            cols = df.columns
            df = (
                df.with_row_index("_i").join(keys, on=on, how="left").sort("_i")
                .with_columns(
                    source=pl.when(pl.col("_conf").is_not_null()).then(pl.lit("ocr")).otherwise(pl.col("source")),
                    ocr_confidence=pl.coalesce(pl.col("_conf"), pl.col("ocr_confidence")),
                )
                .select(cols)
            )
            out[name] = by_page(df, pl.col("ocr_confidence"))  # rows not matched to a cell still carry their page
        tables = out["tables"]
        if tables.height:
            share = cells.group_by("document_id", "table_id").agg(
                pl.col("source").eq("ocr").fill_null(False).all().alias("_all"),
                pl.col("source").eq("ocr").fill_null(False).any().alias("_any"),
                pl.col("ocr_confidence").min().alias("_min"),
            )
            cols = tables.columns
            out["tables"] = (
                tables.with_row_index("_i").join(share, on=["document_id", "table_id"], how="left").sort("_i")
                .with_columns(
                    source=pl.when(pl.col("_all")).then(pl.lit("ocr"))
                    .when(pl.col("_any")).then(pl.lit("mixed")).otherwise(pl.col("source")),
                    ocr_confidence=pl.when(pl.col("_any")).then(pl.col("_min")).otherwise(pl.col("ocr_confidence")),
                )
                .select(cols)
            )
    for name in ("passages", "facts"):
        out[name] = by_page(out[name])
    return out


def _cell_confidences(cells: pl.DataFrame, pages: dict[int, float],
                      cell_conf: dict[tuple[int, str], list[float]]) -> list[float | None]:
    """Each OCR'd cell's own confidence: the k-th cell printing a text on a page is the k-th box read with it.

    Cells come in reading order (tables in order, rows then columns), as the loader's grids do;
    when the counts disagree (a row merged or dropped by the grid), the lowest confidence of that
    text on the page is used.
    """
    seen: dict[tuple[int, str], int] = defaultdict(int)
    out: list[float | None] = []
    for page, text in cells.select("page", "raw_text").rows():
        key = (page, squash(text or ""))
        confs = cell_conf.get(key) if page in pages and key[1] else None
        if not confs:
            out.append(None)
            continue
        k = seen[key]
        seen[key] += 1
        out.append(confs[k] if k < len(confs) else min(confs))
    return out
