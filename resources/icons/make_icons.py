#!/usr/bin/python3
"""Renders benchtop.svg into the application icons every platform needs, or checks them.

    make_icons.py            write benchtop-<N>.png, benchtop.icns (macOS) and benchtop.ico (Windows)
    make_icons.py --check    verify that every file exists and holds the expected pixel sizes

Needs only the standard library and `rsvg-convert` (librsvg2-bin) for rendering; --check needs neither.
The .icns and .ico hold PNG payloads, which macOS 10.7+ and Windows Vista+ read for every size.
"""

import argparse
import os
import shutil
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SVG = "benchtop.svg"
PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512]
# ICNS element types that carry a PNG, with their pixel size (the @2x types hold twice the point size).
ICNS_TYPES = [
    (b"icp4", 16),
    (b"icp5", 32),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic11", 32),  # 16@2x
    (b"ic12", 64),  # 32@2x
    (b"ic13", 256),  # 128@2x
    (b"ic14", 512),  # 256@2x
]
ICO_SIZES = [16, 24, 32, 48, 64, 128, 256]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class CheckError(Exception):
    pass


def png_name(size):
    return "benchtop-%d.png" % size


def png_size(data, what):
    """(width, height) from a PNG's IHDR chunk."""
    if len(data) < 24 or not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise CheckError("%s is not a PNG (no PNG signature and IHDR chunk)" % what)
    return struct.unpack(">II", data[16:24])


def render(out_dir):
    tool = shutil.which("rsvg-convert")
    if not tool:
        sys.exit("make_icons.py: rsvg-convert not found (Debian: apt-get install librsvg2-bin)")
    svg = os.path.join(HERE, SVG)
    pngs = {}
    for size in PNG_SIZES:
        path = os.path.join(out_dir, png_name(size))
        subprocess.run([tool, "--width", str(size), "--height", str(size), "--format", "png", "--output", path,
                        svg], check=True)
        with open(path, "rb") as f:
            pngs[size] = f.read()
        if png_size(pngs[size], path) != (size, size):
            sys.exit("make_icons.py: rsvg-convert made %s at %s, expected %dx%d" % (path, png_size(pngs[size], path),
                                                                               size, size))
    return pngs


def icns_bytes(pngs):
    body = b"".join(kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def ico_bytes(pngs):
    header = struct.pack("<HHH", 0, 1, len(ICO_SIZES))
    offset = len(header) + 16 * len(ICO_SIZES)
    entries = b""
    images = b""
    for size in ICO_SIZES:
        data = pngs[size]
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset + len(images))
        images += data
    return header + entries + images


def write_all():
    with tempfile.TemporaryDirectory() as tmp:
        pngs = render(tmp)
        outputs = {png_name(size): data for size, data in pngs.items()}
        outputs["benchtop.icns"] = icns_bytes(pngs)
        outputs["benchtop.ico"] = ico_bytes(pngs)
    for name, data in outputs.items():
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(data)
        print("wrote %s (%d bytes)" % (name, len(data)))


def read(name):
    path = os.path.join(HERE, name)
    if not os.path.isfile(path):
        raise CheckError("%s is missing; run resources/icons/make_icons.py" % name)
    with open(path, "rb") as f:
        return f.read()


def check_pngs():
    for size in PNG_SIZES:
        name = png_name(size)
        got = png_size(read(name), name)
        if got != (size, size):
            raise CheckError("%s is %dx%d, expected %dx%d" % (name, got[0], got[1], size, size))


def check_icns():
    data = read("benchtop.icns")
    if len(data) < 8 or data[:4] != b"icns":
        raise CheckError("benchtop.icns does not start with the 'icns' magic")
    (total,) = struct.unpack(">I", data[4:8])
    if total != len(data):
        raise CheckError("benchtop.icns header says %d bytes, the file has %d" % (total, len(data)))
    found = {}
    pos = 8
    while pos < len(data):
        if pos + 8 > len(data):
            raise CheckError("benchtop.icns: truncated element header at byte %d" % pos)
        kind = data[pos:pos + 4]
        (length,) = struct.unpack(">I", data[pos + 4:pos + 8])
        if length < 8 or pos + length > len(data):
            raise CheckError("benchtop.icns: element %r at byte %d has bad length %d" % (kind, pos, length))
        found[kind] = data[pos + 8:pos + length]
        pos += length
    for kind, size in ICNS_TYPES:
        name = "benchtop.icns element %s" % kind.decode()
        if kind not in found:
            raise CheckError("%s is missing" % name)
        got = png_size(found[kind], name)
        if got != (size, size):
            raise CheckError("%s is %dx%d, expected %dx%d" % (name, got[0], got[1], size, size))


def check_ico():
    data = read("benchtop.ico")
    if len(data) < 6:
        raise CheckError("benchtop.ico is too short for an ICONDIR")
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    if reserved != 0 or kind != 1:
        raise CheckError("benchtop.ico is not an icon file (reserved=%d, type=%d)" % (reserved, kind))
    if len(data) < 6 + 16 * count:
        raise CheckError("benchtop.ico: directory of %d entries is truncated" % count)
    sizes = []
    for i in range(count):
        w, h, _, _, _, _, length, offset = struct.unpack("<BBBBHHII", data[6 + 16 * i:22 + 16 * i])
        w, h = w or 256, h or 256
        if offset + length > len(data):
            raise CheckError("benchtop.ico entry %d points past the end of the file" % i)
        name = "benchtop.ico entry %d (%dx%d)" % (i, w, h)
        got = png_size(data[offset:offset + length], name)
        if got != (w, h):
            raise CheckError("%s holds a %dx%d PNG" % (name, got[0], got[1]))
        if w != h:
            raise CheckError("%s is not square" % name)
        sizes.append(w)
    if sorted(sizes) != sorted(ICO_SIZES):
        raise CheckError("benchtop.ico has sizes %s, expected %s" % (sorted(sizes), ICO_SIZES))


def check_all():
    errors = []
    for check in (check_pngs, check_icns, check_ico):
        try:
            check()
        except CheckError as e:
            errors.append(str(e))
    for e in errors:
        print("make_icons.py --check: FAIL %s" % e, file=sys.stderr)
    if errors:
        return 1
    print("make_icons.py --check: OK (%d PNGs, icns with %d images, ico with %d images)" %
          (len(PNG_SIZES), len(ICNS_TYPES), len(ICO_SIZES)))
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify the generated icons instead of writing them")
    args = parser.parse_args()
    if args.check:
        return check_all()
    write_all()
    return check_all()


if __name__ == "__main__":
    sys.exit(main())
