#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The exported symbols of libavrokit, three ways, must be the same list (TAP output):
#
#   abi/check.sh BUILD-LIBDIR SOVERSION
#
# - the symbols the built shared library exports (nm -D --defined-only), which must all be
#   functions in the version node of src/core/libavrokit.map, under the soname
#   libavrokit.so.SOVERSION;
# - the global list of src/core/libavrokit.map (the version script the link uses);
# - the functions include/avrokit.h declares with AK_API;
# and the static library defines every one of them. A function added to the header but not
# to the map (or the other way round), a symbol that leaks out of the library, or one that
# is dropped fails here with the difference.
#
# Then the header's constants (enumerators, AK_NO_POS, array sizes) against
# abi/constants.txt: each recorded value must be unchanged (they are frozen; new ones are
# appended), and each constant of the header must be recorded. CC (default cc) compiles the
# program that prints them. abi/README.md says how to change the ABI.
set -u
export LC_ALL=C
libdir=$1
soversion=$2
src=$(cd "$(dirname "$0")/.." && pwd)
AK_SRC=$src
# shellcheck source=abi/lib.sh
. "$src/abi/lib.sh"
map=$src/src/core/libavrokit.map
header=$src/include/avrokit.h
so=$libdir/libavrokit.so.$soversion
static=$libdir/libavrokit.a
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ak-abi.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

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
}
# same NAME A B: the sorted lists in files A and B are the same
same() {
	if cmp -s "$2" "$3"; then
		ok "$1 ($(wc -l <"$2") symbols)"
	else
		not_ok "$1"
		diff -u --label "${2##*/}" --label "${3##*/}" "$2" "$3" | sed 's/^/# /'
	fi
}

echo "1..8"
if ! command -v nm >/dev/null 2>&1 || ! command -v readelf >/dev/null 2>&1; then
	for i in 1 2 3 4 5 6 7 8; do
		echo "ok $i # skip nm or readelf (binutils) is not installed"
	done
	exit 0
fi
if [ ! -e "$so" ]; then
	echo "Bail out! $so does not exist (build first; is SOVERSION right?)"
	exit 1
fi

# The version node(s) the map defines ("AVROKIT_0 {") and the names under global:.
sed -n 's/^\([A-Za-z_][A-Za-z0-9_.]*\)[[:space:]]*{.*/\1/p' "$map" | sort >"$tmp/nodes"
awk '/^[[:space:]]*global:/ { g = 1; next }
     /^[[:space:]]*local:/ { g = 0 }
     g && /^[[:space:]]*[A-Za-z_][A-Za-z0-9_]*;/ { gsub(/[[:space:];]/, ""); print }' \
	"$map" | sort >"$tmp/map"
# Each AK_API declaration, joined up to its ';': the identifier just before the first '('.
awk '!/^#/ && /^AK_API[[:space:]]/ { d = ""; inside = 1 }
     inside { d = d " " $0 }
     inside && /;/ { inside = 0; sub(/\(.*/, "", d); n = split(d, w, /[^A-Za-z0-9_]+/);
		     print w[n] }' "$header" | sort >"$tmp/header"
# Defined dynamic symbols: "ADDR TYPE NAME@@NODE", and the node itself as an absolute symbol.
nm -D --defined-only "$so" >"$tmp/nm"
awk '$2 != "A" { s = $3; sub(/@.*/, "", s); print s }' "$tmp/nm" | sort >"$tmp/lib"

# 1: every exported symbol is a function with a version of the map (and no other kind:
# exported data would be copied into programs, its size frozen).
awk -v nodes="$(tr '\n' ' ' <"$tmp/nodes")" '
	BEGIN { split(nodes, a, " "); for (i in a) node[a[i]] = 1 }
	$2 == "A" { if (!($3 in node)) print "unknown version node " $3; next }
	{ v = $3; sub(/^[^@]*@@?/, "", v); if (v == $3 || !(v in node)) print "unversioned: " $3
	  if ($2 != "T") print "not a function (" $2 "): " $3 }' "$tmp/nm" >"$tmp/bad"
if [ -s "$tmp/bad" ] || [ ! -s "$tmp/lib" ]; then
	not_ok "the library exports only functions, each in a version node of the map"
	sed 's/^/# /' "$tmp/bad"
else
	ok "the library exports only functions, each in a version node of the map"
fi
# 2, 3
same "the library's exports are the map's global list" "$tmp/lib" "$tmp/map"
same "the map's global list is the header's AK_API functions" "$tmp/map" "$tmp/header"
# 4: AK_API appears only on declarations the parse above saw (not, say, in a macro).
uses=$(grep -v '^#' "$header" | grep -c 'AK_API')
if [ "$uses" -eq "$(wc -l <"$tmp/header")" ] && [ "$uses" -gt 0 ]; then
	ok "every AK_API in the header starts a declaration that was read ($uses)"
else
	not_ok "every AK_API in the header starts a declaration that was read"
	echo "# $uses uses of AK_API, $(wc -l <"$tmp/header") declarations read"
fi
# 5: the soname
soname=$(readelf -d "$so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
if [ "$soname" = "libavrokit.so.$soversion" ]; then
	ok "the soname is libavrokit.so.$soversion"
else
	not_ok "the soname is libavrokit.so.$soversion"
	echo "# it is '$soname'"
fi
# 6: the static library has the same API
if [ -e "$static" ]; then
	nm --defined-only "$static" 2>/dev/null | awk '$2 == "T" { print $3 }' | sort -u >"$tmp/a"
	comm -23 "$tmp/header" "$tmp/a" >"$tmp/missing"
	if [ -s "$tmp/missing" ]; then
		not_ok "the static library defines every public function"
		sed 's/^/# missing: /' "$tmp/missing"
	else
		ok "the static library defines every public function"
	fi
else
	ok "the static library defines every public function # skip no $static"
fi
# 7, 8: the constants
grep -v '^#' "$src/abi/constants.txt" >"$tmp/recorded"
if ak_constants "$tmp" >"$tmp/constants" 2>"$tmp/cc.log"; then
	comm -23 "$tmp/recorded" "$tmp/constants" >"$tmp/changed"
	if [ -s "$tmp/changed" ]; then
		not_ok "the recorded constants keep their values (abi/constants.txt)"
		echo "# recorded, but changed or gone (the header now has):"
		while read -r name value; do
			echo "#   $name $value -> $(awk -v n="$name" '$1 == n { print $2 }' \
				"$tmp/constants")"
		done <"$tmp/changed"
	else
		ok "the recorded constants keep their values ($(wc -l <"$tmp/recorded"))"
	fi
	awk 'NR == FNR { seen[$1] = 1; next } !($1 in seen)' "$tmp/recorded" \
		"$tmp/constants" >"$tmp/new"
	if [ -s "$tmp/new" ]; then
		not_ok "every constant of the header is recorded"
		echo "# not in abi/constants.txt (abi/update.sh adds them):"
		sed 's/^/#   /' "$tmp/new"
	else
		ok "every constant of the header is recorded"
	fi
else
	not_ok "the recorded constants keep their values (abi/constants.txt)"
	sed 's/^/# /' "$tmp/cc.log"
	not_ok "every constant of the header is recorded"
fi
[ "$failed" -eq 0 ]
