#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# The library's docs sync guard, as docs.bats is the command-line tool's: the section-3 man
# pages must show every declaration of include/avrokit.h as the header has it (libdocs.py
# compares them), be installed and lint-clean, and their complete example programs, and the
# README's, must compile against the header and run.
#
# Finds the sources from this file. The example programs need a C compiler and the built
# shared library, found beside the avrokit binary (AVROKIT, as the other CLI tests get it);
# without them that test skips. A library built with sanitizers gets programs built with
# them too. Stands alone: it does not use common.bash, only problems.bash (check_problems).

load problems

setup() {
	ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	MAN=$ROOT/man
	HEADER=$ROOT/include/avrokit.h
	PAGES=("$MAN"/*.3)
	problems=()
}

need_python() {
	command -v python3 >/dev/null || skip "python3 is not installed"
}

# Set CC, LIBDIR and CFLAGS (an array) for building programs against the built library, or
# skip the test.
need_library() {
	local san=
	CC=${CC:-cc}
	command -v "$CC" >/dev/null || skip "no C compiler ($CC)"
	LIBDIR=
	[[ -n ${AVROKIT:-} ]] && LIBDIR=$(cd "$(dirname "$AVROKIT")/../core" 2>/dev/null && pwd)
	[[ -n $LIBDIR && -e $LIBDIR/libavrokit.so ]] || skip "no built libavrokit.so beside AVROKIT"
	# (an AddressSanitizer library needs its runtime first in the program)
	if command -v nm >/dev/null; then
		nm -D "$LIBDIR/libavrokit.so" | grep -q ' U __asan_' && san=address
		nm -D "$LIBDIR/libavrokit.so" | grep -q ' U __ubsan_' && san=${san:+$san,}undefined
	fi
	CFLAGS=(-std=c11 -Wall -Wextra -Werror -pedantic ${san:+-fsanitize=$san} -I"$ROOT/include")
}

# Build the program $1 into $2.
build() {
	"$CC" "${CFLAGS[@]}" -o "$2" "$1" -L"$LIBDIR" -lavrokit -Wl,-rpath,"$LIBDIR"
}

@test "there are section-3 pages, avrokit(3) among them" {
	[[ -f $MAN/avrokit.3 ]]
	((${#PAGES[@]} >= 9))
}

@test "every AK_API function of avrokit.h is in a SYNOPSIS with its exact prototype, and in that page's NAME" {
	need_python
	# the header must have functions, or the check below would pass on nothing
	n=$(grep -c '^AK_API ' "$HEADER")
	((n > 100))
	run python3 "$BATS_TEST_DIRNAME/libdocs.py" check "$HEADER" "${PAGES[@]}"
	printf '%s\n' "$output" >&2
	# only the problems about functions here; the next test reports the rest
	[[ $status -eq 0 ]] || ! grep -Eq '(^ak_[a-z0-9_]+:|declares)' <<<"$output"
}

@test "every struct, enum, typedef and macro of avrokit.h is in a SYNOPSIS as the header has it, and every name in a page" {
	need_python
	run python3 "$BATS_TEST_DIRNAME/libdocs.py" check "$HEADER" "${PAGES[@]}"
	printf '%s\n' "$output" >&2
	[[ $status -eq 0 ]]
}

@test "the checker finds a prototype that differs, a missing name and a stale declaration" {
	need_python
	tmp=$BATS_TEST_TMPDIR/pages
	mkdir -p "$tmp"
	cp "${PAGES[@]}" "$tmp/"
	sed -i -e 's/^int ak_decode_skip(struct ak_decoder \*d, const void \*data,/int ak_decode_skip(struct ak_decoder *d, const void *buf,/' \
		-e 's/^ak_decode_value, ak_decode_json, ak_decode_skip /ak_decode_value, ak_decode_json /' \
		-e 's/^void ak_decoder_free(struct ak_decoder \*d);/&\nint ak_decode_more(struct ak_decoder *d);/' \
		"$tmp/ak_decoder.3"
	sed -i 's/^    AK_E_IO = \\-2,/    AK_E_IO = \\-20,/' "$tmp/ak_error.3"
	run python3 "$BATS_TEST_DIRNAME/libdocs.py" check "$HEADER" "$tmp"/*.3
	printf '%s\n' "$output" >&2
	[[ $status -eq 1 ]]
	grep -q '^ak_decode_skip: no SYNOPSIS has its prototype' <<<"$output"
	grep -q 'declares ak_decode_more()' <<<"$output"
	grep -q 'enum ak_status differs' <<<"$output"
}

@test "every section-3 page is installed by man/meson.build, and the pages it names exist" {
	for page in "${PAGES[@]}"; do
		grep -q "'${page##*/}'" "$MAN/meson.build" || problems+=("man/meson.build: ${page##*/} not installed")
	done
	# ak_X(3) in a page, or in the header's opening comment, must be a page of ours or a name
	# in the NAME section of one (man-db and mandoc find a page by those names)
	names=" $(for page in "${PAGES[@]}"; do
		awk '/^\.SH / { on = ($2 == "NAME"); next } on' "$page"
	done | sed 's/\\-.*//' | tr ',\n' '  ') "
	for ref in $(cat "${PAGES[@]}" | grep -oE '^\.BR ak_[a-z0-9_]+ \(3\)' | awk '{print $2}') \
		$(sed -n '1,/\*\//p' "$HEADER" | grep -oE '\bak_[a-z0-9_]+\(3\)' | sed 's/(3)//'); do
		[[ -f $MAN/$ref.3 || $names == *" $ref "* ]] ||
			problems+=("$ref(3) is named, but there is no man/$ref.3 and no page has $ref in its NAME")
	done
	# and every area page is listed in avrokit(3)'s SEE ALSO and in the header's opening comment
	for page in "$MAN"/ak_*.3; do
		name=${page##*/}
		name=${name%.3}
		grep -q "^\.BR $name (3)" "$MAN/avrokit.3" || problems+=("avrokit.3 does not name $name(3)")
		sed -n '1,/\*\//p' "$HEADER" | grep -q "$name(3)" ||
			problems+=("avrokit.h's opening comment does not name $name(3)")
	done
	grep -q '^\.BR avrokit (3)' "$MAN/avrokit.1" || problems+=("avrokit.1: SEE ALSO lacks avrokit(3)")
	check_problems
}

