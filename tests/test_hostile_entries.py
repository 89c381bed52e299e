"""Directory entries that are not plain, well-named files: each one listed in the manifest with its reason.

Fast: the walk is tested on its own (``collect_files``), and one serial ingest checks the name that is
not UTF-8 end to end (it used to abort the run while writing the manifest).
"""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl
import pytest

from toolkit.executor import SerialExecutor
from toolkit.inputs import Unread, collect_files, printable, unread_row
from toolkit.pipeline import ingest

GBK_NAME = "医保局报告".encode("gbk") + b".txt"
# The same bytes with every non-ASCII byte written \xNN (worked out from the GBK code points by hand).
GBK_SHOWN = r"\xd2\xbd\xb1\xa3\xbe\xd6\xb1\xa8\xb8\xe6.txt"
TEXT = "一、部门概况\n本局负责医疗保障工作。2021年度收入合计1,234.56万元。\n"


def _walk(root: Path, **kwargs) -> tuple[list[str], dict[str, Unread]]:
    unread: list[Unread] = []
    found = collect_files([root], unread, **kwargs)
    prefix = str(root) + "/"
    return [shown.removeprefix(prefix) for _, shown in found], {u.shown.removeprefix(prefix): u for u in unread}


def test_a_name_that_is_not_utf8_is_read_and_shown_escaped(tmp_path: Path):
    with open(os.fsencode(tmp_path) + b"/" + GBK_NAME, "wb") as fh:
        fh.write(TEXT.encode("gbk"))
    run = ingest([tmp_path], tmp_path / "out", executor=SerialExecutor())
    (row,) = run.manifest.to_dicts()
    assert row["path"] == f"{tmp_path}/{GBK_SHOWN}"
    assert row["status"] in {"ok", "not_a_disclosure"} and row["sha256"] is not None
    on_disk = pl.read_csv(tmp_path / "out" / "manifest.csv")
    assert on_disk["path"].to_list() == [f"{tmp_path}/{GBK_SHOWN}"]


def test_printable_escapes_only_the_parts_that_are_not_text():
    name = os.fsdecode(b"/data/\xe5\x8c\xbb\xe4\xbf\x9d/" + GBK_NAME)  # 医保 (UTF-8) / GBK name
    assert printable(name) == f"/data/医保/{GBK_SHOWN}"
    assert printable("/data/医保/报告.txt") == "/data/医保/报告.txt"


def test_every_entry_is_read_or_listed(tmp_path: Path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / ".env").write_text("SECRET=1")
    (tmp_path / "~$a.docx").write_bytes(b"lock")
    (tmp_path / "notes.md").write_text("# notes")
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "loop").symlink_to("loop")
    (tmp_path / "gone.txt").symlink_to("nowhere.txt")
    (tmp_path / "alias.txt").symlink_to("a.txt")
    (tmp_path / "null").symlink_to("/dev/null")
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "b.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "d" / "up").symlink_to("..")
    found, unread = _walk(tmp_path)
    assert found == ["a.txt", "d/b.txt"]
    expected = {
        ".env": ("skipped", "hidden"),
        "~$a.docx": ("skipped", "lock file"),
        "notes.md": ("skipped", "companion file"),
        "pipe": ("skipped", "named pipe"),
        "loop": ("failed", "loop"),
        "gone.txt": ("failed", "dangling"),
        "alias.txt": ("skipped", "same file as"),
        "null": ("skipped", "outside the input folders"),
        "d/up": ("skipped", "already walked"),
    }
    assert set(unread) == set(expected)
    for name, (status, word) in expected.items():
        assert unread[name].status == status and word in unread[name].reason, (name, unread[name])
    # a FIFO is listed without being opened (opening it would block) and has no size
    assert unread_row(unread["pipe"])["size_bytes"] is None
    assert unread_row(unread["notes.md"])["size_bytes"] == len("# notes")


def test_links_out_of_the_inputs_are_followed_only_when_asked(tmp_path: Path):
    inputs, outside = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    outside.mkdir()
    (outside / "x.txt").write_text(TEXT, encoding="utf-8")
    (inputs / "x.txt").symlink_to(outside / "x.txt")
    (inputs / "dev").symlink_to("/dev/null")
    found, unread = _walk(inputs)
    assert found == [] and {u.status for u in unread.values()} == {"skipped"}
    found, unread = _walk(inputs, follow_links=True)
    assert found == ["x.txt"]
    assert unread["dev"].status == "skipped" and "character device" in unread["dev"].reason


def test_a_link_between_two_input_folders_is_inside(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "y.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "a" / "y.txt").symlink_to(tmp_path / "b" / "y.txt")
    unread: list[Unread] = []
    found = collect_files([tmp_path / "a", tmp_path / "b"], unread)
    assert [shown for _, shown in found] == [str(tmp_path / "a" / "y.txt")]
    assert [u.reason for u in unread] == [f"same file as {tmp_path / 'a' / 'y.txt'} (another name for it); read once"]


def test_a_directory_that_cannot_be_listed_is_failed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "ok.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "x.txt").write_text(TEXT, encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path):  # root reads a chmod-000 folder anyway: the refusal is simulated
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found, unread = _walk(tmp_path)
    assert found == ["ok.txt"]
    assert unread["locked"].status == "failed"
    assert unread["locked"].reason == "directory cannot be listed: Permission denied"


def test_explicit_files_are_always_read(tmp_path: Path):
    (tmp_path / ".hidden.txt").write_text(TEXT, encoding="utf-8")
    found = collect_files([tmp_path / ".hidden.txt", tmp_path / "missing.txt"])
    assert [shown for _, shown in found] == [str(tmp_path / ".hidden.txt"), str(tmp_path / "missing.txt")]
