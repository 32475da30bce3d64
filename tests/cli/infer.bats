#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# avrokit infer, and fromjson --infer: a schema from JSON records.
#
#   1. hand-checked schemas for the fixtures in tests/data/infer (golden/infer/*.avsc), each
#      accepted by checkschema and reading its own input with fromjson --plain
#   2. inputs: files, standard input, several, --array; -o, --compact; the same output twice;
#      notes on standard error
#   3. the property test tests/interop/infer_property.py (300 seeded random documents, each
#      inferred, written and read back; /usr/bin/python3, standard library only)
#   4. flat memory: the peak RSS for 300000 records is that of 1000
#   5. fromjson --infer: files read twice, standard input and pipes spooled to an unnamed
#      temporary file (none left behind, even when killed), errors and usage errors
#   6. errors: bad JSON with its position, a key twice, numbers beyond double, too deep, bad
#      options; output errors and pipes

load common

PY=/usr/bin/python3
FIX="$REPO/tests/data/infer"

# json_lines N FILE: N records of a few shapes, one per line (awk: fast enough for 300k)
json_lines() {
	awk -v n="$1" 'BEGIN {
		for (i = 0; i < n; i++) {
			printf "{\"id\":%d,\"user\":{\"name\":\"u%d\",\"age\":%s},\"amount\":%d.%02d,", \
				i, i % 977, (i % 10 ? i % 90 : "null"), i % 1000, i % 100
			printf "\"tags\":[\"t%d\",\"x\"],\"attrs\":{\"k%d\":%d}", i % 7, i % 50000, i
			if (i % 3 == 0) printf ",\"coupon\":\"C%d\"", i % 31
			printf "}\n"
		}
	}' > "$2"
}

# ---- 1. fixtures ----

# check_fixture NAME ARGS...: infer ARGS equals golden/infer/NAME.avsc, checkschema takes it,
# fromjson --plain reads the input (the last ARG) with it
check_fixture() {
	local name="$1" input="${*: -1}" array=()
	shift
	[[ " $* " == *" --array "* ]] && array=(--array)
	run_ak infer "$@"
	expect_status 0
	assert_golden "infer/$name.avsc" "$output"
	printf '%s\n' "$output" > "$TMP/$name.avsc"
	run_ak checkschema "$TMP/$name.avsc"
	expect_status 0
	run_ak fromjson --plain --schema-file "$TMP/$name.avsc" "${array[@]}" "$input" -o "$TMP/$name.avro"
	expect_status 0
	run_ak count "$TMP/$name.avro"
	if [[ -n "${array[*]}" ]]; then
		expect_output_is "$(grep -c '^  {' "$input")"
	else
		expect_output_is "$(wc -l < "$input")"
	fi
}

@test "infer: events (the issue's example): Event.address is Address, optional fields, int to double" {
	check_fixture events --name Event --namespace com.example "$FIX/events.ndjson"
	expect_no_stderr
}

@test "infer: mixed kinds: unions, all-null and always-empty places, NaN with numbers" {
	check_fixture mixed "$FIX/mixed.ndjson"
	expect_no_stderr
}

@test "infer: keys that are not names and too many keys make maps (with notes); unique names" {
	check_fixture keys --max-fields 4 "$FIX/keys.ndjson"
	run_ak infer --max-fields 4 "$FIX/keys.ndjson"
	expect_stderr_is 'avrokit infer: note: $.headers: the key "Content-Type" is not a valid Avro name, so the object is a map
avrokit infer: note: $.counts: more than 4 different keys, so the object is a map'
}

@test "infer --logical: dates, timestamps at the precision they need, uuids; not with numbers" {
	check_fixture logical --logical "$FIX/logical.ndjson"
	# and the values come back as written (timestamps in UTC)
	run_ak tojson --plain "$TMP/logical.avro"
	expect_status 0
	[[ "${lines[0]}" == '{"day":"2024-02-29","ms":"2024-02-29T22:59:59.999Z","us":"2024-03-01T00:00:00.123456Z","ns":"1969-07-20T20:17:40.000000001Z","id":"123e4567-e89b-12d3-a456-426614174000","almost":"2024-02-29","count":1}' ]] ||
		ak_show "the first record read back"
	run_ak infer "$FIX/logical.ndjson"
	[[ "$output" != *logicalType* ]] || ak_show "without --logical there are no logical types"
}

@test "infer --array: one indented JSON array; --name names the record" {
	check_fixture array --array --name Row "$FIX/array.json"
}

# ---- 2. inputs and outputs ----

