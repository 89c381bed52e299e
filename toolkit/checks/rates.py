"""Rates stated in the text and their plausibility bands (IR001–IR003)."""

from __future__ import annotations

import csv
import json
import re
from functools import lru_cache
from importlib import resources

import polars as pl

from toolkit.checks.framework import get
from toolkit.checks.tolerance import fmt_number

# words that make a percentage something else than the bureau's own measured rate
NOT_OWN_RATE = r"救助|困难|低收入|贫困|脱贫|特困|低保|一站式|综合保障|综合报销|离休|离退休|大病|门诊|慢特病|生育|规划|全国|全省|全市平均|国家|目标|确保|不低于|考核|要求|标准"


SCHEME_WORDS = {"employee": r"职工", "resident": r"居民"}


CLAUSE_END = r"[。；;\n]"


SUBCLAUSE_END = r"[。；;\n，,：:]"


CHANGE_WORDS = re.compile(r"^\s*(?:个百分点|以上|以下|左右)|^[^，。；]{0,3}(?:增长|提高|下降|减少|增加)")


@lru_cache(maxsize=1)
def bands() -> dict[str, dict]:
    """The sourced plausibility bands of ``toolkit/data/bands.csv`` (national 统计公报), keyed by band."""
    text = resources.files("toolkit").joinpath("data/bands.csv").read_text(encoding="utf-8")
    out = {}
    for row in csv.DictReader(text.splitlines()):
        for k in ("typical_low", "typical_high", "hard_low", "hard_high"):
            row[k] = float(row[k]) if row[k] not in ("", None) else None
        out[row["band"]] = row
    return out


def passage_texts(frames: dict[str, pl.DataFrame]) -> dict[tuple[str, str], str]:
    p = get(frames, "passages").select("document_id", "passage_id", "text")
    return {(d, pid): t or "" for d, pid, t in p.iter_rows()}


def last_match(pattern: str, text: str) -> int:
    """Index just after the last match of ``pattern`` in ``text`` (0 when none)."""
    ends = [m.end() for m in re.finditer(pattern, text)]
    return ends[-1] if ends else 0


def scheme_in(clause: str, number_index: int, numbers_before: int) -> str | None:
    """The scheme a percentage in ``clause`` belongs to: “分别为A和B” by order, else the nearest word before."""
    found = sorted((m.start(), s) for s, w in SCHEME_WORDS.items() for m in re.finditer(w, clause[:number_index]))
    if not found:
        return None
    if "分别" in clause[:number_index]:
        order = list(dict.fromkeys(s for _, s in found))
        if numbers_before < len(order):
            return order[numbers_before]
    return found[-1][1]


def rate_context(text: str, start: int) -> dict | None:
    """Clause, sub-clause and scheme around the percentage starting at ``start`` in a passage."""
    if start is None or start < 0 or start > len(text):
        return None
    c0 = last_match(CLAUSE_END, text[:start])
    clause = text[c0:start]
    s0 = last_match(SUBCLAUSE_END, clause)
    numbers_before = len(re.findall(r"\d(?:[\d.]*)\s*%", clause))
    return {"clause": clause, "subclause": clause[s0:], "scheme": scheme_in(clause, len(clause), numbers_before),
            "after": text[start: start + 40]}


def band_for(clause: str, subclause: str) -> str | None:
    """Which band (if any) a percentage measures, from the words just before it."""
    b = bands()
    # “参保率x%”, or “参保…合计N人，占户籍人口M人的x%”
    if re.search(b["coverage_total"]["keyword"], subclause) or (
            re.search(r"占(?:户籍|常住|全县|全区|全市|总)?人口", subclause) and "参保" in clause):
        return "coverage_vulnerable" if re.search(b["coverage_vulnerable"]["require"], subclause) else "coverage_total"
    kw = b["reimb_employee"]["keyword"]
    matches = list(re.finditer(kw, clause))
    m = matches[-1] if matches else None
    if m is None:
        return None
    # the keyword must govern this number: nothing but other percentages of the same enumeration between
    tail = clause[m.end():]
    if len(tail) > 40 or re.search(r"率|比例|占比|满意|人次|万元|元|人", re.sub(r"\d[\d.]*\s*%", "", tail)):
        return None
    # the words of the phrase that holds the keyword decide whether it is the bureau's own rate
    phrase = clause[last_match(SUBCLAUSE_END, clause[: m.start()]):]
    if re.search(NOT_OWN_RATE, phrase):
        return None
    return "reimb"


