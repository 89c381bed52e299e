"""Visible characters: what a page shows, without whitespace and table rules.

Loaders record a page's visible characters before they build blocks; extraction counts the
characters that reached a paragraph or a cell the same way (``toolkit.extract.accounting``).
Table rule characters (``|``, ``+``, box-drawing lines, Markdown ``---`` rules) are layout, not content.
"""

from __future__ import annotations

import re
from collections import Counter

_LAYOUT = re.compile(r"[\s|│┃┆┊║─━┄┈═┼╋├┤┬┴┌┐└┘╔╗╚╝+]")
_RULE_LINE = re.compile(r"(?m)^[\s|:：\-—=+]*[-—=]{3,}[\s|:：\-—=+]*$")


def visible_text(text: str | None) -> str:
    """The characters that carry content: not whitespace, not table rules."""
    if not text:
        return ""
    return _LAYOUT.sub("", _RULE_LINE.sub("", text))


def visible_count(text: str | None) -> int:
    return len(visible_text(text))


def visible_counter(text: str | None) -> Counter:
    """The visible characters of ``text`` as a multiset (what a loader records per page)."""
    return Counter(visible_text(text))
