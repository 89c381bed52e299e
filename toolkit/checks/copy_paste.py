"""Copy-paste signals: targets reused across projects, actuals copied from targets, paragraphs copied
from another bureau, text left over from an earlier year, template placeholders never filled in.

Texts are compared as printed (numbers included): honest bureaus of one province share template
phrasing but not their figures, so a copy is recognised by identical *distinctive* numbers, not by
wording alone. Cross-document checks declare ``scope = "corpus"``.
"""

from __future__ import annotations

import json
import re
from itertools import combinations
from typing import ClassVar

import polars as pl

from toolkit.checks.framework import Check, CheckResult, get, hits_frame, scan
from toolkit.checks.registry import register


def _norm(s: str | None) -> str:
    """Text as compared: no whitespace, full-width punctuation folded."""
    s = (s or "").translate(str.maketrans("（）：，；＞＜＝", "():,;><="))
    return re.sub(r"\s+", "", s)


def _short(s: str | None, n: int = 60) -> str:
    s = re.sub(r"\s+", " ", s or "").strip()
    return s if len(s) <= n else s[: n - 1] + "…"


def _unit_key(documents: pl.DataFrame) -> pl.Expr:
    """A bureau's identity across documents: region code when resolved, else the printed name."""
    return pl.coalesce(pl.col("region_code"), pl.col("bureau"), pl.col("document_id"))


YEARS_AND_DATES = re.compile(r"(?:19|20)\d\d\s*年(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*日)?|\d{1,2}\s*月\s*\d{1,2}\s*日")


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


# ------------------------------------------------------------------ CP001
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
            docs.select("document_id", _unit_key(docs).alias("unit"), "fiscal_year"), on="document_id", how="left")
        tables: dict[tuple, dict] = {}
        for r in ind.sort("document_id", "table_id", "row").iter_rows(named=True):
            key = (r["document_id"], r["table_id"])
            t = tables.setdefault(key, {"doc": r["document_id"], "table": r["table_id"], "project": r["project"],
                                        "group": (r["unit"], r["fiscal_year"]), "rows": {}, "page": r["page"]})
            t["rows"][(_norm(r["level3"]), _norm(r["target_raw"]))] = (r["level3"], r["target_raw"], r["row"])
        by_group: dict[tuple, list[dict]] = {}
        for t in tables.values():
            by_group.setdefault(t["group"], []).append(t)
        hits, evals = [], []
        for group in by_group.values():
            for a, b in combinations(group, 2):
                if _norm(a["project"]) == _norm(b["project"]) and a["project"]:
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


# ------------------------------------------------------------------ CP002
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
            a, b = _norm(e["text"]), _norm(r["text"])
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
            t, a = _norm(r["target_raw"]), _norm(r["actual_raw"])
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
                parts.append(f"年度总体目标的实际完成情况“{_short(a['text'])}”与预期目标“{_short(e['text'])}”"
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


# ------------------------------------------------------------------ CP003
SHINGLE = 5
COPY_JACCARD = 0.8  # clean same-province pairs: mean 0.27–0.39, max ~0.55 (tests/test_synth.py)
MIN_PARAGRAPH = 40
WIDESPREAD = 4  # a paragraph found in more bureaus than this is a quoted higher-level text, not a copy
NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])")


def _numbers(text: str) -> list[str]:
    return [n for n in NUMBER.findall(YEARS_AND_DATES.sub(" ", text))]


def _paragraphs(frames: dict[str, pl.DataFrame]) -> list[dict]:
    p = (
        scan(frames, "passages")
        .filter(~pl.col("role").is_in(["glossary", "toc"]))
        .select("document_id", "passage_id", "page", "text")
        .collect()
    )
    out = []
    for r in p.iter_rows(named=True):
        for i, para in enumerate(re.split(r"\n+", r["text"] or "")):
            t = _norm(para)
            nums = _numbers(t)
            if len(t) >= MIN_PARAGRAPH and len(nums) >= 2 and any(len(n) >= 2 for n in nums):
                out.append({"document_id": r["document_id"], "passage_id": r["passage_id"], "page": r["page"],
                            "i": i, "text": para.strip(), "norm": t})
    return out


