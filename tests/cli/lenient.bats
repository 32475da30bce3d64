#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# Strict in what it writes, lenient in what it reads: a data file's own header schema is read
# as Java reads it (names not checked, defaults not checked), while a schema the user gives
# (checkschema, fromjson's --schema-file, reader schemas) is held to the specification.
#
# The data files are made here, byte by byte, by common.bash's mkavro (Python's standard
# library only): python3-avro's writer refuses most of these names itself.
#
# Run by hand: AVROKIT=$PWD/build/src/cli/avrokit bats tests/cli/lenient.bats

load common

# The header schemas of real files that the naming rules refuse, each with one record.
DOLLAR='{"type":"record","name":"Pair","namespace":"org.apache.avro.mapred.TestReflectJob$","fields":[{"name":"a","type":"int"},{"name":"u","type":["null",{"type":"record","name":"Inner","fields":[{"name":"x","type":"int"}]}]}]}'
DIGIT='{"type":"record","name":"r","fields":[{"name":"e","type":{"type":"enum","name":"E","symbols":["0","1x"]}}]}'
DASH='{"type":"record","name":"n-me","fields":[{"name":"f-1","type":"int"}]}'
NSINT='{"type":"record","name":"R","namespace":"ns","fields":[{"name":"r","type":{"type":"record","name":"int","fields":[{"name":"x","type":"string"}]}},{"name":"i","type":"int"},{"name":"again","type":"ns.int"}]}'
RUSTDUR='{"type":"record","name":"R","fields":[{"name":"d","type":{"type":{"type":"fixed","name":"dur","size":12},"logicalType":"duration"}}]}'
BADDEF='{"type":"record","name":"R","fields":[{"name":"s","type":"string","default":null}]}'
# aliases that no name can equal (python-avro writes them); a decimal whose scale is above
# its precision, which the specification says to read as its bytes (python-avro, Java)
BADALIAS='{"type":"record","name":"R","aliases":["",".a","a."],"fields":[{"name":"f","type":"int","aliases":[""]}]}'
BADDEC='{"type":"record","name":"R","fields":[{"name":"d","type":{"type":"bytes","logicalType":"decimal","precision":2,"scale":3}}]}'
# a doc holding a lone surrogate, as Python's json.dumps writes '\udc80' (surrogateescape)
SURROGATE='{"type":"record","name":"R","doc":"caf\udc80","fields":[{"name":"f","type":"int"}]}'

# The files, made once for the whole file (in $BATS_FILE_TMPDIR, as $F below).
setup_file() {
	command -v python3 >/dev/null || return 0
	local F="$BATS_FILE_TMPDIR"
	mkavro "$F/dollar.avro" "$DOLLAR" 020204
	mkavro "$F/digit.avro" "$DIGIT" 02
	mkavro "$F/dash.avro" "$DASH" 0e
	mkavro "$F/nsint.avro" "$NSINT" 0468690600
	mkavro "$F/rustdur.avro" "$RUSTDUR" 010000000200000003000000
	mkavro "$F/baddef.avro" "$BADDEF" 026f
	mkavro "$F/badalias.avro" "$BADALIAS" 02
	mkavro "$F/baddec.avro" "$BADDEC" 0201
	mkavro "$F/surrogate.avro" "$SURROGATE" 04
}

setup() {
	ak_setup
	command -v python3 >/dev/null || skip "python3 not found"
	F="$BATS_FILE_TMPDIR"
}

@test "tojson reads a header with a \$ namespace (Java reflection's inner classes)" {
	run_ak tojson "$F/dollar.avro"
	expect_status 0
	expect_no_stderr
	expect_output_is '{"a":1,"u":{"org.apache.avro.mapred.TestReflectJob$.Inner":{"x":2}}}'
}

@test "tojson reads enum symbols that start with a digit (Pig)" {
	run_ak tojson "$F/digit.avro"
	expect_status 0
	expect_output_is '{"e":"1x"}'
}

@test "tojson reads record and field names with a dash" {
	run_ak tojson "$F/dash.avro"
	expect_status 0
	expect_output_is '{"f-1":7}'
}

