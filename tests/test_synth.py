"""The synthetic generator: the identities of the national 部门决算
template and the 自评表 scoring rules (财预〔2020〕10号) hold in clean documents, anomalies are labelled.

The identity checks below are written from those rules and read the *printed* cells
and sentences of the laid-out documents (``toolkit.model.Block``), not the generator's model,
so they test what a reader of the document would see. Exact Decimal arithmetic: clean
documents must satisfy every identity at the printed precision with no tolerance.
"""

from __future__ import annotations

import itertools
import random
import re
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import pytest

from toolkit.kinds import KINDS
from toolkit.model import Block
from toolkit.synth.draft import to_blocks
from toolkit.synth.generate import BureauYearDocs, generate
from toolkit.synth.narrative import ALL_SECTIONS

CLASS_NAMES = {"208": "社会保障和就业支出", "210": "卫生健康支出", "221": "住房保障支出"}  # REFERENCE §1.2
AMT = r"-?\d[\d,]*(?:\.\d+)?"
ORDINAL = re.compile(r"^[一二三四五六七八九十]+、")


# ------------------------------------------------------------------ reading blocks
def D(s: str) -> Decimal:
    s = (s or "").strip().replace(",", "")
    return Decimal(s) if s else Decimal(0)


def sq(s: str) -> str:
    return re.sub(r"\s+", "", s or "")


def tables_by_title(blocks: list[Block]) -> dict[str, list[list[str]]]:
    """Title (nearest paragraph above the table that is not a 公开/单位/部门 line) -> rows; continuations merged."""
    out: dict[str, list[list[str]]] = {}
    paras: list[str] = []
    last_title = None
    for b in blocks:
        if b.kind == "para":
            if re.fullmatch(r"—\d+—", b.text.strip()):
                continue
            paras.append(b.text)
        elif b.kind == "table":
            titles = [p for p in paras[-4:] if not re.match(r"^(公开|单位|金额单位|部门|\[bookmark)", p.strip())]
            if not paras and last_title is not None:  # continuation page without header
                out[last_title].extend(b.table.rows)
                continue
            title = titles[-1] if titles else f"table{len(out)}"  # the line nearest above the table
            key = title
            n = 2
            while key in out:
                key = f"{title}#{n}"
                n += 1
            out[key] = [list(r) for r in b.table.rows]
            last_title = key
            paras = []
    return out


def lane(rows: list[list[str]], label_col: int, value_cols: list[int]) -> dict[str, list[Decimal]]:
    return {sq(r[label_col]): [D(r[c]) for c in value_cols] for r in rows if len(r) > label_col and sq(r[label_col])}


def subject_rows(rows: list[list[str]]) -> tuple[list[Decimal], dict[str, list[Decimal]]]:
    """02/03/05: the 合计 row and code -> values."""
    total: list[Decimal] | None = None
    by_code: dict[str, list[Decimal]] = {}
    for r in rows:
        if sq(r[0]) == "合计":
            total = [D(c) for c in r[2:]]
        elif re.fullmatch(r"\d{3}|\d{5}|\d{7}", sq(r[0])):
            by_code[sq(r[0])] = [D(c) for c in r[2:]]
    assert total is not None, "no 合计 row"
    return total, by_code


def colsum(rows: list[list[Decimal]]) -> list[Decimal]:
    return [sum(col, Decimal(0)) for col in zip(*rows, strict=True)]


def check_hierarchy(name: str, total: list[Decimal], by_code: dict[str, list[Decimal]], errs: list[str]) -> None:
    """T03-2: Σ 项 under a 款 = 款; Σ 款 = 类; Σ 类 = 合计 (flat tables: Σ 项 = 合计)."""
    items = {c: v for c, v in by_code.items() if len(c) == 7}
    for c, v in by_code.items():
        if len(c) in (3, 5):
            kids = [x for k, x in by_code.items() if len(k) == len(c) + 2 and k.startswith(c)] or \
                   [x for k, x in items.items() if k.startswith(c)]
            if colsum(kids) != v:
                errs.append(f"{name} T03-2 {c}")
    top = [v for c, v in by_code.items() if len(c) == 3] or list(items.values())
    if colsum(top) != total:
        errs.append(f"{name} T03-2 合计")


