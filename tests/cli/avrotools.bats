#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# "The same as avro-tools" means the same values, not the same text: each difference that
# the README's JSON section and tojson(1) list is pinned here, and where a JDK is installed,
# Java's own Double.toString is compared by value.
#
# Run by hand: AVROKIT=$PWD/build/src/cli/avrokit bats tests/cli/avrotools.bats

load common

setup() {
	ak_setup
	command -v python3 >/dev/null || skip "python3 not found"
}

@test "bytes 0x7F to 0xFF print as \\u00XX (avro-tools: the characters as UTF-8)" {
	mkavro "$TMP/b.avro" '"bytes"' 087fc3e9ff
	run_ak tojson "$TMP/b.avro"
	expect_status 0
	expect_output_is '"\u007F\u00C3\u00E9\u00FF"'
}

@test "characters outside the BMP print as UTF-8 (avro-tools: surrogate pair escapes)" {
	mkavro "$TMP/s.avro" '"string"' 0cf09f9880c3a9
	run_ak tojson "$TMP/s.avro"
	expect_status 0
	expect_output_is '"😀é"'
}

@test "doubles: the shortest form, as JDK 19 prints it; floats: the float's shortest form" {
	# 2e23 and 1e23, which JDK 17's Double.toString prints with a digit more; 0.1f
	mkavro "$TMP/d.avro" '{"type":"record","name":"N","fields":[{"name":"d","type":"double"},{"name":"e","type":"double"},{"name":"f","type":"float"}]}' \
		$(python3 -c 'import struct; print((struct.pack("<d", 2e23) + struct.pack("<d", 1e23) + struct.pack("<f", 0.1)).hex())')
	run_ak tojson "$TMP/d.avro"
	expect_status 0
	expect_output_is '{"d":2.0E23,"e":1.0E23,"f":0.1}'
}

@test "invalid UTF-8: one U+FFFD per byte (Java: one per invalid subsequence)" {
	mkavro "$TMP/u.avro" '"string"' 06e28241
	run_ak tojson "$TMP/u.avro"
	expect_status 0
	expect_output_is $'"\xef\xbf\xbd\xef\xbf\xbdA"'
}

@test "the doubles are the ones Java's Double.toString prints, as values" {
	command -v javac >/dev/null && command -v java >/dev/null || skip "no JDK"
	cat > "$TMP/D.java" <<-'EOF'
	public class D {
	  public static void main(String[] a) {
	    java.util.Random r = new java.util.Random(7);
	    for (int i = 0; i < 20000; i++) {
	      long bits = r.nextLong();
	      double d = Double.longBitsToDouble(bits);
	      if (Double.isNaN(d) || Double.isInfinite(d)) continue;
	      System.out.println(Long.toHexString(bits) + " " + Double.toString(d));
	    }
	  }
	}
	EOF
	(cd "$TMP" && javac D.java && java D > java.txt) || skip "the JDK did not run"
	# the same doubles through avrokit
	python3 -c '
import struct, sys
for line in open(sys.argv[1]):
    h = line.split()[0].zfill(16)
    sys.stdout.write(struct.pack(">Q", int(h, 16))[::-1].hex() + " ")' "$TMP/java.txt" > "$TMP/hex.txt"
	mkavro "$TMP/j.avro" '"double"' $(cat "$TMP/hex.txt")
	"$AVROKIT" tojson "$TMP/j.avro" > "$TMP/ours.txt"
	run python3 -c '
import sys
java = [l.split()[1] for l in open(sys.argv[1])]
ours = open(sys.argv[2]).read().split()
assert len(java) == len(ours), (len(java), len(ours))
bad = [(a, b) for a, b in zip(java, ours) if float(a) != float(b)]
text = sum(a != b for a, b in zip(java, ours))
print(len(bad), text)' "$TMP/java.txt" "$TMP/ours.txt"
	[[ "$status" -eq 0 ]] || ak_show "the comparison failed"
	# no value differs; the text may (a JDK before 19 is not always shortest)
	[[ "${output%% *}" == 0 ]] || ak_show "values differ: $output"
}

@test "the README and tojson(1) say what \"the same as avro-tools\" means" {
	grep -q '^### Same as avro-tools: what that means' "$REPO/README.md" ||
		ak_show "README.md lacks the section"
	grep -q '^\.SS Compared with avro\\-tools' "$REPO/man/avrokit-tojson.1" ||
		ak_show "tojson(1) lacks the section"
	# each difference is listed in both
	local w
	for w in 'u007F' 'uD83D' '1.9999999999999998E23' '0.10000000149011612' 'U+FFFD'; do
		grep -q -- "$w" "$REPO/README.md" || ak_show "README.md does not mention $w"
		grep -q -- "$w" "$REPO/man/avrokit-tojson.1" || ak_show "tojson(1) does not mention $w"
	done
}
