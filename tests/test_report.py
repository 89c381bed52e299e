"""Ranking, masking, the HTML report, the workpapers and review decisions.

The end-to-end fixture screens the five seed documents plus one hostile document: its file
name is an HTML tag and its text carries ``<script>``, a mobile number, a landline, an ID
number and a contact person's name inside a fund sentence whose arithmetic is wrong
(收入 5.2 − 支出 4.8 = 0.4 ≠ 结余 0.6 亿元), so the text reaches the report through a real finding.
"""

from __future__ import annotations

import json
import random
import re
import shutil
from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from toolkit import schemas
from toolkit.cli import app
from toolkit.executor import SerialExecutor
from toolkit.pipeline import screen
from toolkit.rank import rank_bureaus, rank_documents
from toolkit.report import write_reports
from toolkit.report.masking import mask_evidence, mask_text
from toolkit.report.review import (
    CONFIRMED,
    EXCLUDED,
    NEEDS_MORE,
    import_workpapers,
    latest_reviews,
    read_reviews,
    record_review,
)

SEEDS = Path(__file__).resolve().parents[1] / "datasets" / "seeds"
if not SEEDS.is_dir():
    SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"  # shared/ beside the checkout

HOSTILE_NAME = "<img src=x onerror=alert(1)>.txt"
HOSTILE_TEXT = (
    "湖南省平江县医疗保障局\n2023年医疗保障基金运行情况\n\n一、基金运行情况\n"
    "2023年，职工医保基金收入5.2亿元，职工医保基金支出4.8亿元，职工医保当期结余0.6亿元"
    '<script>alert("x")</script>（联系人：张三，电话13812345678，身份证号430621198507124512，'
    "来电0731-84561234）。\n"
)
PERSONAL = ("13812345678", "430621198507124512", "84561234", "张三")
SEED_004_BUREAU = "岳阳市屈原管理区医疗保障局"


def _screen(inputs: Path, out: Path) -> None:
    screen([inputs], out, executor=SerialExecutor())


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("report")
    inputs = root / "in"
    shutil.copytree(SEEDS, inputs / "seeds")
    (inputs / HOSTILE_NAME).write_text(HOSTILE_TEXT, encoding="utf-8")
    out = root / "out"
    _screen(inputs, out)
    write_reports(out)
    return out


def _findings(run_dir: Path) -> pl.DataFrame:
    return pl.read_parquet(run_dir / "findings.parquet")


def _seed_004(run_dir: Path) -> pl.DataFrame:
    return _findings(run_dir).filter(pl.col("document").str.contains("004_"))


def _xlsx_text(path: Path) -> str:
    wb = load_workbook(path, read_only=True)
    try:
        return "\n".join(
            str(v)
            for ws in wb.worksheets
            for row in ws.iter_rows(values_only=True)
            for v in row
            if v is not None
        )
    finally:
        wb.close()


# --------------------------------------------------------------------------- masking


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("联系人：张三，电话：13812345678", "联系人：张*，电话：138****5678"),
        ("经办人李娜电话13912345678", "经办人李*电话139****5678"),
        ("举报电话 +86 138-1234-5678", "举报电话 138****5678"),
        ("联系电话 0731-84561234", "联系电话 0731-******34"),
        ("（0731）8456 1234", "（0731）******34"),
        ("身份证号430621198507124512", "身份证号430*************12"),
        ("身份证 43062119850712451X。", "身份证 430*************1X。"),
        ("旧身份证 430621850712451", "旧身份证 430**********51"),
        ("卡号 6222 0212 3456 7890 123", "卡号 6222***********0123"),
        ("收款账号：1234567890123", "收款账号：1234*****0123"),
        ("患者欧阳娜娜住院", "患者欧阳**住院"),
        ("姓名:司马光", "姓名:司马*"),
    ],
)
def test_personal_data_is_masked(text: str, masked: str) -> None:
    assert mask_text(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "基金收入 13812345678.00元",  # 11 digits with a decimal part: an amount
        "支出 13812345678 元",  # followed by a unit: an amount
        "科目 2101501 行政运行 105.60",  # 科目编码 and amount
        "2023年 1,234,567.89 万元",
        "2021年1-11月 参保人数 12345678 人",
        "20231231",
        "岳阳市屈原管理区医疗保障局",  # organisation
        "负责人：局长",  # a title, not a name
        "单位负责人：高度重视",
        "项目负责人制度",
        "参保人员 2.3万人",
        "申请人和被申请人",
        "举报人张某",  # already anonymised
        "行政区划代码 430671",
    ],
)
def test_amounts_codes_and_organisations_are_not_masked(text: str) -> None:
    assert mask_text(text) == text


