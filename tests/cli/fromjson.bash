# SPDX-License-Identifier: Apache-2.0
#
# What the tests of fromjson.bats and fromjson-codecs.bats share (each starts with
# `load common` and `load fromjson`): the sync marker and record schema most tests use, the
# setup of every test, and the helpers that write inputs and read outputs back.
# (fromjson-jobs.bats and fromjson-jobs-damage.bats share fromjson-jobs.bash instead.)
#
# Python helpers run with /usr/bin/python3 (Debian's, which has python3-avro; the first
# python3 on PATH may be another one).

PY=/usr/bin/python3
SYNC=00112233445566778899aabbccddeeff

# A small record schema for most tests.
RS='{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"s","type":"string"}]}'

# fj_setup: the setup of every test (a file that needs more defines its own setup and calls
# this from it): INTEROP (tests/interop) for the Python helpers, W an empty directory for
# outputs, no problems yet.
fj_setup() {
	ak_setup
	INTEROP="$(cd "$BATS_TEST_DIRNAME/../interop" && pwd)"
	export INTEROP PYTHONDONTWRITEBYTECODE=1
	W="$TMP/w" # a directory for outputs: nothing else is in it
	mkdir -p "$W"
	problems=()
}

setup() {
	fj_setup
}

# records TEXT...: one JSON value per line, into $TMP/in.json
records() {
	printf '%s\n' "$@" > "$TMP/in.json"
}

# n_records N: N lines {"a":K,"s":"sK"} into $TMP/n.json
n_records() {
	awk -v n="$1" 'BEGIN { for (k = 0; k < n; k++) printf "{\"a\":%d,\"s\":\"s%d\"}\n", k, k }' > "$TMP/n.json"
}

# expect_records FILE TEXT...: `avrokit tojson FILE` prints exactly these lines
expect_records() {
	local f="$1"
	shift
	"$AVROKIT" tojson "$f" > "$TMP/got.json"
	printf '%s\n' "$@" > "$TMP/want.json"
	cmp -s "$TMP/want.json" "$TMP/got.json" || {
		diff "$TMP/want.json" "$TMP/got.json" | head -n 20 >&2
		echo "records of $f are not the expected ones" >&2
		return 1
	}
}

# block_counts FILE: the record counts of FILE's blocks, space-separated
block_counts() {
	"$AVROKIT" blocks --json "$1" | sed -n 's/^{"block":[0-9]*,.*"records":\([0-9]*\),.*/\1/p' | tr '\n' ' '
}
