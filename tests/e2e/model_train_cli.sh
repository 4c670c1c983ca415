#!/bin/sh
# train / cv / predict for the narratives task on a small synthetic corpus written
# here (own sentences): usage errors exit 2, training is deterministic and -j does
# not change the bytes, predictions are the official TSV in a stable order,
# --dump-folds writes id<TAB>lang<TAB>fold, gold labels outside the taxonomy are
# counted in a warning, and `analyze --model` shows narratives with evidence.
set -u
bin=${NS_BIN:?NS_BIN not set}
. "${NS_SRC:?NS_SRC not set}/tests/e2e/lib/narr.sh"
narr_workdir
check() { # expected-exit description command...
	want=$1 what=$2
	shift 2
	"$@" > "$t/out" 2> "$t/err"
	got=$?
	[ "$got" -eq "$want" ] || { echo "FAIL: $what: exit $got, expected $want"; head -5 "$t/err"; fail=1; }
}

mkdir -p "$t/tax" "$t/data/EN/raw-documents" "$t/data/PT/raw-documents"
printf 'CC: Green energy fails\nURW: Blame the West\nOther\n' > "$t/tax/narratives.txt"
printf 'CC: Green energy fails: Wind power is unreliable\nCC: Green energy fails: Other\nURW: Blame the West: NATO provoked the war\nURW: Blame the West: Other\nOther\n' > "$t/tax/subnarratives.txt"
i=0
while [ $i -lt 36 ]; do
	case $((i % 3)) in
	0) text="Wind turbines stopped again as the wind died down.
Critics say wind power is unreliable and expensive, and the grid needed coal plants number $i."
	   lab="CC: Green energy fails	CC: Green energy fails: Wind power is unreliable" ; dom=CC ;;
	1) text="NATO expansion provoked the conflict, the commentator claimed.
He said the alliance moved its weapons toward the border in year $i."
	   lab="URW: Blame the West	URW: Blame the West: NATO provoked the war" ; dom=UA ;;
	*) text="The city council opened a new library on Tuesday.
Children read books and the mayor cut a ribbon at event $i."
	   lab="Other	Other" ; dom=UA ;;
	esac
	narr_articles "$t/data" "${dom}_$i.txt" "$text" "$lab" EN PT
	i=$((i + 1))
done
# one gold label outside the taxonomy
printf 'EN_extra.txt\tCC: Not a narrative\tCC: Not a narrative: x\n' >> "$t/data/EN/subtask-2-annotations.txt"
printf 'Solar panels and wind farms.\n' > "$t/data/EN/raw-documents/EN_extra.txt"

check 2 "train without --data" "$bin" train --task narratives -o "$t/m.nsm"
check 2 "train unknown task" "$bin" train --task nope --data "$t/data" -o "$t/m.nsm"
check 2 "cv bad folds" "$bin" cv --task narratives --data "$t/data" --folds 1
check 2 "predict without model" "$bin" predict --task narratives "$t/data"
check 1 "train bad params" "$bin" train --task narratives --data "$t/data" --taxonomy "$t/tax" --params bogus=1 -o "$t/m.nsm" -q
grep -q "bogus" "$t/err" || { echo "FAIL: bad params message lacks the key"; fail=1; }

check 0 "train" "$bin" train --task narratives --data "$t/data" --taxonomy "$t/tax" --params min_df=1 -o "$t/m1.nsm"
grep -q "2 gold label occurrences are not in the taxonomy" "$t/err" ||
	{ echo "FAIL: unknown label not counted"; cat "$t/err"; fail=1; }
check 0 "train -j2" "$bin" train --task narratives --data "$t/data" --taxonomy "$t/tax" --params min_df=1 -j2 -q -o "$t/m2.nsm"
cmp -s "$t/m1.nsm" "$t/m2.nsm" || { echo "FAIL: -j2 changed the model bytes"; fail=1; }

check 0 "predict" "$bin" predict -q --task narratives --model "$t/m1.nsm" "$t/data/EN/raw-documents" -o "$t/p1.tsv"
check 0 "predict -j3" "$bin" predict -q --task narratives --model "$t/m1.nsm" -j3 "$t/data/EN/raw-documents" -o "$t/p3.tsv"
cmp -s "$t/p1.tsv" "$t/p3.tsv" || { echo "FAIL: predict output depends on -j"; fail=1; }
[ "$(wc -l < "$t/p1.tsv")" -eq 37 ] || { echo "FAIL: expected 37 prediction lines"; fail=1; }
awk -F'\t' 'NF != 3 { bad = 1 } END { exit bad }' "$t/p1.tsv" || { echo "FAIL: TSV lines need 3 columns"; fail=1; }
grep -q "^EN_CC_0.txt	CC: Green energy fails	CC: Green energy fails: Wind power is unreliable$" "$t/p1.tsv" ||
	{ echo "FAIL: EN_CC_0 not predicted as its training label"; grep EN_CC_0 "$t/p1.tsv"; fail=1; }
grep -q "^EN_UA_2.txt	Other	Other$" "$t/p1.tsv" || { echo "FAIL: EN_UA_2 should be Other"; fail=1; }

check 0 "cv" "$bin" cv -q --task narratives --data "$t/data" --taxonomy "$t/tax" --folds 3 --seed 4 \
	--params min_df=1,inner_folds=2 --dump-folds "$t/folds.tsv"
grep -q "^mean " "$t/out" || { echo "FAIL: cv prints no mean row"; cat "$t/out"; fail=1; }
[ "$(wc -l < "$t/folds.tsv")" -eq 73 ] || { echo "FAIL: --dump-folds should list 73 articles"; fail=1; }
awk -F'\t' 'NF != 3 || $3 < 0 || $3 > 2 { bad = 1 } END { exit bad }' "$t/folds.tsv" ||
	{ echo "FAIL: bad --dump-folds line"; fail=1; }

check 0 "analyze --model" "$bin" analyze -f jsonl --model "$t/m1.nsm" "$t/data/EN/raw-documents/EN_UA_1.txt"
grep -q '"narratives":\[{"label":"URW: Blame the West","score":[0-9.]*,"evidence":\[{"start":' "$t/out" ||
	{ echo "FAIL: analyze lacks the narratives layer"; head -c 600 "$t/out"; fail=1; }
check 1 "the same data dir twice" "$bin" train -q --task narratives --data "$t/data/EN" --data "$t/data/EN" --taxonomy "$t/tax" -o "$t/m3.nsm"
grep -q "occurs twice" "$t/err" || { echo "FAIL: duplicate articles not reported"; cat "$t/err"; fail=1; }
[ ! -e "$t/m3.nsm" ] || { echo "FAIL: a failed training left a model file"; fail=1; }
exit $fail
