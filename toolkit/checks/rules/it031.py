"""IT031: A share stated in the text (占…%) is not the ratio of the amounts beside it (N-2)."""

from __future__ import annotations

import polars as pl

from toolkit.checks.framework import Check, CheckResult
from toolkit.checks.registry import register
from toolkit.checks.text_amounts import metric_cells
from toolkit.checks.text_ratios import MAX_GAP_CHARS, operands, ratio_check
from toolkit.checks.tolerance import ratio_bounds

# part metric > whole metric: the whole a share of the part is taken of when the text does not say
_PART_OF = {"personnel_expense>basic_expense", "public_expense>basic_expense", "basic_expense>expense_total",
            "project_expense>expense_total"}


_TOTAL_METRICS = ("income_total", "expense_total")


@register
class TextShare(Check):
    """A share stated in the text (占…%) is not the ratio of the amounts beside it (N-2).

    What it does: for each 占比 in a passage, tries every pairing of an amount stated just before it
    (the part) with a larger earlier amount of the same kind (the whole) and flags the share only when
    no pairing reproduces it within the rounding of all three numbers.

    Why it matters: shares are what the press quotes; a share that no amount supports means the
    sentence was edited without recomputing, or copied.

    A share that is right for the printed digits of an amount whose unit slipped (459.16元 of 766万元),
    or right for the table figure of an amount the text misstates, is left to IT036 / IT030: the
    amount is the error there, not the share.

    Example: “人员经费104.09万元，占基本支出的94.74%” after “基本支出122.83万元” (true share 84.74 %).

    Known false positives: shares of a whole that is not stated in the same passage (skipped, not flagged).
    """

    code = "IT031"
    version = "3"
    name = "text-share"
    detects = ("wrong_percentage",)
    label = "文字说明占比计算不符"
    requires = ("frame:facts",)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        def build(f: pl.DataFrame, t: pl.DataFrame) -> pl.DataFrame:
            quals = ("amount", "part", "change")
            part = operands(f, t, quals, "_p")
            whole = f.filter(pl.col("qualifier").is_in(quals)).select(
                "document_id", "passage_id", pl.col("b").alias("b_w"), pl.col("lo").alias("lo_w"),
                pl.col("hi").alias("hi_w"), pl.col("raw_text").alias("raw_w"), pl.col("span_start").alias("s_w"),
                pl.col("base_unit").alias("u_w"), pl.col("subject").alias("subj_w"),
                pl.col("scale").fill_null(1.0).alias("sc_w"), pl.col("metric").alias("m_w"))
            c = part.join(whole, on=["document_id", "passage_id"]).filter(
                (pl.col("s_w") < pl.col("s_p")) & (pl.col("u_w") == pl.col("u_p"))
                & (pl.col("span_start") - pl.col("s_w") <= 4 * MAX_GAP_CHARS))
            # flag only against a whole the sentence names (占基本支出的… after "基本支出122.83万元")
            # or against the whole a part belongs to (人员经费 of 基本支出, anything of 收入/支出合计) when the
            # share leaves it unnamed (“一般公共预算财政拨款基本支出X。人员经费Y，占Z%”);
            # a whole smaller than its part is another item of the list, not the whole
            parent = (pl.col("sent_p") == pl.col("sentence")) & (pl.col("m_w").is_in(list(_TOTAL_METRICS)) | pl.concat_str(
                [pl.col("m_p"), pl.lit(">"), pl.col("m_w")]).is_in(list(_PART_OF)))
            c = c.with_columns(eligible=(
                (pl.col("subj_w").is_not_null() & (pl.col("subj_w").str.len_chars() >= 2)
                 & pl.col("sentence").str.contains(pl.col("subj_w"), literal=True)) | parent)
                & (pl.col("hi_w") >= pl.col("lo_p")))
            # a share right for the printed digits but with one amount's unit slipped (459.16元 of 766万元):
            # the slip is IT036's finding, the share itself is not wrong
            k = pl.col("sc_w") / pl.col("sc_p")
            slipped = c.filter(pl.col("sc_p") != pl.col("sc_w")).with_columns(
                b_p=pl.col("b_p") * k, lo_p=pl.col("lo_p") * k, hi_p=pl.col("hi_p") * k, eligible=pl.lit(False))
            # a share right for the table figure of an amount the text misstates (基本支出 shifted in the text,
            # 人员经费's share still of the table's 基本支出): the amount is IT030's finding, not the share
            cells = metric_cells(frames).select("document_id", "metric", "c_b", "c_lo", "c_hi")
            via_table = [
                c.join(cells.rename({"metric": f"m{x}"}), on=["document_id", f"m{x}"]).with_columns(
                    pl.col("c_b").alias(f"b{x}"), pl.col("c_lo").alias(f"lo{x}"), pl.col("c_hi").alias(f"hi{x}"),
                    eligible=pl.lit(False)).drop("c_b", "c_lo", "c_hi")
                for x in ("_p", "_w")]
            c = pl.concat([c, slipped, *via_table])
            lo, hi = ratio_bounds(pl.col("lo_p"), pl.col("hi_p"), pl.col("lo_w"), pl.col("hi_w"))
            return c.with_columns(
                c_lo=lo * 100, c_hi=hi * 100, c=pl.col("b_p") / pl.col("b_w") * 100,
                prio=(pl.col("span_start") - pl.col("s_p")),
                formula=pl.concat_str([pl.col("raw_p"), pl.lit(" ÷ "), pl.col("raw_w")]))
        return ratio_check(frames, code=self.code, identity="N-2", qualifier="share", kind="wrong_percentage",
                            build=build)
