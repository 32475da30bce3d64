#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Byte-range splits: --range START:END on tojson, cat, count and blocks (Hadoop's rule: a range
# owns the blocks whose sync marker starts in it), avrokit splits, and the engines that run
# the ranges: GNU parallel and xargs. Property tests cut random files into random ranges and
# check that the ranges joined give every record once, in order. AK_SEED=N repeats a run.

load common

setup() {
	ak_setup
	SEED=${AK_SEED:-$(( $(date +%s) % 32768 ))}
	RANDOM=$SEED
	cat >"$TMP/s.avsc" <<-'EOF'
	{"type": "record", "name": "Ev", "fields": [
	  {"name": "id", "type": "long"},
	  {"name": "who", "type": "string"},
	  {"name": "tags", "type": {"type": "array", "items": "string"}},
	  {"name": "v", "type": ["null", "double", {"type": "enum", "name": "K", "symbols": ["A", "B"]}]}
	]}
	EOF
}

# make_file OUT CODEC N BLOCKSIZE: random records (seeded from SEED)
make_file() {
	"$AVROKIT" random -n "$3" --seed "$SEED" -c "$2" -b "$4" "$TMP/s.avsc" -o "$1"
}

# cuts FILE K: K random cut points over FILE into the array CUTS, some at and next to sync
# markers and in the header, sorted, with 0 first and the file's size (or one more) last.
# (In this shell, not a subshell, which would reseed RANDOM: AK_SEED repeats a run.)
cuts() {
	local f=$1 k=$2 size c i markers raw=(0)
	size=$(stat -c %s "$f")
	mapfile -t markers < <("$AVROKIT" blocks "$f" | awk 'NR > 2 && $1 ~ /^[0-9]+$/ { print $2 - 16 }')
	for ((i = 0; i < k; i++)); do
		case $((RANDOM % 3)) in
		0) c=$(( (RANDOM * 32768 + RANDOM) % (size + 1) )) ;;
		1) c=$(( markers[RANDOM % ${#markers[@]}] + RANDOM % 3 - 1 )) ;;
		2) c=$(( RANDOM % 400 )) ;;
		esac
		((c < 0)) && c=0
		((c > size)) && c=$size
		raw+=("$c")
	done
	mapfile -t CUTS < <(printf '%s\n' "${raw[@]}" | sort -n)
	CUTS+=($((size + RANDOM % 2)))
}

# ---- --range ----

@test "the blocks of multiblock.avro fall to the ranges their sync markers start in" {
	local m1 m2
	m1=$(( $(block_field multiblock 1 offset) - 16 ))
	m2=$(( $(block_field multiblock 2 offset) - 16 ))
	run_ak count --range "0:$m1" "$DATA/multiblock.avro"
	expect_status 0
	expect_output_is "$(block_field multiblock 0 count)"
	run_ak count --range "$m1:$((m1 + 1))" "$DATA/multiblock.avro"
	expect_output_is "$(block_field multiblock 1 count)"
	run_ak count --range "$((m1 + 1)):$((m2 + 1))" "$DATA/multiblock.avro"
	expect_output_is "$(block_field multiblock 2 count)"
	run_ak count --range "$((m2 + 1)):" "$DATA/multiblock.avro"
	expect_output_is "$((300 - $(block_field multiblock 0 count) - $(block_field multiblock 1 count) - $(block_field multiblock 2 count)))"
	run_ak count --range ":$((m1 - 100))" "$DATA/multiblock.avro"
	expect_output_is "$(block_field multiblock 0 count)"
	run_ak tojson --range "10:20" "$DATA/multiblock.avro"
	expect_status 0
	expect_no_output
	expect_no_stderr
}

@test "tojson, cat, count and blocks agree on a range" {
	local m1 n
	m1=$(( $(block_field multiblock 1 offset) - 16 ))
	run_ak tojson --range "1K:3K" "$DATA/multiblock.avro"
	expect_status 0
	n=$(printf '%s\n' "$output" | wc -l)
	run_ak count --range "1K:3K" "$DATA/multiblock.avro"
	expect_output_is "$n"
	"$AVROKIT" cat --range 1024:3072 "$DATA/multiblock.avro" -o "$TMP/part.avro"
	run_ak count "$TMP/part.avro"
	expect_output_is "$n"
	run_ak blocks --range 1024:3072 "$DATA/multiblock.avro"
	expect_status 0
	[[ "$(printf '%s\n' "$output" | tail -n 1)" == "# $n records" ]] || ak_show "blocks total"
	# blocks prints the file's offsets, numbered from the range's first block
	[[ "$(printf '%s\n' "$output" | awk 'NR == 3 { print $1, $2 }')" == "0 $(block_field multiblock 2 offset)" ]] ||
		ak_show "first block of the range"
	"$AVROKIT" tojson --range 1024:3072 "$DATA/multiblock.avro" | cmp - <("$AVROKIT" tojson "$TMP/part.avro")
}

@test "--range on standard input, on two files or malformed is a usage error" {
	local cmd
	for cmd in tojson cat count blocks; do
		run_ak "$cmd" --range 0:100 <"$DATA/multiblock.avro"
		expect_usage_error "$cmd" "--range needs a FILE" "standard input"
		run_ak "$cmd" --range 0:100 - <"$DATA/multiblock.avro"
		expect_usage_error "$cmd" "standard input"
	done
	for cmd in tojson cat count; do
		run_ak "$cmd" --range 0:100 "$DATA/multiblock.avro" "$DATA/multiblock.avro"
		expect_usage_error "$cmd" "--range takes one input file (got 2)"
	done
	for r in 5 5:4 a:b 1:2:3 -1:5 1X:2 "" 99999999999999999999:; do
		run_ak count --range "$r" "$DATA/multiblock.avro"
		expect_status 2
		expect_stderr "avrokit count: --range: '$r'"
	done
	run_ak count --range 1M:1GiB "$DATA/multiblock.avro"
	expect_status 0
	expect_output_is 0
}

@test "property: random files cut into random ranges give every record once, in order" {
	local codec f i r k want got start end total c
	for codec in null deflate snappy zstandard; do
		"$AVROKIT" --version | grep -qw "$codec" || continue
		f=$TMP/$codec.avro
		make_file "$f" "$codec" $((500 + RANDOM % 1500)) $((256 + RANDOM % 4000))
		"$AVROKIT" tojson "$f" >"$TMP/want.json"
		want=$(wc -l <"$TMP/want.json")
		for ((r = 0; r < 6; r++)); do
			cuts "$f" $((1 + RANDOM % 8))
			c=("${CUTS[@]}")
			: >"$TMP/got.json"
			total=0
			for ((i = 0; i + 1 < ${#c[@]}; i++)); do
				start=${c[i]} end=${c[i + 1]}
				"$AVROKIT" tojson -j $((1 + RANDOM % 2)) --range "$start:$end" "$f" >>"$TMP/got.json" ||
					{ echo "seed $SEED: tojson $start:$end failed" >&2; return 1; }
				total=$((total + $("$AVROKIT" count --range "$start:$end" "$f")))
			done
			cmp "$TMP/want.json" "$TMP/got.json" ||
				{ echo "seed $SEED, $codec: ranges ${c[*]}" >&2; return 1; }
			((total == want)) || { echo "seed $SEED, $codec: count $total, not $want" >&2; return 1; }
		done
	done
}

@test "property: cat and blocks over random ranges give the file's records and blocks" {
	local f i r start end c
	f=$TMP/d.avro
	make_file "$f" deflate 1200 1K
	"$AVROKIT" blocks "$f" | awk 'NR > 2 && $1 ~ /^[0-9]+$/ { print $2 }' >"$TMP/want.blocks"
	"$AVROKIT" tojson "$f" >"$TMP/want.json"
	for ((r = 0; r < 4; r++)); do
		cuts "$f" $((1 + RANDOM % 6))
		c=("${CUTS[@]}")
		: >"$TMP/got.blocks"
		: >"$TMP/got.json"
		for ((i = 0; i + 1 < ${#c[@]}; i++)); do
			start=${c[i]} end=${c[i + 1]}
			"$AVROKIT" blocks --range "$start:$end" "$f" |
				awk 'NR > 2 && $1 ~ /^[0-9]+$/ { print $2 }' >>"$TMP/got.blocks"
			"$AVROKIT" cat --range "$start:$end" "$f" -o "$TMP/part.avro"
			"$AVROKIT" tojson "$TMP/part.avro" >>"$TMP/got.json"
		done
		cmp "$TMP/want.blocks" "$TMP/got.blocks" || { echo "seed $SEED: ranges ${c[*]}" >&2; return 1; }
		cmp "$TMP/want.json" "$TMP/got.json" || { echo "seed $SEED: ranges ${c[*]}" >&2; return 1; }
	done
}

# ---- splits ----

@test "splits -n covers the file with N contiguous ranges" {
	local size n
	size=$(stat -c %s "$DATA/multiblock.avro")
	for n in 1 2 3 7 100; do
		run_ak splits -n "$n" "$DATA/multiblock.avro"
		expect_status 0
		expect_no_stderr
		printf '%s\n' "$output" | awk -v n="$n" -v size="$size" '
			{ if (NR == 1 && $1 != 0) exit 1; if (NR > 1 && $1 != last) exit 1
			  if ($2 <= $1) exit 1; last = $2 }
			END { if (NR != n || last != size) exit 1 }' || ak_show "ranges for -n $n"
	done
}

@test "splits -n shares ranges among files by their data; -s splits each file; -H and -c" {
	run_ak splits -n 4 "$DATA/multiblock.avro" "$DATA/weather.avro"
	expect_status 0
	[[ $(printf '%s\n' "$output" | grep -c "^$DATA/multiblock.avro ") -eq 3 ]] || ak_show "3 for multiblock"
	[[ $(printf '%s\n' "$output" | grep -c weather) -eq 1 ]] || ak_show "weather gets one range"
	[[ $(printf '%s\n' "$output" | wc -l) -eq 4 ]] || ak_show "four ranges"
	run_ak splits -s 1000 "$DATA/multiblock.avro"
	expect_status 0
	printf '%s\n' "$output" | awk '$2 - $1 > 1000 + 373 { exit 1 }' || ak_show "-s 1000"
	[[ $(printf '%s\n' "$output" | wc -l) -eq 4 ]] || ak_show "4 ranges of 1000 bytes of data at most"
	run_ak splits -s 64M -H -c "$DATA/multiblock.avro"
	expect_output_is "$DATA/multiblock.avro 0:$(stat -c %s "$DATA/multiblock.avro")"
	run_ak splits -n 3 "$DATA/empty.avro"
	expect_output_is "0 $(stat -c %s "$DATA/empty.avro")"
}

@test "splits: usage errors and bad files" {
	run_ak splits "$DATA/multiblock.avro"
	expect_usage_error splits "-n" "-s"
	run_ak splits -n 2 -s 1K "$DATA/multiblock.avro"
	expect_usage_error splits "not both"
	run_ak splits -n 2
	expect_usage_error splits "give the data files"
	run_ak splits -n 2 - <"$DATA/multiblock.avro"
	expect_usage_error splits "standard input cannot be split"
	run_ak splits -n 0 "$DATA/multiblock.avro"
	expect_usage_error splits
	run_ak splits -s 0 "$DATA/multiblock.avro"
	expect_usage_error splits "--size"
	run_ak splits -n 2 "$DATA/weather.json"
	expect_data_error splits "$DATA/weather.json" "not an Avro data file"
	run_ak splits -n 2 <(cat "$DATA/multiblock.avro")
	expect_status 1
	expect_stderr "not a regular file"
}

# ---- the engines ----

@test "GNU parallel: splits -n 24 through 4 jobs gives what one tojson gives" {
	command -v parallel >/dev/null || skip "GNU parallel is not installed (Debian: parallel)"
	local f=$TMP/p.avro
	make_file "$f" deflate 6000 2K
	"$AVROKIT" splits -n 24 "$f" |
		parallel --will-cite -k -j 4 --colsep ' ' "$AVROKIT" tojson -j 1 --range {1}:{2} "$f" \
		>"$TMP/par.json"
	"$AVROKIT" tojson "$f" | cmp - "$TMP/par.json"
	# several files: FILE START END
	cp "$DATA/multiblock.avro" "$TMP/m.avro"
	"$AVROKIT" splits -n 10 "$f" "$TMP/m.avro" |
		parallel --will-cite -k -j 4 --colsep ' ' "$AVROKIT" tojson -j 1 --range {2}:{3} {1} \
		>"$TMP/par2.json"
	"$AVROKIT" tojson "$f" "$TMP/m.avro" | cmp - "$TMP/par2.json"
}

@test "xargs: splits -c through 4 processes counts every record" {
	local f=$TMP/x.avro total
	make_file "$f" snappy 3000 1K
	total=$("$AVROKIT" splits -n 9 -c -H "$f" |
		xargs -P 4 -L 1 sh -c '"$AVROKIT" count --range "$1" "$0"' | paste -sd+ | bc)
	[[ $total -eq 3000 ]] || { echo "total $total" >&2; return 1; }
}

@test "a damaged block is reported by the job whose range owns it, with its offset; the others finish" {
	command -v parallel >/dev/null || skip "GNU parallel is not installed (Debian: parallel)"
	local f=$TMP/dmg.avro bad off next rc=0
	make_file "$TMP/good.avro" null 3000 1K
	# break the sync marker after block 10: block 10 is reported, by offset
	off=$("$AVROKIT" blocks "$TMP/good.avro" | awk 'NR > 2 && $1 == 10 { print $2 }')
	next=$("$AVROKIT" blocks "$TMP/good.avro" | awk 'NR > 2 && $1 == 11 { print $2 }')
	flip_byte "$TMP/good.avro" $((next - 3)) "$f"
	"$AVROKIT" splits -n 12 "$f" >"$TMP/ranges"
	timeout 60 parallel --will-cite -k -j 4 --colsep ' ' \
		"$AVROKIT" tojson -j 1 --range {1}:{2} "$f" \
		<"$TMP/ranges" >"$TMP/out.json" 2>"$TMP/err" || rc=$?
	# parallel's exit status is the number of jobs that failed
	[[ $rc -eq 1 ]] || { cat "$TMP/err" >&2; echo "parallel: $rc" >&2; return 1; }
	grep -q "avrokit tojson: $f: block [0-9]* (offset $off): sync marker mismatch" "$TMP/err" ||
		{ cat "$TMP/err" >&2; return 1; }
	[[ $(wc -l <"$TMP/err") -eq 1 ]]
	# the records of the other ranges came out, in order, each once: the output is the whole
	# file's with lines left out, none added or changed
	"$AVROKIT" tojson "$TMP/good.avro" >"$TMP/good.json"
	diff "$TMP/good.json" "$TMP/out.json" >"$TMP/diff" || true
	! grep -E '^[0-9,]+[ac][0-9,]+$' "$TMP/diff"
	(($(wc -l <"$TMP/out.json") > 2000))
}
