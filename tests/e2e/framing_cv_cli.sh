#!/bin/sh
# cv --task framing on a small corpus written here (own sentences; needs no
# ../shared/data): it runs, prints the official metrics table, and its line on how
# local the gold roles are counts the right pairs. Each article names "Borovia"
# twice; of the 8 second mentions, 7 repeat the first one's main role and 6 its
# main and fine roles.
set -u
bin=${NS_BIN:?NS_BIN not set}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail=0
mkdir -p "$t/tax" "$t/data/EN/raw-documents"
printf 'main_role\tfine_role\nProtagonist\tGuardian\nProtagonist\tVirtuous\nAntagonist\tTyrant\nAntagonist\tDeceiver\nInnocent\tVictim\n' \
	> "$t/tax/roles.tsv"
printf 'N1\n' > "$t/tax/narratives.txt"
printf 'N1: S1\n' > "$t/tax/subnarratives.txt"
i=0
# first mention's roles, second mention's roles (one pair per article)
for pair in "Antagonist Tyrant Antagonist Tyrant" "Antagonist Tyrant Antagonist Tyrant" \
	"Protagonist Guardian Protagonist Guardian" "Innocent Victim Innocent Victim" \
	"Antagonist Tyrant Antagonist Deceiver" "Antagonist Deceiver Protagonist Virtuous" \
	"Protagonist Guardian Protagonist Guardian" "Innocent Victim Innocent Victim"; do
	set -- $pair
	f="EN_T_$i.txt"
	printf 'Borovia moved troops to the border of Kalmar today.\nLater Borovia said the drills were over.\n' \
		> "$t/data/EN/raw-documents/$f"
	printf '%s\tBorovia\t0\t6\t%s\t%s\n%s\tBorovia\t58\t64\t%s\t%s\n%s\tKalmar\t38\t43\tInnocent\tVictim\n' \
		"$f" "$1" "$2" "$f" "$3" "$4" "$f" >> "$t/data/EN/subtask-1-annotations.txt"
	i=$((i + 1))
done
"$bin" cv --task framing --data "$t/data" --taxonomy "$t/tax" --folds 2 -q > "$t/out" 2> "$t/err" ||
	{ echo "FAIL: cv --task framing exited $?"; head -5 "$t/err"; fail=1; }
grep -Eq '^lang +n +EMR +microF1 +mainAcc' "$t/out" && grep -Eq '^mean +24 ' "$t/out" || { echo "FAIL: no EMR table"; fail=1; }
grep -q 'mentions, 8 documents' "$t/out" || { echo "FAIL: expected 24 mentions in 8 documents"; fail=1; }
grep -Eq '^  all +pairs +8  same main 0\.875  same main and fine roles 0\.750$' "$t/out" ||
	{ echo "FAIL: gold agreement line:"; grep 'pairs' "$t/out"; fail=1; }
[ $fail -eq 0 ] && echo "ok: cv --task framing prints the metrics and the gold agreement of repeated names"
exit $fail
