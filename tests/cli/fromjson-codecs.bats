#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# avrokit fromjson: the options that shape the file (--codec and --level, --block-size,
# --meta, --sync-marker), and peers reading what fromjson writes: python3-avro and avrocat
# (skipped, saying so, when /usr/bin/python3 has no avro module or avrocat is missing).
# (The rest of fromjson's tests are in fromjson.bats and fromjson-jobs.bats; files apart so
# that none runs for minutes under AddressSanitizer or valgrind on a busy machine. The setup
# and the helpers it shares with fromjson.bats are in fromjson.bash.)
#
# Needs AVROKIT (the binary). Python helpers run with /usr/bin/python3 (Debian's, which has
# python3-avro; the first python3 on PATH may be another one).

load common
load fromjson

# ---- codecs and --level ----

# check_codec CODEC: 300 records written with CODEC read back; the file says CODEC
check_codec() {
	n_records 300
	run_ak fromjson --codec "$1" --schema "$RS" -o "$W/out.avro" "$TMP/n.json"
	expect_status 0
	expect_no_stderr
	expect_no_output
	[[ "$("$AVROKIT" getmeta --key avro.codec "$W/out.avro")" == "$1" ]] || ak_show "avro.codec is not $1"
	"$AVROKIT" tojson "$W/out.avro" > "$TMP/out.json"
	cmp "$TMP/n.json" "$TMP/out.json"
	[[ "$("$AVROKIT" count "$W/out.avro")" == 300 ]]
	# -c is the same, and from a pipe too
	"$AVROKIT" fromjson -c "$1" --schema "$RS" < "$TMP/n.json" | "$AVROKIT" tojson > "$TMP/out2.json"
	cmp "$TMP/n.json" "$TMP/out2.json"
	expect_dir "$W" out.avro
}

@test "fromjson --codec null" {
	check_codec null
	# null is the default: the same file without --codec
	"$AVROKIT" fromjson --sync-marker "$SYNC" --schema "$RS" "$TMP/n.json" > "$TMP/a.avro"
	"$AVROKIT" fromjson --sync-marker "$SYNC" --codec null --schema "$RS" "$TMP/n.json" > "$TMP/b.avro"
	cmp "$TMP/a.avro" "$TMP/b.avro"
}

@test "fromjson --codec deflate" {
	check_codec deflate
	# it compresses: smaller than the null file
	"$AVROKIT" fromjson --schema "$RS" "$TMP/n.json" > "$TMP/null.avro"
	(($(stat -c %s "$W/out.avro") < $(stat -c %s "$TMP/null.avro")))
}

@test "fromjson --codec snappy" {
	check_codec snappy
}

@test "fromjson --codec bzip2" {
	check_codec bzip2
}

@test "fromjson --codec xz" {
	check_codec xz
}

@test "fromjson --codec zstandard" {
	check_codec zstandard
}

@test "fromjson --codec deflate: the default level is 1 with libdeflate, 6 with zlib alone" {
	local want=6 l
	n_records 2000
	[[ "$("$AVROKIT" --version)" != *" libdeflate "* ]] || want=1
	"$AVROKIT" fromjson -c deflate --sync-marker "$SYNC" --schema "$RS" -o "$W/default.avro" "$TMP/n.json"
	for l in 1 6; do
		"$AVROKIT" fromjson -c deflate -l $l --sync-marker "$SYNC" --schema "$RS" -o "$W/$l.avro" "$TMP/n.json"
	done
	! cmp -s "$W/1.avro" "$W/6.avro" || ak_show "deflate levels 1 and 6 give the same file"
	cmp "$W/default.avro" "$W/$want.avro"
	# recodec's and cat's default too (from a null-codec file: a deflate one would be copied
	# block by block)
	"$AVROKIT" fromjson --sync-marker "$SYNC" --schema "$RS" -o "$W/null.avro" "$TMP/n.json"
	"$AVROKIT" recodec -c deflate "$W/null.avro" "$W/recodec.avro"
	cmp "$W/recodec.avro" "$W/$want.avro"
	"$AVROKIT" cat -c deflate --sync-marker "$SYNC" "$W/null.avro" > "$W/cat.avro"
	cmp "$W/cat.avro" "$W/$want.avro"
}

