#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# avrokit random: a data file of random records for a schema.
#
#   1. the schema as an operand, or avro-tools' --schema / --schema-file with the output as
#      the operand; -o; standard output
#   2. the same seed gives the same bytes (sync marker included), whatever -j; another seed
#      other bytes; no seed, other bytes each run; a known digest for one seed
#   3. every codec and level reads back; recursion ends; never-ending schemas are refused
#   4. peers: tests/interop/random_check.py has python3-avro and avsc read the files of every
#      type and logical type, checks the values against their types and that every union
#      branch is taken (skipped, saying so, without python3-avro or node and avsc)
#   5. errors: usage errors (--count, --seed, codecs, operands), bad schemas, output errors

load common

PY=/usr/bin/python3
S='{"type":"record","name":"R","fields":[{"name":"i","type":"int"},{"name":"s","type":"string"},{"name":"u","type":["null","double",{"type":"enum","name":"E","symbols":["A","B"]}]}]}'

setup() {
	ak_setup
	printf '%s\n' "$S" > "$TMP/s.avsc"
}

# ---- 1. schema and output ----

@test "random --count N SCHEMA-FILE: N records to standard output, with the schema compact" {
	run_sh '"$AVROKIT" random --count 25 --seed 1 "$1" > "$2"' _ "$TMP/s.avsc" "$TMP/r.avro"
	expect_status 0
	expect_no_stderr
	run_ak count "$TMP/r.avro"
	expect_output_is 25
	run_ak getschema --raw "$TMP/r.avro"
	expect_output_is "$S"
	run_ak getmeta -k avro.codec "$TMP/r.avro"
	expect_output_is deflate
}

@test "random: avro-tools' form: --schema-file or --schema, and the output file as the operand" {
	run_ak random --count 5 --seed 3 --schema-file "$TMP/s.avsc" "$TMP/a.avro"
	expect_status 0
	expect_no_output
	run_ak random --count 5 --seed 3 --schema "$S" "$TMP/b.avro"
	expect_status 0
	cmp "$TMP/a.avro" "$TMP/b.avro" || ak_show "--schema and --schema-file differ"
	run_sh '"$AVROKIT" random --count 5 --seed 3 --schema "$1" - > "$2"' _ "$S" "$TMP/c.avro"
	expect_status 0
	cmp "$TMP/a.avro" "$TMP/c.avro" || ak_show "- is standard output"
	run_ak random --count 5 --seed 3 -o "$TMP/d.avro" "$TMP/s.avsc"
	expect_status 0
	cmp "$TMP/a.avro" "$TMP/d.avro" || ak_show "-o differs"
	[[ "$(list_dir "$TMP" | grep -c avrokit-)" -eq 0 ]] || ak_show "a temporary file is left"
}

@test "random --schema-file takes a data file's schema; --count 0 gives a file with no records" {
	run_ak random --count 3 --seed 1 "$DATA/weather.avro" -o "$TMP/w.avro"
	expect_status 0
	run_ak count "$TMP/w.avro"
	expect_output_is 3
	run_ak random --count 0 "$TMP/s.avsc" -o "$TMP/z.avro"
	expect_status 0
	run_ak count "$TMP/z.avro"
	expect_output_is 0
}

@test "random | tojson --plain: the issue's example" {
	run_sh '"$AVROKIT" random --count 5 --seed 1 "$1" | "$AVROKIT" tojson --plain' _ "$TMP/s.avsc"
	expect_status 0
	[[ "${#lines[@]}" -eq 5 ]] || ak_show "five records"
	[[ "${lines[0]}" == '{"i":'* ]] || ak_show "records of R"
}

# ---- 2. seeds ----

@test "random: the same seed gives the same bytes, with any -j; other seeds differ" {
	run_ak random --count 3000 --seed 7 -j1 -o "$TMP/a.avro" "$TMP/s.avsc"
	run_ak random --count 3000 --seed 7 -j4 -o "$TMP/b.avro" "$TMP/s.avsc"
	cmp "$TMP/a.avro" "$TMP/b.avro" || ak_show "-j4 differs from -j1"
	run_ak random --count 3000 --seed 8 -o "$TMP/c.avro" "$TMP/s.avsc"
	! cmp -s "$TMP/a.avro" "$TMP/c.avro" || ak_show "seeds 7 and 8 give the same file"
	run_ak random --count 3000 --seed -7 -o "$TMP/d.avro" "$TMP/s.avsc"
	expect_status 0
	! cmp -s "$TMP/a.avro" "$TMP/d.avro" || ak_show "seeds 7 and -7 give the same file"
	# the sync markers differ too (the last 16 bytes)
	[[ "$(tail -c 16 "$TMP/a.avro" | od -An -tx1)" != "$(tail -c 16 "$TMP/c.avro" | od -An -tx1)" ]] ||
		ak_show "the sync marker does not follow the seed"
}

