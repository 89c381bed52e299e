"""Write ``mutants.md`` (the tables) and ``mutants.json`` (everything) for a quality-loop run."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from toolkit.mutate.verdicts import TEXT_CHECK_PREFIXES


def _f(v: float | None) -> str:
    return "—" if v is None else f"{v:.2f}"


def render_markdown(metrics: dict) -> str:
    run = metrics.get("run", {})
    lines = [
        "# Detection on mutated real documents",
        "",
        "Each mutant is a real document with exactly one injected fault (`yibao-audit quality`).",
        "*real-layout*: edited in the source (text, zip part, PDF content stream); *re-rendered*: written",
        "again through `toolkit.render` because the edit could not be placed in the source.",
        "",
        f"- inputs: {run.get('inputs', '—')}",
        f"- documents: {run.get('documents', '—')} originals read, {metrics['n_mutants']} mutants "
        f"(`--per-doc {run.get('per_doc', '—')} --seed {run.get('seed', '—')}`)",
        f"- runtime: {run.get('seconds', 0):.0f} s wall on {run.get('workers', '—')} workers "
        f"(mutate {run.get('mutate_s', 0):.0f} s, screen {run.get('screen_s', 0):.0f} s); "
        f"{run.get('cpu_s', 0):.0f} CPU-seconds in all, so about {run.get('cpu_s', 0) / 2:.0f} s on 2 idle cores; "
        f"machine load average {run.get('load_average', 0):.1f} at the end",
        "",
        f"Matching rule: {metrics['matching_rule']}",
        "",
        "## Recall per fault kind",
        "",
        "| fault | kind | category | mutants | real-layout | re-rendered | detected | recall | recall (real) "
        "| located | checks fired |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in metrics["per_fault"]:
        checks = ", ".join(f"{k}×{v}" for k, v in list(r["checks_fired"].items())[:4]) or "—"
        lines.append(f"| {r['fault']} | {r['kind']} | {r['category']} | {r['mutants']} | {r['real_layout']} | "
                     f"{r['re_rendered']} | {r['detected']} | {_f(r['recall'])} | {_f(r['recall_real_layout'])} | "
                     f"{_f(r['located'])} | {checks} |")
    lines += ["", "## Mutants and recall per source format", "",
              "| source format | edit mode | mutants | detected | recall | located |", "|---|---|---:|---:|---:|---:|"]
    for r in metrics["per_format"]:
        lines.append(f"| {r['source_format']} | {r['edit_mode']} | {r['mutants']} | {r['detected']} | "
                     f"{_f(r['recall'])} | {r['located']} |")
    lines += ["", "## Recall per category", "", "| category | mutants | detected | recall |", "|---|---:|---:|---:|"]
    for r in metrics["per_category"]:
        lines.append(f"| {r['category']} | {r['mutants']} | {r['detected']} | {_f(r['recall'])} |")
    if metrics.get("table_faults_by_template"):
        lines += ["", "Table faults, templated (table type recognised) vs un-templated:", "",
                  "| templated | mutants | detected | recall |", "|---|---:|---:|---:|"]
        for r in metrics["table_faults_by_template"]:
            lines.append(f"| {r['templated']} | {r['mutants']} | {r['detected']} | {_f(r['recall'])} |")
    lines += ["", "## Precision and false findings", "",
              f"- precision of new medium/high findings on mutants (category of the mutant's label): "
              f"{_f(metrics['precision_on_mutants'])} over {metrics['new_serious_findings_on_mutants']} findings; "
              f"by category or citing the injected value: {_f(metrics.get('precision_on_mutants_citing'))}",
              f"  - text checks (IT03x/IT07x) on text-fault mutants: {_f(metrics.get('text_precision_on_text_faults'))} "
              f"by category, {_f(metrics.get('text_precision_on_text_faults_citing'))} by category or citation, over "
              f"{metrics.get('new_serious_text_findings_on_text_faults', 0)} findings",
              ]
    off = metrics.get("off_category") or []
    if off:
        lines.append("  - new medium/high findings of another category than the label's, by check (cites the "
                     "injected value / does not): " + ", ".join(
                         f"{c}×{sum(o['cites_injected'] for o in off if o['check_code'] == c)}/"
                         f"{sum(not o['cites_injected'] for o in off if o['check_code'] == c)}"
                         for c, _ in Counter(o["check_code"] for o in off).most_common()))
    verdicts = metrics.get("verdicts") or {}
    for mode, ff in metrics["false_findings"].items():
        if not ff["documents"]:
            continue
        text = ff.get("text") or {}
        lines += [
            f"- false findings (medium/high) per {mode} document, all checks: {_f(ff['per_document'])} "
            f"({ff.get('false_findings', ff['serious_findings'])} of {ff['serious_findings']} on {ff['documents']}); "
            "by format: " + ", ".join(f"{k} {_f(v)}" for k, v in ff["by_format"].items())
            + "; by check: " + (", ".join(f"{k}×{v}" for k, v in list(ff["by_check"].items())[:8]) or "—"),
            f"  - text checks ({'/'.join(p + 'x' for p in TEXT_CHECK_PREFIXES)}): {_f(text.get('per_document'))} per "
            f"document ({text.get('false_findings', 0)} false of {text.get('serious_findings', 0)})",
            f"  - confirmed real errors of the documents (reviewed verdicts): {ff.get('confirmed_real', 0)}"
            + (" (" + ", ".join(f"{k}×{v}" for k, v in ff.get("confirmed_by_check", {}).items()) + ")"
               if ff.get("confirmed_by_check") else "")
            + f"; judged false: {ff.get('reviewed_false', 0)}; unclear: {ff.get('unclear', 0)}; "
            f"unreviewed: {ff.get('unreviewed', 0)}",
        ]
    if verdicts:
        lines.append(f"- verdicts read: {verdicts.get('rows', 0)} rows from "
                     f"{', '.join(verdicts.get('files') or []) or 'no file'} (datasets/quality/verdicts)")
    lines.append("")
    return "\n".join(lines)


def write_report(metrics: dict, out_dir: Path) -> tuple[Path, Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    md, js = out_dir / "mutants.md", out_dir / "mutants.json"
    md.write_text(render_markdown(metrics), encoding="utf-8")
    js.write_text(json.dumps(metrics, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return md, js
