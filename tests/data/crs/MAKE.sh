#!/usr/bin/env bash
# Makes the CRS fixtures of tests/crs_accuracy.rs with PROJ itself (cs2cs/projinfo from Debian's
# proj-bin, PROJ 9.1.1 here) and GDAL (gdalsrsinfo, ogr2ogr). Nothing here comes from OneMap.
#
#   cd tests/data/crs && bash MAKE.sh
#
# points.txt   121 lon lat (WGS84): each of the nine cities' centres with four neighbours 0.25°
#              away diagonally, a 1° × 0.5° grid over 118–123°E × 28.5–33°N, and points on both
#              sides of the 6° zone edge at 120°E and far out at 118/123.5°E (a 6° zone is
#              stressed 6.5° off its meridian here).
# epsg<N>.txt  lon lat x y: the points through `cs2cs EPSG:4326 EPSG:<N>`, easting first
#              (EPSG orders the Gauss–Krüger axes northing, easting; cs2cs follows EPSG).
# proj<N>.txt  the same for a PROJ string a user may type (proj-strings.txt, one a line).
# esri.txt     EPSG <TAB> the ESRI WKT GDAL writes into a .prj (`gdalsrsinfo -o wkt_esri`),
#              for every EPSG code the module supports.
# wkt1/, wkt2/ the OGC WKT1 (GDAL flavour) and WKT2:2019 texts of one CRS per family.
# prj/         .prj files written by ogr2ogr beside a one-point shapefile (the .prj kept only).
set -euo pipefail
cd "$(dirname "$0")"
export LC_ALL=C

# --- points -----------------------------------------------------------------------------------
{
  # The nine cities: 上海 苏州 无锡 常州 南通 宁波 嘉兴 舟山 湖州 (centres, degrees).
  for c in "121.47 31.23" "120.62 31.30" "120.31 31.49" "119.97 31.81" "120.89 31.98" \
           "121.55 29.87" "120.75 30.75" "122.21 29.99" "120.09 30.89"; do
    set -- $c
    for d in "0 0" "-0.25 -0.25" "-0.25 0.25" "0.25 -0.25" "0.25 0.25"; do
      awk -v x="$1" -v y="$2" -v d="$d" 'BEGIN { split(d, o, " ");
        printf "%.6f %.6f\n", x + o[1], y + o[2] }'
    done
  done
  # A grid over the plan region.
  awk 'BEGIN { for (x = 118; x <= 123.001; x += 1) for (y = 28.5; y <= 33.001; y += 0.5)
               printf "%.6f %.6f\n", x, y }'
  # Both sides of the 6° zone edge at 120°E, and the far ends of the region.
  for y in 28.6 30.0 31.5 32.9; do
    for x in 119.999 120.001 118.0 123.5; do printf '%.6f %.6f\n' "$x" "$y"; done
  done
} > points.txt

# --- forward transforms by PROJ ----------------------------------------------------------------
# cs2cs takes EPSG:4326 as lat lon; $1 = target CRS; $2 = yes when its first axis is northing.
# Metres to 1 µm, degrees to 1e-10° (0.01 mm).
forward() {
  local format=%.6f
  if projinfo "$1" -o WKT2_2019 | grep -q '^GEOGCRS'; then format=%.10f; fi
  awk '{ print $2, $1 }' points.txt |
    cs2cs -f "$format" EPSG:4326 "$1" |
    paste points.txt - |
    awk -v swap="$2" '{ if (swap == "yes") print $1, $2, $4, $3; else print $1, $2, $3, $4 }'
}
northing_first() {
  if projinfo "$1" -o WKT2_2019 | grep -m1 'AXIS\[' | grep -q ',north'; then echo yes; else echo no; fi
}

# Every family on the zones over the plan region, plus 4490 and 3857.
#   CGCS2000 3° prefixed 4528/4529, unprefixed 4549/4550; 6° prefixed 4498/4499, unprefixed
#   4509/4510; UTM 32650/32651; Xi'an 1980 3° 2364 and 2385, 6° 2334 and 2346.
CODES="4490 3857 4528 4529 4549 4550 4498 4499 4509 4510 32650 32651
       4610 2364 2385 2334 2346"
for n in $CODES; do
  forward "EPSG:$n" "$(northing_first "EPSG:$n")" > "epsg$n.txt"
done

