#!/bin/sh
# The CSV fixtures of tests/formats_csv.rs, made with GDAL 3.6 (ogr2ogr) and Python 3 from the
# project's own layers. Run from this folder: sh MAKE.sh
set -e
LAYERS=../../../../layers

# ogr_cities_xy.csv: GDAL's CSV writer with GEOMETRY=AS_XY: columns X, Y, then the fields;
# UTF-8 without a byte-order mark; the nine cities of the plan.
ogr2ogr -f CSV ogr_cities_xy.csv $LAYERS/cities.geojson -lco GEOMETRY=AS_XY \
  -select name_zh,name_en,province,tier,population_2020,land_area_km2

# ogr_cities_semicolon.csv: the same with SEPARATOR=SEMICOLON.
ogr2ogr -f CSV ogr_cities_semicolon.csv $LAYERS/cities.geojson -lco GEOMETRY=AS_XY \
  -lco SEPARATOR=SEMICOLON -select name_zh,name_en,tier

# ogr_cities_gk.csv: projected to CGCS2000 3-degree Gauss-Krueger zone 40 with the zone in
# front of the easting (EPSG:4528): X, Y in metres.
ogr2ogr -f CSV ogr_cities_gk.csv $LAYERS/cities.geojson -t_srs EPSG:4528 -lco GEOMETRY=AS_XY \
  -select name_zh,tier

# ogr_corridors_wkt.csv: the corridors (lines) as a WKT column (GEOMETRY=AS_WKT), with the
# UTF-8 byte-order mark GDAL writes on request (WRITE_BOM=YES).
ogr2ogr -f CSV ogr_corridors_wkt.csv $LAYERS/corridors.geojson -lco GEOMETRY=AS_WKT \
  -select name_zh,kind -lco WRITE_BOM=YES

# Hand-made tables, as planners' spreadsheets save them (see the script).
python3 make_hand_csv.py
