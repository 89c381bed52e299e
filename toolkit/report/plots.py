"""Report figures as SVG text (matplotlib, object API: no pyplot, no global backend switch).

Titles, axes and labels are Chinese. The SVG keeps text as text (``svg.fonttype = 'none'``), so
the viewer's own fonts draw it: every machine an auditor reads Chinese on has a CJK font, and
none has to be shipped or installed for the report. matplotlib only measures the text to lay it
out; where no CJK font is installed it measures with its fallback font and says so once per
glyph, a warning silenced here (the layout is a little loose, the text still right).

Risk is on the report's 0–100 scale (``toolkit.report.data.RISK_SCALE``).
"""

from __future__ import annotations

import base64
import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import matplotlib
import polars as pl
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from toolkit.rank import CATEGORY_LABELS, SEVERITY_LABELS
from toolkit.report.labels import PROVINCES

SEVERITY_COLORS: dict[str, str] = {
    "high": "#c0392b",
    "medium": "#e67e22",
    "low": "#f1c40f",
    "info": "#95a5a6",
}
SEVERITY_ORDER: tuple[str, ...] = ("high", "medium", "low", "info")
# CJK families tried first by the viewer (and by matplotlib when measuring, if installed)
CJK_FONTS: tuple[str, ...] = (
    "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC",
    "SimHei", "DejaVu Sans",
)


RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "yibao-audit",  # the same data gives the same SVG bytes
    "font.family": "sans-serif",
    "font.sans-serif": list(CJK_FONTS),
    "axes.unicode_minus": False,
}


@contextmanager
def chinese_text() -> Iterator[None]:
    """matplotlib settings for figures whose text is Chinese and kept as SVG text."""
    with matplotlib.rc_context(RC), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font")
        warnings.filterwarnings("ignore", message=r"findfont: Font family .* not found")
        yield


def svg_text(fig: Figure) -> str:
    """The figure as SVG markup (text as ``<text>`` elements)."""
    FigureCanvasSVG(fig)
    buf = io.StringIO()
    with chinese_text():
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    return buf.getvalue()


def as_data_uri(svg: str | None) -> str | None:
    """An ``<img src>`` value for the report (the page's CSP allows images from data: URIs only)."""
    if svg is None:
        return None
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _figure(width: float, height: float) -> Figure:
    with chinese_text():
        return Figure(figsize=(width, height))


def findings_by_category(findings: pl.DataFrame) -> str | None:
    """Stacked horizontal bars: findings per category (Chinese names), split by severity."""
    risky = findings.filter(pl.col("category") != "parse_issue") if "category" in findings.columns else findings
    if risky.height == 0:
        return None
    counts = risky.group_by("category", "severity").len()
    categories = sorted(counts["category"].drop_nulls().unique().to_list())
    names = [CATEGORY_LABELS.get(c, c) for c in categories]
    with chinese_text():
        fig = _figure(7, 0.6 * len(categories) + 1.2)
        ax = fig.add_subplot()
        left = [0] * len(categories)
        for sev in SEVERITY_ORDER:
            sub = dict(counts.filter(pl.col("severity") == sev).select("category", "len").iter_rows())
            values = [sub.get(c, 0) for c in categories]
            if any(values):
                ax.barh(names, values, left=left, color=SEVERITY_COLORS[sev], label=SEVERITY_LABELS[sev])
                left = [a + b for a, b in zip(left, values, strict=True)]
        ax.set_xlabel("发现数")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # counts
        ax.invert_yaxis()
        ax.legend(loc="lower right", fontsize=8, title="严重程度", title_fontsize=8)
        ax.set_title("各类别发现数（按严重程度）")
    return svg_text(fig)


def risk_distribution(document_ranking: pl.DataFrame, bureau_ranking: pl.DataFrame) -> str | None:
    """Histogram of risk (0–100) of documents and bureau-years (0 = nothing found)."""
    if document_ranking.height == 0:
        return None
    with chinese_text():
        fig = _figure(7, 3)
        ax = fig.add_subplot()
        bins = list(range(0, 101, 5))
        ax.hist(document_ranking["risk"].to_list(), bins=bins, color="#2c7fb8", alpha=0.8, label="文件")
        if bureau_ranking.height:
            ax.hist(bureau_ranking["risk"].to_list(), bins=bins, histtype="step", color="#c0392b",
                    linewidth=2, label="单位-年度")
        ax.set_xlabel("风险分（0 = 无发现，100 = 确定不符）")
        ax.set_ylabel("数量")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(fontsize=8)
        ax.set_title("风险分分布")
    return svg_text(fig)


def province_label(prefix: str | None) -> str:
    if not prefix:
        return "未知地区"
    return f"{PROVINCES.get(prefix, '')}（{prefix}）" if prefix in PROVINCES else prefix


def province_stats(bureau_ranking: pl.DataFrame) -> pl.DataFrame:
    """Per province (first two digits of the region code): bureau-years, mean and max risk."""
    df = bureau_ranking.filter(pl.col("region_code").is_not_null() & (pl.col("region_code").str.len_chars() >= 2))
    return (
        df.group_by(prefix=pl.col("region_code").str.slice(0, 2))
        .agg(mean=pl.col("risk").mean(), max=pl.col("risk").max(), n=pl.len())
        .sort(["mean", "prefix"], descending=[True, False])
    )


def by_province(bureau_ranking: pl.DataFrame) -> str | None:
    """Per province: mean and max bureau-year risk, with the number of bureau-years. None without region codes."""
    stats = province_stats(bureau_ranking)
    if stats.height == 0:
        return None
    labels = [f"{province_label(p)} {n} 个" for p, n in stats.select("prefix", "n").iter_rows()]
    with chinese_text():
        fig = _figure(7, 0.35 * len(labels) + 1.2)
        ax = fig.add_subplot()
        ax.barh(labels, stats["max"].to_list(), color="#fadbd8", label="最大值")
        ax.barh(labels, stats["mean"].to_list(), color="#c0392b", height=0.4, label="均值")
        ax.set_xlim(0, 100)
        ax.invert_yaxis()
        ax.set_xlabel("单位-年度风险分")
        ax.legend(loc="lower right", fontsize=8)
        ax.set_title("各省单位-年度风险分")
    return svg_text(fig)


def peers(bureau_ranking: pl.DataFrame, region_prefix: str | None = None, top: int = 25) -> str | None:
    """Bars of the riskiest bureau-years (optionally of one province), to compare peers side by side."""
    df = bureau_ranking
    if region_prefix:
        df = df.filter(pl.col("region_code").str.starts_with(region_prefix))
    df = df.head(top)
    if df.height == 0:
        return None
    labels = [f"{b}（{y or '—'}）" for b, y in df.select("bureau", "fiscal_year").iter_rows()]
    with chinese_text():
        fig = _figure(7, 0.32 * len(labels) + 1.2)
        ax = fig.add_subplot()
        ax.barh(labels, df["risk"].to_list(), color="#2c7fb8")
        ax.set_xlim(0, 100)
        ax.invert_yaxis()
        ax.set_xlabel("风险分")
        where = province_label(region_prefix) if region_prefix else "全部地区"
        ax.set_title(f"同类单位比较：{where}")
    return svg_text(fig)
