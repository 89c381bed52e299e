"""workpapers.xlsx: the auditor's working copy (xlsxwriter).

Sheets: 排名 (bureau-years), 文件排名 (documents), 发现 (every finding, with 复核状态 / 复核人 /
复核意见 for the auditor; 复核状态 is a drop-down), 覆盖 (coverage per check), 清单 (manifest),
覆盖明细 (coverage rows, left out above 100 000 rows).
Every sheet has a frozen header, an autofilter and set widths, and prints landscape on A4,
fitted to the page width with the header row repeated on every page (so the review columns
never print alone), with row heights for the wrapped text. Each bureau-year in 排名 (and each
document in 文件排名) links to its first row in 发现; severities are coloured; the review
columns carry a note saying what to write in them. Rows are written as they are read from the
frames (no list of all rows is built).

Document text is written with ``write_string`` only (the workbook also refuses to turn strings
into formulas, numbers or links), so a cell printed as ``=HYPERLINK(…)`` in a source document
stays text. The review columns are prefilled with the current decisions, so importing the
workbook back changes only what the auditor changed.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter

from toolkit.rank import SEVERITY_LABELS
from toolkit.report.data import (
    ReportData,
    coverage_by_file,
    coverage_summary,
    evidence_text,
    readable_location,
)
from toolkit.report.labels import COVERAGE_STATUS_LABELS, READ_STATUS_LABELS, status_label, translate_reason
from toolkit.report.review import (
    COL_ID,
    COL_NOTE,
    COL_REVIEWER,
    COL_STATUS,
    PROP_REVIEWS_AS_OF,
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
LINE_HEIGHT = 15.0  # points per wrapped line (Excel's and LibreOffice's default row is 15)
MAX_ROW_HEIGHT = 409.0  # Excel's limit
MAX_LINES = 12  # a longer cell is read on screen, not in a 400-point row
A4 = 9
SEVERITY_FILLS: dict[str, str] = {"高": "#F5B7B1", "中": "#FAD7A0", "低": "#F9E79F", "提示": "#E5E7E9"}
REVIEW_NOTES: dict[str, str] = {
    COL_STATUS: "复核后从下拉列表选择：" + "/".join(STATUSES) + "。导入：yibao-audit review DIR --import workpapers.xlsx",
    COL_REVIEWER: "填写复核人姓名或工号。",
    COL_NOTE: "写明确认或排除的理由、所依据的原始凭证或需补充的资料。",
}


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


def _status(key: str, labels: dict[str, str]) -> Callable[[dict[str, Any]], Any]:
    return lambda row: status_label(row.get(key), labels)


RANKING_COLUMNS: tuple[Column, ...] = (
    Column("排名", _get("rank"), 6, "int"),
    Column("单位", _get("bureau"), 30),
    Column("地区代码", _get("region_code"), 10),
    Column("年度", _get("fiscal_year"), 7, "int"),
    Column("风险分（0–100）", _get("risk"), 8, "score"),
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
    Column("读取状态", _status("read_status", READ_STATUS_LABELS), 12),
    Column("风险分（0–100）", _get("risk"), 8, "score"),
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
    Column(COL_ID, _get("finding_id"), 22),
    Column(
        COL_STATUS, lambda r: r.get("review_status") if r.get("review_status") != UNREVIEWED else None, 11
    ),
    Column(COL_REVIEWER, _get("reviewer"), 9),
    Column(COL_NOTE, _get("review_note"), 24),
    Column("单位排名", _get("bureau_rank"), 6, "int"),
    Column("文件排名", _get("doc_rank"), 6, "int"),
    Column("严重程度", lambda r: SEVERITY_LABELS.get(r.get("severity") or "", r.get("severity")), 6),
    Column("分值", _get("score"), 6, "float"),
    Column("检查代码", _get("check_code"), 8),
    Column("检查", _get("check_label"), 16),
    Column("单位", _get("bureau"), 18),
    Column("年度", _get("fiscal_year"), 6, "int"),
    Column("文件", _get("document"), 28),
    Column("位置（表名 · 行 · 列）", lambda r: readable_location(r.get("evidence"), r.get("table_title")), 24),
    Column("说明", _get("message"), 48),
    Column("应为", _get("expected"), 12),
    Column("实为", _get("actual"), 12),
    Column("差额", _get("difference"), 10),
    Column("证据（位置 → 原文）", lambda r: evidence_text(r.get("evidence")), 48),
    Column("类别", _get("category"), 14),
    Column("版本", _get("check_version"), 5),
    Column("地区代码", _get("region_code"), 8),
    Column("表", _get("table_id"), 5),
    Column("位置代码", _get("location"), 20),
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

COVERAGE_FILE_COLUMNS: tuple[Column, ...] = (
    Column("文件", _get("document"), 50),
    Column("检查代码", _get("check_code"), 10),
    Column("通过", _get("passed"), 7, "int"),
    Column("未通过", _get("failed"), 7, "int"),
    Column("跳过", _get("skipped"), 7, "int"),
    Column("出错", _get("error"), 7, "int"),
    Column("最常见跳过原因", _get("top_skip_reason"), 60),
)

COVERAGE_DETAIL_COLUMNS: tuple[Column, ...] = (
    Column("检查代码", _get("check_code"), 10),
    Column("文件", _get("document"), 40),
    Column("恒等式", _get("identity"), 14),
    Column("状态", _status("status", COVERAGE_STATUS_LABELS), 12),
    Column("原因", lambda r: translate_reason(r.get("reason")), 60),
    Column("次数", _get("n"), 7, "int"),
)

MANIFEST_COLUMNS: tuple[Column, ...] = (
    Column("文件", _get("path"), 60),
    Column("格式", _get("format"), 7),
    Column("大小（字节）", _get("size_bytes"), 12, "int"),
    Column("读取状态", _status("status", READ_STATUS_LABELS), 14),
    Column("原因", _get("reason"), 60),
    Column("耗时（秒）", _get("seconds"), 9, "float"),
    Column("SHA-256", _get("sha256"), 20),
)


def _text_width(text: str) -> float:
    """Width in Excel character units: a CJK character is about two Latin ones."""
    return sum(2.0 if ord(ch) > 0x2E7F else 1.0 for ch in text)


def _lines(text: str, width: float) -> int:
    """Wrapped lines of ``text`` in a column ``width`` characters wide."""
    usable = max(width - 1.0, 1.0)
    return sum(max(1, math.ceil(_text_width(part) / usable)) for part in text.split("\n"))


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
        self.score = self.book.add_format({"valign": "top", "num_format": "0"})
        self.float = self.book.add_format({"valign": "top", "num_format": "0.00"})
        self.int = self.book.add_format({"valign": "top", "num_format": "0"})
        self.review = self.book.add_format({"valign": "top", "text_wrap": True, "bg_color": "#FFF2CC"})
        self.link = self.book.add_format({"valign": "top", "text_wrap": True, "font_color": "#1F4E79", "underline": 1})
        self.severity = {k: self.book.add_format({"bg_color": v}) for k, v in SEVERITY_FILLS.items()}

    def sheet(
        self,
        name: str,
        columns: Sequence[Column],
        rows: Iterable[dict[str, Any]],
        n_rows: int,
        review_headers: Sequence[str] = (),
        links: Callable[[dict[str, Any]], tuple[int, str] | None] | None = None,
    ) -> xlsxwriter.worksheet.Worksheet:
        """One sheet; ``links(row)`` may give (column, target) to write that cell as an internal link."""
        ws = self.book.add_worksheet(name)
        for j, col in enumerate(columns):
            ws.write_string(0, j, col.header, self.header)
            fmt = self.review if col.header in review_headers else self.text
            ws.set_column(j, j, col.width, fmt)
            if col.header in REVIEW_NOTES:
                ws.write_comment(0, j, REVIEW_NOTES[col.header], {"x_scale": 2, "y_scale": 1.5})
        header_lines = max(_lines(c.header, c.width) for c in columns)
        ws.set_row(0, min(LINE_HEIGHT * max(header_lines, 2), MAX_ROW_HEIGHT))
        for i, row in enumerate(rows, start=1):
            lines = 1
            link = links(row) if links else None
            for j, col in enumerate(columns):
                value = col.value(row)
                if link is not None and link[0] == j and value not in (None, ""):
                    ws.write_url(i, j, link[1], self.link, string=str(value)[:255], tip="查看发现")
                else:
                    self._cell(ws, i, j, col, value)
                if isinstance(value, str) and col.kind == "text":
                    lines = max(lines, _lines(value, col.width))
            if lines > 1:  # LibreOffice keeps wrapped cells at one line unless the height is written
                ws.set_row(i, min(LINE_HEIGHT * min(lines, MAX_LINES), MAX_ROW_HEIGHT))
        ws.freeze_panes(1, 1)
        ws.autofilter(0, 0, max(n_rows, 1), len(columns) - 1)
        self._print_setup(ws, name)
        return ws

    @staticmethod
    def _print_setup(ws: Any, name: str) -> None:
        ws.set_landscape()
        ws.set_paper(A4)
        ws.fit_to_pages(1, 0)  # every column on the page width; as many pages down as needed
        ws.repeat_rows(0)
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        ws.set_header(f"&L{name}&R&D")
        ws.set_footer("&C第 &P 页，共 &N 页")

    def colour_severity(self, ws: Any, column: int, n_rows: int) -> None:
        for label, fmt in self.severity.items():
            ws.conditional_format(1, column, max(n_rows, 1), column,
                                  {"type": "cell", "criteria": "==", "value": f'"{label}"', "format": fmt})

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


def _finding_frame(data: ReportData) -> pl.DataFrame:
    """Findings in the ranking's order: bureau-year rank (files without a bureau last), document rank, score."""
    groups = pl.concat(
        [data.bureau_ranking.select("bureau_key", "fiscal_year", pl.col("rank").alias("bureau_rank")),
         data.unidentified_ranking.select("bureau_key", "fiscal_year", pl.lit(None, pl.Int64).alias("bureau_rank"))],
        how="vertical_relaxed",
    ).with_columns(_group=pl.int_range(pl.len()))
    docs = data.document_ranking.select("document_id", "bureau_key", "fiscal_year", pl.col("rank").alias("doc_rank"))
    docs = docs.join(groups, on=["bureau_key", "fiscal_year"], how="left", nulls_equal=True)
    titles = data.tables.select("document_id", "table_id", pl.col("title").alias("table_title"))
    return (
        data.findings.join(docs.drop("fiscal_year"), on="document_id", how="left")
        .join(titles, on=["document_id", "table_id"], how="left")
        .sort(["_group", "doc_rank", "is_parse_issue", "score", "finding_id"],
              descending=[False, False, False, True, False], nulls_last=True)
        .with_columns(_sheet_row=pl.int_range(1, pl.len() + 1))
    )


