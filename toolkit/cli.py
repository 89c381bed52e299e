"""The ``yibao-audit`` command line: a thin layer over :mod:`toolkit.pipeline` and friends.

Progress bars and printing live here only; everything below returns data or logs. Option
defaults come from :mod:`toolkit.settings`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from toolkit import settings
from toolkit.shareable import UNMASKED_NOTICE

if TYPE_CHECKING:
    import polars as pl
    from rich.console import Console

    from toolkit.pipeline import ProgressCallback, RunResult

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Screen Chinese medical-insurance bureau (医疗保障局) disclosures for inconsistent totals, "
    "implausible ratios and copy-pasted text.",
)

WORKERS_HELP = "Parallel worker processes (0 = all local cores)."
VERBOSE_HELP = "Log every step (DEBUG) to stderr, for a bug report."


def user_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """A user's mistake (:class:`toolkit.job.exitcodes.UserError`) ends the command with one line on
    stderr and exit code 2, however the command is invoked (``main``, a test runner, typer)."""
    import functools

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        from toolkit.job.exitcodes import USAGE, UserError

        try:
            return command(*args, **kwargs)
        except UserError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(USAGE) from exc

    return run


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


def _console() -> Console:
    from rich.console import Console

    return Console()


def shown_path(path: str, inputs: list[Path] | None) -> str:
    """A file's path relative to the input it was found under (the input's own name first)."""
    for given in inputs or []:
        root = Path(given)
        if not root.is_dir():
            continue
        try:
            rel = Path(path).relative_to(root)
        except ValueError:
            continue
        return str(Path(root.name or str(root)) / rel)
    return path


class _PhaseLines(logging.Handler):
    """Prints a line when a run enters a phase; other records go on to the usual handlers."""

    def __init__(self, say: Callable[[str], None]):
        super().__init__(logging.INFO)
        self.say = say

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("writing reports"):
            self.say("检查完成；写报告（report.html、workpapers.xlsx）…")
        elif message.startswith("reports for") and isinstance(record.args, tuple) and len(record.args) == 2:
            self.say(f"报告已写出，用时 {record.args[1]:.1f} s")
        root = logging.getLogger()
        if record.levelno >= root.getEffectiveLevel():
            for handler in root.handlers:
                handler.handle(record)


def _with_progress(progress: bool, fn: Callable[[ProgressCallback | None], Any],
                   inputs: list[Path] | None = None) -> Any:
    """Run ``fn(progress_callback)`` under a rich progress bar (or with no callback).

    The bar shows each file's path relative to its input; a line is printed when reading ends
    (checks start) and when the reports are written.
    """
    if not progress:
        return fn(None)
    import time

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[last]}", style="dim"),
        transient=True,
    ) as bar:
        task_id = bar.add_task("读取", total=None, last="")
        started = time.perf_counter()

        def say(line: str) -> None:
            bar.console.print(f"[dim]{time.perf_counter() - started:6.1f} s[/] {line}")

        def callback(done: int, total: int, path: str, status: str) -> None:
            shown = shown_path(path, inputs)
            shown = shown if len(shown) <= 60 else "…" + shown[-59:]
            bar.update(task_id, completed=done, total=total, last=f"{status:<7} {shown}")
            if done == total:
                bar.update(task_id, description="检查")
                say(f"已读取 {total} 个文件；运行检查…")

        report_log = logging.getLogger("toolkit.report")
        phases = _PhaseLines(say)
        level, propagate = report_log.level, report_log.propagate
        report_log.addHandler(phases)
        report_log.setLevel(min(logging.INFO, report_log.getEffectiveLevel()))
        report_log.propagate = False
        try:
            return fn(callback)
        finally:
            report_log.removeHandler(phases)
            report_log.setLevel(level)
            report_log.propagate = propagate


def _print_files_table(console: Console, run: RunResult) -> None:
    import polars as pl
    from rich.table import Table

    table = Table(title=f"{run.n_files} files in {run.seconds:.1f} s", show_lines=False)
    table.add_column("status")
    table.add_column("files", justify="right")
    table.add_column("first reasons", overflow="fold")
    for status in ("ok", "not_a_disclosure", "partial", "failed", "skipped"):
        rows = run.manifest.filter(pl.col("status") == status)
        if status == "skipped" and rows.height == 0:
            continue
        reasons = rows.drop_nulls("reason")["reason"].head(3).to_list() if status != "ok" else []
        table.add_row(status, str(rows.height), "\n".join(r[:120] for r in reasons))
    console.print(table)


def _print_findings_table(console: Console, findings: pl.DataFrame) -> None:
    import polars as pl
    from rich.table import Table

    table = Table(title=f"{findings.height} findings")
    severities = ["high", "medium", "low", "info"]
    table.add_column("category")
    for sev in severities:
        table.add_column(sev, justify="right")
    table.add_column("total", justify="right")
    if findings.height:
        counts = findings.group_by("category", "severity").len()
        for category in sorted(counts["category"].drop_nulls().unique().to_list()):
            sub = counts.filter(pl.col("category") == category)
            by_sev = dict(zip(sub["severity"].to_list(), sub["len"].to_list(), strict=True))
            table.add_row(category, *(str(by_sev.get(s, 0)) for s in severities), str(sum(by_sev.values())))
    console.print(table)


def _limits(max_file_mb: float, max_pages: int) -> Any:
    return settings.limits_for(max_file_mb, max_pages)


@app.command()
@user_errors
def ingest(
    inputs: list[Path] = typer.Argument(..., help="Files or directories (walked recursively)."),
    out: Path = typer.Option(..., "--out", help="Output directory: frames/*.parquet and manifest.csv."),
    workers: int = typer.Option(settings.WORKERS, help=WORKERS_HELP),
    max_file_mb: float = typer.Option(settings.MAX_FILE_MB, help="Files larger than this are refused (parse_issue)."),
    max_pages: int = typer.Option(settings.MAX_PAGES, help="PDF pages read at most per file."),
    progress: bool = typer.Option(True, help="Show a progress bar (file paths relative to their input) and a line per phase."),
    follow_links: bool = typer.Option(
        False, "--follow-links", help="Follow symbolic links that point outside the input folders (skipped by default)."
    ),
    no_mask: bool = typer.Option(
        False, "--no-mask", help="Write personal data (phone/ID numbers, names) unmasked. Do not share the result."
    ),
    verbose: bool = typer.Option(False, "--verbose", "-v", help=VERBOSE_HELP),
) -> None:
    """Load documents of every format into the canonical frames (Parquet) and write a manifest."""
    _setup_logging(verbose)
    from toolkit.pipeline import ingest as run_ingest
    from toolkit.store import RunDir

    limits = _limits(max_file_mb, max_pages)
    run = _with_progress(progress, lambda cb: run_ingest(inputs, out, workers=workers, limits=limits,
                                                         progress_callback=cb, follow_links=follow_links,
                                                         mask=not no_mask), inputs)
    console = _console()
    if no_mask:
        console.print(f"[bold red]{UNMASKED_NOTICE}[/]")
    _print_files_table(console, run)
    run_dir = RunDir(out)
    console.print(f"frames: {run_dir.frames_dir}   manifest: {run_dir.manifest_path}")


def _split(values: str | None) -> list[str] | None:
    return [v.strip() for v in values.split(",") if v.strip()] if values else None


@app.command()
@user_errors
def screen(
    inputs: list[Path] = typer.Argument(None, help="Files or directories (walked recursively); replace the job file's inputs."),
    config: Path = typer.Option(None, "--config", help="A job file (TOML): inputs per region and every option below."),
    out: Path = typer.Option(None, "--out", help="Output: a link to the current run (findings, ranking, run.json, "
                             "reports); history and decisions in OUT.runs/."),
    workers: int = typer.Option(None, help=WORKERS_HELP),
    executor: str = typer.Option(None, "--executor", help="local (default: a process pool), serial, or dask (with --scheduler, or a LocalCluster)."),
    scheduler: str = typer.Option(None, "--scheduler", help="Passed to the executor (e.g. tcp://host:8786)."),
    max_file_mb: float = typer.Option(None, help="Files larger than this are refused (parse_issue)."),
    max_pages: int = typer.Option(None, help="PDF pages read at most per file."),
    file_timeout_s: float = typer.Option(None, "--file-timeout", help="CPU seconds per file (plus a per-MB allowance)."),
    fail_on: str = typer.Option(None, "--fail-on", help="Exit 1 when a finding is at or above: info|low|medium|high."),
    full: bool = typer.Option(False, "--full", help="Parse and check every file again (ignore the previous run)."),
    select: str = typer.Option(None, "--select", help="Comma-separated check codes or patterns to keep (IT0*,CP*)."),
    exclude: str = typer.Option(None, "--exclude", help="Comma-separated check codes or patterns to drop."),
    progress: bool = typer.Option(True, help="Show a progress bar (file paths relative to their input) and a line per phase."),
    report: bool = typer.Option(None, "--report/--no-report", help="Also write report.html and workpapers.xlsx (personal data masked)."),
    mask: bool = typer.Option(None, "--mask/--no-mask", help="Mask personal data in every shared output (default); "
                              "--no-mask writes it unmasked: do not share the result."),
    follow_links: bool = typer.Option(
        False, "--follow-links", help="Follow symbolic links that point outside the input folders (skipped by default)."
    ),
    verbose: bool = typer.Option(False, "--verbose", "-v", help=VERBOSE_HELP),
) -> None:
    """Screen: ingest plus every check, incremental over the previous run; exit 1 at --fail-on.

    Writes findings.parquet/csv, coverage.csv, changes.parquet/csv (new/recurring/changed/resolved),
    ranking.parquet/csv, run.json, report.html and workpapers.xlsx into a fresh run folder and
    switches OUT to it at the end. Exit codes: 0 clean, 1 findings at/above --fail-on, 2 input or
    usage error, 3 internal error (docs/screening-job.md).
    """
    _setup_logging(verbose)
    from toolkit.job.config import JobConfig
    from toolkit.job.exitcodes import exit_code_for
    from toolkit.pipeline import make_executor
    from toolkit.pipeline import screen as run_screen

    job = JobConfig.from_toml(config) if config is not None else JobConfig()
    job = job.with_overrides(
        out=str(out) if out is not None else None, workers=workers, executor=executor, scheduler=scheduler,
        max_file_mb=max_file_mb, max_pages=max_pages, file_timeout_s=file_timeout_s, fail_on=fail_on,
        select=_split(select), exclude=_split(exclude), report=report, mask=mask,
        incremental=False if full else None,
        inputs={"cli": [str(p) for p in inputs]} if inputs else None,
    )
    # inputs on the command line are relative to the working folder, the job file's to its folder
    regions = {"cli": list(inputs)} if inputs else job.input_paths()
    paths = [p for found in regions.values() for p in found]
    out_path = job.out_path()
    result = _with_progress(progress, lambda cb: run_screen(
        paths, out_path, executor=make_executor(job.executor, job.workers, job.scheduler),
        limits=_limits(job.max_file_mb, job.max_pages), progress_callback=cb, file_timeout_s=job.file_timeout_s,
        batch_docs=job.batch_docs, write_report=job.report, mask=job.mask, config=job, incremental=job.incremental,
        regions={region: [str(p) for p in found] for region, found in regions.items()}, follow_links=follow_links,
    ), paths)
    console = _console()
    if job.mask is False:
        console.print(f"[bold red]{UNMASKED_NOTICE}[/]")
    _print_files_table(console, result.run)
    _print_findings_table(console, result.findings)
    summary = result.summary
    ch = summary.get("changes", {})
    console.print(f"reused {summary.get('reused', 0)} of {result.run.n_files} files from the previous run; "
                  f"findings: new {ch.get('new', 0)}, recurring {ch.get('recurring', 0)}, "
                  f"changed {ch.get('changed', 0)}, resolved {ch.get('resolved', 0)}")
    orphans = summary.get("orphan_decisions") or []
    if orphans:
        console.print(f"[yellow]{len(orphans)} decision(s) apply to findings no longer found[/] "
                      f"(yibao-audit review {out_path} --orphans)")
    console.print(f"output: {out_path}  (findings.csv, ranking.csv, changes.csv, run.json"
                  + (", report.html, workpapers.xlsx" if result.reports else "") + ")")
    code = exit_code_for(result.findings, job.fail_on)
    if code:
        console.print(f"[bold]exit 1[/]: findings at or above {job.fail_on}")
        raise typer.Exit(code)


@app.command()
def checks(
    markdown: bool = typer.Option(False, "--markdown", help="Print the catalogue as Markdown (docs/checks.md)."),
    out: Path | None = typer.Option(None, "--out", help="With --markdown: write it to this file instead."),
) -> None:
    """List the check catalogue: code, category, one-line description (or the whole catalogue as Markdown)."""
    from rich.console import Console
    from rich.table import Table

    from toolkit.checks.registry import catalogue, catalogue_markdown

    if out is not None and not markdown:
        raise typer.BadParameter("--out needs --markdown", param_hint="--out")
    if markdown:
        text = catalogue_markdown()
        if out is None:
            typer.echo(text, nl=False)
        else:
            out.write_text(text, encoding="utf-8")
            Console(stderr=True).print(f"wrote {out}")
        return
    table = Table(title="yibao-audit checks")
    for col in ("code", "category", "name", "label", "summary"):
        table.add_column(col)
    for e in catalogue():
        table.add_row(e["code"], e["category"], e["name"], e["label"], e["summary"])
    Console().print(table)


@app.command("new-check")
def new_check(
    code: str = typer.Argument(..., help="The new, never used check code, e.g. IT050."),
    name: str = typer.Option(..., "--name", help="kebab-case name, e.g. text-amount-vs-table."),
    category: str = typer.Option(..., "--category", help="One of toolkit.kinds.CATEGORIES."),
    detects: list[str] = typer.Option(..., "--detects", help="Anomaly kind(s) of toolkit.kinds.KINDS it emits."),
    label: str = typer.Option(..., "--label", help="Short Chinese name used in the ranking's explanations."),
    summary: str = typer.Option("(one line: what is wrong when this check fires)", "--summary",
                                help="The docstring's first line: the catalogue entry."),
    root: Path = typer.Option(Path("."), "--root", help="The repository root."),
) -> None:
    """Write a new check's rule module and its case file from the template (see docs/contributing.md)."""
    from toolkit.checks.scaffold import new_check as scaffold

    try:
        paths = scaffold(root, code, name=name, category=category, detects=detects, label=label, summary=summary)
    except ValueError as exc:
        typer.echo(f"new-check: {exc}", err=True)
        raise typer.Exit(2) from exc
    for path in paths:
        typer.echo(f"wrote {path}")


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
    from rich.table import Table

    from toolkit.synth.corpus import build_corpus

    labels, truth, secs = build_corpus(out, bureaus=bureaus, years=years, formats=formats, seed=seed,
                                       anomaly_rate=anomaly_rate)
    console = _console()
    n = truth.height
    console.print(f"[bold]{n}[/] documents ({truth['bureau'].n_unique()} bureaus × {years} years) written to {out} "
                  f"in {secs:.1f}s ({n / max(secs, 1e-9):.1f} documents/s); "
                  f"{int(truth['clean'].sum())} clean documents; paths in labels/truth are relative to {out}")
    table = Table(title="Injected anomalies (labels.parquet)")
    table.add_column("category")
    table.add_column("kind")
    table.add_column("labels", justify="right")
    if labels.height:
        counts = labels.group_by(["category", "kind"]).len().sort(["category", "kind"])
        for row in counts.iter_rows(named=True):
            table.add_row(row["category"], row["kind"], str(row["len"]))
    console.print(table)


