"""yibao-audit: screen medical-insurance bureau disclosures.

The public Python API (imported on first use, so ``import toolkit`` stays fast)::

    import toolkit
    result = toolkit.screen(["datasets/seeds"], "out")  # what `yibao-audit screen` writes
    result.findings, result.coverage, result.reports["html"]
    frames = toolkit.load_frames("out")                  # the canonical frames back
    toolkit.write_reports("out", mask=True)              # report.html, workpapers.xlsx, ranking.csv again

    data = toolkit.load_report_data("out")               # what the reports show: rankings (risk 0–100), findings
    data.bureau_ranking, data.unidentified_ranking, data.document_ranking
    toolkit.province_year_table(data.bureau_ranking)     # province × year risk; toolkit.year_on_year(...)
    toolkit.finding_evidence("out", finding_id)          # a finding's evidence cells
    toolkit.source_rows("out", finding_id)               # ... and the source table rows they sit in
    toolkit.plot_by_province(data.bureau_ranking)        # report figures as SVG text (Chinese labels)

    labels, truth, _ = toolkit.synth_corpus("corpus", bureaus=5)   # a labelled synthetic corpus
    toolkit.evaluate("corpus/labels.parquet", "out/findings.parquet")  # precision / recall per kind

(``toolkit.write_reports`` is :func:`toolkit.pipeline.report`; ``toolkit.report`` is the package
of the reports themselves.)
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> (module that defines it, its name there)
_EXPORTS: dict[str, tuple[str, str]] = {
    "ingest": ("toolkit.pipeline", "ingest"),
    "screen": ("toolkit.pipeline", "screen"),
    "write_reports": ("toolkit.pipeline", "report"),  # the name ``toolkit.report`` is the reports package
    "load_frames": ("toolkit.pipeline", "load_frames"),
    "RunResult": ("toolkit.pipeline", "RunResult"),
    "ScreenResult": ("toolkit.pipeline", "ScreenResult"),
    "RunDir": ("toolkit.store", "RunDir"),
    "PhaseTimes": ("toolkit.batching", "PhaseTimes"),
    "Limits": ("toolkit.model", "Limits"),
    "SerialExecutor": ("toolkit.executor", "SerialExecutor"),
    "LocalProcessExecutor": ("toolkit.executor", "LocalProcessExecutor"),
    "rank_documents": ("toolkit.rank", "rank_documents"),
    "rank_bureaus": ("toolkit.rank", "rank_bureaus"),
    "load_report_data": ("toolkit.report.data", "load_report_data"),
    "ReportData": ("toolkit.report.data", "ReportData"),
    "evidence_cells": ("toolkit.report.data", "evidence_cells"),
    "readable_location": ("toolkit.report.data", "readable_location"),
    "finding_evidence": ("toolkit.report.evidence", "finding_evidence"),
    "source_rows": ("toolkit.report.evidence", "source_rows"),
    "province_year_table": ("toolkit.report.regions", "province_year_table"),
    "year_on_year": ("toolkit.report.regions", "year_on_year"),
    "plot_findings_by_category": ("toolkit.report.plots", "findings_by_category"),
    "plot_risk_distribution": ("toolkit.report.plots", "risk_distribution"),
    "plot_by_province": ("toolkit.report.plots", "by_province"),
    "plot_peers": ("toolkit.report.plots", "peers"),
    "synth_corpus": ("toolkit.synth.corpus", "build_corpus"),
    "evaluate": ("toolkit.evaluate", "evaluate"),
}

__all__ = [
    "Limits",
    "LocalProcessExecutor",
    "PhaseTimes",
    "ReportData",
    "RunDir",
    "RunResult",
    "ScreenResult",
    "SerialExecutor",
    "__version__",
    "evaluate",
    "evidence_cells",
    "finding_evidence",
    "ingest",
    "load_frames",
    "load_report_data",
    "plot_by_province",
    "plot_findings_by_category",
    "plot_peers",
    "plot_risk_distribution",
    "province_year_table",
    "rank_bureaus",
    "rank_documents",
    "readable_location",
    "screen",
    "source_rows",
    "synth_corpus",
    "write_reports",
    "year_on_year",
]

if TYPE_CHECKING:
    from toolkit.batching import PhaseTimes
    from toolkit.evaluate import evaluate
    from toolkit.executor import LocalProcessExecutor, SerialExecutor
    from toolkit.model import Limits
    from toolkit.pipeline import RunResult, ScreenResult, ingest, load_frames, screen
    from toolkit.pipeline import report as write_reports
    from toolkit.rank import rank_bureaus, rank_documents
    from toolkit.report.data import ReportData, evidence_cells, load_report_data, readable_location
    from toolkit.report.evidence import finding_evidence, source_rows
    from toolkit.report.plots import by_province as plot_by_province
    from toolkit.report.plots import findings_by_category as plot_findings_by_category
    from toolkit.report.plots import peers as plot_peers
    from toolkit.report.plots import risk_distribution as plot_risk_distribution
    from toolkit.report.regions import province_year_table, year_on_year
    from toolkit.store import RunDir
    from toolkit.synth.corpus import build_corpus as synth_corpus


def __getattr__(name: str) -> Any:
    target = _EXPORTS.get(name)
    if target is None:
        raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
    module, attr = target
    value = getattr(import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
