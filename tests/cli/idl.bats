#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# Avro IDL: idl and idl2schemata, and IDL files where a schema file is taken (fromjson
# --schema-file, canonical, ...).
#
#   * corpus tests read the Avro IDL test inputs and what Java's avro-tools writes for them
#     from ${AK_CORPUS:-../shared/corpus}/idl (input/, output/; input/classpath stands for
#     Java's class path and is given as --import-dir); they skip, saying so, when it is
#     missing. Outputs are compared as JSON values with python3's json module.
#
# Run by hand: AVROKIT=$PWD/build/src/cli/avrokit bats tests/cli/idl.bats

load common

need_corpus() {
	IDL="$CORPUS/idl"
	[[ -d "$IDL/input" && -d "$IDL/output" ]] || skip "IDL corpus not found at $IDL"
}

# same_json A B [A2 B2]...: each pair of files holds equal JSON values
same_json() {
	python3 -c 'import json, sys
args = sys.argv[1:]
for a, b in zip(args[::2], args[1::2]):
    if json.load(open(a, encoding="utf-8")) != json.load(open(b, encoding="utf-8")):
        sys.exit("%s and %s differ as JSON values" % (a, b))' "$@"
}

# The expected output of a corpus input (the corpus's own naming rule)
expected_for() {
	local b
	b=$(basename "$1" .avdl)
	case $b in
	*_schema) echo "$IDL/output/${b%_schema}.avsc" ;;
	*) echo "$IDL/output/$b.avpr" ;;
	esac
}

put() {
	printf '%s\n' "$2" > "$TMP/$1"
	echo "$TMP/$1"
}

# ---- the corpus ----

@test "idl: every corpus input gives what avro-tools idl gives (as JSON values)" {
	need_corpus
	local f n=0 pairs=()
	for f in "$IDL"/input/*.avdl; do
		run_ak idl --import-dir "$IDL/input/classpath" "$f" "$TMP/out$n.json"
		[[ "$status" -eq 0 ]] || ak_show "idl $f"
		pairs+=("$TMP/out$n.json" "$(expected_for "$f")")
		n=$((n + 1))
	done
	[[ $n -ge 13 ]] || ak_show "only $n corpus inputs"
	same_json "${pairs[@]}"
}

@test "idl: the corpus's import of the class path fails without --import-dir, naming it" {
	need_corpus
	run_ak idl "$IDL/input/import.avdl"
	expect_status 1
	expect_stderr "avrokit idl: $IDL/input/import.avdl:" "import \"OnTheClasspath.avdl\": file not found"
	expect_no_output
}

@test "idl: comments.avdl: the 24 out-of-place doc comments Java warns about, where Java does" {
	need_corpus
	run_ak idl "$IDL/input/comments.avdl"
	expect_status 0
	local places
	places=$(printf '%s\n' "$stderr" | sed -n 's/^avrokit idl: .*comments\.avdl:\([0-9]*:[0-9]*\): warning: out-of-place documentation comment ignored.*/\1/p' | tr '\n' ' ')
	[[ "$places" == "21:8 21:45 22:5 23:5 24:5 25:5 26:7 27:7 28:7 33:7 34:7 35:5 36:5 37:7 42:7 43:7 46:9 47:5 54:7 55:7 58:9 59:7 60:11 61:11 " ]] ||
		ak_show "warnings at: $places"
	[[ $(printf '%s\n' "$stderr" | wc -l) -eq 24 ]] || ak_show "24 lines of warnings"
}

@test "idl: the output is laid out as avro-tools lays it out (import.avdl, byte for byte)" {
	need_corpus
	run_ak idl -I "$IDL/input/classpath" "$IDL/input/import.avdl"
	expect_status 0
	expect_output_file "$IDL/output/import.avpr"
}

