"""The ``yibao-audit`` command line: a thin layer over ``toolkit.run`` and friends.

Progress bars and printing live here only; everything below logs.
"""

from __future__ import annotations

import logging
from pathlib import Path

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Screen Chinese medical-insurance bureau (医疗保障局) disclosures for inconsistent totals, "
    "implausible ratios and copy-pasted text.",
)


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


@app.command()
def ingest(
    inputs: list[Path] = typer.Argument(..., help="Files or directories (walked recursively)."),
    out: Path = typer.Option(..., "--out", help="Output directory: frames/*.parquet and manifest.csv."),
    workers: int = typer.Option(0, help="Parallel worker processes (0 = all local cores)."),
    max_file_mb: float = typer.Option(100.0, help="Files larger than this are refused (parse_issue)."),
    max_pages: int = typer.Option(500, help="PDF pages read at most per file."),
    progress: bool = typer.Option(True, help="Show a progress bar."),
    verbose: bool = typer.Option(False, "--verbose", "-v"),
) -> None:
    """Load documents of every format into the canonical frames (Parquet) and write a manifest."""
    _setup_logging(verbose)
    from toolkit.run import ingest_command

    ingest_command(inputs, out, workers=workers, max_file_mb=max_file_mb, max_pages=max_pages, progress=progress)


@app.command()
def screen(
    inputs: list[Path] = typer.Argument(..., help="Files or directories (walked recursively)."),
    out: Path = typer.Option(..., "--out", help="Output directory: findings.parquet/csv, coverage.csv, frames."),
    workers: int = typer.Option(0, help="Parallel worker processes (0 = all local cores)."),
    max_file_mb: float = typer.Option(100.0, help="Files larger than this are refused (parse_issue)."),
    max_pages: int = typer.Option(500, help="PDF pages read at most per file."),
    progress: bool = typer.Option(True, help="Show a progress bar."),
    verbose: bool = typer.Option(False, "--verbose", "-v"),
) -> None:
    """Ingest plus every check: writes findings.parquet, findings.csv (UTF-8 BOM) and coverage.csv."""
    _setup_logging(verbose)
    from toolkit.run import screen_command

    screen_command(inputs, out, workers=workers, progress=progress, max_file_mb=max_file_mb, max_pages=max_pages)


@app.command()
def checks() -> None:
    """List the check catalogue: code, category, one-line description."""
    from toolkit.checks.registry import checks_command

    checks_command()


@app.command()
def synth(
    out: Path = typer.Option(..., "--out", help="Output directory for the corpus and labels.parquet."),
    bureaus: int = typer.Option(20, help="Number of bureaus."),
    years: int = typer.Option(2, help="Consecutive fiscal years per bureau."),
    formats: str = typer.Option("txt,docx,pdf,xlsx,html", help="Comma-separated output formats."),
    seed: int = typer.Option(0, help="Random seed (same seed, same corpus)."),
    anomaly_rate: float = typer.Option(0.3, help="Share of bureau-years that receive injected anomalies."),
) -> None:
    """Generate a labelled synthetic corpus of bureau documents with injected anomalies."""
    from toolkit.synth.corpus import synth_command

    synth_command(out, bureaus=bureaus, years=years, formats=formats, seed=seed, anomaly_rate=anomaly_rate)


@app.command()
def evaluate(
    labels: Path = typer.Option(..., "--labels", help="labels.parquet from `synth`."),
    findings: Path = typer.Option(..., "--findings", help="findings.parquet from `screen`."),
    out: Path = typer.Option(None, "--out", help="Where to write metrics.json (default: beside findings)."),
) -> None:
    """Score findings against injected labels: precision/recall/F1 per category and kind, ranking AUC."""
    from toolkit.evaluate import evaluate_command

    evaluate_command(labels, findings, out)


@app.command()
def bench(
    sizes: str = typer.Option("1000,2000,4000,8000", help="Corpus sizes in documents."),
    out: Path = typer.Option(Path("reports/bench"), "--out"),
    workers: int = typer.Option(0, help="Parallel worker processes (0 = all local cores)."),
) -> None:
    """Generate corpora of growing size and measure ingest and screening throughput and memory."""
    from toolkit.bench import bench_command

    bench_command(sizes, out, workers=workers)


if __name__ == "__main__":
    app()
