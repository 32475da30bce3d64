# SPDX-License-Identifier: Apache-2.0
#
# Output safety, command by command (DESIGN.md, "Rules that make it safe"): a full disk is
# exit 1 and one message; `| head -c 1` ends quietly; an output file (-o FILE, or the OUTPUT
# argument) is replaced only on success, and a failure, a write error or a signal part way
# leaves the old file as it was and no temporary file beside it.
#
# This file holds what the output-*.bats files share (each starts with `load common` and
# `load output`); the tests are split over them so that no file runs for minutes under
# AddressSanitizer or valgrind on a busy machine:
#
#   output-stdout.bats   the table below, /dev/full, closed pipes
#   output-files.bats    output files: missing directories, replacement, failures part way
#   output-signals.bats  SIGTERM, SIGINT and SIGHUP while an output file is being written
#
# The table below (spec) says, for every command, how it names an output file and which
# arguments make it write a lot, a little, or fail after writing; the first test of
# output-stdout.bats checks that the table has exactly the commands of
# `avrokit --list-commands`, so a new command fails there until it is added. The matrix
# tests go through every command and report every failing one at once.
#
#   AVROKIT=$PWD/build/src/cli/avrokit bats tests/cli/output-*.bats
#
# Checks that fail because of a reported bug (BUGS) are left out of the matrix and run by a
# test of their own, which skips as "KNOWN BUG"; AK_KNOWN_BUGS=1 puts them back everywhere.

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
fromtext getmeta getschema idl idl2schemata infer jsontofrag random recodec repair splits tojson
totext"

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
	# (doubling: bats traces every command a test runs, and spec runs often; a loop of 3000,
	# or a pipe into mapfile, costs a tenth of a second each time)
	MANY=("$fx/$LONG_NAME")
	while ((${#MANY[@]} < MANY_COUNT)); do
		MANY+=("${MANY[@]}")
	done
	MANY=("${MANY[@]:0:MANY_COUNT}")
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
	fromjson)
		SMALL=(-f "$DATA/weather.avsc" --sync-marker $SYNC "$DATA/weather.json")
		BIG=(-f "$DATA/weather.avsc" --sync-marker $SYNC "$fx/big.json")
		PART=(-f "$DATA/weather.avsc" --sync-marker $SYNC "$fx/bad.json")
		SIG=(-f "$DATA/weather.avsc" @IN) FEED="$fx/big.json" ;;
	fromtext)
		# lines of text: the JSON files do; a line too long for 1K blocks at the end
		OUT=arg
		SMALL=(--sync-marker $SYNC "$DATA/weather.json")
		BIG=(--sync-marker $SYNC "$fx/big.json")
		PART=(--sync-marker $SYNC --max-block-size 1K "$fx/longline.txt")
		SIG=(--sync-marker $SYNC @IN) FEED="$fx/big.json" ;;
	getmeta)
		SMALL=("$DATA/weather.avro")
		BIG=("$fx/wide.avro")
		FEED="$fx/wide-head.avro" STREAM=0 ;;
	getschema)
		SMALL=("$DATA/weather.avro")
		BIG=("$fx/wide.avro")
		FEED="$fx/wide-head.avro" STREAM=0 ;;
	fragtojson)
		SMALL=(-f "$DATA/weather.avsc" "$fx/small.bin")
		BIG=(-f "$DATA/weather.avsc" "$fx/big.bin")
		PART=(-f "$DATA/weather.avsc" "$fx/cut.bin")
		SIG=(-f "$DATA/weather.avsc" @IN) FEED="$fx/big.bin" ;;
	idl)
		# writes only once the whole input is parsed: no PART run
		OUT=arg
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
	splits)
		# reads every header before it writes: nothing fails part way; a FIFO is refused
		# (no size), so the signal arrives while it waits for the rest of a header
		SMALL=(-n 2 "$DATA/weather.avro")
		BIG=(-n 100000 "$fx/big.avro")
		SIG=(-n 2 @IN) FEED="$fx/wide-head.avro" STREAM=0 ;;
	tojson)
		SMALL=("$DATA/weather.avro")
		BIG=("$fx/big.avro")
		PART=("$fx/cut.avro") ;;
	totext)
		OUT=arg
		SMALL=("$fx/small-text.avro")
		BIG=("$fx/text.avro")
		PART=("$fx/cut-text.avro")
		FEED="$fx/text.avro" ;;
	*)
		echo "output.bash: '$1' is not in the table (spec)" >&2
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
	# the same records as bare datums (fragtojson), and cut inside the last one
	"$AVROKIT" jsontofrag -f "$DATA/weather.avsc" -o "$fx/big.bin" "$fx/big.json"
	"$AVROKIT" jsontofrag -f "$DATA/weather.avsc" -o "$fx/small.bin" "$DATA/weather.json"
	head -c $(($(stat -c %s "$fx/big.bin") - 3)) "$fx/big.bin" > "$fx/cut.bin"
	# the last 10 bytes cut off (of the last block's sync marker): readers fail after all
	# the other blocks
	head -c $(($(stat -c %s "$fx/big.avro") - 10)) "$fx/big.avro" > "$fx/cut.avro"
	# a wrong record at the end
	{ cat "$fx/big.json"; echo '{"station":1}'; } > "$fx/bad.json"
	# its lines as a data file of text (fromtext, totext), cut like cut.avro, and a line
	# too long for 1K blocks at the end
	"$AVROKIT" fromtext --sync-marker $SYNC "$fx/big.json" "$fx/text.avro"
	"$AVROKIT" fromtext --sync-marker $SYNC "$DATA/weather.json" "$fx/small-text.avro"
	head -c $(($(stat -c %s "$fx/text.avro") - 10)) "$fx/text.avro" > "$fx/cut-text.avro"
	{ cat "$fx/big.json"; printf '%02000d\n' 0; } > "$fx/longline.txt"
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
	# Avro IDL: a small protocol, and one whose JSON is some 400 KB
	printf 'protocol P { record R { string s; } void m(R r); }\n' > "$fx/small.avdl"
	awk 'BEGIN {
		print "@namespace(\"big\") protocol Big {"
		for (i = 0; i < 2000; i++)
			printf "  /** Record %d. */ record R%d { string name = \"x\"; long? n = null; }\n", i, i
		print "}" }' > "$fx/big.avdl"
	# ... and a data file of that schema (no records) with 180 KB of metadata
	x="$(head -c 60000 /dev/zero | tr '\0' x)"
	: > "$fx/none.json"
	"$AVROKIT" fromjson -f "$fx/wide.avsc" -m user.a="$x" -m user.b="$x" -m user.c="$x" \
		-o "$fx/wide.avro" "$fx/none.json"
	cp "$DATA/weather.avsc" "$fx/$LONG_NAME"
	# the first part of its header: getmeta and getschema wait for the rest
	head -c 100000 "$fx/wide.avro" > "$fx/wide-head.avro"
}

setup() {
	ak_setup
	FX="$BATS_FILE_TMPDIR/fx"
	[[ -s "$FX/wide.avro" && -s "$FX/cut.avro" ]] || {
		echo "the inputs were not written (see setup_file)" >&2
		return 1
	}
	problems=()
}

# ---- reporting every failing command at once (problem, check_problems: problems.bash) ----

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
