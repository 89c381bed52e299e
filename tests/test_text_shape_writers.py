"""The text-shape writers print a real table so that the text loader reads back the same cells."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.loaders import load_bytes
from toolkit.model import Limits
from toolkit.mutate.shapes import read_back, table_rows
from toolkit.render import write_document
from toolkit.render.text_tables import TEXT_SHAPES, aligned_table, one_line_table, pipe_table

SEED = Path(__file__).resolve().parent.parent / "datasets" / "seeds" / "004_4aab53e2ab223d76.txt"
needs_seed = pytest.mark.skipif(not SEED.exists(), reason="seed document not present")


def test_shapes_print_as_documents_saved_as_text() -> None:
    rows = [["项目", "决算数"], ["卫生健康支出", "329.85"], ["合计", ""]]
    assert pipe_table(rows).splitlines() == ["| 项目 | 决算数 |", "|---|---|", "| 卫生健康支出 | 329.85 |", "| 合计 |  |"]
    # 卫生健康支出 is 12 columns wide, 决算数 6: figures right-aligned, two spaces between columns
    assert aligned_table(rows).splitlines() == ["项目          决算数", "卫生健康支出  329.85", "合计"]
    assert one_line_table(rows) == "项目 决算数 卫生健康支出 329.85 合计"


def _first_table_with_title() -> list:
    blocks = load_bytes(SEED.read_bytes(), SEED.name, Limits()).blocks
    i = next(k for k, b in enumerate(blocks) if b.kind == "table")
    return [b for b in blocks[max(0, i - 3):i + 1] if b.kind in ("para", "table")]


SHAPES = sorted(TEXT_SHAPES)


@needs_seed
@pytest.mark.parametrize("shape", SHAPES)
def test_a_real_table_round_trips_in_every_text_shape(shape: str, tmp_path: Path) -> None:
    blocks = _first_table_with_title()
    reference = table_rows(blocks)
    assert len(reference) == 1 and len(reference[0]) == 16  # the seed's 收入支出决算总表, as its TAB rows read
    path = write_document(blocks, tmp_path / f"{shape}.txt", "txt", style=shape)
    assert "\t" not in path.read_text(encoding="utf-8")  # printed in the shape under test, not as TAB rows
    assert table_rows(load_bytes(path.read_bytes(), path.name, Limits()).blocks) == reference


@needs_seed
def test_a_whole_document_in_pipe_rows_reads_every_table_back(tmp_path: Path) -> None:
    blocks = load_bytes(SEED.read_bytes(), SEED.name, Limits()).blocks
    path = write_document(blocks, tmp_path / "pipe.txt", "txt", style="pipe")
    assert read_back(table_rows(blocks), path) == {"tables": 16, "read": 16, "same": 16}


def test_shapes_are_compared_on_the_same_document_and_fault() -> None:
    import polars as pl

    from toolkit.mutate.shapes_report import summarise

    rows = [  # the harness numbers each shape's corpus itself: 003_ in DOCX is 002_ in the pipe corpus
        ("docx", "mutants/003_007_doc__cross_foot_broken.docx", True),
        ("docx", "mutants/004_009_other__rows_swapped.docx", True),
        ("pipe", "mutants/002_007_doc__cross_foot_broken.txt", False),
        ("pipe", "mutants/002_007_doc__column_total_broken.txt", True),
    ]
    table = pl.DataFrame([{"shape": s, "fault": "", "document": d, "edit_mode": "real-layout", "detected": x,
                           "checks": []} for s, d, x in rows])
    docx, pipe = summarise(table, ["docx", "pipe"], "docx")
    assert (docx["paired"], docx["gap"]) == (2, 0.0)
    # one pair (007_doc cross_foot): DOCX found it, pipe did not; rows_swapped was made in DOCX only
    assert (pipe["paired"], pipe["paired_recall"], pipe["paired_reference_recall"], pipe["gap"]) == (1, 0.0, 1.0, -1.0)
    assert pipe["reference_only"] == 1 and pipe["recall"] == 0.5
    assert pipe["missed_where_reference_found"] == ["007_doc__cross_foot_broken"]
    # over both DOCX mutants: the pair is missed and rows_swapped could not be made, so 0 of 2 against DOCX's 2 of 2
    assert (pipe["reference_mutants"], pipe["detected_over_reference"], pipe["recall_over_reference"]) == (2, 0, 0.0)
    assert (pipe["reference_recall"], pipe["gap_over_reference"]) == (1.0, -1.0)
    assert (docx["recall_over_reference"], docx["gap_over_reference"]) == (1.0, 0.0)


def test_a_re_rendered_mutant_does_not_count_for_the_shape_in_its_own_layout() -> None:
    """Two DOCX mutants, both found. The pipe shape finds both too, but one of them could not be edited
    in the pipe file and was written again as TAB text: over all DOCX 2 of 2, in its own layout 1 of 2."""
    import polars as pl

    from toolkit.mutate.shapes_report import summarise

    rows = [("docx", "mutants/001_007_doc__cross_foot_broken.docx", "real-layout"),
            ("docx", "mutants/002_009_other__rows_swapped.docx", "real-layout"),
            ("pipe", "mutants/001_007_doc__cross_foot_broken.txt", "real-layout"),
            ("pipe", "mutants/002_009_other__rows_swapped.txt", "re-rendered")]
    table = pl.DataFrame([{"shape": s, "fault": "", "document": d, "edit_mode": m, "detected": True, "checks": []}
                          for s, d, m in rows])
    _, pipe = summarise(table, ["docx", "pipe"], "docx")
    assert (pipe["detected_over_reference"], pipe["gap_over_reference"]) == (2, 0.0)
    assert (pipe["detected_in_layout_over_reference"], pipe["recall_in_layout_over_reference"]) == (1, 0.5)
    assert pipe["gap_in_layout_over_reference"] == -0.5
