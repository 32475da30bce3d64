#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# avrokit count: the number of records, summed from the block headers.

load common

# ---- success ----

@test "count of weather.avro is 10" {
	run_ak count "$DATA/weather.avro"
	expect_status 0
	expect_no_stderr
	expect_output_is 10
}

@test "count output is exactly the number and a newline" {
	"$AVROKIT" count "$DATA/weather.avro" > "$TMP/out"
	printf '10\n' | cmp - "$TMP/out"
}

@test "count of each fixture" {
	local f want
	for f in weather:10 weather-deflate:10 nocodec:10 multiblock:300 empty:0 nulls:200000; do
		run_ak count "$DATA/${f%%:*}.avro"
		expect_status 0
		expect_no_stderr
		expect_output_is "${f#*:}"
	done
}

@test "count agrees with python3-avro and with tojson" {
	local f n
	for f in weather-deflate multiblock nulls; do
		n=$(/usr/bin/python3 -c '
import sys, avro.datafile, avro.io
with open(sys.argv[1], "rb") as f:
    print(sum(1 for _ in avro.datafile.DataFileReader(f, avro.io.DatumReader())))' "$DATA/$f.avro")
		run_ak count "$DATA/$f.avro"
		expect_status 0
		expect_output_is "$n"
		"$AVROKIT" tojson "$DATA/$f.avro" > "$TMP/out.json"
		[[ "$(wc -l < "$TMP/out.json")" -eq "$n" ]]
	done
}

@test "count of several inputs: a line for each and a total, aligned as wc -l prints them" {
	run_ak count "$DATA/weather.avro" "$DATA/multiblock.avro" "$DATA/empty.avro" \
		"$DATA/nulls.avro" "$DATA/weather-deflate.avro"
	expect_status 0
	expect_no_stderr
	expect_output_is "    10 $DATA/weather.avro
   300 $DATA/multiblock.avro
     0 $DATA/empty.avro
200000 $DATA/nulls.avro
    10 $DATA/weather-deflate.avro
200320 total"
}

@test "count --total-only of several inputs prints the total alone, as count did before" {
	run_ak count --total-only "$DATA/weather.avro" "$DATA/multiblock.avro" "$DATA/empty.avro" \
		"$DATA/nulls.avro" "$DATA/weather-deflate.avro"
	expect_status 0
	expect_no_stderr
	expect_output_is 200320
	run_ak count -t "$DATA/weather.avro"
	expect_output_is 10
}

@test "count of the same file twice counts it twice" {
	run_ak count "$DATA/multiblock.avro" "$DATA/multiblock.avro"
	expect_status 0
	expect_output_is "300 $DATA/multiblock.avro
300 $DATA/multiblock.avro
600 total"
}

@test "count goes on past inputs that cannot be read: a message each, exit 1, the others counted" {
	flip_byte "$DATA/multiblock.avro" "$(block_field multiblock 4 sync)" "$TMP/bad.avro"
	run_ak count "$DATA/weather.avro" "$TMP/missing.avro" "$TMP/bad.avro" "$DATA/multiblock.avro"
	expect_status 1
	expect_stderr_is "avrokit count: $TMP/missing.avro: cannot open: No such file or directory
avrokit count: $TMP/bad.avro: block 4 (offset $(block_field multiblock 4 offset)): sync marker mismatch"
	expect_output_is " 10 $DATA/weather.avro
300 $DATA/multiblock.avro
310 total"
	# --total-only: no number, since it would be wrong; every input is still read
	run_ak count --total-only "$DATA/weather.avro" "$TMP/missing.avro" "$TMP/bad.avro"
	expect_status 1
	expect_no_output
	expect_stderr "$TMP/missing.avro" "$TMP/bad.avro"
}

# ---- standard input ----

@test "count with no FILE reads standard input" {
	run_ak count < "$DATA/multiblock.avro"
	expect_status 0
	expect_no_stderr
	expect_output_is 300
}

@test "count - reads standard input" {
	run_ak count - < "$DATA/weather-deflate.avro"
	expect_status 0
	expect_no_stderr
	expect_output_is 10
}

@test "count reads a pipe (no seeking over the blocks)" {
	run_sh 'cat "$DATA/multiblock.avro" | "$AVROKIT" count'
	expect_status 0
	expect_no_stderr
	expect_output_is 300
	run_sh 'cat "$DATA/nulls.avro" | "$AVROKIT" count -'
	expect_status 0
	expect_output_is 200000
}

@test "count mixes files and standard input" {
	run_sh '"$AVROKIT" count "$DATA/weather.avro" - "$DATA/multiblock.avro" < "$DATA/multiblock.avro"'
	expect_status 0
	expect_no_stderr
	expect_output_is " 10 $DATA/weather.avro
300 -
300 $DATA/multiblock.avro
610 total"
}

# ---- -o ----

@test "count -o writes the file, nothing on stdout, no temporary file left" {
	mkdir "$TMP/out"
	run_ak count -o "$TMP/out/n.txt" "$DATA/multiblock.avro"
	expect_status 0
	expect_no_stderr
	expect_no_output
	printf '300\n' | cmp - "$TMP/out/n.txt"
	[[ "$(list_dir "$TMP/out")" == "n.txt" ]] || ak_show "directory: $(list_dir "$TMP/out")"
}

@test "count --output=FILE replaces an existing file" {
	mkdir "$TMP/out"
	echo "old content" > "$TMP/out/n.txt"
	run_ak count --output="$TMP/out/n.txt" "$DATA/weather.avro"
	expect_status 0
	expect_no_output
	printf '10\n' | cmp - "$TMP/out/n.txt"
	[[ "$(list_dir "$TMP/out")" == "n.txt" ]] || ak_show "directory: $(list_dir "$TMP/out")"
}

@test "count -o: a bad input leaves an existing file unchanged and no temporary file" {
	mkdir "$TMP/out"
	echo "old content" > "$TMP/out/n.txt"
	flip_byte "$DATA/multiblock.avro" "$(block_field multiblock 4 sync)" "$TMP/bad.avro"
	run_ak count -o "$TMP/out/n.txt" "$DATA/weather.avro" "$TMP/bad.avro"
	expect_data_error count "$TMP/bad.avro" "block 4 " "sync marker mismatch"
	expect_no_output
	run_ak count -t -o "$TMP/out/n.txt" "$DATA/weather.avro" "$TMP/bad.avro"
	expect_data_error count "$TMP/bad.avro" "block 4 " "sync marker mismatch"
	[[ "$(cat "$TMP/out/n.txt")" == "old content" ]] || ak_show "the old file was changed"
	[[ "$(list_dir "$TMP/out")" == "n.txt" ]] || ak_show "directory: $(list_dir "$TMP/out")"
}

@test "count -o: a missing input leaves no file" {
	mkdir "$TMP/out"
	run_ak count -o "$TMP/out/n.txt" "$TMP/missing.avro"
	expect_data_error count "$TMP/missing.avro" "cannot open: No such file or directory"
	[[ -z "$(list_dir "$TMP/out")" ]] || ak_show "directory: $(list_dir "$TMP/out")"
}

@test "count -o - writes standard output" {
	run_ak count -o - "$DATA/weather.avro"
	expect_status 0
	expect_output_is 10
}

@test "count -o onto its own input is refused and the input is kept" {
	mkdir "$TMP/out"
	cp "$DATA/weather.avro" "$TMP/out/w.avro"
	run_ak count -o "$TMP/out/w.avro" "$TMP/out/w.avro"
	expect_status 1
	expect_stderr "avrokit count: " "$TMP/out/w.avro is also the output"
	cmp "$DATA/weather.avro" "$TMP/out/w.avro"
	[[ "$(list_dir "$TMP/out")" == "w.avro" ]] || ak_show "directory: $(list_dir "$TMP/out")"
}

# ---- bad options ----

@test "count: unknown option" {
	run_ak count --head 1 "$DATA/weather.avro"
	expect_usage_error count "unknown option '--head'"
}

@test "count: unknown short option" {
	run_ak count -n 1 "$DATA/weather.avro"
	expect_usage_error count "unknown option '-n'"
}

@test "count: -o without its argument" {
	run_ak count -o
	expect_usage_error count "option '-o' needs an argument"
}

@test "count: --output without its argument" {
	run_ak count "$DATA/weather.avro" --output
	expect_usage_error count "needs an argument"
}

@test "count --help prints the usage and exits 0" {
	run_ak count --help
	expect_status 0
	expect_no_stderr
	[[ "${lines[0]}" == "Usage: avrokit count [OPTION]... [FILE]..." ]] || ak_show "usage"
}

# ---- bad input ----

@test "count: a missing file is an error naming it, and no number is printed" {
	run_ak count "$TMP/missing.avro"
	expect_data_error count "$TMP/missing.avro" "cannot open: No such file or directory"
	expect_no_output
}

@test "count: a directory is an error naming it" {
	run_ak count "$TMP"
	expect_data_error count "$TMP" "is a directory"
	expect_no_output
}

@test "count: an empty file" {
	: > "$TMP/empty"
	run_ak count "$TMP/empty"
	expect_data_error count "$TMP/empty" "empty input: not an Avro data file"
	expect_no_output
}

@test "count: wrong magic" {
	run_ak count "$DATA/multiblock.json"
	expect_data_error count "$DATA/multiblock.json" "not an Avro data file (bad magic bytes)"
	expect_no_output
}

@test "count: truncated in the header" {
	local n
	for n in 4 5 60 $(($(layout weather header) - 3)); do
		cut_file "$DATA/weather.avro" "$n" "$TMP/cut.avro"
		run_ak count "$TMP/cut.avro"
		expect_data_error count "$TMP/cut.avro" "header" "offset $n"
		expect_no_output
	done
}

@test "count: truncated in a block header" {
	local off
	off=$(block_field multiblock 3 offset)
	# its record count, 70, is a two-byte varint: cut inside it, then right after it
	[[ $(($(block_field multiblock 3 data) - off)) -eq 4 ]]
	cut_file "$DATA/multiblock.avro" $((off + 1)) "$TMP/cut.avro"
	run_ak count "$TMP/cut.avro"
	expect_data_error count "$TMP/cut.avro" "block 3 (offset $off): " "offset $((off + 1))"
	expect_no_output
	cut_file "$DATA/multiblock.avro" $((off + 2)) "$TMP/cut.avro"
	run_ak count "$TMP/cut.avro"
	expect_data_error count "$TMP/cut.avro" "block 3 (offset $off): file ends inside the block header"
	expect_no_output
}

@test "count: truncated in the block data, file and pipe" {
	local off size
	off=$(block_field multiblock 3 offset)
	size=$(block_field multiblock 3 size)
	cut_file "$DATA/multiblock.avro" $(($(block_field multiblock 3 data) + 10)) "$TMP/cut.avro"
	run_ak count "$TMP/cut.avro"
	expect_data_error count "$TMP/cut.avro" \
		"block 3 (offset $off): file ends inside the block data ($size bytes declared)"
	expect_no_output
	run_sh 'cat "$1" | "$AVROKIT" count' _ "$TMP/cut.avro"
	expect_data_error count "(standard input)" \
		"block 3 (offset $off): file ends inside the block data ($size bytes declared)"
	expect_no_output
}

@test "count: truncated in the sync marker, file and pipe" {
	local off
	off=$(block_field multiblock 5 offset)
	cut_file "$DATA/multiblock.avro" $(($(layout multiblock size) - 1)) "$TMP/cut.avro"
	run_ak count "$TMP/cut.avro"
	expect_data_error count "$TMP/cut.avro" "block 5 (offset $off): file ends inside the sync marker"
	expect_no_output
	run_sh 'cat "$1" | "$AVROKIT" count -' _ "$TMP/cut.avro"
	expect_data_error count "(standard input)" "block 5 (offset $off): file ends inside the sync marker"
}

@test "count: a bad sync marker names the block and its offset" {
	flip_byte "$DATA/multiblock.avro" "$(block_field multiblock 2 sync)" "$TMP/bad.avro"
	run_ak count "$TMP/bad.avro"
	expect_status 1
	expect_stderr_is "avrokit count: $TMP/bad.avro: block 2 (offset $(block_field multiblock 2 offset)): sync marker mismatch"
	expect_no_output
}

@test "count: a bad last sync marker, read from a pipe" {
	flip_last_byte "$DATA/multiblock.avro" "$TMP/bad.avro"
	run_sh 'cat "$1" | "$AVROKIT" count' _ "$TMP/bad.avro"
	expect_status 1
	expect_stderr_is "avrokit count: (standard input): block 5 (offset $(block_field multiblock 5 offset)): sync marker mismatch"
	expect_no_output
}

@test "count: a block size that points past the sync marker" {
	local off
	off=$(block_field weather-deflate 0 offset)
	# the size varint follows the count (one byte: 0x14); add 1 to its low 7 bits
	[[ "$(byte_at "$DATA/weather-deflate.avro" $((off + 1)))" == ac ]]
	poke_byte "$DATA/weather-deflate.avro" $((off + 1)) ae "$TMP/bad.avro"
	run_ak count "$TMP/bad.avro"
	expect_data_error count "$TMP/bad.avro" "block 0 (offset $off): "
	expect_no_output
}

@test "count: a negative record count" {
	local off
	off=$(block_field weather 0 offset)
	poke_byte "$DATA/weather.avro" "$off" 13 "$TMP/bad.avro"
	run_ak count "$TMP/bad.avro"
	expect_data_error count "$TMP/bad.avro" "block 0 (offset $off): negative record count -10"
	expect_no_output
}

@test "count does not decompress: corrupt deflate data still counts, tojson fails" {
	local data
	data=$(block_field weather-deflate 0 data)
	poke_byte "$DATA/weather-deflate.avro" "$data" ff "$TMP/bad.avro"
	run_ak count "$TMP/bad.avro"
	expect_status 0
	expect_no_stderr
	expect_output_is 10
	run_ak tojson "$TMP/bad.avro"
	expect_data_error tojson "$TMP/bad.avro" "corrupt deflate data"
}

@test "count: every truncation of weather-deflate.avro gives exit 0 or 1, never a crash" {
	local size hdr n st
	size=$(layout weather-deflate size)
	hdr=$(layout weather-deflate header)
	for ((n = 0; n <= size; n++)); do
		head -c "$n" "$DATA/weather-deflate.avro" > "$TMP/cut.avro"
		st=0
		"$AVROKIT" count "$TMP/cut.avro" > "$TMP/out" 2> "$TMP/err" || st=$?
		if [[ "$n" -eq "$size" || "$n" -eq "$hdr" ]]; then
			[[ "$st" -eq 0 && ! -s "$TMP/err" ]] || { echo "length $n: status $st: $(cat "$TMP/err")" >&2; return 1; }
			[[ "$(cat "$TMP/out")" == "$([[ "$n" -eq "$size" ]] && echo 10 || echo 0)" ]] ||
				{ echo "length $n: count $(cat "$TMP/out")" >&2; return 1; }
		else
			[[ "$st" -eq 1 ]] || { echo "length $n: status $st: $(cat "$TMP/err")" >&2; return 1; }
			grep -q "^avrokit count: $TMP/cut.avro: " "$TMP/err" || { echo "length $n: message: $(cat "$TMP/err")" >&2; return 1; }
			[[ ! -s "$TMP/out" ]] || { echo "length $n: printed a count" >&2; return 1; }
		fi
	done
}

@test "count: every truncation of multiblock.avro through a pipe: exit 0 or 1, never a crash" {
	local size n st
	size=$(layout multiblock size)
	for ((n = 0; n <= size; n += 7)); do
		st=0
		head -c "$n" "$DATA/multiblock.avro" | "$AVROKIT" count > "$TMP/out" 2> "$TMP/err" || st=$?
		[[ "$st" -le 1 ]] || { echo "length $n: status $st: $(cat "$TMP/err")" >&2; return 1; }
		[[ "$st" -eq 0 || -s "$TMP/err" ]] || { echo "length $n: no message" >&2; return 1; }
	done
}

@test "count: reading every corpus data file never crashes" {
	[[ -d "$CORPUS" ]] || skip "no corpus at $CORPUS"
	local f st n=0
	while IFS= read -r -d '' f; do
		st=0
		"$AVROKIT" count "$f" > /dev/null 2> "$TMP/err" || st=$?
		[[ "$st" -le 1 ]] || { echo "$f: status $st: $(cat "$TMP/err")" >&2; return 1; }
		n=$((n + 1))
	done < <(find "$CORPUS" -name '*.avro' -type f -print0)
	[[ "$n" -gt 0 ]]
}

# ---- output errors and pipes ----

@test "count > /dev/full: exit 1, No space left" {
	run_sh '"$AVROKIT" count "$DATA/weather.avro" > /dev/full'
	expect_status 1
	expect_stderr "avrokit count: " "No space left on device"
}

@test "count | head -1 ends quietly" {
	run_sh '"$AVROKIT" count "$DATA/weather.avro" "$DATA/nulls.avro" | head -n 1'
	expect_status 0
	expect_no_stderr
	expect_output_is "    10 $DATA/weather.avro"
}
