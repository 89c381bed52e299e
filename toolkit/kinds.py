"""Finding categories and anomaly kinds shared by checks, the synthetic generator and evaluation.

A check declares the kinds it detects; the generator injects labelled anomalies of these
kinds; ``evaluate`` scores one against the other. A kind is never renamed or reused.
"""

from __future__ import annotations

CATEGORIES: tuple[str, ...] = (
    "inconsistent_total",
    "implausible_ratio",
    "copy_paste",
    "peer_outlier",
    "digit_pattern",
    "disclosure_gap",
    "parse_issue",
)

# kind -> category
KINDS: dict[str, str] = {
    "broken_footing": "inconsistent_total",  # rows do not add to their 合计 (within a table)
    "cross_table_mismatch": "inconsistent_total",  # the same amount differs between two tables
    "text_table_mismatch": "inconsistent_total",  # an amount in 情况说明/自评 text differs from its table cell
    "wrong_percentage": "inconsistent_total",  # 占比/完成率/执行率 does not equal the ratio of its amounts
    "wrong_growth_rate": "inconsistent_total",  # 增减额/增长率 does not match the amounts
    "score_sum_mismatch": "inconsistent_total",  # 总分 != Σ 得分, Σ 分值 != 100, 得分 > 分值
    "unit_slip": "inconsistent_total",  # the same number printed with 元 in one place and 万元 in another
    "fund_arithmetic": "inconsistent_total",  # 收入 − 支出 != 当期结余, parts != whole in narrative
    "coverage_over_100": "implausible_ratio",
    "fund_spending_over_income": "implausible_ratio",
    "rate_out_of_band": "implausible_ratio",
    "peer_outlier": "peer_outlier",  # per-capita spending far from the province's bureaus
    "yoy_jump": "peer_outlier",  # a year-on-year jump far beyond the bureau's own history
    "target_copied_across_projects": "copy_paste",
    "actual_copied_from_target": "copy_paste",
    "paragraph_copied_across_bureaus": "copy_paste",
    "stale_year_text": "copy_paste",
    "template_residue": "copy_paste",
    "required_table_missing": "disclosure_gap",  # a table the document type's template requires is absent
    "toc_table_missing": "disclosure_gap",  # the document's 目录 lists a table it does not contain
    "empty_table_unstated": "disclosure_gap",  # an empty required table without “本表无数据”
    "empty_statement_contradicted": "disclosure_gap",  # a table stated empty that carries data
    "line_item_peer_outlier": "peer_outlier",  # one 科目 / ratio far from what the bureau's size and peers explain
    "profile_outlier": "peer_outlier",  # the bureau's feature profile as a whole is unlike its peers' (multivariate)
    "feature_yoy_jump": "peer_outlier",  # one feature of a bureau changes between years far beyond its peers' changes
    "first_digits_nonconforming": "digit_pattern",  # pooled first-two digits far from Benford (Nigrini MAD)
    "last_digits_nonuniform": "digit_pattern",  # last two printed digits far from uniform
    "round_number_excess": "digit_pattern",  # too many amounts ending in 00
    "duplicated_amount": "digit_pattern",  # the same many-digit amount printed by two different bureaus
    "comparison_contradicted": "inconsistent_total",  # 大于/等于/小于/超过/未达到 contradicted by the figures stated
    "product_mismatch": "inconsistent_total",  # a stated total is not count × per-unit amount
    "restatement_mismatch": "inconsistent_total",  # the same item's amount stated differently in two places of the text
}
