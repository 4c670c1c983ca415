#!/bin/sh
# Writes the seed corpus of tests/fuzz/fuzz_model.c: small models trained here on
# a synthetic corpus of our own sentences (narratives with expected-F1 decoding,
# with the threshold rules only, with the neighbour component, with the second
# stage; framing), each converted to the target's
# list-of-sections input. Run from the repository root after `make`:
#   sh tests/fuzz/corpus/model/gen.sh [path/to/narrascope]
set -eu
bin=${1:-build/narrascope}
out=$(cd "$(dirname "$0")" && pwd)
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir -p "$t/tax" "$t/data/EN/raw-documents"
printf 'CC: Green energy fails\nURW: Blame the West\nOther\n' > "$t/tax/narratives.txt"
printf 'CC: Green energy fails: Wind power is unreliable\nCC: Green energy fails: Other\nURW: Blame the West: NATO provoked the war\nURW: Blame the West: Other\nOther\n' \
	> "$t/tax/subnarratives.txt"
printf 'main_role\tfine_role\nProtagonist\tGuardian\nAntagonist\tTyrant\nInnocent\tVictim\n' > "$t/tax/roles.tsv"
i=0
while [ $i -lt 12 ]; do
	case $((i % 3)) in
	0) text="Wind turbines stopped again near Borovia. Wind power is unreliable, critics said ($i)."
	   lab="CC: Green energy fails	CC: Green energy fails: Wind power is unreliable"; dom=CC; role="Antagonist	Tyrant" ;;
	1) text="Borovia said NATO expansion provoked the war ($i)."
	   lab="URW: Blame the West	URW: Blame the West: NATO provoked the war"; dom=UA; role="Protagonist	Guardian" ;;
	*) text="Borovia opened a library on Tuesday ($i)."
	   lab="Other	Other"; dom=UA; role="Innocent	Victim" ;;
	esac
	f="EN_${dom}_$i.txt"
	printf '%s\n' "$text" > "$t/data/EN/raw-documents/$f"
	printf '%s\t%s\n' "$f" "$lab" >> "$t/data/EN/subtask-2-annotations.txt"
	# the first "Borovia" of the text
	s=$(printf '%s' "$text" | awk '{print index($0, "Borovia") - 1}')
	printf '%s\tBorovia\t%d\t%d\t%s\n' "$f" "$s" $((s + 7)) "$role" >> "$t/data/EN/subtask-1-annotations.txt"
	i=$((i + 1))
done
train() { # name task params
	"$bin" train -q --task "$2" --data "$t/data" --taxonomy "$t/tax" ${3:+--params "$3"} -o "$t/$1.nsm"
}
train narratives narratives min_df=1,inner_folds=2
train thresholds narratives min_df=1,inner_folds=2,ef1=0
train knn narratives min_df=1,inner_folds=2,knn_k=3,knn_a=0.5
train stack narratives min_df=1,inner_folds=2,stack=1
train framing framing ""
python3 - "$t" "$out" <<'PY'
import os, struct, sys
t, out = sys.argv[1], sys.argv[2]
def sections(path):
    b = open(path, "rb").read()
    n = struct.unpack_from("<I", b, 16)[0]
    for k in range(n):
        name, off, ln = struct.unpack_from("<32sQQ", b, 64 + 64 * k)
        yield name.rstrip(b"\0"), b[off:off + ln]
def records(secs):
    return b"".join(bytes([len(n)]) + n + struct.pack("<I", len(d)) + d for n, d in secs)
models = {m: list(sections(os.path.join(t, m + ".nsm"))) for m in ("narratives", "thresholds", "knn", "stack", "framing")}
for m, secs in models.items():
    open(os.path.join(out, m + ".bin"), "wb").write(records(secs))
# both layers in one model, and the narrative sections alone (no taxonomy/manifest)
both = models["narratives"] + [s for s in models["framing"] if s[0].startswith(b"frame")]
open(os.path.join(out, "narratives-framing.bin"), "wb").write(records(both))
open(os.path.join(out, "narr-only.bin"), "wb").write(records([s for s in models["narratives"] if s[0].startswith(b"narr")]))
PY
ls -l "$out"
