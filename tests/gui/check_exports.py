#!/usr/bin/env python3
"""Checks of the Studio's exports (used by exports.sh; standard library only).

  check_exports.py svg FILE.svg FILE.csv COLUMN   the SVG parses as XML, has the CSV column as one polyline whose
                                                  points map the CSV's (x, y) through one affine map (linear axes)
  check_exports.py svgsize FILE.svg               prints "W H" of the SVG root
  check_exports.py column A.csv COL_A B.csv COL_B A's column equals B's column (rows matched by x / step, rel 1e-12)
  check_exports.py gif FILE.gif MIN_FRAMES         prints "FRAMES W H"; fails below MIN_FRAMES frames
  check_exports.py pdf FILE.pdf TEXT...            one page that pdftoppm renders with ink on it (not blank), and
                                                   pdftotext finds every TEXT (real text, not outlines)
"""
import subprocess
import csv
import sys
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/2000/svg}"


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def read_columns(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    return header, body


def column(path, name):
    header, body = read_columns(path)
    if name not in header:
        fail("%s has no column %r (header %s)" % (path, name, header))
    i = header.index(name)
    return [(float(r[0]), float(r[i])) for r in body if r[i] != ""]


def check_svg(svg_path, csv_path, name):
    root = ET.parse(svg_path).getroot()  # raises on malformed XML
    if root.tag != NS + "svg":
        fail("%s: root is %s" % (svg_path, root.tag))
    values = column(csv_path, name)
    lines = []
    for p in root.iter(NS + "polyline"):
        pts = [tuple(float(v) for v in pair.split(",")) for pair in p.get("points").split()]
        lines.append(pts)
    match = [pts for pts in lines if len(pts) == len(values)]
    if not match:
        fail("%s: no polyline with %d points (have %s)" % (svg_path, len(values), [len(l) for l in lines]))
    # x and y pixels must be one affine function of the data for some polyline: px = a + b x, py = c + d y.
    def affine_ok(pts):
        for k in (0, 1):
            data = [v[k] for v in values]
            pix = [p[k] for p in pts]
            lo, hi = min(range(len(data)), key=data.__getitem__), max(range(len(data)), key=data.__getitem__)
            if data[hi] == data[lo]:
                continue
            slope = (pix[hi] - pix[lo]) / (data[hi] - data[lo])
            for d, q in zip(data, pix):
                if abs(pix[lo] + slope * (d - data[lo]) - q) > 0.02:
                    return False
        return True
    if not any(affine_ok(pts) for pts in match):
        fail("%s: the polyline does not go through the CSV's %s values" % (svg_path, name))
    print("%s: well-formed, %d points of %s on the polyline" % (svg_path, len(values), name))


def check_column(a, col_a, b, col_b):
    va, vb = dict(column(a, col_a)), dict(column(b, col_b))
    if sorted(va) != sorted(vb):
        fail("%s/%s and %s/%s have different x: %s vs %s" % (a, col_a, b, col_b, sorted(va), sorted(vb)))
    for x in va:
        if abs(va[x] - vb[x]) > 1e-12 * max(1.0, abs(va[x])):
            fail("%s %s at %g: %.17g vs %s %s %.17g" % (a, col_a, x, va[x], b, col_b, vb[x]))
    print("%s[%s] == %s[%s] (%d values)" % (a, col_a, b, col_b, len(va)))


def gif_frames(path):
    """Counts image descriptors by walking the GIF's blocks (extensions and LZW data are skipped by length)."""
    data = open(path, "rb").read()
    if data[:6] not in (b"GIF87a", b"GIF89a"):
        fail("%s: not a GIF" % path)
    w, h, flags = data[6] | data[7] << 8, data[8] | data[9] << 8, data[10]
    i = 13 + (3 * (2 << (flags & 7)) if flags & 0x80 else 0)

    def skip_sub_blocks(i):
        while data[i] != 0:
            i += data[i] + 1
        return i + 1
    frames = 0
    while i < len(data):
        b = data[i]
        if b == 0x3B:  # trailer
            return frames, w, h
        if b == 0x21:  # extension: label, then sub-blocks
            i = skip_sub_blocks(i + 2)
        elif b == 0x2C:  # image: descriptor, optional local colour table, LZW code size, sub-blocks
            frames += 1
            lflags = data[i + 9]
            i += 10 + (3 * (2 << (lflags & 7)) if lflags & 0x80 else 0)
            i = skip_sub_blocks(i + 1)
        else:
            fail("%s: unexpected block 0x%02x at byte %d" % (path, b, i))
    fail("%s: no trailer (cut short?)" % path)


def check_pdf(path, texts):
    out = subprocess.run(["pdftoppm", "-gray", "-r", "40", "-singlefile", path], capture_output=True, check=True).stdout
    # PGM: "P5\nW H\n255\n" then W*H bytes.
    parts = out.split(b"\n", 3)
    if parts[0] != b"P5":
        fail("%s: pdftoppm gave no page" % path)
    w, h = (int(v) for v in parts[1].split())
    pixels = parts[3][: w * h]
    ink = sum(1 for p in pixels if p < 200)
    if ink < 0.005 * w * h or len(set(pixels)) < 8:
        fail("%s: the page renders blank (%d of %d pixels with ink)" % (path, ink, w * h))
    text = subprocess.run(["pdftotext", "-q", path, "-"], capture_output=True, check=True).stdout.decode()
    for t in texts:
        if t not in text:
            fail("%s: pdftotext does not find %r in %r" % (path, t, text))
    print("%s: %d x %d page, %.1f%% ink, text %s" % (path, w, h, 100.0 * ink / (w * h), texts))


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "svg":
        check_svg(*sys.argv[2:5])
    elif mode == "svgsize":
        root = ET.parse(sys.argv[2]).getroot()
        print(root.get("width"), root.get("height"))
    elif mode == "column":
        check_column(*sys.argv[2:6])
    elif mode == "gif":
        n, w, h = gif_frames(sys.argv[2])
        if n < int(sys.argv[3]):
            fail("%s: %d frames, expected at least %s" % (sys.argv[2], n, sys.argv[3]))
        print(n, w, h)
    elif mode == "pdf":
        check_pdf(sys.argv[2], sys.argv[3:])
    else:
        fail("unknown mode " + mode)
