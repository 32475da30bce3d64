#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# avrokit benchmark: avrokit against the other Avro implementations, on the
# same files, in the same hyperfine invocation, and bench/RESULTS.md from it.
#
#   bench/run.sh [--records N] [--quick] [options]
#
# Options:
#   --records N       records in the big files (default 1000000)
#   --quick           100000 records and fewer runs
#   --runs N          exactly N timed runs of every command
#   --peers LIST      comma-separated subset of: java,avsc,avrocat,python
#                     (default: all of them that are installed and work)
#   --only REGEX      run only the workloads whose id matches (grep -E)
#   --avrokit PATH    benchmark this avrokit binary instead of building one
#   --build-dir DIR   build avrokit (release) here (default build-bench)
#   --no-install      do not apt-get or npm install anything
#   --timeout SECS    give up a single command after SECS (default 1800)
#   --slow SECS       a peer whose /usr/bin/time run took longer than SECS is
#                     reported from that one run instead of being timed again
#                     by hyperfine (default 120; 0: always use hyperfine)
#   --results FILE    write the report here (default bench/RESULTS.md)
#
# What it does: installs what it needs when it can (apt-get: hyperfine,
# avro-bin, python3-avro, libavro-java, time, libdeflate-dev; npm: avsc into
# bench/node_modules),
# builds avrokit with -Dbuildtype=release, compiles the Java peer when java,
# javac and /usr/share/java/avro.jar are there, generates the data with
# bench/gen.py into bench/out/ (kept between runs), smoke-tests every command
# on a 1000-record file, measures each one's peak RSS with /usr/bin/time -v
# (one run, which also warms the page cache), times them with hyperfine and
# writes bench/RESULTS.md with bench/report.py.
#
# A peer that is missing or fails is left out and RESULTS.md says why. The
# script is not part of the test suite and always exits 0 once its options
# have been read (2 for a bad option).

set -u
set -o pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
cd "$ROOT" || exit 0
ORIG_ARGS="$*"

RECORDS=1000000
RECORDS_SET=0
QUICK=0
RUNS=""
PEERS_WANTED="java,avsc,avrocat,python"
ONLY=""
AK=""
BUILD_DIR=build-bench
INSTALL=1
TIMEOUT=1800
SLOW=120
RESULTS=bench/RESULTS.md

usage() {
    sed -n '/^#   bench\/run.sh/,/^#   --results/p' "$0" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
    case "$1" in
        --records) RECORDS=${2:-}; RECORDS_SET=1; shift 2 ;;
        --records=*) RECORDS=${1#*=}; RECORDS_SET=1; shift ;;
        --quick) QUICK=1; shift ;;
        --runs) RUNS=${2:-}; shift 2 ;;
        --runs=*) RUNS=${1#*=}; shift ;;
        --peers) PEERS_WANTED=${2:-}; shift 2 ;;
        --peers=*) PEERS_WANTED=${1#*=}; shift ;;
        --only) ONLY=${2:-}; shift 2 ;;
        --only=*) ONLY=${1#*=}; shift ;;
        --avrokit) AK=${2:-}; shift 2 ;;
        --avrokit=*) AK=${1#*=}; shift ;;
        --build-dir) BUILD_DIR=${2:-}; shift 2 ;;
        --build-dir=*) BUILD_DIR=${1#*=}; shift ;;
        --no-install) INSTALL=0; shift ;;
        --timeout) TIMEOUT=${2:-}; shift 2 ;;
        --timeout=*) TIMEOUT=${1#*=}; shift ;;
        --slow) SLOW=${2:-}; shift 2 ;;
        --slow=*) SLOW=${1#*=}; shift ;;
        --results) RESULTS=${2:-}; shift 2 ;;
        --results=*) RESULTS=${1#*=}; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench/run.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
    esac
done
for v in "$RECORDS" "$TIMEOUT" "$SLOW" ${RUNS:+"$RUNS"}; do
    case "$v" in
        ''|*[!0-9]*) echo "bench/run.sh: '$v' is not a number" >&2; exit 2 ;;
    esac
