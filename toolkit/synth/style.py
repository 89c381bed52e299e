"""How a bureau writes: unit, number style, table layout, wording preferences and artefacts.

Bureaus of one province share a :class:`ProvinceStyle` (the province's template and habits);
each bureau draws its own :class:`BureauStyle` from it with some independence, so documents of
one province resemble each other without being copies.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from toolkit.synth.money import fmt_amount, fmt_pct, to_fullwidth_digits


@dataclass(slots=True)
class ProvinceStyle:
    spend_factor: float  # per-capita spending level of the province's bureaus
    unit_yuan_prob: float
    national_numbering: bool  # 三公 as 07 (national) or 09 (湖南-style, seed 004)
    hierarchical_prob: float
    preferred: dict[str, int] = field(default_factory=dict)  # section -> preferred phrasing


@dataclass(slots=True)
class BureauStyle:
    unit: str  # 万元|元
    thousands: bool
    strip_zeros: bool
    zero_blank: bool
    hierarchical: bool
    national_numbering: bool
    txt_style: str
    fullwidth_prob: float
    bookmarks: bool
    page_lines: bool
    split_tables: bool
    phrasing: dict[str, int] = field(default_factory=dict)
    rng_seed: int = 0

    # ---- number printing ---------------------------------------------------------
    def amt(self, v: int | None, blank_zero: bool | None = None) -> str:
        """A table cell for a ledger amount."""
        if v is None:
            return ""
        if v == 0 and (self.zero_blank if blank_zero is None else blank_zero):
            return ""
        return fmt_amount(v, thousands=self.thousands and self.unit == "元", strip=self.strip_zeros)

    def money(self, v: int) -> str:
        """An amount in running text, with its unit."""
        return fmt_amount(v, thousands=self.thousands and self.unit == "元", strip=self.strip_zeros) + self.unit

    def pct(self, p) -> str:
        return fmt_pct(p, strip=self.strip_zeros)

    def maybe_fullwidth(self, text: str, rng: random.Random) -> str:
        return to_fullwidth_digits(text) if rng.random() < self.fullwidth_prob else text


SECTIONS_PREFERENCE_STRENGTH = 0.5  # chance a bureau follows its province's preferred phrasing


def draw_province_style(rng: random.Random, sections: dict[str, int]) -> ProvinceStyle:
    return ProvinceStyle(
        spend_factor=rng.uniform(0.7, 1.5),
        unit_yuan_prob=rng.choice((0.1, 0.2, 0.4)),
        national_numbering=rng.random() < 0.5,
        hierarchical_prob=rng.choice((0.2, 0.5, 0.8)),
        preferred={s: rng.randrange(n) for s, n in sections.items()},
    )


def draw_bureau_style(rng: random.Random, prov: ProvinceStyle, sections: dict[str, int]) -> BureauStyle:
    unit = "元" if rng.random() < prov.unit_yuan_prob else "万元"
    phrasing = {
        s: (prov.preferred[s] if rng.random() < SECTIONS_PREFERENCE_STRENGTH else rng.randrange(n))
        for s, n in sections.items()
    }
    return BureauStyle(
        unit=unit,
        thousands=rng.random() < 0.6,
        strip_zeros=unit == "万元" and rng.random() < 0.4,
        zero_blank=rng.random() < 0.7,
        hierarchical=rng.random() < prov.hierarchical_prob,
        national_numbering=prov.national_numbering,
        txt_style=rng.choice(("tsv", "tsv", "tsv", "word")),
        fullwidth_prob=rng.choice((0.0, 0.0, 0.05)),
        bookmarks=rng.random() < 0.2,
        page_lines=rng.random() < 0.3,
        split_tables=rng.random() < 0.15,
        phrasing=phrasing,
        rng_seed=rng.randrange(1 << 30),
    )
