#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The library as a user gets it: `meson install` into a temporary DESTDIR, then the examples
# built with pkg-config alone and run against the installed copy (TAP output).
#
#   tests/lib/installed.sh BUILD-DIR
#
# Installs BUILD-DIR (already built: `meson install --no-rebuild`) under a new temporary
# directory, which is removed at the end; nothing outside it is touched. Checks that the
# header, the shared library with its soname links, the static library and avrokit.pc land
# in the configured includedir and libdir; then compiles examples/*.c with
# `cc $(pkg-config --cflags --libs avrokit)` (PKG_CONFIG_PATH and PKG_CONFIG_SYSROOT_DIR
# pointing into the DESTDIR, -Werror) and runs tests/lib/examples.sh on them with
# LD_LIBRARY_PATH into the DESTDIR; and links first.c with the static library through
# `pkg-config --static`. MESON, CC and PKG_CONFIG name the tools (default meson, cc,
# pkg-config). Without pkg-config every test is skipped with a message, unless
# AK_REQUIRE_TOOLS=1 (CI) makes that a failure. In a build with sanitizers, AK_LINK_FLAGS
# gives their flags (-fsanitize=...), added to every compile and link here.
set -u
export LC_ALL=C
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
meson=${MESON:-meson}
pkgconfig=${PKG_CONFIG:-pkg-config}
# (CC and AK_LINK_FLAGS may hold several words: "ccache gcc")
read -ra cc <<<"${CC:-cc}"
read -ra sanitize <<<"${AK_LINK_FLAGS:-}"
total=12

echo "1..$total"
if ! command -v "$pkgconfig" >/dev/null 2>&1; then
	if [ "${AK_REQUIRE_TOOLS:-}" = 1 ]; then
		echo "not ok 1 - pkg-config is installed"
		exit 1
	fi
	for i in $(seq "$total"); do
		echo "ok $i # skip $pkgconfig is not installed"
	done
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ak-installed.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
dest=$tmp/root

