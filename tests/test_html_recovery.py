"""Sloppy HTML read as a browser reads it, and every loader accounting for its characters."""

from __future__ import annotations

from toolkit.extract.document import extract_document
from toolkit.loaders import load_bytes
from toolkit.model import Limits


def _load(html: str, name: str = "page.html"):
    return load_bytes(html.encode("utf-8"), name, Limits())


def _extract(raw):
    return extract_document(raw, document_id="d", path=raw.path, sha256="0" * 64, size_bytes=1)


def test_unclosed_font_in_every_cell_keeps_all_400_rows() -> None:
    rows = "".join(f"<tr><td><font color=red>第{i}项支出<td><font>{i}.50" for i in range(400))
    raw = _load(f"<html><body><p>单位：万元</p><table>{rows}</table></body></html>")
    tables = [b.table for b in raw.blocks if b.kind == "table"]
    assert len(tables) == 1
    assert len(tables[0].rows) == 400
    assert tables[0].rows[399] == ["第399项支出", "399.50"]


def test_400_unclosed_div_span_paragraphs_read_400() -> None:
    raw = _load("<html><body>" + "".join(f"<div><span>第{i}段基金支出说明" for i in range(400)) + "</body></html>")
    paras = [b.text for b in raw.blocks if b.kind == "para"]
    assert len(paras) == 400
    assert paras[0] == "第0段基金支出说明" and paras[-1] == "第399段基金支出说明"


def test_255_levels_of_nesting_read_their_text() -> None:
    raw = _load("<html><body>" + "<div>" * 255 + "基金支出1,234.56万元" + "</div>" * 255 + "</body></html>")
    assert not raw.failed
    assert [b.text for b in raw.blocks if b.kind == "para"] == ["基金支出1,234.56万元"]


def test_colspan_rowspan_and_nested_tables() -> None:
    html = (
        "<table><tr><td rowspan=2>项目</td><td colspan=2>决算数</td></tr><tr><td>基本</td><td>项目</td></tr>"
        "<tr><td>合计<table><tr><td>内表</td><td>1</td></tr></table></td><td>3.00</td><td>4.00</td></tr></table>"
    )
    rows = next(b.table.rows for b in _load(html).blocks if b.kind == "table")
    assert rows == [["项目", "决算数", ""], ["", "基本", "项目"], ["合计\n内表 1", "3.00", "4.00"]]


def test_html_characters_are_accounted_for() -> None:
    rows = "".join(f"<tr><td><font>第{i}项支出<td>{i}.50" for i in range(50))
    raw = _load(f"<html><body><h1>2023年度部门决算</h1><script>var x='不可见';</script><table>{rows}</table></body></html>")
    doc = _extract(raw)["documents"]
    assert doc["status"].to_list() == ["ok"]
    assert doc["chars_share"][0] >= 0.95


def test_hello_world_is_not_a_disclosure() -> None:
    for name, data in (("hello.txt", b"hello world\n"), ("two.csv", b"a,b\n1,2\n")):
        raw = load_bytes(data, name, Limits())
        doc = _extract(raw)["documents"]
        assert doc["status"].to_list() == ["not_a_disclosure"], name
        assert "not_a_disclosure" in doc["reason"][0]


def test_dropped_text_makes_the_file_partial() -> None:
    raw = load_bytes("2023年度部门决算说明\n本年收入合计362.62万元。\n".encode(), "a.txt", Limits())
    raw.visible_chars[1].update("未读的文字" * 20)  # characters the loader saw that reached no block
    frames = _extract(raw)
    assert frames["documents"]["status"].to_list() == ["partial"]
    issue = frames["parse_issues"].filter(frames["parse_issues"]["code"] == "chars_dropped")
    assert issue.height == 1 and "page 1" in issue["reason"][0]


def test_every_loader_accounts_for_the_same_document(tmp_path) -> None:
    from tests.test_format_parity import SEED, seed_blocks
    from toolkit.render import write_document

    blocks = seed_blocks(SEED.read_text(encoding="utf-8"))
    seen = {}
    for fmt, style in (("txt", "word"), ("docx", "default"), ("html", "default"), ("xlsx", "default")):
        path = write_document(blocks, tmp_path / f"seed.{fmt}", fmt, style=style)
        doc = _extract(load_bytes(path.read_bytes(), str(path), Limits()))["documents"].row(0, named=True)
        assert doc["status"] == "ok" and doc["chars_share"] >= 0.95, (fmt, doc)
        seen[fmt] = doc["chars_visible"]
    assert len(set(seen.values())) == 1, seen  # the same visible characters whatever the format
