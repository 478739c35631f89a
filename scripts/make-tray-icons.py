#!/usr/bin/env python3
"""Draws the tray icons (resources/tray/<state>.png, 32x32): a ring whose colour and fill say the
donation state. Pure Python (zlib + struct), so no image library is needed; run it after changing colours."""
import math, os, struct, zlib

STATES = {  # colour, filled
    'donating': ((29, 153, 84), True),
    'paused': ((214, 150, 20), True),
    'waiting': ((70, 110, 200), False),
    'off': ((130, 136, 146), False),
}

def png(pixels, size):
    raw = b''.join(b'\0' + bytes(sum(row, ())) for row in pixels)
    chunk = lambda t, d: struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xFFFFFFFF)
    head = struct.pack('>IIBBBBB', size, size, 8, 6, 0, 0, 0)
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', head) + chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b'')

def icon(colour, filled, size=32):
    c = (size - 1) / 2
    rows = []
    for y in range(size):
        row = []
        for x in range(size):
            d = math.hypot(x - c, y - c)
            inside = d <= 13.5 and (filled or d >= 9.5)
            alpha = 255 if inside else 0
            row.append((*colour, alpha))
        rows.append(row)
    return png(rows, size)

out = os.path.join(os.path.dirname(__file__), '..', 'resources', 'tray')
os.makedirs(out, exist_ok=True)
for name, (colour, filled) in STATES.items():
    with open(os.path.join(out, f'{name}.png'), 'wb') as f:
        f.write(icon(colour, filled))
