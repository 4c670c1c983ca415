#!/usr/bin/python3
"""narrascope's own row in `make bench-peers` (narratives, subtask 2):

  1. `narrascope cv --task narratives --folds K --seed S -j JOBS --dump-folds F`
     under /usr/bin/time -v: its per-language F1 coarse/fine table (parsed from
     its output: pooled out-of-fold F1-samples, sd across folds) and its wall
     time / K as training time per fold. The folds file F then defines the folds
     of every peer, so all systems are scored on the same split.
  2. `narrascope predict --task narratives --model M` over every training
     article, single thread, model load included, under /usr/bin/time -v:
     articles/s and peak RSS. M is --model when given and present, else
     models/default.nsm, else a model trained here (`narrascope train`, timed).

Each missing piece is reported ("narrascope cv not available: ...") and the row
is written with what could be measured; the script never fails the benchmark.

usage: narr_narrascope.py --bin BIN --data TRAIN --taxonomy TAX --folds-out F
                          --out RESULT.json [--model M] [--folds 5] [--seed 1]
                          [--jobs 2] [--timeout 480] [--work DIR]
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

import narr_common as nc

ROW = re.compile(r"^(\S+)\s+(?:(\d+)\s+)?([0-9.]+)\s+\(([0-9.]+)\)\s+([0-9.]+)\s+\(([0-9.]+)\)\s*$")
SECS = re.compile(r"([0-9.]+) s\)\s*$")


def timed(cmd, timeout):
    """Runs cmd under GNU time -v. Returns (rc, stdout, stderr, elapsed, rss);
    rc None on timeout, -127 when the binary cannot run."""
    tf = tempfile.NamedTemporaryFile(prefix="peers-time-", delete=False)
    tf.close()
    try:
        p = subprocess.run(["/usr/bin/time", "-v", "-o", tf.name] + cmd, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout)
        with open(tf.name, encoding="utf-8", errors="replace") as f:
            el, rss = nc.parse_time_v(f.read())
        return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace"), el, rss
    except subprocess.TimeoutExpired:
        return None, "", "", None, None
    except OSError as e:
        return -127, "", str(e), None, None
    finally:
        os.unlink(tf.name)


def first_line(s):
    for ln in s.splitlines():
        ln = ln.strip()
        if ln:
            return ln
    return "(no message)"


def parse_cv(text):
    """narrascope cv table -> ({coarse: {lang: [v, sd]}, fine: ...}, seconds)."""
    res = {"coarse": {}, "fine": {}}
    secs = None
    for ln in text.splitlines():
        m = ROW.match(ln.strip())
        if m:
            lang = m.group(1).upper() if m.group(1).lower() != "mean" else "mean"
            res["coarse"][lang] = [float(m.group(3)), float(m.group(4))]
            res["fine"][lang] = [float(m.group(5)), float(m.group(6))]
        s = SECS.search(ln)
        if s:
            secs = float(s.group(1))
    return (res if "mean" in res["coarse"] else None), secs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--taxonomy", required=True)
    ap.add_argument("--folds-out", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--model")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=int, default=480)
    ap.add_argument("--work", default=tempfile.gettempdir())
    a = ap.parse_args()
    notes, scores, train_s, aps, rss = [], None, None, None, None

    # 1. cross-validation (also writes the folds every peer uses)
    cmd = [a.bin, "cv", "--task", "narratives", "--data", a.data, "--taxonomy", a.taxonomy, "--folds",
           str(a.folds), "--seed", str(a.seed), "-j", str(a.jobs), "--dump-folds", a.folds_out, "-q"]
    nc.warn("narrascope: " + " ".join(cmd[1:]))
    rc, out, err, el, _ = timed(cmd, a.timeout)
    if rc is None:
        notes.append("narrascope cv not available: timed out after %d s" % a.timeout)
    elif rc != 0:
        notes.append("narrascope cv not available: " + first_line(err or out))
    else:
        scores, secs = parse_cv(out)
        if scores is None:
            notes.append("narrascope cv: output not understood (table lines 'LANG DOCS F (SD) F (SD)' expected)")
            sys.stderr.write(out)
        else:
            train_s = (secs or el) / a.folds
            notes.append("cv -j%d, %.1f s wall for %d folds (incl. threshold tuning and fold predictions)"
                         % (a.jobs, el or 0, a.folds))
        print(out.rstrip("\n"))
    for n in notes:
        nc.warn(n)

    # 2. prediction speed over every article, single thread, model load included
    model = a.model if a.model and os.path.exists(a.model) else None
    if not model:
        repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        dflt = os.path.join(repo, "models", "default.nsm")
        if os.path.exists(dflt):
            model = dflt
    if not model:
        model = os.path.join(a.work, "peers-narratives.nsm")
        cmd = [a.bin, "train", "--task", "narratives", "--data", a.data, "--taxonomy", a.taxonomy, "--seed",
               str(a.seed), "-j", str(a.jobs), "-q", "-o", model]
        rc, out, err, el, trss = timed(cmd, a.timeout)
        if rc != 0:
            notes.append("narrascope train not available: " + ("timed out" if rc is None else first_line(err or out)))
            model = None
        else:
            notes.append("model trained here in %.1f s (peak RSS %d KB)" % (el, trss or 0))
    if model:
        dirs = [os.path.join(a.data, l, "raw-documents") for l in nc.LANGS
                if os.path.isdir(os.path.join(a.data, l, "raw-documents"))]
        ndocs = sum(len([f for f in os.listdir(d) if f.endswith(".txt")]) for d in dirs)
        pred = os.path.join(a.work, "peers-narrascope-predict.tsv")
        cmd = [a.bin, "predict", "--task", "narratives", "--model", model, "-j", "1", "-q", "-o", pred] + dirs
        # best of PREDICT_RUNS (the fastText peer does the same): one run's wall
        # time swings by 10-30% with the machine's load and clock
        best = None
        for _ in range(nc.PREDICT_RUNS):
            rc, out, err, el, rss = timed(cmd, a.timeout)
            if rc != 0 or not el:
                break
            best = el if best is None or el < best else best
        if rc != 0 or not el:
            notes.append("narrascope predict not available: " + ("timed out" if rc is None else first_line(err or out)))
            rss = None
        else:
            el = best
            aps = ndocs / el
            notes.append("predict %d articles in %.2f s with %s (best of %d)" % (ndocs, el, os.path.basename(model),
                                                                              nc.PREDICT_RUNS))
        if os.path.exists(pred):
            os.unlink(pred)
    nc.write_results(a.out, [nc.result("narrascope", scores, train_s, aps, rss, "; ".join(notes))])
    return 0


if __name__ == "__main__":
    sys.exit(main())
