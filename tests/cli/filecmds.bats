#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# The commands that write whole data files: concat, cat, recodec. (blocks, repair and the
# corpus run through every file command are in filecmds-repair.bats; the fixtures and
# helpers in filecmds.bash.)
#
#   AVROKIT=$PWD/build/src/cli/avrokit bats tests/cli/filecmds.bats
#
# Tests for reported bugs are skipped as "KNOWN BUG"; AK_KNOWN_BUGS=1 runs them.

load common
load filecmds

# ======================================================================================
# concat
# ======================================================================================

@test "concat: two inputs of the same codec give their records in order" {
	cat "$FX/a.json" "$FX/b.json" > "$TMP/ab.json"
	run_ak concat "$FX/a.avro" "$FX/b.avro" -o "$TMP/ab.avro"
	expect_status 0
	expect_no_output
	expect_no_stderr
	expect_records "$TMP/ab.avro" "$TMP/ab.json"
	run_ak count "$TMP/ab.avro"
	expect_output_is 55
	run_ak getmeta -k avro.codec "$TMP/ab.avro"
	expect_output_is deflate
}

@test "concat: three inputs: one header, blocks copied as stored, in order" {
	local f i j nin=0 sizes_in="" sizes_out
	run_ak concat "$FX/a.avro" "$FX/b.avro" "$FX/c.avro" -o "$TMP/abc.avro"
	expect_status 0
	expect_no_stderr
	expect_records "$TMP/abc.avro" "$FX/abc.json"
	run_ak count "$TMP/abc.avro"
	expect_output_is 75
	# the walk fails unless the file is one header followed only by blocks that each end
	# with the header's sync marker
	py layout "$TMP/abc.avro" > "$TMP/abc.layout"
	[[ "$("$PY" -c 'import sys; print(open(sys.argv[1], "rb").read().count(b"Obj\x01"))' \
		"$TMP/abc.avro")" -eq 1 ]] || fail "the magic bytes appear more than once in the output"
	[[ "$(lay "$TMP/abc.layout" records)" -eq 75 ]]
	# stored sizes, as blocks --json prints them: the inputs' in order = the output's
	for f in a b c; do
		sizes_in+="$("$AVROKIT" blocks --json "$FX/$f.avro" | sed -n 's/.*"stored":\([0-9]*\).*/\1/p') "
		nin=$((nin + $(lay "$FX/$f.avro.layout" blocks)))
	done
	sizes_out="$("$AVROKIT" blocks --json "$TMP/abc.avro" | sed -n 's/.*"stored":\([0-9]*\).*/\1/p')"
	[[ "$(echo $sizes_in)" == "$(echo $sizes_out)" ]] ||
		fail "stored sizes: inputs $sizes_in, output $sizes_out"
	[[ "$(lay "$TMP/abc.layout" blocks)" -eq $nin ]]
	# and the bytes themselves
	j=0
	for f in a b c; do
		for ((i = 0; i < $(lay "$FX/$f.avro.layout" blocks); i++)); do
			py stored "$FX/$f.avro" $i > "$TMP/in.bin"
			py stored "$TMP/abc.avro" $j > "$TMP/out.bin"
			[[ -s "$TMP/in.bin" ]]
			cmp "$TMP/in.bin" "$TMP/out.bin" || fail "block $i of $f.avro is not block $j of the output"
			[[ "$(lblock "$FX/$f.avro.layout" $i count)" -eq "$(lblock "$TMP/abc.layout" $j count)" ]]
			j=$((j + 1))
		done
	done
}

@test "concat: --sync-marker sets the output's sync marker; without it there is a new one" {
	local s=0f1e2d3c4b5a69788796a5b4c3d2e1f0 s1 s2
	run_ak concat --sync-marker $s "$FX/a.avro" "$FX/b.avro" "$FX/c.avro" -o "$TMP/s.avro"
	expect_status 0
	[[ "$(header_sync "$TMP/s.avro")" == "$s" ]] || fail "header ends with $(header_sync "$TMP/s.avro")"
	[[ "$(tail -c 16 "$TMP/s.avro" | xxd -p)" == "$s" ]]
	[[ "$(lay <(py layout "$TMP/s.avro") syncmarker)" == "$s" ]]
	expect_records "$TMP/s.avro" "$FX/abc.json"
	# the default: a new random marker, none of the inputs'
	"$AVROKIT" concat "$FX/a.avro" "$FX/b.avro" > "$TMP/r1.avro"
	"$AVROKIT" concat "$FX/a.avro" "$FX/b.avro" > "$TMP/r2.avro"
	s1="$(header_sync "$TMP/r1.avro")"
	s2="$(header_sync "$TMP/r2.avro")"
	[[ "$s1" != "$SYNC_A" && "$s1" != "$SYNC_B" && "$s1" != "$s2" ]] ||
		fail "sync markers: $s1 and $s2 (inputs $SYNC_A $SYNC_B)"
	run_ak concat --sync-marker 0011 "$FX/a.avro"
	expect_usage_error concat "--sync-marker"
}

