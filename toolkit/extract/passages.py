"""Running text -> passages: paragraphs grouped under their headings, each with a role.

A passage is the body text between two headings (a numbered line that is short, or ends
with "：", counts as a heading; a numbered line that goes on into sentences is its own
passage whose heading is its first clause). Before grouping, the text is cleaned
(``clean_text``): Word bookmarks and field codes go, page artefacts ("—23—", a lone page
number) are dropped, and a sentence broken by a page or line break is joined again.
Table-like lines (tab-separated cells) are left to the table extractor.

``ROLES`` is the vocabulary of ``passages.role``; the role comes from the nearest heading
that names one, else from the passage's own opening words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from toolkit.model import RawDocument
from toolkit.normalize.text import clean_text, is_page_artifact
from toolkit.schemas import PASSAGES, frame

ROLES: dict[str, str] = {
    "duties": "职能职责 / 主要职责",
    "organisation": "机构设置 / 内设机构 / 人员编制 / 决算单位构成",
    "budget_execution": "预算执行 / 收支情况 / 基本支出 / 项目支出 / 资金使用",
    "fund_operation": "医保基金收支、筹集、结余、运行",
    "goal_expected": "年度总体目标 / 预期目标 / 绩效目标设定",
    "goal_actual": "实际完成情况 / 绩效目标完成情况 / 产出、效益 / 评价结论",
    "indicator_analysis": "绩效评价指标分析 / 产出数量、质量、时效、成本 / 经济性、效率性",
    "problems": "存在的问题 / 问题及原因",
    "improvements": "改进措施 / 有关建议 / 下一步工作",
    "glossary": "名词解释",
    "statement": "部门决算情况说明 (收入支出决算总体情况说明 ... 三公经费、机关运行经费、政府采购、国有资产)",
    "other": "anything else (目录, 附件, 概况 without a more specific heading)",
    "toc": "the document's own 目录: one passage, one entry per line (toolkit.extract.toc)",
}

# Role keywords, tried in order on a heading (most specific first).
_ROLE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (role, re.compile(p))
    for role, p in (
        ("glossary", r"名词解释"),
        ("problems", r"存在的?(?:主要)?问题|问题及原因|主要问题|问题分析"),
        ("improvements", r"改进措施|改进意见|有关建议|相关建议|工作建议|下一步|整改|建议$|^建议"),
        ("duties", r"职能职责|主要职责|部门职责|职责"),
        ("organisation", r"机构设置|内设机构|单位构成|人员编制|机构及人员|人员情况|部门概况|单位概况|基本情况"),
        ("goal_expected", r"总体目标|预期目标|年度目标|目标设定|绩效目标(?:设定|申报)?$|具体评价指标"),
        ("fund_operation", r"基金(?:收支|收入|支出|筹集|运行|运营|结余|结存|征缴)"),
        ("indicator_analysis", r"指标分析|评价指标|产出(?:数量|质量|时效|成本)|经济性|效率性|效果性|可持续|满意度"),
        ("goal_actual", r"完成情况|完成程度|实际完成|绩效情况|产出情况|效益情况|主要绩效|评价结论|效益分析|"
                        r"社会效益|工作开展|工作成效|履职|绩效评价"),
        ("statement", r"情况说明|决算.*说明|说明$|三公|机关运行经费|政府采购|国有资产|一般性支出"),
        ("budget_execution", r"预算执行|收支|收入|支出|资金使用|资金管理|预算|财务|经费"),
    )
)

# Heading markers -> nesting level (smaller = outer).
_HEADING_RULES: tuple[tuple[float, re.Pattern[str]], ...] = (
    (0, re.compile(r"^第[一二三四五六七八九十]+部分\s*")),
    (1, re.compile(r"^[一二三四五六七八九十]{1,3}\s*[、.]\s*")),
    (2, re.compile(r"^\(\s*[一二三四五六七八九十]{1,3}\s*\)\s*[、.]?\s*")),
    (3, re.compile(r"^\d{1,2}\s*(?:[、]|\.(?!\d))\s*")),
    (4, re.compile(r"^\(\s*\d{1,2}\s*\)\s*[、.]?\s*")),
    (5, re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩]\s*")),
)
_UNNUMBERED_LEVEL = 2.5
_ROLE_HEADING_MAX = 30
_BULLET = re.compile(r"^[-•·▪●○■□◆]\s+")
_SENTENCE_END = "。！？!?;；:：」”’\")）】…%"
_TITLE_END = re.compile(r"(?:报告|决算|预算|表|说明|情况|概况|解释|附件|目录|分析|评价|措施|建议|问题|职责|设置|部分|公开)$")
_CLAUSE_END = re.compile(r"[。:;!?]")
_INLINE_SENTENCE = re.compile(r"[。，,;；]")
_PROJECT_LINE = re.compile(r"^项目(?:支出)?(?:名称)?\s*[:]\s*(?P<name>[^。;,]{2,60})")
_SECTION_ROLES = ("glossary", "problems", "improvements")
_PART_ONLY = re.compile(r"^第[一二三四五六七八九十]+部分$")
_FREE_NUMBER = re.compile(r"(?<!\S)-?\d[\d.,]*(?!\S)")
_TABLEISH = re.compile(r"\t|\|\s*\|")


@dataclass(slots=True)
class _Line:
    text: str
    page: int | None


def _source_lines(raw: RawDocument) -> list[_Line]:
    """Paragraph lines, cleaned, artefacts dropped, broken sentences joined."""
    lines: list[_Line] = []
    for block in raw.blocks:
        if block.kind != "para" or not block.text:
            continue
        for piece in block.text.splitlines():
            if _TABLEISH.search(piece) or _looks_like_table_row(piece):
                continue  # a table row flattened to text: the table extractor's business
            text = clean_text(piece).strip()
            text = _BULLET.sub("", text)
            if not text or is_page_artifact(text):
                continue
            lines.append(_Line(text, block.page))
    return _join_broken(lines)


def _looks_like_table_row(text: str) -> bool:
    """PDF text of a table row: three or more free-standing numbers and no sentence punctuation."""
    return len(_FREE_NUMBER.findall(text)) >= 3 and not _INLINE_SENTENCE.search(text)


def heading_level(text: str) -> tuple[float | None, str]:
    """(level, text without the marker) if ``text`` is a heading line, else (None, text)."""
    for level, rx in _HEADING_RULES:
        m = rx.match(text)
        if m:
            return level, text[m.end():].strip()
    return None, text


def _is_short_heading(rest: str) -> bool:
    """A numbered line is a heading when it is short and does not read as sentences."""
    if rest.endswith((":", "：")):
        return True
    return len(rest) <= 30 and not _INLINE_SENTENCE.search(rest)


def _looks_unnumbered_heading(text: str) -> bool:
    return (
        len(text) <= 20
        and not _INLINE_SENTENCE.search(text)
        and ":" not in text
        and not re.search(r"\d", text)
        and bool(re.search(r"[\u4e00-\u9fff]{2}", text))
    )


def _join_broken(lines: list[_Line]) -> list[_Line]:
    """Join a line to the next when a page or line break cut its sentence."""
    out: list[_Line] = []
    for line in lines:
        if out:
            prev = out[-1].text
            level, _ = heading_level(line.text)
            prev_level, prev_rest = heading_level(prev)
            if (
                len(prev) >= 20
                and not (prev_level is not None and _is_short_heading(prev_rest))
                and not prev.endswith(tuple(_SENTENCE_END))
                and not _TITLE_END.search(prev)
                and level is None
            ):
                out[-1] = _Line(prev + line.text, out[-1].page)
                continue
        out.append(line)
    return out


def role_for(heading: str) -> str | None:
    for role, rx in _ROLE_RULES:
        if rx.search(heading):
            return role
    return None


def build_passages(raw: RawDocument, document_id: str) -> pl.DataFrame:
    """Group the document's paragraphs under their headings (schema ``PASSAGES``)."""
    stack: list[tuple[float, str]] = []  # (level, heading text)
    rows: list[dict] = []
    body: list[str] = []
    body_page: int | None = None
    project: str | None = None

    def flush() -> None:
        nonlocal body, body_page
        if body:
            _emit("\n".join(body), body_page)
        body, body_page = [], None

    def _emit(text: str, page: int | None) -> None:
        # long "headings" are the first sentence of a numbered paragraph (a list of duties,
        # say): their words say nothing about the section, so only short ones give the role
        roles = [r for r in (role_for(h) for _, h in reversed(stack) if len(h) <= _ROLE_HEADING_MAX) if r]
        role = roles[0] if roles else None
        section = next((r for r in roles if r in _SECTION_ROLES), None)
        if section:
            # items under 存在的问题 / 改进措施 / 名词解释 belong to that section whatever they mention
            role = section
        elif role == "budget_execution" and "statement" in roles[1:]:
            role = "statement"  # (一)…支出决算总体情况 under 五、…决算情况说明: part of the 情况说明
        if role is None:
            role = (role_for(text[:_ROLE_HEADING_MAX]) if stack else None) or "other"
        order = len(rows)
        rows.append({
            "document_id": document_id,
            "passage_id": f"{document_id}:p{order}",
            "page": page,
            "order": order,
            "heading": stack[-1][1] if stack else None,
            "role": role,
            "project": project,
            "text": text,
        })

    for line in _source_lines(raw):
        text = line.text
        m = _PROJECT_LINE.match(text)
        if m:
            project = m.group("name").strip()
        level, rest = heading_level(text)
        if level is not None:
            flush()
            while stack and stack[-1][0] >= level:
                stack.pop()
            if _is_short_heading(rest):
                stack.append((level, rest.rstrip(":：") or text))
                continue
            # numbered paragraph: its first clause is its heading, the whole line its text
            clause = _CLAUSE_END.split(rest, 1)[0][:40]
            stack.append((level, clause))
            _emit(text, line.page)
            continue
        if _looks_unnumbered_heading(text):
            flush()
            if stack and stack[-1][0] == 0 and _PART_ONLY.match(stack[-1][1]):
                stack[-1] = (0, f"{stack[-1][1]} {text}")  # 第四部分 / 名词解释: the part's title
                continue
            while stack and stack[-1][0] >= _UNNUMBERED_LEVEL:
                stack.pop()
            stack.append((_UNNUMBERED_LEVEL, text))
            continue
        if not body:
            body_page = line.page
        body.append(text)
    flush()
    return frame(rows, PASSAGES)