@test "idl2schemata: every corpus input: one NAME.avsc per named type, each a schema on its own" {
	need_corpus
	local f t i=0 ascii=()
	for f in "$IDL"/input/*.avdl; do
		run_ak idl2schemata -I "$IDL/input/classpath" "$f" "$TMP/out$i"
		[[ "$status" -eq 0 ]] || ak_show "idl2schemata $f"
		"$AVROKIT" idl -I "$IDL/input/classpath" "$f" "$TMP/all$i.json" 2>/dev/null
		echo "$f $TMP/all$i.json $TMP/out$i" >> "$TMP/list"
		# each file is a complete schema (avrokit's own schema parser allows ASCII names
		# only, as the specification does; Java allows Unicode letters)
		for t in "$TMP/out$i"/*.avsc; do
			[[ -e "$t" ]] && ! LC_ALL=C grep -q '[^ -~]' "$t" && ascii+=("$t")
		done
		i=$((i + 1))
	done
	"$AVROKIT" canonical "${ascii[@]}" > /dev/null || ak_show "canonical of the files"
	# the files are the simple names of the named types (all of them: a schema file's main
	# schema leaves out the imported ones it does not use), each named after its type
	python3 -c 'import json, os, sys
def walk(s, seen):
    if isinstance(s, list):
        for x in s: walk(x, seen)
    elif isinstance(s, dict):
        if s.get("type") in ("record", "error", "enum", "fixed") and "name" in s:
            seen.add(s["name"])
        for k in ("items", "values"):
            if k in s: walk(s[k], seen)
        for fl in s.get("fields", []): walk(fl["type"], seen)
for line in open(sys.argv[1]):
    src, alljson, outdir = line.split()
    j = json.load(open(alljson))
    want = set()
    walk(j["types"] if isinstance(j, dict) and "protocol" in j else j, want)
    if src.endswith("schema_syntax_schema.avdl"):
        want = {"Foo", "Status", "StatusUpdate"}
    got = {f[:-5] for f in os.listdir(outdir)}
    if got != want:
        sys.exit("%s: files %s, types %s" % (src, sorted(got), sorted(want)))
    for name in got:
        s = json.load(open(os.path.join(outdir, name + ".avsc"), encoding="utf-8"))
        if s["name"] != name:
            sys.exit("%s/%s.avsc holds %s" % (outdir, name, s["name"]))' "$TMP/list"
}

@test "idl2schemata: a type defines what it uses inline (import.avdl: Bar.avsc, Player.avsc)" {
	need_corpus
	run_ak idl2schemata -I "$IDL/input/classpath" "$IDL/input/import.avdl" "$TMP/out"
	expect_status 0
	assert_golden_file idl/Bar.avsc "$TMP/out/Bar.avsc"
	assert_golden_file idl/Player.avsc "$TMP/out/Player.avsc"
}

@test "idl2schemata: simple.avdl: TestRecord.avsc as avro-tools writes it" {
	need_corpus
	run_ak idl2schemata "$IDL/input/simple.avdl" "$TMP/out"
	expect_status 0
	expect_stderr "simple.avdl:1:1: warning: out-of-place documentation comment ignored"
	assert_golden_file idl/TestRecord.avsc "$TMP/out/TestRecord.avsc"
	[[ "$(list_dir "$TMP/out")" == $'Kind.avsc\nMD5.avsc\nStatus.avsc\nTestError.avsc\nTestRecord.avsc' ]] ||
		ak_show "files: $(list_dir "$TMP/out")"
}

# ---- inputs and outputs ----

@test "idl: standard input, as no INPUT and as -; its imports are found in the current directory" {
	put a.avdl 'protocol A { import idl "b.avdl"; record RA { RB b; } }' > /dev/null
	put b.avdl 'protocol B { record RB {} }' > /dev/null
	"$AVROKIT" idl "$TMP/a.avdl" > "$TMP/want.json"
	run_sh 'cd "$1" && "$AVROKIT" idl < a.avdl' sh "$TMP"
	expect_status 0
	[[ "$output" == "$(cat "$TMP/want.json")" ]] || ak_show "stdin differs from the file"
	run_sh 'cd "$1" && "$AVROKIT" idl - - < a.avdl' sh "$TMP"
	expect_status 0
	[[ "$output" == "$(cat "$TMP/want.json")" ]] || ak_show "- - differs from the file"
	run_sh 'cd / && "$AVROKIT" idl < "$1/a.avdl"' sh "$TMP"
	expect_status 1
	expect_stderr "avrokit idl: (standard input):1:25: import \"b.avdl\": file not found next to the current directory"
}

@test "idl: OUTPUT and -o write a file, replaced only on success" {
	local f
	f=$(put ok.avdl 'schema int;')
	run_ak idl "$f" "$TMP/out.avsc"
	expect_status 0
	expect_no_output
	[[ "$(cat "$TMP/out.avsc")" == '"int"' ]]
	run_ak idl -o "$TMP/out2.avsc" "$f"
	expect_status 0
	[[ "$(cat "$TMP/out2.avsc")" == '"int"' ]]
	put bad.avdl 'schema int' > /dev/null
	echo keep > "$TMP/out.avsc"
	run_ak idl "$TMP/bad.avdl" "$TMP/out.avsc"
	expect_status 1
	[[ "$(cat "$TMP/out.avsc")" == keep ]] || ak_show "the output was touched"
	[[ "$(list_dir "$TMP" | grep -c '^\.')" -eq 0 ]] || ak_show "a temporary file was left"
}

@test "idl: writing over the input is refused; > /dev/full is exit 1" {
	local f
	f=$(put self.avdl 'schema int;')
	run_ak idl "$f" "$f"
	expect_status 1
	expect_stderr "is also the output"
	[[ "$(cat "$f")" == 'schema int;' ]]
	run_sh '"$AVROKIT" idl "$1" > /dev/full' sh "$f"
	expect_status 1
	expect_stderr "No space left"
}

@test "idl: bad options and arguments are usage errors" {
	run_ak idl --no-such-option
	expect_usage_error idl
	run_ak idl a b c
	expect_usage_error idl "at most an INPUT and an OUTPUT"
	run_ak idl -o x a b
	expect_usage_error idl "not both"
	run_ak idl --import-dir
	expect_usage_error idl
	run_ak idl2schemata
	expect_usage_error idl2schemata "an INPUT is needed"
	run_ak idl2schemata a b c
	expect_usage_error idl2schemata "at most an INPUT and an OUTDIR"
}

@test "idl: --help describes the command and its options" {
	run_ak idl --help
	expect_status 0
	[[ "$output" == *"Usage: avrokit idl [OPTION]... [INPUT [OUTPUT]]"* ]]
	[[ "$output" == *"--import-dir=DIR"* || "$output" == *"--import-dir DIR"* ]]
	run_ak idl2schemata --help
	expect_status 0
	[[ "$output" == *"Usage: avrokit idl2schemata [OPTION]... INPUT [OUTDIR]"* ]]
}

@test "idl: a missing or unreadable input is exit 1 naming it" {
	run_ak idl "$TMP/none.avdl"
	expect_data_error idl "$TMP/none.avdl" "No such file"
	run_ak idl "$TMP"
	expect_data_error idl "$TMP" "is a directory"
}

# ---- errors ----

@test "idl: a syntax error names file, line and column and what was expected" {
	local f
	f=$(put s.avdl $'protocol P {\n  record R {\n    int x\n  }\n}')
	run_ak idl "$f"
	expect_status 1
	expect_no_output
	expect_stderr_is "avrokit idl: $f:4:3: expected ',' or ';', found '}'"
	f=$(put t.avdl $'schema int')
	run_ak idl "$f"
	expect_stderr_is "avrokit idl: $f:2:1: expected ';', found the end of the input"
}

@test "idl: errors in names, types and defaults" {
	local f
	f=$(put u.avdl $'protocol P {\n  record R { Missing m; }\n}')
	run_ak idl "$f"
	expect_status 1
	expect_stderr_is "avrokit idl: $f:2:14: unknown type 'Missing'"
	f=$(put d.avdl $'schema R; record R { int x = "one"; }')
	run_ak idl "$f"
	expect_stderr_is "avrokit idl: $f:1:30: invalid default for field 'x': not a value of type int"
	f=$(put r.avdl $'record R { int a; }\nrecord R { long a; }')
	run_ak idl "$f"
	expect_stderr_is "avrokit idl: $f:2:8: type 'R' is already defined at $f:1:8"
	f=$(put o.avdl 'protocol P { int m() oneway; }')
	run_ak idl "$f"
	expect_stderr_is "avrokit idl: $f:1:22: one-way message 'm' must return void"
}

@test "idl: an error in an imported file names that file" {
	put main.avdl $'protocol M {\n  import idl "inc.avdl";\n}' > /dev/null
	put inc.avdl $'protocol I {\n  record R { int x = ; }\n}' > /dev/null
	run_ak idl "$TMP/main.avdl"
	expect_status 1
	expect_stderr_is "avrokit idl: $TMP/inc.avdl:2:22: expected a JSON value, found ';'"
	put main2.avdl 'protocol M { import schema "bad.avsc"; }' > /dev/null
	put bad.avsc '{"type": "record", "name": "X"}' > /dev/null
	run_ak idl "$TMP/main2.avdl"
	expect_stderr_is "avrokit idl: $TMP/bad.avsc: record 'X' has no \"fields\" array"
}

# ---- imports ----

@test "idl: imports are found next to the importing file, then in each --import-dir in order" {
	mkdir -p "$TMP/src/sub" "$TMP/d1" "$TMP/d2"
	printf 'protocol M { import idl "sub/a.avdl"; import schema "c.avsc"; }\n' > "$TMP/src/m.avdl"
	# a.avdl imports b.avdl from its own directory, which wins over the import dirs
	printf 'protocol A { import idl "b.avdl"; }\n' > "$TMP/src/sub/a.avdl"
	printf '@namespace("near") protocol B { record B {} }\n' > "$TMP/src/sub/b.avdl"
	printf '@namespace("far") protocol B { record B {} }\n' > "$TMP/d1/b.avdl"
	printf '{"type": "fixed", "name": "C1", "size": 1}\n' > "$TMP/d1/c.avsc"
	printf '{"type": "fixed", "name": "C2", "size": 2}\n' > "$TMP/d2/c.avsc"
	run_ak idl -I "$TMP/d1" --import-dir "$TMP/d2" "$TMP/src/m.avdl"
	expect_status 0
	[[ "$output" == *'"namespace" : "near"'* && "$output" != *far* ]] || ak_show "b.avdl from sub/"
	[[ "$output" == *'"C1"'* && "$output" != *C2* ]] || ak_show "c.avsc from the first dir"
	run_ak idl -I "$TMP/d2" -I "$TMP/d1" "$TMP/src/m.avdl"
	[[ "$output" == *'"C2"'* && "$output" != *C1* ]] || ak_show "the order of --import-dir"
}

@test "idl: import cycles and repeated imports read each file once, as Java does" {
	put a.avdl 'protocol A { import idl "b.avdl"; import idl "a.avdl"; record RA {} void a(); }' > /dev/null
	put b.avdl 'protocol B { import idl "a.avdl"; import idl "b.avdl"; record RB {} void b(); }' > /dev/null
	run_ak idl "$TMP/a.avdl"
	expect_status 0
	python3 -c 'import json, sys
j = json.loads(sys.argv[1])
assert [t["name"] for t in j["types"]] == ["RB", "RA"], j["types"]
assert list(j["messages"]) == ["b", "a"], j["messages"]' "$output"
}

@test "idl: a JSON protocol's messages come along into a protocol, not into a schema file" {
	put p.avpr '{"protocol": "P", "namespace": "p", "types": [{"type": "enum", "name": "E", "symbols": ["A"]}], "messages": {"m": {"request": [{"name": "e", "type": "E"}], "response": "null"}}}' > /dev/null
	put proto.avdl 'protocol Q { import protocol "p.avpr"; }' > /dev/null
	put schema.avdl 'import protocol "p.avpr";' > /dev/null
	run_ak idl "$TMP/proto.avdl"
	expect_status 0
	python3 -c 'import json, sys
j = json.loads(sys.argv[1])
assert j["types"] == [{"type": "enum", "name": "E", "namespace": "p", "symbols": ["A"]}], j
assert j["messages"] == {"m": {"request": [{"name": "e", "type": "p.E"}], "response": "null"}}, j' "$output"
	run_ak idl "$TMP/schema.avdl"
	expect_status 0
	python3 -c 'import json, sys
assert json.loads(sys.argv[1]) == [{"type": "enum", "name": "E", "namespace": "p", "symbols": ["A"]}]' "$output"
}

# ---- idl2schemata ----

@test "idl2schemata: OUTDIR is created; the default is the current directory; standard input" {
	local f
	f=$(put t.avdl '@namespace("n") protocol P { record A { B b; } enum B { X } }')
	run_ak idl2schemata "$f" "$TMP/new/deep/dir"
	expect_status 0
	[[ "$(list_dir "$TMP/new/deep/dir")" == $'A.avsc\nB.avsc' ]] || ak_show "files"
	python3 -c 'import json, sys
a = json.load(open(sys.argv[1]))
assert a == {"type": "record", "name": "A", "namespace": "n", "fields": [{"name": "b", "type": {"type": "enum", "name": "B", "symbols": ["X"]}}]}, a' "$TMP/new/deep/dir/A.avsc"
	mkdir "$TMP/here"
	run_sh 'cd "$1/here" && "$AVROKIT" idl2schemata - < "$1/t.avdl"' sh "$TMP"
	expect_status 0
	[[ "$(list_dir "$TMP/here")" == $'A.avsc\nB.avsc' ]] || ak_show "files in the current directory"
	cmp "$TMP/here/A.avsc" "$TMP/new/deep/dir/A.avsc"
}

@test "idl2schemata: two types with one simple name share a file: a warning, the second stays" {
	local f
	f=$(put t.avdl 'protocol P { @namespace("a") record X { int a; } @namespace("b") record X { int b; } }')
	run_ak idl2schemata "$f" "$TMP/out"
	expect_status 0
	expect_stderr "$TMP/out/X.avsc: warning: written for both a.X and b.X; the second one stays"
	grep -q '"namespace" : "b"' "$TMP/out/X.avsc"
}

@test "idl2schemata: an OUTDIR that cannot be made, and a bad input, are exit 1" {
	local f
	f=$(put t.avdl 'protocol P { record A {} }')
	echo x > "$TMP/file"
	run_ak idl2schemata "$f" "$TMP/file/sub"
	expect_status 1
	expect_stderr "avrokit idl2schemata: cannot create the directory $TMP/file/sub"
	put bad.avdl 'protocol P { record A { }' > /dev/null
	run_ak idl2schemata "$TMP/bad.avdl" "$TMP/out"
	expect_status 1
	expect_stderr "$TMP/bad.avdl:2:1: expected '}', found the end of the input"
	[[ ! -e "$TMP/out" ]] || ak_show "OUTDIR made for a bad input"
}

# ---- IDL where a schema file is taken ----

@test "fromjson --schema-file takes an IDL file with a main schema" {
	local idl
	idl=$(put user.avdl $'namespace ex;\nschema User;\n/** A user. */\nrecord User { string name; int age = 0; }')
	put users.json $'{"name": "a", "age": 3}\n{"name": "b", "age": 4}' > /dev/null
	run_ak fromjson --schema-file "$idl" "$TMP/users.json" -o "$TMP/u.avro"
	expect_status 0
	run_ak tojson "$TMP/u.avro"
	expect_output_is $'{"name":"a","age":3}\n{"name":"b","age":4}'
	run_ak getschema --compact "$TMP/u.avro"
	expect_output_is '{"type":"record","name":"User","namespace":"ex","doc":"A user.","fields":[{"name":"name","type":"string"},{"name":"age","type":"int","default":0}]}'
	# from standard input too: told from JSON by its first character
	run_sh '"$AVROKIT" fromjson --schema-file - "$1/users.json" < "$2" | "$AVROKIT" count' sh "$TMP" "$idl"
	expect_status 0
	expect_output_is 2
}

