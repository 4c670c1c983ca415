#!/bin/sh
# analyze output shape over the sample articles: the JSON array and JSONL carry
# the same documents with the documented members and consistent spans.
set -u
bin=${NS_BIN:?NS_BIN not set}
src=${NS_SRC:-.}
command -v jq >/dev/null || { echo "jq not installed (scripts/install-deps.sh installs it)"; exit 77; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail=0
cd "$src" || exit 1
"$bin" analyze examples/ > "$t/a.json" 2> "$t/err" || { echo "FAIL: analyze examples/ exit $?"; cat "$t/err"; exit 1; }
"$bin" analyze --format jsonl examples/ > "$t/a.jsonl" 2>> "$t/err" || { echo "FAIL: jsonl exit $?"; exit 1; }
# one pretty array; the JSONL lines are the same objects
jq -e 'type == "array" and length >= 8' "$t/a.json" >/dev/null || { echo "FAIL: not an array of >= 8 documents"; fail=1; }
[ "$(jq -c '.[]' "$t/a.json")" = "$(jq -c '.' "$t/a.jsonl")" ] || { echo "FAIL: json and jsonl differ"; fail=1; }
[ "$(wc -l < "$t/a.jsonl")" -eq "$(jq 'length' "$t/a.json")" ] || { echo "FAIL: jsonl is not one line per document"; fail=1; }
# members and types of every document
jq -e 'all(.[];
	(.id | type) == "string" and (.lang | type) == "string" and
	(.lang_confidence >= 0 and .lang_confidence <= 1) and
	(.chars | type) == "number" and (.paragraphs | type) == "number" and
	(.tokens | type) == "number" and (.warnings | type) == "array" and
	(.sentences | type) == "array" and (.cleaned | type) == "array")' "$t/a.json" >/dev/null ||
	{ echo "FAIL: member types"; fail=1; }
# spans inside the document, sentences in order, cleaned kinds from the documented set
jq -e 'all(.[]; . as $d |
	all(.sentences[]; .start < .end and .end <= $d.chars) and
	([.sentences[].start] == ([.sentences[].start] | sort)) and
	all(.cleaned[]; .start <= .end and .end <= $d.chars and
		(.kind | IN("share", "copyright", "timestamp", "blank", "metadata"))))' "$t/a.json" >/dev/null ||
	{ echo "FAIL: span checks"; fail=1; }
# ids: file paths as given, JSONL ids as given, with source and date echoed
jq -e 'map(.id) | index("examples/en_ukraine_port_strike.txt") != null' "$t/a.json" >/dev/null || { echo "FAIL: file id"; fail=1; }
jq -e '.[] | select(.id == "feed-pt-002") | .source == "Diário do Atlântico" and .date == "2025-02-24"' "$t/a.json" >/dev/null ||
	{ echo "FAIL: JSONL id/source/date"; fail=1; }
jq -e 'all(.[]; select(.id | startswith("examples/")) | has("source") | not)' "$t/a.json" >/dev/null || { echo "FAIL: source on a plain file"; fail=1; }
# every sample language is identified, and each article has boilerplate removed
for pair in en_ukraine_port_strike.txt:en ru_zapad_oruzhie.txt:ru bg_zelena_sdelka.txt:bg pt_seca_amazonia.txt:pt hi_garmi_jalvayu.txt:hi; do
	f=${pair%%:*} l=${pair##*:}
	got=$(jq -r --arg id "examples/$f" '.[] | select(.id == $id) | .lang' "$t/a.json")
	[ "$got" = "$l" ] || { echo "FAIL: $f: lang $got, expected $l"; fail=1; }
	n=$(jq -r --arg id "examples/$f" '.[] | select(.id == $id) | .cleaned | length' "$t/a.json")
	[ "${n:-0}" -gt 0 ] || { echo "FAIL: $f: no boilerplate cleaned"; fail=1; }
done
[ -s "$t/err" ] && { echo "FAIL: unexpected stderr:"; cat "$t/err"; fail=1; }
[ $fail -eq 0 ] && echo "analyze json/jsonl shape ok ($(jq length "$t/a.json") documents)"
exit $fail
