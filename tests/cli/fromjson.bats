#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# avrokit fromjson: Avro JSON records in, an Avro data file out.
#
#   1. success: schema options, inputs (files, standard input, several), value layouts,
#      --array, -o
#   2. round trip: tojson | fromjson | tojson gives the same text, for every corpus file
#      (../shared/corpus or AK_CORPUS; skipped, saying so, when absent) and tests/data
#   3. defaults of every kind for missing fields; fields in any order
#   4. errors: exit status and the exact "avrokit fromjson: FILE:LINE:COL: ..." message
#   5. plain JSON (--plain)
#
# Codecs and --level, --block-size, --meta, --sync-marker, and python3-avro and avrocat
# reading what fromjson writes, are tested in fromjson-codecs.bats; -j (several threads) in
# fromjson-jobs.bats. What this file shares with fromjson-codecs.bats (SYNC, the schema RS,
# the setup, records, n_records, expect_records, block_counts) is in fromjson.bash.
#
# Needs AVROKIT (the binary). Python helpers run with /usr/bin/python3 (Debian's, which has
# python3-avro; the first python3 on PATH may be another one).

load common
load fromjson

# The schema of the error tests: every field has a default except "req", so an input names
# only the field under test and the columns are easy to count:
#   {"req":1,"x":VALUE}   VALUE starts at column 14 (x a one-letter field name)
ES_TEXT='{"type": "record", "name": "R", "namespace": "ns", "fields": [
  {"name": "req", "type": "int"},
  {"name": "i", "type": "int", "default": 0},
  {"name": "l", "type": "long", "default": 0},
  {"name": "d", "type": "double", "default": 0},
  {"name": "s", "type": "string", "default": ""},
  {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B"]}, "default": "A"},
  {"name": "f", "type": {"type": "fixed", "name": "F", "size": 2}, "default": "ab"},
  {"name": "b", "type": "bytes", "default": ""},
  {"name": "u", "type": ["null", "string",
    {"type": "record", "name": "P", "fields": [{"name": "x", "type": "int"}]}], "default": null},
  {"name": "v", "type": ["int", "string"], "default": 0},
  {"name": "n", "type": "null", "default": null},
  {"name": "sub", "type": {"type": "record", "name": "Sub",
    "fields": [{"name": "zip", "type": "string"}]}, "default": {"zip": "0"}},
  {"name": "arr", "type": {"type": "array", "items": {"type": "map", "values": "int"}},
    "default": []}
]}'
ES_FIELDS="req, i, l, d, s, e, f, b, u, v, n, sub, arr"

# (fromjson.bash's setup, and the error tests' schema in $ES)
setup() {
	fj_setup
	ES="$TMP/es.avsc"
	printf '%s\n' "$ES_TEXT" > "$ES"
}

# ---- helpers ----

# fj_error INPUT MESSAGE [OPTIONS]: INPUT (written as is, no newline added, to $TMP/in.json)
# makes `avrokit fromjson --schema-file $ES -o W/out.avro OPTIONS in.json` exit 1 with exactly
# the message "avrokit fromjson: $TMP/in.json:MESSAGE", print nothing and leave no file.
fj_error() {
	local input="$1" msg="$2"
	shift 2
	printf '%s' "$input" > "$TMP/in.json"
	run_ak fromjson --schema-file "$ES" -o "$W/out.avro" "$@" "$TMP/in.json"
	expect_status 1
	expect_no_output
	expect_stderr_is "avrokit fromjson: $TMP/in.json:$msg"
	expect_dir "$W"
}

# fj_error_col INPUT MESSAGE: like fj_error, but the column is not checked here (see the
# column tests below): the message is "FILE:1:<number>: MESSAGE".
fj_error_col() {
	local input="$1" msg="$2" col
	printf '%s' "$input" > "$TMP/in.json"
	run_ak fromjson --schema-file "$ES" -o "$W/out.avro" "$TMP/in.json"
	expect_status 1
	expect_no_output
	col="${stderr#"avrokit fromjson: $TMP/in.json:1:"}"
	col="${col%%": $msg"}"
	[[ "$col" =~ ^[0-9]+$ && "$stderr" == "avrokit fromjson: $TMP/in.json:1:$col: $msg" ]] ||
		ak_show "expected stderr 'avrokit fromjson: $TMP/in.json:1:COL: $msg'"
	expect_dir "$W"
}

# fj_column INPUT FIRST LAST: the error column for INPUT is from FIRST to LAST (the span of
# the offending escape or byte sequence)
fj_column() {
	local input="$1" first="$2" last="$3" col
	printf '%s' "$input" > "$TMP/in.json"
	run_ak fromjson -o "$W/out.avro" --schema-file "$ES" "$TMP/in.json"
	expect_status 1
	col="$(sed -n 's/^avrokit fromjson: [^:]*:1:\([0-9]*\): .*/\1/p' <<< "$stderr")"
	[[ -n "$col" && "$col" -ge "$first" && "$col" -le "$last" ]] ||
		ak_show "expected the column to be from $first to $last (the offending text), got '$col'"
}

# =====================================================================================
# 1. success
# =====================================================================================

@test "fromjson --schema: one value per line from a file, records read back exactly" {
	records '{"a":1,"s":"one"}' '{"a":-2,"s":""}' '{"a":2147483647,"s":"h\u00e9 \"q\" \\ \n"}'
	run_ak fromjson --schema "$RS" -o "$W/out.avro" "$TMP/in.json"
	expect_status 0
	expect_no_stderr
	expect_no_output
	expect_records "$W/out.avro" '{"a":1,"s":"one"}' '{"a":-2,"s":""}' \
		'{"a":2147483647,"s":"hé \"q\" \\ \n"}'
	[[ "$("$AVROKIT" count "$W/out.avro")" == 3 ]]
	# the schema in the file is the one given
	[[ "$("$AVROKIT" getschema --raw "$W/out.avro")" == "$RS" ]] ||
		{ "$AVROKIT" getschema --raw "$W/out.avro" >&2; false; }
	[[ "$("$AVROKIT" getmeta --key avro.codec "$W/out.avro")" == null ]]
}

@test "fromjson writes the file to standard output by default" {
	records '{"a":7,"s":"x"}'
	"$AVROKIT" fromjson --schema "$RS" "$TMP/in.json" > "$TMP/out.avro"
	[[ "$(head -c 4 "$TMP/out.avro" | od -An -tx1 | tr -d ' \n')" == 4f626a01 ]]
	expect_records "$TMP/out.avro" '{"a":7,"s":"x"}'
}

@test "fromjson --schema-file gives the same file as --schema (and -f, --schema-file=, -s)" {
	records '{"a":1,"s":"x"}' '{"a":2,"s":"y"}'
	printf '%s\n' "$RS" > "$TMP/r.avsc"
	"$AVROKIT" fromjson --sync-marker "$SYNC" --schema "$RS" "$TMP/in.json" > "$TMP/a.avro"
	"$AVROKIT" fromjson --sync-marker "$SYNC" --schema-file "$TMP/r.avsc" "$TMP/in.json" > "$TMP/b.avro"
	"$AVROKIT" fromjson --sync-marker "$SYNC" -f "$TMP/r.avsc" "$TMP/in.json" > "$TMP/c.avro"
	"$AVROKIT" fromjson --sync-marker "$SYNC" --schema-file="$TMP/r.avsc" "$TMP/in.json" > "$TMP/d.avro"
	"$AVROKIT" fromjson --sync-marker "$SYNC" -s "$RS" "$TMP/in.json" > "$TMP/e.avro"
	cmp "$TMP/a.avro" "$TMP/b.avro"
	cmp "$TMP/a.avro" "$TMP/c.avro"
	cmp "$TMP/a.avro" "$TMP/d.avro"
	cmp "$TMP/a.avro" "$TMP/e.avro"
	expect_records "$TMP/b.avro" '{"a":1,"s":"x"}' '{"a":2,"s":"y"}'
}

@test "fromjson --schema-file: an indented schema file is stored compact, with the same meaning" {
	records '{"station":"X","time":1,"temp":2}'
	run_ak fromjson --schema-file "$DATA/weather.avsc" -o "$W/out.avro" "$TMP/in.json"
	expect_status 0
	expect_no_stderr
	expect_records "$W/out.avro" '{"station":"X","time":1,"temp":2}'
	# the schema file's text without its whitespace, keys in the file's order
	local want
	want='{"type":"record","name":"Weather","namespace":"test","doc":"Invented weather readings for the avrokit tests","fields":[{"name":"station","type":"string"},{"name":"time","type":"long","doc":"milliseconds since 1970-01-01T00:00:00Z"},{"name":"temp","type":"int","doc":"tenths of a degree Celsius"}]}'
	[[ "$("$AVROKIT" getschema --raw "$W/out.avro")" == "$want" ]] ||
		{ "$AVROKIT" getschema --raw "$W/out.avro" >&2; false; }
}

@test "fromjson with no FILE reads standard input" {
	records '{"a":1,"s":"x"}' '{"a":2,"s":"y"}'
	"$AVROKIT" fromjson --sync-marker "$SYNC" --schema "$RS" "$TMP/in.json" > "$TMP/file.avro"
	run_sh '"$AVROKIT" fromjson --sync-marker "$1" --schema "$2" < "$3" > "$4"' sh "$SYNC" "$RS" \
		"$TMP/in.json" "$TMP/stdin.avro"
	expect_status 0
	expect_no_stderr
	cmp "$TMP/file.avro" "$TMP/stdin.avro"
}