done
if [ "$QUICK" = 1 ] && [ "$RECORDS_SET" = 0 ]; then
    RECORDS=100000
fi
if [ "$RECORDS" -lt 1000 ]; then
    echo "bench/run.sh: --records must be at least 1000" >&2
    exit 2
fi

OUT=bench/out
DATA=$OUT/data
RES=$OUT/results
LOGS=$OUT/logs
WORK=$OUT/work
SMOKE=$OUT/smoke
SAMPLE=1000          # records in the smoke-test files
SMALLN=10000         # the Rust benchmark's small size
SYNC=a7b3c1d2e4f5061728394a5b6c7d8e9f
PY_GEN=$(command -v python3 || command -v python || echo /usr/bin/python3)
PY_AVRO=/usr/bin/python3
if [ "$QUICK" = 1 ]; then
    HF_RUNS=(--min-runs 2 --max-runs 5)
else
    HF_RUNS=(--min-runs 3 --max-runs 10)
fi
if [ -n "$RUNS" ]; then
    HF_RUNS=(--runs "$RUNS")
fi

mkdir -p "$DATA" "$RES/rss" "$LOGS" "$WORK" "$SMOKE" || exit 0
rm -f "$RES"/*.json "$RES"/rss/* "$RES"/manifest.tsv "$RES"/meta.tsv "$RES"/notes.txt

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
meta() { printf '%s\t%s\n' "$1" "$2" >> "$RES/meta.tsv"; }
note() { printf '%s\n' "$*" >> "$RES/notes.txt"; log "$*"; }
has() { command -v "$1" > /dev/null 2>&1; }
peer_wanted() { case ",$PEERS_WANTED," in *",$1,"*) return 0 ;; esac; return 1; }

# --------------------------------------------------------------------------
# Setup

install_deps() {
    [ "$INSTALL" = 1 ] || { note "setup: --no-install, nothing installed"; return 0; }
    local want=() p sudo=""
    # libdeflate-dev: avrokit uses libdeflate for deflate blocks when it is found at build time
    for p in hyperfine time avro-bin python3-avro libavro-java libdeflate-dev; do
        dpkg -s "$p" > /dev/null 2>&1 || want+=("$p")
    done
    if [ ${#want[@]} -gt 0 ]; then
        if ! has apt-get; then
            note "setup: no apt-get; not installed: ${want[*]}"
        elif [ "$(id -u)" != 0 ] && ! { has sudo && sudo -n true 2> /dev/null; }; then
            note "setup: not root and no password-less sudo; not installed: ${want[*]}"
        else
            [ "$(id -u)" = 0 ] || sudo="sudo -n"
            log "apt-get install ${want[*]}"
            if ! $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${want[@]}" \
                    >> "$LOGS/setup.log" 2>&1; then
                $sudo apt-get update -q >> "$LOGS/setup.log" 2>&1
                for p in "${want[@]}"; do
                    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$p" \
                        >> "$LOGS/setup.log" 2>&1 || note "setup: apt-get could not install $p"
                done
            fi
        fi
    fi
    if peer_wanted avsc && [ ! -f bench/node_modules/avsc/package.json ]; then
        if has npm; then
            log "npm install avsc into bench/node_modules"
            timeout 600 npm install --prefix bench --no-save --no-audit --no-fund avsc@5 \
                >> "$LOGS/setup.log" 2>&1 || note "setup: npm install avsc failed (see $LOGS/setup.log)"
        else
            note "setup: no npm, so no avsc"
        fi
    fi
}

build_avrokit() {
    if [ -n "$AK" ]; then
        [ -x "$AK" ] || { note "avrokit: $AK is not an executable"; return 1; }
        meta build "given with --avrokit"
        return 0
    fi
    AK=$BUILD_DIR/src/cli/avrokit
    log "building avrokit (release) in $BUILD_DIR"
    if [ ! -f "$BUILD_DIR/build.ninja" ]; then
        meson setup "$BUILD_DIR" -Dbuildtype=release -Dtests=false > "$LOGS/build.log" 2>&1 ||
            { note "avrokit: meson setup failed (see $LOGS/build.log)"; return 1; }
    fi
    ninja -C "$BUILD_DIR" >> "$LOGS/build.log" 2>&1 ||
        { note "avrokit: build failed (see $LOGS/build.log)"; return 1; }
    meta build "meson setup $BUILD_DIR -Dbuildtype=release -Dtests=false && ninja -C $BUILD_DIR"
    meta buildtype "$(meson introspect --buildoptions "$BUILD_DIR" 2> /dev/null |
        "$PY_GEN" -c 'import json,sys; o={x["name"]:x["value"] for x in json.load(sys.stdin)}; print(o.get("buildtype"), "optimization=" + str(o.get("optimization")), "b_ndebug=" + str(o.get("b_ndebug")))' 2> /dev/null)"
}

JAVA_JAR=$OUT/java/avropeer.jar
setup_java() {
    peer_wanted java || return 1
    local miss=""
    has java || miss="$miss java"
    has javac || miss="$miss javac"
    has jar || miss="$miss jar"
    [ -f /usr/share/java/avro.jar ] || miss="$miss /usr/share/java/avro.jar(libavro-java)"
    if [ -n "$miss" ]; then
        note "peer java: skipped, missing:$miss"
        return 1
    fi
    local jars=() j cp
    for j in avro jackson-core-asl jackson-mapper-asl slf4j-api slf4j-nop snappy-java \
             commons-compress xz avro-guava-dependencies paranamer; do
        [ -f "/usr/share/java/$j.jar" ] && jars+=("/usr/share/java/$j.jar")
    done
    cp=$(IFS=:; echo "${jars[*]}")
    rm -rf "$OUT/java" && mkdir -p "$OUT/java/classes"
    if ! javac -nowarn -d "$OUT/java/classes" -cp "$cp" bench/peers/AvroPeer.java > "$LOGS/javac.log" 2>&1; then
        note "peer java: skipped, javac failed (see $LOGS/javac.log)"
        return 1
    fi
    {
        echo "Main-Class: AvroPeer"
        echo "Class-Path: ${jars[0]}"
        for j in "${jars[@]:1}"; do echo "  $j"; done
    } > "$OUT/java/manifest.txt"
    if ! jar cfm "$JAVA_JAR" "$OUT/java/manifest.txt" -C "$OUT/java/classes" . >> "$LOGS/javac.log" 2>&1; then
        note "peer java: skipped, jar failed (see $LOGS/javac.log)"
        return 1
    fi
    JAVA_AVRO_VERSION=$(dpkg-query -W -f '${Version}' libavro-java 2> /dev/null)
    JAVA_AVRO_VERSION=${JAVA_AVRO_VERSION%%-*}
    JAVA_AVRO_VERSION=${JAVA_AVRO_VERSION:-?}
    meta java "$(java -version 2>&1 | head -1), Avro $JAVA_AVRO_VERSION (Debian libavro-java)"
    return 0
}

setup_peers() {
    PEERS=()
    if setup_java; then PEERS+=(java); fi
    if peer_wanted avsc; then
        if has node && [ -f bench/node_modules/avsc/package.json ]; then
            PEERS+=(avsc)
            meta avsc "avsc $(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' bench/node_modules/avsc/package.json | head -1), node $(node --version)"
        else
            note "peer avsc: skipped, $(has node || echo 'no node')$(has node && echo 'avsc not in bench/node_modules')"
        fi
    fi
    if peer_wanted avrocat; then
        if has avrocat; then
            PEERS+=(avrocat)
            meta avro-c "avrocat/avroappend from avro-bin $(dpkg-query -W -f '${Version}' avro-bin 2> /dev/null)"
        else
            note "peer avrocat: skipped, avrocat (Debian avro-bin) not installed"
        fi
    fi
    if peer_wanted python; then
        if [ -x "$PY_AVRO" ] && "$PY_AVRO" -c 'import avro.datafile' 2> /dev/null; then
            PEERS+=(python)
            meta python3-avro "python3-avro $(dpkg-query -W -f '${Version}' python3-avro 2> /dev/null), $("$PY_AVRO" --version 2>&1)"
        else
            note "peer python: skipped, $PY_AVRO cannot import avro (Debian python3-avro)"
        fi
    fi
}

# --------------------------------------------------------------------------
# Data

gen_dataset() { # DATASET N: bench/out/data/DATASET-N.json and .CODEC.avro
    local d=$1 n=$2 base=$DATA/$1-$2 stamp want c
    want="$(sha256sum bench/gen.py | cut -c1-16) $d $n"
    stamp=$(cat "$base.stamp" 2> /dev/null)
    if [ "$stamp" = "$want" ] && [ -s "$base.json" ]; then
        local ok=1
        for c in null deflate snappy zstandard; do [ -s "$base.$c.avro" ] || ok=0; done
        [ "$ok" = 1 ] && return 0
    fi
    log "generating $d, $n records"
    rm -f "$base".*
    # through avrokit and back, so the JSON is byte for byte what avrokit prints
    "$PY_GEN" bench/gen.py --schema "$d" > "$DATA/$d.avsc" || { note "data: gen.py failed"; return 1; }
    if ! "$PY_GEN" bench/gen.py "$d" "$n" |
            "$AK" fromjson --schema-file "$DATA/$d.avsc" --sync-marker "$SYNC" |
            "$AK" tojson > "$base.json.tmp"; then
        note "data: generating $d-$n failed"
        return 1
    fi
    mv "$base.json.tmp" "$base.json"
    for c in null deflate snappy zstandard; do
        "$AK" fromjson --schema-file "$DATA/$d.avsc" --codec "$c" --sync-marker "$SYNC" \
            -o "$base.$c.avro" "$base.json" || { note "data: $d-$n.$c.avro failed"; return 1; }
    done
    echo "$want" > "$base.stamp"
}

# --------------------------------------------------------------------------
# Commands. cmd PEER KIND ARGS... prints the shell command, or nothing when
# the peer cannot do it. KIND and ARGS:
#   tojson IN              records as JSON to /dev/null
#   fromjson SCHEMA CODEC JSON OUT
#   concat OUT IN IN
#   count IN

codec_of() { # FILE.CODEC.avro -> CODEC
    local b=${1%.avro}
    echo "${b##*.}"
}

peer_codecs() { # PEER KIND -> codecs it reads (tojson/count/concat) or writes (fromjson)
    case "$1:$2" in
        avrokit:*) echo "null deflate snappy zstandard" ;;
        java:*) echo "null deflate snappy" ;;                # Avro 1.8: no zstandard
        avsc:fromjson|avsc:concat) echo "null deflate" ;;    # avsc writes null and deflate
        avsc:*) echo "null deflate snappy" ;;                # snappy: bench/peers/avsc_peer.js
        avrocat:tojson|avrocat:concat) echo "null deflate snappy" ;;
        avrocat:*) echo "" ;;                                # avro-c has no fromjson or count tool
        python:*) echo "null deflate snappy zstandard" ;;
        cat:concat) echo "null deflate snappy zstandard" ;;
        *) echo "" ;;
    esac
}

cmd() {
    local peer=$1 kind=$2
    shift 2
    local codec
    case "$kind" in
        fromjson) codec=$2 ;;
        concat) codec=$(codec_of "$2") ;;
        *) codec=$(codec_of "$1") ;;
    esac
    case " $(peer_codecs "$peer" "$kind") " in
        *" $codec "*) ;;
        *) return 0 ;;
    esac
    local nul="> /dev/null"
    case "$peer:$kind" in
        avrokit:tojson) echo "$AK tojson $1 $nul" ;;
        avrokit:fromjson) echo "$AK fromjson --schema-file $1 --codec $2 $3 > $4" ;;
        avrokit:concat) echo "$AK concat $2 $3 > $1" ;;
        avrokit:count) echo "$AK count $1 $nul" ;;
        java:tojson|java:count) echo "java -jar $JAVA_JAR $kind $1 $nul" ;;
        java:fromjson) echo "java -jar $JAVA_JAR fromjson $1 $2 $3 $4" ;;
        java:concat) echo "java -jar $JAVA_JAR concat $1 $2 $3" ;;
        avsc:tojson|avsc:count) echo "node bench/peers/avsc_peer.js $kind $1 $nul" ;;
        avsc:fromjson) echo "node bench/peers/avsc_peer.js fromjson $1 $2 $3 $4" ;;
        avsc:concat) echo "node bench/peers/avsc_peer.js concat $1 $2 $3" ;;
        avrocat:tojson) echo "avrocat $1 $nul" ;;
        # avro-c has no concat; avroappend adds the records of a file to an existing one
        avrocat:concat) has avroappend && echo "cp $2 $1 && avroappend $3 $1" ;;
        python:tojson|python:count) echo "$PY_AVRO bench/peers/python_avro.py $kind $1 $nul" ;;
        python:fromjson) echo "$PY_AVRO bench/peers/python_avro.py fromjson $1 $2 $3 $4" ;;
        python:concat) echo "$PY_AVRO bench/peers/python_avro.py concat $1 $2 $3" ;;
        cat:concat) echo "cat $2 $3 > $1" ;;
    esac
}

label() { # PEER KIND -> the name shown in the tables
    case "$1:$2" in
        avrokit:*) echo "avrokit" ;;
        java:concat) echo "java (Avro $JAVA_AVRO_VERSION, block copy)" ;;
        java:*) echo "java (Avro $JAVA_AVRO_VERSION)" ;;
        avsc:concat) echo "avsc (re-encodes)" ;;
        avsc:*) echo "avsc" ;;
        avrocat:concat) echo "avro-c (cp + avroappend, re-encodes)" ;;
        avrocat:*) echo "avro-c (avrocat)" ;;
        python:concat) echo "python3-avro (re-encodes)" ;;
        python:*) echo "python3-avro" ;;
        cat:*) echo "cat (baseline)" ;;
    esac
}
JAVA_AVRO_VERSION=1.8

# The smoke test: the same command on the 1000-record files, and its output checked.
smoke() { # PEER KIND DATASET CODEC -> 0 if good; reason on stdout otherwise
    local peer=$1 kind=$2 d=$3 c=$4 base=$DATA/$3-$SAMPLE c2 out got want
    out=$SMOKE/$peer.$kind.$d.$c
    rm -f "$out".*
    case "$kind" in
        tojson) c2=$(cmd "$peer" tojson "$base.$c.avro") ; c2=${c2%> /dev/null}"> $out.out" ;;
        count) c2=$(cmd "$peer" count "$base.$c.avro") ; c2=${c2%> /dev/null}"> $out.out" ;;
        fromjson) c2=$(cmd "$peer" fromjson "$DATA/$d.avsc" "$c" "$base.json" "$out.avro") ;;
        concat) c2=$(cmd "$peer" concat "$out.avro" "$base.$c.avro" "$base.$c.avro") ;;
    esac
    if ! timeout 300 sh -c "$c2" 2> "$out.err"; then
        echo "smoke test failed: $(tail -c 300 "$out.err" | tr '\n\t' '  ')"
        return 1
    fi
    [ "$peer" = cat ] && return 0   # the baseline's output is not an Avro file
    want=$SAMPLE
    case "$kind" in
        tojson) got=$(wc -l < "$out.out") ;;
        count) got=$(tr -dc '0-9' < "$out.out") ;;
        fromjson) got=$("$AK" count "$out.avro" 2>&1) ;;
        concat) got=$("$AK" count "$out.avro" 2>&1); want=$((2 * SAMPLE)) ;;
    esac
    if [ "$got" != "$want" ]; then
        echo "smoke test gave $got records instead of $want"
        return 1
    fi
    return 0
}

# --------------------------------------------------------------------------
# Workloads

elapsed() { # TIME-V-REPORT -> whole seconds of wall time (0 if unknown)
    local t
    t=$(sed -n 's/.*Elapsed (wall clock) time[^:]*: *//p' "$1" 2> /dev/null)
    echo "$t" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%d\n", s }'
}