# Beijing 1954. The only EPSG transformation to WGS 84 that reaches the plan region is
# EPSG:15919 "Beijing 1954 to WGS 84 (2)" (Yellow Sea, 15 m; its BBOX 31.23–37.4°N,
# 119.23–125.06°E); outside that box PROJ falls back to a ballpark (no shift). OneMap applies
# 15919 over the whole region, so its fixture is PROJ with 15919's parameters written out
# (position vector, as `projinfo -k operation EPSG:15919` lists them) ...
H15919="+towgs84=15.53,-113.82,-41.38,0,0,0.814,-0.38"
projinfo -k operation EPSG:15919 | grep -q 'Z-axis rotation",0.814' # the parameters still hold
for n in 4214 2416 2437 21420 21461; do
  def="$(projinfo -q -o PROJ "EPSG:$n" | sed 's/+type=crs//') $H15919"
  format=%.6f; [ "$n" = 4214 ] && format=%.10f
  awk '{ print $1, $2 }' points.txt | cs2cs -f "$format" +proj=longlat +datum=WGS84 +to $def |
    paste points.txt - | awk '{ print $1, $2, $3, $4 }' > "epsg$n.txt"
done
# ... and, where PROJ itself picks 15919 (inside its BBOX), it must agree with PROJ's own choice.
awk '$2 > 31.3 && $1 > 119.3' points.txt > /tmp/bj54-inside.txt
awk '{ print $2, $1 }' /tmp/bj54-inside.txt | cs2cs -f %.6f EPSG:4326 EPSG:2416 |
  paste /tmp/bj54-inside.txt - |
  awk 'NR == FNR { e[$1 " " $2] = $3; n[$1 " " $2] = $4; next }
       { k = $1 " " $2; d = ($4 - e[k]) ^ 2 + ($3 - n[k]) ^ 2;
         if (d > 1e-6) { print "EPSG:15919 mismatch at " k; bad = 1 } }
       END { exit bad }' epsg2416.txt -

# A PROJ string as a user types it, and one with a 7-parameter shift.
: > proj-strings.txt
echo "+proj=tmerc +lat_0=0 +lon_0=120 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs" >> proj-strings.txt
echo "+proj=tmerc +lat_0=0 +lon_0=121.5 +k=1 +x_0=50000 +y_0=-3000000 +ellps=krass +towgs84=15.53,-113.82,-41.38,0,0,0.814,-0.38 +units=m +no_defs" >> proj-strings.txt
i=0
while read -r def; do
  i=$((i + 1))
  awk '{ print $1, $2 }' points.txt | cs2cs -f %.6f +proj=longlat +datum=WGS84 +to $def |
    paste points.txt - | awk '{ print $1, $2, $3, $4 }' > "proj$i.txt"
done < proj-strings.txt

# --- WKT as GDAL writes it -------------------------------------------------------------------
codes_all() {
  echo 4326 4490 4214 4610 3857 32650 32651
  seq 4491 4554                              # CGCS2000 6° and 3°, with and without prefix
  seq 21413 21423; seq 21453 21463           # Beijing 1954 6°
  seq 2401 2442                              # Beijing 1954 3°
  seq 2327 2390                              # Xi'an 1980 6° and 3°
}
: > esri.txt
for n in $(codes_all); do
  printf '%s\t%s\n' "$n" "$(gdalsrsinfo --single-line -o wkt_esri "EPSG:$n" | sed '/^$/d')" >> esri.txt
done
mkdir -p wkt1 wkt2
for n in 4326 4490 3857 4528 4549 4499 4510 32651 2416 21461 2364 2346; do
  gdalsrsinfo -o wkt1 "EPSG:$n" | sed '/^$/d' > "wkt1/$n.wkt"
  gdalsrsinfo -o wkt2_2019 "EPSG:$n" | sed '/^$/d' > "wkt2/$n.wkt"
done

# --- .prj files written by ogr2ogr -----------------------------------------------------------
mkdir -p prj
tmp=$(mktemp -d)
printf 'x,y\n121.47,31.23\n' > "$tmp/p.csv"
for n in 4326 4490 3857 4528 4549 4510 32651 2437 2364; do
  ogr2ogr -q -f "ESRI Shapefile" -s_srs EPSG:4326 -t_srs "EPSG:$n" -oo X_POSSIBLE_NAMES=x \
    -oo Y_POSSIBLE_NAMES=y "$tmp/p$n.shp" "$tmp/p.csv"
  cp "$tmp/p$n.prj" "prj/epsg$n.prj"
done
rm -rf "$tmp"
