#!/bin/sh
# Text-pipeline throughput (`make bench`): `narrascope analyze --text-only` (read,
# UTF-8 check, boilerplate cleaning, language id, paragraphs, sentences, tokens,
# stems, JSON output to /dev/null) over every train + unlabeled article, side by
# side in the same run with `wc -w` over the same files as the floor, plus plain
# `analyze` without a model (adds the stages that need no training). Each row is
# the best of REPS runs (default 3); peak RSS from /usr/bin/time -v.
#
# Then, with the model (MODEL, default models/default.nsm) over the 1,781 training
# articles, single thread: `predict --task narratives` (model load included; issue
# 3 compares it with fastText's predict in `make bench-peers`), `analyze` with
# narratives only, with entities + roles only (issue 4) and with every layer
# (issue 5), each also as a ratio to the narratives-only analyze run. Layers are
# selected with NARRASCOPE_LAYERS (src/pipeline/model.c).
# Usage: bench/run.sh [BIN] [DATA]
set -eu
bin=${1:-build/narrascope}
data=${2:-../shared/data}
reps=${REPS:-3}
model=${MODEL:-models/default.nsm}
corpus=$data/semeval2025
[ -x "$bin" ] || { echo "bench: $bin not built (make)" >&2; exit 2; }
[ -d "$corpus/train" ] || { echo "bench: $corpus/train not found" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time missing (scripts/install-deps.sh installs package time)" >&2; exit 2; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
find "$corpus"/train/*/raw-documents "$corpus"/unlabeled -type f -name '*.txt' | LC_ALL=C sort > "$t/files"
ndocs=$(wc -l < "$t/files")
bytes=$(tr '\n' '\0' < "$t/files" | wc -c --files0-from=- | tail -n 1 | awk '{ print $1 }')
now() { date +%s.%N; }

# Best of $reps runs of "$@" (stdout to /dev/null): wall seconds and CPU seconds
# (user + sys) of the run with the least CPU, and the peak RSS in kB. CPU time is
# the per-core figure that holds on a shared machine; wall time is shown beside it.
measure() {
	best="" bwall="" rss=0
	i=0
	while [ $i -lt "$reps" ]; do
		i=$((i + 1))
		/usr/bin/time -f '%e %U %S %M' -o "$t/tm" "$@" > /dev/null 2> "$t/err" || {
			# analyze exits 1 when some document is refused (reported); anything else fails
			[ $? -eq 1 ] && grep -q '^narrascope: ' "$t/err" || { cat "$t/err" >&2; exit 1; }
		}
		line=$(tail -n 1 "$t/tm")
		wall=$(echo "$line" | awk '{ print $1 }')
		cpu=$(echo "$line" | awk '{ printf "%.2f", $2 + $3 }')
		r=$(echo "$line" | awk '{ print $4 }')
		[ "$r" -gt "$rss" ] && rss=$r
		if [ -z "$best" ] || awk -v a="$cpu" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$cpu bwall=$wall; fi
	done
	echo "$bwall $best $rss"
}

# The same files for both: analyze walks the directories (every file in them,
# sorted by path) and wc reads the identical list.
dirs="$(ls -d "$corpus"/train/*/raw-documents) $corpus/unlabeled"
tr '\n' '\0' < "$t/files" > "$t/files0"
# shellcheck disable=SC2086
[ "$(find $dirs -type f | wc -l)" -eq "$ndocs" ] || { echo "bench: non-.txt files in the corpus dirs" >&2; exit 2; }

export LC_ALL=C.UTF-8 # wc -w and analyze both read UTF-8
set -- $(measure wc -w --files0-from="$t/files0"); wc_w=$1 wc_c=$2 wc_rss=$3
# shellcheck disable=SC2086
set -- $(measure "$bin" analyze --text-only -j 1 --format jsonl $dirs); a1_w=$1 a1_c=$2 a1_rss=$3
# shellcheck disable=SC2086
set -- $(measure "$bin" analyze --text-only -j 2 --format jsonl $dirs); a2_w=$1 a2_c=$2 a2_rss=$3
# shellcheck disable=SC2086
set -- $(measure "$bin" analyze -j 1 --format jsonl $dirs); f1_w=$1 f1_c=$2 f1_rss=$3

