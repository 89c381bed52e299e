"""The run history: one SQLite file beside the runs (``OUT.runs/history.sqlite``).

SQLite rather than DuckDB: the history is a few small tables written once per run and read by
key, which is what SQLite does best; it ships with Python (no dependency, no file-format changes
between versions) and its transactions make "the run is recorded or it is not" hold across a kill.
The analytical work stays in Polars over Parquet.

Tables: ``runs`` (id, times, status, config hash, code version, cache key, inputs, counts,
durations), ``findings`` (each run's findings with fingerprint and change, resolved ones included),
``decisions`` (the decisions as of each run, with the finding they apply to or ``orphan``).
A run is inserted as ``running``; :func:`finish` records it ``complete`` with its rows in one
transaction; a run still ``running`` when the next one starts was killed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from contextlib import closing
from pathlib import Path

import polars as pl

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY, started TEXT NOT NULL, finished TEXT, status TEXT NOT NULL,
    config_hash TEXT, code_version TEXT, cache_key TEXT, out TEXT,
    inputs TEXT, counts TEXT, durations TEXT
);
CREATE TABLE IF NOT EXISTS findings (
    run_id TEXT NOT NULL REFERENCES runs(run_id), fingerprint TEXT NOT NULL, change TEXT NOT NULL,
    finding_id TEXT, previous_finding_id TEXT, check_code TEXT, category TEXT, severity TEXT,
    score REAL, document TEXT, bureau TEXT, fiscal_year INTEGER, location TEXT, message TEXT,
    PRIMARY KEY (run_id, fingerprint)
);
CREATE TABLE IF NOT EXISTS decisions (
    run_id TEXT NOT NULL REFERENCES runs(run_id), fingerprint TEXT, finding_id TEXT, status TEXT,
    note TEXT, reviewer TEXT, timestamp TEXT, applies_to TEXT
);
CREATE INDEX IF NOT EXISTS findings_fp ON findings(fingerprint);
"""

FINDING_COLUMNS = (
    "fingerprint", "change", "finding_id", "previous_finding_id", "check_code", "category", "severity",
    "score", "document", "bureau", "fiscal_year", "location", "message",
)
DECISION_COLUMNS = ("fingerprint", "finding_id", "status", "note", "reviewer", "timestamp", "applies_to")


def connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path, timeout=30)
    con.execute("PRAGMA journal_mode=WAL")
    con.executescript(SCHEMA)
    return con


def start(path: Path, run_id: str, started: str, *, out: str, config_hash: str, code_version: str,
          cache_key: str, inputs: Mapping) -> None:
    """Record a run as ``running`` (and mark runs left ``running`` by a killed process ``killed``)."""
    with closing(connect(path)) as con, con:
        con.execute("UPDATE runs SET status = 'killed' WHERE status = 'running'")
        con.execute(
            "INSERT INTO runs (run_id, started, status, config_hash, code_version, cache_key, out, inputs) "
            "VALUES (?, ?, 'running', ?, ?, ?, ?, ?)",
            (run_id, started, config_hash, code_version, cache_key, out, json.dumps(dict(inputs), ensure_ascii=False)),
        )


def finish(path: Path, run_id: str, finished: str, *, status: str, counts: Mapping, durations: Mapping,
           changes: pl.DataFrame | None = None, decisions: pl.DataFrame | None = None) -> None:
    """Record the end of a run with its findings and decisions, all in one transaction."""
    with closing(connect(path)) as con, con:
        con.execute(
            "UPDATE runs SET finished = ?, status = ?, counts = ?, durations = ? WHERE run_id = ?",
            (finished, status, json.dumps(dict(counts), ensure_ascii=False, default=str),
             json.dumps(dict(durations), default=str), run_id),
        )
        if changes is not None and changes.height:
            rows = changes.select(FINDING_COLUMNS).iter_rows()
            con.executemany(
                f"INSERT OR REPLACE INTO findings (run_id, {', '.join(FINDING_COLUMNS)}) "
                f"VALUES (?, {', '.join('?' * len(FINDING_COLUMNS))})",
                [(run_id, *r) for r in rows],
            )
        if decisions is not None and decisions.height:
            con.executemany(
                f"INSERT INTO decisions (run_id, {', '.join(DECISION_COLUMNS)}) "
                f"VALUES (?, {', '.join('?' * len(DECISION_COLUMNS))})",
                [(run_id, *r) for r in decisions.select(DECISION_COLUMNS).iter_rows()],
            )


def runs(path: Path) -> pl.DataFrame:
    """Every recorded run, oldest first."""
    if not path.exists():
        return pl.DataFrame(schema={"run_id": pl.String, "status": pl.String})
    with closing(connect(path)) as con:
        cur = con.execute("SELECT run_id, started, finished, status, config_hash, code_version, cache_key, "
                          "inputs, counts, durations FROM runs ORDER BY started, run_id")
        names = [d[0] for d in cur.description]
        return pl.DataFrame(cur.fetchall(), schema=dict.fromkeys(names, pl.String), orient="row")


def findings_of(path: Path, run_id: str) -> pl.DataFrame:
    with closing(connect(path)) as con:
        cur = con.execute(f"SELECT {', '.join(FINDING_COLUMNS)} FROM findings WHERE run_id = ?", (run_id,))
        return pl.DataFrame(cur.fetchall(), schema=list(FINDING_COLUMNS), orient="row")
