#!/bin/sh
# Builds every tests/fuzz/fuzz_<x>.c as a libFuzzer target with clang
# (-fsanitize=fuzzer,address,undefined) and runs each for SECONDS seconds, seeded
# with tests/fuzz/corpus/<x>/. New inputs go to a temporary directory, never into
# the repository; a crash leaves its reproducer in build-fuzz/artifacts/.
# Usage: tests/fuzz/run.sh [SECONDS] [x ...]     (`make fuzz`; FUZZ_SECONDS also works)
set -eu
cd "$(dirname "$0")/../.."
secs=${1:-${FUZZ_SECONDS:-30}}
[ $# -gt 0 ] && shift
command -v clang >/dev/null || { echo "fuzz: clang not found (scripts/install-deps.sh installs it)" >&2; exit 2; }
B=build-fuzz
SAN=address,undefined
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! make --no-print-directory BUILD=$B CC=clang SAN=$SAN CFLAGS="-O1 -g -fsanitize=fuzzer-no-link" \
	$B/libnarrascope.a >"$tmp/build.log" 2>&1; then
	cat "$tmp/build.log"; exit 1
fi
LIBS="$(pkg-config --libs libutf8proc) -lstemmer -lpthread -lm"
CFL="-std=c11 -D_GNU_SOURCE -O1 -g -Iinclude -Isrc $(pkg-config --cflags libutf8proc) -fsanitize=fuzzer,$SAN -fno-omit-frame-pointer -fno-sanitize-recover=all"
targets="$*"
if [ -z "$targets" ]; then
	for f in tests/fuzz/fuzz_*.c; do
		t=${f#tests/fuzz/fuzz_}
		targets="$targets ${t%.c}"
	done
fi
mkdir -p $B/fuzzers $B/artifacts
status=0
for t in $targets; do
	echo "== fuzz_$t: building"
	# shellcheck disable=SC2086
	clang $CFL -o $B/fuzzers/fuzz_$t tests/fuzz/fuzz_$t.c $B/libnarrascope.a $LIBS
	mkdir -p "$tmp/$t"
	seed=tests/fuzz/corpus/$t
	[ -d "$seed" ] || seed=""
	echo "== fuzz_$t: running ${secs}s"
	# shellcheck disable=SC2086
	if ! $B/fuzzers/fuzz_$t -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix=$B/artifacts/fuzz_$t- -print_final_stats=1 "$tmp/$t" $seed \
		>"$tmp/$t.log" 2>&1; then
		echo "== fuzz_$t: FAILED (reproducer in $B/artifacts/)"; tail -n 30 "$tmp/$t.log"; status=1
	else
		grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$tmp/$t.log" | sed "s/^/   /"
		echo "== fuzz_$t: ok, $(ls "$tmp/$t" | wc -l) new inputs (not kept)"
	fi
done
exit $status
