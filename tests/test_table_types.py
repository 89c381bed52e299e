"""The table-type specs and the frame schemas hold what extraction actually produces."""

from __future__ import annotations

import polars as pl
import pytest

from tests.helpers import extract_text_file, seed_path
from toolkit import schemas
from toolkit.extract import table_types as tt
from toolkit.extract.recognize import classify_header, classify_title

SEEDS = ("000", "001", "002", "003", "004")


@pytest.fixture(scope="module")
def seed_frames() -> list[dict[str, pl.DataFrame]]:
    return [extract_text_file(seed_path(s)) for s in SEEDS]


def test_every_type_has_a_unique_key_and_a_chinese_name():
    keys = [t.key for t in tt.TABLE_TYPES]
    assert len(keys) == len(set(keys))
    names = tt.table_names()
    assert set(names) == set(keys) - {tt.GENERIC}
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in n) for n in names.values())


def test_every_type_but_generic_is_recognisable_and_extracted():
    for t in tt.TABLE_TYPES:
        if t.key == tt.GENERIC:
            assert not t.title_rules and t.extract is None
        else:
            assert t.title_rules, t.key
            assert t.extract is not None, t.key


def test_measure_words_name_declared_measures():
    for t in tt.TABLE_TYPES:
        assert {key for key, _ in t.measure_words} <= set(t.measures), t.key


def test_rank_decides_between_overlapping_rules():
    # 三公 (rank 80) comes before 机关运行经费 (90): a table naming both is the 三公 table
    assert classify_title("“三公”经费和机关运行经费预算表") == tt.SANGONG
    assert classify_title("一般公共预算机关运行经费支出预算表") == tt.RUNNING_COST
    # header fallback: 部门名称 tells the 部门整体 自评表 from the project one
    header = ["部门名称", "一级指标", "二级指标", "三级指标", "年度指标值", "分值", "得分"]
    assert classify_header(header, []) == tt.DEPT_SELF_EVAL
    assert classify_header(header[1:], []) == tt.PROJECT_SELF_EVAL
    assert classify_header(["科目编码", "科目名称", "基本支出", "项目支出"], []) == tt.GPB_EXPENSE


def test_seed_frames_keep_their_schemas(seed_frames):
    for frames in seed_frames:
        for name, df in frames.items():
            assert schemas.validate(df, schemas.FRAME_SCHEMAS[name]) == [], name


def test_seed_line_items_use_the_keys_and_measures_of_their_type(seed_frames):
    li = pl.concat([f["line_items"] for f in seed_frames])
    assert set(li["table_type"].unique()) <= set(tt.BY_KEY)
    for (table_type,), g in li.group_by("table_type"):
        spec = tt.spec(table_type)
        assert set(g["item_key"].drop_nulls()) <= set(spec.row_keys), table_type
        assert set(g["measure"].drop_nulls()) <= set(spec.measures), table_type


def test_validate_names_what_breaks_a_schema():
    df = pl.DataFrame({"path": ["a.pdf", None], "status": ["ok", "lost"]})
    problems = schemas.validate(schemas.conform(df, schemas.MANIFEST), schemas.MANIFEST)
    assert problems == ["path: 1 null value(s) in a required column", "status: values not allowed: ['lost']"]
