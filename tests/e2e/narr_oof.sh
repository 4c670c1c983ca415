#!/bin/sh
# bench/narr_oof.py decodes the out-of-fold head scores that `cv --task
# narratives` dumps under NS_NARR_OOF again, with the rules of narr_decode.c, and
# must land on the F1 figures cv printed (--check). The corpus is written here
# (own sentences): three themes whose vocabularies overlap, some articles mixing
# two themes under one label, and the same text under two labels, so the folds'
# models make mistakes and the figures are not 1.
set -u
bin=${NS_BIN:?NS_BIN not set}
. "${NS_SRC:?NS_SRC not set}/tests/e2e/lib/narr.sh"
src=$NS_SRC
command -v python3 > /dev/null || { echo "skip: python3 not installed"; exit 77; }
narr_workdir
mkdir -p "$t/tax" "$t/data/EN/raw-documents" "$t/data/PT/raw-documents"
printf 'CC: Green energy fails\nURW: Blame the West\nOther\n' > "$t/tax/narratives.txt"
printf 'CC: Green energy fails: Wind power is unreliable\nCC: Green energy fails: Other\nURW: Blame the West: NATO provoked the war\nURW: Blame the West: Other\nOther\n' > "$t/tax/subnarratives.txt"
wind="CC: Green energy fails	CC: Green energy fails: Wind power is unreliable"
nato="URW: Blame the West	URW: Blame the West: NATO provoked the war"
i=0
while [ $i -lt 48 ]; do
	a="Wind turbines stopped again and the grid needed coal, critics said in report $i."
	b="NATO moved weapons toward the border, a commentator claimed in column $i."
	c="The council opened a library and the mayor spoke about the grid and the border at event $i."
	case $((i % 6)) in
	0) text="$a $c"; lab="$wind"; dom=CC ;;
	1) text="$b $c"; lab="$nato"; dom=UA ;;
	2) text="$c"; lab="Other	Other"; dom=UA ;;
	3) text="$a $b"; lab="$wind"; dom=CC ;;           # two themes, one label
	4) text="$a $c"; lab="Other	Other"; dom=CC ;;     # the text of 0, another label
	*) text="$b"; lab="$nato"; dom=UA ;;
	esac
	narr_articles "$t/data" "${dom}_$i.txt" "$text" "$lab" EN PT
	i=$((i + 1))
done
NS_NARR_OOF="$t/oof.tsv" "$bin" cv --task narratives --data "$t/data" --taxonomy "$t/tax" --folds 3 \
	--params min_df=1 -q > "$t/cv" 2> "$t/err" || { echo "FAIL: cv exited $?"; head -5 "$t/err"; exit 1; }
set -- $(awk '$1 == "mean" { print $2, $4 }' "$t/cv")
[ $# -eq 2 ] || { echo "FAIL: no mean line in:"; cat "$t/cv"; exit 1; }
echo "cv: coarse $1 fine $2"
[ "$1" != "1.000" ] || { echo "FAIL: the corpus is too easy (coarse F1 1), the check would prove little"; fail=1; }
grep -c '^#coarse' "$t/oof.tsv" | grep -qx 3 || { echo "FAIL: the dump lacks its 3 #coarse lines"; fail=1; }
[ "$(grep -vc '^#' "$t/oof.tsv")" -eq 96 ] || { echo "FAIL: the dump has not one line per article (96)"; fail=1; }
python3 "$src/bench/narr_oof.py" --check "$1" "$2" "$t/oof.tsv" > "$t/out" 2>&1 ||
	{ echo "FAIL: narr_oof.py does not reproduce cv's figures:"; cat "$t/out"; fail=1; }
grep -q 'oracle count' "$t/out" || { echo "FAIL: no oracle lines"; fail=1; }
# the check can fail: other figures are refused
python3 "$src/bench/narr_oof.py" --check 0.001 0.001 "$t/oof.tsv" > /dev/null 2>&1 &&
	{ echo "FAIL: --check accepted figures cv did not print"; fail=1; }
# a dump from elsewhere gets a one-line error naming the file and line
printf 'x\ty\n' > "$t/bad.tsv"
python3 "$src/bench/narr_oof.py" "$t/bad.tsv" > /dev/null 2> "$t/err2" && { echo "FAIL: bad dump accepted"; fail=1; }
grep -q "bad.tsv:1: not a NS_NARR_OOF line" "$t/err2" || { echo "FAIL: bad dump message:"; cat "$t/err2"; fail=1; }
[ $fail -eq 0 ] && echo "ok: narr_oof.py decodes the dumped scores to cv's F1 (coarse $1, fine $2)"
exit $fail
