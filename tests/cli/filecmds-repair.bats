#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# The commands that inspect and salvage whole data files: blocks and repair. (concat, cat
# and recodec are in filecmds.bats, every corpus container through all of them in
# filecmds-corpus.bats; the fixtures and helpers in filecmds.bash.)
#
#   AVROKIT=$PWD/build/src/cli/avrokit bats tests/cli/filecmds-repair.bats

load common
load filecmds

# ======================================================================================
# blocks
# ======================================================================================

# check_blocks_text FILE LAYOUT: `blocks FILE` matches the layout line for line
check_blocks_text() {
	local f="$1" l="$2" i n
	run_ak blocks "$f"
	expect_status 0
	expect_no_stderr
	n=$(lay "$l" blocks)
	[[ "${#lines[@]}" -eq $((n + 3)) ]] || fail "${#lines[@]} lines for $n blocks"
	[[ "${lines[1]}" =~ ^block\ +offset\ +records\ +stored\ +decoded\ +sync$ ]] ||
		fail "column line: ${lines[1]}"
	for ((i = 0; i < n; i++)); do
		read -r -a w <<< "${lines[i + 2]}"
		[[ "${#w[@]}" -eq 6 && "${w[0]}" -eq $i && "${w[1]}" -eq "$(lblock "$l" $i offset)" &&
			"${w[2]}" -eq "$(lblock "$l" $i count)" && "${w[3]}" -eq "$(lblock "$l" $i size)" &&
			"${w[5]}" == ok ]] || fail "block $i: ${lines[i + 2]}"
		if [[ "$(lblock "$l" $i decoded 2>/dev/null || echo -1)" -ge 0 ]]; then
			[[ "${w[4]}" -eq "$(lblock "$l" $i decoded)" ]] || fail "block $i decoded: ${lines[i + 2]}"
		fi
	done
	[[ "${lines[n + 2]}" == "# $(lay "$l" records) records" ]] || fail "last line: ${lines[n + 2]}"
}

@test "blocks: a header line, then one line per block as the file's layout says" {
	local f crc
	need_pyavro
	for f in n100 d100 a c-snappy; do
		crc="$(py crc64 "$FX/$f.avro")"
		check_blocks_text "$FX/$f.avro" "$FX/$f.avro.layout"
		[[ "${lines[0]}" == "# codec $(lay "$FX/$f.avro.layout" codec), schema CRC-64-AVRO $crc, header $(lay "$FX/$f.avro.layout" header) bytes, metadata: "* ]] ||
			fail "header line: ${lines[0]}"
	done
	[[ "${lines[0]}" == *"metadata: avro.schema avro.codec" ]] || fail "${lines[0]}"
	run_ak blocks "$FX/n100.avro"
	[[ "${lines[0]}" == *"metadata: avro.schema avro.codec user.k user.note" ]] || fail "${lines[0]}"
	# the 12-record blocks of n100: offsets written out by hand from the walk
	[[ "$(lblock "$FX/n100.avro.layout" 1 offset)" -eq \
		$(($(lblock "$FX/n100.avro.layout" 0 offset) + 3 + $(lblock "$FX/n100.avro.layout" 0 size) + 16)) ]]
	# the fixture written by python3-avro, whose layout was found by its own script
	sed '$a records 300' "$DATA/multiblock.layout" > "$TMP/multiblock.layout"
	check_blocks_text "$DATA/multiblock.avro" "$TMP/multiblock.layout"
	[[ "${lines[3]}" =~ ^1\ +1031\ +60\ +766\ +766\ ok$ ]] || fail "${lines[3]}"
	# a file without blocks
	run_ak blocks "$FX/empty.avro"
	expect_status 0
	[[ "${#lines[@]}" -eq 3 && "${lines[2]}" == "# 0 records" ]] || fail "$output"
}