@test "concat: the output keeps the first input's metadata" {
	"$AVROKIT" concat "$FX/a.avro" "$FX/b.avro" "$FX/c.avro" > "$TMP/abc.avro"
	run_ak getmeta -k user.k "$TMP/abc.avro"
	expect_output_is A
	run_ak getmeta -k user.first "$TMP/abc.avro"
	expect_output_is yes
	run_ak getmeta -k user.only-b "$TMP/abc.avro"
	expect_status 1
	"$AVROKIT" concat "$FX/b.avro" "$FX/a.avro" > "$TMP/ba.avro"
	run_ak getmeta -k user.k "$TMP/ba.avro"
	expect_output_is B
	run_ak getmeta -k user.only-b "$TMP/ba.avro"
	expect_output_is 1
	# the schema text is the first input's, byte for byte
	[[ "$("$AVROKIT" getmeta -k avro.schema "$TMP/abc.avro")" == \
		"$("$AVROKIT" getmeta -k avro.schema "$FX/a.avro")" ]]
}

@test "concat: inputs of other codecs are recompressed to the first input's codec" {
	local i n
	need_pyavro
	run_ak concat "$FX/a.avro" "$FX/b-null.avro" "$FX/c-snappy.avro" -o "$TMP/mix.avro"
	expect_status 0
	run_ak getmeta -k avro.codec "$TMP/mix.avro"
	expect_output_is deflate
	expect_records "$TMP/mix.avro" "$FX/abc.json"
	run py pycheck "$TMP/mix.avro" "$FX/abc.json"
	[[ "$status" -eq 0 ]] || fail "$output"
	py layout "$TMP/mix.avro" > "$TMP/mix.layout"
	# a's blocks are copied; b's are compressed with deflate, block for block
	n=$(lay "$FX/a.avro.layout" blocks)
	for ((i = 0; i < n; i++)); do
		cmp <(py stored "$FX/a.avro" $i) <(py stored "$TMP/mix.avro" $i)
	done
	for ((i = 0; i < $(lay "$FX/b-null.avro.layout" blocks); i++)); do
		[[ "$(lblock "$TMP/mix.layout" $((n + i)) decoded)" -eq \
			"$(lblock "$FX/b-null.avro.layout" $i size)" ]]
		[[ "$(lblock "$TMP/mix.layout" $((n + i)) count)" -eq \
			"$(lblock "$FX/b-null.avro.layout" $i count)" ]]
		cmp <(py stored "$FX/b-null.avro" $i) \
			<(py stored "$TMP/mix.avro" $((n + i)) | "$PY" -c \
				'import sys, zlib; sys.stdout.buffer.write(zlib.decompress(sys.stdin.buffer.read(), -15))')
	done
	# the first input's codec rules: null first gives null
	run_ak concat "$FX/b-null.avro" "$FX/c-snappy.avro" "$FX/a.avro" -o "$TMP/mix2.avro"
	expect_status 0
	run_ak getmeta -k avro.codec "$TMP/mix2.avro"
	expect_output_is null
	cat "$FX/b.json" "$FX/c.json" "$FX/a.json" > "$TMP/bca.json"
	expect_records "$TMP/mix2.avro" "$TMP/bca.json"
}

@test "concat: --codec recompresses every input; python3-avro and avrocat read the result" {
	local codec
	need_pyavro
	for codec in zstandard bzip2 null snappy deflate; do
		run_ak concat --codec $codec "$FX/a.avro" "$FX/b-null.avro" "$FX/c-snappy.avro" \
			-o "$TMP/$codec.avro"
		expect_status 0
		run_ak getmeta -k avro.codec "$TMP/$codec.avro"
		expect_output_is $codec
		expect_records "$TMP/$codec.avro" "$FX/abc.json"
		run py pycheck "$TMP/$codec.avro" "$FX/abc.json"
		[[ "$status" -eq 0 ]] || fail "$codec: $output"
		if [[ $codec != zstandard && $codec != bzip2 ]] && command -v avrocat > /dev/null; then
			avrocat_check "$TMP/$codec.avro" "$FX/abc.json"
		fi
	done
	run_ak concat --codec nosuch "$FX/a.avro"
	expect_usage_error concat "nosuch"
}

@test "concat: inputs with different schemas are refused, naming both files and the difference" {
	mkdir "$TMP/d"
	cp "$FX/a.avro" "$FX/x-int.avro" "$TMP/d/"
	cd "$TMP/d"
	run_ak concat a.avro x-int.avro -o out.avro
	expect_status 1
	expect_no_output
	expect_stderr "avrokit concat: x-int.avro: " "a.avro" '"type":"long"' '"type":"int"'
	[[ "$stderr" != *$'\n'* ]] || fail "more than one line on stderr"
	[[ "$(list_dir .)" == $'a.avro\nx-int.avro' ]] || fail "files left: $(list_dir .)"
	# an existing output file is left as it was
	echo old > out.avro
	run_ak concat a.avro x-int.avro -o out.avro
	expect_status 1
	[[ "$(cat out.avro)" == old ]]
	# the other way round, and to standard output
	run_ak concat x-int.avro a.avro
	expect_status 1
	expect_stderr "avrokit concat: a.avro: " "x-int.avro"
}