@test "canonical, fingerprint and compatible take IDL; the same as the JSON schema" {
	local idl
	idl=$(put u.avdl 'schema array<decimal(9,2)>;')
	put u.avsc '{"type": "array", "items": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}}' > /dev/null
	[[ "$("$AVROKIT" canonical "$idl")" == "$("$AVROKIT" canonical "$TMP/u.avsc")" ]]
	[[ "$("$AVROKIT" fingerprint "$idl" | cut -d' ' -f1)" == "$("$AVROKIT" fingerprint "$TMP/u.avsc" | cut -d' ' -f1)" ]]
	run_ak compatible --reader "$idl" --writer "$TMP/u.avsc"
	expect_status 0
}

@test "a protocol, or a file without a schema declaration, is no schema: a clear error" {
	local p s
	p=$(put p.avdl 'protocol P { record R { int x; } }')
	s=$(put s.avdl 'record R { int x; }')
	echo '{}' > "$TMP/r.json"
	run_ak fromjson --schema-file "$p" "$TMP/r.json"
	expect_data_error fromjson "$p" "an IDL protocol is not a schema"
	run_ak canonical "$s"
	expect_data_error canonical "$s" "the IDL file has no \`schema\` declaration"
	run_ak canonical "$TMP/bad.avdl"
	expect_status 1
	put bad.avdl 'schema int' > /dev/null
	run_ak canonical "$TMP/bad.avdl"
	expect_stderr_is "avrokit canonical: $TMP/bad.avdl:2:1: expected ';', found the end of the input"
}