def pct_round(num: Decimal, den: Decimal, decimals: int) -> Decimal | None:
    if den == 0:
        return None
    return (num * 100 / den).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def decimals_of(p: str) -> int:
    return len(p.split(".")[1]) if "." in p else 0


def check_final_accounts(blocks: list[Block]) -> list[str]:
    errs: list[str] = []
    t = tables_by_title(blocks)
    # ---- 01
    t01 = t["收入支出决算总表"][3:]
    left, right = lane(t01, 0, [2]), lane(t01, 3, [5])
    L = {k: v[0] for k, v in left.items()}
    R = {k: v[0] for k, v in right.items()}
    income_items = [v for k, v in L.items() if ORDINAL.match(k)]
    if sum(income_items) != L["本年收入合计"]:
        errs.append("T01-1")
    if L["总计"] != L["本年收入合计"] + L["使用非财政拨款结余（含专用结余）"] + L["年初结转和结余"]:
        errs.append("T01-2")
    if R["总计"] != R["本年支出合计"] + R["结余分配"] + R["年末结转和结余"]:
        errs.append("T01-3")
    if L["总计"] != R["总计"]:
        errs.append("T01-4")
    if sum(v for k, v in R.items() if ORDINAL.match(k)) != R["本年支出合计"]:
        errs.append("T01-5")
    if R["年末结转和结余"] != L["年初结转和结余"] + L["本年收入合计"] + L["使用非财政拨款结余（含专用结余）"] \
            - R["本年支出合计"] - R["结余分配"]:
        errs.append("T01-6")
    # ---- 02
    tot02, rows02 = subject_rows(t["收入决算表"])
    for c, v in [("合计", tot02), *rows02.items()]:
        if v[0] != sum(v[1:]):
            errs.append(f"T02 {c}")
    check_hierarchy("02", tot02, rows02, errs)
    fiscal_01 = L["一、一般公共预算财政拨款收入"] + L["二、政府性基金预算财政拨款收入"] + L["三、国有资本经营预算财政拨款收入"]
    if tot02[0] != L["本年收入合计"] or tot02[1] != fiscal_01 or tot02[6] != L["八、其他收入"]:
        errs.append("X-1")
    # ---- 03
    tot03, rows03 = subject_rows(t["支出决算表"])
    for c, v in [("合计", tot03), *rows03.items()]:
        if v[0] != sum(v[1:]):
            errs.append(f"T03-1 {c}")
    check_hierarchy("03", tot03, rows03, errs)
    if tot03[0] != R["本年支出合计"]:
        errs.append("X-2 合计")
    for cls, name in CLASS_NAMES.items():
        s = sum((v[0] for c, v in rows03.items() if len(c) == 7 and c.startswith(cls)), Decimal(0))
        r01 = next((v for k, v in R.items() if k.endswith(name)), Decimal(0))
        if s != r01:
            errs.append(f"X-2 {cls}")
    # ---- 04
    t04 = t["财政拨款收入支出决算总表"][3:]
    L4 = {k: v[0] for k, v in lane(t04, 0, [2]).items()}
    R4 = lane(t04, 3, [5, 6, 7, 8])
    if L4["本年收入合计"] != L4["一、一般公共预算财政拨款"] + L4["二、政府性基金预算财政拨款"] + L4["三、国有资本经营预算财政拨款"]:
        errs.append("T04-1")
    if L4["一般公共预算财政拨款"] + L4["一、一般公共预算财政拨款"] - R4["本年支出合计"][1] != R4["年末财政拨款结转和结余"][1]:
        errs.append("T04-2")
    if L4["总计"] != R4["总计"][0] or L4["总计"] != L4["本年收入合计"] + L4["年初财政拨款结转和结余"]:
        errs.append("T04-3")
    if L4["一、一般公共预算财政拨款"] != L["一、一般公共预算财政拨款收入"]:
        errs.append("X-4")
    # ---- 05
    tot05, rows05 = subject_rows(t["一般公共预算财政拨款支出决算表"])
    for c, v in [("合计", tot05), *rows05.items()]:
        if v[0] != v[1] + v[2]:
            errs.append(f"T05 {c}")
    check_hierarchy("05", tot05, rows05, errs)
    if tot05[0] != R4["本年支出合计"][1]:
        errs.append("X-5 合计")
    for cls, name in CLASS_NAMES.items():
        s = sum((v[0] for c, v in rows05.items() if len(c) == 7 and c.startswith(cls)), Decimal(0))
        r04 = next((v[1] for k, v in R4.items() if k.endswith(name)), Decimal(0))
        if s != r04:
            errs.append(f"X-5 {cls}")
    for c, v in rows05.items():
        w = rows03.get(c)
        if len(c) == 7 and (w is None or any(a > b for a, b in zip(v[:3], w[:3], strict=True))):
            errs.append(f"X-6 {c}")
    # ---- 06
    econ: dict[str, Decimal] = {}
    sums: dict[str, Decimal] = {}
    for r in t["一般公共预算财政拨款基本支出决算明细表"]:
        for j in range(0, len(r) - 2, 3):
            code, label, val = sq(r[j]), sq(r[j + 1]), r[j + 2]
            if re.fullmatch(r"\d{3}|\d{5}", code):
                econ[code] = D(val)
            elif code in ("人员经费合计", "公用经费合计"):
                sums[code] = D(val) if val.strip() else D(r[j + 2 + 1] if False else val)
            del label
    classes = {c: v for c, v in econ.items() if len(c) == 3}
    for c, v in classes.items():
        kids = [x for k, x in econ.items() if len(k) == 5 and k.startswith(c)]
        if kids and sum(kids) != v:
            errs.append(f"T06-1 {c}")
    if sum(classes.values()) != tot05[1]:
        errs.append("T06-1 合计")
    personnel = econ.get("301", Decimal(0)) + econ.get("303", Decimal(0))
    public = sum((v for c, v in classes.items() if c not in ("301", "303")), Decimal(0))
    if sums.get("人员经费合计") != personnel or sums.get("公用经费合计") != public or personnel + public != tot05[1]:
        errs.append("T06-2")
    # ---- 三公
    sg = next(v for k, v in t.items() if "三公" in k)
    data = [r for r in sg if any(re.fullmatch(r"[\d,]+\.\d+", c.strip()) for c in r)][-1]
    v = [D(c) for c in data]
    for o in (0, 6):
        if v[o] != v[o + 1] + v[o + 2] + v[o + 5]:
            errs.append("T07-1")
        if v[o + 2] != v[o + 3] + v[o + 4]:
            errs.append("T07-2")
    if econ.get("30212", 0) > v[7] or econ.get("31013", 0) > v[9] or econ.get("30231", 0) > v[10] or \
            econ.get("30217", 0) > v[11]:
        errs.append("X-7")
    errs += check_text(blocks, [L["本年收入合计"], R["本年支出合计"], L["总计"], tot05[0], tot05[1]])
    return errs


