"""HTML pages -> paragraphs and tables in document order.

Government sites publish 决算 and 绩效 reports as CMS pages, often in GBK/GB18030. The
charset comes from a BOM, else the ``<meta>`` declaration, else strict UTF-8, else
detection. Paragraphs are the text of block elements (p, div, h1-h6, li, td outside a
table ...); tables expand ``rowspan``/``colspan`` with the text once and covered positions
empty; nested tables are flattened into their cell's text; scripts and styles are ignored.
"""

from __future__ import annotations

import codecs
import re

from lxml import etree
from lxml import html as lxml_html

from toolkit.loaders.formats import Format
from toolkit.model import Block, Limits, LoadIssue, RawDocument

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_BLOCK_TAGS = {
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "nav",
    "aside",
    "blockquote",
    "pre",
    "address",
    "center",
    "form",
    "fieldset",
    "figure",
    "figcaption",
    "body",
    "html",
    "hr",
    "caption",
    "summary",
    "details",
}
_IGNORED = {
    "script",
    "style",
    "noscript",
    "template",
    "head",
    "title",
    "meta",
    "link",
    "iframe",
    "object",
    "svg",
}
_SPACE = re.compile(r"[ \t\r\n\f\v]+")  # ASCII whitespace only: &nbsp; and 　 are content
_PAGE_BREAK_STYLE = re.compile(
    r"page-break-(?:before|after)\s*:\s*always|break-(?:before|after)\s*:\s*page", re.I
)
# GBK and GB2312 pages routinely contain GB18030-only characters; GB18030 is their superset.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "iso-8859-1": "cp1252",
    "ascii": "utf-8",
    "us-ascii": "utf-8",
    "big5": "big5hkscs",
}


def canonical_encoding(name: str) -> str | None:
    try:
        codec = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
    return _SUPERSETS.get(codec, codec)


def detect_encoding(data: bytes, declared: str | None = None) -> str:
    """BOM, then a declared charset that decodes, then strict UTF-8, then charset-normalizer, then GB18030."""
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return enc
    candidates = [canonical_encoding(declared)] if declared else []
    candidates.append("utf-8")
    for enc in candidates:
        if enc:
            try:
                data.decode(enc)
                return enc
            except UnicodeDecodeError:
                pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        return canonical_encoding(best.encoding) or "gb18030"
    return "gb18030"


def _collapse(text: str) -> str:
    return _SPACE.sub(" ", text)


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.buffer: list[str] = []

    def flush(self) -> None:
        text = "".join(self.buffer)
        text = "\n".join(line.strip() for line in text.split("\n")).strip()
        if text:
            self.blocks.append(Block.para(text))
        self.buffer = []

    def walk(self, el: etree._Element) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if not tag or tag in _IGNORED:  # comments, processing instructions, scripts
            return
        if tag == "table":
            self.flush()
            rows = table_rows(el)
            if any(any(c.strip() for c in r) for r in rows):
                caption = el.find("caption")
                cap = _collapse(caption.text_content()).strip() if caption is not None else ""
                self.blocks.append(Block.tab(rows, caption=cap))
            return
        block = tag in _BLOCK_TAGS
        if block:
            self.flush()
        if _PAGE_BREAK_STYLE.search(el.get("style", "")) and "before" in el.get("style", "").lower():
            self.blocks.append(Block("page_break"))
        if tag == "br":
            self.buffer.append("\n")
        if el.text:
            self.buffer.append(el.text if tag == "pre" else _collapse(el.text))
        for child in el:
            self.walk(child)
            if child.tail:
                self.buffer.append(_collapse(child.tail))
        if block:
            self.flush()
        if _PAGE_BREAK_STYLE.search(el.get("style", "")) and "after" in el.get("style", "").lower():
            self.flush()
            self.blocks.append(Block("page_break"))


def _cell_text(cell: etree._Element) -> str:
    """Cell text with <br> and block children as line breaks; nested tables one line per row."""
    parts: list[str] = []

    def walk(el: etree._Element) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if not tag or tag in _IGNORED:
            return
        if tag == "table":
            for row in table_rows(el):
                parts.append("\n" + " ".join(c for c in row if c) + "\n")
            return
        if tag == "br" or (tag in _BLOCK_TAGS and el is not cell):
            parts.append("\n")
        if el.text:
            parts.append(_collapse(el.text))
        for child in el:
            walk(child)
            if child.tail:
                parts.append(_collapse(child.tail))

    walk(cell)
    lines = (line.strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _span(el: etree._Element, attr: str) -> int:
    try:
        return min(max(int(re.sub(r"\D", "", el.get(attr, "1")) or 1), 1), 1000)
    except ValueError:
        return 1


def _own_rows(table: etree._Element) -> list[etree._Element]:
    rows: list[etree._Element] = []
    for child in table:
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(c for c in child if isinstance(c.tag, str) and c.tag.lower() == "tr")
    return rows


def table_rows(table: etree._Element) -> list[list[str]]:
    """The table's grid with rowspan/colspan expanded: text once, covered positions empty."""
    grid: dict[tuple[int, int], str] = {}
    covered: set[tuple[int, int]] = set()
    n_rows = n_cols = 0
    for r, tr in enumerate(_own_rows(table)):
        c = 0
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag.lower() not in ("td", "th"):
                continue
            while (r, c) in covered:
                c += 1
            rs, cs = _span(cell, "rowspan"), _span(cell, "colspan")
            grid[(r, c)] = _cell_text(cell)
            for dr in range(rs):
                for dc in range(cs):
                    if dr or dc:
                        covered.add((r + dr, c + dc))
            c += cs
            n_cols = max(n_cols, c)
        n_rows = r + 1
    return [[grid.get((r, c), "") for c in range(n_cols)] for r in range(n_rows)]


def load_html(data: bytes, path: str, limits: Limits) -> RawDocument:
    doc = RawDocument(path=path, format="html")
    m = _META_CHARSET.search(data[:4096])
    try:
        encoding = detect_encoding(data, m.group(1).decode("ascii", "ignore") if m else None)
        text = data.decode(encoding, errors="replace")
        if "\ufffd" in text:
            doc.issues.append(
                LoadIssue("encoding", f"bytes not valid in {encoding} were replaced", severity="low")
            )
        root = lxml_html.document_fromstring(text[: limits.max_text_chars] or "<html></html>")
    except Exception as exc:  # noqa: BLE001 - bad input never crashes
        doc.issues.append(
            LoadIssue(
                "unreadable", f"cannot parse the HTML page: {type(exc).__name__}: {exc}", "high", fatal=True
            )
        )
        return doc
    doc.meta["encoding"] = encoding
    title = root.find(".//title")
    if title is not None and title.text_content().strip():
        doc.meta["title"] = _collapse(title.text_content()).strip()
    walker = _Walker()
    body = root.find("body")
    walker.walk(body if body is not None else root)
    walker.flush()
    doc.blocks = walker.blocks
    if not doc.blocks:
        doc.issues.append(LoadIssue("empty", "the HTML page has no text", severity="high", fatal=True))
    return doc


HTML_START = re.compile(
    rb"^(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|table|div|p[\s>]|style|script|link|center|font|h[1-6])",
    re.IGNORECASE | re.DOTALL,
)

FORMATS = (
    Format("html", "HTML page", (".htm", ".html", ".shtml", ".xhtml"), load_html, text=True, signature=HTML_START),
)
