#!/usr/bin/python3
"""Narrative peer (a) for `make bench-peers`: TF-IDF character 2-5-grams
(analyzer char_wb, sublinear tf, min_df 2) and one LinearSVC per label
(one-vs-rest, class_weight balanced, C 1), scored with the official F1-samples on
the same CV folds as narrascope.

Coarse and fine labels are one multi-label problem (a label is on when its SVM
decision is > 0); the predicted set is converted to the official format (a
subnarrative implies its narrative, a narrative alone gets 'NARRATIVE: Other',
nothing gives Other). Per fold it measures the training time (vectorizer fit
+ all SVMs). The fold-0 model is pickled; `--predict MODEL` then loads it in a
fresh single-threaded process and predicts every article (prediction speed with
model load included, measured by the caller under /usr/bin/time -v).

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
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2, dtype=np.float32)
    svm = OneVsRestClassifier(LinearSVC(class_weight="balanced", C=1.0, random_state=seed), n_jobs=1)
    return make_pipeline(vec, svm)


def predict_sets(model, labels, texts):
    dec = model.decision_function(texts)
    return [{labels[j] for j in range(len(labels)) if row[j] > 0} for row in dec]


def run_cv(a):
    import warnings
    from sklearn.preprocessing import MultiLabelBinarizer
    warnings.filterwarnings("ignore")  # labels absent from a training fold
    coarse, fine = nc.load_taxonomy(a.taxonomy)
    cs = sorted(coarse, key=len, reverse=True)
    docs = nc.load_corpus(a.data)
    fold, k, src = nc.load_folds(a.folds_file, docs, a.folds, a.seed)
    nc.warn("tfidf-svm: %d articles, %d folds (%s)" % (len(docs), k, src))
    scores = nc.Scores(coarse, fine)
    train_times, rows = [], []
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
        preds = [nc.to_official(s, cs) for s in predict_sets(model, labels, [d["text"] for d in te])]
        scores.add_fold(te, preds)
        rows += [(d["id"], p[0], p[1]) for d, p in zip(te, preds)]
        nc.warn("tfidf-svm: fold %d/%d trained in %.1fs (%d labels)" % (f + 1, k, train_times[-1], len(labels)))
        if f == 0 and a.model_out:
            with open(a.model_out, "wb") as fh:
                pickle.dump((model, labels, cs), fh, protocol=pickle.HIGHEST_PROTOCOL)
    if a.pred_dir:
        nc.write_tsv(os.path.join(a.pred_dir, "tfidf-svm.oof.tsv"), rows)
    nc.write_result(a.out, "tfidf-svm", scores, sum(train_times) / k, None, nc.peak_rss_kb(),
                    "TF-IDF char_wb 2-5 + LinearSVC OvR balanced; folds: " + src)
    return 0


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
