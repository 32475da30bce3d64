#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# What avrokit does when a person is at a terminal: it refuses to write Avro binary data to
# one, says what it is waiting for when it would read one, and shows progress on one. The
# terminal is a pseudo-terminal that tests/cli/ptyrun.py puts on the chosen standard streams.
#
#   AVROKIT=$PWD/build/src/cli/avrokit bats tests/cli/terminal.bats

load common

# on_tty [--in] [--out] [--err] [--eof] -- CMD ARGS...: run CMD with those streams on a
# terminal; $output is what the terminal showed (carriage returns taken out; on_tty_raw
# keeps them), $stderr what went to standard error when it is not the terminal
on_tty_raw() {
	local i
	run --separate-stderr python3 "$BATS_TEST_DIRNAME/ptyrun.py" "$@"
}

on_tty() {
	on_tty_raw "$@"
	output="${output//$'\r'/}"
}

# ---- no binary data on a terminal ----

@test "terminal: every command that writes a data file refuses a terminal as standard output" {
	local args
	printf '%s\n' '{"a":1}' > "$TMP/in.json"
	for args in "cat $DATA/weather.avro" "concat $DATA/weather.avro $DATA/weather.avro" \
		"recodec $DATA/weather.avro" "recodec -c deflate $DATA/weather.avro -" \
		"repair $DATA/weather.avro" "cat -o - $DATA/weather.avro" \
		"fromtext $DATA/weather.json" "fromtext -c deflate $DATA/weather.json -" \
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

# ---- the hint when standard input is a terminal ----

@test "terminal: tojson and fromjson with a terminal as standard input say so on standard error, and read it" {
	# ^D at once: tojson reads an empty input, which is not a data file
	on_tty --in --eof -- "$AVROKIT" tojson
	expect_status 1
	expect_stderr_is "avrokit tojson: reading an Avro data file from standard input, which is a terminal (give a FILE, or end the input with Ctrl-D)
avrokit tojson: (standard input): empty input: not an Avro data file"
	on_tty --in --eof -- "$AVROKIT" tojson -
	expect_stderr "reading an Avro data file from standard input, which is a terminal"
	# fromjson: no records, a valid empty file
	on_tty --in --eof -- "$AVROKIT" fromjson -s '"int"' -o "$TMP/e.avro"
	expect_status 0
	expect_stderr_is "avrokit fromjson: reading JSON records from standard input, which is a terminal (give a FILE, or end the input with Ctrl-D)"
	[[ "$("$AVROKIT" count "$TMP/e.avro")" == 0 ]]
	# no hint from a file or a pipe
	run_ak tojson - < "$DATA/weather.avro"
	expect_status 0
	expect_no_stderr
	on_tty --in --eof -- "$AVROKIT" tojson "$DATA/weather.avro"
	expect_status 0
	expect_no_stderr
}

# ---- progress ----

# progress_lines CMD: every line of $stderr is a progress line of CMD
progress_lines() {
	local l
	[[ -n "$stderr" ]] || ak_show "expected progress lines"
	while IFS= read -r l; do
		[[ "$l" =~ ^avrokit\ $1:\ [0-9]+\ records?,\ [0-9.]+\ (B|KiB|MiB|GiB)\ read ]] ||
			ak_show "not a progress line: $l"
	done <<< "$stderr"
}

@test "terminal: --progress into a file: plain lines, the last with the totals" {
	local cmd
	run_ak tojson --progress "$DATA/multiblock.avro"
	expect_status 0
	expect_output_file "$DATA/multiblock.json"
	progress_lines tojson
	# the first block at once (50 records, 639 bytes of 4326), and the totals at the end
	[[ "${stderr%%$'\n'*}" == "avrokit tojson: 50 records, 639 B read, 14%" ]] || ak_show "first line"
	[[ "${stderr##*$'\n'}" =~ ^avrokit\ tojson:\ 300\ records,\ 3\.7\ KiB\ read\ in\ [0-9]+\.[0-9]\ s ]] ||
		ak_show "last line"
	for cmd in "cat --progress -o $TMP/c.avro" "concat --progress -o $TMP/c.avro" \
		"recodec --progress -o $TMP/c.avro" "repair -q --progress -o $TMP/c.avro" \
		"repair --report --progress"; do
		# shellcheck disable=SC2086
		run_ak $cmd "$DATA/multiblock.avro"
		[[ "$status" -eq 0 ]] || ak_show "$cmd: exit status"
		progress_lines "${cmd%% *}"
		[[ "${stderr##*$'\n'}" == "avrokit ${cmd%% *}: 300 records, "* ]] || ak_show "$cmd: last line"
	done
	run_ak fromjson --progress -f "$DATA/multiblock.avro" -o "$TMP/f.avro" "$DATA/multiblock.json"
	expect_status 0
	progress_lines fromjson
	[[ "${stderr##*$'\n'}" == "avrokit fromjson: 300 records, $(stat -c %s "$DATA/multiblock.json" | awk '{ printf "%.1f KiB", $1 / 1024 }') read in "* ]] ||
		ak_show "fromjson: last line"
	# from a pipe: no percentage
	run_sh 'cat "$DATA/multiblock.avro" | "$AVROKIT" cat --progress -o "$1"' x "$TMP/p.avro"
	expect_status 0
	[[ "$stderr" != *%* ]] || ak_show "a percentage without a known size"
}

@test "terminal: no progress into a file or a pipe unless asked, none with --quiet or -q" {
	local cmd
	for cmd in tojson "cat -o $TMP/c.avro" "concat -o $TMP/c.avro" "recodec -o $TMP/c.avro"; do
		# shellcheck disable=SC2086
		run_ak $cmd "$DATA/multiblock.avro"
		expect_status 0
		expect_no_stderr
		# shellcheck disable=SC2086
		run_ak $cmd --progress --quiet "$DATA/multiblock.avro"
		expect_no_stderr
		# shellcheck disable=SC2086
		run_ak $cmd --progress -q "$DATA/multiblock.avro"
		expect_no_stderr
	done
	run_ak repair --progress -q -o "$TMP/r.avro" "$DATA/multiblock.avro"
	expect_status 0
	expect_no_stderr
	# the last one given wins
	run_ak tojson -q --progress "$DATA/weather.avro"
	progress_lines tojson
}

@test "terminal: progress on a terminal is one line rewritten in place, erased at the end" {
	# (--progress: at the first block, not after a second, so that the test need not wait)
	on_tty_raw --err -- "$AVROKIT" cat --progress -o "$TMP/c.avro" "$DATA/multiblock.avro"
	expect_status 0
	[[ "$output" == $'\ravrokit cat: 50 records, 639 B read, 14%\e[K'*$'\r\e[K' ]] ||
		ak_show "terminal: $(printf '%q' "$output")"
	[[ "$output" != *$'\n'* ]] || ak_show "a new line on the terminal"
	[[ "$("$AVROKIT" count "$TMP/c.avro")" == 300 ]]
	# a message erases the line first
	head -c 3000 "$DATA/multiblock.avro" > "$TMP/cut.avro"
	on_tty_raw --err -- "$AVROKIT" tojson --progress -o "$TMP/t.json" "$TMP/cut.avro"
	expect_status 1
	[[ "$output" == $'\ravrokit tojson: '*$'\r\e[Kavrokit tojson: '"$TMP/cut.avro: block 3 "*$'\r' ]] ||
		ak_show "terminal: $(printf '%q' "$output")"
	# a short run on a terminal shows nothing, and neither does one whose output is the
	# terminal itself
	on_tty --err -- "$AVROKIT" cat -o "$TMP/c.avro" "$DATA/multiblock.avro"
	expect_status 0
	expect_no_output
	on_tty --out --err -- "$AVROKIT" tojson "$DATA/weather.avro"
	expect_status 0
	[[ "$output" == "$(cat "$DATA/weather.json")" ]] || ak_show "tojson on a terminal"
}
