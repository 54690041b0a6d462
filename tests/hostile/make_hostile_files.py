#!/usr/bin/env python3
"""Writes hostile input files for tests/hostile/rerun.sh into OUT_DIR (issue 12's categories, with other files than
the audit's). Usage: make_hostile_files.py OUT_DIR [--full] (--full adds the larger files)."""
import os
import socket
import struct
import sys
import zlib

out = sys.argv[1]
full = "--full" in sys.argv
os.makedirs(out, exist_ok=True)


def put(name, data):
    mode = "wb" if isinstance(data, (bytes, bytearray)) else "w"
    with open(os.path.join(out, name), mode) as f:
        f.write(data)


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(width, height, depth, color, idat, extra=b""):
    ihdr = struct.pack(">IIBBBBB", width, height, depth, color, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + extra + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


session_head = ('{"format": "uhop-session", "version": 1, "memories": {"source": "builtin:glyphs", "count": 4},'
                ' "stage1": {}, "stage2": {}, "query": {"target": 1}')

# 1. Nesting: objects instead of arrays, mixed, and deep inside an otherwise valid session.
put("deep-objects.json", '{"a":' * 100000 + "1" + "}" * 100000)
put("deep-mixed.json", '[{"x":' * 40000 + "0" + "}]" * 40000)
put("deep-inside.json", session_head + ', "description": "ok", "stage1_log": ' + "[" * 5000 + "]" * 5000 + "}")
# 2. Side files that leave the folder in other ways.
os.makedirs(os.path.join(out, "sess"), exist_ok=True)
put("secret.w.csv", "TOP-SECRET-1,2\n")
for name, target in [("dotdot-inner", "sub/../../secret.w.csv"), ("dot-slash", "./../secret.w.csv"),
                     ("proc", "/proc/self/environ"), ("nul", "..\\u0000/secret.w.csv")]:
    put("sess/%s.json" % name, session_head + ', "w": {"file": "%s", "rows": 1, "cols": 2}}' % target)
try:
    os.symlink(os.path.join(out, "secret.w.csv"), os.path.join(out, "sess", "innocent.w.csv"))
    os.symlink(out, os.path.join(out, "sess", "up"))
except FileExistsError:
    pass
put("sess/symlink.json", session_head + ', "w": {"file": "innocent.w.csv", "rows": 1, "cols": 2}}')
put("sess/symlink-dir.json", session_head + ', "w": {"file": "up/secret.w.csv", "rows": 1, "cols": 2}}')
# 5. Special files: a socket and a FIFO named like inputs.
for name in ["sock.csv"]:
    path = os.path.join(out, name)
    if not os.path.exists(path):
        s = socket.socket(socket.AF_UNIX)
        s.bind(path)
        s.close()
if not os.path.exists(os.path.join(out, "fifo.json")):
    os.mkfifo(os.path.join(out, "fifo.json"))
# 6. Sizes: image headers that lie, in each format.
put("huge.png", png(60000, 60000, 1, 0, zlib.compress(b"\0" * 4000)))
put("tall.png", png(1, 50000000, 8, 0, zlib.compress(b"\0" * 2000)))
put("iccp.png", png(4, 4, 8, 0, zlib.compress(b"\0" * 20),
                    png_chunk(b"iCCP", b"icc\0\0" + zlib.compress(b"\0" * (64 << 20)))))
put("liar.jpg", bytes([0xFF, 0xD8, 0xFF, 0xC2, 0, 11, 8]) + struct.pack(">HH", 7000, 7000) + bytes([1, 1, 0x11, 0]) +
    bytes([0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 0x3F, 0]) + b"\0" * 100 + bytes([0xFF, 0xD9]))
put("wide.bmp", b"BM" + struct.pack("<IHHI", 62, 0, 0, 62) +
    struct.pack("<IiiHHIIiiII", 40, 60000, 1000, 1, 1, 0, 0, 0, 0, 2, 0) + b"\0\0\0\0\xff\xff\xff\0")
put("intmin.bmp", b"BM" + struct.pack("<IHHI", 54, 0, 0, 54) +
    struct.pack("<IiiHHIIiiII", 40, 4, -2**31, 1, 24, 0, 0, 0, 0, 0, 0))
put("rle.tga", bytes([0, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0]) + struct.pack("<HH", 65535, 65535) + bytes([32, 0]) +
    bytes([0xFF, 1, 2, 3, 4]) * 20)
put("cmap.tga", bytes([0, 1, 1, 0, 0, 0xFF, 0xFF, 32, 0, 0, 0, 0]) + struct.pack("<HH", 4, 4) + bytes([8, 0]) + b"\0" * 64)
put("deep.ppm", b"P6 65535 1000 65535\n" + b"\0" * 64)
put("maxval0.pgm", b"P5 2 2 0\n\0\0\0\0")
put("gif.png", b"GIF89a" + b"\0" * 32)
# gzip IDX: many images promised (refused by the session limit before inflating), and a 1 MB stream of zeros.
idx_header = struct.pack(">BBBBIII", 0, 0, 8, 3, 1300000, 28, 28)
head = zlib.compressobj(9, zlib.DEFLATED, 31)
put("many-images-idx3-ubyte.gz", head.compress(idx_header) + head.flush(zlib.Z_SYNC_FLUSH))  # a header, no end
comp = zlib.compressobj(9, zlib.DEFLATED, 31)
put("zeros-images-idx3-ubyte.gz", comp.compress(idx_header + b"\0" * (4 << 20)) + comp.flush())
# CSV: a long line of tiny values, 300-digit numbers, CR-only line ends, NUL, BOM + text, denormals and 1e308.
put("one-line.csv", "0," * ((20 if full else 2) << 20) + "0\n")
put("digits.csv", "1" + "0" * 300 + ",1\n1,2\n")
put("cr-only.csv", "1,2\r3,4\r")
put("bom-text.csv", "\ufeffa,b\n1,2\n")
put("denormal.csv", "1e-320,1\n0,1\n1,0\n")
put("maxdouble.csv", "1.7e308,0,0\n0,1,0\n0,0,1\n")
put("neg-zero.csv", "-0,0\n0,-0\n1,1\n")
put("mem.csv", "1,0,0,0\n0,1,0,0\n0,0,1,0\n0,0,0,1\n0.5,0.5,0,0\n")
put("big-mem.csv", "\n".join(",".join("1e70" if i == j else "0" for j in range(4)) for i in range(4)) + "\n")
put("w-huge.csv", "\n".join(",".join("1e150" if i == j else "0" for j in range(4)) for i in range(4)) + "\n")
# 9. Messages: control bytes and bidi overrides in file contents and names, a description with a C1 CSI.
put("esc.csv", "1,\x1b]0;pwned\x07\n")
put("bidi-\u202e.csv", "x\n")
put("c1.json", session_head.replace('"version": 1', '"version": 1, "description": "\\u009b2J\\u202egone"') + "}")
# 10. JSON numbers and values: 1e309, -1e400, 1e-400, a huge integer, a string where a number belongs.
for name, key in [("n309", '"lr": 1e309'), ("nneg", '"t": -1e400'), ("tiny", '"lr": 1e-400'),
                  ("bigint", '"steps": 123456789012345678901234567890'), ("str", '"dim": "784"')]:
    put("%s.json" % name, session_head.replace('"stage1": {}', '"stage1": {%s}' % key) + "}")
put("huge-steps.json", session_head.replace('"stage1": {}', '"stage1": {"steps": 1000000000}') + "}")
# NumPy .npy and .npz (issue 23), written byte by byte (no NumPy needed): lying headers, object arrays, NaN, a zip
# bomb declared in the archive's directory, an archive with two arrays and no name; and valid files that must load.


def npy(descr, shape, data, fortran=False, version=1, header_len=None):
    header = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (descr, fortran, shape)
    prefix = 10 if version == 1 else 12
    header += " " * (-(prefix + len(header) + 1) % 64) + "\n"
    length = len(header) if header_len is None else header_len
    size = struct.pack("<H", length) if version == 1 else struct.pack("<I", length)
    return b"\x93NUMPY" + bytes([version, 0]) + size + header.encode("latin1") + data


def zip_archive(entries):
    """entries: (name, stored or deflated bytes, method, crc, declared uncompressed size); one central directory."""
    body, directory = b"", b""
    for name, payload, method, crc, size in entries:
        name = name.encode()
        local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0, crc, len(payload), size, len(name), 0)
        directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0, crc, len(payload), size,
                                 len(name), 0, 0, 0, 0, 0, len(body)) + name
        body += local + name + payload
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory), len(body), 0)
    return body + directory + end


