"""Generate bureau-years in memory: regions, finance chains, drafts and injected anomalies.

Nothing here writes files (see ``toolkit.synth.corpus``), so tests can check hundreds of
bureau-years quickly. Same seed, same corpus.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from toolkit.synth import anomalies as an
from toolkit.synth.documents import Context, bureau_year_documents
from toolkit.synth.draft import DocDraft
from toolkit.synth.finance import BureauYear, build_year, draw_profile
from toolkit.synth.narrative import SECTION_SIZES
from toolkit.synth.regions import Region, load_regions, sample_regions
from toolkit.synth.style import BureauStyle, draw_bureau_style, draw_province_style

LAST_YEAR = 2023
BUREAU_SUFFIXES = ("医疗保障局", "医疗保障事务中心", "医疗保障服务中心")


@dataclass(slots=True)
class BureauYearDocs:
    region: Region
    bureau: str
    year: int
    finance: BureauYear
    prev: BureauYear
    style: BureauStyle
    drafts: dict[str, DocDraft]
    labels: list[an.Label] = field(default_factory=list)
    dir_name: str = ""

    @property
    def clean(self) -> bool:
        return not self.labels


def plan_kinds(n_slots: int, rng: random.Random) -> list[str]:
    """Round-robin over all kinds (shuffled) so every kind appears as soon as slots allow."""
    kinds = list(an.TEXT_KINDS) + list(an.MODEL_KINDS)
    out: list[str] = []
    while len(out) < n_slots:
        batch = kinds[:]
        rng.shuffle(batch)
        out.extend(batch)
    return out[:n_slots]


def generate(
    n_bureaus: int,
    years: int,
    seed: int = 0,
    anomaly_rate: float = 0.3,
    last_year: int = LAST_YEAR,
    regions: list[Region] | None = None,
) -> list[BureauYearDocs]:
    rng = random.Random(seed)
    regions = sample_regions(n_bureaus, rng, regions or load_regions())
    year_list = list(range(last_year - years + 1, last_year + 1))

    # anomaly plan: which bureau-years, which kinds
    slots = [(b, y) for b in range(n_bureaus) for y in year_list]
    chosen = [s for s in slots if rng.random() < anomaly_rate]
    kinds = plan_kinds(len(chosen), rng)
    plan: dict[tuple[int, int], list[str]] = {}
    peer_bureaus: dict[int, int] = {}  # bureau -> the year its peer_outlier slot was drawn
    jump_years: dict[int, float] = {}
    for (b, y), k in zip(chosen, kinds, strict=True):
        if k == "yoy_jump" and y != year_list[-1]:
            # a jump is only clean-safe in the last year (the next year would show the drop):
            # move it to this bureau's last year and give this slot a text kind
            jump_years.setdefault(b, rng.uniform(2.5, 3.5))
            k = rng.choice(an.TEXT_KINDS)
        if k == "peer_outlier":
            if b in peer_bureaus:  # already an outlier in every year: take a text kind for this slot
                plan.setdefault((b, y), []).append(rng.choice(an.TEXT_KINDS))
            peer_bureaus.setdefault(b, y)
            continue
        if k == "yoy_jump":
            jump_years[b] = rng.uniform(2.5, 3.5)
        plan.setdefault((b, y), []).append(k)
    # a peer outlier needs peers: at most a third of a province's bureaus
    by_prov: dict[str, list[int]] = {}
    for i, r in enumerate(regions):
        by_prov.setdefault(r.province, []).append(i)
    for members in by_prov.values():
        outl = [b for b in members if b in peer_bureaus]
        for b in outl[max(1, len(members) // 3):]:
            y = peer_bureaus.pop(b)
            plan.setdefault((b, y), []).append(rng.choice(an.TEXT_KINDS))
    for b in peer_bureaus:
        for y in year_list:
            plan.setdefault((b, y), []).insert(0, "peer_outlier")
    for b in jump_years:
        plan.setdefault((b, year_list[-1]), []).insert(0, "yoy_jump")

    prov_styles = {p: draw_province_style(random.Random(f"{seed}-{p}"), SECTION_SIZES) for p in by_prov}
    seen_names: dict[str, int] = {}
    out: list[BureauYearDocs] = []
    for b, region in enumerate(regions):
        brng = random.Random(f"{seed}-b{b}-{region.code}")
        pst = prov_styles[region.province]
        st = draw_bureau_style(brng, pst, SECTION_SIZES)
        k = seen_names.get(region.code, 0)
        seen_names[region.code] = k + 1
        bureau = region.name + BUREAU_SUFFIXES[k % len(BUREAU_SUFFIXES)]
        if k >= len(BUREAU_SUFFIXES):
            bureau = f"{region.name}{BUREAU_SUFFIXES[k % 3]}第{k // 3 + 1}分局"
        full = f"{region.city}{bureau}"
        profile = draw_profile(brng, pst.spend_factor, years + 1)
        base_scale = 3.0 if b in peer_bureaus else 1.0
        growth = 1.0
        carry = 0
        fund_prev = None
        prev: BureauYear | None = None
        for t, year in enumerate([year_list[0] - 1, *year_list]):
            growth *= profile.growth[t]
            scale = base_scale * growth
            if year == year_list[-1] and b in jump_years:
                scale *= jump_years[b]
            by = build_year(rng=brng, profile=profile, bureau=bureau, full_name=full, region_code=region.code,
                            province=region.province, population_wan=region.population_wan, year=year,
                            unit=st.unit, scale=scale, carry_begin=carry, fund_prev=fund_prev)
            carry, fund_prev = by.carry_end, by.fund
            if prev is not None:
                ctx = Context(region=region, by=by, prev=prev, st=st, rng=random.Random(f"{seed}-{b}-{year}"))
                drafts = {d.doc_type: d for d in bureau_year_documents(ctx)}
                out.append(BureauYearDocs(region, bureau, year, by, prev, st, drafts,
                                          dir_name=f"{bureau}_{region.code}" if k else bureau))
            prev = by

    _inject_all(out, plan, regions, seed)
    return out


def _inject_all(items: list[BureauYearDocs], plan: dict[tuple[int, int], list[str]], regions: list[Region],
                seed: int) -> None:
    index = {}
    b = -1
    last_region = None
    for it in items:  # items are ordered bureau by bureau, years ascending
        if (it.region, it.bureau) != last_region:
            b += 1
            last_region = (it.region, it.bureau)
        index[(b, it.year)] = it
    # work paragraphs of other bureaus, taken before any edit
    work = {key: it.drafts["dept_self_eval"].paras("eval.work")[0].text for key, it in index.items()}
    for (b, year), kinds in sorted(plan.items()):
        it = index.get((b, year))
        if it is None:
            continue
        rng = random.Random(f"{seed}-inject-{b}-{year}")
        peers = [txt for (ob, oy), txt in work.items() if ob != b and oy == year]
        target = an.Target(drafts=it.drafts, year=year, unit=it.style.unit, strip=it.style.strip_zeros, rng=rng,
                           peer_work_paragraphs=peers)
        for kind in kinds:
            if kind in an.MODEL_KINDS:
                new_labels = _model_labels(it, kind)
            else:
                label = an.inject(kind, target)
                if label is None:  # not applicable to this bureau-year: fall back to a kind that always applies
                    label = an.inject("template_residue", target)
                new_labels = [label] if label is not None else []
            for label in new_labels:
                label.bureau = it.bureau
                label.region_code = it.region.code
                label.fiscal_year = year
                it.labels.append(label)


def _model_labels(it: BureauYearDocs, kind: str) -> list[an.Label]:
    """The scaled amounts appear in the 部门决算 (01表 本年支出合计) and the 部门整体自评 (全年执行数)."""
    by, st = it.finance, it.style
    if kind == "peer_outlier":
        normal = int(by.expense_total / 3.0)
        desc = f"人均支出约为全省同级医保局的3倍（本年支出合计{st.money(by.expense_total)}）"
    else:
        normal = it.prev.expense_total
        desc = (f"本年支出合计{st.money(by.expense_total)}，较上年{st.money(normal)}跳增约"
                f"{by.expense_total / max(1, normal):.1f}倍")
    return [
        an.Label("final_accounts", kind, "收入支出决算总表/本年支出合计", st.money(by.expense_total),
                 st.money(normal), desc),
        an.Label("dept_self_eval", kind, "部门整体支出绩效自评表/年度资金总额/全年执行数", st.money(by.expense_total),
                 st.money(normal), desc),
    ]
