"""Fire / quiet cases for the implausible_ratio (IR), copy_paste (CP) and peer_outlier (PO) checks.

Hand-made frames; expected values worked out by hand in the comments. The case tests use
``cases.CASES + cases_other.build()``.
"""

from __future__ import annotations

from tests.checks.builders import DOC, F, L, frames
from toolkit import schemas


def _case():
    from tests.checks.cases import Case  # late: keeps the two case modules independent at import

    return Case


def P(text: str, *, pid: str = "p1", role: str = "goal_actual", doc: str = DOC, heading: str | None = None,
      project: str | None = None, order: int = 0) -> dict:
    return {"document_id": doc, "passage_id": pid, "page": 1, "order": order, "heading": heading, "role": role,
            "project": project, "text": text}


def with_passages(fr: dict, passages: list[dict]) -> dict:
    fr = dict(fr)
    fr["passages"] = schemas.frame(passages, schemas.PASSAGES)
    return fr


def rate_fact(text: str, raw: str, *, metric: str = "amount", scheme: str | None = None, period: str = "2023年",
              qualifier: str = "rate") -> dict:
    """A percentage fact located in ``text`` (span computed from the raw text)."""
    start = text.index(raw)
    f = F(metric, qualifier, float(raw.rstrip("%")), "%", start=start, scheme=scheme, sentence=text, period=period,
          dec=len(raw.rstrip("%").partition(".")[2]))
    f["raw_text"], f["span_end"] = raw, start + len(raw)
    return f


def rate_frames(text: str, *raws: str, schemes: tuple = ()) -> dict:
    facts = [rate_fact(text, r, scheme=(schemes[i] if i < len(schemes) else None)) for i, r in enumerate(raws)]
    return with_passages(frames(facts=facts), [P(text)])


# ---- IR001: 参保率
COV_OVER = "2023年全区居民参保人数67603人，职工参保人数7032人，总计75646人，综合参保率达到102.02%，获得通报表扬。"
COV_OK = "2023年全区参保75646人，综合参保率达到97.02%；特殊及困难人员综合参保率达100%。"
COV_SHARE = "城乡居民医保参保312277人、职工医保参保51325人，合计363602人，占户籍人口346798人的104.85%。"
# ---- IR002: 职工、居民 … 分别为 A 和 B (B is the 居民 rate: 46.55 < hard low 55)
REIMB_BAD = "待遇保障水平稳步提高：职工、居民政策范围内住院费用基金支付比例分别为82.39%和46.55%。"
REIMB_OK = "待遇保障水平稳步提高：职工、居民政策范围内住院费用基金支付比例分别为82.39%和66.55%。"
REIMB_AID = "低收入人口住院报销6811人次，一站式综合保障后政策范围内报销比例达到92.68%。"


def _fund(exp: float) -> dict:
    # 居民 income 11155.30 万元 then 支出 exp: 13688.72 / 11155.30 = 122.71 % -> 结余率 −22.71 % < −10 %
    text = f"2023年居民医保基金收入11155.30万元、支出{exp:.2f}万元。"
    i = F("fund_income", "amount", 11155.30, "万元", start=text.index("11155.30"), scheme="resident",
          subject="居民医保基金收入", sentence=text)
    e = F("expense_total", "amount", exp, "万元", start=text.index(f"{exp:.2f}"), subject="支出", sentence=text)
    return with_passages(frames(facts=[i, e]), [P(text)])


def _fund_share(pct: float) -> dict:
    text = f"城乡居民医保基金支出13688.72万元，占基金收入的{pct:.2f}%。"
    s = F("fund_income", "share", pct, "%", start=text.index(f"{pct:.2f}"), scheme="resident",
          subject="城乡居民医保基金支出", sentence=text)
    return with_passages(frames(facts=[s]), [P(text)])


# ---- CP001 / CP002: 项目支出绩效自评表 indicator rows
def _ind(tid: str, project: str, row: int, level3: str, target: str, actual: str) -> dict:
    return {"document_id": DOC, "table_id": tid, "page": 1, "row": row, "project": project, "row_kind": "indicator",
            "level1": "产出指标", "level2": "数量指标", "level3": level3, "target_raw": target, "actual_raw": actual,
            "weight": 10, "score": 10}


