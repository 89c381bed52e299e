"""workpapers.xlsx as printed: the print setup in the file, then LibreOffice's own PDF of it.

The run is seed 004 (岳阳市屈原管理区医疗保障局, 17 inconsistencies in one bureau-year) alone.
The PDF test needs LibreOffice (``apt-get install -y libreoffice-calc-nogui``) and skips with
the reason otherwise.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from toolkit.executor import SerialExecutor
from toolkit.pipeline import screen
from toolkit.report.review import COL_ID, COL_NOTE, COL_REVIEWER, COL_STATUS

SEEDS = Path(__file__).resolve().parents[1] / "datasets" / "seeds"
SEED_004_BUREAU = "岳阳市屈原管理区医疗保障局"


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("workpapers")
    inputs = root / "in"
    inputs.mkdir()
    shutil.copy(next(SEEDS.glob("004_*.txt")), inputs)
    return screen([inputs], root / "out", executor=SerialExecutor()).reports["xlsx"]


def test_every_sheet_prints_landscape_fitted_to_width_with_its_header_repeated(workbook: Path) -> None:
    wb = load_workbook(workbook)
    try:
        for ws in wb.worksheets:
            assert ws.page_setup.orientation == "landscape", ws.title
            assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
            # one page wide (1 is the default, left out of the file), as many pages down as needed
            assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0, ws.title
            assert ws.print_title_rows.replace("$", "") == "1:1", ws.title  # the header row on every page
    finally:
        wb.close()


def test_ranking_links_to_findings_and_review_columns_carry_notes(workbook: Path) -> None:
    wb = load_workbook(workbook)
    try:
        ranking, findings = wb["排名"], wb["发现"]
        header = [c.value for c in ranking[1]]
        bureau = ranking.cell(2, header.index("单位") + 1)
        assert bureau.value == SEED_004_BUREAU
        assert bureau.hyperlink is not None and bureau.hyperlink.location.startswith("'发现'!A")
        target_row = int(bureau.hyperlink.location.split("!A")[1])
        f_header = [c.value for c in findings[1]]
        assert findings.cell(target_row, f_header.index("单位") + 1).value == SEED_004_BUREAU
        for name in (COL_STATUS, COL_REVIEWER, COL_NOTE):
            assert findings.cell(1, f_header.index(name) + 1).comment is not None, name
        assert f_header.index(COL_ID) == 0 and f_header.index(COL_STATUS) == 1  # review columns beside the ID
        # the IT020 message (a sentence of ~200 characters) wraps: its row is taller than one line
        message_col = f_header.index("说明") + 1
        tall = [r for r in range(2, findings.max_row + 1)
                if len(str(findings.cell(r, message_col).value or "")) > 150]
        assert tall and all(findings.row_dimensions[r].height and findings.row_dimensions[r].height > 15 for r in tall)
        severities = [rule for rng in findings.conditional_formatting for rule in rng.rules]
        assert {r.formula[0] for r in severities} >= {'"高"', '"中"'}
    finally:
        wb.close()


def test_libreoffice_prints_the_findings_with_headers_and_review_columns_on_every_page(
    workbook: Path, tmp_path: Path
) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is missing: apt-get install -y libreoffice-calc-nogui")
    pypdf = pytest.importorskip("pypdf")
    profile = tmp_path / "profile"  # a fresh profile: no first-run dialogs, no lock on a shared one
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(workbook)],
        check=True, capture_output=True, timeout=180,
    )
    pdf = tmp_path / (workbook.stem + ".pdf")
    pages = [p.extract_text() or "" for p in pypdf.PdfReader(pdf).pages]
    print(f"workpapers.pdf: {len(pages)} pages")
    findings_pages = [t for t in pages if t.lstrip().startswith("发现")]  # the page header names the sheet
    assert findings_pages, "the 发现 sheet printed no page"
    for text in findings_pages:
        # the header row is repeated, and the review columns print beside the finding ID, never alone
        for column in (COL_ID, COL_STATUS, COL_REVIEWER, COL_NOTE, "说明"):
            assert column in text
    for text in pages:
        if COL_NOTE in text:
            assert COL_ID in text
    assert all("第" in t and "页，共" in t for t in pages)  # page numbers in the footer
