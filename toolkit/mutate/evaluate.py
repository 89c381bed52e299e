"""Score findings on a mutant corpus against its labels.

Matching rule (also written into mutants.json as ``matching_rule``):

* Paths are normalised relative to the corpus directory (``toolkit.evaluate.normalise_path``).
* A finding on a mutant is **new** unless the same finding appears on the mutant's original
  (``original_document``): same ``finding_id``; or same check and the same message once the document's
  own path and id are blanked out of it; or, for a corpus-scope check (copies across bureaus and years,
  peers), same check and location so blanked. A mutant is another file, so its document id, its path
  and the table/passage numbers after a removed table differ from the original's, and a message that
  says word for word what the original's says is the original's finding, not the fault's; a
  corpus-scope finding depends on which other documents share the mutant's batch, which the harness
  varies by construction, so at the original's place it is the original's finding. Only new findings
  can credit a mutation.
* A label is **detected** when a new finding on its mutant has the label's category; it is
  **located** when such a finding also mentions one of the label's tokens (the injected number
  or word, in its message, evidence, expected/actual or location), and **same table** when its
  ``table_id`` is the label's.
* **Precision**, two ways, both over the new findings of medium or high severity on mutants:
  *by category* — those whose category is the mutant's label category; *by category or citation* —
  those, and the new findings of another category that **cite the injected value** (a token of the
  label with a digit in it when it has one, else any token; ``_cites``). A fault often breaks more than
  the relation it was aimed at: a text amount raised so that 支出 > 收入 also breaks the sentence's 占…%
  (a share check, another category than the label's); such a finding quotes the number the harness
  wrote and is the fault's own consequence, so counting it as false would charge the checks for the
  harness's choice of label. A finding of another category that does not quote the injected value is
  not credited, whatever it says.
* **Text-check precision on text faults**: the same two ratios restricted to the text checks
  (IT03x/IT07x) on the mutants of the faults that edit a stated number in the running text
  (``TEXT_FAULTS``).
* **False findings per original**: medium/high findings on the unmutated originals ÷ originals
  (re-rendered originals are counted apart), less those a reviewer read on the page and judged real
  errors of the document (``datasets/quality/verdicts/*.csv``, see ``toolkit.mutate.verdicts``):
  those are counted as *confirmed real*; findings judged ``false`` or not reviewed stay false.
  A new finding on a mutant that repeats a confirmed real error of its original is left out of
  precision (it is neither the fault's finding nor a false one).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

import polars as pl

from toolkit.evaluate import normalise_path
from toolkit.mutate.faults import FAULTS
from toolkit.mutate.spans import compact
from toolkit.mutate.verdicts import TEXT_CHECK_PREFIXES, Verdicts, load_verdicts

MATCHING_RULE = (
    "A label is detected when a finding of its category on the mutant is new (not on the original with the "
    "same finding_id, or the same check and message with the document's own path and id blanked out, or for "
    "a corpus-scope check the same check and location so blanked); located when that finding mentions an "
    "injected token; precision counts new medium/high findings, by category (the label's) and by category or "
    "citation (another category's finding that quotes the injected value is the fault's consequence); false "
    "findings count medium/high findings."
)
# faults that edit a number or word stated in the running text
TEXT_FAULTS = ("text_amount", "text_share", "text_completion", "text_growth", "text_change_amount",
               "direction_flipped", "unit_flipped_text", "parts_exceed_whole", "balance_broken",
               "comparison_flipped", "product_broken", "restatement_changed")
_TEXT_CHECKS = "^(" + "|".join(TEXT_CHECK_PREFIXES) + ")"
SERIOUS = ("medium", "high")


@cache
def _corpus_scope_checks() -> frozenset[str]:
    from toolkit.checks.registry import all_checks

    return frozenset(c.code for c in all_checks() if getattr(c, "scope", "document") == "corpus")


def _blank_own(text: str | None, r: dict) -> str:
    """``text`` with the finding's own document (its path, file name and id) blanked out."""
    out = text or ""
    for own in (r.get("document"), r.get("doc"), r.get("document_id")):
        if own:
            out = out.replace(str(own), "·")
            name = Path(str(own)).name
            out = out.replace(name, "·") if len(name) > 4 else out
    return out


def _keys(r: dict) -> set[tuple]:
    code = r["check_code"]
    keys = {("message", code, _blank_own(r.get("message"), r))}
    if code in _corpus_scope_checks():
        keys.add(("location", code, _blank_own(r.get("location"), r)))
    return keys


def _mentions(r: dict, tokens: list[str]) -> bool:
    text = compact(" ".join(str(r.get(c) or "") for c in ("message", "evidence", "expected", "actual", "location")))
    return any(compact(t) and compact(t) in text for t in tokens or [])


def _cites(r: dict, tokens: list[str]) -> bool:
    """Does the finding quote the injected value? Tokens with a digit are the value itself; a word token
    (增加, a table's title) counts only when the label has no number to quote."""
    numeric = [t for t in tokens or [] if any(ch.isdigit() for ch in t)]
    return _mentions(r, numeric or list(tokens or []))


def new_findings(findings: pl.DataFrame, mutant: str, original: str | None) -> list[dict]:
    on_mutant = findings.filter(pl.col("doc") == mutant).to_dicts()
    on_original = findings.filter(pl.col("doc") == original).to_dicts() if original else []
    ids = {r["finding_id"] for r in on_original}
    keys = set().union(*(_keys(r) for r in on_original)) if on_original else set()
    return [r for r in on_mutant if r["finding_id"] not in ids and not _keys(r) & keys]


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
    tally: Counter[str] = Counter()
    off_category = []
    for lab in labels.to_dicts():
        new = new_findings(findings, lab["document"], lab["original_document"])
        # a confirmed real error of the original carried onto its mutant is neither credit nor a false finding
        serious_new = [r for r in new if r["severity"] in SERIOUS
                       and verdicts.verdict(r, lab["original_document"]) != "real_error"]
        text_fault = lab["fault"] in TEXT_FAULTS
        for r in serious_new:
            on_label, cites = r["category"] == lab["category"], _cites(r, lab["tokens"])
            scopes = ["all"] + (["text"] if text_fault and re.match(_TEXT_CHECKS, r["check_code"]) else [])
            for scope in scopes:
                tally[f"{scope}_den"] += 1
                tally[f"{scope}_category"] += on_label
                tally[f"{scope}_citing"] += on_label or cites
            if not on_label:
                off_category.append({"document": lab["document"], "fault": lab["fault"], "edit_mode": lab["edit_mode"],
                                     "check_code": r["check_code"], "category": r["category"],
                                     "cites_injected": cites, "location": r.get("location"),
                                     "message": (r.get("message") or "")[:240]})
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
                 "precision_on_mutants": _rate(tally["all_category"], tally["all_den"]),
                 "precision_on_mutants_citing": _rate(tally["all_citing"], tally["all_den"]),
                 "new_serious_findings_on_mutants": tally["all_den"],
                 "text_precision_on_text_faults": _rate(tally["text_category"], tally["text_den"]),
                 "text_precision_on_text_faults_citing": _rate(tally["text_citing"], tally["text_den"]),
                 "new_serious_text_findings_on_text_faults": tally["text_den"],
                 "off_category": off_category}
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
