#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A/B benchmark of two avrokit binaries on the same data: did a change make the command-line
# tool slower? Both binaries run in the same hyperfine invocation for each workload, one after
# the other, so a busy machine slows both alike; the ratio OLD/NEW is what to read (above 1:
# NEW is faster). Instruction counts under callgrind, when valgrind is installed, give a
# second, load-independent answer for the -j1 workloads (--callgrind).
#
#   bench/compare.sh [--records N] [--runs N] [--callgrind] [--no-time] OLD NEW
#
# OLD and NEW are avrokit binaries, or git revisions, which are built (release, no tests)
# in bench/out/compare-REV. Data comes from bench/gen.py into bench/out/compare-data (kept).
# Prints a Markdown table on standard output; hyperfine's JSON is kept in bench/out/.
# --no-time leaves out the hyperfine runs (with --callgrind: instruction counts only, which a
# busy machine does not disturb).
set -euo pipefail
cd "$(dirname "$0")/.."

records=1000000
runs=5
callgrind=0
timed=1
while [ $# -gt 0 ]; do
	case $1 in
	--records) records=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--callgrind) callgrind=1; shift ;;
	--no-time) timed=0; shift ;;
	-h | --help) sed -n '3,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "compare.sh: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
if [ $# -ne 2 ]; then
	echo "usage: bench/compare.sh [--records N] [--runs N] [--callgrind] [--no-time] OLD NEW" >&2
	exit 2
fi
command -v hyperfine >/dev/null || { echo "compare.sh: hyperfine is not installed" >&2; exit 1; }
out=bench/out
mkdir -p "$out"

# binary REV-OR-PATH: the path of an avrokit binary for it
binary() {
	local rev=$1 dir
	if [ -x "$rev" ] && [ ! -d "$rev" ]; then
		realpath "$rev"
		return
	fi
	dir=$out/compare-$(git rev-parse --short "$rev")
	if [ ! -x "$dir/build/src/cli/avrokit" ]; then
		rm -rf "$dir"
		git worktree add -f --detach "$dir" "$rev" >/dev/null 2>&1
		(cd "$dir" && meson setup build -Dbuildtype=release -Dtests=false -Dpython=disabled \
			>/dev/null && ninja -C build src/cli/avrokit >/dev/null)
	fi
	realpath "$dir/build/src/cli/avrokit"
}
old=$(binary "$1")
new=$(binary "$2")

data=$out/compare-data
mkdir -p "$data"
for d in small wide rust-user; do
	n=$records
	[ -s "$data/$d-$n.json" ] && continue
	python3 bench/gen.py --schema "$d" > "$data/$d.avsc"
	python3 bench/gen.py "$d" "$n" > "$data/$d-$n.json"
done
for d in small wide rust-user; do
	for codec in null deflate; do
		f=$data/$d-$records.$codec.avro
		[ -s "$f" ] || "$old" fromjson -f "$data/$d.avsc" -c "$codec" -o "$f" \
			"$data/$d-$records.json"
	done
done

workloads=(
	"tojson small null|tojson -j1 DATA/small-N.null.avro"
	"tojson small deflate|tojson DATA/small-N.deflate.avro"
	"tojson wide deflate|tojson DATA/wide-N.deflate.avro"
	"tojson wide deflate -j1|tojson -j1 DATA/wide-N.deflate.avro"
	"tojson rust-user null -j1|tojson -j1 DATA/rust-user-N.null.avro"
	"fromjson small null -j1|fromjson -j1 -f DATA/small.avsc DATA/small-N.json"
	"fromjson wide null -j1|fromjson -j1 -f DATA/wide.avsc DATA/wide-N.json"
	"fromjson wide deflate|fromjson -c deflate -f DATA/wide.avsc DATA/wide-N.json"
	"fromjson rust-user null -j1|fromjson -j1 -f DATA/rust-user.avsc DATA/rust-user-N.json"
	"count wide deflate|count DATA/wide-N.deflate.avro"
	"cat wide deflate|cat -o /dev/null DATA/wide-N.deflate.avro"
)

[ "$timed" = 1 ] && echo "| workload | OLD | NEW | OLD/NEW |"
[ "$timed" = 1 ] && echo "|---|---:|---:|---:|"
for w in "${workloads[@]}"; do
	[ "$timed" = 1 ] || break
	name=${w%%|*}
	args=${w#*|}
	args=${args//DATA/$data}
	args=${args//-N./-$records.}
	json=$out/compare-${name// /-}.json
	# (word splitting of $args is wanted)
	# shellcheck disable=SC2086
	hyperfine -N --style none --runs "$runs" --export-json "$json" \
		"$old $args" "$new $args" >/dev/null 2>&1 </dev/null
	python3 - "$json" "$name" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
o, n = r[0]["median"], r[1]["median"]
print(f"| {sys.argv[2]} | {o * 1000:.1f} ms | {n * 1000:.1f} ms | {o / n:.3f} |")
EOF
done

if [ "$callgrind" = 1 ] && command -v valgrind >/dev/null; then
	echo
	echo "| workload (callgrind, 100k records) | OLD instructions | NEW instructions | NEW/OLD |"
	echo "|---|---:|---:|---:|"
	for d in small wide rust-user; do
		head -n 100000 "$data/$d-$records.json" > "$data/$d-cg.json"
		"$old" fromjson -f "$data/$d.avsc" -o "$data/$d-cg.avro" "$data/$d-cg.json"
	done
	ir() {
		local f
		f=$(mktemp)
		valgrind --tool=callgrind --callgrind-out-file="$f" "$@" >/dev/null 2>&1
		awk '/^(summary|totals):/ { print $2; exit }' "$f"
		rm -f "$f"
	}
	for d in small wide rust-user; do
		for cmd in "tojson -j1 $data/$d-cg.avro" \
			"fromjson -j1 -f $data/$d.avsc --sync-marker 00112233445566778899aabbccddeeff $data/$d-cg.json"; do
			# shellcheck disable=SC2086
			a=$(ir "$old" $cmd)
			# shellcheck disable=SC2086
			b=$(ir "$new" $cmd)
			echo "| ${cmd%% *} $d | $a | $b | $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.4f", b / a }') |"
		done
	done
fi
