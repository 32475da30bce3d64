#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# fromjson and the JSON that other tools write: Python's json module (bare NaN, Infinity,
# -Infinity), Windows tools (a UTF-8 byte order mark), malformed tokens reported as what they
# are, and hints for the usual slips (a JSON array without --array, an Avro file given as
# JSON, a bare union value in Avro JSON, a plain value that fits no branch).
#
# Run by hand: AVROKIT=$PWD/build/src/cli/avrokit bats tests/cli/jsoninput.bats

load common

R='{"type":"record","name":"R","fields":[{"name":"d","type":"double"},{"name":"f","type":"float"},{"name":"u","type":["null","double"]},{"name":"s","type":"string"}]}'
A='{"type":"record","name":"A","fields":[{"name":"a","type":"int"}]}'

# fj INPUT ARGS...: fromjson of INPUT (printf %s) with ARGS, then tojson; in $output
fj() {
	local input="$1"
	shift
	printf '%s' "$input" > "$TMP/in.json"
	run_sh '"$AVROKIT" fromjson "$@" "$0" -o "$0.avro" && "$AVROKIT" tojson "$0.avro"' "$TMP/in.json" "$@"
}

@test "bare NaN, Infinity and -Infinity for float and double (Avro JSON)" {
	fj '{"d":NaN,"f":-Infinity,"u":{"double":Infinity},"s":"x"}
{"d":-Infinity,"f":NaN,"u":{"double":-Infinity},"s":"y"}' --schema "$R"
	expect_status 0
	expect_no_stderr
	expect_output_is '{"d":"NaN","f":"-Infinity","u":{"double":"Infinity"},"s":"x"}
{"d":"-Infinity","f":"NaN","u":{"double":"-Infinity"},"s":"y"}'
}

@test "bare NaN, Infinity and -Infinity with --plain, also as a union's value" {
	fj '{"d":Infinity,"f":NaN,"u":NaN,"s":"x"}
{"d":1.5,"f":2,"u":-Infinity,"s":"y"}' --plain --schema "$R"
	expect_status 0
	expect_output_is '{"d":"Infinity","f":"NaN","u":{"double":"NaN"},"s":"x"}
{"d":1.5,"f":2.0,"u":{"double":"-Infinity"},"s":"y"}'
}

@test "what Python's json.dumps writes for NaN and infinities reads back" {
	command -v python3 >/dev/null || skip "python3 not found"
	python3 -c '
import json
for v in (float("nan"), float("inf"), float("-inf"), 0.5):
    print(json.dumps({"d": v, "f": v, "u": v, "s": "py"}))' > "$TMP/py.json"
	run_sh '"$AVROKIT" fromjson --plain --schema "$1" "$2" | "$AVROKIT" tojson' _ "$R" "$TMP/py.json"
	expect_status 0
	expect_output_is '{"d":"NaN","f":"NaN","u":{"double":"NaN"},"s":"py"}
{"d":"Infinity","f":"Infinity","u":{"double":"Infinity"},"s":"py"}
{"d":"-Infinity","f":"-Infinity","u":{"double":"-Infinity"},"s":"py"}
{"d":0.5,"f":0.5,"u":{"double":0.5},"s":"py"}'
}

@test "NaN in a field that is skipped (--ignore-unknown-fields)" {
	fj '{"a":1,"extra":[NaN,-Infinity,{"x":Infinity}]}' --ignore-unknown-fields --schema "$A"
	expect_status 0
	expect_output_is '{"a":1}'
}

@test "NaN is not a number for int, long or a string" {
	fj '{"a":NaN}' --schema "$A"
	expect_status 1
	expect_stderr "field \"a\": expected int, got NaN"
	fj '{"a":-Infinity}' --schema "$A"
	expect_status 1
	expect_stderr "field \"a\": expected int, got the non-integer number -Infinity"
	fj '{"d":1,"f":1,"u":null,"s":Infinity}' --schema "$R"
	expect_status 1
	expect_stderr "field \"s\": expected string, got Infinity"
}

@test "malformed tokens are reported as what they are, in both modes" {
	local mode
	for mode in "" --plain; do
		fj '{"d":nonsense,"f":1,"u":null,"s":"x"}' $mode --schema "$R"
		expect_status 1
		expect_stderr "field \"d\": expected double, got the invalid JSON token 'nonsense'"
		[[ "$stderr" != *"got null"* ]] || ak_show "said null"
		fj '{"d":1,"f":1,"u":null,"s":tx}' $mode --schema "$R"
		expect_status 1
		expect_stderr "field \"s\": expected string, got the invalid JSON token 'tx'"
		[[ "$stderr" != *"boolean"* ]] || ak_show "said boolean"
		fj '{"d":1,"f":1,"u":nonsense,"s":"x"}' $mode --schema "$R"
		expect_status 1
		expect_stderr "field \"u\": invalid JSON token 'nonsense'"
		fj '{"d":1,"f":1,"u":null,"s":"x",nonsense}' $mode --schema "$R"
		expect_status 1
		expect_stderr "expected a field name, got the invalid JSON token 'nonsense'"
		fj '{"d":NaNa,"f":1,"u":null,"s":"x"}' $mode --schema "$R"
		expect_status 1
		expect_stderr "field \"d\": invalid JSON token 'NaNa'"
	done
	fj '{"a":truex}' --schema '{"type":"record","name":"B","fields":[{"name":"a","type":"boolean"}]}'
	expect_status 1
	expect_stderr "1:6: field \"a\": invalid JSON token 'truex'"
}