def stored(name, data):
    return (name, data, 0, zlib.crc32(data) & 0xFFFFFFFF, len(data))


grid = struct.pack("<16d", *[float(i % 5 == 0) for i in range(16)])  # 4 memories of d = 4
put("liar.npy", npy("<f8", "(100000000000, 784)", b"\0" * 64))
put("short.npy", npy("<f8", "(4, 4)", b"\0" * 10))
put("object.npy", npy("|O", "(4, 4)", b"\x80\x04N." * 16))
put("nan.npy", npy("<f8", "(4, 4)", struct.pack("<d", float("nan")) + grid[8:]))
put("header-len.npy", npy("<f8", "(4, 4)", grid, version=2, header_len=1 << 30))
deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
bomb = deflater.compress(b"\0" * 4096) + deflater.flush()
put("bomb.npz", zip_archive([("x.npy", bomb, 8, 0, 0xFFFFFF00)]))
put("two.npz", zip_archive([stored("a.npy", npy("<f8", "(4, 4)", grid)), stored("b.npy", npy("<f8", "(4, 4)", grid))]))
put("fortran32.npy", npy("<f4", "(4, 4)", struct.pack("<16f", *struct.unpack("<16d", grid)), fortran=True))
put("labels.npz", zip_archive([stored("x.npy", npy("<f8", "(4, 4)", grid)),
                               stored("labels.npy", npy("<i8", "(4,)", struct.pack("<4q", 0, 1, 0, 1)))]))
