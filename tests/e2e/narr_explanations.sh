#!/bin/sh
# Explanations as training pseudo-documents (expl_weight > 0): counted on load and
# in the manifest, a subnarrative "none" read as "<narrative>: Other", the signal
# learnt (a word seen only in explanations predicts their narrative), and no
# leak in cv: an explanation trains only in the folds where its article does.
# The leak check: each article's one telling word is a code of its own that only
# its explanation shares, and the labels follow no text; scored by heads that saw
# the explanation, every article would be right (F1 1), honest folds are at chance.
set -u
bin=${NS_BIN:?NS_BIN not set}
. "${NS_SRC:?NS_SRC not set}/tests/e2e/lib/narr.sh"
narr_workdir

mkdir -p "$t/tax"
printf 'CC: Green energy fails\nCC: Scientists lie\nOther\n' > "$t/tax/narratives.txt"
printf 'CC: Green energy fails: Wind power is unreliable\nCC: Green energy fails: Other\nCC: Scientists lie: Data is faked\nCC: Scientists lie: Other\nOther\n' \
	> "$t/tax/subnarratives.txt"
code() { # a word of its own for article $1
	printf 'q%sx%sz' "$(printf '%s' "$1" | tr 0-9 a-j)" "$(printf '%s' "$1" | tr 0-9 k-t)"
}
i=0
while [ $i -lt 40 ]; do
	w=$(code $i)
	# labels by a pattern no text reveals
	case $(( (i * 7 / 3) % 2 )) in
	0) lab="CC: Green energy fails	CC: Green energy fails: Wind power is unreliable"; sub="CC: Green energy fails: Wind power is unreliable" ;;
	*) lab="CC: Scientists lie	CC: Scientists lie: Data is faked"; sub="none" ;;
	esac
	narr_articles "$t/data" "CC_$i.txt" "The weekly column returns with notes on the weather and the markets.
Readers wrote letters about the report $w and the town meeting." "$lab" EN
	printf 'EN_CC_%d.txt\t%s\t%s\tThe text uses the report %s to make its point.\n' $i "${lab%%	*}" "$sub" "$w" \
		>> "$t/data/EN/subtask-3-annotations.txt"
	i=$((i + 1))
done

# outer folds: no threshold tuning, so the scores decide alone
"$bin" cv --task narratives --data "$t/data" --taxonomy "$t/tax" --folds 4 --seed 3 \
	--params min_df=1,inner_folds=0,expl_weight=4 > "$t/cv" 2> "$t/err" ||
	{ echo "FAIL: cv exited $?"; head -5 "$t/err"; fail=1; }
grep -q "40 articles, .* 40 explanations" "$t/err" || { echo "FAIL: explanations not counted"; head -3 "$t/err"; fail=1; }
f1=$(awk '$1 == "mean" { print $2 }' "$t/cv")
awk -v f="$f1" 'BEGIN { exit !(f != "" && f + 0 < 0.7) }' ||
	{ echo "FAIL: cv coarse F1 '$f1': held-out articles were scored by heads that saw their explanation"; cat "$t/cv"; fail=1; }
# inner folds: the calibration fitted on inner-CV scores (column 10 of the
# NS_NARR_OOF dump, slopes first) finds the codes telling only if they leak
NS_NARR_OOF="$t/oof.tsv" "$bin" cv -q --task narratives --data "$t/data" --taxonomy "$t/tax" --folds 4 --seed 3 \
	--params min_df=1,inner_folds=2,expl_weight=4 > "$t/cv" 2> "$t/err" ||
	{ echo "FAIL: cv (inner folds) exited $?"; head -5 "$t/err"; fail=1; }
slope=$(awk -F'\t' '!/^#/ { split($10, c, ","); s += c[1] + c[3]; n += 2 } END { if (n) printf "%.2f", s / n }' "$t/oof.tsv")
awk -v s="$slope" 'BEGIN { exit !(s != "" && s + 0 < 5) }' ||
	{ echo "FAIL: calibration slope '$slope': inner folds scored articles by heads that saw their explanation"; fail=1; }

# a word only explanations carry predicts their narrative; labels outside the
# taxonomy are counted
printf 'EN_CC_0.txt\tCC: Scientists lie\tnone\tThe thermometers were rigged, the text says; rigged data.\n' \
	> "$t/data/EN/subtask-3-annotations.txt"
printf 'EN_CC_1.txt\tCC: Not in the list\tnone\tAnything.\nEN_CC_2.txt\tCC: Scientists lie\tCC: Scientists lie: Not in the list\tRigged.\n' \
	>> "$t/data/EN/subtask-3-annotations.txt"
i=3
while [ $i -lt 40 ]; do
	case $(( (i * 7 / 3) % 2 )) in
	0) printf 'EN_CC_%d.txt\tCC: Green energy fails\tnone\tTurbines, turbines everywhere, the text says.\n' $i ;;
	*) printf 'EN_CC_%d.txt\tCC: Scientists lie\tnone\tThe thermometers were rigged, the text says; rigged data.\n' $i ;;
	esac >> "$t/data/EN/subtask-3-annotations.txt"
	i=$((i + 1))
done
"$bin" train --task narratives --data "$t/data" --taxonomy "$t/tax" \
	--params min_df=1,inner_folds=0,expl_weight=4 -o "$t/m.nsm" 2> "$t/err" ||
	{ echo "FAIL: train exited $?"; head -5 "$t/err"; fail=1; }
grep -q "1 explanations name a narrative outside" "$t/err" && grep -q "1 explanations name a subnarrative outside" "$t/err" ||
	{ echo "FAIL: explanations with labels outside the taxonomy not counted"; cat "$t/err"; fail=1; }
"$bin" model info "$t/m.nsm" > "$t/info" 2>&1
grep -q "data.narratives.explanations.*39" "$t/info" || { echo "FAIL: manifest lacks the explanation count"; grep data "$t/info"; fail=1; }
grep -q "expl_weight.*4" "$t/info" || { echo "FAIL: manifest lacks expl_weight"; fail=1; }
printf 'Rigged thermometers, rigged data.\n' > "$t/q1.txt"
printf 'Turbines and turbines.\n' > "$t/q2.txt"
"$bin" predict -q --task narratives --model "$t/m.nsm" "$t/q1.txt" "$t/q2.txt" -o "$t/p.tsv" 2> "$t/err" ||
	{ echo "FAIL: predict exited $?"; head -5 "$t/err"; fail=1; }
grep -q "^q1.txt	CC: Scientists lie	CC: Scientists lie: Other$" "$t/p.tsv" ||
	{ echo "FAIL: a word of the explanations did not predict their narrative (none = Other)"; cat "$t/p.tsv"; fail=1; }
grep -q "^q2.txt	CC: Green energy fails	" "$t/p.tsv" ||
	{ echo "FAIL: a word of the explanations did not predict their narrative"; cat "$t/p.tsv"; fail=1; }
exit $fail
