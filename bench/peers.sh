#!/bin/sh
# make bench-peers: narrascope next to classic peers on the SAME cross-validation
# folds, on the same machine, in the same run. Usage: bench/peers.sh BIN DATA
#
# Sections run in order; each prints its own table and degrades to a clear
# "... not available" line instead of failing:
#   narratives  narrascope cv + predict (bench/peers/narr_narrascope.py, which also
#               writes the folds file), then TF-IDF char 2-5 + LinearSVC
#               (narr_tfidf_svm.py) and fastText ova + subwords (narr_fasttext.py),
#               all scored with the official F1-samples; table by peers_table.py.
#   framing     every executable bench/peers/framing_*.sh, called with the
#               environment below, or else bench/peers/framing_peers.py
#               (--data TRAIN --folds-file FOLDS).
# To add a section: write bench/peers/<task>_*.sh using PEERS_BIN, PEERS_DATA
# (train dir), PEERS_TAXONOMY, PEERS_FOLDS (article_id<TAB>lang<TAB>fold from
# `narrascope cv --dump-folds`; may be absent: then re-create the split of
# src/learn/folds.h), PEERS_WORK (scratch dir), PEERS_SEED, PEERS_K, and add it
# to SECTIONS below (or let the framing_*.sh glob pick it up).
#
# Environment: PEERS_SECTIONS (default "narratives framing"), PEERS_JOBS (2),
# PEERS_TIMEOUT (seconds per narrascope command, 480), PEERS_FT_* (fastText
# parameters, see narr_fasttext.py), PEERS_KEEP=1 keeps the scratch dir.
# Budget: about 10 minutes on 2 idle cores.
set -u
BIN=${1:?usage: bench/peers.sh BIN DATA}
DATA=${2:?usage: bench/peers.sh BIN DATA}
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
SECTIONS=${PEERS_SECTIONS:-narratives framing}
export PEERS_BIN=$(cd "$(dirname "$BIN")" 2>/dev/null && pwd)/$(basename "$BIN")
export PEERS_DATA="$DATA/semeval2025/train"
export PEERS_TAXONOMY="$DATA/semeval2025/taxonomy"
export PEERS_SEED=1 PEERS_K=5
export PEERS_JOBS=${PEERS_JOBS:-2}
export PEERS_WORK=$(mktemp -d "${TMPDIR:-/tmp}/narrascope-peers.XXXXXX")
export PEERS_FOLDS="$PEERS_WORK/folds.tsv"
# single-threaded numeric libraries unless a step asks for more
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
# liblinear convergence warnings from the SVM worker processes are noise here
export PYTHONWARNINGS=ignore
TIMEOUT=${PEERS_TIMEOUT:-480}

cleanup() { [ "${PEERS_KEEP:-0}" = 1 ] || rm -rf "$PEERS_WORK"; }
trap cleanup EXIT INT TERM

say() { printf '%s\n' "$*"; }
start=$(date +%s)

if [ ! -d "$PEERS_DATA" ]; then
	say "bench-peers: $PEERS_DATA not found; nothing to compare (skipped)"
	exit 0
fi
if [ ! -x "$BIN" ]; then
	say "bench-peers: narrascope binary $BIN not built; narrascope rows will be missing"
fi
have_py=1
if ! [ -x "$PY" ] || ! "$PY" -c 'import sklearn, numpy' 2>/dev/null; then
	say "bench-peers: python3-sklearn not available (Debian python3-sklearn); TF-IDF+SVM peers skipped"
	have_py=0
fi
"$PY" -c 'import sys' 2>/dev/null || { say "bench-peers: /usr/bin/python3 not available; peers skipped"; exit 0; }

say "bench-peers: $(uname -m), $(getconf _NPROCESSORS_ONLN) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
say "bench-peers: data $PEERS_DATA, ${PEERS_K}-fold CV split by document (seed $PEERS_SEED)"

