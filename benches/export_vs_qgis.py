#!/usr/bin/env python3
"""Side-by-side timing of a headless map export: OneMap against QGIS 3.22 (Debian python3-qgis).

usage: benches/export_vs_qgis.py [RUNS]   (from the repository root, after `cargo build --release`;
       the binary is $ONEMAP, or release/onemap in $CARGO_TARGET_DIR or target/)

Writes the 1M-vertex file with ../shared/tools/gen_large_geojson.py (50,000 concave polygons of 20
vertices) unless target/bench/big.geojson exists, then times the whole process of each, RUNS times
(default 7) in a series per tool, with /usr/bin/time: wall seconds and peak resident memory.
Prints the medians and their ratio. The first run of each series is a warm-up, not counted.

ONEMAP_BASELINE=PATH adds a series for another onemap binary (say, a release build of the
previous commit), so that a change is measured against what it replaces on the same machine.
With ALTERNATE=1 the two onemap binaries run in turn, one run each (after a warm-up each),
instead of a series each: on a machine shared with other work, the load then changes alike
for both (QGIS keeps its own series).
"""
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOLS = os.path.join(ROOT, "..", "shared", "tools")
OUT = os.path.join(ROOT, "target", "bench")


CRASHES = {"qgis": 0, "onemap": 0, "baseline": 0}


def timed(name, cmd, out):
    """Wall seconds and peak MiB of one run. QGIS 3.22 sometimes crashes on exit (SIGSEGV in
    exitQgis) after writing its image: such a run counts if the image was written."""
    if os.path.exists(out):
        os.remove(out)
    r = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + cmd, capture_output=True, text=True)
    if r.returncode != 0:
        if not os.path.exists(out):
            sys.exit(f"failed: {' '.join(cmd)}\n{r.stderr}")
        CRASHES[name] += 1
    wall, kb = r.stderr.strip().splitlines()[-1].split()
    return float(wall), int(kb) / 1024


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    os.makedirs(OUT, exist_ok=True)
    big = os.path.join(OUT, "big.geojson")
    if not os.path.exists(big):
        subprocess.run([sys.executable, os.path.join(TOOLS, "gen_large_geojson.py"), big], check=True)
    binary = os.environ.get("ONEMAP") or os.path.join(
        os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release", "onemap")
    onemap = [binary, "export", "--geojson", big,
              "--out", os.path.join(OUT, "onemap.png"), "--width", "1920", "--height", "1080"]
    qgis = ["/usr/bin/python3", os.path.join(TOOLS, "qgis_render.py"),
            os.path.join(OUT, "qgis.png"), "1920", "1080", big]
    tools = [("onemap", onemap, onemap[5]), ("qgis", qgis, qgis[2])]
    if os.environ.get("ONEMAP_BASELINE"):
        baseline = [os.environ["ONEMAP_BASELINE"]] + onemap[1:5] + [os.path.join(OUT, "baseline.png")] + onemap[6:]
        tools.insert(1, ("baseline", baseline, baseline[5]))
    results = {name: [] for name, _, _ in tools}
    # Each tool in a series of its own, after one warm-up run (as hyperfine does): run right
    # after a QGIS process, OneMap's first run pays for the kernel's huge-page zeroing.
    alternate = os.environ.get("ALTERNATE") == "1" and "baseline" in results
    for name, cmd, out in tools:
        if alternate and name != "qgis":
            continue
        timed(name, cmd, out)
        for _ in range(runs):
            results[name].append(timed(name, cmd, out))
    if alternate:
        pair = [t for t in tools if t[0] != "qgis"]
        for name, cmd, out in pair:
            timed(name, cmd, out)
        for _ in range(runs):
            for name, cmd, out in pair:
                results[name].append(timed(name, cmd, out))
    med = {n: (statistics.median(w for w, _ in r), max(m for _, m in r), min(w for w, _ in r))
           for n, r in results.items()}
    for n, (w, m, fastest) in med.items():
        print(f"{n:8s} median {w:.3f} s (fastest {fastest:.3f} s) over {runs} runs, "
              f"peak memory {m:.0f} MiB")
    if any(CRASHES.values()):
        print(f"crashes on exit after writing the image: {CRASHES}")
    print(f"ratio   OneMap takes {med['onemap'][0] / med['qgis'][0]:.3f} of QGIS's time "
          f"({med['qgis'][0] / med['onemap'][0]:.1f}x faster)")


main()
