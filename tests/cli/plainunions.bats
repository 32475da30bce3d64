#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# fromjson --plain and unions of several record or map branches: the branch is the one the
# object fits (required fields there, no unknown ones, values of the right types), as fastavro
# and python-avro pick it; two that fit are ambiguous; {"Branch": value}, Avro JSON's wrapper,
# chooses a branch explicitly (full or short name), for strings too.
#
# Run by hand: AVROKIT=$PWD/build/src/cli/avrokit bats tests/cli/plainunions.bats

load common

# the schema of the issue
OUTER='{"type":"record","name":"Outer","namespace":"ns","fields":[{"name":"choice","type":[{"type":"record","name":"Inner","fields":[{"name":"x","type":"int"}]},{"type":"record","name":"Deep","fields":[{"name":"z","type":"string"}]}]}]}'
# records, a map and null; Other has an optional field
MIXED='{"type":"record","name":"M","fields":[{"name":"u","type":["null",{"type":"record","name":"Inner","fields":[{"name":"x","type":"int"}]},{"type":"record","name":"Other","fields":[{"name":"x","type":"int"},{"name":"y","type":["null","int"],"default":null}]},{"type":"map","values":"string"}]}]}'

# plain SCHEMA INPUT [ARGS...]: fromjson --plain of INPUT, then tojson; in $output
plain() {
	local schema="$1" input="$2"
	shift 2
	printf '%s\n' "$input" > "$TMP/in.json"
	run_sh '"$AVROKIT" fromjson --plain --schema "$1" "$2" "${@:3}" -o "$2.avro" && "$AVROKIT" tojson "$2.avro"' _ "$schema" "$TMP/in.json" "$@"
}

@test "the issue's example: the record whose fields fit is picked" {
	plain "$OUTER" '{"choice": {"x": 7}}
{"choice": {"z": "deep"}}'
	expect_status 0
	expect_no_stderr
	expect_output_is '{"choice":{"ns.Inner":{"x":7}}}
{"choice":{"ns.Deep":{"z":"deep"}}}'
}

@test "records and a map: unknown fields and value types decide" {
	plain "$MIXED" '{"u": {"x": 7, "y": 2}}
{"u": {"x": "seven"}}
{"u": {"k": "v"}}
{"u": null}'
	expect_status 0
	expect_output_is '{"u":{"Other":{"x":7,"y":{"int":2}}}}
{"u":{"map":{"x":"seven"}}}
{"u":{"map":{"k":"v"}}}
{"u":null}'
}

@test "two branches that really fit are ambiguous, with the way out" {
	plain "$MIXED" '{"u": {"x": 7}}'
	expect_status 1
	expect_stderr '1:7: field "u": ambiguous: the object fits both the union'"'"'s Inner and its Other (write {"Inner": {...}} or {"Other": {...}} to choose)'
	plain '["null",{"type":"record","name":"A","fields":[{"name":"x","type":"int"}]},{"type":"map","values":"int"}]' '{"x": 7}'
	expect_status 1
	expect_stderr 'ambiguous: the object fits both the union'"'"'s A and its map'
}

@test "{\"Branch\": value} chooses the branch: full name, short name, type name" {
	plain "$MIXED" '{"u": {"Inner": {"x": 7}}}
{"u": {"Other": {"x": 7}}}
{"u": {"map": {"x": "7"}}}'
	expect_status 0
	expect_output_is '{"u":{"Inner":{"x":7}}}
{"u":{"Other":{"x":7,"y":null}}}
{"u":{"map":{"x":"7"}}}'
	plain "$OUTER" '{"choice": {"ns.Inner": {"x": 1}}}
{"choice": {"Deep": {"z": "a"}}}'
	expect_status 0
	expect_output_is '{"choice":{"ns.Inner":{"x":1}}}
{"choice":{"ns.Deep":{"z":"a"}}}'
}

