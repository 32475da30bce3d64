#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Compare the built libavrokit with the stored ABI baseline (TAP output):
#
#   abi/abidiff.sh BUILD-LIBDIR SOVERSION
#
# abidiff (Debian's abigail-tools) compares abi/libavrokit.so.SOVERSION.abi, written by
# abi/update.sh with abidw, with BUILD-LIBDIR/libavrokit.so.SOVERSION, looking only at the
# types of the public header. Any change fails, except functions added: a changed signature,
# a struct whose layout moved, a callback whose type changed, a function removed. A change
# that is compatible on purpose (reserved space put to use, a visitor callback added at the
# end) is recorded by running abi/update.sh; an incompatible one needs a new soname. See
# abi/README.md.
#
# abidw needs the library's debug information (-g: the debug and debugoptimized build types
# have it). Without abidiff, or without debug information, the test is skipped with a
# message, unless AK_REQUIRE_TOOLS=1 (CI), which makes a missing abidiff a failure.
set -u
export LC_ALL=C
libdir=$1
soversion=$2
AK_SRC=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=abi/lib.sh
. "$AK_SRC/abi/lib.sh"
so=$libdir/libavrokit.so.$soversion
base=$AK_SRC/abi/libavrokit.so.$soversion.abi

echo "1..2"
skip() {
	echo "ok 1 # skip $1"
	echo "ok 2 # skip $1"
	exit 0
}
if ! command -v abidiff >/dev/null 2>&1 || ! command -v abidw >/dev/null 2>&1; then
	if [ "${AK_REQUIRE_TOOLS:-}" = 1 ]; then
		echo "not ok 1 - abidiff and abidw (abigail-tools) are installed"
		echo "not ok 2 # abidiff is not installed"
		exit 1
	fi
	skip "abidiff (abigail-tools) is not installed"
fi
if [ ! -e "$so" ]; then
	echo "Bail out! $so does not exist (build first; is SOVERSION right?)"
	exit 1
fi
if ! readelf -S "$so" 2>/dev/null | grep -q '\.debug_info'; then
	skip "$so has no debug information (build with -g: buildtype debug or debugoptimized)"
fi

if [ -e "$base" ]; then
	echo "ok 1 - there is a baseline for soname $soversion (abi/${base##*/})"
else
	echo "not ok 1 - there is a baseline for soname $soversion (abi/${base##*/})"
	echo "# after a deliberate ABI break and soname bump, abi/update.sh writes it"
	echo "not ok 2 # skip no baseline"
	exit 1
fi

report=$(ak_abidiff "$base" "$so" 2>&1)
rc=$?
if [ "$rc" -eq 0 ]; then
	echo "ok 2 - abidiff: the ABI is the baseline's"
	exit 0
fi
# Only functions added (compatible): abidiff is quiet once told to ignore them.
if [ $((rc & 3)) -eq 0 ] && ak_abidiff "$base" "$so" --no-added-syms >/dev/null 2>&1; then
	echo "ok 2 - abidiff: the ABI is the baseline's, with functions added"
	printf '%s\n' "$report" | grep '^  \[A\]' | sed 's/^ */# added: /'
	echo "# (compatible; abi/update.sh records them, so that they are checked too)"
	exit 0
fi
echo "not ok 2 - abidiff: the ABI is the baseline's"
printf '%s\n' "$report" | sed 's/^/# /'
if [ $((rc & 3)) -ne 0 ]; then
	echo "# abidiff failed (exit status $rc)"
elif [ $((rc & 8)) -ne 0 ]; then
	echo "# an incompatible change (functions removed or their symbols changed): it needs a"
	echo "# new soname, see abi/README.md, or undo it"
else
	echo "# the ABI changed (exit status $rc). Programs built against the baseline may break:"
	echo "# undo the change, or, if it is compatible on purpose (abi/README.md says which"
	echo "# changes are), record it with abi/update.sh; if it is not, bump the soname"
fi
exit 1