# check_levels CODEC LOW HIGH: both ends of the range work, and give different files
check_levels() {
	local codec="$1" lo="$2" hi="$3" l
	for ((l = lo; l <= hi; l++)); do
		run_ak fromjson --codec "$codec" --level "$l" --sync-marker "$SYNC" --schema "$RS" \
			-o "$W/$codec-$l.avro" "$TMP/n.json"
		expect_status 0
		expect_no_stderr
		"$AVROKIT" tojson "$W/$codec-$l.avro" | cmp "$TMP/n.json" -
	done
	! cmp -s "$W/$codec-$lo.avro" "$W/$codec-$hi.avro" || ak_show "$codec levels $lo and $hi give the same file"
}

@test "fromjson --level: every valid level of every codec reads back; levels make a difference" {
	n_records 2000
	check_levels deflate 0 9
	check_levels xz 0 9
	check_levels zstandard 1 22
	check_levels bzip2 1 9
	# deflate level 0 stores, level 9 compresses
	(($(stat -c %s "$W/deflate-0.avro") > 2 * $(stat -c %s "$W/deflate-9.avro")))
	# -l, --level=N, and --level before --codec
	"$AVROKIT" fromjson -c deflate -l 9 --sync-marker "$SYNC" --schema "$RS" "$TMP/n.json" > "$TMP/a.avro"
	"$AVROKIT" fromjson --level=9 --codec=deflate --sync-marker "$SYNC" --schema "$RS" "$TMP/n.json" > "$TMP/b.avro"
	"$AVROKIT" fromjson -c deflate --level 1 --sync-marker "$SYNC" --schema "$RS" "$TMP/n.json" > "$TMP/c.avro"
	cmp "$TMP/a.avro" "$TMP/b.avro"
	! cmp -s "$TMP/a.avro" "$TMP/c.avro" || ak_show "deflate levels 9 and 1 give the same file"
}

@test "fromjson --level out of range for the codec is a usage error" {
	records '{"a":1,"s":"x"}'
	run_ak fromjson --codec deflate --level 10 --schema "$RS" -o "$W/out.avro" "$TMP/in.json"
	expect_usage_error fromjson "--level for deflate must be from 0 to 9"
	run_ak fromjson --codec xz --level 10 --schema "$RS" -o "$W/out.avro" "$TMP/in.json"
	expect_usage_error fromjson "--level for xz must be from 0 to 9"
	run_ak fromjson --codec zstandard --level 0 --schema "$RS" -o "$W/out.avro" "$TMP/in.json"
	expect_usage_error fromjson "--level for zstandard must be from 1 to 22"
	run_ak fromjson --codec zstandard --level 23 --schema "$RS" -o "$W/out.avro" "$TMP/in.json"
	expect_usage_error fromjson "--level"
	run_ak fromjson --codec bzip2 --level 0 --schema "$RS" -o "$W/out.avro" "$TMP/in.json"
	expect_usage_error fromjson "--level for bzip2 must be from 1 to 9"
	run_ak fromjson --codec bzip2 --level 10 --schema "$RS" -o "$W/out.avro" "$TMP/in.json"
	expect_usage_error fromjson "--level for bzip2 must be from 1 to 9"
	local bad
	for bad in -1 x 1x '' 99999999999999999999; do
		run_ak fromjson --codec deflate --level "$bad" --schema "$RS" -o "$W/out.avro" "$TMP/in.json"
		expect_usage_error fromjson "--level"
	done
	expect_dir "$W"
}

@test "fromjson --level with snappy or null (no levels) is a usage error" {
	records '{"a":1,"s":"x"}'
	run_ak fromjson --codec snappy --level 1 --schema "$RS" -o "$W/out.avro" "$TMP/in.json"
	expect_usage_error fromjson "--level does not apply to codec 'snappy'"
	run_ak fromjson --level 1 --codec snappy --schema "$RS" -o "$W/out.avro" "$TMP/in.json"
	expect_usage_error fromjson "--level does not apply to codec 'snappy'"
	run_ak fromjson --level 1 --schema "$RS" -o "$W/out.avro" "$TMP/in.json"
	expect_usage_error fromjson "--level does not apply to codec 'null'"
	expect_dir "$W"
}

