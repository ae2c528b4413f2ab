#!/usr/bin/env python3
"""Side-by-side timing of PDF export: OneMap against QGIS's print layout (Debian python3-qgis).

usage: benches/pdf_vs_qgis.py [RUNS]   (from the repository root, after `cargo build --release`;
       the binary is $ONEMAP, or release/onemap in $CARGO_TARGET_DIR or target/)

Two jobs, each timed as whole processes with /usr/bin/time, RUNS times (default 5) in a series
per tool after one warm-up run; prints the medians and their ratios, and the load average:
- A3: the default project on one A3 landscape page (OneMap's print layout; QGIS: a layout with
  a map of the same 11 GeoJSON files, a title, a legend, a scale bar and a north arrow,
  benches/qgis_layout_pdf.py);
- book: the map book, a cover and the 9 scenes on A3 (QGIS: the same layout, 9 map pages and a
  cover page, one PDF). QGIS draws every layer on every page; OneMap's scenes hide some groups.
"""
import glob
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "target", "bench")


def timed(cmd, out):
    if os.path.exists(out):
        os.remove(out)
    r = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + cmd, capture_output=True, text=True)
    if r.returncode != 0 or not os.path.exists(out):
        sys.exit(f"failed: {' '.join(cmd)}\n{r.stderr}")
    wall, kb = r.stderr.strip().splitlines()[-1].split()
    return float(wall), int(kb) / 1024


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    os.makedirs(OUT, exist_ok=True)
    binary = os.environ.get("ONEMAP") or os.path.join(
        os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release", "onemap")
    project = os.path.join(ROOT, "assets", "projects", "sma-2022.onemap")
    layers = [os.path.join(ROOT, "assets", "basemap", "basemap.geojson")] + sorted(
        glob.glob(os.path.join(ROOT, "layers", "*.geojson")))
    qgis = ["/usr/bin/python3", os.path.join(ROOT, "benches", "qgis_layout_pdf.py")]
    o = lambda name: os.path.join(OUT, name)
    jobs = {
        "A3": [
            ("onemap", [binary, "export", project, "--paper", "a3", "--out", o("onemap-a3.pdf"),
                        "--data", ROOT], o("onemap-a3.pdf")),
            ("qgis", qgis + [o("qgis-a3.pdf"), "1"] + layers, o("qgis-a3.pdf")),
        ],
        "book": [
            ("onemap", [binary, "export", project, "--all-scenes", "--paper", "a3", "--out",
                        o("onemap-book.pdf"), "--data", ROOT], o("onemap-book.pdf")),
            ("qgis", qgis + [o("qgis-book.pdf"), "9", "--cover"] + layers, o("qgis-book.pdf")),
        ],
    }
    print(f"load average before: {os.getloadavg()}")
    for job, tools in jobs.items():
        med = {}
        for name, cmd, out in tools:
            timed(cmd, out)
            series = [timed(cmd, out) for _ in range(runs)]
            med[name] = statistics.median(w for w, _ in series)
            peak = max(m for _, m in series)
            size = os.path.getsize(out) / 1e6
            print(f"{job:5s} {name:7s} median {med[name]:.3f} s over {runs} runs "
                  f"(min {min(w for w, _ in series):.3f}), peak {peak:.0f} MiB, {size:.2f} MB")
        print(f"{job:5s} ratio   OneMap takes {med['onemap'] / med['qgis']:.3f} of QGIS's time "
              f"({med['qgis'] / med['onemap']:.1f}x faster)")
    print(f"load average after: {os.getloadavg()}")


main()