# ------------------------------------------------------------------ text identities (N-2, N-3, N-4)
SHARE = re.compile(rf"({AMT})(?:万元|元)[^0-9%。；]{{0,14}}?占[^0-9%。；]{{0,12}}?(\d+(?:\.\d+)?)%")
GROWTH = re.compile(rf"(增加|减少)({AMT})(万元|元)[，（(]\s*(?:增加|减少|变动率|变动幅度|幅度为)?(?:幅度为)?(\d+(?:\.\d+)?)%")
GROWTH_REV = re.compile(rf"(增加|减少)(\d+(?:\.\d+)?)%（(?:增加|减少)({AMT})(万元|元)）")
COMPLETION = re.compile(r"(?:完成(?:年初)?预算的?|预算数?的|预算完成率|执行率(?:达到|为)?)(\d+(?:\.\d+)?)%")


def amounts_in(text: str) -> list[Decimal]:
    return [D(m) for m in re.findall(rf"(?<![\d.]){AMT}(?=万元|元)", text)]


def check_text(blocks: list[Block], extra: list[Decimal]) -> list[str]:
    errs = []
    start = next((i for i, b in enumerate(blocks) if b.kind == "para" and b.text.endswith("决算情况说明")), None)
    if start is None:
        return ["no 情况说明"]
    for b in blocks[start:]:
        if b.kind != "para":
            continue
        text = b.text.translate(str.maketrans("０１２３４５６７８９．％", "0123456789.%"))
        cands = amounts_in(text) + extra
        for m in SHARE.finditer(text):
            a, p = D(m.group(1)), m.group(2)
            if not any(pct_round(a, d, decimals_of(p)) == Decimal(p) for d in cands if d):
                errs.append(f"N-2 {m.group(0)}")
        growth = [(g.group(1), D(g.group(2)), g.group(4)) for g in GROWTH.finditer(text)]
        growth += [(g.group(1), D(g.group(3)), g.group(2)) for g in GROWTH_REV.finditer(text)]
        for word, chg, p in growth:
            ok = False
            for cur in cands:
                prev = cur - chg if word == "增加" else cur + chg
                if prev > 0 and pct_round(chg, prev, decimals_of(p)) == Decimal(p):
                    ok = True
            if not ok:
                errs.append(f"N-3 {word}{chg} {p}%")
        for m in COMPLETION.finditer(text):
            p = m.group(1)
            if not any(pct_round(a, b2, decimals_of(p)) == Decimal(p) for a, b2 in itertools.permutations(cands, 2) if b2):
                errs.append(f"N-4 {m.group(0)}")
    return errs


