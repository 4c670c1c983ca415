#!/bin/sh
# Installs the Debian packages narrascope needs to build and test. Idempotent:
# does nothing when everything is present; runs `apt-get update` at most once.
set -eu
PKGS="build-essential pkg-config libstemmer-dev libutf8proc-dev clang libclang-rt-dev valgrind jq python3 python3-sklearn fasttext time chromium"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "install-deps: installing$missing" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
