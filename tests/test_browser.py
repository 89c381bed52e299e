"""report.html in a real browser: Debian's chromium driven by Playwright (no browser download).

Opens the report of a small run (the five seeds, one hostile document whose name is an HTML tag
and whose text carries ``<script>``, and one blank budget template without a bureau), then sorts,
filters and searches the bureau ranking, follows a bureau's link to its findings, and checks
that the page logged no error and ran nothing from the documents. Screenshots are saved in the
test's temporary folder (``report-*.png``).

Needs ``pip install playwright`` (the test extra) and ``apt-get install -y chromium``; skips
with the reason otherwise.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from toolkit.executor import SerialExecutor
from toolkit.pipeline import screen

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "datasets" / "seeds"
TEMPLATE = ROOT / "datasets" / "realdocs" / "unit_budget_template.xlsx"
CHROMIUM = Path("/usr/bin/chromium")
HOSTILE_NAME = "<img src=x onerror=alert(1)>.txt"
HOSTILE_TEXT = (
    "湖南省平江县医疗保障局\n2023年医疗保障基金运行情况\n\n一、基金运行情况\n"
    "2023年，职工医保基金收入5.2亿元，职工医保基金支出4.8亿元，职工医保当期结余0.6亿元"
    '<script>document.title="pwned";alert("x")</script>。\n'
)
SEED_004_BUREAU = "岳阳市屈原管理区医疗保障局"


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -e '.[test]'")
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is missing: apt-get install -y chromium")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("browser")
    inputs = root / "in"
    shutil.copytree(SEEDS, inputs / "seeds")
    (inputs / HOSTILE_NAME).write_text(HOSTILE_TEXT, encoding="utf-8")
    if TEMPLATE.exists():
        shutil.copy(TEMPLATE, inputs / TEMPLATE.name)
    out = root / "out"
    result = screen([inputs], out, executor=SerialExecutor())
    return result.reports["html"]


def _visible_rows(page, table: str) -> list[list[str]]:
    return page.eval_on_selector_all(
        f"#{table} tbody tr:not([hidden])",
        "rows => rows.map(r => Array.from(r.cells).map(c => c.getAttribute('data-v') ?? c.textContent.trim()))",
    )


def test_report_sorts_filters_searches_and_links_to_findings(browser, report: Path, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("request", lambda r: problems.append(f"request: {r.url}") if not r.url.startswith(("file:", "data:")) else None)
    page.goto(report.as_uri())
    page.screenshot(path=str(tmp_path / "report-top.png"))

    # the ranking comes first: its table starts within the first screen
    assert page.locator("#t-bureaus").bounding_box()["y"] < 1000
    rows = _visible_rows(page, "t-bureaus")
    assert rows[0][1] == SEED_004_BUREAU
    n_bureaus = len(rows)
    assert n_bureaus >= 5

    # sort by 风险分 (column 6): ascending, then descending
    header = page.locator("#t-bureaus thead th", has_text="风险分")
    header.click()
    assert header.get_attribute("aria-sort") == "ascending"
    risks = [float(r[5]) for r in _visible_rows(page, "t-bureaus")]
    assert risks == sorted(risks)
    header.click()
    risks = [float(r[5]) for r in _visible_rows(page, "t-bureaus")]
    assert risks == sorted(risks, reverse=True) and risks[0] == 100.0
    page.screenshot(path=str(tmp_path / "report-sorted.png"))

    # filter by 年度: only that year's rows remain
    years = {r[3] for r in rows}
    assert {"2021", "2023"} <= years
    page.select_option('select[data-for="t-bureaus"][data-col="3"]', "2021")
    filtered = _visible_rows(page, "t-bureaus")
    assert filtered and all(r[3] == "2021" for r in filtered) and len(filtered) < n_bureaus
    page.select_option('select[data-for="t-bureaus"][data-col="3"]', "")
    assert len(_visible_rows(page, "t-bureaus")) == n_bureaus

    # search: one bureau by part of its name
    page.fill('input.dt-search[data-for="t-bureaus"]', "临泽")
    found = _visible_rows(page, "t-bureaus")
    assert len(found) == 1 and "临泽" in found[0][1]
    page.fill('input.dt-search[data-for="t-bureaus"]', "")
    page.screenshot(path=str(tmp_path / "report-search.png"))

    # the blank template has no bureau: it is ranked apart, not among the bureaus
    if TEMPLATE.exists():
        assert TEMPLATE.name in page.locator("#t-unidentified").inner_text()
        assert TEMPLATE.name not in page.locator("#t-bureaus").inner_text()

    # a bureau's link leads to its findings, open and on screen
    page.locator("#t-bureaus a", has_text=SEED_004_BUREAU).click()
    anchor = page.evaluate("window.location.hash").lstrip("#")
    assert anchor.startswith("b-")
    section = page.locator(f"#{anchor}")
    findings = section.locator("tr[id^='f-']")
    assert findings.count() >= 17 and findings.first.is_visible()
    assert section.bounding_box()["y"] < 200  # scrolled to it
    page.screenshot(path=str(tmp_path / "report-findings.png"))

    # nothing from the documents ran: no dialog, title unchanged, no console error, no network
    assert page.title().startswith("医保部门公开材料筛查报告")
    assert "<script>document.title" in page.locator("body").inner_text()  # shown as text
    assert problems == []
    page.close()