n=0
failed=0
ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}
not_ok() {
	n=$((n + 1))
	echo "not ok $n - $1"
	failed=$((failed + 1))
	[ $# -lt 2 ] || sed 's/^/# /' "$2"
}
# run NAME COMMAND...: one test, passing when the command does (its output shown if not)
run() {
	local name=$1
	shift
	if "$@" >"$tmp/log" 2>&1; then
		ok "$name"
	else
		not_ok "$name" "$tmp/log"
	fi
}

# 1: install
if ! DESTDIR='' "$meson" install -C "$build" --no-rebuild --destdir "$dest" >"$tmp/log" 2>&1; then
	not_ok "meson install into a DESTDIR" "$tmp/log"
	echo "Bail out! nothing installed"
	exit 1
fi
ok "meson install into a DESTDIR"
# Where meson was told to install: prefix, libdir, includedir (libdir and includedir may be
# relative to the prefix).
"$meson" introspect --buildoptions "$build" >"$tmp/options.json"
dirs=$(sed 's/}, *{/}\n{/g' "$tmp/options.json" |
	sed -n 's/.*"name": *"\(prefix\|libdir\|includedir\)", *"value": *"\([^"]*\)".*/\1=\2/p')
prefix=$(printf '%s\n' "$dirs" | sed -n 's/^prefix=//p')
libdir=$(printf '%s\n' "$dirs" | sed -n 's/^libdir=//p')
includedir=$(printf '%s\n' "$dirs" | sed -n 's/^includedir=//p')
case $libdir in /*) ;; *) libdir=$prefix/$libdir ;; esac
case $includedir in /*) ;; *) includedir=$prefix/$includedir ;; esac
if [ -z "$prefix" ] || [ -z "$libdir" ] || [ -z "$includedir" ]; then
	echo "Bail out! cannot read prefix, libdir and includedir from meson introspect"
	exit 1
fi
L=$dest$libdir
I=$dest$includedir
soversion=$(sed -n "s/^lib_soversion = '\(.*\)'/\1/p" "$src/meson.build")
version=$("$meson" introspect --projectinfo "$build" | sed -n 's/.*"version": *"\([^"]*\)".*/\1/p')

# 2: the header, alone
(cd "$I" && find . -type f | sort) >"$tmp/headers"
if [ "$(cat "$tmp/headers")" = "./avrokit.h" ] && cmp -s "$I/avrokit.h" "$src/include/avrokit.h"
then
	ok "avrokit.h is installed in $includedir, and no other header"
else
	not_ok "avrokit.h is installed in $includedir, and no other header" "$tmp/headers"
fi
# 3: the libraries and links
real=$(cd "$L" && ls libavrokit.so.*.*.* 2>/dev/null)
if [ -f "$L/libavrokit.a" ] && [ -n "$real" ] && [ ! -L "$L/$real" ] &&
	[ "$(readlink "$L/libavrokit.so.$soversion")" = "$real" ] &&
	[ "$(readlink -f "$L/libavrokit.so")" = "$(readlink -f "$L/$real")" ]; then
	ok "in $libdir: $real, the links libavrokit.so.$soversion and libavrokit.so, libavrokit.a"
else
	ls -l "$L" >"$tmp/log" 2>&1
	not_ok "in $libdir: the shared library, its soname link and dev link, the static one" \
		"$tmp/log"
fi
# 4: pkg-config finds it there, and only there
export PKG_CONFIG_PATH=$L/pkgconfig PKG_CONFIG_SYSROOT_DIR=$dest
unset PKG_CONFIG_LIBDIR
got=$("$pkgconfig" --modversion avrokit 2>&1)
flags=$("$pkgconfig" --cflags --libs avrokit 2>&1)
if [ -f "$L/pkgconfig/avrokit.pc" ] && [ "$got" = "$version" ] &&
	printf '%s\n' "$flags" | grep -qF -- "-I$I" &&
	printf '%s\n' "$flags" | grep -qF -- "-L$L" &&
	printf '%s\n' "$flags" | grep -qw -- "-lavrokit"; then
	ok "pkg-config: avrokit $got, $flags"
else
	printf 'modversion: %s (expected %s)\nflags: %s\n' "$got" "$version" "$flags" >"$tmp/log"
	not_ok "pkg-config: avrokit.pc in $libdir/pkgconfig gives the DESTDIR's flags" "$tmp/log"
fi

# 5-7: the examples, built the way examples/README.md says, with strict warnings
mkdir -p "$tmp/bin"
for ex in first write datum; do
	# (word splitting of pkg-config's output is wanted)
	# shellcheck disable=SC2046
	run "$ex.c builds with \$(pkg-config --cflags --libs avrokit)" \
		"${cc[@]}" -std=c99 -Wall -Wextra -pedantic -Werror -o "$tmp/bin/$ex" \
		"$src/examples/$ex.c" $("$pkgconfig" --cflags --libs avrokit) "${sanitize[@]}"
done
# 8: they need the soname, and nothing points them at the build tree
if readelf -d "$tmp/bin/first" >"$tmp/log" 2>&1 &&
	grep -q 'NEEDED.*\[libavrokit\.so\.'"$soversion"'\]' "$tmp/log" &&
	! grep -q 'RPATH\|RUNPATH' "$tmp/log"; then
	ok "the examples need libavrokit.so.$soversion, with no rpath"
else
	not_ok "the examples need libavrokit.so.$soversion, with no rpath" "$tmp/log"
fi
# 9: and load the installed copy
export LD_LIBRARY_PATH=$L${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
if command -v ldd >/dev/null 2>&1; then
	ldd "$tmp/bin/first" >"$tmp/log" 2>&1
	if grep -qF "libavrokit.so.$soversion => $L/libavrokit.so.$soversion" "$tmp/log"; then
		ok "with LD_LIBRARY_PATH they load the installed library"
	else
		not_ok "with LD_LIBRARY_PATH they load the installed library" "$tmp/log"
	fi
else
	ok "with LD_LIBRARY_PATH they load the installed library # skip no ldd"
fi
# 10: they work (the same checks as for the examples of the build tree)
if "$here/examples.sh" "$tmp/bin" >"$tmp/log" 2>&1; then
	ok "the examples run against the installed library ($(grep -c '^ok' "$tmp/log") checks)"
else
	not_ok "the examples run against the installed library" "$tmp/log"
fi
# 11-12: the static library, with what `pkg-config --static` adds (Requires.private,
# Libs.private: the codec libraries and threads), as examples/README.md shows
# shellcheck disable=SC2046
run "first.c links statically with \$(pkg-config --static --libs avrokit)" \
	"${cc[@]}" "${sanitize[@]}" -o "$tmp/bin/first-static" "$src/examples/first.c" \
	$("$pkgconfig" --cflags avrokit) -Wl,-Bstatic -lavrokit -Wl,-Bdynamic -Wl,--as-needed \
	$("$pkgconfig" --static --libs avrokit)
if [ -x "$tmp/bin/first-static" ] && ! readelf -d "$tmp/bin/first-static" | grep -q libavrokit &&
	"$tmp/bin/first-static" "$src/tests/data/weather.avro" time >"$tmp/log" 2>&1 &&
	[ "$(wc -l <"$tmp/log")" -eq 10 ]; then
	ok "the static first runs without libavrokit.so"
else
	not_ok "the static first runs without libavrokit.so" "$tmp/log"
fi
[ "$n" -eq "$total" ] || echo "# ran $n tests, planned $total"
[ "$failed" -eq 0 ] && [ "$n" -eq "$total" ]