def _projects(copy: bool) -> dict:
    a = [_ind("t01", "经办服务工作经费", 1, "经办业务办理量", "≥16129", "16616"),
         _ind("t01", "经办服务工作经费", 2, "项目成本控制", "≤179.83万元", "179.83万元"),
         _ind("t01", "经办服务工作经费", 3, "参保群众满意度", "≥90%", "92.6%")]
    if copy:  # 打击欺诈骗保 prints 经办's two specific targets: 2 distinctive rows shared
        b = [_ind("t02", "打击欺诈骗保专项经费", 1, "经办业务办理量", "≥16129", "16420"),
             _ind("t02", "打击欺诈骗保专项经费", 2, "项目成本控制", "≤179.83万元", "141.88万元"),
             _ind("t02", "打击欺诈骗保专项经费", 3, "参保群众满意度", "≥90%", "92.1%")]
    else:  # only the generic 满意度 row is shared
        b = [_ind("t02", "打击欺诈骗保专项经费", 1, "检查定点医药机构家次", "≥132", "144"),
             _ind("t02", "打击欺诈骗保专项经费", 2, "项目成本控制", "≤155.87万元", "141.88万元"),
             _ind("t02", "打击欺诈骗保专项经费", 3, "参保群众满意度", "≥90%", "92.1%")]
    fr = frames()
    fr["indicators"] = schemas.frame(a + b, schemas.INDICATORS)
    fr["tables"] = schemas.frame([{"document_id": DOC, "table_id": t, "table_type": "project_self_eval",
                                   "project": p} for t, p in (("t01", "经办服务工作经费"), ("t02", "打击欺诈骗保专项经费"))],
                                 schemas.TABLES)
    return fr


def _actuals(copied: bool) -> dict:
    goal = "提升医保经办服务能力，推进经办服务下沉，实现参保登记、异地备案等业务就近办理"
    done = goal if copied else "经办服务网点覆盖所有乡镇（街道），高频事项实现就近可办"
    rows = [_ind("t01", "经办服务工作经费", 1, "经办业务办理量", "≥16129", "16616"),
            _ind("t01", "经办服务工作经费", 2, "参保群众满意度", "≥90%", "92.6%"),
            _ind("t01", "经办服务工作经费", 3, "医保基金收支平衡", "收支平衡", "收支平衡")]
    fr = frames()
    fr["indicators"] = schemas.frame(rows, schemas.INDICATORS)
    return with_passages(fr, [P(goal, pid="g1", role="goal_expected", project="经办服务工作经费", order=1),
                              P(done, pid="g2", role="goal_actual", project="经办服务工作经费", order=2)])


def _actual_thresholds() -> dict:
    # 2 of 2 threshold rows repeat the target with its “≥”: 实际完成值 ≥85% / ≥80%
    rows = [_ind("t01", "困难群众救助", 1, "一站式综合报销比例", "≥85%", "≥85%"),
            _ind("t01", "困难群众救助", 2, "结算综合报销比例", "≥80%", "≥80%"),
            _ind("t01", "困难群众救助", 3, "医保基金收支平衡", "收支平衡", "收支平衡")]
    fr = frames()
    fr["indicators"] = schemas.frame(rows, schemas.INDICATORS)
    return fr


# ---- corpus cases: several bureaus of one province (d1 is 测试县, the document the case reports on)
PEERS = [("d2", "430102", "芙蓉区"), ("d3", "430103", "天心区"), ("d4", "430104", "岳麓区"), ("d5", "430105", "开福区"),
         ("d6", "430111", "雨花区"), ("d7", "430112", "望城区")]


