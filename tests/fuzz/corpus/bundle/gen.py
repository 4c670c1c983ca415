#!/usr/bin/env python3
"""Writes the fuzz corpus for tests/fuzz/fuzz_bundle.c: a few tiny valid and
broken .nsm bundles. An independent Python writer of the format documented at
the top of src/model/bundle.c, so the corpus also cross-checks the C reader.
Run from anywhere: python3 tests/fuzz/corpus/bundle/gen.py"""
import os
import struct
import zlib

MAGIC = b"\x89NSM\r\n\x1a\n"
HERE = os.path.dirname(os.path.abspath(__file__))


def bundle(sections, version=1):
    """sections: list of (name, bytes) -> file bytes (version 1 layout)."""
    table_end = 64 + 64 * len(sections)
    pos, entries, body = table_end, b"", b""
    for name, data in sections:
        pad = (-pos) % 16
        body += b"\0" * pad
        pos += pad
        entries += struct.pack("<32sQQI12x", name.encode(), pos, len(data), zlib.crc32(data))
        body += data
        pos += len(data)
    head = MAGIC + struct.pack("<IIIIQQI", version, 64, len(sections), 0, 64, pos, zlib.crc32(entries))
    head += struct.pack("<I", zlib.crc32(head)) + b"\0" * 16
    return head + entries + body


def reseal(f):
    """Recomputes table and header checksums after a structural edit."""
    f = bytearray(f)
    n = struct.unpack_from("<I", f, 16)[0]
    struct.pack_into("<I", f, 40, zlib.crc32(bytes(f[64:64 + 64 * n])))
    struct.pack_into("<I", f, 44, zlib.crc32(bytes(f[:44])))
    return bytes(f)


manifest = b"created-by\tgen.py\nbuild-version\t0.0\ncv.narratives.f1_coarse.mean\t0.5 0.01\nodd\ta\\tb\n"
taxonomy = b"coarse\tURW: A\nfine\tURW: A: x\tURW: A\nrole\tProtagonist\tGuardian\n"
floats = struct.pack("<8f", 0.0, 1.0, -1.5, 2.25, 1e-3, 3.0, -7.0, 0.5)
valid = bundle([("manifest", manifest), ("taxonomy", taxonomy), ("w", floats), ("empty", b""), ("odd", b"abc")])

cases = {
    "valid-empty.nsm": bundle([]),
    "valid-small.nsm": valid,
    "valid-one.nsm": bundle([("x", b"\x01")]),
    "trunc-header.nsm": valid[:40],
    "trunc-table.nsm": valid[:100],
    "trunc-section.nsm": valid[:len(valid) - 2],
    "flip-section.nsm": valid[:-1] + bytes([valid[-1] ^ 1]),
    "wrong-magic.nsm": b"\x89NSX" + valid[4:],
    "text-file.nsm": b"this is not a model\n",
}
v2 = bytearray(valid)
struct.pack_into("<I", v2, 8, 2)
cases["newer-version.nsm"] = reseal(v2)
ov = bytearray(valid)
struct.pack_into("<Q", ov, 128 + 32, struct.unpack_from("<Q", ov, 64 + 32)[0])
cases["overlap.nsm"] = reseal(ov)
dup = bytearray(valid)
dup[128:160] = b"manifest".ljust(32, b"\0")
cases["duplicate.nsm"] = reseal(dup)
out = bytearray(valid)
struct.pack_into("<Q", out, 192 + 40, 1 << 40)
cases["outside.nsm"] = reseal(out)
many = bytearray(valid)
struct.pack_into("<I", many, 16, 0xFFFFFFFF)
cases["huge-count.nsm"] = reseal(many[:64]) + bytes(many[64:])
badman = bundle([("manifest", b"k\tv\\q\n\xff\n")])
cases["bad-manifest.nsm"] = badman

for name, data in sorted(cases.items()):
    with open(os.path.join(HERE, name), "wb") as fh:
        fh.write(data)
print("wrote %d files to %s" % (len(cases), HERE))