# ---- hostile input ----

@test "idl: deep nesting of types and of JSON values is refused with a message" {
	python3 -c 'print("schema " + "array<" * 100000 + "int" + ">" * 100000 + ";")' > "$TMP/deep.avdl"
	run_ak idl "$TMP/deep.avdl"
	expect_status 1
	expect_stderr "deep.avdl:1:1544: nested more than 256 levels deep"
	python3 -c 'print("schema @x(" + "[" * 100000 + "]" * 100000 + ") int;")' > "$TMP/deepj.avdl"
	run_ak idl "$TMP/deepj.avdl"
	expect_status 1
	expect_stderr "nested more than 256 levels deep"
}

@test "idl: imports nested 100 files deep are refused; a long chain of imports is not a crash" {
	local i
	for i in $(seq 0 99); do
		printf 'protocol P%d { import idl "f%d.avdl"; record R%d {} }\n' "$i" $((i + 1)) "$i" > "$TMP/f$i.avdl"
	done
	printf 'protocol P100 {}\n' > "$TMP/f100.avdl"
	run_ak idl "$TMP/f0.avdl"
	expect_status 1
	expect_stderr "imports nest more than 64 files deep"
}

@test "idl: unterminated comments and strings, garbage and empty files" {
	printf 'protocol P { /* no end' > "$TMP/c.avdl"
	run_ak idl "$TMP/c.avdl"
	expect_stderr_is "avrokit idl: $TMP/c.avdl:1:14: unterminated comment"
	printf 'protocol P { /** no end' > "$TMP/d.avdl"
	run_ak idl "$TMP/d.avdl"
	expect_stderr_is "avrokit idl: $TMP/d.avdl:1:14: unterminated documentation comment"
	printf 'schema R; record R { string s = "no end; }' > "$TMP/s.avdl"
	run_ak idl "$TMP/s.avdl"
	expect_stderr_is "avrokit idl: $TMP/s.avdl:1:33: unterminated string"
	head -c 3000 /dev/urandom | tr -d 'a-zA-Z_' > "$TMP/g.avdl"
	run_ak idl "$TMP/g.avdl"
	expect_status 1
	[[ "$stderr" == "avrokit idl: $TMP/g.avdl:"* ]] || ak_show "a message naming the file"
	: > "$TMP/e.avdl"
	run_ak idl "$TMP/e.avdl"
	expect_status 0
	expect_output_is '[ ]'
}

