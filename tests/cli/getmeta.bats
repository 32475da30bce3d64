#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# avrokit getmeta: the metadata of a data file as KEY<TAB>VALUE lines, in file order.

load common

# What python3-avro reads from FILE's header, as getmeta should print it.
python_meta() {
	/usr/bin/python3 - "$1" <<-'EOF'
		import sys
		import avro.datafile, avro.io
		with open(sys.argv[1], "rb") as f:
		    meta = avro.datafile.DataFileReader(f, avro.io.DatumReader()).meta
		for k, v in meta.items():  # file order
		    sys.stdout.buffer.write(k.encode() + b"\t" + v + b"\n")
	EOF
}

# ---- success ----

@test "getmeta prints every key in file order, as the golden output" {
	run_ak getmeta "$DATA/weather.avro"
	expect_status 0
	expect_no_stderr
	assert_golden getmeta/weather.out "$output"
	[[ "${#lines[@]}" -eq 3 ]] || ak_show "three entries"
	expect_output_is "avro.codec	null
avro.schema	$(cat "$GOLDEN/getschema/weather-raw.out")
test.note	invented weather readings for the avrokit tests"
}

@test "getmeta output is byte-exact and what python3-avro reads" {
	"$AVROKIT" getmeta "$DATA/weather.avro" > "$TMP/out"
	python_meta "$DATA/weather.avro" > "$TMP/want"
	cmp "$TMP/want" "$TMP/out"
	assert_golden_file getmeta/weather.out "$TMP/out"
}

@test "getmeta of the deflate file names the codec" {
	run_ak getmeta "$DATA/weather-deflate.avro"
	expect_status 0
	expect_no_stderr
	[[ "${lines[0]}" == "avro.codec	deflate" ]] || ak_show "codec line"
	python_meta "$DATA/weather-deflate.avro" > "$TMP/want"
	expect_output_file "$TMP/want"
}

@test "getmeta of a file with no codec key prints only the schema" {
	run_ak getmeta "$DATA/nocodec.avro"
	expect_status 0
	expect_no_stderr
	[[ "${#lines[@]}" -eq 1 && "${lines[0]}" == "avro.schema	{"* ]] || ak_show "one line"
}

@test "getmeta of the other fixtures matches python3-avro" {
	local f
	for f in multiblock empty nulls; do
		"$AVROKIT" getmeta "$DATA/$f.avro" > "$TMP/out"
		python_meta "$DATA/$f.avro" > "$TMP/want"
		cmp "$TMP/want" "$TMP/out"
	done
}

# ---- standard input ----

@test "getmeta with no FILE reads standard input" {
	run_ak getmeta < "$DATA/weather.avro"
	expect_status 0
	expect_no_stderr
	assert_golden getmeta/weather.out "$output"
}

@test "getmeta - reads standard input" {
	run_ak getmeta - < "$DATA/weather.avro"
	expect_status 0
	expect_no_stderr
	assert_golden getmeta/weather.out "$output"
}

@test "getmeta reads a pipe" {
	run_sh 'cat "$DATA/weather.avro" | "$AVROKIT" getmeta'
	expect_status 0
	expect_no_stderr
	assert_golden getmeta/weather.out "$output"
}

@test "getmeta takes one input at most" {
	run_ak getmeta "$DATA/weather.avro" "$DATA/weather.avro"
	expect_usage_error getmeta "one input at most (got 2)"
}

# ---- --key ----

@test "getmeta --key prints only the value" {
	run_ak getmeta --key avro.codec "$DATA/weather-deflate.avro"
	expect_status 0
	expect_no_stderr
	expect_output_is "deflate"
	run_ak getmeta -k test.note "$DATA/weather.avro"
	expect_status 0
	expect_output_is "invented weather readings for the avrokit tests"
}

@test "getmeta --key=avro.schema is the stored schema plus a newline" {
	"$AVROKIT" getmeta --key=avro.schema "$DATA/weather.avro" > "$TMP/out"
	/usr/bin/python3 - "$DATA/weather.avro" "$TMP/out" <<-'EOF'
		import sys
		import avro.datafile, avro.io
		with open(sys.argv[1], "rb") as f:
		    stored = avro.datafile.DataFileReader(f, avro.io.DatumReader()).get_meta("avro.schema")
		assert open(sys.argv[2], "rb").read() == stored + b"\n"
	EOF
}

