"""CP004: The text names an earlier year where the document's own year belongs (text carried over from an old report)."""

from __future__ import annotations

import json
import re

import polars as pl

from toolkit.checks.copies import shorten
from toolkit.checks.framework import Check, CheckResult, get, hits_frame
from toolkit.checks.registry import register

YEAR_MENTION = re.compile(r"(?<!\d)(20\d\d)\s*年")


BEFORE_OK = re.compile(r"(?:比|较|与|同|自|从|(?<![截])至|到|以来|及|和|、|—|－|-|~|～|对比|相比|较之|上年|去年)\s*$")


AFTER_OK = re.compile(r"^(?:度)?\s*(?:以来|起|至|到|—|－|-|~|～|相比|同期|比较|以前|之前|前|开始|启动|印发|出台|发布|制定|"
                      r"实施|已|决算数|预算数|年初|全年预算|批复|的)")

# The year before the document's own is normal in comparisons, so it is read only where it names the
# document's own subject and period: right after the unit's own name (“<单位>2023年度无政府性基金…”) or, in a
# budget, as the budget being compiled (“编制2016年部门预算”), in a sentence with no comparison and no other year.
OWN_SUBJECT = ("本部门", "本单位")
COMPILED_BUDGET = re.compile(r"^度?\s*(?:部门|单位)?\s*预算")
PREV_YEAR_OK = re.compile(r"上年|去年|往年|以前|以来|相比|比较|同比|对比|较|增长|增加|减少|下降|执行|调整|结转|决算")


@register
class StaleYearText(Check):
    """The text names an earlier year where the document's own year belongs (text carried over from an old report).

    What it does: in each passage of a document with a known fiscal year Y, finds mentions “20xx年”
    with 20xx ≤ Y − 2 that are not part of a comparison or a range (与/比/较/自/至…, …以来/起/至/相比,
    “…年度决算数”) nor inside a 《document title》. Such a year in a sentence about this year's figures
    means the sentence was copied from an old report and not updated. Y − 1 is common in prior-year
    comparisons, so it is flagged only where it names the document's own subject and period: right after
    the unit's own name or 本部门/本单位 (“<单位>2023年度无政府性基金…” in a 2024 决算), or in a budget as
    the budget being compiled (“编制2016年部门预算” in a 2017 预算), in a sentence with no comparison or
    change word (上年, 相比, 增加, 执行, 决算…) and no other year.

    Why it matters: an old year left in a 情况说明 shows that figures around it may be old too;
    readers cannot trust any number of that paragraph.

    Example: a 2023 决算 说明: “2021年度收入总计1633.52万元，支出总计1633.52万元。与上年相比…”;
    a 2024 决算: “中共上海市普陀区委社会工作部2023年度无政府性基金预算财政拨款收入和支出。”

    Known false positives: history given without a range word (“2021年成立医疗保障局”); project names
    carrying their start year.
    """

    code = "CP004"
    name = "stale-year-text"
    category = "copy_paste"
    detects = ("stale_year_text",)
    label = "文字沿用往年年份"
    requires = ("frame:passages",)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        docs = get(frames, "documents")
        years = {d: y for d, y in docs.select("document_id", "fiscal_year").iter_rows()}
        subjects = {d: _subjects(b) for d, b in docs.select("document_id", "bureau").iter_rows()}
        budgets = ({d for d, t in docs.select("document_id", "doc_type").iter_rows() if t == "budget"}
                   if "doc_type" in docs.columns else set())
        p = get(frames, "passages").filter(~pl.col("role").is_in(["glossary"]))
        hits, evals = [], []
        history = re.compile(r"成立|组建|挂牌|设立|改革以来|历年|累计|十[三四五]五|规划|计划|方案|办法|通知|意见")
        for r in p.iter_rows(named=True):
            y = years.get(r["document_id"])
            text = r["text"] or ""
            if y is None or not text:
                continue
            for m in YEAR_MENTION.finditer(text):
                yr = int(m.group(1))
                if yr >= y or yr < y - 15:
                    continue
                before, after = text[max(0, m.start() - 6): m.start()], text[m.end(): m.end() + 6]
                s0 = max(text.rfind(c, 0, m.start()) for c in "。；;\n") + 1
                s1 = min([i for i in (text.find(c, m.end()) for c in "。；;\n") if i >= 0] or [len(text)])
                sentence = text[s0:s1]
                if BEFORE_OK.search(before) or AFTER_OK.search(after) or history.search(sentence):
                    continue
                if yr == y - 1 and not _names_own_period(text, m, sentence, subjects.get(r["document_id"], ()),
                                                         r["document_id"] in budgets):
                    continue
                if text.count("《", 0, m.start()) > text.count("》", 0, m.start()):
                    continue  # inside a document title
                evals.append({"document_id": r["document_id"], "identity": "C-4", "status": "failed", "reason": None})
                msg = (f"{y}年度文件中“{shorten(sentence, 80)}”写的是“{m.group(0)}”，比文件年度早{y - yr}年，且不是与往年比较："
                       f"疑为沿用旧年度文本未更新，相关数字也可能是旧数。")
                hits.append({"document_id": r["document_id"], "location": f"C-4|{r['passage_id']}|{m.start()}",
                             "kind": "stale_year_text", "message": msg,
                             "evidence": json.dumps([{"passage_id": r["passage_id"], "page": r["page"],
                                                      "raw_text": m.group(0), "sentence": sentence,
                                                      "span": [m.start(), m.end()]}], ensure_ascii=False),
                             "expected": f"{y}年", "actual": m.group(0), "difference": f"{yr - y}年",
                             "rel_diff": 0.02, "severity": "medium"})
        return CheckResult.of([hits_frame(hits)], [pl.DataFrame(evals)] if evals else [])


def _subjects(bureau: str | None) -> tuple[str, ...]:
    own = re.sub(r"\s+", "", bureau or "")
    return (*OWN_SUBJECT, own) if len(own) >= 4 else OWN_SUBJECT


def _names_own_period(text: str, m: re.Match, sentence: str, subjects: tuple[str, ...], is_budget: bool) -> bool:
    """The previous year's mention stands where the document's own period belongs (see OWN_SUBJECT)."""
    if PREV_YEAR_OK.search(sentence) or len(YEAR_MENTION.findall(sentence)) > 1:
        return False
    head = re.sub(r"\s+", "", text[max(0, m.start() - 40): m.start()])
    if head.endswith(subjects):
        return True
    return is_budget and head.endswith("编制") and bool(COMPILED_BUDGET.search(text[m.end(): m.end() + 8]))
