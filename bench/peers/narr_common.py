"""Shared pieces of the narrative (subtask 2) peers of `make bench-peers`:
corpus and taxonomy loading, the CV folds (narrascope's --dump-folds file, or a
re-implementation of src/learn/folds.c when it is absent), the conversion of a
predicted label set to the official format, and the official F1-samples metric
(../shared/data/README.md), plus the result record every peer writes as JSON.

Run with Debian's /usr/bin/python3 (python3-sklearn, numpy); standard library
only in this file."""
import json
import os
import resource
import sys

LANGS = ["BG", "EN", "HI", "PT", "RU"]
# single-threaded prediction-speed runs per system (narrascope, fastText): the
# best wall time counts, so one slow moment of the machine does not decide the ratio
PREDICT_RUNS = 3
MASK64 = (1 << 64) - 1


def warn(msg):
    print("peers: " + msg, file=sys.stderr, flush=True)


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [ln.rstrip("\r\n") for ln in f if ln.strip()]


def load_taxonomy(taxdir):
    coarse = read_lines(os.path.join(taxdir, "narratives.txt"))
    fine = read_lines(os.path.join(taxdir, "subnarratives.txt"))
    return coarse, fine


def parent_of(label, coarse_sorted):
    """Narrative of a subnarrative: the longest coarse label followed by ': '."""
    for c in coarse_sorted:
        if label.startswith(c + ": "):
            return c
    return None


def load_corpus(train_dir):
    """Articles with gold labels: list of dicts id, lang, text, coarse (set),
    fine (set). Missing documents are counted and reported, never silent."""
    docs, missing = [], 0
    for lang in LANGS:
        ann = os.path.join(train_dir, lang, "subtask-2-annotations.txt")
        if not os.path.exists(ann):
            continue
        seen = set()
        with open(ann, encoding="utf-8") as f:
            for ln in f:
                parts = ln.rstrip("\r\n").split("\t")
                if len(parts) < 3 or parts[0] in seen:
                    continue
                seen.add(parts[0])
                path = os.path.join(train_dir, lang, "raw-documents", parts[0])
                try:
                    with open(path, encoding="utf-8", errors="replace") as tf:
                        text = tf.read()
                except OSError:
                    missing += 1
                    continue
                co = {s.strip() for s in parts[1].split(";") if s.strip()}
                fi = {s.strip() for s in parts[2].split(";") if s.strip()}
                docs.append(dict(id=parts[0], lang=lang, text=text, coarse=co, fine=fi))
    if missing:
        warn("%d annotated articles have no raw document (skipped)" % missing)
    return docs


def splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & MASK64
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return state, z ^ (z >> 31)


def assign_folds(docs, k, seed):
    """Re-implementation of ns_folds_assign (src/learn/folds.h): per language,
    ids sorted bytewise, Fisher-Yates from the end with splitmix64 seeded per
    language, fold = shuffled position mod k."""
    fold = {}
    for lang in sorted({d["lang"] for d in docs}):
        ids = sorted((d["id"] for d in docs if d["lang"] == lang), key=lambda s: s.encode())
        state = seed & MASK64
        for i in range(len(ids) - 1, 0, -1):
            state, r = splitmix64(state)
            j = r % (i + 1)
            ids[i], ids[j] = ids[j], ids[i]
        for r, a in enumerate(ids):
            fold[a] = r % k
    return fold


def load_folds(path, docs, k, seed):
    """Folds from `narrascope cv --dump-folds` (article_id<TAB>lang<TAB>fold) when
    the file exists, else our re-implementation. Returns (fold dict, k, source)."""
    if path and os.path.exists(path) and os.path.getsize(path) > 0:
        fold = {}
        with open(path, encoding="utf-8") as f:
            for ln in f:
                p = ln.rstrip("\n").split("\t")
                if len(p) >= 3:
                    fold[p[0]] = int(p[2])
        miss = [d["id"] for d in docs if d["id"] not in fold]
        if miss:
            sys.exit("peers: %d articles missing from %s (first %s)" % (len(miss), path, miss[0]))
        return fold, max(fold.values()) + 1, "narrascope --dump-folds"
    return assign_folds(docs, k, seed), k, "re-implemented ns_folds_assign (no --dump-folds file)"


def to_official(pred, coarse_sorted):
    """Predicted label set (coarse and fine mixed) -> (coarse list, fine list) in
    the official subtask-2 convention: a subnarrative implies its narrative; a
    narrative without a subnarrative gets 'NARRATIVE: Other'; nothing -> Other."""
    cs = {c for c in pred if c in coarse_sorted and c != "Other"}
    fs = set()
    for lab in pred:
        p = parent_of(lab, coarse_sorted)
        if p:
            fs.add(lab)
            cs.add(p)
    for c in cs:
        if not any(parent_of(f, coarse_sorted) == c for f in fs):
            fs.add(c + ": Other")
    if not cs:
        return ["Other"], ["Other"]
    return sorted(cs), sorted(fs)


def f1_samples(gold_sets, pred_sets, classes):
    """Official F1-samples: per article 2TP/(2TP+FP+FN) over the class list
    (labels outside it ignored; 0 when TP+FP+FN = 0), mean over articles."""
    cl = set(classes)
    tot = 0.0
    for g, p in zip(gold_sets, pred_sets):
        g, p = set(g) & cl, set(p) & cl
        tp, fp, fn = len(g & p), len(p - g), len(g - p)
        tot += 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    return tot / len(gold_sets) if gold_sets else float("nan")