@test "random without --seed: two runs differ" {
	run_ak random --count 50 -o "$TMP/a.avro" "$TMP/s.avsc"
	run_ak random --count 50 -o "$TMP/b.avro" "$TMP/s.avsc"
	! cmp -s "$TMP/a.avro" "$TMP/b.avro" || ak_show "two unseeded runs gave the same file"
}

@test "random --seed 1: the known bytes (the generator must not change from one version to the next)" {
	run_ak random --count 20 --seed 1 --codec null -o "$TMP/k.avro" "$TMP/s.avsc"
	expect_status 0
	local sum
	sum="$(sha256sum < "$TMP/k.avro" | cut -c1-16)"
	[[ "$sum" == b78b9c47c5f57558 ]] || ak_show "sha256 of the seed-1 file is $sum"
}

# ---- 3. codecs, recursion ----

@test "random: every codec and a level of each read back with the same records" {
	run_ak random --count 400 --seed 5 --codec null -o "$TMP/null.avro" "$TMP/s.avsc"
	run_ak tojson "$TMP/null.avro"
	local want="$output"
	local c
	for c in deflate:9 snappy: bzip2:1 xz:0 zstandard:19; do
		local name="${c%%:*}" level="${c#*:}"
		run_ak random --count 400 --seed 5 --codec "$name" ${level:+--level "$level"} \
			-o "$TMP/$name.avro" "$TMP/s.avsc"
		if [[ "$status" -eq 1 && "$stderr" == *"not built into"* ]]; then
			echo "# $name is not built in: skipped" >&3
			continue
		fi
		expect_status 0
		run_ak getmeta -k avro.codec "$TMP/$name.avro"
		expect_output_is "$name"
		run_ak tojson "$TMP/$name.avro"
		[[ "$output" == "$want" ]] || ak_show "the $name file holds other records"
	done
}

@test "random: recursive schemas end; a record that always holds itself is refused" {
	printf '%s\n' '{"type":"record","name":"T","fields":[{"name":"v","type":"int"},{"name":"kids","type":{"type":"array","items":"T"}},{"name":"next","type":["null","T"]}]}' > "$TMP/t.avsc"
	run_ak random --count 200 --seed 2 -o "$TMP/t.avro" "$TMP/t.avsc"
	expect_status 0
	run_ak tojson "$TMP/t.avro"
	expect_status 0
	[[ "${#lines[@]}" -eq 200 && "$output" == *'"kids":[{'* && "$output" == *'"next":{"T"'* ]] ||
		ak_show "recursion taken and ended"
	printf '%s\n' '{"type":"record","name":"Loop","fields":[{"name":"me","type":"Loop"}]}' > "$TMP/l.avsc"
	run_ak random --count 1 "$TMP/l.avsc"
	expect_data_error random "$TMP/l.avsc" "no value of this schema can end: every Loop holds another"
	expect_no_output
}

@test "random: large fixed types: datums stay bounded; one over 64 MiB is an error, no file" {
	# a recursive record whose union may hold a 2 MiB fixed: past 1 MiB a datum ends its
	# values, and unions then take their smallest branch
	printf '%s\n' '{"type":"record","name":"T","fields":[{"name":"kids","type":{"type":"array","items":"T"}},{"name":"u","type":["null","T",{"type":"fixed","name":"F","size":2097152}]}]}' > "$TMP/big.avsc"
	run_ak random --count 20 --seed 3 --codec null -o "$TMP/big.avro" "$TMP/big.avsc"
	expect_status 0
	local size
	size=$(stat -c %s "$TMP/big.avro")
	(( size < 20 * 4 * 1048576 )) || ak_show "20 datums took $size bytes"
	run_ak count "$TMP/big.avro"
	expect_output_is 20
	printf '%s\n' '{"type":"fixed","name":"Huge","size":70000000}' > "$TMP/huge.avsc"
	run_ak random --count 1 -o "$TMP/huge.avro" "$TMP/huge.avsc"
	expect_data_error random "$TMP/huge.avro" "a random datum of this schema would take more than 64 MiB: its fixed types are too large (this one has 70000000 bytes)"
	[[ ! -e "$TMP/huge.avro" ]] || ak_show "a partial file was left"
}

