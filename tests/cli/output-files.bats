#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# Output files (-o FILE, or the OUTPUT argument): a missing directory, replacement on
# success, and failures part way, which keep the old file and leave no other.
# The table of commands and the helpers are in output.bash.
#
#   AVROKIT=$PWD/build/src/cli/avrokit bats tests/cli/output-files.bats

load common
load output

# ======================================================================================
# output files
# ======================================================================================

@test "output: an output file in a directory that does not exist: exit 1, one message" {
	local cmd
	for cmd in $(file_commands); do
		spec "$cmd"
		mkdir "$TMP/$cmd"
		with_output "$TMP/$cmd/nodir/out" "${SMALL[@]}"
		run_ak "$cmd" "${ARGV[@]}"
		one_error "$(shown "$cmd" "${ARGV[@]}")" "$cmd" - "$TMP/$cmd/nodir/out" \
			"No such file or directory"
		dir_is "$TMP/$cmd" "$cmd into a missing directory" ""
		# and relative to the working directory
		with_output nodir/out "${SMALL[@]}"
		cd "$TMP/$cmd"
		run_ak "$cmd" "${ARGV[@]}"
		cd "$TMP"
		one_error "$cmd ... nodir/out" "$cmd" - "nodir/out" "No such file or directory"
		if ! is_bug nodir-once "$cmd"; then
			[[ "$stderr" != *"nodir/out"*"nodir/out"* ]] ||
				problem "$cmd ... nodir/out: the message names the file twice: $stderr"
		fi
		dir_is "$TMP/$cmd" "$cmd into a missing directory" ""
	done
	check_problems
}

@test "output: the message for an output file that cannot be created names its directory" {
	local cmd
	: > "$TMP/plain"
	for cmd in $(file_commands); do
		spec "$cmd"
		with_output "$TMP/no/such/dir/out" "${SMALL[@]}"
		run_ak "$cmd" "${ARGV[@]}"
		one_error "$(shown "$cmd" "${ARGV[@]}")" "$cmd" - \
			"avrokit $cmd: $TMP/no/such/dir/out: cannot write into the directory $TMP/no/such/dir: No such file or directory"
		[[ "$stderr" != *temporary* ]] || problem "$cmd: the message speaks of a temporary file"
		with_output "$TMP/plain/out" "${SMALL[@]}"
		run_ak "$cmd" "${ARGV[@]}"
		one_error "$(shown "$cmd" "${ARGV[@]}")" "$cmd" - \
			"avrokit $cmd: $TMP/plain/out: cannot write into the directory $TMP/plain: Not a directory"
	done
	# a name without a slash, in a working directory that was removed (avrokit itself:
	# under valgrind the wrapper, a shell script, complains of the directory first)
	mkdir "$TMP/gone"
	cd "$TMP/gone"
	rmdir "$TMP/gone"
	run --separate-stderr "${AK_REAL:-$AVROKIT}" cat -o out.avro "$DATA/weather.avro"
	cd "$TMP"
	one_error "cat -o out.avro in a removed directory" cat - \
		"avrokit cat: out.avro: cannot write into the current directory: No such file or directory"
	check_problems
}

@test "output: a missing output directory is named once in the message" {
	local cmd
	for cmd in blocks cat concat fromjson fromtext getmeta getschema recodec repair totext; do
		spec "$cmd"
		mkdir "$TMP/$cmd"
		cd "$TMP/$cmd"
		with_output nodir/out "${SMALL[@]}"
		run_ak "$cmd" "${ARGV[@]}"
		[[ "$stderr" == "avrokit $cmd: nodir/out: "* && "$stderr" != *"nodir/out"*"nodir/out"* ]] ||
			problem "$cmd: $stderr"
	done
	check_problems
}