# ------------------------------------------------------------------ 自评
def check_self_eval_tables(blocks: list[Block]) -> list[str]:
    errs = []
    for title, rows in tables_by_title(blocks).items():
        if "自评表" not in title:
            continue
        fund = {sq(r[1]): r for r in rows if len(r) > 7}
        tot = fund.get("年度资金总额")
        if tot is None:
            errs.append(f"{title}: no 年度资金总额")
            continue
        rate = tot[6].strip()
        if rate:
            p = rate.rstrip("%")
            if pct_round(D(tot[4]), D(tot[3]), decimals_of(p)) != Decimal(p):
                errs.append(f"{title}: 执行率")
            expected = (min(Decimal(p), Decimal(100)) / 10).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            if D(tot[7]) != expected or D(tot[7]) > D(tot[5]):
                errs.append(f"{title}: 执行率得分")
        if "其中：当年财政拨款" in fund:
            for c in (2, 3, 4):
                parts = D(fund["其中：当年财政拨款"][c]) + D(fund["上年结转资金"][c]) + D(fund["其他资金"][c])
                if parts != D(tot[c]):
                    errs.append(f"{title}: 资金总额≠当年+结转+其他 col{c}")
        h = next(i for i, r in enumerate(rows) if sq(r[1]) == "一级指标")
        end = next(i for i, r in enumerate(rows) if sq(r[0]) == "总分")
        weights = [D(r[6]) for r in rows[h + 1: end]]
        scores = [D(r[7]) for r in rows[h + 1: end]]
        if sum(weights) + D(tot[5]) != 100 or D(rows[end][6]) != 100:
            errs.append(f"{title}: Σ分值")
        if sum(scores) + D(tot[7]) != D(rows[end][7]):
            errs.append(f"{title}: Σ得分≠总分")
        if any(s > w for s, w in zip(scores, weights, strict=True)):
            errs.append(f"{title}: 得分>分值")
        actual_equal = sum(sq(r[4]) == sq(r[5]) for r in rows[h + 1: end])
        if actual_equal == end - h - 1:
            errs.append(f"{title}: every 实际完成值 = 年度指标值")
    return errs


def check_fund_text(blocks: list[Block]) -> list[str]:
    errs = []
    for b in blocks:
        if b.kind != "para":
            continue
        text = b.text.translate(str.maketrans("０１２３４５６７８９．％", "0123456789.%"))
        if "基金收入" in text and "当期结余" in text or "当年结余" in text:
            a = [D(x) for x in re.findall(rf"({AMT})万元", text)]
            if a[0] - a[1] != a[2]:
                errs.append("fund 收入−支出≠当期结余")
            # REFERENCE §3.3 hard flags: 职工 当期结余率 <0 or >50%; 居民 >+20% or <−10%
            lo, hi = (Decimal("0.5"), Decimal("1.0")) if "职工" in text else (Decimal("0.8"), Decimal("1.1"))
            if not (lo * a[0] <= a[1] <= hi * a[0]):
                errs.append("fund 支出/收入 out of band")
        if "户籍人口" in text:
            pop = D(re.search(r"户籍人口(\d+)人", text).group(1))
            counts = sorted({D(x) for x in re.findall(r"(?<![\d.])(\d{3,})人", text)} - {pop})
            p = re.search(r"(?:参保率(?:为)?|的)(\d+\.\d+)%", text).group(1)
            if not any(pct_round(c, pop, 2) == Decimal(p) for c in counts) or Decimal(p) > 100:
                errs.append("coverage rate")
            if not any(x + y == z for x, y, z in itertools.permutations(counts, 3)):
                errs.append("职工+居民≠参保人数")
        if "政策范围内" in text and "支付比例" in text or "报销比例" in text:
            ps = [Decimal(x) for x in re.findall(r"(\d+\.\d+)%", text)]
            if not (75 <= ps[0] <= 95 and 55 <= ps[1] <= 85):
                errs.append("payment ratio out of band")
    return errs


