"""Write ``text-shapes.md`` and ``text-shapes.json``: recall of table faults per document shape."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl


def _f(v: float | None) -> str:
    return "—" if v is None else f"{v:.2f}"


def _cell(sub: pl.DataFrame) -> str:
    if sub.is_empty():
        return "—"
    d = int(sub["detected"].sum())
    return f"{d}/{sub.height} ({d / sub.height:.2f})"


def _recall(sub: pl.DataFrame) -> float | None:
    return None if sub.is_empty() else float(sub["detected"].sum()) / sub.height


def recall_table(per_shape: dict[str, dict], faults: list[str]) -> pl.DataFrame:
    """One row per (shape, fault): mutants, detected, recall, checks fired."""
    rows = []
    for shape, m in per_shape.items():
        for r in m["mutants"]:
            if r["fault"] in faults:
                rows.append({"shape": shape, "fault": r["fault"], "document": r["document"],
                             "edit_mode": r["edit_mode"], "detected": r["detected"], "checks": r["checks"]})
    schema = {"shape": pl.String, "fault": pl.String, "document": pl.String, "edit_mode": pl.String,
              "detected": pl.Boolean, "checks": pl.List(pl.String)}
    return pl.DataFrame(rows, schema=schema)


def mutant_key(document: str) -> str:
    """``mutants/012_014_doc__fault.txt`` -> ``014_doc__fault``: the harness numbers each shape's corpus
    on its own, the variant's own index and stem are the same in every shape."""
    return re.sub(r"^\d{3}_", "", Path(document).stem)


def summarise(table: pl.DataFrame, shapes: list[str], reference: str) -> list[dict]:
    """Per shape: recall over its own mutants and over the (document, fault) pairs it shares with the
    reference shape (same document, same fault injected in both), and the gap to the reference."""
    keyed = table.with_columns(pl.col("document").map_elements(mutant_key, return_dtype=pl.String).alias("key"))
    ref = keyed.filter(pl.col("shape") == reference).select("key", pl.col("detected").alias("ref_detected"))
    out = []
    for shape in shapes:
        own = keyed.filter(pl.col("shape") == shape)
        paired = own.join(ref, on="key", how="inner")
        r_shape = _recall(paired)
        r_ref = None if paired.is_empty() else float(paired["ref_detected"].sum()) / paired.height
        missing = ref.join(own.select("key"), on="key", how="anti")
        # over every reference mutant: one this shape could not make counts as missed
        r_all = None if ref.is_empty() else float(paired["detected"].sum()) / ref.height
        r_ref_all = None if ref.is_empty() else float(ref["ref_detected"].sum()) / ref.height
        # a re-rendered mutant is the fault written as TAB text: it says nothing of how this shape reads
        in_layout = paired.filter(pl.col("edit_mode") != "re-rendered")
        r_layout = None if ref.is_empty() else float(in_layout["detected"].sum()) / ref.height
        out.append({"shape": shape, "reference_only": missing.height, "mutants": own.height, "detected": int(own["detected"].sum()) if own.height else 0,
                    "recall": _recall(own), "re_rendered": int((own["edit_mode"] == "re-rendered").sum()),
                    "paired": paired.height, "paired_recall": r_shape, "paired_reference_recall": r_ref,
                    "gap": None if r_shape is None or r_ref is None else r_shape - r_ref,
                    "reference_mutants": ref.height, "recall_over_reference": r_all,
                    "detected_over_reference": int(paired["detected"].sum()) if paired.height else 0,
                    "reference_recall": r_ref_all,
                    "gap_over_reference": None if r_all is None or r_ref_all is None else r_all - r_ref_all,
                    "detected_in_layout_over_reference": int(in_layout["detected"].sum()) if in_layout.height else 0,
                    "recall_in_layout_over_reference": r_layout,
                    "gap_in_layout_over_reference": None if r_layout is None or r_ref_all is None else r_layout - r_ref_all,
                    "missed_where_reference_found": sorted(
                        paired.filter(pl.col("ref_detected") & ~pl.col("detected"))["key"].to_list())})
    return out