def write_tsv(path, rows):
    """rows: (article_id, coarse list, fine list) -> official subtask-2 TSV."""
    with open(path, "w", encoding="utf-8") as f:
        for aid, co, fi in rows:
            f.write("%s\t%s\t%s\n" % (aid, ";".join(co), ";".join(fi)))


class Scores:
    """F1-samples per language as narrascope cv reports it: the mean over the
    pooled out-of-fold articles of the language, with the population sd of the
    per-fold means; mean over languages; sd of the per-fold language means."""

    def __init__(self, coarse_classes, fine_classes):
        self.cc, self.fc = coarse_classes, fine_classes
        self.per = {"coarse": {l: [] for l in LANGS}, "fine": {l: [] for l in LANGS}}  # lang -> [per-fold article F1 list]

    def add_fold(self, test_docs, preds):
        """preds[i] = (coarse list, fine list) for test_docs[i]."""
        for lang in LANGS:
            idx = [i for i, d in enumerate(test_docs) if d["lang"] == lang]
            if not idx:
                continue
            for level, key, cl in (("coarse", 0, self.cc), ("fine", 1, self.fc)):
                self.per[level][lang].append([f1_samples([test_docs[i][level]], [preds[i][key]], cl) for i in idx])

    def as_dict(self):
        """{level: {lang|"mean": [pooled mean, sd across folds]}}"""
        out = {}
        for level in ("coarse", "fine"):
            d, fold_means = {}, []
            for lang in LANGS:
                folds = self.per[level][lang]
                if not folds:
                    continue
                pooled = [v for f in folds for v in f]
                fm = [sum(f) / len(f) for f in folds]
                d[lang] = [sum(pooled) / len(pooled), pstdev(fm)]
                fold_means.append(fm)
            if d:
                langs = [l for l in LANGS if l in d]
                nf = min(len(f) for f in fold_means)
                across = [sum(fm[i] for fm in fold_means) / len(fold_means) for i in range(nf)]
                d["mean"] = [sum(d[l][0] for l in langs) / len(langs), pstdev(across)]
            out[level] = d
        return out


def pstdev(v):
    if not v:
        return 0.0
    m = sum(v) / len(v)
    return (sum((x - m) ** 2 for x in v) / len(v)) ** 0.5


def oof_scores(test_docs, folds_of, label_scores, thr, cs, coarse, fine):
    """Scores of out-of-fold predictions at threshold thr: label_scores[i] maps
    label -> score for test_docs[i], folds_of[i] is its fold. Returns (Scores,
    official rows)."""
    sc = Scores(coarse, fine)
    rows = []
    for f in sorted(set(folds_of)):
        idx = [i for i in range(len(test_docs)) if folds_of[i] == f]
        preds = [to_official({l for l, v in label_scores[i].items() if v >= thr}, cs) for i in idx]
        sc.add_fold([test_docs[i] for i in idx], preds)
        rows += [(test_docs[i]["id"], p[0], p[1]) for i, p in zip(idx, preds)]
    return sc, rows


def overall(sc):
    """Mean over languages of (coarse + fine) / 2, for picking a threshold."""
    d = sc.as_dict()
    return (d["coarse"]["mean"][0] + d["fine"]["mean"][0]) / 2 if d.get("coarse") else 0.0


def best_threshold(test_docs, folds_of, label_scores, grid, cs, coarse, fine):
    """The grid threshold with the best overall() on the out-of-fold predictions
    themselves: an oracle choice that can only flatter the peer."""
    best = None
    for t in grid:
        sc, rows = oof_scores(test_docs, folds_of, label_scores, t, cs, coarse, fine)
        v = overall(sc)
        if best is None or v > best[0] + 1e-12:
            best = (v, t, sc, rows)
    return best[1], best[2], best[3]


def peak_rss_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def result(system, scores, train_s_per_fold, predict_aps, peak_kb, notes):
    """One table row: scores (Scores or dict with coarse/fine lang -> per-fold
    list), train seconds per fold, prediction articles/s, peak RSS KB, a note."""
    rec = dict(system=system, train_s_per_fold=train_s_per_fold, predict_aps=predict_aps,
               peak_rss_kb=peak_kb, notes=notes)
    if scores is not None:
        rec.update(scores.as_dict() if isinstance(scores, Scores) else scores)
    return rec


def write_results(path, records):
    """Writes a list of result() rows as JSON (atomically) for peers_table.py."""
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(records, f, indent=1, sort_keys=True)
    os.replace(tmp, path)


def parse_time_v(stderr_text):
    """(elapsed seconds, max RSS KB) from GNU time -v output; None when absent."""
    el = rss = None
    for ln in stderr_text.splitlines():
        ln = ln.strip()
        if ln.startswith("Maximum resident set size"):
            rss = int(ln.rsplit(":", 1)[1])
        elif ln.startswith("Elapsed (wall clock) time"):
            v = ln.split("):", 1)[1].strip() if "):" in ln else ln.rsplit(" ", 1)[1]
            secs = 0.0
            for part in v.split(":"):
                secs = secs * 60 + float(part)
            el = secs
    return el, rss
