"""Claims as Polars frames with provenance: one row per claim, one row per figure printed in the text.

``CLAIMS``: document, passage, page, the sentence and its span in the passage text, the claim's kind
and phrasing (``form``), subject, direction or relation word, its operands (a list of structs: role,
value, decimals, scale, unit, base unit, as printed, span, passage, how it was resolved) and ``missing``
(the operands nothing supplied: such a claim is not checked). ``NUMBERS``: every money figure and
rate of the text, for coverage (the share of them that took part in a check).

Why no word segmenter (jieba): the grammar keys on closed-class words (增加/减少, 占, 其中, 分别, 完成…
预算, 大于) and on the figures between them, which regular expressions find exactly; a segmenter's
dictionary cuts fiscal compounds unpredictably (财政拨款收入, 一般公共预算财政拨款基本支出), adds a
dictionary load to every worker and a dependency, and would not settle any pairing that the clause
structure does not already settle. Subjects are kept as the printed words and compared by suffix.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from toolkit.claims.grammar import Claim, parse_passage
from toolkit.claims.resolve import PassageClaims, TableLookup, balance_claims, resolve_wholes

OPERAND = pl.Struct({
    "role": pl.String, "value": pl.Float64, "decimals": pl.Int32, "scale": pl.Float64, "unit": pl.String,
    "base_unit": pl.String, "raw": pl.String, "start": pl.Int64, "end": pl.Int64, "passage_id": pl.String,
    "name": pl.String, "resolved_by": pl.String,
})

CLAIMS: dict[str, pl.DataType] = {
    "document_id": pl.String, "passage_id": pl.String, "page": pl.Int32, "claim_id": pl.String,
    "kind": pl.String, "form": pl.String, "subject": pl.String, "period": pl.String,
    "direction": pl.String, "relation": pl.String, "sentence": pl.String,
    "span_start": pl.Int64, "span_end": pl.Int64, "operands": pl.List(OPERAND), "missing": pl.String,
}

NUMBERS: dict[str, pl.DataType] = {
    "document_id": pl.String, "passage_id": pl.String, "start": pl.Int64, "end": pl.Int64,
    "raw": pl.String, "base_unit": pl.String, "role": pl.String,
}

# passages whose figures are definitions, formulas or targets rather than statements of the year
_SKIP_ROLES = ("glossary", "toc", "goal_expected")


def _operand_rows(c: Claim) -> list[dict]:
    rows = []
    for o in c.operands:
        n = o.num
        rows.append({
            "role": o.role, "value": n.value if n else None, "decimals": n.decimals if n else None,
            "scale": n.scale if n else None, "unit": n.unit if n else None, "base_unit": n.base_unit if n else None,
            "raw": n.raw if n else None, "start": n.start if n else None, "end": n.end if n else None,
            "passage_id": o.passage_id, "name": o.name, "resolved_by": o.resolved_by,
        })
    return rows


def _rows(document_id: str, passage_id: str, page: int | None, claims: list[Claim], first: int) -> list[dict]:
    return [{
        "document_id": document_id, "passage_id": passage_id, "page": page, "claim_id": f"{passage_id}#{first + k}",
        "kind": c.kind, "form": c.form, "subject": c.subject or None, "period": c.period,
        "direction": c.direction, "relation": c.relation, "sentence": c.sentence.text,
        "span_start": c.sentence.start, "span_end": c.sentence.end, "operands": _operand_rows(c),
        "missing": ", ".join(c.missing) or None,
    } for k, c in enumerate(claims)]


def claims_frames(passages: pl.DataFrame, lookup: TableLookup | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(claims, numbers) of every passage, resolved document by document."""
    rows: list[dict] = []
    numbers: list[dict] = []
    if passages.height == 0:
        return pl.DataFrame(schema=CLAIMS), pl.DataFrame(schema=NUMBERS)
    p = passages.filter(~pl.col("role").is_in(_SKIP_ROLES)).sort("document_id", "order")
    for (document_id,), group in p.group_by(["document_id"], maintain_order=True):
        parsed: list[PassageClaims] = []
        pages: dict[str, int | None] = {}
        for pid, page, text in group.select("passage_id", "page", "text").iter_rows():
            claims, toks = parse_passage(text or "")
            parsed.append(PassageClaims(pid, claims, toks))
            pages[pid] = page
            numbers += [{"document_id": document_id, "passage_id": pid, "start": t.num.start, "end": t.num.end,
                         "raw": t.num.raw, "base_unit": t.num.base_unit, "role": t.role}
                        for t in toks if t.num.is_money or t.num.is_rate]
        resolve_wholes(str(document_id), parsed, lookup)
        extra: dict[str, list[Claim]] = {}
        for pid, c in balance_claims(parsed):
            extra.setdefault(pid, []).append(c)
        for pc in parsed:
            claims = pc.claims + extra.get(pc.passage_id, [])
            rows += _rows(str(document_id), pc.passage_id, pages[pc.passage_id], claims, 0)
    return (pl.DataFrame(rows, schema=CLAIMS) if rows else pl.DataFrame(schema=CLAIMS),
            pl.DataFrame(numbers, schema=NUMBERS) if numbers else pl.DataFrame(schema=NUMBERS))


def claims_of(frames: Mapping[str, pl.DataFrame], lookup: TableLookup | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Claims and numbers of the passages in ``frames`` (missing passages -> empty frames)."""
    passages = frames.get("passages")
    if passages is None or passages.height == 0:
        return pl.DataFrame(schema=CLAIMS), pl.DataFrame(schema=NUMBERS)
    cols = {"document_id", "passage_id", "page", "order", "role", "text"}
    missing = cols - set(passages.columns)
    if missing:
        passages = passages.with_columns([pl.lit(None).alias(c) for c in missing])
    return claims_frames(passages.with_columns(pl.col("role").fill_null("other"), pl.col("order").fill_null(0)), lookup)
