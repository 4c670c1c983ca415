#!/usr/bin/python3
"""Narrative peer (a) for `make bench-peers`: TF-IDF character 2-5-grams
(analyzer char_wb, sublinear tf, min_df 2) and one LinearSVC per label
(one-vs-rest, class_weight balanced, C 1), scored with the official F1-samples on
the same CV folds as narrascope.

Coarse and fine labels are one multi-label problem (a label is on when its SVM
decision is > 0); the predicted set is converted to the official format (a
subnarrative implies its narrative, a narrative alone gets 'NARRATIVE: Other',
nothing gives Other). A second row, "tfidf-svm@best", uses the decision
threshold from a small grid that scores best on the out-of-fold predictions
themselves (an oracle choice that can only flatter the peer). Per fold it
measures the training time (vectorizer fit + all SVMs; the SVMs of the labels
run in PEERS_JOBS processes, default 2). The fold-0 model is pickled;
`--predict MODEL` then loads it in a fresh single-threaded process and predicts
every article (prediction speed with model load included, measured by the
caller under /usr/bin/time -v).

usage: narr_tfidf_svm.py --data TRAIN --taxonomy TAX --folds-file F --out RESULT.json
                         [--model-out M.pkl] [--pred-dir DIR]
       narr_tfidf_svm.py --predict M.pkl --data TRAIN --out PRED.tsv
"""
import argparse
import os
import pickle
import sys
import time

import narr_common as nc


def make_model(seed):
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import LinearSVC
    # float64: liblinear works in double, so float32 would be converted once per label
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2, dtype=np.float64)
    jobs = int(os.environ.get("PEERS_JOBS", "2"))
    svm = OneVsRestClassifier(LinearSVC(class_weight="balanced", C=1.0, random_state=seed), n_jobs=jobs)
    return make_pipeline(vec, svm)


GRID = [-0.5, -0.4, -0.3, -0.2, -0.1, 0.0, 0.1, 0.2]


def decisions(model, labels, texts):
    dec = model.decision_function(texts)
    return [{labels[j]: float(row[j]) for j in range(len(labels))} for row in dec]


def predict_sets(model, labels, texts):
    return [{l for l, v in d.items() if v > 0} for d in decisions(model, labels, texts)]


def run_cv(a):
    import warnings
    from sklearn.preprocessing import MultiLabelBinarizer
    warnings.filterwarnings("ignore")  # labels absent from a training fold
    coarse, fine = nc.load_taxonomy(a.taxonomy)
    cs = sorted(coarse, key=len, reverse=True)
    docs = nc.load_corpus(a.data)
    fold, k, src = nc.load_folds(a.folds_file, docs, a.folds, a.seed)
    nc.warn("tfidf-svm: %d articles, %d folds (%s)" % (len(docs), k, src))
    train_times, oof_docs, oof_fold, oof_scores = [], [], [], []
    for f in range(k):
        tr = [d for d in docs if fold[d["id"]] != f]
        te = [d for d in docs if fold[d["id"]] == f]
        targets = [sorted((d["coarse"] | d["fine"]) - {"Other"}) for d in tr]
        mlb = MultiLabelBinarizer()
        Y = mlb.fit_transform(targets)
        labels = list(mlb.classes_)
        t0 = time.perf_counter()
        model = make_model(a.seed)
        model.fit([d["text"] for d in tr], Y)
        train_times.append(time.perf_counter() - t0)
        oof_docs += te
        oof_fold += [f] * len(te)
        oof_scores += decisions(model, labels, [d["text"] for d in te])
        nc.warn("tfidf-svm: fold %d/%d trained in %.1fs (%d labels)" % (f + 1, k, train_times[-1], len(labels)))
        if f == 0 and a.model_out:
            with open(a.model_out, "wb") as fh:
                pickle.dump((model, labels, cs), fh, protocol=pickle.HIGHEST_PROTOCOL)
    # "> 0" as the SVM decides, then the oracle grid
    sc0, rows0 = nc.oof_scores(oof_docs, oof_fold, [{l: v for l, v in d.items() if v > 0} for d in oof_scores],
                               -1e300, cs, coarse, fine)
    thr, scb, rowsb = nc.best_threshold(oof_docs, oof_fold, oof_scores, GRID, cs, coarse, fine)
    if a.pred_dir:
        nc.write_tsv(os.path.join(a.pred_dir, "tfidf-svm.oof.tsv"), rows0)
        nc.write_tsv(os.path.join(a.pred_dir, "tfidf-svm-best.oof.tsv"), rowsb)
    aps = rss = None
    if a.model_out:
        aps, rss = measure_predict(a)
    tt = sum(train_times) / k
    note = "TF-IDF char_wb 2-5 + LinearSVC OvR balanced (%s jobs); folds: %s" % (os.environ.get("PEERS_JOBS", "2"), src)
    nc.write_results(a.out, [nc.result("tfidf-svm", sc0, tt, aps, rss, note + "; decision > 0"),
                             nc.result("tfidf-svm@best", scb, tt, aps, rss,
                                       "same models, oracle threshold %g from grid %s" % (thr, GRID))])
    return 0


def measure_predict(a):
    """Runs this script with --predict on the fold-0 model in a fresh process,
    single-threaded, under /usr/bin/time -v: (articles/s, peak RSS KB)."""
    import subprocess
    import tempfile
    envv = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    out = tempfile.NamedTemporaryFile(prefix="peers-svm-", suffix=".tsv", delete=False)
    tv = tempfile.NamedTemporaryFile(prefix="peers-time-", delete=False)
    out.close()
    tv.close()
    try:
        p = subprocess.run(["/usr/bin/time", "-v", "-o", tv.name, sys.executable, os.path.abspath(__file__),
                            "--predict", a.model_out, "--data", a.data, "--out", out.name], env=envv,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        with open(tv.name, encoding="utf-8", errors="replace") as f:
            el, rss = nc.parse_time_v(f.read())
        with open(out.name, encoding="utf-8") as f:
            n = sum(1 for _ in f)
    finally:
        os.unlink(out.name)
        os.unlink(tv.name)
    if p.returncode != 0 or not el:
        nc.warn("tfidf-svm: predict run failed: " + p.stderr.decode(errors="replace")[-300:])
        return None, None
    nc.warn("tfidf-svm: predict over %d articles in %.2fs (model load included), peak RSS %d KB" % (n, el, rss))
    return n / el, rss


def run_predict(a):
    t0 = time.perf_counter()
    with open(a.predict, "rb") as fh:
        model, labels, cs = pickle.load(fh)
    docs = nc.load_corpus(a.data)
    sets = predict_sets(model, labels, [d["text"] for d in docs])
    nc.write_tsv(a.out, [(d["id"],) + tuple(nc.to_official(s, cs)) for d, s in zip(docs, sets)])
    nc.warn("tfidf-svm: predicted %d articles in %.2fs (model load included)" % (len(docs), time.perf_counter() - t0))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--taxonomy")
    ap.add_argument("--folds-file")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--model-out")
    ap.add_argument("--pred-dir")
    ap.add_argument("--predict", metavar="MODEL")
    a = ap.parse_args()
    if a.predict:
        return run_predict(a)
    if not a.taxonomy:
        sys.exit("narr_tfidf_svm: --taxonomy is required for CV")
    return run_cv(a)


if __name__ == "__main__":
    sys.exit(main())
