"""Mutations of a document's bytes: what damaged downloads, bad converters and hostile senders produce.

Every mutator is ``(data, rng) -> bytes`` and deterministic for a given ``random.Random`` state, so
a case is reproduced from its seed. Generic ones (byte flips, truncation, chunk splices) apply to
every format; container ones edit the members of a DOCX/XLSX zip (a member's bytes cut or flipped,
a member dropped or duplicated) and its XML (a tag deleted, unclosed, nested thousands deep, an
attribute inflated, an undefined entity); text ones edit lines, encodings and control characters.
"""

from __future__ import annotations

import io
import random
import re
import warnings
import zipfile
from collections.abc import Callable

Mutator = Callable[[bytes, random.Random], bytes]

_TAG = re.compile(rb"<[A-Za-z][^<>]{0,200}>")


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    """1-32 bytes set to random values; half the time inside the first kilobyte (headers, magic)."""
    if not data:
        return data
    out = bytearray(data)
    span = min(len(out), 1024) if rng.random() < 0.5 else len(out)
    for _ in range(rng.randint(1, 32)):
        out[rng.randrange(span)] = rng.randrange(256)
    return bytes(out)


def truncate(data: bytes, rng: random.Random) -> bytes:
    """Cut anywhere (a download that stopped); sometimes to a handful of bytes."""
    if len(data) < 2:
        return data
    at = rng.randrange(1, 64) if rng.random() < 0.1 else rng.randrange(1, len(data))
    return data[:at]


