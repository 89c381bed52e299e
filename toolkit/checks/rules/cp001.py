"""CP001: Two different projects of one bureau-year print the same specific indicator targets (指标 and 年度指标值 copied)."""

from __future__ import annotations

import json
import re
from itertools import combinations
from typing import ClassVar

import polars as pl

from toolkit.checks.copies import YEARS_AND_DATES, normalize_text, unit_key
from toolkit.checks.framework import Check, CheckResult, get, hits_frame
from toolkit.checks.registry import register


def _significant_digits(num: str) -> int:
    d = num.replace(".", "").lstrip("0").rstrip("0")
    return len(d)


def distinctive(text: str | None) -> bool:
    """A target that names a specific, non-round figure (≥16129, ≤179.83万元): unlikely to recur by chance."""
    t = YEARS_AND_DATES.sub("", text or "")
    money = bool(re.search(r"万?元", t))
    for num in re.findall(r"\d+(?:\.\d+)?", t):
        sd = _significant_digits(num)
        if sd >= 4 or (money and sd >= 3):
            return True
    return False


@register
class TargetsCopiedAcrossProjects(Check):
    """Two different projects of one bureau-year print the same specific indicator targets (指标 and 年度指标值 copied).

    What it does: for every pair of 项目支出绩效自评表 of different projects of the same bureau and
    year (in one or several documents), counts the indicator rows whose 三级指标 and 年度指标值 are
    identical and whose target names a specific non-round figure (≥16129, ≤179.83万元; years, dates
    and round values such as ≥95% do not count). The later table of the pair is flagged when ≥ 2 such
    rows coincide, or 1 does and ≥ 60 % of all its indicator rows are identical to the other table.

    Why it matters: a project's 数量/成本 targets come from its own budget and workload; the same
    figures under another project mean the targets were pasted, not set, so the self-evaluation
    scores nothing.

    Example: 《打击欺诈骗保专项工作经费》 prints “经办业务办理量 ≥16129” and “项目成本控制 ≤179.83万元”,
    exactly as 《医疗保障经办服务工作经费》 above it.

    Known false positives: two tables of one project split across pages with different project names;
    a bureau-wide cost ceiling legitimately shared by sub-projects.
    """

    code = "CP001"
    name = "targets-copied-across-projects"
    category = "copy_paste"
    detects = ("target_copied_across_projects",)
    label = "不同项目绩效指标照抄"
    requires = ("frame:indicators",)
    scope: ClassVar[str] = "corpus"

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        docs = get(frames, "documents")
        ind = get(frames, "indicators").filter((pl.col("row_kind") == "indicator") & pl.col("level3").is_not_null()
                                               & pl.col("target_raw").is_not_null())
        if ind.height == 0:
            return CheckResult.of([], [])
        titles = get(frames, "tables").select("document_id", "table_id", "table_type", pl.col("project").alias("tp"))
        ind = ind.join(titles, on=["document_id", "table_id"], how="left").filter(
            pl.col("table_type").fill_null("project_self_eval") == "project_self_eval")
        ind = ind.with_columns(project=pl.coalesce("project", "tp")).join(
            docs.select("document_id", unit_key(docs).alias("unit"), "fiscal_year"), on="document_id", how="left")
        tables: dict[tuple, dict] = {}
        for r in ind.sort("document_id", "table_id", "row").iter_rows(named=True):
            key = (r["document_id"], r["table_id"])
            t = tables.setdefault(key, {"doc": r["document_id"], "table": r["table_id"], "project": r["project"],
                                        "group": (r["unit"], r["fiscal_year"]), "rows": {}, "page": r["page"]})
            t["rows"][(normalize_text(r["level3"]), normalize_text(r["target_raw"]))] = (r["level3"], r["target_raw"], r["row"])
        by_group: dict[tuple, list[dict]] = {}
        for t in tables.values():
            by_group.setdefault(t["group"], []).append(t)
        hits, evals = [], []
        for group in by_group.values():
            for a, b in combinations(group, 2):
                if normalize_text(a["project"]) == normalize_text(b["project"]) and a["project"]:
                    continue  # the same project printed twice is not a copy between projects
                shared = set(a["rows"]) & set(b["rows"])
                special = [k for k in shared if distinctive(b["rows"][k][1])]
                frac = len(shared) / max(1, min(len(a["rows"]), len(b["rows"])))
                failed = len(special) >= 2 or (len(special) >= 1 and frac >= 0.6)
                evals.append({"document_id": b["doc"], "identity": "C-1", "status": "failed" if failed else "passed",
                              "reason": None})
                if not failed:
                    continue
                rows = sorted((b["rows"][k] for k in shared), key=lambda x: x[2])
                listed = "；".join(f"{lv3} {tg}" for lv3, tg, _ in rows[:6])
                same_doc = a["doc"] == b["doc"]
                msg = (f"项目“{b['project'] or b['table']}”与项目“{a['project'] or a['table']}”"
                       f"{'（同一文件）' if same_doc else '（同一单位同一年度的另一文件）'}有{len(shared)}行三级指标及年度指标值完全相同，"
                       f"其中{len(special)}行为具体数值（{listed}）。不同项目的数量、成本目标应各自测算，照抄的指标使自评失去意义。")
                ev = [{"table_id": b["table"], "page": b["page"], "project": b["project"],
                       "row_label": lv3, "col_label": "年度指标值", "raw_text": tg} for lv3, tg, _ in rows[:8]]
                ev.append({"copied_from": {"document_id": a["doc"], "table_id": a["table"], "project": a["project"]}})
                hits.append({"document_id": b["doc"], "table_id": b["table"],
                             "location": f"C-1|{b['table']}|{a['doc'] if not same_doc else ''}|{a['table']}",
                             "kind": "target_copied_across_projects", "message": msg,
                             "evidence": json.dumps(ev, ensure_ascii=False), "expected": "各项目独立设定的指标值",
                             "actual": f"{len(shared)}行相同（{len(special)}行具体数值）", "difference": f"{len(shared)}行",
                             "rel_diff": min(1.0, 0.02 * len(special) + frac / 10),
                             "severity": "high" if len(special) >= 2 else "medium"})
        return CheckResult.of([hits_frame(hits)], [pl.DataFrame(evals)] if evals else [])
