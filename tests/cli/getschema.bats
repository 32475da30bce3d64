#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# avrokit getschema: the writer schema of a data file.

load common

# The schema in FILE (JSON) means the same as tests/data/weather.avsc.
same_as_avsc() {
	/usr/bin/python3 - "$1" "$DATA/weather.avsc" <<-'EOF'
		import json, sys
		got = json.load(open(sys.argv[1], encoding="utf-8"))
		want = json.load(open(sys.argv[2], encoding="utf-8"))
		assert got == want, (got, want)
	EOF
}

# ---- success ----

@test "getschema prints the schema, indented, as the golden output" {
	run_ak getschema "$DATA/weather.avro"
	expect_status 0
	expect_no_stderr
	assert_golden getschema/weather.out "$output"
	[[ "${#lines[@]}" -gt 5 && "${lines[1]}" == "  "* ]] || ak_show "indented"
}

@test "getschema output is byte-exact and means the same as weather.avsc" {
	"$AVROKIT" getschema "$DATA/weather.avro" > "$TMP/out"
	assert_golden_file getschema/weather.out "$TMP/out"
	same_as_avsc "$TMP/out"
}

@test "getschema is the same for the deflate file and for a file with no codec key" {
	"$AVROKIT" getschema "$DATA/weather-deflate.avro" > "$TMP/out"
	assert_golden_file getschema/weather.out "$TMP/out"
	"$AVROKIT" getschema "$DATA/nocodec.avro" > "$TMP/out"
	assert_golden_file getschema/weather.out "$TMP/out"
}

@test "getschema of a file with no blocks" {
	run_ak getschema "$DATA/empty.avro"
	expect_status 0
	expect_no_stderr
	assert_golden getschema/weather.out "$output"
}

@test "getschema of a primitive schema prints a JSON string" {
	run_ak getschema "$DATA/nulls.avro"
	expect_status 0
	expect_no_stderr
	expect_output_is '"null"'
}

# ---- standard input ----

@test "getschema with no FILE reads standard input" {
	run_ak getschema < "$DATA/weather.avro"
	expect_status 0
	expect_no_stderr
	assert_golden getschema/weather.out "$output"
}

@test "getschema - reads standard input" {
	run_ak getschema - < "$DATA/multiblock.avro"
	expect_status 0
	expect_no_stderr
	assert_golden getschema/weather.out "$output"
}

@test "getschema reads a pipe" {
	run_sh 'cat "$DATA/weather-deflate.avro" | "$AVROKIT" getschema'
	expect_status 0
	expect_no_stderr
	assert_golden getschema/weather.out "$output"
}

@test "getschema takes one input at most" {
	run_ak getschema "$DATA/weather.avro" "$DATA/multiblock.avro"
	expect_usage_error getschema "one input at most (got 2)"
}

# ---- options ----

@test "getschema --compact prints one line, as the golden output" {
	run_ak getschema --compact "$DATA/weather.avro"
	expect_status 0
	expect_no_stderr
	[[ "${#lines[@]}" -eq 1 ]] || ak_show "one line"
	[[ "$output" != *": "* && "$output" != *", "* ]] || ak_show "no spaces between tokens"
	assert_golden getschema/weather-compact.out "$output"
}

@test "getschema -c is byte-exact and means the same as weather.avsc" {
	"$AVROKIT" getschema -c "$DATA/weather.avro" > "$TMP/out"
	assert_golden_file getschema/weather-compact.out "$TMP/out"
	same_as_avsc "$TMP/out"
}

@test "getschema --compact of a primitive schema" {
	run_ak getschema --compact "$DATA/nulls.avro"
	expect_status 0
	expect_output_is '"null"'
}

@test "getschema --raw equals getmeta --key avro.schema" {
	run_ak getmeta --key avro.schema "$DATA/weather.avro"
	expect_status 0
	local meta="$output"
	run_ak getschema --raw "$DATA/weather.avro"
	expect_status 0
	expect_no_stderr
	expect_output_is "$meta"
	[[ "$output" == *'"type": "record"'* ]] || ak_show "python's spacing, as stored"
	assert_golden getschema/weather-raw.out "$output"
}

@test "getschema -r is exactly the stored schema (python's view) plus a newline" {
	"$AVROKIT" getschema -r "$DATA/weather.avro" > "$TMP/out"
	/usr/bin/python3 - "$DATA/weather.avro" "$TMP/out" <<-'EOF'
		import sys
		import avro.datafile, avro.io
		with open(sys.argv[1], "rb") as f:
		    stored = avro.datafile.DataFileReader(f, avro.io.DatumReader()).get_meta("avro.schema")
		got = open(sys.argv[2], "rb").read()
		assert got == stored + b"\n", (got, stored)
	EOF
}

@test "getschema --raw of a primitive schema" {
	run_ak getschema --raw "$DATA/nulls.avro"
	expect_status 0
	expect_output_is '"null"'
}

@test "getschema --compact --raw is a usage error" {
	run_ak getschema --compact --raw "$DATA/weather.avro"
	expect_usage_error getschema "--compact" "--raw"
}