@test "concat: a schema with the same canonical form in other text is accepted" {
	cat "$FX/a.json" "$FX/b.json" > "$TMP/ab.json"
	[[ "$("$AVROKIT" getmeta -k avro.schema "$FX/a.avro")" != \
		"$("$AVROKIT" getmeta -k avro.schema "$FX/y-doc.avro")" ]]
	run_ak concat "$FX/a.avro" "$FX/y-doc.avro" -o "$TMP/ay.avro"
	expect_status 0
	expect_no_stderr
	expect_records "$TMP/ay.avro" "$TMP/ab.json"
	[[ "$("$AVROKIT" getmeta -k avro.schema "$TMP/ay.avro")" == \
		"$("$AVROKIT" getmeta -k avro.schema "$FX/a.avro")" ]]
	run_ak concat "$FX/y-doc.avro" "$FX/a.avro" -o "$TMP/ya.avro"
	expect_status 0
	[[ "$("$AVROKIT" getmeta -k avro.schema "$TMP/ya.avro")" == \
		"$("$AVROKIT" getmeta -k avro.schema "$FX/y-doc.avro")" ]]
	[[ "$("$AVROKIT" getmeta -k avro.schema "$TMP/ya.avro")" == *'"doc":"other text'* ]]
}

@test "concat: inputs without records" {
	run_ak count "$FX/empty.avro"
	expect_output_is 0
	run_ak concat "$FX/empty.avro" "$FX/a.avro" "$FX/empty.avro" -o "$TMP/e.avro"
	expect_status 0
	expect_records "$TMP/e.avro" "$FX/a.json"
	# the empty first input decides the codec and metadata
	run_ak getmeta -k avro.codec "$TMP/e.avro"
	expect_output_is deflate
	run_ak concat "$FX/empty.avro" "$FX/empty.avro" -o "$TMP/ee.avro"
	expect_status 0
	run_ak count "$TMP/ee.avro"
	expect_output_is 0
	py layout "$TMP/ee.avro" > "$TMP/ee.layout"
	[[ "$(lay "$TMP/ee.layout" blocks)" -eq 0 ]]
	run_ak getschema "$TMP/ee.avro"
	expect_status 0
	run_ak concat "$FX/a.avro" "$FX/empty.avro" -o "$TMP/ae.avro"
	expect_status 0
	expect_records "$TMP/ae.avro" "$FX/a.json"
}

@test "concat: standard input as one of the inputs" {
	run_sh '"$AVROKIT" concat "$1" - "$2" < "$3" > "$4"' x "$FX/a.avro" "$FX/c.avro" \
		"$FX/b.avro" "$TMP/out.avro"
	expect_status 0
	expect_records "$TMP/out.avro" "$FX/abc.json"
	# via a pipe, first
	run_sh 'cat "$1" | "$AVROKIT" concat - "$2" "$3" > "$4"' x "$FX/a.avro" "$FX/b.avro" \
		"$FX/c.avro" "$TMP/out2.avro"
	expect_status 0
	expect_records "$TMP/out2.avro" "$FX/abc.json"
	# no input at all is standard input
	run_sh '"$AVROKIT" concat < "$1" > "$2"' x "$FX/a.avro" "$TMP/out3.avro"
	expect_status 0
	expect_records "$TMP/out3.avro" "$FX/a.json"
}

@test "concat: standard input twice is a usage error" {
	run_ak concat - - < "$FX/a.avro"
	expect_usage_error concat "standard input"
	run_ak concat "$FX/a.avro" - "$FX/b.avro" - < "$FX/a.avro"
	expect_usage_error concat "standard input"
}

@test "concat: -o leaves only the output file; a failure leaves no file" {
	mkdir "$TMP/d"
	cp "$FX/a.avro" "$FX/b.avro" "$TMP/d/"
	run_ak concat "$TMP/d/a.avro" "$TMP/d/b.avro" -o "$TMP/d/out.avro"
	expect_status 0
	[[ "$(list_dir "$TMP/d")" == $'a.avro\nb.avro\nout.avro' ]] || fail "files: $(list_dir "$TMP/d")"
	# a missing second input: fails after the output was started
	run_ak concat "$TMP/d/a.avro" "$TMP/d/nosuch.avro" -o "$TMP/d/out2.avro"
	expect_status 1
	expect_stderr "nosuch.avro"
	[[ "$(list_dir "$TMP/d")" == $'a.avro\nb.avro\nout.avro' ]] || fail "files: $(list_dir "$TMP/d")"
	# a damaged input: an existing output keeps its bytes
	cp "$TMP/d/out.avro" "$TMP/before.avro"
	flip_last_byte "$FX/b.avro" "$TMP/d/b.avro"
	run_ak concat "$TMP/d/a.avro" "$TMP/d/b.avro" -o "$TMP/d/out.avro"
	expect_status 1
	cmp "$TMP/before.avro" "$TMP/d/out.avro"
	[[ "$(list_dir "$TMP/d")" == $'a.avro\nb.avro\nout.avro' ]] || fail "files: $(list_dir "$TMP/d")"
}