def _corpus(docs: list[dict], line_items: list[dict] = (), facts: list[dict] = (), passages: list[dict] = ()) -> dict:
    base = {"path": "case.txt", "sha256": "ab" * 32, "province": "湖南省", "status": "ok", "fiscal_year": 2023}
    rows = [base | {"document_id": DOC, "bureau": "测试县医疗保障局", "region_code": "430000", "region_name": "测试县"}]
    rows += [base | d for d in docs]
    tables = {(r["document_id"], r["table_id"]): r["table_type"] for r in line_items}
    return {
        "documents": schemas.frame(rows, schemas.DOCUMENTS),
        "tables": schemas.frame([{"document_id": d, "table_id": t, "table_type": tt} for (d, t), tt in tables.items()],
                                schemas.TABLES),
        "line_items": schemas.frame(list(line_items), schemas.LINE_ITEMS),
        "facts": schemas.frame(list(facts), schemas.FACTS),
        "passages": schemas.frame(list(passages), schemas.PASSAGES),
    }


def _spend(doc: str, wan: float) -> dict:
    r = L("t01", "income_expense_summary", "final", wan, key="expense_total", section="expense")
    r["document_id"] = doc
    return r


def _insured(doc: str, persons: int) -> dict:
    f = F("insured_persons", "count", persons, "人", dec=0, subject="基本医保参保总人数")
    f["document_id"] = doc
    return f


def _peer_case(d1_wan: float) -> dict:
    # peers spend 300, 310, 290, 320, 305, 295 万元 for 300000 人: 10.0–10.7 元/人 (median 10.08)
    # d1: 930 万元 for 300000 人 = 31 元/人: ×3.08, log distance 1.12 over MAD floor 0.15 -> z 7.5
    peers = [300, 310, 290, 320, 305, 295]
    docs = [{"document_id": d, "bureau": f"{n}医疗保障局", "region_code": c, "region_name": n, "path": f"{d}.txt"}
            for d, c, n in PEERS]
    li = [_spend(DOC, d1_wan)] + [_spend(d, w) for (d, _, _), w in zip(PEERS, peers, strict=True)]
    facts = [_insured(DOC, 300000)] + [_insured(d, 300000) for d, _, _ in PEERS]
    return _corpus(docs, li, facts)


def _yoy_case(jump: float) -> dict:
    # the same bureau (测试县, 430000) in 2022 (d0) and 2023 (d1); six peers with 2022/2023 changes of ±5 %
    docs = [{"document_id": "d0", "bureau": "测试县医疗保障局", "region_code": "430000", "region_name": "测试县",
             "fiscal_year": 2022, "path": "d0.txt"}]
    li = [_spend("d0", 1000.0), _spend(DOC, 1000.0 * jump)]
    for i, (d, c, n) in enumerate(PEERS):
        docs += [{"document_id": d, "bureau": f"{n}医疗保障局", "region_code": c, "region_name": n, "path": f"{d}.txt"},
                 {"document_id": d + "p", "bureau": f"{n}医疗保障局", "region_code": c, "region_name": n,
                  "fiscal_year": 2022, "path": f"{d}p.txt"}]
        li += [_spend(d + "p", 500.0), _spend(d, 500.0 * (0.95 + 0.02 * i))]
    return _corpus(docs, li)


COPIED = "芙蓉区组织开展医保政策宣传进村入户活动34场次，发放宣传资料2514份，群众政策知晓率明显提升；受理并办结群众诉求57件。"
OWN = "测试县组织开展医保政策宣传进村入户活动12场次，发放宣传资料830份，群众政策知晓率明显提升；受理并办结群众诉求9件。"


def _paragraph_case(text: str) -> dict:
    d2 = {"document_id": "d2", "bureau": "芙蓉区医疗保障局", "region_code": "430102", "region_name": "芙蓉区",
          "path": "d2.txt"}
    return _corpus([d2], passages=[P("工作开展情况：\n" + text), P(COPIED, doc="d2")])


