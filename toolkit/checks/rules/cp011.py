"""CP011: a table title or heading names a year that is not the document's fiscal year."""

from __future__ import annotations

import json
import re
from typing import ClassVar

import polars as pl

from toolkit.checks.framework import EVALS, Check, CheckResult, get, hits_frame
from toolkit.checks.registry import register

# “2023年度部门决算”, “2023年收入决算表”, “2023年度项目支出绩效自评表”: a year naming the document's period
TITLE_YEAR = re.compile(r"(?<![\d比与较同和及自从至到])(20\d{2})\s*年\s*度?\s*[^\d，。；,;]{0,16}?(?:决算|预算|绩效自评|自评|绩效评价)")
MAX_TITLE_CHARS = 40  # a longer “heading” is the first clause of a sentence, not a title
MIN_BODY_YEARS = 3  # the text names its own period this often in one other year before the title is doubted
# words that make a year legitimately another one (a comparison, last year's execution, a plan)
OTHER_YEAR_OK = re.compile(r"上年|去年|以前|执行|对比|比较|调整|结转|至20|—20|-20|~20|规划|计划|通知|办法|意见|《")
DOC_WORDS = {"final_accounts": "决算", "budget": "预算", "dept_self_eval": "自评|评价", "project_self_eval": "自评|评价",
             "evaluation_report": "评价"}


@register
class StaleYearInTitle(Check):
    """A table title or section heading is dated to another year than the document's (a title carried over).

    What it does: for a document whose fiscal year Y and type are known, reads table titles and passage
    headings of the form “20xx年(度)…决算/预算/自评…” whose period word matches the document type; a year
    other than Y is a finding, unless the title compares years or names last year's execution (上年,
    执行, 对比, 调整, a range) or cites a policy document. CP004 reads running text; this reads titles.
    The document's own title is judged too (C-11d): when its text and 目录 name the document's period
    at least three times, always in one other year and never in the title's, the title is the stale one.

    Why it matters: a 2024 决算 whose 收入决算表 is titled “2023年度” was rebuilt from last year's file;
    its figures may be last year's too.

    Example: in a 2024 部门决算, the table title “2023年度收入决算表” → finding (expected 2024年).

    Known false positives: a heading quoting last year's report by name without a comparison word; a
    title whose year is right while every sentence of the text was carried over from last year (then
    the text is stale, and the finding still points at the contradiction).
    """

    code = "CP011"
    name = "stale-year-in-title"
    category = "copy_paste"
    detects = ("stale_year_text",)
    label: ClassVar[str] = "标题年度与文件年度不符"
    requires = ("frame:tables", "frame:passages")
    scope = "document"

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        docs = {d: (y, t) for d, y, t in get(frames, "documents").select("document_id", "fiscal_year", "doc_type").iter_rows()}
        t = get(frames, "tables").select("document_id", "table_id", "page", pl.col("title").alias("text"),
                                         pl.lit("表格标题").alias("what"))
        p = get(frames, "passages").filter(pl.col("role") != "toc").select(
            "document_id", pl.lit(None, dtype=pl.String).alias("table_id"), "page", pl.col("heading").alias("text"),
            pl.lit("标题").alias("what"))
        src = pl.concat([t, p]).filter(pl.col("text").is_not_null()).unique(["document_id", "text"], keep="first",
                                                                            maintain_order=True)
        hits, evals = [], []
        for r in src.iter_rows(named=True):
            year, dtype = docs.get(r["document_id"], (None, None))
            words = DOC_WORDS.get(dtype or "")
            if year is None or not words:
                continue
            text = r["text"]
            if len(text) > MAX_TITLE_CHARS or re.search(r"[，,。；;]", text):
                continue
            m = TITLE_YEAR.search(text)
            if not m or not re.search(words, m.group(0)) or OTHER_YEAR_OK.search(text):
                continue
            got = int(m.group(1))
            evals.append({"document_id": r["document_id"], "identity": "C-11",
                          "status": "passed" if got == year else "failed", "reason": None})
            if got == year:
                continue
            hits.append({
                "document_id": r["document_id"], "table_id": r["table_id"],
                "location": f"C-11|{r['table_id'] or ''}|{text[:40]}", "kind": "stale_year_text",
                "message": f"{year}年度文件的{r['what']}“{text[:60]}”写的是{got}年：标题沿用其他年度，表格或章节内容也可能未更新。",
                "evidence": json.dumps([{"table": r["table_id"], "page": r["page"], "raw_text": text}], ensure_ascii=False),
                "expected": f"{year}年", "actual": f"{got}年", "difference": f"{got - year}年", "rel_diff": 0.02,
                "severity": "medium",
            })
        for doc, (year, dtype) in docs.items():
            words = DOC_WORDS.get(dtype or "")
            if year is None or not words:
                continue
            hit = _stale_document_title(get(frames, "passages").filter(pl.col("document_id") == doc), year, words)
            if hit is None:
                continue
            evals.append({"document_id": doc, "identity": "C-11d", "status": "failed", "reason": None})
            hits.append({"document_id": doc, **hit})
        return CheckResult.of([hits_frame(hits)], [pl.DataFrame(evals, schema=EVALS)] if evals else [])


def _own_years(texts: list[str], words: str) -> list[tuple[int, str]]:
    """(year, clause) for every “20xx年(度)…预算/决算…” naming the document's own period in ``texts``;
    clauses that compare years, name execution or a range, or cite a policy are left out."""
    out = []
    for text in texts:
        for clause in re.split(r"[。；;，,\n]", text or ""):
            if OTHER_YEAR_OK.search(clause):
                continue
            out += [(int(m.group(1)), clause) for m in TITLE_YEAR.finditer(clause) if re.search(words, m.group(0))]
    return out


def _stale_document_title(passages: pl.DataFrame, year: int, words: str) -> dict | None:
    """The document's title (the first passage naming its fiscal year) is dated to another year than
    everything else it says about its own period: at least :data:`MIN_BODY_YEARS` mentions of one
    other year in its text and 目录, and not one of the title's year."""
    ordered = passages.sort("order")
    texts = ordered["text"].fill_null("").to_list()
    first = next((k for k, t in enumerate(texts) if f"{year}年" in t[:MAX_TITLE_CHARS]), None)
    if first is None:
        return None
    title = texts[first][:MAX_TITLE_CHARS].split("\n")[0]
    own = _own_years(texts[:first] + texts[first + 1:], words)
    others = {y for y, _ in own}
    if len(others) != 1 or year in others or len(own) < MIN_BODY_YEARS:
        return None
    body_year, clause = own[0]
    page = ordered["page"][first]
    return {
        "table_id": None, "location": f"C-11d||{title[:40]}", "kind": "stale_year_text",
        "message": f"文件标题“{title}”写的是{year}年，而正文和目录有{len(own)}处写本文件为{body_year}年（如“{clause[:30]}”）："
                   f"标题年度可能沿用了其他年度的文件，文件年度需核对。",
        "evidence": json.dumps([{"table": None, "page": page, "raw_text": title},
                                {"table": None, "page": None, "raw_text": clause[:60]}], ensure_ascii=False),
        "expected": f"{body_year}年", "actual": f"{year}年", "difference": f"{year - body_year}年", "rel_diff": 0.02,
        "severity": "medium",
    }