def test_evidence_cells_under_a_person_label_are_masked() -> None:
    evidence = json.dumps(
        [
            {
                "table": "基本信息表",
                "row_label": "填表人",
                "col_label": "内容",
                "raw_text": "王小明",
                "page": 2,
            },
            {"table": "基本信息表", "row_label": "联系电话", "raw_text": "13912345678", "page": 2},
            {"table": "收入决算表", "row_label": "2101501 行政运行", "raw_text": "45.83", "page": 1},
        ],
        ensure_ascii=False,
    )
    cells = json.loads(mask_evidence(evidence))
    assert [c["raw_text"] for c in cells] == ["王**", "139****5678", "45.83"]
    assert cells[0]["page"] == 2


# --------------------------------------------------------------------------- ranking


def _finding(
    fid: str,
    doc: str,
    code: str,
    score: float,
    *,
    bureau: str | None = "甲县医疗保障局",
    category: str = "inconsistent_total",
    severity: str = "high",
    year: int = 2023,
) -> dict:
    return {
        "finding_id": fid,
        "check_code": code,
        "category": category,
        "severity": severity,
        "score": score,
        "document": f"{doc}.pdf",
        "document_id": doc,
        "bureau": bureau,
        "region_code": "430621",
        "fiscal_year": year,
        "message": f"{code} message",
    }


def _frame(rows: list[dict]) -> pl.DataFrame:
    return schemas.frame(rows, schemas.FINDINGS)


RANK_ROWS = [
    # doc a: the same check twice -> 1 − (1 − 0.8)(1 − 0.4) = 0.88
    _finding("a1", "a", "IT001", 0.8),
    _finding("a2", "a", "IT001", 0.8),
    # doc b: two different checks -> 1 − 0.2 × 0.2 = 0.96
    _finding("b1", "b", "IT001", 0.8, bureau="乙县医疗保障局"),
    _finding("b2", "b", "IT010", 0.8, bureau="乙县医疗保障局"),
    # doc c: only a parse issue -> risk 0, "could not read"
    _finding("c1", "c", "PI001", 0.8, bureau="丙县医疗保障局", category="parse_issue", severity="medium"),
    # docs d, e: no bureau recognised -> not lumped into one group
    _finding("d1", "d", "IT020", 0.5, bureau=None),
    _finding("e1", "e", "IT020", 0.5, bureau=None),
]


def test_document_risk_decays_repeats_and_combines_checks() -> None:
    ranked = rank_documents(_frame(RANK_ROWS))
    risk = dict(zip(ranked["document_id"], ranked["risk_score"], strict=True))
    assert risk["a"] == pytest.approx(0.88)
    assert risk["b"] == pytest.approx(0.96)
    assert risk["c"] == 0.0
    assert ranked["document_id"].to_list()[:2] == ["b", "a"]
    c = ranked.filter(pl.col("document_id") == "c").row(0, named=True)
    assert c["n_findings"] == 0 and c["n_unread"] == 1
    assert "未能完整读取" in c["explanation"]
    a = ranked.filter(pl.col("document_id") == "a").row(0, named=True)
    assert a["explanation"].startswith("共 2 条发现（高 2），主要为 IT001 科目层级合计不符 2 条")