def _fmt(v: float | None) -> str:
    return "—" if v is None else f"{v:.2f}"


@app.command()
def evaluate(
    labels: Path = typer.Option(..., "--labels", help="labels.parquet from `synth`."),
    findings: Path = typer.Option(..., "--findings", help="findings.parquet from `screen`."),
    out: Path = typer.Option(None, "--out", help="Where to write metrics.json (default: beside findings)."),
) -> None:
    """Score findings against injected labels: precision/recall/F1 per category and kind, ranking AUC."""
    from rich.table import Table

    from toolkit.evaluate import MATCHING_RULE, evaluate_command, metrics_path

    metrics = evaluate_command(labels, findings, out)
    console = _console()
    console.print(f"[dim]Matching rule: {MATCHING_RULE}[/]")
    for title, key, first in (("Per category", "per_category", "category"), ("Per kind", "per_kind", "kind")):
        t = Table(title=title)
        for col in (first, "labels", "detected", "findings", "precision", "recall", "F1"):
            t.add_column(col, justify="left" if col == first else "right")
        for name, m in metrics[key].items():
            if not m["labels"] and not m["findings"]:
                continue
            t.add_row(name, str(m["labels"]), str(m["detected"]), str(m["findings"]), _fmt(m["precision"]),
                      _fmt(m["recall"]), _fmt(m["f1"]))
        console.print(t)
    if "false_findings_per_clean_document" in metrics:
        console.print(f"False findings per clean document: {metrics['false_findings_per_clean_document']:.3f} "
                      f"({metrics['n_clean_documents']} clean of {metrics['n_documents']} documents)")
        r = metrics["ranking"]
        for agg in ("max_score", "sum_score"):
            m = r[agg]
            console.print(f"Bureau-year ranking by {agg}: ROC AUC {_fmt(m['roc_auc'])}, "
                          f"precision@{r['positive_bureau_years']} {_fmt(m['precision_at_n_positive'])}, "
                          f"precision@10 {_fmt(m['precision_at_10'])} "
                          f"({r['positive_bureau_years']} of {r['bureau_years']} bureau-years positive)")
    console.print(f"metrics: {metrics_path(findings, out)}")