@test "infer reads standard input (none, or -) and several files as one input" {
	run_ak infer < "$FIX/events.ndjson"
	expect_status 0
	local one="$output"
	run_sh '"$AVROKIT" infer - < "$1"' _ "$FIX/events.ndjson"
	[[ "$output" == "$one" ]] || ak_show "infer - differs"
	head -n 1 "$FIX/events.ndjson" > "$TMP/a.json"
	tail -n +2 "$FIX/events.ndjson" > "$TMP/b.json"
	run_sh 'cat "$2" | "$AVROKIT" infer "$1" -' _ "$TMP/a.json" "$TMP/b.json"
	expect_status 0
	[[ "$output" == "$one" ]] || ak_show "two inputs differ from one"
}

@test "infer is deterministic; --compact is one line with the same schema" {
	run_ak infer "$FIX/mixed.ndjson"
	local a="$output"
	run_ak infer "$FIX/mixed.ndjson"
	[[ "$output" == "$a" ]] || ak_show "two runs differ"
	run_ak infer --compact "$FIX/mixed.ndjson"
	expect_status 0
	[[ "${#lines[@]}" -eq 1 ]] || ak_show "expected one line"
	printf '%s\n' "$output" > "$TMP/c.avsc"
	printf '%s\n' "$a" > "$TMP/p.avsc"
	run_ak canonical "$TMP/c.avsc"
	local c="$output"
	run_ak canonical "$TMP/p.avsc"
	[[ "$output" == "$c" ]] || ak_show "--compact has another schema"
}

@test "infer -o writes the schema file and nothing to standard output" {
	run_ak infer -o "$TMP/s.avsc" "$FIX/events.ndjson"
	expect_status 0
	expect_no_output
	run_ak infer "$FIX/events.ndjson"
	[[ "$(cat "$TMP/s.avsc")" == "$output" ]] || ak_show "-o content differs"
	[[ "$(list_dir "$TMP" | grep -c avrokit-)" -eq 0 ]] || ak_show "a temporary file is left"
}

@test "infer of an empty input: a record with no fields" {
	run_ak infer --compact --name E < /dev/null
	expect_status 0
	expect_output_is '{"type":"record","name":"E","fields":[]}'
}

@test "infer: the issue's pipeline: infer --array | fromjson --plain --schema-file -" {
	run_sh '"$AVROKIT" infer --array "$1" | "$AVROKIT" fromjson --plain --array --schema-file - "$1" | "$AVROKIT" tojson --plain' _ "$FIX/array.json"
	expect_status 0
	expect_output_is '{"name":"a","score":1.0,"parts":[{"w":1,"h":null},{"w":2,"h":3}]}
{"name":"b","score":2.5,"parts":null}
{"name":"c","score":null,"parts":[]}'
}

# ---- 3. property test ----

@test "infer: 300 random JSON documents: schema valid, fromjson --plain reads them, records read back" {
	[[ -x "$PY" ]] || skip "$PY not found"
	local docs=300
	[[ -z "${AK_VALGRIND:-}" ]] || docs=15
	run "$PY" "$REPO/tests/interop/infer_property.py" --avrokit "$AVROKIT" --docs "$docs" \
		--workdir "$TMP/prop"
	echo "$output" | tail -n 5 | sed "s/^/# /" >&3
	[[ "$status" -eq 0 && "$output" == *"$docs of $docs documents round-trip, 0 failures"* ]] ||
		ak_show "infer_property.py failed"
}

# ---- 4. memory ----

@test "infer: peak memory is flat: 300000 records take no more than 1000" {
	[[ -x /usr/bin/time ]] || skip "/usr/bin/time is not installed (package time)"
	skip_under_valgrind "measures peak memory"
	json_lines 1000 "$TMP/small.json"
	json_lines 300000 "$TMP/big.json"
	run /usr/bin/time -f '%M' "$AVROKIT" infer --compact "$TMP/small.json"
	expect_status 0
	local small=${lines[-1]}
	run /usr/bin/time -f '%M' "$AVROKIT" infer --compact "$TMP/big.json"
	expect_status 0
	local big=${lines[-1]}
	echo "# peak RSS: ${small} KiB for 1000 records, ${big} KiB for 300000" >&3
	# 50000 different keys under "attrs": a map after 1000, and not kept
	[[ "$output" == *'"name":"attrs","type":{"type":"map","values":"int"}'* ]] ||
		ak_show "attrs should be a map"
	((big < small + 2048)) || ak_show "peak RSS grew from $small to $big KiB"
}

# ---- 5. fromjson --infer ----