@test "{\"Branch\": value} with a single record branch, and what tojson prints reads back" {
	local s='{"type":"record","name":"R","fields":[{"name":"a","type":["null",{"type":"record","name":"Addr","namespace":"geo","fields":[{"name":"street","type":"string"}]}]}]}'
	plain "$s" '{"a": {"geo.Addr": {"street": "Main"}}}
{"a": {"street": "Side"}}'
	expect_status 0
	expect_output_is '{"a":{"geo.Addr":{"street":"Main"}}}
{"a":{"geo.Addr":{"street":"Side"}}}'
	# Avro JSON as tojson prints it, union wrappers and all, is plain input too
	run_sh '"$AVROKIT" tojson "$1" | "$AVROKIT" fromjson --plain --schema "$2" | "$AVROKIT" tojson' _ "$TMP/in.json.avro" "$s"
	expect_status 0
	expect_output_is '{"a":{"geo.Addr":{"street":"Main"}}}
{"a":{"geo.Addr":{"street":"Side"}}}'
}

@test "{\"Branch\": value} settles a string that a string and a timestamp both take" {
	local s='{"type":"record","name":"R","fields":[{"name":"t","type":["null","string",{"type":"long","logicalType":"timestamp-millis"}]}]}'
	plain "$s" '{"t": "2024-01-01T00:00:00Z"}'
	expect_status 1
	expect_stderr 'ambiguous: the string "2024-01-01T00:00:00Z" could be the union'"'"'s string or timestamp-millis (plain JSON cannot tell them apart; write {"string": "..."} or {"long": "..."} to choose)'
	plain "$s" '{"t": {"string": "2024-01-01T00:00:00Z"}}
{"t": {"long": "2024-01-01T00:00:00Z"}}
{"t": {"long": 5}}'
	expect_status 0
	expect_output_is '{"t":{"string":"2024-01-01T00:00:00Z"}}
{"t":{"long":1704067200000}}
{"t":{"long":5}}'
	plain "$s" '{"t": {"string": "a", "long": 5}}'
	expect_status 1
	expect_stderr 'a union value written as {"branch": value} has exactly one member'
}

@test "a record field named like a branch is a field, not the wrapper" {
	local s='{"type":"record","name":"R","fields":[{"name":"u","type":["string",{"type":"record","name":"P","fields":[{"name":"string","type":"string"}]}]}]}'
	plain "$s" '{"u": {"string": "x"}}'
	expect_status 0
	expect_output_is '{"u":{"P":{"string":"x"}}}'
}

@test "a map key named like a branch: the map when it fits, else the wrapper" {
	# what tojson --plain writes for the map {"string": ...} must read back as that map
	# (found by fuzzing infer, whose unions of string and map met such keys)
	local s='{"type":"record","name":"R","fields":[{"name":"u","type":["string","double",{"type":"map","values":["double","string"]}]}]}'
	plain "$s" '{"u": {"string": 0e5, "b": "x"}}
{"u": {"string": "x"}}
{"u": {"double": 1.5}}
{"u": {"map": {"k": 2}}}
{"u": "s"}'
	expect_status 0
	expect_output_is '{"u":{"map":{"string":{"double":0.0},"b":{"string":"x"}}}}
{"u":{"map":{"string":{"string":"x"}}}}
{"u":{"map":{"double":{"double":1.5}}}}
{"u":{"map":{"k":{"double":2.0}}}}
{"u":{"string":"s"}}'
	# values the map cannot take: the wrapper, read as it streams
	s='{"type":"record","name":"R","fields":[{"name":"u","type":["string",{"type":"map","values":"int"}]}]}'
	plain "$s" '{"u": {"string": "x"}}
{"u": {"string": 3}}'
	expect_status 0
	expect_output_is '{"u":{"string":"x"}}
{"u":{"map":{"string":3}}}'
	# neither fits: the error of the reading that went furthest
	plain "$s" '{"u": {"string": 3, "b": "x"}}'
	expect_status 1
	expect_stderr 'the object fits no branch of the union (branches: string, map); read as map: field "["b"]": expected int'
}

@test "an object that fits no branch: the error of the branch that read furthest" {
	plain "$OUTER" '{"choice": {"x": "seven"}}'
	expect_status 1
	expect_stderr_is "avrokit fromjson: $TMP/in.json:1:18: field \"choice\": the object fits no branch of the union (branches: ns.Inner, ns.Deep); read as ns.Inner: field \"x\": expected int: \"seven\" is a string, not a number"
	plain "$OUTER" '{"choice": {"q": 1}}'
	expect_status 1
	expect_stderr 'field "choice": the object fits no branch of the union (branches: ns.Inner, ns.Deep); read as ns.Inner: unknown field "q"'
	[[ ! -e "$TMP/in.json.avro" ]] || ak_show "an output file was left"
}