@test "getmeta --key of an absent key: exit 1, a message, no output" {
	run_ak getmeta --key no.such.key "$DATA/weather.avro"
	expect_data_error getmeta "$DATA/weather.avro" 'no metadata key "no.such.key"'
	expect_no_output
}

@test "getmeta --key avro.codec when the file has no codec key: exit 1" {
	run_ak getmeta --key avro.codec "$DATA/nocodec.avro"
	expect_data_error getmeta "$DATA/nocodec.avro" 'no metadata key "avro.codec"'
	expect_no_output
}

@test "getmeta --key matches whole keys, not prefixes" {
	run_ak getmeta --key avro "$DATA/weather.avro"
	expect_data_error getmeta "$DATA/weather.avro" 'no metadata key "avro"'
	run_ak getmeta --key '' "$DATA/weather.avro"
	expect_data_error getmeta "$DATA/weather.avro" 'no metadata key ""'
}

@test "getmeta --key on standard input" {
	run_sh 'cat "$DATA/weather-deflate.avro" | "$AVROKIT" getmeta -k avro.codec -'
	expect_status 0
	expect_no_stderr
	expect_output_is "deflate"
}

# ---- --json ----

@test "getmeta --json: one JSON object, every key in file order, the values as stored" {
	run_ak getmeta --json "$DATA/weather-deflate.avro"
	expect_status 0
	expect_no_stderr
	[[ "${#lines[@]}" -eq 1 ]] || ak_show "one line"
	# the same keys, values and order as the KEY<TAB>VALUE form
	/usr/bin/python3 -c '
import json, sys
obj = json.loads(sys.argv[1], object_pairs_hook=lambda kv: kv)
lines = open(sys.argv[2], "rb").read().decode().split("\n")[:-1]
want = [tuple(l.split("\t", 1)) for l in lines]
assert obj == want, (obj, want)' "$output" <("$AVROKIT" getmeta "$DATA/weather-deflate.avro")
	run_ak getmeta -j --key avro.codec "$DATA/weather-deflate.avro"
	expect_status 0
	expect_output_is '"deflate"'
	run_ak getmeta --json --key nosuch "$DATA/weather-deflate.avro"
	expect_status 1
	expect_no_output
}

@test "getmeta --json: a value that is not UTF-8 is {\"base64\": ...}; text is a string, escaped" {
	"$AVROKIT" fromjson -s '"int"' -m bin=$'\xff\xfe\x01' -m text=$'t\xc3\xa9\t"\\\n' \
		-m ascii=plain -o "$TMP/m.avro" /dev/null
	run_ak getmeta --json "$TMP/m.avro"
	expect_status 0
	/usr/bin/python3 -c '
import base64, json, sys
obj = json.loads(sys.argv[1])
assert obj["bin"] == {"base64": base64.b64encode(b"\xff\xfe\x01").decode()}, obj["bin"]
assert obj["text"] == "t\u00e9\t\"\\\n", obj["text"]
assert obj["ascii"] == "plain", obj
assert list(obj) == ["avro.schema", "avro.codec", "bin", "text", "ascii"], list(obj)' "$output"
	run_ak getmeta --json -k bin "$TMP/m.avro"
	expect_output_is '{"base64":"//4B"}'
}

# ---- -o ----

@test "getmeta -o writes the file, nothing on stdout, no temporary file left" {
	mkdir "$TMP/out"
	run_ak getmeta -o "$TMP/out/meta.txt" "$DATA/weather.avro"
	expect_status 0
	expect_no_stderr
	expect_no_output
	assert_golden_file getmeta/weather.out "$TMP/out/meta.txt"
	[[ "$(list_dir "$TMP/out")" == "meta.txt" ]] || ak_show "directory: $(list_dir "$TMP/out")"
}