BENCH_COLUMNS = {
    "documents": "docs", "ingest_docs_per_s": "ingest docs/s", "pdf_pages_per_s": "PDF pages/s",
    "ingest_s": "ingest s", "checks_s": "checks s", "checks_over_ingest": "checks/ingest", "screen_s": "screen s",
    "cpu_ms_per_doc": "CPU ms/doc", "peak_rss_self_mb": "RSS main MB", "peak_rss_largest_worker_mb": "RSS worker MB",
    "time_ratio_vs_previous": "time ×", "cpu_ratio_vs_previous": "CPU ×", "corpus_ratio_vs_previous": "corpus pass ×",
    "rss_ratio_vs_previous": "RSS ×", "size_ratio_vs_previous": "size ×",
}


@app.command()
def bench(
    sizes: str = typer.Option("1000,2000,4000,8000", help="Corpus sizes in documents."),
    out: Path = typer.Option(Path("reports/bench"), "--out", help="Where bench.json, bench.png and the corpora go."),
    workers: int = typer.Option(settings.WORKERS, help=WORKERS_HELP),
) -> None:
    """Generate corpora of growing size and measure ingest and screening throughput and memory."""
    from rich.table import Table

    from toolkit.bench import run_benchmark

    meta = run_benchmark(sizes, out, workers=workers)
    t = Table(title=f"Benchmark ({workers or os.cpu_count()} workers)")
    for label in BENCH_COLUMNS.values():
        t.add_column(label, justify="right")
    for r in meta["results"]:
        t.add_row(*[str(r.get(c, r.get("error", "—") if c == "documents" else "—")) for c in BENCH_COLUMNS])
    console = _console()
    console.print(t)
    console.print(f"verdict: {meta['verdict']}")
    console.print(f"bench: {Path(out) / 'bench.json'}  chart: {Path(out) / 'bench.png'}")