@test "getschema --canonical prints Parsing Canonical Form" {
	# by hand from the spec: full name, no doc or namespace, keys in the order name, type, fields
	run_ak getschema --canonical "$DATA/weather.avro"
	expect_status 0
	expect_no_stderr
	expect_output_is '{"name":"test.Weather","type":"record","fields":[{"name":"station","type":"string"},{"name":"time","type":"long"},{"name":"temp","type":"int"}]}'
	run_ak getschema --canonical "$DATA/nulls.avro"
	expect_status 0
	expect_output_is '"null"'
}

@test "getschema --canonical with --raw or --compact is a usage error" {
	run_ak getschema --canonical --raw "$DATA/weather.avro"
	expect_usage_error getschema "--canonical" "--raw"
	run_ak getschema -c --canonical "$DATA/weather.avro"
	expect_usage_error getschema "--canonical" "--compact"
}

# ---- -o ----

@test "getschema -o writes the file, nothing on stdout, no temporary file left" {
	mkdir "$TMP/out"
	run_ak getschema -o "$TMP/out/s.avsc" "$DATA/weather.avro"
	expect_status 0
	expect_no_stderr
	expect_no_output
	assert_golden_file getschema/weather.out "$TMP/out/s.avsc"
	[[ "$(list_dir "$TMP/out")" == "s.avsc" ]] || ak_show "directory: $(list_dir "$TMP/out")"
}

@test "getschema --output=FILE --compact replaces an existing file" {
	mkdir "$TMP/out"
	echo "old content" > "$TMP/out/s.avsc"
	run_ak getschema --output="$TMP/out/s.avsc" --compact - < "$DATA/weather.avro"
	expect_status 0
	expect_no_stderr
	expect_no_output
	assert_golden_file getschema/weather-compact.out "$TMP/out/s.avsc"
	[[ "$(list_dir "$TMP/out")" == "s.avsc" ]] || ak_show "directory: $(list_dir "$TMP/out")"
}

@test "getschema -o: a failure leaves an existing file unchanged and no temporary file" {
	mkdir "$TMP/out"
	echo "old content" > "$TMP/out/s.avsc"
	cut_file "$DATA/weather.avro" 100 "$TMP/cut.avro"
	run_ak getschema -o "$TMP/out/s.avsc" "$TMP/cut.avro"
	expect_data_error getschema "$TMP/cut.avro" "header"
	expect_no_output
	[[ "$(cat "$TMP/out/s.avsc")" == "old content" ]] || ak_show "the old file was changed"
	[[ "$(list_dir "$TMP/out")" == "s.avsc" ]] || ak_show "directory: $(list_dir "$TMP/out")"
}

@test "getschema -o: a missing input leaves no file" {
	mkdir "$TMP/out"
	run_ak getschema -o "$TMP/out/s.avsc" "$TMP/missing.avro"
	expect_data_error getschema "$TMP/missing.avro" "cannot open: No such file or directory"
	[[ -z "$(list_dir "$TMP/out")" ]] || ak_show "directory: $(list_dir "$TMP/out")"
}

@test "getschema -o - writes standard output" {
	run_ak getschema -o - "$DATA/weather.avro"
	expect_status 0
	assert_golden getschema/weather.out "$output"
}

# ---- bad options ----

@test "getschema: unknown option" {
	run_ak getschema --pretty "$DATA/weather.avro"
	expect_usage_error getschema "unknown option '--pretty'"
}

@test "getschema: unknown short option" {
	run_ak getschema -x "$DATA/weather.avro"
	expect_usage_error getschema "unknown option '-x'"
}

@test "getschema: -o without its argument" {
	run_ak getschema -o
	expect_usage_error getschema "option '-o' needs an argument"
}

@test "getschema: --output without its argument" {
	run_ak getschema --output
	expect_usage_error getschema "needs an argument"
}

@test "getschema --help prints the usage and exits 0" {
	run_ak getschema --help
	expect_status 0
	expect_no_stderr
	[[ "${lines[0]}" == "Usage: avrokit getschema [OPTION]... [FILE]" ]] || ak_show "usage"
	for opt in --compact --raw --canonical --output; do
		[[ "$output" == *"$opt"* ]] || ak_show "--help lacks $opt"
	done
}

# ---- bad input ----

@test "getschema: a missing file is an error naming it" {
	run_ak getschema "$TMP/missing.avro"
	expect_data_error getschema "$TMP/missing.avro" "cannot open: No such file or directory"
	expect_no_output
}

@test "getschema: a directory is an error naming it" {
	run_ak getschema "$TMP"
	expect_data_error getschema "$TMP" "is a directory"
	expect_no_output
}

@test "getschema: an empty file" {
	: > "$TMP/empty"
	run_ak getschema "$TMP/empty"
	expect_data_error getschema "$TMP/empty" "empty input: not an Avro data file"
	expect_no_output
}