@test "tojson reads a record named int in a namespace; a bare int is still the primitive" {
	# r: ns.int{x: "hi"}, i: 3 (the primitive), again: ns.int{x: ""} (the record again)
	run_ak tojson "$F/nsint.avro"
	expect_status 0
	expect_output_is '{"r":{"x":"hi"},"i":3,"again":{"x":""}}'
}

@test "tojson reads Rust's {\"type\": {fixed}, \"logicalType\": \"duration\"} as a duration" {
	run_ak tojson "$F/rustdur.avro"
	expect_status 0
	expect_output_is '{"d":"\u0001\u0000\u0000\u0000\u0002\u0000\u0000\u0000\u0003\u0000\u0000\u0000"}'
	run_ak tojson --plain "$F/rustdur.avro"
	expect_status 0
	expect_output_is '{"d":{"months":1,"days":2,"milliseconds":3}}'
}

@test "tojson reads a header whose default does not fit its field" {
	run_ak tojson "$F/baddef.avro"
	expect_status 0
	expect_output_is '{"s":"o"}'
}

@test "tojson reads a header with aliases that name nothing, and an invalid decimal as bytes" {
	run_ak tojson "$F/badalias.avro"
	expect_status 0
	expect_no_stderr
	expect_output_is '{"f":1}'
	run_ak tojson "$F/baddec.avro"
	expect_status 0
	expect_no_stderr
	expect_output_is '{"d":"\u0001"}'
	# as the reader schema they are held to the rules (a decimal's bad parameters are no
	# error there either: the specification has it ignored)
	run_ak tojson --reader-schema "$BADALIAS" "$F/badalias.avro"
	expect_data_error tojson --reader-schema "aliases[0]: invalid alias"
	run_ak tojson --reader-schema "$BADDEC" "$F/baddec.avro"
	expect_status 0
	expect_output_is '{"d":"\u0001"}'
}

@test "tojson reads a header whose doc holds a lone surrogate (as U+FFFD)" {
	run_ak tojson "$F/surrogate.avro"
	expect_status 0
	expect_no_stderr
	expect_output_is '{"f":2}'
	# getschema prints the header's text: the escape as it was written
	run_ak getschema --compact "$F/surrogate.avro"
	expect_status 0
	expect_output_is "$SURROGATE"
}

@test "the other reading commands take those files too (getschema, count, cat, canonical)" {
	local f
	for f in dollar digit dash rustdur baddef badalias baddec surrogate; do
		run_ak getschema --compact "$F/$f.avro"
		expect_status 0
		run_ak count "$F/$f.avro"
		expect_status 0
		expect_output_is 1
		# cat copies the file's own schema; its copy reads back the same
		run_ak cat "$F/$f.avro" -o "$TMP/$f-copy.avro"
		expect_status 0
		run_ak tojson "$TMP/$f-copy.avro"
		expect_status 0
		[[ "$output" == "$("$AVROKIT" tojson "$F/$f.avro")" ]] || ak_show "$f: cat's copy differs"
		# a data file's own schema, looked at (not checked): canonical and fingerprint
		run_ak canonical "$F/$f.avro"
		expect_status 0
		run_ak fingerprint "$F/$f.avro"
		expect_status 0
	done
	run_ak canonical "$F/dollar.avro"
	expect_output_is '{"name":"org.apache.avro.mapred.TestReflectJob$.Pair","type":"record","fields":[{"name":"a","type":"int"},{"name":"u","type":["null",{"name":"org.apache.avro.mapred.TestReflectJob$.Inner","type":"record","fields":[{"name":"x","type":"int"}]}]}]}'
}

@test "checkschema holds a data file's schema to the rules, with the path" {
	run_ak checkschema "$F/dollar.avro"
	expect_data_error checkschema "$F/dollar.avro" 'invalid namespace "org.apache.avro.mapred.TestReflectJob$"'
	run_ak checkschema "$F/digit.avro"
	expect_data_error checkschema "$F/digit.avro" 'fields[0].type: symbols[0]: invalid symbol "0"'
	run_ak checkschema "$F/dash.avro"
	expect_data_error checkschema "$F/dash.avro" 'invalid name "n-me"'
	run_ak checkschema "$F/nsint.avro"
	expect_data_error checkschema "$F/nsint.avro" 'fields[0].type: a record may not be named after the primitive type "int"'
	run_ak checkschema "$F/rustdur.avro"
	expect_data_error checkschema "$F/rustdur.avro" 'fields[0].type: "type" holds a schema object where a type name belongs'
	run_ak checkschema "$F/baddef.avro"
	expect_data_error checkschema "$F/baddef.avro" 'fields[0]: default null of field "s" does not fit its type string'
	run_ak checkschema "$F/badalias.avro"
	expect_data_error checkschema "$F/badalias.avro" 'aliases[0]: invalid alias'
}

