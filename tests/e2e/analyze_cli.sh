#!/bin/sh
# analyze command line: usage errors exit 2 before any work, --help exits 0, -o
# writes the file atomically (no temporary file left), unknown model fails with 1.
set -u
bin=${NS_BIN:?NS_BIN not set}
src=${NS_SRC:-.}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail=0
check() { # expected-exit description command...
	want=$1 what=$2
	shift 2
	"$@" > "$t/out" 2> "$t/err"
	got=$?
	[ "$got" -eq "$want" ] || { echo "FAIL: $what: exit $got, expected $want"; cat "$t/err"; fail=1; }
}
check 0 "--help" "$bin" analyze --help
grep -q -- "--max-bytes" "$t/out" || { echo "FAIL: --help lacks --max-bytes"; fail=1; }
check 2 "no input" "$bin" analyze
check 2 "bad format" "$bin" analyze --format xml "$src/examples"
check 2 "bad -j" "$bin" analyze -j 0 "$src/examples"
check 2 "bad --input" "$bin" analyze --input csv "$src/examples"
check 2 "unknown option" "$bin" analyze --frobnicate "$src/examples"
check 2 "stdin twice" "$bin" analyze - -
check 0 "--format html -o" "$bin" analyze -j 2 --format html -o "$t/r.html" "$src/examples"
head -c 200 "$t/r.html" | grep -qi '<!doctype html' || { echo "FAIL: html output does not start with a doctype"; fail=1; }
rm -f "$t/r.html"
check 1 "missing model" "$bin" analyze --model "$t/nope.nsm" "$src/examples"
grep -q "nope.nsm" "$t/err" || { echo "FAIL: model error does not name the file"; fail=1; }
check 0 "-o" "$bin" analyze -j 2 -o "$t/res.jsonl" --format jsonl "$src/examples"
[ -s "$t/res.jsonl" ] && [ ! -s "$t/out" ] || { echo "FAIL: -o wrote to stdout or nothing"; fail=1; }
[ "$(ls -A "$t" | grep -c tmp)" -eq 0 ] || { echo "FAIL: temporary file left"; ls "$t"; fail=1; }
# -o onto a pipe or device writes through it and never replaces it by a file
# (a FIFO here stands for /dev/null, which an atomic rename would destroy)
if mkfifo "$t/fifo" 2>/dev/null; then
	timeout 60 cat "$t/fifo" > "$t/fifo.out" & # bounded even if analyze never opens it
	check 0 "-o FIFO" "$bin" analyze --text-only --format jsonl -o "$t/fifo" "$src/examples"
	wait
	[ -p "$t/fifo" ] || { echo "FAIL: -o replaced the FIFO by a file"; fail=1; }
	[ "$(wc -l < "$t/fifo.out")" -ge 8 ] || { echo "FAIL: nothing written through the FIFO"; fail=1; }
	rm -f "$t/fifo" "$t/fifo.out"
fi
check 1 "-o into a missing directory" "$bin" analyze -o "$t/no/such/dir/x.json" "$src/examples"
[ $fail -eq 0 ] && echo "analyze command line ok"
exit $fail
