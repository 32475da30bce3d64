#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Run the CLI tests with every avrokit under valgrind's memcheck.
#
#   tests/valgrind/run.sh               every CLI suite (meson test --suite cli)
#   tests/valgrind/run.sh main tojson   only tests/cli/main.bats and tests/cli/tojson.bats
#   tests/valgrind/run.sh --unit ...    first the unit and API tests and fuzz corpus replays too
#                                       (each test program under memcheck, half a minute)
#
# Builds a plain debug avrokit (no sanitizers: they and valgrind do not mix) in build-vg (or
# AK_VG_BUILD), then runs the suites through meson with AK_VALGRIND=1: tests/cli/common.bash
# then points AVROKIT at tests/valgrind/avrokit-vg, which runs the binary under memcheck with
# --error-exitcode=99 (so a memory error fails the test that saw it) and a full leak check
# (memory definitely lost is an error). Tests that cannot work under valgrind skip, saying
# so (skip_under_valgrind in common.bash).
#
# valgrind writes one log per avrokit run to BUILD/valgrind-logs. A run ended by a signal
# (the SIGPIPE and SIGTERM tests) has no exit status to carry an error, so at the end every
# log is read: the run fails if any reports an error, and those logs are printed and kept
# (the others are removed). .ci/count-tests checks that each suite ran all of its tests and
# prints how many passed and skipped.
set -euo pipefail
cd "$(dirname "$0")/../.."

dir=${AK_VG_BUILD:-build-vg}
if ! command -v valgrind > /dev/null 2>&1; then
	echo "valgrind is not installed" >&2
	exit 1
fi
if [ ! -d "$dir" ]; then
	meson setup "$dir" -Dbuildtype=debug -Db_sanitize=none
else
	# (meson 1.0's setup --reconfigure leaves the b_ options as they were)
	meson configure "$dir" -Dbuildtype=debug -Db_sanitize=none
fi
ninja -C "$dir"

memcheck=(valgrind --error-exitcode=99 --leak-check=full --show-leak-kinds=definite
	--errors-for-leak-kinds=definite --num-callers=30)
if [ "${1:-}" = --unit ]; then
	shift
	# (meson logs this run as meson-logs/testlog-valgrind.*, apart from the CLI run's)
	meson test -C "$dir" --print-errorlogs --num-processes "${AK_VG_JOBS:-2}" \
		--timeout-multiplier 10 --wrapper "${memcheck[*]} -q" --suite unit --suite api --suite fuzz
fi

logs="$PWD/$dir/valgrind-logs"
rm -rf "$logs"
mkdir -p "$logs"
export AK_VALGRIND=1 AK_VG_LOGDIR="$logs"
unset AK_REAL

tests=()
for name in "$@"; do
	tests+=("cli-$name")
done
if [ ${#tests[@]} -eq 0 ]; then
	sel=(--suite cli)
else
	sel=("${tests[@]}")
fi
# meson's timeout for a .bats file is 600 s; memcheck makes avrokit some 20 times slower
# and adds most of a second to each run
status=0
meson test -C "$dir" --print-errorlogs --num-processes "${AK_VG_JOBS:-2}" \
	--timeout-multiplier "${AK_VG_TIMEOUT_MULTIPLIER:-4}" "${sel[@]}" |
	tee "$dir/valgrind-test.log" || status=$?
# every selected suite ran all of its tests (skipped ones included)
if [ "$status" -eq 0 ]; then
	select=$(IFS=,; echo "${tests[*]}")
	.ci/count-tests --only cli ${select:+--select "$select"} "$dir/meson-logs/testlog.json" ||
		status=$?
fi

# every log with errors, whether or not a test noticed
runs=$(find "$logs" -type f | wc -l)
bad=$(grep -rl 'ERROR SUMMARY: [1-9]' "$logs" || true)
if [ -n "$bad" ]; then
	for f in $bad; do
		echo "== $f"
		cat "$f"
	done
	echo "valgrind found errors in $(echo "$bad" | wc -l) of $runs avrokit runs" \
		"(logs above, kept in $logs)" >&2
	status=1
fi
# A log without a summary was cut short: by a file size limit (output-files.bats runs avrokit
# under `ulimit -f`) or by a kill -KILL. The exit status 99 still tells of an error there.
short=$({ grep -rL 'ERROR SUMMARY: ' "$logs" || true; } | wc -l)
if [ "$short" -gt 0 ]; then
	echo "valgrind: $short logs were cut short (file size limit, or killed)"
fi
# keep only the logs with errors
{ grep -rL 'ERROR SUMMARY: [1-9]' "$logs" || true; } | xargs -r rm -f
if [ "$status" -eq 0 ]; then
	echo "valgrind: no errors in $runs avrokit runs ($SECONDS s)"
fi
exit "$status"
