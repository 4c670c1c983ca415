#!/usr/bin/python3
"""Prediction speed of narrascope and fastText side by side, for `make bench-peers`.

The best-of-3 predict runs of narr_narrascope.py and narr_fasttext.py are minutes
apart, and this machine's speed drifts by up to 2x within minutes (session 17:
fastText's predict took 0.87 s in one interleaved loop and 1.54 s in a best of 3
of the same hour). Here the two run in alternation, ROUNDS times, and the ratio of
their minima is printed: same corpus, single thread, model load included.

usage: predict_side.py --bin BIN --model M --data TRAIN --ft-model F.bin --ft-input ALL.txt [--rounds 7]
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

LANGS = ("BG", "EN", "HI", "PT", "RU")


def wall(cmd, stdout):
    t = time.perf_counter()
    r = subprocess.run(cmd, stdout=stdout, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t if r.returncode == 0 else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--ft-model", required=True)
    ap.add_argument("--ft-input", required=True)
    ap.add_argument("--rounds", type=int, default=7)
    a = ap.parse_args()
    for p in (a.bin, a.model, a.ft_model, a.ft_input):
        if not os.path.exists(p):
            print("predict side by side: not available (%s missing)" % p)
            return 0
    dirs = [os.path.join(a.data, l, "raw-documents") for l in LANGS
            if os.path.isdir(os.path.join(a.data, l, "raw-documents"))]
    ndocs = sum(1 for d in dirs for f in os.listdir(d) if f.endswith(".txt"))
    with open(a.ft_input, encoding="utf-8") as f:
        nft = sum(1 for ln in f if ln.strip())
    if ndocs == 0 or ndocs != nft:
        print("predict side by side: not available (%d articles, fastText input has %d lines)" % (ndocs, nft))
        return 0
    fd, pred = tempfile.mkstemp(prefix="peers-side-", suffix=".tsv")
    os.close(fd)
    ns, ft = [], []
    try:
        for _ in range(max(1, a.rounds)):
            ns.append(wall([a.bin, "predict", "--task", "narratives", "--model", a.model, "-j", "1", "-q",
                            "-o", pred] + dirs, subprocess.DEVNULL))
            ft.append(wall(["fasttext", "predict", a.ft_model, a.ft_input, "-1", "0.5"], subprocess.DEVNULL))
    finally:
        os.unlink(pred)
    ns = [t for t in ns if t]
    ft = [t for t in ft if t]
    if not ns or not ft:
        print("predict side by side: a predict command failed")
        return 0
    n, f = min(ns), min(ft)
    print("predict side by side (%d alternating rounds, minimum wall, %d articles, single thread, model load "
          "included):" % (len(ns), ndocs))
    print("  narrascope %.3f s (%.0f art/s), fastText %.3f s (%.0f art/s): narrascope %.2fx fastText"
          % (n, ndocs / n, f, ndocs / f, f / n))
    print("  medians: narrascope %.3f s, fastText %.3f s" % (sorted(ns)[len(ns) // 2], sorted(ft)[len(ft) // 2]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
