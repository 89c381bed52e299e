"""Scanned pages: OCR layout, provenance in the frames, the severity cap, and (with the extra) accuracy.

Layout, provenance and the cap run everywhere: the engine is replaced by boxes written by hand.
The accuracy test needs the ``ocr`` extra and the real PDFs under ``datasets/realdocs``; it is
skipped without them (``scripts/ocr_accuracy.py`` prints the same figures).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import polars as pl
import pytest

from tests.checks.builders import DOC, L, frames
from toolkit import schemas
from toolkit.checks import run_checks
from toolkit.checks.framework import scan
from toolkit.extract.document import extract_document
from toolkit.findings import ocr_index, to_findings
from toolkit.loaders import ocr as ocr_module
from toolkit.loaders.ocr import OCR_HINT, TextBox, layout_blocks, ocr_available, recognise_scanned_pages
from toolkit.loaders.pdf import load_pdf
from toolkit.model import Limits

REALDOCS = Path(__file__).resolve().parents[1] / "datasets" / "realdocs"


def box(x0: float, y: float, x1: float, text: str, conf: float = 0.99, h: float = 20.0) -> TextBox:
    return TextBox(x0, y, x1, y + h, text, conf)


# a 收入支出决算总表-like page as an OCR engine returns it: boxes in no particular order
PAGE_BOXES = [
    box(300, 10, 700, "收入支出决算总表"),
    box(100, 50, 400, "编制单位：某县医疗保障局"),
    box(800, 50, 950, "单位：万元"),
    box(100, 100, 250, "项目"),
    box(560, 100, 660, "本年收入"),
    box(820, 100, 920, "本年支出"),
    box(100, 140, 480, "一、一般公共预算财政拨款收入"),
    box(575, 140, 660, "1,234.56"),
    box(835, 141, 920, "1,200.00"),
    box(100, 181, 300, "二、其他收入"),
    box(600, 180, 660, "34.56", conf=0.61),
    box(860, 179, 920, "34.56"),
    box(100, 220, 260, "其中：医疗保障"),
    box(100, 260, 240, "合计"),
    box(575, 260, 660, "1,269.12"),
    box(835, 260, 920, "1,234.56"),
    box(140, 330, 950, "注：本表反映部门本年度的总收支情况。"),
]

EXPECTED_ROWS = [
    ["项目", "本年收入", "本年支出"],
    ["一、一般公共预算财政拨款收入", "1,234.56", "1,200.00"],
    ["二、其他收入", "34.56", "34.56"],
    ["其中：医疗保障", "", ""],
    ["合计", "1,269.12", "1,234.56"],
]


def test_boxes_become_paragraphs_and_a_table_with_rows_by_y_and_columns_by_x() -> None:
    blocks = layout_blocks(list(reversed(PAGE_BOXES)), page=3)
    assert [b.kind for b in blocks] == ["para", "para", "table", "para"]
    assert [b.text for b in blocks if b.kind == "para"] == [
        "收入支出决算总表", "编制单位：某县医疗保障局单位：万元", "注：本表反映部门本年度的总收支情况。",
    ]
    table = blocks[2].table
    assert table is not None and table.rows == EXPECTED_ROWS
    assert all(b.source == "ocr" and b.page == 3 for b in blocks)
    # each cell keeps its own confidence; an empty cell has none
    assert table.confidence is not None and table.confidence[2] == [0.99, 0.61, 0.99]
    assert table.confidence[3] == [0.99, None, None]
    assert blocks[2].confidence == pytest.approx((0.99 * 12 + 0.61) / 13)  # 13 filled cells


def test_a_box_holding_two_close_columns_is_split_between_them() -> None:
    boxes = [
        box(100, 100, 300, "项目"), box(400, 100, 500, "收入"), box(600, 100, 700, "支出"),
        box(100, 140, 300, "甲"), box(400, 140, 500, "10.00"), box(600, 140, 700, "20.00"),
        box(100, 180, 300, "乙"), box(400, 180, 700, "30.00 40.00"),
        box(100, 220, 300, "合计"), box(400, 220, 500, "40.00"), box(600, 220, 700, "60.00"),
    ]
    table = layout_blocks(boxes, page=1)[0].table
    assert table is not None
    assert table.rows[2] == ["乙", "30.00", "40.00"]


def test_a_label_wrapped_over_two_lines_joins_the_row_with_its_numbers() -> None:
    boxes = [
        box(100, 100, 300, "科目名称"), box(400, 100, 500, "决算数"),
        box(100, 140, 300, "基本工资"), box(420, 140, 500, "537.64"),
        box(100, 180, 300, "津贴补贴"), box(420, 180, 500, "987.86"),
        box(100, 235, 330, "机关事业单位基本养老保"), box(420, 250, 500, "446.11"), box(100, 265, 180, "险缴费"),
        box(100, 300, 300, "其中：在职人员"),
        box(100, 340, 300, "职业年金缴费"), box(420, 340, 500, "225.12"),
        box(100, 380, 300, "住房公积金"), box(420, 380, 500, "289.59"),
    ]
    table = layout_blocks(boxes, page=1)[0].table
    assert table is not None
    # the sub-heading one row pitch away from its neighbours stays a row of its own
    assert table.rows == [["科目名称", "决算数"], ["基本工资", "537.64"], ["津贴补贴", "987.86"],
                          ["机关事业单位基本养老保险缴费", "446.11"], ["其中：在职人员", ""], ["职业年金缴费", "225.12"],
                          ["住房公积金", "289.59"]]


def test_running_text_without_aligned_numbers_stays_prose() -> None:
    boxes = [box(140, 100, 400, "一、部门基本情况"), box(100, 140, 900, "本部门主要职责是贯彻执行国家医疗保障"),
             box(100, 180, 500, "政策，2023年支出1,234.56万元。"), box(140, 220, 360, "二、收支情况")]
    blocks = layout_blocks(boxes, page=1)
    assert [b.kind for b in blocks] == ["para", "para", "para"]
    assert blocks[1].text == "本部门主要职责是贯彻执行国家医疗保障政策，2023年支出1,234.56万元。"


# --- the loader hook -------------------------------------------------------------------------


def _two_page_pdf() -> bytes:
    """Page 1 with a text layer, page 2 an image only (a scan)."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(595, 842))
    c.drawString(72, 770, "Annual report 2023")
    c.showPage()
    c.drawImage(ImageReader(Image.new("RGB", (200, 280), (240, 240, 240))), 0, 0, width=595, height=842)
    c.showPage()
    c.save()
    return out.getvalue()


