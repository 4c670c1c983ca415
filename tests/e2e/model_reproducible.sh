#!/bin/sh
# Retrains the default model with the flags recorded in its manifest (created-by)
# and checks the result is byte for byte models/default.nsm. Skips when the data or
# the model is absent, or when the training data differ (data-digest mismatch).
set -u
bin=${NS_BIN:?NS_BIN not set}
src=${NS_SRC:-.}
data=${NS_DATA:-}
d="$data/semeval2025"
model="$src/models/default.nsm"
if [ -z "$data" ] || [ ! -d "$d/train" ]; then
	echo "skip: shared data (semeval2025/train) not found"
	exit 77
fi
if [ -n "${NS_SAN:-}" ]; then
	echo "skip: retraining under sanitizers ($NS_SAN) is too slow; the plain make check runs this test"
	exit 77
fi
if [ ! -f "$model" ]; then
	echo "skip: models/default.nsm not built yet (make model)"
	exit 77
fi
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
"$bin" model info "$model" > "$t/info" 2>&1 || { echo "FAIL: model info on the committed model"; cat "$t/info"; exit 1; }
created=$(sed -n 's/^ *created-by  *//p' "$t/info" | head -1)
digest=$(sed -n 's/^ *data-digest  *//p' "$t/info" | head -1)
case "$created" in
"narrascope train "*) ;;
*) echo "FAIL: no usable created-by in the manifest: '$created'"; exit 1 ;;
esac
args=${created#narrascope train }
# shellcheck disable=SC2086 # args are the recorded flags, split on purpose
"$bin" train $args -j2 -q --data "$d/train" --taxonomy "$d/taxonomy" -o "$t/m.nsm" > "$t/log" 2>&1 ||
	{ echo "FAIL: retraining failed"; cat "$t/log"; exit 1; }
"$bin" model info "$t/m.nsm" > "$t/info2" 2>&1
digest2=$(sed -n 's/^ *data-digest  *//p' "$t/info2" | head -1)
if [ "$digest" != "$digest2" ]; then
	echo "skip: training data differ from the committed model's (digest $digest2 vs $digest)"
	exit 77
fi
if ! cmp -s "$model" "$t/m.nsm"; then
	echo "FAIL: retrained model differs from models/default.nsm (run make model and commit it)"
	diff "$t/info" "$t/info2" | head -20
	exit 1
fi
echo "ok: retrained model identical to models/default.nsm ($(wc -c < "$model") bytes)"
exit 0