# ---- 4. peers ----

@test "random: python3-avro and avsc read every type, logical type and codec; values valid; all branches" {
	skip_under_valgrind "runs avrokit some 200 times"
	[[ -x "$PY" ]] || skip "$PY not found"
	"$PY" -c 'import avro.datafile' 2> /dev/null || skip "python3-avro is not installed"
	local peers=py
	command -v node > /dev/null && [[ -d "$REPO/bench/node_modules/avsc" || -n "${AK_AVSC_DIR:-}" ]] &&
		peers=py,js
	[[ "$peers" == *js* ]] || echo "# avsc not found (node, bench/node_modules/avsc): python3-avro only" >&3
	run "$PY" "$REPO/tests/interop/random_check.py" --avrokit "$AVROKIT" --peers "$peers" \
		--workdir "$TMP/rc"
	echo "$output" | tail -n 5 | sed "s/^/# /" >&3
	[[ "$status" -eq 0 && "$output" == *", 0 failures"* ]] || ak_show "random_check.py failed"
}

# ---- 5. errors ----

@test "random: --count is required and must be a number" {
	run_ak random "$TMP/s.avsc"
	expect_usage_error random "--count is required"
	run_ak random --count many "$TMP/s.avsc"
	expect_usage_error random "--count: 'many' is not a number"
	run_ak random --count -1 "$TMP/s.avsc"
	expect_usage_error random "--count: '-1' is not a number"
}

@test "random: bad --seed, codec, level, block size and jobs are usage errors" {
	run_ak random --count 1 --seed x "$TMP/s.avsc"
	expect_usage_error random "--seed: 'x' is not an integer"
	run_ak random --count 1 --seed 99999999999999999999 "$TMP/s.avsc"
	expect_usage_error random "--seed"
	run_ak random --count 1 --codec brotli "$TMP/s.avsc"
	expect_usage_error random "unknown codec 'brotli'"
	run_ak random --count 1 --codec snappy --level 3 "$TMP/s.avsc"
	expect_usage_error random "--level does not apply"
	run_ak random --count 1 --level 10 "$TMP/s.avsc"
	expect_usage_error random "--level for deflate must be from 0 to 9"
	run_ak random --count 1 --block-size 0 "$TMP/s.avsc"
	expect_usage_error random "--block-size"
	run_ak random --count 1 -j 0 "$TMP/s.avsc"
	expect_usage_error random "--jobs"
}

@test "random: operands: none, two schema files, or an output both ways are usage errors" {
	run_ak random --count 1
	expect_usage_error random "no schema"
	run_ak random --count 1 "$TMP/s.avsc" "$TMP/s.avsc"
	expect_usage_error random "one schema file only"
	run_ak random --count 1 --schema "$S" -o "$TMP/x.avro" "$TMP/y.avro"
	expect_usage_error random "give one output"
	run_ak random --count 1 --schema "$S" --schema-file "$TMP/s.avsc"
	expect_usage_error random "one of --schema and --schema-file"
}

@test "random: a bad schema or a missing schema file is a data error naming it; no output file" {
	run_ak random --count 1 --schema '{"type":"strng"}' -o "$TMP/x.avro"
	expect_data_error random "--schema" "unknown type"
	run_ak random --count 1 "$TMP/missing.avsc" -o "$TMP/x.avro"
	expect_data_error random "$TMP/missing.avsc" "cannot open"
	[[ ! -e "$TMP/x.avro" ]] || ak_show "an output file was made"
}

@test "random > /dev/full: exit 1, No space left" {
	run_sh '"$AVROKIT" random --count 100000 --seed 1 "$1" > /dev/full' _ "$TMP/s.avsc"
	expect_status 1
	expect_stderr "avrokit random: " "No space left on device"
}

@test "random | head -c 100 ends quietly" {
	run_sh '"$AVROKIT" random --count 1000000 --seed 1 "$1" | head -c 100 | wc -c' _ "$TMP/s.avsc"
	expect_status 0
	expect_no_stderr
	expect_output_is 100
}
