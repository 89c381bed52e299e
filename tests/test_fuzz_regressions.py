"""Regressions found by ``yibao-audit fuzz``: each input is built here, small, and runs in seconds.

* a CSV with one damaged row of tens of thousands of fields (a text edit that turned line breaks
  into delimiters) was padded by every later step to a table of rows x 40,000 cells and ran the
  worker out of memory: the row is cut to ``MAX_CSV_COLUMNS`` fields, and the cut is an issue;
* the same damage in a TAB-separated text file;
* a CSV whose padded table (rows x widest row) passes ``max_sheet_cells`` stops there, said so;
* a worker whose result cannot be sent back (MemoryError while pickling) failed with its whole
  process (exit code 1): the item fails, the worker lives on;
* a MemoryError that reaches the parent is reported naming the per-worker memory limit.
* an XLSX whose few cells lie far apart (A and XFD) lays out to millions of cells: skipped, said so;
  a merge range over the whole sheet was walked cell by cell: ignored, said so;
* a table just over the default ``max_sheet_cells`` (set from measured memory per cell) is refused;
* a workbook.xml listing one worksheet part thousands of times parsed it each time: read once.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.executor import LocalProcessExecutor, TaskResult
from toolkit.loaders import load_bytes
from toolkit.loaders.csv import MAX_CSV_COLUMNS
from toolkit.model import Limits
from toolkit.worker import FileTask, failed_result

HEADER = "地区,收入,支出\n"


def _regions(n: int) -> list[str]:
    return [f"地区{i},{100 + i}.00,{50 + i}.00\n" for i in range(n)]


def test_csv_row_of_forty_thousand_fields_is_cut_not_padded():
    lines = _regions(300)
    lines[150] = "1,234.56\t" * 40_000 + "\n"  # the damaged row: 40,001 fields
    doc = load_bytes((HEADER + "".join(lines)).encode(), "regions.csv", Limits())
    assert doc.format == "csv" and not doc.failed
    rows = doc.blocks[0].table.rows
    assert len(rows) == 301  # header + 300 rows: nothing after the damaged row is lost
    assert max(len(r) for r in rows) == MAX_CSV_COLUMNS
    assert rows[-1] == ["地区299", "399.00", "349.00"]
    issue = next(i for i in doc.issues if i.code == "too_large")
    assert "40001 fields" in issue.reason and "line 152" in issue.reason


def test_text_line_of_fifty_thousand_tabs_is_cut():
    table = "\n".join(["项目\t金额\t比例"] + [f"支出{i}\t{i}.00\t1%" for i in range(20)])
    damaged = "\t".join(["x"] * 50_000)
    text = f"一、收入支出情况\n{table}\n{damaged}\n说明完毕。\n"
    doc = load_bytes(text.encode(), "report.txt", Limits())
    tables = [b.table for b in doc.blocks if b.table is not None]
    assert tables and all(t.n_cols <= MAX_CSV_COLUMNS for t in tables)
    assert all(len(s) <= MAX_CSV_COLUMNS for t in tables for s in (t.cell_spans or []))
    issue = next(i for i in doc.issues if i.code == "too_large")
    assert "50000 fields" in issue.reason


def test_csv_padded_table_over_the_cell_limit_stops_there():
    rows = [",".join(["1"] * 10) + "\n"] * 50 + [",".join(["1"] * 200) + "\n"] * 2 + ["a,b\n"] * 50
    doc = load_bytes(("".join(rows)).encode(), "wide.csv", Limits(max_sheet_cells=10_000))
    table = doc.blocks[0].table
    # 50 rows of 10 fit (500 cells); a 200-wide row makes the 51st row cost 51 x 200 = 10,200 > 10,000
    assert len(table.rows) == 50 and table.n_cols == 10
    issue = next(i for i in doc.issues if i.code == "too_large")
    assert "51 rows x 200 columns" in issue.reason


class _Unsendable:
    def __reduce__(self):
        raise MemoryError("pickling a huge result")


def unsendable_or_square(x: int) -> object:
    return _Unsendable() if x == 1 else x * x


def test_result_that_cannot_be_sent_fails_its_item_not_the_worker():
    results = {r.index: r for r in LocalProcessExecutor(1, timeout_s=60).map(unsendable_or_square, [0, 1, 2, 3])}
    assert results[1].kind == "error" and "MemoryError" in results[1].error
    assert [results[i].value for i in (0, 2, 3)] == [0, 4, 9]
    assert all(results[i].ok for i in (0, 2, 3))


def test_memory_error_from_a_worker_names_the_limit(tmp_path: Path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"a,b\n1,2\n")
    limits = Limits(max_worker_memory_bytes=512 * 1024 * 1024)
    task = FileTask(str(path), str(path), limits)
    result = failed_result(task, TaskResult(0, task, None, "MemoryError: ", 3.0, "error"))
    assert result.manifest["status"] == "failed"
    assert result.manifest["reason"].startswith("too_large: MemoryError")
    assert "512 MB" in result.manifest["reason"] and "max_worker_memory_bytes" in result.manifest["reason"]


def pid_or_out_of_memory(x: int) -> int:
    import os

    if x == 1:
        raise MemoryError("a parser ran out")
    return os.getpid()


def test_worker_out_of_memory_is_replaced_not_reused():
    # Before: a worker that hit its memory limit stayed in the pool and failed every later item
    # at once with MemoryError (768 of 1,000 fuzzed PDFs in one run).
    results = {r.index: r for r in LocalProcessExecutor(1, timeout_s=60).map(pid_or_out_of_memory, [0, 1, 2, 3])}
    assert results[1].kind == "error" and "MemoryError" in results[1].error
    assert results[0].ok and results[2].ok and results[3].ok
    assert results[2].value != results[0].value  # a fresh worker after the MemoryError
    assert results[3].value == results[2].value  # and that one is kept


def pid_after_filling_memory(x: int) -> int:
    import os
    import resource

    if x == 1:  # leave this worker with its data memory past three quarters of its limit
        with open("/proc/self/statm", "rb") as fh:
            data = int(fh.read().split()[5]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_DATA, (int(data * 1.2), resource.getrlimit(resource.RLIMIT_DATA)[1]))
    return os.getpid()


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="Linux /proc")
def test_worker_near_its_memory_limit_retires_after_its_answer():
    results = {r.index: r for r in LocalProcessExecutor(1, timeout_s=60).map(pid_after_filling_memory, [0, 1, 2])}
    assert all(r.ok for r in results.values())
    assert results[1].value == results[0].value and results[2].value != results[1].value


def test_csv_unclosed_quote_keeps_the_rows_before_it():
    # An unclosed quote runs one field past the csv module's field limit: the whole file failed.
    text = HEADER + "".join(_regions(5)) + '地区5,"' + "1" * 200_000 + "\n"
    doc = load_bytes(text.encode(), "regions.csv", Limits())
    assert not doc.failed
    assert doc.blocks[0].table.rows[-1] == ["地区4", "104.00", "54.00"]
    assert any(i.code == "truncated" and "field larger than field limit" in i.reason for i in doc.issues)


def _xlsx(sheet_data: str, merges: str = "") -> bytes:
    """A one-sheet workbook from the inner XML of its ``sheetData`` (inline strings, no styles)."""
    import io
    import zipfile

    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "_rels/.rels": f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="r1" Type="{rel_ns}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook {ns} xmlns:r="{rel_ns}"><sheets>'
        '<sheet name="表1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships"><Relationship Id="rId1" Type="{rel_ns}/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>",
        "xl/worksheets/sheet1.xml": f"<worksheet {ns}><sheetData>{sheet_data}</sheetData>{merges}</worksheet>",
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
    return buf.getvalue()


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def test_xlsx_two_cells_far_apart_are_not_padded_to_millions():
    # 2,000 cells present, in columns A and XFD: padded, 1,000 rows x 16,384 columns = 16.4 M cells.
    rows = "".join(f'<row r="{r}">{_cell(f"A{r}", "项目")}{_cell(f"XFD{r}", "1.00")}</row>' for r in range(1, 1001))
    doc = load_bytes(_xlsx(rows), "far.xlsx", Limits())
    assert not doc.blocks
    issue = next(i for i in doc.issues if i.code == "too_large")
    assert "16384000 cells" in issue.reason and "max_sheet_cells" in issue.reason


def test_xlsx_merge_over_the_whole_sheet_is_ignored():
    rows = "".join(f'<row r="{r}">{_cell(f"A{r}", f"支出{r}")}{_cell(f"B{r}", f"{r}.00")}</row>' for r in range(1, 4))
    merge = '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'
    doc = load_bytes(_xlsx(rows, merge), "merged.xlsx", Limits())
    assert doc.blocks and doc.blocks[-1].table is not None
    assert doc.blocks[-1].table.rows[-1] == ["支出3", "3.00"]  # the merge did not blank the sheet
    assert any(i.code == "too_large" and "1 merge range" in i.reason for i in doc.issues)


def test_csv_just_over_the_default_cell_limit_stops_at_it():
    # Ten columns: the row that would make the table one row past max_sheet_cells is not read.
    limit = Limits().max_sheet_cells
    n_rows = limit // 10 + 1
    text = "1,2,3,4,5,6,7,8,9,0\n" * n_rows
    doc = load_bytes(text.encode(), "big.csv", Limits())
    assert len(doc.blocks[0].table.rows) == limit // 10
    issue = next(i for i in doc.issues if i.code == "too_large")
    assert f"more than {limit} cells ({n_rows} rows x 10 columns)" in issue.reason


def test_xlsx_just_over_the_default_cell_limit_is_refused():
    limit = Limits().max_sheet_cells
    row = "<row>" + "<c><v>1</v></c>" * 10 + "</row>"
    doc = load_bytes(_xlsx(row * (limit // 10) + "<row><c><v>1</v></c></row>"), "big.xlsx", Limits())
    assert not doc.blocks
    issue = next(i for i in doc.issues if i.code == "too_large")
    assert f"more than {limit} cells" in issue.reason and "sheet skipped" in issue.reason


def test_xlsx_workbook_listing_one_sheet_thousands_of_times_reads_it_once():
    # A zip member edit repeated one <sheet> entry 3,700 times: a 96 KB file parsed a 146 KB sheet
    # 3,700 times (12 s of CPU) and gave 3,700 copies of its table.
    import io
    import zipfile

    rows = "".join(f'<row r="{r}">{_cell(f"A{r}", f"支出{r}")}{_cell(f"B{r}", f"{r}.00")}</row>' for r in range(1, 4))
    src = zipfile.ZipFile(io.BytesIO(_xlsx(rows)))
    entry = '<sheet name="表1" sheetId="1" r:id="rId1"/>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in src.namelist():
            text = src.read(name).decode()
            zf.writestr(name, text.replace(entry, entry * 3000) if name == "xl/workbook.xml" else text)
    doc = load_bytes(buf.getvalue(), "repeated.xlsx", Limits())
    assert len([b for b in doc.blocks if b.table is not None]) == 1
    assert any("2999 sheet entries repeat" in i.reason for i in doc.issues)
