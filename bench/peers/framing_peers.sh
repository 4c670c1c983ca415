#!/bin/sh
# Entity framing (subtask 1) side by side: narrascope's role classifier and the two
# peers of bench/peers/framing_peers.py (entity memory; TF-IDF character n-grams of
# a +-250-character window with LinearSVC), all on the same document folds
# (written by `narrascope cv --dump-folds`) and scored with the official metrics.
#
# usage: bench/peers/framing_peers.sh [BIN] [DATA]
#   BIN  narrascope binary (default: $PEERS_BIN from bench/peers.sh, else build/narrascope)
#   DATA the train directory holding BG EN HI PT RU (default: $PEERS_DATA, else
#        ../shared/data/semeval2025/train)
# Environment: PEERS_K folds (default 5), PEERS_SEED (default 1), PY (python with
# sklearn; default /usr/bin/python3, Debian's python3-sklearn).
set -eu
BIN=${1:-${PEERS_BIN:-build/narrascope}}
DATA=${2:-${PEERS_DATA:-../shared/data/semeval2025/train}}
FOLDS=${PEERS_K:-5}
SEED=${PEERS_SEED:-1}
PY=${PY:-/usr/bin/python3}
HERE=$(dirname "$0")

if [ ! -d "$DATA" ]; then
	echo "framing peers: no data at $DATA (skipped)"
	exit 0
fi
if ! "$PY" -c 'import sklearn' 2>/dev/null; then
	echo "framing peers: $PY has no sklearn (install python3-sklearn)" >&2
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== narrascope (cv --task framing --folds $FOLDS --seed $SEED)"
start=$(date +%s.%N)
"$BIN" cv --task framing --data "$DATA" --folds "$FOLDS" --seed "$SEED" --quiet \
	--dump-folds "$tmp/folds.tsv" >"$tmp/ns.txt"
end=$(date +%s.%N)
cat "$tmp/ns.txt"
echo "narrascope time $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }') s for $FOLDS folds (features, train, predict)"
echo
echo "== peers on the same folds"
"$PY" "$HERE/framing_peers.py" --data "$DATA" --folds-file "$tmp/folds.tsv" --seed "$SEED"
