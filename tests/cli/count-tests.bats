#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# .ci/count-tests, the check that every suite of a CI run ran all of its tests: fake source
# trees and meson logs, and this source tree's own list of .bats files.
#
#   AVROKIT=$PWD/build/src/cli/avrokit bats tests/cli/count-tests.bats

load common


# a source tree with two listed .bats files (2 and 1 tests), a listed one that does not
# exist, one unit test, core-purity and one fuzz target
fake_tree() {
	mkdir -p "$TMP/src/tests/cli" "$TMP/src/tests/unit" "$TMP/src/tests/fuzz"
	cat > "$TMP/src/tests/cli/meson.build" <<-'END'
		foreach name : [
			'a',
			'b',
			'notyet',
		]
		endforeach
	END
	printf '@test "one" {\n}\n\n@test "two" {\n}\n# @test "a comment"\n' > "$TMP/src/tests/cli/a.bats"
	printf '@test "three" {\n}\n' > "$TMP/src/tests/cli/b.bats"
	: > "$TMP/src/tests/unit/test_x.c"
	: > "$TMP/src/tests/unit/core-purity.sh"
	: > "$TMP/src/tests/fuzz/fuzz_y.c"
}

# logline NAME RESULT TAP: a line of meson's testlog.json
logline() {
	python3 -c 'import json, sys
print(json.dumps({"name": "avrokit:s / " + sys.argv[1], "result": sys.argv[2],
                  "stdout": sys.argv[3].replace("|", "\n"), "returncode": 0}))' "$@"
}

# the log of a run in which everything ran; a known bug skipped in b
full_log() {
	logline unit-x OK "ok 1 - x|ok 2 - y|not ok 3 - z # TODO a known core bug|1..3"
	logline core-purity OK "core-purity: 12 files clean"
	logline fuzz-y OK "ok 1 - corpus|1..1"
	logline cli-a OK "1..2|ok 1 one|ok 2 two"
	logline cli-b OK "1..1|ok 1 three # skip KNOWN BUG: something"
}

count_tests() {
	run --separate-stderr python3 "$REPO/.ci/count-tests" --srcdir "$TMP/src" "$@"
}

@test "count-tests: a complete run passes, skipped subtests count as run" {
	fake_tree
	full_log > "$TMP/log.json"
	count_tests "$TMP/log.json"
	expect_status 0
	expect_no_stderr
	expect_output_is "7 passed, 1 skipped, 0 failed"
}

@test "count-tests: no CLI tests at all (bats missing) fails, naming each" {
	fake_tree
	full_log | grep -v '/ cli-' > "$TMP/log.json"
	count_tests "$TMP/log.json"
	expect_status 1
	expect_stderr "cli-a: did not run (is bats installed?" "cli-b: did not run"
	[[ "$stderr" != *notyet* ]] || ak_show "a listed file that does not exist is not expected"
}

@test "count-tests: a missing suite, a short suite, a suite skipped as a whole: each fails" {
	fake_tree
	full_log | grep -v '/ cli-b' > "$TMP/log.json"
	count_tests "$TMP/log.json"
	expect_status 1
	expect_stderr "cli-b: did not run (a .bats file added since"
	{ full_log | grep -v '/ cli-a'; logline cli-a OK "1..2|ok 1 one"; } > "$TMP/log.json"
	count_tests "$TMP/log.json"
	expect_status 1
	expect_stderr "cli-a: 1 tests ran, 2 expected"
	{ full_log | grep -v '/ fuzz-y'; logline fuzz-y SKIP "1..0 # SKIP no corpus"; } > "$TMP/log.json"
	count_tests "$TMP/log.json"
	expect_status 1
	expect_stderr "fuzz-y: skipped as a whole"
	{ full_log | grep -v '/ core-purity'; } > "$TMP/log.json"
	count_tests "$TMP/log.json"
	expect_status 1
	expect_stderr "core-purity: did not run"
	: > "$TMP/log.json"
	count_tests "$TMP/log.json"
	expect_status 1
	expect_output_is "0 passed, 0 skipped, 0 failed"
	count_tests "$TMP/nosuch.json"
	expect_status 2
}

@test "count-tests: failures are counted; a .bats file meson.build does not list fails" {
	fake_tree
	{ full_log | grep -v '/ cli-a'; logline cli-a FAIL "1..2|ok 1 one|not ok 2 two"; } > "$TMP/log.json"
	count_tests "$TMP/log.json"
	expect_status 0
	expect_output_is "6 passed, 1 skipped, 1 failed"
	printf '@test "four" {\n}\n' > "$TMP/src/tests/cli/unlisted.bats"
	full_log > "$TMP/log.json"
	count_tests "$TMP/log.json"
	expect_status 1
	expect_stderr "tests/cli/unlisted.bats is not listed in tests/cli/meson.build"
}

@test "count-tests: --only cli expects only the CLI suites, --select only those named" {
	fake_tree
	full_log | grep '/ cli-' > "$TMP/log.json"
	count_tests --only cli "$TMP/log.json"
	expect_status 0
	expect_output_is "2 passed, 1 skipped, 0 failed"
	full_log | grep '/ cli-b' > "$TMP/log.json"
	count_tests --only cli "$TMP/log.json"
	expect_status 1
	expect_stderr "cli-a: did not run"
	count_tests --only cli --select cli-b "$TMP/log.json"
	expect_status 0
	expect_output_is "0 passed, 1 skipped, 0 failed"
	count_tests --select cli-b,cli-c "$TMP/log.json"
	expect_status 1
	expect_stderr_is "count-tests: $TMP/log.json: cli-c: not a test of this source tree"
}

@test "count-tests: this source tree: every .bats file with its number of tests" {
	local f name n tap
	: > "$TMP/log.json"
	for f in "$REPO"/tests/cli/*.bats; do
		name="$(basename "$f" .bats)"
		n="$(grep -c '^@test ' "$f")"
		tap="$(seq -f 'ok %g t' "$n" | tr '\n' '|')"
		[[ "$name" != count-tests ]] || tap="$(seq -f 'ok %g t' $((n - 1)) | tr '\n' '|')"
		logline "cli-$name" OK "1..$n|$tap" >> "$TMP/log.json"
	done
	run --separate-stderr python3 "$REPO/.ci/count-tests" --only cli "$TMP/log.json"
	expect_status 1
	n="$(grep -c '^@test ' "$BATS_TEST_FILENAME")"
	expect_stderr_is "count-tests: $TMP/log.json: cli-count-tests: $((n - 1)) tests ran, $n expected"
}