def _fake_engine(image: object) -> list[TextBox]:
    return list(PAGE_BOXES)


def test_scanned_page_is_read_by_ocr_and_its_frames_say_so(monkeypatch) -> None:
    monkeypatch.setattr(ocr_module, "default_engine", lambda: None)  # the loader's own pass: no engine
    data = _two_page_pdf()
    doc = load_pdf(data, "scan.pdf", Limits())
    assert [(i.code, i.page) for i in doc.issues] == [("scanned", 2)]
    recognise_scanned_pages(doc, data, Limits(), engine=_fake_engine)
    assert [(i.code, i.page, i.severity) for i in doc.issues] == [("ocr", 2, "info")]
    assert "read by OCR" in doc.issues[0].reason and not doc.failed
    assert [(b.page, b.source) for b in doc.blocks][:2] == [(1, None), (2, "ocr")]

    f = extract_document(doc, document_id="d9", path="scan.pdf", sha256="0" * 64, size_bytes=len(data))
    cells = f["cells"]
    assert set(cells["source"].to_list()) == {"ocr"} and cells["page"].unique().to_list() == [2]
    low = cells.filter(pl.col("raw_text") == "34.56").sort("col")
    assert low["ocr_confidence"].to_list() == [0.61, 0.99]
    passages = f["passages"]
    assert passages.filter(pl.col("page") == 1)["source"].to_list() == [None]
    assert set(passages.filter(pl.col("page") == 2)["source"].to_list()) == {"ocr"}
    tables = f["tables"]
    assert tables["source"].to_list() == ["ocr"] and tables["ocr_confidence"].to_list() == [0.61]
    assert f["documents"]["status"].to_list() == ["ok"]


