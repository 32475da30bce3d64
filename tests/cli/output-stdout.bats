#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# Output safety on standard output: the table of commands (output.bash) against the
# program, a full disk (/dev/full), and a reader that goes away (`| head -c 1`).
# The table of commands and the helpers are in output.bash.
#
#   AVROKIT=$PWD/build/src/cli/avrokit bats tests/cli/output-stdout.bats

load common
load output

# ======================================================================================
# the table
# ======================================================================================

@test "output: the table has every command of --list-commands, and each one's output option" {
	local cmd help want
	run_ak --list-commands
	expect_status 0
	[[ "$(echo $output)" == "$(echo $COMMANDS)" ]] ||
		ak_show "--list-commands differs from the table in output.bash: add the new command to spec"
	for cmd in $COMMANDS; do
		spec "$cmd"
		help="$("$AVROKIT" "$cmd" --help)"
		# (recodec and repair take -o too; the table tests their OUTPUT operand)
		if [[ "$help" == "Usage: avrokit $cmd [OPTION]... [INPUT [OUTPUT]]"* ]]; then
			want=arg
		elif [[ "$help" == "Usage: avrokit $cmd [OPTION]... INPUT [OUTDIR]"* ]]; then
			want=dir
		elif [[ "$help" == *"-o, --output FILE"* ]]; then
			want=-o
		else
			want=none
		fi
		[[ "$OUT" == "$want" ]] || problem "$cmd: the table says OUT=$OUT, --help says $want"
	done
	check_problems
}

@test "output: every command's SMALL and BIG runs succeed, BIG writing more than 128 KiB" {
	local cmd n
	for cmd in $COMMANDS; do
		spec "$cmd"
		[[ "$OUT" != dir ]] || continue
		"$AVROKIT" "$cmd" "${SMALL[@]}" > "$TMP/small.out" 2> "$TMP/small.err" && status=0 || status=$?
		[[ "$status" -eq "$RC_SMALL" ]] ||
			problem "$cmd SMALL: exit status $status: $(head -c 300 "$TMP/small.err")"
		[[ -s "$TMP/small.out" ]] || problem "$cmd SMALL: no output"
		"$AVROKIT" "$cmd" "${BIG[@]}" > "$TMP/big.out" 2> "$TMP/big.err" && status=0 || status=$?
		[[ "$status" -eq "$RC_BIG" ]] ||
			problem "$cmd BIG: exit status $status: $(head -c 300 "$TMP/big.err")"
		n="$(stat -c %s "$TMP/big.out")"
		# count prints one number, whatever its input
		[[ "$cmd" == count || "$n" -gt 131072 ]] || problem "$cmd BIG: only $n bytes of output"
	done
	check_problems
}

# ======================================================================================
# a full disk
# ======================================================================================

@test "output: CMD > /dev/full, every command, little and much output: exit 1, one message" {
	local cmd
	for cmd in $COMMANDS; do
		spec "$cmd"
		[[ "$OUT" != dir ]] || continue
		run_sh '"$AVROKIT" "$@" > /dev/full' _ "$cmd" "${SMALL[@]}"
		one_error "$(shown "$cmd" "${SMALL[@]}") > /dev/full" "$cmd" devfull-prefix \
			"No space left on device"
		run_sh '"$AVROKIT" "$@" > /dev/full' _ "$cmd" "${BIG[@]}"
		one_error "$(shown "$cmd" "${BIG[@]}") > /dev/full" "$cmd" devfull-prefix \
			"No space left on device"
	done
	check_problems
}

@test "output: /dev/full as the output file (-o /dev/full, OUTPUT): exit 1, one message" {
	local cmd
	for cmd in $(file_commands); do
		spec "$cmd"
		with_output /dev/full "${SMALL[@]}"
		run_ak "$cmd" "${ARGV[@]}"
		one_error "$(shown "$cmd" "${ARGV[@]}")" "$cmd" - "/dev/full" "No space left on device"
		with_output /dev/full "${BIG[@]}"
		run_ak "$cmd" "${ARGV[@]}"
		one_error "$(shown "$cmd" "${ARGV[@]}")" "$cmd" - "/dev/full" "No space left on device"
	done
	check_problems
}

