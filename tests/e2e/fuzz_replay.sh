#!/bin/sh
# Replays every fuzz corpus through its target built with the replay main
# ($NS_BUILD/replay/fuzz_<x> over tests/fuzz/corpus/<x>/), so `make check` runs
# the fuzz inputs with whatever compiler and sanitizers the build uses.
src=${NS_SRC:-.}
build=${NS_BUILD:-}
if [ -z "$build" ] && [ -n "${NS_BIN:-}" ]; then build=$(dirname "$NS_BIN"); fi
set -- "$build"/replay/fuzz_*
if [ -z "$build" ] || [ ! -x "$1" ]; then
	echo "no fuzz replay binaries built (expected \$NS_BUILD/replay/fuzz_*)"
	exit 77
fi
fail=0
for bin in "$@"; do
	name=$(basename "$bin")
	case $name in *.*) continue ;; esac # dependency files (.d) and the like
	[ -x "$bin" ] || continue
	corpus="$src/tests/fuzz/corpus/${name#fuzz_}"
	if [ ! -d "$corpus" ]; then
		echo "$name: no corpus at $corpus"
		fail=1
		continue
	fi
	if out=$("$bin" "$corpus" 2>&1); then
		echo "$name: $out"
	else
		echo "$name: FAILED"
		echo "$out" | tail -n 20
		fail=1
	fi
done
exit $fail
