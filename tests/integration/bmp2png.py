#!/usr/bin/python3
"""bmp2png.py IN.bmp OUT.png - converts an uncompressed 24- or 32-bit BMP
(bottom-up or top-down; BI_RGB, or BI_BITFIELDS with the usual BGRA masks)
to an RGB PNG.  Python standard library only (struct, zlib)."""
import struct
import sys
import zlib


def read_bmp(data):
    if data[:2] != b"BM" or len(data) < 26:
        raise ValueError("not a BMP file")
    off = struct.unpack_from("<I", data, 10)[0]
    hsize = struct.unpack_from("<I", data, 14)[0]
    if hsize < 40:
        raise ValueError("OS/2 BMP header (%d bytes) not supported" % hsize)
    width, height, _planes, bpp, comp = struct.unpack_from("<iiHHI", data, 18)
    if bpp not in (24, 32):
        raise ValueError("%d-bit BMP not supported (24 or 32 only)" % bpp)
    if comp not in (0, 3):  # BI_RGB, BI_BITFIELDS
        raise ValueError("compressed BMP (%d) not supported" % comp)
    if comp == 3:
        # Masks follow a 40-byte header; in V4/V5 headers they are inside.
        masks = struct.unpack_from("<III", data, 54 if hsize == 40 else 40 + 14)
        if bpp != 32 or masks != (0xFF0000, 0xFF00, 0xFF):
            raise ValueError("BI_BITFIELDS masks %r not supported" % (masks,))
    if width <= 0 or height == 0:
        raise ValueError("bad size %dx%d" % (width, height))
    top_down = height < 0
    height = abs(height)
    step = bpp // 8
    stride = (width * step + 3) & ~3
    if off + stride * height > len(data):
        raise ValueError("truncated pixel data")
    rows = []
    for y in range(height):
        src = y if top_down else height - 1 - y
        row = data[off + src * stride: off + src * stride + width * step]
        rgb = bytearray(width * 3)
        rgb[0::3] = row[2::step]  # BMP stores B, G, R(, X)
        rgb[1::3] = row[1::step]
        rgb[2::3] = row[0::step]
        rows.append(bytes(rgb))
    return width, height, rows


def chunk(kind, payload):
    crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def write_png(path, width, height, rows):
    raw = b"".join(b"\x00" + r for r in rows)  # filter type 0 per row
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", ihdr))
        f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(chunk(b"IEND", b""))


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: bmp2png.py IN.bmp OUT.png\n")
        return 2
    try:
        with open(argv[1], "rb") as f:
            width, height, rows = read_bmp(f.read())
        write_png(argv[2], width, height, rows)
    except (OSError, ValueError, struct.error) as e:
        sys.stderr.write("bmp2png: %s: %s\n" % (argv[1], e))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
