#!/bin/sh
# The HTML report of the sample articles (examples/) renders in headless Debian
# chromium with no console errors and no external resources, and a screenshot is
# produced (kept as $NS_BUILD/html_report.png, or in a temporary directory).
set -u
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
	echo "chromium not installed (scripts/install-deps.sh installs it)"
	exit 77
fi
: "${NS_BIN:?NS_BIN not set}" "${NS_SRC:?NS_SRC not set}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
OUTDIR=${NS_BUILD:-$T}
SHOT="$OUTDIR/html_report.png"
MODEL=""
[ -f "$NS_SRC/models/default.nsm" ] && MODEL="--model $NS_SRC/models/default.nsm"
# shellcheck disable=SC2086
if ! "$NS_BIN" analyze $MODEL --format html -o "$T/report.html" "$NS_SRC/examples/" 2>"$T/analyze.err"; then
	echo "analyze --format html failed:"; cat "$T/analyze.err"; exit 1
fi
R="$T/report.html"
[ -s "$R" ] || { echo "empty report"; exit 1; }
grep -q '<svg' "$R" || { echo "report has no inline SVG chart"; exit 1; }
grep -q 'class="doc"' "$R" || { echo "report has no article section"; exit 1; }
# self-contained: no external scripts, styles, images or links to fetch
if grep -Eiq '(src|href)=["'"'"']?(https?:)?//|@import|url\((["'"'"'])?(https?:)?//' "$R"; then
	echo "report references external resources:"; grep -Eio '(src|href)=["'"'"']?(https?:)?//[^"'"'"' >]*' "$R" | head; exit 1
fi
run_chrome() {
	timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run --user-data-dir="$(mktemp -d -p "$T")" \
		--enable-logging=stderr --v=0 "$@" "file://$R"
}
run_chrome --dump-dom >"$T/dom.html" 2>"$T/dom.err" || { echo "chromium --dump-dom failed"; tail -5 "$T/dom.err"; exit 1; }
grep -q 'data-loaded="1"' "$T/dom.html" || { echo "page did not finish loading (no load marker)"; exit 1; }
if grep -q 'data-error=' "$T/dom.html"; then echo "page raised a script error"; exit 1; fi
run_chrome --window-size=1200,1800 --screenshot="$SHOT" >"$T/shot.out" 2>"$T/shot.err" || { echo "chromium --screenshot failed"; tail -5 "$T/shot.err"; exit 1; }
[ -s "$SHOT" ] || { echo "no screenshot written"; exit 1; }
# console messages and page errors are logged as CONSOLE(...) / Uncaught / Refused lines
if grep -Eh 'CONSOLE|Uncaught|Refused to|Failed to load resource|net::ERR' "$T/dom.err" "$T/shot.err"; then
	echo "console errors while rendering the report"; exit 1
fi
echo "html report ok: $(wc -c <"$R") bytes; screenshot $SHOT"
exit 0