has_jobs_option() { "$AK" "$1" --help 2> /dev/null | grep -q -- '--jobs'; }

# variant ID LABEL ROLE TAG CMD: one more avrokit command of workload ID (another --jobs,
# another --level), measured like the others when it runs; adds to the caller's names and hf
variant() {
    local rssf=$RES/rss/$1.avrokit-$4.txt
    if timeout "$TIMEOUT" /usr/bin/time -v -o "$rssf" sh -c "$5" 2> /dev/null; then
        printf 'command\t%s\t%s\t%s\tok\t%s\t%s\n' "$1" "$2" "$3" "$rssf" "$5" >> "$RES/manifest.tsv"
        names+=("$2")
        hf+=(-n "$2" "$5")
    fi
}

# workload ID KIND DATASET N CODEC TITLE
workload() {
    local id=$1 kind=$2 d=$3 n=$4 c=$5 title=$6
    if [ -n "$ONLY" ] && ! echo "$id" | grep -Eq -- "$ONLY"; then
        return 0
    fi
    local base=$DATA/$d-$n inbytes records=$n
    case "$kind" in
        tojson|count) inbytes=$(stat -c %s "$base.$c.avro") ;;
        fromjson) inbytes=$(stat -c %s "$base.json") ;;
        concat) inbytes=$(( 2 * $(stat -c %s "$base.$c.avro") )); records=$((2 * n)) ;;
    esac
    [ -n "$inbytes" ] || { note "$id: no input data, skipped"; return 0; }
    printf 'workload\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$kind" "$d" "$records" "$c" "$inbytes" "$title" \
        >> "$RES/manifest.tsv"
    log "workload $id: $title"
    local load0
    load0=$(cut -d' ' -f1 /proc/loadavg 2> /dev/null)

    local peer c1 names=() hf=() reason label_ rc
    local cands=(avrokit "${PEERS[@]}")
    [ "$kind" = concat ] && cands+=(cat)
    for peer in "${cands[@]}"; do
        case "$kind" in
            tojson|count) c1=$(cmd "$peer" "$kind" "$base.$c.avro") ;;
            fromjson) c1=$(cmd "$peer" fromjson "$DATA/$d.avsc" "$c" "$base.json" "$WORK/$id.$peer.avro") ;;
            concat) c1=$(cmd "$peer" concat "$WORK/$id.$peer.avro" "$base.$c.avro" "$base.$c.avro") ;;
        esac
        label_=$(label "$peer" "$kind")
        local role=peer
        [ "$peer" = avrokit ] && role=self
        [ "$peer" = cat ] && role=baseline
        if [ -z "$c1" ]; then
            if [ -z "$(peer_codecs "$peer" "$kind")" ]; then
                reason="has no $kind command"
            else
                reason="cannot do $kind with the $c codec"
            fi
            printf 'command\t%s\t%s\t%s\tskipped\t%s\t\n' "$id" "$label_" "$role" "$reason" \
                >> "$RES/manifest.tsv"
            continue
        fi
        if ! reason=$(smoke "$peer" "$kind" "$d" "$c"); then
            printf 'command\t%s\t%s\t%s\tskipped\t%s\t%s\n' "$id" "$label_" "$role" "$reason" "$c1" \
                >> "$RES/manifest.tsv"
            note "$id: $label_ skipped: $reason"
            continue
        fi
        # one run under /usr/bin/time -v: peak RSS, CPU use, and a check that it works
        local rssf=$RES/rss/$id.$peer.txt
        if [ -x /usr/bin/time ]; then
            timeout "$TIMEOUT" /usr/bin/time -v -o "$rssf" sh -c "$c1" 2> "$WORK/$id.$peer.err"
            rc=$?
        else
            timeout "$TIMEOUT" sh -c "$c1" 2> "$WORK/$id.$peer.err"
            rc=$?
        fi
        if [ "$rc" != 0 ]; then
            reason="failed (exit $rc$([ "$rc" = 124 ] && echo ", timed out after ${TIMEOUT}s")): $(tail -c 300 "$WORK/$id.$peer.err" | tr '\n\t' '  ')"
            printf 'command\t%s\t%s\t%s\tskipped\t%s\t%s\n' "$id" "$label_" "$role" "$reason" "$c1" \
                >> "$RES/manifest.tsv"
            note "$id: $label_ $reason"
            continue
        fi
        if [ "$SLOW" -gt 0 ] && [ "$role" = peer ] && [ "$(elapsed "$rssf")" -gt "$SLOW" ]; then
            # too slow to run again: its one run under /usr/bin/time is its time
            printf 'command\t%s\t%s\t%s\tsingle\t%s\t%s\n' "$id" "$label_" "$role" "$rssf" "$c1" \
                >> "$RES/manifest.tsv"
            log "$id: $label_ took over ${SLOW}s; reported from its single run"
            continue
        fi
        printf 'command\t%s\t%s\t%s\tok\t%s\t%s\n' "$id" "$label_" "$role" "$rssf" "$c1" >> "$RES/manifest.tsv"
        names+=("$label_")
        hf+=(-n "$label_" "$c1")
        # the issue's -j1 target: also time avrokit on one thread when it has --jobs
        if [ "$peer" = avrokit ] && { [ "$kind" = tojson ] || [ "$kind" = fromjson ]; } && has_jobs_option "$kind"; then
            variant "$id" "avrokit --jobs 1" self1 j1 "${c1/ $kind / $kind --jobs 1 }"
        fi
        # deflate's default level is libdeflate's 1; the peers use zlib's 6: time avrokit at
        # level 6 too, into its own file (the output sizes are compared below the table)
        if [ "$peer" = avrokit ] && [ "$kind" = fromjson ] && [ "$c" = deflate ]; then
            local cl=${c1/ fromjson / fromjson --level 6 }
            variant "$id" "avrokit --level 6" selfx level6 "${cl/"$WORK/$id.avrokit.avro"/"$WORK/$id.avrokit-level6.avro"}"
        fi
    done
    if [ ${#names[@]} -eq 0 ]; then
        note "$id: nothing to time"
        return 0
    fi
    if ! has hyperfine; then
        note "$id: no hyperfine; only the single /usr/bin/time run is reported"
        return 0
    fi
    hyperfine --style basic --ignore-failure "${HF_RUNS[@]}" --export-json "$RES/$id.json" \
        "${hf[@]}" 2>&1 | tee -a "$LOGS/hyperfine.log" >&2 ||
        note "$id: hyperfine failed (see $LOGS/hyperfine.log)"
    printf 'load\t%s\t%s\t%s\n' "$id" "$load0" "$(cut -d' ' -f1 /proc/loadavg 2> /dev/null)" >> "$RES/manifest.tsv"
    local f
    for f in "$WORK/$id".*.avro; do
        [ -f "$f" ] || continue
        f=${f#"$WORK/$id."}
        printf 'outsize\t%s\t%s\t%s\n' "$id" "${f%.avro}" "$(stat -c %s "$WORK/$id.$f")" >> "$RES/manifest.tsv"
    done
    rm -f "$WORK/$id".*.avro
}

# --------------------------------------------------------------------------

main() {
    local t0=$SECONDS
    meta started "$(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    meta loadavg_start "$(cut -d' ' -f1-3 /proc/loadavg 2> /dev/null)"
    meta invocation "bench/run.sh $ORIG_ARGS"
    meta records "$RECORDS"
    meta quick "$QUICK"
    meta hyperfine_runs "${HF_RUNS[*]}"
    meta slow "$SLOW"
    install_deps
    if ! build_avrokit; then
        note "avrokit could not be built; nothing was measured"
        "$PY_GEN" bench/report.py "$RES" "$RESULTS" || true
        return 0
    fi
    meta avrokit "$AK: $("$AK" --version 2>&1 | tr '\n' ';' | sed 's/;$//; s/;/; /g')"
    meta linked "$(ldd "$AK" 2> /dev/null | awk '$1 ~ /^lib/ { sub(/\.so.*/, "", $1); printf "%s ", $1 }')"
    meta commit "$(git rev-parse --short HEAD 2> /dev/null)$(git diff --quiet HEAD -- src 2> /dev/null || echo ' (src/ has uncommitted changes)')"
    meta hyperfine "$(hyperfine --version 2> /dev/null)"
    has hyperfine || note "setup: hyperfine is not installed; only single runs under /usr/bin/time are reported"
    [ -x /usr/bin/time ] || note "setup: /usr/bin/time (Debian time) is not installed; no peak RSS"
    setup_peers
    meta peers "${PEERS[*]:-none}"

    local d
    for d in small wide rust-string rust-user; do
        gen_dataset "$d" "$SAMPLE" || return 0
        gen_dataset "$d" "$RECORDS" || return 0
    done
    gen_dataset rust-string "$SMALLN" && gen_dataset rust-user "$SMALLN" || return 0
    meta data_seconds "$((SECONDS - t0))"

    local N=$RECORDS
    workload tojson-small-null tojson small "$N" null "tojson, small, null codec"
    workload tojson-small-deflate tojson small "$N" deflate "tojson, small, deflate"
    workload tojson-small-snappy tojson small "$N" snappy "tojson, small, snappy"
    workload tojson-wide-snappy tojson wide "$N" snappy "tojson, wide, snappy"
    workload tojson-wide-deflate tojson wide "$N" deflate "tojson, wide, deflate"
    workload fromjson-small-null fromjson small "$N" null "fromjson, small, null codec"
    workload fromjson-wide-null fromjson wide "$N" null "fromjson, wide, null codec"
    workload fromjson-wide-deflate fromjson wide "$N" deflate "fromjson, wide, deflate"
    workload concat-wide-deflate concat wide "$N" deflate "concat, 2 x wide deflate"
    workload count-wide-deflate count wide "$N" deflate "count, wide deflate"
    workload tojson-small-1k tojson small "$SAMPLE" null "tojson, small, null codec (start-up)"
    workload tojson-rust-string-10k tojson rust-string "$SMALLN" null "tojson, rust-string, null codec"
    workload tojson-rust-user-10k tojson rust-user "$SMALLN" null "tojson, rust-user, null codec"
    workload fromjson-rust-user-10k fromjson rust-user "$SMALLN" null "fromjson, rust-user, null codec"
    workload tojson-rust-string-big tojson rust-string "$N" null "tojson, rust-string, null codec"
    workload tojson-rust-user-big tojson rust-user "$N" deflate "tojson, rust-user, deflate"
    workload fromjson-rust-user-big fromjson rust-user "$N" null "fromjson, rust-user, null codec"

    meta loadavg_end "$(cut -d' ' -f1-3 /proc/loadavg 2> /dev/null)"
    meta finished "$(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    meta total_seconds "$((SECONDS - t0))"
    if "$PY_GEN" bench/report.py "$RES" "$RESULTS"; then
        log "wrote $RESULTS"
    else
        log "bench/report.py failed; the raw results are in $RES"
    fi
}

# one line, so that bash has read all of it before main runs
main; exit 0