@test "fromjson --codec with an unknown codec is a usage error naming the codecs" {
	records '{"a":1,"s":"x"}'
	local c
	for c in bogus Deflate zstd ''; do
		run_ak fromjson --codec "$c" --schema "$RS" -o "$W/out.avro" "$TMP/in.json"
		expect_usage_error fromjson "unknown codec '$c'" "null, deflate, snappy, bzip2, xz, zstandard"
	done
	# lzma is known (avrokit reads it) but cannot be written
	run_ak fromjson --codec lzma --schema "$RS" -o "$W/out.avro" "$TMP/in.json"
	expect_usage_error fromjson "codec 'lzma' can be read but not written" "null, deflate, snappy, bzip2, xz or zstandard"
	expect_dir "$W"
}

# ---- --block-size ----

# 100 records of exactly 50 bytes each (a string of 49 characters: 1 length byte + 49)
fifty_byte_records() {
	local k x
	x="$(printf 'x%.0s' {1..49})"
	for ((k = 0; k < 100; k++)); do
		printf '{"s":"%s"}\n' "$x"
	done > "$TMP/r50.json"
}
S50='{"type":"record","name":"S","fields":[{"name":"s","type":"string"}]}'

@test "fromjson --block-size 1K: a block ends when its records reach 1024 bytes" {
	fifty_byte_records
	run_ak fromjson --block-size 1K --schema "$S50" -o "$W/out.avro" "$TMP/r50.json"
	expect_status 0
	expect_no_stderr
	# 20 records are 1000 bytes (< 1024), 21 are 1050: blocks of 21
	[[ "$(block_counts "$W/out.avro")" == "21 21 21 21 16 " ]] ||
		{ block_counts "$W/out.avro" >&2; false; }
	[[ "$("$AVROKIT" count "$W/out.avro")" == 100 ]]
	"$AVROKIT" tojson "$W/out.avro" | cmp "$TMP/r50.json" -
	# every block's stored size is its records' size (null codec) and its sync marker is right
	run_ak blocks "$W/out.avro"
	expect_status 0
	[[ "$(grep -c ' ok$' <<< "$output")" -eq 5 ]] || ak_show "5 blocks with good sync markers"
	# k is the same as K; 1000 bytes gives blocks of 20
	"$AVROKIT" fromjson -b 1k --schema "$S50" "$TMP/r50.json" > "$TMP/k.avro"
	[[ "$(block_counts "$TMP/k.avro")" == "21 21 21 21 16 " ]]
	"$AVROKIT" fromjson --block-size=1000 --schema "$S50" "$TMP/r50.json" > "$TMP/1000.avro"
	[[ "$(block_counts "$TMP/1000.avro")" == "20 20 20 20 20 " ]] ||
		{ block_counts "$TMP/1000.avro" >&2; false; }
}

@test "fromjson --block-size: a size of 1 byte gives one record per block; the default one block" {
	fifty_byte_records
	"$AVROKIT" fromjson --block-size 1 --schema "$S50" "$TMP/r50.json" > "$TMP/one.avro"
	[[ "$("$AVROKIT" blocks --json "$TMP/one.avro" | grep -c '"records":1,')" -eq 100 ]]
	[[ "$("$AVROKIT" count "$TMP/one.avro")" == 100 ]]
	"$AVROKIT" tojson "$TMP/one.avro" | cmp "$TMP/r50.json" -
	# 5000 bytes are below the default 64K: one block
	"$AVROKIT" fromjson --schema "$S50" "$TMP/r50.json" > "$TMP/default.avro"
	[[ "$(block_counts "$TMP/default.avro")" == "100 " ]]
}

