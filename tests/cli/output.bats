#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# Output safety, command by command (DESIGN.md, "Rules that make it safe"): a full disk is
# exit 1 and one message; `| head -c 1` ends quietly; an output file (-o FILE, or the OUTPUT
# argument) is replaced only on success, and a failure, a write error or a signal part way
# leaves the old file as it was and no temporary file beside it.
#
# The table below (spec) says, for every command, how it names an output file and which
# arguments make it write a lot, a little, or fail after writing; the first test checks that
# the table has exactly the commands of `avrokit --list-commands`, so a new command fails
# here until it is added. The matrix tests go through every command and report every
# failing one at once.
#
# The end of the file tests .ci/count-tests, the check that CI's suites all ran.
#
#   AVROKIT=$PWD/build/src/cli/avrokit bats tests/cli/output.bats
#
# Checks that fail because of a reported bug (BUGS) are left out of the matrix and run by a
# test of their own, which skips as "KNOWN BUG"; AK_KNOWN_BUGS=1 puts them back everywhere.

load common

SYNC=00112233445566778899aabbccddeeff
# records in big.avro: its tojson, blocks, cat ... output is several times what a pipe (64
# KiB) and avrokit's output buffer hold, so a writer really does meet a closed pipe
BIG_RECORDS=12000
# how many times fingerprint and checkschema -v are given the same schema file (its long
# name makes each line of their output long)
MANY_COUNT=3000
LONG_NAME=a-schema-file-with-a-long-name-so-that-each-line-of-output-is-long.avsc

# Reported bugs: which commands a check leaves out (is_bug), each with its known_bug test.
# (None now: the four found first, a second message after `CMD --help > /dev/full`, no
# command name in checkschema's and compatible's, the path twice after `-o nodir/out`, and
# the input named for a write error in cat and repair, are fixed.)
declare -gA BUGS=()

# is_bug KEY CMD: CMD has the reported bug KEY, and AK_KNOWN_BUGS=1 does not ask to check it
is_bug() {
	local c
	[[ "${AK_KNOWN_BUGS:-}" != 1 ]] || return 1
	for c in ${BUGS[$1]}; do
		[[ "$c" != "$2" ]] || return 0
	done
	return 1
}

# ---- the table ----

# Every command, in the order of --list-commands.
COMMANDS="blocks canonical cat checkschema compatible concat count fingerprint fragtojson fromjson
getmeta getschema idl idl2schemata infer jsontofrag random recodec repair tojson"