@test "fromjson - reads standard input, also from a pipe" {
	records '{"a":1,"s":"x"}' '{"a":2,"s":"y"}'
	"$AVROKIT" fromjson --sync-marker "$SYNC" --schema "$RS" "$TMP/in.json" > "$TMP/file.avro"
	run_sh 'cat "$3" | "$AVROKIT" fromjson --sync-marker "$1" --schema "$2" - > "$4"' sh "$SYNC" \
		"$RS" "$TMP/in.json" "$TMP/pipe.avro"
	expect_status 0
	expect_no_stderr
	cmp "$TMP/file.avro" "$TMP/pipe.avro"
}

@test "fromjson reads several FILEs in order into one file, - among them" {
	printf '%s\n' '{"a":1,"s":"f1"}' '{"a":2,"s":"f1"}' > "$TMP/1.json"
	printf '%s\n' '{"a":3,"s":"stdin"}' > "$TMP/2.json"
	printf '%s' '{"a":4,"s":"f3, no newline at the end"}' > "$TMP/3.json"
	: > "$TMP/empty.json"
	run_sh '"$AVROKIT" fromjson --schema "$1" -o "$2/out.avro" "$3/1.json" "$3/empty.json" - "$3/3.json" < "$3/2.json"' \
		sh "$RS" "$W" "$TMP"
	expect_status 0
	expect_no_stderr
	expect_no_output
	expect_records "$W/out.avro" '{"a":1,"s":"f1"}' '{"a":2,"s":"f1"}' '{"a":3,"s":"stdin"}' \
		'{"a":4,"s":"f3, no newline at the end"}'
	expect_dir "$W" out.avro
}

@test "fromjson reads values spread over lines: tojson --pretty output reads back" {
	"$AVROKIT" tojson --pretty "$DATA/weather.avro" > "$TMP/pretty.json"
	[[ "$(wc -l < "$TMP/pretty.json")" -gt 30 ]] # really spread over lines
	"$AVROKIT" fromjson --schema-file "$DATA/weather.avsc" "$TMP/pretty.json" > "$TMP/out.avro"
	"$AVROKIT" tojson "$TMP/out.avro" > "$TMP/out.json"
	cmp "$DATA/weather.json" "$TMP/out.json"
}

@test "fromjson reads hand-indented values, CRLF line ends and tabs" {
	printf '{\r\n\t"a" :\r\n  1 ,\r\n "s"\t: "x"\r\n}\r\n\r\n{"a"\n:\n2\n,\n"s"\n:\n"y"\n}' > "$TMP/in.json"
	run_ak fromjson --schema "$RS" -o "$W/out.avro" "$TMP/in.json"
	expect_status 0
	expect_no_stderr
	expect_records "$W/out.avro" '{"a":1,"s":"x"}' '{"a":2,"s":"y"}'
}

@test "fromjson reads several values on one line, with or without space between" {
	printf '%s\n' '{"a":1,"s":"x"}{"a":2,"s":"y"}   {"a":3,"s":"z"}' ' {"a":4,"s":"w"}	{"a":5,"s":"v"}' > "$TMP/in.json"
	run_ak fromjson --schema "$RS" -o "$W/out.avro" "$TMP/in.json"
	expect_status 0
	expect_no_stderr
	expect_records "$W/out.avro" '{"a":1,"s":"x"}' '{"a":2,"s":"y"}' '{"a":3,"s":"z"}' \
		'{"a":4,"s":"w"}' '{"a":5,"s":"v"}'
}

@test "fromjson with a non-record schema: numbers separated by any whitespace" {
	printf '1 -2\n3\t4\r\n  9223372036854775807 -9223372036854775808' > "$TMP/in.json"
	run_ak fromjson --schema '"long"' -o "$W/out.avro" "$TMP/in.json"
	expect_status 0
	expect_no_stderr
	expect_records "$W/out.avro" 1 -2 3 4 9223372036854775807 -9223372036854775808
}

@test "fromjson: the limits of int and long, and NaN/Infinity strings for float and double, read back" {
	local s='{"type":"record","name":"N","fields":[{"name":"i","type":"int"},{"name":"l","type":"long"},{"name":"f","type":"float"},{"name":"d","type":"double"}]}'
	records '{"i":2147483647,"l":9223372036854775807,"f":"NaN","d":"Infinity"}' \
		'{"i":-2147483648,"l":-9223372036854775808,"f":"-Infinity","d":"NaN"}' \
		'{"i":-0,"l":0,"f":1.5,"d":-0.0}' \
		'{"i":0,"l":9007199254740993,"f":3.4028235E38,"d":1.7976931348623157E308}'
	run_ak fromjson --schema "$s" -o "$W/out.avro" "$TMP/in.json"
	expect_status 0
	expect_no_stderr
	expect_records "$W/out.avro" \
		'{"i":2147483647,"l":9223372036854775807,"f":"NaN","d":"Infinity"}' \
		'{"i":-2147483648,"l":-9223372036854775808,"f":"-Infinity","d":"NaN"}' \
		'{"i":0,"l":0,"f":1.5,"d":-0.0}' \
		'{"i":0,"l":9007199254740993,"f":3.4028235E38,"d":1.7976931348623157E308}'
}

# ---- --array ----

@test "fromjson --array reads one JSON array of records" {
	printf '[{"a":1,"s":"x"},{"a":2,"s":"y"}]' > "$TMP/in.json"
	run_ak fromjson --array --schema "$RS" -o "$W/out.avro" "$TMP/in.json"
	expect_status 0
	expect_no_stderr
	expect_records "$W/out.avro" '{"a":1,"s":"x"}' '{"a":2,"s":"y"}'
	# -a is the same
	run_ak fromjson -a --schema "$RS" -o "$W/a.avro" "$TMP/in.json"
	expect_status 0
	expect_records "$W/a.avro" '{"a":1,"s":"x"}' '{"a":2,"s":"y"}'
}

@test "fromjson --array: whitespace around and inside the array, spread over lines" {
	printf ' \n\t[\n  {"a":1,"s":"x"}\n  ,\n  {\n"a":2,\n"s":"y"}\r\n ]  \n\n' > "$TMP/in.json"
	run_ak fromjson --array --schema "$RS" -o "$W/out.avro" "$TMP/in.json"
	expect_status 0
	expect_no_stderr
	expect_records "$W/out.avro" '{"a":1,"s":"x"}' '{"a":2,"s":"y"}'
}

@test "fromjson --array: an empty array gives a valid file with 0 records" {
	local input
	for input in '[]' ' [ ] ' $'\n[\n]\n' $'\t[\r\n\t]\r\n'; do
		printf '%s' "$input" > "$TMP/in.json"
		run_ak fromjson --array --schema "$RS" -o "$W/out.avro" "$TMP/in.json"
		expect_status 0
		expect_no_stderr
		[[ "$("$AVROKIT" count "$W/out.avro")" == 0 ]] || ak_show "count of an empty array"
		[[ -z "$("$AVROKIT" tojson "$W/out.avro")" ]]
		[[ "$("$AVROKIT" getschema --raw "$W/out.avro")" == "$RS" ]]
	done
}

@test "fromjson --array: several arrays on standard input and in files, one per input" {
	printf '[{"a":1,"s":"x"}]\n' > "$TMP/1.json"
	printf '[]' > "$TMP/2.json"
	printf '[{"a":2,"s":"y"},{"a":3,"s":"z"}]' > "$TMP/3.json"
	run_sh '"$AVROKIT" fromjson --array --schema "$1" -o "$2/out.avro" "$3/1.json" "$3/2.json" - < "$3/3.json"' \
		sh "$RS" "$W" "$TMP"
	expect_status 0
	expect_no_stderr
	expect_records "$W/out.avro" '{"a":1,"s":"x"}' '{"a":2,"s":"y"}' '{"a":3,"s":"z"}'
}

@test "fromjson --array: no closing bracket is an error with its position" {
	printf '[{"a":1,"s":"x"},' > "$TMP/in.json"
	run_ak fromjson --array --schema "$RS" -o "$W/out.avro" "$TMP/in.json"
	expect_status 1
	expect_stderr_is "avrokit fromjson: $TMP/in.json:1:18: the input ends inside the array (no closing ']')"
	expect_dir "$W"
	printf '[{"a":1,"s":"x"}\n' > "$TMP/in.json"
	run_ak fromjson --array --schema "$RS" -o "$W/out.avro" "$TMP/in.json"
	expect_status 1
	expect_stderr_is "avrokit fromjson: $TMP/in.json:2:1: the input ends inside the array (no closing ']')"
	expect_dir "$W"
}

