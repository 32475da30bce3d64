#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# fastavro's lz4 codec, which avrokit reads and does not write (it is not one of the Avro
# specification's codecs): files made by tests/interop/filecmds_avro.py's lz4 command from
# tests/data, with blocks of
# literals (no library needed) and, when /usr/bin/python3 has python3-lz4, with python-lz4's
# own compression. Every test is skipped when this avrokit was built without liblz4.
# (Files that fastavro itself writes are read in tests/python/test_fastavro_differential.py.)

load common

setup() {
	ak_setup
	"$AVROKIT" --version | grep -q '^codecs:.* lz4(read-only)' ||
		skip "this avrokit was built without liblz4"
	# weather.avro in blocks of about 100 bytes, so that there are several
	"$AVROKIT" fromjson -b 100 --schema-file "$DATA/weather.avsc" -o "$TMP/null.avro" \
		"$DATA/weather.json"
	/usr/bin/python3 "$REPO/tests/interop/filecmds_avro.py" lz4 "$TMP/null.avro" "$TMP/lit.avro"
}

# real_lz4: $TMP/real.avro, compressed by python-lz4 (skips without python3-lz4)
real_lz4() {
	local st=0
	/usr/bin/python3 "$REPO/tests/interop/filecmds_avro.py" lz4 "$TMP/null.avro" \
		"$TMP/real.avro" --real || st=$?
	[[ $st -ne 3 ]] || skip "no python3-lz4 for /usr/bin/python3"
	[[ $st -eq 0 ]]
}

@test "lz4: --version lists it as read-only, with its library" {
	run_ak --version
	expect_status 0
	[[ "$output" == *"lz4(read-only)"* && "$output" == *"liblz4 "* ]] || ak_show "lz4 not listed"
}

@test "lz4: tojson, count, getschema and blocks read the file as its null original" {
	local f
	"$AVROKIT" tojson "$DATA/weather.avro" > "$TMP/want.json"
	[[ $("$AVROKIT" count "$TMP/null.avro") -ge 5 ]] || ak_show "expected several records"
	for f in lit real; do
		[[ $f == lit ]] || real_lz4
		[[ "$("$AVROKIT" getmeta --key avro.codec "$TMP/$f.avro")" == lz4 ]]
		run_ak tojson "$TMP/$f.avro"
		expect_status 0
		expect_no_stderr
		expect_output_file "$TMP/want.json"
		# from a pipe, and with threads decompressing ahead
		"$AVROKIT" tojson -j 3 < "$TMP/$f.avro" | cmp - "$TMP/want.json"
		[[ "$("$AVROKIT" count "$TMP/$f.avro")" == "$("$AVROKIT" count "$TMP/null.avro")" ]]
		cmp <("$AVROKIT" getschema "$TMP/$f.avro") <("$AVROKIT" getschema "$TMP/null.avro")
		# the same blocks with the same records, each decoded to the same size
		cmp <("$AVROKIT" blocks "$TMP/$f.avro" | awk 'NR > 2 { print $1, $3, $5, $6 }') \
			<("$AVROKIT" blocks "$TMP/null.avro" | awk 'NR > 2 { print $1, $3, $5, $6 }')
	done
}

@test "lz4: recodec turns it into an Avro codec, block for block" {
	real_lz4
	run_ak recodec --codec zstandard "$TMP/real.avro" "$TMP/z.avro"
	expect_status 0
	expect_no_stderr
	[[ "$("$AVROKIT" getmeta --key avro.codec "$TMP/z.avro")" == zstandard ]]
	cmp <("$AVROKIT" tojson "$TMP/z.avro") <("$AVROKIT" tojson "$TMP/null.avro")
	cmp <("$AVROKIT" blocks "$TMP/z.avro" | awk 'NR > 2 { print $3 }') \
		<("$AVROKIT" blocks "$TMP/null.avro" | awk 'NR > 2 { print $3 }')
}

@test "lz4: no command writes it, and an lz4 input must be given an output codec" {
	mkdir "$TMP/out"
	run_ak fromjson --codec lz4 --schema-file "$DATA/weather.avsc" -o "$TMP/out/x.avro" \
		"$DATA/weather.json"
	expect_usage_error fromjson "codec 'lz4' can be read but not written" "null, deflate"
	run_ak recodec --codec lz4 "$TMP/null.avro" "$TMP/out/x.avro"
	expect_usage_error recodec "codec 'lz4' can be read but not written"
	# cat and concat take the first input's codec by default: not this one
	run_ak cat -o "$TMP/out/x.avro" "$TMP/lit.avro"
	expect_usage_error cat "codec 'lz4' can be read but not written" "give --codec"
	run_ak concat -o "$TMP/out/x.avro" "$TMP/lit.avro" "$TMP/null.avro"
	expect_usage_error concat "codec 'lz4' can be read but not written" "give --codec"
	expect_dir "$TMP/out"
	# with an output codec they read it
	"$AVROKIT" concat --codec deflate -o "$TMP/out/x.avro" "$TMP/lit.avro" "$TMP/null.avro"
	cmp <("$AVROKIT" tojson "$TMP/out/x.avro") <(cat "$DATA/weather.json" "$DATA/weather.json")
}

@test "lz4: a block that lies about its size is a data error naming the block" {
	local off
	# block 0 starts after the header, which ends with the sync marker (the file's last 16
	# bytes); its count and size (varints) come first, then the payload, whose first byte is
	# the low byte of the decompressed size: add 1 to it
	off=$(/usr/bin/python3 - "$TMP/lit.avro" "$TMP/bad.avro" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
off = i = b.index(b[-16:]) + 16
for _ in range(2):
    while b[i] & 0x80:
        i += 1
    i += 1
b[i] += 1
open(sys.argv[2], "wb").write(b)
print(off)
PY
)
	run_ak tojson "$TMP/bad.avro"
	expect_data_error tojson "$TMP/bad.avro" "block 0 (offset $off)" "corrupt lz4 data" \
		"where the block says"
	# repair keeps the other blocks, as stored (its output has the input's codec)
	run_ak repair -o "$TMP/fixed.avro" "$TMP/bad.avro"
	expect_status 0
	expect_stderr "corrupt lz4 data" "1 damaged region"
	[[ "$("$AVROKIT" getmeta --key avro.codec "$TMP/fixed.avro")" == lz4 ]]
	[[ $("$AVROKIT" count "$TMP/fixed.avro") -eq $(( $("$AVROKIT" count "$TMP/lit.avro") -
		$("$AVROKIT" blocks "$TMP/lit.avro" | awk 'NR == 3 { print $3 }') )) ]]
}
