"""Excel workbooks (.xlsx and legacy .xls) -> paragraphs and tables, every cell as displayed.

Numbers come out as Excel prints them, not as the float it stores: a cell holding
362.61999999999995 with format ``#,##0.00`` reads ``362.62``, a ``0.00%`` cell holding
0.1033 reads ``10.33%``. That needs each cell's number format, which fastexcel/calamine
do not expose, so .xlsx is read with a small lxml reader of the sheet XML (about 4x
faster than openpyxl read-only, about 10x slower than fastexcel, the time going into
parsing the XML) with openpyxl as fallback, and .xls with xlrd (``formatting_info``).

Layout of a sheet: leading title rows (a merged title such as 收入支出决算总表, the
编制单位 / 单位：万元 line, 公开01表) become paragraphs tagged with the sheet; the grid
below (multi-row headers included) becomes one table block; trailing note rows
(注：..., signature lines) become paragraphs after it. Empty and hidden sheets are skipped.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import math
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from posixpath import dirname, join, normpath

from lxml import etree

from toolkit.extract.accounting import visible_counter
from toolkit.model import Block, Limits, LoadIssue, RawDocument

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------- number formats

BUILTIN_FORMATS: dict[int, str] = {
    0: "General",
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    9: "0%",
    10: "0.00%",
    11: "0.00E+00",
    12: "# ?/?",
    13: "# ??/??",
    14: "yyyy-mm-dd",
    15: "d-mmm-yy",
    16: "d-mmm",
    17: "mmm-yy",
    18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM",
    20: "h:mm",
    21: "h:mm:ss",
    22: "yyyy-mm-dd h:mm",
    37: "#,##0 ;(#,##0)",
    38: "#,##0 ;[Red](#,##0)",
    39: "#,##0.00;(#,##0.00)",
    40: "#,##0.00;[Red](#,##0.00)",
    41: '_(* #,##0_);_(* (#,##0);_(* "-"_);_(@_)',
    42: '_($* #,##0_);_($* (#,##0);_($* "-"_);_(@_)',
    43: '_(* #,##0.00_);_(* (#,##0.00);_(* "-"??_);_(@_)',
    44: '_($* #,##0.00_);_($* (#,##0.00);_($* "-"??_);_(@_)',
    45: "mm:ss",
    46: "[h]:mm:ss",
    47: "mm:ss.0",
    48: "##0.0E+0",
    49: "@",
    # Chinese-locale built-ins (dates)
    27: 'yyyy"年"m"月"',
    28: 'm"月"d"日"',
    29: 'm"月"d"日"',
    30: "m-d-yy",
    31: 'yyyy"年"m"月"d"日"',
    32: 'h"时"mm"分"',
    33: 'h"时"mm"分"ss"秒"',
    34: 'yyyy"年"m"月"',
    35: 'm"月"d"日"',
    36: 'yyyy"年"m"月"',
    50: 'yyyy"年"m"月"',
    51: 'm"月"d"日"',
    52: 'yyyy"年"m"月"',
    53: 'm"月"d"日"',
    54: 'm"月"d"日"',
    55: 'yyyy"年"m"月"',
    56: 'm"月"d"日"',
    57: 'yyyy"年"m"月"',
    58: 'm"月"d"日"',
}

_SECTION_PART = re.compile(r'"[^"]*"|\\.|;|[^";\\]+|.')
_BRACKETS = re.compile(r"\[[^\]]*\]")
_LITERAL = re.compile(r'"([^"]*)"|\\(.)|_.?|\*.?')
_DATE_CODES = re.compile(r"[ymdhs]", re.I)
_PLACEHOLDERS = re.compile(r"[0#?]")


def _sections(fmt: str) -> list[str]:
    """Split a format into its ;-separated sections (positive;negative;zero;text), quotes respected."""
    sections, current = [], ""
    for piece in _SECTION_PART.findall(fmt):
        if piece == ";":
            sections.append(current)
            current = ""
        else:
            current += piece
    sections.append(current)
    return sections[:4]


def _strip_literals(section: str) -> str:
    """The format codes without quoted text, escapes, _x spacers and *x fills."""
    return _LITERAL.sub("", _BRACKETS.sub("", section))


def is_date_format(fmt: str) -> bool:
    codes = _strip_literals(fmt.split(";")[0]).lower().replace("general", "")
    return bool(_DATE_CODES.search(codes)) and not _PLACEHOLDERS.search(codes)


def general(value: float) -> str:
    """Excel's General format: integers without decimals, at most 15 significant digits."""
    if value == 0:
        return "0"
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.15g}"
    if "e" in text:  # keep ordinary magnitudes out of scientific notation
        text = f"{value:.15f}".rstrip("0").rstrip(".") if 1e-9 < abs(value) < 1e15 else text
    return text