def test_ranking_is_deterministic_and_ignores_excluded_findings() -> None:
    shuffled = RANK_ROWS.copy()
    random.Random(7).shuffle(shuffled)
    assert rank_documents(_frame(RANK_ROWS)).equals(rank_documents(_frame(shuffled)))
    ranked = rank_documents(_frame(RANK_ROWS), exclude_ids={"b1", "b2"})
    b = ranked.filter(pl.col("document_id") == "b").row(0, named=True)
    assert b["risk_score"] == 0.0 and b["n_excluded"] == 2 and "排除" in b["explanation"]


def test_every_category_has_a_chinese_label_for_explanations() -> None:
    from toolkit.kinds import CATEGORIES
    from toolkit.rank import CATEGORY_LABELS, check_label

    assert set(CATEGORIES) <= set(CATEGORY_LABELS)
    assert check_label("ZZ999", "copy_paste") == "疑似照抄套用"  # a check without its own label


def test_bureau_ranking_keeps_unidentified_documents_apart() -> None:
    bureaus = rank_bureaus(_frame(RANK_ROWS))
    assert bureaus.height == 5  # 甲, 乙, 丙 and one group per unidentified document
    top = bureaus.row(0, named=True)
    assert (top["bureau"], top["fiscal_year"], top["n_documents"]) == ("乙县医疗保障局", 2023, 1)
    unidentified = bureaus.filter(pl.col("bureau").str.starts_with("（未识别单位）"))
    assert sorted(unidentified["n_documents"].to_list()) == [1, 1]


# --------------------------------------------------------------------------- HTML report


def test_html_has_ranking_seed_004_findings_and_coverage(run_dir: Path) -> None:
    html = (run_dir / "report.html").read_text(encoding="utf-8")
    assert "单位排名" in html and "检查覆盖" in html and "data:image/svg+xml;base64," in html
    assert html.index('id="bureaus"') < html.index('id="figures"')  # the ranking comes first
    assert SEED_004_BUREAU in html
    seed = _seed_004(run_dir)
    assert seed.height > 0
    for fid in seed["finding_id"].to_list():
        assert f'id="f-{fid}"' in html
    # hand-checked in the seed: 总分 87 printed, indicator 得分 add to 82 (2+5+20+10+5+0+10+10+10+10)
    it020 = seed.filter(pl.col("check_code") == "IT020")["message"].to_list()
    assert any("87" in m and "82" in m for m in it020)
    assert "2101501 行政运行" in html  # IT011 evidence cell (45.83 vs 105.6) with its row label
    assert "http://" not in html and "https://" not in html  # self-contained


def test_seed_004_bureau_leads_the_ranking(run_dir: Path) -> None:
    html = (run_dir / "report.html").read_text(encoding="utf-8")
    ranking = html[html.index('id="bureaus"') : html.index('id="unidentified"')]
    rows = re.findall(r'<tr>\s*<td class="num">(\d+)</td><td>(?:<a href="#b-[0-9a-f]{12}">)?([^<]*)<', ranking)
    assert rows[0] == ("1", SEED_004_BUREAU)  # 17 inconsistencies in one bureau-year; the others have 0–1
    assert [int(r) for r, _ in rows] == list(range(1, len(rows) + 1))


def test_document_text_is_escaped_and_personal_data_masked_in_html(run_dir: Path) -> None:
    hostile = _findings(run_dir).filter(pl.col("document").str.contains("onerror"))
    assert "IT035" in hostile["check_code"].to_list()  # the text reached the report through a finding
    assert "138****5678" in hostile["evidence"].to_list()[0]  # findings.parquet is shared: masked too
    passages = pl.read_parquet(run_dir / "frames" / "passages.parquet")
    assert passages["text"].str.contains("13812345678", literal=True).any()  # ... the frames keep the raw text
    html = (run_dir / "report.html").read_text(encoding="utf-8")
    assert html.count("<script") == 1  # the vendored table script, allowed by its hash; nothing from a document
    assert "<script>alert" not in html and '<script>alert("x")' not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    for raw in PERSONAL:
        assert raw not in html
    assert "138****5678" in html and "430*************12" in html and "联系人:张*" in html
    assert "5.2亿元" in html and "0.6亿元" in html  # amounts are never masked


