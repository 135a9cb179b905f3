#!/bin/sh
# SPDX-License-Identifier: MIT
# scripts/fetch-libfdt.sh DIR - put the real libfdt sources in DIR.
#
# They come from Debian's linux-source-6.1 package (scripts/dtc/libfdt/ of
# the kernel tree): downloaded with apt-get, only that folder extracted. The
# result is cached in DIR; nothing third-party is ever committed.
set -eu
dir=$1
[ -f "$dir/libfdt.h" ] && exit 0

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "  FETCH   libfdt from Debian's linux-source-6.1 package"
(cd "$tmp" && apt-get download -q linux-source-6.1 >/dev/null 2>"$tmp/err") || {
	if [ "$(id -u)" = 0 ]; then
		apt-get update -q >/dev/null 2>&1 || true
		(cd "$tmp" && apt-get download -q linux-source-6.1 >/dev/null)
	else
		cat "$tmp/err" >&2
		echo "fetch-libfdt: apt-get download linux-source-6.1 failed;" \
			"run 'sudo apt-get update' or set LIBFDT_SRC=<dir>" >&2
		exit 1
	fi
}
deb=$(ls "$tmp"/linux-source-6.1_*.deb)
mkdir -p "$tmp/x"
dpkg-deb --fsys-tarfile "$deb" |
	tar -xO --wildcards './usr/src/linux-source-6.1.tar.*' |
	tar -xJ -C "$tmp/x" --wildcards '*/scripts/dtc/libfdt/*'
mkdir -p "$dir"
cp "$tmp"/x/*/scripts/dtc/libfdt/* "$dir/"
echo "$(basename "$deb")" >"$dir/SOURCE"