# spec CMD: what the tests need to know about CMD, in these globals:
#   OUT    how it writes a file: -o (-o FILE), arg (the OUTPUT argument after INPUT) or none;
#          dir for idl2schemata, which writes files into a directory and nothing to standard
#          output (the tests of standard output leave it out; idl.bats tests its files)
#   SMALL  arguments of a run that succeeds with a little output (exit status RC_SMALL)
#   BIG    arguments of a run that succeeds with a lot of output (exit status RC_BIG), but
#          count's output is one number, whatever its input
#   PART   arguments of a run that fails after it has written output (empty: there is no
#          such input for this command, e.g. getmeta reads the header before it writes)
#   SIG    arguments of a run reading @IN (a FIFO fed $FEED) for the signal tests
#   STREAM 1 if the command must have its output file open while input still arrives (it
#          streams), so a signal test must find the temporary file before it kills
spec() {
	local fx="$BATS_FILE_TMPDIR/fx"
	OUT=-o RC_SMALL=0 RC_BIG=0 PART=() SIG=(@IN) FEED="$fx/big.avro" STREAM=1
	# (one command: bats traces every command a test runs, a loop here would be slow)
	mapfile -t MANY < <(yes "$fx/$LONG_NAME" | head -n $MANY_COUNT)
	case "$1" in
	blocks)
		SMALL=("$DATA/weather.avro")
		BIG=("$fx/big.avro")
		PART=("$fx/cut.avro") ;;
	canonical)
		SMALL=("$DATA/weather.avsc")
		BIG=("$fx/wide.avro")
		PART=("$fx/wide.avro" "$fx/nosuch.avsc")
		FEED="$fx/wide.avsc" STREAM=0 ;;
	cat)
		SMALL=(--sync-marker $SYNC "$DATA/weather.avro")
		BIG=(--sync-marker $SYNC "$fx/big.avro")
		PART=(--sync-marker $SYNC "$fx/cut.avro") ;;
	checkschema)
		OUT=none
		SMALL=(-v "$DATA/weather.avsc")
		BIG=(-v "${MANY[@]}") ;;
	compatible)
		OUT=none
		SMALL=(-r "$DATA/weather.avsc" -w "$DATA/weather.avro")
		# 3000 reader fields without a default: 3000 lines, and exit status 1
		BIG=(-r "$fx/wide.avsc" -w "$DATA/weather.avsc") RC_BIG=1 ;;
	concat)
		SMALL=(--sync-marker $SYNC "$DATA/weather.avro")
		BIG=(--sync-marker $SYNC "$fx/big.avro")
		PART=(--sync-marker $SYNC "$fx/big.avro" "$fx/cut.avro") ;;
	count)
		SMALL=("$DATA/weather.avro")
		BIG=("$fx/big.avro" "$fx/big.avro")
		# fails before it writes (a count is printed only when every input was read)
		PART=("$fx/big.avro" "$fx/cut.avro")
		STREAM=0 ;;
	fingerprint)
		SMALL=("$DATA/weather.avsc")
		BIG=("${MANY[@]}")
		PART=("${MANY[@]}" "$fx/nosuch.avsc")
		FEED="$fx/wide.avsc" STREAM=0 ;;
	fragtojson)
		SMALL=(-f "$DATA/weather.avsc" "$fx/small.bin")
		BIG=(-f "$DATA/weather.avsc" "$fx/big.bin")
		PART=(-f "$DATA/weather.avsc" "$fx/cut.bin")
		SIG=(-f "$DATA/weather.avsc" @IN) FEED="$fx/big.bin" ;;
	fromjson)
		SMALL=(-f "$DATA/weather.avsc" --sync-marker $SYNC "$DATA/weather.json")
		BIG=(-f "$DATA/weather.avsc" --sync-marker $SYNC "$fx/big.json")
		PART=(-f "$DATA/weather.avsc" --sync-marker $SYNC "$fx/bad.json")
		SIG=(-f "$DATA/weather.avsc" @IN) FEED="$fx/big.json" ;;
	getmeta)
		SMALL=("$DATA/weather.avro")
		BIG=("$fx/wide.avro")
		FEED="$fx/wide-head.avro" STREAM=0 ;;
	getschema)
		SMALL=("$DATA/weather.avro")
		BIG=("$fx/wide.avro")
		FEED="$fx/wide-head.avro" STREAM=0 ;;
	idl)
		# writes only once the whole input is parsed: no PART run
		SMALL=("$fx/small.avdl")
		BIG=("$fx/big.avdl")
		FEED="$fx/big.avdl" STREAM=0 ;;
	idl2schemata)
		OUT=dir
		SMALL=("$fx/small.avdl" "$BATS_TEST_TMPDIR/schemata")
		BIG=("$fx/big.avdl" "$BATS_TEST_TMPDIR/schemata") ;;
	infer)
		# writes the schema once every input was read: nothing part way, no stream
		SMALL=("$REPO/tests/data/infer/events.ndjson")
		BIG=(--max-fields 5000 "$fx/wide.json")
		FEED="$fx/big.json" STREAM=0 ;;
	jsontofrag)
		SMALL=(-f "$DATA/weather.avsc" "$DATA/weather.json")
		BIG=(-f "$DATA/weather.avsc" "$fx/big.json")
		PART=(-f "$DATA/weather.avsc" "$fx/bad.json")
		SIG=(-f "$DATA/weather.avsc" @IN) FEED="$fx/big.json" ;;
	random)
		# reads only the schema, then writes: nothing fails part way
		SMALL=(--count 3 --seed 1 "$DATA/weather.avsc")
		BIG=(--count 20000 --seed 1 --codec null "$DATA/weather.avsc")
		SIG=(--count 5 @IN) FEED="$fx/wide.avsc" STREAM=0 ;;
	recodec)
		OUT=arg
		SMALL=("$DATA/weather.avro")
		BIG=("$fx/big.avro")
		PART=("$fx/cut.avro") ;;
	repair)
		# repairs whatever it can read: no input makes it fail part way. -q: no report of
		# the (absent) damage on standard error
		OUT=arg
		SMALL=(-q "$DATA/weather.avro")
		BIG=(-q "$fx/big.avro")
		SIG=(-q @IN) ;;
	tojson)
		SMALL=("$DATA/weather.avro")
		BIG=("$fx/big.avro")
		PART=("$fx/cut.avro") ;;
	*)
		echo "output.bats: '$1' is not in the table (spec)" >&2
		return 1 ;;
	esac
}

# with_output PATH ARGS...: ARGV = ARGS plus what makes the command write to PATH
with_output() {
	local path="$1"
	shift
	case "$OUT" in
	-o) ARGV=(-o "$path" "$@") ;;
	arg) ARGV=("$@" "$path") ;;
	*) echo "with_output: $OUT" >&2; return 1 ;;
	esac
}

# commands that write a file
file_commands() {
	local cmd
	for cmd in $COMMANDS; do
		spec "$cmd"
		[[ "$OUT" == none || "$OUT" == dir ]] || echo "$cmd"
	done
}