# --------------------------------------------------------------------------- workpapers


def test_workpapers_have_the_sheets_review_columns_and_masked_text(run_dir: Path) -> None:
    path = run_dir / "workpapers.xlsx"
    wb = load_workbook(path)
    assert {"排名", "发现", "覆盖", "清单"} <= set(wb.sheetnames)
    ws = wb["发现"]
    header = [c.value for c in ws[1]]
    for col in ("发现编号", "复核状态", "复核人", "复核意见", "说明", "应为", "实为"):
        assert col in header
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref
    assert ws.max_row - 1 == _findings(run_dir).height
    lists = [dv.formula1 for dv in ws.data_validations.dataValidation]
    assert '"未复核,确认问题,排除,需补充资料"' in lists
    assert wb["排名"].cell(2, 2).value is not None
    wb.close()
    text = _xlsx_text(path)
    for raw in PERSONAL:
        assert raw not in text
    assert "138****5678" in text
    assert '<script>alert("x")</script>' in text  # stays text in Excel (no HTML there), never a formula


# --------------------------------------------------------------------------- reviews


def test_a_decision_in_the_same_second_as_the_workbook_counts_as_written(tmp_path: Path) -> None:
    """dcterms:created keeps whole seconds; a decision recorded 0.3 s into that second, before the
    review columns were read (0.6 s), is what the workbook shows (its note masked), so an untouched
    row is not a conflict."""
    from datetime import UTC, datetime, timedelta

    from toolkit.report.review import Review, append_reviews

    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(next(SEEDS.glob("004_*.txt")), inputs)
    out = tmp_path / "out"
    _screen(inputs, out)
    fid = pl.read_parquet(out / "findings.parquet")["finding_id"][0]
    second = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=5)
    decided = second + timedelta(milliseconds=300)
    append_reviews(out, [Review(fid, EXCLUDED, "联系人：王五 13712345678", "审计一组", decided.isoformat())])
    paths = write_reports(out)
    wb = load_workbook(paths["xlsx"])
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    assert datetime.fromisoformat(props["yibao_reviews_as_of"]) > decided  # read after, to the microsecond
    # the same workbook as if written within the decision's second
    wb.properties.created = second.replace(tzinfo=None)
    for p in wb.custom_doc_props.props:
        if p.name == "yibao_reviews_as_of":
            p.value = (second + timedelta(milliseconds=600)).isoformat()
    edited = tmp_path / "same_second.xlsx"
    wb.save(edited)
    assert import_workpapers(out, edited) == (0, [])


def test_review_survives_a_rerun_and_workpaper_import_round_trips(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(next(SEEDS.glob("004_*.txt")), inputs)
    out = tmp_path / "out"
    _screen(inputs, out)
    ids = (
        pl.read_parquet(out / "findings.parquet")
        .sort("score", "finding_id", descending=[True, False])["finding_id"]
        .to_list()
    )
    first, second = ids[0], ids[1]
    record_review(out, first, EXCLUDED, note="口径差异，联系人：王五 13712345678", reviewer="审计一组")
    with pytest.raises(ValueError):
        record_review(out, "IT999-0000", CONFIRMED)
    with pytest.raises(ValueError):
        record_review(out, first, "通过")

    _screen(inputs, out)  # the same documents again: findings rewritten, reviews.csv kept
    assert first in pl.read_parquet(out / "findings.parquet")["finding_id"].to_list()
    paths = write_reports(out)
    html = paths["html"].read_text(encoding="utf-8")
    row = html[html.index(f'id="f-{first}"') :]
    row = row[: row.index("</tr>")]
    assert "rv-excluded" in row and EXCLUDED in row
    assert "王*" in row and "13712345678" not in row  # the note is masked too
    assert "已有 1 条经复核排除" in html

    # the auditor fills the 发现 sheet; importing appends only what changed
    wb = load_workbook(paths["xlsx"])
    ws = wb["发现"]
    header = [c.value for c in ws[1]]
    col = {name: header.index(name) + 1 for name in ("发现编号", "复核状态", "复核人", "复核意见")}
    rows = {ws.cell(r, col["发现编号"]).value: r for r in range(2, ws.max_row + 1)}
    assert ws.cell(rows[first], col["复核状态"]).value == EXCLUDED  # prefilled from reviews.csv
    assert ws.cell(rows[second], col["复核状态"]).value is None  # left blank for the auditor
    ws.cell(rows[second], col["复核状态"], NEEDS_MORE)
    ws.cell(rows[second], col["复核人"], "李审计")
    ws.cell(rows[second], col["复核意见"], "需要原始凭证")
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)

    assert import_workpapers(out, edited) == (1, [])
    assert import_workpapers(out, edited) == (0, [])  # idempotent
    latest = latest_reviews(read_reviews(out))
    decided = dict(zip(latest["finding_id"], latest["status"], strict=True))
    assert decided == {first: EXCLUDED, second: NEEDS_MORE}
    html = write_reports(out)["html"].read_text(encoding="utf-8")
    assert NEEDS_MORE in html[html.index(f'id="f-{second}"') :][:3000]


