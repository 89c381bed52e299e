"""The label schema of a mutant corpus (``DIR/labels.parquet``) and of its documents (``truth.parquet``).

The first columns are those ``toolkit.evaluate`` reads for a synthetic corpus (document,
category, kind, location, injected/original value ...); the rest say what the harness did.
``document`` and ``original_document`` are paths relative to the corpus directory.
"""

from __future__ import annotations

import polars as pl

from toolkit.synth.corpus import LABEL_SCHEMA as SYNTH_LABELS

LABEL_SCHEMA: dict[str, pl.DataType] = {
    **SYNTH_LABELS,  # the columns `evaluate` reads
    # mutation harness
    "fault": pl.String,  # toolkit.mutate.faults name
    "tokens": pl.List(pl.String),  # a correct finding mentions one of these (the injected number/word)
    "table_id": pl.String,  # table of the original the edit is in (null for running text)
    "page": pl.Int32,
    "sheet": pl.String,
    "templated": pl.Boolean,  # table faults: the table's type was recognised
    "source_format": pl.String,  # txt|csv|html|docx|xlsx|xls|pdf (of the original)
    "edit_mode": pl.String,  # real-layout (edited in place) | re-rendered (through toolkit.render)
    "original_document": pl.String,  # the unmutated document to compare findings with
    "source": pl.String,  # the original file as given
    "status_original": pl.String,  # manifest status of the original
    "status_mutant": pl.String,  # manifest status of the mutant (re-read after writing)
    "note": pl.String,  # why the mutant was re-rendered, or why its status differs
}

TRUTH_SCHEMA: dict[str, pl.DataType] = {
    "document": pl.String,
    "original_document": pl.String,
    "source": pl.String,
    "clean": pl.Boolean,
    "bureau": pl.String,
    "fiscal_year": pl.Int32,
    "format": pl.String,
    "edit_mode": pl.String,
    "status": pl.String,
}


def labels_frame(rows: list[dict]) -> pl.DataFrame:
    if not rows:
        return pl.DataFrame(schema=LABEL_SCHEMA)
    return pl.DataFrame([{k: r.get(k) for k in LABEL_SCHEMA} for r in rows], schema=LABEL_SCHEMA)


def truth_frame(rows: list[dict]) -> pl.DataFrame:
    if not rows:
        return pl.DataFrame(schema=TRUTH_SCHEMA)
    return pl.DataFrame([{k: r.get(k) for k in TRUTH_SCHEMA} for r in rows], schema=TRUTH_SCHEMA)