@test "getmeta --output=FILE --key replaces an existing file" {
	mkdir "$TMP/out"
	echo "old content" > "$TMP/out/meta.txt"
	run_ak getmeta --output="$TMP/out/meta.txt" --key avro.codec "$DATA/weather.avro"
	expect_status 0
	expect_no_output
	[[ "$(cat "$TMP/out/meta.txt")" == "null" ]] || ak_show "file content"
	[[ "$(list_dir "$TMP/out")" == "meta.txt" ]] || ak_show "directory: $(list_dir "$TMP/out")"
}

@test "getmeta -o: an absent --key leaves an existing file unchanged and no temporary file" {
	mkdir "$TMP/out"
	echo "old content" > "$TMP/out/meta.txt"
	run_ak getmeta -o "$TMP/out/meta.txt" --key no.such.key "$DATA/weather.avro"
	expect_data_error getmeta "$DATA/weather.avro" 'no metadata key "no.such.key"'
	[[ "$(cat "$TMP/out/meta.txt")" == "old content" ]] || ak_show "the old file was changed"
	[[ "$(list_dir "$TMP/out")" == "meta.txt" ]] || ak_show "directory: $(list_dir "$TMP/out")"
}

@test "getmeta -o: a bad input leaves an existing file unchanged and no temporary file" {
	mkdir "$TMP/out"
	echo "old content" > "$TMP/out/meta.txt"
	cut_file "$DATA/weather.avro" 50 "$TMP/cut.avro"
	run_ak getmeta -o "$TMP/out/meta.txt" "$TMP/cut.avro"
	expect_data_error getmeta "$TMP/cut.avro" "header" "offset 50"
	[[ "$(cat "$TMP/out/meta.txt")" == "old content" ]] || ak_show "the old file was changed"
	[[ "$(list_dir "$TMP/out")" == "meta.txt" ]] || ak_show "directory: $(list_dir "$TMP/out")"
}

@test "getmeta -o: a missing input leaves no file" {
	mkdir "$TMP/out"
	run_ak getmeta -o "$TMP/out/meta.txt" "$TMP/missing.avro"
	expect_data_error getmeta "$TMP/missing.avro" "cannot open: No such file or directory"
	[[ -z "$(list_dir "$TMP/out")" ]] || ak_show "directory: $(list_dir "$TMP/out")"
}

# ---- bad options ----

@test "getmeta: unknown option" {
	run_ak getmeta --compact "$DATA/weather.avro"
	expect_usage_error getmeta "unknown option '--compact'"
}

@test "getmeta: -k without its argument" {
	run_ak getmeta -k
	expect_usage_error getmeta "option '-k' needs an argument"
}

@test "getmeta: --key without its argument" {
	run_ak getmeta --key
	expect_usage_error getmeta "needs an argument"
}

@test "getmeta: -o without its argument" {
	run_ak getmeta "$DATA/weather.avro" -o
	expect_usage_error getmeta "option '-o' needs an argument"
}

@test "getmeta --help prints the usage and exits 0" {
	run_ak getmeta --help
	expect_status 0
	expect_no_stderr
	[[ "${lines[0]}" == "Usage: avrokit getmeta [OPTION]... [FILE]" ]] || ak_show "usage"
}

# ---- bad input ----

@test "getmeta: a missing file is an error naming it" {
	run_ak getmeta "$TMP/missing.avro"
	expect_data_error getmeta "$TMP/missing.avro" "cannot open: No such file or directory"
	expect_no_output
}

@test "getmeta: a directory is an error naming it" {
	run_ak getmeta "$TMP"
	expect_data_error getmeta "$TMP" "is a directory"
	expect_no_output
}

@test "getmeta: an empty file" {
	: > "$TMP/empty"
	run_ak getmeta "$TMP/empty"
	expect_data_error getmeta "$TMP/empty" "empty input: not an Avro data file"
	expect_no_output
}

@test "getmeta: wrong magic" {
	run_ak getmeta "$DATA/weather.avsc"
	expect_data_error getmeta "$DATA/weather.avsc" "not an Avro data file (bad magic bytes)"
	expect_no_output
}

