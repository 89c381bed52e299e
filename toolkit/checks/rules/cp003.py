"""CP003: A narrative paragraph with concrete figures is (nearly) the same in another bureau's document."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import ClassVar

import numpy as np
import polars as pl

from toolkit.checks.copies import YEARS_AND_DATES, normalize_text, shorten, unit_key
from toolkit.checks.framework import Check, CheckResult, get, hits_frame, scan
from toolkit.checks.registry import register

SHINGLE = 5


COPY_JACCARD = 0.8  # clean same-province pairs: mean 0.27–0.39, max ~0.55 (tests/test_synth.py)


MIN_PARAGRAPH = 40


WIDESPREAD = 4  # a paragraph found in more bureaus than this is a quoted higher-level text, not a copy


SHINGLE_CACHE = 4096  # paragraphs whose shingle sets are kept while pairs are confirmed


NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])")


def _numbers(text: str) -> list[str]:
    return [n for n in NUMBER.findall(YEARS_AND_DATES.sub(" ", text))]


def _paragraphs(frames: dict[str, pl.DataFrame]) -> list[dict]:
    p = (
        scan(frames, "passages")
        .filter(~pl.col("role").is_in(["glossary", "toc"]))  # a 目录 repeats the titles of every bureau
        .select("document_id", "passage_id", "page", "text")
        .collect()
    )
    out = []
    for r in p.iter_rows(named=True):
        for i, para in enumerate(re.split(r"\n+", r["text"] or "")):
            t = normalize_text(para)
            nums = _numbers(t)
            if len(t) >= MIN_PARAGRAPH and len(nums) >= 2 and any(len(n) >= 2 for n in nums):
                out.append({"document_id": r["document_id"], "passage_id": r["passage_id"], "page": r["page"],
                            "i": i, "text": para.strip(), "norm": t})
    return out


def _shingles(t: str) -> set[str]:
    return {t[i: i + SHINGLE] for i in range(max(1, len(t) - SHINGLE + 1))}


_POLY = np.uint64(0x9E3779B97F4A7C15)  # odd: the polynomial over code points loses no low bits
_MIX1, _MIX2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def _shingle_hashes(t: str) -> np.ndarray:
    """32-bit hashes of the shingles of ``t`` (the strings ``_shingles`` gives), computed on arrays.

    MinHash needs one hash per shingle; hashing each 5-character string in Python (SHA-1, datasketch's
    default) was most of this check's time. A polynomial over the code points of each window, then
    the splitmix64 finaliser, keeps its top 32 bits. Pairs are still confirmed on the shingle sets.
    """
    c = np.frombuffer(t.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if c.size == 0:
        return np.zeros(1, dtype=np.uint32)
    k = min(SHINGLE, c.size)
    h = np.zeros(c.size - k + 1, dtype=np.uint64)
    for offset in range(k):  # Horner over the window, all windows at once (uint64 wraps)
        h = h * _POLY + c[offset: c.size - k + 1 + offset] + np.uint64(1)
    h ^= h >> np.uint64(30)
    h *= _MIX1
    h ^= h >> np.uint64(27)
    h *= _MIX2
    h ^= h >> np.uint64(31)
    return (h >> np.uint64(32)).astype(np.uint32)


def _place(name: str | None) -> str | None:
    """A bureau's place as it appears in running text: 怀仁市 -> 怀仁 (names of ≤ 2 characters kept whole)."""
    if not name:
        return None
    short = re.sub(r"(?:自治县|自治旗|特区|林区|新区|县|市|区|旗)$", "", name)
    return short if len(short) >= 2 else name


