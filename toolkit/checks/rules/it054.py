"""IT054: a table breaks a relation that most bureaus' copies of the same table follow (corpus scope)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

import polars as pl

from toolkit.checks.framework import EVALS, Check, CheckResult, get, scan
from toolkit.checks.registry import register
from toolkit.checks.relations import infer
from toolkit.checks.relations.infer import Inference, parse_rel
from toolkit.checks.relations.report import render_breaks
from toolkit.normalize.text import squash
from toolkit.schemas import empty

FAMILIES = ("col_sum", "ratio", "share_row")  # relations named by column labels, comparable across copies
BATCH_DOCUMENTS = 200
MIN_BUREAUS = 3  # other bureaus whose copy bears the relation out
MIN_BUREAU_SHARE = 0.75  # of the bureaus whose copy could be judged
_YEAR = re.compile(r"20\d{2}\s*年度?|\d+")


def _label(s: str | None) -> str:
    return _YEAR.sub("", squash(s or ""))


def _columns_named(rel: str) -> list[int]:
    """The columns whose labels name a ratio or share relation (``parse_rel``'s indexes)."""
    fam, idx = parse_rel(rel)
    return [idx[2]] if fam == "share_row" else idx


def relation_signatures(inf: Inference) -> pl.DataFrame:
    """Per (document, table, relation): a table signature (its type, or its column labels for a generic
    table) and a relation signature in column labels, with the local support."""
    labels = inf.num.group_by("document_id", "table_id", "col").agg(
        pl.col("col_label").drop_nulls().first().alias("label"))
    lab: dict[tuple[str, str], dict[int, str]] = {}  # per table, so a lookup hashes one int
    squashed: dict[str | None, str] = {}  # a label repeats across copies: clean it once
    for d, t, c, x in labels.iter_rows():
        if x not in squashed:
            squashed[x] = _label(x)
        lab.setdefault((d, t), {})[c] = squashed[x]
    ttype = {(d, t): tt for d, t, _, tt in inf.tables.iter_rows()}
    tsig = {key: "".join("|" + x for _, x in sorted(cols.items())) for key, cols in lab.items()}
    named: dict[str, list[int]] = {}  # rel_id -> the columns that name it (rel ids repeat across tables)
    rows = []
    rels = inf.relations.filter(pl.col("family").is_in(FAMILIES)).select(
        "document_id", "table_id", "rel_id", "family", "accepted", "holds", "fails")
    for d, t, rel, family, accepted, holds, fails in rels.iter_rows():
        fam = rel.split(":", 1)[0]
        cols = lab.get((d, t), {})
        if fam == "col_sum":
            target = int(rel.split(":", 1)[1].split("=")[0][1:])
            parts = inf.members.get((d, t, rel), [])
            neg = parts[-1] if "-" in rel else None
            names = [cols.get(target, "")] + sorted(cols.get(p, "") for p in parts if p != neg)
            if neg is not None:
                names.append("-" + cols.get(neg, ""))
        else:  # share_row: its denominator column; ratio / growth: p, n, d columns
            if rel not in named:
                named[rel] = _columns_named(rel)
            names = [cols.get(c, "") for c in named[rel]]
        if not all(n.strip("-") for n in names):
            continue  # an unlabelled column cannot be matched with another copy's
        tt = ttype.get((d, t))
        rows.append((d, t, rel, family, tt if tt and tt != "generic" else tsig.get((d, t), ""),
                     f"{fam}:" + ",".join(names), accepted, holds, fails))
    return pl.DataFrame(rows, schema={"document_id": pl.String, "table_id": pl.String, "rel_id": pl.String,
                                      "family": pl.String, "tsig": pl.String, "rsig": pl.String,
                                      "accepted": pl.Boolean, "holds": pl.UInt32, "fails": pl.UInt32},
                        orient="row")


def _with_bureau(df: pl.DataFrame, docs: pl.DataFrame) -> pl.DataFrame:
    """The document's bureau (the document itself where none was read): copies are counted by bureau."""
    return df.join(docs, on="document_id", how="left").with_columns(
        bureau=pl.coalesce(pl.col("bureau"), pl.col("document_id")))


@dataclass(slots=True, frozen=True)
class BatchDigest:
    """What the corpus pass needs of a batch of documents: per (table, relation signature, bureau)
    whether a copy accepts the relation, and the local breaks that corpus support could confirm,
    with the part of the batch's inference that renders them (their documents only)."""

    document_ids: frozenset[str]
    per_bureau: pl.DataFrame  # tsig, rsig, bureau, accepted
    breaks: pl.DataFrame  # failing places of locally unaccepted relations, with tsig, rsig, bureau
    inference: Inference | None


def digest(frames: Mapping[str, pl.DataFrame], docs: pl.DataFrame) -> BatchDigest:
    """The digest of the documents in ``frames`` (``docs``: their document_id and bureau)."""
    inf = infer(frames)
    s = relation_signatures(inf)
    per_bureau = _with_bureau(s, docs).group_by("tsig", "rsig", "bureau").agg(pl.col("accepted").any())
    local = s.filter(~pl.col("accepted") & (pl.col("holds") >= 1) & (pl.col("holds") >= pl.col("fails")))
    b = inf.places.filter((pl.col("status") == "fail") & ~pl.col("declared")).join(
        local.select("document_id", "table_id", "rel_id", "tsig", "rsig", "holds", "fails"),
        on=["document_id", "table_id", "rel_id"]) if local.height else local.clear()
    ids = frozenset(docs["document_id"].to_list())
    if b.height == 0:
        return BatchDigest(ids, per_bureau, pl.DataFrame(), None)
    b = _with_bureau(b.with_columns(share=pl.lit(0.0), strong=pl.lit(False)), docs)
    return BatchDigest(ids, per_bureau, b, _only(inf, b.select("document_id").unique()))


def _only(inf: Inference, docs: pl.DataFrame) -> Inference:
    """The part of an inference that renders breaks of ``docs`` (kept until the corpus pass)."""
    keep = set(docs["document_id"].to_list())
    return Inference(num=inf.num.join(docs, on="document_id", how="semi"),
                     places=inf.places.clear(), relations=inf.relations.clear(),
                     tables=inf.tables.join(docs, on="document_id", how="semi"),
                     members={k: v for k, v in inf.members.items() if k[0] in keep})


@register
class CorpusRelationBreak(Check):
    """A table breaks a relation that most other bureaus' copies of the same table type follow.

    What it does: over the whole corpus, names each relation inferred per table (IT050/IT052) by its
    column labels (“小计 = 宣传 + 办公 + 补助”) and each table by its type (or its column labels when it is
    not a recognised type). Where at least 3 other bureaus' copies bear a relation out, and they are at
    least three quarters of the bureaus whose copy could be judged, a copy where the relation is not
    accepted locally (too few rows, or broken) is checked against it: each place that breaks it while
    the copy holds it in at least half its places is a finding, naming the corpus support.

    Why it matters: a small table (three 镇街 rows) cannot prove its own pattern; the same template
    filled in by a hundred bureaus can.

    Example: 80 bureaus' 镇街经费 tables have 结余 = 拨付 − 小计 in every row; one bureau's table has it in
    2 of 3 rows → finding on the third row.

    Known false positives: a bureau that adds a column under the same header with another meaning.
    """

    code = "IT054"
    name = "corpus-relation-break"
    detects = ("broken_footing",)
    label: ClassVar[str] = "同类表格勾稽关系在本单位不成立"
    requires = ("frame:cells",)
    scope = "corpus"

    def summarise(self, frames: Mapping[str, pl.DataFrame]) -> BatchDigest:
        # the document pass has just inferred this batch's relations for IT050–IT053 (cached per frames)
        return digest(frames, get(frames, "documents").select("document_id", "bureau"))

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        return self.run_with(frames, ())

    def run_with(self, frames: dict[str, pl.DataFrame], summaries: Sequence[object]) -> CheckResult:
        docs = scan(frames, "documents").select("document_id", "bureau").collect()
        corpus = set(docs["document_id"].to_list())
        # a digest of documents that are not all in these frames is not theirs: those are read again
        digests = [d for d in summaries if isinstance(d, BatchDigest) and d.document_ids <= corpus]
        covered = set().union(*(d.document_ids for d in digests)) if digests else set()
        ids = [d for d in docs["document_id"].to_list() if d not in covered]
        for i in range(0, len(ids), BATCH_DOCUMENTS):
            chunk = ids[i: i + BATCH_DOCUMENTS]
            part = {n: scan(frames, n).filter(pl.col("document_id").is_in(chunk)).collect()
                    for n in ("documents", "tables", "cells", "line_items")}
            digests.append(digest(part, docs.filter(pl.col("document_id").is_in(chunk))))
        pending = [(d.inference, d.breaks) for d in digests if d.breaks.height]
        if not digests or not pending:
            return CheckResult.nothing()
        per_bureau = pl.concat([d.per_bureau for d in digests]).group_by("tsig", "rsig", "bureau").agg(
            pl.col("accepted").any())
        hits, evals = [], []
        for inf, b in pending:
            keys = b.select("document_id", "table_id", "rel_id", "tsig", "rsig", "bureau").unique()
            support = keys.join(per_bureau.rename({"bureau": "other"}), on=["tsig", "rsig"]).filter(
                pl.col("other") != pl.col("bureau")).group_by("document_id", "table_id", "rel_id").agg(
                held=pl.col("accepted").sum(), seen=pl.len())
            ok = support.filter((pl.col("held") >= MIN_BUREAUS)
                                & (pl.col("held") >= MIN_BUREAU_SHARE * pl.col("seen")))
            if ok.height == 0:
                continue
            note = {(d, t, r): (h, n) for d, t, r, h, n in ok.iter_rows()}
            chosen = b.join(ok.select("document_id", "table_id", "rel_id"), on=["document_id", "table_id", "rel_id"])
            chosen = chosen.sort(["holds", "rel_id"], descending=[True, False]).unique(
                ["document_id", "table_id", "t_row", "t_col"], keep="first", maintain_order=True)
            hits.append(render_breaks(inf, chosen.drop("tsig", "rsig", "bureau"), "broken_footing", corpus_note=note))
            evals.append(chosen.select("document_id", pl.concat_str([pl.col("table_id"), pl.lit(":corpus:"),
                                                                     pl.col("rel_id")]).alias("identity"),
                                       pl.lit("failed").alias("status"), pl.lit(None, dtype=pl.String).alias("reason")))
        return CheckResult.of(hits, evals or [empty(EVALS)])