# ------------------------------------------------------------------ fixtures
@lru_cache(maxsize=4)
def _generated(n: int, years: int, seed: int, rate: float) -> list[BureauYearDocs]:
    return generate(n, years, seed=seed, anomaly_rate=rate)


def laid_out(it: BureauYearDocs, doc_type: str) -> list[Block]:
    return to_blocks(it.drafts[doc_type], rng=random.Random(1), split_tables=it.style.split_tables,
                     page_lines=it.style.page_lines, bookmarks=it.style.bookmarks)


@pytest.fixture(scope="module")
def clean_items() -> list[BureauYearDocs]:
    return _generated(150, 2, 11, 0.0)  # 300 clean bureau-years


# ------------------------------------------------------------------ tests
def test_clean_bureau_years_satisfy_every_identity(clean_items: list[BureauYearDocs]) -> None:
    assert len(clean_items) == 300
    failures = Counter()
    for it in clean_items:
        assert not it.labels
        errs = check_final_accounts(laid_out(it, "final_accounts"))
        errs += check_self_eval_tables(laid_out(it, "dept_self_eval"))
        errs += check_self_eval_tables(laid_out(it, "project_self_eval"))
        n_project_tables = sum("自评表" in k for k in tables_by_title(laid_out(it, "project_self_eval")))
        assert 2 <= n_project_tables <= 5  # every project table was found and checked
        errs += check_fund_text(laid_out(it, "dept_self_eval"))
        for e in errs:
            failures[e.split(" ")[0] + f" [{it.bureau} {it.year}]"] += 1
    assert not failures, failures.most_common(10)


def test_carry_over_links_years(clean_items: list[BureauYearDocs]) -> None:
    """Y-1: 年初结转和结余(N) = 年末结转和结余(N−1), read from the printed 01表."""
    by_bureau = defaultdict(dict)
    for it in clean_items:
        t01 = tables_by_title(laid_out(it, "final_accounts"))["收入支出决算总表"][3:]
        L = {k: v[0] for k, v in lane(t01, 0, [2]).items()}
        R = {k: v[0] for k, v in lane(t01, 3, [5]).items()}
        by_bureau[it.bureau][it.year] = (L["年初结转和结余"], R["年末结转和结余"])
    linked = 0
    for years in by_bureau.values():
        for y in years:
            if y - 1 in years:
                assert years[y][0] == years[y - 1][1]
                linked += 1
    assert linked >= 100
    assert sum(1 for ys in by_bureau.values() for b, _e in ys.values() if b) > 20  # carry-overs do occur


