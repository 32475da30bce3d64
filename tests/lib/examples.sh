#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Run the example programs of examples/ and check what they print, so that they keep working
# as the library changes (TAP output).
#
#   tests/lib/examples.sh BINDIR [AVROKIT]
#
# BINDIR holds the built first, write and datum (build/examples, or the copies that
# tests/lib/installed.sh builds against an installed library). With AVROKIT (the avrokit
# command), the file write.c writes is also read back by `avrokit tojson`.
# (the sh -c scripts below get their arguments as "$1"...: single quotes on purpose)
# shellcheck disable=SC2016
set -u
bindir=$1
avrokit=${2:-}
data=$(cd "$(dirname "$0")/../data" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ak-examples.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

n=0
failed=0
# check NAME EXPECTED-STATUS EXPECTED-STDOUT EXPECTED-STDERR-SUBSTRING COMMAND...: one TAP test
check() {
	local name=$1 want_rc=$2 want_out=$3 want_err=$4 rc
	shift 4
	n=$((n + 1))
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq "$want_rc" ] && [ "$(cat "$tmp/out")" = "$want_out" ] &&
		{ [ -z "$want_err" ] || grep -qF -- "$want_err" "$tmp/err"; } &&
		{ [ -n "$want_err" ] || [ ! -s "$tmp/err" ]; }; then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name"
		echo "# command: $*"
		echo "# exit status $rc (expected $want_rc); stdout:"
		sed 's/^/#   /' "$tmp/out"
		echo "# expected stdout:"
		printf '%s\n' "$want_out" | sed 's/^/#   /'
		echo "# stderr (expected ${want_err:+to contain: $want_err}${want_err:-empty}):"
		sed 's/^/#   /' "$tmp/err"
		failed=$((failed + 1))
	fi
}

echo "1..13"

check "first: the first field of every record" 0 "$(printf '%s\n' ALTA-1 BERGEN Tromsø \
	CAIRO-N QUITO MAWSON HILO OLD-1950 FAR-FUTURE '')" "" \
	"$bindir/first" "$data/weather.avro"
check "first: a field by name (int), deflate file" 0 "$(printf '%s\n' -123 45 -87 221 138 \
	-2541 0 12 2147483647 -2147483648)" "" \
	"$bindir/first" "$data/weather-deflate.avro" temp
check "first: a long field, extremes included" 0 "$(printf '%s\n' 1704067200000 \
	1704070800000 1704074400000 1704078000000 1704081600000 1704085200000 0 -631152000000 \
	9007199254740993 -9223372036854775808)" "" \
	"$bindir/first" "$data/weather.avro" time
check "first: a field the records lack fails" 1 "" "no field nope" \
	"$bindir/first" "$data/weather.avro" nope
check "first: a file that is not Avro fails with the library's message" 1 "" \
	"not an Avro data file" "$bindir/first" "$data/weather.json"
head -c 300 "$data/weather.avro" >"$tmp/cut.avro"
check "first: a truncated file fails with the place" 1 "" "offset 300" \
	"$bindir/first" "$tmp/cut.avro"
check "first: usage" 2 "" "usage: first" "$bindir/first"

check "write: writes three records" 0 "3 records written to $tmp/w.avro" "" \
	"$bindir/write" "$tmp/w.avro"
check "write: the file reads back (union, enum, array fields)" 0 \
	"$(printf '%s\n' ALTA-1 BERGEN Tromsø CLEAR RAIN CLOUDY '(null)' 'gauge cleaned' '(null)' \
	'(array)' '(array)' '(array)')" "" \
	sh -c 'for f in station sky note temps; do "$1" "$2" $f || exit; done' sh \
	"$bindir/first" "$tmp/w.avro"
if [ -n "$avrokit" ]; then
	check "write: avrokit tojson reads the file, deflate" 0 \
		"$(printf '%s%s\n' \
		'{"station":"ALTA-1","time":1704067200000,' \
		'"temps":[-123,-118,-120],"sky":"CLEAR","note":null}' \
		'{"station":"BERGEN","time":1704070800000,' \
		'"temps":[45,47,44],"sky":"RAIN","note":{"string":"gauge cleaned"}}' \
		'{"station":"Tromsø","time":1704074400000,' \
		'"temps":[-87,-90,-95],"sky":"CLOUDY","note":null}')" \
		"" sh -c '"$1" "$2" deflate >/dev/null && "$3" tojson "$2"' sh \
		"$bindir/write" "$tmp/d.avro" "$avrokit"
else
	n=$((n + 1))
	echo "ok $n - write: avrokit tojson reads the file # skip no avrokit given"
fi
mkdir "$tmp/dir"
check "write: an unknown codec fails and leaves no file" 1 "" 'codec "nope"' \
	sh -c '"$1" "$2" nope; rc=$?; ls -A "$3" | grep . >&2; exit $rc' sh \
	"$bindir/write" "$tmp/dir/x.avro" "$tmp/dir"
check "write: a directory that does not exist fails" 1 "" "No such file or directory" \
	"$bindir/write" "$tmp/none/x.avro"

check "datum: decode, encode, same bytes, a truncated datum fails" 0 "$(printf '%s\n' \
	'datum: 36 06 66 6f 6f' 'a: 27' 'b: "foo"' 'decoded 5 bytes' 'encoded: 36 06 66 6f 6f' \
	'round trip: same bytes' \
	'cut short: field b: string needs 3 bytes but only 2 remain (format error)')" "" \
	"$bindir/datum"

[ "$failed" -eq 0 ]
