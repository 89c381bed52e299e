"""Recall of table faults per document shape: real Word tables beside tables printed as text.

Every real document with at least one table is written once per shape through ``toolkit.render``
(DOCX with Word tables; TXT with each table as TAB rows, pipe rows, space-aligned columns, one
cell per line, one line). Each shape is then a corpus of its own: the mutation harness injects
every table fault that applies into each document in that shape's own format, screens originals
and mutants, and scores recall. The same documents and the same faults in every shape, so a gap
between a text shape and DOCX is what the text reading loses.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from pathlib import Path

from toolkit.model import Limits
from toolkit.mutate.evaluate import compute
from toolkit.mutate.generate import collect_inputs, mutate
from toolkit.mutate.loop import batches, cpu_seconds, screen_batches
from toolkit.mutate.shapes_report import write_shapes_report

log = logging.getLogger(__name__)

TABLE_FAULTS = ["column_total_broken", "cross_foot_broken", "difference_broken", "ratio_cell_broken",
                "rows_swapped", "score_total_broken", "weight_sum_broken"]
# shape -> (format, render style); docx first: it is the reference the text shapes are measured against
SHAPES: dict[str, tuple[str, str]] = {
    "docx": ("docx", "default"), "tsv": ("txt", "tsv"), "pipe": ("txt", "pipe"), "aligned": ("txt", "aligned"),
    "cells": ("txt", "cells"), "oneline": ("txt", "oneline"),
}
REFERENCE = "docx"
TOLERANCE = 0.05


def table_rows(blocks: list) -> list[list[list[str]]]:
    return [[[c or "" for c in row] for row in b.table.rows] for b in blocks if b.kind == "table" and b.table is not None]


def read_back(original: list[list[list[str]]], path: Path) -> dict[str, int]:
    """How the loader reads the written tables back: tables in the original, tables read, and original
    tables read back with the same cells. Whitespace inside a cell is compared collapsed: a line break in
    a cell cannot be printed in any text shape."""
    from toolkit.loaders import load_bytes

    def flat(tables: list[list[list[str]]]) -> list[list[list[str]]]:
        return [[[" ".join(c.split()) for c in row] for row in t] for t in tables]

    original = flat(original)
    got = flat(table_rows(load_bytes(path.read_bytes(), path.name, Limits()).blocks))
    remaining = list(got)
    same = 0
    for t in original:
        if t in remaining:
            same += 1
            remaining.remove(t)
    return {"tables": len(original), "read": len(got), "same": same}


def write_variants(inputs: list[Path], out: Path, shapes: list[str]) -> tuple[dict[str, list[Path]], dict]:
    """Each input document that holds a table, written once per shape under ``out/<shape>/``, and the
    per-shape count of its tables read back with the same cells."""
    from toolkit.loaders import load_bytes
    from toolkit.render import write_document

    written: dict[str, list[Path]] = {s: [] for s in shapes}
    readback = {s: {"tables": 0, "read": 0, "same": 0} for s in shapes}
    for index, path in enumerate(map(Path, collect_inputs(inputs))):
        raw = load_bytes(path.read_bytes(), path.name, Limits())
        if raw.failed or not any(b.kind == "table" and b.table is not None for b in raw.blocks):
            log.info("%s: no table, not used", path.name)
            continue
        original = table_rows(raw.blocks)
        for shape in shapes:
            fmt, style = SHAPES[shape]
            target = write_document(raw.blocks, out / shape / f"{index:03d}_{path.stem}.{fmt}", fmt, style=style)
            written[shape].append(target)
            for k, v in read_back(original, target).items():
                readback[shape][k] += v
    return written, readback


def run_shape(shape: str, docs: list[Path], work: Path, *, seed: int, workers: int) -> dict:
    corpus = work / "corpus" / shape
    labels, truth = mutate(docs, corpus, kinds=TABLE_FAULTS, per_doc=len(TABLE_FAULTS), seed=seed, workers=workers)
    findings = screen_batches(corpus, batches(truth), work / "screens" / shape, workers)
    metrics = compute(labels, truth, findings, corpus)
    metrics["documents"] = int((truth["edit_mode"] == "original").sum())
    return metrics


def shape_quality(inputs: list[Path], out: Path, *, shapes: list[str] | None = None, seed: int = 0,
                  workers: int = 2, work: Path | None = None) -> dict:
    """Run every shape, write ``out/text-shapes.md`` and return the metrics per shape."""
    shapes = shapes or list(SHAPES)
    t0, c0 = time.perf_counter(), cpu_seconds()
    tmp = tempfile.TemporaryDirectory(prefix="shapes-") if work is None else None
    root = Path(tmp.name) if tmp is not None else Path(work)
    try:
        variants, readback = write_variants(inputs, root / "variants", shapes)
        per_shape = {}
        for shape in shapes:
            s0 = time.perf_counter()
            per_shape[shape] = run_shape(shape, variants[shape], root, seed=seed, workers=workers)
            per_shape[shape]["seconds"] = time.perf_counter() - s0
            log.info("%s: %d mutants in %.0f s", shape, per_shape[shape]["n_mutants"], per_shape[shape]["seconds"])
    finally:
        if tmp is not None:
            tmp.cleanup()
    run = {"inputs": ", ".join(p.name for p in map(Path, inputs)), "seed": seed, "workers": workers,
           "seconds": time.perf_counter() - t0, "cpu_s": cpu_seconds() - c0, "load_average": os.getloadavg()[0],
           "documents": [Path(p).stem for p in variants[shapes[0]]], "read_back": readback}
    write_shapes_report(per_shape, run, out, faults=TABLE_FAULTS, reference=REFERENCE, tolerance=TOLERANCE)
    return {"run": run, "shapes": per_shape}
