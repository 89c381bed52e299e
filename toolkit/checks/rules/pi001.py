"""PI001: A file could not be read, or only in part (parse issue from the loader/extractor)."""

from __future__ import annotations

import polars as pl

from toolkit.checks.framework import Check, CheckResult, conform_hits, get
from toolkit.checks.registry import register

_CODE_WORDS = {
    "empty": "文件为空", "unreadable": "文件无法读取", "encrypted": "文件已加密", "truncated": "文件不完整（被截断）",
    "scanned": "扫描件（无文字层）", "cid_garbage": "文字层乱码（字体映射缺失）", "too_large": "文件超过大小上限",
    "zip_bomb": "压缩比异常（疑似压缩炸弹）", "hostile_xml": "含有不安全的 XML 结构",
    "ocr": "扫描页（无文字层）已用 OCR 识别，所涉数字请对照原件", "ocr_error": "扫描页无法渲染供 OCR 识别",
    "figures_unplaced": "表格排在一行内，部分数字无法确定所在栏目，未纳入核对",
    "figures_placed_one_wrong": "表格排在一行内，数字栏目须假定其中一个数字有误才能与合计相符，已按此定位，请对照核对结果",
}


@register
class ParseIssues(Check):
    """A file could not be read, or only in part (parse issue from the loader/extractor).

    What it does: turns every ``parse_issues`` row into a finding carrying the loader's own
    severity and reason, so the findings list names every file that was not (fully) screened.

    Why it matters: a document the tool could not read is a document nobody checked; an
    auditor must see it rather than assume it passed.

    Example: 某县医保局2022年决算.pdf — 扫描件（无文字层）: no text layer on 12 of 12 pages.

    Known false positives: none by construction; the severity is the loader's.
    """

    code = "PI001"
    name = "parse-issue"
    category = "parse_issue"
    detects = ("parse_issue",)
    label = "文件未能完整读取"

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        pi = get(frames, "parse_issues")
        if pi.height == 0:
            return CheckResult.nothing()
        word = pl.col("code").replace_strict(_CODE_WORDS, default=pl.col("code"))
        page = pl.when(pl.col("page").is_not_null()).then(
            pl.concat_str([pl.lit("第"), pl.col("page").cast(pl.String), pl.lit("页：")])).otherwise(pl.lit(""))
        hits = pi.with_row_index("_i").select(
            "document_id",
            pl.lit(None, dtype=pl.String).alias("table_id"),
            # Code, page and ordinal, not the reason text: a reworded reason must not change the finding's id.
            pl.concat_str([pl.col("code").fill_null(""), pl.lit("|p"), pl.col("page").cast(pl.String).fill_null("-"),
                           pl.lit("|"), pl.int_range(pl.len()).over("document_id", "code", "page").cast(pl.String)]
                          ).alias("location"),
            pl.lit("parse_issue").alias("kind"),
            pl.concat_str([pl.lit("文件 "), pl.col("path").fill_null(""), pl.lit(" 未能完整读取："), word, pl.lit("。"),
                           page, pl.col("reason").fill_null("")]).alias("message"),
            pl.concat_str([pl.lit('[{"path": "'), pl.col("path").fill_null(""), pl.lit('"}]')]).alias("evidence"),
            pl.col("severity").fill_null("medium").alias("severity"),
            pl.lit(1.0).alias("rel_diff"),
        )
        return CheckResult(conform_hits(hits), pl.DataFrame(schema={"document_id": pl.String, "identity": pl.String,
                                                                     "status": pl.String, "reason": pl.String}))
