#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The top level of the program: --help, --version, help CMD, dispatch and its usage errors.

load common

@test "--help lists every command and exits 0" {
	run_ak --help
	expect_status 0
	expect_no_stderr
	[[ "${lines[0]}" == "Usage: avrokit COMMAND [OPTION]... [ARG]..." ]] || ak_show "usage line"
	for cmd in count getmeta getschema tojson; do
		printf '%s\n' "${lines[@]}" | grep -E "^  $cmd +[a-z]" >/dev/null ||
			ak_show "--help does not list $cmd"
	done
	[[ "${lines[-1]}" == *"See avrokit(1)."* ]] || ak_show "last line"
}

@test "-h is --help" {
	run_ak --help
	local long="$output"
	run_ak -h
	expect_status 0
	expect_no_stderr
	expect_output_is "$long"
}

@test "help with no command prints the same help" {
	run_ak --help
	local long="$output"
	run_ak help
	expect_status 0
	expect_no_stderr
	expect_output_is "$long"
}

@test "--version names the program and lists the codecs and libraries" {
	run_ak --version
	expect_status 0
	expect_no_stderr
	[[ "${lines[0]}" =~ ^avrokit\ [0-9]+\.[0-9]+\.[0-9]+$ ]] || ak_show "first line"
	[[ "${lines[1]}" == "codecs: "* ]] || ak_show "second line"
	# the codecs every build has; compare whole words
	local codecs=" ${lines[1]#codecs: } "
	for c in null deflate snappy; do
		[[ "$codecs" == *" $c "* ]] || ak_show "codec $c missing"
	done
	# the libraries, each with its version where it has one
	[[ "${lines[2]}" =~ ^libraries:\ jansson\ [0-9.]+\ zlib\ [0-9.]+(\ libdeflate\ [0-9.]+)?\ snappy ]] ||
		ak_show "third line"
	[[ "${#lines[@]}" -eq 3 ]] || ak_show "three lines"
}

@test "-V is --version" {
	run_ak --version
	local long="$output"
	run_ak -V
	expect_status 0
	expect_output_is "$long"
}

@test "--version matches the project version in meson.build" {
	local v
	v="$(sed -n "s/^[[:space:]]*version: '\([^']*\)',*$/\1/p" "$REPO/meson.build" | head -n 1)"
	[[ -n "$v" ]]
	run_ak --version
	expect_status 0
	[[ "${lines[0]}" == "avrokit $v" ]] || ak_show "expected avrokit $v"
}

@test "help tojson is tojson --help" {
	run_ak tojson --help
	expect_status 0
	local direct="$output"
	run_ak help tojson
	expect_status 0
	expect_no_stderr
	[[ "${lines[0]}" == "Usage: avrokit tojson [OPTION]... [FILE]..." ]] || ak_show "usage line"
	expect_output_is "$direct"
	for opt in --pretty --head --output --help; do
		[[ "$output" == *"$opt"* ]] || ak_show "help tojson does not mention $opt"
	done
}

@test "help for every command exits 0 and prints its usage" {
	local cmds
	cmds=$("$AVROKIT" --list-commands)
	[[ -n "$cmds" ]]
	for cmd in $cmds; do
		run_ak help "$cmd"
		expect_status 0
		expect_no_stderr
		[[ "${lines[0]}" == "Usage: avrokit $cmd "* ]] || ak_show "help $cmd"
	done
}

@test "no arguments is a usage error with the usage on stderr" {
	run_ak
	expect_status 2
	expect_no_output
	expect_stderr "Usage: avrokit COMMAND" "tojson"
}

@test "unknown command: exit 2 with a suggestion" {
	run_ak tojsn
	expect_status 2
	expect_no_output
	expect_stderr_is "avrokit: 'tojsn' is not an avrokit command. Did you mean 'tojson'?
Try 'avrokit --help' for the list of commands."
}

@test "unknown command far from any command: no suggestion" {
	run_ak frobnicate
	expect_status 2
	expect_no_output
	expect_stderr "'frobnicate' is not an avrokit command." "Try 'avrokit --help'"
	[[ "$stderr" != *"Did you mean"* ]] || ak_show "no suggestion expected"
}

@test "unknown command is not run on its file argument" {
	run_ak gettschema "$DATA/weather.avro"
	expect_status 2
	expect_no_output
	expect_stderr "Did you mean 'getschema'?"
}

@test "help for an unknown command is a usage error" {
	run_ak help tojsn
	expect_status 2
	expect_no_output
	expect_stderr "'tojsn' is not an avrokit command" "Did you mean 'tojson'?"
}

@test "unknown global option is a usage error" {
	run_ak --frobnicate
	expect_status 2
	expect_no_output
	expect_stderr "avrokit: unknown option '--frobnicate'" "Try 'avrokit --help'"
}

@test "--list-commands prints the commands, sorted, one per line" {
	run_ak --list-commands
	expect_status 0
	expect_no_stderr
	for cmd in count getmeta getschema tojson; do
		printf '%s\n' "${lines[@]}" | grep -qx "$cmd" || ak_show "$cmd not listed"
	done
	[[ "$output" == "$(printf '%s\n' "${lines[@]}" | LC_ALL=C sort -u)" ]] || ak_show "not sorted"
	# every listed command has help (avro-tools' names: lower case, idl2schemata has a digit)
	for cmd in "${lines[@]}"; do
		[[ "$cmd" =~ ^[a-z][a-z0-9]*$ ]] || ak_show "odd command name '$cmd'"
	done
}

# The options each command must have (more may come); "=" marks one that takes an argument.
expect_list_options() {
	local cmd="$1" want
	shift
	run_ak "$cmd" --list-options
	expect_status 0
	expect_no_stderr
	for want in "$@" "-h --help"; do
		printf '%s\n' "${lines[@]}" | grep -qxF -- "$want" ||
			ak_show "$cmd --list-options lacks '$want'"
	done
}

@test "CMD --list-options lists the options of each command" {
	expect_list_options tojson "-p --pretty" "-n --head=" "-o --output="
	expect_list_options getschema "-c --compact" "-r --raw" "-o --output="
	expect_list_options getmeta "-k --key=" "-o --output="
	expect_list_options count "-o --output="
}

@test "--help to a full disk: exit 1, No space left" {
	run_sh '"$AVROKIT" --help > /dev/full'
	expect_status 1
	expect_stderr "No space left on device"
}

@test "--version to a full disk: exit 1, No space left" {
	run_sh '"$AVROKIT" --version > /dev/full'
	expect_status 1
	expect_stderr "No space left on device"
}

@test "tojson --help to a full disk: exit 1, No space left" {
	run_sh '"$AVROKIT" tojson --help > /dev/full'
	expect_status 1
	expect_stderr "avrokit tojson: " "No space left on device"
}

@test "--help | head -1 ends quietly" {
	run_sh '"$AVROKIT" --help | head -n 1'
	expect_status 0
	expect_no_stderr
	expect_output_is "Usage: avrokit COMMAND [OPTION]... [ARG]..."
}