@test "checkschema refuses those schemas given as text, with the path" {
	printf '%s' "$RUSTDUR" > "$TMP/rust.avsc"
	run_ak checkschema "$TMP/rust.avsc"
	expect_data_error checkschema "$TMP/rust.avsc" 'fields[0].type: "type" holds a schema object where a type name belongs'
	printf '%s' "$DOLLAR" > "$TMP/dollar.avsc"
	run_ak checkschema "$TMP/dollar.avsc"
	expect_data_error checkschema "$TMP/dollar.avsc" 'invalid namespace'
	printf '{"type": ["null", "int"]}' > "$TMP/wrapped-union.avsc"
	run_ak checkschema "$TMP/wrapped-union.avsc"
	expect_data_error checkschema "$TMP/wrapped-union.avsc" '"type" holds a union where a type name belongs'
}

@test "fromjson will not write a file with such a schema, even taken from a data file" {
	echo '{"a": 1, "u": null}' > "$TMP/in.json"
	run_ak fromjson --schema-file "$F/dollar.avro" "$TMP/in.json" -o "$TMP/out.avro"
	expect_data_error fromjson "$F/dollar.avro" 'invalid namespace'
	[[ ! -e "$TMP/out.avro" ]] || ak_show "out.avro was written"
	run_ak fromjson --schema "$DIGIT" "$TMP/in.json" -o "$TMP/out.avro"
	expect_data_error fromjson --schema 'invalid symbol "0"'
	run_ak fromjson --schema "$RUSTDUR" "$TMP/in.json" -o "$TMP/out.avro"
	expect_data_error fromjson --schema '"type" holds a schema object'
}

@test "a reader schema given by the user is held to the rules" {
	run_ak tojson --reader-schema-file "$F/dash.avro" "$F/dash.avro"
	expect_data_error tojson "$F/dash.avro" 'invalid name "n-me"'
	run_ak tojson --reader-schema "$DASH" "$F/dash.avro"
	expect_data_error tojson --reader-schema 'invalid name "n-me"'
	run_ak cat --reader-schema-file "$F/digit.avro" "$F/digit.avro" -o "$TMP/x.avro"
	expect_data_error cat "$F/digit.avro" 'invalid symbol'
	run_ak compatible --reader "$F/digit.avro" --writer "$F/digit.avro"
	expect_data_error compatible "$F/digit.avro" 'invalid symbol'
	# the writer's side is a file that exists: read as its readers read it
	printf '%s' '{"type":"record","name":"r","fields":[{"name":"e","type":{"type":"enum","name":"E","symbols":["A","B"],"default":"A"}}]}' > "$TMP/reader.avsc"
	run_ak compatible --reader "$TMP/reader.avsc" --writer "$F/digit.avro"
	expect_status 0
	expect_output_is compatible
}

@test "python3-avro reads what it can parse of those the same way" {
	/usr/bin/python3 -c 'import avro.datafile' 2>/dev/null || skip "python3-avro not installed"
	# python3-avro 1.11 checks type names and symbols, not field names or defaults
	mkavro "$TMP/fielddash.avro" '{"type":"record","name":"R","fields":[{"name":"f-1","type":"int"},{"name":"s","type":"string","default":null}]}' 0e026f
	run /usr/bin/python3 -c '
import sys, json, avro.datafile, avro.io
for f in sys.argv[1:]:
    with avro.datafile.DataFileReader(open(f, "rb"), avro.io.DatumReader()) as r:
        for rec in r:
            print(json.dumps(rec, separators=(",", ":")))
' "$F/baddef.avro" "$TMP/fielddash.avro"
	[[ "$status" -eq 0 ]] || ak_show "python3-avro failed"
	local py="$output"
	run_ak tojson "$F/baddef.avro" "$TMP/fielddash.avro"
	expect_status 0
	[[ "$output" == "$py" ]] || ak_show "python3-avro printed: $py"
}
