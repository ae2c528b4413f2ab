#!/bin/sh
# The KML/KMZ fixtures. Run from this folder: sh MAKE.sh
#
# google_earth.kml and ovital.kml are written by hand after files exported by Google Earth Pro
# (Document, Style/StyleMap, LookAt, gx: extensions, gx:Track, ExtendedData/Data) and by
# 奥维互动地图 (KML 2.2, nested Folder/Placemark, inline <Style>, coordinates with altitude and a
# trailing space). They are not made by a program; the rest is.
set -e
rm -f gdal.kml gdal_libkml.kmz google_earth.kmz ovital.kmz no_kml.kmz

# GDAL's KML driver (ogr2ogr 3.6.2): a Folder per layer, Schema + SchemaData/SimpleData typed
# fields, from the GeoPackage fixture made from the 中文 GeoJSON files in ../gpkg (站点 is in
# EPSG:4549 there; the KML driver writes WGS84).
ogr2ogr -f KML gdal.kml ../gpkg/gdal.gpkg 站点 地块 混合

# GDAL's LIBKML driver writes a KMZ whose doc.kml only links to layers/stations.kml inside the
# archive. (ASCII layer name: GDAL 3.6 writes the names of KMZ entries in CP437 and loses 中文.)
ogr2ogr -f LIBKML gdal_libkml.kmz ../gpkg/stations.geojson -nln stations

# KMZ files as Google Earth and 奥维 save them, zipped with Python's zipfile (deflate):
#   google_earth.kmz: doc.kml and an icon; ovital.kmz: no doc.kml, the KML in a 中文-named
#   folder (UTF-8 names); no_kml.kmz: an icon only (must be refused clearly).
python3 - <<'PY'
import zipfile
png = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c63f8cfc0f01f0005000201a5f6a4b60000000049454e44ae426082")
def kmz(name, entries):
    with zipfile.ZipFile(name, "w", zipfile.ZIP_DEFLATED) as z:
        for arcname, data in entries:
            z.writestr(arcname, data)
ge = open("google_earth.kml", "rb").read()
ov = open("ovital.kml", "rb").read()
kmz("google_earth.kmz", [("doc.kml", ge), ("files/ylw-pushpin.png", png)])
kmz("ovital.kmz", [("files/ovital_mark.png", png), ("奥维/规划.kml", ov)])
kmz("no_kml.kmz", [("files/ovital_mark.png", png)])
PY
