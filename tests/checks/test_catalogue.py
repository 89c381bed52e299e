"""The check catalogue: unique stable codes, and docs/checks.md written by ``yibao-audit checks --markdown``."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from toolkit.checks.registry import all_checks, catalogue_markdown
from toolkit.cli import app

ROOT = Path(__file__).resolve().parents[2]
COMMAND = "yibao-audit checks --markdown --out docs/checks.md"


def test_codes_are_unique():
    codes = [c.code for c in all_checks()]
    assert len(codes) == len(set(codes))


def test_docs_catalogue_is_the_commands_output():
    committed = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    assert committed == catalogue_markdown(), f"docs/checks.md is stale: run `{COMMAND}`"
    assert f"`{COMMAND}`" in committed.splitlines()[2]


def test_checks_command_prints_and_writes_the_markdown(tmp_path):
    runner = CliRunner()
    printed = runner.invoke(app, ["checks", "--markdown"])
    assert printed.exit_code == 0, printed.output
    assert printed.output == catalogue_markdown()
    target = tmp_path / "checks.md"
    wrote = runner.invoke(app, ["checks", "--markdown", "--out", str(target)])
    assert wrote.exit_code == 0, wrote.output
    assert target.read_text(encoding="utf-8") == catalogue_markdown()
    assert runner.invoke(app, ["checks", "--out", str(target)]).exit_code != 0
    table = runner.invoke(app, ["checks"])
    assert table.exit_code == 0 and "IT001" in table.output