@test "fromjson --block-size 1M is 1048576 bytes; several blocks with a codec read back" {
	# records of exactly 1000 bytes: 2 length bytes + 998 characters
	awk 'BEGIN { x = ""; for (i = 0; i < 998; i++) x = x "y"
		for (k = 0; k < 1100; k++) printf "{\"s\":\"%s\"}\n", x }' > "$TMP/r1000.json"
	"$AVROKIT" fromjson --block-size 1M --schema "$S50" "$TMP/r1000.json" > "$TMP/m.avro"
	# 1048 records are 1048000 bytes (< 1048576), 1049 reach it
	[[ "$(block_counts "$TMP/m.avro")" == "1049 51 " ]] || { block_counts "$TMP/m.avro" >&2; false; }
	"$AVROKIT" fromjson -b 10K -c deflate --schema "$S50" "$TMP/r1000.json" > "$TMP/d.avro"
	[[ "$(block_counts "$TMP/d.avro")" == "$(printf '11 %.0s' {1..100})" ]] ||
		{ block_counts "$TMP/d.avro" >&2; false; }
	[[ "$("$AVROKIT" count "$TMP/d.avro")" == 1100 ]]
	"$AVROKIT" tojson "$TMP/d.avro" | cmp "$TMP/r1000.json" -
}

@test "fromjson --block-size: bad sizes are usage errors" {
	records '{"a":1,"s":"x"}'
	local bad
	for bad in 0 2G 1.5K 1KB x -1 '' 1T; do
		run_ak fromjson --block-size "$bad" --schema "$RS" -o "$W/out.avro" "$TMP/in.json"
		expect_usage_error fromjson "--block-size: '$bad' is not a size"
	done
	expect_dir "$W"
	# 1G is the largest
	run_ak fromjson --block-size 1G --schema "$RS" -o "$W/out.avro" "$TMP/in.json"
	expect_status 0
}

# ---- --meta ----

@test "fromjson --meta KEY=VALUE entries show in getmeta" {
	records '{"a":1,"s":"x"}'
	run_ak fromjson --meta k1=v1 --meta 'k2=a=b' -m k3= --meta 'ünï=çödé ☃' --meta=k5=five \
		--schema "$RS" -o "$W/out.avro" "$TMP/in.json"
	expect_status 0
	expect_no_stderr
	[[ "$("$AVROKIT" getmeta --key k1 "$W/out.avro")" == v1 ]]
	[[ "$("$AVROKIT" getmeta --key k2 "$W/out.avro")" == a=b ]]
	[[ "$("$AVROKIT" getmeta --key k3 "$W/out.avro")" == "" ]]
	[[ "$("$AVROKIT" getmeta --key ünï "$W/out.avro")" == "çödé ☃" ]]
	[[ "$("$AVROKIT" getmeta --key k5 "$W/out.avro")" == five ]]
	run_ak getmeta "$W/out.avro"
	expect_status 0
	[[ "$output" == *$'\nk1\tv1'* && "$output" == *$'\nk2\ta=b'* && "$output" == *$'\nk5\tfive'* ]] ||
		ak_show "getmeta lists the keys"
	[[ "$(grep -c '^avro\.codec' <<< "$output")" -eq 1 ]] || ak_show "one avro.codec"
	expect_records "$W/out.avro" '{"a":1,"s":"x"}'
}

@test "fromjson --meta: an avro.* key is a usage error" {
	records '{"a":1,"s":"x"}'
	local kv
	for kv in avro.codec=deflate avro.schema='"int"' avro.x=1 avro.=1; do
		run_ak fromjson --meta "$kv" --schema "$RS" -o "$W/out.avro" "$TMP/in.json"
		expect_usage_error fromjson "--meta: key '${kv%%=*}' is reserved"
	done
	expect_dir "$W"
	# avro without a dot, or another case, is a user key
	run_ak fromjson --meta avrox=1 --meta Avro.y=2 --schema "$RS" -o "$W/out.avro" "$TMP/in.json"
	expect_status 0
	[[ "$("$AVROKIT" getmeta --key Avro.y "$W/out.avro")" == 2 ]]
}

