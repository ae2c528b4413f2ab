#!/usr/bin/env python3
"""Clips the five strategic coordination zones to the plan area.

A zone's outline in `section_sketches.geojson` is OneMap's hand sketch. The plan area is the nine
cities' territories (`layers/city_boundaries.geojson`, Tianditu) plus the waters: the lake, bay,
estuary or sea that each zone is named for. So the clipped zone is

    sketch − foreign land

where land is the basemap's (`assets/basemap/basemap.geojson`; everything else is water) and
foreign land is the mainland outside the nine territories plus every island farther than
ISLAND_REACH_DEG from them. Islands near a territory count as its own: Tianditu's generalised
polygons leave many small islands of Zhoushan and Ningbo out, or trim their coasts, and no city
outside the nine has islands that close to the zones. The sketch keeps all of its water and loses
the land of Hangzhou, Shaoxing, Taizhou and the other cities outside the plan. `tests/plan_data.rs`
applies the same rule. The result replaces the geometry of the same feature
in `layers/sections.geojson`; every property is kept. `tests/plan_data.rs` measures the outcome
(land outside the nine territories under 1 % of each zone's land), independently of this script.

Run from the repository root (shapely 2.2.0, the version the basemap pipeline pins):

    pip install --target /tmp/py shapely==2.2.0 numpy==2.4.6
    PYTHONPATH=/tmp/py python3 layers/pipeline/clip_sections.py

Running it twice gives the same bytes.
"""

import json
import math
import os
import sys

import numpy as np
import shapely
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

DECIMALS = 5
# Parts of a clipped zone smaller than this are slivers left between the sketch and a border.
MIN_PART_KM2 = 1.0
# An island (a part of the basemap land other than the mainland) this close to a territory is its own.
ISLAND_REACH_DEG = 0.1
EARTH_RADIUS_KM = 6371.0088


def read(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def area_km2(geom):
    """Area on the sinusoidal equal-area projection; good to a fraction of a percent here."""

    def project(coords):
        lon, lat = coords[:, 0], coords[:, 1]
        x = EARTH_RADIUS_KM * np.radians(lon) * np.cos(np.radians(lat))
        y = EARTH_RADIUS_KM * np.radians(lat)
        return np.column_stack([x, y])

    return shapely.transform(geom, project).area


def rnd(coords):
    """Rounds a nested coordinate list to DECIMALS, dropping consecutive duplicates on rings."""
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
    gi = mapping(geom)
    return {"type": gi["type"], "coordinates": rnd(json.loads(json.dumps(gi["coordinates"])))}


def write_collection(path, collection):
    """One feature per line, as every file in layers/ is written."""
    head = {k: v for k, v in collection.items() if k != "features"}
    features = collection["features"]
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "features": [\n')
        for i, feat in enumerate(features):
            sep = ",\n" if i + 1 < len(features) else "\n"
            f.write(json.dumps(feat, ensure_ascii=False, separators=(",", ":")) + sep)
        f.write("]}\n")


def without_slivers(geom):
    parts = [p for p in getattr(geom, "geoms", [geom]) if p.geom_type == "Polygon"]
    kept = [p for p in parts if area_km2(p) >= MIN_PART_KM2]
    if not kept:
        raise SystemExit("a zone lost all of its area in clipping")
    return kept[0] if len(kept) == 1 else shapely.MultiPolygon(kept)


def foreign(land, territories):
    """The mainland outside the territories, and the islands out of ISLAND_REACH_DEG of them."""
    parts = sorted(getattr(land, "geoms", [land]), key=lambda p: -p.area)
    mainland, islands = parts[0], parts[1:]
    far = [p for p in islands if p.distance(territories) > ISLAND_REACH_DEG]
    return unary_union([mainland.difference(territories), *far])


def valid_after_rounding(geom):
    g = shapely.set_precision(geom, 10**-DECIMALS)
    return g if g.is_valid else shapely.make_valid(g)


def main():
    repo = sys.argv[1] if len(sys.argv) > 1 else "."
    basemap = read(os.path.join(repo, "assets/basemap/basemap.geojson"))
    land = unary_union(
        [shapely.make_valid(shape(f["geometry"])) for f in basemap["features"] if f["properties"]["layer"] == "land"]
    )
    territories = unary_union(
        [shapely.make_valid(shape(f["geometry"])) for f in read(os.path.join(repo, "layers/city_boundaries.geojson"))["features"]]
    )
    foreign_land = foreign(land, territories)
    sketches = {
        f["properties"]["id"]: shapely.make_valid(shape(f["geometry"]))
        for f in read(os.path.join(repo, "layers/pipeline/section_sketches.geojson"))["features"]
    }
    sections_path = os.path.join(repo, "layers/sections.geojson")
    sections = read(sections_path)
    for feat in sections["features"]:
        zone_id = feat["properties"]["id"]
        sketch = sketches[zone_id]
        clipped = valid_after_rounding(without_slivers(sketch.difference(foreign_land)))
        feat["geometry"] = geometry(clipped)
        before = area_km2(sketch.intersection(foreign_land))
        after = area_km2(clipped.intersection(foreign_land))
        zone_land = area_km2(clipped.intersection(land))
        print(
            f"{zone_id:24s} land {zone_land:7.0f} km²; land outside the nine: "
            f"{before:6.1f} km² before, {after:5.2f} km² after ({100 * after / zone_land:.3f} %)"
        )
    write_collection(sections_path, sections)


if __name__ == "__main__":
    main()
