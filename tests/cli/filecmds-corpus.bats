#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# Every container file of the third-party corpus (../shared/corpus, or AK_CORPUS; skipped,
# saying so, when it is missing) through concat, cat, recodec, blocks and repair. (A file of
# its own: some three hundred runs of avrokit, minutes under valgrind. The tests of each
# command are in filecmds.bats and filecmds-repair.bats.)
#
#   AVROKIT=$PWD/build/src/cli/avrokit bats tests/cli/filecmds-corpus.bats

load common
load filecmds

# (none of filecmds.bash's fixtures: only the corpus)
setup_file() {
	:
}

setup() {
	ak_setup
	[[ -x "$PY" ]] || skip "$PY not found (the helpers are Python scripts)"
}

# ======================================================================================
# third-party files
# ======================================================================================

@test "corpus: every container survives concat, cat, recodec, blocks and repair" {
	local f rel n problems=() want
	[[ -d "$CORPUS" ]] || skip "corpus not found at $CORPUS (set AK_CORPUS)"
	n=0
	while IFS= read -r rel; do
		f="$CORPUS/$rel"
		n=$((n + 1))
		if ! "$AVROKIT" tojson "$f" > "$TMP/want.json" 2>/dev/null; then
			# a broken file: --report finds damage, and what repair writes reads fully
			"$AVROKIT" repair --report "$f" > /dev/null 2>&1 && problems+=("$rel: --report finds no damage")
			if "$AVROKIT" repair -q "$f" "$TMP/rep.avro" 2>/dev/null; then
				"$AVROKIT" tojson "$TMP/rep.avro" > /dev/null ||
					problems+=("$rel: tojson cannot read the repaired file")
			fi
			continue
		fi
		cat "$TMP/want.json" "$TMP/want.json" > "$TMP/twice.json"
		"$AVROKIT" repair --report "$f" > "$TMP/report" ||
			problems+=("$rel: repair --report: $(cat "$TMP/report")")
		grep -q '; 0 damaged regions, 0 records lost$' "$TMP/report" ||
			problems+=("$rel: repair --report: $(cat "$TMP/report")")
		"$AVROKIT" repair -q "$f" "$TMP/rep.avro" && "$AVROKIT" tojson "$TMP/rep.avro" | cmp -s - "$TMP/want.json" ||
			problems+=("$rel: repair changes the records")
		diff <(py metanorm "$f") <(py metanorm "$TMP/rep.avro") > /dev/null ||
			problems+=("$rel: repair changes the metadata")
		"$AVROKIT" recodec -c deflate "$f" "$TMP/deflate.avro" &&
			"$AVROKIT" tojson "$TMP/deflate.avro" | cmp -s - "$TMP/want.json" ||
			problems+=("$rel: recodec -c deflate changes the records")
		"$AVROKIT" recodec "$TMP/deflate.avro" "$TMP/null.avro" &&
			"$AVROKIT" tojson "$TMP/null.avro" | cmp -s - "$TMP/want.json" ||
			problems+=("$rel: recodec back to null changes the records")
		diff <(py metanorm "$f" --no-codec) <(py metanorm "$TMP/null.avro" --no-codec) > /dev/null ||
			problems+=("$rel: recodec changes the metadata")
		"$AVROKIT" concat "$f" "$TMP/deflate.avro" -o "$TMP/c.avro" 2> /dev/null ||
			problems+=("$rel: concat of the file and its recodec'd copy fails")
		"$AVROKIT" concat "$f" - < "$TMP/deflate.avro" | "$AVROKIT" tojson | cmp -s - "$TMP/twice.json" ||
			problems+=("$rel: concat of the file and its recodec'd copy has other records")
		"$AVROKIT" cat "$f" | "$AVROKIT" tojson | cmp -s - "$TMP/want.json" ||
			problems+=("$rel: cat changes the records")
		want=$("$AVROKIT" count "$f")
		"$AVROKIT" blocks "$f" > "$TMP/blocks" && [[ "$(tail -n 1 "$TMP/blocks")" == "# $want records" ]] ||
			problems+=("$rel: blocks: $(tail -n 1 "$TMP/blocks"), count says $want")
	done < <(cd "$CORPUS" && find . -path ./peer-output -prune -o -type f -name '*.avro' -print |
		sed 's|^\./||' | LC_ALL=C sort)
	((n > 0)) || fail "no .avro files under $CORPUS"
	((${#problems[@]} == 0)) || fail "${problems[@]}"
}