def build() -> list:
    Case = _case()
    return [
        # IR001: 102.02 % > 100 -> coverage_over_100 (2.02 points beyond the hard limit)
        Case("IR001", "fires", rate_frames(COV_OVER, "102.02%"), 1, actual="102.02%", expected="≤100%",
             kind="coverage_over_100", contains=["102.02%", "重复参保"]),
        # 合计363602人，占户籍人口346798人的104.85% is a 参保率 too (363602 / 346798 = 104.85 %)
        Case("IR001", "fires-share-of-population", rate_frames(COV_SHARE, "104.85%"), 1, actual="104.85%"),
        Case("IR001", "quiet", rate_frames(COV_OK, "97.02%", "100%"), 0),
        # IR002: the second rate of “职工、居民…分别为” is the 居民 rate: 46.55 < 55
        Case("IR002", "fires", rate_frames(REIMB_BAD, "82.39%", "46.55%", schemes=("employee", "employee")), 1,
             actual="46.55%", contains=["居民医保政策范围内住院费用基金支付比例为46.55%"]),
        Case("IR002", "quiet", rate_frames(REIMB_OK, "82.39%", "66.55%", schemes=("employee", "employee")), 0),
        # a 一站式综合保障 rate for 低收入人口 is not the 职工/居民 ratio
        Case("IR002", "quiet-assistance", rate_frames(REIMB_AID, "92.68%"), 0),
        # IR003: 13688.72 / 11155.30 = 122.71 % -> 结余率 −22.71 %, 12.71 points below −10 %
        Case("IR003", "fires", _fund(13688.72), 1, kind="fund_spending_over_income", actual="支出/收入 122.71%",
             contains=["122.71%", "-22.71%"]),
        Case("IR003", "fires-stated-share", _fund_share(122.71), 1, actual="支出/收入 122.71%"),
        # 11000.00 / 11155.30 = 98.61 % -> 结余率 +1.39 % (national 2023 +1.1 %)
        Case("IR003", "quiet", _fund(11000.00), 0),
        # CP001
        Case("CP001", "fires", _projects(copy=True), 1, kind="target_copied_across_projects",
             contains=["打击欺诈骗保专项经费", "≥16129", "≤179.83万元"]),
        Case("CP001", "quiet", _projects(copy=False), 0),
        # CP002
        Case("CP002", "fires-goal", _actuals(copied=True), 1, contains=["完全相同"]),
        Case("CP002", "fires-thresholds", _actual_thresholds(), 1, contains=["2/2", "≥85%"]),
        Case("CP002", "quiet", _actuals(copied=False), 0),
        # CP003: d1's paragraph is 芙蓉区's, naming 芙蓉区 (the copier is d1, not d2)
        Case("CP003", "fires", _paragraph_case(COPIED), 1, kind="paragraph_copied_across_bureaus",
             contains=["芙蓉区医疗保障局", "芙蓉"]),
        Case("CP003", "quiet", _paragraph_case(OWN), 0),
        # CP004: “2021年度收入总计” in the 2023 report (2023 − 2 = 2021); comparisons are fine
        Case("CP004", "fires", with_passages(frames(), [P("2021年度收入总计1633.52万元，支出总计1633.52万元。与上年相比增加5.2万元。")]),
             1, actual="2021年", expected="2023年"),
        Case("CP004", "quiet", with_passages(frames(), [P("2023年度收入总计1633.52万元，与2022年度相比增加5.2万元；"
                                                          "自2021年9月起执行全市统一政策。")]), 0),
        # CP005
        Case("CP005", "fires", with_passages(frames(), [P("截至XX月XX日，全县参保人数稳步增长。"),
                                                        P("故本表无数据。（当表格数据为空时，应有此说明）", pid="p2")]), 2,
             contains=["XX"]),
        Case("CP005", "quiet", with_passages(frames(), [P("经查，张××等3人存在冒名就医行为，已追回基金。")]), 0),
        # PO001: d1 spends 31 元 per insured person against a peer median of ~10.1 (×3.08)
        Case("PO001", "fires", _peer_case(930.0), 1, kind="peer_outlier", contains=["3.1倍"]),
        Case("PO001", "quiet", _peer_case(315.0), 0),
        # PO002: 2023 = 3.2 × 2022 (peers change by −5 … +5 %)
        Case("PO002", "fires", _yoy_case(3.2), 1, kind="yoy_jump", contains=["3.20倍"]),
        Case("PO002", "quiet", _yoy_case(1.08), 0),
    ]