@test "concat, cat, recodec, repair: an output that is also an input is refused" {
	mkdir "$TMP/d"
	cp "$FX/a.avro" "$FX/b.avro" "$TMP/d/"
	ln -s a.avro "$TMP/d/link.avro"
	cd "$TMP/d"
	run_ak concat a.avro b.avro -o a.avro
	expect_data_error concat a.avro "also the output"
	run_ak concat b.avro a.avro -o link.avro
	expect_status 1
	run_ak cat a.avro -o a.avro
	expect_data_error cat a.avro "also the output"
	run_ak recodec -c null a.avro a.avro
	expect_data_error recodec a.avro "also the output"
	run_ak recodec a.avro link.avro
	expect_status 1
	run_ak repair a.avro a.avro
	expect_data_error repair a.avro "also the output"
	cmp a.avro "$FX/a.avro"
	cmp b.avro "$FX/b.avro"
	[[ "$(list_dir .)" == $'a.avro\nb.avro\nlink.avro' ]] || fail "$(list_dir .)"
}

@test "cat, concat, fromjson: a missing input fails before anything is written, naming it" {
	# avro-tools puts the output last: here it is taken for an input that does not exist
	run_sh '"$AVROKIT" cat --offset 1 --limit 2 "$1" "$2" | wc -c' x "$FX/n100.avro" "$TMP/out.avro"
	expect_status 0
	expect_output_is 0
	expect_stderr_is "avrokit cat: $TMP/out.avro: cannot open: No such file or directory (every operand is an input: the output is written to -o FILE, or standard output)"
	[[ ! -e "$TMP/out.avro" ]]
	run_sh '"$AVROKIT" concat "$1" "$1" "$2" | wc -c' x "$FX/n100.avro" "$TMP/week.avro"
	expect_output_is 0
	expect_stderr "avrokit concat: $TMP/week.avro: cannot open: No such file or directory (every operand"
	# a missing input in the middle: no hint about the output
	run_sh '"$AVROKIT" cat "$1" "$2" "$1" | wc -c' x "$FX/n100.avro" "$TMP/nosuch.avro"
	expect_output_is 0
	expect_stderr_is "avrokit cat: $TMP/nosuch.avro: cannot open: No such file or directory"
	# a directory among the inputs
	run_sh '"$AVROKIT" concat "$1" "$2" | wc -c' x "$FX/n100.avro" "$TMP"
	expect_output_is 0
	expect_stderr_is "avrokit concat: $TMP: is a directory"
	printf '{"a":1}\n' > "$TMP/in.json"
	run_sh '"$AVROKIT" fromjson --schema "$3" "$1" "$2" | wc -c' x "$TMP/in.json" "$TMP/out.avro" \
		'{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}'
	expect_output_is 0
	expect_stderr "avrokit fromjson: $TMP/out.avro: cannot open: No such file or directory (every operand"
}

@test "concat: an input that is not an Avro data file" {
	echo 'not avro' > "$TMP/text.txt"
	run_ak concat "$FX/a.avro" "$TMP/text.txt" -o "$TMP/out.avro"
	expect_data_error concat "$TMP/text.txt" "not an Avro data file"
	[[ ! -e "$TMP/out.avro" ]]
	run_ak concat "$TMP/text.txt" "$FX/a.avro"
	expect_data_error concat "$TMP/text.txt" "not an Avro data file"
	expect_no_output
}

# ======================================================================================
# cat
# ======================================================================================

@test "cat: --offset and --limit pick a run of records" {
	run_ak cat --offset 10 --limit 5 "$FX/n100.avro" -o "$TMP/o.avro"
	expect_status 0
	expect_no_stderr
	[[ "$(ids "$TMP/o.avro")" == "10 11 12 13 14" ]] || fail "got $(ids "$TMP/o.avro")"
	"$AVROKIT" cat --offset 95 "$FX/n100.avro" > "$TMP/o.avro"
	[[ "$(ids "$TMP/o.avro")" == "95 96 97 98 99" ]] || fail "got $(ids "$TMP/o.avro")"
	"$AVROKIT" cat --limit 3 "$FX/d100.avro" > "$TMP/o.avro"
	[[ "$(ids "$TMP/o.avro")" == "0 1 2" ]] || fail "got $(ids "$TMP/o.avro")"
	# the whole record, not only its id
	sed -n '41,47p' "$FX/r100.json" > "$TMP/want.json"
	"$AVROKIT" cat --offset 40 --limit 7 "$FX/d100.avro" > "$TMP/o.avro"
	expect_records "$TMP/o.avro" "$TMP/want.json"
	# past the end, or a limit of 0: a valid file without records
	for opt in "--offset 100" "--offset 1000" "--limit 0"; do
		"$AVROKIT" cat $opt "$FX/n100.avro" > "$TMP/o.avro"
		run_ak count "$TMP/o.avro"
		expect_status 0
		expect_output_is 0
	done
	run_ak cat --offset -1 "$FX/n100.avro"
	expect_usage_error cat "--offset"
	run_ak cat --limit x "$FX/n100.avro"
	expect_usage_error cat "--limit"
}

