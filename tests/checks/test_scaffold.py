"""``yibao-audit new-check`` writes a rule module and a case file that follow the layout."""

from __future__ import annotations

import ast

from typer.testing import CliRunner

from toolkit.cli import app

ARGS = ["new-check", "IT099", "--name", "demo-footing", "--category", "inconsistent_total",
        "--detects", "broken_footing", "--label", "示例合计不符", "--summary", "A demo total does not add up"]


def test_new_check_writes_both_files(tmp_path):
    result = CliRunner().invoke(app, [*ARGS, "--root", str(tmp_path)])
    assert result.exit_code == 0, result.output
    rule = tmp_path / "toolkit" / "checks" / "rules" / "it099.py"
    cases = tmp_path / "tests" / "checks" / "rules" / "it099.py"
    tree = ast.parse(rule.read_text(encoding="utf-8"))
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef))
    assert cls.name == "DemoFooting"
    doc = ast.get_docstring(cls)
    assert doc.splitlines()[0] == "A demo total does not add up."
    for section in ("What it does:", "Why it matters:", "Example:", "Known false positives:"):
        assert section in doc
    text = rule.read_text(encoding="utf-8")
    assert 'code = "IT099"' in text and 'label = "示例合计不符"' in text and '("broken_footing",)' in text
    case_text = cases.read_text(encoding="utf-8")
    ast.parse(case_text)
    assert 'Case("IT099", "fires"' in case_text and 'Case("IT099", "quiet"' in case_text
    again = CliRunner().invoke(app, [*ARGS, "--root", str(tmp_path)])
    assert again.exit_code == 2 and "already exists" in again.output


def test_new_check_refuses_a_taken_code_and_unknown_kinds(tmp_path):
    taken = [a if a != "IT099" else "IT001" for a in ARGS]
    result = CliRunner().invoke(app, [*taken, "--root", str(tmp_path)])
    assert result.exit_code == 2 and "taken" in result.output
    unknown = [a if a != "broken_footing" else "no_such_kind" for a in ARGS]
    result = CliRunner().invoke(app, [*unknown, "--root", str(tmp_path)])
    assert result.exit_code == 2 and "toolkit/kinds.py" in result.output
    assert not (tmp_path / "toolkit").exists()
