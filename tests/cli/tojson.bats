#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# avrokit tojson: records as Avro JSON, one per line. Bad and damaged input is tested in
# tojson-damage.bats, -j (several threads) in tojson-jobs.bats.

load common

# ---- success ----

@test "tojson prints the records of weather.avro exactly" {
	run_ak tojson "$DATA/weather.avro"
	expect_status 0
	expect_no_stderr
	expect_output_file "$DATA/weather.json"
	[[ "${#lines[@]}" -eq 10 ]] || ak_show "10 lines"
}

@test "tojson output is byte-exact, ending in one newline" {
	"$AVROKIT" tojson "$DATA/weather.avro" > "$TMP/out.json"
	cmp "$DATA/weather.json" "$TMP/out.json"
}

@test "tojson reads a deflate file" {
	run_ak tojson "$DATA/weather-deflate.avro"
	expect_status 0
	expect_no_stderr
	expect_output_file "$DATA/weather.json"
}

@test "tojson reads a file of several blocks" {
	"$AVROKIT" tojson "$DATA/multiblock.avro" > "$TMP/out.json"
	cmp "$DATA/multiblock.json" "$TMP/out.json"
	[[ "$(wc -l < "$TMP/out.json")" -eq 300 ]]
}

@test "tojson on a file with no blocks prints nothing" {
	run_ak tojson "$DATA/empty.avro"
	expect_status 0
	expect_no_stderr
	expect_no_output
}

@test "tojson on a null schema prints null for each of its 200000 records" {
	"$AVROKIT" tojson "$DATA/nulls.avro" > "$TMP/out.json"
	[[ "$(uniq -c < "$TMP/out.json" | tr -s ' ')" == " 200000 null" ]]
}

@test "tojson output reads back in python as the records python wrote" {
	"$AVROKIT" tojson "$DATA/multiblock.avro" > "$TMP/out.json"
	/usr/bin/python3 - "$DATA/multiblock.avro" "$TMP/out.json" <<-'EOF'
		import json, sys
		import avro.datafile, avro.io
		with open(sys.argv[1], "rb") as f:
		    want = list(avro.datafile.DataFileReader(f, avro.io.DatumReader()))
		with open(sys.argv[2], encoding="utf-8") as f:
		    got = [json.loads(line) for line in f]
		assert got == want, "records differ"
		assert len(got) == 300
	EOF
}

# ---- standard input ----

@test "tojson with no FILE reads standard input" {
	run_ak tojson < "$DATA/weather.avro"
	expect_status 0
	expect_no_stderr
	expect_output_file "$DATA/weather.json"
}

@test "tojson - reads standard input" {
	run_ak tojson - < "$DATA/weather-deflate.avro"
	expect_status 0
	expect_no_stderr
	expect_output_file "$DATA/weather.json"
}

@test "tojson reads a pipe (no seeking)" {
	run_sh 'cat "$DATA/multiblock.avro" | "$AVROKIT" tojson'
	expect_status 0
	expect_no_stderr
	expect_output_file "$DATA/multiblock.json"
}

@test "tojson - reads a pipe of a deflate file" {
	run_sh 'cat "$DATA/weather-deflate.avro" | "$AVROKIT" tojson -'
	expect_status 0
	expect_no_stderr
	expect_output_file "$DATA/weather.json"
}

# ---- several inputs ----

@test "tojson prints several inputs in order" {
	run_ak tojson "$DATA/weather.avro" "$DATA/multiblock.avro" "$DATA/empty.avro" \
		"$DATA/weather-deflate.avro"
	expect_status 0
	expect_no_stderr
	cat "$DATA/weather.json" "$DATA/multiblock.json" "$DATA/weather.json" > "$TMP/want"
	expect_output_file "$TMP/want"
}

@test "tojson mixes files and standard input" {
	run_sh '"$AVROKIT" tojson "$DATA/weather.avro" - < "$DATA/multiblock.avro"'
	expect_status 0
	expect_no_stderr
	cat "$DATA/weather.json" "$DATA/multiblock.json" > "$TMP/want"
	expect_output_file "$TMP/want"
}

@test "tojson: a bad input after a good one prints the good records, then fails" {
	run_ak tojson "$DATA/weather.avro" "$TMP/missing.avro" "$DATA/multiblock.avro"
	expect_data_error tojson "$TMP/missing.avro" "cannot open" "No such file or directory"
	expect_output_file "$DATA/weather.json"
}

