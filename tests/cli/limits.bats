#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The read limits and the options that change them: --max-block-size (a block as stored and
# after decompression) and --max-header-size (the metadata of a data file, or a schema file).

load common

setup() {
	ak_setup
	local i
	for ((i = 0; i < 200; i++)); do
		printf '{"station":"S%d","time":%d,"temp":%d}\n' "$i" "$i" "$i"
	done > "$TMP/w200.json"
	# one block: 1562 bytes of records, fewer after deflate
	"$AVROKIT" fromjson --schema-file "$DATA/weather.avro" -c null -o "$TMP/null.avro" \
		"$TMP/w200.json"
	"$AVROKIT" fromjson --schema-file "$DATA/weather.avro" -c deflate -o "$TMP/deflate.avro" \
		"$TMP/w200.json"
}

# the commands whose --list-options include OPTION, one per line
commands_with() {
	local c
	for c in $("$AVROKIT" --list-commands); do
		"$AVROKIT" "$c" --list-options | grep -qx -- "$1=" && echo "$c"
	done
	return 0
}

@test "limits: the commands that read blocks take --max-block-size, all that read data files --max-header-size" {
	# (fromtext reads no data file: its --max-block-size bounds a line, see text.bats)
	run commands_with --max-block-size
	expect_status 0
	expect_output_is "$(printf '%s\n' blocks cat concat count fromtext recodec repair tojson totext)"
	run commands_with --max-header-size
	expect_output_is "$(printf '%s\n' blocks canonical cat checkschema compatible concat count \
		fingerprint fromjson getmeta getschema random recodec repair splits tojson totext)"
}

@test "limits: a block larger as stored than --max-block-size is refused, naming the option" {
	for cmd in tojson count cat blocks recodec concat; do
		run_ak "$cmd" --max-block-size 1K "$TMP/null.avro"
		expect_data_error "$cmd" "$TMP/null.avro" "block 0 (offset 349): block size 1562" \
			"exceeds the 1024-byte limit (--max-block-size raises the limit)"
	done
	run_ak tojson --max-block-size=2K "$TMP/null.avro"
	expect_status 0
	expect_output_file "$TMP/w200.json"
	run_ak count --max-block-size 2k "$TMP/null.avro"
	expect_status 0
	expect_output_is 200
}

@test "limits: a block that decompresses past --max-block-size is refused (all threads)" {
	for j in 1 2; do
		run_ak tojson -j "$j" --max-block-size 1K "$TMP/deflate.avro"
		expect_data_error tojson "$TMP/deflate.avro" "block 0 (offset 352)" \
			"deflate block decompresses to more than the 1024-byte limit" \
			"(--max-block-size raises the limit)"
		expect_no_output
	done
	# stored, the block is 903 bytes: count does not decompress, so it passes
	run_ak count --max-block-size 1K "$TMP/deflate.avro"
	expect_status 0
	expect_output_is 200
	run_ak tojson --max-block-size 2K "$TMP/deflate.avro"
	expect_status 0
	expect_output_file <("$AVROKIT" tojson "$TMP/null.avro")
}

@test "limits: repair treats a block over --max-block-size as damage" {
	run_ak repair --report --max-block-size 1K "$TMP/null.avro"
	expect_status 1
	[[ "$output" == *"impossible block header (count 200, size 1562)"* ]] ||
		ak_show "expected the report to name the block header"
	run_ak repair --report --max-block-size 2K "$TMP/null.avro"
	expect_status 0
}

@test "limits: a 1 GiB zip bomb is refused at a lowered --max-block-size, in bounded memory" {
	python3 "$BATS_TEST_DIRNAME/../interop/hostile.py" bomb "$TMP/bomb.avro"
	run_ak tojson --max-block-size 16M "$TMP/bomb.avro"
	expect_data_error tojson "$TMP/bomb.avro" "block 0 (offset " \
		"deflate block decompresses to more than the 16777216-byte limit"
	skip_under_valgrind "the peak RSS measured would be valgrind's"
	[[ -x /usr/bin/time ]] || skip "/usr/bin/time is not installed (package time)"
	run /usr/bin/time -f '%M' "$AVROKIT" tojson -j1 --max-block-size 16M "$TMP/bomb.avro"
	local kib=${lines[-1]}
	echo "# peak RSS ${kib} KiB" >&3
	((kib < 64 * 1024)) || ak_show "expected less than 64 MiB peak RSS, got $kib KiB"
}

@test "limits: metadata larger than --max-header-size is refused, naming the option" {
	local big
	big=$(printf 'x%.0s' {1..3000})
	"$AVROKIT" fromjson --schema-file "$DATA/weather.avro" -m "big=$big" -o "$TMP/meta.avro" \
		"$TMP/w200.json"
	for cmd in tojson count getmeta getschema canonical fingerprint blocks cat concat recodec; do
		run_ak "$cmd" --max-header-size 2K "$TMP/meta.avro"
		expect_status 1
		expect_stderr "avrokit $cmd: " "metadata is larger than the 2048-byte limit" \
			"(--max-header-size raises the limit)"
	done
	run_ak getmeta --max-header-size 4K --key big "$TMP/meta.avro"
	expect_status 0
	expect_output_is "$big"
	run_ak checkschema --max-header-size 2K "$TMP/meta.avro"
	expect_status 1
	expect_stderr "metadata is larger than the 2048-byte limit"
	run_ak compatible --max-header-size 2K --reader "$TMP/meta.avro" --writer "$TMP/null.avro"
	expect_status 1
	expect_stderr "metadata is larger than the 2048-byte limit"
}

@test "limits: a schema file larger than --max-header-size is refused" {
	{
		printf '{"type":"record","name":"r","doc":"'
		printf 'y%.0s' {1..3000}
		printf '","fields":[{"name":"a","type":"int"}]}'
	} > "$TMP/big.avsc"
	run_ak fromjson --max-header-size 2K --schema-file "$TMP/big.avsc" /dev/null
	expect_status 1
	expect_stderr "schema larger than the 2048-byte metadata limit" \
		"(--max-header-size raises the limit)"
	run_ak canonical --max-header-size 4K "$TMP/big.avsc"
	expect_status 0
	expect_output_is '{"name":"r","type":"record","fields":[{"name":"a","type":"int"}]}'
}

@test "limits: the options take 1K to 64G with an optional K, M or G suffix" {
	for v in 0 1023 512 1 65G 64G1 1.5M -1M 1T '' abc 1KB 99999999999999999999999; do
		run_ak count --max-block-size "$v" "$TMP/null.avro"
		expect_usage_error count "--max-block-size: '$v' is not a size from 1K to 64G"
		run_ak getmeta --max-header-size="$v" "$TMP/null.avro"
		expect_usage_error getmeta "--max-header-size: '$v' is not a size from 1K to 64G"
	done
	for v in 2K 2048 2k 64G 65536M 1g; do
		run_ak count --max-block-size "$v" --max-header-size "$v" "$TMP/null.avro"
		expect_status 0
		expect_output_is 200
	done
	run_ak getmeta --max-block-size 1M "$TMP/null.avro"
	expect_usage_error getmeta "unknown option '--max-block-size'"
}
