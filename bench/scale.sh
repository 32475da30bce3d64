#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Splitting large files: what `--range` gains under GNU parallel and Dask on this machine.
# A benchmark, not a test: it prints Markdown (and writes it to bench/SCALE.md, which
# bench/report.py carries into bench/RESULTS.md as the section "Splitting").
#
#   bench/scale.sh [options]
#
#   --mb N            size of the file for GNU parallel, in MB (default 256)
#   --dask-mb N       size of the file for Dask (default 32: Python objects are slow)
#   --workers LIST    numbers of workers, e.g. "1 2 4" (default: 1 2 and nproc if larger)
#   --runs N          best of N runs for every time (default 3)
#   --avrokit PATH    the binary (default build/src/cli/avrokit)
#   --pythonpath DIR  where the avrokit package is (default build/python)
#   --fastavro DIR    a compiled fastavro, for dask.bag.read_avro as a peer
#                     (default ../shared/peers/fastavro when it is there)
#   --no-dask         leave Dask out
#   --out FILE        write the report here (default bench/SCALE.md; - for none)
#
# It measures, for GNU parallel (`avrokit splits | parallel avrokit tojson -j1 --range`):
#   1. the speed-up against the number of workers (jobs at once), against one
#      `avrokit tojson -j1`, and its own threads (`tojson -j N`) beside it;
#   2. the cost of one range: 200 jobs of an empty range, through parallel and in a plain
#      shell loop (process start and header read, without the data);
#   3. the range size below which splitting stops paying: the same file cut into ranges of
#      64M down to 64K, on all the workers.
# and the same three for Dask (distributed.LocalCluster, one thread per worker process), with
# dask.bag.read_avro on fastavro beside avrokit.dask.read_avro when fastavro is there.
# The data is made by `avrokit random` (bench/gen.py's "small" schema, snappy) in a temporary
# directory, deleted at the end. Times are wall clock, the best of --runs.

set -u
set -o pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
MB=256
DASK_MB=32
WORKERS=""
RUNS=3
AK=$ROOT/build/src/cli/avrokit
PYPATH=$ROOT/build/python
FASTAVRO=$ROOT/../shared/peers/fastavro
DASK=1
OUT=$HERE/SCALE.md
PY=/usr/bin/python3
ARGS="$*"

while (($#)); do
	case $1 in
	--mb) MB=$2; shift ;;
	--dask-mb) DASK_MB=$2; shift ;;
	--workers) WORKERS=$2; shift ;;
	--runs) RUNS=$2; shift ;;
	--avrokit) AK=$2; shift ;;
	--pythonpath) PYPATH=$2; shift ;;
	--fastavro) FASTAVRO=$2; shift ;;
	--no-dask) DASK=0 ;;
	--out) OUT=$2; shift ;;
	-h | --help) sed -n '3,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "scale.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
	esac
	shift
done
NPROC=$(nproc)
if [[ -z $WORKERS ]]; then
	WORKERS="1 2"
	((NPROC > 2)) && WORKERS="$WORKERS $NPROC"
fi
for tool in "$AK" parallel; do
	command -v "$tool" >/dev/null || { echo "scale.sh: $tool not found" >&2; exit 1; }
done
AK=$(cd "$(dirname "$AK")" && pwd)/$(basename "$AK")
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ak-scale.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
REPORT=$TMP/report.md

say() { printf '%s\n' "$*" | tee -a "$REPORT"; }