# ---- --pretty ----

@test "tojson --pretty matches the golden output" {
	run_ak tojson --pretty "$DATA/weather.avro"
	expect_status 0
	expect_no_stderr
	assert_golden tojson/weather-pretty.out "$output"
}

@test "tojson --pretty is byte-exact and the same with -p and for deflate" {
	"$AVROKIT" tojson -p "$DATA/weather-deflate.avro" > "$TMP/out"
	assert_golden_file tojson/weather-pretty.out "$TMP/out"
}

@test "tojson --pretty golden output holds the records of weather.json" {
	/usr/bin/python3 - "$GOLDEN/tojson/weather-pretty.out" "$DATA/weather.json" <<-'EOF'
		import json, sys
		text = open(sys.argv[1], encoding="utf-8").read()
		dec, pos, got = json.JSONDecoder(), 0, []
		while text[pos:].strip():
		    while text[pos] in " \n":
		        pos += 1
		    obj, pos = dec.raw_decode(text, pos)
		    got.append(obj)
		want = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
		assert got == want, (got, want)
		assert "\n  " in text  # it is indented
	EOF
}

@test "tojson --pretty --head 1 prints the first pretty record only" {
	run_ak tojson --pretty --head 1 "$DATA/weather.avro"
	expect_status 0
	expect_no_stderr
	local n=${#lines[@]}
	[[ "$n" -ge 3 ]] || ak_show "a record over several lines"
	[[ "$output" == "$(head -n "$n" "$GOLDEN/tojson/weather-pretty.out")" ]] ||
		ak_show "first record of the golden output"
	[[ "${lines[n - 1]}" == "}" ]] || ak_show "ends with }"
}

# ---- --head ----

@test "tojson --head 0 prints nothing" {
	run_ak tojson --head 0 "$DATA/weather.avro"
	expect_status 0
	expect_no_stderr
	expect_no_output
}

@test "tojson --head 1 prints the first record" {
	run_ak tojson --head 1 "$DATA/weather.avro"
	expect_status 0
	expect_no_stderr
	expect_output_is "$(head -n 1 "$DATA/weather.json")"
}

@test "tojson -n 55 stops inside the second block" {
	run_ak tojson -n 55 "$DATA/multiblock.avro"
	expect_status 0
	expect_no_stderr
	expect_output_is "$(head -n 55 "$DATA/multiblock.json")"
}

@test "tojson --head=50 stops at the end of the first block" {
	run_ak tojson --head=50 "$DATA/multiblock.avro"
	expect_status 0
	expect_no_stderr
	expect_output_is "$(head -n 50 "$DATA/multiblock.json")"
}

@test "tojson --head more than there is prints everything" {
	run_ak tojson --head 1000 "$DATA/weather.avro"
	expect_status 0
	expect_no_stderr
	expect_output_file "$DATA/weather.json"
	run_ak tojson --head 18446744073709551615 "$DATA/weather.avro"
	expect_status 0
	expect_output_file "$DATA/weather.json"
}

@test "tojson --head counts records over all inputs" {
	run_ak tojson --head 12 "$DATA/weather.avro" "$DATA/multiblock.avro"
	expect_status 0
	expect_no_stderr
	{ cat "$DATA/weather.json"; head -n 2 "$DATA/multiblock.json"; } > "$TMP/want"
	expect_output_file "$TMP/want"
}

@test "tojson --head stops before a broken block it does not need" {
	flip_byte "$DATA/multiblock.avro" "$(block_field multiblock 2 sync)" "$TMP/bad.avro"
	run_ak tojson --head 10 "$TMP/bad.avro"
	expect_status 0
	expect_no_stderr
	expect_output_is "$(head -n 10 "$DATA/multiblock.json")"
}

@test "tojson --head on a pipe" {
	run_sh 'cat "$DATA/multiblock.avro" | "$AVROKIT" tojson -n 3'
	expect_status 0
	expect_no_stderr
	expect_output_is "$(head -n 3 "$DATA/multiblock.json")"
}

# ---- -o ----

@test "tojson -o writes the file, nothing on stdout, no temporary file left" {
	mkdir "$TMP/out"
	run_ak tojson -o "$TMP/out/w.json" "$DATA/weather.avro"
	expect_status 0
	expect_no_stderr
	expect_no_output
	cmp "$DATA/weather.json" "$TMP/out/w.json"
	[[ "$(list_dir "$TMP/out")" == "w.json" ]] || ak_show "directory: $(list_dir "$TMP/out")"
}

@test "tojson --output=FILE replaces an existing file on success" {
	mkdir "$TMP/out"
	echo "old content" > "$TMP/out/w.json"
	run_ak tojson --output="$TMP/out/w.json" "$DATA/multiblock.avro"
	expect_status 0
	expect_no_stderr
	expect_no_output
	cmp "$DATA/multiblock.json" "$TMP/out/w.json"
	[[ "$(list_dir "$TMP/out")" == "w.json" ]] || ak_show "directory: $(list_dir "$TMP/out")"
}

@test "tojson -o in the current directory (a name with no slash)" {
	mkdir "$TMP/out"
	cd "$TMP/out"
	run_ak tojson -o w.json "$DATA/weather.avro"
	expect_status 0
	expect_no_stderr
	cmp "$DATA/weather.json" w.json
	[[ "$(list_dir .)" == "w.json" ]] || ak_show "directory: $(list_dir .)"
}

@test "tojson -o - writes standard output" {
	run_ak tojson -o - "$DATA/weather.avro"
	expect_status 0
	expect_no_stderr
	expect_output_file "$DATA/weather.json"
}

@test "tojson -o: a failure leaves an existing file unchanged and no temporary file" {
	mkdir "$TMP/out"
	echo "old content" > "$TMP/out/w.json"
	flip_last_byte "$DATA/weather.avro" "$TMP/bad.avro"
	run_ak tojson -o "$TMP/out/w.json" "$TMP/bad.avro"
	expect_data_error tojson "$TMP/bad.avro" "sync marker mismatch"
	expect_no_output
	[[ "$(cat "$TMP/out/w.json")" == "old content" ]] || ak_show "the old file was changed"
	[[ "$(list_dir "$TMP/out")" == "w.json" ]] || ak_show "directory: $(list_dir "$TMP/out")"
}

@test "tojson -o: an error after some records leaves the old file and no temporary file" {
	mkdir "$TMP/out"
	echo "old content" > "$TMP/out/w.json"
	flip_byte "$DATA/multiblock.avro" "$(block_field multiblock 2 sync)" "$TMP/bad.avro"
	run_ak tojson -o "$TMP/out/w.json" "$TMP/bad.avro"
	expect_data_error tojson "$TMP/bad.avro" "block 2 " "sync marker mismatch"
	expect_no_output
	[[ "$(cat "$TMP/out/w.json")" == "old content" ]] || ak_show "the old file was changed"
	[[ "$(list_dir "$TMP/out")" == "w.json" ]] || ak_show "directory: $(list_dir "$TMP/out")"
}

@test "tojson -o: a failure with no existing file leaves no file at all" {
	mkdir "$TMP/out"
	run_ak tojson -o "$TMP/out/w.json" "$DATA/weather.avro" "$TMP/missing.avro"
	expect_data_error tojson "$TMP/missing.avro" "No such file or directory"
	[[ -z "$(list_dir "$TMP/out")" ]] || ak_show "directory: $(list_dir "$TMP/out")"
}

@test "tojson -o into a missing directory is an error naming the output" {
	run_ak tojson -o "$TMP/no/such/dir/w.json" "$DATA/weather.avro"
	expect_status 1
	expect_no_output
	expect_stderr "avrokit tojson: " "$TMP/no/such/dir/w.json" "No such file or directory"
}

@test "tojson -o onto its own input is refused and the input is kept" {
	mkdir "$TMP/out"
	cp "$DATA/weather.avro" "$TMP/out/w.avro"
	run_ak tojson -o "$TMP/out/w.avro" "$TMP/out/w.avro"
	expect_status 1
	expect_no_output
	expect_stderr "avrokit tojson: " "$TMP/out/w.avro is also the output"
	cmp "$DATA/weather.avro" "$TMP/out/w.avro"
	[[ "$(list_dir "$TMP/out")" == "w.avro" ]] || ak_show "directory: $(list_dir "$TMP/out")"
}

@test "tojson >> its own input is refused and the input is kept" {
	cp "$DATA/weather.avro" "$TMP/w.avro"
	run_sh 'timeout 20 "$AVROKIT" tojson "$1" >> "$1"' _ "$TMP/w.avro"
	expect_status 1
	expect_stderr "avrokit tojson: " "$TMP/w.avro is also the output"
	cmp "$DATA/weather.avro" "$TMP/w.avro"
}

@test "tojson -o onto a FIFO writes into it and keeps the FIFO" {
	mkdir "$TMP/out"
	mkfifo "$TMP/out/fifo"
	timeout 20 cat "$TMP/out/fifo" > "$TMP/got" &
	local reader=$!
	run_ak tojson -o "$TMP/out/fifo" "$DATA/weather.avro"
	if [[ ! -p "$TMP/out/fifo" ]]; then
		kill "$reader" 2> /dev/null || true
		wait "$reader" || true
		ak_show "the FIFO was replaced by a regular file"
	fi
	expect_status 0
	expect_no_stderr
	wait "$reader"
	cmp "$DATA/weather.json" "$TMP/got"
}

# ---- bad options ----

@test "tojson: unknown long option" {
	run_ak tojson --frobnicate "$DATA/weather.avro"
	expect_usage_error tojson "unknown option '--frobnicate'"
}

@test "tojson: unknown short option" {
	run_ak tojson -z "$DATA/weather.avro"
	expect_usage_error tojson "unknown option '-z'"
}

@test "tojson: -n without its argument" {
	run_ak tojson -n
	expect_usage_error tojson "option '-n' needs an argument"
}

@test "tojson: --head without its argument" {
	run_ak tojson --head
	expect_usage_error tojson "needs an argument"
}

@test "tojson: --head without its argument names --head" {
	run_ak tojson --head
	expect_usage_error tojson "option '--head' needs an argument"
}

@test "tojson: -o without its argument" {
	run_ak tojson -o
	expect_usage_error tojson "option '-o' needs an argument"
}

@test "tojson: --head -1 is a usage error" {
	run_ak tojson --head -1 "$DATA/weather.avro"
	expect_usage_error tojson "--head: '-1' is not a number"
}

@test "tojson: --head abc is a usage error" {
	run_ak tojson --head abc "$DATA/weather.avro"
	expect_usage_error tojson "--head: 'abc' is not a number"
}

@test "tojson: --head with trailing junk, empty or too large is a usage error" {
	run_ak tojson --head 5x "$DATA/weather.avro"
	expect_usage_error tojson "--head: '5x' is not a number"
	run_ak tojson --head '' "$DATA/weather.avro"
	expect_usage_error tojson "--head: '' is not a number"
	run_ak tojson --head 18446744073709551616 "$DATA/weather.avro"
	expect_usage_error tojson "--head: '18446744073709551616' is not a number"
}

@test "tojson: --pretty takes no argument" {
	run_ak tojson --pretty=yes "$DATA/weather.avro"
	expect_usage_error tojson
}

@test "tojson: --pretty=yes names --pretty in its message" {
	run_ak tojson --pretty=yes "$DATA/weather.avro"
	expect_usage_error tojson "'--pretty'"
}

@test "tojson: -- ends the options" {
	cp "$DATA/weather.avro" "$TMP/-w.avro"
	cd "$TMP"
	run_ak tojson -- -w.avro
	expect_status 0
	expect_no_stderr
	expect_output_file "$DATA/weather.json"
}

@test "tojson --help prints the usage and exits 0" {
	run_ak tojson --help
	expect_status 0
	expect_no_stderr
	[[ "${lines[0]}" == "Usage: avrokit tojson [OPTION]... [FILE]..." ]] || ak_show "usage"
}

# ---- output errors and pipes ----

@test "tojson > /dev/full: exit 1, No space left" {
	run_sh '"$AVROKIT" tojson "$DATA/weather.avro" > /dev/full'
	expect_status 1
	expect_stderr "avrokit tojson: " "No space left on device"
}

@test "tojson > /dev/full names the output like the other commands do" {
	run_sh '"$AVROKIT" tojson "$DATA/weather.avro" > /dev/full'
	expect_status 1
	expect_stderr_is "avrokit tojson: (standard output): write error: No space left on device"
}

@test "tojson > /dev/full with more output than one buffer: exit 1, one message" {
	run_sh '"$AVROKIT" tojson "$DATA/nulls.avro" > /dev/full'
	expect_status 1
	expect_stderr "avrokit tojson: " "No space left on device"
	[[ "$stderr" != *$'\n'* ]] || ak_show "one line"
}

@test "tojson | head -1 ends quietly" {
	"$AVROKIT" tojson "$DATA/nulls.avro" 2> "$TMP/err" | head -n 1 > "$TMP/out"
	local st=${PIPESTATUS[0]}
	[[ "$st" -eq 0 || "$st" -eq 141 ]] || { echo "status $st" >&2; return 1; }
	[[ ! -s "$TMP/err" ]] || { cat "$TMP/err" >&2; return 1; }
	[[ "$(cat "$TMP/out")" == "null" ]]
}

@test "tojson --pretty | head -1 ends quietly" {
	"$AVROKIT" tojson --pretty "$DATA/nulls.avro" "$DATA/multiblock.avro" 2> "$TMP/err" |
		head -n 1 > "$TMP/out"
	local st=${PIPESTATUS[0]}
	[[ "$st" -eq 0 || "$st" -eq 141 ]] || { echo "status $st" >&2; return 1; }
	[[ ! -s "$TMP/err" ]] || { cat "$TMP/err" >&2; return 1; }
	[[ "$(cat "$TMP/out")" == "null" ]]
}

@test "tojson | head -1 on a small file" {
	run_sh '"$AVROKIT" tojson "$DATA/multiblock.avro" | head -n 1'
	expect_status 0
	expect_no_stderr
	expect_output_is "$(head -n 1 "$DATA/multiblock.json")"
}

# A record with every logical type, written with fromjson; see the expected values by hand:
# 19880 days = 2024-06-06, 52000123 ms = 14:26:40.123, bytes ff 85 = -123 (scale 2: -1.23).
plain_fixture() {
	local s='{"type":"record","name":"L","fields":[
	{"name":"d","type":{"type":"int","logicalType":"date"}},
	{"name":"t","type":{"type":"int","logicalType":"time-millis"}},
	{"name":"tu","type":{"type":"long","logicalType":"time-micros"}},
	{"name":"ts","type":{"type":"long","logicalType":"timestamp-millis"}},
	{"name":"tsu","type":{"type":"long","logicalType":"timestamp-micros"}},
	{"name":"tsn","type":{"type":"long","logicalType":"timestamp-nanos"}},
	{"name":"lts","type":{"type":"long","logicalType":"local-timestamp-millis"}},
	{"name":"dec","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}},
	{"name":"decf","type":{"type":"fixed","name":"DF","size":4,"logicalType":"decimal","precision":9,"scale":4}},
	{"name":"bad","type":{"type":"bytes","logicalType":"decimal","precision":2,"scale":5}},
	{"name":"u","type":{"type":"string","logicalType":"uuid"}},
	{"name":"uf","type":{"type":"fixed","name":"UF","size":16,"logicalType":"uuid"}},
	{"name":"dur","type":{"type":"fixed","name":"DU","size":12,"logicalType":"duration"}},
	{"name":"opt","type":["null","string",{"type":"long","logicalType":"timestamp-millis"}]},
	{"name":"n","type":["null","int"]},
	{"name":"b","type":"bytes"}]}'
	"$AVROKIT" fromjson -s "$s" -o "$TMP/l.avro" <<'JSON'
{"d":19880,"t":52000123,"tu":52000123456,"ts":1717683927447,"tsu":-1,"tsn":1717683927447123456,"lts":0,"dec":"\u00ff\u0085","decf":"\u0000\u0000\u0000\u0005","bad":"\u0001","u":"6ba7b810-9dad-11d1-80b4-00c04fd430c8","uf":"\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000a\u000b\u000c\u000d\u000e\u000f","dur":"\u0001\u0000\u0000\u0000\u0002\u0000\u0000\u0000\u0003\u0000\u0000\u0000","opt":{"long":-62135596800001},"n":{"int":7},"b":"hi\u00ff"}
{"d":-719528,"t":86400000,"tu":86399999999,"ts":-1,"tsu":253402300800000000,"tsn":0,"lts":-1,"dec":"\u0000","decf":"\u00ff\u00ff\u00ff\u00ff","bad":"","u":"x","uf":"abcdefghijklmnop","dur":"abcdefghijkl","opt":{"string":"s"},"n":null,"b":""}
JSON
}