def test_pages_past_the_ocr_time_budget_stay_scanned_with_the_reason(monkeypatch) -> None:
    monkeypatch.setattr(ocr_module, "default_engine", lambda: None)
    data = _two_page_pdf()
    doc = load_pdf(data, "scan.pdf", Limits())
    recognise_scanned_pages(doc, data, Limits(file_timeout_s=0.0), engine=_fake_engine)
    assert [(i.code, i.page, i.severity) for i in doc.issues] == [("scanned", 2, "medium")]
    assert "OCR time budget" in doc.issues[0].reason
    assert {b.page for b in doc.blocks} == {1}


def test_an_engine_failure_on_a_page_is_an_issue_not_a_crash(monkeypatch) -> None:
    monkeypatch.setattr(ocr_module, "default_engine", lambda: None)

    def broken(image: object) -> list[TextBox]:
        raise RuntimeError("model file unreadable")

    data = _two_page_pdf()
    doc = load_pdf(data, "scan.pdf", Limits())
    recognise_scanned_pages(doc, data, Limits(), engine=broken)
    assert [(i.code, i.page) for i in doc.issues] == [("scanned", 2)]
    assert "OCR failed: RuntimeError: model file unreadable" in doc.issues[0].reason and not doc.failed


def test_without_the_extra_the_scanned_issue_stays_with_the_install_hint(monkeypatch) -> None:
    monkeypatch.setattr(ocr_module, "default_engine", lambda: None)
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(595, 842))
    c.drawImage(ImageReader(Image.new("RGB", (20, 28), (200, 200, 200))), 0, 0, width=595, height=842)
    c.showPage()
    c.save()
    doc = load_pdf(out.getvalue(), "scan.pdf", Limits())
    scanned = [i for i in doc.issues if i.code == "scanned"]
    assert [(i.page, i.fatal) for i in scanned] == [(1, False), (None, True)]
    assert all(i.reason.endswith(OCR_HINT) for i in scanned) and "pip install 'yibao-audit[ocr]'" in OCR_HINT
    assert doc.failed and not doc.blocks


# --- the severity cap ------------------------------------------------------------------------


def _footing_frames(ocr: bool, confirm: tuple[float, ...] = ()) -> dict[str, pl.DataFrame]:
    """t03 合计 30.00 printed against items 10.00 + 20.05 = 30.05 (IT001 fires: off by 0.05 on a total)."""
    items = [L("t03", "expense", "total", 30.00, row=1, key="total", name="合计"),
             L("t03", "expense", "total", 10.00, row=2, code="2101101", name="行政单位医疗"),
             L("t03", "expense", "total", 20.05, row=3, code="2101102", name="事业单位医疗")]
    for r in items:
        r.update(col=1, source="ocr" if ocr else None, ocr_confidence=0.93 if ocr else None)
    f = frames(items)
    cells = [{"document_id": DOC, "table_id": "t03", "table_type": "expense", "page": 1, "row": r["row"], "col": 1,
              "raw_text": r["raw_text"], "value": r["value"], "unit": "万元", "scale": 1e4, "decimals": 2,
              "source": r["source"], "ocr_confidence": r["ocr_confidence"]} for r in items]
    # the same figures printed in another table on a page with a text layer
    cells += [{"document_id": DOC, "table_id": "t09", "table_type": "generic", "page": 5, "row": k, "col": 1,
               "raw_text": f"{v:.2f}", "value": v, "unit": "万元", "scale": 1e4, "decimals": 2}
              for k, v in enumerate(confirm)]
    f["cells"] = schemas.frame(cells, schemas.CELLS)
    return f