def test_values_are_realistic(clean_items: list[BureauYearDocs]) -> None:
    growth, shares, per_capita = [], [], defaultdict(list)
    for it in clean_items:
        by = it.finance
        growth.append(by.expense_total / it.prev.expense_total)
        shares.append(by.personnel / by.fiscal_basic)
        yuan = by.expense_total * (100 if by.unit == "万元" else 0.01)  # ledger = hundredths of the unit
        per_capita[it.region.province].append(yuan / (it.region.population_wan * 1e4))
    assert 0.8 < min(growth) and max(growth) < 1.3, (min(growth), max(growth))  # YoY modest
    assert 0.75 <= min(shares) and max(shares) <= 0.95  # P-1 人员经费/基本支出
    # within a province, no clean bureau is 3× its province's median per-capita spending
    for vals in per_capita.values():
        med = sorted(vals)[len(vals) // 2]
        assert max(vals) / med < 2.2 and min(vals) / med > 0.45


def test_at_least_five_phrasings_per_section(clean_items: list[BureauYearDocs]) -> None:
    for section, templates in ALL_SECTIONS.items():
        assert len(templates) >= 5, section
    used = defaultdict(set)
    for it in clean_items:
        for sec, i in it.style.phrasing.items():
            used[sec].add(i)
    assert all(len(v) >= 5 for v in used.values()), {k: len(v) for k, v in used.items()}


def _shingles(text: str, k: int = 5) -> set[str]:
    t = re.sub(r"\s+", "", text)
    return {t[i: i + k] for i in range(max(0, len(t) - k + 1))}


def _doc_text(blocks: list[Block]) -> str:
    parts = []
    for b in blocks:
        parts.append(b.text if b.kind == "para" else "\n".join("".join(r) for r in b.table.rows) if b.table else "")
    return "\n".join(parts)


def test_near_duplicates_across_clean_bureaus_of_a_province(clean_items: list[BureauYearDocs]) -> None:
    from datasketch import MinHash

    def mh(text: str) -> MinHash:
        m = MinHash(num_perm=128, seed=1)
        m.update_batch([s.encode("utf-8") for s in _shingles(text)])
        return m

    by_prov = defaultdict(list)
    for it in clean_items:
        if it.year == 2023:
            by_prov[it.region.province].append(it)
    sims = defaultdict(list)
    for items in by_prov.values():
        for a, b in list(itertools.combinations(items, 2))[:6]:
            for doc_type in ("final_accounts", "dept_self_eval", "project_self_eval"):
                ma, mb = mh(_doc_text(laid_out(a, doc_type))), mh(_doc_text(laid_out(b, doc_type)))
                sims[doc_type].append(ma.jaccard(mb))
    for k, v in sims.items():
        assert max(v) < 0.8, (k, max(v))
        assert sum(v) / len(v) < 0.6, k


def test_every_kind_is_labelled_at_rate_one() -> None:
    items = _generated(12, 2, 5, 1.0)
    kinds = Counter(lb.kind for it in items for lb in it.labels)
    from toolkit.synth.anomalies import (
        FRAME_KINDS,  # injected into generated frames (toolkit.synth.peer_anomalies), not documents
        MUTATION_ONLY_KINDS,  # injected into real documents only (toolkit.mutate)
    )

    skipped = set(FRAME_KINDS) | set(MUTATION_ONLY_KINDS)
    assert set(kinds) == set(KINDS) - skipped, set(KINDS) - skipped - set(kinds)
    for it in items:
        assert it.labels, "rate 1: every bureau-year is anomalous"
        for lb in it.labels:
            assert lb.category == KINDS[lb.kind]
            assert lb.injected_value != lb.original_value or lb.kind.endswith("copied_across_projects")
            if lb.kind in ("text_table_mismatch", "wrong_percentage", "wrong_growth_rate", "unit_slip",
                           "fund_arithmetic", "rate_out_of_band", "stale_year_text", "template_residue"):
                assert lb.injected_value in it.drafts[lb.doc_type].text() or lb.kind == "template_residue"


def test_injected_inconsistencies_break_an_identity() -> None:
    """The table and text kinds of category inconsistent_total are visible to the identity checks above."""
    items = _generated(40, 2, 9, 0.5)
    clean = [it for it in items if it.clean]
    assert clean and len(clean) < len(items)
    for it in clean:  # clean bureau-years of a mixed corpus stay clean
        assert not check_final_accounts(laid_out(it, "final_accounts"))
        assert not check_self_eval_tables(laid_out(it, "project_self_eval"))
        assert not check_fund_text(laid_out(it, "dept_self_eval"))
        assert not re.search(r"XX|字以内", "".join(d.text() for d in it.drafts.values()))
    seen = 0
    for it in items:
        kinds = {lb.kind for lb in it.labels}
        if kinds & {"broken_footing", "cross_table_mismatch", "wrong_percentage", "wrong_growth_rate"}:
            assert check_final_accounts(laid_out(it, "final_accounts")), kinds
            seen += 1
        if kinds & {"score_sum_mismatch"}:
            assert check_self_eval_tables(laid_out(it, "project_self_eval"))
        if kinds & {"fund_arithmetic", "coverage_over_100", "fund_spending_over_income", "rate_out_of_band"}:
            assert check_fund_text(laid_out(it, "dept_self_eval")), kinds
    assert seen >= 3