def splice(data: bytes, rng: random.Random) -> bytes:
    """A chunk deleted, repeated or moved (a bad copy)."""
    if len(data) < 16:
        return data + data
    a = rng.randrange(len(data))
    b = min(len(data), a + rng.randint(1, max(1, len(data) // 8)))
    chunk = data[a:b]
    choice = rng.randrange(3)
    if choice == 0:
        return data[:a] + data[b:]
    if choice == 1:
        return data[:b] + chunk * rng.randint(1, 50) + data[b:]
    at = rng.randrange(len(data))
    rest = data[:a] + data[b:]
    return rest[:at] + chunk + rest[at:]


def xml_edit(data: bytes, rng: random.Random) -> bytes:
    """One structural edit of XML/HTML markup."""
    tags = list(_TAG.finditer(data))
    choice = rng.randrange(7)
    if not tags or choice == 0:  # deep nesting (parsers that recurse)
        at = rng.randrange(len(data) + 1)
        depth = rng.choice((100, 2000, 20000))
        return data[:at] + b"<a>" * depth + b"x" + b"</a>" * (depth if rng.random() < 0.5 else 0) + data[at:]
    tag = rng.choice(tags)
    if choice == 1:  # a tag deleted
        return data[: tag.start()] + data[tag.end() :]
    if choice == 2:  # a tag left unclosed / cut in half
        return data[: tag.start()] + tag.group(0)[: max(1, len(tag.group(0)) // 2)] + data[tag.end() :]
    if choice == 3:  # a tag repeated many times (row/cell explosions)
        return data[: tag.end()] + tag.group(0) * rng.randint(2, 5000) + data[tag.end() :]
    if choice == 4:  # an inflated attribute
        name = b" x" + str(rng.randrange(1000)).encode()
        value = b"=\"" + b"A" * rng.choice((10, 100_000, 1_000_000)) + b"\""
        return data[: tag.end() - 1] + name + value + data[tag.end() - 1 :]
    if choice == 5:  # an undefined entity or a numeric one out of range
        junk = rng.choice((b"&bogus;", b"&#0;", b"&#x110000;", b"&#99999999999;", b"&"))
        return data[: tag.end()] + junk + data[tag.end() :]
    # invalid bytes and control characters inside text
    junk = rng.choice((b"\x00", b"\xff\xfe", b"\x1b[31m", b"\xc3", b"\xed\xa0\x80"))
    return data[: tag.end()] + junk + data[tag.end() :]


def text_edit(data: bytes, rng: random.Random) -> bytes:
    """One edit of plain text: lines dropped or repeated, NULs, a switch of encoding mid-file, a huge line."""
    lines = data.split(b"\n")
    choice = rng.randrange(6)
    i = rng.randrange(len(lines))
    if choice == 0:
        del lines[i]
    elif choice == 1:
        lines[i:i] = [lines[i]] * rng.randint(2, 2000)
    elif choice == 2:
        lines[i] = lines[i] + b"\x00" * rng.randint(1, 64)
    elif choice == 3:
        try:
            lines[i] = lines[i].decode("utf-8").encode("gb18030")
        except UnicodeDecodeError:
            lines[i] = lines[i][::-1]
    elif choice == 4:
        lines[i] = (b"1,234.56\t" if rng.random() < 0.5 else b"\xe5\x90\x88\xe8\xae\xa1") * rng.randint(1000, 100_000)
    else:
        lines[i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 200)))
    return b"\n".join(lines)


def zip_member_edit(data: bytes, rng: random.Random) -> bytes:
    """A DOCX/XLSX rebuilt with one member changed: its XML edited, bytes flipped or cut, dropped or doubled."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = [(info, zf.read(info)) for info in zf.infolist()]
    except Exception:  # noqa: BLE001 - not a readable zip: damage it as bytes instead
        return flip_bytes(data, rng)
    if not members:
        return data
    k = rng.randrange(len(members))
    info, content = members[k]
    choice = rng.randrange(5)
    if choice == 0:
        members.pop(k)
    elif choice == 1:
        members.insert(k, (info, content))  # the same name twice
    elif choice == 2:
        members[k] = (info, truncate(content, rng))
    elif choice == 3:
        members[k] = (info, flip_bytes(content, rng))
    else:
        xml = [j for j, (i, _) in enumerate(members) if i.filename.endswith((".xml", ".rels"))]
        j = rng.choice(xml) if xml else k
        members[j] = (members[j][0], xml_edit(members[j][1], rng))
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        warnings.simplefilter("ignore", UserWarning)  # a duplicate member name is the point
        for member_info, member_content in members:
            out.writestr(member_info.filename, member_content)
    return buf.getvalue()


def pdf_edit(data: bytes, rng: random.Random) -> bytes:
    """One PDF-structure edit: an ``endobj``/``endstream`` removed, an xref offset or a /Length changed,
    bytes flipped inside a stream."""
    choice = rng.randrange(4)
    if choice == 0:
        word = rng.choice((b"endobj", b"endstream", b"trailer", b"startxref", b"%%EOF"))
        at = data.find(word, rng.randrange(max(1, len(data))))
        at = at if at >= 0 else data.find(word)
        return data if at < 0 else data[:at] + data[at + len(word) :]
    if choice == 1:
        entries = list(re.finditer(rb"\d{10} \d{5} n", data))
        if entries:
            m = rng.choice(entries)
            return data[: m.start()] + b"%010d" % rng.randrange(len(data)) + data[m.start() + 10 :]
    if choice == 2:
        lengths = list(re.finditer(rb"/Length (\d+)", data))
        if lengths:
            m = rng.choice(lengths)
            new = str(rng.choice((0, 1, int(m.group(1)) * 10, 2**31))).encode()
            return data[: m.start(1)] + new + data[m.end(1) :]
    streams = [m.end() for m in re.finditer(rb"stream\r?\n", data)]
    if not streams:
        return flip_bytes(data, rng)
    start = rng.choice(streams)
    out = bytearray(data)
    for _ in range(rng.randint(1, 16)):
        at = min(len(out) - 1, start + rng.randrange(256))
        out[at] = rng.randrange(256)
    return bytes(out)


GENERIC: tuple[Mutator, ...] = (flip_bytes, truncate, splice)
# Per family: the mutators drawn from (generic ones included, so every family gets flips and cuts).
FAMILY_MUTATORS: dict[str, tuple[Mutator, ...]] = {
    "pdf": (*GENERIC, pdf_edit, pdf_edit),
    "docx": (*GENERIC, zip_member_edit, zip_member_edit, zip_member_edit),
    "xlsx": (*GENERIC, zip_member_edit, zip_member_edit, zip_member_edit),
    "xls": GENERIC,
    "html": (*GENERIC, xml_edit, xml_edit, text_edit),
    "txt": (*GENERIC, text_edit, text_edit),
}


def mutate(data: bytes, family: str, rng: random.Random, max_edits: int = 3) -> tuple[bytes, list[str]]:
    """``data`` after 1..``max_edits`` mutations of ``family``; returns (bytes, names of the mutators used)."""
    names: list[str] = []
    for _ in range(rng.randint(1, max_edits)):
        mutator = rng.choice(FAMILY_MUTATORS[family])
        data = mutator(data, rng)
        names.append(mutator.__name__)
    return data, names
