#!/usr/bin/env python3
"""Converts an ASCII DXF to a binary DXF (GDAL writes only ASCII):
    python3 to_binary_dxf.py IN.dxf OUT.dxf
R13 and later get two-byte group codes and one-byte booleans; R12 one-byte codes (255 then
a 16-bit code above 254) and 16-bit booleans, as AutoCAD writes them. Strings keep their bytes."""
import struct
import sys


def kind(code):
    ranges = [
        ((0, 9), "s"), ((10, 59), "d"), ((60, 79), "h"), ((90, 99), "i"), ((100, 102), "s"),
        ((105, 105), "s"), ((110, 149), "d"), ((160, 169), "q"), ((170, 179), "h"),
        ((210, 239), "d"), ((270, 289), "h"), ((290, 299), "b"), ((300, 309), "s"),
        ((310, 319), "x"), ((320, 369), "s"), ((370, 389), "h"), ((390, 399), "s"),
        ((400, 409), "h"), ((410, 419), "s"), ((420, 429), "i"), ((430, 439), "s"),
        ((440, 459), "i"), ((460, 469), "d"), ((470, 481), "s"), ((999, 999), "s"),
        ((1000, 1009), "s"), ((1010, 1059), "d"), ((1060, 1070), "h"), ((1071, 1071), "i"),
    ]
    for (lo, hi), k in ranges:
        if lo <= code <= hi:
            return k
    raise ValueError(f"group code {code}")


def main(src, dst):
    lines = open(src, "rb").read().split(b"\n")
    lines = [l[:-1] if l.endswith(b"\r") else l for l in lines]
    pairs = []
    for i in range(0, len(lines) - 1, 2):
        if lines[i].strip() == b"":
            break
        pairs.append((int(lines[i].strip()), lines[i + 1]))
    version = next(v for (c, v), (_, name) in zip(pairs[1:], pairs) if name == b"$ACADVER")
    two_byte = version.strip() >= b"AC1012"
    out = bytearray(b"AutoCAD Binary DXF\r\n\x1a\x00")
    for code, value in pairs:
        if two_byte:
            out += struct.pack("<h", code)
        elif code < 255:
            out += bytes([code])
        else:
            out += b"\xff" + struct.pack("<h", code)
        k = kind(code)
        if k == "s":
            out += value + b"\x00"
        elif k == "d":
            out += struct.pack("<d", float(value))
        elif k == "h":
            out += struct.pack("<h", int(value))
        elif k == "i":
            out += struct.pack("<i", int(value))
        elif k == "q":
            out += struct.pack("<q", int(value))
        elif k == "b":
            out += struct.pack("<B" if two_byte else "<h", int(value))
        else:
            data = bytes.fromhex(value.strip().decode())
            out += bytes([len(data)]) + data
    open(dst, "wb").write(bytes(out))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
