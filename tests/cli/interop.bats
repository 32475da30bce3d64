#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# Interoperability: avrokit reads files written by other Avro implementations.
#
#   * corpus tests: every file of the third-party corpus (../shared/corpus, or AK_CORPUS)
#     is read by tojson, count, getschema and getmeta; records are checked against the
#     corpus README table, weather.json and avrocat's stored output. They skip, saying so,
#     when the corpus folder is missing.
#   * peer tests, in interop-peers.bats: files written by python3-avro and avro-c.
#   * every command on every corpus file, in interop-crash.bats.
#
# Needs AVROKIT (the binary). Python helpers run with /usr/bin/python3 (Debian's, which has
# python3-avro; the first python3 on PATH may be another one).

load common

PY=/usr/bin/python3

setup() {
	ak_setup
	AK_CORPUS="${AK_CORPUS:-$BATS_TEST_DIRNAME/../../../shared/corpus}"
	INTEROP="$(cd "$BATS_TEST_DIRNAME/../interop" && pwd)"
	export INTEROP PYTHONDONTWRITEBYTECODE=1
	problems=()
}

# ---- helpers ----

need_corpus() {
	[[ -d "$AK_CORPUS" ]] || skip "corpus not found at $AK_CORPUS"
}

need_python() {
	[[ -x "$PY" ]] || skip "$PY not found (some corpus checks are Python scripts)"
}

# The container files of the corpus, relative to it, one per line (found at test time).
corpus_containers() {
	(cd "$AK_CORPUS" && find . -path ./peer-output -prune -o -type f -name '*.avro' -print |
		sed 's|^\./||' | LC_ALL=C sort)
}

# Files that are meant to fail, with the substrings the tojson and count messages must hold.
# The README marks the first three as failing for both peers; the last two are not
# containers at all.
declare -gA BROKEN_TOJSON=(
	[lang/c/tests/avro-1237-bad-union-discriminant.avro]="block 0|record 1|union branch index 2 is out of range"
	[lang/c/tests/avro-1238-truncated.avro]="block 0|file ends inside the sync marker"
	[lang/js/test/dat/person-10.no-codec.avro]="block 1|494|1 stray byte"
	[share/test/data/test.avro12]="not an Avro data file"
	[lang/js/test/dat/person-10.avro.raw]="not an Avro data file"
)
declare -gA BROKEN_COUNT=(
	[lang/c/tests/avro-1237-bad-union-discriminant.avro]="block 1|1 stray byte"
	[lang/c/tests/avro-1238-truncated.avro]="block 0|file ends inside the sync marker"
	[lang/js/test/dat/person-10.no-codec.avro]="block 1|494|1 stray byte"
	[share/test/data/test.avro12]="not an Avro data file"
	[lang/js/test/dat/person-10.avro.raw]="not an Avro data file"
)

is_broken() {
	[[ -n "${BROKEN_TOJSON[$1]+x}" ]]
}

# readme_field REL N: column N (1-based, as in the table) of REL's row in the corpus README.
readme_field() {
	awk -F'|' -v f="$1" -v n="$2" '
		{ c = $2; gsub(/^[ \t]+|[ \t]+$/, "", c) }
		c == f { v = $(n + 1); gsub(/^[ \t]+|[ \t]+$/, "", v); print v; exit }' "$AK_CORPUS/README.md"
}

# readme_peers REL: "PY|C", the last two cells of REL's row (the peers' verdicts)
readme_peers() {
	awk -F'|' -v f="$1" '
		{ c = $2; gsub(/^[ \t]+|[ \t]+$/, "", c) }
		c == f { print $(NF - 2) "|" $(NF - 1); exit }' "$AK_CORPUS/README.md"
}

# readme_records REL: the record count of REL in the README table ("1 / 5" -> 5)
readme_records() {
	readme_field "$1" 4 | sed -n 's|^[0-9]* */ *\([0-9][0-9]*\).*|\1|p'
}

