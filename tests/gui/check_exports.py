#!/usr/bin/env python3
"""Checks of the Studio's exports (used by exports.sh; standard library only).

  check_exports.py svg FILE.svg FILE.csv COLUMN   the SVG parses as XML, has the CSV column as one polyline whose
                                                  points map the CSV's (x, y) through one affine map (linear axes)
  check_exports.py svgsize FILE.svg               prints "W H" of the SVG root
  check_exports.py column A.csv COL_A B.csv COL_B A's column equals B's column (rows matched by x / step, rel 1e-12)
"""
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


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "svg":
        check_svg(*sys.argv[2:5])
    elif mode == "svgsize":
        root = ET.parse(sys.argv[2]).getroot()
        print(root.get("width"), root.get("height"))
    elif mode == "column":
        check_column(*sys.argv[2:6])
    else:
        fail("unknown mode " + mode)
