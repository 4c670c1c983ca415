#!/bin/sh
# analyze reads `-`: plain text (id "<stdin>") and JSONL (auto-detected by a
# leading '{', or forced with --input jsonl); an empty stdin is reported. A JSONL
# corpus larger than --max-bytes redirected from a file is read line by line
# (it was refused as one oversized file), and plain text over it is refused.
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
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
awk 'BEGIN { for (i = 0; i < 3000; i++) printf "{\"id\":%d,\"text\":\"Officials in Kyiv said the port reopened. %0400d\"}\n", i, 0 }' > "$t/big.jsonl"
n=$("$bin" analyze --text-only --max-bytes 1000000 --format jsonl - < "$t/big.jsonl" | wc -l)
[ "$n" -eq 3000 ] || { echo "FAIL: 1.3 MB JSONL on stdin with --max-bytes 1000000: $n documents, expected 3000"; fail=1; }
head -c 1300000 "$t/big.jsonl" | tr '{' ' ' > "$t/big.txt"
err=$("$bin" analyze --text-only --max-bytes 1000000 - < "$t/big.txt" 2>&1 >/dev/null)
echo "$err" | grep -qxF "narrascope: <stdin>: file is 1300000 bytes, over the limit of 1000000 bytes (--max-bytes)" ||
	{ echo "FAIL: oversized text on stdin: $err"; fail=1; }
[ $fail -eq 0 ] && echo "stdin text and JSONL ok"
exit $fail
