#!/bin/sh
# The DXF fixtures of tests/formats_dxf.rs, made with GDAL 3.6 (ogr2ogr) and Python 3.
# Run from this folder: sh MAKE.sh
set -e

# ogr_r2004.dxf: GDAL's DXF writer (R2004, AC1018, header from GDAL's header.dxf template).
# Lines and a closed ring become LWPOLYLINEs, points POINTs, labels MTEXT (from the OGR_STYLE
# LABEL string). Layer names carry Chinese: GDAL writes them as UTF-8 while its header says
# $DWGCODEPAGE ANSI_1252, so the oracle reads them with --config DXF_ENCODING UTF-8.
ogr2ogr -f DXF ogr_r2004.dxf source.geojson -dialect SQLite -sql \
  "SELECT geometry, Layer, CASE WHEN label IS NULL THEN NULL ELSE 'LABEL(f:\"Arial\",t:\"' || label || '\")' END AS OGR_STYLE FROM source"

# ogr_r2018.dxf: the same through a header template that says R2018 (AC1032), whose text
# is UTF-8 by definition: GDAL reads its Chinese without any option.
sed 's/^AC1018$/AC1032/' /usr/share/gdal/header.dxf > r2018_header.dxf
ogr2ogr -f DXF ogr_r2018.dxf source.geojson -dsco HEADER=r2018_header.dxf -dialect SQLite -sql \
  "SELECT geometry, Layer, CASE WHEN label IS NULL THEN NULL ELSE 'LABEL(f:\"Arial\",t:\"' || label || '\")' END AS OGR_STYLE FROM source"
rm r2018_header.dxf

# r12_gbk.dxf and features_r2000.dxf: written group by group (see the script).
python3 make_hand_dxf.py

# Binary DXFs (GDAL 3.6 neither writes nor reads them): ogr_r2004.dxf with two-byte group
# codes (R13 and later) and r12_gbk.dxf with one-byte codes (R12). The tests check that they
# read exactly as their ASCII originals, which GDAL checks.
python3 to_binary_dxf.py ogr_r2004.dxf ogr_r2004_binary.dxf
python3 to_binary_dxf.py r12_gbk.dxf r12_gbk_binary.dxf
