#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Fuzz every target with libFuzzer (clang, with AddressSanitizer and UndefinedBehaviorSanitizer)
# for SECONDS each (default 60). New interesting inputs go to a scratch copy of the corpus, not
# to the repository; a crash, leak, sanitizer report or timeout fails the run and the input is
# kept in $OUT/crashes/ (copy it to tests/fuzz/corpus/TARGET/ once fixed, as a regression test).
#   tests/fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(container schema fromjson resolve roundtrip stream infer random idl schemaset)
out=${OUT:-build-fuzz}
cc=${CC_FUZZ:-clang}
mkdir -p "$out/crashes"

# ak_config.h for a build without meson: every codec this machine has
have() { pkg-config --exists "$1" && echo 1 || echo 0; }
cat > "$out/ak_config.h" <<EOC
#define AK_VERSION "fuzz"
#define AK_HAVE_XZ $(have liblzma)
#define AK_HAVE_ZSTD $(have libzstd)
#define AK_HAVE_BZIP2 $([ -e /usr/include/bzlib.h ] && echo 1 || echo 0)
#define AK_HAVE_LIBDEFLATE $(have libdeflate)
#define AK_HAVE_LZ4 $(have liblz4)
EOC
libs="$(pkg-config --libs jansson zlib snappy) -lm -lpthread"
[ "$(have liblzma)" = 1 ] && libs="$libs $(pkg-config --libs liblzma)"
[ "$(have libzstd)" = 1 ] && libs="$libs $(pkg-config --libs libzstd)"
[ "$(have libdeflate)" = 1 ] && libs="$libs $(pkg-config --libs libdeflate)"
[ "$(have liblz4)" = 1 ] && libs="$libs $(pkg-config --libs liblz4)"
[ -e /usr/include/bzlib.h ] && libs="$libs -lbz2"

# The library once, instrumented for the fuzzer; the public API's targets include only
# avrokit.h, the internal ones (infer, random, idl, schemaset) the core's ak.h.
flags=(-std=c11 -g -O1 -D_POSIX_C_SOURCE=200809L -fno-sanitize-recover=undefined)
echo "== building the library"
mkdir -p "$out/core"
objs=()
for src in src/core/*.c; do
	obj="$out/core/$(basename "$src" .c).o"
	$cc "${flags[@]}" -fsanitize=fuzzer-no-link,address,undefined -DAK_BUILDING_LIBRARY \
		-I"$out" -Iinclude -Isrc/core -c "$src" -o "$obj"
	objs+=("$obj")
done

status=0
for t in "${targets[@]}"; do
	bin="$out/fuzz-$t"
	echo "== building $t"
	# (word splitting of $libs is wanted)
	# shellcheck disable=SC2086
	$cc "${flags[@]}" -fsanitize=fuzzer,address,undefined -Iinclude -I"$out" -Isrc/core \
		"tests/fuzz/fuzz_$t.c" "${objs[@]}" -o "$bin" $libs
	work="$out/corpus-$t"
	mkdir -p "$work"
	cp -n tests/fuzz/corpus/"$t"/* "$work"/ 2>/dev/null || true
	if [ "$t" = container ]; then
		cp -n tests/data/*.avro "$work"/ 2>/dev/null || true
	fi
	if [ "$t" = idl ]; then
		cp -n ../shared/corpus/idl/input/*.av* "$work"/ 2>/dev/null || true
	fi
	echo "== fuzzing $t for ${secs}s"
	if ! "$bin" "$work" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 -artifact_prefix="$out/crashes/$t-" -print_final_stats=1 \
		> "$out/fuzz-$t.log" 2>&1; then
		echo "!! $t failed; see $out/fuzz-$t.log and $out/crashes/"
		tail -40 "$out/fuzz-$t.log"
		status=1
	else
		grep -E "stat::number_of_executed_units|Done" "$out/fuzz-$t.log" | tail -2
	fi
done
exit $status
