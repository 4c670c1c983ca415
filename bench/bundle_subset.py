#!/usr/bin/env python3
"""Writes a copy of a model bundle (.nsm) that keeps only the named sections, so
`make bench` can time `analyze` with some layers off (a stage whose sections are
absent is skipped, src/pipeline/stage.h). The layout is the one documented at the
top of src/model/bundle.c (version 1): 64-byte header, 64-byte section entries,
16-byte aligned section data, CRC-32 (IEEE, as zlib.crc32) of header, table and
every section.

Usage: bench/bundle_subset.py IN.nsm OUT.nsm SECTION...
Exit 0, or 2 with a message when IN is not a version-1 bundle or a section is missing.
"""
import struct
import sys
import zlib

MAGIC = b"\x89NSM\r\n\x1a\n"
HDR, ENTRY, ALIGN = 64, 64, 16


def die(msg):
    sys.stderr.write("bundle_subset: %s\n" % msg)
    sys.exit(2)


def main(argv):
    if len(argv) < 4:
        die("usage: bundle_subset.py IN.nsm OUT.nsm SECTION...")
    src, dst, keep = argv[1], argv[2], argv[3:]
    with open(src, "rb") as f:
        d = f.read()
    if len(d) < HDR or d[:8] != MAGIC:
        die("%s: not a model bundle" % src)
    version, _hsize, nsec, _flags, toff = struct.unpack_from("<IIIIQ", d, 8)
    if version != 1:
        die("%s: bundle format version %d (this script reads 1)" % (src, version))
    secs = {}
    for i in range(nsec):
        e = toff + i * ENTRY
        name = d[e:e + 32].rstrip(b"\0").decode("ascii")
        off, length = struct.unpack_from("<QQ", d, e + 32)
        secs[name] = d[off:off + length]
    missing = [k for k in keep if k not in secs]
    if missing:
        die("%s: no section %s (has %s)" % (src, ", ".join(missing), ", ".join(sorted(secs))))
    tend = HDR + len(keep) * ENTRY
    pos, table, body = tend, b"", b""
    for name in keep:
        data = secs[name]
        pad = (-pos) % ALIGN
        body += b"\0" * pad
        pos += pad
        table += name.encode("ascii").ljust(32, b"\0")
        table += struct.pack("<QQI", pos, len(data), zlib.crc32(data) & 0xFFFFFFFF) + b"\0" * 12
        body += data
        pos += len(data)
    hdr = MAGIC + struct.pack("<IIIIQQI", 1, HDR, len(keep), 0, HDR, pos, zlib.crc32(table) & 0xFFFFFFFF)
    hdr += struct.pack("<I", zlib.crc32(hdr) & 0xFFFFFFFF) + b"\0" * 16
    with open(dst, "wb") as f:
        f.write(hdr + table + body)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
