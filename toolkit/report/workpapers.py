"""workpapers.xlsx: the auditor's working copy (xlsxwriter).

Sheets: 排名 (bureau-years), 文件排名 (documents), 发现 (every finding, with 复核状态 / 复核人 /
复核意见 for the auditor; 复核状态 is a drop-down), 覆盖 (coverage per check), 清单 (manifest),
覆盖明细 (coverage rows, left out above 100 000 rows).
Every sheet has a frozen header, an autofilter and set widths.

Document text is written with ``write_string`` only (the workbook also refuses to turn strings
into formulas, numbers or links), so a cell printed as ``=HYPERLINK(…)`` in a source document
stays text. The review columns are prefilled with the current decisions, so importing the
workbook back changes only what the auditor changed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter

from toolkit.rank import SEVERITY_LABELS
from toolkit.report.data import ReportData, coverage_summary, evidence_text
from toolkit.report.review import (
    COL_ID,
    COL_NOTE,
    COL_REVIEWER,
    COL_STATUS,
    SHEET_FINDINGS,
    STATUSES,
    UNREVIEWED,
)
from toolkit.store import RunDir

log = logging.getLogger(__name__)

EXCEL_CELL_LIMIT = 32_767
# Coverage detail has a row per check × document × identity: on a big corpus it would dwarf the
# findings; the summary sheet (覆盖) always has every check, coverage.csv every row.
MAX_COVERAGE_DETAIL_ROWS = 100_000


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    value: Callable[[dict[str, Any]], Any]
    width: float
    kind: str = "text"  # text|int|float|score


def _get(key: str) -> Callable[[dict[str, Any]], Any]:
    return lambda row: row.get(key)


def _join(key: str) -> Callable[[dict[str, Any]], Any]:
    return lambda row: "\n".join(str(v) for v in (row.get(key) or []) if v is not None)


RANKING_COLUMNS: tuple[Column, ...] = (
    Column("排名", _get("rank"), 6, "int"),
    Column("单位", _get("bureau"), 30),
    Column("地区代码", _get("region_code"), 10),
    Column("年度", _get("fiscal_year"), 7, "int"),
    Column("风险分", _get("risk_score"), 8, "score"),
    Column("加权和", _get("evidence"), 8, "float"),
    Column("发现数", _get("n_findings"), 8, "int"),
    Column("高", _get("n_high"), 5, "int"),
    Column("中", _get("n_medium"), 5, "int"),
    Column("低", _get("n_low"), 5, "int"),
    Column("提示", _get("n_info"), 5, "int"),
    Column("未能读取文件", _get("n_unread"), 8, "int"),
    Column("已排除", _get("n_excluded"), 7, "int"),
    Column("主要检查", _get("top_checks"), 20),
    Column("说明", _get("explanation"), 80),
    Column("文件数", _get("n_documents"), 7, "int"),
    Column("文件", _join("documents"), 60),
)

DOCUMENT_RANKING_COLUMNS: tuple[Column, ...] = (
    Column("排名", _get("rank"), 6, "int"),
    Column("文件", _get("document"), 60),
    Column("文件编号", _get("document_id"), 18),
    Column("单位", _get("bureau"), 30),
    Column("地区代码", _get("region_code"), 10),
    Column("年度", _get("fiscal_year"), 7, "int"),
    Column("读取状态", _get("read_status"), 9),
    Column("风险分", _get("risk_score"), 8, "score"),
    Column("发现数", _get("n_findings"), 8, "int"),
    Column("高", _get("n_high"), 5, "int"),
    Column("中", _get("n_medium"), 5, "int"),
    Column("低", _get("n_low"), 5, "int"),
    Column("提示", _get("n_info"), 5, "int"),
    Column("主要检查", _get("top_checks"), 20),
    Column("说明", _get("explanation"), 80),
    Column("读取问题", _get("unread_reason"), 40),
)

FINDING_COLUMNS: tuple[Column, ...] = (
    Column(COL_ID, _get("finding_id"), 24),
    Column(
        COL_STATUS, lambda r: r.get("review_status") if r.get("review_status") != UNREVIEWED else None, 12
    ),
    Column(COL_REVIEWER, _get("reviewer"), 10),
    Column(COL_NOTE, _get("review_note"), 30),
    Column("文件排名", _get("doc_rank"), 8, "int"),
    Column("严重程度", lambda r: SEVERITY_LABELS.get(r.get("severity") or "", r.get("severity")), 8),
    Column("分值", _get("score"), 7, "float"),
    Column("检查代码", _get("check_code"), 8),
    Column("检查", _get("check_label"), 22),
    Column("版本", _get("check_version"), 5),
    Column("类别", _get("category"), 16),
    Column("单位", _get("bureau"), 26),
    Column("地区代码", _get("region_code"), 9),
    Column("年度", _get("fiscal_year"), 7, "int"),
    Column("文件", _get("document"), 40),
    Column("表", _get("table_id"), 6),
    Column("位置", _get("location"), 24),
    Column("说明", _get("message"), 70),
    Column("应为", _get("expected"), 14),
    Column("实为", _get("actual"), 14),
    Column("差额", _get("difference"), 12),
    Column("证据（位置 → 原文）", lambda r: evidence_text(r.get("evidence")), 70),
)

COVERAGE_COLUMNS: tuple[Column, ...] = (
    Column("检查代码", _get("check_code"), 10),
    Column("已评估", _get("run"), 8, "int"),
    Column("通过", _get("passed"), 8, "int"),
    Column("未通过", _get("failed"), 8, "int"),
    Column("跳过", _get("skipped"), 8, "int"),
    Column("出错", _get("error"), 8, "int"),
    Column("文件数", _get("documents"), 8, "int"),
    Column("最常见跳过原因", _get("top_skip_reason"), 60),
)

COVERAGE_DETAIL_COLUMNS: tuple[Column, ...] = (
    Column("检查代码", _get("check_code"), 10),
    Column("文件编号", _get("document_id"), 18),
    Column("恒等式", _get("identity"), 14),
    Column("状态", _get("status"), 9),
    Column("原因", _get("reason"), 60),
    Column("次数", _get("n"), 7, "int"),
)

MANIFEST_COLUMNS: tuple[Column, ...] = (
    Column("文件", _get("path"), 60),
    Column("格式", _get("format"), 7),
    Column("大小（字节）", _get("size_bytes"), 12, "int"),
    Column("读取状态", _get("status"), 9),
    Column("原因", _get("reason"), 60),
    Column("耗时（秒）", _get("seconds"), 9, "float"),
    Column("SHA-256", _get("sha256"), 20),
)


class _Writer:
    def __init__(self, path: Path):
        self.book = xlsxwriter.Workbook(
            str(path),
            {
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
                "nan_inf_to_errors": True,
            },
        )
        self.header = self.book.add_format(
            {"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True, "valign": "top"}
        )
        self.text = self.book.add_format({"valign": "top", "text_wrap": True})
        self.score = self.book.add_format({"valign": "top", "num_format": "0%"})
        self.float = self.book.add_format({"valign": "top", "num_format": "0.00"})
        self.int = self.book.add_format({"valign": "top", "num_format": "0"})
        self.review = self.book.add_format({"valign": "top", "text_wrap": True, "bg_color": "#FFF2CC"})

    def sheet(
        self,
        name: str,
        columns: Sequence[Column],
        rows: Sequence[dict[str, Any]],
        review_headers: Sequence[str] = (),
    ) -> xlsxwriter.worksheet.Worksheet:
        ws = self.book.add_worksheet(name)
        for j, col in enumerate(columns):
            ws.write_string(0, j, col.header, self.header)
            fmt = self.review if col.header in review_headers else self.text
            ws.set_column(j, j, col.width, fmt)
        for i, row in enumerate(rows, start=1):
            for j, col in enumerate(columns):
                self._cell(ws, i, j, col, col.value(row))
        ws.freeze_panes(1, 1)
        ws.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)
        ws.set_row(0, 30)
        return ws

    def _cell(self, ws: Any, i: int, j: int, col: Column, value: Any) -> None:
        if value is None or value == "":
            return
        if col.kind in ("int", "float", "score") and isinstance(value, int | float):
            fmt = {"int": self.int, "float": self.float, "score": self.score}[col.kind]
            ws.write_number(i, j, value, fmt)
            return
        text = str(value)
        if len(text) > EXCEL_CELL_LIMIT:
            text = text[: EXCEL_CELL_LIMIT - 20] + "…（已截断）"
        ws.write_string(i, j, text)

    def close(self) -> None:
        self.book.close()


def _finding_rows(data: ReportData) -> list[dict[str, Any]]:
    ranks = data.document_ranking.select("document_id", pl.col("rank").alias("doc_rank"))
    findings = data.findings.join(ranks, on="document_id", how="left").sort(
        ["doc_rank", "is_parse_issue", "score", "finding_id"],
        descending=[False, False, True, False],
        nulls_last=True,
    )
    return list(findings.iter_rows(named=True))


def write_workpapers(data: ReportData, path: Path | str | None = None) -> Path:
    target = Path(path) if path else RunDir(data.out_dir).workpapers_path
    w = _Writer(target)
    try:
        w.sheet("排名", RANKING_COLUMNS, list(data.bureau_ranking.iter_rows(named=True)))
        findings = _finding_rows(data)
        ws = w.sheet(
            SHEET_FINDINGS, FINDING_COLUMNS, findings, review_headers=(COL_STATUS, COL_REVIEWER, COL_NOTE)
        )
        status_col = [c.header for c in FINDING_COLUMNS].index(COL_STATUS)
        ws.data_validation(
            1,
            status_col,
            max(len(findings), 1) + 500,
            status_col,
            {
                "validate": "list",
                "source": list(STATUSES),
                "input_title": COL_STATUS,
                "input_message": "选择：" + "/".join(STATUSES),
                "error_title": COL_STATUS,
                "error_message": "请从列表中选择复核状态",
            },
        )
        w.sheet("覆盖", COVERAGE_COLUMNS, list(coverage_summary(data.coverage).iter_rows(named=True)))
        w.sheet("清单", MANIFEST_COLUMNS, list(data.manifest.iter_rows(named=True)))
        w.sheet("文件排名", DOCUMENT_RANKING_COLUMNS, list(data.document_ranking.iter_rows(named=True)))
        if data.coverage.height <= MAX_COVERAGE_DETAIL_ROWS:
            w.sheet("覆盖明细", COVERAGE_DETAIL_COLUMNS, list(data.coverage.iter_rows(named=True)))
        else:
            log.info("覆盖明细 left out: %d rows (see coverage.csv)", data.coverage.height)
    finally:
        w.close()
    return target
