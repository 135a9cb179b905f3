#!/bin/sh
# SPDX-License-Identifier: MIT
# scripts/fetch-source.sh PKG DIR - put Debian's source package PKG,
# unpacked with its Debian patches applied, in DIR.
#
# Third-party sources (musl, lua5.4) come from Debian 12's source packages
# at build time and are never committed. apt-get source needs a deb-src
# entry beside each deb entry of the machine's apt sources: those missing
# are added to /etc/apt/sources.list.d/pagoda-src.sources (the same URIs,
# suites, components and Signed-By; deb822 stanzas and one-line entries
# both read), and apt-get update then fetches the source indexes. That, and
# installing dpkg-dev for dpkg-source, needs root or sudo, once. The result
# is cached: DIR/SOURCE names the .dsc it came from, and a DIR holding one
# is left as it is.
set -eu
pkg=$1
dir=$2
[ -f "$dir/SOURCE" ] && exit 0

if [ "$(id -u)" = 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1; then
	sudo="sudo"
else
	sudo="none"
fi
as_root() {
	if [ "$sudo" = none ]; then
		echo "fetch-source: need root or sudo to run: $*" >&2
		exit 1
	fi
	$sudo "$@"
}
export DEBIAN_FRONTEND=noninteractive

# apt-get update, retried while another apt holds the lists' lock.
apt_update() {
	i=0
	until as_root apt-get update -q >"$tmp/update.log" 2>&1; do
		i=$((i + 1))
		if [ $i -ge 30 ] || ! grep -q 'lock' "$tmp/update.log"; then
			cat "$tmp/update.log" >&2
			exit 1
		fi
		sleep 2
	done
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

command -v dpkg-source >/dev/null 2>&1 || {
	echo "  DEPS    dpkg-dev (dpkg-source)"
	apt_update
	as_root apt-get install -y -q dpkg-dev >/dev/null
}

# Every source entry, one per line: TYPE URI SUITE COMPONENTS... |SIGNED-BY
# (deb822 stanzas with Enabled: no are left out).
entries() {
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		sed -e 's/#.*//' "$f" | awk '
		$1 == "deb" || $1 == "deb-src" {
			type = $1; sb = ""; i = 2
			if ($2 ~ /^\[/) {
				while (i <= NF) {
					if (match($i, /signed-by=[^] ]*/))
						sb = substr($i, RSTART + 10, RLENGTH - 10)
					if ($i ~ /\]$/) { i++; break }
					i++
				}
			}
			line = type " " $i " " $(i + 1)
			for (j = i + 2; j <= NF; j++) line = line " " $j
			print line " |" sb
		}'
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk '
		function flush(   n, t, s, k, u, nu, ns, us, ss) {
			if (types != "" && enabled != "no") {
				nt = split(types, t, " "); nu = split(uris, us, " ")
				ns = split(suites, ss, " ")
				for (k = 1; k <= nt; k++)
					for (u = 1; u <= nu; u++)
						for (s = 1; s <= ns; s++)
							print t[k] " " us[u] " " ss[s] " " comps " |" sb
			}
			types = uris = suites = comps = sb = enabled = ""
		}
		/^[ \t]*#/ { next }
		/^[ \t]*$/ { flush(); next }
		{
			key = tolower($1); sub(/:$/, "", key)
			val = $0; sub(/^[^:]*:[ \t]*/, "", val)
			if (key == "types") types = val
			else if (key == "uris") uris = val
			else if (key == "suites") suites = val
			else if (key == "components") comps = val
			else if (key == "signed-by") sb = val
			else if (key == "enabled") enabled = tolower(val)
		}
		END { flush() }' "$f"
	done
}

# The deb entries whose URI and suite no deb-src entry has, as deb-src stanzas.
entries >"$tmp/entries"
awk '
$1 == "deb-src" { have[$2 " " $3] = 1; next }
$1 == "deb" { want[++n] = $0 }
END {
	for (i = 1; i <= n; i++) {
		split(want[i], f, " ")
		if ((f[2] " " f[3]) in have) continue
		have[f[2] " " f[3]] = 1
		line = want[i]; sb = line; sub(/.*\|/, "", sb); sub(/ *\|.*/, "", line)
		comps = line; sub(/^[^ ]+ [^ ]+ [^ ]+ */, "", comps)
		printf "\nTypes: deb-src\nURIs: %s\nSuites: %s\nComponents: %s\n", f[2], f[3], comps
		if (sb != "") printf "Signed-By: %s\n", sb
	}
}' "$tmp/entries" >"$tmp/missing"

src_list=/etc/apt/sources.list.d/pagoda-src.sources
if [ -s "$tmp/missing" ]; then
	echo "  APT     deb-src entries in $src_list"
	if [ -f "$src_list" ]; then
		cat "$src_list" "$tmp/missing"
	else
		sed 1d "$tmp/missing" # no blank line first
	fi >"$tmp/pagoda-src.sources"
	as_root install -m 644 "$tmp/pagoda-src.sources" "$src_list"
	apt_update
elif [ -z "$(apt-cache showsrc --only-source "$pkg" 2>/dev/null)" ]; then
	apt_update # the entries are there, their indexes not yet
fi

echo "  FETCH   $pkg from Debian's source package"
# As root, apt would drop to the user _apt for the download and warn that
# it cannot write here; the files are checked against the signed index
# either way, so it downloads as root, quietly.
sandbox=""
[ "$(id -u)" = 0 ] && sandbox="-o APT::Sandbox::User=root"
# shellcheck disable=SC2086
(cd "$tmp" && apt-get source -q --download-only $sandbox "$pkg" >"$tmp/source.log" 2>&1) || {
	cat "$tmp/source.log" >&2
	echo "fetch-source: apt-get source $pkg failed" >&2
	exit 1
}
dsc=$(ls "$tmp"/*.dsc)
# apt checked every file against the signed Sources index; dpkg-source
# needs no keyring of its own for that (--no-check, as apt-get source does).
(cd "$tmp" && dpkg-source --no-check -x "$(basename "$dsc")" unpacked >"$tmp/x.log" 2>&1) || {
	cat "$tmp/x.log" >&2
	echo "fetch-source: dpkg-source -x $(basename "$dsc") failed" >&2
	exit 1
}
basename "$dsc" >"$tmp/unpacked/SOURCE"
rm -rf "$dir"
mkdir -p "$(dirname "$dir")"
mv "$tmp/unpacked" "$dir"
