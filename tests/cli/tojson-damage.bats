#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# avrokit tojson: bad and damaged input: missing, empty, truncated and corrupt files,
# every byte flipped, every truncation, the corpus. Exit 0 or 1 with a message, never a crash.
# (The rest of tojson's tests are in tojson.bats; files apart so that none runs for minutes
# under AddressSanitizer or valgrind on a busy machine.)

load common

# ---- bad input ----

@test "tojson: a missing file is an error naming it" {
	run_ak tojson "$TMP/missing.avro"
	expect_data_error tojson "$TMP/missing.avro" "cannot open: No such file or directory"
	expect_no_output
}

@test "tojson: a directory is an error naming it" {
	run_ak tojson "$TMP"
	expect_data_error tojson "$TMP" "is a directory"
	expect_no_output
}

@test "tojson: an empty file" {
	: > "$TMP/empty"
	run_ak tojson "$TMP/empty"
	expect_data_error tojson "$TMP/empty" "empty input: not an Avro data file"
	expect_no_output
}

@test "tojson: empty standard input" {
	run_ak tojson < /dev/null
	expect_data_error tojson "(standard input)" "empty input: not an Avro data file"
	expect_no_output
}

@test "tojson: wrong magic (a JSON file)" {
	run_ak tojson "$DATA/weather.json"
	expect_data_error tojson "$DATA/weather.json" "not an Avro data file (bad magic bytes)"
	expect_no_output
}

@test "tojson: the old Obj\\x00 magic is named" {
	poke_byte "$DATA/weather.avro" 3 00 "$TMP/old.avro"
	run_ak tojson "$TMP/old.avro"
	expect_data_error tojson "$TMP/old.avro" "not an Avro data file" "Avro 1.2"
	expect_no_output
}

@test "tojson: truncated in the header" {
	local n hdr
	hdr=$(layout weather header)
	for n in 4 5 6 20 100 $((hdr - 17)) $((hdr - 16)) $((hdr - 1)); do
		cut_file "$DATA/weather.avro" "$n" "$TMP/cut.avro"
		run_ak tojson "$TMP/cut.avro"
		expect_data_error tojson "$TMP/cut.avro" "header" "offset $n"
		expect_no_output
	done
}

@test "tojson: truncated in the block header" {
	local off
	off=$(block_field weather 0 offset)
	cut_file "$DATA/weather.avro" $((off + 1)) "$TMP/cut.avro"
	run_ak tojson "$TMP/cut.avro"
	expect_data_error tojson "$TMP/cut.avro" "block 0 (offset $off): file ends inside the block header"
	expect_no_output
}

@test "tojson: truncated in the block data" {
	local off data n
	off=$(block_field weather 0 offset)
	data=$(block_field weather 0 data)
	for n in $data $((data + 1)) $((data + 60)) $(($(block_field weather 0 sync) - 1)); do
		cut_file "$DATA/weather.avro" "$n" "$TMP/cut.avro"
		run_ak tojson "$TMP/cut.avro"
		expect_data_error tojson "$TMP/cut.avro" \
			"block 0 (offset $off): file ends inside the block data ($(block_field weather 0 size) bytes declared)"
		expect_no_output
	done
}

@test "tojson: truncated in the sync marker" {
	local off sync n
	off=$(block_field weather 0 offset)
	sync=$(block_field weather 0 sync)
	for n in $sync $((sync + 1)) $((sync + 8)) $((sync + 15)); do
		cut_file "$DATA/weather.avro" "$n" "$TMP/cut.avro"
		run_ak tojson "$TMP/cut.avro"
		expect_data_error tojson "$TMP/cut.avro" "block 0 (offset $off): file ends inside the sync marker"
		expect_no_output
	done
}

@test "tojson: a file cut right after its header is an empty data file" {
	cut_file "$DATA/weather.avro" "$(layout weather header)" "$TMP/cut.avro"
	run_ak tojson "$TMP/cut.avro"
	expect_status 0
	expect_no_stderr
	expect_no_output
}

@test "tojson: truncated in the 4th block prints the first 3 blocks, then fails" {
	local off
	off=$(block_field multiblock 3 offset)
	cut_file "$DATA/multiblock.avro" $(($(block_field multiblock 3 data) + 100)) "$TMP/cut.avro"
	run_ak tojson "$TMP/cut.avro"
	expect_data_error tojson "$TMP/cut.avro" "block 3 (offset $off): file ends inside the block data"
	expect_output_is "$(head -n 150 "$DATA/multiblock.json")"
}