def _first_rows(findings: pl.DataFrame, keys: list[str]) -> dict[tuple[Any, ...], int]:
    firsts = findings.group_by(keys, maintain_order=True).agg(pl.col("_sheet_row").min())
    return {tuple(r[:-1]): r[-1] for r in firsts.iter_rows()}


def _link_to(firsts: dict[tuple[Any, ...], int], keys: Sequence[str], column: int) -> Callable[[dict[str, Any]], tuple[int, str] | None]:
    def link(row: dict[str, Any]) -> tuple[int, str] | None:
        at = firsts.get(tuple(row.get(k) for k in keys))
        return None if at is None else (column, f"internal:'{SHEET_FINDINGS}'!A{at + 1}")

    return link


def _rows(df: pl.DataFrame) -> Iterable[dict[str, Any]]:
    return df.iter_rows(named=True)


def write_workpapers(data: ReportData, path: Path | str | None = None) -> Path:
    target = Path(path) if path else RunDir(data.out_dir).workpapers_path
    findings = _finding_frame(data)
    by_group = _first_rows(findings, ["bureau_key", "fiscal_year"])
    by_doc = _first_rows(findings, ["document_id"])
    bureau_col = [c.header for c in RANKING_COLUMNS].index("单位")
    doc_col = [c.header for c in DOCUMENT_RANKING_COLUMNS].index("文件")
    w = _Writer(target)
    if data.reviews_as_of:
        w.book.set_custom_property(PROP_REVIEWS_AS_OF, data.reviews_as_of)
    try:
        w.sheet("排名", RANKING_COLUMNS, _rows(data.bureau_ranking), data.bureau_ranking.height,
                links=_link_to(by_group, ("bureau_key", "fiscal_year"), bureau_col))
        ws = w.sheet(
            SHEET_FINDINGS, FINDING_COLUMNS, _rows(findings), findings.height,
            review_headers=(COL_STATUS, COL_REVIEWER, COL_NOTE),
        )
        headers = [c.header for c in FINDING_COLUMNS]
        w.colour_severity(ws, headers.index("严重程度"), findings.height)
        status_col = headers.index(COL_STATUS)
        ws.data_validation(
            1,
            status_col,
            max(findings.height, 1) + 500,
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
        del findings
        if data.unidentified_ranking.height:
            w.sheet("未识别单位文件", RANKING_COLUMNS, _rows(data.unidentified_ranking), data.unidentified_ranking.height,
                    links=_link_to(by_group, ("bureau_key", "fiscal_year"), bureau_col))
        summary = coverage_summary(data.coverage)
        w.sheet("覆盖", COVERAGE_COLUMNS, _rows(summary), summary.height)
        per_file = coverage_by_file(data.coverage, data.documents)
        w.sheet("覆盖（按文件）", COVERAGE_FILE_COLUMNS, _rows(per_file), per_file.height)
        w.sheet("清单", MANIFEST_COLUMNS, _rows(data.manifest), data.manifest.height)
        w.sheet("文件排名", DOCUMENT_RANKING_COLUMNS, _rows(data.document_ranking), data.document_ranking.height,
                links=_link_to(by_doc, ("document_id",), doc_col))
        if data.coverage.height <= MAX_COVERAGE_DETAIL_ROWS:
            names = data.documents.select("document_id", pl.col("path").alias("document")).unique("document_id")
            detail = data.coverage.join(names, on="document_id", how="left")
            w.sheet("覆盖明细", COVERAGE_DETAIL_COLUMNS, _rows(detail), detail.height)
        else:
            log.info("覆盖明细 left out: %d rows (see coverage.csv)", data.coverage.height)
    finally:
        w.close()
    return target
