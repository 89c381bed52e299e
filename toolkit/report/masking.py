"""Mask personal data in any text a report shows (reports may be shared widely).

What is masked (by default, in the HTML report and the workpapers):

* mainland mobile numbers (``1[3-9]`` + 9 digits, also written 138-1234-5678 / +86 …):
  ``138****5678``;
* landlines with an area code (``0731-84561234``, ``(0731)84561234``, ``010 6512 3456``):
  area code and the last two digits kept;
* 居民身份证 numbers, 18 digits (last may be X) with a plausible birth date, and the old
  15-digit form: first 3 and last 2 kept;
* bank-card / account-like digit runs: any 16–19 digit run (no amount a bureau prints has
  16 digits without separators), and 10–15 digit runs right after 账号/卡号/账户;
* names of private persons where the text says who they are: after 联系人/经办人/填表人/
  负责人/举报人/患者 … (``联系人：张三`` → ``联系人：张*``), when the candidate starts with a
  common surname; and table cells whose row/column label is such a role (``姓名``, ``联系人``).

What is never masked: amounts (a decimal point, thousands separators or a unit right after the
digits make it an amount), 科目编码 (3–7 digits), years, region codes, organisation names (a
name must follow a person-role word and start with a surname).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any

import polars as pl

MASK = "*"

# Digits glued to letters/digits are part of a longer token (hash, file name, code): never split them.
_NO_ALNUM_BEFORE = r"(?<![0-9A-Za-z.．])"
_NO_ALNUM_AFTER = r"(?![0-9A-Za-z])"
# A number followed by a unit or a decimal part is an amount or a count, not an identifier.
_NOT_AMOUNT_AFTER = r"(?![.．]\d)(?!\s*(?:元|万|亿|千|百|人|户|次|个|家|项|笔|%|％|‰))"

_MOBILE = re.compile(
    _NO_ALNUM_BEFORE
    + r"(?:(?:\+|00)?86[-\s]?)?(1[3-9]\d)[-\s]?(\d{4})[-\s]?(\d{4})"
    + _NO_ALNUM_AFTER
    + _NOT_AMOUNT_AFTER
)
_LANDLINE = re.compile(
    _NO_ALNUM_BEFORE
    + r"(?:(\(|（)(0\d{2,3})(\)|）)\s*|(0\d{2,3})[-－—–\s])(\d{3,4}[-\s]?\d{4})"
    + r"(?:(?:-|转|ext\.?)\d{1,5})?"
    + _NO_ALNUM_AFTER
    + _NOT_AMOUNT_AFTER
)
_ID18 = re.compile(
    _NO_ALNUM_BEFORE
    + r"([1-9]\d{5})((?:18|19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(\d{3})([0-9Xx])"
    + _NO_ALNUM_AFTER
)
_ID15 = re.compile(
    _NO_ALNUM_BEFORE
    + r"([1-9]\d{5})(\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(\d{3})"
    + _NO_ALNUM_AFTER
    + _NOT_AMOUNT_AFTER
)
# The same 18-digit ID written in groups (110105 19491231 002X, 110105-1949-1231-002X): region,
# birth date and the last four apart, one space or dash between groups.
_SEP = r"[ \t\u3000-]"
_ID18_GROUPED = re.compile(
    _NO_ALNUM_BEFORE
    + rf"([1-9]\d{{5}}){_SEP}((?:18|19|20)\d{{2}}){_SEP}?(0[1-9]|1[0-2]){_SEP}?(0[1-9]|[12]\d|3[01])"
    + rf"{_SEP}?(\d{{3}}[0-9Xx])"
    + _NO_ALNUM_AFTER
)
# 16–19 digits, optionally grouped by single spaces/dashes in fours (6222 0212 3456 7890 123)
_CARD = re.compile(
    _NO_ALNUM_BEFORE + r"(\d{4}(?:[\s-]?\d{4}){3}(?:[\s-]?\d{1,3})?)" + _NO_ALNUM_AFTER + _NOT_AMOUNT_AFTER
)
_ACCOUNT = re.compile(
    r"((?:账号|帐号|卡号|账户|帐户|银行卡)\s*[:：]?\s*)(\d[\d\s-]{8,30}\d)" + _NO_ALNUM_AFTER
)

# Words that introduce a private person (the person's name follows).
PERSON_ROLES: tuple[str, ...] = (
    "单位负责人",
    "财务负责人",
    "项目负责人",
    "主管会计工作负责人",
    "会计机构负责人",
    "联系人",
    "经办人",
    "填表人",
    "填报人",
    "负责人",
    "举报人",
    "被举报人",
    "投诉人",
    "患者",
    "病人",
    "参保人",
    "申请人",
    "受益人",
    "当事人",
    "审核人",
    "制表人",
    "复核人",
    "收款人",
    "报销人",
    "姓名",
)

def _spaced(word: str) -> str:
    """A role word as printed in forms that space it out to fill a cell (联 系 人)."""
    return r"[ \t\u3000]?".join(re.escape(ch) for ch in word)


_ROLE_RE = "|".join(_spaced(r) for r in sorted(PERSON_ROLES, key=len, reverse=True))
# Between the role and the name: a colon, spaces, or in a file name an underscore or dash (经办人_张三.docx).
_NAME_AFTER_ROLE = re.compile(rf"({_ROLE_RE})(\s*[:：_\-－—]?\s*)([\u4e00-\u9fff]{{2,8}})")

_ROLE_WORD = re.compile(_ROLE_RE)
_DIGIT_RUN = re.compile(r"\d{7,}|\d{2,4}[)）]?[-－—–\s]{1,3}\d{3,4}")

# Cells whose label is one of these hold a person's name.
_NAME_LABEL = re.compile(rf"^\s*(?:{_ROLE_RE}|姓\s*名)\s*$")

# A name stops before these (联系人：张三电话… → 张三).
_NAME_STOPS: tuple[str, ...] = (
    "电话",
    "手机",
    "联系",
    "职务",
    "签字",
    "签名",
    "签章",
    "盖章",
    "日期",
    "邮箱",
    "地址",
    "审核",
    "填表",
    "制表",
    "单位",
    "同志",
    "先生",
    "女士",
    "局长",
    "主任",
    "科长",
    "股长",
    "处长",
    "会计",
    "出纳",
    "身份",
    "住址",
    "性别",
    "年龄",
    "等",
    "及",
    "和",
    "与",
    "于",
    "在",
    "因",
    "的",
)

_COMPOUND_SURNAMES: frozenset[str] = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 端木 独孤 南宫 西门 呼延 申屠".split()
)
_SURNAMES: frozenset[str] = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季"
    "裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄"
    "窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池"
    "查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆"
    "朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫"
    "杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧"
    "闭由"
)
# Words that start with a surname character but are not names (负责人：高度重视 …).
_NOT_NAMES: frozenset[str] = frozenset(
    "高度 全面 全部 全体 明确 明显 成立 成本 成效 包括 包含 单位 本人 本单位 常务 常规 安排 安全 文件 和谐 "
    "曾经 时间 时期 管理 关于 于是 江苏 湖南 湖北 广东 广西 云南 贵州 四川 海南 宁夏 新疆 西藏 吉林 黑龙江 "
    "安徽 江西 福建 山东 山西 河南 河北 陕西 甘肃 青海 辽宁 内蒙古 上海 北京 天津 重庆 台湾 香港 澳门 "
    "国家 国务院 国有 国库 平均 平台 计划 计算 项目 项目组 宣传 公开 公共 公务 相关 相应 范围 方面 方式 "
    "方案 金额 金融 石油 石化 黄金 马上 周期 周边 林业 林地 卫生 卫健 医保 医疗 应当 应该 应付 原因 "
    "原则 和平 龙头 华侨 乐观 门诊 车辆 路线 信息 信用 展开 普通 普及 支付 支出 资金 费用 经费 简易 简称".split()
)
_FUNCTION_CHARS = frozenset("和与及等的在因于是为对向从由按将把被")
_MASK_KEEP_TEXT = re.compile(r"[某×xX*＊○]")


def _stars(n: int) -> str:
    return MASK * max(n, 1)


def _mask_mobile(m: re.Match[str]) -> str:
    return f"{m.group(1)}{_stars(4)}{m.group(3)}"


def _mask_landline(m: re.Match[str]) -> str:
    area = m.group(2) or m.group(4)
    digits = re.sub(r"\D", "", m.group(5))
    opened, closed = (m.group(1), m.group(3)) if m.group(2) else ("", "-")
    return f"{opened}{area}{closed}{_stars(len(digits) - 2)}{digits[-2:]}"


def _mask_id(m: re.Match[str]) -> str:
    whole = m.group(0)
    return whole[:3] + _stars(len(whole) - 5) + whole[-2:]


def _mask_grouped_id(m: re.Match[str]) -> str:
    digits = "".join(m.groups())
    return digits[:3] + _stars(len(digits) - 5) + digits[-2:]


def _mask_card(m: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", m.group(1))
    if not 16 <= len(digits) <= 19:
        return m.group(0)
    return digits[:4] + _stars(len(digits) - 8) + digits[-4:]


def _mask_account(m: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", m.group(2))
    if len(digits) < 10:
        return m.group(0)
    return m.group(1) + digits[:4] + _stars(len(digits) - 8) + digits[-4:]


def _looks_like_name(candidate: str) -> bool:
    if not 2 <= len(candidate) <= 4 or _MASK_KEEP_TEXT.search(candidate):
        return False
    if any(candidate.startswith(word) for word in _NOT_NAMES):
        return False
    if candidate[:2] in _COMPOUND_SURNAMES:
        return len(candidate) >= 3
    return candidate[0] in _SURNAMES and len(candidate) <= 3


def _name_part(run: str) -> str | None:
    """The name at the start of ``run`` (Chinese characters right after a role word), or None.

    The name ends at a stop word (电话, 同志, 局长 …) or, with nothing to cut at, after the
    usual length (surname + two characters): over-masking one character is the safe side.
    """
    if run[0] in _FUNCTION_CHARS:
        return None  # 申请人和被申请人, 负责人对…: grammar, not a name
    cut = len(run)
    for stop in _NAME_STOPS:
        at = run.find(stop, 1)
        if 0 < at < cut:
            cut = at
    candidate = run[:cut]
    usual = 4 if candidate[:2] in _COMPOUND_SURNAMES else 3
    for size in sorted({min(len(candidate), usual), 2}, reverse=True):
        if size <= len(candidate) and _looks_like_name(candidate[:size]):
            return candidate[:size]
    return None


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧阳**: the surname stays, so the row is still recognisable."""
    name = name.strip()
    keep = 2 if name[:2] in _COMPOUND_SURNAMES and len(name) > 2 else 1
    return name[:keep] + _stars(len(name) - keep) if len(name) > 1 else name