@test "unions of records inside unions of records" {
	local s='{"type":"record","name":"T","fields":[{"name":"v","type":[{"type":"record","name":"A","fields":[{"name":"in","type":[{"type":"record","name":"X","fields":[{"name":"x","type":"int"}]},{"type":"record","name":"Y","fields":[{"name":"y","type":"int"}]}]}]},{"type":"record","name":"B","fields":[{"name":"in","type":"string"}]}]}]}'
	plain "$s" '{"v": {"in": {"y": 1}}}
{"v": {"in": "text"}}
{"v": {"in": {"x": 2}}}'
	expect_status 0
	expect_output_is '{"v":{"A":{"in":{"Y":{"y":1}}}}}
{"v":{"B":{"in":"text"}}}
{"v":{"A":{"in":{"X":{"x":2}}}}}'
	plain "$s" '{"v": {"in": {"z": 1}}}'
	expect_status 1
	expect_stderr 'field "v": the object fits no branch of the union (branches: A, B); read as A: field "in": the object fits no branch of the union (branches: X, Y); read as X: unknown field "z"'
}

@test "several threads give the same file as one" {
	awk 'BEGIN { for (i = 0; i < 30000; i++) printf "{\"u\": {\"x\": %d, \"y\": 1}}\n{\"u\": {\"k%d\": \"v\"}}\n{\"u\": null}\n", i, i }' > "$TMP/big.json"
	run_ak fromjson -j1 --plain --schema "$MIXED" --sync-marker 000102030405060708090a0b0c0d0e0f "$TMP/big.json" -o "$TMP/one.avro"
	expect_status 0
	run_ak fromjson -j4 --plain --schema "$MIXED" --sync-marker 000102030405060708090a0b0c0d0e0f "$TMP/big.json" -o "$TMP/four.avro"
	expect_status 0
	cmp "$TMP/one.avro" "$TMP/four.avro" || ak_show "-j4 wrote another file"
	run_ak count "$TMP/one.avro"
	expect_output_is 90000
}

@test "a huge object must name its branch; named, it streams" {
	command -v python3 >/dev/null || skip "python3 not found"
	python3 -c 'import sys; sys.stdout.write("{\"u\": {\"k\": \"" + "a" * (9 << 20) + "\"}}\n")' > "$TMP/huge.json"
	run_ak fromjson --plain --schema "$MIXED" "$TMP/huge.json" -o "$TMP/x.avro"
	expect_status 1
	expect_stderr 'field "u": an object longer than 8 MiB for a union of several record or map branches: write it as {"Branch": value} to choose its branch'
	python3 -c 'import sys; sys.stdout.write("{\"u\": {\"map\": {\"k\": \"" + "a" * (9 << 20) + "\"}}}\n")' > "$TMP/huge2.json"
	run_ak fromjson --plain --schema "$MIXED" "$TMP/huge2.json" -o "$TMP/x.avro"
	expect_status 0
}

@test "the same branches as fastavro picks for objects only one branch fits" {
	local peers="$REPO/../shared/peers/fastavro"
	[[ -d "$peers" ]] && PYTHONPATH="$peers" /usr/bin/python3 -c 'import fastavro' 2>/dev/null ||
		skip "fastavro not found in ../shared/peers"
	local recs='{"u": {"x": 1, "y": 2}}
{"u": {"x": "s"}}
{"u": {"k": "v"}}
{"u": null}'
	plain "$MIXED" "$recs"
	expect_status 0
	local ours="$output"
	run env PYTHONPATH="$peers" /usr/bin/python3 -c '
import io, json, sys, fastavro
schema = fastavro.parse_schema(json.loads(sys.argv[1]))
recs = [json.loads(l) for l in sys.argv[2].splitlines()]
buf = io.BytesIO()
fastavro.writer(buf, schema, recs)
open(sys.argv[3], "wb").write(buf.getvalue())' "$MIXED" "$recs" "$TMP/fa.avro"
	[[ "$status" -eq 0 ]] || ak_show "fastavro failed"
	run_ak tojson "$TMP/fa.avro"
	expect_status 0
	[[ "$output" == "$ours" ]] || ak_show "fastavro: $output; avrokit: $ours"
}