@test "output: success replaces the output file: same bytes as standard output, mode kept" {
	local cmd
	for cmd in $(file_commands); do
		spec "$cmd"
		mkdir "$TMP/$cmd"
		"$AVROKIT" "$cmd" "${BIG[@]}" > "$TMP/$cmd.want" || problem "$cmd: exit status $?"
		echo old > "$TMP/$cmd/out"
		chmod 640 "$TMP/$cmd/out"
		# a hard link keeps the old bytes when the file is replaced by a rename, and sees
		# them overwritten when the file is rewritten in place
		ln "$TMP/$cmd/out" "$TMP/$cmd/link"
		with_output "$TMP/$cmd/out" "${BIG[@]}"
		run_ak "$cmd" "${ARGV[@]}"
		[[ "$status" -eq 0 ]] || { problem "$cmd -> out: exit status $status: $stderr"; continue; }
		[[ -z "$stderr" ]] || problem "$cmd -> out: stderr: $stderr"
		[[ -z "$output" ]] || problem "$cmd -> out: writes to standard output too"
		cmp -s "$TMP/$cmd.want" "$TMP/$cmd/out" ||
			problem "$cmd -> out: the file differs from the standard output of the same run"
		is_old "$TMP/$cmd/link" || problem "$cmd -> out: rewritten in place"
		[[ "$(stat -c %a "$TMP/$cmd/out")" == 640 ]] ||
			problem "$cmd -> out: mode $(stat -c %a "$TMP/$cmd/out"), not the old file's 640"
		dir_is "$TMP/$cmd" "$cmd -> out" $'link\nout'
		# a new file
		with_output "$TMP/$cmd/new" "${SMALL[@]}"
		run_ak "$cmd" "${ARGV[@]}"
		[[ "$status" -eq 0 && -s "$TMP/$cmd/new" ]] || problem "$cmd -> new: exit status $status"
		dir_is "$TMP/$cmd" "$cmd -> new" $'link\nnew\nout'
	done
	check_problems
}

@test "output: a run that fails after writing keeps the old output file, leaves no other" {
	local cmd n=0
	for cmd in $(file_commands); do
		spec "$cmd"
		((${#PART[@]})) || continue
		n=$((n + 1))
		mkdir "$TMP/$cmd"
		# standard output: the command did write before it failed
		if [[ "$cmd" != count ]]; then
			"$AVROKIT" "$cmd" "${PART[@]}" 2> /dev/null > "$TMP/$cmd.part" && problem "$cmd PART: exit status 0"
			[[ -s "$TMP/$cmd.part" ]] || problem "$(shown "$cmd" "${PART[@]}"): no output before failing"
		fi
		echo old > "$TMP/$cmd/out"
		with_output "$TMP/$cmd/out" "${PART[@]}"
		run_ak "$cmd" "${ARGV[@]}"
		one_error "$(shown "$cmd" "${ARGV[@]}")" "$cmd" -
		is_old "$TMP/$cmd/out" || problem "$cmd PART: the old output file was changed"
		dir_is "$TMP/$cmd" "$cmd PART" out
		# no old file: none is left
		rm "$TMP/$cmd/out"
		run_ak "$cmd" "${ARGV[@]}"
		[[ "$status" -eq 1 ]] || problem "$cmd PART: exit status $status"
		dir_is "$TMP/$cmd" "$cmd PART (no old file)" ""
	done
	[[ "$n" -ge 9 ]] || problem "only $n commands have a PART run"
	check_problems
}

@test "output: a write error part way (file size limit) keeps the old file, leaves no other" {
	local cmd
	for cmd in $(file_commands); do
		spec "$cmd"
		# count writes a few bytes: it cannot reach the limit
		[[ "$cmd" != count ]] || continue
		mkdir "$TMP/$cmd"
		echo old > "$TMP/$cmd/out"
		with_output "$TMP/$cmd/out" "${BIG[@]}"
		# 16 KiB: BIG writes far more. SIGXFSZ ignored, so a write past the limit fails with
		# EFBIG (and the ignored disposition goes through exec)
		run_sh 'trap "" XFSZ; ulimit -f 16; exec "$AVROKIT" "$@"' _ "$cmd" "${ARGV[@]}"
		if is_bug write-error-name "$cmd"; then
			one_error "$(shown "$cmd" "${ARGV[@]}") (16 KiB limit)" "$cmd" - "File too large"
		else
			one_error "$(shown "$cmd" "${ARGV[@]}") (16 KiB limit)" "$cmd" - \
				"avrokit $cmd: $TMP/$cmd/out: " "File too large"
		fi
		is_old "$TMP/$cmd/out" || problem "$cmd: the old output file was changed"
		dir_is "$TMP/$cmd" "$cmd (16 KiB limit)" out
	done
	check_problems
}

@test "output: cat's and repair's write errors name the output file, not the input" {
	run_sh 'trap "" XFSZ; ulimit -f 16; exec "$AVROKIT" repair -q "$1" "$2"' _ "$FX/big.avro" "$TMP/out"
	expect_status 1
	expect_stderr "avrokit repair: $TMP/out: " "File too large"
	run_sh 'trap "" XFSZ; ulimit -f 16; exec "$AVROKIT" cat -o "$2" "$1"' _ "$FX/big.avro" "$TMP/out"
	expect_status 1
	expect_stderr "avrokit cat: $TMP/out: " "File too large"
}