def _mask_named(m: re.Match[str]) -> str:
    role, sep, run = m.group(1), m.group(2), m.group(3)
    name = _name_part(run)
    if name is None:
        return m.group(0)
    return role + sep + mask_name(name) + run[len(name) :]


def mask_text(text: str | None) -> str | None:
    """``text`` with phone numbers, ID numbers, card/account numbers and person names masked."""
    if not text:
        return text
    out = text
    # Every number pattern needs 7+ digits in a row or two digit groups joined by a separator:
    # one cheap search spares the six substitutions on the typical message full of short amounts.
    if _DIGIT_RUN.search(out):
        out = _ID18.sub(_mask_id, out)
        out = _ID18_GROUPED.sub(_mask_grouped_id, out)
        out = _ACCOUNT.sub(_mask_account, out)
        out = _CARD.sub(_mask_card, out)
        out = _ID15.sub(_mask_id, out)
        out = _MOBILE.sub(_mask_mobile, out)
        out = _LANDLINE.sub(_mask_landline, out)
    if _ROLE_WORD.search(out):
        out = _NAME_AFTER_ROLE.sub(_mask_named, out)
    return out


def is_person_label(label: str | None) -> bool:
    return bool(label) and bool(_NAME_LABEL.match(label))


def mask_cell(cell: dict[str, Any]) -> dict[str, Any]:
    """One evidence cell with every text value masked; a value under a person label is a name."""
    person = is_person_label(cell.get("row_label")) or is_person_label(cell.get("col_label"))
    out: dict[str, Any] = {}
    for key, value in cell.items():
        if isinstance(value, str):
            if person and key == "raw_text" and _looks_like_name(value.strip()):
                out[key] = mask_name(value)
            else:
                out[key] = mask_text(value)
        else:
            out[key] = value
    return out