@test "idl: a large file parses in bounded time and memory; warnings are capped" {
	skip_under_valgrind "a 3 MB input, and the peak RSS measured would be valgrind's"
	python3 -c '
import sys
out = ["protocol Big {"]
for i in range(30000):
    out.append("  /** dangling %d */ /** doc %d */ record R%d { int a = %d; string? b = null; array<R%d> c; }" % (i, i, i, i, i))
out.append("}")
print("\n".join(out))' > "$TMP/big.avdl"
	[[ -x /usr/bin/time ]] || skip "/usr/bin/time is not installed (package time)"
	run_sh '/usr/bin/time -o "$3" -f %M "$AVROKIT" idl "$1" > "$2"' sh "$TMP/big.avdl" \
		"$TMP/big.json" "$TMP/rss"
	expect_status 0
	[[ $(printf '%s\n' "$stderr" | wc -l) -eq 1001 ]] || ak_show "1000 warnings and a count"
	expect_stderr "warning: 29000 more warnings not shown"
	python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); assert len(j["types"]) == 30000' "$TMP/big.json"
	# some 55 MiB (200 under AddressSanitizer) for 3 MB of input and 17 MB of output
	local kib
	kib=$(tail -n 1 "$TMP/rss")
	echo "# peak RSS $kib KiB" >&3
	((kib < 256 * 1024)) || ak_show "peak RSS $kib KiB"
}