def render(table: pl.DataFrame, summary: list[dict], run: dict, faults: list[str], reference: str,
           tolerance: float) -> str:
    shapes = [s["shape"] for s in summary]
    lines = [
        "# Table faults in text-shaped documents",
        "",
        "The same real documents written once per shape through `toolkit.render`: DOCX with Word tables, and",
        "TXT with every table printed as TAB rows (`tsv`), pipe/Markdown rows (`pipe`), space-aligned columns",
        "(`aligned`), one cell per line (`cells`) or the whole table on one line (`oneline`). Each shape is its",
        "own corpus: `yibao-audit quality --shapes` injects every table fault that applies into every document,",
        "in place in that shape's own file, screens originals and mutants, and scores recall with the mutation",
        "harness's matching rule (a new finding of the label's category on the mutant).",
        "",
        f"- documents (the inputs that hold a table): {', '.join(run['documents'])}",
        f"- inputs: {run['inputs']}; seed {run['seed']}",
        f"- runtime: {run['seconds']:.0f} s wall on {run['workers']} workers, {run['cpu_s']:.0f} CPU-seconds; "
        f"load average {run['load_average']:.1f} at the end",
        "",
        "## Recall per fault and shape (detected/mutants)",
        "",
        "| fault | " + " | ".join(shapes) + " |",
        "|---|" + "---:|" * len(shapes),
    ]
    for fault in faults:
        sub = table.filter(pl.col("fault") == fault)
        if sub.is_empty():
            continue
        lines.append(f"| {fault} | " + " | ".join(_cell(sub.filter(pl.col("shape") == s)) for s in shapes) + " |")
    lines.append("| **all table faults** | " + " | ".join(
        _cell(table.filter(pl.col("shape") == s)) for s in shapes) + " |")
    lines += [
        "",
        f"## Each shape against {reference.upper()}",
        "",
        f"*paired*: the (document, fault) mutants made in both this shape and {reference.upper()}; *gap*: paired",
        f"recall minus {reference.upper()}'s recall on the same pairs; within ±{tolerance:.2f} is the target.",
        "*re-rendered*: mutants the editor could not place in the shape's file (written again as TAB text).",
        "",
        f"*{reference} only*: {reference.upper()} mutants this shape could not make at all (no candidate: the table",
        "is not read as that table, so there is nothing to edit and nothing to check).",
        f"*over all {reference}*: recall over every {reference.upper()} mutant, one the shape could not make counted as",
        f"missed, and its gap to {reference.upper()}'s own recall: what an auditor holding the text instead of the",
        f"{reference.upper()} file loses. The paired gap says how well the faults that can be made are found.",
        "*in its own layout*: the same, a re-rendered mutant counted as not made either (it is the fault in TAB",
        "text, so it says nothing of how this shape reads): the strictest of the three.",
        "",
        "| shape | mutants | re-rendered | recall | paired | paired recall | "
        f"{reference} on the pairs | gap | within {tolerance:.2f} | {reference} only | over all {reference} | "
        f"gap over all {reference} | within {tolerance:.2f} | in its own layout | gap | within {tolerance:.2f} |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---|---:|---:|---|",
    ]

    def within(gap: float | None) -> str:
        return "—" if gap is None else ("yes" if gap >= -tolerance else "no")

    def signed(gap: float | None) -> str:
        return "—" if gap is None else f"{gap:+.2f}"

    for s in summary:
        over_all = (f"{s['detected_over_reference']}/{s['reference_mutants']} ({_f(s['recall_over_reference'])})"
                    if s["reference_mutants"] else "—")
        in_layout = (f"{s['detected_in_layout_over_reference']}/{s['reference_mutants']} "
                     f"({_f(s['recall_in_layout_over_reference'])})" if s["reference_mutants"] else "—")
        lines.append(f"| {s['shape']} | {s['mutants']} | {s['re_rendered']} | {_f(s['recall'])} | {s['paired']} | "
                     f"{_f(s['paired_recall'])} | {_f(s['paired_reference_recall'])} | {signed(s['gap'])} | "
                     f"{within(s['gap'])} | {s['reference_only']} | {over_all} | {signed(s['gap_over_reference'])} | "
                     f"{within(s['gap_over_reference'])} | {in_layout} | {signed(s['gap_in_layout_over_reference'])} | "
                     f"{within(s['gap_in_layout_over_reference'])} |")
    rb = run.get("read_back", {})
    lines += ["", "## Tables read back from each shape (before any fault)", "",
              "| shape | tables written | tables read | read with the same cells |", "|---|---:|---:|---:|"]
    lines += [f"| {k} | {v['tables']} | {v['read']} | {v['same']} |" for k, v in rb.items()]
    misses = [(s["shape"], k) for s in summary for k in s["missed_where_reference_found"]]
    lines += ["", f"## Mutants {reference.upper()} detects and a text shape misses", ""]
    lines += [f"- {shape}: `{k}`" for shape, k in misses] or ["- none"]
    return "\n".join(lines) + "\n"


def write_shapes_report(per_shape: dict[str, dict], run: dict, out: Path, *, faults: list[str], reference: str,
                        tolerance: float) -> Path:
    table = recall_table(per_shape, faults)
    summary = summarise(table, list(per_shape), reference)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    md = out / "text-shapes.md"
    md.write_text(render(table, summary, run, faults, reference, tolerance), encoding="utf-8")
    data = {"run": run, "summary": summary, "mutants": table.to_dicts()}
    (out / "text-shapes.json").write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return md
