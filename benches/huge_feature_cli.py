#!/usr/bin/env python3
"""Whole-process timing of the headless commands on one huge feature: the default project with a
placement polygon of 400,000 vertices (huge.onemap), and with the same polygon as a sketch layer
(huge-sketch.onemap + huge.geojson), as written by `examples/huge_feature.rs`.

usage: benches/huge_feature_cli.py DIR [RUNS]   (from the repository root, after
       `cargo build --release` and `cargo run --release --example huge_feature -- DIR`)

Runs check, export (PNG and SVG, 1920x1080) and diff (the default project against each, and the
placement project against a copy with the huge placement moved 0.01 deg east, moved.onemap,
written by this script) RUNS times each (default 7) after a warm-up run, with /usr/bin/time: median wall seconds, median CPU seconds (user + system) and peak
resident memory. The binary is $ONEMAP (default target/release/onemap under CARGO_TARGET_DIR);
ONEMAP_BASELINE=PATH adds a series for another binary (say, a release build of the commit
before), one run each with a timeout of $TIMEOUT seconds (default 120): a step that stalls is
reported as such rather than waited for.
"""
import os
import re
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))


def moved_copy(src, dst, dx):
    """The placement project with the huge placement's every longitude moved by dx."""
    text = open(src, encoding="utf-8").read()
    start = text.index('"placement.huge-park"')
    geometry = text.index("geometry:", start)
    end = text.index("description:", geometry)

    def shift(m):
        return f"({float(m.group(1)) + dx:.7f}, {m.group(2)})"

    body = re.sub(r"\((-?\d+\.\d+), (-?\d+\.\d+)\)", shift, text[geometry:end])
    open(dst, "w", encoding="utf-8").write(text[:geometry] + body + text[end:])


def timed(cmd, timeout=None):
    """Wall seconds, CPU seconds and peak MiB of one run; None when it timed out."""
    try:
        r = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M"] + cmd, capture_output=True,
                           text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    if r.returncode not in (0, 1):
        sys.exit(f"failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr}")
    wall, user, system, kb = r.stderr.strip().splitlines()[-1].split()
    return float(wall), float(user) + float(system), int(kb) / 1024


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    d = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    default = os.path.join(ROOT, "assets", "projects", "sma-2022.onemap")
    placement, sketch = os.path.join(d, "huge.onemap"), os.path.join(d, "huge-sketch.onemap")
    moved = os.path.join(d, "moved.onemap")
    moved_copy(placement, moved, 0.01)
    data = ["--data", ROOT]
    steps = []
    for name, project in [("placement", placement), ("sketch layer", sketch)]:
        steps += [
            (f"check ({name})", ["check", project]),
            (f"export PNG ({name})", ["export", project, "--out", os.path.join(d, "out.png")]),
            (f"export SVG ({name})", ["export", project, "--out", os.path.join(d, "out.svg")]),
            (f"diff default -> {name}", ["diff", default, project]),
        ]
    steps.append(("diff placement -> moved 0.01 deg", ["diff", placement, moved]))
    binary = os.environ.get("ONEMAP", os.path.join(TARGET, "release", "onemap"))
    baseline = os.environ.get("ONEMAP_BASELINE")
    timeout = float(os.environ.get("TIMEOUT", "120"))
    print(f"{'step':36s} {'wall s':>8s} {'CPU s':>8s} {'MiB':>6s}" +
          ("   baseline: wall s, CPU s, MiB" if baseline else ""))
    for name, args in steps:
        timed([binary] + args + data)
        series = [timed([binary] + args + data) for _ in range(runs)]
        wall = statistics.median(s[0] for s in series)
        cpu = statistics.median(s[1] for s in series)
        mib = max(s[2] for s in series)
        line = f"{name:36s} {wall:8.3f} {cpu:8.3f} {mib:6.0f}"
        if baseline:
            b = timed([baseline] + args + data, timeout)
            line += (f"   {b[0]:8.3f} {b[1]:8.3f} {b[2]:6.0f}" if b else
                     f"   did not finish in {timeout:.0f} s")
        print(line, flush=True)


main()
