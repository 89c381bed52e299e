"""HTML rendition: ``<p>`` paragraphs and bordered ``<table>``s, as government CMS pages print them."""

from __future__ import annotations

from html import escape
from pathlib import Path

from toolkit.model import Block
from toolkit.render.layout import padded

PAGE_BREAK = '<div style="page-break-after: always"></div>'


def _cell(text: str) -> str:
    return "<td>" + "<br>".join(escape(line) for line in text.split("\n")) + "</td>"


def render_html(blocks: list[Block], charset: str = "utf-8") -> str:
    title = next((b.text for b in blocks if b.kind == "para" and b.text.strip()), "")
    out = [
        "<!DOCTYPE html>",
        f'<html><head><meta charset="{charset}"><title>{escape(title)}</title></head><body>',
    ]
    for b in blocks:
        if b.kind == "para":
            out.append("<p>" + "<br>".join(escape(line) for line in b.text.split("\n")) + "</p>")
        elif b.kind == "page_break":
            out.append(PAGE_BREAK)
        elif b.kind == "table" and b.table is not None:
            out.append('<table border="1" cellspacing="0" cellpadding="2">')
            if b.table.caption:
                out.append(f"<caption>{escape(b.table.caption)}</caption>")
            out.extend("<tr>" + "".join(_cell(c) for c in row) + "</tr>" for row in padded(b.table.rows))
            out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def write_html(blocks: list[Block], path: Path, options: frozenset[str]) -> None:
    if "gbk" in options:
        path.write_bytes(render_html(blocks, "gb18030").encode("gb18030"))
    else:
        path.write_text(render_html(blocks), encoding="utf-8")
