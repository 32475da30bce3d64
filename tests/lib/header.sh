#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The public header compiles alone, in strict modes, as C and as C++ (TAP output).
#
#   tests/lib/header.sh LIBDIR [PROJECT-VERSION]
#
# Builds tests/lib/header_c.c as C99 and C11 and tests/lib/header_cxx.cpp as C++11 and C++17,
# each with -pedantic -Wall -Wextra -Werror (and a few more warnings), links each with
# libavrokit.so from LIBDIR and runs it: so the header is valid in each language, declares
# nothing the library lacks, and links from C++ (extern "C"). CC (default cc) and CXX
# (default c++) name the compilers; clang and clang++ are tried too when installed.
# AK_LINK_FLAGS is added when linking (the sanitizer flags, in a sanitized build); clang's
# programs then are only compiled, since its sanitizer runtime does not mix with gcc's. A
# compiler that is not installed is a skip, unless AK_REQUIRE_TOOLS=1 (CI) makes it a failure for
# CC and CXX.
set -u
libdir=$(cd "$1" && pwd)
version=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
inc=$here/../../include
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ak-header.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cc=${CC:-cc}
cxx=${CXX:-c++}
# (CC, CXX and AK_LINK_FLAGS may hold several words: "ccache gcc")
read -ra sanitize <<<"${AK_LINK_FLAGS:-}"
warn=(-pedantic -Wall -Wextra -Werror -Wshadow -Wundef -Wcast-qual -Wredundant-decls)
cwarn=(-Wstrict-prototypes -Wmissing-prototypes -Wold-style-definition)
link=(-L"$libdir" "-Wl,-rpath,$libdir" -lavrokit "${sanitize[@]}")

n=0
failed=0
# build NAME REQUIRED COMPILER SOURCE FLAGS...: one TAP test
build() {
	local name=$1 required=$2 compiler=$3 src=$4 comp
	shift 4
	n=$((n + 1))
	read -ra comp <<<"$compiler"
	if ! command -v "${comp[0]}" >/dev/null 2>&1; then
		if [ "$required" = 1 ] && [ "${AK_REQUIRE_TOOLS:-}" = 1 ]; then
			echo "not ok $n - $name # $compiler is not installed"
			failed=$((failed + 1))
		else
			echo "ok $n - $name # skip $compiler is not installed"
		fi
		return
	fi
	local cmd=("${comp[@]}" "$@" -I"$inc" -o "$tmp/t$n" "$src" "${link[@]}") run=1
	if [ ${#sanitize[@]} -gt 0 ] && [ "$required" = 0 ]; then
		cmd=("${comp[@]}" "$@" -I"$inc" -c -o "$tmp/t$n.o" "$src")
		run=0
		name="$name, compiled only (sanitized build)"
	fi
	# shellcheck disable=SC2086
	if "${cmd[@]}" >"$tmp/log" 2>&1 &&
		{ [ "$run" = 0 ] || "$tmp/t$n" $version >>"$tmp/log" 2>&1; }; then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name"
		echo "# ${cmd[*]}"
		sed 's/^/#   /' "$tmp/log"
		failed=$((failed + 1))
	fi
}

echo "1..6"
build "C99, -pedantic -Werror ($cc)" 1 "$cc" "$here/header_c.c" -std=c99 "${warn[@]}" "${cwarn[@]}"
build "C11, -pedantic -Werror ($cc)" 1 "$cc" "$here/header_c.c" -std=c11 "${warn[@]}" "${cwarn[@]}"
build "C++11, -pedantic -Werror ($cxx)" 1 "$cxx" "$here/header_cxx.cpp" -std=c++11 "${warn[@]}"
build "C++17, -pedantic -Werror ($cxx)" 1 "$cxx" "$here/header_cxx.cpp" -std=c++17 "${warn[@]}"
build "C99, -pedantic -Werror (clang)" 0 clang "$here/header_c.c" -std=c99 "${warn[@]}" \
	"${cwarn[@]}"
build "C++11, -pedantic -Werror (clang++)" 0 clang++ "$here/header_cxx.cpp" -std=c++11 \
	"${warn[@]}"
[ "$failed" -eq 0 ]