@test "fromjson --array: trailing garbage after the array is an error" {
	printf '[{"a":1,"s":"x"}]\n x' > "$TMP/in.json"
	run_ak fromjson --array --schema "$RS" -o "$W/out.avro" "$TMP/in.json"
	expect_status 1
	expect_stderr_is "avrokit fromjson: $TMP/in.json:2:2: unexpected invalid JSON after the array"
	expect_dir "$W"
	printf '[] []' > "$TMP/in.json"
	run_ak fromjson --array --schema "$RS" -o "$W/out.avro" "$TMP/in.json"
	expect_status 1
	expect_stderr_is "avrokit fromjson: $TMP/in.json:1:4: unexpected array after the array"
	printf '[{"a":1,"s":"x"}] {"a":2,"s":"y"}' > "$TMP/in.json"
	run_ak fromjson --array --schema "$RS" -o "$W/out.avro" "$TMP/in.json"
	expect_status 1
	expect_stderr_is "avrokit fromjson: $TMP/in.json:1:19: unexpected object after the array"
	expect_dir "$W"
}

@test "fromjson --array: input that is not an array is an error" {
	records '{"a":1,"s":"x"}'
	run_ak fromjson --array --schema "$RS" -o "$W/out.avro" "$TMP/in.json"
	expect_status 1
	expect_stderr_is "avrokit fromjson: $TMP/in.json:1:1: with --array the input must be one JSON array, got object"
	printf '  \n  "x"' > "$TMP/in.json"
	run_ak fromjson --array --schema "$RS" -o "$W/out.avro" "$TMP/in.json"
	expect_status 1
	expect_stderr_is "avrokit fromjson: $TMP/in.json:2:3: with --array the input must be one JSON array, got string"
	: > "$TMP/in.json"
	run_ak fromjson --array --schema "$RS" -o "$W/out.avro" "$TMP/in.json"
	expect_status 1
	expect_stderr_is "avrokit fromjson: $TMP/in.json:1:1: with --array the input must be one JSON array, got end of input"
	expect_dir "$W"
}

@test "fromjson --array: a missing comma and a trailing comma in the array are errors" {
	printf '[{"a":1,"s":"x"} {"a":2,"s":"y"}]' > "$TMP/in.json"
	run_ak fromjson -o "$W/out.avro" --array --schema "$RS" "$TMP/in.json"
	expect_status 1
	expect_stderr_is "avrokit fromjson: $TMP/in.json:1:18: invalid JSON: expected ',' or ']' in the array, got object"
	printf '[{"a":1,"s":"x"},]' > "$TMP/in.json"
	run_ak fromjson -o "$W/out.avro" --array --schema "$RS" "$TMP/in.json"
	expect_status 1
	expect_stderr_is "avrokit fromjson: $TMP/in.json:1:18: expected record R, got ']'"
}

@test "fromjson without --array takes an array as a value of the schema, not as records" {
	printf '[{"a":1,"s":"x"}]' > "$TMP/in.json"
	run_ak fromjson -o "$W/out.avro" --schema "$RS" "$TMP/in.json"
	expect_status 1
	expect_stderr_is "avrokit fromjson: $TMP/in.json:1:1: expected record R, got array (the input is a JSON array: --array reads its elements as the records)"
	# with an array schema, it is one record
	run_ak fromjson --schema "{\"type\":\"array\",\"items\":$RS}" -o "$W/out.avro" "$TMP/in.json"
	expect_status 0
	expect_records "$W/out.avro" '[{"a":1,"s":"x"}]'
}

# ---- -o ----

@test "fromjson -o writes the file, prints nothing, leaves no temporary file" {
	records '{"a":1,"s":"x"}'
	run_ak fromjson --schema "$RS" -o "$W/out.avro" "$TMP/in.json"
	expect_status 0
	expect_no_output
	expect_no_stderr
	expect_dir "$W" out.avro
	expect_records "$W/out.avro" '{"a":1,"s":"x"}'
	# --output=FILE replaces an existing file on success
	records '{"a":2,"s":"y"}'
	run_ak fromjson --schema "$RS" --output="$W/out.avro" "$TMP/in.json"
	expect_status 0
	expect_dir "$W" out.avro
	expect_records "$W/out.avro" '{"a":2,"s":"y"}'
	# a name with no slash, in the current directory
	run_sh 'cd "$1" && "$AVROKIT" fromjson --schema "$2" -o here.avro "$3"' sh "$W" "$RS" "$TMP/in.json"
	expect_status 0
	expect_dir "$W" here.avro out.avro
	expect_records "$W/here.avro" '{"a":2,"s":"y"}'
}

@test "fromjson -o: a data error leaves no file at all when there was none" {
	records '{"a":1,"s":"x"}' '{"a":"bad","s":"x"}'
	run_ak fromjson --schema "$RS" -o "$W/out.avro" "$TMP/in.json"
	expect_status 1
	expect_stderr_is "avrokit fromjson: $TMP/in.json:2:6: field \"a\": expected int, got string"
	expect_dir "$W"
}

@test "fromjson -o: a failure leaves an existing file unchanged and no temporary file" {
	records '{"a":1,"s":"old"}'
	"$AVROKIT" fromjson --schema "$RS" -o "$W/out.avro" "$TMP/in.json"
	cp "$W/out.avro" "$TMP/before.avro"
	# a data error after a good record (in the second input)
	n_records 20000
	printf '{"a":1,"s":"x"}\n{"zz":1}\n' > "$TMP/bad.json"
	run_ak fromjson --schema "$RS" -o "$W/out.avro" "$TMP/n.json" "$TMP/bad.json"
	expect_status 1
	expect_stderr_is "avrokit fromjson: $TMP/bad.json:2:2: unknown field \"zz\" (record R has: a, s)"
	cmp "$TMP/before.avro" "$W/out.avro"
	expect_dir "$W" out.avro
	# a schema error
	run_ak fromjson --schema '{"type":"nope"}' -o "$W/out.avro" "$TMP/n.json"
	expect_status 1
	cmp "$TMP/before.avro" "$W/out.avro"
	# a missing input
	run_ak fromjson --schema "$RS" -o "$W/out.avro" "$TMP/n.json" "$TMP/missing.json"
	expect_status 1
	expect_stderr_is "avrokit fromjson: $TMP/missing.json: cannot open: No such file or directory"
	cmp "$TMP/before.avro" "$W/out.avro"
	# a usage error
	run_ak fromjson --schema "$RS" --codec nope -o "$W/out.avro" "$TMP/n.json"
	expect_status 2
	cmp "$TMP/before.avro" "$W/out.avro"
	expect_dir "$W" out.avro
	expect_records "$W/out.avro" '{"a":1,"s":"old"}'
}

@test "fromjson -o onto its own input is refused and the input is kept" {
	records '{"a":1,"s":"x"}'
	cp "$TMP/in.json" "$TMP/copy.json"
	run_ak fromjson --schema "$RS" -o "$TMP/in.json" "$TMP/in.json"
	expect_status 1
	expect_stderr "input $TMP/in.json is also the output"
	cmp "$TMP/copy.json" "$TMP/in.json"
}

@test "fromjson -o into a missing directory is an error naming the output" {
	records '{"a":1,"s":"x"}'
	run_ak fromjson --schema "$RS" -o "$TMP/no/such/dir/out.avro" "$TMP/in.json"
	expect_status 1
	expect_no_output
	expect_stderr "$TMP/no/such/dir/out.avro"
	[[ ! -e "$TMP/no" ]]
}

# =====================================================================================
# 2. round trip: tojson | fromjson | tojson = tojson
# =====================================================================================

# roundtrip FILE: (nothing when tojson cannot read FILE: returns 2)
roundtrip() {
	local f="$1" schema
	"$AVROKIT" tojson "$f" > "$TMP/want.json" 2> /dev/null || return 2
	if ! schema="$("$AVROKIT" getschema --raw "$f" 2> "$TMP/err")"; then
		problem "getschema --raw $f: $(cat "$TMP/err")"
		return 1
	fi
	if ! (set -o pipefail
		"$AVROKIT" tojson "$f" | "$AVROKIT" fromjson --schema "$schema" | "$AVROKIT" tojson > "$TMP/got.json"
	) 2> "$TMP/err"; then
		problem "$f: the round trip failed: $(head -c 400 "$TMP/err")"
		return 1
	fi
	[[ ! -s "$TMP/err" ]] || problem "$f: messages on stderr: $(head -c 400 "$TMP/err")"
	cmp -s "$TMP/want.json" "$TMP/got.json" ||
		problem "$f: tojson | fromjson | tojson differs from tojson: $(diff "$TMP/want.json" "$TMP/got.json" | head -n 4 | cut -c 1-200)"
}

@test "round trip: every corpus file tojson reads: tojson | fromjson --schema | tojson is the same" {
	[[ -d "$CORPUS" ]] || skip "corpus not found at $CORPUS (set AK_CORPUS)"
	local f n=0 rc
	while IFS= read -r -d '' f; do
		rc=0
		roundtrip "$f" || rc=$?
		[[ "$rc" -eq 2 ]] || n=$((n + 1))
	done < <(find "$CORPUS" -type f -name '*.avro' -print0 | LC_ALL=C sort -z)
	((n >= 20)) || problem "only $n corpus files were read by tojson"
	check_problems
}

