"""The fault catalogue: each injected fault names the category and kind a correct finding has."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.kinds import KINDS


def category_of(kind: str) -> str:
    return KINDS[kind]


@dataclass(frozen=True, slots=True)
class Fault:
    name: str
    kind: str  # toolkit.kinds.KINDS key
    description: str

    @property
    def category(self) -> str:
        return category_of(self.kind)


_FAULTS = [
    Fault("column_total_broken", "broken_footing", "a component cell changed so its column no longer adds to its total"),
    Fault("cross_foot_broken", "broken_footing", "a cell changed so its row no longer adds across (合计 = Σ columns)"),
    Fault("difference_broken", "fund_arithmetic", "a 结余/difference cell changed so 结余 ≠ 收入 − 支出 in the table"),
    Fault("ratio_cell_broken", "wrong_percentage", "a 占比/执行率 cell changed so it no longer equals the ratio of its amounts"),
    Fault("rows_swapped", "cross_table_mismatch", "two rows' amounts in one column swapped"),
    Fault("row_removed", "broken_footing", "a component row removed from a footed table"),
    Fault("text_amount", "text_table_mismatch", "an amount in the running text changed"),
    Fault("text_share", "wrong_percentage", "a stated share (占比) changed"),
    Fault("text_completion", "wrong_percentage", "a stated completion or execution rate changed"),
    Fault("text_growth", "wrong_growth_rate", "a stated growth rate changed"),
    Fault("text_change_amount", "wrong_growth_rate", "a stated change amount (增减额) changed"),
    Fault("direction_flipped", "wrong_growth_rate", "a direction word flipped (增加↔减少, 大于↔小于, 超过↔未达到)"),
    Fault("unit_flipped_text", "unit_slip", "万元↔元 flipped after an amount in a sentence"),
    Fault("unit_flipped_header", "unit_slip", "万元↔元 flipped in a table's unit line or header"),
    Fault("score_total_broken", "score_sum_mismatch", "an indicator's 得分 changed so 总分 ≠ Σ得分"),
    Fault("weight_sum_broken", "score_sum_mismatch", "an indicator's 分值 changed so Σ分值 ≠ 100"),
    Fault("parts_exceed_whole", "fund_arithmetic", "a part of a 其中 list raised so the parts exceed the whole"),
    Fault("coverage_over_100", "coverage_over_100", "a 参保率/coverage rate set above 100 %"),
    Fault("spending_over_income", "fund_spending_over_income", "fund spending raised far above fund income"),
    Fault("balance_broken", "fund_arithmetic", "a stated 结余 changed so 结余 ≠ 收入 − 支出"),
    Fault("actual_from_target", "actual_copied_from_target", "实际完成情况 replaced by the 预期目标 text"),
    Fault("paragraph_from_other_bureau", "paragraph_copied_across_bureaus",
          "a paragraph replaced by one copied from another bureau's document"),
    Fault("targets_copied_between_projects", "target_copied_across_projects",
          "a project's target list replaced by another project's"),
    Fault("placeholder", "template_residue", "a placeholder (XX局, XX县, ××, （200字以内）) put in a heading, title or cell"),
    Fault("stale_year", "stale_year_text", "a year in a heading or date set to the year before"),
    Fault("required_table_removed", "required_table_missing", "a required table removed (its pages/section)"),
    Fault("table_title_altered", "required_table_missing", "a required table's title altered beyond recognition"),
    Fault("toc_table_removed", "toc_table_missing", "a table listed in the 目录 removed"),
    Fault("comparison_flipped", "comparison_contradicted",
          "a comparison word between two printed figures flipped (大于↔小于, 高于↔低于, 超过↔未达到)"),
    Fault("product_broken", "product_mismatch", "the total of a count × per-unit amount statement changed"),
    Fault("restatement_changed", "restatement_mismatch", "the second statement of an item's amount in the text changed"),
    *(Fault(f"line_item_scaled_{k}x", "line_item_peer_outlier",
            f"one 项级 line item ×{k}, its 款/类, 合计 and 总计 raised by the same amount in every table")
      for k in (2, 3, 5)),
]

FAULTS: dict[str, Fault] = {f.name: f for f in _FAULTS}


def parse_kinds(spec: str | None) -> list[str]:
    """``"text_amount,stale_year"`` -> fault names; unknown names raise ValueError; None/"" = all but the
    peer faults, which only a corpus of peers can see (``scripts/peer_eval.py real`` measures them)."""
    if not spec:
        return [n for n, f in FAULTS.items() if f.category != "peer_outlier"]
    names = [s.strip() for s in spec.split(",") if s.strip()]
    unknown = [n for n in names if n not in FAULTS]
    if unknown:
        raise ValueError(f"unknown fault kind(s) {unknown}; known: {', '.join(FAULTS)}")
    return names
