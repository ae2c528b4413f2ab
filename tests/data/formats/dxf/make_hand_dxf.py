#!/usr/bin/env python3
"""Writes the hand-made DXF fixtures of tests/formats_dxf.rs. Run from this folder:
    python3 make_hand_dxf.py
Each drawing is written group by group (code line, value line), so that what the test expects
can be read here. The coordinates are CGCS2000 3-degree Gauss-Krueger metres (zone 40, with
the zone number in front of the easting), as Chinese planning CAD usually is.

- r12_gbk.dxf: an AutoCAD R12 (AC1009) drawing declaring $DWGCODEPAGE ANSI_936, its layer
  names and texts in GBK: a HATCH (skipped and reported), a closed LWPOLYLINE (a polygon), an
  old-style closed POLYLINE with VERTEX/SEQEND, a LINE, a POINT and two TEXTs (one centred on
  its second alignment point).
- features_r2000.dxf: an R2000 (AC1015) drawing, also ANSI_936, with what plans contain
  besides: a bulged LWPOLYLINE (a half circle), a mirrored one (extrusion 0,0,-1), MTEXT with
  formatting codes, TEXT with %%d, CIRCLE, ARC, a block inserted twice (once rotated and
  scaled), a SPLINE and an ELLIPSE... (see entities_r2000 below) and one entity in paper space.
"""


def pairs_to_bytes(pairs, encoding):
    out = bytearray()
    for code, value in pairs:
        out += f"{code:>3}\r\n".encode("ascii")
        out += str(value).encode(encoding) + b"\r\n"
    return bytes(out)


def header(version, codepage):
    return [(0, "SECTION"), (2, "HEADER"),
            (9, "$ACADVER"), (1, version),
            (9, "$DWGCODEPAGE"), (3, codepage),
            (9, "$INSUNITS"), (70, 6),
            (0, "ENDSEC")]


def section(name, pairs):
    return [(0, "SECTION"), (2, name)] + pairs + [(0, "ENDSEC")]


def lwpolyline(layer, points, closed, bulges=None, normal=None):
    p = [(0, "LWPOLYLINE"), (8, layer), (90, len(points)), (70, 1 if closed else 0)]
    for i, (x, y) in enumerate(points):
        p += [(10, x), (20, y)]
        if bulges and bulges[i]:
            p += [(42, bulges[i])]
    if normal:
        p += [(210, normal[0]), (220, normal[1]), (230, normal[2])]
    return p


def entities_r12():
    e = []
    # A solid HATCH over a square: the reader skips it and says so.
    e += [(0, "HATCH"), (8, "填充"), (10, 0.0), (20, 0.0), (30, 0.0),
          (210, 0.0), (220, 0.0), (230, 1.0), (2, "SOLID"), (70, 1), (71, 0), (91, 1),
          (92, 2), (72, 0), (73, 1), (93, 4),
          (10, 40500000.0), (20, 3450000.0), (10, 40500050.0), (20, 3450000.0),
          (10, 40500050.0), (20, 3450050.0), (10, 40500000.0), (20, 3450050.0),
          (97, 0), (75, 0), (76, 1), (98, 0)]
    e += lwpolyline("用地", [(40500100.0, 3450100.0), (40500200.5, 3450100.0),
                             (40500200.5, 3450180.25), (40500150.0, 3450220.0),
                             (40500100.0, 3450180.25)], closed=True)
    # An R12-style 2D polyline, closed by its flag.
    e += [(0, "POLYLINE"), (8, "用地"), (66, 1), (10, 0.0), (20, 0.0), (30, 0.0), (70, 1)]
    for x, y in [(40500300.0, 3450300.0), (40500400.0, 3450300.0), (40500350.0, 3450390.0)]:
        e += [(0, "VERTEX"), (8, "用地"), (10, x), (20, y), (30, 0.0)]
    e += [(0, "SEQEND"), (8, "用地")]
    e += [(0, "LINE"), (8, "道路"), (10, 40500000.0), (20, 3450500.0), (30, 0.0),
          (11, 40501000.5), (21, 3450600.75), (31, 0.0)]
    e += [(0, "POINT"), (8, "井"), (10, 40500700.125), (20, 3450700.5), (30, 0.0)]
    e += [(0, "TEXT"), (8, "地名"), (10, 40512345.67), (20, 3466789.01), (30, 0.0),
          (40, 5.0), (1, "苏州")]
    # Centred text: its anchor is the second alignment point (11/21), not 10/20.
    e += [(0, "TEXT"), (8, "地名"), (10, 40512000.0), (20, 3467000.0), (30, 0.0),
          (40, 5.0), (1, "无锡市"), (72, 1), (11, 40512010.0), (21, 3467002.5), (31, 0.0)]
    return e


