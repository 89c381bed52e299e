"""Template placeholders and filling instructions (XX县, ××月, （200字以内）, 【请填写】…), shared by the
checks that look for them in running text (CP005), table titles (CP010) and empty-table notes (DG003)."""

from __future__ import annotations

import re
from collections.abc import Iterator

PLACEHOLDER = re.compile(
    r"(?<![A-Za-z0-9])[XxＸｘ×○]{2,}(?![A-Za-z0-9])"  # XX县, ××月, ○○
    r"|[（(]\s*\d+\s*字(?:以内|以下|左右)\s*[)）]"  # （200字以内）
    r"|[（(](?:单位|项目|部门|机构|地区)名称[)）]"
    r"|【[^】]{0,20}(?:填写|填报|请|此处)[^】]{0,20}】"
    r"|[\[［](?:请)?填写[^\]］]{0,20}[\]］]"
    r"|[（(](?:请|需|须)(?:填写|说明|根据|按照|对照|列示)[^)）]{0,40}[)）]"
    r"|[（(]当[^)）]{0,30}时[，,]?应[^)）]{0,30}[)）]"
)


NAME_MASK = re.compile(r"(?:^|[^\u4e00-\u9fff])[\u4e00-\u9fff]$")  # 张×× : a masked personal name, not a placeholder


def placeholders_in(text: str) -> Iterator[re.Match[str]]:
    """The placeholders of ``text``, without masked personal names (张××, followed by punctuation or the end)."""
    for m in PLACEHOLDER.finditer(text):
        if m.group(0)[0] in "XxＸｘ×○" and NAME_MASK.search(text[max(0, m.start() - 2): m.start()]):
            nxt = text[m.end(): m.end() + 1]
            if not nxt or nxt in "，、。等同）) ":
                continue
        yield m
