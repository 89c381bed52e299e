"""Which table is this? Recognise tables by title keywords, then by header words — never by number.

The rules are declared with each type in ``toolkit.extract.table_types``; this module applies them.

Local variants renumber and rename the 决算 tables (10–15 tables, 按单位/按科目 splits,
公开07表 being 三公 in one province and 政府性基金 in another), so a table's type comes
from the words of its title, or, when no title is found, from its column headers.
"""

from __future__ import annotations

import re

from toolkit.extract.table_types import HEADER_RULES, TITLE_RULES
from toolkit.normalize.text import squash

# Lines above a table that are not its title. A bare table number ("公开01表", "公开表十二") is
# noise; "公开01表：收支预算总表" is a title behind a number (see TABLE_NUMBER_PREFIX).
TITLE_NOISE = re.compile(
    r"^(公开\d+表[:：]?$|公开表[一二三四五六七八九十\d]+$|单位[:：]|金额单位|部门[:：]|单位名称|编制单位|编制部门|注[:：]|说明[:：]|填表|备注)"
)
TABLE_NUMBER_PREFIX = re.compile(r"^公开\d+表[:：]?|^公开表[一二三四五六七八九十]+[:：]?")


TITLE_HINT_WORDS = ("决算", "预算", "表")


def classify_title(title: str) -> str | None:
    t = TABLE_NUMBER_PREFIX.sub("", squash(title))
    if not t or TITLE_NOISE.match(t):
        return None
    if not any(w in t for w in TITLE_HINT_WORDS):
        return None
    if len(t) > 60:  # running text that merely mentions a table
        return None
    return next((key for rule, key in TITLE_RULES if rule.matches(t)), None)


def classify_header(labels: list[str], first_rows: list[list[str]]) -> str | None:
    """Fallback when no title was found: decide from header words."""
    text = squash("".join(labels) + "".join("".join(r) for r in first_rows))
    return next((key for rule, key in HEADER_RULES if rule.matches(text)), None)
