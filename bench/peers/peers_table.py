#!/usr/bin/python3
"""Prints the narratives table of `make bench-peers` from the result files the
systems wrote (JSON lists of rows, see narr_common.result): one row per system
with F1-samples coarse and fine per language and mean (pooled out-of-fold
articles; ± sd across folds for the mean), training seconds per fold,
prediction articles/s (single thread, whole corpus, model load included) and
peak RSS of that prediction run. Missing files or fields print as '-', so a
partial run still gives a table.

usage: peers_table.py TITLE RESULT.json...
"""
import json
import os
import sys

LANGS = ["BG", "EN", "HI", "PT", "RU"]


def cell(rec, level, lang):
    v = (rec.get(level) or {}).get(lang)
    return "%.3f" % v[0] if v else "-"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    title, files = sys.argv[1], sys.argv[2:]
    rows, missing = [], []
    for p in files:
        try:
            with open(p, encoding="utf-8") as f:
                rows += json.load(f)
        except (OSError, ValueError):
            missing.append(os.path.basename(p))
    print(title)
    hdr = "%-15s | %s | %s | %8s %9s %8s" % (
        "system", " ".join("%5s" % l for l in LANGS + ["mean"]) + " %6s" % "±sd",
        " ".join("%5s" % l for l in LANGS + ["mean"]) + " %6s" % "±sd", "train", "predict", "peakRSS")
    print("%-15s | %-42s | %-42s | %8s %9s %8s" % ("", "F1 coarse", "F1 fine", "s/fold", "art/s", "MB"))
    print(hdr)
    print("-" * len(hdr))
    for r in rows:
        parts = []
        for level in ("coarse", "fine"):
            m = (r.get(level) or {}).get("mean")
            parts.append(" ".join("%5s" % cell(r, level, l) for l in LANGS + ["mean"]) +
                         " %6s" % ("%.3f" % m[1] if m else "-"))
        tr = r.get("train_s_per_fold")
        aps = r.get("predict_aps")
        rss = r.get("peak_rss_kb")
        print("%-15s | %s | %s | %8s %9s %8s" % (
            r["system"], parts[0], parts[1], "%.1f" % tr if tr else "-", "%.0f" % aps if aps else "-",
            "%.0f" % (rss / 1024.0) if rss else "-"))
    print()
    for r in rows:
        if r.get("notes"):
            print("  %s: %s" % (r["system"], r["notes"]))
    for m in missing:
        print("  (no results from %s)" % m)
    return 0


if __name__ == "__main__":
    sys.exit(main())