@test "round trip: every tests/data file: tojson | fromjson --schema | tojson is the same" {
	local f n=0 rc
	for f in "$DATA"/*.avro; do
		rc=0
		roundtrip "$f" || rc=$?
		[[ "$rc" -ne 2 ]] || problem "$f: tojson cannot read it"
		n=$((n + 1))
	done
	((n >= 5)) || problem "only $n files in $DATA"
	check_problems
}

@test "round trip: the records of weather.avro, through fromjson, give the same blocks of data" {
	# same schema text, same codec, one block: the data block is byte-identical
	local schema
	schema="$("$AVROKIT" getschema --raw "$DATA/weather.avro")"
	"$AVROKIT" tojson "$DATA/weather.avro" | "$AVROKIT" fromjson --schema "$schema" > "$TMP/out.avro"
	[[ "$(block_counts "$TMP/out.avro")" == "10 " ]]
	local want got
	want="$("$AVROKIT" blocks --json "$DATA/weather.avro" | sed -n 's/.*"stored":\([0-9]*\),.*/\1/p')"
	got="$("$AVROKIT" blocks --json "$TMP/out.avro" | sed -n 's/.*"stored":\([0-9]*\),.*/\1/p')"
	[[ "$want" == "$got" ]] || { echo "stored sizes $want vs $got" >&2; false; }
	# the data of the one block ends 16 bytes (the sync marker) before the end of the file
	cmp <(tail -c $((want + 16)) "$DATA/weather.avro" | head -c "$want") \
		<(tail -c $((got + 16)) "$TMP/out.avro" | head -c "$got")
}

# =====================================================================================
# 3. defaults and field order
# =====================================================================================

DEF_SCHEMA='{"type":"record","name":"D","namespace":"t","fields":[
 {"name":"id","type":"int"},
 {"name":"n","type":"null","default":null},
 {"name":"b","type":"boolean","default":true},
 {"name":"i","type":"int","default":-7},
 {"name":"l","type":"long","default":9007199254740993},
 {"name":"f","type":"float","default":1.5},
 {"name":"d","type":"double","default":"NaN"},
 {"name":"d2","type":"double","default":-0.25},
 {"name":"by","type":"bytes","default":"\u00ff"},
 {"name":"by2","type":"bytes","default":"\u0000a\u00e9"},
 {"name":"s","type":"string","default":"h\u00e9llo \ud83d\ude00"},
 {"name":"e","type":{"type":"enum","name":"E","symbols":["X","Y","Z"]},"default":"Y"},
 {"name":"fx","type":{"type":"fixed","name":"F","size":3},"default":"\u0001\u00ff\u0000"},
 {"name":"arr","type":{"type":"array","items":"long"},"default":[1,-2,3]},
 {"name":"m","type":{"type":"map","values":"string"},"default":{"k":"v","a":"b"}},
 {"name":"r","type":{"type":"record","name":"Sub","fields":[{"name":"x","type":"int"},{"name":"y","type":["null","string"],"default":null}]},"default":{"x":42}},
 {"name":"u","type":["string","null"],"default":"first"},
 {"name":"un","type":["null","int"],"default":null},
 {"name":"ue","type":[{"type":"enum","name":"E2","symbols":["P","Q"]},"int"],"default":"Q"},
 {"name":"ur","type":[{"type":"record","name":"UR","fields":[{"name":"z","type":"long","default":5}]},"null"],"default":{}}
]}'

DEF_ALL='{"id":1,"n":null,"b":true,"i":-7,"l":9007199254740993,"f":1.5,"d":"NaN","d2":-0.25,"by":"\u00FF","by2":"\u0000a\u00E9","s":"héllo 😀","e":"Y","fx":"\u0001\u00FF\u0000","arr":[1,-2,3],"m":{"k":"v","a":"b"},"r":{"x":42,"y":null},"u":{"string":"first"},"un":null,"ue":{"t.E2":"Q"},"ur":{"t.UR":{"z":5}}}'

@test "defaults: a missing field takes its schema default, for every kind of type" {
	records '{"id":1}'
	run_ak fromjson --schema "$DEF_SCHEMA" -o "$W/out.avro" "$TMP/in.json"
	expect_status 0
	expect_no_stderr
	expect_records "$W/out.avro" "$DEF_ALL"
	# the defaults are the same bytes as the values written out in full
	printf '%s\n' "$DEF_ALL" > "$TMP/full.json"
	"$AVROKIT" fromjson --sync-marker "$SYNC" --schema "$DEF_SCHEMA" "$TMP/in.json" > "$TMP/a.avro"
	"$AVROKIT" fromjson --sync-marker "$SYNC" --schema "$DEF_SCHEMA" "$TMP/full.json" > "$TMP/b.avro"
	cmp "$TMP/a.avro" "$TMP/b.avro"
}

@test "defaults: given fields are kept, missing ones take defaults, record by record" {
	records '{"id":1,"i":5,"s":"given","un":{"int":3}}' '{"id":2}' '{"r":{"x":1,"y":{"string":"q"}},"id":3,"u":null,"ue":{"int":-1}}' \
		'{"id":4,"r":{"x":2}}'
	run_ak fromjson --schema "$DEF_SCHEMA" -o "$W/out.avro" "$TMP/in.json"
	expect_status 0
	expect_no_stderr
	"$AVROKIT" tojson "$W/out.avro" > "$TMP/out.json"
	[[ "$(wc -l < "$TMP/out.json")" -eq 4 ]]
	local l1 l2 l3 l4
	{ read -r l1; read -r l2; read -r l3; read -r l4; } < "$TMP/out.json"
	[[ "$l1" == '{"id":1,"n":null,"b":true,"i":5,'*'"s":"given",'*'"un":{"int":3},'* ]] || { echo "$l1" >&2; false; }
	[[ "$l2" == "${DEF_ALL/\"id\":1/\"id\":2}" ]] || { echo "$l2" >&2; false; }
	[[ "$l3" == '{"id":3,'*'"r":{"x":1,"y":{"string":"q"}},"u":null,"un":null,"ue":{"int":-1},"ur":{"t.UR":{"z":5}}}' ]] || { echo "$l3" >&2; false; }
	# a nested record's missing field takes its own default
	[[ "$l4" == *'"r":{"x":2,"y":null}'* ]] || { echo "$l4" >&2; false; }
}

@test "field order: fields in another order than the schema give the same file" {
	local in_order reversed shuffled
	in_order="$DEF_ALL"
	reversed='{"ur":{"t.UR":{"z":5}},"ue":{"t.E2":"Q"},"un":null,"u":{"string":"first"},"r":{"y":null,"x":42},"m":{"k":"v","a":"b"},"arr":[1,-2,3],"fx":"\u0001\u00FF\u0000","e":"Y","s":"héllo 😀","by2":"\u0000aé","by":"\u00FF","d2":-0.25,"d":"NaN","f":1.5,"l":9007199254740993,"i":-7,"b":true,"n":null,"id":1}'
	shuffled='{"s":"héllo 😀","id":1,"r":{"y":null,"x":42},"arr":[1,-2,3],"e":"Y"}'
	printf '%s\n' "$in_order" "$in_order" > "$TMP/a.json"
	printf '%s\n' "$reversed" "$shuffled" > "$TMP/b.json"
	run_ak fromjson --sync-marker "$SYNC" --schema "$DEF_SCHEMA" -o "$W/a.avro" "$TMP/a.json"
	expect_status 0
	run_ak fromjson --sync-marker "$SYNC" --schema "$DEF_SCHEMA" -o "$W/b.avro" "$TMP/b.json"
	expect_status 0
	expect_no_stderr
	cmp "$W/a.avro" "$W/b.avro"
	expect_records "$W/b.avro" "$DEF_ALL" "$DEF_ALL"
}

@test "field order: out-of-order fields in a small record, in nested records and in arrays of records" {
	local s='{"type":"record","name":"O","fields":[{"name":"a","type":"int"},{"name":"b","type":"string"},{"name":"kids","type":{"type":"array","items":{"type":"record","name":"K","fields":[{"name":"p","type":"long"},{"name":"q","type":"boolean"}]}}}]}'
	printf '%s\n' '{"a":1,"b":"x","kids":[{"p":1,"q":true},{"p":2,"q":false}]}' > "$TMP/a.json"
	printf '%s\n' '{"kids":[{"q":true,"p":1},{"q":false,"p":2}],"b":"x","a":1}' > "$TMP/b.json"
	"$AVROKIT" fromjson --sync-marker "$SYNC" --schema "$s" "$TMP/a.json" > "$TMP/a.avro"
	"$AVROKIT" fromjson --sync-marker "$SYNC" --schema "$s" "$TMP/b.json" > "$TMP/b.avro"
	cmp "$TMP/a.avro" "$TMP/b.avro"
	expect_records "$TMP/b.avro" '{"a":1,"b":"x","kids":[{"p":1,"q":true},{"p":2,"q":false}]}'
}

# =====================================================================================
# 4. errors
# =====================================================================================

@test "error: unknown field" {
	fj_error '{"req":1,"zz":1}' "1:10: unknown field \"zz\" (record ns.R has: $ES_FIELDS)"
	fj_error '{"req":1,"sub":{"zip":"1","extra":2}}' '1:27: field "sub": unknown field "extra" (record ns.Sub has: zip)'
}

@test "error: missing field without default (at the closing brace)" {
	fj_error '{"i":1}' '1:7: missing field "req" of record ns.R (it has no default)'
	fj_error $'{"req":1,\n "sub":{\n }}' '3:2: field "sub": missing field "zip" of record ns.Sub (it has no default)'
	fj_error '{"req":1,"u":{"ns.P":{}}}' '1:23: field "u": missing field "x" of record ns.P (it has no default)'
}

