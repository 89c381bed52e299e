"""Hand-made peer corpora shared by the PO010–PO012 cases: county bureaus of one province with a 05 表
(行政运行 2101501 and 行政单位医疗 2101101) and 参保人数; values chosen so the medians are round."""

from __future__ import annotations

from tests.checks.builders import DOC, F, L, corpus

# nine peers' 行政运行 in 万元 for 300,000 insured each: 9.5 … 10.67 元/人, median 300万元 = 10.00 元/人
PEER_RUNNING = [300, 310, 290, 320, 305, 295, 300, 315, 285]
INSURED = 300_000


def _doc(doc: str, code: str, name: str, year: int) -> dict:
    return {"document_id": doc, "bureau": f"{name}医疗保障局", "region_code": code, "region_name": name,
            "level": "county", "fiscal_year": year, "path": f"{doc}.txt"}


def _t03(doc: str, running_wan: float, health_wan: float = 100.0) -> list[dict]:
    rows = [L("t05", "gpb_expense", "total", running_wan + health_wan, row=0, name="合计", row_kind="total"),
            L("t05", "gpb_expense", "total", running_wan, row=1, code="2101501", name="行政运行"),
            L("t05", "gpb_expense", "total", health_wan, row=2, code="2101101", name="行政单位医疗")]
    for r in rows:
        r["document_id"] = doc
    return rows


def _insured(doc: str, persons: int = INSURED) -> dict:
    f = F("insured_persons", "count", persons, "人", dec=0, subject="基本医保参保总人数")
    f["document_id"] = doc
    return f


def level_corpus(target_wan: float, n_peers: int = 9) -> dict:
    """d1 (测试县) with 行政运行 ``target_wan`` 万元 among ``n_peers`` county peers, all in 2023."""
    docs, li, facts = [{"document_id": DOC, "level": "county"}], _t03(DOC, target_wan), [_insured(DOC)]
    for i, wan in enumerate((PEER_RUNNING * 2)[:n_peers]):
        d = f"p{i}"
        docs.append(_doc(d, f"4301{i:02d}", f"甲{i}县", 2023))
        li += _t03(d, wan)
        facts.append(_insured(d))
    frames = corpus([], li, facts)
    return _with_docs(frames, docs)


def yoy_corpus(jump: float) -> dict:
    """Every bureau in 2022 and 2023; peers' 行政运行 changes by −4 … +4 %, d1's by ``jump``."""
    docs = [{"document_id": DOC, "level": "county"}, _doc("d0", "430000", "测试县", 2022) | {"bureau": "测试县医疗保障局"}]
    li = _t03(DOC, 300.0 * jump) + _t03("d0", 300.0)
    facts = [_insured(DOC), _insured("d0")]
    for i, wan in enumerate(PEER_RUNNING):
        code, name = f"4301{i:02d}", f"甲{i}县"
        docs += [_doc(f"p{i}", code, name, 2023), _doc(f"q{i}", code, name, 2022)]
        li += _t03(f"q{i}", wan) + _t03(f"p{i}", wan * (0.96 + 0.01 * i))
        facts += [_insured(f"p{i}"), _insured(f"q{i}")]
    return _with_docs(corpus([], li, facts), docs)


def _with_docs(frames: dict, docs: list[dict]) -> dict:
    import polars as pl

    from toolkit import schemas

    base = frames["documents"].filter(pl.col("document_id") == DOC).to_dicts()[0]
    rows = [base | d for d in docs]
    frames["documents"] = schemas.frame(rows, schemas.DOCUMENTS)
    return frames


def profile_corpus(target: tuple[float, float, float], n_peers: int = 110) -> dict:
    """``n_peers`` county bureaus (in 11 provinces) whose three 03 表 items vary by at most ±3 %, and d1 with
    its three items multiplied by ``target``."""
    provinces = [f"省{i}" for i in range(11)]
    docs = [{"document_id": DOC, "level": "county", "province": provinces[0]}]

    def t03(doc: str, a: float, b: float, c: float) -> list[dict]:
        rows = [L("t05", "gpb_expense", "total", a + b + c, row=0, name="合计", row_kind="total"),
                L("t05", "gpb_expense", "total", a, row=1, code="2101501", name="行政运行"),
                L("t05", "gpb_expense", "total", b, row=2, code="2101101", name="行政单位医疗"),
                L("t05", "gpb_expense", "total", c, row=3, code="2101550", name="事业运行")]
        for r in rows:
            r["document_id"] = doc
        return rows

    li = t03(DOC, 300 * target[0], 100 * target[1], 200 * target[2])
    facts = [_insured(DOC)]
    for i in range(n_peers):
        d = f"p{i}"
        wiggle = [1 + 0.03 * (((i * k) % 7) - 3) / 3 for k in (1, 3, 5)]  # −3 … +3 %, deterministic
        docs.append(_doc(d, f"{500000 + i}", f"乙{i}县", 2023) | {"province": provinces[i % 11]})
        li += t03(d, 300 * wiggle[0], 100 * wiggle[1], 200 * wiggle[2])
        facts.append(_insured(d))
    return _with_docs(corpus([], li, facts), docs)


def amounts_corpus(per_bureau: list[list[str]], province: str = "湖南省", year: int = 2023,
                   regions: list[str | None] | None = None) -> dict:
    """One 决算 document per bureau whose 06 表 (基本支出) items print the given amounts (元, as raw text)."""
    docs, li = [], []
    for b, raws in enumerate(per_bureau):
        d = DOC if b == 0 else f"a{b}"
        code = (regions[b] if regions else f"43{b:04d}")
        docs.append({"document_id": d, "bureau": f"丙{b}县医疗保障局", "region_code": code, "province": province,
                     "level": "county", "fiscal_year": year, "path": f"{d}.txt"})
        for r, raw in enumerate(raws):
            row = L("t06", "gpb_basic_expense", "final", float(raw.replace(",", "")), row=r + 1, code="30201",
                    name=f"办公费{r}", unit="元", scale=1.0)
            row |= {"document_id": d, "raw_text": raw}
            li.append(row)
    frames = corpus([], li)
    return _with_docs(frames, docs)