@test "getschema: wrong magic" {
	poke_byte "$DATA/weather.avro" 0 6f "$TMP/bad.avro"
	run_ak getschema "$TMP/bad.avro"
	expect_data_error getschema "$TMP/bad.avro" "not an Avro data file (bad magic bytes)"
	expect_no_output
}

@test "getschema: wrong magic on standard input" {
	run_ak getschema < "$DATA/weather.json"
	expect_data_error getschema "(standard input)" "not an Avro data file (bad magic bytes)"
	expect_no_output
}

@test "getschema: truncated in the header, including its sync marker" {
	local n hdr
	hdr=$(layout weather header)
	for n in 4 5 10 50 200 $((hdr - 16)) $((hdr - 8)) $((hdr - 1)); do
		cut_file "$DATA/weather.avro" "$n" "$TMP/cut.avro"
		run_ak getschema "$TMP/cut.avro"
		expect_data_error getschema "$TMP/cut.avro" "header" "offset $n"
		expect_no_output
	done
}

@test "getschema: truncated in the header, on a pipe" {
	run_sh 'head -c 300 "$DATA/weather.avro" | "$AVROKIT" getschema'
	expect_data_error getschema "(standard input)" "header" "offset 300"
	expect_no_output
}

@test "getschema reads only the header: a cut block or sync marker does not matter" {
	local n
	for n in $(($(block_field weather 0 offset) + 1)) $(($(block_field weather 0 data) + 5)) \
		$(($(block_field weather 0 sync) + 3)); do
		cut_file "$DATA/weather.avro" "$n" "$TMP/cut.avro"
		run_ak getschema "$TMP/cut.avro"
		expect_status 0
		expect_no_stderr
		assert_golden getschema/weather.out "$output"
	done
}

@test "getschema reads only the header: a bad sync marker or deflate data does not matter" {
	flip_last_byte "$DATA/multiblock.avro" "$TMP/bad.avro"
	run_ak getschema "$TMP/bad.avro"
	expect_status 0
	expect_no_stderr
	assert_golden getschema/weather.out "$output"
	poke_byte "$DATA/weather-deflate.avro" "$(block_field weather-deflate 0 data)" ff "$TMP/bad.avro"
	run_ak getschema "$TMP/bad.avro"
	expect_status 0
	assert_golden getschema/weather.out "$output"
}

@test "getschema: a schema that does not parse is a data error" {
	local pos
	# turn "record" into "recorx" inside the stored schema
	pos=$(grep -obUa '"record"' "$DATA/weather.avro" | head -n 1 | cut -d: -f1)
	poke_byte "$DATA/weather.avro" $((pos + 6)) 78 "$TMP/bad.avro"
	run_ak getschema "$TMP/bad.avro"
	expect_data_error getschema "$TMP/bad.avro" "invalid schema in the header"
	expect_no_output
}

@test "getschema: a metadata key length past the end of the file" {
	# the first key length (at offset 5) becomes 63 bytes: the key runs into the value
	poke_byte "$DATA/weather.avro" 5 7e "$TMP/bad.avro"
	cut_file "$TMP/bad.avro" 40 "$TMP/cut.avro"
	run_ak getschema "$TMP/cut.avro"
	expect_data_error getschema "$TMP/cut.avro" "header" "offset 40"
	expect_no_output
}

@test "getschema: every truncation of the header gives exit 1, never a crash" {
	local hdr n st
	hdr=$(layout weather-deflate header)
	for ((n = 0; n < hdr; n++)); do
		head -c "$n" "$DATA/weather-deflate.avro" > "$TMP/cut.avro"
		st=0
		"$AVROKIT" getschema "$TMP/cut.avro" > "$TMP/out" 2> "$TMP/err" || st=$?
		[[ "$st" -eq 1 && ! -s "$TMP/out" ]] || { echo "length $n: status $st: $(cat "$TMP/err")" >&2; return 1; }
		grep -q "^avrokit getschema: $TMP/cut.avro: " "$TMP/err" || { echo "length $n: $(cat "$TMP/err")" >&2; return 1; }
	done
	head -c "$hdr" "$DATA/weather-deflate.avro" > "$TMP/cut.avro"
	"$AVROKIT" getschema "$TMP/cut.avro" > "$TMP/out"
	assert_golden_file getschema/weather.out "$TMP/out"
}

# ---- output errors and pipes ----

@test "getschema > /dev/full: exit 1, No space left" {
	run_sh '"$AVROKIT" getschema "$DATA/weather.avro" > /dev/full'
	expect_status 1
	expect_stderr "avrokit getschema: " "No space left on device"
}

@test "getschema --raw > /dev/full: exit 1, No space left" {
	run_sh '"$AVROKIT" getschema --raw "$DATA/weather.avro" > /dev/full'
	expect_status 1
	expect_stderr "avrokit getschema: " "No space left on device"
}

@test "getschema | head -1 ends quietly" {
	run_sh '"$AVROKIT" getschema "$DATA/weather.avro" | head -n 1'
	expect_status 0
	expect_no_stderr
	expect_output_is "{"
}
