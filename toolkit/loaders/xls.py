"""Legacy Excel 97-2003 workbooks (.xls, WPS .et) -> paragraphs and tables, read with xlrd.

``formatting_info`` gives each cell's number format, so numbers come out as displayed
(:mod:`toolkit.loaders.numfmt`); the sheet layout is :mod:`toolkit.loaders.sheet`'s.
"""

from __future__ import annotations

import io

from toolkit.loaders.formats import Format
from toolkit.loaders.numfmt import format_number, is_date_format
from toolkit.loaders.sheet import SheetGrid, workbook_document
from toolkit.loaders.xlsx_bounds import sheet_too_large
from toolkit.model import Limits, LoadIssue, RawDocument


def _xls_grids(data: bytes, limits: Limits, issues: list[LoadIssue]) -> list[SheetGrid]:
    import xlrd

    quiet = io.StringIO()
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, logfile=quiet, on_demand=True)
        has_formats = True
    except NotImplementedError:  # some BIFF variants: values without formats
        book = xlrd.open_workbook(file_contents=data, logfile=quiet, on_demand=True)
        has_formats = False
    grids = []
    for idx in range(book.nsheets):
        sh = book.sheet_by_index(idx)
        if sh.visibility:
            issues.append(LoadIssue("hidden_sheet", f"hidden sheet {sh.name!r} skipped", severity="info"))
            continue
        if sh.nrows * sh.ncols > limits.max_sheet_cells:
            issues.append(
                LoadIssue("too_large", f"sheet {sh.name!r} has {sh.nrows}x{sh.ncols} cells; skipped")
            )
            continue
        grid = SheetGrid(sh.name)
        for r in range(sh.nrows):
            for c, cell in enumerate(sh.row(r)):
                kind = cell.ctype
                if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    continue
                if kind == xlrd.XL_CELL_TEXT:
                    text = cell.value
                elif kind in (xlrd.XL_CELL_NUMBER, xlrd.XL_CELL_DATE):
                    fmt = "General"
                    if has_formats:
                        xf = book.xf_list[cell.xf_index]
                        fmt = (
                            book.format_map[xf.format_key].format_str
                            if xf.format_key in book.format_map
                            else "General"
                        )
                    if kind == xlrd.XL_CELL_DATE and not is_date_format(fmt):
                        fmt = "yyyy-mm-dd"
                    text = format_number(float(cell.value), fmt, book.datemode == 1)
                elif kind == xlrd.XL_CELL_BOOLEAN:
                    text = "TRUE" if cell.value else "FALSE"
                else:
                    text = xlrd.error_text_from_code.get(cell.value, "#ERR")
                if text:
                    grid.cells[(r, c)] = text
        for r0, r1, c0, c1 in sh.merged_cells:
            grid.merges.append((r0, c0, r1 - 1, c1 - 1))
        if not sheet_too_large(grid, limits.max_sheet_cells, issues):
            grids.append(grid)
        book.unload_sheet(idx)
    return grids


def load_xls(data: bytes, path: str, limits: Limits) -> RawDocument:
    issues: list[LoadIssue] = []
    try:
        grids = _xls_grids(data, limits, issues)
    except Exception as exc:  # noqa: BLE001 - bad input never crashes
        text = str(exc)
        code = "encrypted" if "encrypt" in text.lower() else "unreadable"
        reason = f"cannot read the legacy Excel workbook: {type(exc).__name__}: {text}"
        return RawDocument(path=path, format="xls", issues=[LoadIssue(code, reason, "high", fatal=True)])
    return workbook_document(path, "xls", grids, issues)


FORMATS = (
    Format(
        "xls", "Excel 97-2003 workbook (XLS)", (".xls", ".et"), load_xls,  # .et: WPS spreadsheet, OLE2 like .xls
        container="ole2", members=("Workbook", "Book"),
    ),
)
