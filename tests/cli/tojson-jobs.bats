#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# avrokit tojson: -j, decompressing and decoding on several threads: the same output in
# the same order as one thread, the same error at the same place.
# (The rest of tojson's tests are in tojson.bats; files apart so that none runs for minutes
# under AddressSanitizer or valgrind on a busy machine.)

load common

# ---- -j ----

@test "tojson -j: the same output, in order, with 1, 2 and 7 threads" {
	run_ak tojson -j 1 "$DATA/multiblock.avro"
	expect_status 0
	local one="$output"
	[[ "$one" == "$(cat "$DATA/multiblock.json")" ]] || ak_show "-j 1 differs from multiblock.json"
	for j in 2 7; do
		run_ak tojson -j "$j" "$DATA/multiblock.avro"
		expect_status 0
		expect_no_stderr
		[[ "$output" == "$one" ]] || ak_show "-j $j differs from -j 1"
	done
	run_ak tojson --jobs 3 "$DATA/multiblock.avro" "$DATA/weather-deflate.avro"
	expect_status 0
	[[ "$output" == "$one"$'\n'"$(cat "$DATA/weather.json")" ]] || ak_show "two inputs with --jobs 3"
}

@test "tojson -j: a bad block in the middle prints the blocks before it, then the error" {
	flip_byte "$DATA/multiblock.avro" "$(block_field multiblock 2 sync)" "$TMP/bad.avro"
	run_ak tojson -j 1 "$TMP/bad.avro"
	local out1="$output" err1="$stderr"
	run_ak tojson -j 4 "$TMP/bad.avro"
	expect_data_error tojson "$TMP/bad.avro" "block 2 " "sync marker mismatch"
	[[ "$output" == "$out1" && "$stderr" == "$err1" ]] || ak_show "-j 4 differs from -j 1"
	[[ $(printf '%s\n' "$output" | wc -l) -eq $((50 + 60)) ]] || ak_show "expected the 110 records of blocks 0 and 1"
}

# About 100,000 records, 3 MB as Avro: past the point (1 MiB of blocks) where tojson starts
# its threads; on a smaller file the main thread does all the work, whatever -j says.
# big_weather CODEC: $TMP/big.json (made once per test) written with CODEC to $TMP/big.avro
big_weather() {
	[[ -s "$TMP/big.json" ]] || awk 'BEGIN { srand(7); for (i = 0; i < 100000; i++)
		printf "{\"station\":\"%08x%08x\",\"time\":%d,\"temp\":%d}\n",
			int(rand() * 2^31), int(rand() * 2^31), int(rand() * 2^31) - 2^30,
			int(rand() * 65536) - 32768 }' > "$TMP/big.json"
	"$AVROKIT" fromjson -j1 -b 64K --schema-file "$DATA/weather.avro" -c "$1" \
		-o "$TMP/big.avro" "$TMP/big.json"
}

@test "tojson -j: past the thread threshold, every codec gives the same output with 1, 2, 7 threads" {
	local c j st
	# (3 MB of output each time: compared as files, bash is slow with strings that long)
	for c in $("$AVROKIT" --version | sed -n 's/^codecs: *//p' | tr -d ','); do
		[[ $c == *"(read-only)" ]] && continue
		big_weather "$c"
		for j in 1 2 7; do
			st=0
			"$AVROKIT" tojson -j "$j" "$TMP/big.avro" > "$TMP/out" 2> "$TMP/err" || st=$?
			[[ "$st" -eq 0 && ! -s "$TMP/err" ]] || ak_show "$c: -j $j: status $st: $(cat "$TMP/err")"
			cmp -s "$TMP/out" "$TMP/big.json" || ak_show "$c: -j $j differs from the JSON"
		done
	done
}

@test "tojson -j: past the thread threshold, a bad block prints the blocks before it, then the error" {
	big_weather deflate
	local next
	# the sync marker of block 30 (past 1 MiB): the 16 bytes before block 31
	next=$("$AVROKIT" blocks "$TMP/big.avro" | awk '$1 == 31 { print $2 }')
	flip_byte "$TMP/big.avro" $((next - 16)) "$TMP/bad.avro"
	run_ak tojson -j 1 "$TMP/bad.avro"
	local out1="$output" err1="$stderr"
	expect_data_error tojson "$TMP/bad.avro" "block 30 " "sync marker mismatch"
	for j in 2 4; do
		run_ak tojson -j "$j" "$TMP/bad.avro"
		expect_data_error tojson "$TMP/bad.avro" "block 30 " "sync marker mismatch"
		[[ "$output" == "$out1" && "$stderr" == "$err1" ]] || ak_show "-j $j differs from -j 1"
	done
	[[ -n "$out1" && "$(head -c ${#out1} "$TMP/big.json")" == "$out1" ]] ||
		ak_show "expected the records of blocks 0 to 29"
}

@test "tojson -j: not a number from 1 to 256 is a usage error" {
	for j in 0 257 x -1; do
		run_ak tojson -j "$j" "$DATA/weather.avro"
		expect_usage_error tojson "--jobs"
	done
}