setup_file() {
	local fx="$BATS_FILE_TMPDIR/fx" x
	mkdir -p "$fx"
	[[ -x "$AVROKIT" ]] || return 0 # every test fails in setup
	awk -v n=$BIG_RECORDS 'BEGIN {
		for (i = 0; i < n; i++)
			printf "{\"station\":\"S%06d\",\"time\":%.0f,\"temp\":%d}\n",
				i, 1704067200000 + i * 1000, i % 500 - 250 }' > "$fx/big.json"
	# blocks of 5 records: blocks prints one line per block
	"$AVROKIT" fromjson -f "$DATA/weather.avsc" -b 64 --sync-marker $SYNC \
		-o "$fx/big.avro" "$fx/big.json"
	# the last 10 bytes cut off (of the last block's sync marker): readers fail after all
	# the other blocks
	head -c $(($(stat -c %s "$fx/big.avro") - 10)) "$fx/big.avro" > "$fx/cut.avro"
	# a wrong record at the end
	{ cat "$fx/big.json"; echo '{"station":1}'; } > "$fx/bad.json"
	# the same records as bare datums (fragtojson), and cut inside the last one
	"$AVROKIT" jsontofrag -f "$DATA/weather.avsc" -o "$fx/big.bin" "$fx/big.json"
	"$AVROKIT" jsontofrag -f "$DATA/weather.avsc" -o "$fx/small.bin" "$DATA/weather.json"
	head -c $(($(stat -c %s "$fx/big.bin") - 3)) "$fx/big.bin" > "$fx/cut.bin"
	# a big schema, also a reader of weather.avsc's records that cannot read them: 3000
	# fields the writer lacks, none with a default
	awk 'BEGIN {
		printf "{\"type\":\"record\",\"name\":\"Weather\",\"namespace\":\"test\",\"fields\":["
		printf "{\"name\":\"station\",\"type\":\"string\"}"
		for (i = 0; i < 3000; i++)
			printf ",{\"name\":\"field_%05d_with_a_rather_long_name\",\"type\":\"long\"," \
				"\"doc\":\"field %d of a schema made big on purpose\"}", i, i
		printf "]}\n" }' > "$fx/wide.avsc"
	# one JSON record with those 3000 keys, for infer: a schema of some 300 KB
	awk 'BEGIN {
		printf "{\"station\":\"s\""
		for (i = 0; i < 3000; i++)
			printf ",\"field_%05d_with_a_rather_long_name\":%d", i, i
		printf "}\n" }' > "$fx/wide.json"
	# ... and a data file of that schema (no records) with 180 KB of metadata
	x="$(head -c 60000 /dev/zero | tr '\0' x)"
	: > "$fx/none.json"
	"$AVROKIT" fromjson -f "$fx/wide.avsc" -m user.a="$x" -m user.b="$x" -m user.c="$x" \
		-o "$fx/wide.avro" "$fx/none.json"
	cp "$DATA/weather.avsc" "$fx/$LONG_NAME"
	# the first part of its header: getmeta and getschema wait for the rest
	head -c 100000 "$fx/wide.avro" > "$fx/wide-head.avro"
	# Avro IDL: a small protocol, and one whose JSON is some 400 KB
	printf 'protocol P { record R { string s; } void m(R r); }\n' > "$fx/small.avdl"
	awk 'BEGIN {
		print "@namespace(\"big\") protocol Big {"
		for (i = 0; i < 2000; i++)
			printf "  /** Record %d. */ record R%d { string name = \"x\"; long? n = null; }\n", i, i
		print "}" }' > "$fx/big.avdl"
}

setup() {
	ak_setup
	FX="$BATS_FILE_TMPDIR/fx"
	[[ -s "$FX/wide.avro" && -s "$FX/cut.avro" ]] || {
		echo "the inputs were not written (see setup_file)" >&2
		return 1
	}
	PROBLEMS=()
}

# ---- reporting every failing command at once ----

problem() {
	PROBLEMS+=("$*")
}