@test "output: --help and --list-options of every command > /dev/full: exit 1" {
	local cmd p keep
	for cmd in $COMMANDS; do
		run_sh '"$AVROKIT" "$1" --help > /dev/full' _ "$cmd"
		one_error "$cmd --help > /dev/full" "$cmd" - "No space left on device"
		if is_bug help-one-line "$cmd"; then
			# one_error's complaint about the second line is the known bug
			keep=()
			for p in "${problems[@]}"; do
				[[ "$p" == "$cmd --help > /dev/full: more than one line"* ]] || keep+=("$p")
			done
			problems=("${keep[@]}")
		fi
		run_sh '"$AVROKIT" "$1" --list-options > /dev/full' _ "$cmd"
		[[ "$status" -eq 1 ]] || problem "$cmd --list-options > /dev/full: exit status $status"
		[[ "$stderr" == "avrokit"*"No space left on device" && "$stderr" != *$'\n'* ]] ||
			problem "$cmd --list-options > /dev/full: stderr: $stderr"
	done
	check_problems
}

@test "output: --help, --version and --list-commands > /dev/full: exit 1, one message" {
	local opt
	for opt in --help --version --list-commands; do
		run_sh '"$AVROKIT" "$1" > /dev/full' _ "$opt"
		[[ "$status" -eq 1 ]] || problem "$opt > /dev/full: exit status $status"
		[[ "$stderr" == "avrokit: "*"No space left on device" && "$stderr" != *$'\n'* ]] ||
			problem "$opt > /dev/full: stderr: $stderr"
	done
	check_problems
}

@test "output: checkschema -v and compatible > /dev/full name the command" {
	local cmd
	for cmd in checkschema compatible; do
		spec "$cmd"
		run_sh '"$AVROKIT" "$@" > /dev/full' _ "$cmd" "${SMALL[@]}"
		one_error "$cmd > /dev/full" "$cmd" - "No space left on device"
	done
	check_problems
}

@test "output: CMD --help > /dev/full prints one message" {
	local cmd
	for cmd in $COMMANDS; do
		run_sh '"$AVROKIT" "$1" --help > /dev/full' _ "$cmd"
		one_error "$cmd --help > /dev/full" "$cmd" - "No space left on device"
	done
	check_problems
}

# ======================================================================================
# a reader that goes away
# ======================================================================================

# quiet_pipe WHAT CMD ARGS...: `CMD ARGS | head -c 1`: exit 0 or SIGPIPE (141) (or the
# command's own status RC, when it wrote everything before head left), nothing on stderr
quiet_pipe() {
	local what="$1" rc="$2" st
	shift 2
	"$AVROKIT" "$@" 2> "$TMP/pipe.err" | head -c 1 > "$TMP/pipe.out"
	st=${PIPESTATUS[0]}
	[[ "$st" -eq 0 || "$st" -eq 141 || "$st" -eq "$rc" ]] || problem "$what: exit status $st"
	[[ ! -s "$TMP/pipe.err" ]] || problem "$what: stderr: $(head -c 300 "$TMP/pipe.err")"
	[[ "$(stat -c %s "$TMP/pipe.out")" -eq 1 ]] || problem "$what: head got no byte"
}

@test "output: CMD | head -c 1, every command: no message, exit 0 or SIGPIPE" {
	local cmd
	for cmd in $COMMANDS; do
		spec "$cmd"
		[[ "$OUT" != dir ]] || continue
		quiet_pipe "$(shown "$cmd" "${BIG[@]}") | head -c 1" "$RC_BIG" "$cmd" "${BIG[@]}"
		quiet_pipe "$(shown "$cmd" "${SMALL[@]}") | head -c 1" "$RC_SMALL" "$cmd" "${SMALL[@]}"
	done
	check_problems
}

@test "output: CMD | head -c 1 with SIGPIPE ignored (EPIPE), every command: no message" {
	local cmd
	trap '' PIPE
	for cmd in $COMMANDS; do
		spec "$cmd"
		[[ "$OUT" != dir ]] || continue
		quiet_pipe "(SIGPIPE ignored) $(shown "$cmd" "${BIG[@]}") | head -c 1" "$RC_BIG" \
			"$cmd" "${BIG[@]}"
	done
	trap - PIPE
	check_problems
}

@test "output: --help of every command | head -c 1: no message" {
	local cmd
	for cmd in $COMMANDS; do
		quiet_pipe "$cmd --help | head -c 1" 0 "$cmd" --help
	done
	check_problems
}