# check_error CMD REL SUBSTRINGS: after `run_ak CMD FILE`, exit 1 (no crash) and a one-line
# message "avrokit CMD: FILE: ..." holding every |-separated substring.
check_error() {
	local cmd="$1" rel="$2" subs="$3" s
	local -a parts
	if ((status >= 128)); then
		problem "$cmd $rel: killed by signal $((status - 128))"
		return
	fi
	[[ "$status" -eq 1 ]] || problem "$cmd $rel: exit $status, expected 1"
	[[ "$stderr" == "avrokit $cmd: $AK_CORPUS/$rel: "* ]] ||
		problem "$cmd $rel: message does not start with 'avrokit $cmd: $AK_CORPUS/$rel: ': $stderr"
	[[ "$stderr" != *$'\n'* ]] || problem "$cmd $rel: more than one line on stderr: $stderr"
	IFS='|' read -r -a parts <<< "$subs"
	for s in "${parts[@]}"; do
		[[ "$stderr" == *"$s"* ]] || problem "$cmd $rel: message lacks '$s': $stderr"
	done
}

# ---- corpus: the files and the README agree ----

@test "corpus: the README table lists every container file found, and their failing ones are known" {
	need_corpus
	local rel n=0 py c
	while IFS= read -r rel; do
		n=$((n + 1))
		[[ -n "$(readme_field "$rel" 1)" ]] || problem "$rel is not in the README table"
	done < <(corpus_containers)
	((n >= 20)) || problem "found only $n container files under $AK_CORPUS"
	# every row marked FAIL for both peers is in our known-broken set
	while IFS='|' read -r _ rel _; do
		rel="${rel#"${rel%%[![:space:]]*}"}"
		rel="${rel%"${rel##*[![:space:]]}"}"
		IFS='|' read -r py c <<< "$(readme_peers "$rel")"
		if [[ "$py" == *FAIL* && "$c" == *FAIL* ]]; then
			is_broken "$rel" || problem "README: $rel fails for both peers but is not in the known-broken set"
		fi
	done < <(grep -E '^\| [^ ]+\.(avro|avro12|raw) \|' "$AK_CORPUS/README.md")
	# and every known-broken file exists
	for rel in "${!BROKEN_TOJSON[@]}"; do
		[[ -f "$AK_CORPUS/$rel" ]] || problem "known-broken file $rel is missing from the corpus"
	done
	check_problems
}

# ---- corpus: every valid file reads ----

@test "corpus: every valid container file: tojson exits 0, count = tojson lines = README count" {
	need_corpus
	local rel want lines got checked=0
	while IFS= read -r rel; do
		is_broken "$rel" && continue
		checked=$((checked + 1))
		want="$(readme_records "$rel")"
		[[ -n "$want" ]] || problem "$rel: no record count in the README table"
		run_ak tojson "$AK_CORPUS/$rel"
		if [[ "$status" -ne 0 || -n "$stderr" ]]; then
			problem "tojson $rel: exit $status, stderr: $stderr"
			continue
		fi
		lines="$("$AVROKIT" tojson "$AK_CORPUS/$rel" | wc -l)"
		run_ak count "$AK_CORPUS/$rel"
		got="$output"
		[[ "$status" -eq 0 && -z "$stderr" ]] || problem "count $rel: exit $status, stderr: $stderr"
		[[ "$got" == "$lines" ]] || problem "$rel: count says '$got', tojson printed $lines lines"
		[[ "$lines" == "$want" ]] || problem "$rel: tojson printed $lines lines, the README says $want"
	done < <(corpus_containers)
	((checked >= 20)) || problem "only $checked valid files checked"
	check_problems
}

@test "corpus: every valid container file reads the same from a pipe as from the file" {
	need_corpus
	local rel
	while IFS= read -r rel; do
		is_broken "$rel" && continue
		cmp -s <("$AVROKIT" tojson "$AK_CORPUS/$rel") <("$AVROKIT" tojson < "$AK_CORPUS/$rel") ||
			problem "tojson $rel: standard input gives other output than the file"
		[[ "$("$AVROKIT" count < "$AK_CORPUS/$rel")" == "$("$AVROKIT" count "$AK_CORPUS/$rel")" ]] ||
			problem "count $rel: standard input gives another count"
	done < <(corpus_containers)
	check_problems
}

# ---- corpus: the broken files fail cleanly ----

@test "corpus: every known-broken file fails with exit 1 and a precise message (tojson and count)" {
	need_corpus
	local rel
	[[ "${#BROKEN_TOJSON[@]}" -eq 5 && "${#BROKEN_COUNT[@]}" -eq 5 ]] || ak_show "the known-broken set is not loaded"
	for rel in "${!BROKEN_TOJSON[@]}"; do
		run_ak tojson "$AK_CORPUS/$rel"
		check_error tojson "$rel" "${BROKEN_TOJSON[$rel]}"
		run_ak count "$AK_CORPUS/$rel"
		check_error count "$rel" "${BROKEN_COUNT[$rel]}"
	done
	check_problems
}

@test "corpus: avro-1237-bad-union-discriminant.avro prints its first record, then fails on the bad union index" {
	need_corpus
	local rel=lang/c/tests/avro-1237-bad-union-discriminant.avro
	run_ak tojson "$AK_CORPUS/$rel"
	check_error tojson "$rel" "block 0|record 1|union branch index 2 is out of range (2 branches)"
	check_problems
	# the first datum is null; the good twin of the file starts the same way
	expect_output_is "null"
	[[ "$("$AVROKIT" tojson "$AK_CORPUS/lang/c/tests/avro-1237-good.avro" | head -n 1)" == null ]]
}

@test "corpus: avro-1238-truncated.avro fails on its cut sync marker, printing at most the good records" {
	need_corpus
	local rel=lang/c/tests/avro-1238-truncated.avro good
	run_ak tojson "$AK_CORPUS/$rel"
	check_error tojson "$rel" "block 0|offset 83|file ends inside the sync marker"
	check_problems
	# whatever it printed before the error is the start of the good file's records
	good="$("$AVROKIT" tojson "$AK_CORPUS/lang/c/tests/avro-1238-good.avro")"
	[[ "$good" == "$output"* ]] || ak_show "records before the error are not the good file's records"
}

@test "corpus: person-10.no-codec.avro prints all 10 records, then fails on the stray trailing byte" {
	need_corpus
	local rel=lang/js/test/dat/person-10.no-codec.avro
	run_ak tojson "$AK_CORPUS/$rel"
	check_error tojson "$rel" "block 1|offset 494|1 stray byte"
	check_problems
	# the same records as person-10.avro (same data with an avro.codec key)
	[[ "$output" == "$("$AVROKIT" tojson "$AK_CORPUS/lang/js/test/dat/person-10.avro")" ]] ||
		ak_show "records differ from person-10.avro"
	[[ "${#lines[@]}" -eq 10 ]] || ak_show "expected 10 records before the error"
}

@test "corpus: test.avro12 (the old Avro 1.2 format) and person-10.avro.raw are not Avro data files" {
	need_corpus
	local rel cmd
	for rel in share/test/data/test.avro12 lang/js/test/dat/person-10.avro.raw; do
		for cmd in tojson count getschema getmeta; do
			run_ak "$cmd" "$AK_CORPUS/$rel"
			check_error "$cmd" "$rel" "not an Avro data file"
			[[ -z "$output" ]] || problem "$cmd $rel: printed something: $output"
		done
	done
	check_problems
}

# ---- corpus: the weather files ----

# check_weather NAME: NAME.avro prints weather.json exactly
check_weather() {
	local f="$AK_CORPUS/share/test/data/$1.avro" codec
	codec="$("$AVROKIT" getmeta --key avro.codec "$f")"
	if ! "$AVROKIT" --version | grep -qw -- "$codec"; then
		run_ak tojson "$f"
		expect_status 1
		expect_stderr "$codec"
		skip "avrokit was built without the $codec codec (its error names it)"
	fi
	run_ak tojson "$f"
	expect_status 0
	expect_no_stderr
	"$AVROKIT" tojson "$f" > "$TMP/out.json"
	cmp "$AK_CORPUS/share/test/data/weather.json" "$TMP/out.json" || {
		diff "$AK_CORPUS/share/test/data/weather.json" "$TMP/out.json" >&2
		return 1
	}
}

@test "corpus: weather.avro (null codec) prints weather.json exactly" {
	need_corpus
	check_weather weather
}

@test "corpus: weather-deflate.avro prints weather.json exactly" {
	need_corpus
	check_weather weather-deflate
}

@test "corpus: weather-snappy.avro prints weather.json exactly" {
	need_corpus
	check_weather weather-snappy
}

@test "corpus: weather-zstd.avro prints weather.json exactly" {
	need_corpus
	check_weather weather-zstd
}

@test "corpus: weather-sorted.avro holds the records of weather.json, sorted by time" {
	need_corpus
	local f="$AK_CORPUS/share/test/data/weather-sorted.avro"
	"$AVROKIT" tojson "$f" > "$TMP/out.json"
	# the same set of records
	cmp <(LC_ALL=C sort "$AK_CORPUS/share/test/data/weather.json") <(LC_ALL=C sort "$TMP/out.json")
	# in the order of the file: by time, ascending
	sed -n 's/.*"time":\(-\{0,1\}[0-9]*\).*/\1/p' "$TMP/out.json" > "$TMP/times"
	[[ "$(wc -l < "$TMP/times")" -eq 5 ]]
	sort -n -c "$TMP/times"
	# and the order is not weather.json's (so this file really is sorted differently)
	! cmp -s "$AK_CORPUS/share/test/data/weather.json" "$TMP/out.json"
}

# ---- corpus: avrokit against avrocat ----

@test "corpus: tojson agrees with avrocat's stored output for every container file" {
	need_corpus
	need_python
	local -a rels
	mapfile -t rels < <(corpus_containers)
	run --separate-stderr "$PY" "$INTEROP/corpus_compare.py" "$AVROKIT" "$AK_CORPUS" "${rels[@]}"
	[[ "$status" -eq 0 ]] || ak_show "corpus_compare.py found differences"
	[[ -z "$stderr" ]] || ak_show "corpus_compare.py complained"
	# every file got a verdict
	[[ "$(grep -c '^ok ' <<< "$output")" -eq "${#rels[@]}" ]] || ak_show "not every file was compared"
	# The differences that are avrocat's fault, and only those. Each is kept here, with its
	# reason, so that a new difference shows up:
	#  - bigdec.avro holds bytes 04 00 E0 04; avrocat prints "\u0004" (C string cut at 0x00)
	#  - weather-zstd.avro: Debian's avro-c has no zstandard codec (checked against weather.json)
	local want got
	want="$(printf '%s\n' \
		"AVROCAT-FAULT avro-rs/avro/tests/bigdec.avro: avrocat fault: prints bytes/fixed/string values as C strings, cut at the first 0x00" \
		"AVROCAT-FAULT share/test/data/weather-zstd.avro: avrocat could not read it: Error opening share/test/data/weather-zstd.avro: File header contains an unknown codec")"
	got="$(grep '^AVROCAT-FAULT' <<< "$output" || true)"
	[[ "$got" == "$want" ]] || {
		diff <(echo "$want") <(echo "$got") >&2
		ak_show "the avrocat faults are not the known ones"
	}
}

# ---- corpus: schema and metadata ----

@test "corpus: getschema of every valid file is JSON, and getmeta --key avro.schema = getschema --raw" {
	need_corpus
	need_python
	local rel f
	while IFS= read -r rel; do
		is_broken "$rel" && continue
		f="$AK_CORPUS/$rel"
		"$AVROKIT" getschema "$f" > "$TMP/pretty" 2> "$TMP/err" || problem "getschema $rel: $(cat "$TMP/err")"
		"$AVROKIT" getschema --compact "$f" > "$TMP/compact" || problem "getschema --compact $rel failed"
		"$AVROKIT" getschema --raw "$f" > "$TMP/raw" || problem "getschema --raw $rel failed"
		"$AVROKIT" getmeta --key avro.schema "$f" > "$TMP/meta" || problem "getmeta --key avro.schema $rel failed"
		cmp -s "$TMP/raw" "$TMP/meta" || problem "$rel: getmeta --key avro.schema differs from getschema --raw"
		[[ "$(wc -l < "$TMP/compact")" -eq 1 ]] || problem "$rel: getschema --compact is not one line"
		"$PY" - "$TMP/pretty" "$TMP/compact" "$TMP/raw" <<-'EOF' || problem "$rel: schema JSON check failed"
			import sys, os
			sys.path.insert(0, os.environ["INTEROP"])
			import avrojson as aj
			pretty, compact, raw = (aj.loads(open(p, encoding="utf-8").read()) for p in sys.argv[1:])
			assert pretty == compact, "getschema and getschema --compact differ"
			aj.parse_schema(open(sys.argv[1], encoding="utf-8").read())  # names resolve
		EOF
	done < <(corpus_containers)
	check_problems
}
