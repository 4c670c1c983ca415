#!/usr/bin/python3
"""Where the narrative classifier's F1 is lost: decoding ceilings from the
out-of-fold head scores of `narrascope cv --task narratives`.

    NS_NARR_OOF=oof.tsv narrascope cv --task narratives --data DIR --folds 5 --seed 1 -q
    bench/narr_oof.py oof.tsv [more.tsv ...]

The dump (format in src/narrative/narr_cv.c) holds, for every article, the fold
model's head scores and tuned thresholds. This script decodes them again with the
rules of src/narrative/narr_decode.c (float arithmetic as in C) and prints the
official F1-samples per language and their mean, which must equal what cv printed
(`--check` exits 1 otherwise). Then, on coarse F1 (the metric of the first
column of subtask 2), what other decisions of the same scores would give:

  thresholds  every coarse and subnarrative threshold moved by the same amount;
  fallback    rule 4's margin (an article with nothing on takes its best narrative);
  oracle thresholds   one offset per narrative (its head and its subnarratives'),
              chosen by coordinate ascent on the scored articles themselves: an
              upper bound for any per-narrative threshold tuning;
  oracle Other        told whether the article has a narrative at all (gold
              "Other" or not), the decoder keeps its own labels, or its best
              narrative when it had said "Other";
  oracle count        told how many narratives the article has, the decoder takes
              that many by margin: what the ranking alone is worth.

The oracles read the gold labels of the articles they score, so they are
ceilings, not estimates. Given several dumps (cv runs over the same folds with
different --params), the margins are also averaged (equal weights) and decoded
with threshold 0: a score-level ensemble of the runs.
"""
import collections
import math
import struct
import sys

LANG_ORDER = None  # languages in first-seen order, as cv prints them


def f32(x):
    return struct.unpack("f", struct.pack("f", x))[0]


class Dump:
    def __init__(self, path):
        self.path = path
        self.coarse, self.fine = {}, {}
        self.fine_other, self.parent, self.domain = {}, {}, {}
        self.other_c = self.other_f = -1
        self.docs = []
        with open(path, encoding="utf-8") as f:
            for ln, line in enumerate(f, 1):
                p = line.rstrip("\n").split("\t")
                try:
                    self._line(p)
                except (ValueError, IndexError):
                    sys.exit("%s:%d: not a NS_NARR_OOF line" % (path, ln))
        if not self.coarse or not self.docs:
            sys.exit("%s: no label header or no articles (written by a cv older than this script?)" % path)

    def _line(self, p):
        if p[0] == "#coarse":
            self.coarse[int(p[1])] = p[2]
            self.fine_other[int(p[1])] = int(p[3])
            self.domain[int(p[1])] = int(p[4])
        elif p[0] == "#fine":
            self.fine[int(p[1])] = p[2]
            self.parent[int(p[1])] = int(p[3])
        elif p[0] == "#other":
            self.other_c, self.other_f = int(p[1]), int(p[2])
        else:
            heads = []
            for t in p[10].split(" "):
                k, lab, s, th = t.split(":")
                heads.append((int(k), int(lab), f32(float(s)), f32(float(th))))
            self.docs.append({
                "id": p[0], "lang": p[1], "fold": int(p[2]),
                "gc": frozenset(int(x) for x in p[3].split(",") if x),
                "gf": frozenset(int(x) for x in p[4].split(",") if x),
                "mix": f32(float(p[5])), "fallback": f32(float(p[6])),
                "prune": f32(float(p[7])), "fine_fallback": f32(float(p[8])),
                "cal": None if p[9] == "-" else [f32(float(x)) for x in p[9].split(",")],
                "heads": heads})

    def margins(self, d):
        """Per head (kind, label): decision value minus threshold (float, as C);
        domain heads keep their raw score."""
        coarse_score = {lab: s for k, lab, s, th in d["heads"] if k == 0}
        out = {}
        for k, lab, s, th in d["heads"]:
            if k == 2:
                out[(k, lab)] = s
                continue
            v = s
            if k == 1:
                c = self.parent.get(lab, -1)
                if c in coarse_score:
                    v = f32(s + f32(d["mix"] * coarse_score[c]))
            out[(k, lab)] = f32(v - th)
        return out


