#!/usr/bin/python3
"""Framing (subtask 1) peers for `make bench-peers`: two classic baselines scored
with the official entity-framing metrics on the same document folds as narrascope.

  memory : entity memory -- the most frequent training label (main role + fine
           roles) of the same normalised mention string, else the training
           majority label.
  tfidf  : TF-IDF character 2-5-grams (char_wb) of a +-250-character context
           window around the mention, mention itself marked, LinearSVC
           (class_weight balanced): one model for the main role, one for the
           first fine role; the fine role is the best-scoring one that belongs to
           the predicted main role.

Folds come from `narrascope cv --dump-folds FILE` (article_id<TAB>lang<TAB>fold)
so the split is the one the C code uses; without --folds-file a deterministic
document split stratified by language is made here (and said so on stderr).
Prints per language and mean over languages: EMR, micro F1, main-role accuracy,
each as mean +- population std across folds, plus train time and prediction
mentions/s.

usage: framing_peers.py --data DIR [--folds-file F] [--folds 5] [--seed 1]
"""
import argparse
import collections
import hashlib
import os
import statistics
import sys
import time

LANGS = ["BG", "EN", "HI", "PT", "RU"]


def read_roles(data_root):
    path = os.path.join(data_root, "..", "taxonomy", "roles.tsv")
    if not os.path.exists(path):
        path = os.path.join(data_root, "taxonomy", "roles.tsv")
    fine_of = {}
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            parts = line.rstrip("\n").split("\t")
            if i == 0 or len(parts) != 2:
                continue
            fine_of[parts[1]] = parts[0]
    return fine_of


def align(text, mention, start):
    """Start offset of mention in text: exact, then CRLF-counted, then nearest
    occurrence within 300 characters; -1 when absent."""
    n = len(mention)
    if text[start:start + n] == mention:
        return start
    # offsets taken on CRLF text: position p in LF text is p + newlines before p
    nl = 0
    for p, ch in enumerate(text):
        if p + nl == start:
            if text[p:p + n] == mention:
                return p
            break
        if p + nl > start:
            break
        if ch == "\n":
            nl += 1
    best, bestd = -1, 10 ** 9
    lo = max(0, start - 300)
    i = text.find(mention, lo)
    while i != -1 and i <= start + 300:
        d = abs(i - start)
        if d < bestd:
            best, bestd = i, d
        i = text.find(mention, i + 1)
    return best


def load(data_root):
    mentions = []  # dicts
    counts = collections.Counter()
    for lang in LANGS:
        d = os.path.join(data_root, lang)
        ann = os.path.join(d, "subtask-1-annotations.txt")
        if not os.path.exists(ann):
            continue
        texts = {}
        with open(ann, encoding="utf-8") as f:
            for ln, line in enumerate(f, 1):
                parts = line.rstrip("\n").split("\t")
                if len(parts) < 6:
                    counts["malformed"] += 1
                    continue
                aid, mention, s, e, main = parts[:5]
                fines = parts[5:]
                if aid not in texts:
                    p = os.path.join(d, "raw-documents", aid)
                    try:
                        with open(p, encoding="utf-8", newline="") as tf:
                            texts[aid] = tf.read()
                    except OSError:
                        counts["missing-doc"] += 1
                        continue
                text = texts[aid]
                pos = align(text, mention, int(s))
                if pos < 0:
                    counts["unaligned"] += 1
                    pos = min(int(s), len(text))
                mentions.append(dict(lang=lang, aid=aid, mention=mention, s=s, e=e,
                                     main=main, fines=fines, pos=pos, text=text))
    return mentions, counts


def make_folds(mentions, k, seed):
    by_lang = collections.defaultdict(set)
    for m in mentions:
        by_lang[m["lang"]].add(m["aid"])
    fold = {}
    for lang, ids in by_lang.items():
        order = sorted(ids, key=lambda a: hashlib.sha1(("%d:%s" % (seed, a)).encode()).hexdigest())
        for i, a in enumerate(order):
            fold[a] = i % k
    return fold


def read_folds(path):
    fold = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3:
                fold[parts[0]] = int(parts[2])
    return fold


def norm_mention(s):
    return " ".join(s.replace('"', "").lower().split())


def score(golds, preds):
    """Official subtask-1 metrics over paired (main, fines) labels."""
    n = len(golds)
    if n == 0:
        return None
    emr = sum(1 for g, p in zip(golds, preds) if g[0] == p[0] and list(g[1]) == list(p[1])) / n
    acc = sum(1 for g, p in zip(golds, preds) if g[0] == p[0]) / n
    tp = fp = fn = 0
    for g, p in zip(golds, preds):
        gs, ps = set(g[1]), set(p[1])
        tp += len(gs & ps)
        fp += len(ps - gs)
        fn += len(gs - ps)
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return emr, f1, acc