@test "error: type mismatch names the field path" {
	fj_error '{"req":1,"s":5}' '1:14: field "s": expected string, got number'
	fj_error $'{"req":1}\n{"req":2,\n   "s":true}' '3:8: field "s": expected string, got boolean'
	fj_error '{"req":1,"sub":{"zip":5}}' '1:23: field "sub.zip": expected string, got number'
	fj_error '{"req":1,"arr":[{"k":1},{"j":"x"}]}' '1:30: at arr[1]["j"]: expected int, got string'
	fj_error '{"req":1,"arr":[{"k":1},5]}' '1:25: field "arr[1]": expected map, got number'
	fj_error '{"req":1,"u":{"ns.P":{"x":"q"}}}' '1:27: field "u.x": expected int, got string'
	fj_error '{"req":"1"}' '1:8: field "req": expected int, got string'
	fj_error '{"req":1,"e":1}' '1:14: field "e": expected enum ns.E, got number'
	fj_error '{"req":1,"sub":[]}' '1:16: field "sub": expected record ns.Sub, got array'
	fj_error '[1]' '1:1: expected record ns.R, got array (the input is a JSON array: --array reads its elements as the records)'
	fj_error '"x"' '1:1: expected record ns.R, got string'
}

@test "error: int out of range" {
	fj_error '{"req":2147483648}' '1:8: field "req": 2147483648 is out of range for int'
	fj_error '{"req":1,"i":-2147483649}' '1:14: field "i": -2147483649 is out of range for int'
	fj_error '{"req":1,"i":99999999999999999999999}' '1:14: field "i": 99999999999999999999999 is out of range for int'
}

@test "error: long out of range" {
	fj_error '{"req":1,"l":9223372036854775808}' '1:14: field "l": 9223372036854775808 is out of range for long'
	fj_error '{"req":1,"l":-9223372036854775809}' '1:14: field "l": -9223372036854775809 is out of range for long'
}

@test "error: a non-integer number for int or long" {
	fj_error '{"req":1.5}' '1:8: field "req": expected int, got the non-integer number 1.5'
	fj_error '{"req":1,"i":1e2}' '1:14: field "i": expected int, got the non-integer number 1e2'
	fj_error '{"req":1,"l":1.0}' '1:14: field "l": expected long, got the non-integer number 1.0'
}

@test "error: a symbol that is not in the enum" {
	fj_error '{"req":1,"e":"C"}' '1:14: field "e": "C" is not a symbol of enum ns.E (symbols: A, B)'
	fj_error '{"req":1,"e":"a"}' '1:14: field "e": "a" is not a symbol of enum ns.E (symbols: A, B)'
}

@test "error: a fixed of the wrong size" {
	fj_error '{"req":1,"f":"abc"}' '1:14: field "f": fixed ns.F takes 2 bytes, got 3'
	fj_error '{"req":1,"f":"a"}' '1:14: field "f": fixed ns.F takes 2 bytes, got 1'
	fj_error '{"req":1,"f":""}' '1:14: field "f": fixed ns.F takes 2 bytes, got 0'
	# size counts code points (bytes), not UTF-8 bytes of the text
	records '{"req":1,"f":"\u00ff\u00e9"}' '{"req":1,"f":"ÿé"}'
	run_ak fromjson --schema-file "$ES" -o "$W/out.avro" "$TMP/in.json"
	expect_status 0
	[[ "$("$AVROKIT" tojson "$W/out.avro" | grep -c '"f":"\\u00FF\\u00E9"')" -eq 2 ]] ||
		{ "$AVROKIT" tojson "$W/out.avro" >&2; false; }
}

@test "error: bytes or fixed with a code point above U+00FF" {
	fj_error '{"req":1,"b":"a\u0100"}' '1:16: field "b": character U+0100 cannot be a byte: bytes and fixed values take U+0000 to U+00FF only'
	fj_error '{"req":1,"b":"ā"}' '1:15: field "b": character U+0101 cannot be a byte: bytes and fixed values take U+0000 to U+00FF only'
	fj_error '{"req":1,"f":"\ud83d\ude00"}' '1:15: field "f": character U+1F600 cannot be a byte: bytes and fixed values take U+0000 to U+00FF only'
}

@test "error: invalid UTF-8 raw bytes in the input" {
	fj_error $'{"req":1,"s":"\xff"}' '1:15: field "s": invalid UTF-8 in the input (byte 0xff)'
	fj_error $'{"req":1,"s":"ab\xc0\xaf"}' '1:17: field "s": invalid UTF-8 in the input (byte 0xc0)'
	fj_error_col $'{"req":1,"s":"\xc3"}' 'field "s": invalid UTF-8 in the input (truncated sequence)'
	fj_error_col $'{"req":1,"b":"\xe9x"}' 'field "b": invalid UTF-8 in the input (truncated sequence)'
	fj_error $'{"req":1,"s":"x"}\n{"req":2,"s":"\x80"}' '2:15: field "s": invalid UTF-8 in the input (byte 0x80)'
	fj_error_col $'{"req":1,"s":"\xed\xa0\x80"}' 'field "s": invalid UTF-8 in the input (overlong or out-of-range sequence)'
	fj_error_col $'{"req":1,"s":"\xf4\x90\x80\x80"}' 'field "s": invalid UTF-8 in the input (overlong or out-of-range sequence)'
	fj_error_col $'{"req":1,"s":"\xe0\x80\x80"}' 'field "s": invalid UTF-8 in the input (overlong or out-of-range sequence)'
}

@test "error: malformed JSON: missing comma, missing colon, missing brace" {
	fj_error '{"req":1 "s":"x"}' "1:10: invalid JSON: expected ',' or '}', got string"
	fj_error '{"req" 1}' "1:8: invalid JSON: expected ':', got number"
	fj_error '{"req":1,"arr":[{"k":1} {"k":2}]}' "1:25: field \"arr\": invalid JSON: expected ',' or ']', got object"
	fj_error '{"req":1' "1:9: invalid JSON: expected ',' or '}', got end of input"
	fj_error '{"req":1,}' "1:10: invalid JSON: expected a field name, got '}'"
	fj_error '{"req":1}x' "1:10: expected record ns.R, got the invalid JSON token 'x'"
	fj_error '{req:1}' "1:2: invalid JSON: expected a field name, got the invalid JSON token 'req'"
	fj_error '{"req":01}' '1:8: field "req": invalid JSON: malformed number'
	fj_error '{"req":-}' '1:8: field "req": invalid JSON: malformed number'
	fj_error '{"req":1,"b":tru}' "1:14: field \"b\": expected bytes, got the invalid JSON token 'tru'"
	fj_error '{"req":1,"n":nul}' "1:14: field \"n\": invalid JSON token 'nul'"
}

@test "error: malformed JSON: unterminated string" {
	fj_error '{"req":1,"s":"abc' '1:18: field "s": invalid JSON: the input ends inside a string'
	fj_error $'{"req":1,"s":"abc\n"}' '1:18: field "s": invalid JSON: control character 0x0a in a string (it must be escaped)'
	fj_error $'{"req":1,"s":"a\tb"}' '1:16: field "s": invalid JSON: control character 0x09 in a string (it must be escaped)'
	fj_error '{"req":1,"zz' '1:13: invalid JSON: the input ends inside a string'
}

@test "error: malformed JSON: bad escapes and lone surrogates (message)" {
	fj_error_col '{"req":1,"s":"\q"}' 'field "s": invalid JSON: bad escape in a string'
	fj_error_col '{"req":1,"s":"\x41"}' 'field "s": invalid JSON: bad escape in a string'
	fj_error_col '{"req":1,"s":"\u12G4"}' 'field "s": invalid JSON: bad \u escape in a string'
	fj_error_col '{"req":1,"s":"\udc00"}' 'field "s": invalid JSON: lone low surrogate \uDC00 in a string'
	fj_error_col '{"req":1,"s":"\ud800"}' 'field "s": invalid JSON: high surrogate \uD800 not followed by a low one'
	fj_error_col '{"req":1,"s":"\ud800\u0041"}' 'field "s": invalid JSON: high surrogate \uD800 not followed by a low one'
	fj_error_col '{"req":1,"b":"\udbff"}' 'field "b": invalid JSON: high surrogate \uDBFF not followed by a low one'
	# a good pair is fine
	records '{"req":1,"s":"\ud83d\ude00 \u00e9"}'
	run_ak fromjson --schema-file "$ES" -o "$W/out.avro" "$TMP/in.json"
	expect_status 0
	[[ "$("$AVROKIT" tojson "$W/out.avro")" == *'"s":"😀 é"'* ]]
}

@test "error: the column of a bad escape or a bad UTF-8 sequence points into it" {
	# a known bug: these columns point one byte past the offending text (at the closing quote
	# for "\q"), unlike control characters and bad UTF-8 lead bytes, which are pointed at
	# {"req":1,"s":"   is 14 bytes; the escape starts at column 15
	fj_column '{"req":1,"s":"\q"}' 15 16
	fj_column '{"req":1,"s":"\x41"}' 15 16
	fj_column '{"req":1,"s":"\u12G4"}' 15 19
	fj_column '{"req":1,"s":"\udc00"}' 15 20
	fj_column '{"req":1,"s":"\ud800"}' 15 21
	fj_column '{"req":1,"s":"\ud800\u0041"}' 15 26
	fj_column $'{"req":1,"s":"\xed\xa0\x80"}' 15 17
	fj_column $'{"req":1,"s":"\xc3"}' 15 16
	fj_column $'{"req":1,"b":"\xe9x"}' 15 17
}