def _finished_run(out_dir: Path) -> None:
    """Refuse a folder that is not a finished run: one line, exit 2."""
    from toolkit.job.exitcodes import UserError
    from toolkit.store import RunDir

    reason = RunDir(out_dir).incomplete_reason()
    if reason is not None:
        raise UserError(f"{out_dir}: not a finished run ({reason}); run `yibao-audit screen ... --out {out_dir}`")


@app.command()
@user_errors
def report(
    out_dir: Path = typer.Argument(..., help="Output directory of `screen` (findings.parquet, frames, ...)."),
    no_mask: bool = typer.Option(
        False, "--no-mask", help="Show personal data (phone/ID numbers, names) unmasked. Do not share the result."
    ),
    verbose: bool = typer.Option(False, "--verbose", "-v", help=VERBOSE_HELP),
) -> None:
    """Write DIR/report.html (ranking, findings, plots) and DIR/workpapers.xlsx for auditors."""
    _setup_logging(verbose)
    from toolkit.pipeline import report as write_reports

    _finished_run(out_dir)
    paths = write_reports(out_dir, mask=not no_mask)
    for kind, path in paths.items():
        typer.echo(f"{kind}: {path}")


@app.command()
@user_errors
def review(
    out_dir: Path = typer.Argument(..., help="Output directory of `screen`; decisions go to DIR/reviews.csv."),
    finding: str = typer.Option(None, "--finding", help="finding_id to review (as in the report/workpapers)."),
    status: str = typer.Option(None, "--status", help="未复核 | 确认问题 | 排除 | 需补充资料"),
    note: str = typer.Option("", "--note", help="复核意见."),
    by: str = typer.Option("", "--by", help="Reviewer name (复核人)."),
    import_xlsx: Path = typer.Option(
        None, "--import", help="Read the 复核状态/复核人/复核意见 columns of this workpapers.xlsx (发现 sheet)."
    ),
    orphans: bool = typer.Option(False, "--orphans", help="List decisions whose finding this run no longer has."),
    refresh: bool = typer.Option(True, "--refresh/--no-refresh",
                                 help="Rewrite workpapers.xlsx and report.html with the new decisions."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help=VERBOSE_HELP),
) -> None:
    """Record review decisions on findings (they follow a finding across re-runs by its fingerprint)."""
    _setup_logging(verbose)
    from toolkit.job.exitcodes import UserError
    from toolkit.report.review import import_workpapers, orphan_decisions, record_review, refresh_workbook
    from toolkit.store import RunDir

    _finished_run(out_dir)
    reviews_path = RunDir(out_dir).reviews_path
    if orphans:
        table = orphan_decisions(out_dir)
        for r in table.iter_rows(named=True):
            typer.echo(f"{r['finding_id']}\t{r['status']}\t{r['reviewer']}\t{r['timestamp']}\t{r['note']}")
        typer.echo(f"{table.height} orphan decision(s)", err=True)
        return
    if import_xlsx is not None:
        if finding or status:
            raise UserError("use either --import or --finding/--status, not both")
        if not import_xlsx.is_file():
            raise UserError(f"cannot import {import_xlsx}: no such file")
        try:
            added, problems = import_workpapers(out_dir, import_xlsx)
        except (OSError, ValueError, KeyError) as exc:
            raise UserError(f"cannot import {import_xlsx}: {exc}") from exc
        for p in problems:
            typer.echo(f"skipped {p}" if "conflict" not in p else p, err=True)
        typer.echo(f"{added} review decision(s) appended to {reviews_path}")
    else:
        if not finding or not status:
            raise UserError("--finding and --status are required (or --import workpapers.xlsx, or --orphans)")
        try:
            saved = record_review(out_dir, finding, status, note=note, reviewer=by)
        except ValueError as exc:
            raise UserError(str(exc)) from exc
        typer.echo(f"{saved.finding_id}: {saved.status} ({saved.timestamp}) -> {reviews_path}")
    workpapers = RunDir(out_dir).workpapers_path
    if refresh and workpapers.exists():
        refresh_workbook(out_dir)
        typer.echo(f"refreshed {workpapers}")
    elif workpapers.exists():
        typer.echo(f"{workpapers} is now stale: `yibao-audit report {out_dir}` rewrites it", err=True)


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
    verbose: bool = typer.Option(False, "--verbose", "-v", help=VERBOSE_HELP),
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
def fuzz(
    inputs: list[Path] = typer.Argument(None, help="Real files or directories to mutate (default: datasets)."),
    out: Path = typer.Option(Path("reports/fuzz"), "--out", help="Where cases/, runs/, fuzz.json and fuzz.md go."),
    cases: int = typer.Option(1000, "--cases", help="Mutated files per format family."),
    families: str = typer.Option(",".join(("pdf", "docx", "xlsx", "xls", "html", "txt")), "--families",
                                 help="Comma-separated format families."),
    seed: int = typer.Option(0, "--seed", help="Random seed (same seed, same cases)."),
    workers: int = typer.Option(1, help="Worker processes of each family's ingest."),
    file_timeout: float = typer.Option(30.0, "--file-timeout", help="Soft CPU budget per case, seconds."),
    hostile: bool = typer.Option(False, "--hostile", help="Instead: the hostile corpus (one entry per hostile "
                                 "case, a 3 GB PDF stream bomb among them) and its table."),
    verbose: bool = typer.Option(False, "--verbose", "-v"),
) -> None:
    """Mutated real files (byte flips, truncation, zip member and XML edits) through ingest: crashes,
    hangs, files missing from the manifest, slowest case and peak worker memory per family."""
    _setup_logging(verbose)
    from toolkit.fuzz.runner import run_fuzz

    if hostile:
        import json

        from toolkit.fuzz.hostile import hostile_table

        seeds = sorted(Path("datasets/seeds").glob("*.txt"))
        if not seeds:
            typer.echo("the hostile corpus needs a seed text under datasets/seeds", err=True)
            raise typer.Exit(2)
        Path(out).mkdir(parents=True, exist_ok=True)
        table = hostile_table(Path(out), seeds[0].read_text(encoding="utf-8"), workers=max(workers, 1))
        (Path(out) / "hostile.json").write_text(json.dumps(table, indent=2, ensure_ascii=False), encoding="utf-8")
        typer.echo("| entries given | in manifest | as expected | crashes | hangs | peak worker RSS (MB) | run (s) |")
        typer.echo("|---:|---:|---:|---:|---:|---:|---:|")
        typer.echo(f"| {table['entries_given']} | {table['in_manifest']} | {table['as_expected']} | {table['crashes']} "
                   f"| {table['hangs']} | {table['peak_worker_rss_mb']} | {table['run_seconds']} |")
        for problem in table["problems"]:
            typer.echo(f"- {problem}")
        if table["problems"] or table["crashes"] or table["hangs"]:
            raise typer.Exit(1)
        return

    chosen = [f.strip() for f in families.split(",") if f.strip()]
    results = run_fuzz(inputs or [Path("datasets")], out, cases=cases, families=chosen, seed=seed,
                       workers=workers, file_timeout_s=file_timeout)
    typer.echo((Path(out) / "fuzz.md").read_text(encoding="utf-8"))
    if any(s.crashes or s.missing or s.hangs for s in results):
        raise typer.Exit(1)


