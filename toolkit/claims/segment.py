"""Sentences, clauses and sub-clauses of a passage, as character spans of its text.

A sentence ends at 。！？ or a line break; a clause at ；; a sub-clause at ，,：: (and the 、 of a
list is kept inside its sub-clause). Spans index the passage text, so every claim can point back at
the characters it was read from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# a line break ends a sentence unless the line ends with a clause mark: “其中：⏎基本支出…；⏎项目支出…” is one list
_SENTENCE_END = re.compile(r"[。！？!?]+\n*|(?<![：:，,；;、\n])\n+")
_CLAUSE_END = re.compile(r"[；;]+")
# a comma between digits is a thousands separator, not a sub-clause end
_SUBCLAUSE_END = re.compile(r"(?<!\d),|,(?!\d{3})|[，：:]")


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str


def _split(text: str, offset: int, pattern: re.Pattern[str]) -> list[Span]:
    out, at = [], 0
    for m in pattern.finditer(text):
        if m.start() > at:
            out.append(Span(offset + at, offset + m.start(), text[at:m.start()]))
        at = m.end()
    if at < len(text):
        out.append(Span(offset + at, offset + len(text), text[at:]))
    return [s for s in out if s.text.strip()]


def sentences(text: str) -> list[Span]:
    return _split(text, 0, _SENTENCE_END)


def clauses(sentence: Span) -> list[Span]:
    return _split(sentence.text, sentence.start, _CLAUSE_END)


def subclauses(clause: Span) -> list[Span]:
    return _split(clause.text, clause.start, _SUBCLAUSE_END)


_NEW_TOPIC = re.compile(r"^\s*(?:截止|截至|至|到|20\d\d年|\d+月|[一二三四五六七八九十]是|另|此外|同时|全年|本年|目前)")


def list_end(sentence: Span, at: int, nxt: int) -> int:
    """Where a 其中 list ends: at the next 其中, or at a ； whose clause opens a new topic (a date, 一是…)."""
    for c in clauses(sentence):
        if c.start > at and c.start < nxt and _NEW_TOPIC.match(c.text):
            return c.start
    return nxt