@test "getmeta: truncated in the header, including its sync marker" {
	local n hdr
	hdr=$(layout weather header)
	for n in 4 5 7 30 150 $((hdr - 16)) $((hdr - 2)); do
		cut_file "$DATA/weather.avro" "$n" "$TMP/cut.avro"
		run_ak getmeta "$TMP/cut.avro"
		expect_data_error getmeta "$TMP/cut.avro" "header" "offset $n"
		expect_no_output
	done
}

@test "getmeta: truncated on a pipe" {
	run_sh 'head -c 30 "$DATA/weather.avro" | "$AVROKIT" getmeta'
	expect_data_error getmeta "(standard input)" "header" "offset 30"
	expect_no_output
}

@test "getmeta reads only the header: a cut block, bad sync or bad deflate data do not matter" {
	cut_file "$DATA/weather.avro" $(($(block_field weather 0 data) + 9)) "$TMP/bad.avro"
	run_ak getmeta "$TMP/bad.avro"
	expect_status 0
	assert_golden getmeta/weather.out "$output"
	flip_last_byte "$DATA/weather.avro" "$TMP/bad.avro"
	run_ak getmeta "$TMP/bad.avro"
	expect_status 0
	assert_golden getmeta/weather.out "$output"
	poke_byte "$DATA/weather-deflate.avro" "$(block_field weather-deflate 0 data)" ff "$TMP/bad.avro"
	run_ak getmeta --key avro.codec "$TMP/bad.avro"
	expect_status 0
	expect_output_is "deflate"
}

@test "getmeta: a negative metadata key length" {
	# the first key length (offset 5, the varint 20 for "avro.codec") becomes -1
	[[ "$(byte_at "$DATA/weather.avro" 5)" == 14 ]]
	poke_byte "$DATA/weather.avro" 5 01 "$TMP/bad.avro"
	run_ak getmeta "$TMP/bad.avro"
	expect_data_error getmeta "$TMP/bad.avro" "header: negative metadata key length"
	expect_no_output
}

@test "getmeta: an unknown codec is named" {
	local pos
	pos=$(grep -obUa 'null' "$DATA/weather.avro" | head -n 1 | cut -d: -f1)
	poke_byte "$DATA/weather.avro" "$pos" 6d "$TMP/bad.avro" # "null" -> "mull"
	run_ak getmeta "$TMP/bad.avro"
	expect_data_error getmeta "$TMP/bad.avro" 'unknown codec "mull"'
	expect_no_output
}

@test "getmeta: every truncation of the header gives exit 1, never a crash" {
	local hdr n st
	hdr=$(layout weather header)
	for ((n = 0; n < hdr; n++)); do
		head -c "$n" "$DATA/weather.avro" > "$TMP/cut.avro"
		st=0
		"$AVROKIT" getmeta "$TMP/cut.avro" > "$TMP/out" 2> "$TMP/err" || st=$?
		[[ "$st" -eq 1 && ! -s "$TMP/out" ]] || { echo "length $n: status $st: $(cat "$TMP/err")" >&2; return 1; }
		grep -q "^avrokit getmeta: $TMP/cut.avro: " "$TMP/err" || { echo "length $n: $(cat "$TMP/err")" >&2; return 1; }
	done
}

# ---- output errors and pipes ----

@test "getmeta > /dev/full: exit 1, No space left" {
	run_sh '"$AVROKIT" getmeta "$DATA/weather.avro" > /dev/full'
	expect_status 1
	expect_stderr "avrokit getmeta: " "No space left on device"
}

@test "getmeta --key > /dev/full: exit 1, No space left" {
	run_sh '"$AVROKIT" getmeta -k avro.codec "$DATA/weather.avro" > /dev/full'
	expect_status 1
	expect_stderr "avrokit getmeta: " "No space left on device"
}

@test "getmeta | head -1 ends quietly" {
	run_sh '"$AVROKIT" getmeta "$DATA/weather.avro" | head -n 1'
	expect_status 0
	expect_no_stderr
	expect_output_is "avro.codec	null"
}
