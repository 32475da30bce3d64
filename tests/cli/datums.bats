#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# Datums outside container files: fragtojson and jsontofrag (avro-tools' commands), and
# streams of messages read by tojson --datums/--framing and written by fromjson --framing,
# in every framing (none, single-object, confluent) and length prefix (none, 4be, varint,
# uvarint); schemas found by fingerprint and id among --schema-file and --schema-dir;
# resolution with a reader schema; truncated messages, wrong magic bytes, unknown
# fingerprints and ids (exit 1, the message's index and offset, the records before it
# printed); messages from a pipe printed as they arrive; and datums written and read by
# python3-avro (tests/interop/datums_peer.py) and avsc (tests/interop/datums_avsc.js).
#
# Run by hand: AVROKIT=$PWD/build/src/cli/avrokit bats tests/cli/datums.bats

load common

PY=/usr/bin/python3

setup() {
	ak_setup
	W="$DATA/weather.avsc"
	head -3 "$DATA/weather.json" > "$TMP/w.json"
	PEER="$REPO/tests/interop/datums_peer.py"
	JSPEER="$REPO/tests/interop/datums_avsc.js"
	export PYTHONDONTWRITEBYTECODE=1
}

need_python_avro() {
	[[ -x "$PY" ]] || skip "$PY not found"
	"$PY" -c 'import avro.io, avro.schema' 2> /dev/null ||
		skip "$PY has no avro module (Debian package python3-avro)"
}

# AVSC: the avsc package directory, or skip
need_avsc() {
	command -v node > /dev/null || skip "node not found"
	AVSC=${AK_AVSC_DIR:-$REPO/bench/node_modules/avsc}
	[[ -f "$AVSC/package.json" ]] ||
		skip "avsc not found (AK_AVSC_DIR, or bench/node_modules/avsc: npm install avsc)"
}

# framing_opts FRAMING ID: the fromjson options that write FRAMING
framing_opts() {
	case $1 in
	confluent) echo "--framing confluent --schema-id $2" ;;
	*) echo "--framing $1" ;;
	esac
}

# ---- fragtojson and jsontofrag ----

@test "jsontofrag writes the datums back to back, fragtojson prints them indented" {
	run_ak jsontofrag --schema-file "$W" -o "$TMP/w.bin" "$TMP/w.json"
	expect_status 0
	# three datums: the string, the time and the temperature of each
	[[ "$(od -An -tx1 -N8 "$TMP/w.bin" | tr -d ' ')" == 0c414c54412d3180 ]] || ak_show "bytes"
	run_ak fragtojson --schema-file "$W" "$TMP/w.bin"
	expect_status 0
	expect_no_stderr
	# what tojson --pretty prints for the same records in a data file
	[[ "$output" == "$("$AVROKIT" tojson --pretty "$DATA/weather.avro" | head -15)" ]] ||
		ak_show "fragtojson is tojson --pretty"
	[[ "${lines[0]}" == "{" && "${lines[1]}" == '  "station" : "ALTA-1",' ]] || ak_show "indented"
	run_ak fragtojson --no-pretty -f "$W" "$TMP/w.bin"
	expect_output_file "$TMP/w.json"
}

@test "--array: fromjson, jsontofrag, fromjson --framing and infer word the array's errors alike" {
	echo '"int"' > "$TMP/i.avsc"
	local -a cmds=("fromjson -f $TMP/i.avsc -o $TMP/o.avro" "jsontofrag -f $TMP/i.avsc"
		       "fromjson --framing none -f $TMP/i.avsc" "infer")
	local c input where want
	for c in "${cmds[@]}"; do
		for input in '{"a":1}' '' '[1,2' '[1,2'$'\n' '[1 2]' '[1,2] 3'; do
			printf '%s' "$input" > "$TMP/x.json"
			rm -f "$TMP/o.avro"
			# shellcheck disable=SC2086 # $c is the command and its options, split on purpose
			run_ak $c --array "$TMP/x.json"
			case $input in
			'{"a":1}') where=1:1 want="with --array the input must be one JSON array, got object" ;;
			'') where=1:1 want="with --array the input must be one JSON array, got end of input" ;;
			'[1,2') where=1:5 want="the input ends inside the array (no closing ']')" ;;
			'[1,2'$'\n') where=2:1 want="the input ends inside the array (no closing ']')" ;;
			'[1 2]') where=1:4 want="invalid JSON: expected ',' or ']' in the array, got number" ;;
			*) where=1:7 want="unexpected number after the array" ;;
			esac
			expect_stderr_is "avrokit ${c%% *}: $TMP/x.json:$where: $want"
			expect_status 1
			[[ ! -e "$TMP/o.avro" ]] || ak_show "$c left an output behind"
		done
	done
}

