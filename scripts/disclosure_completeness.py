"""Disclosure completeness of a `screen` run: each 部门决算 / 部门（单位）预算 judged complete, or with the
required tables it lacks named, or not judged (and why), as DG001 sees it.

    python scripts/disclosure_completeness.py RUN_DIR

One line per document: ``file → complete | missing: … | not judged: …``; a summary count at the end.
"""

from __future__ import annotations

import sys

import polars as pl

from toolkit.checks.disclosure import DOC_TYPE_NAMES, required_for, table_name
from toolkit.checks.rules.dg001 import RequiredTableMissing
from toolkit.pipeline import load_frames


def completeness(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """document_id, path, doc_type, fiscal_year, verdict (complete / missing / not judged), detail."""
    evals = RequiredTableMissing().run(frames).evals
    docs = frames["documents"].select("document_id", "path", "doc_type", "fiscal_year")
    rows = []
    for d in docs.iter_rows(named=True):
        mine = evals.filter(pl.col("document_id") == d["document_id"])
        whole = mine.filter(pl.col("identity") == "DG-1")
        if not required_for(d["doc_type"], d["fiscal_year"]):
            continue  # not a 决算/预算: no required set
        if whole.height:
            rows.append({**d, "verdict": "not judged", "detail": whole["reason"][0]})
            continue
        failed = mine.filter(pl.col("status") == "failed")["identity"].str.replace("^DG-1:", "").to_list()
        skipped = mine.filter(pl.col("status") == "skipped")
        notes = [f"{table_name(i.replace('DG-1:', ''), d['doc_type'])}: {r}"
                 for i, r in zip(skipped["identity"], skipped["reason"], strict=True)]
        if failed:
            names = "、".join(table_name(t, d["doc_type"]) for t in failed)
            rows.append({**d, "verdict": "missing", "detail": names + ("; " + "; ".join(notes) if notes else "")})
        else:
            rows.append({**d, "verdict": "complete", "detail": "; ".join(notes)})
    schema = {"document_id": pl.String, "path": pl.String, "doc_type": pl.String, "fiscal_year": pl.Int32,
              "verdict": pl.String, "detail": pl.String}
    return pl.DataFrame(rows, schema=schema) if rows else pl.DataFrame(schema=schema)


def main(run_dir: str) -> None:
    table = completeness(load_frames(run_dir)).sort("verdict", "path")
    for r in table.iter_rows(named=True):
        kind = DOC_TYPE_NAMES.get(r["doc_type"], r["doc_type"])
        detail = f" ({r['detail']})" if r["detail"] else ""
        sys.stdout.write(f"{r['path']} [{kind} {r['fiscal_year']}] → {r['verdict']}{detail}\n")
    counts = table.group_by("verdict").len().sort("verdict")
    sys.stdout.write("; ".join(f"{v}: {n}" for v, n in counts.iter_rows()) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