@test "tojson: corrupt deflate data is a data error, not a crash" {
	local off
	off=$(block_field weather-deflate 0 offset)
	# 0xff makes the first deflate block header use the reserved block type 3
	poke_byte "$DATA/weather-deflate.avro" "$(block_field weather-deflate 0 data)" ff "$TMP/bad.avro"
	run_ak tojson "$TMP/bad.avro"
	expect_data_error tojson "$TMP/bad.avro" "block 0 (offset $off): corrupt deflate data"
	expect_no_output
}

# variants KIND SRC FROM TO DIR: DIR/N.avro for each N from FROM to TO, SRC cut to N bytes
# (KIND cut) or with every bit of its byte N inverted (KIND flip); one process writes them
# all, so that the loops below start nothing but avrokit (under AddressSanitizer on a busy
# machine, head, dd and grep for each of six hundred cases cost more than avrokit did)
variants() {
	python3 - "$@" <<-'END'
		import os, sys
		kind, src, lo, hi, d = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
		data = open(src, "rb").read()
		os.makedirs(d, exist_ok=True)
		for n in range(lo, hi + 1):
		    b = data[:n] if kind == "cut" else data[:n] + bytes([data[n] ^ 0xFF]) + data[n + 1:]
		    with open(os.path.join(d, "%d.avro" % n), "wb") as f:
		        f.write(b)
	END
}

# flipped_ok FILE FROM TO: tojson of every byte of FILE from FROM to TO inverted in turn
# exits 0, or 1 with its message
flipped_ok() {
	local i st line
	variants flip "$1" "$2" "$3" "$TMP/v"
	for ((i = $2; i <= $3; i++)); do
		st=0
		"$AVROKIT" tojson "$TMP/v/$i.avro" > /dev/null 2> "$TMP/err" || st=$?
		line=
		read -r line < "$TMP/err" || true
		if [[ "$st" -ne 0 && "$st" -ne 1 ]] || [[ "$st" -eq 1 && "$line" != "avrokit tojson: "* ]]; then
			echo "byte $i: status $st: $(cat "$TMP/err")" >&2
			return 1
		fi
	done
}

@test "tojson: every byte of deflate data inverted in turn: exit 0 or 1, never a crash" {
	flipped_ok "$DATA/weather-deflate.avro" "$(block_field weather-deflate 0 data)" \
		$(($(block_field weather-deflate 0 sync) - 1))
}

@test "tojson: every byte of plain block data inverted in turn: exit 0 or 1, never a crash" {
	flipped_ok "$DATA/weather.avro" "$(block_field weather 0 data)" $(($(block_field weather 0 sync) - 1))
}

@test "tojson: a bad string length names the block, record and field" {
	local pos
	# the length of "CAIRO-N" (the 4th record) is the byte before the name
	pos=$(grep -obUa 'CAIRO-N' "$DATA/weather.avro" | cut -d: -f1)
	[[ "$(byte_at "$DATA/weather.avro" $((pos - 1)))" == 0e ]]
	poke_byte "$DATA/weather.avro" $((pos - 1)) 7f "$TMP/bad.avro"
	run_ak tojson "$TMP/bad.avro"
	expect_data_error tojson "$TMP/bad.avro" \
		"block 0 (offset $(block_field weather 0 offset)): record 3: field station: negative string length -64"
	expect_output_is "$(head -n 3 "$DATA/weather.json")"
}

@test "tojson: a block that claims fewer records than it holds" {
	local off
	off=$(block_field weather 0 offset)
	# record count 10 is the varint 0x14; 0x12 is 9
	[[ "$(byte_at "$DATA/weather.avro" "$off")" == 14 ]]
	poke_byte "$DATA/weather.avro" "$off" 12 "$TMP/bad.avro"
	run_ak tojson "$TMP/bad.avro"
	expect_data_error tojson "$TMP/bad.avro" "block 0 (offset $off): " "bytes left over after its 9 records"
	expect_output_is "$(head -n 9 "$DATA/weather.json")"
}

@test "tojson: a block that claims more records than it holds" {
	local off
	off=$(block_field weather 0 offset)
	poke_byte "$DATA/weather.avro" "$off" 16 "$TMP/bad.avro"
	run_ak tojson "$TMP/bad.avro"
	expect_data_error tojson "$TMP/bad.avro" "block 0 (offset $off): record 10: "
	expect_output_file "$DATA/weather.json"
}

