"""Ruled tables of a PDF page: pdfplumber's lattice finder over the page's visible ruling edges.

Step 2 of :mod:`toolkit.loaders.pdf`. The edges (pdfplumber edge dicts, from either PDF
source) go through pdfplumber's edge preparation (length filter, snapping, joining), its
ruling intersections, the smallest cell at each, and its grouping of cells into tables.
The grouping is pdfplumber's own code; the steps before it are pdfplumber's algorithms
computed here: the edges as short lists while they are snapped and joined (pdfplumber
copies every edge dict at each move), the edges at each intersection held as sets once and
the points below/right of a corner looked up by coordinate (pdfplumber rebuilds both for
every pair of points it compares). Same edges, same intersections, same cells, same order;
the tests compare them with pdfplumber's own functions.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from statistics import median

from pdfplumber.table import Table, TableFinder, TableSettings, cells_to_tables

_TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
_BBOX = itemgetter("x0", "top", "x1", "bottom")  # pdfplumber's edge identity (utils.obj_to_bbox)
_SLACK = 1e-3  # a coarse bisect window this much wider than the tolerance; the exact test follows

Point = tuple[float, float]
Bbox = tuple[float, float, float, float]


@dataclass(slots=True)
class _EdgePage:
    """What pdfplumber's ``TableFinder`` reads from a page with the ``lines``/``explicit`` strategies."""

    edges: list[dict]
    bbox: tuple[float, float, float, float]


@dataclass(slots=True)
class _EdgeSource:
    """The two attributes ``TableFinder.get_edges`` reads from its finder."""

    page: _EdgePage
    settings: TableSettings


def find_tables(edges: list[dict], bbox: tuple[float, float, float, float], table_settings: dict) -> list[Table]:
    """pdfplumber's ``TableFinder(page, settings).tables`` over these edges."""
    page = _EdgePage(edges, bbox)
    settings = TableSettings.resolve(table_settings)
    prepared = prepared_edges(edges, settings)
    if prepared is None:  # a strategy or a line description only pdfplumber's own code knows
        prepared = TableFinder.get_edges(_EdgeSource(page, settings))  # type: ignore[arg-type]
    points = intersections(prepared, settings.intersection_x_tolerance, settings.intersection_y_tolerance)
    return [Table(page, group) for group in cells_to_tables(cells(points))]


def prepared_edges(edges: list[dict], settings: TableSettings) -> list[dict] | None:
    """pdfplumber's ``TableFinder.get_edges`` for the ``lines`` and ``explicit`` strategies with
    edge dicts as the explicit lines: the same edges in the same order, as dicts of orientation
    and box only (what the intersection search reads). pdfplumber copies every edge dict at
    each snap and join; here an edge is a short list until the end. None for what it does not
    cover (the ``text`` strategies, lines given as numbers or as rect/curve objects)."""
    strategies = (settings.vertical_strategy, settings.horizontal_strategy)
    if any(s not in ("lines", "explicit") for s in strategies):
        return None
    base = settings.edge_min_length_prefilter
    by_orientation: dict[str, list[list]] = {"v": [], "h": []}
    for orientation, strategy, explicit in (("v", strategies[0], settings.explicit_vertical_lines),
                                            ("h", strategies[1], settings.explicit_horizontal_lines)):
        out = by_orientation[orientation]
        if strategy == "explicit" and len(explicit or []) < 2:
            return None  # pdfplumber's own code says what is wrong
        if strategy == "lines":  # utils.filter_edges(page.edges, orientation, min_length=prefilter)
            dim = "height" if orientation == "v" else "width"
            out.extend(_edge_row(e) for e in edges if e["orientation"] == orientation and e[dim] >= base)
        for desc in explicit or []:  # utils.obj_to_edges of each explicit line
            if not isinstance(desc, dict):
                return None
            kind = desc["object_type"]
            if "_edge" in kind:
                e_orientation = desc["orientation"]
            elif kind == "line":
                e_orientation = "h" if desc["top"] == desc["bottom"] else "v"
            else:
                return None
            if e_orientation == orientation:
                out.append(_edge_row(desc))
    v, h = by_orientation["v"], by_orientation["h"]
    if settings.snap_x_tolerance > 0 or settings.snap_y_tolerance > 0:
        v, h = _snap(v, 0, settings.snap_x_tolerance), _snap(h, 1, settings.snap_y_tolerance)
    joined = _join(h, True, settings.join_x_tolerance) + _join(v, False, settings.join_y_tolerance)
    min_length = settings.edge_min_length
    return [{"orientation": "h" if is_h else "v", "x0": x0, "top": top, "x1": x1, "bottom": bottom,
             "width": width, "height": height}
            for is_h, x0, top, x1, bottom, width, height in joined
            if (width if is_h else height) >= min_length]


