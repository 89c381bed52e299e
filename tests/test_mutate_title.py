"""A title edited away is a missing-table mutant only if the table is then no longer recognised.

In real workbooks the sheet tab often names the table and the header words recognise it too: a
renamed title there leaves the table present and named, so labelling it "missing" would score a
correct abstention as a miss."""

from __future__ import annotations

from pathlib import Path

from toolkit.extract.document import extract_document
from toolkit.loaders import load_path
from toolkit.model import Limits
from toolkit.mutate.generate import mutate

DATASETS = Path(__file__).resolve().parent.parent / "datasets"


def _types(path: Path) -> list[str]:
    raw = load_path(path, Limits(), display_path=str(path))
    frames = extract_document(raw, document_id="t", path=str(path), sha256="", size_bytes=0)
    return frames["tables"]["table_type"].drop_nulls().to_list()


def test_every_kept_title_mutant_loses_a_recognised_table(tmp_path):
    inputs = [DATASETS / "realdocs" / "department_budget_template.xlsx", DATASETS / "seeds" / "002_0c8a0c7a35adeec5.txt"]
    labels, _ = mutate(inputs, tmp_path, kinds=["table_title_altered", "required_table_removed"], per_doc=2,
                       seed=0, workers=1)
    for lab in labels.to_dicts():
        before = _types(tmp_path / lab["original_document"])
        after = _types(tmp_path / lab["document"])
        lost = [t for t in set(before) if after.count(t) < before.count(t)]
        assert lost, (lab["fault"], lab["document"], lab["location"])
    assert labels.height >= 2  # both kinds found a place in the workbook or the seed
