"""CP002: 实际完成情况 copied from 预期目标: the achieved text equals the goal, or achieved values are written as thresholds."""

from __future__ import annotations

import json
import re

import polars as pl

from toolkit.checks.copies import normalize_text, shorten
from toolkit.checks.framework import Check, CheckResult, get, hits_frame
from toolkit.checks.registry import register

THRESHOLD_WORDS = re.compile(r"^[≥≤><=]|不低于|不高于|不少于|不超过|以上$|以下$|以内$|之内$|^大于|^小于|》|《")


@register
class ActualCopiedFromTarget(Check):
    """实际完成情况 copied from 预期目标: the achieved text equals the goal, or achieved values are written as thresholds.

    What it does: per 自评表 (project): (a) compares the 年度总体目标 实际完成情况 with its 预期目标
    (whitespace and punctuation folded; identical or ≥ 90 % similar and ≥ 12 characters); (b) counts
    indicator rows whose 实际完成值 repeats the 年度指标值 *including its threshold* (≥, ≤, 不低于,
    以上…): an achieved value is a measurement, not a bound. Flags (a), or (b) on ≥ 2 rows that are at
    least half of the rows with a threshold target. Identical qualitative rows (收支平衡/收支平衡,
    长期/长期) do not count on their own.

    Why it matters: a self-evaluation whose “actual” column is the target column re-typed reports no
    result at all, yet scores full marks; it is the commonest sign that the evaluation was not done.

    Example: 年度指标值 “≥85%”, 实际完成值 “≥85%”; 预期目标 “提升医保经办服务能力…” = 实际完成情况.

    Known false positives: a target of exactly “100%” achieved is written the same on both sides
    (not counted: no threshold); a 实际完成值 copied as “≥95%” because the bureau only knows the bound.
    """

    code = "CP002"
    name = "actual-copied-from-target"
    category = "copy_paste"
    detects = ("actual_copied_from_target",)
    label = "实际完成情况照抄预期目标"
    requires = ("frame:indicators", "frame:passages")

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        from rapidfuzz import fuzz

        ind = get(frames, "indicators").filter(pl.col("row_kind") == "indicator")
        goals = get(frames, "passages").filter(pl.col("role").is_in(["goal_expected", "goal_actual"])).sort(
            "document_id", "order")
        per: dict[tuple, dict] = {}
        # (a) goal text pairs: each goal_actual with the goal_expected just before it (same project)
        last: dict[str, dict] = {}
        for r in goals.iter_rows(named=True):
            if r["role"] == "goal_expected":
                last[r["document_id"]] = r
                continue
            e = last.pop(r["document_id"], None)
            if e is None or (e["project"] or "") != (r["project"] or ""):
                continue
            a, b = normalize_text(e["text"]), normalize_text(r["text"])
            if len(a) < 12:
                continue
            sim = fuzz.ratio(a, b) / 100.0
            key = (r["document_id"], r["project"] or "")
            p = per.setdefault(key, {"goal": None, "rows": [], "n_thr": 0, "page": r["page"]})
            p["goal"] = (sim, e, r)
        # (b) indicator rows with threshold targets
        for r in ind.iter_rows(named=True):
            key = (r["document_id"], r["project"] or "")
            p = per.setdefault(key, {"goal": None, "rows": [], "n_thr": 0, "page": r["page"]})
            t, a = normalize_text(r["target_raw"]), normalize_text(r["actual_raw"])
            if not t or not THRESHOLD_WORDS.search(t):
                continue
            p["n_thr"] += 1
            if a and (a == t or a.replace("》", ">") == t.replace("》", ">")):
                p["rows"].append(r)
        hits, evals = [], []
        for (doc, project), p in per.items():
            goal_copied = p["goal"] is not None and p["goal"][0] >= 0.9
            rows_copied = len(p["rows"]) >= 2 and len(p["rows"]) >= 0.5 * p["n_thr"]
            failed = goal_copied or rows_copied
            evals.append({"document_id": doc, "identity": "C-2", "status": "failed" if failed else "passed",
                          "reason": None})
            if not failed:
                continue
            parts, ev = [], []
            if goal_copied:
                sim, e, a = p["goal"]
                parts.append(f"年度总体目标的实际完成情况“{shorten(a['text'])}”与预期目标“{shorten(e['text'])}”"
                             f"{'完全相同' if sim >= 0.999 else f'几乎相同（相似度{sim:.0%}）'}")
                ev += [{"passage_id": e["passage_id"], "page": e["page"], "role": "预期目标", "raw_text": e["text"]},
                       {"passage_id": a["passage_id"], "page": a["page"], "role": "实际完成情况", "raw_text": a["text"]}]
            if rows_copied:
                listed = "；".join(f"{r['level3']} {r['actual_raw']}" for r in p["rows"][:5])
                parts.append(f"{len(p['rows'])}/{p['n_thr']}个带门槛的指标，实际完成值照抄年度指标值（连“≥/≤”一起：{listed}）")
                ev += [{"table_id": r["table_id"], "page": r["page"], "row_label": r["level3"],
                        "col_label": "年度指标值/实际完成值", "raw_text": f"{r['target_raw']} / {r['actual_raw']}"}
                       for r in p["rows"][:8]]
            msg = (f"{'项目“' + project + '”' if project else '自评表'}：" + "；".join(parts)
                   + "。实际完成情况应写实际结果，照抄目标说明自评未真正开展。")
            hits.append({"document_id": doc, "table_id": p["rows"][0]["table_id"] if p["rows"] else None,
                         "location": f"C-2|{project}", "kind": "actual_copied_from_target", "message": msg,
                         "evidence": json.dumps(ev, ensure_ascii=False), "expected": "实际完成值与目标分别填写",
                         "actual": f"目标照抄{'（总体目标）' if goal_copied else ''}{len(p['rows'])}行",
                         "difference": f"{len(p['rows']) + int(goal_copied)}处",
                         "rel_diff": 0.1 if (goal_copied and rows_copied) else 0.03,
                         "severity": "high" if (goal_copied and rows_copied) else "medium"})
        return CheckResult.of([hits_frame(hits)], [pl.DataFrame(evals)] if evals else [])
