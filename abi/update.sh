#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Record the ABI of the built library as the new baseline, after a deliberate change:
#
#   abi/update.sh [BUILD-DIR]        (default: build)
#
# Writes abi/libavrokit.so.N.abi (N: the soname's version, lib_soversion in meson.build) with
# abidw, and abi/constants.txt with the header's constants. With a baseline for the same
# soname already there, it refuses what is incompatible (functions removed, a constant whose
# value changed): that needs a new soname first. Other changes are shown, then recorded:
# review them (abi/README.md says what is compatible) and commit the new files with the
# change. The build must have debug information and no sanitizer (a plain `meson setup
# build`).
set -euo pipefail
export LC_ALL=C
AK_SRC=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=abi/lib.sh
. "$AK_SRC/abi/lib.sh"
build=${1:-$AK_SRC/build}
libdir=$build/src/core

for tool in abidw abidiff readelf; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "update.sh: $tool is not installed (abigail-tools, binutils)" >&2
		exit 1
	fi
done
# The soname the build made: libavrokit.so.N
so=$(readlink -f "$libdir/libavrokit.so")
soname=$(readelf -d "$so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
soversion=${soname#libavrokit.so.}
if [ -z "$soname" ] || [ "$soversion" = "$soname" ]; then
	echo "update.sh: $so: no soname libavrokit.so.N" >&2
	exit 1
fi
if ! readelf -S "$so" | grep '\.debug_info' >/dev/null; then
	echo "update.sh: $so has no debug information: use a debug or debugoptimized build" >&2
	exit 1
fi
if nm -D "$so" | grep '__asan_\|__ubsan_' >/dev/null; then
	echo "update.sh: $so is built with a sanitizer: use a plain build" >&2
	exit 1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ak-abi.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

base=$AK_SRC/abi/$soname.abi
ak_abidw "$so" "$tmp/new.abi"
ak_constants "$tmp" >"$tmp/constants"
if [ -e "$base" ]; then
	rc=0
	ak_abidiff "$base" "$so" >"$tmp/report" 2>&1 || rc=$?
	cat "$tmp/report"
	if [ $((rc & 3)) -ne 0 ]; then
		echo "update.sh: abidiff failed (exit status $rc)" >&2
		exit 1
	fi
	if [ $((rc & 8)) -ne 0 ]; then
		echo "update.sh: an incompatible change for soname $soversion: not recorded." >&2
		echo "Bump lib_soversion in meson.build first (abi/README.md)." >&2
		exit 1
	fi
	grep -v '^#' "$AK_SRC/abi/constants.txt" | comm -23 - "$tmp/constants" >"$tmp/changed"
	if [ -s "$tmp/changed" ]; then
		echo "update.sh: constants changed or removed for soname $soversion:" \
			"not recorded:" >&2
		cat "$tmp/changed" >&2
		echo "Bump lib_soversion in meson.build first (abi/README.md)." >&2
		exit 1
	fi
	[ "$rc" -eq 0 ] && echo "update.sh: no ABI change"
else
	echo "update.sh: a new baseline for soname $soversion"
	for old in "$AK_SRC"/abi/libavrokit.so.*.abi; do
		[ -e "$old" ] && echo "update.sh: remove the old baseline ${old#"$AK_SRC"/}"
	done
fi
cp "$tmp/new.abi" "$base"
{
	echo "# The values of include/avrokit.h's constants, frozen for soname $soversion:"
	echo "# abi/check.sh fails when one changes or a new one is missing here."
	echo "# Written by abi/update.sh."
	cat "$tmp/constants"
} >"$AK_SRC/abi/constants.txt"
echo "update.sh: wrote abi/${base##*/} and abi/constants.txt"
