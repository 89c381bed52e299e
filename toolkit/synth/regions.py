"""Real counties and districts for the synthetic corpus, and how bureaus are sampled from them.

The shipped reference table (``datasets/reference/regions.csv``, read by ``toolkit.reference``)
is preferred when it is present; otherwise a small hard-coded list of real county-level
divisions with their GB/T 2260 codes is used. Populations (万人, resident, rounded) are
approximate orders of magnitude used only to scale synthetic budgets; for reference-table rows
without a population a stable pseudo-population (20–120 万, hashed from the code) is used.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import random
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Region:
    code: str  # 6-digit GB/T 2260
    name: str  # 平江县
    city: str  # 岳阳市 ('' for municipalities' districts)
    province: str  # 湖南省
    level: str  # county|district|city
    population_wan: float  # resident population, 万人 (approximate)

    @property
    def bureau(self) -> str:
        return f"{self.name}医疗保障局"

    @property
    def full_bureau(self) -> str:
        """The 部门：line form: city prefix + county bureau, as seed 004 prints it."""
        return f"{self.city}{self.name}医疗保障局"

    @property
    def short(self) -> str:
        """Name without the level suffix, for phrases like 全县/全区."""
        return self.name

    @property
    def scope_word(self) -> str:
        if self.name.endswith("区"):
            return "全区"
        if self.name.endswith("市"):
            return "全市"
        return "全县"


# (code, name, city, province, population 万人) — codes are GB/T 2260 county-level codes.
_FALLBACK: tuple[tuple[str, str, str, str, float], ...] = (
    ("430121", "长沙县", "长沙市", "湖南省", 138.0),
    ("430181", "浏阳市", "长沙市", "湖南省", 146.0),
    ("430182", "宁乡市", "长沙市", "湖南省", 129.0),
    ("430602", "岳阳楼区", "岳阳市", "湖南省", 93.0),
    ("430621", "岳阳县", "岳阳市", "湖南省", 63.0),
    ("430623", "华容县", "岳阳市", "湖南省", 56.0),
    ("430624", "湘阴县", "岳阳市", "湖南省", 61.0),
    ("430626", "平江县", "岳阳市", "湖南省", 89.0),
    ("430681", "汨罗市", "岳阳市", "湖南省", 63.0),
    ("430525", "洞口县", "邵阳市", "湖南省", 70.0),
    ("430903", "赫山区", "益阳市", "湖南省", 78.0),
    ("430921", "南县", "益阳市", "湖南省", 59.0),
    ("430923", "安化县", "益阳市", "湖南省", 81.0),
    ("430703", "鼎城区", "常德市", "湖南省", 72.0),
    ("430726", "石门县", "常德市", "湖南省", 57.0),
    ("620702", "甘州区", "张掖市", "甘肃省", 51.0),
    ("620722", "民乐县", "张掖市", "甘肃省", 21.0),
    ("620723", "临泽县", "张掖市", "甘肃省", 13.0),
    ("620724", "高台县", "张掖市", "甘肃省", 14.0),
    ("620725", "山丹县", "张掖市", "甘肃省", 17.0),
    ("500120", "璧山区", "", "重庆市", 77.0),
    ("500116", "江津区", "", "重庆市", 136.0),
    ("500117", "合川区", "", "重庆市", 124.0),
    ("500118", "永川区", "", "重庆市", 115.0),
    ("500151", "铜梁区", "", "重庆市", 69.0),
    ("500153", "荣昌区", "", "重庆市", 67.0),
    ("130102", "长安区", "石家庄市", "河北省", 69.0),
    ("130104", "桥西区", "石家庄市", "河北省", 64.0),
    ("130108", "裕华区", "石家庄市", "河北省", 67.0),
    ("130123", "正定县", "石家庄市", "河北省", 54.0),
    ("130125", "行唐县", "石家庄市", "河北省", 41.0),
    ("532525", "石屏县", "红河哈尼族彝族自治州", "云南省", 29.0),
    ("532524", "建水县", "红河哈尼族彝族自治州", "云南省", 53.0),
    ("532503", "蒙自市", "红河哈尼族彝族自治州", "云南省", 59.0),
    ("532504", "弥勒市", "红河哈尼族彝族自治州", "云南省", 56.0),
    ("530624", "大关县", "昭通市", "云南省", 25.0),
    ("510923", "大英县", "遂宁市", "四川省", 42.0),
    ("510981", "射洪市", "遂宁市", "四川省", 84.0),
    ("510921", "蓬溪县", "遂宁市", "四川省", 48.0),
    ("510903", "船山区", "遂宁市", "四川省", 72.0),
    ("341525", "霍山县", "六安市", "安徽省", 31.0),
    ("341524", "金寨县", "六安市", "安徽省", 49.0),
    ("341523", "舒城县", "六安市", "安徽省", 73.0),
    ("341502", "金安区", "六安市", "安徽省", 85.0),
)


def _level(name: str) -> str:
    if name.endswith("区"):
        return "district"
    if name.endswith("市"):
        return "city"
    return "county"


def fallback_regions() -> list[Region]:
    return [Region(c, n, city, prov, _level(n), pop) for c, n, city, prov, pop in _FALLBACK]


def _pseudo_population(code: str) -> float:
    """A stable population guess for reference rows without one (20–120 万)."""
    h = int(hashlib.sha256(code.encode()).hexdigest()[:8], 16)
    return round(20 + (h % 1000) / 10.0, 1)


def _reference_regions() -> list[Region] | None:
    """County-level rows of the shipped reference table, or None when it is not there yet."""
    path = Path(__file__).resolve().parents[2] / "datasets" / "reference" / "regions.csv"
    if not path.exists():
        return None
    try:
        with path.open(encoding="utf-8-sig") as f:
            rows = list(csv.DictReader(f))
    except (OSError, csv.Error, UnicodeDecodeError) as exc:
        log.warning("regions.csv unreadable (%s); using the built-in region list", exc)
        return None
    by_code = {r.get("code", ""): r for r in rows}
    out: list[Region] = []
    for r in rows:
        code = (r.get("code") or "").strip()
        name = (r.get("name") or "").strip()
        level = (r.get("level") or "").strip()
        if len(code) != 6 or not name or level not in ("county", "district"):
            continue
        if (r.get("status") or "current").strip() not in ("", "current"):
            continue  # abolished or renamed divisions (即墨市 -> 即墨区) would date the documents
        city_row = by_code.get(code[:4] + "00") or {}
        prov_row = by_code.get(code[:2] + "0000") or {}
        province = (r.get("province") or prov_row.get("name") or "").strip()
        city = (r.get("city") or city_row.get("name") or "").strip()
        if not province:
            continue
        if city == province or city in ("市辖区", "县"):
            city = ""
        pop_raw = (r.get("population_wan") or "").strip()
        try:
            pop = float(pop_raw) if pop_raw else _pseudo_population(code)
        except ValueError:
            pop = _pseudo_population(code)
        out.append(Region(code, name, city, province, level, pop))
    return out or None


def load_regions() -> list[Region]:
    ref = _reference_regions()
    if ref:
        return ref
    return fallback_regions()


def sample_regions(n: int, rng: random.Random, regions: list[Region] | None = None) -> list[Region]:
    """Pick ``n`` distinct regions clustered in a few provinces (peers need company).

    Provinces are drawn first so that every province used holds several bureaus: peer
    comparisons (per-capita spending within a province) need at least 3–4 bureaus.
    """
    pool = regions or load_regions()
    by_prov: dict[str, list[Region]] = {}
    for r in pool:
        by_prov.setdefault(r.province, []).append(r)
    provinces = sorted(p for p, rs in by_prov.items() if len(rs) >= 3)
    rng.shuffle(provinces)
    chosen: list[Region] = []
    per_prov = max(4, min(12, n // max(1, min(len(provinces), 6)) + 1))
    for p in provinces:
        cand = sorted(by_prov[p], key=lambda r: r.code)
        rng.shuffle(cand)
        chosen.extend(cand[: min(per_prov, n - len(chosen))])
        if len(chosen) >= n:
            break
    if len(chosen) < n:  # more bureaus than the list holds: reuse regions (distinct bureaus by suffix)
        rest = [r for r in pool if r not in chosen]
        rng.shuffle(rest)
        chosen.extend(rest[: n - len(chosen)])
    while len(chosen) < n:
        chosen.append(chosen[len(chosen) % max(1, len(pool))])
    return chosen[:n]
