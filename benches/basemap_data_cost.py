#!/usr/bin/env python3
"""What a change of the built-in data costs: one onemap binary, two data folders, side by side.

usage: benches/basemap_data_cost.py ONEMAP OLD_DATA NEW_DATA [RUNS]

OLD_DATA and NEW_DATA hold `layers/` and `assets/` (for example `git archive REV assets layers |
tar -x -C DIR` of the commits to compare). Times, RUNS times (default 5) after one warm-up, in
turns so that the machine's load falls on both alike, the CPU seconds (user + system) of:
- `onemap export` of the default project at 64 x 64 px: start-up (data read, scene built);
- the same at 1920 x 1080 px: start-up and a full-size map drawn.
CPU time rather than wall time, because the machines this runs on are shared. Prints medians.
"""
import os
import resource
import statistics
import subprocess
import sys
import tempfile


def cpu_seconds(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    r = subprocess.run(cmd, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{r.stderr}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    onemap, old, new = sys.argv[1:4]
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    out = tempfile.mkdtemp(prefix="onemap-data-cost-")
    cases = [("start-up (64 x 64 export)", "64", "64"), ("1920 x 1080 export", "1920", "1080")]
    times = {}
    for i in range(runs + 1):
        for data_name, data in (("old", old), ("new", new)):
            project = os.path.join(data, "assets/projects/sma-2022.onemap")
            for case, w, h in cases:
                png = os.path.join(out, f"{data_name}-{w}.png")
                cmd = [onemap, "export", project, "--out", png, "--width", w, "--height", h,
                       "--data", data]
                t = cpu_seconds(cmd)
                if i > 0:  # the first round warms the caches
                    times.setdefault((case, data_name), []).append(t)
    for case, _w, _h in cases:
        o, n = (statistics.median(times[(case, d)]) for d in ("old", "new"))
        print(f"{case}: old {o:.2f} s, new {n:.2f} s CPU (median of {runs})")


if __name__ == "__main__":
    main()