def _edge_row(e: dict) -> list:
    """An edge as [is horizontal, x0, top, x1, bottom, width, height] (the stored width and
    height: pdfplumber's length filters read those, not the box)."""
    return [e["orientation"] == "h", e["x0"], e["top"], e["x1"], e["bottom"], e.get("width"), e.get("height")]


def _snap(rows: list[list], axis: int, tolerance: float) -> list[list]:
    """pdfplumber's ``snap_objects``: edges whose position (x0 of a vertical, top of a
    horizontal) chain within ``tolerance`` move to the cluster's mean, clusters in position
    order, edges in input order within each."""
    if not rows:
        return []
    at = 1 if axis == 0 else 2  # x0 or top
    values = sorted({r[at] for r in rows})
    cluster_of: dict[float, int] = {}
    k = 0
    for prev, value in zip([values[0], *values], values, strict=False):
        if tolerance and value > prev + tolerance:
            k += 1
        elif not tolerance and value != prev:
            k += 1
        cluster_of[value] = k
    clusters: dict[int, list[list]] = {}
    for r in rows:
        clusters.setdefault(cluster_of[r[at]], []).append(r)
    out: list[list] = []
    lo, hi = (1, 3) if axis == 0 else (2, 4)  # the two coordinates a move shifts
    for k in sorted(clusters):
        members = clusters[k]
        mean = sum([r[at] for r in members]) / len(members)
        for r in members:  # moved in place: every row is a list of this module's own
            shift = mean - r[at]
            r[lo], r[hi] = r[lo] + shift, r[hi] + shift
        out.extend(members)
    return out


def _join(rows: list[list], horizontal: bool, tolerance: float) -> list[list]:
    """pdfplumber's ``merge_edges`` after snapping, for one orientation: edges on one line
    (same top of a horizontal, same x0 of a vertical), in position order, joined where one
    starts within ``tolerance`` of where the previous ends."""
    key = 2 if horizontal else 1  # the line an edge lies on: top (horizontal) or x0 (vertical)
    lo, hi = (1, 3) if horizontal else (2, 4)
    size = 5 if horizontal else 6  # the stored width or height a resize updates
    groups: dict[float, list[list]] = {}
    for r in sorted(rows, key=itemgetter(key)):
        groups.setdefault(r[key], []).append(r)
    out: list[list] = []
    for line in groups.values():
        line.sort(key=itemgetter(lo))
        joined = [line[0]]
        for r in line[1:]:
            last = joined[-1]
            if r[lo] <= last[hi] + tolerance:
                if r[hi] > last[hi]:
                    grown = list(last)
                    if horizontal:  # resize_object(last, "x1", ...)
                        grown[size] = r[hi] - last[lo]
                    else:  # resize_object(last, "bottom", ...)
                        grown[size] = last[size] + (r[hi] - last[hi])
                    grown[hi] = r[hi]
                    joined[-1] = grown
            else:
                joined.append(r)
        out.extend(joined)
    return out


def intersections(edges: list[dict], x_tolerance: float = 1, y_tolerance: float = 1) -> dict[Point, tuple[set, set]]:
    """Where a vertical and a horizontal edge meet (within the tolerances), with the vertical
    and the horizontal edges (as bounding boxes) through each point: pdfplumber's
    ``edges_to_intersections``, the horizontals looked up by bisecting their heights."""
    verticals = sorted((e for e in edges if e["orientation"] == "v"), key=itemgetter("x0", "top"))
    horizontals = sorted((e for e in edges if e["orientation"] == "h"), key=itemgetter("top", "x0"))
    h_rows = [(h["top"], h["x0"], h["x1"], _BBOX(h)) for h in horizontals]
    h_tops = [row[0] for row in h_rows]
    out: dict[Point, tuple[set, set]] = {}
    for v in verticals:
        vx, vtop, vbottom = v["x0"], v["top"], v["bottom"]
        vbox = None
        lo = bisect_left(h_tops, vtop - y_tolerance - _SLACK)
        hi = bisect_right(h_tops, vbottom + y_tolerance + _SLACK)
        for htop, hx0, hx1, hbox in h_rows[lo:hi]:
            if vtop <= htop + y_tolerance and vbottom >= htop - y_tolerance and hx0 - x_tolerance <= vx <= hx1 + x_tolerance:
                vbox = vbox or _BBOX(v)
                at = out.get((vx, htop))
                if at is None:
                    at = out[(vx, htop)] = (set(), set())
                at[0].add(vbox)
                at[1].add(hbox)
    return out


