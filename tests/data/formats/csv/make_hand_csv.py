#!/usr/bin/env python3
"""Writes the hand-made CSV fixtures of tests/formats_csv.rs, as planners' spreadsheets save
them. Run after the ogr2ogr commands of MAKE.sh (it reuses ogr_cities_gk.csv):
    python3 make_hand_csv.py

- nine_cities_gbk.csv: the plan's nine cities with 经度/纬度 columns, in GBK without a BOM and
  with CRLF, as Excel on a Chinese Windows saves "CSV (逗号分隔)"; one note has a comma, so it
  is quoted. nine_cities_utf8.csv is the same table in UTF-8, for GDAL (which does not read GBK).
- cities_unicode.txt: the same as Excel's "Unicode text": UTF-16LE with a BOM, tab-separated.
- gk_points.csv: x/y in CGCS2000 Gauss-Krueger metres (zone 40, prefixed), from
  ogr_cities_gk.csv, plus a row whose coordinates are empty.
- survey_points.csv: a 界址点 (boundary point) table in survey order: X is the northing and Y
  the easting, UTF-8 with a BOM.
- no_coordinates.csv: a table without coordinate columns.
"""
import csv
import io
import json


def cities():
    with open("../../../../layers/cities.geojson", encoding="utf-8") as f:
        return json.load(f)["features"]


NOTES = {"上海": "直辖市, 含崇明区", "舟山": "海岛城市"}


def nine_cities_rows():
    rows = [["名称", "经度", "纬度", "人口（万人）", "备注"]]
    for feature in cities():
        p = feature["properties"]
        lon, lat = feature["geometry"]["coordinates"]
        population = round(p["population_2020"] / 10000, 2)
        rows.append([p["name_zh"], lon, lat, population, NOTES.get(p["name_zh"], "")])
    return rows


def write(path, rows, encoding, delimiter=",", bom=b""):
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    with open(path, "wb") as f:
        f.write(bom + text.getvalue().encode(encoding))


def main():
    rows = nine_cities_rows()
    write("nine_cities_gbk.csv", rows, "gbk")
    write("nine_cities_utf8.csv", rows, "utf-8")
    write("cities_unicode.txt", rows, "utf-16-le", delimiter="\t", bom=b"\xff\xfe")
    with open("ogr_cities_gk.csv", encoding="utf-8") as f:
        gk = list(csv.DictReader(f))
    points = [["点名", "x", "y", "类型"]]
    points += [[r["name_zh"] + "市政府", r["X"], r["Y"], "政府驻地"] for r in gk]
    points.append(["待测点", "", "", "未测"])
    write("gk_points.csv", points, "utf-8")
    survey = [["点号", "X", "Y", "备注"]]
    survey += [[f"J{i + 1}", r["Y"], r["X"], r["name_zh"]] for i, r in enumerate(gk[:4])]
    write("survey_points.csv", survey, "utf-8", bom=b"\xef\xbb\xbf")
    write("no_coordinates.csv", [["名称", "人口", "备注"], ["上海", "2487", "直辖市"]], "utf-8")


if __name__ == "__main__":
    main()