@test "error: a union value naming no branch" {
	local hint='in Avro'"'"'s JSON encoding a union value is {"branch": value}, and fromjson --plain reads it without the wrapper'
	fj_error '{"req":1,"u":{"nope":5}}' "1:15: field \"u\": the union has no branch \"nope\" (branches: null, string, ns.P; $hint)"
	fj_error '{"req":1,"u":{"null":null}}' "1:15: field \"u\": the union has no branch \"null\" (branches: null, string, ns.P; $hint)"
	fj_error '{"req":1,"v":{"long":5}}' "1:15: field \"v\": the union has no branch \"long\" (branches: int, string; $hint)"
	fj_error '{"req":1,"u":{}}' '1:15: field "u": a union value must be {"branch": value} with exactly one key'
	fj_error '{"req":1,"u":{"string":"a","null":null}}' '1:27: field "u": a union value must be {"branch": value} with exactly one key'
	fj_error '{"req":1,"u":{"string":5}}' '1:24: field "u": expected string, got number'
}

@test "error: a union value that is a bare number or string" {
	fj_error '{"req":1,"u":5}' '1:14: field "u": expected a union value ({"branch": value} or null), got number (fromjson --plain reads union values without the wrapper)'
	fj_error '{"req":1,"v":5}' '1:14: field "v": expected a union value ({"branch": value} or null), got number (fromjson --plain reads union values without the wrapper)'
	fj_error '{"req":1,"u":"s"}' '1:14: field "u": expected a union value ({"branch": value} or null), got string (fromjson --plain reads union values without the wrapper)'
}

@test "error: null for a union without null" {
	fj_error '{"req":1,"v":null}' '1:14: field "v": null is not allowed: the union has no null branch (branches: int, string)'
}

@test "error: a value for a null field that is not null" {
	fj_error '{"req":1,"n":0}' '1:14: field "n": expected null, got number'
	fj_error '{"req":1,"n":"null"}' '1:14: field "n": expected null, got string'
	fj_error '{"req":1,"n":{}}' '1:14: field "n": expected null, got object'
}

@test "error: a duplicate field" {
	fj_error '{"req":1,"req":2}' '1:10: field "req" appears twice'
	fj_error '{"req":1,"s":"a","i":1,"s":"b"}' '1:24: field "s" appears twice'
	fj_error '{"req":1,"sub":{"zip":"1","zip":"2"}}' '1:27: field "sub": field "zip" appears twice'
}

@test "error: NaN and Infinity: other spellings are refused" {
	# the bare NaN, Infinity and -Infinity that Python's json writes are accepted (see
	# tests/cli/jsoninput.bats); other words are not
	fj_error '{"req":1,"d":nan}' "1:14: field \"d\": expected double, got the invalid JSON token 'nan'"
	fj_error '{"req":1,"d":Inf}' "1:14: field \"d\": invalid JSON token 'Inf'"
	fj_error '{"req":1,"d":-inf}' "1:14: field \"d\": invalid JSON: malformed number"
	fj_error '{"req":1,"d":"nan"}' '1:14: field "d": expected double, got a string (only "NaN", "Infinity" and "-Infinity" are allowed)'
	fj_error '{"req":1,"d":1e400}' '1:14: field "d": 1e400 is out of range for double'
}

# deep N: a record of the recursive schema NS nested N deep, on one line
NS='{"type":"record","name":"N","fields":[{"name":"next","type":["null","N"]}]}'
deep() {
	awk -v n="$1" 'BEGIN {
		for (k = 1; k < n; k++) printf "{\"next\":{\"N\":"
		printf "{\"next\":null}"
		for (k = 1; k < n; k++) printf "}}"
		printf "\n" }'
}

