#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# fromtext and totext: lines of text as a data file of "bytes" records, and back. Line ends
# (\n, \r, \r\n, none at the end), bytes that are not text, every codec, standard input and
# output, output files, bad files, usage errors, and files read and written by python3-avro
# and avro-c's avrocat (skipped, saying so, when those are not installed).
#
#   AVROKIT=$PWD/build/src/cli/avrokit bats tests/cli/text.bats

load common

PY=/usr/bin/python3
SYNC=00112233445566778899aabbccddeeff

# records FILE: the records of a data file, one JSON string a line (tojson)
records() {
	"$AVROKIT" tojson "$1"
}

# text_case PRINTF WANT_RECORDS WANT_TEXT: fromtext of the bytes printf PRINTF makes holds
# the records WANT_RECORDS (tojson's lines), and totext of it gives the bytes printf
# WANT_TEXT makes
text_case() {
	printf "$1" > "$TMP/in.txt"
	run_ak fromtext "$TMP/in.txt" "$TMP/t.avro"
	expect_status 0
	expect_no_stderr
	expect_no_output
	run_ak tojson "$TMP/t.avro"
	expect_status 0
	expect_output_is "$2"
	printf "$3" > "$TMP/want.txt"
	"$AVROKIT" totext "$TMP/t.avro" > "$TMP/back.txt"
	cmp "$TMP/want.txt" "$TMP/back.txt" || ak_show "totext of '$1'"
}

# ---- line ends ----

@test "text: lines ending in \\n, one record each, and back" {
	text_case 'one\ntwo\nthree\n' '"one"
"two"
"three"' 'one\ntwo\nthree\n'
	run_ak getschema --raw "$TMP/t.avro"
	expect_output_is '"bytes"'
	run_ak count "$TMP/t.avro"
	expect_output_is 3
}

@test "text: \\r\\n and \\r end a line too, one end each; totext writes \\n" {
	text_case 'a\r\nb\r\n' '"a"
"b"' 'a\nb\n'
	text_case 'a\rb\r' '"a"
"b"' 'a\nb\n'
	# mixed, and \n\r is two ends (an empty line between)
	text_case 'a\r\nb\rc\nd\n\re\r\r\nf' '"a"
"b"
"c"
"d"
""
"e"
""
"f"' 'a\nb\nc\nd\n\ne\n\nf\n'
}

@test "text: a last line without an end of line is kept (avro-tools drops it)" {
	text_case 'first\nlast' '"first"
"last"' 'first\nlast\n'
	text_case 'alone' '"alone"' 'alone\n'
	text_case 'a\r\nb\rlast' '"a"
"b"
"last"' 'a\nb\nlast\n'
}

@test "text: empty lines are empty records; no record after the last end of line" {
	text_case '\n\n\nx\n\n' '""
""
""
"x"
""' '\n\n\nx\n\n'
	text_case '\n' '""' '\n'
	text_case '\r\n' '""' '\n'
}

@test "text: an empty input makes a data file with no records, and totext prints nothing" {
	run_ak fromtext -o "$TMP/e.avro" /dev/null
	expect_status 0
	expect_no_stderr
	[[ "$("$AVROKIT" count "$TMP/e.avro")" == 0 ]] || ak_show "count"
	[[ "$("$AVROKIT" getschema --raw "$TMP/e.avro")" == '"bytes"' ]] || ak_show "schema"
	"$AVROKIT" totext "$TMP/e.avro" > "$TMP/e.txt"
	[[ ! -s "$TMP/e.txt" ]] || ak_show "totext printed something"
}

