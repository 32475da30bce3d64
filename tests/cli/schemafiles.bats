#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# Schemas split over several files: named types in separate .avsc files that refer to each
# other, given as repeated --schema-file / --reader-schema-file / --reader / --writer options
# (the last one given is the schema) or as --import files (checkschema, canonical,
# fingerprint). And checkschema --strict, the specification's rule for union defaults.
#
# Run by hand: AVROKIT=$PWD/build/src/cli/avrokit bats tests/cli/schemafiles.bats

load common

setup() {
	ak_setup
	cat > "$TMP/zip.avsc" <<-'EOF'
	{"type": "fixed", "name": "com.x.Zip", "size": 5}
	EOF
	cat > "$TMP/address.avsc" <<-'EOF'
	{"type": "record", "name": "Address", "namespace": "com.x", "doc": "kept",
	 "fields": [{"name": "zip", "type": "Zip"},
	            {"name": "kind", "type": {"type": "enum", "name": "Kind", "symbols": ["HOME", "WORK"]},
	             "default": "HOME"}]}
	EOF
	cat > "$TMP/user.avsc" <<-'EOF'
	{"type": "record", "name": "User", "namespace": "com.y",
	 "fields": [{"name": "home", "type": "com.x.Address"},
	            {"name": "work", "type": ["null", "com.x.Address"], "default": null},
	            {"name": "kind", "type": "com.x.Kind"}]}
	EOF
	echo '{"home": {"zip": "12345", "kind": "WORK"}, "work": null, "kind": "HOME"}' > "$TMP/u.json"
	# the same schema in one file, to compare with
	cat > "$TMP/whole.avsc" <<-'EOF'
	{"type": "record", "name": "User", "namespace": "com.y",
	 "fields": [{"name": "home", "type": {"type": "record", "name": "Address", "namespace": "com.x",
	              "fields": [{"name": "zip", "type": {"type": "fixed", "name": "Zip", "size": 5}},
	                         {"name": "kind", "type": {"type": "enum", "name": "Kind", "symbols": ["HOME", "WORK"]},
	                          "default": "HOME"}]}},
	            {"name": "work", "type": ["null", "com.x.Address"], "default": null},
	            {"name": "kind", "type": "com.x.Kind"}]}
	EOF
}

@test "fromjson: repeated --schema-file puts a schema together, in any order of the others" {
	local order
	for order in "zip address" "address zip"; do
		set -- $order
		run_ak fromjson --schema-file "$TMP/$1.avsc" --schema-file "$TMP/$2.avsc" \
			--schema-file "$TMP/user.avsc" "$TMP/u.json" -o "$TMP/u.avro"
		expect_status 0
		expect_no_stderr
		run_ak tojson "$TMP/u.avro"
		expect_output_is '{"home":{"zip":"12345","kind":"WORK"},"work":null,"kind":"HOME"}'
		# the file holds the whole schema, the same as written in one file
		[[ "$("$AVROKIT" canonical "$TMP/u.avro")" == "$("$AVROKIT" canonical "$TMP/whole.avsc")" ]] ||
			ak_show "the file's schema differs from whole.avsc"
		"$AVROKIT" getschema "$TMP/u.avro" | grep -q '"doc" : "kept"' ||
			ak_show "the imported type lost its doc"
	done
}

@test "fromjson: the data file it writes stands alone for python3-avro" {
	/usr/bin/python3 -c 'import avro.datafile' 2>/dev/null || skip "python3-avro not installed"
	run_ak fromjson --schema-file "$TMP/zip.avsc" --schema-file "$TMP/address.avsc" \
		--schema-file "$TMP/user.avsc" "$TMP/u.json" -o "$TMP/u.avro"
	expect_status 0
	run /usr/bin/python3 -c '
import sys, avro.datafile, avro.io
with avro.datafile.DataFileReader(open(sys.argv[1], "rb"), avro.io.DatumReader()) as r:
    print(list(r))' "$TMP/u.avro"
	[[ "$status" -eq 0 ]] || ak_show "python3-avro could not read it"
	[[ "$output" == "[{'home': {'zip': b'12345', 'kind': 'WORK'}, 'work': None, 'kind': 'HOME'}]" ]] ||
		ak_show "python3-avro read: $output"
}

@test "fromjson: a single --schema-file works as before, and the missing type is named" {
	run_ak fromjson --schema-file "$TMP/whole.avsc" "$TMP/u.json" -o "$TMP/u.avro"
	expect_status 0
	run_ak fromjson --schema-file "$TMP/user.avsc" "$TMP/u.json" -o "$TMP/u.avro"
	expect_data_error fromjson "$TMP/user.avsc" 'fields[0].type: unknown type "com.x.Address"'
	run_ak fromjson --schema-file "$TMP/address.avsc" --schema-file "$TMP/user.avsc" "$TMP/u.json" -o "$TMP/v.avro"
	expect_status 1
	expect_stderr "avrokit fromjson: $TMP/address.avsc: fields[0].type: unknown type \"Zip\""
	[[ ! -e "$TMP/v.avro" ]] || ak_show "v.avro was written"
}

