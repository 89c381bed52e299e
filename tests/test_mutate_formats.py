"""Mutation at the source in every format we write: a seed document rendered to DOCX, XLSX, HTML,
CSV and PDF in the test, then mutated; plus a real published PDF edited in its content stream."""

from __future__ import annotations

import zipfile
from pathlib import Path

import polars as pl
import pytest

from tests.mutate_helpers import changed_cells, diff, one_replacement_apart, read
from toolkit.mutate.generate import mutate
from toolkit.render import write_document

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "datasets" / "seeds" / "003_e61ad20af645541a.txt"
REAL_PDF = ROOT / "datasets" / "realdocs" / "中共上海市普陀区委社会工作部 2024 年度部门决算.pdf"
KINDS = ["text_amount", "column_total_broken", "stale_year", "direction_flipped", "unit_flipped_text"]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> tuple[Path, pl.DataFrame]:
    src = tmp_path_factory.mktemp("src")
    blocks = read(SEED).blocks
    for fmt in ("docx", "xlsx", "html"):
        write_document(blocks, src / f"seed.{fmt}", fmt)
    out = tmp_path_factory.mktemp("mut")
    labels, _ = mutate([src], out, kinds=KINDS, per_doc=len(KINDS), seed=1, workers=2)
    return out, labels


def test_every_format_is_mutated_in_place(rendered):
    _, labels = rendered
    real = labels.filter(pl.col("edit_mode") == "real-layout")
    assert set(real["source_format"].unique()) == {"docx", "xlsx", "html"}
    for fmt in ("docx", "xlsx", "html"):
        assert real.filter(pl.col("source_format") == fmt).height >= 3, fmt


def test_mutants_differ_only_where_labelled(rendered):
    out, labels = rendered
    for lab in labels.to_dicts():
        assert lab["status_mutant"] == lab["status_original"] or lab["note"]
        gone, added = diff(out / lab["original_document"], out / lab["document"])
        assert len(added) == len(gone) == 1, (lab["source_format"], lab["fault"], gone, added)
        assert one_replacement_apart(added[0], gone[0], lab["injected_value"], lab["original_value"]), lab
        assert any(t in added[0] for t in lab["tokens"])


def test_zip_members_other_than_the_edited_part_are_copied_unchanged(rendered):
    out, labels = rendered
    for lab in labels.filter(pl.col("source_format").is_in(["docx", "xlsx"])).to_dicts():
        a = zipfile.ZipFile(out / lab["original_document"])
        b = zipfile.ZipFile(out / lab["document"])
        assert a.namelist() == b.namelist()
        changed = [n for n in a.namelist() if a.read(n) != b.read(n)]
        assert len(changed) == 1 and changed[0].endswith(".xml"), changed


def test_pdf_we_cannot_map_is_re_rendered_and_labelled(tmp_path):
    blocks = read(SEED).blocks
    write_document(blocks, tmp_path / "src" / "seed.pdf", "pdf")
    labels, truth = mutate([tmp_path / "src"], tmp_path / "out", kinds=["text_amount"], per_doc=1, seed=0, workers=1)
    assert labels.height == 1
    lab = labels.to_dicts()[0]
    # reportlab's STSong-Light is referenced with UniGB-UCS2-H, not embedded: no glyph map to write with
    assert lab["edit_mode"] == "re-rendered" and "re-rendered" in lab["note"]
    assert lab["original_document"].startswith("rerendered/")
    assert truth.filter(pl.col("document") == lab["original_document"])["clean"].to_list() == [True]
    gone, added = diff(tmp_path / "out" / lab["original_document"], tmp_path / "out" / lab["document"])
    assert len(added) == 1 and lab["injected_value"].replace(",", "") in added[0].replace(",", "")


@pytest.mark.skipif(not REAL_PDF.exists(), reason="real PDF not shipped")
def test_real_pdf_number_is_edited_in_its_content_stream(tmp_path):
    labels, _ = mutate([REAL_PDF], tmp_path, kinds=["column_total_broken"], per_doc=1, seed=0, workers=1)
    assert labels.height == 1
    lab = labels.to_dicts()[0]
    assert lab["edit_mode"] == "real-layout"
    changed = changed_cells(tmp_path / lab["original_document"], tmp_path / lab["document"])
    assert changed == [(lab["original_value"], lab["injected_value"])]
    assert not read(tmp_path / lab["document"]).failed


def test_pdf_glyph_codes_come_from_the_font():
    from toolkit.mutate.pdf_cmap import FontMap, parse_cmap

    cmap = b"""1 begincodespacerange <0000> <FFFF> endcodespacerange
    2 beginbfchar <0011> <0031> <0012> <0032> endbfchar
    1 beginbfrange <0020> <0022> <0035> endbfrange"""
    fm = FontMap(2, parse_cmap(cmap, 2))
    assert [t for _, t in fm.decode(b"\x00\x11\x00\x21")] == ["1", "6"]
    assert fm.encode("182") is None  # no glyph for 8 in this subset
    assert fm.encode("152") == b"\x00\x11\x00\x20\x00\x12"