@test "tojson --plain: unions unwrapped and every logical type rendered" {
	plain_fixture
	run_ak tojson --plain "$TMP/l.avro"
	expect_status 0
	expect_no_stderr
	expect_output_is '{"d":"2024-06-06","t":"14:26:40.123","tu":"14:26:40.123456","ts":"2024-06-06T14:25:27.447Z","tsu":"1969-12-31T23:59:59.999999Z","tsn":"2024-06-06T14:25:27.447123456Z","lts":"1970-01-01T00:00:00.000","dec":"-1.23","decf":"0.0005","bad":"\u0001","u":"6ba7b810-9dad-11d1-80b4-00c04fd430c8","uf":"00010203-0405-0607-0809-0a0b0c0d0e0f","dur":{"months":1,"days":2,"milliseconds":3},"opt":"0000-12-31T23:59:59.999Z","n":7,"b":"hi\u00FF"}
{"d":"0000-01-01","t":86400000,"tu":"23:59:59.999999","ts":"1969-12-31T23:59:59.999Z","tsu":"+10000-01-01T00:00:00.000000Z","tsn":"1970-01-01T00:00:00.000000000Z","lts":"1969-12-31T23:59:59.999","dec":"0.00","decf":"-0.0001","bad":"","u":"x","uf":"61626364-6566-6768-696a-6b6c6d6e6f70","dur":{"months":1684234849,"days":1751606885,"milliseconds":1818978921},"opt":"s","n":null,"b":""}'
}

