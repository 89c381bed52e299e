"""Breaks of inferred relations as check hits: the relation, its support, printed and computed values."""

from __future__ import annotations

import polars as pl

from toolkit.checks.framework import hits_frame
from toolkit.checks.relations.infer import (
    FAMILY_NAMES,
    Inference,
    Labels,
    breaks,
    hit_numbers,
    parse_rel,
    relation_text,
    remainder_part,
    support_text,
)
from toolkit.checks.tolerance import fmt_number

_TOTAL_WORDS = ("合计", "总计", "小计")


def break_hits(inf: Inference, families: tuple[str, ...], kind: str) -> pl.DataFrame:
    return render_breaks(inf, breaks(inf, families), kind)


def render_breaks(inf: Inference, b: pl.DataFrame, kind: str, *, corpus_note: dict | None = None) -> pl.DataFrame:
    """Hits for break rows (places with relation, holds, fails, strong).

    ``corpus_note`` maps (document, table, rel_id) to (bureaus holding it, bureaus with the table) for
    relations supported across the corpus rather than within the table (IT054).
    """
    if b.height == 0:
        return hits_frame([])
    lab = Labels(inf, b)
    rows = []
    for r in b.iter_rows(named=True):
        doc, tid, fam = r["document_id"], r["table_id"], r["family"]
        title = lab.titles.get((doc, tid), tid)
        r = _as_difference(lab, inf, r)
        cells, rel, where, total = _describe(lab, inf, r)
        pooled = (r["copies"], r["pooled_holds"], r["pooled_fails"]) if r.get("pooled") else None
        support = support_text(r["holds"], r["fails"], fam, pooled)
        nums = hit_numbers(r)
        severity = None if r["strong"] else "low"
        if corpus_note is not None:
            held, seen = corpus_note[(doc, tid, r["rel_id"])]
            msg = (f"表“{_t(title)}”{where}：同类表格在其他{seen}个单位的文件中有{held}个符合“{rel}”"
                   f"（{FAMILY_NAMES.get(fam, fam)}），本表{support}；本处按此应为{nums['expected']}，"
                   f"实际填列{r['raw_text']}，相差{nums['difference']}。")
            severity = "low" if held < 5 or nums["near_rounding"] else None
        elif fam == "qizhong":
            msg = (f"表“{_t(title)}”{where}：“{lab.r(doc, tid, r['t_row'])}”填列{r['raw_text']}，大于其所属的"
                   f"“{lab.r(doc, tid, r['target'])}”{nums['expected']}（其中项不超过总数：{support if pooled else '本表' + support}）：其中项不应超过总数。")
        else:
            msg = (f"表“{_t(title)}”{where}：按本表推断的关系“{rel}”（{FAMILY_NAMES.get(fam, fam)}，{support}），"
                   f"本处应为{nums['expected']}，实际填列{r['raw_text']}，相差{nums['difference']}。")
        rows.append({
            "document_id": doc, "table_id": tid, "location": f"R|{tid}|{r['rel_id']}|r{r['t_row']}c{r['t_col']}",
            "kind": kind, "message": msg, "evidence": lab.evidence(doc, tid, cells), **nums,
            "is_total": total, "severity": severity,
        })
    return hits_frame(rows)


def _as_difference(lab: Labels, inf: Inference, r: dict) -> dict:
    """A break of ``t = a + 结余`` reported on the 结余 cell (computed t − a), as the relation reads."""
    doc, tid = r["document_id"], r["table_id"]
    parts = inf.members.get((doc, tid, r["rel_id"]), [])
    rem = remainder_part(lab, doc, tid, r["family"], r["target"], parts, r["rel_id"])
    if rem is None:
        return r
    other = parts[0] if parts[1] == rem else parts[1]
    t, a, x = (lab.cells.get((doc, tid, r["t_row"], c)) for c in (r["t_col"], other, rem))
    if not (t and a and x):
        return r
    return {**r, "t_col": rem, "raw_text": x["raw_text"], "base": x["base"], "lo": x["lo"], "hi": x["hi"],
            "scale": x["scale"], "decimals": x["decimals"], "c_base": t["base"] - a["base"],
            "c_lo": t["lo"] - a["hi"], "c_hi": t["hi"] - a["lo"]}