@test "idl: a type written out in full many times hits the output limit, in bounded memory" {
	skip_under_valgrind "a 64 MB output, and the peak RSS measured would be valgrind's"
	python3 -c '
fields = " ".join("string f%d;" % i for i in range(4000))
print("record Big { %s }" % fields)
for i in range(3000):
    print("record U%d { Big big; }" % i)' > "$TMP/star.avdl"
	[[ -x /usr/bin/time ]] || skip "/usr/bin/time is not installed (package time)"
	run_sh '/usr/bin/time -o "$2" -f %M "$AVROKIT" idl "$1" > /dev/null' sh "$TMP/star.avdl" \
		"$TMP/rss"
	expect_status 1
	expect_stderr "the JSON output would be larger than"
	# the whole output would take gigabytes; the limit stops it at 64 MiB and a little
	local kib
	kib=$(tail -n 1 "$TMP/rss")
	echo "# peak RSS $kib KiB" >&3
	((kib < 512 * 1024)) || ak_show "peak RSS $kib KiB"
}

@test "idl: a file past the 64 MB limit, main or imported, is refused without reading it all" {
	truncate -s 65M "$TMP/huge.avdl"
	run_ak idl "$TMP/huge.avdl"
	expect_data_error idl "$TMP/huge.avdl" "larger than 67108864 bytes"
	put main.avdl 'protocol M { import idl "huge.avdl"; }' > /dev/null
	run_ak idl "$TMP/main.avdl"
	expect_status 1
	expect_stderr_is "avrokit idl: $TMP/main.avdl:1:25: import \"huge.avdl\": the files imported exceed 67108864 bytes in all"
}