@test "tojson: a reader decimal of another scale reads the same number in its scale" {
	cat > "$TMP/d.json" <<'JSON'
{"b": "\u0000\u007b", "f": "\u00ff\u00ff\u00ff\u0085"}
{"b": "\u00ff\u0088", "f": "\u0000\u0000\u0000\u0078"}
{"b": "", "f": "\u0000\u0000\u0000\u0000"}
JSON
	d() { # d NAME-OF-FIXED PRECISION SCALE
		printf '{"type":"record","name":"R","fields":[{"name":"b","type":{"type":"bytes","logicalType":"decimal","precision":%s,"scale":%s}},{"name":"f","type":{"type":"fixed","name":"F","size":4,"logicalType":"decimal","precision":%s,"scale":%s}}]}' "$1" "$2" "$1" "$2"
	}
	"$AVROKIT" fromjson --schema "$(d 5 2)" "$TMP/d.json" > "$TMP/d.avro"
	run_ak tojson --plain "$TMP/d.avro"
	expect_output_is $'{"b":"1.23","f":"-1.23"}\n{"b":"-1.20","f":"1.20"}\n{"b":"0.00","f":"0.00"}'
	# up: 1.23 is 1.2300 (12300), not 0.0123
	run_ak tojson --plain -r "$(d 9 4)" "$TMP/d.avro"
	expect_status 0
	expect_output_is $'{"b":"1.2300","f":"-1.2300"}\n{"b":"-1.2000","f":"1.2000"}\n{"b":"0.0000","f":"0.0000"}'
	# the bytes themselves, in Avro JSON: 12300 is 0x300C, -12300 0xCFF4 (the fixed's 4 bytes)
	run_ak tojson --head 1 -r "$(d 9 4)" "$TMP/d.avro"
	expect_output_is '{"b":"0\f","f":"\u00FF\u00FF\u00CF\u00F4"}'
	# down, where no digit is lost: -1.20 and 1.20 are -1.2 and 1.2
	run_ak tojson --plain -r "$(d 4 1)" "$TMP/d.avro"
	expect_status 1
	expect_stderr "record 0: field b: the decimal's value cannot be read with the reader's scale 1 without losing digits (the writer's is 2)"
	printf '%s\n' '{"b": "\u00ff\u0088", "f": "\u0000\u0000\u0000\u0078"}' |
		"$AVROKIT" fromjson --schema "$(d 5 2)" - > "$TMP/e.avro"
	run_ak tojson --plain -r "$(d 4 1)" "$TMP/e.avro"
	expect_status 0
	expect_output_is '{"b":"-1.2","f":"1.2"}'
	# precision alone may differ; scales more than 64 apart cannot be read
	run_ak tojson --plain -r "$(d 3 2)" "$TMP/e.avro"
	expect_output_is '{"b":"-1.20","f":"1.20"}'
	run_ak tojson --plain -r "$(d 80 67)" "$TMP/e.avro"
	expect_status 1
	expect_stderr "the writer's decimal of scale 2 cannot be read as the reader's of scale 67 (more than 64 apart)"
}

