"""Ruled-table cells: the same cells as pdfplumber's own intersection/cell search, worked by hand."""

from __future__ import annotations

from pdfplumber.table import edges_to_intersections, intersections_to_cells

from toolkit.loaders.pdf_ruling import cells, find_ruled_tables, intersections


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
