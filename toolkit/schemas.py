"""Canonical frame schemas: the one place that says what every frame holds.

Data flows one way: loaders -> extract -> these frames -> checks -> findings.
Every number keeps its source: document, page/sheet, table, row, column, raw text
and printed precision (``decimals``), from which checks derive their tolerance.

Amounts are stored as ``value`` (Float64, in the printed ``unit``) together with
``decimals`` (digits printed after the decimal point) and ``scale`` (multiplier from
the printed unit to the base unit: 元 for money, 人 for people, 1 for rates).
Consistency checks never compare floats directly: they compare intervals of
±half a unit of the last printed digit (see ``toolkit.checks.tolerance``).
A blank cell is null, never zero.

Each frame is a :class:`Schema`: a mapping column -> Polars dtype (what every consumer reads)
that also carries the columns that may not be null and the values a column allows. One
:func:`conform` casts and orders any frame to its schema (missing columns become null, or a
declared default); :func:`validate` reports what breaks the declared rules.

Why a small module of our own and not pandera's Polars backend: the pipeline needs lenient
conforming (``cast(strict=False)``, columns added and ordered) far more than validation, which
pandera does not do for us, and the rules we declare (dtype, not-null, allowed values) fit in
forty lines; a dependency for them would cost more than it saves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

import polars as pl

Frame = TypeVar("Frame", pl.DataFrame, pl.LazyFrame)

Str = pl.String
I32 = pl.Int32
F64 = pl.Float64

class Schema(dict[str, pl.DataType]):
    """Column -> dtype, with the rules a frame must keep (see :func:`validate`)."""

    def __init__(
        self,
        columns: Mapping[str, pl.DataType],
        *,
        required: Iterable[str] = (),
        allowed: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        super().__init__(columns)
        self.required: tuple[str, ...] = tuple(required)  # may not be null
        self.allowed: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in (allowed or {}).items()}
        unknown = [c for c in (*self.required, *self.allowed) if c not in columns]
        if unknown:
            raise ValueError(f"rules name columns the schema lacks: {unknown}")


SEVERITIES = ("info", "low", "medium", "high")
STATUSES = ("ok", "partial", "failed", "not_a_disclosure")

DOCUMENTS = Schema({
    "document_id": Str,  # first 16 hex of sha256: stable across runs and paths
    "path": Str,  # as given on the command line
    "sha256": Str,
    "format": Str,  # a declared format (toolkit.loaders.formats: txt|docx|pdf|xlsx|xls|html|csv) or unknown; sniffed from bytes
    "size_bytes": pl.Int64,
    "bureau": Str,  # issuing body as printed (e.g. 屈原管理区医疗保障局)
    "region_code": Str,  # 6-digit GB/T 2260 code from datasets/reference/regions.csv
    "region_name": Str,
    "province": Str,
    "level": Str,  # province|city|county|district|other (e.g. 管理区/开发区 special zones); unknown when the region is not resolved
    "fiscal_year": I32,
    "doc_type": Str,  # final_accounts|budget|dept_self_eval|project_self_eval|evaluation_report|mixed|other
    "pages": I32,
    "n_tables": I32,
    "status": Str,  # ok|partial|failed|not_a_disclosure (read whole, but no amounts or no disclosure vocabulary)
    "reason": Str,
    # character accounting (toolkit.extract.accounting): visible characters of the input, how many reached a
    # paragraph or a cell, their share, and the page with the lowest share; null when the loader did not measure
    "chars_visible": pl.Int64,
    "chars_read": pl.Int64,
    "chars_share": F64,
    "worst_page": I32,
    "worst_page_share": F64,
    "chars_in_frames_share": F64,  # the same for letters/digits/CJK reaching passages and cells (informational)
}, required=("document_id", "path", "sha256", "format", "status"), allowed={
    "status": STATUSES,
    "level": ("province", "city", "county", "district", "other", "unknown"),
    "doc_type": ("final_accounts", "budget", "dept_self_eval", "project_self_eval", "evaluation_report", "mixed", "other"),
})

TABLES = Schema({
    "document_id": Str,
    "table_id": Str,  # t01, t02 ... in document order (after continuation merging)
    "table_type": Str,  # see toolkit.extract.table_types.TABLE_TYPES
    "title": Str,
    "page": I32,
    "sheet": Str,
    "n_rows": I32,
    "n_cols": I32,
    "unit": Str,  # 元|万元|亿元|None
    "recognized_by": Str,  # which rule / keyword recognised it
    "project": Str,  # for 自评表: the project name
}, required=("document_id", "table_id", "table_type"))

CELLS = Schema({
    "document_id": Str,
    "table_id": Str,
    "table_type": Str,
    "page": I32,
    "sheet": Str,
    "row": I32,  # 0-based row in the (merged) table grid
    "col": I32,
    "row_label": Str,
    "col_label": Str,
    "raw_text": Str,
    "value": F64,  # parsed number in the printed unit; null when the cell is not a number or blank
    "unit": Str,
    "scale": F64,  # printed unit -> base unit (万元 -> 10000)
    "decimals": I32,  # printed decimals; null when not a number
    "is_percent": pl.Boolean,
    "unit_source": Str,  # cell|column|table: where the unit came from (printed in the cell, its column header, the table's 单位)
    "src_line": I32,  # tables rebuilt from text: 1-based line of the source text (null for other formats)
    "span_start": pl.Int64,  # character span of raw_text within that line (text-layer tables: within the paragraph line)
    "span_end": pl.Int64,
}, required=("document_id", "table_id", "table_type", "row", "col"))

LINE_ITEMS = Schema({
    "document_id": Str,
    "table_id": Str,
    "table_type": Str,
    "page": I32,
    "row": I32,
    "col": I32,
    "section": Str,  # income|expense|budget|final|None (side of a two-lane table)
    "lane": I32,  # 0,1,2 for side-by-side lanes
    "code": Str,  # 科目编码 (3/5/7 digits) or 经济分类编码 (3/5 digits); null for named rows
    "code_kind": Str,  # function|economic|None
    "level": I32,  # 1=类/class 2=款 3=项 (by code length); null for named rows
    "name": Str,  # 科目名称 / row label as printed (cleaned)
    "row_kind": Str,  # item|total|subtotal|grand_total|summary
    "item_key": Str,  # semantic key for named rows (income_total, grand_total, personnel_total, ...)
    "measure": Str,  # semantic column key (total, basic, project, fiscal, budget_total, final_abroad, ...)
    "measure_label": Str,  # column header as printed
    "raw_text": Str,
    "value": F64,
    "unit": Str,
    "scale": F64,
    "decimals": I32,
}, required=("document_id", "table_id", "table_type", "row", "col", "value"),
    allowed={"row_kind": ("item", "part", "total", "subtotal", "grand_total", "summary"),
             "code_kind": ("function", "economic")})

FACTS = Schema({
    "document_id": Str,
    "passage_id": Str,
    "page": I32,
    "metric": Str,  # normalised key: fund_income, fund_expense, fund_balance_current, insured_persons, ...
    "subject": Str,  # the words naming what is measured, as printed
    "scheme": Str,  # employee|resident|assistance|None
    "qualifier": Str,  # amount|share|change|growth|completion|rate|count|ratio|part (a 其中 component of the total stated just before)
    # for share facts, metric names the denominator (占基金收入的… -> fund_income) and subject the numerator
    "direction": Str,  # increase|decrease|None (for changes)
    "operator": Str,  # >=,<=,>,<,= or None
    "value": F64,
    "unit": Str,
    "scale": F64,
    "decimals": I32,
    "raw_text": Str,  # the number with its unit as printed
    "period": Str,  # 2021年, 2021年1-11月, 截止2021年11月30日 ...
    "sentence": Str,
    "span_start": pl.Int64,  # character span of raw_text within the passage text
    "span_end": pl.Int64,
    "unit_source": Str,  # printed (beside the number) | declared (a bare number under a 单位：万元 line) | null
}, required=("document_id", "passage_id", "metric"), allowed={"scheme": ("employee", "resident", "assistance")})

INDICATORS = Schema({
    "document_id": Str,
    "table_id": Str,
    "page": I32,
    "row": I32,
    "project": Str,
    "row_kind": Str,  # indicator|budget_execution|total
    "level1": Str,  # 一级指标 (产出指标 ...)
    "level1_weight": F64,  # weight printed in the label, e.g. 产出指标(50分) -> 50
    "level2": Str,
    "level2_weight": F64,
    "level3": Str,
    "target_raw": Str,
    "target_op": Str,
    "target_value": F64,
    "target_unit": Str,
    "target_decimals": I32,
    "actual_raw": Str,
    "actual_op": Str,
    "actual_value": F64,
    "actual_unit": Str,
    "actual_decimals": I32,
    "weight": F64,  # 分值
    "weight_decimals": I32,
    "score": F64,  # 得分
    "score_decimals": I32,
    "deviation_note": Str,
}, required=("document_id", "table_id", "row_kind"), allowed={"row_kind": ("indicator", "budget_execution", "total")})

PASSAGES = Schema({
    "document_id": Str,
    "passage_id": Str,
    "page": I32,
    "order": I32,
    "heading": Str,  # nearest heading above the passage
    "role": Str,  # see toolkit.extract.passages.ROLES
    "project": Str,
    "text": Str,
}, required=("document_id", "passage_id", "role", "text"))

PARSE_ISSUES = Schema({
    "document_id": Str,
    "path": Str,
    "severity": Str,  # info|low|medium|high
    "code": Str,  # empty|unreadable|encrypted|truncated|scanned|cid_garbage|too_large|zip_bomb|hostile_xml|...
    "page": I32,
    "reason": Str,
}, required=("document_id", "severity", "code"), allowed={"severity": SEVERITIES})

FINDINGS = Schema({
    "finding_id": Str,  # stable: hash of check code, document sha256 and location
    "check_code": Str,
    "check_version": Str,
    "category": Str,  # inconsistent_total|implausible_ratio|copy_paste|peer_outlier|digit_pattern|disclosure_gap|parse_issue
    "severity": Str,  # info|low|medium|high
    "score": F64,  # 0..1
    "document": Str,  # path as given
    "document_id": Str,
    "bureau": Str,
    "region_code": Str,
    "fiscal_year": I32,
    "table_id": Str,
    "location": Str,
    "message": Str,  # Chinese, self-contained
    "evidence": Str,
    "expected": Str,
    "actual": Str,
    "difference": Str,
}, required=("finding_id", "check_code", "severity", "document_id", "message"), allowed={"severity": SEVERITIES})

COVERAGE = Schema({
    "check_code": Str,
    "document_id": Str,
    "identity": Str,  # e.g. T03-2, X-2, S-1
    "status": Str,  # passed|failed|skipped|error
    "reason": Str,
    "n": pl.Int64,
}, required=("check_code", "identity", "status"), allowed={"status": ("passed", "failed", "skipped", "error")})

MANIFEST = Schema({
    "path": Str,
    "sha256": Str,
    "format": Str,
    "size_bytes": pl.Int64,
    "status": Str,  # ok|partial|failed|not_a_disclosure, or skipped for a companion file met while walking a directory
    "reason": Str,
    "seconds": F64,
}, required=("path", "status"), allowed={"status": (*STATUSES, "skipped")})

FRAME_SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "documents": DOCUMENTS,
    "tables": TABLES,
    "cells": CELLS,
    "line_items": LINE_ITEMS,
    "facts": FACTS,
    "indicators": INDICATORS,
    "passages": PASSAGES,
    "parse_issues": PARSE_ISSUES,
}


def empty(schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)


def frame(rows: list[dict], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Build a frame with exactly ``schema``'s columns (missing keys become null)."""
    if not rows:
        return empty(schema)
    cols = {name: [r.get(name) for r in rows] for name in schema}
    return pl.DataFrame(cols, schema=schema, strict=False)