@test "fromjson --meta without '=' or with an empty key is a usage error" {
	records '{"a":1,"s":"x"}'
	local kv
	for kv in k1 =v ''; do
		run_ak fromjson --meta "$kv" --schema "$RS" -o "$W/out.avro" "$TMP/in.json"
		expect_usage_error fromjson "--meta takes KEY=VALUE, got '$kv'"
	done
	expect_dir "$W"
}

# ---- --sync-marker ----

@test "fromjson --sync-marker: the same input gives byte-identical files" {
	n_records 1000
	"$AVROKIT" fromjson --sync-marker "$SYNC" -b 1K -c deflate --meta k=v --schema "$RS" "$TMP/n.json" > "$TMP/a.avro"
	"$AVROKIT" fromjson --sync-marker "$SYNC" -b 1K -c deflate --meta k=v --schema "$RS" -o "$TMP/b.avro" < "$TMP/n.json"
	"$AVROKIT" fromjson --sync-marker "${SYNC^^}" -b 1K -c deflate --meta k=v --schema "$RS" "$TMP/n.json" > "$TMP/c.avro"
	cmp "$TMP/a.avro" "$TMP/b.avro"
	cmp "$TMP/a.avro" "$TMP/c.avro"
	# the marker is the one given: the file ends with it, and every block's is right
	[[ "$(tail -c 16 "$TMP/a.avro" | od -An -tx1 | tr -d ' \n')" == "$SYNC" ]]
	[[ "$("$AVROKIT" blocks --json "$TMP/a.avro" | grep -c '"sync_ok":true')" -gt 5 ]]
	[[ "$("$AVROKIT" blocks --json "$TMP/a.avro" | grep -c '"sync_ok":false')" -eq 0 ]]
	"$AVROKIT" tojson "$TMP/a.avro" | cmp "$TMP/n.json" -
	# another marker gives another file; no marker gives a random one
	"$AVROKIT" fromjson --sync-marker ffeeddccbbaa99887766554433221100 -b 1K -c deflate --meta k=v --schema "$RS" "$TMP/n.json" > "$TMP/d.avro"
	! cmp -s "$TMP/a.avro" "$TMP/d.avro" || ak_show "another sync marker gives the same file"
	"$AVROKIT" fromjson -b 1K -c deflate --meta k=v --schema "$RS" "$TMP/n.json" > "$TMP/e.avro"
	"$AVROKIT" fromjson -b 1K -c deflate --meta k=v --schema "$RS" "$TMP/n.json" > "$TMP/f.avro"
	! cmp -s "$TMP/e.avro" "$TMP/f.avro" || ak_show "two runs without --sync-marker give the same file"
	[[ "$(stat -c %s "$TMP/e.avro")" -eq "$(stat -c %s "$TMP/a.avro")" ]]
}

@test "fromjson --sync-marker: not 32 hex digits is a usage error" {
	records '{"a":1,"s":"x"}'
	local bad
	for bad in 0011 "${SYNC}aa" 00112233445566778899aabbccddeegg "${SYNC:0:31}" '' \
		"0x${SYNC:2}" "${SYNC:0:30} f"; do
		run_ak fromjson --sync-marker "$bad" --schema "$RS" -o "$W/out.avro" "$TMP/in.json"
		expect_usage_error fromjson "--sync-marker takes 32 hex digits, got '$bad'"
	done
	expect_dir "$W"
}

# =====================================================================================
# 5. interop: python3-avro and avrocat read what fromjson writes
# =====================================================================================

setup_file() {
	local dir="$BATS_FILE_TMPDIR/interop" py=/usr/bin/python3
	mkdir -p "$dir"
	if [[ ! -x "$py" ]]; then
		echo "$py is not installed" > "$dir/missing"
	elif ! "$py" -c 'import avro.datafile, avro.io' 2> /dev/null; then
		echo "python3-avro is not installed for $py (apt-get install python3-avro)" > "$dir/missing"
	else
		PYTHONDONTWRITEBYTECODE=1 "$py" "$BATS_TEST_DIRNAME/../interop/fromjson_interop.py" input "$dir" \
			> "$dir/input.log" 2>&1 || echo "fromjson_interop.py input failed: $(cat "$dir/input.log")" > "$dir/failed"
	fi
}