@test "tojson: a bad sync marker names the block and its offset" {
	flip_last_byte "$DATA/weather.avro" "$TMP/bad.avro"
	run_ak tojson "$TMP/bad.avro"
	expect_stderr_is "avrokit tojson: $TMP/bad.avro: block 0 (offset $(block_field weather 0 offset)): sync marker mismatch"
	expect_status 1
	expect_no_output
}

@test "tojson: bad sync in the 3rd block prints exactly the first 2 blocks, then fails" {
	flip_byte "$DATA/multiblock.avro" "$(block_field multiblock 2 sync)" "$TMP/bad.avro"
	run_ak tojson "$TMP/bad.avro"
	expect_status 1
	expect_stderr_is "avrokit tojson: $TMP/bad.avro: block 2 (offset $(block_field multiblock 2 offset)): sync marker mismatch"
	expect_output_is "$(head -n 110 "$DATA/multiblock.json")"
	[[ "${#lines[@]}" -eq 110 ]] || ak_show "110 records"
}

@test "tojson: bad sync in the 3rd block read from a pipe" {
	flip_byte "$DATA/multiblock.avro" $(($(block_field multiblock 2 end) - 1)) "$TMP/bad.avro"
	run_sh 'cat "$1" | "$AVROKIT" tojson' _ "$TMP/bad.avro"
	expect_status 1
	expect_stderr_is "avrokit tojson: (standard input): block 2 (offset $(block_field multiblock 2 offset)): sync marker mismatch"
	expect_output_is "$(head -n 110 "$DATA/multiblock.json")"
}

@test "tojson: a bad sync in each block of multiblock.avro in turn" {
	local i n=0 blocks
	blocks=$(layout multiblock blocks)
	[[ "$blocks" -ge 5 ]]
	for ((i = 0; i < blocks; i++)); do
		flip_byte "$DATA/multiblock.avro" $(($(block_field multiblock "$i" sync) + 7)) "$TMP/bad.avro"
		run_ak tojson "$TMP/bad.avro"
		expect_status 1
		expect_stderr_is "avrokit tojson: $TMP/bad.avro: block $i (offset $(block_field multiblock "$i" offset)): sync marker mismatch"
		if [[ "$n" -eq 0 ]]; then
			expect_no_output
		else
			expect_output_is "$(head -n "$n" "$DATA/multiblock.json")"
		fi
		n=$((n + $(block_field multiblock "$i" count)))
	done
	[[ "$n" -eq 300 ]]
}

@test "tojson: every truncation of weather-deflate.avro gives exit 0 or 1, never a crash" {
	local size hdr n st line
	size=$(layout weather-deflate size)
	hdr=$(layout weather-deflate header)
	variants cut "$DATA/weather-deflate.avro" 0 "$size" "$TMP/v"
	for ((n = 0; n <= size; n++)); do
		st=0
		"$AVROKIT" tojson "$TMP/v/$n.avro" > "$TMP/out" 2> "$TMP/err" || st=$?
		line=
		read -r line < "$TMP/err" || true
		if [[ "$n" -eq "$size" || "$n" -eq "$hdr" ]]; then
			[[ "$st" -eq 0 && ! -s "$TMP/err" ]] || { echo "length $n: status $st: $(cat "$TMP/err")" >&2; return 1; }
		else
			[[ "$st" -eq 1 ]] || { echo "length $n: status $st: $(cat "$TMP/err")" >&2; return 1; }
			[[ "$line" == "avrokit tojson: $TMP/v/$n.avro: "* ]] || { echo "length $n: message: $(cat "$TMP/err")" >&2; return 1; }
			[[ ! -s "$TMP/out" ]] || { echo "length $n: printed records" >&2; return 1; }
		fi
	done
}

@test "tojson: reading every corpus data file never crashes" {
	[[ -d "$CORPUS" ]] || skip "no corpus at $CORPUS"
	local f st n=0
	while IFS= read -r -d '' f; do
		st=0
		"$AVROKIT" tojson "$f" > /dev/null 2> "$TMP/err" || st=$?
		[[ "$st" -le 1 ]] || { echo "$f: status $st: $(cat "$TMP/err")" >&2; return 1; }
		n=$((n + 1))
	done < <(find "$CORPUS" -name '*.avro' -type f -print0)
	[[ "$n" -gt 0 ]]
}