def conform(df: Frame, schema: Mapping[str, pl.DataType], defaults: Mapping[str, object] | None = None) -> Frame:
    """Cast and order ``df`` (eager or lazy) to ``schema``; a missing column becomes its default
    from ``defaults``, else null. Casts are lenient (``strict=False``): what does not parse is null."""
    defaults = defaults or {}
    present = set(df.collect_schema().names())
    return df.select(
        pl.col(name).cast(dtype, strict=False) if name in present else pl.lit(defaults.get(name), dtype=dtype).alias(name)
        for name, dtype in schema.items()
    )


def validate(df: pl.DataFrame, schema: Schema) -> list[str]:
    """What in ``df`` breaks ``schema``: missing or extra columns, wrong dtypes, nulls in required
    columns, values outside the allowed ones. Empty when the frame keeps every rule."""
    problems = [f"missing column {c}" for c in schema if c not in df.columns]
    problems += [f"column {c} is not in the schema" for c in df.columns if c not in schema]
    for name, dtype in schema.items():
        if name not in df.columns:
            continue
        if df.schema[name] != dtype:
            problems.append(f"{name}: dtype {df.schema[name]} instead of {dtype}")
        if name in schema.required and (n := df[name].null_count()):
            problems.append(f"{name}: {n} null value(s) in a required column")
        if name in schema.allowed:
            bad = sorted(set(df[name].drop_nulls().unique().to_list()) - schema.allowed[name])
            if bad:
                problems.append(f"{name}: values not allowed: {bad[:5]}")
    return problems


# --- OCR provenance --------------------------------------------------------------------
# Content read by OCR from a page without a text layer (see ``toolkit.loaders.ocr``) says so:
# ``source`` is "ocr" there and null for a text layer or a native file; ``ocr_confidence`` is
# the recognition confidence (0-1) of the cell, row or passage (null when not OCR'd).
# ``toolkit.findings`` caps the severity of findings built on OCR'd numbers.
OCR_PROVENANCE: dict[str, pl.DataType] = {"source": Str, "ocr_confidence": F64}
for _schema in (TABLES, CELLS, LINE_ITEMS, FACTS, INDICATORS, PASSAGES):
    _schema.update(OCR_PROVENANCE)
del _schema
