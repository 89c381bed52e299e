"""Document metadata and the region reference table."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from toolkit.extract.metadata import detect_metadata
from toolkit.model import Block, RawDocument
from toolkit.reference import PACKAGED_TABLE, REPO_TABLE, load_regions, region_by_code, resolve_region

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "datasets" / "seeds"
REALDOCS = Path(__file__).resolve().parents[2] / "shared" / "realdocs"  # shared/ beside the checkout


def seed(prefix: str) -> RawDocument:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    lines = path.read_text(encoding="utf-8").splitlines()
    return RawDocument(path=str(path), format="txt", blocks=[Block.para(t) for t in lines if t.strip()])


# --- reference table --------------------------------------------------------------------


def test_repo_and_packaged_tables_are_identical():
    assert REPO_TABLE.read_bytes() == PACKAGED_TABLE.read_bytes()


def test_table_shape_and_known_rows():
    rows = list(csv.DictReader(REPO_TABLE.open(encoding="utf-8")))
    assert {"code", "name", "short_name", "level", "parent_code", "province", "version"} <= set(rows[0])
    current = [r for r in rows if r["status"] == "current"]
    assert 3000 < len(current) < 3400
    assert sum(r["level"] == "province" for r in current) == 34
    assert all(len(r["code"]) == 6 and r["code"].isdigit() for r in rows)
    dongkou = region_by_code("430525")
    assert (dongkou.name, dongkou.short_name, dongkou.level, dongkou.parent_code, dongkou.province) == (
        "洞口县", "洞口", "county", "430500", "湖南省")
    assert region_by_code("500120").name == "璧山区" and region_by_code("500120").level == "district"
    assert region_by_code("430529").short_name == "城步"  # 城步苗族自治县
    quyuan = region_by_code("430671")
    assert (quyuan.name, quyuan.level, quyuan.city) == ("屈原管理区", "other", "岳阳市")
    assert len(load_regions()) == len(rows)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("洞口县医疗保障局", "430525"),
        ("临泽县医保局", "620723"),
        ("益阳市赫山区医疗保障事务中心", "430903"),
        ("重庆市璧山区医疗保障局", "500120"),
        ("岳阳市屈原管理区医疗保障局", "430671"),
        ("上海市普陀区财政局", "310107"),
        ("浙江省舟山市普陀区医疗保障局", "330903"),
        ("邵东县医疗保障局", "430521"),  # the name until 2019 (now 邵东市 430582)
    ],
)
def test_resolve_region(text, code):
    assert resolve_region(text).code == code


def test_shared_name_without_parent_is_ambiguous_not_guessed():
    m = resolve_region("普陀区医疗保障局")
    assert m.code is None and m.ambiguous
    assert {c.code for c in m.candidates} == {"310107", "330903"}


# --- detect_metadata on the seeds ------------------------------------------------------------

SEED_META = {
    "000": ("洞口县医疗保障局", "430525", "county", 2021, "dept_self_eval"),
    "001": ("临泽县医保局", "620723", "county", 2023, "dept_self_eval"),
    "002": ("益阳市赫山区医疗保障事务中心", "430903", "district", 2021, "project_self_eval"),
    "003": ("重庆市璧山区医疗保障局", "500120", "district", 2021, "dept_self_eval"),
    "004": ("岳阳市屈原管理区医疗保障局", "430671", "other", 2023, "final_accounts"),
}


@pytest.mark.parametrize("prefix", sorted(SEED_META))
def test_seed_metadata(prefix):
    meta = detect_metadata(seed(prefix))
    bureau, code, level, year, doc_type = SEED_META[prefix]
    assert meta["bureau"] == bureau
    assert meta["region_code"] == code
    assert meta["level"] == level
    assert meta["fiscal_year"] == year
    assert meta["doc_type"] == doc_type


def test_bureau_from_table_caption_and_ambiguous_region():
    raw = RawDocument(path="x", format="pdf", blocks=[
        Block.para("2022年度部门决算"),
        Block.tab([["项目", "决算数"]], caption="部门：普陀区医疗保障局 单位：万元"),
    ])
    meta = detect_metadata(raw)
    assert meta["bureau"] == "普陀区医疗保障局"
    assert meta["region_code"] is None  # 上海 or 舟山: not guessed
    assert meta["fiscal_year"] == 2022 and meta["doc_type"] == "final_accounts"


def test_fiscal_year_is_the_report_year_not_the_publication_date():
    raw = RawDocument(path="x", format="txt", blocks=[
        Block.para("临泽县医保局"),
        Block.para("2023年部门整体支出绩效自评报告"),
        Block.para("一、部门预算及执行情况"),
        Block.para("本报告于2024年3月5日发布。"),
    ])
    assert detect_metadata(raw)["fiscal_year"] == 2023


def _pdf_raw(path: Path, pages: int = 2) -> RawDocument:
    pdfplumber = pytest.importorskip("pdfplumber")
    blocks = []
    with pdfplumber.open(path) as pdf:
        for i, page in enumerate(pdf.pages[:pages]):
            blocks += [Block.para(t, page=i + 1) for t in (page.extract_text() or "").splitlines() if t.strip()]
    return RawDocument(path=str(path), format="pdf", blocks=blocks)


REAL_PDFS = [
    ("GovBudgetChecker/samples/good/上海市普陀区财政局2024年度部门决算.pdf",
     "上海市普陀区财政局", "310107", 2024, "final_accounts"),
    ("GovBudgetChecker/samples/bad/中共上海市普陀区委社会工作部 2024 年度部门决算.pdf",
     "中共上海市普陀区委社会工作部", "310107", 2024, "final_accounts"),
    ("GovBudgetChecker/X/上海市普陀区人民政府万里街道办事处25年预算.pdf",
     "上海市普陀区人民政府万里街道办事处", "310107", 2025, "budget"),
    ("open-budget/pdf_files/jszwfw/江苏省人民检察院/2018年省检察院部门预算公开.pdf",
     "江苏省人民检察院", "320000", 2018, "budget"),
]


@pytest.mark.parametrize(("rel", "bureau", "code", "year", "doc_type"), REAL_PDFS)
def test_real_pdf_text(rel, bureau, code, year, doc_type):
    path = REALDOCS / rel
    if not path.exists():
        pytest.skip("shared real documents not available")
    meta = detect_metadata(_pdf_raw(path))
    assert (meta["bureau"], meta["region_code"], meta["fiscal_year"], meta["doc_type"]) == (bureau, code, year, doc_type)
