#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# What avrokit does when a person is at a terminal: it refuses to write Avro binary data to
# one, says what it is waiting for when it would read one, and shows progress on one. The
# terminal is a pseudo-terminal that tests/cli/ptyrun.py puts on the chosen standard streams.
#
#   AVROKIT=$PWD/build/src/cli/avrokit bats tests/cli/terminal.bats

load common

# on_tty [--in] [--out] [--err] [--eof] -- CMD ARGS...: run_sh of CMD with those streams on a
# terminal; $output is what the terminal showed (carriage returns taken out), $stderr what
# went to standard error when it is not the terminal
on_tty() {
	local i
	run --separate-stderr python3 "$BATS_TEST_DIRNAME/ptyrun.py" "$@"
	output="${output//$'\r'/}"
}

# ---- no binary data on a terminal ----

@test "terminal: every command that writes a data file refuses a terminal as standard output" {
	local args
	printf '%s\n' '{"a":1}' > "$TMP/in.json"
	for args in "cat $DATA/weather.avro" "concat $DATA/weather.avro $DATA/weather.avro" \
		"recodec $DATA/weather.avro" "recodec -c deflate $DATA/weather.avro -" \
		"repair $DATA/weather.avro" "cat -o - $DATA/weather.avro" \
		"fromjson --schema {\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]} $TMP/in.json"; do
		# shellcheck disable=SC2086 # the arguments are words
		on_tty --out -- "$AVROKIT" $args
		expect_status 2
		[[ -z "$output" ]] || ak_show "$args: wrote to the terminal"
		expect_stderr "avrokit ${args%% *}: standard output is a terminal: not writing Avro binary data to it (give -o FILE, or redirect standard output)" \
			"Try 'avrokit ${args%% *} --help'"
	done
}

@test "terminal: -o FILE, or the OUTPUT operand, writes the file while a terminal is standard output" {
	on_tty --out -- "$AVROKIT" cat -o "$TMP/cat.avro" "$DATA/weather.avro"
	expect_status 0
	[[ "$("$AVROKIT" tojson "$TMP/cat.avro")" == "$(cat "$DATA/weather.json")" ]] || ak_show "cat -o"
	on_tty --out -- "$AVROKIT" recodec "$DATA/weather.avro" "$TMP/rc.avro"
	expect_status 0
	[[ "$("$AVROKIT" tojson "$TMP/rc.avro")" == "$(cat "$DATA/weather.json")" ]] || ak_show "recodec"
	on_tty --out -- "$AVROKIT" repair -q -o "$TMP/rp.avro" "$DATA/weather.avro"
	expect_status 0
	[[ "$("$AVROKIT" tojson "$TMP/rp.avro")" == "$(cat "$DATA/weather.json")" ]] || ak_show "repair -o"
}

@test "terminal: text goes to a terminal as always (tojson, getschema, repair --report, count)" {
	on_tty --out -- "$AVROKIT" tojson --head 1 "$DATA/weather.avro"
	expect_status 0
	expect_output_is "$(head -n 1 "$DATA/weather.json")"
	on_tty --out -- "$AVROKIT" repair --report "$DATA/weather.avro"
	expect_status 0
	expect_output_is "$DATA/weather.avro: 10 records readable in 1 block; 0 damaged regions, 0 records lost"
	on_tty --out -- "$AVROKIT" count "$DATA/weather.avro"
	expect_status 0
	expect_output_is 10
}