def _shingles(t: str) -> set[str]:
    return {t[i: i + SHINGLE] for i in range(max(1, len(t) - SHINGLE + 1))}


def _place(name: str | None) -> str | None:
    """A bureau's place as it appears in running text: 怀仁市 -> 怀仁 (names of ≤ 2 characters kept whole)."""
    if not name:
        return None
    short = re.sub(r"(?:自治县|自治旗|特区|林区|新区|县|市|区|旗)$", "", name)
    return short if len(short) >= 2 else name


@register
class ParagraphCopiedAcrossBureaus(Check):
    """A narrative paragraph with concrete figures is (nearly) the same in another bureau's document.

    What it does: splits passages into paragraphs (≥ 40 characters with ≥ 2 numbers other than years
    and dates, one of them ≥ 10), indexes their character 5-gram shingles with MinHash LSH (datasketch, 128 permutations,
    fixed seed) and confirms each candidate pair of *different* bureaus by the exact Jaccard similarity
    (≥ 0.8; honest bureaus of one province stay below ~0.55) and by sharing ≥ 80 % of their numbers.
    The copier is the document whose paragraph names the *other* bureau's place and not its own; failing
    that, the later year; failing that, both are reported (low). Paragraphs found in more than 4
    bureaus (a quoted provincial text) are skipped.

    Why it matters: a work report whose concrete achievements (检查147家次, 追回资金…) are another
    county's is not a report of this bureau's work; it usually still names the other county.

    Example: 壶关县 2021 自评报告: “高州市组织开展医保政策宣传进村入户活动34场次，发放宣传资料2514份…”.

    Known false positives: a joint text of two bureaus (市局 and 区局 reporting the same joint campaign);
    the same bureau under two names without a resolved region code.
    """

    code = "CP003"
    name = "paragraph-copied-across-bureaus"
    category = "copy_paste"
    detects = ("paragraph_copied_across_bureaus",)
    requires = ("frame:passages",)
    scope: ClassVar[str] = "corpus"

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        from datasketch import MinHash, MinHashLSH

        docs = get(frames, "documents")
        meta = {r["document_id"]: r for r in docs.with_columns(unit=_unit_key(docs)).iter_rows(named=True)}
        paras = [p for p in _paragraphs(frames) if p["document_id"] in meta]
        if len({meta[p["document_id"]]["unit"] for p in paras}) < 2:
            return CheckResult.of([], [])
        lsh = MinHashLSH(threshold=COPY_JACCARD - 0.1, num_perm=128)
        pairs = set()
        # Query before inserting, so each candidate pair is met once and neither the MinHash objects nor
        # the shingle sets of the whole corpus are kept (they dominated memory at 8k documents).
        for i, p in enumerate(paras):
            m = MinHash(num_perm=128, seed=1)
            m.update_batch([g.encode("utf-8") for g in _shingles(p["norm"])])
            unit = meta[p["document_id"]]["unit"]
            for j in map(int, lsh.query(m)):
                if meta[paras[j]["document_id"]]["unit"] != unit:
                    pairs.add((j, i))
            lsh.insert(str(i), m)
        confirmed: dict[int, set[int]] = {}
        for i, j in sorted(pairs):
            si, sj = _shingles(paras[i]["norm"]), _shingles(paras[j]["norm"])
            jac = len(si & sj) / max(1, len(si | sj))
            ni, nj = _numbers(paras[i]["norm"]), _numbers(paras[j]["norm"])
            common = len(set(ni) & set(nj))
            if jac >= COPY_JACCARD and common >= 2 and common >= 0.8 * min(len(set(ni)), len(set(nj))):
                confirmed.setdefault(i, set()).add(j)
                confirmed.setdefault(j, set()).add(i)
                paras[i].setdefault("jac", {})[j] = jac
                paras[j].setdefault("jac", {})[i] = jac
        hits, evals = [], []
        done = set()
        for i, others in confirmed.items():
            units = {meta[paras[k]["document_id"]]["unit"] for k in others | {i}}
            if len(units) > WIDESPREAD:
                evals.append({"document_id": paras[i]["document_id"], "identity": "C-3", "status": "skipped",
                              "reason": f"paragraph found in {len(units)} bureaus (quoted common text)"})
                continue
            for j in others:
                a, b = paras[i], paras[j]
                ma, mb = meta[a["document_id"]], meta[b["document_id"]]
                copier = self._copier(a, b, ma, mb)
                for side, src in ((a, b), (b, a)):
                    if copier not in (None, side["document_id"]):
                        continue
                    key = (side["document_id"], side["passage_id"], side["i"])
                    if key in done:
                        continue
                    done.add(key)
                    ms, mo = meta[side["document_id"]], meta[src["document_id"]]
                    jac = a["jac"][j]
                    names_other = _place(mo["region_name"]) and _place(mo["region_name"]) in side["norm"]
                    msg = (f"{ms['bureau'] or ''}{ms['fiscal_year'] or ''}年文件中的段落“{_short(side['text'], 70)}”与"
                           f"{mo['bureau'] or '另一单位'}{mo['fiscal_year'] or ''}年文件中的段落几乎相同（5字片段Jaccard相似度{jac:.2f}，"
                           f"数字相同）")
                    msg += (f"，且段落中写的是对方地名“{_place(mo['region_name'])}”" if names_other else "")
                    msg += ("。具体工作成效照抄其他单位，说明该段不是本单位的工作情况。" if copier
                            else "。无法判断谁抄谁，两份文件均列出。")
                    ev = [{"passage_id": side["passage_id"], "page": side["page"], "raw_text": side["text"]},
                          {"document_id": src["document_id"], "bureau": mo["bureau"], "passage_id": src["passage_id"],
                           "page": src["page"], "raw_text": src["text"]}]
                    hits.append({"document_id": side["document_id"],
                                 "location": f"C-3|{side['passage_id']}|{side['i']}",
                                 "kind": "paragraph_copied_across_bureaus", "message": msg,
                                 "evidence": json.dumps(ev, ensure_ascii=False), "expected": "本单位自己的工作情况",
                                 "actual": f"与{mo['bureau'] or src['document_id']}相同（Jaccard {jac:.2f}）",
                                 "difference": f"{jac:.2f}",
                                 "rel_diff": 0.1 if copier else 0.02, "severity": "high" if names_other else
                                 ("medium" if copier else "low")})
                    evals.append({"document_id": side["document_id"], "identity": "C-3", "status": "failed",
                                  "reason": None})
        return CheckResult.of([hits_frame(hits)], [pl.DataFrame(evals)] if evals else [])

    @staticmethod
    def _copier(a: dict, b: dict, ma: dict, mb: dict) -> str | None:
        pa, pb = _place(ma["region_name"]), _place(mb["region_name"])
        a_names_b = bool(pb) and pb in a["norm"] and not (pa and pa in a["norm"])
        b_names_a = bool(pa) and pa in b["norm"] and not (pb and pb in b["norm"])
        if a_names_b != b_names_a:
            return a["document_id"] if a_names_b else b["document_id"]
        ya, yb = ma["fiscal_year"], mb["fiscal_year"]
        if ya is not None and yb is not None and ya != yb:
            return a["document_id"] if ya > yb else b["document_id"]
        return None


