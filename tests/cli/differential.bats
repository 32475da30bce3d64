#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# Differential test driven by random schemas (tests/interop/random_diff.py): for each
# iteration of a seed, a random schema (nested and recursive records, enums, fixed, arrays,
# maps, unions, every primitive, logical types, namespaces, defaults) and random records
# with edge values, then
#
#   * peers write, avrokit reads: python3-avro writes the records with each codec it has,
#     avro-c's avromod re-encodes them with each of its codecs, avsc (node) writes them when
#     found; `avrokit tojson` of every file must give the records back;
#   * avrokit writes, peers read: `avrokit fromjson` turns the records' Avro JSON (varied
#     spellings) into a file with every codec it has; python3-avro, avrocat and avsc must
#     read the same records back.
#
# Records are compared as values. Known peer limitations are listed in random_diff.py
# (KNOWN, `random_diff.py --known`) and are not failures; avrokit bugs it found and that are
# not fixed yet are known_bug tests below. A failing run prints the seed, the iteration,
# the schema, the record and both values, and keeps the files; `random_diff.py --avrokit
# BIN --seed N --only I --workdir DIR --keep` runs that iteration again.
#
# The tests skip, saying so, when /usr/bin/python3 has no avro module (Debian package
# python3-avro) or avromod/avrocat (avro-bin) are missing. avsc is used when node and the
# avsc module are found (AK_AVSC_DIR, NODE_PATH or bench/node_modules); without them its
# checks are left out and the run says so. Seeds and time budgets are fixed: the whole file
# takes about 40 s on two cores.

load common

PY=/usr/bin/python3

setup() {
	ak_setup
	RD="$(cd "$BATS_TEST_DIRNAME/../interop" && pwd)/random_diff.py"
	export PYTHONDONTWRITEBYTECODE=1
}

need_python_avro() {
	[[ -x "$PY" ]] || skip "$PY not found (random_diff.py is a Python script)"
	"$PY" -c 'import avro.datafile, avro.io, avro.schema' 2> /dev/null ||
		skip "$PY has no avro module (Debian package python3-avro)"
}

need_peers() {
	need_python_avro
	command -v avromod > /dev/null && command -v avrocat > /dev/null ||
		skip "avromod or avrocat not found (Debian package avro-bin)"
}

# rd ARGS...: run random_diff.py against $AVROKIT with a work directory of the test
rd() {
	run --separate-stderr "$PY" "$RD" --avrokit "$AVROKIT" --workdir "$TMP/work" "$@"
}

# The run agreed: exit 0, its summary line, no disagreement.
expect_agreement() {
	[[ "$status" -eq 0 ]] || ak_show "random_diff.py found disagreements (or failed)"
	[[ "$output" == *"ran "*" iterations"*", 0 disagreements"* ]] ||
		ak_show "random_diff.py printed no summary line"
	[[ "$output" != *MISMATCH* ]] || ak_show "MISMATCH in the output"
	# the peers it used, and the iterations it ran, for the TAP log
	grep -E '^(peers|ran|known)' <<< "$output" | sed 's/^/# /' >&3
}

@test "differential: the generator's self-test (python3-avro parses every schema; values convert to each peer's form and back)" {
	need_python_avro
	run --separate-stderr "$PY" "$RD" --selftest --seed 7 --iterations 150
	[[ "$status" -eq 0 && "$output" == *"selftest: ok"* ]] || ak_show "random_diff.py --selftest failed"
	# every kind of node showed up in the 150 schemas
	local k
	for k in record enum fixed array map union null boolean int long float double bytes \
		string int/date long/timestamp-millis long/timestamp-micros bytes/decimal \
		fixed/decimal string/uuid; do
		[[ "$output" == *" $k "[0-9]* ]] || ak_show "no $k node in the generated schemas"
	done
}