def _t(title: str) -> str:
    return title if len(title) <= 30 else title[:29] + "…"


def _describe(lab: Labels, inf: Inference, r: dict) -> tuple[list[tuple[int, int]], str, str, bool]:
    """(contributing cells, relation text, where, is_total) of one break."""
    doc, tid, fam, tr, tc = r["document_id"], r["table_id"], r["family"], r["t_row"], r["t_col"]
    if fam in ("col_sum", "row_sum"):
        parts = inf.members.get((doc, tid, r["rel_id"]), [])
        rel = relation_text(lab, doc, tid, fam, r["target"], parts, r["rel_id"])
        if fam == "col_sum":
            cells = [(tr, tc)] + [(tr, p) for p in parts]
            label = lab.c(doc, tid, tc)
            where = f"“{lab.r(doc, tid, tr)}”行"
        else:
            cells = [(tr, tc)] + [(p, tc) for p in parts]
            label = lab.r(doc, tid, tr)
            where = f"“{lab.c(doc, tid, tc)}”列"
        return cells, rel, where, any(w in label for w in _TOTAL_WORDS)
    if fam == "qizhong":
        return [(tr, tc), (r["target"], tc)], "其中 ≤ 总数", f"“{lab.c(doc, tid, tc)}”列", False
    _, idx = parse_rel(r["rel_id"])  # ratio/growth/share: p, n, d ; share_row/share_base: p_row, n_row, d_col
    if fam == "share_base":
        p_row, n_row, b_col = idx
        shares = sorted({c for (d, t, row, c) in lab.cells if d == doc and t == tid and row == p_row and c != b_col})
        cells = [(tr, tc), (p_row, tc)] + [(p_row, c) for c in shares[:4]] + [(n_row, c) for c in shares[:4]]
        rel = (f"{lab.r(doc, tid, p_row)} = {lab.r(doc, tid, n_row)}各列 ÷ {lab.c(doc, tid, b_col)} × 100"
               f"（{lab.c(doc, tid, b_col)}列占比为100%）；按本行各列占比推算，{lab.c(doc, tid, b_col)}应在"
               f"{fmt_number(r['c_lo'] / (r['scale'] or 1.0), r['decimals'] or 0)}至"
               f"{fmt_number(r['c_hi'] / (r['scale'] or 1.0), r['decimals'] or 0)}之间")
        return cells, rel, f"“{lab.r(doc, tid, n_row)}”行", False
    if fam == "share_row":
        p_row, n_row, d_col = idx
        cells = [(tr, tc), (n_row, tc), (n_row, d_col)]
        rel = f"{lab.r(doc, tid, p_row)} = {lab.r(doc, tid, n_row)}各列 ÷ {lab.c(doc, tid, d_col)} × 100"
        return cells, rel, f"“{lab.c(doc, tid, tc)}”列", False
    if fam == "share":
        p, n, t_row = idx
        cells = [(tr, tc), (tr, n), (t_row, n)]
        rel = f"{lab.c(doc, tid, p)} = {lab.c(doc, tid, n)} ÷ {lab.r(doc, tid, t_row)}的{lab.c(doc, tid, n)} × 100"
        return cells, rel, f"“{lab.r(doc, tid, tr)}”行", False
    p, n, d = idx
    growth = r["rel_id"].startswith("growth")
    cells = [(tr, tc), (tr, n), (tr, d)]
    if growth:
        rel = f"{lab.c(doc, tid, p)} = ({lab.c(doc, tid, n)} − {lab.c(doc, tid, d)}) ÷ {lab.c(doc, tid, d)} × 100"
    else:
        rel = f"{lab.c(doc, tid, p)} = {lab.c(doc, tid, n)} ÷ {lab.c(doc, tid, d)} × 100"
    return cells, rel, f"“{lab.r(doc, tid, tr)}”行", False