def decode(dump, d, m, fallback=None, adj=None):
    """Coarse and fine label sets from margins m (rules of narr_decode.c).
    adj: per narrative index, an offset subtracted from its margins."""
    fallback = d["fallback"] if fallback is None else fallback
    dom, best_dom = None, 0.0
    for (k, lab), s in m.items():
        if k == 2 and (dom is None or s > best_dom):
            dom, best_dom = lab, s
    con, fon, cstr = set(), set(), {}
    fbest = {}
    veto = any_on = False
    best_c, best_margin = None, 0.0
    for (k, lab), mg in m.items():
        if k == 2:
            continue
        if k == 3:
            veto = veto or mg >= 0
            continue
        c = lab if k == 0 else dump.parent.get(lab, -1)
        if dom is not None and c >= 0 and dump.domain.get(c, -1) >= 0 and dump.domain[c] != dom:
            continue
        if adj and c >= 0:
            mg = f32(mg - adj.get(c, 0.0))
        if k == 0 and (best_c is None or mg > best_margin):
            best_c, best_margin = lab, mg
        if k == 1 and c >= 0 and mg > fbest.get(c, (-1e30, -1))[0]:
            fbest[c] = (mg, lab)
        if mg < 0:
            continue
        any_on = True
        if k == 1:
            fon.add(lab)
        if c >= 0:
            con.add(c)
            cstr[c] = max(cstr.get(c, -1e30), mg)
    if veto:
        any_on = False
    if any_on and d["prune"] > 0:
        top = max([cstr[c] for c in con] or [-1e30])
        con = {c for c in con if cstr[c] >= f32(top - d["prune"])}
        fon = {f for f in fon if dump.parent.get(f, -1) < 0 or dump.parent[f] in con}
    if not any_on and not veto and best_c is not None and best_margin >= -fallback:
        con, fon, any_on = {best_c}, set(), True
    if not any_on:
        return ({dump.other_c} - {-1}), ({dump.other_f} - {-1})
    has = {dump.parent[f] for f in fon if dump.parent.get(f, -1) >= 0}
    for c in con:
        if c not in has and d["fine_fallback"] > 0 and c in fbest and fbest[c][0] >= -d["fine_fallback"]:
            fon.add(fbest[c][1])
            has.add(c)
        if c not in has and dump.fine_other.get(c, -1) >= 0:
            fon.add(dump.fine_other[c])
    return con, fon


def strength(dump, m):
    """Per narrative of the decided domain: the largest margin of its own head
    and its subnarratives' heads."""
    dom = max(((s, lab) for (k, lab), s in m.items() if k == 2), default=(0, None))[1]
    out = {}
    for (k, lab), mg in m.items():
        c = lab if k == 0 else dump.parent.get(lab, -1) if k == 1 else -1
        if c < 0 or (dom is not None and dump.domain.get(c, -1) >= 0 and dump.domain[c] != dom):
            continue
        out[c] = max(out.get(c, -1e30), mg)
    return out


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def successes(p):
    out = [1.0]
    for q in p:
        out = [a * (1 - q) + b * q for a, b in zip(out + [0.0], [0.0] + out)]
    return out


def decode_ef1(dump, d, m):
    """Rule 0 of src/narrative/narr_ef1.c: the answer of largest expected F1."""
    cal, nc = d["cal"], (len(d["cal"]) - 3) // 2
    st = {c: v for c, v in strength(dump, m).items() if c != dump.other_c and c < nc}
    omargin = max([f32(s - (th if th < 1e29 else 0.0)) for k, lab, s, th in d["heads"] if k == 3] or [0.0])
    cand = sorted(((sigmoid(cal[2 * c] * st[c] + cal[2 * c + 1]), c) for c in st), key=lambda x: (-x[0], x[1]))
    po = sigmoid(cal[2 * nc] + cal[2 * nc + 1] * omargin + cal[2 * nc + 2] * (max(st.values()) if st else 0.0))
    best, best_k = po, 0
    ps = [q for q, _ in cand]
    for k in range(1, min(len(ps), 8) + 1):
        tp, fn = successes(ps[:k]), successes(ps[k:])
        e = (1 - po) * sum(a * b * 2.0 * t / (k + t + f) for t, a in enumerate(tp) for f, b in enumerate(fn))
        if e > best:
            best, best_k = e, k
    if best_k == 0:
        return ({dump.other_c} - {-1}), ({dump.other_f} - {-1})
    sel = {c for _, c in cand[:best_k]}
    fon = {lab for (k, lab), mg in m.items() if k == 1 and dump.parent.get(lab, -1) in sel and mg >= 0}
    for c in sel:
        if any(dump.parent.get(f, -1) == c for f in fon):
            continue
        kids = [(mg, -lab, lab) for (k, lab), mg in m.items() if k == 1 and dump.parent.get(lab, -1) == c]
        if kids:
            fon.add(max(kids)[2])
        elif dump.fine_other.get(c, -1) >= 0:
            fon.add(dump.fine_other[c])
    return sel, fon


def f1(g, p):
    tp = len(g & p)
    den = len(g) + len(p)
    return 2.0 * tp / den if den else 0.0


def per_language(docs, pairs):
    """Mean over languages of the per-language mean F1 of (gold, predicted) pairs."""
    by = collections.OrderedDict()
    for d, (g, p) in zip(docs, pairs):
        by.setdefault(d["lang"], []).append(f1(g, p))
    langs = {k: sum(v) / len(v) for k, v in by.items()}
    return sum(langs.values()) / len(langs), langs


