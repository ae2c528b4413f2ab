#!/bin/sh
# Fixtures of projected GeoJSON, as GDAL writes it (the old `crs` member), from the plan's
# cities layer. Run from this folder with GDAL's ogr2ogr.
set -e
ogr2ogr -f GeoJSON -t_srs EPSG:4528 -lco COORDINATE_PRECISION=3 cities_4528.geojson ../../../../layers/cities.geojson
# The same without its `crs` member: a CRS nobody declared, for the guess.
sed 's/"crs".*EPSG::4528" } },//' cities_4528.geojson > cities_gk_undeclared.geojson
