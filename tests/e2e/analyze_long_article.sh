#!/bin/sh
# Long articles through every layer of the default model:
# - 3 MB, 13,000 repetitions of a paragraph with two people, a place, an unknown
#   organisation, an unknown person and a quote. Linking and speaker matching
#   used to compare every mention with every other (hours for a 10 MB article,
#   the --max-bytes limit); they are now indexed.
# - 430 kB of names and words without one sentence break. The role features
#   read each mention's whole sentence (minutes here before); they now read at
#   most 256 tokens on each side (frame/features.c).
# Then `predict --task framing` with every entity mention of the first one as the
# mentions file (104,000 lines): each line used to rebuild the article's offset
# tables (minutes); they are now built once per article.
# Everything together takes about 8 s plain and 20 s under ASan on a 2-core VM.
# The timeout is a hang guard with a wide margin (each step took over 120 s
# before these fixes), not a speed measurement (`make bench` measures speed).
# The counts check that linking at this scale still joins every surname, title
# word and quote speaker.
set -u
bin=${NS_BIN:?NS_BIN not set}
src=${NS_SRC:?NS_SRC not set}
model=$src/models/default.nsm
[ -f "$model" ] || { echo "skip: $model not found"; exit 77; }
command -v jq >/dev/null || { echo "jq not installed (scripts/install-deps.sh installs it)"; exit 77; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
n=13000
awk -v n=$n 'BEGIN { for (i = 1; i <= n; i++)
	printf "Vladimir Putin met Volodymyr Zelensky in Kyiv on day %d. \"Peace is near,\" Putin said. " \
	       "Analysts at the Helsinki Policy Institute disagreed, and Institute director Maria Ostrova " \
	       "warned that Ostrova had seen such promises before.\n\n", i }' > "$t/long.txt"
awk 'BEGIN { split("the war NATO Putin said Kyiv Ukraine climate Zelensky army and of", w, " ")
	srand(1); for (i = 0; i < 80000; i++) printf "%s ", w[1 + int(rand() * 12)] }' > "$t/nobreak.txt"
fail=0
for f in long nobreak; do
	timeout 120 "$bin" analyze -m "$model" --format jsonl "$t/$f.txt" > "$t/$f.jsonl" 2> "$t/err.txt"
	rc=$?
	cat "$t/err.txt"
	[ "$rc" -eq 0 ] || { echo "FAIL: $f: exit code $rc (124: the 120 s hang guard fired)"; fail=1; }
done
[ "$(jq '.sentences | length' "$t/nobreak.jsonl")" -le 2 ] || { echo "FAIL: nobreak: the text has sentence breaks"; fail=1; }
[ "$(jq '[.entities[].mentions | length] | add' "$t/nobreak.jsonl")" -gt 10000 ] ||
	{ echo "FAIL: nobreak: too few mentions to test anything"; fail=1; }
mv "$t/long.jsonl" "$t/out.jsonl"
jq -r '.entities[].mentions[] | "long.txt\t\(.text)\t\(.start)\t\(.end - 1)"' "$t/out.jsonl" > "$t/mentions.tsv"
mkdir "$t/docs" && cp "$t/long.txt" "$t/docs/"
timeout 120 "$bin" predict --task framing --model "$model" --mentions "$t/mentions.tsv" "$t/docs" -o "$t/roles.tsv" -q
rc=$?
[ "$rc" -eq 0 ] || { echo "FAIL: predict --task framing: exit code $rc (124: the 120 s hang guard fired)"; fail=1; }
[ "$(wc -l < "$t/roles.tsv")" -eq "$(wc -l < "$t/mentions.tsv")" ] && [ "$(wc -l < "$t/roles.tsv")" -gt 60000 ] ||
	{ echo "FAIL: predict --task framing: $(wc -l < "$t/roles.tsv") role lines for $(wc -l < "$t/mentions.tsv") mentions"; fail=1; }
count() { # name -> mentions of the entity with that canonical name
	jq -r --arg n "$1" '[.entities[] | select(.name == $n) | .mentions | length] | add // 0' "$t/out.jsonl"
}
check() {
	[ "$2" -eq "$3" ] || { echo "FAIL: $1: $2, expected $3"; fail=1; }
}
check "mentions of Vladimir Putin" "$(count 'Vladimir Putin')" $((2 * n))
check "mentions of Volodymyr Zelensky" "$(count 'Volodymyr Zelensky')" $n
check "mentions of Helsinki Policy Institute" "$(count 'Helsinki Policy Institute')" $((2 * n))
check "mentions of Maria Ostrova" "$(count 'Maria Ostrova')" $((2 * n))
check "quotes by Putin" "$(jq '[.quotes[] | select(.speaker.name == "Vladimir Putin")] | length' "$t/out.jsonl")" $n
exit $fail