@test "the complete programs in the pages compile against avrokit.h alone and run" {
	need_python
	need_library
	out=$BATS_TEST_TMPDIR/progs
	mkdir -p "$out"
	mapfile -t progs < <(python3 "$BATS_TEST_DIRNAME/libdocs.py" programs "$out" "${PAGES[@]}")
	# avrokit(3) has one at least, ak_decoder(3) another
	((${#progs[@]} >= 2))
	for src in "${progs[@]}"; do
		bin=${src%.c}
		if ! msg=$(build "$src" "$bin" 2>&1); then
			problems+=("${src##*/}: does not compile: $msg")
			continue
		fi
		# each program is run with one argument, a file it may create
		status=0
		msg=$("$bin" "$out/${src##*/}.avro" 2>&1) || status=$?
		((status == 0)) || problems+=("${src##*/}: exit status $status: $msg")
	done
	check_problems
	# avrokit(3)'s program prints what the page says it prints
	run "$out/avrokit.3-1" "$out/users.avro"
	[[ $status -eq 0 ]]
	[[ $output == $'1 ann -\n2 bo bo@example.com\n3 cy -' ]]
	grep -Fq '2 bo bo@example.com' "$MAN/avrokit.3"
	# and ak_decoder(3)'s too
	run "$out/ak_decoder.3-1"
	[[ $output == '{"x":21.0,"y":0.0}' ]]
	grep -Fq '.BR {\(dqx\(dq:21.0,\(dqy\(dq:0.0} .' "$MAN/ak_decoder.3"
	# and ak_stream(3)'s
	run "$out/ak_stream.3-1"
	[[ $output == $'{"id":1,"name":"ann"}\n{"id":2,"name":"bo"}' ]]
}

@test "the C example in the README's Library section compiles and prints the stations" {
	need_library
	src=$BATS_TEST_TMPDIR/stations.c
	awk '/^## / { lib = ($0 == "## Library") } lib && /^```c$/ { on = 1; next }
		on && /^```$/ { exit } on' "$ROOT/README.md" >"$src"
	grep -q 'int main' "$src"
	build "$src" "${src%.c}"
	run "${src%.c}" "$ROOT/tests/data/weather.avro"
	[[ $status -eq 0 ]]
	[[ ${lines[0]} == ALTA-1 && ${lines[1]} == BERGEN ]]
	run "${src%.c}" "$ROOT/README.md"
	[[ $status -eq 1 && $output == *"not an Avro data file"* ]]
}

@test "the section-3 pages pass mandoc -Tlint (or groff -ww)" {
	if command -v mandoc >/dev/null; then
		for page in "${PAGES[@]}"; do
			if ! out=$(mandoc -Tlint -W warning "$page" 2>&1) || [[ -n $out ]]; then
				problems+=("man/${page##*/}: ${out:-mandoc failed}")
			fi
		done
	elif command -v groff >/dev/null; then
		for page in "${PAGES[@]}"; do
			if ! out=$(groff -man -ww -z "$page" 2>&1) || [[ -n $out ]]; then
				problems+=("man/${page##*/}: ${out:-groff failed}")
			fi
		done
	else
		skip "neither mandoc nor groff is installed"
	fi
	check_problems
}

@test "the section-3 pages use only the project's macros, and their code fits 80 columns" {
	for page in "${PAGES[@]}"; do
		bad=$(grep -nE '^\.' "$page" | grep -vE '^[0-9]+:\.(\\"|TH|SH|SS|PP|TP|B|I|BR|IR|EX|EE|RS|RE)( |$)' || true)
		[[ -z $bad ]] || problems+=("man/${page##*/}: macros outside the skeleton: $bad")
		# code is not filled: in .EX, 72 columns (80 less the section indent), 66 inside .RS
		long=$(awk '/^\.RS/ { rs = 1 } /^\.RE/ { rs = 0 } /^\.EX/ { ex = 1; next } /^\.EE/ { ex = 0 }
			ex { t = $0; gsub(/\\-|\\e|\\\(dq|\\\(aq/, "x", t); if (length(t) > (rs ? 66 : 72)) print FNR }' "$page")
		[[ -z $long ]] || problems+=("man/${page##*/}: code lines too long: $(echo $long)")
	done
	check_problems
}
