#!/bin/sh
# analyze over the sample articles (and with the default model when present) under
# valgrind memcheck: no invalid reads/writes, no uninitialised jumps, no leaks.
set -u
command -v valgrind >/dev/null 2>&1 || { echo "skip: valgrind not installed"; exit 77; }
if [ -n "${NS_SAN:-}" ]; then
	echo "skip: the binary is built with sanitizers ($NS_SAN), which cannot run under valgrind; the plain make check runs this test"
	exit 77
fi
cd "$NS_SRC" || exit 1
run() {
	valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
		--error-exitcode=9 "$NS_BIN" "$@" > /dev/null || { echo "valgrind reported errors for: $*"; exit 1; }
}
run analyze -j 2 examples/
run analyze --format html -o /dev/null examples/
if [ -f models/default.nsm ]; then
	run analyze -j 2 --model models/default.nsm examples/
fi
echo ok
