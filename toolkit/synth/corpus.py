"""Write a generated corpus: documents, ``labels.parquet`` and ``truth.parquet``.

Layout::

    DIR/docs/<province>/<bureau>/<year>/<doc_type>.<fmt>
    DIR/labels.parquet   one row per injected anomaly
    DIR/truth.parquet    one row per document: identity, clean flag and the true key figures

``document`` in both files is the path **relative to DIR** (POSIX separators), e.g.
``docs/湖南省/平江县医疗保障局/2023/final_accounts.pdf``; ``toolkit.evaluate`` normalises the
paths in findings the same way. Each document gets one format, drawn from ``formats``.
"""

from __future__ import annotations

import logging
import random
import time
from pathlib import Path

import polars as pl

from toolkit.synth.draft import to_blocks
from toolkit.synth.generate import BureauYearDocs, generate
from toolkit.synth.money import QUANTUM_YUAN

log = logging.getLogger(__name__)

LABEL_SCHEMA = {
    "document": pl.String,
    "doc_type": pl.String,
    "bureau": pl.String,
    "region_code": pl.String,
    "province": pl.String,
    "fiscal_year": pl.Int32,
    "category": pl.String,
    "kind": pl.String,
    "location": pl.String,
    "injected_value": pl.String,
    "original_value": pl.String,
    "description": pl.String,
}


def _style_for(fmt: str, it: BureauYearDocs, rng: random.Random) -> str:
    if fmt == "txt":
        return it.style.txt_style + ("+pagenum" if it.style.page_lines else "")
    if fmt in ("docx", "xlsx"):
        return "merged" if rng.random() < 0.5 else "default"
    if fmt == "html":
        return "gbk" if rng.random() < 0.2 else "default"
    return "default"


def document_path(it: BureauYearDocs, doc_type: str, fmt: str) -> str:
    return f"docs/{it.region.province}/{it.dir_name or it.bureau}/{it.year}/{doc_type}.{fmt}"


def truth_rows(it: BureauYearDocs, paths: dict[str, str], formats: dict[str, str]) -> list[dict]:
    by = it.finance
    q = QUANTUM_YUAN[by.unit]
    f = by.fund
    labelled = {lb.doc_type for lb in it.labels}
    rows = []
    for doc_type, rel in paths.items():
        rows.append({
            "document": rel, "doc_type": doc_type, "format": formats[doc_type], "bureau": it.bureau,
            "region_code": it.region.code, "region_name": it.region.name, "province": it.region.province,
            "level": it.region.level, "fiscal_year": it.year, "clean": doc_type not in labelled,
            "bureau_year_clean": it.clean, "kinds": ",".join(sorted({lb.kind for lb in it.labels})),
            "unit": by.unit, "population_wan": it.region.population_wan,
            "income_total_yuan": by.income_total * q, "expense_total_yuan": by.expense_total * q,
            "prior_expense_total_yuan": it.prev.expense_total * q,
            "basic_yuan": by.basic_total * q, "project_yuan": by.project_total * q,
            "fiscal_expense_yuan": by.fiscal_expense * q, "personnel_yuan": by.personnel * q,
            "public_yuan": by.public * q, "carry_begin_yuan": by.carry_begin * q, "carry_end_yuan": by.carry_end * q,
            "sangong_final_yuan": by.sangong_total("final") * q,
            "per_capita_expense_yuan": by.expense_total * q / (it.region.population_wan * 1e4),
            "insured": f.insured, "population": f.population,
            "emp_fund_income_wan": f.emp_income / 100, "emp_fund_expense_wan": f.emp_expense / 100,
            "res_fund_income_wan": f.res_income / 100, "res_fund_expense_wan": f.res_expense / 100,
            "n_projects": len(by.projects),
        })
    return rows


def write_corpus(
    items: list[BureauYearDocs], out: Path, formats: list[str], seed: int = 0
) -> tuple[pl.DataFrame, pl.DataFrame]:
    from toolkit.render import write_document as write

    out = Path(out)
    rng = random.Random(f"{seed}-formats")
    labels: list[dict] = []
    truth: list[dict] = []
    for it in items:
        paths: dict[str, str] = {}
        fmts: dict[str, str] = {}
        lrng = random.Random(f"{seed}-{it.region.code}-{it.bureau}-{it.year}")
        for doc_type, draft in it.drafts.items():
            fmt = rng.choice(formats)
            blocks = to_blocks(draft, rng=lrng, split_tables=it.style.split_tables and fmt in ("txt", "pdf"),
                               page_lines=it.style.page_lines and fmt != "txt",
                               bookmarks=it.style.bookmarks and fmt in ("txt", "docx"))
            rel = document_path(it, doc_type, fmt)
            written = write(blocks, out / rel, fmt, style=_style_for(fmt, it, lrng))
            rel = Path(written).relative_to(out).as_posix()
            paths[doc_type] = rel
            fmts[doc_type] = Path(rel).suffix.lstrip(".")
        for lb in it.labels:
            labels.append({
                "document": paths[lb.doc_type], "doc_type": lb.doc_type, "bureau": lb.bureau,
                "region_code": lb.region_code, "province": it.region.province, "fiscal_year": lb.fiscal_year,
                "category": lb.category, "kind": lb.kind, "location": lb.location,
                "injected_value": lb.injected_value, "original_value": lb.original_value,
                "description": lb.description,
            })
        truth.extend(truth_rows(it, paths, fmts))
    labels_df = pl.DataFrame(labels, schema=LABEL_SCHEMA) if labels else pl.DataFrame(schema=LABEL_SCHEMA)
    truth_df = pl.DataFrame(truth).with_columns(pl.col("fiscal_year").cast(pl.Int32))
    out.mkdir(parents=True, exist_ok=True)
    labels_df.write_parquet(out / "labels.parquet")
    truth_df.write_parquet(out / "truth.parquet")
    return labels_df, truth_df


def build_corpus(
    out: Path, *, bureaus: int = 20, years: int = 2, formats: str | list[str] = "txt", seed: int = 0,
    anomaly_rate: float = 0.3,
) -> tuple[pl.DataFrame, pl.DataFrame, float]:
    """Generate and write a corpus; returns (labels, truth, seconds)."""
    fmts = [f.strip().lower() for f in (formats.split(",") if isinstance(formats, str) else formats) if f.strip()]
    t0 = time.perf_counter()
    items = generate(bureaus, years, seed=seed, anomaly_rate=anomaly_rate)
    labels, truth = write_corpus(items, Path(out), fmts, seed=seed)
    return labels, truth, time.perf_counter() - t0
