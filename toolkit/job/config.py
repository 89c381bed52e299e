"""The job file: ``yibao-audit screen --config job.toml``, every option also on the command line.

A job file (TOML, read with :mod:`tomllib`) names the inputs per region and every run option; a
path or glob is relative to the job file's folder. The command line wins over the file: options
given there replace the file's, and inputs given there replace all of the file's regions (as one
region, ``cli``). See ``docs/screening-job.md`` and ``datasets/job.toml``::

    [job]
    out = "out/quarterly"       # the output: a link to the current run, history beside it
    executor = "local"          # local | serial | any name the executor factory knows (dask, ...)
    scheduler = ""              # passed to the executor factory (e.g. tcp://host:8786)
    workers = 0                 # 0 = every local core
    fail_on = "high"            # exit 1 when a finding is at or above this severity
    incremental = true          # reuse unchanged files' results from the previous run
    report = true               # also write report.html and workpapers.xlsx
    mask = true                 # mask personal data in the shareable outputs

    [limits]
    max_file_mb = 50
    max_pages = 500
    file_timeout_s = 120        # CPU seconds per file (plus a per-MB allowance)

    [checks]
    select = ["*"]              # check codes or shell patterns ("IT0*")
    exclude = []

    [ranking]
    weights = { copy_paste = 0.8, IT020 = 0.5 }   # per category or check code; 1 = as scored

    [inputs.hunan]
    paths = ["seeds/*.txt"]
"""

from __future__ import annotations

import glob
import hashlib
import json
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import polars as pl

from toolkit import settings
from toolkit.job.exitcodes import UserError, validate_fail_on

SECTIONS: dict[str, tuple[str, ...]] = {
    "job": ("name", "out", "executor", "scheduler", "workers", "fail_on", "incremental", "report", "mask",
            "batch_docs"),
    "limits": ("max_file_mb", "max_pages", "file_timeout_s"),
    "checks": ("select", "exclude"),
    "ranking": ("weights",),
}