IN="" # set by need_interop

need_interop() {
	local dir="$BATS_FILE_TMPDIR/interop"
	[[ ! -f "$dir/missing" ]] || skip "interop: $(cat "$dir/missing")"
	[[ ! -f "$dir/failed" ]] || { cat "$dir/failed" >&2; return 1; }
	IN="$dir"
	[[ -s "$IN/records.json" && -s "$IN/schema.avsc" ]]
}

need_avrocat() {
	command -v avrocat > /dev/null || skip "interop: avrocat is not installed (apt-get install avro-bin)"
}

# py_has CODEC: python3-avro can read CODEC here (or skip, saying so)
py_has() {
	"$PY" "$INTEROP/fromjson_interop.py" codecs > "$TMP/codecs"
	grep -qx "$1" "$TMP/codecs" || skip "interop: python3-avro has no $1 codec here (has: $(tr '\n' ' ' < "$TMP/codecs"))"
}

# py_check CODEC [OPTIONS]: fromjson writes the records with CODEC and two --meta entries;
# python3-avro reads back the same records and metadata
py_check() {
	local codec="$1"
	shift
	need_interop
	py_has "$codec"
	run_ak fromjson --schema-file "$IN/schema.avsc" --codec "$codec" --meta "test.codec=$codec" \
		--meta 'test.text=héllo, wörld = ☃' "$@" -o "$W/fj-$codec.avro" "$IN/records.json"
	expect_status 0
	expect_no_stderr
	[[ "$("$AVROKIT" count "$W/fj-$codec.avro")" == "$(wc -l < "$IN/records.json")" ]]
	run --separate-stderr "$PY" "$INTEROP/fromjson_interop.py" pyread "$W/fj-$codec.avro" \
		"test.codec=$codec" 'test.text=héllo, wörld = ☃'
	[[ "$status" -eq 0 && -z "$stderr" ]] || ak_show "python3-avro did not read back what fromjson wrote"
	[[ "$output" == "ok $W/fj-$codec.avro: python3-avro read the 214 records, codec $codec, "* ]] ||
		ak_show "unexpected python3-avro report"
}

@test "interop: the Avro JSON input holds every type (peers.py schema and records)" {
	need_interop
	# every Avro type is in the schema
	local t
	for t in null boolean int long float double bytes string record enum array map fixed; do
		grep -q "\"$t\"" "$IN/schema.avsc" || problem "schema lacks $t"
	done
	grep -q '\[' "$IN/schema.avsc" || problem "schema has no union"
	[[ "$(wc -l < "$IN/records.json")" -eq 214 ]] || problem "expected 214 records"
	check_problems
	# and avrokit's own round trip keeps the records and their text (but for string escapes)
	"$AVROKIT" fromjson --schema-file "$IN/schema.avsc" "$IN/records.json" | "$AVROKIT" tojson > "$TMP/back.json"
	run --separate-stderr "$PY" "$INTEROP/fromjson_interop.py" compare "$IN/records.json" "$TMP/back.json"
	[[ "$status" -eq 0 && -z "$stderr" ]] || ak_show "tojson of fromjson's file differs from the input"
	# (and the comparison can fail)
	sed '1s/"b":false/"b":true/' "$TMP/back.json" > "$TMP/changed.json"
	run --separate-stderr "$PY" "$INTEROP/fromjson_interop.py" compare "$IN/records.json" "$TMP/changed.json"
	[[ "$status" -eq 1 && "$output" == *'record 0: $.b: got'* ]] || ak_show "a changed record is found"
}

@test "interop: python3-avro reads fromjson's null-codec file: same records and --meta" {
	py_check null
}

@test "interop: python3-avro reads fromjson's deflate file: same records and --meta" {
	py_check deflate
}

@test "interop: python3-avro reads fromjson's snappy file: same records and --meta" {
	py_check snappy
}

@test "interop: python3-avro reads fromjson's zstandard file: same records and --meta" {
	py_check zstandard
}

