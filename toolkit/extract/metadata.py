"""Document metadata: issuing bureau, region, fiscal year and document type.

Read from the opening of the document only (the first ~40 paragraphs plus table
captions), where every publication names its issuer and year: the title
("上海市普陀区财政局2024年度部门决算", "2023年度 屈原管理区医保局部门决算"), a "部门：" line
above a 公开表, or the first sentence ("洞口县医保局全称洞口县医疗保障局").

The bureau is kept as printed; of several spellings of the same body the most complete
one wins (岳阳市屈原管理区医疗保障局 over 屈原管理区医保局). The region comes from the bureau
name through ``toolkit.reference``; a name shared by several divisions stays unresolved
(``region_code`` null) unless another region name in the opening singles one out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from toolkit.model import RawDocument
from toolkit.normalize.text import clean_text, is_page_artifact
from toolkit.reference import RegionMatch, find_mentions, resolve_chain, resolve_region

HEAD_PARAGRAPHS = 40

_ORG_SUFFIX = (
    r"(?:医疗保障(?:局|事务中心|服务中心|基金管理中心|管理服务中心|综合服务中心|中心|处|科)|医疗保险(?:事业)?(?:管理)?(?:局|中心|处)"
    r"|医保(?:局|中心|事务中心|服务中心)"
    r"|[\u4e00-\u9fff]{0,12}?(?:局|委员会|办公室|办事处|人民政府|中心|委|厅|院|部|所|站|馆|会|处|队))"
)
# 部门：XX / 单位名称：XX / 预算单位：XX (the line printed above each 公开表)
_DEPT_LINE = re.compile(r"(?:部门|单位|预算单位|部门名称|单位名称|填报单位|编制单位|主管部门)(?:名称)?\s*[:：]\s*(?P<name>[\u4e00-\u9fff()（）]{3,40})")
_MEDICAL_ORG = re.compile(
    r"(?P<name>[\u4e00-\u9fff]{2,16}?(?:医疗保障(?:局|事务中心|服务中心|基金管理中心|中心)|医疗保险(?:事业)?管理(?:局|中心)|医保(?:局|中心)))"
)
_GENERIC_ORG = re.compile(rf"^(?P<name>[\u4e00-\u9fff()（）]{{2,40}}{_ORG_SUFFIX})")
_YEAR = r"(?P<year>(?:19|20)\d{2}|[二][〇零○][一二三四五六七八九〇零○]{2})"
_TITLE_YEAR = re.compile(
    _YEAR + r"\s*年\s*(?:度)?[^。\n]{0,40}?(?:决算|预算|绩效|自评|评价|报告|总结)"
)
_SHORT_YEAR_TITLE = re.compile(r"(?<!\d)(?P<yy>\d{2})\s*年\s*(?:度)?\s*(?:部门|单位)?(?:决算|预算)")
_CN_DIGIT = str.maketrans("〇零○一二三四五六七八九", "00012345678" + "9")
_TITLE_NOISE = re.compile(r"^(?:附件\s*\d*\s*[:：]?|目录)$")
_HEADING_START = re.compile(r"^(?:第[一二三四五六七八九十]+部分\s*|[一二三四五六七八九十]+、|\(?[一二三四五六七八九十]+\)|\d+[、.．])")
_TITLE_SPLIT = re.compile(
    r"(?:19|20)\d{2}\s*年|\d{2}年(?:度)?(?:部门|单位)?(?:决算|预算)|年度|部门决算|部门预算|单位预算|部门整体|概况$"
)
_FILLER_PREFIX = re.compile(r"^(?:根据|关于|为|全称|我|本|由|按照|对|经|在|将|和|与|及|是|的)+")

_DOC_TYPE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("final_accounts", re.compile(r"决算")),
    ("budget", re.compile(r"预算(?:公开|信息|编制说明)?$|部门预算|单位预算|预算公开|收支预算")),
    ("project_self_eval", re.compile(r"项目(?:支出)?绩效|项目.*(?:自评|评价)报告|资金.*绩效(?:自评|评价)|专项资金.*(?:自评|评价)")),
    ("dept_self_eval", re.compile(r"整体(?:支出)?绩效|部门.*绩效(?:自评|评价)|单位.*绩效(?:自评|评价)|绩效自评报告|绩效评价报告")),
)


@dataclass(slots=True)
class _Candidate:
    name: str
    weight: int  # where it was found: 部门 line 3, title 3, standalone line 2, in a sentence 1
    order: int


def _head_lines(raw: RawDocument) -> list[str]:
    """Cleaned lines of the first paragraphs, plus the captions of the first tables."""
    lines: list[str] = []
    paras = 0
    for block in raw.blocks:
        if block.kind == "para":
            paras += 1
            if paras > HEAD_PARAGRAPHS:
                break
            for piece in block.text.splitlines():
                text = clean_text(piece).strip()
                if text:
                    lines.append(text)
        elif block.kind == "table" and block.table is not None:
            if block.table.caption:
                lines.append(clean_text(block.table.caption).strip())
            for row in block.table.rows[:3]:  # 部门：XX is often the table's first row
                for cell in row:
                    if cell and _DEPT_LINE.search(clean_text(cell)):
                        lines.append(clean_text(cell).strip())
    return lines


def _dept_lines(raw: RawDocument, limit: int = 3) -> list[str]:
    """"部门：XX" lines anywhere (they sit above each 公开表, often past the opening)."""
    found: list[str] = []
    for block in raw.blocks:
        texts = [block.text] if block.kind == "para" else []
        if block.kind == "table" and block.table is not None:
            texts = [block.table.caption] + [c for row in block.table.rows[:3] for c in row]
        for text in texts:
            if text and ("部门" in text or "单位" in text) and _DEPT_LINE.search(clean_text(text).replace(" ", "")):
                found.append(clean_text(text))
                if len(found) >= limit:
                    return found
    return found


def title_lines(lines: list[str]) -> list[str]:
    """The title block: the opening lines before the first heading or sentence."""
    out: list[str] = []
    for line in lines[:8]:
        if _TITLE_NOISE.match(line.replace(" ", "")) or is_page_artifact(line):
            continue
        if _HEADING_START.match(line) or len(line) > 80 or "。" in line:
            break
        out.append(line)
        if len(out) == 3:
            break
    return out


def _year_from(text: str) -> int | None:
    m = _TITLE_YEAR.search(text)
    if m:
        y = m.group("year").translate(_CN_DIGIT)
        year = int(y)
        if 2000 <= year <= 2040:
            return year
    m = _SHORT_YEAR_TITLE.search(text)
    if m:
        return 2000 + int(m.group("yy"))
    return None


def detect_fiscal_year(lines: list[str]) -> int | None:
    """The year the report is about (2021年度…报告), not the publication date."""
    titles = title_lines(lines)
    for text in (" ".join(titles), *lines):
        year = _year_from(text.replace(" ", ""))
        if year:
            return year
    # a title whose year sits on its own line: 上海市普陀区财政局 / 年度部门决算 / 2024
    joined = "".join(titles).replace(" ", "")
    if re.search(r"年度.*(?:决算|预算)", joined):
        years = re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", joined)
        if len(set(years)) == 1:
            return int(years[0])
    return None


def detect_doc_type(lines: list[str]) -> str:
    title = "".join(title_lines(lines)).replace(" ", "")
    for doc_type, rx in _DOC_TYPE_RULES:
        if title and rx.search(title):
            return doc_type  # a 决算 with 自评表 attached is still a 决算 (final_accounts)
    # no title: look for the type words in the opening text
    head = "".join(lines[:HEAD_PARAGRAPHS]).replace(" ", "")
    if re.search(r"部门决算|决算表|公开0?1表.*决算", head):
        return "final_accounts"
    if re.search(r"部门预算|单位预算|预算表", head) and "决算" not in head:
        return "budget"
    return "other"


def _from_region(name: str) -> str | None:
    """``name`` if it starts with a region name (or 中共 + one), else None."""
    mentions = find_mentions(name)
    if mentions and name[: mentions[0][1]] in ("", "中共", "中国共产党"):
        return name
    return None


def _org_candidates(lines: list[str], dept_lines: list[str]) -> list[_Candidate]:
    cands: list[_Candidate] = []
    for i, line in enumerate(dept_lines):
        compact = line.replace(" ", "")
        m = _DEPT_LINE.search(compact)
        raw_name = m.group("name") if m else ""
        if m and compact[m.end():m.end() + 1] == ":" and raw_name.endswith("单位"):
            raw_name = raw_name[:-2].removesuffix("金额")  # "部门：X 单位：万元" squashed together
        org = _GENERIC_ORG.fullmatch(raw_name) if m else None
        name = _from_region(org.group("name")) if org else None
        if name:
            cands.append(_Candidate(name, 3, i))
    title_list = title_lines(lines)
    titles = set(title_list)
    if len(title_list) > 1:
        # a title wrapped over lines: 中共上海市普陀区委 / 社会工作部 2024 年度 / 部门决算
        head = _TITLE_SPLIT.split("".join(title_list).replace(" ", ""))[0]
        org = _GENERIC_ORG.fullmatch(head)
        name = _from_region(org.group("name")) if org else None
        if name:
            cands.append(_Candidate(name, 3, -1))
    for i, line in enumerate(lines):
        compact = _HEADING_START.sub("", line.replace(" ", ""))
        if line in titles or len(compact) <= 40:
            # title or standalone line: the issuer is what comes before the year / document words
            head = _TITLE_SPLIT.split(compact)[0]
            org = _GENERIC_ORG.fullmatch(head)
            name = _from_region(org.group("name")) if org else None
            if name:
                cands.append(_Candidate(name, 3 if line in titles else 2, i))
        for mm in _MEDICAL_ORG.finditer(compact):
            name = _FILLER_PREFIX.sub("", mm.group("name"))
            mentions = find_mentions(name)
            if mentions and mentions[0][1] == 0:  # must start with a region name
                cands.append(_Candidate(name, 1, i))
    return cands


def _same_body(a: str, b: str) -> bool:
    """Two spellings of one issuer (洞口县医保局 / 洞口县医疗保障局 / 岳阳市屈原管理区医疗保障局)."""
    norm = lambda s: s.replace("医疗保障", "医保")  # noqa: E731
    na, nb = norm(a), norm(b)
    return na.endswith(nb) or nb.endswith(na) or na == nb


def detect_bureau(lines: list[str], dept_lines: list[str] | None = None) -> str | None:
    cands = _org_candidates(lines, dept_lines or [])
    if not cands:
        return None
    best = max(cands, key=lambda c: (c.weight, -c.order))
    # the most complete spelling of the same body, wherever it was printed
    same = [c.name for c in cands if _same_body(c.name, best.name)]
    return max(same, key=lambda n: (len(n), "医疗保障" in n))


def _resolve(bureau: str | None, lines: list[str]) -> RegionMatch:
    match = resolve_region(bureau) if bureau else RegionMatch(None, reason="no bureau")
    if match.region is not None or not match.candidates:
        if match.region is None and not bureau:
            # no issuer found: try the title alone
            title = "".join(title_lines(lines)).replace(" ", "")
            return resolve_region(title) if title else match
        return match
    # ambiguous (普陀区医保局): another region name in the opening may single one out
    others = {name for line in lines for name, _, _ in find_mentions(line.replace(" ", ""))}
    hits = []
    for cand in match.candidates:
        for other in others:
            sub = resolve_chain([other, *match.mentions])
            if sub.region is not None and sub.region.code == cand.code and other not in match.mentions:
                hits.append(cand)
                break
    codes = {c.code for c in hits}
    if len(codes) == 1:
        return RegionMatch(hits[0], mentions=match.mentions, reason="disambiguated by the opening text")
    return match


def detect_metadata(raw: RawDocument) -> dict:
    """bureau, region_code, region_name, province, level, fiscal_year, doc_type (+ region_note)."""
    lines = _head_lines(raw)
    bureau = detect_bureau(lines, _dept_lines(raw))
    match = _resolve(bureau, lines)
    region = match.region
    return {
        "bureau": bureau,
        "region_code": region.code if region else None,
        "region_name": region.name if region else None,
        "province": region.province if region else None,
        "level": region.level if region else "unknown",
        "fiscal_year": detect_fiscal_year(lines),
        "doc_type": detect_doc_type(lines),
        "region_note": match.reason,
    }
