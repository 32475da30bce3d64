# SPDX-License-Identifier: Apache-2.0
# Helpers for the avrokit CLI tests. Every .bats file starts with `load common`.
#
#   AVROKIT   the binary under test (meson sets it; default: build/src/cli/avrokit)
#   REPO      the source tree;  DATA  tests/data;  GOLDEN  tests/cli/golden
#   CORPUS    ${AK_CORPUS:-$REPO/../shared/corpus}, third-party files (may be absent)
#
#   run_ak ARGS...        run "$AVROKIT" ARGS with bats `run`: $status, $output (stdout only)
#                         and $stderr (standard error, kept apart)
#   run_sh SCRIPT [ARG0 ARGS...]  the same for a bash script (pipes, redirections);
#                         AVROKIT, DATA, REPO and CORPUS are exported for it
#   assert_golden NAME TEXT   compare TEXT with tests/cli/golden/NAME (AK_UPDATE_GOLDEN=1
#                         rewrites the golden file instead)
#   expect_dir DIR NAME...   DIR holds exactly these files (no temporary file left behind)
#   problem TEXT, check_problems   report every problem of a test at once (problems.bash)
#   mkavro OUT SCHEMA HEX...   a data file made byte by byte, one record per HEX
#   cut_file, poke_byte, flip_byte, flip_last_byte   make broken copies of a good file
#   known_bug WHAT        skip (as "KNOWN BUG: WHAT") unless AK_KNOWN_BUGS=1
#   layout FILE KEY, block_field FILE INDEX FIELD    offsets from tests/data/FILE.layout
#   skip_under_valgrind WHY   skip a test that cannot run under valgrind (see below)
#
# AK_VALGRIND=1 runs every avrokit of the tests under valgrind's memcheck: AVROKIT becomes
# tests/valgrind/avrokit-vg and AK_REAL the binary it runs (tests/valgrind/run.sh does this).

bats_require_minimum_version 1.5.0

REPO="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
DATA="$REPO/tests/data"
GOLDEN="$REPO/tests/cli/golden"
CORPUS="${AK_CORPUS:-$REPO/../shared/corpus}"
# meson sets AVROKIT; by hand, the default is the binary of a build dir named "build"
AVROKIT="${AVROKIT:-$REPO/build/src/cli/avrokit}"
# (AK_REAL already set: an outer bats has wrapped it, AVROKIT is the wrapper)
if [[ -n "${AK_VALGRIND:-}" && -z "${AK_REAL:-}" ]]; then
	AK_REAL="$AVROKIT"
	AVROKIT="$REPO/tests/valgrind/avrokit-vg"
	export AK_REAL
fi
export AVROKIT DATA REPO CORPUS
export LC_ALL=C

load problems

# Runs before every test of a file that loads this one (a file may define its own setup and
# call ak_setup from it).
ak_setup() {
	if [[ ! -x "$AVROKIT" ]]; then
		echo "AVROKIT is not set to an executable (got '$AVROKIT')" >&2
		return 1
	fi
	if [[ -n "${AK_VALGRIND:-}" && ! -x "${AK_REAL:-}" ]]; then
		echo "AK_VALGRIND is set but AK_REAL is not an executable (got '${AK_REAL:-}')" >&2
		return 1
	fi
	TMP="$BATS_TEST_TMPDIR"
}

setup() {
	ak_setup
}

# bats 1.8's `run` with flags assigns a global $i (bats_version_lt), which would clobber a
# test's loop variable: the local i here absorbs that.
run_ak() {
	local i
	run --separate-stderr "$AVROKIT" "$@"
}

run_sh() {
	local i
	run --separate-stderr bash -c "$@"
}

# known_bug WHAT: skip a test that fails because of a reported bug, unless AK_KNOWN_BUGS=1
# (then it runs, to see whether the bug is fixed).
known_bug() {
	[[ "${AK_KNOWN_BUGS:-}" == 1 ]] || skip "KNOWN BUG: $1; AK_KNOWN_BUGS=1 runs it"
}