@test "error: nesting deeper than the limit (1000 levels) fails cleanly; 1000 levels are fine" {
	# each record level is two levels of nesting (the record and its union)
	deep 500 > "$TMP/500.json"
	run_ak fromjson --schema "$NS" -o "$W/out.avro" "$TMP/500.json"
	expect_status 0
	expect_no_stderr
	"$AVROKIT" tojson "$W/out.avro" | cmp "$TMP/500.json" -
	deep 501 > "$TMP/in.json"
	run_ak fromjson --schema "$NS" -o "$W/deep.avro" "$TMP/in.json"
	expect_status 1
	expect_no_output
	[[ "$stderr" == "avrokit fromjson: $TMP/in.json:1:"[0-9]*': field "'*'.next.next.next": value nested deeper than 1000 levels' ]] ||
		ak_show "the depth message"
	[[ "$stderr" != *$'\n'* ]] || ak_show "one line"
	((${#stderr} < 1200)) || ak_show "a short message"
	[[ ! -e "$W/deep.avro" ]]
	# far deeper: no crash, the same message
	deep 100000 > "$TMP/in.json"
	run_ak fromjson -o "$W/out.avro" --schema "$NS" "$TMP/in.json"
	expect_status 1
	expect_stderr "value nested deeper than 1000 levels"
}

@test "error: the column of a too-deep value is where that value starts" {
	deep 501 > "$TMP/in.json"
	# 500 levels of {"next":{"N": (13 bytes), then {"next": (8 bytes): the value at 6509
	run_ak fromjson -o "$W/out.avro" --schema "$NS" "$TMP/in.json"
	expect_status 1
	[[ "$stderr" == "avrokit fromjson: $TMP/in.json:1:6509: "* ]] || ak_show "column 6509"
}

@test "error: an empty input gives a valid file with 0 records (exit 0)" {
	local input
	for input in '' ' ' $'\n\n' $' \t\r\n '; do
		printf '%s' "$input" > "$TMP/in.json"
		run_ak fromjson --schema-file "$ES" -o "$W/out.avro" "$TMP/in.json"
		expect_status 0
		expect_no_stderr
		[[ "$("$AVROKIT" count "$W/out.avro")" == 0 ]]
		[[ -z "$("$AVROKIT" tojson "$W/out.avro")" ]]
		[[ "$("$AVROKIT" getschema --compact "$W/out.avro")" == *'"name":"ns.R"'* || \
			"$("$AVROKIT" getschema --compact "$W/out.avro")" == *'"namespace":"ns"'* ]]
	done
	# from standard input too, and with a codec
	run_sh '"$AVROKIT" fromjson -c deflate --schema "$1" < /dev/null > "$2"' sh "$RS" "$W/stdin.avro"
	expect_status 0
	[[ "$("$AVROKIT" count "$W/stdin.avro")" == 0 ]]
	[[ "$("$AVROKIT" getmeta --key avro.codec "$W/stdin.avro")" == deflate ]]
}

@test "error: a schema error in --schema-file names the file; exit 1; no output file" {
	printf '%s\n' '{"type":"record","name":"R","fields":[{"name":"a","type":"nope"}]}' > "$TMP/bad.avsc"
	records '{"a":1}'
	run_ak fromjson --schema-file "$TMP/bad.avsc" -o "$W/out.avro" "$TMP/in.json"
	expect_status 1
	expect_no_output
	expect_stderr_is "avrokit fromjson: $TMP/bad.avsc: fields[0].type: unknown type \"nope\""
	expect_dir "$W"
	printf '{"type":"record","name":"R","fields":[\n' > "$TMP/bad.avsc"
	run_ak fromjson --schema-file "$TMP/bad.avsc" -o "$W/out.avro" "$TMP/in.json"
	expect_data_error fromjson "$TMP/bad.avsc" "not valid JSON"
	expect_dir "$W"
	printf '%s' '{"type":"record","name":"R","fields":[{"name":"a","type":"int","default":"x"}]}' > "$TMP/bad.avsc"
	run_ak fromjson --schema-file "$TMP/bad.avsc" -o "$W/out.avro" "$TMP/in.json"
	expect_data_error fromjson "$TMP/bad.avsc" 'fields[0]' 'default "x" of field "a" does not fit its type int'
	run_ak fromjson --schema-file "$TMP/missing.avsc" -o "$W/out.avro" "$TMP/in.json"
	expect_data_error fromjson "$TMP/missing.avsc" "cannot open: No such file or directory"
	: > "$TMP/empty.avsc"
	run_ak fromjson --schema-file "$TMP/empty.avsc" -o "$W/out.avro" "$TMP/in.json"
	expect_data_error fromjson "$TMP/empty.avsc"
	expect_dir "$W"
}

@test "error: a schema error in --schema is reported as --schema" {
	records '{"a":1}'
	run_ak fromjson --schema '{"type":"record","name":"R","fields":[{"name":"a","type":"int","default":"x"}]}' "$TMP/in.json"
	expect_data_error fromjson "--schema" 'fields[0]: default "x" of field "a" does not fit its type int'
	run_ak fromjson --schema 'not json' "$TMP/in.json"
	expect_data_error fromjson "--schema" "not valid JSON"
}

@test "error: --schema and --schema-file together, or neither, is a usage error" {
	records '{"a":1,"s":"x"}'
	printf '%s\n' "$RS" > "$TMP/r.avsc"
	run_ak fromjson --schema "$RS" --schema-file "$TMP/r.avsc" -o "$W/out.avro" "$TMP/in.json"
	expect_usage_error fromjson "give the schema with exactly one of --schema and --schema-file"
	run_ak fromjson -o "$W/out.avro" "$TMP/in.json"
	expect_usage_error fromjson "give the schema with exactly one of --schema and --schema-file"
	expect_dir "$W"
}

@test "error: bad options are usage errors" {
	records '{"a":1,"s":"x"}'
	run_ak fromjson --bogus --schema "$RS" "$TMP/in.json"
	expect_usage_error fromjson "--bogus"
	run_ak fromjson --schema
	expect_usage_error fromjson "needs an argument"
	run_ak fromjson --codec
	expect_usage_error fromjson "needs an argument"
	run_ak fromjson --schema "$RS" --array=yes "$TMP/in.json"
	expect_usage_error fromjson
	run_ak fromjson --schema "$RS" -o
	expect_usage_error fromjson
}

@test "error: a long option without its argument, or with one it does not take, is named as typed" {
	run_ak fromjson --schema
	expect_usage_error fromjson "option '--schema' needs an argument"
	run_ak fromjson --schema-file
	expect_usage_error fromjson "option '--schema-file' needs an argument"
	records '{"a":1,"s":"x"}'
	run_ak fromjson --schema "$RS" --array=yes "$TMP/in.json"
	expect_usage_error fromjson "'--array'"
}

@test "error: fromjson --help prints the usage and exits 0" {
	run_ak fromjson --help
	expect_status 0
	expect_no_stderr
	[[ "$output" == "Usage: avrokit fromjson "* ]]
	local opt
	for opt in --schema --schema-file --codec --level --block-size --meta --output --array --sync-marker; do
		[[ "$output" == *"$opt"* ]] || ak_show "--help lacks $opt"
	done
}

@test "error: a bad record in the second input names that input and its own line" {
	printf '%s\n' '{"req":1}' '{"req":2}' > "$TMP/1.json"
	printf '%s\n' '{"req":3}' '' '  {"req":4,"e":"Q"}' > "$TMP/2.json"
	run_ak fromjson --schema-file "$ES" -o "$W/out.avro" "$TMP/1.json" "$TMP/2.json"
	expect_status 1
	expect_stderr_is "avrokit fromjson: $TMP/2.json:3:16: field \"e\": \"Q\" is not a symbol of enum ns.E (symbols: A, B)"
	expect_dir "$W"
	# from standard input
	run_sh '"$AVROKIT" fromjson --schema-file "$1" "$2" - < "$3" > /dev/null' sh "$ES" "$TMP/1.json" "$TMP/2.json"
	expect_status 1
	expect_stderr_is 'avrokit fromjson: (standard input):3:16: field "e": "Q" is not a symbol of enum ns.E (symbols: A, B)'
}

@test "error: line and column are right far into a big input (past the read buffer)" {
	awk 'BEGIN { for (k = 0; k < 30000; k++) {
		y = ""; for (i = 0; i < k % 13; i++) y = y "y"
		printf "{\"a\":%d,\"s\":\"%s\"}\n", k, y } }' > "$TMP/big.json"
	printf '   {"a":1,"s":"x", "zz": 1}\n' >> "$TMP/big.json"
	(($(stat -c %s "$TMP/big.json") > 600000))
	run_ak fromjson --schema "$RS" -o "$W/out.avro" "$TMP/big.json"
	expect_status 1
	expect_stderr_is "avrokit fromjson: $TMP/big.json:30001:20: unknown field \"zz\" (record R has: a, s)"
	run_sh '"$AVROKIT" fromjson --schema "$1" < "$2" > /dev/null' sh "$RS" "$TMP/big.json"
	expect_status 1
	expect_stderr_is "avrokit fromjson: (standard input):30001:20: unknown field \"zz\" (record R has: a, s)"
	# a 300000-byte line: the column counts every byte of it
	{
		printf '{"a":1,"s":"x"}\n{"a":2,"s":"'
		printf '%*s' 300000 '' | tr ' ' z
		printf '","a":3}\n'
	} > "$TMP/long.json"
	run_ak fromjson -o "$W/out.avro" --schema "$RS" "$TMP/long.json"
	expect_status 1
	expect_stderr_is "avrokit fromjson: $TMP/long.json:2:300015: field \"a\" appears twice"
	expect_dir "$W"
}

# ---- plain JSON ----

PLAIN_S='{"type":"record","name":"P","namespace":"ex","fields":[
{"name":"d","type":{"type":"int","logicalType":"date"}},
{"name":"ts","type":{"type":"long","logicalType":"timestamp-millis"}},
{"name":"lt","type":{"type":"long","logicalType":"local-timestamp-micros"}},
{"name":"t","type":{"type":"int","logicalType":"time-millis"}},
{"name":"dec","type":{"type":"bytes","logicalType":"decimal","precision":9,"scale":2}},
{"name":"decf","type":{"type":"fixed","name":"DF","size":3,"logicalType":"decimal","precision":6,"scale":1}},
{"name":"uf","type":{"type":"fixed","name":"UF","size":16,"logicalType":"uuid"}},
{"name":"dur","type":{"type":"fixed","name":"DU","size":12,"logicalType":"duration"}},
{"name":"n","type":["null","int","string"]},
{"name":"x","type":["long","double"]},
{"name":"e","type":["null",{"type":"enum","name":"E","symbols":["A","B"]}]},
{"name":"r","type":["null",{"type":"record","name":"In","fields":[{"name":"v","type":"int"}]}]},
{"name":"b","type":"bytes","default":""}]}'

@test "fromjson --plain: readable forms and unwrapped unions, checked through tojson" {
	printf '%s\n' '{"d":"2024-06-06","ts":"2024-06-06T16:25:27.447+02:00","lt":"1970-01-01T00:00:00.000001","t":"14:26:40.123","dec":"-1.23","decf":-0.5,"uf":"00010203-0405-0607-0809-0a0b0c0d0e0f","dur":{"months":1,"days":2,"milliseconds":3},"n":7,"x":1.5,"e":"B","r":{"v":1}}' \
		'{"d":19880,"ts":1717683927447,"lt":1,"t":52000123,"dec":"0","decf":"12345.6","uf":"FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF","dur":{"days":0,"milliseconds":0,"months":0},"n":"s","x":9007199254740993,"e":null,"r":null,"b":"\u00ff"}' > "$W/p.json"
	run_ak fromjson --plain --schema "$PLAIN_S" --sync-marker 000102030405060708090a0b0c0d0e0f -o "$W/p.avro" "$W/p.json"
	expect_status 0
	expect_no_stderr
	run_ak tojson "$W/p.avro"
	expect_status 0
	expect_output_is '{"d":19880,"ts":1717683927447,"lt":1,"t":52000123,"dec":"\u0085","decf":"\u00FF\u00FF\u00FB","uf":"\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000B\f\r\u000E\u000F","dur":"\u0001\u0000\u0000\u0000\u0002\u0000\u0000\u0000\u0003\u0000\u0000\u0000","n":{"int":7},"x":{"double":1.5},"e":{"ex.E":"B"},"r":{"ex.In":{"v":1}},"b":""}
{"d":19880,"ts":1717683927447,"lt":1,"t":52000123,"dec":"\u0000","decf":"\u0001\u00E2@","uf":"\u00FF\u00FF\u00FF\u00FF\u00FF\u00FF\u00FF\u00FF\u00FF\u00FF\u00FF\u00FF\u00FF\u00FF\u00FF\u00FF","dur":"\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000","n":{"string":"s"},"x":{"long":9007199254740993},"e":null,"r":null,"b":"\u00FF"}'
}

@test "fromjson --plain: tojson --plain output reads back to the same records" {
	printf '%s\n' '{"d":1,"ts":-1,"lt":0,"t":0,"dec":"\u00ff","decf":"\u0000\u0000\u0001","uf":"abcdefghijklmnop","dur":"abcdefghijkl","n":null,"x":{"long":5},"e":{"ex.E":"A"},"r":{"ex.In":{"v":-3}},"b":"\u0000"}' > "$W/a.json"
	"$AVROKIT" fromjson --schema "$PLAIN_S" -o "$W/a.avro" "$W/a.json"
	for bytes in codepoints base64 hex; do
		run_sh '"$AVROKIT" tojson --plain --bytes "$1" "$2" | "$AVROKIT" fromjson --plain --bytes "$1" --schema "$3" | "$AVROKIT" tojson' x "$bytes" "$W/a.avro" "$PLAIN_S"
		expect_status 0
		expect_output_is "$("$AVROKIT" tojson "$W/a.avro")"
	done
}

@test "fromjson --plain: a string two branches could take is reported as ambiguous" {
	local s='{"type":"record","name":"R","fields":[{"name":"u","type":["string",{"type":"long","logicalType":"timestamp-millis"}]}]}'
	printf '{"u":"2024-06-06T14:25:27.447Z"}\n' > "$W/amb.json"
	run_ak fromjson --plain --schema "$s" -o "$W/amb.avro" "$W/amb.json"
	expect_status 1
	expect_stderr '1:6: field "u": ambiguous: the string "2024-06-06T14:25:27.447Z" could be the union'"'"'s string or timestamp-millis'
	[[ ! -e "$W/amb.avro" ]] || ak_show "no output file on error"
	printf '{"u":"hello"}\n' | "$AVROKIT" fromjson --plain --schema "$s" | "$AVROKIT" tojson > "$W/ok.json"
	[[ "$(cat "$W/ok.json")" == '{"u":{"string":"hello"}}' ]] || ak_show "a plain string is not ambiguous"
}