@app.command()
def quality(
    inputs: list[Path] = typer.Argument(None, help="Real documents (default: datasets/ and ../shared/{seeds,realdocs})."),
    out: Path = typer.Option(Path("reports/quality"), "--out", help="Where mutants.md and mutants.json go."),
    kinds: str = typer.Option(None, "--kinds", help="Comma-separated fault kinds (default: all)."),
    per_doc: int = typer.Option(2, "--per-doc", help="Mutants per document (2 keeps the full loop near 10 min on 2 cores)."),
    seed: int = typer.Option(0, "--seed", help="Random seed (same seed, same mutants)."),
    workers: int = typer.Option(2, help="Parallel worker processes."),
    work: Path = typer.Option(None, "--work", help="Keep the mutant corpus and screens here (default: a temp dir)."),
    untemplated: bool = typer.Option(False, "--untemplated", help="Plant table faults only in tables of no "
                                     "recognised type (other faults are left out)."),
    shapes: bool = typer.Option(False, "--shapes", help="Table faults per document shape (DOCX vs text tables): "
                                "text-shapes.md; inputs default to datasets/seeds and datasets/realdocs."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help=VERBOSE_HELP),
) -> None:
    """The quality loop: mutate real documents, screen them, score detection, write mutants.md/json."""
    _setup_logging(verbose)
    if shapes:
        from toolkit.mutate.shapes import shape_quality

        repo = Path(__file__).resolve().parent.parent
        result = shape_quality(list(inputs) if inputs else [repo / "datasets" / d for d in ("seeds", "realdocs")], out, seed=seed,
                               workers=workers, work=work)
        typer.echo((out / "text-shapes.md").read_text(encoding="utf-8"))
        typer.echo(f"{result['run']['seconds']:.0f} s; report: {out / 'text-shapes.md'}")
        return
    from toolkit.mutate.loop import default_inputs
    from toolkit.mutate.loop import quality as run_quality
    from toolkit.mutate.report import render_markdown

    repo = Path(__file__).resolve().parent.parent
    chosen = list(inputs) if inputs else default_inputs(repo)
    metrics = run_quality(chosen, out, per_doc=per_doc, seed=seed, kinds=_fault_names(kinds), workers=workers,
                          work=work, untemplated=untemplated)
    typer.echo(render_markdown(metrics))
    typer.echo(f"report: {out / 'mutants.md'}   data: {out / 'mutants.json'}")


