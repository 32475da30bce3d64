#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# avrokit fromjson -j on damaged input: whatever -j1 does with it (the blocks it writes, the
# error, its line and column), -j2 does too; and a stream with no value boundary to cut at
# is parsed all the same. (The other -j tests are in fromjson-jobs.bats; the setup and the
# inputs both files use in fromjson-jobs.bash.)

load common
load fromjson-jobs

# ---- -j ----

@test "fromjson -j: damaged inputs give exactly what -j1 gives (a few random mutations)" {
	chunk_inputs
	for seed in 1 2 3 4 5 6 7 8; do
		for f in nd pretty oneline; do
			python3 "$REPO/tests/interop/json_chunks.py" mutate "$TMP/$f.json" "$TMP/m.json" "$seed"
			"$AVROKIT" fromjson -j1 --sync-marker $SYNC --schema-file "$TMP/s.avsc" \
				"$TMP/m.json" > "$TMP/o1" 2> "$TMP/e1" && r1=0 || r1=$?
			"$AVROKIT" fromjson -j2 --sync-marker $SYNC --schema-file "$TMP/s.avsc" \
				"$TMP/m.json" > "$TMP/o2" 2> "$TMP/e2" && r2=0 || r2=$?
			[[ $r1 == "$r2" ]] && cmp -s "$TMP/o1" "$TMP/o2" && cmp -s "$TMP/e1" "$TMP/e2" ||
				ak_show "seed $seed, $f: -j2 ($r2: $(cat "$TMP/e2")) differs from -j1 ($r1: $(cat "$TMP/e1"))"
		done
	done
}

@test "fromjson -j: a stream with no value boundary for 16 MiB (bare numbers) is parsed all the same" {
	awk 'BEGIN { srand(3); for (i = 0; i < 5000000; i++) printf "%d ", int(rand() * 2001) - 1000
		print "x" }' > "$TMP/ints.json"
	local st1=0 st2=0
	"$AVROKIT" fromjson -j1 --sync-marker $SYNC --schema '"int"' "$TMP/ints.json" \
		> "$TMP/o1" 2> "$TMP/e1" || st1=$?
	stderr="$(cat "$TMP/e1")"
	[[ "$st1" -eq 1 ]] || ak_show "-j1: exit status $st1"
	expect_stderr "$TMP/ints.json:1:"
	"$AVROKIT" fromjson -j2 --sync-marker $SYNC --schema '"int"' "$TMP/ints.json" \
		> "$TMP/o2" 2> "$TMP/e2" || st2=$?
	[[ "$st2" -eq 1 ]] || ak_show "-j2: exit status $st2"
	cmp -s "$TMP/e1" "$TMP/e2" && cmp -s "$TMP/o1" "$TMP/o2" || ak_show "-j2 differs from -j1"
	head -c -2 "$TMP/ints.json" > "$TMP/ok.json"
	run_ak fromjson -j2 --schema '"int"' -o "$TMP/ints.avro" "$TMP/ok.json"
	expect_status 0
	run_ak count "$TMP/ints.avro"
	expect_output_is 5000000
}
