#!/bin/sh
# Makes the Shapefile fixtures of tests/formats_shapefile.rs from the GeoJSON in src/ with
# GDAL's ogr2ogr (the oracle; OneMap itself never links GDAL). Made with GDAL 3.6.2.
# Run from anywhere: sh tests/data/formats/shapefile/MAKE.sh
set -eu
cd "$(dirname "$0")"
rm -f ./*.shp ./*.shx ./*.dbf ./*.prj ./*.cpg ./*.zip
rm -rf bundle

# GBK attributes and field names, then the .cpg deleted: the case QGIS gets wrong. GDAL
# writes no language driver (byte 29 is 0) for ENCODING=GBK, so the encoding must be guessed.
ogr2ogr -f "ESRI Shapefile" -lco ENCODING=GBK cities_gbk.shp src/cities.geojson
rm cities_gbk.cpg

# The same in UTF-8, with its .cpg (UTF-8).
ogr2ogr -f "ESRI Shapefile" -lco ENCODING=UTF-8 cities_utf8.shp src/cities.geojson

# Polygons: one with a hole, a multipolygon of two parts one of which has a hole, a plain one.
ogr2ogr -f "ESRI Shapefile" -lco ENCODING=UTF-8 parcels.shp src/parcels.geojson

# The same in CGCS2000 / 3-degree Gauss-Kruger CM 120E (EPSG:4549): the .prj is passed on.
ogr2ogr -f "ESRI Shapefile" -lco ENCODING=UTF-8 -t_srs EPSG:4549 parcels_gk.shp src/parcels.geojson

# Lines with Z (a PolylineZ file), one multi-part, and a feature without geometry (a null shape).
ogr2ogr -f "ESRI Shapefile" -lco ENCODING=UTF-8 -dim XYZ lines_z.shp src/lines_z.geojson

# A zip of two Shapefiles in a folder.
mkdir -p bundle/data
ogr2ogr -f "ESRI Shapefile" -lco ENCODING=UTF-8 bundle/data/parcels.shp src/parcels.geojson
ogr2ogr -f "ESRI Shapefile" -lco ENCODING=UTF-8 bundle/data/cities.shp src/cities.geojson
(cd bundle && python3 -m zipfile -c ../bundle.zip data)
rm -rf bundle

# A zip without any .shp.
python3 -m zipfile -c no_shp.zip src/cities.geojson

# A zip as Chinese Windows makes it: member names in GBK bytes, with no UTF-8 flag (Info-ZIP
# stores the bytes of the names as they are on disk).
mkdir -p gbk_names
for ext in shp shx dbf prj; do
  cp "cities_gbk.$ext" "gbk_names/$(printf '\263\307\312\320').$ext"  # 城市 in GBK
done
(cd gbk_names && LC_ALL=C zip -q -X ../gbk_names.zip ./*)
rm -rf gbk_names