def excel_date(value: float, date1904: bool = False) -> dt.datetime:
    base = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)
    return base + dt.timedelta(days=value)


def format_date(value: float, fmt: str, date1904: bool = False) -> str:
    try:
        moment = excel_date(value, date1904)
    except (OverflowError, ValueError):
        return general(value)
    codes = _strip_literals(fmt).lower()
    has_day = "d" in codes
    has_time = "h" in codes or "s" in codes
    if "年" in fmt or "月" in fmt:
        text = f"{moment.year}年{moment.month}月" + (f"{moment.day}日" if has_day else "")
        if "y" not in codes:
            text = text.split("年", 1)[1]
    else:
        text = moment.strftime("%Y-%m-%d" if has_day else "%Y-%m")
    if has_time and "y" not in codes and "d" not in codes:
        return moment.strftime("%H:%M:%S" if "s" in codes else "%H:%M")
    if has_time:
        text += moment.strftime(" %H:%M")
    return text


def _literal_text(section: str) -> str:
    """The text a section prints around (or instead of) the number."""

    def lit(m: re.Match[str]) -> str:
        if m.group(1) is not None:
            return m.group(1)
        if m.group(2) is not None:
            return m.group(2)
        return ""  # _x spacer and *x fill print (almost) nothing in a printed table

    return _LITERAL.sub(lit, _BRACKETS.sub("", section))


def _fixed(value: float, decimals: int) -> str:
    """Round like Excel: on the 15-significant-digit decimal value, halves away from zero."""
    exact = Decimal(f"{value:.15g}")
    return f"{exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP):f}"


def _format_section(value: float, section: str) -> str:
    text = _literal_text(section)
    if "@" in text and not _PLACEHOLDERS.search(text):
        text = text.replace("@", "")
    spots = [m.start() for m in _PLACEHOLDERS.finditer(text)]
    if not spots:
        return text.strip()  # e.g. the zero section "-" of accounting formats
    first, last = spots[0], spots[-1]
    pattern = text[first : last + 1]
    prefix, suffix = text[:first], text[last + 1 :]
    if "E" in pattern.upper():
        return general(value)
    while suffix.startswith(","):  # thousands scaling: "0.0," shows thousands
        value /= 1000
        suffix = suffix[1:]
    if "%" in prefix + suffix:
        value *= 100
    int_part, _, dec_part = pattern.partition(".")
    max_dec = len(_PLACEHOLDERS.findall(dec_part))
    min_dec = dec_part.count("0")
    whole, _, frac = _fixed(abs(value), max_dec).partition(".")
    if max_dec > min_dec:  # "#" decimals print only when significant
        frac = frac.rstrip("0").ljust(min_dec, "0")
    dot = "." if frac else ""
    if "," in int_part:
        whole = f"{int(whole):,}"
    if whole == "0" and "0" not in int_part:
        whole = ""
    return f"{prefix}{whole}{dot}{frac}{suffix}".strip()


def format_number(value: float, fmt: str | None, date1904: bool = False) -> str:
    """``value`` as Excel displays it with number format ``fmt`` (a practical subset)."""
    if value is None or (isinstance(value, float) and (math.isnan(value) or math.isinf(value))):
        return ""
    fmt = (fmt or "General").strip()
    if fmt.lower() in ("general", "@", ""):
        return general(value)
    if is_date_format(fmt):
        return format_date(value, fmt, date1904)
    sections = _sections(fmt)
    try:
        if value < 0 and len(sections) >= 2 and sections[1].strip():
            return _format_section(-value, sections[1])
        if value == 0 and len(sections) >= 3 and sections[2].strip():
            return _format_section(0.0, sections[2])
        if _strip_literals(sections[0]).lower().strip() == "general":
            return ("-" if value < 0 else "") + general(abs(value))
        text = _format_section(abs(value), sections[0])
    except (ValueError, OverflowError):
        return general(value)
    if value < 0 and re.search(r"[1-9]", text):
        text = "-" + text
    return text


# --------------------------------------------------------------------------- sheet layout

_META_ROW = re.compile(
    r"^\s*(?:(?:编制|填报|预算|报送|主管)?(?:单位|部门)(?:名称)?\s*[:：]|金额单位|单位\s*[:：]|"
    r"公开\s*\d+\s*表|附表\s*\d*\s*$|表\s*\d+\s*$|\d{4}\s*年)"
)
_NOTE_ROW = re.compile(r"^\s*(?:注|说明|备注|资料来源|数据来源)\s*[:：\d１-９一二三]")
_SIGNATURE_CELL = re.compile(
    r"^\s*(?:单位|财务|部门)?负责人|^\s*(?:填表|制表|审核|经办)人|^\s*(?:联系电话|填报日期|制表日期)"
)