def test_cli_report_and_review(run_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "copy"
    shutil.copytree(run_dir, out)
    fid = _seed_004(out)["finding_id"][0]
    runner = CliRunner()
    result = runner.invoke(
        app, ["review", str(out), "--finding", fid, "--status", CONFIRMED, "--by", "张审计"]
    )
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["review", str(out), "--finding", fid, "--status", "好"]).exit_code == 2
    result = runner.invoke(app, ["report", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "report.html").exists() and (out / "workpapers.xlsx").exists()
    assert runner.invoke(app, ["report", str(tmp_path / "nothing")]).exit_code == 2


def test_every_registered_check_has_a_chinese_label_for_explanations() -> None:
    from toolkit.checks.registry import catalogue
    from toolkit.rank import CATEGORY_LABELS, check_label

    missing = [e["code"] for e in catalogue() if check_label(e["code"]) in (e["code"], *CATEGORY_LABELS.values())]
    assert missing == []


# --------------------------------------------------------------------------- one risk scale, readable words


def test_risk_is_on_the_0_to_100_scale_and_files_without_a_bureau_rank_apart() -> None:
    from toolkit.report.data import split_unidentified, with_risk_100

    docs = with_risk_100(rank_documents(_frame(RANK_ROWS)))
    risk = dict(zip(docs["document_id"], docs["risk"], strict=True))
    assert risk["a"] == pytest.approx(88.0) and risk["b"] == pytest.approx(96.0) and risk["c"] == 0.0
    assert "risk_score" not in docs.columns  # one scale only
    bureaus, unidentified = split_unidentified(with_risk_100(rank_bureaus(_frame(RANK_ROWS))))
    assert bureaus["bureau"].to_list() == ["乙县医疗保障局", "甲县医疗保障局", "丙县医疗保障局"]
    assert bureaus["rank"].to_list() == [1, 2, 3]
    assert unidentified["rank"].to_list() == [1, 2]  # d and e: 0.5 each, ranked on their own
    assert unidentified["risk"].to_list() == [pytest.approx(50.0)] * 2


def test_ranking_csv_html_and_workbook_show_the_same_risk(run_dir: Path) -> None:
    csv = pl.read_csv(run_dir / "ranking.csv")
    top = csv.filter(pl.col("bureau") == SEED_004_BUREAU).row(0, named=True)
    assert 1 < top["risk_score"] <= 100  # not the 0–1 score
    html = (run_dir / "report.html").read_text(encoding="utf-8")
    first_row = html[html.index('id="t-bureaus"') :]
    assert f'data-v="{top["risk_score"]}"' in first_row[: first_row.index("</tr>", first_row.index("<tbody>"))]
    wb = load_workbook(run_dir / "workpapers.xlsx")
    try:
        ws = wb["排名"]
        header = [c.value for c in ws[1]]
        col = header.index("风险分（0–100）") + 1
        assert ws.cell(2, col).value == top["risk_score"]
        assert ws.cell(2, col).number_format == "0"
    finally:
        wb.close()


@pytest.mark.parametrize(
    ("reason", "chinese"),
    [
        ("table not found: income+expense", "未找到所需的表：收入决算表、支出决算表（table not found: income+expense）"),
        ("no relation inferred: best candidate holds 1 of 3 places",
         "未能推断表内勾稽关系（最佳候选仅满足 1/3 处）（no relation inferred: best candidate holds 1 of 3 places）"),
        ("fewer than 5 peer bureaus in 湖南省", "湖南省同类单位少于 5 个（fewer than 5 peer bureaus in 湖南省）"),
        ("a reason no table knows", "a reason no table knows"),  # shown as it is, never hidden
        (None, ""),
    ],
)
def test_coverage_reasons_are_translated_with_the_machine_text_beside(reason: str | None, chinese: str) -> None:
    from toolkit.report.labels import translate_reason

    assert translate_reason(reason) == chinese


def test_statuses_are_chinese_with_the_machine_value_beside() -> None:
    from toolkit.report.labels import status_label

    assert status_label("ok") == "已读取（ok）"
    assert status_label("not_a_disclosure") == "非公开材料（not_a_disclosure）"
    assert status_label("new_status") == "new_status"


def test_locations_read_as_table_row_and_column() -> None:
    from toolkit.report.data import readable_location

    evidence = json.dumps(
        [{"table": "收入决算表", "table_id": "t02", "page": 1, "row": 11, "row_label": "2101501 行政运行",
          "col_label": "本年收入合计", "raw_text": "45.83"}],
        ensure_ascii=False,
    )
    assert readable_location(evidence) == "收入决算表 · 2101501 行政运行 · 本年收入合计 · 第1页"
    passage = json.dumps([{"passage_id": "15b1c37a87938a2d:g145", "role": "预期目标", "raw_text": "x"}])
    assert readable_location(passage, "项目支出绩效自评表") == "项目支出绩效自评表 · 预期目标"
    assert readable_location(None) == ""


def test_html_shows_readable_locations_links_to_bureau_findings_and_its_script_hash(run_dir: Path) -> None:
    import base64
    import hashlib

    html = (run_dir / "report.html").read_text(encoding="utf-8")
    script = html[html.index("<script>") + len("<script>") : html.index("</script>")]
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    assert f"script-src 'sha256-{digest}'" in html  # the CSP allows exactly this script
    link = re.search(r'<a href="#(b-[0-9a-f]{12})">' + re.escape(SEED_004_BUREAU) + "</a>", html)
    assert link and f'id="{link.group(1)}"' in html
    section = html[html.index(f'id="{link.group(1)}"') :]
    section = section[: section.index("</section>")]
    for fid in _seed_004(run_dir)["finding_id"].to_list():
        assert f'id="f-{fid}"' in section
    # IT011 (科目 2101501: 105.6 in 支出决算表 vs 45.83 in 收入决算表) is placed by table, row and column names
    assert "位置：支出决算表 · 2101501 行政运行 · 本年支出合计 · 第1页" in section


def test_plots_keep_chinese_titles_and_labels_as_svg_text(run_dir: Path) -> None:
    from toolkit.report import plots
    from toolkit.report.data import load_report_data

    data = load_report_data(run_dir)
    svg = plots.findings_by_category(data.findings)
    texts = re.findall(r"<text[^>]*>([^<]+)</text>", svg)
    assert "各类别发现数（按严重程度）" in texts and "发现数" in texts and "数据勾稽不符" in texts
    assert "高" in texts  # the severity legend
    svg = plots.by_province(data.bureau_ranking)
    assert any(t.startswith("湖南（43）") for t in re.findall(r"<text[^>]*>([^<]+)</text>", svg))
