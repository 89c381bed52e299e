"""Generated frames with one injected line item: the item is k× its clean value and the totals follow it."""

from __future__ import annotations

import polars as pl
import pytest

from toolkit.synth.peer_anomalies import corpus_frames, fabricate_amounts, generated, plan_injections


@pytest.fixture(scope="module")
def items():
    return generated(24, 2, seed=11)


def _item(frames: dict, doc: str, code: str | None, ttype: str = "expense", measure: str = "total") -> float:
    li = frames["line_items"].filter((pl.col("document_id") == doc) & (pl.col("table_type") == ttype)
                                     & (pl.col("measure") == measure))
    li = li.filter(pl.col("code") == code) if code else li.filter(pl.col("row_kind") == "total")
    return li["value"].sum()


def test_injection_multiplies_one_item_and_keeps_the_totals_consistent(items) -> None:
    clean = corpus_frames(items)
    boosts, labels = plan_injections(items, 3.0, rate=1.0, seed=11)
    dirty = corpus_frames(items, boosts)
    last = max(it.year for it in items)
    assert labels and all(lb.fiscal_year == last and lb.multiplier == 3.0 for lb in labels)
    docs = clean["documents"].filter(pl.col("doc_type") == "final_accounts")
    doc_of = dict(zip(zip(docs["region_code"], docs["fiscal_year"], strict=True), docs["document_id"], strict=True))
    for lb in labels:
        doc = doc_of[(lb.bkey, lb.fiscal_year)]
        before, after = _item(clean, doc, lb.code), _item(dirty, doc, lb.code)
        assert after == pytest.approx(3.0 * before, abs=0.01)
        delta = after - before
        assert _item(dirty, doc, None) == pytest.approx(_item(clean, doc, None) + delta, abs=0.01)
        total01 = dirty["line_items"].filter((pl.col("document_id") == doc) & (pl.col("item_key") == "expense_total"))
        assert total01["value"][0] == pytest.approx(_item(dirty, doc, None), abs=0.01)


def test_every_bureau_year_has_its_size_and_no_zero_rows(items) -> None:
    f = corpus_frames(items)
    n = len(items)
    assert f["documents"].height == 2 * n
    insured = f["facts"].filter(pl.col("metric") == "insured_persons")
    assert insured.height == n and (insured["value"] > 0).all()


def test_fabricated_amounts_have_the_planted_pattern() -> None:
    import random

    uni = fabricate_amounts(900, "uniform", random.Random(1))
    firsts = [int(f"{v:.2f}".replace(".", "").lstrip("0")[0]) for v in uni]
    # uniform leading digits: each of 1–9 about 1/9 (Benford would give 30 % to 1)
    assert 0.07 < firsts.count(1) / 900 < 0.16
    rounded = fabricate_amounts(900, "round", random.Random(2), like=[12345.67] * 10)
    assert 0.25 < sum(v == 12300.0 for v in rounded) / 900 < 0.42
