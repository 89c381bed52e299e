"""Fire / quiet cases of CP003; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.builders import P, corpus
from tests.checks.case import Case

COPIED = "芙蓉区组织开展医保政策宣传进村入户活动34场次，发放宣传资料2514份，群众政策知晓率明显提升；受理并办结群众诉求57件。"


OWN = "测试县组织开展医保政策宣传进村入户活动12场次，发放宣传资料830份，群众政策知晓率明显提升；受理并办结群众诉求9件。"


def paragraph_case(text: str) -> dict:
    d2 = {"document_id": "d2", "bureau": "芙蓉区医疗保障局", "region_code": "430102", "region_name": "芙蓉区",
          "path": "d2.txt"}
    return corpus([d2], passages=[P("工作开展情况：\n" + text), P(COPIED, doc="d2")])


# A provincial notice every bureau quotes word for word, figures included.
QUOTED = "全省统一部署开展定点医药机构专项检查，检查定点医药机构1860家次，追回医保基金3150万元，曝光典型案例42起。"


def quoted_by(n_bureaus: int, *, with_copy: bool) -> dict:
    """``n_bureaus`` other bureaus (and d1) print QUOTED; with ``with_copy`` d1 also prints 芙蓉区's own paragraph."""
    docs = [{"document_id": f"q{k}", "bureau": f"第{k}县医疗保障局", "region_code": f"4301{k:02d}",
             "region_name": f"第{k}县", "path": f"q{k}.txt", "sha256": f"{k:02d}" * 32} for k in range(n_bureaus)]
    passages = [P(QUOTED, doc=f"q{k}") for k in range(n_bureaus)]
    own = [P(QUOTED)]
    if with_copy:
        docs.append({"document_id": "d2", "bureau": "芙蓉区医疗保障局", "region_code": "430102", "region_name": "芙蓉区",
                     "path": "d2.txt"})
        passages.append(P(COPIED, doc="d2"))
        own.append(P(COPIED, pid="p2"))
    return corpus(docs, passages=own + passages)


CASES: list[Case] = [
    # CP003: d1's paragraph is 芙蓉区's, naming 芙蓉区 (the copier is d1, not d2)
    # severity: the copy names the other bureau's place (芙蓉区): the check sets high
    Case("CP003", "fires", paragraph_case(COPIED), 1, kind="paragraph_copied_across_bureaus",
             contains=["芙蓉区医疗保障局", "芙蓉"], severity="high"),
    Case("CP003", "quiet", paragraph_case(OWN), 0),
    # QUOTED is in 7 bureaus (d1 + q0..q5): more than WIDESPREAD = 4, a quoted common text -> no finding
    Case("CP003", "widespread-quote-quiet", quoted_by(6, with_copy=False), 0),
    # the same 7-bureau quote is skipped, while d1's copy of 芙蓉区's paragraph (2 bureaus) still fires once
    Case("CP003", "copy-beside-widespread-quote", quoted_by(6, with_copy=True), 1,
         kind="paragraph_copied_across_bureaus", contains=["芙蓉区医疗保障局"], severity="high"),
    # 4 bureaus (d1 + q0..q2) is not widespread: every pair is reported; no place named and one year,
    # so no copier: both sides of each of the 6 pairs, one finding per paragraph = 4 (each file its own hash)
    Case("CP003", "quote-in-four-bureaus-fires", quoted_by(3, with_copy=False), 4,
         kind="paragraph_copied_across_bureaus", severity="low"),
]