# ------------------------------------------------------------------ CP004
YEAR_MENTION = re.compile(r"(?<!\d)(20\d\d)\s*年")
BEFORE_OK = re.compile(r"(?:比|较|与|同|自|从|(?<![截])至|到|以来|及|和|、|—|－|-|~|～|对比|相比|较之|上年|去年)\s*$")
AFTER_OK = re.compile(r"^(?:度)?\s*(?:以来|起|至|到|—|－|-|~|～|相比|同期|比较|以前|之前|前|开始|启动|印发|出台|发布|制定|"
                      r"实施|已|决算数|预算数|年初|全年预算|批复|的)")


@register
class StaleYearText(Check):
    """The text names an earlier year where the document's own year belongs (text carried over from an old report).

    What it does: in each passage of a document with a known fiscal year Y, finds mentions “20xx年”
    with 20xx ≤ Y − 2 that are not part of a comparison or a range (与/比/较/自/至…, …以来/起/至/相比,
    “…年度决算数”) nor inside a 《document title》. Such a year in a sentence about this year's figures
    means the sentence was copied from an old report and not updated. Y − 1 is not flagged (prior-year
    comparisons are standard).

    Why it matters: an old year left in a 情况说明 shows that figures around it may be old too;
    readers cannot trust any number of that paragraph.

    Example: a 2023 决算 说明: “2021年度收入总计1633.52万元，支出总计1633.52万元。与上年相比…”.

    Known false positives: history given without a range word (“2021年成立医疗保障局”); project names
    carrying their start year.
    """

    code = "CP004"
    name = "stale-year-text"
    category = "copy_paste"
    detects = ("stale_year_text",)
    requires = ("frame:passages",)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        years = {d: y for d, y in get(frames, "documents").select("document_id", "fiscal_year").iter_rows()}
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
                if yr > y - 2 or yr < y - 15:
                    continue
                before, after = text[max(0, m.start() - 6): m.start()], text[m.end(): m.end() + 6]
                s0 = max(text.rfind(c, 0, m.start()) for c in "。；;\n") + 1
                s1 = min([i for i in (text.find(c, m.end()) for c in "。；;\n") if i >= 0] or [len(text)])
                sentence = text[s0:s1]
                if BEFORE_OK.search(before) or AFTER_OK.search(after) or history.search(sentence):
                    continue
                if text.count("《", 0, m.start()) > text.count("》", 0, m.start()):
                    continue  # inside a document title
                evals.append({"document_id": r["document_id"], "identity": "C-4", "status": "failed", "reason": None})
                msg = (f"{y}年度文件中“{_short(sentence, 80)}”写的是“{m.group(0)}”，比文件年度早{y - yr}年，且不是与往年比较："
                       f"疑为沿用旧年度文本未更新，相关数字也可能是旧数。")
                hits.append({"document_id": r["document_id"], "location": f"C-4|{r['passage_id']}|{m.start()}",
                             "kind": "stale_year_text", "message": msg,
                             "evidence": json.dumps([{"passage_id": r["passage_id"], "page": r["page"],
                                                      "raw_text": m.group(0), "sentence": sentence,
                                                      "span": [m.start(), m.end()]}], ensure_ascii=False),
                             "expected": f"{y}年", "actual": m.group(0), "difference": f"{yr - y}年",
                             "rel_diff": 0.02, "severity": "medium"})
        return CheckResult.of([hits_frame(hits)], [pl.DataFrame(evals)] if evals else [])


