#!/bin/sh
# The GeoPackage fixtures, made by GDAL (ogr2ogr 3.6.2) from the small GeoJSON files beside
# this script (UTF-8, 中文 names and values). Run from this folder: sh MAKE.sh
set -e
rm -f gdal.gpkg tiles_only.gpkg

# One GeoPackage with five vector tables, each testing one thing:
#   站点  points, reprojected to CGCS2000 / 3-degree Gauss-Kruger CM 120E (EPSG:4549): srs_id
#         with organization EPSG; text, integer, real, boolean, date fields, nulls, & < > "
ogr2ogr -f GPKG gdal.gpkg stations.geojson -nln 站点 -t_srs EPSG:4549
#   线路  lines with Z (dropped on reading), a LineString and a MultiLineString, EPSG:4326
ogr2ogr -f GPKG -update gdal.gpkg lines.geojson -nln 线路 -nlt GEOMETRY
#   地块  a polygon with a hole and a multipolygon, no spatial index
ogr2ogr -f GPKG -update gdal.gpkg parcels.geojson -nln 地块 -nlt GEOMETRY -lco SPATIAL_INDEX=NO
#   custom  the same parcels in a transverse Mercator with no EPSG code: the SRS is WKT only
ogr2ogr -f GPKG -update gdal.gpkg parcels.geojson -nln custom -nlt GEOMETRY -lco SPATIAL_INDEX=NO \
  -t_srs '+proj=tmerc +lat_0=0 +lon_0=121.4666666667 +k=1 +x_0=0 +y_0=-3457147.81 +ellps=krass +units=m +no_defs'
#   混合  a geometry collection, a multipoint and a feature without geometry
ogr2ogr -f GPKG -update gdal.gpkg mixed.geojson -nln 混合 -nlt GEOMETRY -lco SPATIAL_INDEX=NO

# A GeoPackage with a tile table only (no vector table): a 2x2 raster
printf 'ncols 2\nnrows 2\nxllcorner 121\nyllcorner 31\ncellsize 0.01\n1 2\n3 4\n' > tiny.asc
gdal_translate -q -of GPKG -ot Byte -a_srs EPSG:4326 tiny.asc tiles_only.gpkg -co RASTER_TABLE=卫星影像
rm -f tiny.asc tiny.asc.aux.xml

# Smaller pages, same content: SQLite's VACUUM rewrites the files with 1 KiB pages (GDAL uses
# 4 KiB), so that the committed fixtures stay small. application_id and user_version are kept.
for f in gdal.gpkg tiles_only.gpkg; do
  python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA page_size=1024'); c.execute('VACUUM'); c.close()" "$f"
done