@test "fragtojson and jsontofrag take the schema as avro-tools does: the first operand" {
	run_sh 'echo "7 -1 300" | "$AVROKIT" jsontofrag "\"long\"" | od -An -tx1'
	expect_status 0
	[[ "$(tr -d ' ' <<< "$output")" == 0e01d804 ]] || ak_show "the three longs"
	run_sh 'printf "\x0e\x01" | "$AVROKIT" fragtojson "\"long\"" -'
	expect_status 0
	expect_output_is $'7\n-1'
	run_sh 'printf "\x0e" | "$AVROKIT" fragtojson --schema "\"long\""'
	expect_output_is 7
	run_ak fragtojson
	expect_usage_error fragtojson "the schema is needed"
	run_ak fragtojson -f "$W" a b
	expect_usage_error fragtojson "one input at most"
	run_ak jsontofrag -f "$W" -s '"long"'
	expect_usage_error jsontofrag "not both"
}

@test "fragtojson: plain JSON, bytes forms and a reader schema, as in tojson" {
	run_sh 'printf "\x02\x06abc" | "$AVROKIT" fragtojson --no-pretty --plain --bytes hex \
		"[\"null\", \"bytes\"]"'
	expect_status 0
	expect_output_is '"616263"'
	"$AVROKIT" jsontofrag -f "$W" -o "$TMP/w.bin" "$TMP/w.json"
	run_ak fragtojson --no-pretty -f "$W" -r '{"type":"record","name":"test.Weather",
		"fields":[{"name":"temp","type":"double"},{"name":"x","type":"int","default":1}]}' \
		"$TMP/w.bin"
	expect_status 0
	expect_output_is $'{"temp":-123.0,"x":1}\n{"temp":45.0,"x":1}\n{"temp":-87.0,"x":1}'
}

@test "fragtojson: bytes after the last datum, and a cut datum, are errors naming the datum and its offset" {
	"$AVROKIT" jsontofrag -f "$W" -o "$TMP/w.bin" "$TMP/w.json"
	head -c 40 "$TMP/w.bin" > "$TMP/cut.bin"
	run_ak fragtojson --no-pretty -f "$W" "$TMP/cut.bin"
	expect_data_error fragtojson "$TMP/cut.bin" "record 2 (offset 29)" "the input ends inside the datum"
	expect_output_is $'{"station":"ALTA-1","time":1704067200000,"temp":-123}\n{"station":"BERGEN","time":1704070800000,"temp":45}'
	printf '\x01' >> "$TMP/w.bin"
	run_ak fragtojson --no-pretty -f "$W" "$TMP/w.bin"
	expect_data_error fragtojson "$TMP/w.bin" "record 3 (offset 45)"
	run_ak jsontofrag -f "$W" "$DATA/weather.avro"
	expect_data_error jsontofrag "$DATA/weather.avro" "Avro data file"
}

# ---- messages: every framing and length prefix ----

@test "fromjson --framing and tojson --framing: round trips in every framing and length prefix" {
	for framing in none single-object confluent; do
		for prefix in none 4be varint uvarint; do
			"$AVROKIT" fromjson $(framing_opts $framing 42) --length-prefix $prefix \
				-f "$W" -o "$TMP/m.bin" "$DATA/weather.json" ||
				ak_show "fromjson --framing $framing --length-prefix $prefix"
			run_ak tojson --framing $framing --length-prefix $prefix --schema-file "$W" "$TMP/m.bin"
			[[ $status -eq 0 ]] || ak_show "tojson --framing $framing --length-prefix $prefix"
			expect_output_file "$DATA/weather.json"
		done
	done
	# the headers as the framings define them
	"$AVROKIT" fromjson --framing single-object -f "$W" -o "$TMP/so.bin" "$TMP/w.json"
	[[ "$(od -An -tx1 -N10 "$TMP/so.bin" | tr -d ' ')" == "c301$("$AVROKIT" fingerprint "$W" | cut -d' ' -f1)" ]] ||
		ak_show "C3 01 and the fingerprint as avrokit fingerprint prints it"
	"$AVROKIT" fromjson --framing confluent --schema-id 258 -f "$W" -o "$TMP/cf.bin" "$TMP/w.json"
	[[ "$(od -An -tx1 -N5 "$TMP/cf.bin" | tr -d ' ')" == 0000000102 ]] || ak_show "00 and the id, big-endian"
	"$AVROKIT" fromjson --datums --length-prefix 4be -f "$W" -o "$TMP/lp.bin" "$TMP/w.json"
	[[ "$(od -An -tx1 -N4 "$TMP/lp.bin" | tr -d ' ')" == 0000000f ]] || ak_show "a 4-byte length"
	# --datums is --framing none
	run_ak tojson --datums --schema-file "$W" <(head -c 19 "$TMP/lp.bin" | tail -c 15)
	expect_output_is '{"station":"ALTA-1","time":1704067200000,"temp":-123}'
}

