"""The PDF loader's two sources side by side: the same tables and paragraphs, or the differences.

:func:`compare_sources` reads one file with pdfium and with pdfplumber and lists where the
results differ: table cells are compared ignoring whitespace (the sources place spaces
differently: pdfium drops some printed spaces that pdfminer keeps), paragraphs likewise, and
issues by code and page. ``scripts/pdf_diff.py`` runs it over folders; a test runs it over
the PDFs shipped in ``datasets/realdocs``. The text layer only: OCR of scanned pages is the
same for both sources.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from toolkit.loaders.pdf import read_text_layer
from toolkit.model import Limits, RawDocument

_WS = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _WS.sub("", text or "")


@dataclass(slots=True)
class SourceDiff:
    path: str
    pages: int = 0
    tables: int = 0  # tables on the pdfplumber side
    paragraphs: int = 0
    differences: list[str] = field(default_factory=list)
    whitespace_only: int = 0  # paragraphs equal once whitespace is ignored, not byte for byte

    @property
    def same(self) -> bool:
        return not self.differences


def _tables(doc: RawDocument) -> list[tuple[int | None, list[list[str]]]]:
    return [(b.page, [[_squash(c) for c in row] for row in b.table.rows]) for b in doc.blocks
            if b.kind == "table" and b.table is not None]


def _paragraphs(doc: RawDocument) -> list[tuple[int | None, str]]:
    return [(b.page, b.text) for b in doc.blocks if b.kind == "para"]


def compare_docs(path: str, new: RawDocument, old: RawDocument, limit: int = 20) -> SourceDiff:
    """Differences of ``new`` (pdfium) from ``old`` (pdfplumber), at most ``limit`` listed per kind."""
    diff = SourceDiff(path, pages=old.pages)
    if new.pages != old.pages:
        diff.differences.append(f"pages: {new.pages} vs {old.pages}")
    new_issues = sorted((i.code, i.page or 0) for i in new.issues)
    old_issues = sorted((i.code, i.page or 0) for i in old.issues)
    if new_issues != old_issues:
        diff.differences.append(f"issues: pdfium {new_issues} vs pdfplumber {old_issues}")
    tn, to = _tables(new), _tables(old)
    diff.tables = len(to)
    if len(tn) != len(to):
        diff.differences.append(f"tables: {len(tn)} vs {len(to)}")
    listed = 0
    for k, ((pn, rn), (po, ro)) in enumerate(zip(tn, to, strict=False)):
        if (pn, rn) != (po, ro) and listed < limit:
            listed += 1
            cells = [(r, c, a, b) for r, (ra, rb) in enumerate(zip(rn, ro, strict=False))
                     for c, (a, b) in enumerate(zip(ra, rb, strict=False)) if a != b]
            shape = f"{len(rn)}x{max(map(len, rn), default=0)} vs {len(ro)}x{max(map(len, ro), default=0)}"
            diff.differences.append(f"table {k + 1} (page {po}): {shape}; first cells differing: {cells[:3]}")
    pn_, po_ = _paragraphs(new), _paragraphs(old)
    diff.paragraphs = len(po_)
    squashed_new = [(p, _squash(t)) for p, t in pn_]
    squashed_old = [(p, _squash(t)) for p, t in po_]
    if squashed_new != squashed_old:
        only_new = sorted(set(squashed_new) - set(squashed_old))
        only_old = sorted(set(squashed_old) - set(squashed_new))
        diff.differences.append(f"paragraphs: {len(pn_)} vs {len(po_)}; only pdfium {only_new[:limit]}; "
                                f"only pdfplumber {only_old[:limit]}")
    diff.whitespace_only = sum(1 for a, b in zip(pn_, po_, strict=False) if a != b and _squash(a[1]) == _squash(b[1]))
    return diff


def compare_sources(data: bytes, path: str, limits: Limits | None = None) -> SourceDiff:
    limits = limits or Limits()
    new = read_text_layer(data, path, limits, source="pdfium")
    old = read_text_layer(data, path, limits, source="pdfplumber")
    return compare_docs(path, new, old)
