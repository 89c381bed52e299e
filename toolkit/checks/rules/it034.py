"""IT034: The same named item is stated with different amounts in one document."""

from __future__ import annotations

import json
import re

import polars as pl

from toolkit.checks.framework import Check, CheckResult, conform_hits, get
from toolkit.checks.registry import register
from toolkit.checks.text_amounts import fact_evidence, shorten, text_facts
from toolkit.checks.tolerance import fmt_number

# words earlier in the sentence that change what a repeated label means: “财政拨款收入总计X，支出总计X”
# is the 04 表's 支出总计, not the 01 表's; “上年…支出总计” is last year's
_SCOPE_WORDS = re.compile(r"财政拨款|一般公共预算|政府性基金|国有资本|基本支出|项目支出|三公|机关运行|上年|去年|预算")


def _scope(heading: str | None, sentence: str | None, raw: str | None) -> str:
    """Scope words of the passage heading and of the sentence before the figure."""
    sentence = sentence or ""
    at = sentence.find(raw) if raw else -1
    prefix = sentence if at < 0 else sentence[:at]
    return "|".join(sorted(set(_SCOPE_WORDS.findall(f"{heading or ''} {prefix}"))))


@register
class TextSameItemDifferentAmounts(Check):
    """The same named item is stated with different amounts in one document.

    What it does: groups the document's amount/rate facts by metric, subject words (as printed) and
    period, and flags a group whose values do not all overlap within rounding.

    Why it matters: two different figures for the same thing in one report (e.g. 资金使用率 41.76 %
    in one section and 41.96 % in another) mean at least one was not updated.

    Example: “项目资金使用率41.76%” and later “项目资金使用率仅41.96%”.

    Statements are compared only when their passage headings and the words earlier in their sentences
    agree on the scope (财政拨款 / 一般公共预算 / 基本支出 / 上年 …): “财政拨款收入总计X，支出总计X” is
    the 04 表's 支出总计 and “决算收入总计Y，支出总计Y” the 01 表's; “基本支出X” under 一般公共预算财政拨款
    基本支出决算情况说明 is not the 03 表's 基本支出.

    Known false positives: the same words used for two sub-units or two periods the extractor did not
    separate.
    """

    code = "IT034"
    version = "2"
    name = "text-same-item-different-amounts"
    detects = ("text_table_mismatch",)
    label = "同一事项金额前后不一致"
    requires = ("frame:facts", "frame:passages")

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        f = text_facts(frames).filter(pl.col("qualifier").is_in(["amount", "rate"]) & pl.col("subject").is_not_null()
                                  & pl.col("metric").is_not_null())
        heads = get(frames, "passages").select("passage_id", "heading").unique("passage_id")
        f = f.join(heads, on="passage_id", how="left").with_columns(
            subj=pl.col("subject").str.replace_all(r"\s+", ""), per=pl.col("period").fill_null(""),
            scope=pl.struct("heading", "sentence", "raw_text").map_elements(
                lambda r: _scope(r["heading"], r["sentence"], r["raw_text"]), return_dtype=pl.String))
        keys = ["document_id", "metric", "subj", "per", "scope", "qualifier"]
        g = f.group_by(keys).agg(
            pl.col("lo").max().alias("max_lo"), pl.col("hi").min().alias("min_hi"), pl.len().alias("n"),
            pl.col("b").min().alias("bmin"), pl.col("b").max().alias("bmax"))
        # a typo-like disagreement (≤ 5 %) between two statements in different passages; larger gaps
        # are usually different sub-items described with the same words
        g = g.with_columns(n_vals=pl.col("n"))
        pas = f.group_by(keys).agg(pl.col("passage_id").n_unique().alias("n_pas"), pl.col("value").n_unique().alias("n_val"))
        g = g.join(pas, on=keys).filter(
            (pl.col("n") > 1) & (pl.col("n_val") == 2) & (pl.col("n_pas") >= 2) & (pl.col("subj").str.len_chars() >= 4)
            & ((pl.col("bmax") - pl.col("bmin")) <= 0.05 * pl.col("bmax").abs()))
        evals = g.select("document_id", pl.lit("N-5").alias("identity"),
                         pl.when(pl.col("max_lo") > pl.col("min_hi") + 1e-9).then(pl.lit("failed")).otherwise(
                             pl.lit("passed")).alias("status"), pl.lit(None, dtype=pl.String).alias("reason"))
        bad = g.filter(pl.col("max_lo") > pl.col("min_hi") + 1e-9)
        if bad.height == 0:
            return CheckResult.of([], [evals])
        rows = []
        members = f.join(bad.select(keys), on=keys).sort("span_start")
        by: dict[tuple, list[dict]] = {}
        for r in members.iter_rows(named=True):
            by.setdefault(tuple(r[k] for k in keys), []).append(r)
        for key, rs in by.items():
            vals = list(dict.fromkeys(r["raw_text"] for r in rs))
            bmin, bmax = min(r["b"] for r in rs), max(r["b"] for r in rs)
            rows.append({
                "document_id": key[0], "location": f"N-5|{key[1]}|{key[2]}|{key[3]}", "kind": "text_table_mismatch",
                "message": f"同一文件中“{rs[0]['subject']}”先后写作 {'、'.join(vals)}，数值不一致。"
                           + "".join(f"（{shorten(r['sentence'], 50)}）" for r in rs[:3]),
                "evidence": json.dumps([fact_evidence(r) for r in rs], ensure_ascii=False),
                "expected": rs[0]["raw_text"], "actual": rs[-1]["raw_text"],
                "difference": fmt_number((rs[-1]["b"] - rs[0]["b"]) / (rs[0]["scale"] or 1.0), rs[0]["decimals"] or 0),
                "rel_diff": (bmax - bmin) / max(abs(bmax), abs(bmin), 1e-9), "is_total": False, "severity": "low",
            })
        return CheckResult.of([conform_hits(pl.DataFrame(rows, infer_schema_length=None))], [evals])