def peer_memory(train, test):
    table = collections.defaultdict(collections.Counter)
    allc = collections.Counter()
    for m in train:
        lab = (m["main"], tuple(m["fines"]))
        table[norm_mention(m["mention"])][lab] += 1
        allc[lab] += 1
    # ties broken by label string so runs are deterministic
    top = lambda c: max(c.items(), key=lambda kv: (kv[1], kv[0]))[0]
    maj = top(allc)
    return [top(table[k]) if (k := norm_mention(m["mention"])) in table else maj for m in test]


def context(m):
    t, p, n = m["text"], m["pos"], len(m["mention"])
    return (t[max(0, p - 250):p] + " [[" + t[p:p + n] + "]] " + t[p + n:p + n + 250]).lower()


def peer_tfidf(train, test, fine_of, seed):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC
    import numpy as np
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2,
                          max_features=300000)
    X = vec.fit_transform([context(m) for m in train])
    Xt = vec.transform([context(m) for m in test])
    main = LinearSVC(class_weight="balanced", random_state=seed).fit(X, [m["main"] for m in train])
    fine = LinearSVC(class_weight="balanced", random_state=seed).fit(X, [m["fines"][0] for m in train])
    pm = main.predict(Xt)
    df = fine.decision_function(Xt)
    out = []
    for i, mr in enumerate(pm):
        best, bs = None, -np.inf
        for j, c in enumerate(fine.classes_):
            if fine_of.get(c) == mr and df[i, j] > bs:
                best, bs = c, df[i, j]
        out.append((mr, (best,) if best else ()))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True, help="train dir holding BG EN HI PT RU")
    ap.add_argument("--folds-file", help="article_id<TAB>lang<TAB>fold (narrascope cv --dump-folds)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--peers", default="memory,tfidf")
    a = ap.parse_args()

    fine_of = read_roles(a.data)
    mentions, counts = load(a.data)
    if counts:
        print("framing peers: input counts %s" % dict(counts), file=sys.stderr)
    if a.folds_file:
        fold = read_folds(a.folds_file)
        miss = sorted({m["aid"] for m in mentions if m["aid"] not in fold})
        if miss:
            sys.exit("framing peers: %d articles missing from %s (first %s)" % (len(miss), a.folds_file, miss[0]))
        k = max(fold.values()) + 1
    else:
        print("framing peers: no --folds-file; using own split (sha1 of seed:id, by language)", file=sys.stderr)
        fold = make_folds(mentions, a.folds, a.seed)
        k = a.folds

    print("framing peers, %d-fold CV by document, %d mentions" % (k, len(mentions)))
    print("%-8s %-5s %-15s %-15s %-15s" % ("system", "lang", "EMR", "microF1", "mainAcc"))
    for peer in a.peers.split(","):
        per = collections.defaultdict(list)  # (lang) -> list of fold tuples
        ttrain = tpred = 0.0
        npred = 0
        for f in range(k):
            train = [m for m in mentions if fold[m["aid"]] != f]
            test = [m for m in mentions if fold[m["aid"]] == f]
            t0 = time.perf_counter()
            if peer == "memory":
                preds = peer_memory(train, test)
                t1 = time.perf_counter()
            elif peer == "tfidf":
                preds = peer_tfidf(train, test, fine_of, a.seed)
                t1 = time.perf_counter()
            else:
                sys.exit("framing peers: unknown peer %s" % peer)
            ttrain += t1 - t0
            npred += len(test)
            fold_lang = {}
            for lang in LANGS:
                idx = [i for i, m in enumerate(test) if m["lang"] == lang]
                r = score([(test[i]["main"], test[i]["fines"]) for i in idx], [preds[i] for i in idx])
                if r:
                    per[lang].append(r)
                    fold_lang[lang] = r
            if fold_lang:
                per["mean"].append(tuple(statistics.mean(v[j] for v in fold_lang.values()) for j in range(3)))
        for lang in LANGS + ["mean"]:
            if not per[lang]:
                continue
            cols = []
            for j in range(3):
                vals = [v[j] for v in per[lang]]
                cols.append("%.4f+-%.4f" % (statistics.mean(vals), statistics.pstdev(vals)))
            print("%-8s %-5s %-15s %-15s %-15s" % (peer, lang, *cols))
        print("%-8s time %.1fs for %d folds (train+predict), %d mentions predicted" % (peer, ttrain, k, npred))
    return 0


if __name__ == "__main__":
    sys.exit(main())
