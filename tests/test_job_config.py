"""The job file: every option, the command line winning, regions and globs, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit import settings
from toolkit.job.config import JobConfig
from toolkit.job.exitcodes import UserError

DATASETS = Path(__file__).resolve().parents[1] / "datasets"


def test_the_shipped_job_file_reads_and_names_the_shipped_documents() -> None:
    job = JobConfig.from_toml(DATASETS / "job.toml")
    assert job.fail_on == "high" and job.incremental and job.mask and job.executor == "local"
    assert job.out_path().resolve() == (DATASETS.parent / "out" / "screening-job").resolve()
    regions = job.input_paths()
    assert set(regions) == {"seeds", "shanghai-jiangsu"}
    assert sorted(p.name for p in regions["seeds"]) == sorted(p.name for p in (DATASETS / "seeds").glob("*.txt"))
    assert all(p.suffix in (".pdf", ".xls", ".xlsx") for p in regions["shanghai-jiangsu"])
    assert len(regions["shanghai-jiangsu"]) == 9


def test_the_command_line_wins_and_defaults_come_from_settings(tmp_path: Path) -> None:
    job_file = tmp_path / "job.toml"
    job_file.write_text(
        '[job]\nout = "o"\nworkers = 3\nfail_on = "medium"\n[limits]\nmax_pages = 7\n'
        '[checks]\nexclude = ["CP*"]\n[ranking]\nweights = { IT020 = 0.5 }\n'
        '[inputs.a]\npaths = ["x"]\n', encoding="utf-8")
    job = JobConfig.from_toml(job_file)
    assert (job.workers, job.fail_on, job.max_pages, job.max_file_mb) == (3, "medium", 7, settings.MAX_FILE_MB)
    assert job.out_path() == tmp_path / "o"
    assert not job.selects("CP002") and job.selects("IT020") and job.weights == {"IT020": 0.5}
    cli = job.with_overrides(workers=1, fail_on="high", max_pages=None)
    assert (cli.workers, cli.fail_on, cli.max_pages) == (1, "high", 7)
    assert job.config_hash() != cli.config_hash() and job.config_hash() == JobConfig.from_toml(job_file).config_hash()


@pytest.mark.parametrize("text, message", [
    ("[job]\nworkerz = 2\n", "unknown key 'workerz'"),
    ("[jobs]\n", "unknown section [jobs]"),
    ("[job]\nfail_on = 'severe'\n", "--fail-on must be one of"),
    ("[job\n", "not valid TOML"),
    ("[inputs.a]\npaths = []\n", "needs paths"),
    ("[inputs.a]\npaths = ['nope/*.pdf']\n", "matches no file"),
    ("[inputs.a]\npaths = ['nope.pdf']\n", "no such file or folder"),
])
def test_mistakes_in_a_job_file_are_one_clear_message(tmp_path: Path, text: str, message: str) -> None:
    job_file = tmp_path / "job.toml"
    job_file.write_text(text, encoding="utf-8")
    with pytest.raises(UserError, match=message.replace("[", r"\[").replace("*", r"\*")):
        JobConfig.from_toml(job_file).input_paths()


def test_missing_job_file_and_missing_out() -> None:
    with pytest.raises(UserError, match="not found"):
        JobConfig.from_toml("/nonexistent/job.toml")
    with pytest.raises(UserError, match="no output folder"):
        JobConfig().out_path()
