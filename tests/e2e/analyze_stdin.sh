#!/bin/sh
# analyze reads `-`: plain text (id "<stdin>") and JSONL (auto-detected by a
# leading '{', or forced with --input jsonl); an empty stdin is reported.
set -u
bin=${NS_BIN:?NS_BIN not set}
src=${NS_SRC:-.}
command -v jq >/dev/null || { echo "jq not installed (scripts/install-deps.sh installs it)"; exit 77; }
fail=0
out=$("$bin" analyze --format jsonl - < "$src/examples/en_ukraine_port_strike.txt") || { echo "FAIL: text stdin exit $?"; fail=1; }
[ "$(echo "$out" | jq -r '.id + " " + .lang')" = "<stdin> en" ] || { echo "FAIL: text stdin: $out" | head -c 300; fail=1; }
# same analysis as the file itself, apart from the id
a=$(echo "$out" | jq -c 'del(.id)')
b=$("$bin" analyze --format jsonl "$src/examples/en_ukraine_port_strike.txt" | jq -c 'del(.id)')
[ "$a" = "$b" ] || { echo "FAIL: stdin and file analyses differ"; fail=1; }
ids=$("$bin" analyze --format jsonl - < "$src/examples/news_feed.jsonl" | jq -r .id | tr '\n' ' ')
[ "$ids" = "feed-en-001 feed-pt-002 feed-bg-003 " ] || { echo "FAIL: JSONL stdin ids: $ids"; fail=1; }
ids=$(printf '  \n{"text":"Forced JSONL."}\n' | "$bin" analyze --input jsonl --format jsonl - | jq -r .id)
[ "$ids" = "<stdin>:2" ] || { echo "FAIL: --input jsonl id: $ids"; fail=1; }
err=$("$bin" analyze - < /dev/null 2>&1 >/dev/null); rc=$?
[ $rc -eq 1 ] && echo "$err" | grep -qxF "narrascope: <stdin>: empty file" || { echo "FAIL: empty stdin: $rc $err"; fail=1; }
[ $fail -eq 0 ] && echo "stdin text and JSONL ok"
exit $fail