@test "tojson: without --plain the same file is Avro JSON (raw numbers, wrapped unions)" {
	plain_fixture
	run_ak tojson "$TMP/l.avro"
	expect_status 0
	[[ "$output" == '{"d":19880,"t":52000123,'* ]] || ak_show "expected raw numbers"
	[[ "$output" == *'"opt":{"long":-62135596800001},"n":{"int":7},'* ]] || ak_show "expected wrapped unions"
}

@test "tojson --bytes base64 and hex; codepoints is the default; a bad form is a usage error" {
	plain_fixture
	run_ak tojson --plain --bytes base64 "$TMP/l.avro"
	expect_status 0
	[[ "$output" == *'"bad":"AQ==",'*'"b":"aGn/"}'* ]] || ak_show "base64"
	run_ak tojson --bytes hex "$TMP/l.avro"
	expect_status 0
	[[ "$output" == *'"dec":"ff85","decf":"00000005",'*'"b":"6869ff"}'* ]] || ak_show "hex"
	run_ak tojson --bytes codepoints "$TMP/l.avro"
	[[ "$output" == *'"b":"hi\u00FF"}'* ]] || ak_show "codepoints"
	run_ak tojson --bytes b32 "$TMP/l.avro"
	expect_usage_error tojson "--bytes"
}

