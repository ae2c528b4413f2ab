#!/usr/bin/python3
"""Peer of `onemap export … --out map.pdf` for side-by-side timing: QGIS (Debian python3-qgis)
loads the same GeoJSON layers and exports a print layout to PDF, the way a planner would in
QGIS's layout designer: per page a map item (EPSG:3857, the layers' extent), a title label, a
legend, a scale bar in km and a north arrow; with --cover, a first page of text (title and the
list of pages), as OneMap's map book has.

usage: qgis_layout_pdf.py OUT.pdf PAGES [--cover] LAYER.geojson [LAYER.geojson ...]
Started from ../shared/tools/qgis_render.py (same loading, same CRS)."""
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from qgis.core import (QgsApplication, QgsCoordinateReferenceSystem, QgsCoordinateTransform,
                       QgsLayoutExporter, QgsLayoutItemLabel, QgsLayoutItemLegend,
                       QgsLayoutItemMap, QgsLayoutItemPage, QgsLayoutItemPicture,
                       QgsLayoutItemScaleBar, QgsLayoutPoint, QgsLayoutSize, QgsPrintLayout,
                       QgsProject, QgsRectangle, QgsUnitTypes, QgsVectorLayer)
from qgis.PyQt.QtGui import QFont

MM = QgsUnitTypes.LayoutMillimeters


def label(layout, text, size, x, y, w, h, page):
    item = QgsLayoutItemLabel(layout)
    item.setText(text)
    item.setFont(QFont("Noto Sans CJK SC", size))
    layout.addLayoutItem(item)
    item.attemptResize(QgsLayoutSize(w, h, MM))
    item.attemptMove(QgsLayoutPoint(x, y, MM), page=page)
    return item


def map_page(layout, layers, extent, page, title):
    crs = QgsCoordinateReferenceSystem("EPSG:3857")
    m = QgsLayoutItemMap(layout)
    m.setCrs(crs)
    # A map item draws its first layer on top: the basemap (given first) goes to the bottom.
    m.setLayers(list(reversed(layers)))
    m.setFrameEnabled(True)
    layout.addLayoutItem(m)
    m.attemptResize(QgsLayoutSize(330, 277, MM))
    m.attemptMove(QgsLayoutPoint(10, 10, MM), page=page)
    m.zoomToExtent(extent)
    label(layout, title, 16, 345, 10, 65, 20, page)
    legend = QgsLayoutItemLegend(layout)
    legend.setLinkedMap(m)
    layout.addLayoutItem(legend)
    legend.attemptMove(QgsLayoutPoint(345, 40, MM), page=page)
    bar = QgsLayoutItemScaleBar(layout)
    bar.setStyle("Single Box")
    bar.setLinkedMap(m)
    bar.setUnits(QgsUnitTypes.DistanceKilometers)
    bar.setNumberOfSegments(2)
    bar.setUnitsPerSegment(10)
    bar.setUnitLabel("km")
    layout.addLayoutItem(bar)
    bar.attemptMove(QgsLayoutPoint(345, 250, MM), page=page)
    north = QgsLayoutItemPicture(layout)
    svg = next((os.path.join(p, "arrows", "NorthArrow_02.svg") for p in QgsApplication.svgPaths()
                if os.path.exists(os.path.join(p, "arrows", "NorthArrow_02.svg"))), "")
    north.setPicturePath(svg)
    layout.addLayoutItem(north)
    north.attemptResize(QgsLayoutSize(15, 20, MM))
    north.attemptMove(QgsLayoutPoint(390, 265, MM), page=page)


def main():
    out, pages = sys.argv[1], int(sys.argv[2])
    rest = sys.argv[3:]
    cover = "--cover" in rest
    paths = [p for p in rest if p != "--cover"]
    app = QgsApplication([], False)
    app.initQgis()
    project = QgsProject.instance()
    layers = []
    for p in paths:
        lyr = QgsVectorLayer(p, os.path.basename(p), "ogr")
        if not lyr.isValid():
            sys.exit(f"qgis could not load {p}")
        layers.append(lyr)
        project.addMapLayer(lyr)
    extent = QgsRectangle()
    for lyr in layers:
        extent.combineExtentWith(lyr.extent())
    tr = QgsCoordinateTransform(layers[0].crs(), QgsCoordinateReferenceSystem("EPSG:3857"), project)
    extent = tr.transformBoundingBox(extent)
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    collection = layout.pageCollection()
    collection.page(0).setPageSize("A3", QgsLayoutItemPage.Landscape)
    total = pages + (1 if cover else 0)
    for _ in range(total - 1):
        page = QgsLayoutItemPage(layout)
        page.setPageSize("A3", QgsLayoutItemPage.Landscape)
        collection.addPage(page)
    first = 0
    if cover:
        label(layout, "上海大都市圈一张图（2022）", 32, 20, 20, 380, 30, 0)
        label(layout, "\n".join(f"{i + 1}. page {i + 2}" for i in range(pages)), 14,
              20, 60, 380, 200, 0)
        first = 1
    for i in range(pages):
        map_page(layout, layers, extent, first + i, f"Page {first + i + 1}")
    result = QgsLayoutExporter(layout).exportToPdf(out, QgsLayoutExporter.PdfExportSettings())
    if result != QgsLayoutExporter.Success:
        sys.exit(f"QGIS could not export the PDF: {result}")
    app.exitQgis()


main()
