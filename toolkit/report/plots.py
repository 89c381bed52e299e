"""Report figures as base64 PNG strings (matplotlib, object API: no pyplot, no global backend switch).

Labels are ASCII on purpose: the report must render the same on a machine without CJK fonts,
so provinces are shown as their GB/T 2260 prefix and pinyin (``43 Hunan``).
"""

from __future__ import annotations

import base64
import io

import polars as pl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

SEVERITY_COLORS: dict[str, str] = {
    "high": "#c0392b",
    "medium": "#e67e22",
    "low": "#f1c40f",
    "info": "#95a5a6",
}
SEVERITY_ORDER: tuple[str, ...] = ("high", "medium", "low", "info")

PROVINCES: dict[str, str] = {
    "11": "Beijing",
    "12": "Tianjin",
    "13": "Hebei",
    "14": "Shanxi",
    "15": "Nei Mongol",
    "21": "Liaoning",
    "22": "Jilin",
    "23": "Heilongjiang",
    "31": "Shanghai",
    "32": "Jiangsu",
    "33": "Zhejiang",
    "34": "Anhui",
    "35": "Fujian",
    "36": "Jiangxi",
    "37": "Shandong",
    "41": "Henan",
    "42": "Hubei",
    "43": "Hunan",
    "44": "Guangdong",
    "45": "Guangxi",
    "46": "Hainan",
    "50": "Chongqing",
    "51": "Sichuan",
    "52": "Guizhou",
    "53": "Yunnan",
    "54": "Xizang",
    "61": "Shaanxi",
    "62": "Gansu",
    "63": "Qinghai",
    "64": "Ningxia",
    "65": "Xinjiang",
    "71": "Taiwan",
    "81": "Hong Kong",
    "82": "Macao",
}


def _png(fig: Figure) -> str:
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=96, bbox_inches="tight", metadata={"Software": None})
    return base64.b64encode(buf.getvalue()).decode("ascii")


def findings_by_category(findings: pl.DataFrame) -> str | None:
    """Stacked horizontal bars: findings per category, split by severity."""
    if findings.height == 0:
        return None
    counts = findings.group_by("category", "severity").len()
    categories = sorted(counts["category"].drop_nulls().unique().to_list())
    fig = Figure(figsize=(7, 0.6 * len(categories) + 1.2))
    ax = fig.add_subplot()
    left = [0] * len(categories)
    for sev in SEVERITY_ORDER:
        sub = dict(counts.filter(pl.col("severity") == sev).select("category", "len").iter_rows())
        values = [sub.get(c, 0) for c in categories]
        if any(values):
            ax.barh(categories, values, left=left, color=SEVERITY_COLORS[sev], label=sev)
            left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_xlabel("findings")
    ax.invert_yaxis()
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title("Findings by category and severity")
    return _png(fig)


def risk_distribution(document_ranking: pl.DataFrame, bureau_ranking: pl.DataFrame) -> str | None:
    """Histogram of risk scores of documents and bureau-years (0 = nothing found)."""
    if document_ranking.height == 0:
        return None
    fig = Figure(figsize=(7, 3))
    ax = fig.add_subplot()
    bins = [i / 20 for i in range(21)]
    ax.hist(
        document_ranking["risk_score"].to_list(), bins=bins, color="#2c7fb8", alpha=0.8, label="documents"
    )
    if bureau_ranking.height:
        ax.hist(
            bureau_ranking["risk_score"].to_list(),
            bins=bins,
            histtype="step",
            color="#c0392b",
            linewidth=2,
            label="bureau-years",
        )
    ax.set_xlabel("risk score (0 = no finding, 1 = certain inconsistency)")
    ax.set_ylabel("count")
    ax.legend(fontsize=8)
    ax.set_title("Risk score distribution")
    return _png(fig)


def province_label(prefix: str | None) -> str:
    if not prefix:
        return "unknown"
    return f"{prefix} {PROVINCES.get(prefix, '')}".strip()


def by_province(bureau_ranking: pl.DataFrame) -> str | None:
    """Per province: mean and max bureau-year risk, with the number of bureau-years. None without region codes."""
    df = bureau_ranking.filter(
        pl.col("region_code").is_not_null() & (pl.col("region_code").str.len_chars() >= 2)
    )
    if df.height == 0:
        return None
    stats = (
        df.group_by(prefix=pl.col("region_code").str.slice(0, 2))
        .agg(mean=pl.col("risk_score").mean(), max=pl.col("risk_score").max(), n=pl.len())
        .sort(["mean", "prefix"], descending=[True, False])
    )
    labels = [f"{province_label(p)} (n={n})" for p, n in stats.select("prefix", "n").iter_rows()]
    fig = Figure(figsize=(7, 0.35 * len(labels) + 1.2))
    ax = fig.add_subplot()
    ax.barh(labels, stats["max"].to_list(), color="#fadbd8", label="max")
    ax.barh(labels, stats["mean"].to_list(), color="#c0392b", height=0.4, label="mean")
    ax.set_xlim(0, 1)
    ax.invert_yaxis()
    ax.set_xlabel("bureau-year risk score")
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title("Risk by province")
    return _png(fig)
