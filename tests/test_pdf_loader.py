"""The PDF loader on real published PDFs (datasets/realdocs) and on generated edge cases.

Every expected figure below was read off the rendered page (pdftoppm), not taken from
the loader's output.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from toolkit.loaders.pdf import load_pdf
from toolkit.model import Block, Limits, RawDocument
from toolkit.normalize.text import squash

REALDOCS = Path(__file__).resolve().parents[1] / "datasets" / "realdocs"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "realdocs"  # shared/ beside the checkout
PLANNING = "上海市普陀区规划和自然资源局 2024 年度部门决算.pdf"
SOCIAL_WORK = "中共上海市普陀区委社会工作部 2024 年度部门决算.pdf"
JIANGSU_NPC = "江苏省人大常委会办公厅2019年部门预算公开表.pdf"
FINANCE_BUREAU = SHARED / "GovBudgetChecker/samples/good/上海市普陀区财政局2024年度部门决算.pdf"
JIANGSU_COURT_2018 = SHARED / "open-budget/pdf_files/jszwfw/江苏省高级人民法院/省法院2018年度部门预算公开.pdf"


@cache
def _load(path: str, max_pages: int = 500) -> RawDocument:
    return load_pdf(Path(path).read_bytes(), path, Limits(max_pages=max_pages))


def real(name: str) -> RawDocument:
    return _load(str(REALDOCS / name))


def shared(path: Path) -> RawDocument:
    if not path.exists():
        pytest.skip(f"{path} not available")
    return _load(str(path))


def blocks_on(doc: RawDocument, page: int) -> list[Block]:
    return [b for b in doc.blocks if b.page == page]


def tables_on(doc: RawDocument, page: int) -> list[list[list[str]]]:
    return [b.table.rows for b in blocks_on(doc, page) if b.kind == "table"]


def row_starting(rows: list[list[str]], label: str) -> list[str]:
    """The row whose first non-empty cell is ``label`` (whitespace-insensitive)."""
    for row in rows:
        first = next((c for c in row if c.strip()), "")
        if squash(first) == squash(label):
            return row
    raise AssertionError(f"no row starting with {label!r}")


def codes(doc: RawDocument) -> list[tuple[str, int | None, bool]]:
    return [(i.code, i.page, i.fatal) for i in doc.issues]


# ---------------------------------------------------------------------------------------
# real documents
# ---------------------------------------------------------------------------------------


def test_final_accounts_summary_table_keeps_both_lanes_and_amounts_on_their_rows() -> None:
    doc = real(PLANNING)
    assert doc.pages == 30 and not doc.issues
    page7 = blocks_on(doc, 7)
    kinds = [b.kind for b in page7]
    table_at = kinds.index("table")
    titles = [squash(b.text) for b in page7[:table_at]]
    # The headings printed above the grid come first, in order.
    assert titles.index("收入支出决算总表") < titles.index("单位:万元")
    rows = page7[table_at].table.rows
    assert len(rows) == 30 and all(len(r) == 4 for r in rows)
    assert row_starting(rows, "一、一般公共预算财政拨款收入") == ["一、一般公共预算财政拨款收入", "9746.50", "一、一般公共服务支出", ""]
    assert row_starting(rows, "八、其他收入")[2:] == ["八、社会保障和就业支出", "754.75"]
    # expense lane rows with an empty income lane stay one printed row
    city = next(r for r in rows if r[2] == "十一、城乡社区支出")
    assert city == ["", "", "十一、城乡社区支出", "3845.25"]
    assert row_starting(rows, "本年收入合计") == ["本年收入合计", "9746.50", "本年支出合计", "9759.38"]
    assert row_starting(rows, "年初结转和结余") == ["年初结转和结余", "112.88", "年末结转和结余", "100.00"]
    assert row_starting(rows, "总计") == ["总计", "9859.38", "总计", "9859.38"]
    # text inside the grid is not repeated as running text
    assert not any("一般公共预算财政拨款收入" in b.text for b in page7 if b.kind == "para")
    # the note under the table follows it
    assert squash(page7[-1].text).startswith("注:本表反映部门本年度的总收支")


def test_basic_expense_table_keeps_personnel_and_public_lanes_in_one_row() -> None:
    rows = tables_on(real(PLANNING), 16)[0]
    assert all(len(r) == 6 for r in rows)
    assert row_starting(rows, "30101") == ["30101", "基本工资", "537.64", "30201", "办公费", "84.62"]
    last = rows[-1]
    assert (last[0], last[2], last[3], last[5]) == ("人员经费合计", "4884.09", "公用经费合计", "480.66")
    # a label wrapped inside its cell is one cell, not two rows
    pension = row_starting(rows, "30108")
    assert squash(pension[1]) == "机关事业单位基本养老保险缴费" and pension[2] == "446.11"


def test_table_continued_on_next_page_is_its_own_block_without_title() -> None:
    doc = real(PLANNING)
    first, cont = tables_on(doc, 10)[0], tables_on(doc, 11)[0]
    assert len(first[0]) == len(cont[0]) == 8
    assert blocks_on(doc, 11)[0].kind == "table"  # nothing printed above the continuation
    assert cont[0][:5] == ["212", "城乡社区支出", "3845.24", "1585.59", "2259.65"]


def test_budget_amounts_keep_their_printed_text() -> None:
    doc = real("dept_budget.pdf")
    page10 = blocks_on(doc, 10)
    assert [squash(b.text) for b in page10[:2]] == ["2026年部门财务收支预算总表", "编制部门:上海市普陀区司法局单位:元"]
    rows = page10[2].table.rows
    assert row_starting(rows, "一、财政拨款收入") == ["一、财政拨款收入", "96,282,213.44", "一、公共安全支出", "87,267,272.44"]
    assert row_starting(rows, "二、事业收入")[:2] == ["二、事业收入", "0.00"]
    assert row_starting(rows, "收入总计") == ["收入总计", "96,282,213.44", "支出总计", "96,282,213.44"]
    sangong = tables_on(doc, 21)[0]
    assert sangong[-1] == ["10.81", "0", "0.83", "9.98", "0", "9.98", "217.83"]


def test_blank_page_is_reported_and_the_other_pages_still_load() -> None:
    doc = real("dept_budget.pdf")
    assert doc.pages == 23 and not doc.failed
    scanned = [i for i in doc.issues if i.code == "scanned"]
    assert [(i.page, i.severity, i.fatal) for i in scanned] == [(3, "medium", False)]
    assert scanned[0].reason.startswith("page 3 has no text layer (scanned image?)")
    assert not blocks_on(doc, 3)
    assert blocks_on(doc, 2) and blocks_on(doc, 4)
    # the boxed table of contents on page 2 is running text, one line per entry
    toc = [squash(b.text) for b in blocks_on(doc, 2)]
    assert any(t.startswith("4.2026年部门财政拨款收支预算总表") for t in toc)
    assert all(b.kind == "para" for b in blocks_on(doc, 2))


def test_title_block_inside_white_background_boxes_comes_out_above_the_table() -> None:
    doc = real(JIANGSU_NPC)
    page1 = blocks_on(doc, 1)
    assert [squash(b.text) for b in page1[:3]] == ["收支预算总表", "公开表一", "部门:江苏省人大常委会办公厅单位:万元"]
    rows = page1[3].table.rows
    assert rows[0] == ["收入", "", "支出", "", "", ""]
    assert row_starting(rows, "一、财政拨款") == ["一、财政拨款", "18,330.37", "一、一般公共服务支出", "13,907.78", "一、基本支出", "9,312.90"]
    assert doc.meta["title"] == "江苏省人大常委会办公厅2019年部门预算公开表.xls"  # GBK written as a hex string


def test_metadata() -> None:
    meta = real(PLANNING).meta
    assert meta == {"producer": "Microsoft® Word 2010", "creator": "Microsoft® Word 2010", "title": "附件2：预算主管部门公开样张"}


def test_numbers_set_below_the_baseline_stay_on_their_label_line() -> None:
    doc = shared(FINANCE_BUREAU)
    paras = [squash(b.text) for b in blocks_on(doc, 21)]
    assert any("收入支出总计2995.39万元。与2023年度相比,收入支出总计减少56.95万元,下降1.87%" in p for p in paras)
    assert any("其中:基本支出2336.91万元,占79.49%;项目支出603.14万元,占20.51%" in p for p in paras)
    rows = tables_on(doc, 6)[0]
    assert row_starting(rows, "一、一般公共预算财政拨款收入") == ["一、一般公共预算财政拨款收入", "2,940.05", "一、一般公共服务支出", "2,106.66"]
    assert row_starting(rows, "八、其他收入") == ["八、其他收入", "6.20", "八、社会保障和就业支出", "326.71"]
    assert row_starting(tables_on(doc, 7)[0], "总计") == ["总计", "2,995.39", "总计", "2,995.39"]
    assert ("scanned", 14, False) in codes(doc)


def test_continued_table_without_top_border_keeps_its_first_row() -> None:
    doc = shared(JIANGSU_COURT_2018)
    rows = tables_on(doc, 10)[0]
    assert rows[0][2:4] == ["十八、住房保障支出", "4,716.51"]
    assert not any("住房保障支出" in b.text for b in blocks_on(doc, 10) if b.kind == "para")
    # a merged header cell pdfplumber builds no cell for stays inside the table
    header = tables_on(doc, 11)[0][0]
    assert header[:2] == ["项目名称", "金额"]
    assert not any(squash(b.text) == "项目名称金额" for b in blocks_on(doc, 11))


# ---------------------------------------------------------------------------------------
# damaged and hostile input
# ---------------------------------------------------------------------------------------


def _bytes(name: str) -> bytes:
    return (REALDOCS / name).read_bytes()


def test_truncated_pdf_is_a_fatal_issue_not_an_exception() -> None:
    data = _bytes("dept_budget.pdf")
    doc = load_pdf(data[: len(data) // 2], "half.pdf", Limits())
    assert doc.failed and not doc.blocks
    assert [i.code for i in doc.issues] == ["truncated"]
    assert "truncated" in doc.issues[0].reason


def test_password_protected_pdf_is_a_fatal_encrypted_issue() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_bytes(JIANGSU_NPC))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    doc = load_pdf(out.getvalue(), "locked.pdf", Limits())
    assert doc.failed and not doc.blocks
    assert [(i.code, i.fatal) for i in doc.issues] == [("encrypted", True)]
    assert "password" in doc.issues[0].reason


def test_owner_password_only_pdf_still_reads() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_bytes(JIANGSU_NPC))))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    doc = load_pdf(out.getvalue(), "restricted.pdf", Limits())
    assert not doc.failed and len([b for b in doc.blocks if b.kind == "table"]) == 13


@pytest.mark.parametrize(("data", "code"), [(b"", "empty"), (b"<html>not a pdf</html>", "unreadable")])
def test_not_a_pdf(data: bytes, code: str) -> None:
    doc = load_pdf(data, "x.pdf", Limits())
    assert doc.failed and doc.issues[0].code == code


def test_page_limit_reads_the_first_pages_and_says_so() -> None:
    doc = load_pdf(_bytes("dept_budget.pdf"), "d.pdf", Limits(max_pages=5))
    assert doc.pages == 23
    assert ("too_many_pages", None, False) in codes(doc)
    assert max(b.page for b in doc.blocks) == 5


def test_fonts_without_unicode_map_are_cid_garbage() -> None:
    reader = PdfReader(io.BytesIO(_bytes(SOCIAL_WORK)))
    writer = PdfWriter()
    for index in (0, 4):
        writer.add_page(reader.pages[index])
    for page in writer.pages:
        fonts = page["/Resources"]["/Font"]
        for key in fonts:
            font = fonts[key].get_object()
            if "/ToUnicode" in font:
                del font[NameObject("/ToUnicode")]
    out = io.BytesIO()
    writer.write(out)
    doc = load_pdf(out.getvalue(), "cid.pdf", Limits())
    assert ("cid_garbage", 1, False) in codes(doc) and ("cid_garbage", 2, False) in codes(doc)
    assert doc.failed and doc.issues[-1].code == "cid_garbage"


def test_slow_page_becomes_a_timeout_issue_and_the_rest_still_load(monkeypatch: pytest.MonkeyPatch) -> None:
    """Page 2 is made to spin (deterministically, not by racing a tiny timeout); the others load.

    The page limit is CPU time, so the stuck page burns CPU (a sleeping one would not count).
    """
    import time

    import toolkit.loaders.pdf as pdf_loader

    real_read_page = pdf_loader.read_page_objects

    def hanging_on_page_2(page):
        if page.number == 2:
            end = time.process_time() + 5
            while time.process_time() < end:
                pass
        return real_read_page(page)

    monkeypatch.setattr(pdf_loader, "read_page_objects", hanging_on_page_2)
    doc = load_pdf(_bytes("dept_budget.pdf"), "d.pdf", Limits(pdf_page_timeout_s=3.0))
    timeouts = [i for i in doc.issues if i.code == "timeout"]
    assert ("timeout", 2, False) in codes(doc) and all(i.severity == "high" for i in timeouts)
    # the others are read
    assert ("scanned", 3, False) in codes(doc)
    assert len({b.page for b in doc.blocks}) >= 10 and not doc.failed


def test_callers_file_budget_is_not_swallowed_by_the_per_page_guard(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every page burns 0.5 CPU-s in our own code, so the caller's 0.3 s budget runs out inside a
    page (where the per-page guard is armed), deterministically and whatever the PDF source's speed."""
    import time

    import toolkit.loaders.pdf as pdf_loader
    from toolkit.worker import soft_deadline

    real_read_page = pdf_loader.read_page_objects

    def slow_page(page):
        end = time.process_time() + 0.5
        while time.process_time() < end:
            pass
        return real_read_page(page)

    monkeypatch.setattr(pdf_loader, "read_page_objects", slow_page)
    with pytest.raises(TimeoutError), soft_deadline(0.3):
        load_pdf(_bytes(PLANNING), "p.pdf", Limits())


