"""The contract every registered check keeps, checked over all of them (after scikit-learn's ``check_estimator``).

Each test is parametrized over ``all_checks()``, so a new check is held to the contract without a line here:
empty input gives a schema-valid empty result; input frames are not mutated; results are deterministic;
a document-scope check gives the same hits over two halves of the case corpus as over the whole;
emitted kinds are declared; evidence is a JSON list; the docstring has its sections and the class its label;
every code has a firing and a quiet case.
"""

from __future__ import annotations

import json
import re
from functools import cache

import polars as pl
import pytest

from tests.checks.discover import all_cases
from toolkit import schemas
from toolkit.checks.framework import EVALS, HITS, Check, CheckResult
from toolkit.checks.registry import all_checks

CHECKS = all_checks()
IDS = [c.code for c in CHECKS]
SECTIONS = ("What it does:", "Why it matters:", "Example:", "Known false positives:")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _cases_of(code: str) -> list:
    return [c for c in all_cases() if c.code == code]


ID_COLUMNS = ("document_id", "table_id", "passage_id")


def _renamed(frames: dict[str, pl.DataFrame], prefix: str) -> dict[str, pl.DataFrame]:
    """The same frames with their ids prefixed, so several cases can sit in one corpus.

    Table and passage ids are renamed too: extraction makes them unique across documents
    (``<document_id>:p3``), and checks may rely on that.
    """
    return {name: df.with_columns((pl.lit(prefix) + pl.col(c)).alias(c) for c in ID_COLUMNS if c in df.columns)
            for name, df in frames.items()}


def _union(frame_sets: list[dict[str, pl.DataFrame]]) -> dict[str, pl.DataFrame]:
    out: dict[str, list[pl.DataFrame]] = {}
    for fr in frame_sets:
        for name, df in fr.items():
            out.setdefault(name, []).append(df)
    return {name: pl.concat(dfs, how="vertical_relaxed") for name, dfs in out.items()}


@cache
def _corpus_halves() -> tuple[dict, dict, dict]:
    """Every case's frames, documents renamed apart: (first half, second half, all)."""
    sets = [_renamed(c.frames, f"c{i:03d}-") for i, c in enumerate(all_cases())]
    half = len(sets) // 2
    return _union(sets[:half]), _union(sets[half:]), _union(sets)


def _sorted(df: pl.DataFrame) -> pl.DataFrame:
    return df.sort(df.columns, nulls_last=True) if df.height else df


def _same(a: pl.DataFrame, b: pl.DataFrame) -> bool:
    return a.schema == b.schema and _sorted(a).equals(_sorted(b))


def _run(cls: type[Check], frames) -> CheckResult:
    result = cls().run(frames)
    assert isinstance(result, CheckResult)
    return result


@pytest.mark.parametrize("cls", CHECKS, ids=IDS)
def test_empty_frames_give_a_schema_valid_empty_result(cls):
    for frames in ({}, {name: schemas.empty(schema) for name, schema in schemas.FRAME_SCHEMAS.items()}):
        result = _run(cls, frames)
        assert dict(result.hits.schema) == HITS and dict(result.evals.schema) == EVALS
        assert result.hits.height == 0


@pytest.mark.parametrize("cls", CHECKS, ids=IDS)
def test_input_frames_are_not_mutated(cls):
    for case in _cases_of(cls.code):
        before = {name: df.clone() for name, df in case.frames.items()}
        _run(cls, case.frames)
        assert set(case.frames) == set(before)
        for name, df in before.items():
            assert case.frames[name].equals(df), (case.name, name)


@pytest.mark.parametrize("cls", CHECKS, ids=IDS)
def test_results_are_deterministic(cls):
    _, _, whole = _corpus_halves()
    for frames in [c.frames for c in _cases_of(cls.code)] + [whole]:
        a, b = _run(cls, frames), _run(cls, frames)
        # the same rows; their order is the engine's to fix (``sort_findings``), group_by need not keep it
        assert _same(a.hits, b.hits) and _same(a.evals, b.evals)


DOCUMENT_SCOPE = [c for c in CHECKS if c.scope == "document"]
# Known, kept as it is on purpose (behaviour must not change in a layout move): when a batch holds no
# 支出决算表 at all, IT011 takes an early exit that records every document's X-3 as skipped, while the
# same documents in a batch that does hold one get no X-3 row. Findings are unaffected; coverage is not.
BATCH_DEPENDENT_COVERAGE: dict[str, str] = {}  # code -> why its coverage depends on the batch (none today)