@dataclass(slots=True)
class JobConfig:
    """Every option of a screening run (defaults from :mod:`toolkit.settings`)."""

    inputs: dict[str, list[str]] = field(default_factory=dict)  # region -> paths or globs, as written
    out: str | None = None
    name: str = "screen"
    executor: str = "local"
    scheduler: str | None = None
    workers: int = settings.WORKERS
    fail_on: str | None = None
    incremental: bool = True
    report: bool = True
    mask: bool = True
    batch_docs: int = settings.BATCH_DOCS
    max_file_mb: float = settings.MAX_FILE_MB
    max_pages: int = settings.MAX_PAGES
    file_timeout_s: float | None = None
    select: list[str] = field(default_factory=lambda: ["*"])
    exclude: list[str] = field(default_factory=list)
    weights: dict[str, float] = field(default_factory=dict)
    base_dir: str = "."  # relative paths in the job file are relative to its folder

    # ---- reading
    @classmethod
    def from_toml(cls, path: Path | str) -> JobConfig:
        path = Path(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise UserError(f"job file {path} not found") from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"job file {path} cannot be read: {exc}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise UserError(f"job file {path} is not valid TOML: {exc}") from exc
        return cls.from_mapping(data, base_dir=path.resolve().parent)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], base_dir: Path | str = ".") -> JobConfig:
        values: dict[str, Any] = {"base_dir": str(base_dir)}
        for section, value in data.items():
            if section == "inputs":
                values["inputs"] = _inputs(value)
                continue
            if section not in SECTIONS or not isinstance(value, Mapping):
                raise UserError(f"job file: unknown section [{section}] (known: {', '.join([*SECTIONS, 'inputs'])})")
            for key, item in value.items():
                if key not in SECTIONS[section]:
                    raise UserError(f"job file: unknown key {key!r} in [{section}] "
                                    f"(known: {', '.join(SECTIONS[section])})")
                values[key] = item
        try:
            config = cls(**values)
        except TypeError as exc:
            raise UserError(f"job file: {exc}") from exc
        return config.validated()

    def with_overrides(self, **overrides: Any) -> JobConfig:
        """This config with every option that is not None replaced (the command line wins)."""
        given = {k: v for k, v in overrides.items() if v is not None}
        unknown = set(given) - {f.name for f in fields(self)}
        if unknown:
            raise UserError(f"unknown option(s): {', '.join(sorted(unknown))}")
        return replace(self, **given).validated()

    def validated(self) -> JobConfig:
        self.fail_on = validate_fail_on(self.fail_on)
        if not isinstance(self.workers, int) or self.workers < 0:
            raise UserError(f"workers must be a whole number ≥ 0; got {self.workers!r}")
        if self.max_file_mb <= 0 or self.max_pages <= 0 or self.batch_docs <= 0:
            raise UserError("max_file_mb, max_pages and batch_docs must be positive")
        for name, w in self.weights.items():
            if not isinstance(w, int | float) or w < 0:
                raise UserError(f"ranking weight {name!r} must be a number ≥ 0; got {w!r}")
        return self

    # ---- using
    def input_paths(self) -> dict[str, list[Path]]:
        """Region -> the paths its entries name (globs expanded, sorted); a name matching nothing is an error."""
        out: dict[str, list[Path]] = {}
        base = Path(self.base_dir)
        for region, entries in self.inputs.items():
            found: list[Path] = []
            for entry in entries:
                path = Path(entry).expanduser()
                full = path if path.is_absolute() else base / path
                if glob.has_magic(str(entry)):
                    matches = sorted(Path(m) for m in glob.glob(str(full), recursive=True))
                    if not matches:
                        raise UserError(f"input {entry!r} (region {region}) matches no file")
                    found.extend(matches)
                elif not (full.exists() or full.is_symlink()):
                    raise UserError(f"input {entry!r} (region {region}): no such file or folder")
                else:
                    found.append(full)
            out[region] = found
        return out

    def out_path(self) -> Path:
        if not self.out:
            raise UserError("no output folder: give --out DIR or out = \"DIR\" in the job file's [job]")
        path = Path(self.out).expanduser()
        return path if path.is_absolute() else Path(self.base_dir) / path

    def selects(self, code: str) -> bool:
        return any(fnmatchcase(code, p) for p in self.select) and not any(fnmatchcase(code, p) for p in self.exclude)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def config_hash(self) -> str:
        """A hash of every option (inputs as written): two runs of the same job share it."""
        data = {k: v for k, v in self.as_dict().items() if k != "base_dir"}
        return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]

    def cache_settings(self) -> dict[str, Any]:
        """The options that change what one file gives (part of the incremental cache key)."""
        return {"file_timeout_s": self.file_timeout_s, "select": sorted(self.select), "exclude": sorted(self.exclude)}


def _inputs(value: Any) -> dict[str, list[str]]:
    if not isinstance(value, Mapping):
        raise UserError("job file: [inputs] must hold one table per region, e.g. [inputs.hunan] paths = [...]")
    out: dict[str, list[str]] = {}
    for region, spec in value.items():
        paths = spec.get("paths") if isinstance(spec, Mapping) else spec
        if isinstance(paths, str):
            paths = [paths]
        if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths) or not paths:
            raise UserError(f"job file: [inputs.{region}] needs paths = [\"...\", ...]")
        if isinstance(spec, Mapping) and set(spec) - {"paths"}:
            raise UserError(f"job file: unknown key(s) {sorted(set(spec) - {'paths'})} in [inputs.{region}]")
        out[str(region)] = list(paths)
    return out


def select_results(findings: pl.DataFrame, coverage: pl.DataFrame, config: JobConfig) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Keep the findings and coverage of the selected checks (parse issues, PI*, always)."""
    if config.select == ["*"] and not config.exclude:
        return findings, coverage
    codes = {c for c in findings["check_code"].unique().to_list() + coverage["check_code"].unique().to_list() if c}
    keep = [c for c in codes if config.selects(c) or c.startswith("PI")]
    return findings.filter(pl.col("check_code").is_in(keep)), coverage.filter(pl.col("check_code").is_in(keep))