# ---------------------------------------------------------------------------------------
# generated layouts the real set lacks
# ---------------------------------------------------------------------------------------


def _canvas():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    return buf, canvas.Canvas(buf, pagesize=(595, 842))


SUMMARY_ROWS = [
    ("项目", "决算数", "项目", "决算数"),
    ("一、一般公共预算财政拨款收入", "1,234.56", "一、一般公共服务支出", "1,000.00"),
    ("八、其他收入", "0.00", "九、卫生健康支出", "234.56"),
    ("本年收入合计", "1,234.56", "本年支出合计", "1,234.56"),
]


def test_table_without_ruling_lines_is_found_from_word_positions() -> None:
    buf, c = _canvas()
    c.setFont("STSong-Light", 16)
    c.drawCentredString(297, 780, "收入支出决算总表")
    c.setFont("STSong-Light", 10)
    c.drawRightString(540, 750, "单位：万元")
    y = 720
    for a, b, d, e in SUMMARY_ROWS:
        c.drawString(60, y, a)
        c.drawRightString(280, y, b)
        c.drawString(310, y, d)
        c.drawRightString(540, y, e)
        y -= 20
    c.drawString(60, y - 20, "注：本表合计 1,234.56 万元，反映部门本年度的总收支情况。")
    c.save()
    doc = load_pdf(buf.getvalue(), "unruled.pdf", Limits())
    kinds = [b.kind for b in doc.blocks]
    assert kinds == ["para", "para", "table", "para"]
    assert doc.blocks[2].table.rows == [list(r) for r in SUMMARY_ROWS]
    assert "1,234.56 万元" in doc.blocks[3].text


def test_two_grids_side_by_side_are_one_table() -> None:
    buf, c = _canvas()
    c.setFont("STSong-Light", 10)
    ys = [700, 680, 660, 640]
    c.grid([60, 200, 280], ys)
    c.grid([310, 450, 530], ys)
    left = [("人员经费", "决算数"), ("基本工资", "10.00"), ("人员经费合计", "10.00")]
    right = [("公用经费", "决算数"), ("办公费", "2.50"), ("公用经费合计", "2.50")]
    for (la, lb), (ra, rb), y in zip(left, right, ys, strict=False):
        c.drawString(65, y - 14, la)
        c.drawRightString(275, y - 14, lb)
        c.drawString(315, y - 14, ra)
        c.drawRightString(525, y - 14, rb)
    c.save()
    doc = load_pdf(buf.getvalue(), "lanes.pdf", Limits())
    tables = [b.table.rows for b in doc.blocks if b.kind == "table"]
    assert tables == [[["人员经费", "决算数", "公用经费", "决算数"], ["基本工资", "10.00", "办公费", "2.50"],
                       ["人员经费合计", "10.00", "公用经费合计", "2.50"]]]