@test "fromjson --infer: the records of a file, the schema of infer (compact), --plain implied" {
	run_ak fromjson --infer --name Event --namespace com.example -o "$TMP/e.avro" "$FIX/events.ndjson"
	expect_status 0
	run_ak getschema --compact "$TMP/e.avro"
	local stored="$output"
	run_ak infer --compact --name Event --namespace com.example "$FIX/events.ndjson"
	[[ "$stored" == "$output" ]] || ak_show "the stored schema is not infer's"
	run_ak count "$TMP/e.avro"
	expect_output_is 3
	run_ak fromjson --infer --logical "$FIX/logical.ndjson"
	expect_status 0
	run_sh '"$AVROKIT" fromjson --infer --logical "$1" | "$AVROKIT" getschema' _ "$FIX/logical.ndjson"
	[[ "$output" == *timestamp-nanos* ]] || ak_show "--logical is passed on"
}

@test "fromjson --infer from a pipe and from standard input: the same file; no spool file left" {
	mkdir "$TMP/spool"
	run_sh 'TMPDIR="$2/spool" "$AVROKIT" fromjson --infer --sync-marker 00112233445566778899aabbccddeeff -o "$2/a.avro" "$1"' _ "$FIX/mixed.ndjson" "$TMP"
	expect_status 0
	run_sh 'cat "$1" | TMPDIR="$2/spool" "$AVROKIT" fromjson --infer --sync-marker 00112233445566778899aabbccddeeff -o "$2/b.avro"' _ "$FIX/mixed.ndjson" "$TMP"
	expect_status 0
	cmp "$TMP/a.avro" "$TMP/b.avro" || ak_show "the pipe gives another file"
	run_sh 'cat "$1" | TMPDIR="$2/spool" "$AVROKIT" fromjson --infer --array --sync-marker 00112233445566778899aabbccddeeff "$1" - > "$2/c.avro"' _ "$FIX/array.json" "$TMP"
	expect_status 0
	run_ak count "$TMP/c.avro"
	expect_output_is 6
	[[ -z "$(list_dir "$TMP/spool")" ]] || ak_show "files left in TMPDIR: $(list_dir "$TMP/spool")"
}

@test "fromjson --infer: standard input redirected from a file is read twice from where it stood" {
	run_sh '{ read -r first; "$AVROKIT" fromjson --infer -o "$2/x.avro"; } < "$1"' _ "$FIX/events.ndjson" "$TMP"
	expect_status 0
	run_ak count "$TMP/x.avro"
	expect_output_is 2
}

@test "fromjson --infer: bad JSON on a pipe: the usual message, no output, no spool file left" {
	mkdir "$TMP/spool"
	printf '{"a":1}\n{"a":}\n' > "$TMP/bad.json"
	run_sh 'cat "$1" | TMPDIR="$2/spool" "$AVROKIT" fromjson --infer -o "$2/out.avro"' _ "$TMP/bad.json" "$TMP"
	expect_data_error fromjson "(standard input):2:6" "invalid JSON"
	[[ ! -e "$TMP/out.avro" ]] || ak_show "an output file was left"
	[[ -z "$(list_dir "$TMP/spool")" ]] || ak_show "files left in TMPDIR"
}

@test "fromjson --infer: killed while spooling leaves no file (the spool is unlinked at once)" {
	skip_under_valgrind "watches /proc of the process"
	mkdir "$TMP/spool" "$TMP/out"
	mkfifo "$TMP/fifo"
	TMPDIR="$TMP/spool" "$AVROKIT" fromjson --infer -o "$TMP/out/x.avro" < "$TMP/fifo" &
	local pid=$!
	exec 7> "$TMP/fifo"
	printf '{"a":1}\n' >&7
	# wait (up to 10 s) until the spool file is open: it shows as deleted in /proc
	local i found=
	for ((i = 0; i < 200; i++)); do
		if ls -l "/proc/$pid/fd" 2> /dev/null | grep -q "$TMP/spool/avrokit-spool-.* (deleted)"; then
			found=1
			break
		fi
		sleep 0.05
	done
	local listing
	listing="$(list_dir "$TMP/spool")"
	kill -KILL "$pid"
	wait "$pid" || true
	exec 7>&-
	[[ -n "$found" ]] || { echo "the spool file never showed in /proc/$pid/fd" >&2; return 1; }
	[[ -z "$listing" ]] || { echo "the spool file has a name while in use: $listing" >&2; return 1; }
	[[ -z "$(list_dir "$TMP/spool")" && -z "$(list_dir "$TMP/out")" ]] ||
		{ echo "files left: $(list_dir "$TMP/spool") $(list_dir "$TMP/out")" >&2; return 1; }
}