@test "cat: --samplerate keeps exactly the records avro-tools keeps" {
	local rate want
	# avro-tools CatTool: counter = 1; per record counter += rate, kept when counter >= 1
	# (then counter -= 1). In doubles 0.1 does not add up to exactly 1, so record 9 is kept
	# and record 10 is not.
	"$AVROKIT" cat --samplerate 0.1 "$FX/n100.avro" > "$TMP/s.avro"
	[[ "$(ids "$TMP/s.avro")" == "0 9 20 30 40 50 60 70 80 90" ]] || fail "got $(ids "$TMP/s.avro")"
	[[ "$(py sample 100 0.1)" == "0 9 20 30 40 50 60 70 80 90" ]]
	for rate in 0.3 0.25 0.07 0.5 0.999; do
		"$AVROKIT" cat --samplerate $rate "$FX/d100.avro" > "$TMP/s.avro"
		want="$(py sample 100 $rate)"
		[[ "$(ids "$TMP/s.avro")" == "$want" ]] || fail "rate $rate: got $(ids "$TMP/s.avro"), want $want"
	done
	# the first record after --offset is always kept; --limit counts kept records
	"$AVROKIT" cat --offset 7 --samplerate 0.25 "$FX/n100.avro" > "$TMP/s.avro"
	want="$(py sample 93 0.25 | tr ' ' '\n' | awk '{ printf "%s%d", (NR > 1 ? " " : ""), $1 + 7 }')"
	[[ "$(ids "$TMP/s.avro")" == "$want" ]] || fail "offset 7: got $(ids "$TMP/s.avro"), want $want"
	"$AVROKIT" cat --limit 4 --samplerate 0.3 "$FX/n100.avro" > "$TMP/s.avro"
	[[ "$(ids "$TMP/s.avro")" == "0 3 6 9" ]] || fail "limit 4: got $(ids "$TMP/s.avro")"
}

@test "cat: --samplerate 0 keeps only the first record, 1 keeps every record" {
	"$AVROKIT" cat --samplerate 0 "$FX/n100.avro" > "$TMP/s.avro"
	[[ "$(ids "$TMP/s.avro")" == "0" ]] || fail "rate 0: got $(ids "$TMP/s.avro")"
	"$AVROKIT" cat --samplerate 0 --offset 5 "$FX/n100.avro" > "$TMP/s.avro"
	[[ "$(ids "$TMP/s.avro")" == "5" ]] || fail "rate 0, offset 5: got $(ids "$TMP/s.avro")"
	"$AVROKIT" cat --samplerate 1 "$FX/n100.avro" > "$TMP/s.avro"
	expect_records "$TMP/s.avro" "$FX/r100.json"
	"$AVROKIT" cat --samplerate 1.0 "$FX/d100.avro" > "$TMP/s.avro"
	expect_records "$TMP/s.avro" "$FX/r100.json"
}

@test "cat: --seed samples at random: the same seed gives the same file" {
	local a b c prev=-1 id
	"$AVROKIT" cat --samplerate 0.3 --seed 7 --sync-marker $SYNC "$FX/n100.avro" > "$TMP/a.avro"
	"$AVROKIT" cat --samplerate 0.3 --seed 7 --sync-marker $SYNC "$FX/n100.avro" > "$TMP/b.avro"
	"$AVROKIT" cat --samplerate 0.3 --seed 8 --sync-marker $SYNC "$FX/n100.avro" > "$TMP/c.avro"
	cmp "$TMP/a.avro" "$TMP/b.avro"
	a="$(ids "$TMP/a.avro")"
	c="$(ids "$TMP/c.avro")"
	[[ "$a" != "$c" ]] || fail "seeds 7 and 8 picked the same records: $a"
	# not the evenly spaced pick, a proper subset, in order, and of a plausible size
	[[ "$a" != "$(py sample 100 0.3)" ]]
	for id in $a; do
		((id > prev && id < 100)) || fail "ids not increasing within 0..99: $a"
		prev=$id
	done
	n=$(wc -w <<< "$a")
	((n >= 10 && n <= 55)) || fail "rate 0.3 of 100 kept $n records"
	# the records are whole
	"$AVROKIT" tojson "$TMP/a.avro" > "$TMP/a.json"
	grep -F -x -f "$TMP/a.json" "$FX/r100.json" | cmp - "$TMP/a.json"
	# rate 0 keeps none, rate 1 keeps all
	"$AVROKIT" cat --samplerate 0 --seed 7 "$FX/n100.avro" > "$TMP/z.avro"
	run_ak count "$TMP/z.avro"
	expect_output_is 0
	"$AVROKIT" cat --samplerate 1 --seed 7 "$FX/n100.avro" > "$TMP/all.avro"
	expect_records "$TMP/all.avro" "$FX/r100.json"
	run_ak cat --samplerate 0.5 --seed abc "$FX/n100.avro"
	expect_usage_error cat "--seed"
}

@test "cat: a bad --samplerate is a usage error" {
	local r
	for r in -0.1 1.5 abc "" 0.5x nan 2; do
		run_ak cat --samplerate "$r" "$FX/n100.avro"
		expect_usage_error cat "--samplerate"
	done
}

