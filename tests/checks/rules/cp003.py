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


CASES: list[Case] = [
    # CP003: d1's paragraph is 芙蓉区's, naming 芙蓉区 (the copier is d1, not d2)
    # severity: the copy names the other bureau's place (芙蓉区): the check sets high
    Case("CP003", "fires", paragraph_case(COPIED), 1, kind="paragraph_copied_across_bureaus",
             contains=["芙蓉区医疗保障局", "芙蓉"], severity="high"),
    Case("CP003", "quiet", paragraph_case(OWN), 0),
]
