#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# avrokit fromjson -j: parsing and compressing on several threads. The file must be the one
# -j1 writes, byte for byte, and an error the one -j1 reports, at the same line and column,
# with the same blocks written before it. (Damaged inputs and a stream with no value
# boundary are in fromjson-jobs-damage.bats, the rest of fromjson's tests in fromjson.bats;
# files apart so that none runs for minutes under AddressSanitizer or valgrind on a busy
# machine. The setup and the inputs both -j files use are in fromjson-jobs.bash.)

load common
load fromjson-jobs

# ---- -j: parsing on several threads (inputs larger than one 1 MiB chunk) ----

@test "fromjson -j: past one chunk, the file is the same with 1, 2 and 5 threads (every layout, codec)" {
	chunk_inputs
	for f in nd pretty oneline; do
		for c in null deflate zstandard; do
			run_ak fromjson -j1 -c "$c" --sync-marker $SYNC --schema-file "$TMP/s.avsc" \
				-o "$TMP/$f.1.avro" "$TMP/$f.json"
			expect_status 0
			for j in 2 5; do
				run_ak fromjson -j "$j" -c "$c" --sync-marker $SYNC \
					--schema-file "$TMP/s.avsc" -o "$TMP/$f.$j.avro" "$TMP/$f.json"
				expect_status 0
				cmp "$TMP/$f.1.avro" "$TMP/$f.$j.avro" || ak_show "$f, $c: -j $j differs"
			done
		done
	done
	run_ak count "$TMP/oneline.1.avro"
	expect_output_is 30000
	# and from a pipe
	run_sh '"$AVROKIT" fromjson -j2 -c zstandard --sync-marker '$SYNC' --schema-file "$1/s.avsc" \
		< "$1/nd.json" | cmp - "$1/nd.1.avro"' sh "$TMP"
	expect_status 0
}

@test "fromjson -j: an error past the first chunk: same message, line, column and blocks as -j1" {
	chunk_inputs
	# a bad value in the 20,000th record, on its own line or in the middle of one long line
	sed '20000s/"n": /"n": x/' "$TMP/nd.json" > "$TMP/bad-nd.json"
	python3 -c 'import sys; b = open(sys.argv[1], "rb").read(); i = b.index(b"\"n\":", 2500000)
open(sys.argv[2], "wb").write(b[:i + 4] + b"true" + b[i + 4:])' "$TMP/oneline.json" "$TMP/bad-one.json"
	# (the data files are compared as files: bash drops the NUL bytes of a string)
	local f j st
	for f in bad-nd bad-one; do
		st=0
		"$AVROKIT" fromjson -j1 -b 16K --sync-marker $SYNC --schema-file "$TMP/s.avsc" \
			"$TMP/$f.json" > "$TMP/o1" 2> "$TMP/e1" || st=$?
		stderr="$(cat "$TMP/e1")"
		[[ "$st" -eq 1 ]] || ak_show "$f: -j1: exit status $st"
		[[ $f == bad-nd ]] && expect_stderr "$TMP/$f.json:20000:"
		[[ $f == bad-one ]] && expect_stderr "$TMP/$f.json:1:25"
		for j in 2 3; do
			st=0
			"$AVROKIT" fromjson -j "$j" -b 16K --sync-marker $SYNC --schema-file "$TMP/s.avsc" \
				"$TMP/$f.json" > "$TMP/o2" 2> "$TMP/e2" || st=$?
			[[ "$st" -eq 1 ]] || ak_show "$f: -j $j: exit status $st"
			cmp -s "$TMP/e1" "$TMP/e2" ||
				ak_show "$f: -j $j reports another error ($(cat "$TMP/e2")) than -j 1 ($stderr)"
			cmp -s "$TMP/o1" "$TMP/o2" || ak_show "$f: -j $j wrote other blocks than -j 1"
		done
	done
}

@test "fromjson -j: the same file byte for byte with 1, 2 and 5 compression threads" {
	local s='{"type":"record","name":"R","fields":[{"name":"i","type":"long"},{"name":"s","type":"string"}]}'
	seq 1 3000 | awk '{printf "{\"i\":%d,\"s\":\"row %d of a test file\"}\n", $1, $1}' > "$W/j.json"
	for c in deflate snappy zstandard bzip2 xz; do
		"$AVROKIT" fromjson -j 1 -c "$c" -b 2K --sync-marker 000102030405060708090a0b0c0d0e0f \
			--schema "$s" -o "$W/j1.avro" "$W/j.json"
		for j in 2 5; do
			run_ak fromjson --jobs "$j" -c "$c" -b 2K --sync-marker 000102030405060708090a0b0c0d0e0f \
				--schema "$s" -o "$W/jn.avro" "$W/j.json"
			expect_status 0
			cmp -s "$W/j1.avro" "$W/jn.avro" || ak_show "$c: -j $j differs from -j 1"
		done
		[[ "$("$AVROKIT" count "$W/jn.avro")" == 3000 ]] || ak_show "$c: count"
	done
	run_ak fromjson -j 0 --schema "$s" "$W/j.json"
	expect_usage_error fromjson "--jobs"
}