section_narratives() {
	say ""
	say "== narratives (subtask 2) =="
	if [ -x "$BIN" ]; then
		"$PY" "$HERE/peers/narr_narrascope.py" --bin "$PEERS_BIN" --data "$PEERS_DATA" --taxonomy "$PEERS_TAXONOMY" \
			--folds "$PEERS_K" --seed "$PEERS_SEED" --jobs "$PEERS_JOBS" --timeout "$TIMEOUT" \
			--folds-out "$PEERS_FOLDS" --work "$PEERS_WORK" --out "$PEERS_WORK/narr-narrascope.json" ||
			say "narrascope row failed (see above)"
	else
		say "narrascope not available: $BIN is not built"
	fi
	if [ -s "$PEERS_FOLDS" ]; then
		say "folds: from narrascope cv --dump-folds ($(wc -l <"$PEERS_FOLDS") articles)"
	else
		say "folds: narrascope cv --dump-folds not available; peers re-create the split of src/learn/folds.h"
	fi
	if [ "$have_py" = 1 ]; then
		"$PY" "$HERE/peers/narr_tfidf_svm.py" --data "$PEERS_DATA" --taxonomy "$PEERS_TAXONOMY" \
			--folds-file "$PEERS_FOLDS" --folds "$PEERS_K" --seed "$PEERS_SEED" \
			--model-out "$PEERS_WORK/svm.pkl" --out "$PEERS_WORK/narr-svm.json" ||
			say "tfidf-svm peer failed (see above)"
	fi
	if command -v fasttext >/dev/null 2>&1; then
		"$PY" "$HERE/peers/narr_fasttext.py" --data "$PEERS_DATA" --taxonomy "$PEERS_TAXONOMY" \
			--folds-file "$PEERS_FOLDS" --folds "$PEERS_K" --seed "$PEERS_SEED" \
			--work "$PEERS_WORK/fasttext" --out "$PEERS_WORK/narr-fasttext.json" ||
			say "fasttext peer failed (see above)"
	else
		say "fasttext not available (Debian package fasttext); fastText peer skipped"
	fi
	say ""
	"$PY" "$HERE/peers/peers_table.py" \
		"narratives: F1-samples, ${PEERS_K}-fold CV (pooled out-of-fold articles per language; sd across folds of the mean)" \
		"$PEERS_WORK/narr-narrascope.json" "$PEERS_WORK/narr-svm.json" "$PEERS_WORK/narr-fasttext.json"
	say "  train s/fold: wall seconds per fold; predict art/s and peakRSS: one single-threaded process over all"
	say "  articles, model load included (narrascope predict -j1; fasttext predict; sklearn pipeline unpickled);"
	say "  narrascope and fasttext: the best of 3 runs each, tfidf-svm: one run."
	say "  @best rows: threshold chosen on the out-of-fold predictions themselves (flatters the peer)."
	if [ -x "$BIN" ] && command -v fasttext >/dev/null 2>&1; then
		say ""
		"$PY" "$HERE/peers/predict_side.py" --bin "$PEERS_BIN" --model "$(cd "$HERE/.." && pwd)/models/default.nsm" \
			--data "$PEERS_DATA" --ft-model "$PEERS_WORK/fasttext/model0.bin" \
			--ft-input "$PEERS_WORK/fasttext/all.txt" || say "predict side by side failed (see above)"
	fi
}

section_framing() {
	say ""
	say "== framing (subtask 1) =="
	ran=0
	for s in "$HERE"/peers/framing_*.sh; do
		[ -x "$s" ] || continue
		ran=1
		"$s" || say "$(basename "$s") failed"
	done
	if [ "$ran" = 0 ] && [ -f "$HERE/peers/framing_peers.py" ] && [ "$have_py" = 1 ]; then
		if [ -s "$PEERS_FOLDS" ]; then
			"$PY" "$HERE/peers/framing_peers.py" --data "$PEERS_DATA" --folds-file "$PEERS_FOLDS" ||
				say "framing peers failed"
		else
			"$PY" "$HERE/peers/framing_peers.py" --data "$PEERS_DATA" --folds "$PEERS_K" --seed "$PEERS_SEED" ||
				say "framing peers failed"
		fi
		ran=1
	fi
	[ "$ran" = 1 ] || say "framing peers not available"
}

for s in $SECTIONS; do
	case "$s" in
	narratives) section_narratives ;;
	framing) section_framing ;;
	*) say "bench-peers: unknown section '$s'" ;;
	esac
done
say ""
say "bench-peers: done in $(($(date +%s) - start)) s"
