"""Find an anchor in a sequence of text pieces (whitespace ignored) and rewrite characters in place.

A source is seen as ordered *pieces* (a text file is one piece; a DOCX paragraph its runs; a PDF
page its text-showing operands). Matching ignores whitespace, so an anchor taken from extracted
text (where lines were joined) still finds the source it came from.
"""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.mutate.edits import EditError


@dataclass(frozen=True, slots=True)
class Hit:
    """Positions (piece index, char index) of each non-whitespace char of ``old``."""

    chars: tuple[tuple[int, int], ...]


def compact(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


def contains_in_order(text: str, cells: tuple[str, ...]) -> bool:
    """Whether ``cells`` occur in ``text`` one after the other (whitespace ignored): a table row found by its cells."""
    text, pos = compact(text), 0
    for c in cells:
        i = text.find(compact(c), pos)
        if i < 0:
            return False
        pos = i + len(compact(c))
    return True


def _index(pieces: list[str]) -> tuple[str, list[tuple[int, int]]]:
    flat: list[str] = []
    where: list[tuple[int, int]] = []
    for pi, piece in enumerate(pieces):
        for ci, ch in enumerate(piece):
            if not ch.isspace():
                flat.append(ch)
                where.append((pi, ci))
    return "".join(flat), where


def _neighbour(pieces: list[str], pi: int, ci: int, k: int, across: bool) -> str:
    """The character ``k`` places from (pi, ci) in the source (k<0: before), whitespace included."""
    step = 1 if k > 0 else -1
    for _ in range(abs(k)):
        ci += step
        while not 0 <= ci < len(pieces[pi]):
            if not across:
                return ""
            pi += step
            if not 0 <= pi < len(pieces):
                return ""
            ci = 0 if step > 0 else len(pieces[pi]) - 1
    return pieces[pi][ci]


def locate(pieces: list[str], anchor: str, old: str, offset: int, *, numeric: bool,
           across_pieces: bool = True, occurrence: int | None = None, expected: int | None = None) -> Hit:
    """The unique place of ``old`` (at ``offset`` in ``anchor``); EditError when absent or ambiguous.

    With ``numeric`` the characters right before and after ``old`` in the source must not
    continue a number (a digit, or a decimal point/comma followed by a digit); with
    ``across_pieces=False`` a piece edge counts as a boundary (PDF operands of adjacent cells).
    """
    flat, where = _index(pieces)
    needle, old_c = compact(anchor), compact(old)
    if not old_c or needle[offset:offset + len(old_c)] != old_c:
        raise EditError(f"anchor {anchor!r} does not hold {old!r} at {offset}")
    found = []
    start = flat.find(needle)
    while start >= 0:
        s = start + offset
        if not numeric or _bounded(pieces, where[s], where[s + len(old_c) - 1], across_pieces):
            found.append(s)
        start = flat.find(needle, start + 1)
    if not found:
        raise EditError(f"{old!r} (anchor {anchor[:40]!r}) not found")
    if len(found) > 1 and occurrence is not None and len(found) == expected:
        found = [found[occurrence]]
    if len(found) > 1:
        raise EditError(f"{old!r} (anchor {anchor[:40]!r}) occurs {len(found)} times")
    s = found[0]
    return Hit(tuple(where[s:s + len(old_c)]))


def _bounded(pieces: list[str], first: tuple[int, int], last: tuple[int, int], across: bool) -> bool:
    before = _neighbour(pieces, *first, -1, across)
    after = _neighbour(pieces, *last, 1, across)
    after2 = _neighbour(pieces, *last, 2, across) if after else ""
    if before.isdigit() or (before in ".," and _neighbour(pieces, *first, -2, across).isdigit()):
        return False
    return not (after.isdigit() or (after in ".,，" and after2.isdigit()))


def rewrite(pieces: list[str], hit: Hit, new: str) -> list[str]:
    """Replace the located characters by ``new``: char by char when the lengths agree (every
    character keeps its piece and so its position), else all of ``new`` in the first piece."""
    return rewrite_many(pieces, [(hit, new)])


def changed_pieces(before: list[str], after: list[str]) -> list[int]:
    return [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]


def rewrite_many(pieces: list[str], hits: list[tuple[Hit, str]]) -> list[str]:
    """Several located replacements written together (their places were found before any change)."""
    seen: set[tuple[int, int]] = set()
    for hit, _ in hits:
        if seen & set(hit.chars):
            raise EditError("two replacements overlap")
        seen |= set(hit.chars)
    out = [list(p) for p in pieces]
    for hit, new in hits:
        chars = hit.chars
        if len(new) == len(chars):
            for (pi, ci), ch in zip(chars, new, strict=True):
                out[pi][ci] = ch
        else:
            p0, c0 = chars[0]
            for pi, ci in chars[1:]:
                out[pi][ci] = ""
            out[p0][c0] = new
    return ["".join(p) for p in out]


def locate_all(pieces: list[str], reps: list, *, across_pieces: bool = True) -> list[tuple[Hit, str]]:
    return [(locate(pieces, r.anchor, r.old, r.offset, numeric=r.numeric, across_pieces=across_pieces,
                    occurrence=r.occurrence, expected=r.expected), r.new) for r in reps]
