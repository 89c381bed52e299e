"""Fingerprints: the same finding keeps its fingerprint when the document changes elsewhere."""

from __future__ import annotations

import polars as pl

from toolkit import schemas
from toolkit.job.diff import compare, describe
from toolkit.job.fingerprint import fingerprints


def _finding(fid: str, doc: str, table: str | None, location: str, actual: str = "87分") -> dict:
    return {"finding_id": fid, "check_code": "IT020", "category": "inconsistent_total", "severity": "high",
            "score": 0.8, "document": "a.txt", "document_id": doc, "bureau": "某县医疗保障局",
            "region_code": "430000", "fiscal_year": 2023, "table_id": table, "location": location,
            "message": "m", "expected": "82分", "actual": actual}


def _frames(doc: str, tables: list[tuple[str, str, str | None]]) -> tuple[pl.DataFrame, pl.DataFrame]:
    documents = schemas.frame([{"document_id": doc, "path": "a.txt", "doc_type": "project_self_eval"}],
                              schemas.DOCUMENTS)
    t = schemas.frame([{"document_id": doc, "table_id": tid, "table_type": tt, "project": pj}
                       for tid, tt, pj in tables], schemas.TABLES)
    return documents, t


def test_a_table_inserted_before_and_a_new_content_hash_leave_the_fingerprint() -> None:
    before = schemas.frame([_finding("IT020-1", "aaaaaaaaaaaaaaaa", "t02", "S-1|t02"),
                            _finding("CP005-1", "aaaaaaaaaaaaaaaa", None, "C-5|aaaaaaaaaaaaaaaa:p23|107")],
                           schemas.FINDINGS)
    docs, tables = _frames("aaaaaaaaaaaaaaaa", [("t01", "score_sheet", None), ("t02", "project_self_eval", "医保专项")])
    # the edited document: a new content hash, a table of another type inserted first, the text moved
    after = schemas.frame([_finding("IT020-2", "bbbbbbbbbbbbbbbb", "t03", "S-1|t03"),
                           _finding("CP005-2", "bbbbbbbbbbbbbbbb", None, "C-5|bbbbbbbbbbbbbbbb:p24|311")],
                          schemas.FINDINGS)
    docs2, tables2 = _frames("bbbbbbbbbbbbbbbb", [("t01", "generic", None), ("t02", "score_sheet", None),
                                                  ("t03", "project_self_eval", "医保专项")])
    fp1 = fingerprints(before, docs, tables)["fingerprint"].to_list()
    fp2 = fingerprints(after, docs2, tables2)["fingerprint"].to_list()
    assert fp1 == fp2
    changes = compare(describe(after, fingerprints(after, docs2, tables2)),
                      describe(before, fingerprints(before, docs, tables)))
    assert changes["change"].to_list() == ["recurring", "recurring"]
    assert changes["previous_finding_id"].to_list() == ["IT020-1", "CP005-1"]


def test_another_project_is_another_finding_and_new_values_are_changed() -> None:
    docs, tables = _frames("aaaaaaaaaaaaaaaa", [("t01", "project_self_eval", "甲"), ("t02", "project_self_eval", "乙")])
    two = schemas.frame([_finding("A", "aaaaaaaaaaaaaaaa", "t01", "S-1|t01"),
                         _finding("B", "aaaaaaaaaaaaaaaa", "t02", "S-1|t02")], schemas.FINDINGS)
    fps = fingerprints(two, docs, tables)["fingerprint"].to_list()
    assert fps[0] != fps[1]
    moved = schemas.frame([_finding("A2", "aaaaaaaaaaaaaaaa", "t01", "S-1|t01", actual="88分")], schemas.FINDINGS)
    changes = compare(describe(moved, fingerprints(moved, docs, tables)), describe(two, fingerprints(two, docs, tables)))
    assert dict(zip(changes["previous_finding_id"], changes["change"], strict=True)) == {"A": "changed", "B": "resolved"}
