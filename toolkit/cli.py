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
    report: bool = typer.Option(True, help="Also write report.html and workpapers.xlsx (personal data masked)."),
    verbose: bool = typer.Option(False, "--verbose", "-v"),
) -> None:
    """Ingest plus every check: findings.parquet/csv (UTF-8 BOM), coverage.csv, report.html, workpapers.xlsx."""
    _setup_logging(verbose)
    from toolkit.run import screen_command

    screen_command(inputs, out, workers=workers, progress=progress, max_file_mb=max_file_mb, max_pages=max_pages)
    if report:
        from rich.console import Console

        from toolkit.report import write_reports

        paths = write_reports(out)
        Console().print(f"report: {paths['html']}   workpapers: {paths['xlsx']}")


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


@app.command()
def report(
    out_dir: Path = typer.Argument(..., help="Output directory of `screen` (findings.parquet, frames, ...)."),
    no_mask: bool = typer.Option(
        False, "--no-mask", help="Show personal data (phone/ID numbers, names) unmasked. Do not share the result."
    ),
    verbose: bool = typer.Option(False, "--verbose", "-v"),
) -> None:
    """Write DIR/report.html (ranking, findings, plots) and DIR/workpapers.xlsx for auditors."""
    _setup_logging(verbose)
    from toolkit.report import write_reports

    if not (out_dir / "findings.parquet").exists():
        typer.echo(f"{out_dir}: no findings.parquet here; run `yibao-audit screen ... --out {out_dir}` first", err=True)
        raise typer.Exit(2)
    paths = write_reports(out_dir, mask=not no_mask)
    for kind, path in paths.items():
        typer.echo(f"{kind}: {path}")


@app.command()
def review(
    out_dir: Path = typer.Argument(..., help="Output directory of `screen`; decisions go to DIR/reviews.csv."),
    finding: str = typer.Option(None, "--finding", help="finding_id to review (as in the report/workpapers)."),
    status: str = typer.Option(None, "--status", help="未复核 | 确认问题 | 排除 | 需补充资料"),
    note: str = typer.Option("", "--note", help="复核意见."),
    by: str = typer.Option("", "--by", help="Reviewer name (复核人)."),
    import_xlsx: Path = typer.Option(
        None, "--import", help="Read the 复核状态/复核人/复核意见 columns of this workpapers.xlsx (发现 sheet)."
    ),
    verbose: bool = typer.Option(False, "--verbose", "-v"),
) -> None:
    """Record review decisions on findings (kept across re-runs by the stable finding_id)."""
    _setup_logging(verbose)
    from toolkit.report.review import import_workpapers, record_review

    if import_xlsx is not None:
        if finding or status:
            typer.echo("use either --import or --finding/--status, not both", err=True)
            raise typer.Exit(2)
        try:
            added, problems = import_workpapers(out_dir, import_xlsx)
        except (OSError, ValueError) as exc:
            typer.echo(f"cannot import {import_xlsx}: {exc}", err=True)
            raise typer.Exit(1) from exc
        for p in problems:
            typer.echo(f"skipped {p}", err=True)
        typer.echo(f"{added} review decision(s) appended to {out_dir / 'reviews.csv'}")
        return
    if not finding or not status:
        typer.echo("--finding and --status are required (or --import workpapers.xlsx)", err=True)
        raise typer.Exit(2)
    try:
        saved = record_review(out_dir, finding, status, note=note, reviewer=by)
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"{saved.finding_id}: {saved.status} ({saved.timestamp}) -> {out_dir / 'reviews.csv'}")


def _fault_names(kinds: str | None) -> list[str]:
    from toolkit.mutate.faults import parse_kinds

    try:
        return parse_kinds(kinds)
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc


@app.command()
def mutate(
    inputs: list[Path] = typer.Argument(..., help="Real documents (files or directories, walked recursively)."),
    out: Path = typer.Option(..., "--out", help="Output: originals/, mutants/, rerendered/, labels.parquet."),
    kinds: str = typer.Option(None, "--kinds", help="Comma-separated fault kinds (default: all)."),
    per_doc: int = typer.Option(4, "--per-doc", help="Mutants per document at most (one fault each)."),
    seed: int = typer.Option(0, "--seed", help="Random seed (same seed, same mutants)."),
    workers: int = typer.Option(2, help="Parallel worker processes."),
    verbose: bool = typer.Option(False, "--verbose", "-v"),
) -> None:
    """Write mutants of real documents with exactly one injected fault each, and their labels."""
    _setup_logging(verbose)
    from rich.console import Console
    from rich.table import Table

    from toolkit.mutate.generate import mutate as run_mutate

    labels, truth = run_mutate(inputs, out, kinds=_fault_names(kinds), per_doc=per_doc, seed=seed, workers=workers)
    table = Table(title=f"{labels.height} mutants of {int((truth['edit_mode'] == 'original').sum())} documents")
    for col in ("fault", "source format", "edit mode", "mutants"):
        table.add_column(col, justify="right" if col == "mutants" else "left")
    if labels.height:
        counts = labels.group_by("fault", "source_format", "edit_mode").len().sort("fault", "source_format")
        for r in counts.iter_rows(named=True):
            table.add_row(r["fault"], r["source_format"], r["edit_mode"], str(r["len"]))
    Console().print(table)
    Console().print(f"labels: {out / 'labels.parquet'}")


@app.command()
def quality(
    inputs: list[Path] = typer.Argument(None, help="Real documents (default: datasets/ and ../shared/{seeds,realdocs})."),
    out: Path = typer.Option(Path("reports/quality"), "--out", help="Where mutants.md and mutants.json go."),
    kinds: str = typer.Option(None, "--kinds", help="Comma-separated fault kinds (default: all)."),
    per_doc: int = typer.Option(2, "--per-doc", help="Mutants per document (2 keeps the full loop near 10 min on 2 cores)."),
    seed: int = typer.Option(0, "--seed"),
    workers: int = typer.Option(2, help="Parallel worker processes."),
    work: Path = typer.Option(None, "--work", help="Keep the mutant corpus and screens here (default: a temp dir)."),
    verbose: bool = typer.Option(False, "--verbose", "-v"),
) -> None:
    """The quality loop: mutate real documents, screen them, score detection, write mutants.md/json."""
    _setup_logging(verbose)
    from toolkit.mutate.loop import default_inputs
    from toolkit.mutate.loop import quality as run_quality
    from toolkit.mutate.report import render_markdown

    repo = Path(__file__).resolve().parent.parent
    chosen = list(inputs) if inputs else default_inputs(repo)
    metrics = run_quality(chosen, out, per_doc=per_doc, seed=seed, kinds=_fault_names(kinds), workers=workers,
                          work=work)
    typer.echo(render_markdown(metrics))
    typer.echo(f"report: {out / 'mutants.md'}   data: {out / 'mutants.json'}")


if __name__ == "__main__":
    app()