@test "blocks --json: every line is JSON with the same numbers" {
	local f
	need_pyavro
	for f in n100 d100 b-null c-snappy empty; do
		run_ak blocks --json "$FX/$f.avro"
		expect_status 0
		expect_no_stderr
		printf '%s\n' "$output" > "$TMP/$f.jsonl"
		run py jsonblocks "$TMP/$f.jsonl" "$FX/$f.avro.layout"
		[[ "$status" -eq 0 ]] || fail "$f: $output"
	done
	run_ak blocks -j "$FX/n100.avro"
	[[ "${lines[0]}" == "{\"codec\":\"null\",\"schema_crc64\":\"$(py crc64 "$FX/n100.avro")\",\"header_bytes\":$(lay "$FX/n100.avro.layout" header),\"metadata\":[\"avro.schema\",\"avro.codec\",\"user.k\",\"user.note\"]}" ]] ||
		fail "${lines[0]}"
	[[ "${lines[1]}" == "{\"block\":0,\"offset\":$(lblock "$FX/n100.avro.layout" 0 offset),\"records\":12,\"stored\":$(lblock "$FX/n100.avro.layout" 0 size),\"decoded\":$(lblock "$FX/n100.avro.layout" 0 size),\"sync_ok\":true,\"data_ok\":true}" ]] ||
		fail "${lines[1]}"
	# standard input and -o
	run_sh '"$AVROKIT" blocks --json < "$1"' x "$FX/d100.avro"
	expect_status 0
	printf '%s\n' "$output" > "$TMP/stdin.jsonl"
	py jsonblocks "$TMP/stdin.jsonl" "$FX/d100.avro.layout"
	run_ak blocks --json -o "$TMP/o.jsonl" "$FX/d100.avro"
	expect_status 0
	expect_no_output
	cmp "$TMP/o.jsonl" "$TMP/stdin.jsonl"
}

@test "blocks: a broken sync marker shows MISMATCH on its block and exits 1" {
	local l="$FX/n100.avro.layout" s
	s=$(lblock "$l" 2 sync)
	flip_byte "$FX/n100.avro" $((s + 5)) "$TMP/bad.avro"
	run_ak blocks "$TMP/bad.avro"
	expect_status 1
	expect_stderr "avrokit blocks: $TMP/bad.avro: " "1 block with a wrong sync marker"
	[[ "${lines[4]}" =~ ^2\ +$(lblock "$l" 2 offset)\ +12\ +$(lblock "$l" 2 size)\ +[0-9]+\ MISMATCH$ ]] ||
		fail "block 2: ${lines[4]}"
	[[ "$(grep -c ' ok$' <<< "$output")" -eq 8 ]] || fail "$output"
	[[ "$(grep -c 'MISMATCH$' <<< "$output")" -eq 1 ]] || fail "$output"
	run_ak blocks --json "$TMP/bad.avro"
	expect_status 1
	printf '%s\n' "$output" > "$TMP/bad.jsonl"
	"$PY" -c '
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
bad = [b["block"] for b in lines[1:] if b["sync_ok"] is not True]
assert bad == [2], bad
assert len(lines) == 10, len(lines)' "$TMP/bad.jsonl"
	# the deflate file, last block
	flip_last_byte "$FX/d100.avro" "$TMP/bad2.avro"
	run_ak blocks "$TMP/bad2.avro"
	expect_status 1
	[[ "${lines[10]}" =~ ^8\ .*MISMATCH$ ]] || fail "${lines[10]}"
	run_ak blocks "$FX/a.avro" "$FX/b.avro"
	expect_usage_error blocks
}