def other_year(period: str | None, year: int | None) -> bool:
    if not period or year is None:
        return False
    years = {int(y) for y in re.findall(r"(20\d\d)年", period)}
    return bool(years) and year not in years


def rate_facts(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Percentages in the narrative that measure a banded rate: band, scheme, value, where."""
    f = get(frames, "facts").filter((pl.col("unit") == "%") & pl.col("value").is_not_null())
    if f.height == 0:
        return pl.DataFrame()
    years = dict(get(frames, "documents").select("document_id", "fiscal_year").iter_rows())
    texts = passage_texts(frames)
    rows = []
    for r in f.iter_rows(named=True):
        if r["qualifier"] in ("growth", "change") or r["operator"] not in (None, "="):
            continue
        if other_year(r["period"], years.get(r["document_id"])):
            continue
        text = texts.get((r["document_id"], r["passage_id"]))
        ctx = rate_context(text, r["span_start"]) if text else None
        if ctx is None:
            ctx = {"clause": r["sentence"] or "", "subclause": r["subject"] or "", "scheme": None, "after": ""}
        if CHANGE_WORDS.search(ctx["after"][len(r["raw_text"] or ""):]):
            continue
        band = band_for(ctx["clause"], ctx["subclause"])
        if band is None:
            continue
        scheme = ctx["scheme"] or r["scheme"]
        if band == "reimb":
            band = {"employee": "reimb_employee", "resident": "reimb_resident"}.get(scheme or "", "reimb_unnamed")
        rows.append({"document_id": r["document_id"], "band": band, "value": r["value"], "raw": r["raw_text"],
                     "where": f"{r['passage_id']}|{r['span_start']}", "page": r["page"],
                     "quote": (r["sentence"] or ctx["clause"]).strip(), "source": "text",
                     "passage_id": r["passage_id"], "span": [r["span_start"], r["span_end"]]})
    return pl.DataFrame(rows, infer_schema_length=None) if rows else pl.DataFrame()


def band_text(b: dict) -> str:
    lo, hi = b["hard_low"], b["hard_high"]
    tl, th = b["typical_low"], b["typical_high"]
    hard = (f"{fmt_number(lo, 0)}%–{fmt_number(hi, 0)}%" if lo is not None and hi is not None
            else f"≤{fmt_number(hi, 0)}%" if hi is not None else f"≥{fmt_number(lo, 0)}%")
    return f"常见区间{fmt_number(tl, 0)}%–{fmt_number(th, 0)}%，合理上下限{hard}"


def judge(value: float, b: dict) -> tuple[str, str | None, float]:
    """(status, kind or None, points beyond the hard limit)."""
    lo, hi = b["hard_low"], b["hard_high"]
    if hi is not None and value > hi + 1e-9:
        return "failed", b["kind_high"] or None, value - hi
    if lo is not None and value < lo - 1e-9:
        return "failed", b["kind_low"] or None, lo - value
    tl, th = b["typical_low"], b["typical_high"]
    if (tl is not None and value < tl) or (th is not None and value > th):
        return "passed", None, 0.0  # outside the typical band, inside the hard one: noted, not flagged
    return "passed", None, 0.0


def eval_row(doc: str, identity: str, status: str, reason: str | None = None) -> dict:
    return {"document_id": doc, "identity": identity, "status": status, "reason": reason}


def rate_evidence(r: dict) -> str:
    ev = {"raw_text": r["raw"], "sentence": r["quote"], "page": r["page"]}
    if r["source"] == "text":
        ev |= {"passage_id": r["passage_id"], "span": r["span"]}
    else:
        ev |= {"table_id": r["where"].split("|")[0], "row_label": r["quote"]}
    return json.dumps([ev], ensure_ascii=False)


def shorten(s: str, n: int = 90) -> str:
    s = re.sub(r"\s+", " ", s or "").strip()
    return s if len(s) <= n else s[: n - 1] + "…"


def dedupe(df: pl.DataFrame) -> pl.DataFrame:
    """One row per (document, band, value): a sentence repeated in two passages is one statement."""
    if df.height == 0:
        return df
    return df.sort("source", "where").unique(["document_id", "band", "value"], keep="first", maintain_order=True)