@test "a UTF-8 byte order mark at the start is skipped (one thread and several)" {
	printf '\xef\xbb\xbf{"a":1}\n{"a":2}\n' > "$TMP/bom.json"
	run_sh '"$AVROKIT" fromjson -j1 --schema "$1" "$2" | "$AVROKIT" tojson' _ "$A" "$TMP/bom.json"
	expect_status 0
	expect_output_is $'{"a":1}\n{"a":2}'
	# a large input goes through the parallel parser
	{
		printf '\xef\xbb\xbf'
		seq 0 149999 | sed 's/.*/{"a":&}/'
	} > "$TMP/big.json"
	run_sh '"$AVROKIT" fromjson -j4 --schema "$1" "$2" | "$AVROKIT" count' _ "$A" "$TMP/big.json"
	expect_status 0
	expect_output_is 150000
	printf '\xef\xbb\xbf[{"a":1}]' | "$AVROKIT" fromjson --array --schema "$A" > "$TMP/arr.avro"
	run_ak tojson "$TMP/arr.avro"
	expect_output_is '{"a":1}'
	# columns on the first line count from after the mark
	printf '\xef\xbb\xbf{"a":x}' > "$TMP/bad.json"
	run_ak fromjson --schema "$A" "$TMP/bad.json" -o "$TMP/x.avro"
	expect_data_error fromjson "$TMP/bad.json:1:6" "field \"a\""
	# a mark anywhere else is not skipped
	printf '{"a":1}\n\xef\xbb\xbf{"a":2}' > "$TMP/mid.json"
	run_ak fromjson --schema "$A" "$TMP/mid.json" -o "$TMP/x.avro"
	expect_status 1
}

@test "a JSON array without --array gets a hint" {
	printf '[{"a":1},{"a":2}]\n' > "$TMP/arr.json"
	run_ak fromjson --schema "$A" "$TMP/arr.json" -o "$TMP/x.avro"
	expect_data_error fromjson "$TMP/arr.json:1:1" "expected record A, got array (the input is a JSON array: --array reads its elements as the records)"
	printf '\n  [{"a":1}]' > "$TMP/arr2.json"
	run_ak fromjson -j1 --schema "$A" "$TMP/arr2.json" -o "$TMP/x.avro"
	expect_stderr "--array reads its elements"
	# not when the schema takes arrays
	run_ak fromjson --schema '{"type":"array","items":"int"}' "$TMP/arr.json" -o "$TMP/x.avro"
	expect_status 1
	[[ "$stderr" != *"--array"* ]] || ak_show "hinted at --array"
}

@test "an Avro data file given as JSON input gets a hint" {
	run_ak fromjson --schema "$A" "$DATA/weather.avro" -o "$TMP/x.avro"
	expect_data_error fromjson "$DATA/weather.avro" "this is an Avro data file, not JSON: it is Avro already (avrokit tojson prints its records, avrokit cat copies them)"
	run_sh '"$AVROKIT" fromjson --schema "$1" < "$2"' _ "$A" "$DATA/weather.avro"
	expect_data_error fromjson "(standard input)" "an Avro data file"
}

@test "Avro JSON: a union value without its wrapper hints at --plain" {
	local S='{"type":"record","name":"P","fields":[{"name":"addr","type":["null",{"type":"record","name":"Address","fields":[{"name":"street","type":"string"}]}]}]}'
	fj '{"addr":{"street":"Main"}}' --schema "$S"
	expect_status 1
	expect_stderr 'field "addr": the union has no branch "street" (branches: null, Address; in Avro'"'"'s JSON encoding a union value is {"branch": value}, and fromjson --plain reads it without the wrapper)'
	fj '{"d":1,"f":1,"u":2.5,"s":"x"}' --schema "$R"
	expect_status 1
	expect_stderr 'got number (fromjson --plain reads union values without the wrapper)'
	# --plain takes it
	fj '{"addr":{"street":"Main"}}' --plain --schema "$S"
	expect_status 0
	expect_output_is '{"addr":{"Address":{"street":"Main"}}}'
}

@test "--plain: a value that fits no branch lists the branches" {
	local S='{"type":"record","name":"P","fields":[{"name":"u","type":["null","string",{"type":"enum","name":"E","symbols":["A"]}]},{"name":"v","type":["null","int"]}]}'
	fj '{"u":5,"v":null}' --plain --schema "$S"
	expect_status 1
	expect_stderr 'field "u": the number 5 fits no branch of the union (branches: null, string, E)'
	fj '{"u":null,"v":"x"}' --plain --schema "$S"
	expect_status 1
	expect_stderr 'field "v": the string "x" fits no branch of the union (branches: null, int)'
	fj '{"u":null,"v":true}' --plain --schema "$S"
	expect_status 1
	expect_stderr 'field "v": boolean fits no branch of the union (branches: null, int)'
}