@test "tojson --framing: --head, --pretty, several inputs, standard input, -o" {
	"$AVROKIT" fromjson --framing single-object -f "$W" -o "$TMP/so.bin" "$DATA/weather.json"
	run_ak tojson --framing single-object --schema-file "$W" --head 3 "$TMP/so.bin" "$TMP/so.bin"
	expect_output_file "$TMP/w.json"
	n=$(wc -l < "$DATA/weather.json")
	run_sh 'cat "$1" | "$AVROKIT" tojson --framing single-object --schema-file "$2" - "$1" | wc -l' \
		sh "$TMP/so.bin" "$W"
	expect_output_is $((2 * n))
	run_ak tojson --framing single-object --schema-file "$W" --head 1 --pretty -o "$TMP/out.json" "$TMP/so.bin"
	expect_status 0
	expect_no_output
	[[ "$(head -2 "$TMP/out.json")" == $'{\n  "station" : "ALTA-1",' ]] || ak_show "pretty, to the file"
}

@test "tojson --framing single-object: each message read with the schema of its fingerprint (--schema-file, --schema-dir)" {
	echo '{"type":"record","name":"P","fields":[{"name":"x","type":"int"}]}' > "$TMP/p.avsc"
	"$AVROKIT" fromjson --framing single-object -f "$W" -o "$TMP/a.bin" "$TMP/w.json"
	echo '{"x": 5}' | "$AVROKIT" fromjson --framing single-object -f "$TMP/p.avsc" -o "$TMP/b.bin"
	cat "$TMP/a.bin" "$TMP/b.bin" "$TMP/a.bin" > "$TMP/mixed.bin"
	run_ak tojson --framing single-object --schema-file "$W" --schema-file "$TMP/p.avsc" "$TMP/mixed.bin"
	expect_status 0
	[[ "${lines[3]}" == '{"x":5}' && ${#lines[@]} -eq 7 ]] || ak_show "both schemas"
	mkdir "$TMP/schemas"
	cp "$W" "$TMP/p.avsc" "$TMP/schemas/"
	echo 'not a schema file: no .avsc' > "$TMP/schemas/README"
	run_ak tojson --framing single-object --schema-dir "$TMP/schemas" "$TMP/mixed.bin"
	expect_status 0
	[[ "${lines[3]}" == '{"x":5}' && ${#lines[@]} -eq 7 ]] || ak_show "from the directory"
}

@test "tojson --framing single-object: an unknown fingerprint is exit 1, naming it and the message, after the records before it" {
	echo '{"type":"record","name":"P","fields":[{"name":"x","type":"int"}]}' > "$TMP/p.avsc"
	"$AVROKIT" fromjson --framing single-object -f "$W" -o "$TMP/a.bin" "$TMP/w.json"
	echo '{"x": 5}' | "$AVROKIT" fromjson --framing single-object -f "$TMP/p.avsc" -o "$TMP/b.bin"
	cat "$TMP/a.bin" "$TMP/b.bin" > "$TMP/mixed.bin"
	fp=$("$AVROKIT" fingerprint "$TMP/p.avsc" | cut -d' ' -f1)
	run_ak tojson --framing single-object --schema-file "$W" "$TMP/mixed.bin"
	size=$(stat -c %s "$TMP/a.bin")
	expect_data_error tojson "$TMP/mixed.bin" "record 3 (offset $size)" \
		"no schema given has the fingerprint $fp (CRC-64-AVRO)"
	expect_output_file "$TMP/w.json"
}

@test "tojson --framing confluent: ids from ID.avsc names, --schema-id, one schema for every id; an unknown id is exit 1" {
	echo '{"type":"record","name":"P","fields":[{"name":"x","type":"int"}]}' > "$TMP/p.avsc"
	"$AVROKIT" fromjson --framing confluent --schema-id 7 -f "$W" -o "$TMP/a.bin" "$TMP/w.json"
	echo '{"x": 5}' | "$AVROKIT" fromjson --framing confluent --schema-id 12 -f "$TMP/p.avsc" -o "$TMP/b.bin"
	cat "$TMP/b.bin" "$TMP/a.bin" > "$TMP/m.bin"
	mkdir "$TMP/registry"
	cp "$W" "$TMP/registry/7.avsc"
	cp "$TMP/p.avsc" "$TMP/registry/12.avsc"
	cp "$TMP/p.avsc" "$TMP/registry/latest.avsc" # no id in its name: not used
	run_ak tojson --framing confluent --schema-dir "$TMP/registry" "$TMP/m.bin"
	expect_status 0
	[[ "${lines[0]}" == '{"x":5}' && "${lines[1]}" == "$(head -1 "$TMP/w.json")" ]] || ak_show "by id"
	run_ak tojson --framing confluent --schema-file "$TMP/registry/7.avsc" --schema-file "$TMP/registry/12.avsc" "$TMP/m.bin"
	expect_status 0
	[[ ${#lines[@]} -eq 4 ]] || ak_show "ids from the file names"
	run_ak tojson --framing confluent --schema-file "$W" "$TMP/a.bin"
	expect_output_file "$TMP/w.json"
	run_ak tojson --framing confluent --schema-file "$W" --schema-id 7 "$TMP/m.bin"
	expect_data_error tojson "$TMP/m.bin" "record 0 (offset 0)" "no schema given has the schema id 12"
	expect_no_output
	run_ak tojson --framing confluent --schema-file "$W" --schema-file "$TMP/p.avsc" "$TMP/m.bin"
	expect_usage_error tojson "each needs its id"
}

@test "tojson --framing: a reader schema resolves every message" {
	"$AVROKIT" fromjson --framing confluent --schema-id 1 -f "$W" -o "$TMP/a.bin" "$TMP/w.json"
	run_ak tojson --framing confluent --schema-file "$W" -r '{"type":"record","name":"Weather",
		"fields":[{"name":"station","type":"bytes"},{"name":"temp","type":"long"}]}' "$TMP/a.bin"
	expect_status 0
	[[ "${lines[2]}" == '{"station":"Troms\u00C3\u00B8","temp":-87}' ]] || ak_show "resolved"
	run_ak tojson --framing confluent --schema-file "$W" -r '"int"' "$TMP/a.bin"
	expect_data_error tojson "$TMP/a.bin" "record 0 (offset 0)" "cannot read with the reader schema"
}

@test "tojson --framing: wrong magic bytes, a message cut short, a length that says too little or too much" {
	"$AVROKIT" fromjson --framing single-object -f "$W" -o "$TMP/so.bin" "$TMP/w.json"
	run_ak tojson --framing confluent --schema-file "$W" "$TMP/so.bin"
	expect_data_error tojson "$TMP/so.bin" "record 0 (offset 0)" "expected Confluent's magic byte 00, found C3" \
		"single-object"
	run_ak tojson --framing single-object --schema-file "$W" "$DATA/weather.avro"
	expect_data_error tojson "$DATA/weather.avro" "found 4F 62" "Avro data file"
	head -c 55 "$TMP/so.bin" > "$TMP/cut.bin"
	run_ak tojson --framing single-object --schema-file "$W" "$TMP/cut.bin"
	expect_data_error tojson "$TMP/cut.bin" "record 2 (offset 49)" "header (6 of 10 bytes)"
	[[ ${#lines[@]} -eq 2 ]] || ak_show "the two whole messages first"
	printf '\0\0\0\x03\x02\x04\x06\x08' > "$TMP/lp.bin"
	run_ak tojson --datums --length-prefix 4be --schema '"long"' "$TMP/lp.bin"
	expect_data_error tojson "$TMP/lp.bin" "record 0 (offset 0)" "2 bytes left over in the message"
	printf '\0\0\0\x09\x02' > "$TMP/lp.bin"
	run_ak tojson --datums --length-prefix 4be --schema '"long"' "$TMP/lp.bin"
	expect_data_error tojson "$TMP/lp.bin" "the input ends inside the message (5 of its 13 bytes)"
	printf '\xff\xff\xff\xff\x02' > "$TMP/lp.bin"
	run_ak tojson --datums --length-prefix 4be --schema '"long"' "$TMP/lp.bin"
	expect_data_error tojson "$TMP/lp.bin" "exceeds the 536870912-byte limit"
	run_ak tojson --datums --length-prefix 4be --max-block-size 1K --schema '"long"' <(printf '\0\0\x08\0\x02')
	expect_status 1
	expect_stderr "exceeds the 1024-byte limit"
}

@test "tojson --framing from a pipe: each message is printed as soon as it has come" {
	skip_under_valgrind "waits on a pipe"
	"$AVROKIT" fromjson --framing confluent --schema-id 3 -f "$W" -o "$TMP/m.bin" "$TMP/w.json"
	mkfifo "$TMP/in" "$TMP/out"
	"$AVROKIT" tojson --framing confluent --schema-file "$W" "$TMP/in" > "$TMP/out" 3>&- &
	# (in the order that cannot block: its output is opened before its input)
	exec 8< "$TMP/out" 7> "$TMP/in"
	head -c 23 "$TMP/m.bin" >&7 # the first message whole, and 2 bytes of the next
	# the line comes while the writer still holds the pipe open (10 s: a hang, not a wait)
	read -r -t 10 line <&8 || { exec 7>&- 8<&-; ak_show "no line while the pipe is open"; }
	[[ "$line" == "$(head -1 "$TMP/w.json")" ]] || ak_show "the first record"
	tail -c +24 "$TMP/m.bin" >&7
	exec 7>&-
	rest=$(cat <&8)
	exec 8<&-
	wait
	[[ "$rest" == "$(tail -n +2 "$TMP/w.json")" ]] || ak_show "the others at the end"
}

@test "tojson --datums: a stream over the first MiB is decoded on threads, as on one" {
	for i in $(seq 40); do cat "$DATA/weather.json"; done > "$TMP/many.json"
	for i in $(seq 200); do cat "$TMP/many.json"; done | "$AVROKIT" jsontofrag -f "$W" -o "$TMP/many.bin"
	[[ $(stat -c %s "$TMP/many.bin") -gt 1100000 ]] || ak_show "more than 1 MiB"
	one=$("$AVROKIT" tojson -j1 --datums --schema-file "$W" "$TMP/many.bin" | cksum)
	two=$("$AVROKIT" tojson -j2 --datums --schema-file "$W" "$TMP/many.bin" | cksum)
	[[ "$one" == "$two" ]] || ak_show "-j2 as -j1"
	[[ "$one" == "$(for i in $(seq 200); do cat "$TMP/many.json"; done | cksum)" ]] || ak_show "the records"
}

@test "usage errors: options that need --datums or --framing, values, and data-file options with --framing" {
	run_ak tojson --schema-file "$W" "$DATA/weather.avro"
	expect_usage_error tojson "--schema-file goes with --datums or --framing"
	run_ak tojson --framing json x
	expect_usage_error tojson "--framing takes none, single-object or confluent"
	run_ak tojson --datums --length-prefix 2be --schema '"long"' x
	expect_usage_error tojson "--length-prefix takes none, 4be, varint or uvarint"
	run_ak tojson --datums x
	expect_usage_error tojson "the datums' schema is needed"
	run_ak tojson --datums --framing confluent --schema '"long"' x
	expect_usage_error tojson "--datums means --framing none"
	run_ak tojson --framing single-object --schema-id 3 --schema '"long"' x
	expect_usage_error tojson "--schema-id goes with --framing confluent"
	run_ak tojson --datums --schema-dir "$TMP" x
	expect_usage_error tojson "--schema-dir goes with --framing single-object or confluent"
	run_ak tojson --framing confluent --schema-id 4294967296 --schema '"long"' x
	expect_usage_error tojson
	run_ak fromjson --framing confluent -f "$W" "$TMP/w.json"
	expect_usage_error fromjson "--schema-id ID"
	run_ak fromjson --framing single-object --codec deflate -f "$W" "$TMP/w.json"
	expect_usage_error fromjson "writes messages, not a data file"
	run_ak fromjson --length-prefix 4be -f "$W" "$TMP/w.json"
	expect_usage_error fromjson "--length-prefix goes with --datums or --framing"
	run_ak tojson --framing single-object --schema-dir "$TMP/none" x
	expect_data_error tojson "$TMP/none" "cannot open the directory"
}

@test "fromjson --framing: a value that does not fit is exit 1 with line and column, after the messages before it" {
	printf '{"station":"a","time":1,"temp":2}\n{"station":"b","time":"x","temp":3}\n' > "$TMP/bad.json"
	run_sh '"$AVROKIT" fromjson --framing single-object -f "$1" "$2" | wc -c' sh "$W" "$TMP/bad.json"
	expect_stderr "avrokit fromjson: $TMP/bad.json:2:" 'field "time"'
	expect_output_is 14
	run_ak fromjson --framing single-object -f "$W" -o "$TMP/o.bin" "$TMP/bad.json"
	expect_status 1
	[[ ! -e "$TMP/o.bin" ]] || ak_show "-o: no file"
	run_ak fromjson --datums -f "$W" "$TMP/w.json" -o /dev/full
	expect_status 1
	expect_stderr "No space left"
}

# ---- peers ----

@test "python3-avro: datums its BinaryEncoder wrote, in every framing and length prefix, read by tojson; avrokit's read back by its BinaryDecoder" {
	need_python_avro
	"$PY" "$PEER" schema > "$TMP/ev.avsc"
	"$PY" "$PEER" json > "$TMP/ev.json"
	[[ "$("$PY" "$PEER" fingerprint)" == "$("$AVROKIT" fingerprint "$TMP/ev.avsc" | cut -d' ' -f1)" ]] ||
		ak_show "the CRC-64-AVRO of the peer script and of avrokit"
	for framing in none single-object confluent; do
		for prefix in none 4be varint uvarint; do
			"$PY" "$PEER" write "$TMP/py.bin" $framing $prefix 42
			run_ak tojson --framing $framing --length-prefix $prefix --schema-file "$TMP/ev.avsc" \
				-o "$TMP/py.jsonl" "$TMP/py.bin"
			[[ $status -eq 0 ]] || ak_show "tojson $framing $prefix"
			run "$PY" "$PEER" check "$TMP/py.jsonl"
			[[ $status -eq 0 ]] || ak_show "python3-avro's datums, $framing $prefix: $output"
			"$AVROKIT" fromjson $(framing_opts $framing 42) --length-prefix $prefix \
				-f "$TMP/ev.avsc" -o "$TMP/ak.bin" "$TMP/ev.json"
			run "$PY" "$PEER" read "$TMP/ak.bin" $framing $prefix 42
			[[ $status -eq 0 ]] || ak_show "python3-avro reads avrokit's, $framing $prefix: $output"
		done
	done
	# and fragtojson reads them too
	"$PY" "$PEER" write "$TMP/py.bin" none none
	"$AVROKIT" fragtojson --no-pretty -f "$TMP/ev.avsc" -o "$TMP/f.jsonl" "$TMP/py.bin"
	run "$PY" "$PEER" check "$TMP/f.jsonl"
	[[ $status -eq 0 ]] || ak_show "fragtojson: $output"
}

@test "avsc: datums of Type.toBuffer in every framing read by tojson, avrokit's decoded by Type.decode; fingerprints agree" {
	need_avsc
	node "$JSPEER" "$AVSC" schema > "$TMP/av.avsc"
	node "$JSPEER" "$AVSC" json > "$TMP/av.json"
	run node "$JSPEER" "$AVSC" fingerprints
	[[ "${lines[0]}" == "$("$AVROKIT" fingerprint --algorithm md5 "$TMP/av.avsc" | cut -d' ' -f1)" ]] ||
		ak_show "avsc's MD5 fingerprint"
	[[ "${lines[1]}" == "$("$AVROKIT" fingerprint "$TMP/av.avsc" | cut -d' ' -f1)" ]] ||
		ak_show "CRC-64-AVRO of avsc's canonical form"
	for framing in none single-object confluent; do
		for prefix in none 4be varint uvarint; do
			node "$JSPEER" "$AVSC" write "$TMP/js.bin" $framing $prefix 7
			run_ak tojson --framing $framing --length-prefix $prefix --schema-file "$TMP/av.avsc" \
				-o "$TMP/js.jsonl" "$TMP/js.bin"
			[[ $status -eq 0 ]] || ak_show "tojson $framing $prefix"
			run node "$JSPEER" "$AVSC" check "$TMP/js.jsonl"
			[[ $status -eq 0 ]] || ak_show "avsc's datums, $framing $prefix: $output"
			"$AVROKIT" fromjson $(framing_opts $framing 7) --length-prefix $prefix \
				-f "$TMP/av.avsc" -o "$TMP/ak.bin" "$TMP/av.json"
			run node "$JSPEER" "$AVSC" read "$TMP/ak.bin" $framing $prefix 7
			[[ $status -eq 0 ]] || ak_show "avsc reads avrokit's, $framing $prefix: $output"
		done
	done
}
