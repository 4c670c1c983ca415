#!/bin/sh
# One long article (3 MB: 13,000 repetitions of a paragraph with two people, a
# place, an unknown organisation, an unknown person and a quote) through every
# layer of the default model. Linking and speaker matching used to compare every
# mention with every other (hours for a 10 MB article, the --max-bytes limit);
# they are now indexed, so this runs in seconds. The timeout is a hang guard with
# a wide margin (about 5 s plain, 20 s under ASan on a 2-core VM; over 120 s
# before the indexes), not a speed measurement (`make bench` measures speed).
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
timeout 120 "$bin" analyze -m "$model" --format jsonl "$t/long.txt" > "$t/out.jsonl" 2> "$t/err.txt"
rc=$?
cat "$t/err.txt"
[ "$rc" -eq 0 ] || { echo "FAIL: exit code $rc (124: the 120 s hang guard fired)"; exit 1; }
fail=0
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