# ------------------------------------------------------------------ CP005
PLACEHOLDER = re.compile(
    r"(?<![A-Za-z0-9])[XxＸｘ×○]{2,}(?![A-Za-z0-9])"  # XX县, ××月, ○○
    r"|[（(]\s*\d+\s*字(?:以内|以下|左右)\s*[)）]"  # （200字以内）
    r"|[（(](?:单位|项目|部门|机构|地区)名称[)）]"
    r"|【[^】]{0,20}(?:填写|填报|请|此处)[^】]{0,20}】"
    r"|[\[［](?:请)?填写[^\]］]{0,20}[\]］]"
    r"|[（(](?:请|需|须)(?:填写|说明|根据|按照|对照|列示)[^)）]{0,40}[)）]"
    r"|[（(]当[^)）]{0,30}时[，,]?应[^)）]{0,30}[)）]"
)
NAME_MASK = re.compile(r"(?:^|[^\u4e00-\u9fff])[\u4e00-\u9fff]$")  # 张×× : a masked personal name, not a placeholder


@register
class TemplateResidue(Check):
    """Template placeholders or instructions left in the published text (XX县, ××月××日, （200字以内）, 【填写】).

    What it does: scans passage text, headings and table cells for placeholders (XX/××/○○ not part of a Latin
    word), filling instructions in brackets (（200字以内）, （单位名称）, 【请填写…】, （请对照…说明）,
    （当表格数据为空时，应有此说明）). A masked personal name (张××) is not a placeholder.

    Why it matters: a document published with the template's instructions still in it was not read
    before publication; the figures next to a placeholder are often the template's sample figures.

    Example: “截至XX月XX日，全县参保…”; “（当表格数据为空时，应有此说明）” under an empty 政府性基金 table.

    Known false positives: “XX” used on purpose in a quoted slogan or a product code written in
    full-width letters.
    """

    code = "CP005"
    name = "template-residue"
    category = "copy_paste"
    detects = ("template_residue",)
    requires = ("frame:passages", "frame:cells")

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        hits, evals = [], []
        seen = set()
        pas = get(frames, "passages")
        heads = pas.filter(pl.col("heading").is_not_null()).unique(["document_id", "heading"], keep="first").select(
            "document_id", pl.concat_str([pl.col("passage_id"), pl.lit(":heading")]).alias("passage_id"), "page",
            pl.col("heading").alias("text"))
        p = pl.concat([pas.select("document_id", "passage_id", "page", "text"), heads])
        c = get(frames, "cells").filter(pl.col("raw_text").str.contains(r"[XxＸｘ×○]{2}|字以内|名称|填|应")).select(
            "document_id", pl.concat_str([pl.col("table_id"), pl.lit(":r"), pl.col("row").cast(pl.String),
                                          pl.lit("c"), pl.col("col").cast(pl.String)]).alias("passage_id"),
            "page", pl.col("raw_text").alias("text"))
        for src, df in (("text", p), ("table", c)):
            for r in df.iter_rows(named=True):
                text = r["text"] or ""
                for m in PLACEHOLDER.finditer(text):
                    if m.group(0)[0] in "XxＸｘ×○" and NAME_MASK.search(text[max(0, m.start() - 2): m.start()]):
                        nxt = text[m.end(): m.end() + 1]
                        if not nxt or nxt in "，、。等同）) ":
                            continue
                    key = (r["document_id"], m.group(0))
                    if key in seen:
                        continue  # one finding per placeholder per document
                    seen.add(key)
                    ctx = text[max(0, m.start() - 30): m.end() + 30]
                    hits.append({"document_id": r["document_id"], "location": f"C-5|{r['passage_id']}|{m.start()}",
                                 "kind": "template_residue",
                                 "message": f"{'正文' if src == 'text' else '表格'}中留有模板占位符或填写说明“{m.group(0)}”"
                                            f"（上下文：“{_short(ctx, 70)}”）：文件发布前未按模板填写完整。",
                                 "evidence": json.dumps([{"passage_id": r["passage_id"], "page": r["page"],
                                                          "raw_text": m.group(0), "sentence": ctx,
                                                          "span": [m.start(), m.end()]}], ensure_ascii=False),
                                 "expected": "已填写的内容", "actual": m.group(0), "difference": "1处", "rel_diff": 0.02,
                                 "severity": "medium"})
                    evals.append({"document_id": r["document_id"], "identity": "C-5", "status": "failed", "reason": None})
        return CheckResult.of([hits_frame(hits)], [pl.DataFrame(evals)] if evals else [])
