"""The formats the toolkit reads, each declared by its own loader module as ``FORMATS``.

A :class:`Format` says how a file of that format is recognised from its bytes (a magic
signature, the members of a zip/OLE2 container, or the look of decoded text), which
extensions promise it, and which function reads it. Sniffing (:mod:`toolkit.loaders.sniff`)
and dispatch (:mod:`toolkit.loaders`) read nothing else, and every module of this package is
searched for ``FORMATS``, so adding a format is one loader module that ends with
``FORMATS = (Format(...),)``.

Recognition order is the order of the module names, then of each module's ``FORMATS``; it
matters only where two formats could claim one file, and is fixed so that it does not
depend on it: a zip holding both ``word/document.xml`` and ``xl/workbook.xml`` is read as
DOCX (``docx`` < ``xlsx``), and among plain-text formats those with a shape test
(``looks_like``) are tried before the one without, which takes the rest (plain text).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from toolkit.model import Limits, LoadIssue, RawDocument

# container signatures (the formats inside are told apart by their members)
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

Loader = Callable[[bytes, str, Limits], RawDocument]


@dataclass(frozen=True, slots=True)
class Format:
    name: str  # the value of documents.format / manifest.format
    description: str  # what the content is, in words (sniff results, reasons in the manifest)
    extensions: tuple[str, ...]  # lower-case extensions that promise this format
    load: Loader  # fn(data, path, limits) -> RawDocument; may raise: dispatch turns it into an issue
    magic: tuple[bytes, ...] = ()  # signatures searched in the first 1024 bytes (a PDF may have junk first)
    container: str | None = None  # "zip" | "ole2": recognised by the members listed in ``members``
    members: tuple[str, ...] = ()  # zip member names / OLE2 stream names, any of which identifies it
    text: bool = False  # a text format, recognised from the decoded start of the file
    signature: re.Pattern[bytes] | None = None  # text formats: the decoded start matches this (HTML)
    looks_like: Callable[[str], bool] | None = None  # plain-text formats: the decoded start has its shape
    hints: Callable[[bytes], list[LoadIssue]] | None = None  # cheap structural checks before loading


@cache
def formats() -> tuple[Format, ...]:
    """Every declared format, in recognition order."""
    import toolkit.loaders as package

    names = sorted(m.name for m in pkgutil.iter_modules(package.__path__))
    return tuple(f for name in names for f in getattr(importlib.import_module(f"{package.__name__}.{name}"), "FORMATS", ()))


@cache
def by_name() -> dict[str, Format]:
    return {f.name: f for f in formats()}


def plain_text_formats() -> tuple[Format, ...]:
    """Text formats without a signature (CSV, plain text): told apart by extension or by shape."""
    plain = [f for f in formats() if f.text and f.signature is None]
    return tuple(sorted(plain, key=lambda f: f.looks_like is None))  # stable: module order otherwise