@test "cat: several inputs are one stream of records (--offset spans the first file)" {
	local want
	"$AVROKIT" cat "$FX/a.avro" "$FX/b.avro" "$FX/c.avro" > "$TMP/o.avro"
	expect_records "$TMP/o.avro" "$FX/abc.json"
	"$AVROKIT" cat --offset 25 --limit 10 "$FX/a.avro" "$FX/b.avro" "$FX/c.avro" > "$TMP/o.avro"
	[[ "$(ids "$TMP/o.avro")" == "$(seq_ids 25 34)" ]] || fail "offset 25 limit 10: $(ids "$TMP/o.avro")"
	"$AVROKIT" cat --offset 40 "$FX/a.avro" "$FX/b.avro" "$FX/c.avro" > "$TMP/o.avro"
	[[ "$(ids "$TMP/o.avro")" == "$(seq_ids 40 74)" ]] || fail "offset 40: $(ids "$TMP/o.avro")"
	# past the whole first and second file
	"$AVROKIT" cat --offset 60 "$FX/a.avro" "$FX/b.avro" "$FX/c.avro" > "$TMP/o.avro"
	[[ "$(ids "$TMP/o.avro")" == "$(seq_ids 60 74)" ]] || fail "offset 60: $(ids "$TMP/o.avro")"
	"$AVROKIT" cat --limit 35 "$FX/a.avro" "$FX/b.avro" "$FX/c.avro" > "$TMP/o.avro"
	[[ "$(ids "$TMP/o.avro")" == "$(seq_ids 0 34)" ]] || fail "limit 35: $(ids "$TMP/o.avro")"
	# the sample counter runs on across files
	"$AVROKIT" cat --samplerate 0.3 "$FX/a.avro" "$FX/b-null.avro" "$FX/c.avro" > "$TMP/o.avro"
	want="$(py sample 75 0.3)"
	[[ "$(ids "$TMP/o.avro")" == "$want" ]] || fail "rate 0.3: $(ids "$TMP/o.avro"), want $want"
	# an empty input in the middle
	"$AVROKIT" cat "$FX/a.avro" "$FX/empty.avro" "$FX/b.avro" > "$TMP/o.avro"
	[[ "$(ids "$TMP/o.avro")" == "$(seq_ids 0 54)" ]] || fail "with empty: $(ids "$TMP/o.avro")"
	# standard input as the second input, with the same canonical form in other text
	"$AVROKIT" cat "$FX/a.avro" - < "$FX/y-doc.avro" > "$TMP/o.avro"
	[[ "$(ids "$TMP/o.avro")" == "$(seq_ids 0 54)" ]] || fail "a + stdin: $(ids "$TMP/o.avro")"
}

@test "cat: --codec sets the output's codec; by default it is the first input's" {
	local codec
	"$AVROKIT" cat "$FX/d100.avro" > "$TMP/o.avro"
	run_ak getmeta -k avro.codec "$TMP/o.avro"
	expect_output_is deflate
	"$AVROKIT" cat "$FX/n100.avro" > "$TMP/o.avro"
	run_ak getmeta -k avro.codec "$TMP/o.avro"
	expect_output_is null
	# metadata of the input is kept
	run_ak getmeta -k user.note "$TMP/o.avro"
	expect_output_is fixture
	for codec in $CODECS; do
		run_ak cat --codec $codec --offset 3 --limit 50 "$FX/n100.avro" -o "$TMP/$codec.avro"
		expect_status 0
		run_ak getmeta -k avro.codec "$TMP/$codec.avro"
		expect_output_is $codec
		sed -n '4,53p' "$FX/r100.json" > "$TMP/want.json"
		expect_records "$TMP/$codec.avro" "$TMP/want.json"
	done
	run_ak cat --codec nosuch "$FX/n100.avro"
	expect_usage_error cat "nosuch"
}

@test "cat: a reader schema converts the records" {
	local reader='{"type":"record","name":"Item","namespace":"org.avrokit.filecmds","fields":[
		{"name":"id","type":"long"},{"name":"score","type":"double"},
		{"name":"extra","type":"string","default":"dflt"},
		{"name":"opt","type":["null","int"],"default":null}]}'
	"$PY" -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    print(json.dumps({"id": r["id"], "score": r["score"], "extra": "dflt", "opt": None},
                     separators=(",", ":")))' "$FX/r100.json" > "$TMP/want.json"
	run_ak cat -r "$reader" "$FX/d100.avro" -o "$TMP/r.avro"
	expect_status 0
	expect_no_stderr
	expect_records "$TMP/r.avro" "$TMP/want.json"
	# the output's schema is the reader schema
	run_ak getmeta -k avro.schema "$TMP/r.avro"
	[[ "$output" == *'"extra"'* && "$output" != *'"tags"'* ]] || fail "schema: $output"
	# from a file, with --offset and --limit
	printf '%s\n' "$reader" > "$TMP/reader.avsc"
	run_ak cat -R "$TMP/reader.avsc" --offset 20 --limit 5 "$FX/n100.avro" -o "$TMP/r2.avro"
	expect_status 0
	sed -n '21,25p' "$TMP/want.json" > "$TMP/want2.json"
	expect_records "$TMP/r2.avro" "$TMP/want2.json"
	# a data file as the reader schema: the records convert back... as far as they can
	run_ak cat --reader-schema-file "$TMP/r.avro" --limit 2 "$FX/n100.avro" -o "$TMP/r3.avro"
	expect_status 0
	sed -n '1,2p' "$TMP/want.json" > "$TMP/want3.json"
	expect_records "$TMP/r3.avro" "$TMP/want3.json"
	# a reader schema that cannot read the data
	run_ak cat -r '{"type":"record","name":"Item","namespace":"org.avrokit.filecmds","fields":[{"name":"nope","type":"int"}]}' "$FX/n100.avro"
	expect_status 1
	expect_stderr "avrokit cat: " "nope"
	run_ak cat -r '"int"' -R "$TMP/reader.avsc" "$FX/n100.avro"
	expect_usage_error cat
}

