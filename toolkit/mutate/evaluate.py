"""Score findings on a mutant corpus against its labels.

Matching rule (also written into mutants.json as ``matching_rule``):

* Paths are normalised relative to the corpus directory (``toolkit.evaluate.normalise_path``).
* A finding on a mutant is **new** unless the same finding appears on the mutant's original
  (``original_document``): same ``finding_id``, or same check, location and message. Only new
  findings can credit a mutation.
* A label is **detected** when a new finding on its mutant has the label's category; it is
  **located** when such a finding also mentions one of the label's tokens (the injected number
  or word, in its message, evidence, expected/actual or location), and **same table** when its
  ``table_id`` is the label's.
* **Precision**: new findings of medium or high severity on mutants whose category is the
  mutant's label category ÷ all new medium/high findings on mutants.
* **False findings per original**: medium/high findings on the unmutated originals ÷ originals
  (re-rendered originals are counted apart), less those a reviewer read on the page and judged real
  errors of the document (``datasets/quality/verdicts/*.csv``, see ``toolkit.mutate.verdicts``):
  those are counted as *confirmed real*; findings judged ``false`` or not reviewed stay false.
  A new finding on a mutant that repeats a confirmed real error of its original is left out of
  precision (it is neither the fault's finding nor a false one).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import polars as pl

from toolkit.evaluate import normalise_path
from toolkit.mutate.faults import FAULTS
from toolkit.mutate.spans import compact
from toolkit.mutate.verdicts import TEXT_CHECK_PREFIXES, Verdicts, load_verdicts

MATCHING_RULE = (
    "A label is detected when a finding of its category on the mutant is new (not on the original with the "
    "same finding_id or the same check+location+message); located when that finding mentions an injected "
    "token; precision and false findings count medium/high findings."
)
SERIOUS = ("medium", "high")


def _key(r: dict) -> tuple:
    return (r["check_code"], r.get("location") or "", r.get("message") or "")


def _mentions(r: dict, tokens: list[str]) -> bool:
    text = compact(" ".join(str(r.get(c) or "") for c in ("message", "evidence", "expected", "actual", "location")))
    return any(compact(t) and compact(t) in text for t in tokens or [])


def new_findings(findings: pl.DataFrame, mutant: str, original: str | None) -> list[dict]:
    on_mutant = findings.filter(pl.col("doc") == mutant).to_dicts()
    on_original = findings.filter(pl.col("doc") == original).to_dicts() if original else []
    ids = {r["finding_id"] for r in on_original}
    keys = {_key(r) for r in on_original}
    return [r for r in on_mutant if r["finding_id"] not in ids and _key(r) not in keys]


def _rate(num: int, den: int) -> float | None:
    return num / den if den else None


def compute(labels: pl.DataFrame, truth: pl.DataFrame, findings: pl.DataFrame, corpus_dir: Path,
            verdicts: Verdicts | None = None) -> dict:
    """Score ``findings`` against ``labels``; ``verdicts`` defaults to the reviewed verdicts shipped in
    ``datasets/quality/verdicts`` (pass ``Verdicts.empty()`` to count every finding on an original as false)."""
    verdicts = load_verdicts() if verdicts is None else verdicts
    findings = findings.with_columns(
        pl.col("document").map_elements(lambda d: normalise_path(d, corpus_dir), return_dtype=pl.String).alias("doc"))
    rows = []
    precision_num = precision_den = 0
    for lab in labels.to_dicts():
        new = new_findings(findings, lab["document"], lab["original_document"])
        # a confirmed real error of the original carried onto its mutant is neither credit nor a false finding
        serious_new = [r for r in new if r["severity"] in SERIOUS
                       and verdicts.verdict(r, lab["original_document"]) != "real_error"]
        precision_den += len(serious_new)
        precision_num += sum(r["category"] == lab["category"] for r in serious_new)
        hits = [r for r in new if r["category"] == lab["category"]]
        rows.append({
            "document": lab["document"], "fault": lab["fault"], "kind": lab["kind"], "category": lab["category"],
            "source_format": lab["source_format"], "edit_mode": lab["edit_mode"], "templated": lab["templated"],
            "detected": bool(hits), "located": any(_mentions(r, lab["tokens"]) for r in hits),
            "same_table": any(lab["table_id"] and r.get("table_id") == lab["table_id"] for r in hits),
            "checks": sorted({r["check_code"] for r in hits}),
            "new_findings": len(new), "new_serious_off_category": sum(r["category"] != lab["category"] for r in serious_new),
        })
    per = pl.DataFrame(rows) if rows else pl.DataFrame(schema={"fault": pl.String})
    out: dict = {"matching_rule": MATCHING_RULE, "n_mutants": labels.height,
                 "precision_on_mutants": _rate(precision_num, precision_den),
                 "new_serious_findings_on_mutants": precision_den}
    out["per_fault"] = _per_fault(per, labels)
    out["per_format"] = _per_group(per, ["source_format", "edit_mode"])
    out["per_category"] = _per_group(per, ["category"])
    out["table_faults_by_template"] = _per_group(per.filter(pl.col("templated").is_not_null()), ["templated"]) if rows else []
    out["false_findings"] = _false_findings(findings, truth, verdicts)
    out["verdicts"] = {"files": verdicts.files, "rows": verdicts.rows}
    out["mutants"] = rows
    return out


def _per_fault(per: pl.DataFrame, labels: pl.DataFrame) -> list[dict]:
    out = []
    for name, fault in FAULTS.items():
        sub = per.filter(pl.col("fault") == name) if per.height else per
        n = sub.height
        checks: Counter[str] = Counter(c for cs in (sub["checks"].to_list() if n else []) for c in cs)
        real = sub.filter(pl.col("edit_mode") == "real-layout") if n else sub
        out.append({
            "fault": name, "kind": fault.kind, "category": fault.category, "mutants": n,
            "real_layout": real.height, "re_rendered": n - real.height,
            "detected": int(sub["detected"].sum()) if n else 0,
            "recall": _rate(int(sub["detected"].sum()), n) if n else None,
            "recall_real_layout": _rate(int(real["detected"].sum()), real.height) if real.height else None,
            "located": _rate(int(sub["located"].sum()), int(sub["detected"].sum())) if n and sub["detected"].sum() else None,
            "checks_fired": dict(checks.most_common()),
            "formats": dict(Counter(sub["source_format"].to_list())) if n else {},
        })
    return out


def _per_group(per: pl.DataFrame, keys: list[str]) -> list[dict]:
    if per.is_empty():
        return []
    g = per.group_by(keys).agg(pl.len().alias("mutants"), pl.col("detected").sum().alias("detected"),
                               pl.col("located").sum().alias("located")).sort(keys)
    return [{**r, "recall": _rate(r["detected"], r["mutants"])} for r in g.to_dicts()]


def _false_findings(findings: pl.DataFrame, truth: pl.DataFrame, verdicts: Verdicts) -> dict:
    out = {}
    for mode in ("original", "re-rendered"):
        docs = truth.filter(pl.col("clean") & (pl.col("edit_mode") == mode))["document"].to_list()
        serious = findings.filter(pl.col("doc").is_in(docs) & pl.col("severity").is_in(list(SERIOUS)))
        judged = serious.with_columns(pl.Series("verdict", [verdicts.verdict(r, r["doc"]) for r in serious.to_dicts()],
                                                dtype=pl.String))
        false = judged.filter(pl.col("verdict").is_null() | (pl.col("verdict") != "real_error"))
        text = judged.filter(pl.col("check_code").str.contains("^(" + "|".join(TEXT_CHECK_PREFIXES) + ")"))
        text_false = text.filter(pl.col("verdict").is_null() | (pl.col("verdict") != "real_error"))
        out[mode] = {
            "documents": len(docs), "serious_findings": serious.height, "false_findings": false.height,
            "per_document": _rate(false.height, len(docs)),
            "confirmed_real": int((judged["verdict"] == "real_error").sum()),
            "reviewed_false": int((judged["verdict"] == "false").sum()),
            "unclear": int((judged["verdict"] == "unclear").sum()),
            "unreviewed": int(judged["verdict"].is_null().sum()),
            "text": {"serious_findings": text.height, "false_findings": text_false.height,
                     "per_document": _rate(text_false.height, len(docs)),
                     "confirmed_real": int((text["verdict"] == "real_error").sum()),
                     "unreviewed": int(text["verdict"].is_null().sum())},
            "by_category": dict(Counter(false["category"].to_list())),
            "by_check": dict(Counter(false["check_code"].to_list()).most_common()),
            "confirmed_by_check": dict(Counter(judged.filter(pl.col("verdict") == "real_error")["check_code"]
                                               .to_list()).most_common()),
            "by_format": {fmt: _rate(false.filter(pl.col("doc").is_in(sub)).height, len(sub))
                          for fmt, sub in _docs_by_format(truth, docs).items()},
        }
    return out


def _docs_by_format(truth: pl.DataFrame, docs: list[str]) -> dict[str, list[str]]:
    sub = truth.filter(pl.col("document").is_in(docs))
    return {fmt: grp["document"].to_list() for (fmt,), grp in sub.group_by(["format"], maintain_order=True)}