@test "tojson --plain with a reader schema: the defaults of added fields are plain too" {
	cat > "$TMP/r.avsc" <<'JSON'
{"type": "record", "name": "Weather", "namespace": "test", "fields": [
 {"name": "station", "type": "string"},
 {"name": "time", "type": {"type": "long", "logicalType": "timestamp-millis"}},
 {"name": "temp", "type": "int"},
 {"name": "day", "type": {"type": "int", "logicalType": "date"}, "default": 19880},
 {"name": "at", "type": {"type": "long", "logicalType": "local-timestamp-micros"}, "default": 1500},
 {"name": "when", "type": {"type": "int", "logicalType": "time-millis"}, "default": 52000123},
 {"name": "price", "type": {"type": "bytes", "logicalType": "decimal", "precision": 6, "scale": 2},
  "default": "\u00ff\u0085"},
 {"name": "id", "type": {"type": "fixed", "name": "U", "size": 16, "logicalType": "uuid"},
  "default": "\u0000\u0011\"3DUfw\u0088\u0099\u00aa\u00bb\u00cc\u00dd\u00ee\u00ff"},
 {"name": "tag", "type": ["string", "null"], "default": "x"},
 {"name": "note", "type": ["null", "string"], "default": null},
 {"name": "raw", "type": "bytes", "default": "\u0001\u0002"},
 {"name": "big", "type": {"type": "int", "logicalType": "date"}, "default": 2147483647}
]}
JSON
	run_ak tojson --plain --head 1 -R "$TMP/r.avsc" "$DATA/weather.avro"
	expect_status 0
	expect_output_is '{"station":"ALTA-1","time":"2024-01-01T00:00:00.000Z","temp":-123,"day":"2024-06-06","at":"1970-01-01T00:00:00.001500","when":"14:26:40.123","price":"-1.23","id":"00112233-4455-6677-8899-aabbccddeeff","tag":"x","note":null,"raw":"\u0001\u0002","big":2147483647}'
	run_ak tojson --plain --bytes hex --head 1 -R "$TMP/r.avsc" "$DATA/weather.avro"
	[[ "$output" == *'"raw":"0102","big"'* ]] || ak_show "--bytes hex on a default"
	run_ak tojson --plain --bytes base64 --head 1 -R "$TMP/r.avsc" "$DATA/weather.avro"
	[[ "$output" == *'"raw":"AQI=","big"'* ]] || ak_show "--bytes base64 on a default"
	# without --plain, the same defaults in Avro's JSON encoding
	run_ak tojson --head 1 -R "$TMP/r.avsc" "$DATA/weather.avro"
	expect_output_is '{"station":"ALTA-1","time":1704067200000,"temp":-123,"day":19880,"at":1500,"when":52000123,"price":"\u00FF\u0085","id":"\u0000\u0011\"3DUfw\u0088\u0099\u00AA\u00BB\u00CC\u00DD\u00EE\u00FF","tag":{"string":"x"},"note":null,"raw":"\u0001\u0002","big":2147483647}'
	# and --pretty lays the plain defaults out like the rest
	run_ak tojson --plain --pretty --head 1 -R "$TMP/r.avsc" "$DATA/weather.avro"
	expect_status 0
	[[ "$output" == *'"price" : "-1.23",'* && "$output" == *'"tag" : "x",'* ]] ||
		ak_show "--pretty --plain with defaults"
}