mb=$(awk -v b="$bytes" 'BEGIN { printf "%.6f", b / 1e6 }')
row() { # name wall cpu rss
	awk -v n="$1" -v w="$2" -v c="$3" -v r="$4" -v mb="$mb" -v d="$ndocs" -v wc="$wc_c" \
		'BEGIN { if (c < 0.01) c = 0.01; if (w < 0.01) w = 0.01
		         printf "%-40s %7.2f %7.2f %9.2f %9.2f %14.0f %10.1f %7.1f\n", n, w, c, mb / w, mb / c, d / c, r / 1024, c / (wc < 0.01 ? 0.01 : wc) }'
}
echo "narrascope bench: $ndocs articles, $(printf '%.2f' "$mb") MB (train + unlabeled), best of $reps by CPU time"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); MB/s and articles/s per CPU-second"
printf '%-40s %7s %7s %9s %9s %14s %10s %7s\n' "run" "wall_s" "cpu_s" "MB/s_wall" "MB/s_cpu" "articles/s_cpu" "peakRSS_MB" "x_wc"
row "wc -w (floor)" "$wc_w" "$wc_c" "$wc_rss"
row "analyze --text-only -j 1" "$a1_w" "$a1_c" "$a1_rss"
row "analyze --text-only -j 2" "$a2_w" "$a2_c" "$a2_rss"
row "analyze -j 1 (no model: +lexicon stages)" "$f1_w" "$f1_c" "$f1_rss"

# ---- model runs over the training articles (issues 3, 4, 5) ----
if [ ! -f "$model" ]; then
	echo "bench: $model not found: model rows skipped"
	exit 0
fi
tdirs=$(ls -d "$corpus"/train/*/raw-documents)
tdocs=$(find $tdirs -type f | wc -l)
# shellcheck disable=SC2086
set -- $(measure "$bin" predict --task narratives --model "$model" -j 1 -q -o "$t/pred.tsv" $tdirs); p_w=$1 p_c=$2 p_rss=$3
# shellcheck disable=SC2086
set -- $(measure env NARRASCOPE_LAYERS=narratives "$bin" analyze -m "$model" -j 1 --format jsonl $tdirs); n_w=$1 n_c=$2 n_rss=$3
# shellcheck disable=SC2086
set -- $(measure env NARRASCOPE_LAYERS=entities,frame "$bin" analyze -m "$model" -j 1 --format jsonl $tdirs); e_w=$1 e_c=$2 e_rss=$3
# shellcheck disable=SC2086
set -- $(measure "$bin" analyze -m "$model" -j 1 --format jsonl $tdirs); a_w=$1 a_c=$2 a_rss=$3
mrow() { # name wall cpu rss
	awk -v n="$1" -v w="$2" -v c="$3" -v r="$4" -v d="$tdocs" -v nc="$n_c" \
		'BEGIN { if (c < 0.01) c = 0.01; if (nc < 0.01) nc = 0.01
		         printf "%-44s %7.2f %7.2f %14.0f %10.1f %8.2f\n", n, w, c, d / c, r / 1024, c / nc }'
}
echo ""
echo "with $model: $tdocs training articles, single thread, best of $reps by CPU time (model load included)"
printf '%-44s %7s %7s %14s %10s %8s\n' "run" "wall_s" "cpu_s" "articles/s_cpu" "peakRSS_MB" "x_narr"
mrow "predict --task narratives -j 1" "$p_w" "$p_c" "$p_rss"
mrow "analyze, narratives only" "$n_w" "$n_c" "$n_rss"
mrow "analyze, entities + roles (frame) only" "$e_w" "$e_c" "$e_rss"
mrow "analyze, all layers" "$a_w" "$a_c" "$a_rss"