@test "fromjson --infer: usage errors: with a schema; infer's options without --infer; a bad name" {
	run_ak fromjson --infer --schema '"int"' "$FIX/mixed.ndjson"
	expect_usage_error fromjson "--infer makes the schema"
	run_ak fromjson --name X --schema '"int"' "$FIX/mixed.ndjson"
	expect_usage_error fromjson "--name goes with --infer"
	run_ak fromjson --logical --schema '"int"' "$FIX/mixed.ndjson"
	expect_usage_error fromjson "--logical goes with --infer"
	run_ak fromjson --infer --name 9lives "$FIX/mixed.ndjson"
	expect_usage_error fromjson '"9lives" is not a valid Avro name'
	run_ak fromjson --infer --max-fields 0 "$FIX/mixed.ndjson"
	expect_usage_error fromjson "--max-fields"
	run_ak fromjson "$FIX/mixed.ndjson"
	expect_usage_error fromjson "(or --infer)"
}

@test "fromjson --infer: a missing input file is a data error naming it" {
	run_ak fromjson --infer "$TMP/nope.json"
	expect_data_error fromjson "$TMP/nope.json" "cannot open"
}

# ---- 6. errors ----

@test "infer: invalid JSON: the input, line and column" {
	printf '{"a":1}\n{"a":tru}\n' > "$TMP/bad.json"
	run_ak infer "$TMP/bad.json"
	expect_data_error infer "$TMP/bad.json:2:6" "invalid JSON"
	expect_no_output
}

@test "infer: a key twice in one object, a number beyond double, too deep" {
	printf '{"a":1,"b":2,"a":3}\n' > "$TMP/dup.json"
	run_ak infer "$TMP/dup.json"
	expect_data_error infer "$TMP/dup.json:1:14" 'key "a" appears twice in one object'
	printf '{"a":1e999}\n' > "$TMP/big.json"
	run_ak infer "$TMP/big.json"
	expect_data_error infer "$TMP/big.json:1:6" "1e999 is out of range for double"
	printf '%0.s[' {1..101} > "$TMP/deep.json"
	run_ak infer "$TMP/deep.json"
	expect_data_error infer "$TMP/deep.json:1:101" "nested deeper than 100 levels"
}

@test "infer --array: not an array, unclosed, something after it" {
	printf '{"a":1}\n' > "$TMP/x.json"
	run_ak infer --array "$TMP/x.json"
	expect_data_error infer "$TMP/x.json:1:1" "must be one JSON array"
	printf '[{"a":1},\n' > "$TMP/x.json"
	run_ak infer --array "$TMP/x.json"
	expect_data_error infer "$TMP/x.json:2:1" "no closing ']'"
	printf '[{"a":1}] 5\n' > "$TMP/x.json"
	run_ak infer --array "$TMP/x.json"
	expect_data_error infer "$TMP/x.json:1:11" "after the array"
}

@test "infer: a missing file and a directory are data errors naming them" {
	run_ak infer "$TMP/missing.json"
	expect_data_error infer "$TMP/missing.json" "cannot open"
	run_ak infer "$TMP"
	expect_data_error infer "$TMP" "is a directory"
}

@test "infer: bad options are usage errors" {
	run_ak infer --name 1x "$FIX/events.ndjson"
	expect_usage_error infer '"1x" is not a valid Avro name'
	run_ak infer --namespace 'a..b' "$FIX/events.ndjson"
	expect_usage_error infer '"a..b" is not a valid Avro namespace'
	run_ak infer --max-fields 0 "$FIX/events.ndjson"
	expect_usage_error infer "--max-fields: '0' is not a number from 1"
	run_ak infer --max-fields lots "$FIX/events.ndjson"
	expect_usage_error infer "--max-fields"
	run_ak infer --no-such-option
	expect_usage_error infer "unknown option"
	run_ak infer --name
	expect_usage_error infer "needs an argument"
}

@test "infer > /dev/full: exit 1, No space left" {
	run_sh '"$AVROKIT" infer "$1" > /dev/full' _ "$FIX/events.ndjson"
	expect_status 1
	expect_stderr "avrokit infer: " "No space left on device"
}

@test "infer | head -1 ends quietly" {
	run_sh '"$AVROKIT" infer "$1" | head -n 1' _ "$FIX/events.ndjson"
	expect_status 0
	expect_no_stderr
	expect_output_is "{"
}