# skip_under_valgrind WHY: skip a test that cannot work with AK_VALGRIND=1, e.g. one that
# measures avrokit's memory or time, or feeds it so much that memcheck would take minutes.
skip_under_valgrind() {
	[[ -z "${AK_VALGRIND:-}" ]] || skip "under valgrind: $1"
}

# Print what a failed expectation needs to be understood, then fail.
ak_show() {
	{
		echo "-- $1"
		echo "status: ${status-}"
		echo "stdout (first 20 lines):"
		printf '%s\n' "${output-}" | head -n 20
		echo "stderr:"
		printf '%s\n' "${stderr-}"
		echo "--"
	} >&2
	return 1
}

expect_status() {
	[[ "$status" -eq "$1" ]] || ak_show "expected exit status $1"
}

# stderr contains every given substring
expect_stderr() {
	local s
	for s in "$@"; do
		[[ "$stderr" == *"$s"* ]] || ak_show "expected stderr to contain: $s"
	done
}

# stderr is exactly the given text (one or more lines)
expect_stderr_is() {
	[[ "$stderr" == "$1" ]] || ak_show "expected stderr to be exactly: $1"
}

expect_no_stderr() {
	[[ -z "$stderr" ]] || ak_show "expected nothing on stderr"
}

expect_no_output() {
	[[ -z "$output" ]] || ak_show "expected nothing on stdout"
}

# stdout equals the content of FILE (trailing newlines aside, as $output drops them)
expect_output_file() {
	[[ "$output" == "$(cat "$1")" ]] || {
		diff <(printf '%s\n' "$output") "$1" | head -n 20 >&2
		ak_show "expected stdout to equal $1"
	}
}

expect_output_is() {
	[[ "$output" == "$1" ]] || ak_show "expected stdout to be exactly: $1"
}

# A usage error: exit 2, a message naming the command, and the hint to read --help.
expect_usage_error() {
	local cmd="$1"
	shift
	expect_status 2
	expect_no_output
	expect_stderr "avrokit $cmd: " "Try 'avrokit $cmd --help'" "$@"
}

# A data error: exit 1 and the one-line message "avrokit CMD: INPUT: WHAT", or
# "avrokit CMD: INPUT:LINE:COLUMN: WHAT" for text input with a position (each further
# argument is a substring of it).
expect_data_error() {
	local cmd="$1" input="$2"
	shift 2
	expect_status 1
	[[ "$stderr" == "avrokit $cmd: $input: "* ||
		"${stderr#"avrokit $cmd: $input:"}" =~ ^[0-9]+:[0-9]+:\  ]] ||
		ak_show "expected stderr to start with 'avrokit $cmd: $input: ' (or $input:L:C: )"
	[[ "$stderr" != *$'\n'* ]] || ak_show "expected a single line on stderr"
	expect_stderr "$@"
}

# Files in DIR (hidden ones too), one per line, sorted.
list_dir() {
	(cd "$1" && LC_ALL=C ls -A)
}

# expect_dir DIR NAME...: DIR holds exactly these files (no temporary file left behind)
expect_dir() {
	local d="$1" got want
	shift
	got="$(list_dir "$d")"
	want="$(printf '%s\n' "$@" | LC_ALL=C sort)"
	[[ "$got" == "$want" ]] || {
		echo "files in $d:" >&2
		echo "$got" >&2
		echo "expected:" >&2
		echo "$want" >&2
		return 1
	}
}

# ---- golden files ----

assert_golden() {
	local name="$1" actual="$2" file="$GOLDEN/$1"

	if [[ "${AK_UPDATE_GOLDEN:-}" == 1 ]]; then
		mkdir -p "$(dirname "$file")"
		printf '%s\n' "$actual" > "$file"
		return 0
	fi
	if [[ ! -f "$file" ]]; then
		echo "golden file $file is missing; AK_UPDATE_GOLDEN=1 writes it" >&2
		return 1
	fi
	if [[ "$actual" != "$(cat "$file")" ]]; then
		echo "output differs from golden file $name (AK_UPDATE_GOLDEN=1 rewrites it):" >&2
		diff -u "$file" <(printf '%s\n' "$actual") | head -n 40 >&2
		return 1
	fi
}