@pytest.mark.parametrize("cls", DOCUMENT_SCOPE, ids=[c.code for c in DOCUMENT_SCOPE])
def test_document_scope_hits_are_batch_invariant(cls):
    first, second, whole = _corpus_halves()
    a, b, ab = _run(cls, first), _run(cls, second), _run(cls, whole)
    assert _same(pl.concat([a.hits, b.hits]), ab.hits)


@pytest.mark.parametrize("cls", [
    pytest.param(c, id=c.code, marks=pytest.mark.xfail(strict=True, reason=BATCH_DEPENDENT_COVERAGE[c.code]))
    if c.code in BATCH_DEPENDENT_COVERAGE else pytest.param(c, id=c.code) for c in DOCUMENT_SCOPE])
def test_document_scope_coverage_is_batch_invariant(cls):
    first, second, whole = _corpus_halves()
    a, b, ab = _run(cls, first), _run(cls, second), _run(cls, whole)
    assert _same(pl.concat([a.evals, b.evals]), ab.evals)


CARRYING = [c for c in CHECKS if c.scope == "corpus" and c.summarise is not Check.summarise]


@pytest.mark.parametrize("cls", CARRYING, ids=[c.code for c in CARRYING])
def test_corpus_pass_from_batch_digests_is_the_corpus_pass(cls):
    """Digests of the two halves (a document pass in two batches) give what one pass over the whole does;
    so does a digest of one half only (the other half's documents reused from a previous run), and a
    digest of documents the frames do not hold is ignored."""
    first, second, whole = _corpus_halves()
    plain = _run(cls, whole)
    assert plain.hits.height, "the case corpus makes the check fire"
    check = cls()
    stranger = check.summarise(_renamed(first, "x-"))
    for digests in ([check.summarise(first), check.summarise(second)], [check.summarise(second)], [stranger]):
        carried = check.run_with(whole, digests)
        assert _same(carried.hits, plain.hits) and _same(carried.evals, plain.evals)


def test_the_engine_hands_document_pass_digests_to_the_corpus_pass():
    from toolkit.checks.merge import CheckAccumulator

    first, second, whole = _corpus_halves()
    acc = CheckAccumulator()
    acc.run(first, "document")
    acc.run(second, "document")
    assert {code for code, digests in acc.summaries.items() if len(digests) == 2} == {c.code for c in CARRYING}
    acc.run(whole, "corpus")
    assert acc.summaries == {}  # used once
    one = CheckAccumulator()
    one.run(whole, "corpus")  # no digests: the corpus pass computes everything itself
    carrying = pl.col("check_code").is_in([c.code for c in CARRYING])
    for mine, theirs in zip(acc.result(), one.result(), strict=True):
        assert mine.filter(carrying).height
        assert _same(mine.filter(carrying), theirs.filter(carrying))


@pytest.mark.parametrize("cls", CHECKS, ids=IDS)
def test_hits_carry_declared_kinds_and_json_evidence(cls):
    _, _, whole = _corpus_halves()
    hits = pl.concat([_run(cls, f).hits for f in [c.frames for c in _cases_of(cls.code)] + [whole]])
    assert hits.height, "no case makes the check fire"
    assert set(hits["kind"].to_list()) <= set(cls.detects), set(hits["kind"].to_list()) - set(cls.detects)
    for evidence in hits["evidence"].to_list():
        assert isinstance(json.loads(evidence), list), evidence
    assert hits["message"].null_count() == 0 and hits["document_id"].null_count() == 0


@pytest.mark.parametrize("cls", CHECKS, ids=IDS)
def test_doc_sections_and_label(cls):
    doc = cls.doc()
    assert cls.summary() and cls.summary() == doc.splitlines()[0]
    positions = [re.search(rf"^{re.escape(s)}", doc, re.M) for s in SECTIONS]
    assert all(positions), [s for s, p in zip(SECTIONS, positions, strict=True) if not p]
    assert [p.start() for p in positions] == sorted(p.start() for p in positions), "sections out of order"
    assert CJK.search(cls.label or ""), "a Chinese label for the ranking's explanations"
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", cls.name), cls.name
    assert cls.scope in ("document", "corpus")


@pytest.mark.parametrize("cls", CHECKS, ids=IDS)
def test_every_code_has_a_firing_and_a_quiet_case(cls):
    cases = _cases_of(cls.code)
    assert any(c.fires for c in cases), f"tests/checks/rules/{cls.code.lower()}.py: no firing case"
    assert any(not c.fires for c in cases), f"tests/checks/rules/{cls.code.lower()}.py: no quiet case"
