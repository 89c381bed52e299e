"""Shared by the mutation-harness tests: re-read documents and compare what the loaders see."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from toolkit.loaders import load_path
from toolkit.model import Limits, RawDocument
from toolkit.mutate.spans import compact


def read(path: Path) -> RawDocument:
    return load_path(Path(path), Limits())


def pieces(doc: RawDocument) -> Counter[str]:
    """Every paragraph and every non-empty cell text, whitespace removed."""
    out: Counter[str] = Counter()
    for b in doc.blocks:
        if b.kind == "para" and compact(b.text):
            out[compact(b.text)] += 1
        elif b.table is not None:
            for row in b.table.rows:
                for cell in row:
                    if compact(cell or ""):
                        out[compact(cell)] += 1
    return out


def diff(original: Path, mutant: Path) -> tuple[list[str], list[str]]:
    """(pieces only in the original, pieces only in the mutant)."""
    a, b = pieces(read(original)), pieces(read(mutant))
    return sorted((a - b).elements()), sorted((b - a).elements())


def one_replacement_apart(new_piece: str, old_piece: str, injected: str, original: str) -> bool:
    """``new_piece`` is ``old_piece`` with one occurrence of ``original`` written as ``injected``."""
    inj, orig = compact(injected), compact(original)
    start = new_piece.find(inj)
    while start >= 0:
        if new_piece[:start] + orig + new_piece[start + len(inj):] == old_piece:
            return True
        start = new_piece.find(inj, start + 1)
    return False


def changed_cells(original: Path, mutant: Path) -> list[tuple[str, str]]:
    """(before, after) of every table cell whose text changed in place (same table, row, column)."""
    out = []
    a, b = read(original), read(mutant)
    tables_a = [x.table for x in a.blocks if x.table is not None]
    tables_b = [x.table for x in b.blocks if x.table is not None]
    for ta, tb in zip(tables_a, tables_b, strict=False):
        for ra, rb in zip(ta.rows, tb.rows, strict=False):
            for ca, cb in zip(ra, rb, strict=False):
                if compact(ca or "") != compact(cb or ""):
                    out.append((compact(ca or ""), compact(cb or "")))
    return out