def mask_evidence(evidence: str | None) -> str | None:
    """The evidence JSON (a list of cells or quoted passages) with every text value masked."""
    if not evidence:
        return evidence
    try:
        cells = json.loads(evidence)
    except (TypeError, ValueError):
        return mask_text(evidence)
    if isinstance(cells, dict):
        cells = [cells]
    if not isinstance(cells, list):
        return mask_text(evidence)
    masked = [mask_cell(c) if isinstance(c, dict) else mask_text(str(c)) for c in cells]
    return json.dumps(masked, ensure_ascii=False)


# ---- whole tables (the shared outputs: findings.csv/.parquet, manifest.csv)

# The text columns of each shared table that may quote a document or a file name.
FINDINGS_TEXT_COLUMNS: tuple[str, ...] = (
    "document", "bureau", "location", "message", "expected", "actual", "difference",
)
FINDINGS_EVIDENCE_COLUMNS: tuple[str, ...] = ("evidence",)
MANIFEST_TEXT_COLUMNS: tuple[str, ...] = ("path", "reason")


def _mapped(df: pl.DataFrame, columns: Iterable[str], fn: Callable[[str | None], str | None]) -> list[pl.Series]:
    return [
        pl.Series(c, [fn(v) for v in df[c].to_list()], dtype=pl.String)
        for c in columns
        if c in df.columns and df.schema[c] == pl.String
    ]


def mask_frame(
    df: pl.DataFrame, text_columns: Iterable[str], evidence_columns: Iterable[str] = ()
) -> pl.DataFrame:
    """``df`` with personal data masked in ``text_columns`` (and in the JSON of ``evidence_columns``)."""
    series = _mapped(df, text_columns, mask_text) + _mapped(df, evidence_columns, mask_evidence)
    return df.with_columns(series) if series else df


def mask_findings(findings: pl.DataFrame) -> pl.DataFrame:
    return mask_frame(findings, FINDINGS_TEXT_COLUMNS, FINDINGS_EVIDENCE_COLUMNS)


def mask_manifest(manifest: pl.DataFrame) -> pl.DataFrame:
    return mask_frame(manifest, MANIFEST_TEXT_COLUMNS)