# best SECONDS of RUNS runs of a shell command (its output thrown away)
best() {
	local cmd=$1 i t0 t1 b=""
	for ((i = 0; i < RUNS; i++)); do
		t0=$(date +%s%N)
		bash -c "$cmd" >/dev/null || { echo "scale.sh: failed: $cmd" >&2; echo nan; return; }
		t1=$(date +%s%N)
		t=$(( (t1 - t0) / 1000 ))
		[[ -z $b || $t -lt $b ]] && b=$t
	done
	awk -v us="$b" 'BEGIN { printf "%.3f", us / 1e6 }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

# ---- data ----
"$PY" "$HERE/gen.py" --schema small >"$TMP/small.avsc"
make_file() { # OUT MB
	# about 20.3 bytes per record for this schema
	"$AK" random -n $(($2 * 1000000 / 20)) --seed 42 -c snappy "$TMP/small.avsc" -o "$1"
}
F=$TMP/big.avro
make_file "$F" "$MB"
SIZE=$(stat -c %s "$F")
RECORDS=$("$AK" count "$F")

say "## Splitting (bench/scale.sh)"
say ""
say "\`bench/scale.sh $ARGS\`, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'):"
say "$NPROC cores (\`nproc\`), load average at start $(cut -d' ' -f1-3 /proc/loadavg); $("$AK" --version | head -1);"
say "GNU parallel $(parallel --version 2>/dev/null | head -1 | awk '{print $3}'). Times are wall clock, the best of $RUNS runs."
say "A load average above the number of cores means other work shared the machine: the"
say "speed-ups are then lower than an idle machine gives."
say ""
say "File: $RECORDS records of bench/gen.py's \"small\" schema, snappy, $SIZE bytes,"
say "$("$AK" blocks "$F" | awk 'NR > 2 && $1 ~ /^[0-9]+$/ { n++ } END { print n }') blocks of 64 KiB (\`avrokit random\`)."
say ""

# ---- 1. speed-up against workers ----
T1=$(best "'$AK' tojson -j1 '$F'")
say "### GNU parallel: speed-up against the number of workers"
say ""
say "\`avrokit splits -n R FILE | parallel -k -j W --colsep ' ' avrokit tojson -j1 --range {1}:{2} FILE\`"
say "with R = 4W ranges (\"-k\": one stream in order, which parallel buffers in temporary"
say "files), and the same with each job writing its own output (\`-o\`, /dev/null here, as"
say "jobs that write a part file each), against one \`avrokit tojson -j1 FILE\` ($T1 s);"
say "beside them one \`avrokit tojson -j W FILE\` (its own threads, in one process)."
say ""
say "| workers W | ranges | parallel -k | speed-up | parallel, -o per job | speed-up | tojson -j W | speed-up |"
say "|---:|---:|---:|---:|---:|---:|---:|---:|"
for w in $WORKERS; do
	tp=$(best "'$AK' splits -n $((4 * w)) '$F' | parallel --will-cite -k -j $w --colsep ' ' '$AK' tojson -j1 --range {1}:{2} '$F'")
	to=$(best "'$AK' splits -n $((4 * w)) '$F' | parallel --will-cite -j $w --colsep ' ' '$AK' tojson -j1 --range {1}:{2} -o /dev/null '$F'")
	tj=$(best "'$AK' tojson -j $w '$F'")
	say "| $w | $((4 * w)) | $tp s | $(ratio "$T1" "$tp")x | $to s | $(ratio "$T1" "$to")x | $tj s | $(ratio "$T1" "$tj")x |"
done
say ""

# ---- 2. cost of one range ----
N=200
tpar=$(best "seq $N | parallel --will-cite -j1 -N0 '$AK' count --range 0:0 '$F'")
tloop=$(best "for i in \$(seq $N); do '$AK' count --range 0:0 '$F'; done")
tpar_w=$(best "seq $N | parallel --will-cite -j $NPROC -N0 '$AK' count --range 0:0 '$F'")
per_par=$(awk -v t="$tpar" -v n=$N 'BEGIN { printf "%.1f", t / n * 1000 }')
per_loop=$(awk -v t="$tloop" -v n=$N 'BEGIN { printf "%.1f", t / n * 1000 }')
per_par_w=$(awk -v t="$tpar_w" -v n=$N 'BEGIN { printf "%.1f", t / n * 1000 }')
say "### GNU parallel: the cost of one range"
say ""
say "$N jobs of \`avrokit count --range 0:0 FILE\` (a range that owns no block: a process start"
say "and a header read): $per_loop ms each in a shell loop, $per_par ms each through"
say "\`parallel -j1\` (so parallel adds $(awk -v a="$per_par" -v b="$per_loop" 'BEGIN { printf "%.1f", a - b }') ms a job), $per_par_w ms a job with \`-j $NPROC\`."
say ""
# where splitting stops paying, in theory: W workers take (F c + N o) / W for N ranges of a
# file of F bytes (c: time per byte of one tojson -j1, o: time per job), which beats F c
# while the ranges are larger than o / ((W - 1) c)
if ((NPROC > 1)); then
	say "Per byte, one \`tojson -j1\` takes $(awk -v t="$T1" -v s="$SIZE" 'BEGIN { printf "%.2f", t / s * 1e9 }') ms a MB; with $NPROC workers, N ranges take (F c + N o) / $NPROC,"
	say "which beats one process while the ranges are larger than o / (($NPROC - 1) c) ="
	say "$(awk -v o="$per_par" -v t="$T1" -v s="$SIZE" -v w="$NPROC" 'BEGIN { printf "%.2f", o / 1000 / ((w - 1) * t / s) / 1e6 }') MB here (o = $per_par ms, the cost of a job through parallel)."
	say ""
fi

# ---- 3. the range size below which splitting stops paying ----
W=$NPROC
say "### GNU parallel: range size"
say ""
say "The same file cut into ranges of SIZE bytes (\`avrokit splits -s SIZE\`), $W jobs at once."
say "Splitting pays while it beats one \`avrokit tojson -j1\` ($T1 s); its own threads,"
say "\`tojson -j $W\`, took $(best "'$AK' tojson -j $W '$F'") s."
say ""
say "| range size | ranges | parallel -k | speed-up over -j1 | parallel, -o per job | speed-up |"
say "|---:|---:|---:|---:|---:|---:|"
for s in 64M 16M 4M 1M 256K 64K; do
	n=$("$AK" splits -s "$s" "$F" | wc -l)
	t=$(best "'$AK' splits -s $s '$F' | parallel --will-cite -k -j $W --colsep ' ' '$AK' tojson -j1 --range {1}:{2} '$F'")
	to=$(best "'$AK' splits -s $s '$F' | parallel --will-cite -j $W --colsep ' ' '$AK' tojson -j1 --range {1}:{2} -o /dev/null '$F'")
	say "| $s | $n | $t s | $(ratio "$T1" "$t")x | $to s | $(ratio "$T1" "$to")x |"
done
say ""

# ---- Dask ----
if ((DASK)); then
	D=$TMP/dask.avro
	make_file "$D" "$DASK_MB"
	FA=""
	[[ -d $FASTAVRO ]] && FA=$FASTAVRO
	# (a file, not standard input: the cluster's worker processes import __main__ again)
	PYTHONPATH=$PYPATH${FA:+:$FA} timeout 1800 "$PY" "$HERE/scale_dask.py" "$D" "$RUNS" \
		"$WORKERS" "$FA" | tee -a "$REPORT"
fi

say "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
if [[ $OUT != - ]]; then
	cp "$REPORT" "$OUT"
	echo "scale.sh: wrote $OUT" >&2
fi
