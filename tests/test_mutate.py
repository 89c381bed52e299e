"""The mutation harness on the real seed documents (text): every mutant differs from its original
only where its label says, shows the label's tokens, and loads with the original's status."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from tests.mutate_helpers import changed_cells, diff, one_replacement_apart, pieces, read
from toolkit.mutate.faults import FAULTS, parse_kinds
from toolkit.mutate.generate import mutate
from toolkit.mutate.spans import compact

SEEDS = Path(__file__).resolve().parent.parent / "datasets" / "seeds"
REPLACING = {"column_total_broken", "cross_foot_broken", "difference_broken", "ratio_cell_broken", "text_amount",
             "text_share", "text_completion", "text_growth", "text_change_amount", "direction_flipped",
             "unit_flipped_text", "unit_flipped_header", "score_total_broken", "weight_sum_broken",
             "parts_exceed_whole", "coverage_over_100", "spending_over_income", "balance_broken", "placeholder",
             "stale_year"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, pl.DataFrame, pl.DataFrame]:
    out = tmp_path_factory.mktemp("mutants")
    labels, truth = mutate([SEEDS], out, kinds=list(FAULTS), per_doc=len(FAULTS), seed=0, workers=2)
    return out, labels, truth


def test_labels_have_the_evaluate_columns_and_the_harness_columns(corpus):
    _, labels, truth = corpus
    for col in ("document", "category", "kind", "location", "injected_value", "original_value", "tokens",
                "source_format", "edit_mode", "original_document", "fault"):
        assert col in labels.columns
    assert labels.height >= 15
    assert set(labels["edit_mode"].unique()) <= {"real-layout", "re-rendered"}
    assert (labels["source_format"] == "txt").all()
    # one fault per mutant, every original kept unmutated
    assert labels["document"].n_unique() == labels.height
    assert truth.filter(pl.col("edit_mode") == "original").height == 5


def test_each_mutant_loads_with_its_originals_status(corpus):
    out, labels, _ = corpus
    for lab in labels.to_dicts():
        assert lab["status_mutant"] == lab["status_original"] or lab["note"], lab["document"]
        assert not read(out / lab["document"]).failed


def test_replacement_faults_change_only_the_labelled_text(corpus):
    out, labels, _ = corpus
    seen = set()
    for lab in labels.filter(pl.col("fault").is_in(sorted(REPLACING))).to_dicts():
        gone, added = diff(out / lab["original_document"], out / lab["document"])
        assert added, lab
        assert len(added) == len(gone) <= 2, (lab["fault"], gone, added)
        for new_piece in added:
            assert any(one_replacement_apart(new_piece, old, lab["injected_value"], lab["original_value"])
                       for old in gone), (lab["fault"], new_piece, gone)
        text = compact(" ".join(added))
        assert any(compact(t) in text for t in lab["tokens"]), (lab["fault"], lab["tokens"])
        seen.add(lab["fault"])
    # the seeds offer most text and table faults
    assert {"text_amount", "text_share", "direction_flipped", "unit_flipped_text", "stale_year",
            "column_total_broken", "placeholder"} <= seen


def test_swapped_rows_exchange_two_amounts(corpus):
    out, labels, _ = corpus
    rows = labels.filter(pl.col("fault") == "rows_swapped").to_dicts()
    assert rows
    for lab in rows:
        a, b = lab["original_value"].split(" / ")
        changed = changed_cells(out / lab["original_document"], out / lab["document"])
        assert len(changed) == 2, changed
        (before1, after1), (before2, after2) = changed
        assert before1 == after2 and before2 == after1
        assert {compact(a), compact(b)} <= {before1, before2} | {compact(x) for x in (before1, before2)}


def test_removals_only_remove(corpus):
    out, labels, _ = corpus
    rows = labels.filter(pl.col("fault").is_in(["row_removed", "required_table_removed", "toc_table_removed"]))
    assert rows.height
    for lab in rows.to_dicts():
        gone, added = diff(out / lab["original_document"], out / lab["document"])
        if lab["edit_mode"] == "real-layout":
            assert not added, (lab["fault"], added)
        assert gone
        if lab["fault"] == "row_removed":
            assert set(gone) <= {compact(c) for c in lab["original_value"].split(" | ")}, gone
        else:
            assert any(compact(lab["original_value"]) in g for g in gone)


def test_copy_faults_bring_in_the_copied_text(corpus):
    out, labels, _ = corpus
    rows = labels.filter(pl.col("kind").is_in(["actual_copied_from_target", "paragraph_copied_across_bureaus",
                                               "target_copied_across_projects"]))
    assert rows.height
    for lab in rows.to_dicts():
        gone, added = diff(out / lab["original_document"], out / lab["document"])
        assert gone and added
        assert any(compact(t) in "".join(added) for t in lab["tokens"]) or lab["fault"] == "targets_copied_between_projects"


def test_same_seed_same_mutants(corpus, tmp_path):
    _, labels, _ = corpus
    again, _ = mutate([SEEDS / "003_e61ad20af645541a.txt"], tmp_path, kinds=["text_amount", "stale_year"],
                      per_doc=2, seed=0, workers=1)
    first = labels.filter(pl.col("source").str.ends_with("003_e61ad20af645541a.txt")
                          & pl.col("fault").is_in(["text_amount", "stale_year"]))
    assert sorted(again["injected_value"].to_list()) == sorted(first["injected_value"].to_list())


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown fault"):
        parse_kinds("text_amount,no_such_fault")


def test_the_default_loop_leaves_out_the_faults_only_peers_can_see():
    default = parse_kinds(None)
    assert "text_amount" in default and "line_item_scaled_3x" not in default
    assert parse_kinds("line_item_scaled_3x") == ["line_item_scaled_3x"]


REMOVING = {"row_removed", "required_table_removed", "toc_table_removed"}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_each_fault_kind(corpus, fault):
    """Per fault kind: the mutant re-reads, differs from its original, and shows the label's tokens
    (a removal shows fewer copies of what it removed). Kinds the seeds give no place for are skipped."""
    out, labels, _ = corpus
    rows = labels.filter(pl.col("fault") == fault).to_dicts()
    if not rows:
        pytest.skip(f"the seed documents offer no place for {fault}")
    for lab in rows:
        assert lab["kind"] == FAULTS[fault].kind and lab["category"] == FAULTS[fault].category
        original, mutant = read(out / lab["original_document"]), read(out / lab["document"])
        assert not mutant.failed
        gone, added = diff(out / lab["original_document"], out / lab["document"])
        if fault == "rows_swapped":
            assert len(changed_cells(out / lab["original_document"], out / lab["document"])) == 2
            continue
        assert gone, fault
        if fault in REMOVING:
            assert not added or lab["edit_mode"] == "re-rendered"
        elif fault == "table_title_altered":
            # a finding must name the table that is no longer recognisable: the original title
            assert compact(lab["injected_value"]) in compact(" ".join(added))
            assert any(compact(t) in g for t in lab["tokens"] for g in gone)
        elif fault == "targets_copied_between_projects":
            # a finding must name the project that received the copied targets
            assert all(any(compact(t) in p for p in pieces(mutant)) for t in lab["tokens"])
        else:
            text = compact(" ".join(added))
            assert any(compact(t) in text for t in lab["tokens"]), (fault, lab["tokens"], added[:2])
        assert original.pages == mutant.pages or fault in REMOVING or lab["edit_mode"] == "re-rendered"


def test_rerender_the_renderer_cannot_lay_out_skips_the_candidate(monkeypatch, tmp_path):
    """A page the PDF renderer cannot lay out (a cell taller than the page) drops that candidate, not the run."""
    from types import SimpleNamespace

    from toolkit.mutate import generate

    def too_tall(blocks, path, fmt):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"partial")
        raise RuntimeError("Flowable too large on page 35")

    monkeypatch.setattr(generate, "apply_block_edits", lambda raw, edits: [])
    monkeypatch.setattr(generate, "write_rendered", too_tall)
    orig = SimpleNamespace(fmt="pdf", path="x.pdf")
    plan = SimpleNamespace(fault="ratio_cell_broken", alternatives=[["edit"]])
    assert generate._try_rerender(orig, None, [plan], tmp_path, "x") is None
    assert not (tmp_path / "mutants" / "x__ratio_cell_broken.pdf").exists()


def test_text_faults_on_a_qizhong_list_break_its_own_list(tmp_path):
    from tests.helpers import extract_text_file
    from toolkit.mutate.planner import Context, plan_parts_exceed, plan_text_amount

    # two lists in one paragraph, each adding up exactly: 11410 + 44 + 93 + 503 = 12050 and
    # 34208.61 + 4335.98 + 3845.05 + 4476.65 = 46866.29
    path = tmp_path / "基金.txt"
    path.write_text("医保基金支出情况\n职工医保基金支出12050万元，其中住院补偿11410万元，生育补偿44万元，津贴补偿93万元，"
                    "大病互助补偿503万元；城乡居民医保基金支出共计46866.29万元，其中住院补偿34208.61万元，门诊补偿4335.98万元，"
                    "大病保险支出3845.05万元，意外伤害4476.65万元。\n", encoding="utf-8")
    frames = extract_text_file(path)
    ctx = Context(2021, None, [])
    raised = {p.original_value: p.injected_value for p in plan_parts_exceed(frames, ctx)}
    # each list's largest part set to 1.2 × its own whole: 12050 × 1.2 = 14460; 46866.29 × 1.2 = 56239.548
    assert raised == {"11410": "14460", "34208.61": "56239.55"}
    changed = {p.original_value: p.injected_value for p in plan_text_amount(frames, ctx)}
    # an open list's whole is set below its parts: 0.8 × 46866.29 = 37493.032; 0.8 × 12050 = 9640
    assert changed["46866.29"] == "37493.03" and changed["12050"] == "9640"
