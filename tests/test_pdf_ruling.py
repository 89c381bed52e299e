"""Ruled-table cells: the same cells as pdfplumber's own intersection/cell search, worked by hand."""

from __future__ import annotations

import random

from pdfplumber.table import TableFinder, TableSettings, edges_to_intersections, intersections_to_cells

from toolkit.loaders.pdf_ruling import (
    _EdgePage,
    _EdgeSource,
    cells,
    find_ruled_tables,
    intersections,
    prepared_edges,
)


def _v(x: float, top: float, bottom: float) -> dict:
    return {"object_type": "line", "orientation": "v", "x0": x, "x1": x, "top": top, "bottom": bottom,
            "doctop": top, "width": 0, "height": bottom - top, "stroke": True, "stroking_color": (0.0, 0.0, 0.0)}


def _h(y: float, x0: float, x1: float) -> dict:
    return {"object_type": "line", "orientation": "h", "x0": x0, "x1": x1, "top": y, "bottom": y,
            "doctop": y, "width": x1 - x0, "height": 0, "stroke": True, "stroking_color": (0.0, 0.0, 0.0)}


def _grid(merged_top_middle: bool = False) -> list[dict]:
    middle = _v(10, 10, 20) if merged_top_middle else _v(10, 0, 20)
    return [_v(0, 0, 20), middle, _v(20, 0, 20), _h(0, 0, 20), _h(10, 0, 20), _h(20, 0, 20)]


def test_two_by_two_grid_has_four_cells_in_corner_order():
    assert cells(intersections(_grid())) == [
        (0, 0, 10, 10), (0, 10, 10, 20), (10, 0, 20, 10), (10, 10, 20, 20),
    ]


def test_a_missing_rule_merges_two_cells():
    # no rule between the two top cells: one cell spans the full width of the top row
    assert cells(intersections(_grid(merged_top_middle=True))) == [
        (0, 0, 20, 10), (0, 10, 10, 20), (10, 10, 20, 20),
    ]


def test_same_cells_as_pdfplumber_on_an_irregular_grid():
    edges = _grid(merged_top_middle=True) + [
        _v(30.5, 0.4, 20.6), _h(20.8, 9.5, 31.0), _v(5, 12, 19), _h(15, 4, 11), _h(0.7, 19.6, 30.9),
    ]
    for tol in (1, 3):
        ours = cells(intersections(edges, tol, tol))
        theirs = intersections_to_cells(edges_to_intersections(edges, tol, tol))
        assert ours == theirs
        assert ours  # the grid is not empty


def test_a_page_with_one_vertical_rule_has_no_ruled_table():
    assert find_ruled_tables([_v(0, 0, 20), _h(0, 0, 20), _h(10, 0, 20)], (0, 0, 100, 100)) == []


def test_a_grid_is_found_as_one_table():
    (table,) = find_ruled_tables(_grid(), (0, 0, 100, 100))
    assert table.bbox == (0, 0, 20, 20)
    assert len(table.cells) == 4


def _random_edges(rng: random.Random, n: int) -> list[dict]:
    """Rules on a coarse grid with jitter (so that snapping and joining have work to do),
    some too short to count, some white, some as rectangle edges."""
    out = []
    for _ in range(n):
        a, b = sorted(rng.uniform(0, 200) for _ in range(2))
        at = rng.choice([10, 50, 90, 130]) + rng.choice([0, 0, 0.3, -1.7, 2.9, 4.5])
        if rng.random() < 0.1:
            b = a + rng.uniform(0, 3.5)  # short
        kind = rng.choice(["line", "rect_edge", "curve_edge"])
        edge = _v(at, a, b) if rng.random() < 0.5 else _h(at, a, b)
        edge["object_type"] = kind
        out.append(edge)
    return out


def _boxes(edges: list[dict]) -> list[tuple]:
    return [(e["orientation"], e["x0"], e["top"], e["x1"], e["bottom"], e["width"], e["height"]) for e in edges]


def test_prepared_edges_are_pdfplumbers_own():
    rng = random.Random(14)
    for case in range(200):
        edges = _random_edges(rng, rng.randint(2, 40))
        v = [e for e in edges if e["orientation"] == "v"]
        h = [e for e in edges if e["orientation"] == "h"]
        settings_list = [{"vertical_strategy": "lines", "horizontal_strategy": "lines",
                          "snap_tolerance": rng.choice([0, 1, 3]), "join_tolerance": rng.choice([0, 3])}]
        if len(v) >= 2 and len(h) >= 2:
            settings_list.append({"vertical_strategy": "explicit", "horizontal_strategy": "explicit",
                                  "explicit_vertical_lines": v, "explicit_horizontal_lines": h})
        for table_settings in settings_list:
            settings = TableSettings.resolve(table_settings)
            theirs = TableFinder.get_edges(_EdgeSource(_EdgePage(edges, (0, 0, 200, 200)), settings))
            assert _boxes(prepared_edges(edges, settings)) == _boxes(theirs), (case, table_settings)


def test_prepared_edges_snap_and_join_by_hand():
    # two verticals 2 apart snap to their mean (x = 11); the two pieces of the lower
    # horizontal join across their 2-point gap; the 2-point stub is too short to count
    edges = [_v(10, 0, 50), _v(12, 0, 50), _h(50, 0, 20), _h(50, 22, 40), _h(0, 0, 2)]
    settings = TableSettings.resolve({"vertical_strategy": "lines", "horizontal_strategy": "lines"})
    assert _boxes(prepared_edges(edges, settings)) == [
        ("h", 0, 50, 40, 50, 40, 0),
        ("v", 11.0, 0, 11.0, 50, 0, 50),
    ]