@dataclass(slots=True)
class SheetGrid:
    name: str
    cells: dict[tuple[int, int], str] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1 inclusive

    def rows(self) -> tuple[list[list[str]], list[int], dict[tuple[int, int], int]]:
        """Non-empty rows trimmed to the used columns, their sheet row numbers, and the
        vertical merges as (top row, column) -> bottom row."""
        for r0, c0, r1, c1 in self.merges:  # merged text once: covered positions are empty
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    if (r, c) != (r0, c0):
                        self.cells.pop((r, c), None)
        used = {k: v for k, v in self.cells.items() if v.strip()}
        if not used:
            return [], [], {}
        c_min = min(c for _, c in used)
        c_max = max(c for _, c in used)
        by_row: dict[int, list[str]] = {}
        for (r, c), v in used.items():
            by_row.setdefault(r, [""] * (c_max - c_min + 1))[c - c_min] = v
        order = sorted(by_row)
        tops = {(r0, c0 - c_min): r1 for r0, c0, r1, _ in self.merges if r1 > r0}
        return [by_row[r] for r in order], order, tops


def _is_title_row(
    rows: list[list[str]], numbers: list[int], i: int, vtops: dict[tuple[int, int], int]
) -> bool:
    filled = [(c, v) for c, v in enumerate(rows[i]) if v.strip()]
    if len(filled) > 1:
        return all(_META_ROW.match(v) for _, v in filled)
    # A lone header cell merged downwards (项目 over 科目编码/科目名称) starts the grid when
    # the rows it spans hold other cells; a lone merged block of text is a paragraph.
    for c, _ in filled:
        bottom = vtops.get((numbers[i], c))
        if bottom is not None:
            j = i + 1
            while j < len(rows) and numbers[j] <= bottom:
                if any(v.strip() for v in rows[j]):
                    return False
                j += 1
    return True


def _is_trailing_note(row: list[str]) -> bool:
    filled = [v for v in row if v.strip()]
    if len(filled) == 1 and row[0].strip():
        return bool(_NOTE_ROW.match(filled[0])) or len(filled[0].strip()) >= 20
    return bool(filled) and all(_SIGNATURE_CELL.match(v) for v in filled)


def sheet_blocks(grid: SheetGrid) -> list[Block]:
    """Title paragraphs, the table, trailing note paragraphs of one sheet."""
    rows, row_numbers, vtops = grid.rows()
    if not rows:
        return []
    name = grid.name
    start = 0
    while start < len(rows) and _is_title_row(rows, row_numbers, start, vtops):
        start += 1
    end = len(rows)
    if start < len(rows):
        while end > start + 1 and _is_trailing_note(rows[end - 1]):
            end -= 1
    blocks = [Block.para("  ".join(v.strip() for v in row if v.strip()), sheet=name) for row in rows[:start]]
    if start < end:
        blocks.append(Block.tab(rows[start:end], sheet=name, caption=name))
    blocks.extend(
        Block.para("  ".join(v.strip() for v in row if v.strip()), sheet=name) for row in rows[end:]
    )
    return blocks


# --------------------------------------------------------------------------- xlsx (lxml reader)

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
_ESCAPED_CHAR = re.compile(r"_x([0-9A-Fa-f]{4})_")
_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
R_NS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)


class SheetTooLarge(Exception):
    pass


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _ref(ref: str) -> tuple[int, int] | None:
    m = _REF.match(ref)
    return (int(m.group(2)) - 1, _col_index(m.group(1))) if m else None


def _unescape(text: str) -> str:
    return _ESCAPED_CHAR.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def _text_of(el: etree._Element) -> str:
    """Text of a shared/inline string: all <t> except phonetic (<rPh>) runs."""
    parts = [t.text or "" for t in el.iter("{*}t") if _local(t.getparent().tag) != "rPh"]
    return _unescape("".join(parts))


def _xml(zf: zipfile.ZipFile, name: str) -> etree._Element | None:
    try:
        return etree.fromstring(zf.read(name), _PARSER)
    except KeyError:
        return None


def _rels(zf: zipfile.ZipFile, part: str) -> dict[str, str]:
    rels_name = join(dirname(part), "_rels", part.rsplit("/", 1)[-1] + ".rels")
    root = _xml(zf, rels_name)
    out: dict[str, str] = {}
    if root is None:
        return out
    for rel in root.iter("{*}Relationship"):
        target = rel.get("Target", "")
        out[rel.get("Id", "")] = (
            target.lstrip("/") if target.startswith("/") else normpath(join(dirname(part), target))
        )
    return out


