#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# Every reading command on every file of the third-party corpus (../shared/corpus, or
# AK_CORPUS; skipped, saying so, when it is missing): exit 0 or 1 with a message naming the
# file, never a crash; files without the Obj 1 magic are rejected. (A file of its own:
# over a thousand runs, half a minute under AddressSanitizer. The other corpus tests are
# in interop.bats.)
#
#   AVROKIT=$PWD/build/src/cli/avrokit bats tests/cli/interop-crash.bats

load common

setup() {
	ak_setup
	AK_CORPUS="${AK_CORPUS:-$BATS_TEST_DIRNAME/../../../shared/corpus}"
	problems=()
}

need_corpus() {
	[[ -d "$AK_CORPUS" ]] || skip "corpus not found at $AK_CORPUS"
}

# Every command reads every container file. Most corpus files are not containers (222 files,
# 26 containers): all the commands reject those at the same magic check of the shared
# header reader, so each of them is given to one command in turn (each command still sees
# some forty), which keeps the file at a few hundred runs instead of over a thousand.
@test "corpus: no command crashes on any corpus file; files without the Obj 1 magic are rejected" {
	need_corpus
	local f cmd magic n=0 k=0 cmds
	local -a all=(tojson count getschema getmeta "tojson --pretty")
	while IFS= read -r -d '' f; do
		n=$((n + 1))
		magic="$(head -c 4 "$f" | od -An -tx1 | tr -d ' \n')"
		cmds=("${all[@]}")
		if [[ "$magic" != 4f626a01 ]]; then
			cmds=("${all[k % ${#all[@]}]}")
			k=$((k + 1))
		fi
		for cmd in "${cmds[@]}"; do
			# (run directly, not with bats' run, which costs three times as much)
			status=0
			# shellcheck disable=SC2086
			"$AVROKIT" $cmd "$f" > /dev/null 2> "$TMP/err" || status=$?
			stderr=
			read -r -d '' stderr < "$TMP/err" || true
			stderr=${stderr%$'\n'}
			if ((status >= 128)); then
				problem "$cmd $f: killed by signal $((status - 128))"
			elif [[ "$status" -ne 0 && "$status" -ne 1 ]]; then
				problem "$cmd $f: exit $status"
			elif [[ "$status" -eq 1 && "$stderr" != "avrokit ${cmd%% *}: $f: "* ]]; then
				problem "$cmd $f: exit 1 with a message not naming the file: $stderr"
			elif [[ "$magic" != 4f626a01 && ("$status" -ne 1 || "$stderr" != *"not an Avro data file"*) ]]; then
				problem "$cmd $f: not a container, but exit $status, stderr: $stderr"
			fi
		done
	done < <(find "$AK_CORPUS" -type f -print0)
	((n >= 100)) || problem "only $n corpus files found"
	check_problems
}