@test "blocks: a block that cannot be decompressed or decoded is marked BAD, and the listing goes on" {
	local l="$FX/d100.avro.layout" ln="$FX/n100.avro.layout" start
	# deflate: block 3's data starts with a reserved block type
	poke_byte "$FX/d100.avro" "$(lblock "$l" 3 data)" ff "$TMP/d.avro"
	run_ak blocks "$TMP/d.avro"
	expect_status 1
	expect_stderr_is "avrokit blocks: $TMP/d.avro: 1 block that cannot be read"
	[[ "${#lines[@]}" -eq 12 ]] || fail "$output"
	[[ "${lines[5]}" =~ ^3\ +$(lblock "$l" 3 offset)\ +12\ +$(lblock "$l" 3 size)\ +-\ ok\ BAD:\ .*deflate ]] ||
		fail "block 3: ${lines[5]}"
	[[ "$(grep -c ' ok$' <<< "$output")" -eq 8 ]] || fail "$output"
	[[ "${lines[11]}" == "# 100 records" ]] || fail "${lines[11]}"
	# null codec: an overlong varint where record 5 of block 3 starts; and a wrong sync
	# marker after block 6
	start=$(py bounds "$FX/n100.avro" 3 | sed -n 6p)
	cp "$FX/n100.avro" "$TMP/n.avro"
	printf '\xff%.0s' {1..11} | dd of="$TMP/n.avro" bs=1 seek="$start" conv=notrunc status=none
	printf 'X' | dd of="$TMP/n.avro" bs=1 seek="$(lblock "$ln" 6 sync)" conv=notrunc status=none
	run_ak blocks "$TMP/n.avro"
	expect_status 1
	expect_stderr_is "avrokit blocks: $TMP/n.avro: 1 block with a wrong sync marker, 1 block that cannot be read"
	[[ "${lines[5]}" =~ ^3\ .*\ $(lblock "$ln" 3 size)\ ok\ BAD:\ record\ 5:\  ]] || fail "block 3: ${lines[5]}"
	[[ "${lines[8]}" =~ ^6\ .*\ MISMATCH$ ]] || fail "block 6: ${lines[8]}"
	run_ak blocks --json "$TMP/n.avro"
	expect_status 1
	printf '%s\n' "$output" > "$TMP/bad.jsonl"
	"$PY" -c '
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])][1:]
assert len(lines) == 9, len(lines)
assert [b["block"] for b in lines if not b["data_ok"]] == [3], lines
assert [b["block"] for b in lines if not b["sync_ok"]] == [6], lines
assert lines[3]["error"].startswith("record 5: "), lines[3]
assert all("error" not in b for b in lines if b["data_ok"]), lines' "$TMP/bad.jsonl"
	run_ak blocks --json "$TMP/d.avro"
	printf '%s\n' "$output" | grep -q '"block":3,.*"decoded":null,"sync_ok":true,"data_ok":false,"error":"' ||
		fail "$output"
}

# ======================================================================================
# repair
# ======================================================================================

# check_repair DAMAGED ORIGINAL EXPECTED_JSON RANGE BLOCK [WHAT...]
# --report exits 1 and names "bytes RANGE (... block BLOCK)"; `repair IN OUT` exits 0 and
# writes a file tojson reads fully with exactly the records of EXPECTED_JSON, keeping the
# original's schema, codec, metadata and sync marker. WHAT: more substrings of the report.
check_repair() {
	local dam="$1" orig="$2" want="$3" range="$4" block="$5" s
	shift 5
	run_ak repair --report "$dam"
	expect_status 1
	expect_no_stderr
	[[ "$output" == *"damaged: bytes $range ("*"block $block): "* ]] ||
		fail "expected damage at bytes $range, block $block; report:" "$output"
	[[ "$(grep -c '^damaged: ' <<< "$output")" -eq 1 ]] || fail "more than one region:" "$output"
	[[ "$output" == *"; 1 damaged region, "* ]] || fail "$output"
	for s in "$@"; do
		[[ "$output" == *"$s"* ]] || fail "expected '$s' in the report:" "$output"
	done
	run_ak repair "$dam" "$TMP/repaired.avro"
	expect_status 0
	expect_no_output
	expect_stderr "damaged: bytes $range ("
	run_ak tojson "$TMP/repaired.avro"
	expect_status 0
	expect_no_stderr
	expect_output_file "$want"
	diff <("$AVROKIT" getmeta "$orig") <("$AVROKIT" getmeta "$TMP/repaired.avro")
	[[ "$(header_sync "$TMP/repaired.avro")" == "$(header_sync "$orig")" ]]
	# -q: nothing on stderr
	run_ak repair -q "$dam" "$TMP/repaired-q.avro"
	expect_status 0
	expect_no_stderr
	cmp "$TMP/repaired.avro" "$TMP/repaired-q.avro"
}

# records of r100.json without ids FROM..TO
records_without() {
	awk -v lo="$1" -v hi="$2" 'NR - 1 < lo || NR - 1 > hi' "$FX/r100.json"
}

# first id of block K of the 100-record files (blocks of 12)
first_id() {
	echo $(($1 * 12))
}

@test "repair: a sound file: 0 damaged regions, and the same file back" {
	local f
	for f in n100 d100 a empty; do
		run_ak repair --report "$FX/$f.avro"
		expect_status 0
		expect_no_stderr
		[[ "$output" == "$FX/$f.avro: $(lay "$FX/$f.avro.layout" records) records readable in $(lay "$FX/$f.avro.layout" blocks) blocks; 0 damaged regions, 0 records lost" ]] ||
			fail "$output"
		run_ak repair "$FX/$f.avro" "$TMP/$f.avro"
		expect_status 0
		expect_stderr "0 damaged regions"
		cmp "$FX/$f.avro" "$TMP/$f.avro"
	done
}