@test "cat: inputs with different schemas are refused" {
	mkdir "$TMP/d"
	cp "$FX/a.avro" "$FX/x-int.avro" "$TMP/d/"
	cd "$TMP/d"
	run_ak cat a.avro x-int.avro -o out.avro
	expect_status 1
	expect_stderr "avrokit cat: x-int.avro: " "a.avro"
	[[ "$(list_dir .)" == $'a.avro\nx-int.avro' ]] || fail "files left: $(list_dir .)"
}

@test "cat: standard input" {
	run_sh '"$AVROKIT" cat --offset 28 < "$1" | "$AVROKIT" tojson' x "$FX/a.avro"
	expect_status 0
	expect_output_is "$(sed -n '29,30p' "$FX/a.json")"
	run_sh 'cat "$1" | "$AVROKIT" cat --limit 2 - | "$AVROKIT" tojson' x "$FX/a.avro"
	expect_status 0
	expect_output_is "$(sed -n '1,2p' "$FX/a.json")"
	run_ak cat - - < "$FX/a.avro"
	expect_usage_error cat "standard input"
}

# ======================================================================================
# recodec
# ======================================================================================

@test "recodec: every codec keeps the records, the metadata, the blocks and the sync marker" {
	local codec from
	for from in n100 d100; do
		for codec in $CODECS; do
			run_ak recodec --codec $codec "$FX/$from.avro" "$TMP/$codec.avro"
			expect_status 0
			expect_no_output
			expect_no_stderr
			run_ak getmeta -k avro.codec "$TMP/$codec.avro"
			expect_output_is $codec
			expect_records "$TMP/$codec.avro" "$FX/r100.json"
			diff <(meta_but_codec "$FX/$from.avro") <(meta_but_codec "$TMP/$codec.avro")
			[[ "$(header_sync "$TMP/$codec.avro")" == "$SYNC" ]] || fail "$codec: sync changed"
			# the same grouping of records into blocks
			diff <(awk '$1 == "block" { print $6 }' "$FX/$from.avro.layout") \
				<(py layout "$TMP/$codec.avro" | awk '$1 == "block" { print $6 }')
			# back to null gives the null file written by fromjson, byte for byte
			"$AVROKIT" recodec "$TMP/$codec.avro" "$TMP/back.avro"
			cmp "$FX/n100.avro" "$TMP/back.avro" || fail "$from -> $codec -> null differs"
		done
	done
}

# avrocat_check FILE JSONL: avro-c's avrocat prints the records of JSONL (compared as values)
avrocat_check() {
	avrocat "$1" > "$TMP/avrocat.out" || fail "avrocat cannot read $1"
	"$PY" -c '
import json, sys
got = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
want = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
if got != want:
    sys.exit("avrocat reads %d records from %s, %d expected; first difference: %r" % (
        len(got), sys.argv[3], len(want),
        next(((g, w) for g, w in zip(got, want) if g != w), None)))' "$TMP/avrocat.out" "$2" "$1"
}

@test "recodec: python3-avro and avrocat read what recodec writes" {
	local codec
	need_pyavro
	for codec in null deflate snappy bzip2 zstandard; do
		"$AVROKIT" recodec -c $codec "$FX/n100.avro" "$TMP/$codec.avro"
		run py pycheck "$TMP/$codec.avro" "$FX/r100.json"
		[[ "$status" -eq 0 ]] || fail "$codec: $output"
		run py pymeta "$TMP/$codec.avro" user.k
		[[ "$output" == hello ]] || fail "$codec: user.k is $output"
	done
	command -v avrocat > /dev/null || skip "avrocat (avro-bin) is not installed"
	# the codecs avro-c reads
	for codec in null deflate snappy; do
		avrocat_check "$TMP/$codec.avro" "$FX/r100.json"
	done
}

