#!/usr/bin/env python3
"""Writes eng/packaging/icon.png, the 128x128 icon of every Mooring package: a white mooring bollard (a post with a
cap and a rope ring) on a blue rounded square. Standard library only (zlib), so it runs on any build machine."""
import math
import struct
import zlib
from pathlib import Path

SIZE = 128
BLUE = (29, 78, 137)
WHITE = (255, 255, 255)


def inside_rounded_square(x, y, margin=4, radius=22):
    lo, hi = margin, SIZE - 1 - margin
    cx = min(max(x, lo + radius), hi - radius)
    cy = min(max(y, lo + radius), hi - radius)
    return lo <= x <= hi and lo <= y <= hi and (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2


def is_mark(x, y):
    # The bollard: a post, a wider cap on top and a wider foot; a rope ring around the post's middle.
    post = 52 <= x <= 76 and 34 <= y <= 100
    cap = 42 <= x <= 86 and 26 <= y <= 38
    foot = 36 <= x <= 92 and 98 <= y <= 106
    ring = 0.7 <= math.hypot((x - 64) / 26, (y - 70) / 10) <= 1.0 and not (52 <= x <= 76 and y < 70)
    return post or cap or foot or ring


def pixel(x, y):
    # 4x supersampling keeps the edges smooth.
    covered_bg = covered_mark = 0
    for sx in range(4):
        for sy in range(4):
            fx, fy = x + (sx + 0.5) / 4 - 0.5, y + (sy + 0.5) / 4 - 0.5
            if inside_rounded_square(fx, fy):
                covered_bg += 1
                covered_mark += is_mark(fx, fy)
    alpha = round(255 * covered_bg / 16)
    if covered_bg == 0:
        return (0, 0, 0, 0)
    t = covered_mark / covered_bg
    return tuple(round(b + (w - b) * t) for b, w in zip(BLUE, WHITE)) + (alpha,)


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


rows = b"".join(b"\0" + bytes(c for x in range(SIZE) for c in pixel(x, y)) for y in range(SIZE))
png = (b"\x89PNG\r\n\x1a\n"
       + chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0))
       + chunk(b"IDAT", zlib.compress(rows, 9))
       + chunk(b"IEND", b""))
Path(__file__).with_name("icon.png").write_bytes(png)