@test "repair: corrupt bytes inside a block's data" {
	local l o e start
	# null codec: 11 bytes of 0xff (an overlong varint) where record 5 of block 3 starts;
	# records 0-4 of that block decode and are kept, 5-11 are lost
	l="$FX/n100.avro.layout"
	start=$(py bounds "$FX/n100.avro" 3 | sed -n 6p)
	[[ "$start" -gt "$(lblock "$l" 3 data)" ]]
	cp "$FX/n100.avro" "$TMP/n.avro"
	printf '\xff%.0s' {1..11} | dd of="$TMP/n.avro" bs=1 seek="$start" conv=notrunc status=none
	records_without $(($(first_id 3) + 5)) $(($(first_id 3) + 11)) > "$TMP/want.json"
	check_repair "$TMP/n.avro" "$FX/n100.avro" "$TMP/want.json" \
		"$(lblock "$l" 3 offset)-$(lblock "$l" 3 end)" 3 "record 5" "7 of its 12 records lost"
	# deflate: the first byte of block 3's data says "reserved block type": the block is lost
	l="$FX/d100.avro.layout"
	poke_byte "$FX/d100.avro" "$(lblock "$l" 3 data)" ff "$TMP/d.avro"
	records_without $(first_id 3) $(($(first_id 3) + 11)) > "$TMP/want.json"
	check_repair "$TMP/d.avro" "$FX/d100.avro" "$TMP/want.json" \
		"$(lblock "$l" 3 offset)-$(lblock "$l" 3 end)" 3 "12 records lost" \
		"88 records readable"
}

@test "repair: an overwritten sync marker" {
	local f l
	for f in n100 d100; do
		l="$FX/$f.avro.layout"
		cp "$FX/$f.avro" "$TMP/$f.avro"
		printf 'XXXXXXXXXXXXXXXX' |
			dd of="$TMP/$f.avro" bs=1 seek="$(lblock "$l" 5 sync)" conv=notrunc status=none
		records_without $(first_id 5) $(($(first_id 5) + 11)) > "$TMP/want.json"
		# the block before the marker is intact: its records are counted as lost
		check_repair "$TMP/$f.avro" "$FX/$f.avro" "$TMP/want.json" \
			"$(lblock "$l" 5 offset)-$(lblock "$l" 6 offset)" 5 \
			"sync marker mismatch after an intact block; its 12 records lost" \
			"88 records readable in 8 blocks; 1 damaged region, 12 records lost"
		[[ "$output" != *"maybe more"* ]] || fail "$output"
	done
	# the last sync marker of a one-block file
	flip_last_byte "$DATA/weather.avro" "$TMP/w.avro"
	run_ak repair --report "$TMP/w.avro"
	expect_status 1
	expect_output_is "damaged: bytes $(block_field weather 0 offset)-$(layout weather size) (block 0): sync marker mismatch after an intact block; its 10 records lost
$TMP/w.avro: 0 records readable in 0 blocks; 1 damaged region, 10 records lost"
}

@test "repair: garbage inserted between two blocks: every record is recovered" {
	local f l at
	for f in n100 d100; do
		l="$FX/$f.avro.layout"
		at=$(lblock "$l" 3 end)
		{
			head -c "$at" "$FX/$f.avro"
			printf 'GARBAGE!%.0s' {1..5}
			tail -c +$((at + 1)) "$FX/$f.avro"
		} > "$TMP/$f.avro"
		check_repair "$TMP/$f.avro" "$FX/$f.avro" "$FX/r100.json" "$at-$((at + 40))" 4 \
			"100 records readable"
		# the repaired file is the original
		cmp "$FX/$f.avro" "$TMP/repaired.avro"
	done
}

@test "repair: bytes deleted in the middle of a block" {
	local f l d
	for f in n100 d100; do
		l="$FX/$f.avro.layout"
		d=$(($(lblock "$l" 3 data) + 30))
		{ head -c "$d" "$FX/$f.avro"; tail -c +$((d + 21)) "$FX/$f.avro"; } > "$TMP/$f.avro"
		[[ $(stat -c %s "$TMP/$f.avro") -eq $(($(lay "$l" size) - 20)) ]]
		records_without $(first_id 3) $(($(first_id 3) + 11)) > "$TMP/want.json"
		check_repair "$TMP/$f.avro" "$FX/$f.avro" "$TMP/want.json" \
			"$(lblock "$l" 3 offset)-$(($(lblock "$l" 4 offset) - 20))" 3 "88 records readable"
	done
}