@register
class ParagraphCopiedAcrossBureaus(Check):
    """A narrative paragraph with concrete figures is (nearly) the same in another bureau's document.

    What it does: splits passages into paragraphs (≥ 40 characters with ≥ 2 numbers other than years
    and dates, one of them ≥ 10), indexes their character 5-gram shingles with MinHash LSH (datasketch, 128 permutations,
    fixed seed, shingles hashed on arrays) and confirms each candidate pair of *different* bureaus by the exact Jaccard similarity
    (≥ 0.8; honest bureaus of one province stay below ~0.55) and by sharing ≥ 80 % of their numbers.
    The copier is the document whose paragraph names the *other* bureau's place and not its own; failing
    that, the later year; failing that, both are reported (low). Paragraphs found in more than 4
    bureaus (a quoted provincial text) are skipped: a paragraph's confirmation stops at the fifth
    bureau, so a paragraph quoted by k bureaus costs O(k), not O(k²).

    Why it matters: a work report whose concrete achievements (检查147家次, 追回资金…) are another
    county's is not a report of this bureau's work; it usually still names the other county.

    Example: 壶关县 2021 自评报告: “高州市组织开展医保政策宣传进村入户活动34场次，发放宣传资料2514份…”.

    Known false positives: a joint text of two bureaus (市局 and 区局 reporting the same joint campaign);
    the same bureau under two names without a resolved region code.
    """

    code = "CP003"
    name = "paragraph-copied-across-bureaus"
    category = "copy_paste"
    detects = ("paragraph_copied_across_bureaus",)
    label = "段落与其他单位雷同"
    requires = ("frame:passages",)
    scope: ClassVar[str] = "corpus"

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        from datasketch import MinHash, MinHashLSH

        docs = get(frames, "documents")
        meta = {r["document_id"]: r for r in docs.with_columns(unit=unit_key(docs)).iter_rows(named=True)}
        paras = [p for p in _paragraphs(frames) if p["document_id"] in meta]
        if len({meta[p["document_id"]]["unit"] for p in paras}) < 2:
            return CheckResult.of([], [])
        lsh = MinHashLSH(threshold=COPY_JACCARD - 0.1, num_perm=128)
        pairs = set()
        # Query before inserting, so each candidate pair is met once and neither the MinHash objects nor
        # the shingle sets of the whole corpus are kept (they dominated memory at 8k documents).
        # every MinHash of one seed draws the same permutations: draw them once, not once per paragraph
        template = MinHash(num_perm=128, seed=1)
        permutations, scheme = template.permutations, template.scheme
        for i, p in enumerate(paras):
            m = MinHash(num_perm=128, seed=1, permutations=permutations, scheme=scheme, hashfunc=int)
            m.update_batch(_shingle_hashes(p["norm"]).tolist())  # already hashed: int() passes them on
            unit = meta[p["document_id"]]["unit"]
            for j in map(int, lsh.query(m)):
                if meta[paras[j]["document_id"]]["unit"] != unit:
                    pairs.add((j, i))
            lsh.insert(str(i), m)
        confirmed, widespread = self._confirm(paras, meta, pairs)
        hits, evals = [], []
        done = set()
        for i in sorted(widespread):
            evals.append({"document_id": paras[i]["document_id"], "identity": "C-3", "status": "skipped",
                          "reason": f"paragraph found in more than {WIDESPREAD} bureaus (quoted common text)"})
        for i, others in confirmed.items():
            for j in others:
                a, b = paras[i], paras[j]
                ma, mb = meta[a["document_id"]], meta[b["document_id"]]
                copier = self._copier(a, b, ma, mb)
                for side, src in ((a, b), (b, a)):
                    if copier not in (None, side["document_id"]):
                        continue
                    key = (side["document_id"], side["passage_id"], side["i"])
                    if key in done:
                        continue
                    done.add(key)
                    ms, mo = meta[side["document_id"]], meta[src["document_id"]]
                    jac = others[j]
                    names_other = _place(mo["region_name"]) and _place(mo["region_name"]) in side["norm"]
                    msg = (f"{ms['bureau'] or ''}{ms['fiscal_year'] or ''}年文件中的段落“{shorten(side['text'], 70)}”与"
                           f"{mo['bureau'] or '另一单位'}{mo['fiscal_year'] or ''}年文件中的段落几乎相同（5字片段Jaccard相似度{jac:.2f}，"
                           f"数字相同）")
                    msg += (f"，且段落中写的是对方地名“{_place(mo['region_name'])}”" if names_other else "")
                    msg += ("。具体工作成效照抄其他单位，说明该段不是本单位的工作情况。" if copier
                            else "。无法判断谁抄谁，两份文件均列出。")
                    ev = [{"passage_id": side["passage_id"], "page": side["page"], "raw_text": side["text"]},
                          {"document_id": src["document_id"], "bureau": mo["bureau"], "passage_id": src["passage_id"],
                           "page": src["page"], "raw_text": src["text"]}]
                    hits.append({"document_id": side["document_id"],
                                 "location": f"C-3|{side['passage_id']}|{side['i']}",
                                 "kind": "paragraph_copied_across_bureaus", "message": msg,
                                 "evidence": json.dumps(ev, ensure_ascii=False), "expected": "本单位自己的工作情况",
                                 "actual": f"与{mo['bureau'] or src['document_id']}相同（Jaccard {jac:.2f}）",
                                 "difference": f"{jac:.2f}",
                                 "rel_diff": 0.1 if copier else 0.02, "severity": "high" if names_other else
                                 ("medium" if copier else "low")})
                    evals.append({"document_id": side["document_id"], "identity": "C-3", "status": "failed",
                                  "reason": None})
        return CheckResult.of([hits_frame(hits)], [pl.DataFrame(evals)] if evals else [])

    @staticmethod
    def _confirm(paras: list[dict], meta: dict, pairs: set[tuple[int, int]]) -> tuple[dict[int, dict[int, float]], set[int]]:
        """Confirm candidate pairs; a paragraph confirmed in more than ``WIDESPREAD`` other bureaus is
        widespread and its confirmation stops there.

        Work stays linear in the paragraphs quoted by k bureaus: each of the k stops after
        ``WIDESPREAD`` + 1 confirmed bureaus instead of confirming all k - 1 pairs (k² for the
        cluster). The number test (cheap sets) runs before the shingle Jaccard; shingle sets are
        held in a bounded cache, not for the whole corpus. A pair is confirmed once for both sides.
        """
        candidates: dict[int, list[int]] = {}
        for i, j in sorted(pairs):
            candidates.setdefault(i, []).append(j)
            candidates.setdefault(j, []).append(i)
        numbers = {i: set(_numbers(paras[i]["norm"])) for i in candidates}
        shingles = lru_cache(maxsize=SHINGLE_CACHE)(_shingles)
        verdicts: dict[tuple[int, int], float | None] = {}

        def similarity(i: int, j: int) -> float | None:
            key = (i, j) if i < j else (j, i)
            if key not in verdicts:
                ni, nj = numbers[i], numbers[j]
                common = len(ni & nj)
                jac = None
                if common >= 2 and common >= 0.8 * min(len(ni), len(nj)):
                    si, sj = shingles(paras[i]["norm"]), shingles(paras[j]["norm"])
                    value = len(si & sj) / max(1, len(si | sj))
                    jac = value if value >= COPY_JACCARD else None
                verdicts[key] = jac
            return verdicts[key]

        confirmed: dict[int, dict[int, float]] = {}
        widespread: set[int] = set()
        for i in sorted(candidates):
            units = {meta[paras[i]["document_id"]]["unit"]}
            mine: dict[int, float] = {}
            for j in sorted(candidates[i]):
                jac = similarity(i, j)
                if jac is None:
                    continue
                mine[j] = jac
                units.add(meta[paras[j]["document_id"]]["unit"])
                if len(units) > WIDESPREAD:
                    widespread.add(i)
                    break
            if mine and i not in widespread:
                confirmed[i] = mine
        return confirmed, widespread

    @staticmethod
    def _copier(a: dict, b: dict, ma: dict, mb: dict) -> str | None:
        pa, pb = _place(ma["region_name"]), _place(mb["region_name"])
        a_names_b = bool(pb) and pb in a["norm"] and not (pa and pa in a["norm"])
        b_names_a = bool(pa) and pa in b["norm"] and not (pb and pb in b["norm"])
        if a_names_b != b_names_a:
            return a["document_id"] if a_names_b else b["document_id"]
        ya, yb = ma["fiscal_year"], mb["fiscal_year"]
        if ya is not None and yb is not None and ya != yb:
            return a["document_id"] if ya > yb else b["document_id"]
        return None
