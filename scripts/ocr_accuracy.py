"""Print OCR digit accuracy and seconds per page on real table pages rendered as image-only PDF pages.

Usage (needs the ``ocr`` extra)::

    python scripts/ocr_accuracy.py                      # the default pages below
    python scripts/ocr_accuracy.py FILE.pdf:PAGE ...    # other pages (1-based)

Each page of a real PDF with a text layer is rendered at 144 dpi, wrapped as an image-only PDF
page and read by the PDF loader's OCR path; its numbers are compared with those of the
original page's text layer (see ``toolkit.ocr_accuracy``).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from toolkit.loaders.ocr import ocr_available  # noqa: E402
from toolkit.ocr_accuracy import score_page, summarise  # noqa: E402

REALDOCS = ROOT / "datasets" / "realdocs"
DEFAULT_PAGES = [
    ("dept_budget.pdf", 11),  # 部门预算 支出总表 (ruled, two-line header)
    ("上海市普陀区规划和自然资源局 2024 年度部门决算.pdf", 16),  # 基本支出决算表, two lanes
    ("中共上海市普陀区委社会工作部 2024 年度部门决算.pdf", 13),  # 项目支出决算表
]


def main(argv: list[str]) -> int:
    if not ocr_available():
        print("the OCR extra is not installed: pip install 'yibao-audit[ocr]'")
        return 2
    pages = [(Path(a.rsplit(":", 1)[0]), int(a.rsplit(":", 1)[1])) for a in argv] or [
        (REALDOCS / name, page) for name, page in DEFAULT_PAGES
    ]
    scores = []
    for path, page in pages:
        s = score_page(path, page)
        scores.append(s)
        print(f"{s.source} p{s.page}: {s.numbers_exact}/{s.numbers} numbers exact, "
              f"digits {s.digits_right:.0f}/{s.digits}, {s.seconds:.1f} s ({s.cpu_seconds:.1f} s CPU)")
    total = summarise(scores)
    print(f"total: {total['pages']} pages, {total['numbers_exact']}/{total['numbers']} numbers exact "
          f"({total['number_accuracy']:.3f}), digit accuracy {total['digit_accuracy']:.4f} over {total['digits']} digits, "
          f"{total['seconds_per_page']:.1f} s per page ({total['cpu_seconds_per_page']:.1f} s CPU)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