@test "a type defined in two files is an error naming the second" {
	run_ak fromjson --schema-file "$TMP/zip.avsc" --schema-file "$TMP/zip.avsc" \
		--schema-file "$TMP/address.avsc" --schema-file "$TMP/user.avsc" "$TMP/u.json" -o "$TMP/u.avro"
	expect_status 1
	expect_stderr "$TMP/zip.avsc: type \"com.x.Zip\" is defined twice"
}

@test "a missing schema file is reported by its name" {
	run_ak fromjson --schema-file "$TMP/zip.avsc" --schema-file "$TMP/nope.avsc" "$TMP/u.json"
	expect_data_error fromjson "$TMP/nope.avsc" "No such file"
}

@test "checkschema, canonical and fingerprint take --import files" {
	run_ak checkschema -v --import "$TMP/address.avsc" --import "$TMP/zip.avsc" "$TMP/user.avsc"
	expect_status 0
	expect_output_is "$TMP/user.avsc: ok"
	run_ak checkschema "$TMP/user.avsc"
	expect_data_error checkschema "$TMP/user.avsc" 'unknown type "com.x.Address"'
	run_ak canonical -i "$TMP/zip.avsc" -i "$TMP/address.avsc" "$TMP/user.avsc"
	expect_status 0
	[[ "$output" == "$("$AVROKIT" canonical "$TMP/whole.avsc")" ]] || ak_show "canonical differs"
	run_ak fingerprint --import "$TMP/address.avsc" --import "$TMP/zip.avsc" "$TMP/user.avsc"
	expect_status 0
	[[ "$output" == "$("$AVROKIT" fingerprint "$TMP/whole.avsc" | cut -d' ' -f1)  $TMP/user.avsc" ]] ||
		ak_show "fingerprint differs"
}

@test "--import files are read once for all the operands, standard input too" {
	run_sh '"$AVROKIT" canonical --import - "$1" "$2" < "$3"' _ "$TMP/address.avsc" "$TMP/address.avsc" "$TMP/zip.avsc"
	expect_status 0
	[[ "$(wc -l <<<"$output")" -eq 2 ]] || ak_show "expected two lines"
}

@test "compatible: --reader and --writer are repeatable" {
	run_ak fromjson --schema-file "$TMP/whole.avsc" "$TMP/u.json" -o "$TMP/u.avro"
	expect_status 0
	run_ak compatible --reader "$TMP/zip.avsc" --reader "$TMP/address.avsc" --reader "$TMP/user.avsc" \
		--writer "$TMP/u.avro"
	expect_status 0
	expect_output_is compatible
	run_ak compatible --reader "$TMP/whole.avsc" --writer "$TMP/address.avsc" --writer "$TMP/zip.avsc" \
		--writer "$TMP/user.avsc"
	expect_status 0
	run_ak compatible --reader "$TMP/user.avsc" --writer "$TMP/u.avro"
	expect_data_error compatible "$TMP/user.avsc" 'unknown type'
}

@test "tojson and cat: repeated --reader-schema-file" {
	run_ak fromjson --schema-file "$TMP/whole.avsc" "$TMP/u.json" -o "$TMP/u.avro"
	expect_status 0
	run_ak tojson --reader-schema-file "$TMP/address.avsc" --reader-schema-file "$TMP/zip.avsc" \
		--reader-schema-file "$TMP/user.avsc" "$TMP/u.avro"
	expect_status 0
	expect_output_is '{"home":{"zip":"12345","kind":"WORK"},"work":null,"kind":"HOME"}'
	run_ak cat --reader-schema-file "$TMP/address.avsc" --reader-schema-file "$TMP/zip.avsc" \
		--reader-schema-file "$TMP/user.avsc" "$TMP/u.avro" -o "$TMP/c.avro"
	expect_status 0
	[[ "$("$AVROKIT" canonical "$TMP/c.avro")" == "$("$AVROKIT" canonical "$TMP/whole.avsc")" ]] ||
		ak_show "cat's output schema is not whole"
}

@test "checkschema --strict: a union default must fit the first branch" {
	printf '%s' '{"type": "record", "name": "R", "fields": [{"name": "u", "type": ["null", "int"], "default": 1}]}' > "$TMP/second.avsc"
	run_ak checkschema "$TMP/second.avsc"
	expect_status 0
	run_ak checkschema --strict "$TMP/second.avsc"
	expect_data_error checkschema "$TMP/second.avsc" 'fields[0]: default 1 of field "u" fits its union only by a union branch other than the first' 'its first branch, null'
	printf '%s' '{"type": "record", "name": "R", "fields": [{"name": "u", "type": ["int", "null"], "default": 1}]}' > "$TMP/first.avsc"
	run_ak checkschema --strict -v "$TMP/first.avsc"
	expect_status 0
	expect_output_is "$TMP/first.avsc: ok"
}

@test "messages put an before a type name that needs it (an enum, a union)" {
	printf '%s' '{"type": "enum", "name": "int", "symbols": ["A"]}' > "$TMP/e.avsc"
	run_ak checkschema "$TMP/e.avsc"
	expect_data_error checkschema "$TMP/e.avsc" 'an enum may not be named after the primitive type "int"'
	printf '%s' '{"type": "record", "name": "R", "fields": [{"name": "u", "type": {"type": ["int"]}}]}' > "$TMP/u.avsc"
	run_ak checkschema "$TMP/u.avsc"
	expect_data_error checkschema "$TMP/u.avsc" '"type" holds a union where'
}