def fmt(mean, langs):
    return "%.4f  (%s)" % (mean, " ".join("%s %.3f" % (k, v) for k, v in langs.items()))


def coarse_f1(dump, ms, **kw):
    return per_language(dump.docs, [(d["gc"], decode(dump, d, m, **kw)[0]) for d, m in zip(dump.docs, ms)])


def report(dump):
    ms = [dump.margins(d) for d in dump.docs]
    own = [decode_ef1(dump, d, m) if d["cal"] else decode(dump, d, m) for d, m in zip(dump.docs, ms)]
    c = per_language(dump.docs, [(d["gc"], x[0]) for d, x in zip(dump.docs, own)])
    f = per_language(dump.docs, [(d["gf"], x[1]) for d, x in zip(dump.docs, own)])
    print("%s: %d articles" % (dump.path, len(dump.docs)))
    print("  decoded again      coarse %s" % fmt(*c))
    print("                     fine   %s" % fmt(*f))
    dec = [decode(dump, d, m) for d, m in zip(dump.docs, ms)]
    if any(d["cal"] for d in dump.docs):
        print("  (expected-F1 rule 0; the lines below use the threshold rules)")
        print("  threshold rules    coarse %s" % fmt(*per_language(dump.docs, [(d["gc"], x[0]) for d, x in
                                                                            zip(dump.docs, dec)])))
        print("                     fine   %s" % fmt(*per_language(dump.docs, [(d["gf"], x[1]) for d, x in
                                                                            zip(dump.docs, dec)])))
    for sh in (-0.1, -0.05, 0.05, 0.1):
        adj = {k: sh for k in dump.coarse}
        print("  thresholds %+.2f   coarse %.4f" % (sh, coarse_f1(dump, ms, adj=adj)[0]))
    for fb in (0.0, 0.2, 0.5, 1e9):
        print("  fallback %-9s coarse %.4f" % ("none" if fb == 0 else "any" if fb > 1e6 else "%.2f" % fb,
                                                coarse_f1(dump, ms, fallback=fb)[0]))
    # oracle per-narrative offsets: coordinate ascent, two sweeps
    adj = {k: 0.0 for k in dump.coarse}
    best = c[0]
    for _ in range(2):
        for k in sorted(dump.coarse):
            keep = adj[k]
            for v in (-0.3, -0.2, -0.1, -0.05, 0.05, 0.1, 0.2, 0.3):
                adj[k] = v
                s = coarse_f1(dump, ms, adj=adj)[0]
                if s > best + 1e-12:
                    best, keep = s, v
            adj[k] = keep
    print("  oracle thresholds  coarse %.4f" % best)
    other = {dump.other_c}
    strengths = [strength(dump, m) for m in ms]
    pairs = []
    for d, st, (pc, _) in zip(dump.docs, strengths, dec):
        if d["gc"] == other:
            pc = other
        elif pc == other and st:
            pc = {max(st, key=st.get)}
        pairs.append((d["gc"], pc))
    print("  oracle Other       coarse %s" % fmt(*per_language(dump.docs, pairs)))
    pairs = []
    for d, st in zip(dump.docs, strengths):
        k = 0 if d["gc"] == other else len(d["gc"])
        pairs.append((d["gc"], set(sorted(st, key=lambda c: -st[c])[:k]) if k else other))
    print("  oracle count       coarse %s" % fmt(*per_language(dump.docs, pairs)))
    return c, f


def ensemble(dumps):
    base = dumps[0]
    index = [{d["id"]: (d, x.margins(d)) for d in x.docs} for x in dumps]
    pairs = []
    for d in base.docs:
        rows = [ix.get(d["id"]) for ix in index]
        if any(r is None for r in rows):
            sys.exit("%s: article %s is missing from another dump" % (base.path, d["id"]))
        m = {}
        for key in rows[0][1]:
            m[key] = sum(r[1].get(key, 0.0) for r in rows) / len(rows)
        pairs.append((d["gc"], decode(base, d, m)[0]))
    print("ensemble of %d dumps  coarse %s" % (len(dumps), fmt(*per_language(base.docs, pairs))))


def main():
    args = sys.argv[1:]
    check = None
    if args and args[0] == "--check":
        check = (float(args[1]), float(args[2]))
        args = args[3:]
    if not args:
        sys.exit(__doc__.split("\n\n")[1])
    dumps = [Dump(p) for p in args]
    c, f = report(dumps[0])
    for x in dumps[1:]:
        report(x)
    if len(dumps) > 1:
        ensemble(dumps)
    if check and (round(c[0], 3) != check[0] or round(f[0], 3) != check[1]):
        print("narr_oof: decoded coarse %.3f fine %.3f, cv printed %.3f %.3f" % (c[0], f[0], check[0], check[1]))
        sys.exit(1)


if __name__ == "__main__":
    main()
