"""Limits that hold whatever the file: worker memory, PDF streams that expand to gigabytes, CPU-time
(not wall-clock) budgets; and the inputs that used to be refused: UTF-16 without a BOM, a PDF whose
cross-reference table points at the wrong bytes.
"""

from __future__ import annotations

import dataclasses
import resource
import time
from pathlib import Path

import pytest

from toolkit.executor import LocalProcessExecutor
from toolkit.fuzz.hostile import PDF_LINES, broken_xref_pdf, pdf_bytes, stream_bomb_pdf
from toolkit.loaders import load_bytes
from toolkit.loaders.safety import check_pdf_streams, pdf_xref_repaired
from toolkit.loaders.sniff import bomless_utf16, sniff
from toolkit.model import Limits
from toolkit.worker import FileTask, limit_worker_memory, process_file, soft_deadline

REAL_PDF = Path(__file__).resolve().parents[1] / "datasets" / "realdocs" / "dept_budget.pdf"
SEEDS = Path(__file__).resolve().parents[1] / "datasets" / "seeds"
GIB = 1024**3


# ---- work functions for the process pool (module level: workers import them by name)


def allocate_under_a_limit(megabytes: int) -> str:
    """In a worker: cap its memory at 1 GiB, then try to allocate ``megabytes``."""
    assert limit_worker_memory(GIB)
    try:
        block = bytearray(megabytes * 1024 * 1024)
    except MemoryError:
        return "MemoryError"
    return f"allocated {len(block) // 1024 // 1024} MB"


def test_a_worker_caps_its_own_memory_and_survives_hitting_the_cap():
    results = sorted(LocalProcessExecutor(1).map(allocate_under_a_limit, [1536, 16]), key=lambda r: r.index)
    assert [r.value for r in results] == ["MemoryError", "allocated 16 MB"]  # one worker, still alive


def test_the_memory_cap_is_never_set_outside_a_worker():
    before = resource.getrlimit(resource.RLIMIT_DATA), resource.getrlimit(resource.RLIMIT_AS)
    assert limit_worker_memory(GIB) is False
    assert (resource.getrlimit(resource.RLIMIT_DATA), resource.getrlimit(resource.RLIMIT_AS)) == before


def test_out_of_memory_is_a_parse_issue_naming_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from toolkit.loaders import formats

    def exhausts_memory(data: bytes, path: str, limits: Limits):
        raise MemoryError

    txt = formats.by_name()["txt"]
    monkeypatch.setitem(formats.by_name(), "txt", dataclasses.replace(txt, load=exhausts_memory))
    path = tmp_path / "a.txt"
    path.write_text("一、部门概况\n本局负责医疗保障工作。\n", encoding="utf-8")
    limits = Limits(max_worker_memory_bytes=512 * 1024 * 1024)
    result = process_file(FileTask(str(path), str(path), limits))
    assert result.manifest["status"] == "failed"
    assert result.manifest["reason"].startswith("too_large: txt loader failed: MemoryError")
    assert "per-worker limit of 512 MB (max_worker_memory_bytes)" in result.manifest["reason"]


def test_a_pdf_stream_bomb_is_refused_from_its_bytes():
    # the default limit (300 MB) is exercised by the hostile corpus (tests/test_hostile.py); a lower one here
    bomb = stream_bomb_pdf(128 * 1024 * 1024)  # 128 MB of content from a few hundred KB on disk
    assert len(bomb) < 512 * 1024
    t0 = time.process_time()
    doc = load_bytes(bomb, "bomb.pdf", Limits(max_decompressed_bytes=32 * 1024 * 1024))
    assert time.process_time() - t0 < 10  # counted up to the limit, not to the end
    assert doc.failed and [i.code for i in doc.issues] == ["pdf_bomb"]
    assert "max_decompressed_bytes limit of 32.0 MB" in doc.issues[0].reason


def test_the_stream_limit_is_the_total_inflated_size():
    small = stream_bomb_pdf(32 * 1024 * 1024)  # two 16 MB blocks
    (issue,) = check_pdf_streams(small, Limits(max_decompressed_bytes=16 * 1024 * 1024))
    assert issue.code == "pdf_bomb" and issue.fatal and "16.0 MB" in issue.reason
    assert check_pdf_streams(small, Limits(max_decompressed_bytes=33 * 1024 * 1024)) == []


def test_real_pdfs_are_far_below_the_stream_limit():
    assert check_pdf_streams(REAL_PDF.read_bytes(), Limits()) == []
    assert pdf_xref_repaired(REAL_PDF.read_bytes()) is None


def test_the_file_budget_counts_cpu_time_not_sleep():
    with soft_deadline(0.5):
        time.sleep(1.0)  # waiting costs no CPU: not a timeout
    end = time.process_time() + 5
    with pytest.raises(TimeoutError, match="0.5 s CPU budget"), soft_deadline(0.5):
        while time.process_time() < end:
            pass


def test_the_file_budget_has_a_cpu_rlimit_backstop_and_restores_it():
    before = resource.getrlimit(resource.RLIMIT_CPU)
    with soft_deadline(5):
        soft, _ = resource.getrlimit(resource.RLIMIT_CPU)
        used = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
        assert soft != resource.RLIM_INFINITY and used + 5 <= soft <= used + 7
    assert resource.getrlimit(resource.RLIMIT_CPU) == before


def test_the_pdf_page_limit_counts_cpu_time_not_sleep():
    from toolkit.loaders.pdf import _deadline, _PageTimeout

    with _deadline(0.3):
        time.sleep(0.6)
    end = time.process_time() + 5
    with pytest.raises(_PageTimeout), _deadline(0.3):
        while time.process_time() < end:
            pass


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_text_without_a_bom_is_read(encoding: str):
    text = sorted(SEEDS.glob("*.txt"))[0].read_text(encoding="utf-8")
    data = text.encode(encoding)
    assert not data.startswith((b"\xff\xfe", b"\xfe\xff"))
    assert bomless_utf16(data) == encoding
    assert sniff(data, "a.txt").format == "txt"
    doc = load_bytes(data, "a.txt", Limits())
    assert not doc.failed and doc.meta["encoding"] == encoding
    first_line = text.strip().splitlines()[0].strip()
    assert any(first_line in b.text for b in doc.blocks if b.kind == "para")


def test_utf16_without_a_bom_is_not_guessed_for_other_bytes():
    assert bomless_utf16("一、部门概况\n本局负责医疗保障工作。\n".encode()) is None
    assert bomless_utf16(bytes(4096)) is None  # NULs on both sides: binary
    assert bomless_utf16(b"\x00\x01" * 2048) is None  # control characters, not text


def test_a_pdf_with_broken_xref_offsets_is_read_not_empty():
    pdf = pdf_bytes([PDF_LINES] * 3)
    broken = broken_xref_pdf(pdf)
    assert broken != pdf and pdf_xref_repaired(pdf) is None
    doc = load_bytes(broken, "broken.pdf", Limits())
    assert not doc.failed
    assert [i.code for i in doc.issues] == ["repaired"]
    assert sum("收入合计1234.56万元" in b.text for b in doc.blocks if b.kind == "para") == 3