def _wants_traceback(argv: list[str]) -> bool:
    return "-v" in argv or "--verbose" in argv


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code (the ``yibao-audit`` entry point).

    0 ran clean, 1 findings at or above ``--fail-on``, 2 input or usage error, 3 internal error,
    130 interrupted (:mod:`toolkit.job.exitcodes`). User mistakes print one line, never a traceback.
    """
    import sys
    import traceback

    from typer.exceptions import Abort, TyperException

    from toolkit.job import exitcodes

    interrupted = "interrupted: nothing was switched; the previous outputs are as they were"
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        code = app(args=args, prog_name="yibao-audit", standalone_mode=False)
    except exitcodes.UserError as exc:
        typer.echo(f"error: {exc}", err=True)
        return exitcodes.USAGE
    except (Abort, KeyboardInterrupt):
        typer.echo(interrupted, err=True)
        return exitcodes.INTERRUPTED
    except TyperException as exc:  # bad option, missing argument: the parser's own message
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            typer.echo(f"error: {exc.format_message()}", err=True)
        return exitcodes.USAGE
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError) as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        typer.echo(f"error: {where}{exc.strerror or exc}", err=True)
        return exitcodes.USAGE
    except Exception as exc:  # noqa: BLE001 - a bug: say so in one line, the traceback on request
        if _wants_traceback(args):
            traceback.print_exc()
        typer.echo(f"internal error: {type(exc).__name__}: {exc} (run with --verbose for the traceback)", err=True)
        return exitcodes.INTERNAL
    if code == exitcodes.INTERRUPTED:  # the parser turns KeyboardInterrupt into exit 130
        typer.echo(interrupted, err=True)
    return code if isinstance(code, int) else exitcodes.OK


if __name__ == "__main__":
    raise SystemExit(main())