@test "interop: python3-avro reads fromjson's bzip2 file: same records and --meta" {
	py_check bzip2
}

@test "interop: python3-avro reads a fromjson file of many small blocks (deflate, -b 1K, --level 1)" {
	py_check deflate -b 1K --level 1
	(($("$AVROKIT" blocks --json "$W/fj-deflate.avro" | grep -c '"block"') > 20))
}

@test "interop: python3-avro reads a file fromjson wrote from --array input" {
	need_interop
	{
		echo '['
		sed '$!s/$/,/' "$IN/records.json"
		echo ']'
	} > "$TMP/array.json"
	run_ak fromjson --array --schema-file "$IN/schema.avsc" -o "$W/array.avro" "$TMP/array.json"
	expect_status 0
	run --separate-stderr "$PY" "$INTEROP/fromjson_interop.py" pyread "$W/array.avro"
	[[ "$status" -eq 0 ]] || ak_show "python3-avro did not read back the --array file"
}

@test "interop: the python check fails on a file with a changed record (it can fail)" {
	need_interop
	sed '1s/"i":0,/"i":1,/' "$IN/records.json" > "$TMP/changed.json"
	! cmp -s "$IN/records.json" "$TMP/changed.json" || ak_show "the sed did not change the records"
	"$AVROKIT" fromjson --schema-file "$IN/schema.avsc" --meta k=v -o "$W/changed.avro" "$TMP/changed.json"
	run --separate-stderr "$PY" "$INTEROP/fromjson_interop.py" pyread "$W/changed.avro" k=v
	[[ "$status" -eq 1 && "$output" == *'record 0: $.i: got'* ]] || ak_show "a changed record is found"
	run --separate-stderr "$PY" "$INTEROP/fromjson_interop.py" pyread "$W/changed.avro" k=other
	[[ "$status" -eq 1 && "$output" == *"metadata 'k' is b'v', expected b'other'"* ]] || ak_show "a wrong meta value is found"
}

# avrocat_check CODEC: avrocat reads fromjson's CODEC file, exit 0, every record
avrocat_check() {
	local codec="$1" total printed skipped
	need_interop
	need_avrocat
	run_ak fromjson --schema-file "$IN/schema.avsc" --codec "$codec" -o "$W/fj-$codec.avro" "$IN/records.json"
	expect_status 0
	[[ "$("$AVROKIT" getmeta --key avro.codec "$W/fj-$codec.avro")" == "$codec" ]]
	total="$(wc -l < "$IN/records.json")"
	run --separate-stderr avrocat "$W/fj-$codec.avro"
	[[ "$status" -eq 0 ]] || ak_show "avrocat exit status"
	printed="$(grep -c . <<< "$output" || true)"
	# avrocat (jansson) cannot print NaN or infinities: it says so for such records
	skipped="$(grep -c '^Error converting value to JSON: Cannot allocate JSON \(float\|double\)$' <<< "$stderr" || true)"
	((printed + skipped == total)) || ak_show "avrocat printed $printed records and skipped $skipped; expected $total in all"
	((skipped <= 10)) || ak_show "too many records skipped"
	[[ -z "$(grep -v '^Error converting value to JSON: Cannot allocate JSON \(float\|double\)$' <<< "$stderr")" ]] ||
		ak_show "other messages from avrocat"
	# and the records it prints are the ones written (peers.py's comparison)
	run --separate-stderr "$PY" "$INTEROP/fromjson_interop.py" avrocat "$W/fj-$codec.avro"
	[[ "$status" -eq 0 && "$output" == "ok $W/fj-$codec.avro: avrocat printed the $printed records"* ]] ||
		ak_show "avrocat's records differ from the ones written"
}

@test "interop: avrocat reads fromjson's null-codec file: exit 0, every record" {
	avrocat_check null
}

@test "interop: avrocat reads fromjson's deflate file: exit 0, every record" {
	avrocat_check deflate
}

@test "interop: avrocat reads fromjson's snappy file: exit 0, every record" {
	avrocat_check snappy
}
