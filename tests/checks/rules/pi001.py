"""Fire / quiet cases of PI001; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.builders import frames
from tests.checks.case import Case

CASES: list[Case] = [
    # PI001
    # severity: the loader's severity (high) is kept
    Case("PI001", "fires", frames(parse_issues=[{"document_id": "d1", "path": "case.pdf", "severity": "high",
                                                 "code": "scanned", "page": None, "reason": "no text layer"}]), 1,
         contains=["扫描件"], severity="high"),
    # two issues of one code on one page are two findings (ids from code, page and ordinal, not the reason)
    Case("PI001", "two-issues-one-page", frames(parse_issues=[
        {"document_id": "d1", "path": "case.pdf", "severity": "medium", "code": "ocr", "page": 3, "reason": "a"},
        {"document_id": "d1", "path": "case.pdf", "severity": "medium", "code": "ocr", "page": 3, "reason": "b"}]), 2,
         contains=["第3页"], severity="medium"),
    Case("PI001", "quiet", frames(), 0),
]