def cells(points: dict[Point, tuple[set, set]]) -> list[Bbox]:
    """The smallest cell with its top-left corner at each intersection: pdfplumber's
    ``intersections_to_cells`` (corners in sorted order; the first point below, then the
    first point to the right, whose four corners are joined by common edges)."""
    ordered = sorted(points)
    column: dict[float, list[Point]] = {}  # same x, in sorted order
    row: dict[float, list[Point]] = {}  # same y, in sorted order
    for pt in ordered:
        column.setdefault(pt[0], []).append(pt)
        row.setdefault(pt[1], []).append(pt)

    def connects(p1: Point, p2: Point) -> bool:
        if p1[0] == p2[0] and not points[p1][0].isdisjoint(points[p2][0]):
            return True
        return p1[1] == p2[1] and not points[p1][1].isdisjoint(points[p2][1])

    out: list[Bbox] = []
    for pt in ordered:
        same_x, same_y = column[pt[0]], row[pt[1]]
        below = same_x[same_x.index(pt) + 1:]
        right = same_y[same_y.index(pt) + 1:]
        cell = _smallest_cell(pt, below, right, points, connects)
        if cell is not None:
            out.append(cell)
    return out


def _smallest_cell(pt: Point, below: list[Point], right: list[Point], points: dict, connects) -> Bbox | None:
    for below_pt in below:
        if not connects(pt, below_pt):
            continue
        for right_pt in right:
            if not connects(pt, right_pt):
                continue
            corner = (right_pt[0], below_pt[1])
            if corner in points and connects(corner, right_pt) and connects(corner, below_pt):
                return (pt[0], pt[1], corner[0], corner[1])
    return None


def find_ruled_tables(edges: list[dict], bbox: tuple[float, float, float, float]) -> list[Table]:
    """pdfplumber's lattice finder on the page's *visible* ruling lines.

    Spreadsheet exports paint white background rectangles (e.g. over the title block
    above a table); their invisible edges would pull the title into the grid. A cell
    needs two vertical edges (horizontal ones may be closing edges drawn across
    verticals): a page with fewer has no ruled table.
    """
    if sum(1 for e in edges if e["orientation"] == "v") < 2:
        return []
    visible = [e for e in edges if not _invisible(e)]
    closing = _closing_edges(visible)
    if len(visible) == len(edges) and not closing:
        return find_tables(edges, bbox, _TABLE_SETTINGS)
    v = [e for e in visible if e["orientation"] == "v"]
    h = [e for e in visible if e["orientation"] == "h"] + closing
    if len(v) < 2 or len(h) < 2:
        return []
    return find_tables(edges, bbox, {
        "vertical_strategy": "explicit",
        "horizontal_strategy": "explicit",
        "explicit_vertical_lines": v,
        "explicit_horizontal_lines": h,
    })


def _closing_edges(visible: list[dict], tol: float = 3.0) -> list[dict]:
    """Close a grid whose column rules run past its last drawn row line.

    Word leaves the top border off a table continued from the previous page (and the
    bottom border off one cut at the page end): the first row then has rules on its
    sides only. Where two or more vertical rules end at the same height with no
    horizontal line there, draw one across them.
    """
    verticals = [e for e in visible if e["orientation"] == "v" and e["bottom"] - e["top"] > tol]
    horizontals = sorted((e for e in visible if e["orientation"] == "h" and e["x1"] - e["x0"] > tol),
                         key=itemgetter("top"))
    h_tops = [h["top"] for h in horizontals]
    out: list[dict] = []
    for end in ("top", "bottom"):
        groups: dict[int, list[dict]] = {}
        for e in verticals:
            groups.setdefault(round(e[end] / tol), []).append(e)
        for members in groups.values():
            xs = sorted({round(e["x0"]) for e in members})
            if len(xs) < 2:
                continue
            y = median(e[end] for e in members)
            x0, x1 = min(e["x0"] for e in members), max(e["x1"] for e in members)
            near = horizontals[bisect_left(h_tops, y - tol - _SLACK):bisect_right(h_tops, y + tol + _SLACK)]
            if any(abs(h["top"] - y) <= tol and h["x0"] < x1 and h["x1"] > x0 for h in near):
                continue
            out.append({"object_type": "synthetic_edge", "orientation": "h", "x0": x0, "x1": x1,
                        "top": y, "bottom": y, "width": x1 - x0, "height": 0.0})
    return out


def _is_white(color) -> bool:
    try:
        return _is_white_value(color)
    except TypeError:  # a list (pdfminer's colour of some spaces): not hashable, not cached
        return _white(color)


@lru_cache(maxsize=1024)
def _is_white_value(color) -> bool:
    return _white(color)


def _white(color) -> bool:
    if color is None or isinstance(color, str):
        return False
    values = color if isinstance(color, (tuple, list)) else (color,)
    if not values or not all(isinstance(x, (int, float)) for x in values):
        return False
    if len(values) == 4:  # CMYK: white is no ink
        return all(x <= 0.05 for x in values)
    return all(x >= 0.95 for x in values)


def _invisible(edge: dict) -> bool:
    """An edge nobody sees: a white fill without outline, or a white stroke."""
    if edge.get("object_type") == "rect_edge" and edge.get("fill") and not edge.get("stroke"):
        return _is_white(edge.get("non_stroking_color"))
    if edge.get("stroke", True):
        return _is_white(edge.get("stroking_color"))
    return False