def _it001(f: dict[str, pl.DataFrame]) -> dict:
    findings, _ = run_checks(f)
    mine = findings.filter(pl.col("check_code") == "IT001")
    assert mine.height == 1, mine["message"].to_list()
    return mine.row(0, named=True)


def test_a_finding_on_text_layer_cells_is_not_touched() -> None:
    row = _it001(_footing_frames(ocr=False))
    # 0.05 off on a 合计 of 30.00 (0.17 %): any difference on a total is medium
    assert row["severity"] == "medium" and "OCR" not in row["message"]
    assert not any("ocr" in e for e in json.loads(row["evidence"]))


def test_a_finding_on_ocr_cells_is_capped_at_low_and_says_so() -> None:
    plain = _it001(_footing_frames(ocr=False))
    row = _it001(_footing_frames(ocr=True))
    assert row["severity"] == "low" and row["score"] <= 0.3 < plain["score"]
    assert row["message"].startswith(plain["message"]) and "OCR" in row["message"] and "0.93" in row["message"]
    evidence = json.loads(row["evidence"])
    assert evidence and all(e["ocr"] is True and e["ocr_confirmed"] is False for e in evidence)


def test_the_same_finding_confirmed_by_text_layer_figures_keeps_its_severity() -> None:
    row = _it001(_footing_frames(ocr=True, confirm=(30.00, 10.00, 20.05)))
    assert row["severity"] == "medium" and "已在文档文字层中找到相同数字印证" in row["message"]
    assert all(e["ocr"] and e["ocr_confirmed"] for e in json.loads(row["evidence"]))


def test_one_unconfirmed_ocr_figure_keeps_the_cap() -> None:
    # 20.05 is the figure the finding hinges on; confirming only the other two is not enough
    row = _it001(_footing_frames(ocr=True, confirm=(30.00, 10.00, 20.50)))
    assert row["severity"] == "low"
    assert [e["ocr_confirmed"] for e in json.loads(row["evidence"])] == [True, True, False]


def test_no_ocr_content_means_no_index_and_findings_as_before() -> None:
    f = _footing_frames(ocr=False)
    assert ocr_index(f, scan) is None
    hits = pl.DataFrame({"document_id": [DOC], "location": ["x"], "message": ["m"], "evidence": ["[]"],
                         "rel_diff": [0.1], "near_rounding": [False], "is_total": [False], "severity": [None]},
                        schema_overrides={"severity": pl.String})
    out = to_findings("IT001", "1", "inconsistent_total", hits, f["documents"], ocr=None)
    assert out["severity"].to_list() == ["high"] and out["message"].to_list() == ["m"]


# --- accuracy on real table pages (needs the extra) -------------------------------------------

ACCURACY_PAGES = [
    ("dept_budget.pdf", 11),
    ("上海市普陀区规划和自然资源局 2024 年度部门决算.pdf", 16),
    ("中共上海市普陀区委社会工作部 2024 年度部门决算.pdf", 13),
]


@pytest.mark.skipif(not ocr_available(), reason="the ocr extra is not installed")
@pytest.mark.skipif(not all((REALDOCS / n).exists() for n, _ in ACCURACY_PAGES), reason="datasets/realdocs missing")
def test_ocr_digit_accuracy_on_real_table_pages_rendered_as_images() -> None:
    from toolkit.ocr_accuracy import score_page, summarise

    total = summarise([score_page(REALDOCS / name, page) for name, page in ACCURACY_PAGES])
    assert total["numbers"] >= 200
    assert total["digit_accuracy"] >= 0.98, total
    assert total["number_accuracy"] >= 0.95, total
    assert total["cpu_seconds_per_page"] < 60, total
