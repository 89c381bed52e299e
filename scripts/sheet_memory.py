"""Peak memory of one worker per table cell: a generated CSV or XLSX of N cells through
``process_file`` (load, extract, frames), in a fresh process per size.

    python scripts/sheet_memory.py --cells 500000 1000000 --formats csv xlsx

Prints one line per (format, cells): peak RSS of the process, its RSS after a one-row file of
the same format (imports and warm-up), and the difference per cell. What ``Limits.max_sheet_cells``
is set from: a table at the limit must stay well under ``Limits.max_worker_memory_bytes``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

WIDTH = 20  # columns of the generated table: a wide 部门决算 sheet


def table_rows(cells: int) -> Iterator[list[str]]:
    """A disclosure-shaped table: a code and a name, then amounts with two decimals (generated
    row by row, so that writing it leaves nothing in memory to flatter the measurement)."""
    n_rows = max(1, cells // WIDTH)
    yield ["科目编码", "科目名称", *(f"列{c}" for c in range(WIDTH - 2))]
    for r in range(n_rows - 1):
        amounts = [f"{(r * 37 + c * 101) % 100000 / 100:.2f}" for c in range(WIDTH - 2)]
        yield [f"2{r % 100000:07d}", f"医疗保障支出项目{r}", *amounts]


def write_table(path: Path, rows: Iterator[list[str]]) -> None:
    if path.suffix == ".csv":
        with path.open("w", encoding="utf-8") as fh:
            fh.writelines(",".join(r) + "\n" for r in rows)
        return
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("表1")
    for row in rows:
        ws.append(row)
    wb.save(path)


def measure_one(fmt: str, cells: int) -> dict:
    """In this process: warm up on a one-row file, then the big one; RSS in MB."""
    from toolkit.model import Limits
    from toolkit.worker import FileTask, process_file

    limits = Limits(max_sheet_cells=10**9, max_file_bytes=10**10, max_decompressed_bytes=10**11)
    with tempfile.TemporaryDirectory() as tmp:
        small, big = Path(tmp, f"small.{fmt}"), Path(tmp, f"big.{fmt}")
        write_table(small, table_rows(WIDTH * 3))
        process_file(FileTask(str(small), small.name, limits))
        write_table(big, table_rows(cells))
        base_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t0 = time.process_time()
        result = process_file(FileTask(str(big), big.name, limits))
        cpu = time.process_time() - t0
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "format": fmt,
        "cells": cells,
        "status": result.manifest["status"],
        "base_mb": round(base_kb / 1024, 1),
        "peak_mb": round(peak_kb / 1024, 1),
        "kb_per_cell": round((peak_kb - base_kb) / cells, 3),
        "cpu_s": round(cpu, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cells", type=int, nargs="+", default=[500_000, 1_000_000])
    parser.add_argument("--formats", nargs="+", default=["csv", "xlsx"])
    parser.add_argument("--one", nargs=2, metavar=("FORMAT", "CELLS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        sys.stdout.write(json.dumps(measure_one(args.one[0], int(args.one[1]))) + "\n")
        return 0
    for fmt in args.formats:
        for cells in args.cells:
            done = subprocess.run(
                [sys.executable, __file__, "--one", fmt, str(cells)], capture_output=True, text=True, check=False
            )
            sys.stdout.write((done.stdout or done.stderr[-2000:]).strip() + "\n")
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
