"""Hits -> findings: stable ids, severity, score, document metadata (schema ``FINDINGS``).

Severity rule (the same for every consistency check, so findings rank comparably):

* ``info``   — the gap is within twice the rounding envelope (a different rounding
  convention could explain it), or the check marked it informational;
* ``high``   — relative difference ≥ 5 %, or ≥ 1 % on a 合计/总计/总分;
* ``medium`` — relative difference ≥ 0.5 %, or any difference on a 合计/总计/总分;
* ``low``    — anything smaller.

Score (0–1) grows with the relative difference and is higher for totals; info findings
score at most 0.1.

OCR cap: a finding whose evidence includes numbers read by OCR (a cell, row, page or passage
marked ``source == "ocr"`` in the frames) says so in its message and evidence, and is capped
at ``low`` (score at most 0.3) unless every OCR'd number in its evidence is confirmed by the
same figure elsewhere in the document read from a text layer: the same printed value with the
same printed decimals, of at least three significant digits (a ``0.00`` or a ``20`` matches
too much to confirm anything).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import polars as pl

from toolkit.normalize.numbers import parse_number
from toolkit.schemas import FINDINGS, conform, empty

OCR_CAP_SEVERITY = "low"
OCR_CAP_SCORE = 0.3
_MIN_CONFIRM_DIGITS = 3  # a confirming figure needs this many significant digits
_SEVERITY_RANK = {"info": 0, "low": 1, "medium": 2, "high": 3}


def finding_id(check_code: str, doc_key: str | None, location: str | None) -> str:
    h = hashlib.sha256(f"{check_code}\x1f{doc_key or ''}\x1f{location or ''}".encode()).hexdigest()
    return f"{check_code}-{h[:16]}"


def severity_expr() -> pl.Expr:
    rel = pl.col("rel_diff").fill_null(0.0)
    tot = pl.col("is_total").fill_null(False)
    derived = (
        pl.when(pl.col("near_rounding").fill_null(False)).then(pl.lit("info"))
        .when((rel >= 0.05) | (tot & (rel >= 0.01))).then(pl.lit("high"))
        .when((rel >= 0.005) | tot).then(pl.lit("medium"))
        .otherwise(pl.lit("low"))
    )
    return pl.coalesce(pl.col("severity"), derived)


def score_expr() -> pl.Expr:
    rel = pl.col("rel_diff").fill_null(0.0).clip(0.0, 1.0)
    tot = pl.col("is_total").fill_null(False).cast(pl.Float64)
    base = (0.35 + 0.45 * (rel * 10).clip(0.0, 1.0) + 0.2 * tot).clip(0.0, 1.0)
    sev = pl.col("_sev")
    return (
        pl.when(sev == "info").then(pl.min_horizontal(base, pl.lit(0.1)))
        .when(sev == "high").then(pl.max_horizontal(base, pl.lit(0.6)))
        .otherwise(base)
    )


def to_findings(check_code: str, check_version: str, category: str, hits: pl.DataFrame,
                documents: pl.DataFrame, ocr: OcrIndex | None = None) -> pl.DataFrame:
    """Turn one check's hits into FINDINGS rows, joining document metadata.

    ``ocr`` (from :func:`ocr_index`) marks and caps findings built on OCR'd numbers.
    """
    if hits.height == 0:
        return empty(FINDINGS)
    docs = documents.select(
        "document_id", pl.col("path").alias("document"), "sha256", "bureau", "region_code", "fiscal_year"
    ).unique("document_id")
    df = hits.join(docs, on="document_id", how="left").with_columns(_sev=severity_expr())
    df = df.with_columns(score=score_expr(), severity=pl.col("_sev"))
    if ocr is not None and ocr.documents and category != "parse_issue":
        df = _apply_ocr_cap(df, ocr)
    ids = [
        finding_id(check_code, sha or doc, loc)
        for sha, doc, loc in zip(df["sha256"].to_list(), df["document_id"].to_list(), df["location"].to_list(),
                                 strict=True)
    ]
    df = df.with_columns(
        finding_id=pl.Series(ids, dtype=pl.String),
        check_code=pl.lit(check_code),
        check_version=pl.lit(check_version),
        category=pl.lit(category),
    )
    return conform(df, FINDINGS).unique("finding_id", keep="first", maintain_order=True)


# ---------------------------------------------------------------------------------------
# findings built on OCR'd numbers
# ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class OcrIndex:
    """Where the frames hold OCR'd content, and the text-layer figures that can confirm an OCR'd number."""

    cells: dict[tuple, tuple[float | None, float | None, int | None]] = field(default_factory=dict)
    pages: dict[tuple, float | None] = field(default_factory=dict)
    tables: dict[tuple, float | None] = field(default_factory=dict)
    passages: dict[str, float | None] = field(default_factory=dict)
    native: dict[str, set[tuple[int, int]]] = field(default_factory=dict)
    documents: set[str] = field(default_factory=set)  # documents with any OCR'd content

    def confirmed(self, doc: str, value: float | None, decimals: int | None) -> bool:
        key = _figure_key(value, decimals)
        return key is not None and key in self.native.get(doc, set())


def _figure_key(value: float | None, decimals: int | None) -> tuple[int, int] | None:
    """(printed digits as an integer, decimals); None when too short to confirm anything."""
    if value is None or decimals is None or decimals < 0 or decimals > 6:
        return None
    digits = round(abs(value) * 10**decimals)
    if digits < 10 ** (_MIN_CONFIRM_DIGITS - 1):
        return None
    return (digits if value >= 0 else -digits, decimals)


def ocr_index(
    frames: Mapping[str, pl.DataFrame], scan: Callable[[Mapping[str, pl.DataFrame], str], pl.LazyFrame]
) -> OcrIndex | None:
    """The OCR'd content of ``frames`` (None when there is none: findings then stay as they are).

    ``scan(frames, name)`` reads a frame conformed to its schema (the check engine passes its own,
    which reads a run's Parquet files lazily).
    """
    is_ocr = pl.col("source") == "ocr"
    cells = scan(frames, "cells").select("document_id", "table_id", "page", "row", "col", "value", "decimals",
                                          "source", "ocr_confidence")
    ocr_cells = cells.filter(is_ocr).collect()
    passages = scan(frames, "passages").filter(is_ocr).select("document_id", "passage_id", "page", "ocr_confidence").collect()
    if ocr_cells.height == 0 and passages.height == 0:
        return None
    index = OcrIndex()
    for doc, table, page, row, col, value, dec, _, conf in ocr_cells.iter_rows():
        index.cells[(doc, table, row, col)] = (conf, value, dec)
        _keep_lowest(index.pages, (doc, page), conf)
        _keep_lowest(index.tables, (doc, table), conf)
    for doc, pid, page, conf in passages.iter_rows():
        index.passages[pid] = conf
        _keep_lowest(index.pages, (doc, page), conf)
    index.documents = {k[0] for k in index.pages}
    docs = sorted(index.documents)
    not_ocr = ~is_ocr.fill_null(False)
    native = pl.concat([
        cells.filter(pl.col("document_id").is_in(docs) & not_ocr).select("document_id", "value", "decimals").collect(),
        scan(frames, "facts").filter(pl.col("document_id").is_in(docs) & not_ocr)
        .select("document_id", "value", "decimals").collect(),
    ])
    for doc, value, dec in native.drop_nulls().iter_rows():
        key = _figure_key(value, dec)
        if key is not None:
            index.native.setdefault(doc, set()).add(key)
    return index


def _keep_lowest(d: dict, key: tuple, conf: float | None) -> None:
    """Register ``key``; keep the lowest confidence seen for it (None when none was known)."""
    old = d.get(key)
    d[key] = conf if old is None else (old if conf is None else min(old, conf))


def _assess(index: OcrIndex, doc: str, evidence: str | None) -> tuple[bool, bool, float | None, str | None]:
    """(built on OCR, every OCR'd number confirmed, lowest OCR confidence, evidence with OCR marks)."""
    try:
        items = json.loads(evidence) if evidence else []
    except ValueError:
        return False, False, None, evidence
    if not isinstance(items, list):
        return False, False, None, evidence
    based, confirmed, confs = False, True, []
    for item in items:
        if not isinstance(item, dict):
            continue
        hit = _ocr_item(index, doc, item)
        if hit is None:
            continue
        conf, value, dec = hit
        if value is None:
            parsed = parse_number(str(item.get("raw_text") or "")) if item.get("raw_text") else None
            value, dec = (parsed.value, parsed.decimals) if parsed else (None, None)
        ok = index.confirmed(doc, value, dec)
        based = True
        confirmed = confirmed and ok
        if conf is not None:
            confs.append(conf)
        item.update(ocr=True, ocr_confidence=None if conf is None else round(conf, 3), ocr_confirmed=ok)
    if not based:
        return False, False, None, evidence
    return True, confirmed, min(confs) if confs else None, json.dumps(items, ensure_ascii=False)


def _ocr_item(index: OcrIndex, doc: str, item: dict) -> tuple[float | None, float | None, int | None] | None:
    """(confidence, value, decimals) when the evidence item was read by OCR, else None."""
    if item.get("ocr") is True:
        return item.get("ocr_confidence"), None, None
    pid = item.get("passage_id")
    if pid is not None and pid in index.passages:
        return index.passages[pid], None, None
    table, row, col = item.get("table_id"), item.get("row"), item.get("col")
    if (doc, table, row, col) in index.cells:
        return index.cells[(doc, table, row, col)]
    page = item.get("page")
    if page is not None and (doc, page) in index.pages:
        return index.pages[(doc, page)], None, None
    if page is None and table is not None and (doc, table) in index.tables:
        return index.tables[(doc, table)], None, None
    return None


def _apply_ocr_cap(df: pl.DataFrame, index: OcrIndex) -> pl.DataFrame:
    docs = index.documents
    rows = df.select("document_id", "evidence", "severity", "score", "message").rows()
    severity, score, message, evidence = [], [], [], []
    for doc, ev, sev, sc, msg in rows:
        based, confirmed, conf, marked = _assess(index, doc, ev) if doc in docs else (False, False, None, ev)
        if based and not confirmed:
            if _SEVERITY_RANK.get(sev or "", 0) > _SEVERITY_RANK[OCR_CAP_SEVERITY]:
                sev = OCR_CAP_SEVERITY
            sc = min(sc, OCR_CAP_SCORE) if sc is not None else sc
            conf_txt = f"，最低识别置信度 {conf:.2f}" if conf is not None else ""
            msg = (f"{msg or ''}（注：所涉数字由扫描页 OCR 识别{conf_txt}，文档文字层中未见相同数字印证，"
                   f"严重程度上限为“低”，请对照原件核实。）")
        elif based:
            msg = f"{msg or ''}（注：所涉部分数字由扫描页 OCR 识别，均已在文档文字层中找到相同数字印证。）"
        severity.append(sev)
        score.append(sc)
        message.append(msg)
        evidence.append(marked)
    return df.with_columns(
        severity=pl.Series(severity, dtype=pl.String),
        score=pl.Series(score, dtype=pl.Float64),
        message=pl.Series(message, dtype=pl.String),
        evidence=pl.Series(evidence, dtype=pl.String),
    )