@test "differential: the generator is deterministic (same seed: same schemas and records)" {
	[[ -x "$PY" ]] || skip "$PY not found (random_diff.py is a Python script)"
	local a b c
	a="$(PYTHONHASHSEED=1 "$PY" "$RD" --dump-schemas --dump-records --seed 42 --iterations 25)"
	b="$(PYTHONHASHSEED=2 "$PY" "$RD" --dump-schemas --dump-records --seed 42 --iterations 25)"
	c="$(PYTHONHASHSEED=1 "$PY" "$RD" --dump-schemas --dump-records --seed 43 --iterations 25)"
	[[ -n "$a" && "$a" == "$b" ]] || {
		diff <(printf '%s\n' "$a") <(printf '%s\n' "$b") | head -n 10 >&2
		ak_show "seed 42 gave different schemas or records in two runs"
	}
	[[ "$a" != "$c" ]] || ak_show "seeds 42 and 43 gave the same schemas"
	# --only I gives iteration I of the full run
	b="$("$PY" "$RD" --dump-schemas --seed 42 --only 17)"
	[[ "$b" == "$("$PY" "$RD" --dump-schemas --seed 42 --iterations 18 | tail -n 1)" ]] ||
		ak_show "--only 17 differs from iteration 17 of the run"
}

@test "differential: peers write (python3-avro, avromod, avsc), avrokit reads" {
	need_peers
	rd --direction read --seed 1001 --iterations 60 --time-budget 10
	expect_agreement
}

@test "differential: avrokit writes (fromjson, every codec), peers read (python3-avro, avrocat, avsc)" {
	need_peers
	rd --direction write --seed 2002 --iterations 60 --time-budget 10
	expect_agreement
}

@test "differential: both directions, a third seed" {
	need_peers
	rd --direction both --seed 3003 --iterations 40 --time-budget 10
	expect_agreement
}

@test "differential: the comparison can fail: a changed expectation is reported by every check" {
	need_peers
	# iteration 0 of seed 4004 meets no known peer limitation that leaves a check out
	rd --seed 4004 --iterations 1 --selftest-mismatch
	[[ "$status" -eq 1 ]] || ak_show "expected exit 1 with --selftest-mismatch"
	[[ "$output" == *"MISMATCH seed=4004 iteration=0 "* ]] || ak_show "no MISMATCH line"
	[[ "$output" == *"  record "*": "*"  got: "*"  expected: "* ]] ||
		ak_show "the report lacks the record index or the two values"
	[[ "$output" == *"  schema: "* && "$output" == *"--seed 4004 --only 0 "* ]] ||
		ak_show "the report lacks the schema or the command to reproduce"
	[[ -d "$TMP/work/iter-00000" ]] || ak_show "the failing iteration's files were not kept"
	local c checks=("avrokit reads py-null" "avrokit reads c-deflate" "avrokit reads its own null"
		"python3-avro reads avrokit's deflate" "avrocat reads avrokit's snappy")
	[[ "$output" != "peers: c, js, py"* ]] ||
		checks+=("avrokit reads js-snappy" "avsc reads avrokit's null")
	for c in "${checks[@]}"; do
		[[ "$output" == *"check=$c"* ]] || ak_show "the check '$c' did not see the change"
	done
}

@test "differential: exit 2 when a required tool is missing" {
	[[ -x "$PY" ]] || skip "$PY not found (random_diff.py is a Python script)"
	run --separate-stderr "$PY" "$RD" --avrokit "$TMP/no-such-avrokit" --iterations 1
	[[ "$status" -eq 2 ]] || ak_show "expected exit 2"
	[[ "$stderr" == *"missing: avrokit"* ]] || ak_show "expected the missing tool named"
}

# ---- avrokit bugs the random schemas found, fixed (an open one is a known_bug test here
# and an entry of KNOWN_AVROKIT in random_diff.py) ----

@test "differential: a schema with U+0000 in an object key (a map default) is read" {
	run_sh 'echo "{}" | "$AVROKIT" fromjson -s "$1" | "$AVROKIT" tojson' _ \
		'{"type":"record","name":"R","fields":[{"name":"m","type":{"type":"map","values":"int"},"default":{"a\u0000b":1}}]}'
	expect_status 0
	expect_output_is '{"m":{"a\u0000b":1}}'
}

@test "differential: a schema with an integer literal beyond int64 (a double default) is read" {
	run_sh 'echo "{}" | "$AVROKIT" fromjson -s "$1" | "$AVROKIT" tojson' _ \
		'{"type":"record","name":"R","fields":[{"name":"d","type":"double","default":10000000000000000000}]}'
	expect_status 0
	expect_output_is '{"d":1.0E19}'
}