@test "repair: a file cut in its last block" {
	local f l o
	for f in n100 d100; do
		l="$FX/$f.avro.layout"
		o=$(lblock "$l" 8 offset)
		cut_file "$FX/$f.avro" $((o + 40)) "$TMP/$f.avro"
		records_without 96 99 > "$TMP/want.json"
		check_repair "$TMP/$f.avro" "$FX/$f.avro" "$TMP/want.json" "$o-$((o + 40))" 8 \
			"4 records lost" "96 records readable"
		# cut inside the last sync marker
		cut_file "$FX/$f.avro" $(($(lay "$l" size) - 3)) "$TMP/$f-2.avro"
		check_repair "$TMP/$f-2.avro" "$FX/$f.avro" "$TMP/want.json" \
			"$o-$(($(lay "$l" size) - 3))" 8 "4 records lost"
	done
}

@test "repair: a file cut in the middle of a block header" {
	local f l o d
	for f in n100 d100; do
		l="$FX/$f.avro.layout"
		o=$(lblock "$l" 4 offset)
		d=$(lblock "$l" 4 data)
		((d - o >= 2)) || fail "block 4's header is one byte long"
		cut_file "$FX/$f.avro" $((d - 1)) "$TMP/$f.avro"
		head -n 48 "$FX/r100.json" > "$TMP/want.json"
		check_repair "$TMP/$f.avro" "$FX/$f.avro" "$TMP/want.json" "$o-$((d - 1))" 4 \
			"48 records readable"
	done
}

@test "repair: a block whose record count is too small (bytes left over after its records)" {
	local f l o ids
	for f in n100 d100; do
		l="$FX/$f.avro.layout"
		o=$(lblock "$l" 3 offset)
		[[ "$(byte_at "$FX/$f.avro" "$o")" == 18 ]] # 12 records
		poke_byte "$FX/$f.avro" "$o" 14 "$TMP/$f.avro" # 10 records
		run_ak tojson "$TMP/$f.avro"
		expect_status 1
		run_ak repair --report "$TMP/$f.avro"
		expect_status 1
		[[ "$output" == *"damaged: bytes $o-$(lblock "$l" 3 end) ("*"block 3): "* ]] || fail "$output"
		run_ak repair -q "$TMP/$f.avro" "$TMP/rep.avro"
		expect_status 0
		run_ak tojson "$TMP/rep.avro"
		expect_status 0
		# every other block's records; of block 3 at most the 10 its header declares
		ids="$(ids "$TMP/rep.avro")"
		local n=$(($(wc -w <<< "$ids") - 88))
		((n >= 0 && n <= 10)) || fail "records: $ids"
		if ((n == 0)); then
			[[ "$ids" == "$(seq_ids 0 35) $(seq_ids 48 99)" ]] || fail "records: $ids"
		else
			[[ "$ids" == "$(seq_ids 0 $((35 + n))) $(seq_ids 48 99)" ]] || fail "records: $ids"
		fi
	done
}

@test "repair: a sound file larger than the read window, from a file and from a pipe" {
	"$PY" "$HELPER" gen 40000 > "$TMP/big.json"
	"$AVROKIT" fromjson --schema-file "$FX/item.avsc" --sync-marker $SYNC -o "$TMP/big.avro" \
		"$TMP/big.json"
	[[ "$(stat -c %s "$TMP/big.avro")" -gt $((1024 * 1024)) ]]
	run_ak repair --report "$TMP/big.avro"
	expect_status 0
	expect_no_stderr
	[[ "$output" == *": 40000 records readable in "*"; 0 damaged regions, 0 records lost" ]] ||
		fail "$output"
	run_sh 'cat "$1" | "$AVROKIT" repair --report' x "$TMP/big.avro"
	expect_status 0
	expect_no_stderr
	[[ "$output" == "(standard input): 40000 records readable in "*"; 0 damaged regions, 0 records lost" ]] ||
		fail "$output"
	run_sh 'cat "$1" | "$AVROKIT" repair -q > "$2"' x "$TMP/big.avro" "$TMP/out.avro"
	expect_status 0
	cmp "$TMP/big.avro" "$TMP/out.avro"
}

