"""Reviewed verdicts on findings of the unmutated real documents (``datasets/quality/verdicts/*.csv``).

Every CSV file in the folder has the columns ``check_code,file,page,location,message_excerpt,verdict,why``:

* ``file`` — the document's file name as the manifest shows it relative to its input (only the last
  path part is compared, so ``seeds/a.txt`` and ``a.txt`` name the same document; the quality loop's
  ``NNN_`` corpus prefix is ignored);
* ``page`` — the page the reviewer read (compared with the pages in the finding's evidence when both
  are known); ``location`` — the finding's location, when given it must be contained in it;
* ``message_excerpt`` — a short substring of the finding's message that identifies it;
* ``verdict`` — ``real_error`` (the document itself is wrong: the reviewer recomputed it on the page),
  ``false`` (the check misread the page) or ``unclear``; ``why`` — what the page prints and what the
  figures give.

A finding is matched by the first row with its check code, file, page, location and excerpt.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from toolkit.mutate.spans import compact

log = logging.getLogger(__name__)

COLUMNS = ("check_code", "file", "page", "location", "message_excerpt", "verdict", "why")
VERDICTS = ("real_error", "false", "unclear")
# checks that recompute numbers stated in the text (the claims layer and its predecessors)
TEXT_CHECK_PREFIXES = ("IT03", "IT07")
DEFAULT_DIR = Path(__file__).resolve().parents[2] / "datasets" / "quality" / "verdicts"
_CORPUS_PREFIX = re.compile(r"^\d{3}_")


def file_key(path: str) -> str:
    """The file name a verdict is keyed by; a run of spaces reads as one ``_``, since the quality loop's
    corpus writes ``a b.pdf`` as ``a_b.pdf`` and a verdict read on either names the same document."""
    return re.sub(r"\s+", "_", Path(str(path).replace("\\", "/")).name)


def _names(doc: str) -> set[str]:
    name = file_key(doc)
    return {name, _CORPUS_PREFIX.sub("", name, count=1)}


def _pages(evidence: str | None) -> set[int]:
    try:
        items = json.loads(evidence or "[]")
    except ValueError:
        return set()
    out = set()
    for item in items if isinstance(items, list) else []:
        page = item.get("page") if isinstance(item, dict) else None
        if isinstance(page, int | float) or (isinstance(page, str) and page.isdigit()):
            out.add(int(page))
    return out


@dataclass
class Verdicts:
    table: list[dict] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    @staticmethod
    def empty() -> Verdicts:
        return Verdicts()

    @property
    def rows(self) -> int:
        return len(self.table)

    def match(self, finding: dict, document: str | None = None) -> dict | None:
        """The verdict row for ``finding`` on ``document`` (default: the finding's own document)."""
        names = _names(document or finding.get("document") or "")
        message = compact(finding.get("message") or "")
        location = finding.get("location") or ""
        pages = None
        for row in self.table:
            if row["check_code"] != finding.get("check_code") or file_key(row["file"]) not in names:
                continue
            if row["location"] and row["location"] not in location:
                continue
            if row["message_excerpt"] and compact(row["message_excerpt"]) not in message:
                continue
            if row["page"] is not None:
                pages = _pages(finding.get("evidence")) if pages is None else pages
                if pages and row["page"] not in pages:
                    continue
            return row
        return None

    def verdict(self, finding: dict, document: str | None = None) -> str | None:
        row = self.match(finding, document)
        return row["verdict"] if row else None


def load_verdicts(folder: Path | None = None) -> Verdicts:
    """Every ``*.csv`` in ``folder`` (default: the repository's ``datasets/quality/verdicts``); rows with an
    unknown verdict are dropped with a warning, a missing folder gives no verdicts."""
    folder = DEFAULT_DIR if folder is None else Path(folder)
    out = Verdicts()
    for path in sorted(folder.glob("*.csv")) if folder.is_dir() else []:
        try:
            df = pl.read_csv(path, infer_schema=False)
        except pl.exceptions.PolarsError as exc:  # a malformed file is reported, not fatal to the run
            log.warning("%s: not a readable verdict file (%s); ignored", path.name, exc)
            continue
        missing = [c for c in COLUMNS if c not in df.columns]
        if missing:
            log.warning("%s: verdict file lacks columns %s; ignored", path.name, missing)
            continue
        for row in df.select(COLUMNS).to_dicts():
            row = {k: (v.strip() if isinstance(v, str) else v) or "" for k, v in row.items()}
            if row["verdict"] not in VERDICTS:
                log.warning("%s: verdict %r for %s %s is not one of %s; ignored", path.name, row["verdict"],
                            row["check_code"], row["file"], VERDICTS)
                continue
            row["page"] = int(row["page"]) if row["page"].isdigit() else None
            row["source"] = path.name
            out.table.append(row)
        out.files.append(path.name)
    return out