@test "text: bytes are taken as they are: NUL, invalid UTF-8, control characters" {
	text_case 'a\000b\n\377\376\n\303\n\303\251t\303\251\n\033[0m\t\n' '"a\u0000b"
"\u00FF\u00FE"
"\u00C3"
"\u00C3\u00A9t\u00C3\u00A9"
"\u001B[0m\t"' 'a\000b\n\377\376\n\303\n\303\251t\303\251\n\033[0m\t\n'
}

@test "text: a \\r\\n and a line that span the 256 KiB reads of the input" {
	# the \r is the last byte of the first read, its \n the first of the second; the
	# second line runs over the next boundary
	command -v python3 > /dev/null || skip "python3 not found"
	python3 -c 'import sys; sys.stdout.buffer.write(b"x" * 262143 + b"\r\n" + b"y" * 300000 + b"\nz")' \
		> "$TMP/span.txt"
	run_ak fromtext "$TMP/span.txt" "$TMP/span.avro"
	expect_status 0
	[[ "$("$AVROKIT" count "$TMP/span.avro")" == 3 ]] || ak_show "expected 3 records"
	"$AVROKIT" totext "$TMP/span.avro" > "$TMP/span.back"
	cmp "$TMP/span.back" <(tr '\r' '\n' < "$TMP/span.txt" | tr -s '\n'; echo) ||
		ak_show "totext differs"
	# the same file from a pipe, whose reads end anywhere
	"$AVROKIT" fromtext --sync-marker $SYNC "$TMP/span.txt" "$TMP/span-file.avro"
	run_sh 'cat "$1" | "$AVROKIT" fromtext --sync-marker "$2" | cmp - "$3"' _ \
		"$TMP/span.txt" $SYNC "$TMP/span-file.avro"
	expect_status 0
}

# ---- codecs, threads, options ----

@test "text: every codec of this build, and the same file on any number of threads" {
	local codec codecs n=0
	seq 1 20000 | sed 's/$/ a line of text/' > "$TMP/lines.txt"
	codecs="$("$AVROKIT" --version | sed -n 's/^codecs: //p')"
	[[ -n "$codecs" ]] || ak_show "no codecs in --version"
	for codec in $codecs; do
		[[ "$codec" != *"(read-only)" ]] || continue
		n=$((n + 1))
		"$AVROKIT" fromtext -c "$codec" -j 1 --sync-marker $SYNC "$TMP/lines.txt" "$TMP/$codec-1.avro" ||
			problem "$codec: fromtext failed"
		"$AVROKIT" fromtext -c "$codec" -j 3 --sync-marker $SYNC -o "$TMP/$codec-3.avro" < "$TMP/lines.txt" ||
			problem "$codec: fromtext -j 3 failed"
		cmp -s "$TMP/$codec-1.avro" "$TMP/$codec-3.avro" || problem "$codec: -j 1 and -j 3 differ"
		[[ "$("$AVROKIT" getmeta -k avro.codec "$TMP/$codec-1.avro")" == "$codec" ]] ||
			problem "$codec: avro.codec is not $codec"
		"$AVROKIT" totext "$TMP/$codec-1.avro" | cmp -s - "$TMP/lines.txt" ||
			problem "$codec: totext differs from the input"
	done
	[[ "$n" -ge 2 ]] || problem "only $n codecs: $codecs"
	check_problems
}

@test "text: --level, --block-size, --meta and --sync-marker" {
	seq 1 5000 > "$TMP/n.txt"
	run_ak fromtext -c deflate -l 9 -b 1K -m owner=team-a -m 'note=x = y' --sync-marker $SYNC \
		"$TMP/n.txt" "$TMP/a.avro"
	expect_status 0
	[[ "$("$AVROKIT" getmeta -k owner "$TMP/a.avro")" == team-a ]] || ak_show "--meta owner"
	[[ "$("$AVROKIT" getmeta -k note "$TMP/a.avro")" == "x = y" ]] || ak_show "--meta note"
	# 1K blocks of 3- to 5-byte records
	run_ak blocks "$TMP/a.avro"
	[[ "$(grep -c ' ok$' <<< "$output")" -gt 20 ]] || ak_show "expected many blocks"
	# the same sync marker: the same bytes
	"$AVROKIT" fromtext -c deflate -l 9 -b 1K -m owner=team-a -m 'note=x = y' \
		--sync-marker $SYNC "$TMP/n.txt" > "$TMP/b.avro"
	cmp "$TMP/a.avro" "$TMP/b.avro"
	# without one, two runs differ
	"$AVROKIT" fromtext "$TMP/n.txt" > "$TMP/c.avro"
	"$AVROKIT" fromtext "$TMP/n.txt" > "$TMP/d.avro"
	! cmp -s "$TMP/c.avro" "$TMP/d.avro" || ak_show "two runs without --sync-marker are the same"
}

# ---- standard input and output, output files ----

@test "text: standard input to standard output, with no operands and with -" {
	run_sh 'printf "a\nb\n" | "$AVROKIT" fromtext | "$AVROKIT" totext'
	expect_status 0
	expect_no_stderr
	expect_output_is $'a\nb'
	run_sh 'printf "a\nb\n" | "$AVROKIT" fromtext - - | "$AVROKIT" totext - -'
	expect_status 0
	expect_output_is $'a\nb'
	run_sh 'printf "x\n" | "$AVROKIT" fromtext -o - | "$AVROKIT" totext -o -'
	expect_status 0
	expect_output_is x
}

@test "text: -o FILE and the OUTPUT operand write the file, and nothing to standard output" {
	mkdir "$TMP/d"
	printf 'a\nb\n' > "$TMP/d/in.txt"
	run_ak fromtext -o "$TMP/d/o.avro" "$TMP/d/in.txt"
	expect_status 0
	expect_no_output
	run_ak totext -o "$TMP/d/o.txt" "$TMP/d/o.avro"
	expect_status 0
	expect_no_output
	cmp "$TMP/d/in.txt" "$TMP/d/o.txt"
	run_ak totext "$TMP/d/o.avro" "$TMP/d/o2.txt"
	expect_status 0
	expect_no_output
	cmp "$TMP/d/in.txt" "$TMP/d/o2.txt"
	expect_dir "$TMP/d" in.txt o.avro o.txt o2.txt
}

@test "text: a failure leaves an existing output file as it was, and no temporary file" {
	mkdir "$TMP/d"
	printf 'short\n%02000d\n' 0 > "$TMP/d/long.txt"
	echo old > "$TMP/d/out"
	run_ak fromtext --max-block-size 1K "$TMP/d/long.txt" "$TMP/d/out"
	expect_data_error fromtext "$TMP/d/long.txt" "line 2 is too long"
	[[ "$(cat "$TMP/d/out")" == old ]] || ak_show "the old file was changed"
	"$AVROKIT" fromtext "$TMP/d/long.txt" "$TMP/d/ok.avro"
	head -c 100 "$TMP/d/ok.avro" > "$TMP/d/cut.avro"
	run_ak totext -o "$TMP/d/out" "$TMP/d/cut.avro"
	expect_status 1
	[[ "$(cat "$TMP/d/out")" == old ]] || ak_show "the old file was changed"
	expect_dir "$TMP/d" long.txt out ok.avro cut.avro
}

@test "text: fromtext refuses a terminal as standard output, like the other writers" {
	command -v python3 > /dev/null || skip "python3 not found"
	printf 'a\n' > "$TMP/in.txt"
	run --separate-stderr python3 "$BATS_TEST_DIRNAME/ptyrun.py" --out -- "$AVROKIT" fromtext "$TMP/in.txt"
	expect_status 2
	expect_stderr "avrokit fromtext: standard output is a terminal: not writing Avro binary data to it (give -o FILE, or redirect standard output)"
	# totext writes text: a terminal is fine
	"$AVROKIT" fromtext "$TMP/in.txt" "$TMP/in.avro"
	run --separate-stderr python3 "$BATS_TEST_DIRNAME/ptyrun.py" --out -- "$AVROKIT" totext "$TMP/in.avro"
	expect_status 0
	[[ "${output//$'\r'/}" == a ]] || ak_show "totext on a terminal"
}

# ---- limits ----

@test "text: a line too long for the block limit is refused, naming its line and the option" {
	printf 'a\n%01100d\nb\n' 0 > "$TMP/long.txt"
	run_ak fromtext --max-block-size 1K "$TMP/long.txt" "$TMP/l.avro"
	expect_data_error fromtext "$TMP/long.txt" \
		"line 2 is too long: its record would make a block larger than the 1024-byte limit" \
		"(--max-block-size raises the limit)"
	[[ ! -e "$TMP/l.avro" ]] || ak_show "a file was written"
	# from standard input too, before the line is held whole
	run_sh '"$AVROKIT" fromtext --max-block-size 1K < "$1" > /dev/null' _ "$TMP/long.txt"
	expect_data_error fromtext "(standard input)" "line 2 is too long"
	# the longest line that fits (1022 bytes and a 2-byte length): a block of its own,
	# which readers with the same limit read
	printf 'a\n%01022d\nb\n' 0 > "$TMP/fits.txt"
	run_ak fromtext --max-block-size 1K "$TMP/fits.txt" "$TMP/f.avro"
	expect_status 0
	"$AVROKIT" totext --max-block-size 1K "$TMP/f.avro" | cmp - "$TMP/fits.txt"
	printf 'a\n%01023d\n' 0 > "$TMP/over.txt"
	run_ak fromtext --max-block-size 1K "$TMP/over.txt" "$TMP/o.avro"
	expect_status 1
}

# ---- totext: files that are not text, damaged files ----

@test "text: totext refuses a file whose schema is not \"bytes\", naming the file and the type" {
	run_ak totext "$DATA/weather.avro"
	expect_data_error totext "$DATA/weather.avro" \
		"not a file of text: its schema is record test.Weather, not \"bytes\"" \
		"(avrokit tojson prints the records of any data file)"
	expect_no_output
	mkavro "$TMP/s.avro" '"string"' 0261
	run_ak totext "$TMP/s.avro" "$TMP/s.txt"
	expect_data_error totext "$TMP/s.avro" "its schema is string, not \"bytes\""
	[[ ! -e "$TMP/s.txt" ]] || ak_show "an output file was made"
	mkavro "$TMP/d.avro" '{"type":"bytes","logicalType":"decimal","precision":4,"scale":2}' 0201
	run_ak totext "$TMP/d.avro"
	expect_data_error totext "$TMP/d.avro" "its schema is bytes with the logical type decimal"
	run_sh '"$AVROKIT" totext < "$1"' _ "$TMP/s.avro"
	expect_data_error totext "(standard input)" "its schema is string"
}

@test "text: totext reads {\"type\": \"bytes\"} as \"bytes\", with records that hold line ends" {
	mkavro "$TMP/b.avro" '{"type": "bytes"}' 0261 00 06610a62 06610d0a
	run_ak totext "$TMP/b.avro"
	expect_status 0
	printf 'a\n\na\nb\na\r\n\n' | cmp - <("$AVROKIT" totext "$TMP/b.avro")
}

@test "text: totext of a damaged file prints the records before the damage, then the message" {
	seq 1 30000 > "$TMP/n.txt"
	"$AVROKIT" fromtext -b 16K "$TMP/n.txt" "$TMP/n.avro"
	cut_file "$TMP/n.avro" $(($(stat -c %s "$TMP/n.avro") - 10)) "$TMP/cut.avro"
	run_ak totext "$TMP/cut.avro"
	expect_data_error totext "$TMP/cut.avro" "block " "(offset "
	[[ "${lines[0]}" == 1 && ${#lines[@]} -gt 20000 && ${#lines[@]} -lt 30000 ]] ||
		ak_show "expected the records of the blocks before the last"
	flip_last_byte "$TMP/n.avro" "$TMP/sync.avro"
	run_ak totext "$TMP/sync.avro"
	expect_data_error totext "$TMP/sync.avro" "sync marker"
	run_ak totext "$DATA/weather.json"
	expect_data_error totext "$DATA/weather.json" "not an Avro data file"
	# a record whose length runs past its block
	mkavro "$TMP/r.avro" '"bytes"' 0261 0a61
	run_ak totext "$TMP/r.avro"
	expect_data_error totext "$TMP/r.avro" "block 0" "record 1"
	expect_output_is a
	run_ak totext "$TMP/nosuch.avro"
	expect_data_error totext "$TMP/nosuch.avro" "cannot open: No such file or directory"
}

@test "text: totext ends quietly when its reader goes away" {
	seq 1 200000 | "$AVROKIT" fromtext > "$TMP/n.avro"
	run_sh '"$AVROKIT" totext "$1" | head -n 1' _ "$TMP/n.avro"
	expect_status 0
	expect_output_is 1
	expect_no_stderr
}

@test "text: --progress prints the totals of both commands" {
	seq 1 1000 > "$TMP/n.txt"
	run_ak fromtext --progress -o "$TMP/n.avro" "$TMP/n.txt"
	expect_status 0
	[[ "$stderr" =~ ^avrokit\ fromtext:\ 1000\ records,\ 3\.8\ KiB\ read ]] || ak_show "fromtext"
	run_ak totext --progress -o "$TMP/n2.txt" "$TMP/n.avro"
	expect_status 0
	[[ "$stderr" =~ ^avrokit\ totext:\ 1000\ records, ]] || ak_show "totext"
	run_ak totext -q --progress -o "$TMP/n2.txt" "$TMP/n.avro"
	[[ "$stderr" =~ ^avrokit\ totext:\ 1000\ records, ]] || ak_show "--progress after -q"
}

# ---- usage errors ----

@test "text: usage errors exit 2 and name the command" {
	run_ak fromtext a b c
	expect_usage_error fromtext "at most an INPUT and an OUTPUT (got 3 arguments)"
	run_ak totext a b c
	expect_usage_error totext "at most an INPUT and an OUTPUT (got 3 arguments)"
	run_ak fromtext -o x.avro in.txt out.avro
	expect_usage_error fromtext "give the output as -o FILE or as OUTPUT, not both"
	run_ak totext -o x.txt in.avro out.txt
	expect_usage_error totext "give the output as -o FILE or as OUTPUT, not both"
	run_ak fromtext --codec brotli /dev/null
	expect_usage_error fromtext "unknown codec 'brotli'"
	run_ak fromtext --level 5 /dev/null
	expect_usage_error fromtext "--level does not apply to codec 'null'"
	run_ak fromtext -c deflate --level 10 /dev/null
	expect_usage_error fromtext "--level for deflate must be from 0 to 9"
	run_ak fromtext --block-size 0 /dev/null
	expect_usage_error fromtext "--block-size: '0' is not a size"
	run_ak fromtext --meta avro.codec=x /dev/null
	expect_usage_error fromtext "--meta: key 'avro.codec' is reserved"
	run_ak fromtext --meta novalue /dev/null
	expect_usage_error fromtext "--meta takes KEY=VALUE, got 'novalue'"
	run_ak fromtext --sync-marker 00 /dev/null
	expect_usage_error fromtext "--sync-marker takes 32 hex digits"
	run_ak fromtext --jobs 0 /dev/null
	expect_usage_error fromtext "--jobs: '0' is not a number from 1 to 256"
	run_ak fromtext --max-block-size 12 /dev/null
	expect_usage_error fromtext "--max-block-size: '12' is not a size from 1K to 64G"
	run_ak totext --max-header-size x /dev/null
	expect_usage_error totext "--max-header-size: 'x' is not a size"
	run_ak totext --codec null /dev/null
	expect_usage_error totext "unknown option '--codec'"
	run_ak fromtext --pretty
	expect_usage_error fromtext "unknown option '--pretty'"
}

@test "text: a missing input is exit 1, naming it, and makes no output file" {
	run_ak fromtext "$TMP/nosuch.txt" "$TMP/out.avro"
	expect_data_error fromtext "$TMP/nosuch.txt" "cannot open: No such file or directory"
	run_ak fromtext "$TMP"
	expect_data_error fromtext "$TMP" "is a directory"
	[[ ! -e "$TMP/out.avro" ]] || ak_show "an output file was made"
	printf 'a\n' > "$TMP/same.txt"
	run_ak fromtext "$TMP/same.txt" "$TMP/same.txt"
	expect_status 1
	expect_stderr "input $TMP/same.txt is also the output"
	[[ "$(cat "$TMP/same.txt")" == a ]] || ak_show "the input was changed"
}

# ---- other implementations ----

need_pyavro() {
	[[ -x "$PY" ]] || skip "$PY not found"
	"$PY" -c 'import avro.datafile' 2> /dev/null ||
		skip "python3-avro is not installed (apt-get install python3-avro)"
}

@test "interop: python3-avro reads what fromtext writes, bytes for bytes" {
	local codec
	need_pyavro
	printf 'one\r\n\ntwo\000\377\rthree' > "$TMP/in.txt"
	for codec in null deflate; do
		"$AVROKIT" fromtext -c "$codec" -m owner=me "$TMP/in.txt" "$TMP/$codec.avro"
		run --separate-stderr "$PY" -c '
import sys, avro.datafile, avro.io
with avro.datafile.DataFileReader(open(sys.argv[1], "rb"), avro.io.DatumReader()) as r:
    print(r.get_meta("avro.schema").decode(), r.get_meta("avro.codec").decode(),
          r.get_meta("owner").decode(), [x for x in r])' "$TMP/$codec.avro"
		expect_status 0
		expect_output_is "\"bytes\" $codec me [b'one', b'', b'two\\x00\\xff', b'three']"
	done
}

@test "interop: totext reads a \"bytes\" file that python3-avro writes" {
	local codec
	need_pyavro
	for codec in null deflate; do
		"$PY" -c '
import sys, avro.datafile, avro.io, avro.schema
s = avro.schema.parse("\"bytes\"")
with avro.datafile.DataFileWriter(open(sys.argv[1], "wb"), avro.io.DatumWriter(), s,
                                  codec=sys.argv[2]) as w:
    for x in [b"alpha", b"", b"\x00\xff", b"line 4"] + [b"%d" % i for i in range(5000)]:
        w.append(x)' "$TMP/py-$codec.avro" "$codec"
		{ printf 'alpha\n\n\000\377\nline 4\n'; seq 0 4999; } > "$TMP/want.txt"
		run_ak totext "$TMP/py-$codec.avro" "$TMP/got.txt"
		expect_status 0
		expect_no_stderr
		cmp "$TMP/want.txt" "$TMP/got.txt"
	done
}

@test "interop: avrocat (avro-c) reads what fromtext writes" {
	command -v avrocat > /dev/null || skip "avrocat is not installed (apt-get install avro-bin)"
	printf 'hello\nwith "quotes"\n\nlast' | "$AVROKIT" fromtext -c deflate > "$TMP/c.avro"
	run avrocat "$TMP/c.avro"
	expect_status 0
	expect_output_is '"hello"
"with \"quotes\""
""
"last"'
}