@test "fromjson --plain: errors name the field and the form expected" {
	local s='{"type":"record","name":"R","fields":[{"name":"d","type":{"type":"int","logicalType":"date"}},{"name":"dec","type":{"type":"bytes","logicalType":"decimal","precision":4,"scale":1}},{"name":"r","type":["null",{"type":"record","name":"A","fields":[]},{"type":"map","values":"int"}]}]}'
	printf '{"d":"2024-02-30","dec":"1","r":null}\n' > "$W/e1.json"
	run_ak fromjson --plain --schema "$s" "$W/e1.json"
	expect_status 1
	expect_stderr '1:6: field "d": expected int: "2024-02-30" is not a date (YYYY-MM-DD)'
	printf '{"d":"2024-02-29","dec":"1.25","r":null}\n' > "$W/e2.json"
	run_ak fromjson --plain --schema "$s" "$W/e2.json"
	expect_status 1
	expect_stderr 'field "dec": expected bytes: "1.25" is more fraction digits than the decimal'"'"'s scale'
	printf '{"d":"2024-02-29","dec":"1.2","r":{}}\n' > "$W/e3.json"
	run_ak fromjson --plain --schema "$s" "$W/e3.json"
	expect_status 1
	# {} fits the empty record A and the map alike
	expect_stderr 'field "r": ambiguous: the object fits both the union'"'"'s A and its map (write {"A": {...}} or {"map": {...}} to choose)'
}

@test "fromjson --ignore-unknown-fields skips fields the record does not have" {
	local s='{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}'
	printf '{"a":1,"zz":{"deep":[1,2,{"x":null}]},"yy":"s"}\n' > "$W/u.json"
	run_ak fromjson --schema "$s" "$W/u.json"
	expect_status 1
	expect_stderr 'unknown field "zz"'
	run_sh '"$AVROKIT" fromjson --ignore-unknown-fields --schema "$1" "$2" | "$AVROKIT" tojson' x "$s" "$W/u.json"
	expect_status 0
	expect_output_is '{"a":1}'
}

@test "fromjson --bytes without --plain, or a bad form, is a usage error" {
	run_ak fromjson --bytes hex --schema '"bytes"' /dev/null
	expect_usage_error fromjson "--bytes"
	run_ak fromjson --plain --bytes b32 --schema '"bytes"' /dev/null
	expect_usage_error fromjson "--bytes"
}

@test "plain round trip: every corpus and test file, tojson --plain | fromjson --plain gives the same records" {
	local f n=0 s
	for f in "$DATA"/*.avro $(find "$AK_CORPUS" -name '*.avro' -type f 2>/dev/null | sort); do
		"$AVROKIT" tojson "$f" > "$W/want.json" 2>/dev/null || continue
		s="$("$AVROKIT" getschema --raw "$f")"
		run_sh '"$AVROKIT" tojson --plain "$1" | "$AVROKIT" fromjson --plain --schema "$2" | "$AVROKIT" tojson' x "$f" "$s"
		expect_status 0
		expect_output_file "$W/want.json"
		n=$((n + 1))
	done
	((n >= 6)) || ak_show "expected at least the test data files, got $n"
}

# Edges of the readable forms, each value worked out by hand, in both directions.
@test "plain edges: epoch, before 1970, leap days, year 9999, decimals at their limits" {
	local s='{"type":"record","name":"E","fields":[
	{"name":"d","type":{"type":"int","logicalType":"date"}},
	{"name":"ts","type":{"type":"long","logicalType":"timestamp-micros"}},
	{"name":"dec","type":{"type":"bytes","logicalType":"decimal","precision":20,"scale":0}},
	{"name":"f2","type":{"type":"fixed","name":"F2","size":2,"logicalType":"decimal","precision":4,"scale":2}}]}'
	# days: 0 = 1970-01-01; -1 = 1969-12-31; 19782 = 2024-02-29; -25508 = 1900-03-01 (1900 is not
	# leap: 1900-02-28 is -25509); 2932896 = 9999-12-31.
	# f2: 2 bytes hold -32768..32767, so precision 4 (9999) fits: 99.99 = 0x270f, -99.99 = 0xd8f1
	# dec: -12345678901234567890 = 0xff54ab567314e0f52e (9 bytes: 8 would read as positive)
	printf '%s\n' \
		'{"d":"1970-01-01","ts":"1970-01-01T00:00:00.000000Z","dec":"0","f2":"0.00"}' \
		'{"d":"1969-12-31","ts":"1969-12-31T23:59:59.999999Z","dec":"-1","f2":"-0.01"}' \
		'{"d":"2024-02-29","ts":"2024-02-29T12:00:00.000001Z","dec":"-12345678901234567890","f2":"99.99"}' \
		'{"d":"1900-03-01","ts":"1900-02-28T00:00:00.000000Z","dec":"255","f2":"-99.99"}' \
		'{"d":"9999-12-31","ts":"9999-12-31T23:59:59.999999Z","dec":"128","f2":"-0.50"}' > "$W/edge.json"
	run_sh '"$AVROKIT" fromjson --plain --schema "$1" "$2" | "$AVROKIT" tojson' x "$s" "$W/edge.json"
	expect_status 0
	expect_output_is '{"d":0,"ts":0,"dec":"\u0000","f2":"\u0000\u0000"}
{"d":-1,"ts":-1,"dec":"\u00FF","f2":"\u00FF\u00FF"}
{"d":19782,"ts":1709208000000001,"dec":"\u00FFT\u00ABVs\u0014\u00E0\u00F5.","f2":"'"'"'\u000F"}
{"d":-25508,"ts":-2203977600000000,"dec":"\u0000\u00FF","f2":"\u00D8\u00F1"}
{"d":2932896,"ts":253402300799999999,"dec":"\u0000\u0080","f2":"\u00FF\u00CE"}'
	# and back to the same text
	run_sh '"$AVROKIT" fromjson --plain --schema "$1" "$2" | "$AVROKIT" tojson --plain' x "$s" "$W/edge.json"
	expect_status 0
	expect_output_file "$W/edge.json"
	# one step past the limits
	printf '{"d":"2023-02-29","ts":0,"dec":"0","f2":"0"}\n' > "$W/bad1.json"
	run_ak fromjson --plain --schema "$s" "$W/bad1.json"
	expect_status 1
	expect_stderr 'field "d": expected int: "2023-02-29" is not a date'
	printf '{"d":0,"ts":0,"dec":"0","f2":"327.68"}\n' > "$W/bad2.json"
	run_ak fromjson --plain --schema "$s" "$W/bad2.json"
	expect_status 1
	expect_stderr 'field "f2": expected fixed F2: "327.68" is a decimal too large for its type'
	printf '{"d":0,"ts":0,"dec":"1.5","f2":"0"}\n' > "$W/bad3.json"
	run_ak fromjson --plain --schema "$s" "$W/bad3.json"
	expect_status 1
	expect_stderr "field \"dec\": expected bytes: \"1.5\" is more fraction digits than the decimal's scale"
}

@test "fromjson: --schema-file takes a data file too, and stores its schema (names, docs kept)" {
	run_ak fromjson --schema-file "$DATA/weather.avro" -o "$TMP/w.avro" "$DATA/weather.json"
	expect_status 0
	run_ak tojson "$TMP/w.avro"
	expect_output_file "$DATA/weather.json"
	run_ak getschema "$TMP/w.avro"
	expect_output_is "$("$AVROKIT" getschema "$DATA/weather.avro")"
	# from standard input, the records then come from a file
	run_sh '"$AVROKIT" fromjson --schema-file - "$DATA/weather.json" < "$DATA/weather.avro" |
		"$AVROKIT" tojson'
	expect_status 0
	expect_output_file "$DATA/weather.json"
	# a data file cut inside its header is an error naming it
	head -c 100 "$DATA/weather.avro" > "$TMP/cut.avro"
	run_ak fromjson --schema-file "$TMP/cut.avro" "$DATA/weather.json"
	expect_data_error fromjson "$TMP/cut.avro" "header: unexpected end of input at offset 100"
}

@test "fromjson -c xz -l 9 with tiny blocks: the dictionary fits the block, memory stays small" {
	[[ -x /usr/bin/time ]] || skip "/usr/bin/time is not installed (package time)"
	skip_under_valgrind "measures peak memory"
	run /usr/bin/time -f '%M' "$AVROKIT" fromjson -j2 -c xz -l 9 -b 1 \
		--schema-file "$DATA/weather.avro" -o "$TMP/x.avro" "$DATA/weather.json"
	expect_status 0
	local kib=${lines[-1]}
	echo "# peak RSS ${kib} KiB" >&3
	# a level-9 encoder with its 64 MiB dictionary takes some 674 MiB
	((kib < 64 * 1024)) || ak_show "expected less than 64 MiB peak RSS, got $kib KiB"
	run_ak tojson "$TMP/x.avro"
	expect_output_file "$DATA/weather.json"
	run_ak count "$TMP/x.avro"
	expect_output_is "$(wc -l < "$DATA/weather.json")"
}