@test "repair: damage in a file larger than the read window" {
	local l at k gl
	"$PY" "$HELPER" gen 6000 > "$TMP/big.json"
	"$AVROKIT" fromjson --schema-file "$FX/item.avsc" --block-size 16K --sync-marker $SYNC \
		-o "$TMP/big.avro" "$TMP/big.json"
	py layout "$TMP/big.avro" > "$TMP/big.layout"
	l="$TMP/big.layout"
	[[ "$(lay "$l" blocks)" -ge 10 ]]
	# zero bytes inserted before block k: every record is recovered, the report names them
	for k in 1 7 9; do
		for gl in 100 70000; do
			at=$(lblock "$l" $k offset)
			{ head -c "$at" "$TMP/big.avro"; head -c $gl /dev/zero; tail -c +$((at + 1)) "$TMP/big.avro"; } \
				> "$TMP/ins.avro"
			check_repair "$TMP/ins.avro" "$TMP/big.avro" "$TMP/big.json" "$at-$((at + gl))" $k
			cmp "$TMP/big.avro" "$TMP/repaired.avro"
			# through a pipe
			run_sh 'cat "$1" | "$AVROKIT" repair --report' x "$TMP/ins.avro"
			expect_status 1
			[[ "$output" == *"damaged: bytes $at-$((at + gl)) (from block $k)"* ]] || fail "$output" "$stderr"
			run_sh 'cat "$1" | "$AVROKIT" repair -q | "$AVROKIT" tojson' x "$TMP/ins.avro"
			expect_status 0
			expect_output_file "$TMP/big.json"
		done
	done
}

@test "repair: a damaged header cannot be repaired" {
	mkdir "$TMP/d"
	# bad magic, a cut header, a broken metadata map
	poke_byte "$FX/n100.avro" 1 58 "$TMP/d/magic.avro"
	cut_file "$FX/n100.avro" 100 "$TMP/d/cut.avro"
	poke_byte "$FX/d100.avro" 4 7f "$TMP/d/map.avro"
	for f in magic cut map; do
		run_ak repair "$TMP/d/$f.avro" "$TMP/d/out.avro"
		expect_data_error repair "$TMP/d/$f.avro" "cannot be repaired"
		run_ak repair --report "$TMP/d/$f.avro"
		expect_data_error repair "$TMP/d/$f.avro" "cannot be repaired"
	done
	[[ "$(list_dir "$TMP/d")" == $'cut.avro\nmagic.avro\nmap.avro' ]] || fail "$(list_dir "$TMP/d")"
}

@test "repair: an empty file" {
	: > "$TMP/empty"
	run_ak repair "$TMP/empty" "$TMP/out.avro"
	expect_status 1
	expect_stderr "avrokit repair: $TMP/empty: "
	[[ ! -e "$TMP/out.avro" ]]
	run_ak repair --report "$TMP/empty"
	expect_status 1
	run_ak repair < /dev/null
	expect_status 1
	expect_no_output
	expect_stderr "avrokit repair: (standard input): "
}

@test "repair: from standard input to standard output" {
	local l="$FX/d100.avro.layout"
	poke_byte "$FX/d100.avro" "$(lblock "$l" 3 data)" ff "$TMP/d.avro"
	records_without 36 47 > "$TMP/want.json"
	run_sh 'cat "$1" | "$AVROKIT" repair > "$2"' x "$TMP/d.avro" "$TMP/out.avro"
	expect_status 0
	expect_stderr "damaged: bytes $(lblock "$l" 3 offset)-$(lblock "$l" 3 end) (from block 3)" \
		"(standard input): 88 records readable"
	expect_records "$TMP/out.avro" "$TMP/want.json"
	run_sh '"$AVROKIT" repair -q - - < "$1" | "$AVROKIT" tojson' x "$TMP/d.avro"
	expect_status 0
	expect_no_stderr
	expect_output_file "$TMP/want.json"
	run_sh 'cat "$1" | "$AVROKIT" repair --report' x "$TMP/d.avro"
	expect_status 1
	[[ "$output" == *"(standard input): 88 records readable in "*"; 1 damaged region, 12 records lost" ]] ||
		fail "$output"
}

@test "repair: usage errors" {
	run_ak repair --report "$FX/n100.avro" "$TMP/out.avro"
	expect_usage_error repair "--report"
	run_ak repair "$FX/n100.avro" "$TMP/a.avro" "$TMP/b.avro"
	expect_usage_error repair
	[[ ! -e "$TMP/a.avro" ]]
}