no_problems() {
	if ((${#PROBLEMS[@]})); then
		printf '%s\n' "${PROBLEMS[@]}" >&2
		return 1
	fi
}

# shown CMD ARGS...: a command line for a message, long argument lists cut short
shown() {
	local s="$*"
	s="${s//$BATS_FILE_TMPDIR\/fx\//}"
	s="${s//$DATA\//}"
	((${#s} <= 120)) || s="${s:0:120}..."
	echo "$s"
}

# one_error WHAT CMD BUGKEY SUBSTRING...: the run (run_ak or run_sh) ended with exit status 1
# and one line on standard error, "avrokit CMD: ..." (unless CMD has the bug BUGKEY) with
# every SUBSTRING in it
one_error() {
	local what="$1" cmd="$2" key="$3" s
	shift 3
	if [[ "$status" -ne 1 ]]; then
		problem "$what: exit status $status, not 1; stderr: $stderr"
		return 0
	fi
	[[ -n "$stderr" ]] || problem "$what: no message"
	[[ "$stderr" != *$'\n'* ]] || problem "$what: more than one line on stderr: $stderr"
	if ! is_bug "$key" "$cmd"; then
		[[ "$stderr" == "avrokit $cmd: "* ]] ||
			problem "$what: the message does not start with 'avrokit $cmd: ': $stderr"
	fi
	for s in "$@"; do
		[[ "$stderr" == *"$s"* ]] || problem "$what: the message lacks '$s': $stderr"
	done
}

# is_old FILE: FILE still holds what the tests put there before running a command
is_old() {
	printf 'old\n' | cmp -s - "$1"
}

# dir_is DIR WHAT LISTING: DIR holds exactly LISTING (list_dir's output)
dir_is() {
	local got
	got="$(list_dir "$1")"
	[[ "$got" == "$3" ]] || problem "$2: the directory holds [${got//$'\n'/ }], not [${3//$'\n'/ }]"
}

# ======================================================================================
# the table
# ======================================================================================

@test "output: the table has every command of --list-commands, and each one's output option" {
	local cmd help want
	run_ak --list-commands
	expect_status 0
	[[ "$(echo $output)" == "$(echo $COMMANDS)" ]] ||
		ak_show "--list-commands differs from the table in output.bats: add the new command to spec"
	for cmd in $COMMANDS; do
		spec "$cmd"
		help="$("$AVROKIT" "$cmd" --help)"
		if [[ "$help" == *"-o, --output FILE"* ]]; then
			want=-o
		elif [[ "$help" == "Usage: avrokit $cmd [OPTION]... INPUT [OUTDIR]"* ]]; then
			want=dir
		elif [[ "$help" == "Usage: avrokit $cmd [OPTION]... [INPUT [OUTPUT]]"* ]]; then
			want=arg
		else
			want=none
		fi
		[[ "$OUT" == "$want" ]] || problem "$cmd: the table says OUT=$OUT, --help says $want"
	done
	no_problems
}

@test "output: every command's SMALL and BIG runs succeed, BIG writing more than 128 KiB" {
	local cmd n
	for cmd in $COMMANDS; do
		spec "$cmd"
		[[ "$OUT" != dir ]] || continue
		"$AVROKIT" "$cmd" "${SMALL[@]}" > "$TMP/small.out" 2> "$TMP/small.err" && status=0 || status=$?
		[[ "$status" -eq "$RC_SMALL" ]] ||
			problem "$cmd SMALL: exit status $status: $(head -c 300 "$TMP/small.err")"
		[[ -s "$TMP/small.out" ]] || problem "$cmd SMALL: no output"
		"$AVROKIT" "$cmd" "${BIG[@]}" > "$TMP/big.out" 2> "$TMP/big.err" && status=0 || status=$?
		[[ "$status" -eq "$RC_BIG" ]] ||
			problem "$cmd BIG: exit status $status: $(head -c 300 "$TMP/big.err")"
		n="$(stat -c %s "$TMP/big.out")"
		# count prints one number, whatever its input
		[[ "$cmd" == count || "$n" -gt 131072 ]] || problem "$cmd BIG: only $n bytes of output"
	done
	no_problems
}

# ======================================================================================
# a full disk
# ======================================================================================

@test "output: CMD > /dev/full, every command, little and much output: exit 1, one message" {
	local cmd
	for cmd in $COMMANDS; do
		spec "$cmd"
		[[ "$OUT" != dir ]] || continue
		run_sh '"$AVROKIT" "$@" > /dev/full' _ "$cmd" "${SMALL[@]}"
		one_error "$(shown "$cmd" "${SMALL[@]}") > /dev/full" "$cmd" devfull-prefix \
			"No space left on device"
		run_sh '"$AVROKIT" "$@" > /dev/full' _ "$cmd" "${BIG[@]}"
		one_error "$(shown "$cmd" "${BIG[@]}") > /dev/full" "$cmd" devfull-prefix \
			"No space left on device"
	done
	no_problems
}

@test "output: /dev/full as the output file (-o /dev/full, OUTPUT): exit 1, one message" {
	local cmd
	for cmd in $(file_commands); do
		spec "$cmd"
		with_output /dev/full "${SMALL[@]}"
		run_ak "$cmd" "${ARGV[@]}"
		one_error "$(shown "$cmd" "${ARGV[@]}")" "$cmd" - "/dev/full" "No space left on device"
		with_output /dev/full "${BIG[@]}"
		run_ak "$cmd" "${ARGV[@]}"
		one_error "$(shown "$cmd" "${ARGV[@]}")" "$cmd" - "/dev/full" "No space left on device"
	done
	no_problems
}

@test "output: --help and --list-options of every command > /dev/full: exit 1" {
	local cmd p keep
	for cmd in $COMMANDS; do
		run_sh '"$AVROKIT" "$1" --help > /dev/full' _ "$cmd"
		one_error "$cmd --help > /dev/full" "$cmd" - "No space left on device"
		if is_bug help-one-line "$cmd"; then
			# one_error's complaint about the second line is the known bug
			keep=()
			for p in "${PROBLEMS[@]}"; do
				[[ "$p" == "$cmd --help > /dev/full: more than one line"* ]] || keep+=("$p")
			done
			PROBLEMS=("${keep[@]}")
		fi
		run_sh '"$AVROKIT" "$1" --list-options > /dev/full' _ "$cmd"
		[[ "$status" -eq 1 ]] || problem "$cmd --list-options > /dev/full: exit status $status"
		[[ "$stderr" == "avrokit"*"No space left on device" && "$stderr" != *$'\n'* ]] ||
			problem "$cmd --list-options > /dev/full: stderr: $stderr"
	done
	no_problems
}

@test "output: --help, --version and --list-commands > /dev/full: exit 1, one message" {
	local opt
	for opt in --help --version --list-commands; do
		run_sh '"$AVROKIT" "$1" > /dev/full' _ "$opt"
		[[ "$status" -eq 1 ]] || problem "$opt > /dev/full: exit status $status"
		[[ "$stderr" == "avrokit: "*"No space left on device" && "$stderr" != *$'\n'* ]] ||
			problem "$opt > /dev/full: stderr: $stderr"
	done
	no_problems
}

@test "output: checkschema -v and compatible > /dev/full name the command" {
	local cmd
	for cmd in checkschema compatible; do
		spec "$cmd"
		run_sh '"$AVROKIT" "$@" > /dev/full' _ "$cmd" "${SMALL[@]}"
		one_error "$cmd > /dev/full" "$cmd" - "No space left on device"
	done
	no_problems
}

@test "output: CMD --help > /dev/full prints one message" {
	local cmd
	for cmd in $COMMANDS; do
		run_sh '"$AVROKIT" "$1" --help > /dev/full' _ "$cmd"
		one_error "$cmd --help > /dev/full" "$cmd" - "No space left on device"
	done
	no_problems
}

# ======================================================================================
# a reader that goes away
# ======================================================================================

# quiet_pipe WHAT CMD ARGS...: `CMD ARGS | head -c 1`: exit 0 or SIGPIPE (141) (or the
# command's own status RC, when it wrote everything before head left), nothing on stderr
quiet_pipe() {
	local what="$1" rc="$2" st
	shift 2
	"$AVROKIT" "$@" 2> "$TMP/pipe.err" | head -c 1 > "$TMP/pipe.out"
	st=${PIPESTATUS[0]}
	[[ "$st" -eq 0 || "$st" -eq 141 || "$st" -eq "$rc" ]] || problem "$what: exit status $st"
	[[ ! -s "$TMP/pipe.err" ]] || problem "$what: stderr: $(head -c 300 "$TMP/pipe.err")"
	[[ "$(stat -c %s "$TMP/pipe.out")" -eq 1 ]] || problem "$what: head got no byte"
}

@test "output: CMD | head -c 1, every command: no message, exit 0 or SIGPIPE" {
	local cmd
	for cmd in $COMMANDS; do
		spec "$cmd"
		[[ "$OUT" != dir ]] || continue
		quiet_pipe "$(shown "$cmd" "${BIG[@]}") | head -c 1" "$RC_BIG" "$cmd" "${BIG[@]}"
		quiet_pipe "$(shown "$cmd" "${SMALL[@]}") | head -c 1" "$RC_SMALL" "$cmd" "${SMALL[@]}"
	done
	no_problems
}

@test "output: CMD | head -c 1 with SIGPIPE ignored (EPIPE), every command: no message" {
	local cmd
	trap '' PIPE
	for cmd in $COMMANDS; do
		spec "$cmd"
		[[ "$OUT" != dir ]] || continue
		quiet_pipe "(SIGPIPE ignored) $(shown "$cmd" "${BIG[@]}") | head -c 1" "$RC_BIG" \
			"$cmd" "${BIG[@]}"
	done
	trap - PIPE
	no_problems
}

@test "output: --help of every command | head -c 1: no message" {
	local cmd
	for cmd in $COMMANDS; do
		quiet_pipe "$cmd --help | head -c 1" 0 "$cmd" --help
	done
	no_problems
}

# ======================================================================================
# output files
# ======================================================================================

@test "output: an output file in a directory that does not exist: exit 1, one message" {
	local cmd
	for cmd in $(file_commands); do
		spec "$cmd"
		mkdir "$TMP/$cmd"
		with_output "$TMP/$cmd/nodir/out" "${SMALL[@]}"
		run_ak "$cmd" "${ARGV[@]}"
		one_error "$(shown "$cmd" "${ARGV[@]}")" "$cmd" - "$TMP/$cmd/nodir/out" \
			"No such file or directory"
		dir_is "$TMP/$cmd" "$cmd into a missing directory" ""
		# and relative to the working directory
		with_output nodir/out "${SMALL[@]}"
		cd "$TMP/$cmd"
		run_ak "$cmd" "${ARGV[@]}"
		cd "$TMP"
		one_error "$cmd ... nodir/out" "$cmd" - "nodir/out" "No such file or directory"
		if ! is_bug nodir-once "$cmd"; then
			[[ "$stderr" != *"nodir/out"*"nodir/out"* ]] ||
				problem "$cmd ... nodir/out: the message names the file twice: $stderr"
		fi
		dir_is "$TMP/$cmd" "$cmd into a missing directory" ""
	done
	no_problems
}

@test "output: a missing output directory is named once in the message" {
	local cmd
	for cmd in blocks cat concat fromjson getmeta getschema recodec repair; do
		spec "$cmd"
		mkdir "$TMP/$cmd"
		cd "$TMP/$cmd"
		with_output nodir/out "${SMALL[@]}"
		run_ak "$cmd" "${ARGV[@]}"
		[[ "$stderr" == "avrokit $cmd: nodir/out: "* && "$stderr" != *"nodir/out"*"nodir/out"* ]] ||
			problem "$cmd: $stderr"
	done
	no_problems
}

@test "output: success replaces the output file: same bytes as standard output, mode kept" {
	local cmd
	for cmd in $(file_commands); do
		spec "$cmd"
		mkdir "$TMP/$cmd"
		"$AVROKIT" "$cmd" "${BIG[@]}" > "$TMP/$cmd.want" || problem "$cmd: exit status $?"
		echo old > "$TMP/$cmd/out"
		chmod 640 "$TMP/$cmd/out"
		# a hard link keeps the old bytes when the file is replaced by a rename, and sees
		# them overwritten when the file is rewritten in place
		ln "$TMP/$cmd/out" "$TMP/$cmd/link"
		with_output "$TMP/$cmd/out" "${BIG[@]}"
		run_ak "$cmd" "${ARGV[@]}"
		[[ "$status" -eq 0 ]] || { problem "$cmd -> out: exit status $status: $stderr"; continue; }
		[[ -z "$stderr" ]] || problem "$cmd -> out: stderr: $stderr"
		[[ -z "$output" ]] || problem "$cmd -> out: writes to standard output too"
		cmp -s "$TMP/$cmd.want" "$TMP/$cmd/out" ||
			problem "$cmd -> out: the file differs from the standard output of the same run"
		is_old "$TMP/$cmd/link" || problem "$cmd -> out: rewritten in place"
		[[ "$(stat -c %a "$TMP/$cmd/out")" == 640 ]] ||
			problem "$cmd -> out: mode $(stat -c %a "$TMP/$cmd/out"), not the old file's 640"
		dir_is "$TMP/$cmd" "$cmd -> out" $'link\nout'
		# a new file
		with_output "$TMP/$cmd/new" "${SMALL[@]}"
		run_ak "$cmd" "${ARGV[@]}"
		[[ "$status" -eq 0 && -s "$TMP/$cmd/new" ]] || problem "$cmd -> new: exit status $status"
		dir_is "$TMP/$cmd" "$cmd -> new" $'link\nnew\nout'
	done
	no_problems
}

@test "output: a run that fails after writing keeps the old output file, leaves no other" {
	local cmd n=0
	for cmd in $(file_commands); do
		spec "$cmd"
		((${#PART[@]})) || continue
		n=$((n + 1))
		mkdir "$TMP/$cmd"
		# standard output: the command did write before it failed
		if [[ "$cmd" != count ]]; then
			"$AVROKIT" "$cmd" "${PART[@]}" 2> /dev/null > "$TMP/$cmd.part" && problem "$cmd PART: exit status 0"
			[[ -s "$TMP/$cmd.part" ]] || problem "$(shown "$cmd" "${PART[@]}"): no output before failing"
		fi
		echo old > "$TMP/$cmd/out"
		with_output "$TMP/$cmd/out" "${PART[@]}"
		run_ak "$cmd" "${ARGV[@]}"
		one_error "$(shown "$cmd" "${ARGV[@]}")" "$cmd" -
		is_old "$TMP/$cmd/out" || problem "$cmd PART: the old output file was changed"
		dir_is "$TMP/$cmd" "$cmd PART" out
		# no old file: none is left
		rm "$TMP/$cmd/out"
		run_ak "$cmd" "${ARGV[@]}"
		[[ "$status" -eq 1 ]] || problem "$cmd PART: exit status $status"
		dir_is "$TMP/$cmd" "$cmd PART (no old file)" ""
	done
	[[ "$n" -ge 9 ]] || problem "only $n commands have a PART run"
	no_problems
}

@test "output: a write error part way (file size limit) keeps the old file, leaves no other" {
	local cmd
	for cmd in $(file_commands); do
		spec "$cmd"
		# count writes a few bytes: it cannot reach the limit
		[[ "$cmd" != count ]] || continue
		mkdir "$TMP/$cmd"
		echo old > "$TMP/$cmd/out"
		with_output "$TMP/$cmd/out" "${BIG[@]}"
		# 16 KiB: BIG writes far more. SIGXFSZ ignored, so a write past the limit fails with
		# EFBIG (and the ignored disposition goes through exec)
		run_sh 'trap "" XFSZ; ulimit -f 16; exec "$AVROKIT" "$@"' _ "$cmd" "${ARGV[@]}"
		if is_bug write-error-name "$cmd"; then
			one_error "$(shown "$cmd" "${ARGV[@]}") (16 KiB limit)" "$cmd" - "File too large"
		else
			one_error "$(shown "$cmd" "${ARGV[@]}") (16 KiB limit)" "$cmd" - \
				"avrokit $cmd: $TMP/$cmd/out: " "File too large"
		fi
		is_old "$TMP/$cmd/out" || problem "$cmd: the old output file was changed"
		dir_is "$TMP/$cmd" "$cmd (16 KiB limit)" out
	done
	no_problems
}

@test "output: cat's and repair's write errors name the output file, not the input" {
	run_sh 'trap "" XFSZ; ulimit -f 16; exec "$AVROKIT" repair -q "$1" "$2"' _ "$FX/big.avro" "$TMP/out"
	expect_status 1
	expect_stderr "avrokit repair: $TMP/out: " "File too large"
	run_sh 'trap "" XFSZ; ulimit -f 16; exec "$AVROKIT" cat -o "$2" "$1"' _ "$FX/big.avro" "$TMP/out"
	expect_status 1
	expect_stderr "avrokit cat: $TMP/out: " "File too large"
}

# interrupt SIGNAL CMD OLD: run CMD writing DIR/out from a FIFO that is fed its input and
# kept open, kill it with SIGNAL while it waits for more, and check that it died by the
# signal and that DIR holds only the old file (OLD=1) or nothing (OLD=0)
interrupt() {
	local sig="$1" cmd="$2" old="$3" d="$TMP/$2-$1" fifo="$TMP/$2-$1.fifo"
	local a args=() pid feeder w i ign seen=0 st signum wait=${AK_SIGNAL_WAIT:-5}
	[[ -z "${AK_VALGRIND:-}" ]] || wait=${AK_SIGNAL_WAIT:-30}
	signum="$(kill -l "$sig")"
	spec "$cmd"
	mkdir "$d"
	mkfifo "$fifo"
	[[ "$old" == 0 ]] || echo old > "$d/out"
	for a in "${SIG[@]}"; do
		[[ "$a" == @IN ]] && a="$fifo"
		args+=("$a")
	done
	with_output "$d/out" "${args[@]}"
	# a background job of a shell without job control starts with SIGINT ignored
	env --default-signal=INT "$AVROKIT" "$cmd" "${ARGV[@]}" > "$TMP/sig.out" 2> "$TMP/sig.err" 3>&- &
	pid=$!
	# read-write: opening does not wait for the reader, and writing never meets EPIPE
	exec {w}<> "$fifo"
	cat "$FEED" >&$w 3>&- &
	feeder=$!
	# a streaming command has its temporary file by now or soon; give the others time to
	# read what they were given (under valgrind, a good deal more)
	for ((i = 0; i < 600; i++)); do
		if [[ "$(list_dir "$d")" == *.avrokit-* ]]; then
			seen=1
			break
		fi
		[[ "$STREAM" == 1 || "$i" -lt "$wait" ]] || break
		sleep 0.1
	done
	# until env has put SIGINT back to its default, the signal would be lost: wait for the
	# process's ignored set (SigIgn, a hex mask) to leave it out
	for ((i = 0; i < 300; i++)); do
		ign="$(sed -n 's/^SigIgn:[[:space:]]*//p' "/proc/$pid/status" 2> /dev/null)"
		[[ -n "$ign" ]] && (((16#$ign >> (signum - 1)) & 1)) || break
		sleep 0.1
	done
	kill -s "$sig" "$pid"
	for ((i = 0; i < 300; i++)); do
		kill -0 "$pid" 2> /dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2> /dev/null; then
		kill -KILL "$pid"
		problem "$cmd: still running 30 s after SIG$sig"
	fi
	wait "$pid" && st=0 || st=$?
	kill "$feeder" 2> /dev/null || true
	wait "$feeder" || true
	exec {w}>&-
	[[ "$STREAM" == 0 || "$seen" == 1 ]] ||
		problem "$cmd: no temporary file appeared while the input was coming: $(cat "$TMP/sig.err")"
	[[ "$st" -eq $((128 + signum)) ]] ||
		problem "$cmd: exit status $st after SIG$sig, not $((128 + signum)): $(cat "$TMP/sig.err")"
	if [[ "$old" == 1 ]]; then
		dir_is "$d" "$cmd killed by SIG$sig" out
		is_old "$d/out" || problem "$cmd: the old file was changed"
	else
		dir_is "$d" "$cmd killed by SIG$sig" ""
	fi
}

@test "output: SIGTERM while writing an output file: no temporary file left, the old one kept" {
	local cmd
	for cmd in $(file_commands); do
		interrupt TERM "$cmd" 1
	done
	no_problems
}

@test "output: SIGINT while writing an output file: no file left" {
	local cmd
	for cmd in $(file_commands); do
		interrupt INT "$cmd" 0
	done
	no_problems
}

@test "output: SIGHUP while writing an output file: the old one kept" {
	local cmd
	for cmd in $(file_commands); do
		spec "$cmd"
		[[ "$STREAM" == 1 ]] || continue
		interrupt HUP "$cmd" 1
	done
	no_problems
}

# ======================================================================================
# .ci/count-tests: CI's check that every suite ran all its tests
# ======================================================================================

# a source tree with two listed .bats files (2 and 1 tests), a listed one that does not
# exist, one unit test, core-purity and one fuzz target
fake_tree() {
	mkdir -p "$TMP/src/tests/cli" "$TMP/src/tests/unit" "$TMP/src/tests/fuzz"
	cat > "$TMP/src/tests/cli/meson.build" <<-'END'
		foreach name : [
			'a',
			'b',
			'notyet',
		]
		endforeach
	END
	printf '@test "one" {\n}\n\n@test "two" {\n}\n# @test "a comment"\n' > "$TMP/src/tests/cli/a.bats"
	printf '@test "three" {\n}\n' > "$TMP/src/tests/cli/b.bats"
	: > "$TMP/src/tests/unit/test_x.c"
	: > "$TMP/src/tests/unit/core-purity.sh"
	: > "$TMP/src/tests/fuzz/fuzz_y.c"
}

# logline NAME RESULT TAP: a line of meson's testlog.json
logline() {
	python3 -c 'import json, sys
print(json.dumps({"name": "avrokit:s / " + sys.argv[1], "result": sys.argv[2],
                  "stdout": sys.argv[3].replace("|", "\n"), "returncode": 0}))' "$@"
}

# the log of a run in which everything ran; a known bug skipped in b
full_log() {
	logline unit-x OK "ok 1 - x|ok 2 - y|not ok 3 - z # TODO a known core bug|1..3"
	logline core-purity OK "core-purity: 12 files clean"
	logline fuzz-y OK "ok 1 - corpus|1..1"
	logline cli-a OK "1..2|ok 1 one|ok 2 two"
	logline cli-b OK "1..1|ok 1 three # skip KNOWN BUG: something"
}

count_tests() {
	run --separate-stderr python3 "$REPO/.ci/count-tests" --srcdir "$TMP/src" "$@"
}

@test "count-tests: a complete run passes, skipped subtests count as run" {
	fake_tree
	full_log > "$TMP/log.json"
	count_tests "$TMP/log.json"
	expect_status 0
	expect_no_stderr
	expect_output_is "7 passed, 1 skipped, 0 failed"
}

@test "count-tests: no CLI tests at all (bats missing) fails, naming each" {
	fake_tree
	full_log | grep -v '/ cli-' > "$TMP/log.json"
	count_tests "$TMP/log.json"
	expect_status 1
	expect_stderr "cli-a: did not run (is bats installed?" "cli-b: did not run"
	[[ "$stderr" != *notyet* ]] || ak_show "a listed file that does not exist is not expected"
}

@test "count-tests: a missing suite, a short suite, a suite skipped as a whole: each fails" {
	fake_tree
	full_log | grep -v '/ cli-b' > "$TMP/log.json"
	count_tests "$TMP/log.json"
	expect_status 1
	expect_stderr "cli-b: did not run (a .bats file added since"
	{ full_log | grep -v '/ cli-a'; logline cli-a OK "1..2|ok 1 one"; } > "$TMP/log.json"
	count_tests "$TMP/log.json"
	expect_status 1
	expect_stderr "cli-a: 1 tests ran, 2 expected"
	{ full_log | grep -v '/ fuzz-y'; logline fuzz-y SKIP "1..0 # SKIP no corpus"; } > "$TMP/log.json"
	count_tests "$TMP/log.json"
	expect_status 1
	expect_stderr "fuzz-y: skipped as a whole"
	{ full_log | grep -v '/ core-purity'; } > "$TMP/log.json"
	count_tests "$TMP/log.json"
	expect_status 1
	expect_stderr "core-purity: did not run"
	: > "$TMP/log.json"
	count_tests "$TMP/log.json"
	expect_status 1
	expect_output_is "0 passed, 0 skipped, 0 failed"
	count_tests "$TMP/nosuch.json"
	expect_status 2
}

@test "count-tests: failures are counted; a .bats file meson.build does not list fails" {
	fake_tree
	{ full_log | grep -v '/ cli-a'; logline cli-a FAIL "1..2|ok 1 one|not ok 2 two"; } > "$TMP/log.json"
	count_tests "$TMP/log.json"
	expect_status 0
	expect_output_is "6 passed, 1 skipped, 1 failed"
	printf '@test "four" {\n}\n' > "$TMP/src/tests/cli/unlisted.bats"
	full_log > "$TMP/log.json"
	count_tests "$TMP/log.json"
	expect_status 1
	expect_stderr "tests/cli/unlisted.bats is not listed in tests/cli/meson.build"
}

@test "count-tests: --only cli expects only the CLI suites, --select only those named" {
	fake_tree
	full_log | grep '/ cli-' > "$TMP/log.json"
	count_tests --only cli "$TMP/log.json"
	expect_status 0
	expect_output_is "2 passed, 1 skipped, 0 failed"
	full_log | grep '/ cli-b' > "$TMP/log.json"
	count_tests --only cli "$TMP/log.json"
	expect_status 1
	expect_stderr "cli-a: did not run"
	count_tests --only cli --select cli-b "$TMP/log.json"
	expect_status 0
	expect_output_is "0 passed, 1 skipped, 0 failed"
	count_tests --select cli-b,cli-c "$TMP/log.json"
	expect_status 1
	expect_stderr_is "count-tests: $TMP/log.json: cli-c: not a test of this source tree"
}

@test "count-tests: this source tree: every .bats file with its number of tests" {
	local f name n tap
	: > "$TMP/log.json"
	for f in "$REPO"/tests/cli/*.bats; do
		name="$(basename "$f" .bats)"
		n="$(grep -c '^@test ' "$f")"
		tap="$(seq -f 'ok %g t' "$n" | tr '\n' '|')"
		[[ "$name" != output ]] || tap="$(seq -f 'ok %g t' $((n - 1)) | tr '\n' '|')"
		logline "cli-$name" OK "1..$n|$tap" >> "$TMP/log.json"
	done
	run --separate-stderr python3 "$REPO/.ci/count-tests" --only cli "$TMP/log.json"
	expect_status 1
	n="$(grep -c '^@test ' "$BATS_TEST_FILENAME")"
	expect_stderr_is "count-tests: $TMP/log.json: cli-output: $((n - 1)) tests ran, $n expected"
}
