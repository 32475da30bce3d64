# SPDX-License-Identifier: Apache-2.0
#
# What fromjson-jobs.bats and fromjson-jobs-damage.bats share (each starts with `load common`
# and `load fromjson-jobs`): the sync marker, the setup of every test, and the inputs past
# one 1 MiB chunk, written once per file by setup_file.

SYNC=000102030405060708090a0b0c0d0e0f

setup() {
	ak_setup
	W="$TMP/w" # a directory for outputs: nothing else is in it
	mkdir -p "$W"
}

# The inputs past one 1 MiB chunk (tests/interop/json_chunks.py: s.avsc, and the same
# records as nd.json, pretty.json and oneline.json), written once for the file.
setup_file() {
	mkdir -p "$BATS_FILE_TMPDIR/chunks"
	python3 "$BATS_TEST_DIRNAME/../interop/json_chunks.py" "$BATS_FILE_TMPDIR/chunks"
}

# chunk_inputs: those inputs in $TMP
chunk_inputs() {
	ln -s "$BATS_FILE_TMPDIR/chunks/"* "$TMP/"
	[[ $(stat -L -c %s "$TMP/nd.json") -gt 2000000 ]] || ak_show "the inputs should be past 2 MB"
}
