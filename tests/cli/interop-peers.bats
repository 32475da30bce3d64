#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# Interoperability with the peers installed here: tests/interop/peers.py writes ~200
# records covering every Avro type with python3-avro (each codec it has) and re-encodes
# them with avro-c's avromod (each codec it has), then checks avrokit's output against the
# Avro JSON it computes from the Python records. They skip, saying so, when python3-avro or
# avro-bin is missing. (The corpus of other implementations' files is read in
# interop.bats.)
#
# Needs AVROKIT (the binary). Python helpers run with /usr/bin/python3 (Debian's, which has
# python3-avro; the first python3 on PATH may be another one).

load common

PY=/usr/bin/python3

setup() {
	ak_setup
	INTEROP="$(cd "$BATS_TEST_DIRNAME/../interop" && pwd)"
	PEERS="$BATS_FILE_TMPDIR/peers"
	export INTEROP PYTHONDONTWRITEBYTECODE=1
	problems=()
}

need_python() {
	[[ -x "$PY" ]] || skip "$PY not found (the peer checks are Python scripts)"
}

# ---- peers: files written by python3-avro and avro-c ----

setup_file() {
	export INTEROP
	INTEROP="$(cd "$BATS_TEST_DIRNAME/../interop" && pwd)"
	local dir="$BATS_FILE_TMPDIR/peers"
	mkdir -p "$dir"
	if [[ ! -x /usr/bin/python3 ]]; then
		echo "/usr/bin/python3 is not installed" > "$dir/missing"
	elif ! /usr/bin/python3 -c 'import avro.datafile' 2> /dev/null; then
		echo "python3-avro is not installed (apt-get install python3-avro)" > "$dir/missing"
	elif ! command -v avromod > /dev/null || ! command -v avrocat > /dev/null; then
		echo "avro-c tools avromod/avrocat are not installed (apt-get install avro-bin)" > "$dir/missing"
	else
		/usr/bin/python3 "$INTEROP/peers.py" generate "$dir" > "$dir/generate.log" 2>&1 ||
			echo "generate failed" > "$dir/failed"
	fi
}

need_peers() {
	need_python
	[[ ! -f "$PEERS/missing" ]] || skip "$(cat "$PEERS/missing")"
	if [[ -f "$PEERS/failed" ]]; then
		cat "$PEERS/generate.log" >&2
		return 1
	fi
}

# peer_file WRITER CODEC: set PEER_FILE to the file, or skip saying why it is not there
peer_file() {
	local f="$PEERS/$1-$2.avro"
	PEER_FILE="$f"
	if [[ ! -f "$f" ]]; then
		case "$1" in
		py) skip "python3-avro here cannot write the $2 codec (python3-snappy and python3-zstandard add those two)" ;;
		c) skip "avromod (avro-c) here has no $2 codec" ;;
		esac
	fi
	if ! "$AVROKIT" --version | grep -qw -- "$2"; then
		run_ak tojson "$f"
		expect_status 1
		expect_stderr "$2"
		skip "avrokit was built without the $2 codec (its error names it)"
	fi
}

# check_peer WRITER CODEC: avrokit tojson of the file = the records peers.py computes
check_peer() {
	need_peers
	peer_file "$1" "$2"
	local f="$PEER_FILE"
	[[ "$("$AVROKIT" getmeta --key avro.codec "$f")" == "$2" ]] || ak_show "$f does not use codec $2"
	run --separate-stderr "$PY" "$INTEROP/peers.py" tojson "$AVROKIT" "$f"
	[[ "$status" -eq 0 ]] || ak_show "avrokit tojson of $f differs from the records written"
}

@test "peers: the expectation code passes its self-test (Java number spelling, converters)" {
	need_python
	run --separate-stderr "$PY" "$INTEROP/peers.py" selftest
	[[ "$status" -eq 0 && "$output" == *"ok" ]] || ak_show "peers.py selftest failed"
}

@test "peers: python3-avro and avromod wrote the files (null and deflate at least)" {
	need_peers
	local f
	for f in py-null py-deflate c-null c-deflate; do
		[[ -s "$PEERS/$f.avro" ]] || problem "$f.avro was not written"
	done
	grep -q '^[0-9]* records$' "$PEERS/generate.log" || problem "generate.log: $(cat "$PEERS/generate.log")"
	check_problems
	[[ "$("$AVROKIT" count "$PEERS/py-null.avro")" -ge 200 ]]
}

@test "peers: python3-avro, null codec" {
	check_peer py null
}

@test "peers: python3-avro, deflate codec" {
	check_peer py deflate
}

@test "peers: python3-avro, snappy codec" {
	check_peer py snappy
}

@test "peers: python3-avro, zstandard codec" {
	check_peer py zstandard
}

@test "peers: python3-avro, bzip2 codec" {
	check_peer py bzip2
}

@test "peers: python3-avro, xz codec" {
	check_peer py xz
}

@test "peers: avro-c (avromod), null codec" {
	check_peer c null
}

@test "peers: avro-c (avromod), deflate codec" {
	check_peer c deflate
}

@test "peers: avro-c (avromod), snappy codec" {
	check_peer c snappy
}

@test "peers: avro-c (avromod), lzma codec (avro-c's own)" {
	check_peer c lzma
}

@test "peers: count of every peer file is the number of records written" {
	need_peers
	local -a files
	mapfile -t files < <(cut -f3 "$PEERS/files.txt" | sed "s|^|$PEERS/|")
	((${#files[@]} >= 4)) || ak_show "too few peer files"
	run --separate-stderr "$PY" "$INTEROP/peers.py" count "$AVROKIT" "${files[@]}"
	[[ "$status" -eq 0 ]] || ak_show "count differs"
}

@test "peers: exact text of the pinned records (numbers spelled as Java does, unions, layout)" {
	need_peers
	local -a files
	mapfile -t files < <(cut -f3 "$PEERS/files.txt" | sed "s|^|$PEERS/|")
	run --separate-stderr "$PY" "$INTEROP/peers.py" text "$AVROKIT" pinned "${files[@]}"
	[[ "$status" -eq 0 ]] || ak_show "pinned records differ"
}

@test "peers: exact text of every record without subnormal values (string escapes aside)" {
	need_peers
	local -a files
	mapfile -t files < <(cut -f3 "$PEERS/files.txt" | sed "s|^|$PEERS/|")
	run --separate-stderr "$PY" "$INTEROP/peers.py" text "$AVROKIT" normal "${files[@]}"
	[[ "$status" -eq 0 ]] || ak_show "records differ"
}

@test "peers: exact text of subnormal floats and doubles (shortest digits)" {
	need_peers
	run --separate-stderr "$PY" "$INTEROP/peers.py" text "$AVROKIT" subnormal "$PEERS/py-null.avro" "$PEERS/c-null.avro"
	[[ "$status" -eq 0 ]] || ak_show "subnormal records differ"
}

@test "peers: avrocat reads every peer file and prints the same records (its faults named)" {
	need_peers
	local -a files
	mapfile -t files < <(cut -f3 "$PEERS/files.txt" | sed "s|^|$PEERS/|")
	run --separate-stderr "$PY" "$INTEROP/peers.py" avrocat "${files[@]}"
	[[ "$status" -eq 0 ]] || ak_show "avrocat disagrees with the records written"
	# avrocat read at least the null and deflate files of both writers
	local f
	for f in py-null py-deflate c-null c-deflate; do
		[[ "$output" == *"ok $PEERS/$f.avro:"* ]] || ak_show "avrocat did not read $f.avro"
	done
}
