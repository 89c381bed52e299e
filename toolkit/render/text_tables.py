"""Tables printed as text the way documents saved as text show them.

- ``pipe``: a Markdown/pipe table, as web pages are saved to Markdown (a ``|---|`` rule under the
  first row);
- ``aligned``: space-aligned columns, as PDF-to-text with layout prints them: columns padded to the
  widest cell (CJK characters count two), figures right-aligned, at least two spaces between columns;
- ``cells``: one cell per line, as a table copied out of a browser or reader view arrives (an empty
  cell is an empty line);
- ``oneline``: the whole table on one line, cells separated by a space, empty cells gone, as text
  extracted from a flattened page runs a table together.

A cell's internal line breaks become spaces in every shape: none of them can hold a break in a cell.
"""

from __future__ import annotations

import unicodedata

from toolkit.normalize.numbers import parse_number
from toolkit.render.layout import padded

COLUMN_GAP = 2


def flat(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pipe_table(rows: list[list[str]]) -> str:
    grid = [[flat(c).replace("|", "｜") for c in r] for r in padded(rows)]
    if not grid:
        return ""
    lines = ["| " + " | ".join(grid[0]) + " |", "|" + "---|" * len(grid[0])]
    lines += ["| " + " | ".join(r) + " |" for r in grid[1:]]
    return "\n".join(lines)


def aligned_table(rows: list[list[str]]) -> str:
    grid = [[flat(c) for c in r] for r in padded(rows)]
    if not grid:
        return ""
    widths = [max(display_width(r[c]) for r in grid) for c in range(len(grid[0]))]
    lines = []
    for r in grid:
        parts = []
        for c, cell in enumerate(r):
            pad = " " * (widths[c] - display_width(cell))
            parts.append(pad + cell if cell and parse_number(cell) is not None else cell + pad)
        lines.append((" " * COLUMN_GAP).join(parts).rstrip())
    return "\n".join(lines)


def cell_lines_table(rows: list[list[str]]) -> str:
    return "\n".join(flat(c) for r in padded(rows) for c in r)


def one_line_table(rows: list[list[str]]) -> str:
    return " ".join(flat(c) for r in padded(rows) for c in r if flat(c))


TEXT_SHAPES = {"pipe": pipe_table, "aligned": aligned_table, "cells": cell_lines_table, "oneline": one_line_table}
