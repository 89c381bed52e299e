"""The real files a fuzzing run starts from, by format family.

Real documents found under the inputs (sniffed by content, not name), plus the seed texts
rendered to the formats the inputs lack (``toolkit.render``), so every family has bases even
when the real material holds no DOCX. Files above ``max_bytes`` are left out: a fuzz case is
parsed once per mutation, and thousands of cases of a 5 MB file measure the file, not the parser.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from toolkit.inputs import collect_files
from toolkit.loaders.sniff import sniff

log = logging.getLogger(__name__)

FAMILIES: tuple[str, ...] = ("pdf", "docx", "xlsx", "xls", "html", "txt")
# Sniffed format -> family (CSV is plain text: it is fuzzed with the text family).
FORMAT_FAMILY = {"pdf": "pdf", "docx": "docx", "xlsx": "xlsx", "xls": "xls", "html": "html", "txt": "txt", "csv": "txt"}
RENDERED_FORMATS = {"pdf": "pdf", "docx": "docx", "xlsx": "xlsx", "html": "html", "txt": "csv"}
DEFAULT_MAX_BYTES = 600 * 1024
MAX_RENDERED_PER_FAMILY = 3


@dataclass(slots=True, frozen=True)
class Base:
    name: str  # file name, for the case record
    suffix: str  # extension the cases keep
    data: bytes


def _rendered(text_files: list[Path], family: str) -> list[Base]:
    from toolkit.loaders import load_path
    from toolkit.model import Limits
    from toolkit.render import write_document

    fmt = RENDERED_FORMATS[family]
    out: list[Base] = []
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        for path in text_files[:MAX_RENDERED_PER_FAMILY]:
            doc = load_path(path, Limits())
            if doc.failed or not doc.blocks:
                continue
            target = Path(tmp) / f"{path.stem}.{fmt}"
            try:
                write_document(doc.blocks, target, fmt)
            except Exception:  # noqa: BLE001 - a rendition that fails is one base fewer
                log.warning("could not render %s as %s", path, fmt, exc_info=True)
                continue
            out.append(Base(f"{path.name} as {fmt}", f".{fmt}", target.read_bytes()))
    return out


def base_files(inputs: Sequence[Path | str], max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, list[Base]]:
    """Family -> the bases fuzzed for it (real files first, renditions of text seeds where few)."""
    bases: dict[str, list[Base]] = {family: [] for family in FAMILIES}
    texts: list[Path] = []
    for path, shown in collect_files(inputs):
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if not data or len(data) > max_bytes:
            continue
        family = FORMAT_FAMILY.get(sniff(data, str(path)).format)
        if family is None:
            continue
        bases[family].append(Base(Path(shown).name, path.suffix.lower() or ".bin", data))
        if family == "txt" and path.suffix.lower() == ".txt":
            texts.append(path)
    for family in RENDERED_FORMATS:
        if len(bases[family]) < MAX_RENDERED_PER_FAMILY:
            bases[family] += _rendered(sorted(texts), family)
    return bases
