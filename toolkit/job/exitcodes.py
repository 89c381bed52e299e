"""What ``yibao-audit`` returns, as dbt and Soda do: a scheduler can tell a finding from a broken job.

==== ===========================================================================================
code meaning
==== ===========================================================================================
0    ran; no finding at or above ``--fail-on`` (or no ``--fail-on`` given)
1    ran; at least one finding at or above ``--fail-on SEVERITY`` (parse issues do not count)
2    input or usage error: no such path, nothing readable, empty input, bad ``--out`` or config,
     a missing labels file, an incomplete run folder; one line on stderr, no traceback
3    internal error (a bug): one line on stderr, the traceback with ``--verbose``
130  interrupted (Ctrl-C); the previous outputs are left as they were
==== ===========================================================================================
"""

from __future__ import annotations

import polars as pl

OK = 0
FINDINGS = 1
USAGE = 2
INTERNAL = 3
INTERRUPTED = 130

SEVERITY_ORDER: tuple[str, ...] = ("info", "low", "medium", "high")


class UserError(Exception):
    """A mistake of the user or the input (exit code 2): the message is the one line shown."""


def validate_fail_on(severity: str | None) -> str | None:
    if severity is None or severity == "":
        return None
    if severity not in SEVERITY_ORDER:
        raise UserError(f"--fail-on must be one of {', '.join(SEVERITY_ORDER)}; got {severity!r}")
    return severity


def at_or_above(severity: str) -> tuple[str, ...]:
    """The severities at or above ``severity``."""
    return SEVERITY_ORDER[SEVERITY_ORDER.index(severity):]


def refuse_unreadable(manifest: pl.DataFrame) -> None:
    """Nothing readable is an input error, not a run with one parse-issue finding per file."""
    read = manifest.filter(pl.col("status").is_in(["ok", "partial", "not_a_disclosure"]))
    if read.height == 0:
        failed = manifest.filter(pl.col("status") == "failed")
        first = failed["reason"].drop_nulls().head(1).to_list()
        why = f" (first: {failed['path'][0]}: {first[0]})" if first and failed.height else ""
        raise UserError(f"nothing readable: {failed.height} of {manifest.height} files failed"
                        f", {manifest.height - failed.height} skipped{why}")


def exit_code_for(findings: pl.DataFrame, fail_on: str | None) -> int:
    """1 when a finding (not a parse issue) is at or above ``fail_on``, else 0."""
    if not fail_on:
        return 0
    hit = findings.filter((pl.col("category") != "parse_issue") & pl.col("severity").is_in(at_or_above(fail_on)))
    return 1 if hit.height else 0