def blocks_r2000():
    # TREE: a trunk on layer 0 (drawn on the layer of each INSERT) and a crown on 绿化.
    b = [(0, "BLOCK"), (8, "0"), (2, "TREE"), (70, 0), (10, 10.0), (20, 0.0), (30, 0.0),
         (3, "TREE")]
    b += [(0, "LINE"), (8, "0"), (10, 10.0), (20, 0.0), (30, 0.0), (11, 10.0), (21, 5.0),
          (31, 0.0)]
    b += [(0, "CIRCLE"), (8, "绿化"), (10, 10.0), (20, 7.0), (30, 0.0), (40, 2.0)]
    b += [(0, "ENDBLK"), (8, "0")]
    return b


def entities_r2000():
    e = []
    # A half circle (bulge 1) from 0 to 100 m east, then straight north.
    e += lwpolyline("道路", [(40500000.0, 3450000.0), (40500100.0, 3450000.0),
                             (40500100.0, 3450100.0)], closed=False, bulges=[1.0, 0.0, 0.0])
    # Mirrored in CAD: its extrusion is -Z, so its OCS x is the world's -x.
    e += lwpolyline("用地", [(-40500200.0, 3450000.0), (-40500300.0, 3450000.0),
                             (-40500300.0, 3450100.0)], closed=True, normal=(0.0, 0.0, -1.0))
    e += [(0, "MTEXT"), (8, "地名"), (10, 40501000.0), (20, 3451000.0), (30, 0.0),
          (40, 8.0), (41, 100.0), (71, 1),
          (3, r"{\fSimSun|b0|i0|c134|p2;上海}\P大都"),
          (1, r"市圈\~{\H1.5x;规划}\P\L上海\lPlan"), (7, "Standard")]
    e += [(0, "TEXT"), (8, "高程"), (10, 40501100.0), (20, 3451100.0), (30, 0.0),
          (40, 2.5), (1, "坡度 12.5%%d")]
    e += [(0, "CIRCLE"), (8, "绿化"), (10, 40502000.0), (20, 3452000.0), (30, 0.0),
          (40, 10.0)]
    e += [(0, "ARC"), (8, "道路"), (10, 40503000.0), (20, 3453000.0), (30, 0.0),
          (40, 20.0), (50, 0.0), (51, 90.0)]
    e += [(0, "INSERT"), (8, "绿化"), (2, "TREE"), (10, 40504000.0), (20, 3454000.0),
          (30, 0.0)]
    e += [(0, "INSERT"), (8, "景观"), (2, "TREE"), (10, 40505000.0), (20, 3455000.0),
          (30, 0.0), (41, 2.0), (42, 2.0), (43, 2.0), (50, 90.0)]
    e += [(0, "ELLIPSE"), (8, "水系"), (100, "AcDbEntity"), (100, "AcDbEllipse"),
          (10, 40506000.0), (20, 3456000.0), (30, 0.0), (11, 30.0), (21, 0.0), (31, 0.0),
          (40, 0.5), (41, 0.0), (42, 6.283185307179586)]
    e += [(0, "SPLINE"), (8, "等高线"), (100, "AcDbEntity"), (100, "AcDbSpline"),
          (70, 8), (71, 3), (72, 8), (73, 4), (74, 0),
          (40, 0.0), (40, 0.0), (40, 0.0), (40, 0.0), (40, 1.0), (40, 1.0), (40, 1.0),
          (40, 1.0),
          (10, 40507000.0), (20, 3457000.0), (30, 0.0), (10, 40507010.0), (20, 3457020.0),
          (30, 0.0), (10, 40507030.0), (20, 3457020.0), (30, 0.0), (10, 40507040.0),
          (20, 3457000.0), (30, 0.0)]
    e += [(0, "SOLID"), (8, "符号"), (10, 40508000.0), (20, 3458000.0), (30, 0.0),
          (11, 40508010.0), (21, 3458000.0), (31, 0.0), (12, 40508000.0), (22, 3458010.0),
          (32, 0.0), (13, 40508010.0), (23, 3458010.0), (33, 0.0)]
    # A title-block line on the layout sheet: paper space, not the map.
    e += [(0, "LINE"), (67, 1), (8, "图框"), (10, 0.0), (20, 0.0), (30, 0.0),
          (11, 420.0), (21, 0.0), (31, 0.0)]
    return e


def main():
    r12 = header("AC1009", "ANSI_936") + section("ENTITIES", entities_r12()) + [(0, "EOF")]
    with open("r12_gbk.dxf", "wb") as f:
        f.write(pairs_to_bytes(r12, "gbk"))
    r2000 = (header("AC1015", "ANSI_936") + section("BLOCKS", blocks_r2000())
             + section("ENTITIES", entities_r2000()) + [(0, "EOF")])
    with open("features_r2000.dxf", "wb") as f:
        f.write(pairs_to_bytes(r2000, "gbk"))


if __name__ == "__main__":
    main()