@dataclass(slots=True)
class _Workbook:
    sheets: list[tuple[str, str, str]]  # name, part, state
    shared: list[str]
    formats: list[str]  # per cellXfs index
    date1904: bool


def _workbook(zf: zipfile.ZipFile) -> _Workbook:
    root_rels = _rels(zf, "")
    wb_part = next(
        (t for t in root_rels.values() if t.endswith(".xml") and "workbook" in t), "xl/workbook.xml"
    )
    wb = _xml(zf, wb_part)
    if wb is None:
        raise ValueError("no workbook part in the package")
    rels = _rels(zf, wb_part)
    sheets = []
    for s in wb.iter("{*}sheet"):
        rid = next((s.get(f"{{{ns}}}id") for ns in R_NS if s.get(f"{{{ns}}}id")), None)
        if rid and rid in rels:
            sheets.append((s.get("name", ""), rels[rid], s.get("state", "visible")))
    pr = next(wb.iter("{*}workbookPr"), None)
    date1904 = pr is not None and pr.get("date1904", "0").lower() in ("1", "true")
    by_type = {t.rsplit("/", 1)[-1]: t for t in rels.values()}
    shared: list[str] = []
    sst = _xml(zf, by_type.get("sharedStrings.xml", "xl/sharedStrings.xml"))
    if sst is not None:
        shared = [_text_of(si) for si in sst.iter("{*}si")]
    formats: list[str] = []
    styles = _xml(zf, by_type.get("styles.xml", "xl/styles.xml"))
    if styles is not None:
        custom = {
            int(f.get("numFmtId", "0")): f.get("formatCode", "General") for f in styles.iter("{*}numFmt")
        }
        xfs = next(styles.iter("{*}cellXfs"), None)
        if xfs is not None:
            for xf in xfs.iter("{*}xf"):
                fid = int(xf.get("numFmtId", "0") or 0)
                formats.append(custom.get(fid) or BUILTIN_FORMATS.get(fid, "General"))
    return _Workbook(sheets, shared, formats, date1904)


def _check_dimension(head: bytes, limit: int, name: str) -> None:
    m = _DIMENSION.search(head)
    if m and m.group(3):
        rows = int(m.group(4)) - int(m.group(2)) + 1
        cols = _col_index(m.group(3).decode()) - _col_index(m.group(1).decode()) + 1
        if rows * cols > limit * 4:  # dimension counts blanks too: only refuse the absurd
            raise SheetTooLarge(f"sheet {name!r} declares {rows}x{cols} cells")


def _read_sheet(zf: zipfile.ZipFile, book: _Workbook, name: str, part: str, limits: Limits) -> SheetGrid:
    raw = zf.read(part)
    _check_dimension(raw[:4096], limits.max_sheet_cells, name)
    root = etree.fromstring(raw, _PARSER)
    ns = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""
    row_tag, cell_tag, v_tag, is_tag = ns + "row", ns + "c", ns + "v", ns + "is"
    grid = SheetGrid(name)
    n_cells = 0
    data = root.find(ns + "sheetData")
    for r_index, row in enumerate(data.iterchildren(row_tag) if data is not None else ()):
        r = int(row.get("r", r_index + 1)) - 1
        col = -1
        for c in row.iterchildren(cell_tag):
            n_cells += 1
            if n_cells > limits.max_sheet_cells:
                raise SheetTooLarge(f"sheet {name!r} has more than {limits.max_sheet_cells} cells")
            ref = c.get("r")
            if not len(c):  # a styled empty cell: most of a template's cells
                if ref is None:
                    col += 1
                continue
            pos = _ref(ref) if ref else None
            col = pos[1] if pos else col + 1
            kind = c.get("t", "n")
            v = c.find(v_tag)
            value = v.text if v is not None else None
            if kind == "inlineStr":
                is_ = c.find(is_tag)
                text = _text_of(is_) if is_ is not None else ""
            elif value is None:
                continue
            elif kind == "s":
                i = int(value)
                text = book.shared[i] if 0 <= i < len(book.shared) else ""
            elif kind in ("str", "e"):
                text = _unescape(value)
            elif kind == "b":
                text = "TRUE" if value.strip() in ("1", "true") else "FALSE"
            elif kind == "d":
                text = value
            else:
                style = int(c.get("s", "0") or 0)
                fmt = book.formats[style] if 0 <= style < len(book.formats) else "General"
                text = format_number(float(value), fmt, book.date1904)
            if text:
                grid.cells[(r, col)] = text
    for mc in root.iter("{*}mergeCell"):
        a, _, b = mc.get("ref", "").partition(":")
        p, q = _ref(a), _ref(b or a)
        if p and q:
            grid.merges.append((p[0], p[1], q[0], q[1]))
    return grid