# Byte-exact: FILE (e.g. written by -o) equals the golden file, trailing newline included.
assert_golden_file() {
	local name="$1" actual="$2" file="$GOLDEN/$1"

	if [[ "${AK_UPDATE_GOLDEN:-}" == 1 ]]; then
		mkdir -p "$(dirname "$file")"
		cp "$actual" "$file"
		return 0
	fi
	cmp "$file" "$actual" >&2 || {
		diff -u "$file" "$actual" | head -n 40 >&2
		return 1
	}
}

# ---- fixture layout (written by tests/data/make-fixtures.py) ----

# layout FILE KEY: a top-level value of tests/data/FILE.layout (size, header, blocks, ...)
layout() {
	local v
	v="$(awk -v k="$2" '$1 == k { print $2 }' "$DATA/$1.layout")"
	[[ -n "$v" ]] || { echo "layout: no '$2' in $1.layout" >&2; return 1; }
	echo "$v"
}

# block_field FILE INDEX FIELD: offset, count, size, data, sync or end of a block
block_field() {
	local v
	v="$(awk -v i="$2" -v f="$3" '$1 == "block" && $2 == i {
		for (n = 3; n < NF; n += 2) if ($n == f) print $(n + 1) }' "$DATA/$1.layout")"
	[[ -n "$v" ]] || { echo "layout: no block $2 $3 in $1.layout" >&2; return 1; }
	echo "$v"
}

# ---- data files made byte by byte ----

# mkavro OUT SCHEMA HEX...: a data file (null codec, one block) whose header holds SCHEMA
# and whose block holds one record per HEX (its encoded bytes), written byte by byte with
# the encoding helpers of tests/interop/hostile.py (Python's standard library only): no Avro
# implementation checks the names, defaults or values.
mkavro() {
	PYTHONDONTWRITEBYTECODE=1 python3 - "$REPO/tests/interop" "$@" <<'EOF'
import sys

sys.path.insert(0, sys.argv[1])
from hostile import SYNC, header, zz  # noqa: E402

out, schema, recs = sys.argv[2], sys.argv[3].encode(), [bytes.fromhex(h) for h in sys.argv[4:]]
data = b"".join(recs)
with open(out, "wb") as f:
    f.write(header(schema) + zz(len(recs)) + zz(len(data)) + data + SYNC)
EOF
}

# ---- broken copies of good files ----

# cut_file SRC N DST: the first N bytes of SRC
cut_file() {
	head -c "$2" "$1" > "$3"
	[[ "$(stat -c %s "$3")" -eq "$2" ]]
}

# poke_byte SRC OFFSET HEX DST: a copy of SRC with the byte at OFFSET set to 0xHEX
poke_byte() {
	[[ "$2" -lt "$(stat -c %s "$1")" ]] || { echo "poke_byte: $2 is past the end of $1" >&2; return 1; }
	cp "$1" "$4"
	printf "\\x$3" | dd of="$4" bs=1 seek="$2" conv=notrunc status=none
}

# byte_at FILE OFFSET: the byte as two hex digits
byte_at() {
	od -An -tx1 -j "$2" -N 1 "$1" | tr -d ' \n'
}

# flip_byte SRC OFFSET DST: a copy of SRC with every bit of the byte at OFFSET inverted
flip_byte() {
	local b
	b="$(byte_at "$1" "$2")"
	poke_byte "$1" "$2" "$(printf '%02x' $((0x$b ^ 0xff)))" "$3"
}

# flip_last_byte SRC DST: break the last sync marker (its last byte is the file's last byte)
flip_last_byte() {
	flip_byte "$1" "$(($(stat -c %s "$1") - 1))" "$2"
}
