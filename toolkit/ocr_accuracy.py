"""Measure OCR on real table pages: digit accuracy against the page's own text layer, and seconds per page.

A page of a real PDF that has a text layer is rendered to an image (pypdfium2) and wrapped as
an image-only PDF page (reportlab), which the PDF loader then reads by OCR exactly as it would
read a scan. The numbers the loader gets from that page (cells and paragraphs) are compared with
the numbers it gets from the original page's text layer:

* ``numbers_exact``: text-layer numbers found exactly (as a multiset) among the OCR'd numbers;
* ``digit_accuracy``: digits read right, over all digits of the text-layer numbers; a number
  not found exactly is paired with the most similar unpaired OCR'd number and earns its length
  minus the edit distance (a number not read at all earns nothing);
* ``seconds_per_page`` / ``cpu_seconds_per_page``: wall-clock and CPU seconds of the OCR load per
  page (on a shared machine the CPU figure is the one that compares across runs).

Numbers are digit strings of two or more digits (thousands separators dropped), so row numbers
and page footers do not dilute the figure.

Needs the ``ocr`` extra; ``scripts/ocr_accuracy.py`` prints the figures.
"""

from __future__ import annotations

import io
import re
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from toolkit.model import Limits, RawDocument

_NUMBER = re.compile(r"\d[\d,，]*(?:\.\d+)?")
RENDER_SCALE = 2.0  # 144 dpi: a fax/scanner-grade image of the page


@dataclass(slots=True)
class PageScore:
    source: str
    page: int
    numbers: int
    numbers_exact: int
    digits: int
    digits_right: float
    seconds: float
    cpu_seconds: float


def single_page_pdf(data: bytes, page: int) -> bytes:
    """Page ``page`` (1-based) of a PDF as a PDF of its own, text layer kept."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_page(PdfReader(io.BytesIO(data)).pages[page - 1])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_only_pdf(data: bytes, page: int, scale: float = RENDER_SCALE) -> bytes:
    """Page ``page`` rendered to an image and wrapped as a one-page PDF with no text layer."""
    import pypdfium2
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    pdf = pypdfium2.PdfDocument(data)
    try:
        src = pdf[page - 1]
        width, height = src.get_size()
        image = src.render(scale=scale).to_pil().convert("RGB")
        src.close()
    finally:
        pdf.close()
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(width, height))
    c.drawImage(ImageReader(image), 0, 0, width=width, height=height)
    c.showPage()
    c.save()
    return out.getvalue()


def page_numbers(doc: RawDocument) -> list[str]:
    """Digit strings (two digits or more, separators dropped) in every cell and paragraph, in block order."""
    texts: list[str] = []
    for b in doc.blocks:
        if b.kind == "para":
            texts.append(b.text)
        elif b.table is not None:
            texts.extend(c for row in b.table.rows for c in row if c)
    nums = [re.sub(r"[,，]", "", m) for t in texts for m in _NUMBER.findall(t)]
    return [n for n in nums if sum(ch.isdigit() for ch in n) >= 2]


def _levenshtein(a: str, b: str) -> int:
    from rapidfuzz.distance import Levenshtein

    return int(Levenshtein.distance(a, b))


def compare(truth: list[str], read: list[str]) -> tuple[int, float]:
    """(numbers found exactly, digits read right) of ``truth`` among ``read``."""
    t, r = Counter(truth), Counter(read)
    exact = t & r
    right = float(sum(len(n.replace(".", "")) * k for n, k in exact.items()))
    left_t = list((t - exact).elements())
    left_r = list((r - exact).elements())
    for n in left_t:
        if not left_r:
            break
        best = min(left_r, key=lambda m: _levenshtein(n, m))
        left_r.remove(best)
        digits = len(n.replace(".", ""))
        right += max(0, digits - _levenshtein(n.replace(".", ""), best.replace(".", "")))
    return sum(exact.values()), right


def score_page(path: Path, page: int, limits: Limits | None = None) -> PageScore:
    from toolkit.loaders.pdf import load_pdf

    limits = limits or Limits()
    data = path.read_bytes()
    truth = page_numbers(load_pdf(single_page_pdf(data, page), f"{path.name}#{page}", limits))
    scan = image_only_pdf(data, page)
    started, cpu = time.perf_counter(), time.process_time()
    read = page_numbers(load_pdf(scan, f"{path.name}#{page}.scan", limits))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    exact, right = compare(truth, read)
    digits = sum(len(n.replace(".", "")) for n in truth)
    return PageScore(path.name, page, len(truth), exact, digits, right, seconds, cpu)


def summarise(scores: list[PageScore]) -> dict[str, float]:
    numbers = sum(s.numbers for s in scores)
    digits = sum(s.digits for s in scores)
    return {
        "pages": len(scores),
        "numbers": numbers,
        "numbers_exact": sum(s.numbers_exact for s in scores),
        "number_accuracy": sum(s.numbers_exact for s in scores) / numbers if numbers else 0.0,
        "digits": digits,
        "digit_accuracy": sum(s.digits_right for s in scores) / digits if digits else 0.0,
        "seconds_per_page": sum(s.seconds for s in scores) / len(scores) if scores else 0.0,
        "cpu_seconds_per_page": sum(s.cpu_seconds for s in scores) / len(scores) if scores else 0.0,
    }
