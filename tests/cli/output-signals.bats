#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# Signals while an output file is being written: SIGTERM, SIGINT and SIGHUP end the command
# with the signal's status, and leave the old output file as it was and no temporary file.
# The table of commands and the helpers are in output.bash.
#
# Each wait is for something the kernel shows, polled every 20 ms, never a pause that guesses
# how long a step takes (a guess that fails on a loaded machine, or wastes time on a quiet
# one): the temporary file appearing, the signal's disposition in /proc/PID/status, the
# command blocked reading the FIFO (/proc/PID/syscall) once the feeder has written it all,
# the process gone. AK_SIGNAL_LIMIT (seconds, default 60, 300 under valgrind) bounds each
# wait, so a command that never gets there fails instead of hanging.
#
#   AVROKIT=$PWD/build/src/cli/avrokit bats tests/cli/output-signals.bats

load common
load output

# until_event SECONDS CHECK ARGS...: run CHECK ARGS (cheap: builtins only) every 20 ms until
# it succeeds; 1 when SECONDS pass first
until_event() {
	local limit="$1" start=$SECONDS
	shift
	until "$@"; do
		((SECONDS - start < limit)) || return 1
		sleep 0.02
	done
}

# has_tmp DIR: a temporary output file (".NAME.avrokit-XXXXXX") is in DIR
has_tmp() {
	compgen -G "$1/.*.avrokit-*" > /dev/null
}

# takes_signal PID SIGNUM: PID does not ignore the signal (SigIgn, a hex mask, in
# /proc/PID/status), or is gone (what follows reports that)
takes_signal() {
	local key val
	[[ -r "/proc/$1/status" ]] || return 0
	while read -r key val; do
		if [[ "$key" == SigIgn: ]]; then
			(((16#$val >> ($2 - 1)) & 1)) && return 1
			return 0
		fi
	done < "/proc/$1/status" 2> /dev/null
	return 0
}

# waits_for_input PID FIFO FEEDER: the feeder has written all of its input into FIFO and PID
# is blocked reading FIFO, so it has read all of it (a read blocks only on an empty pipe).
# Without /proc/PID/syscall, the feeder being done is what is known.
waits_for_input() {
	local pid="$1" fifo="$2" feeder="$3" f sc
	! kill -0 "$feeder" 2> /dev/null || return 1
	kill -0 "$pid" 2> /dev/null || return 0
	[[ -r /proc/self/syscall ]] || return 0
	for f in "/proc/$pid/fd/"*; do
		[[ "$f" -ef "$fifo" ]] || continue
		read -r -a sc < "/proc/$pid/syscall" 2> /dev/null || return 1
		# "NR FD ...": blocked in a system call whose first argument is the FIFO's descriptor
		[[ "${sc[0]}" =~ ^[0-9]+$ ]] && (($((sc[1])) == ${f##*/})) && return 0
	done
	return 1
}

# gone PID: PID has ended
gone() {
	! kill -0 "$1" 2> /dev/null
}

# interrupt SIGNAL CMD OLD: run CMD writing DIR/out from a FIFO that is fed its input and
# kept open, kill it with SIGNAL while it waits for more, and check that it died by the
# signal and that DIR holds only the old file (OLD=1) or nothing (OLD=0)
interrupt() {
	local sig="$1" cmd="$2" old="$3" d="$TMP/$2-$1" fifo="$TMP/$2-$1.fifo"
	local a args=() pid feeder w st signum limit=${AK_SIGNAL_LIMIT:-60}
	[[ -z "${AK_VALGRIND:-}" ]] || limit=${AK_SIGNAL_LIMIT:-300}
	signum="$(kill -l "$sig")"
	spec "$cmd"
	mkdir "$d"
	mkfifo "$fifo"
	[[ "$old" == 0 ]] || echo old > "$d/out"
	for a in "${SIG[@]}"; do
		[[ "$a" == @IN ]] && a="$fifo"
		args+=("$a")
	done
	with_output "$d/out" "${args[@]}"
	# a background job of a shell without job control starts with SIGINT ignored
	env --default-signal=INT "$AVROKIT" "$cmd" "${ARGV[@]}" > "$TMP/sig.out" 2> "$TMP/sig.err" 3>&- &
	pid=$!
	# read-write: opening does not wait for the reader, and writing never meets EPIPE
	exec {w}<> "$fifo"
	cat "$FEED" >&$w 3>&- &
	feeder=$!
	# a streaming command has its temporary file open while input still comes; the others
	# are killed once they have read all they were given and wait for more
	if [[ "$STREAM" == 1 ]]; then
		until_event "$limit" has_tmp "$d" ||
			problem "$cmd: no temporary file appeared while the input was coming: $(cat "$TMP/sig.err")"
	else
		until_event "$limit" waits_for_input "$pid" "$fifo" "$feeder" ||
			problem "$cmd: did not read all of its input within $limit s"
	fi
	# until env has put SIGINT back to its default, the signal would be lost
	until_event "$limit" takes_signal "$pid" "$signum" ||
		problem "$cmd: SIG$sig still ignored after $limit s"
	kill -s "$sig" "$pid"
	if ! until_event "$limit" gone "$pid"; then
		kill -KILL "$pid"
		problem "$cmd: still running $limit s after SIG$sig"
	fi
	wait "$pid" && st=0 || st=$?
	kill "$feeder" 2> /dev/null || true
	wait "$feeder" || true
	exec {w}>&-
	[[ "$st" -eq $((128 + signum)) ]] ||
		problem "$cmd: exit status $st after SIG$sig, not $((128 + signum)): $(cat "$TMP/sig.err")"
	if [[ "$old" == 1 ]]; then
		dir_is "$d" "$cmd killed by SIG$sig" out
		is_old "$d/out" || problem "$cmd: the old file was changed"
	else
		dir_is "$d" "$cmd killed by SIG$sig" ""
	fi
}

@test "output: SIGTERM while writing an output file: no temporary file left, the old one kept" {
	local cmd
	for cmd in $(file_commands); do
		interrupt TERM "$cmd" 1
	done
	check_problems
}

@test "output: SIGINT while writing an output file: no file left" {
	local cmd
	for cmd in $(file_commands); do
		interrupt INT "$cmd" 0
	done
	check_problems
}

@test "output: SIGHUP while writing an output file: the old one kept" {
	local cmd
	for cmd in $(file_commands); do
		spec "$cmd"
		[[ "$STREAM" == 1 ]] || continue
		interrupt HUP "$cmd" 1
	done
	check_problems
}
