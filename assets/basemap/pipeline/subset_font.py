#!/usr/bin/env python3
"""Subsets Noto Sans SC to GB2312 plus every character used in layers/ and assets/.

Usage: PYTHONPATH=<work>/py python3 subset_font.py <work>/x [REPO_ROOT]
Writes assets/fonts/NotoSansSC-Regular-subset.ttf and assets/fonts/OFL.txt.

GB2312 alone lacks characters our data uses (滆 of 滆湖, 甪 of 甪直), hence the union. The
app has no system-font fallback, so a character missing here renders as a box: rerun this
after adding text with rare characters to the data.
"""
import os
import shutil
import sys

from fontTools import subset

EXTRA = "→←↑↓↔⇆≈≤≥°²³·•–—‘’“”…×±÷√✓✗●○■□▲△▼▽◆◇★☆※€£¥©®™℃‰№ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ①②③④⑤⑥⑦⑧⑨⑩"


def gb2312():
    chars = []
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.append(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def data_chars(repo):
    found = set()
    for folder in ("layers", "assets"):
        for root, _dirs, files in os.walk(os.path.join(repo, folder)):
            for name in files:
                if name.endswith((".geojson", ".ron", ".md", ".onemap", ".txt")):
                    with open(os.path.join(root, name), encoding="utf-8") as f:
                        found.update(f.read())
    return found


def main():
    x = sys.argv[1]
    repo = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "..", "..")
    chars = set(gb2312()) | data_chars(repo) | set(EXTRA) | {chr(c) for c in range(0x20, 0x7F)}
    chars |= {chr(c) for c in range(0xA0, 0x100)}
    chars = sorted(c for c in chars if c.isprintable() or c == " ")
    out_dir = os.path.join(repo, "assets/fonts")
    os.makedirs(out_dir, exist_ok=True)
    src = os.path.join(x, "font/package/400Regular/NotoSansSC_400Regular.ttf")
    out = os.path.join(out_dir, "NotoSansSC-Regular-subset.ttf")
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = subset.load_font(src, options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(chars))
    subsetter.subset(font)
    subset.save_font(font, out, options)
    shutil.copyfile(os.path.join(x, "font/package/LICENSE_FONT"), os.path.join(out_dir, "OFL.txt"))
    print(f"font: {len(chars)} characters requested, {os.path.getsize(out)} bytes")


if __name__ == "__main__":
    main()