def _xlsx_grids(data: bytes, limits: Limits, issues: list[LoadIssue]) -> list[SheetGrid]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        book = _workbook(zf)
        grids = []
        for name, part, state in book.sheets:
            if state != "visible":
                issues.append(LoadIssue("hidden_sheet", f"hidden sheet {name!r} skipped", severity="info"))
                continue
            try:
                grids.append(_read_sheet(zf, book, name, part, limits))
            except SheetTooLarge as exc:
                issues.append(LoadIssue("too_large", f"{exc}; sheet skipped", severity="medium"))
            except KeyError:
                issues.append(
                    LoadIssue("unreadable", f"sheet {name!r} part {part} missing", severity="medium")
                )
        return grids


def _openpyxl_grids(data: bytes, limits: Limits, issues: list[LoadIssue]) -> list[SheetGrid]:
    """Fallback for packages the lxml reader does not understand (slower, same output)."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    grids = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            issues.append(LoadIssue("hidden_sheet", f"hidden sheet {ws.title!r} skipped", severity="info"))
            continue
        if ws.max_row * ws.max_column > limits.max_sheet_cells * 4:
            issues.append(LoadIssue("too_large", f"sheet {ws.title!r} too large; skipped"))
            continue
        grid = SheetGrid(ws.title)
        for row in ws.iter_rows():
            for c in row:
                v = c.value
                if v is None:
                    continue
                if isinstance(v, bool):
                    text = "TRUE" if v else "FALSE"
                elif isinstance(v, int | float):
                    text = format_number(float(v), c.number_format, wb.epoch.year == 1904)
                elif isinstance(v, dt.datetime | dt.date):
                    text = v.strftime("%Y年%m月%d日" if "年" in (c.number_format or "") else "%Y-%m-%d")
                else:
                    text = str(v)
                if text:
                    grid.cells[(c.row - 1, c.column - 1)] = text
        for rng in ws.merged_cells.ranges:
            grid.merges.append((rng.min_row - 1, rng.min_col - 1, rng.max_row - 1, rng.max_col - 1))
        grids.append(grid)
    return grids


def _document(path: str, fmt: str, grids: Iterable[SheetGrid], issues: list[LoadIssue]) -> RawDocument:
    doc = RawDocument(path=path, format=fmt, issues=issues)
    n_sheets = 0
    for grid in grids:
        n_sheets += 1
        doc.visible_chars.setdefault(None, visible_counter("")).update(visible_counter("".join(grid.cells.values())))
        doc.blocks.extend(sheet_blocks(grid))
    doc.meta["sheets"] = str(n_sheets)
    if not doc.blocks and not doc.failed:
        doc.issues.append(
            LoadIssue("empty", "the workbook has no non-empty visible sheet", severity="high", fatal=True)
        )
    return doc


def _zip_problem(data: bytes) -> LoadIssue:
    if data[:4] == b"PK\x03\x04":
        return LoadIssue(
            "truncated", "zip container is cut short (no central directory)", severity="high", fatal=True
        )
    return LoadIssue("unreadable", "not a zip container (xlsx expected)", severity="high", fatal=True)


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def load_xlsx(data: bytes, path: str, limits: Limits) -> RawDocument:
    """Read an .xlsx workbook; a legacy .xls (OLE container) is handed to :func:`load_xls`."""
    if data[:8] == _OLE_MAGIC:
        return load_xls(data, path, limits)
    issues: list[LoadIssue] = []
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return RawDocument(path=path, format="xlsx", issues=[_zip_problem(data)])
    try:
        grids = _xlsx_grids(data, limits, issues)
    except Exception as exc:  # noqa: BLE001 - any parser failure: try the slower, more lenient reader
        log.debug("lxml xlsx reader failed on %s: %s; trying openpyxl", path, exc)
        issues = []
        try:
            grids = _openpyxl_grids(data, limits, issues)
        except Exception as exc2:  # noqa: BLE001 - bad input never crashes
            reason = f"cannot read the workbook: {type(exc2).__name__}: {exc2}"
            return RawDocument(
                path=path, format="xlsx", issues=[LoadIssue("unreadable", reason, "high", fatal=True)]
            )
    return _document(path, "xlsx", grids, issues)


# --------------------------------------------------------------------------- xls (xlrd)


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
    return _document(path, "xls", grids, issues)