@test "recodec: --sync-marker replaces the sync marker" {
	local s=fedcba98765432100123456789abcdef
	run_ak recodec --sync-marker $s -c deflate "$FX/n100.avro" "$TMP/s.avro"
	expect_status 0
	[[ "$(header_sync "$TMP/s.avro")" == "$s" ]]
	[[ "$(tail -c 16 "$TMP/s.avro" | xxd -p)" == "$s" ]]
	expect_records "$TMP/s.avro" "$FX/r100.json"
	# same codec: blocks copied, only the marker differs
	run_ak recodec --sync-marker $s -c deflate "$FX/d100.avro" "$TMP/s2.avro"
	expect_status 0
	[[ "$(header_sync "$TMP/s2.avro")" == "$s" ]]
	cmp <(py stored "$FX/d100.avro" 4) <(py stored "$TMP/s2.avro" 4)
	[[ "$(stat -c %s "$TMP/s2.avro")" -eq "$(stat -c %s "$FX/d100.avro")" ]]
	run_ak recodec --sync-marker xyz "$FX/n100.avro"
	expect_usage_error recodec "--sync-marker"
}

@test "recodec: the same codec without --level copies the file byte for byte" {
	"$AVROKIT" recodec -c deflate "$FX/d100.avro" "$TMP/d.avro"
	cmp "$FX/d100.avro" "$TMP/d.avro"
	"$AVROKIT" recodec "$FX/n100.avro" "$TMP/n.avro"
	cmp "$FX/n100.avro" "$TMP/n.avro"
	"$AVROKIT" recodec -c snappy "$FX/c-snappy.avro" "$TMP/c.avro"
	cmp "$FX/c-snappy.avro" "$TMP/c.avro"
	# with --level the blocks are compressed again; the records stay
	run_ak recodec -c deflate --level 1 "$FX/d100.avro" "$TMP/l1.avro"
	expect_status 0
	expect_records "$TMP/l1.avro" "$FX/r100.json"
	run_ak recodec -c deflate --level 99 "$FX/d100.avro"
	expect_usage_error recodec "--level"
}

@test "recodec: standard input and standard output" {
	mkdir "$TMP/d"
	"$AVROKIT" recodec -c zstandard "$FX/n100.avro" "$TMP/d/ref.avro"
	run_sh '"$AVROKIT" recodec -c zstandard < "$1" > "$2"' x "$FX/n100.avro" "$TMP/d/1.avro"
	expect_status 0
	cmp "$TMP/d/ref.avro" "$TMP/d/1.avro"
	run_sh 'cat "$1" | "$AVROKIT" recodec -c zstandard - "$2"' x "$FX/n100.avro" "$TMP/d/2.avro"
	expect_status 0
	cmp "$TMP/d/ref.avro" "$TMP/d/2.avro"
	run_sh '"$AVROKIT" recodec -c zstandard "$1" - | cat > "$2"' x "$FX/n100.avro" "$TMP/d/3.avro"
	expect_status 0
	cmp "$TMP/d/ref.avro" "$TMP/d/3.avro"
	run_sh '"$AVROKIT" recodec -c zstandard "$1" > "$2"' x "$FX/n100.avro" "$TMP/d/4.avro"
	expect_status 0
	cmp "$TMP/d/ref.avro" "$TMP/d/4.avro"
	[[ "$(list_dir "$TMP/d")" == $'1.avro\n2.avro\n3.avro\n4.avro\nref.avro' ]] ||
		fail "files: $(list_dir "$TMP/d")"
}

@test "recodec and repair: -o FILE is the same as the OUTPUT operand; both is a usage error" {
	"$AVROKIT" recodec -c deflate --sync-marker $SYNC "$FX/n100.avro" "$TMP/arg.avro"
	run_ak recodec -c deflate --sync-marker $SYNC -o "$TMP/opt.avro" "$FX/n100.avro"
	expect_status 0
	expect_no_output
	cmp "$TMP/arg.avro" "$TMP/opt.avro"
	run_ak recodec -o "$TMP/a.avro" "$FX/n100.avro" "$TMP/b.avro"
	expect_usage_error recodec "-o FILE or as OUTPUT, not both"
	"$AVROKIT" repair -q "$FX/n100.avro" "$TMP/rarg.avro"
	run_ak repair -q --output "$TMP/ropt.avro" "$FX/n100.avro"
	expect_status 0
	expect_no_output
	cmp "$TMP/rarg.avro" "$TMP/ropt.avro"
	run_ak repair -o "$TMP/a.avro" "$FX/n100.avro" "$TMP/b.avro"
	expect_usage_error repair "-o FILE or as OUTPUT, not both"
	run_ak repair --report -o "$TMP/a.avro" "$FX/n100.avro"
	expect_usage_error repair "--report writes no data file"
	[[ ! -e "$TMP/a.avro" && ! -e "$TMP/b.avro" ]]
}

@test "recodec: usage errors" {
	run_ak recodec "$FX/n100.avro" "$TMP/a.avro" "$TMP/b.avro"
	expect_usage_error recodec "3 arguments"
	[[ ! -e "$TMP/a.avro" && ! -e "$TMP/b.avro" ]]
	run_ak recodec --codec brotli "$FX/n100.avro"
	expect_usage_error recodec "unknown codec 'brotli'"
	run_ak recodec --codec "" "$FX/n100.avro"
	expect_usage_error recodec
	run_ak recodec "$TMP/nosuch.avro" "$TMP/out.avro"
	expect_status 1
	expect_stderr "nosuch.avro"
	[[ ! -e "$TMP/out.avro" ]]
}
