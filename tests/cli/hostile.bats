#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Hostile input: huge declared sizes and counts, zip bombs, deep nesting, wide schemas. Each
# must end with a clear message and exit 1 (or work, where the file is valid), never a crash,
# a hang or an allocation the size of what the file claims.

load common

hostile() {
	python3 "$BATS_TEST_DIRNAME/../interop/hostile.py" "$1" "$TMP/$1.avro"
}

@test "hostile: a deflate block that inflates to 1 GiB is refused at the 512 MiB limit" {
	hostile bomb
	run_ak tojson "$TMP/bomb.avro"
	expect_data_error tojson "$TMP/bomb.avro" "block 0 (offset " \
		"deflate block decompresses to more than the 536870912-byte limit"
	run_ak count "$TMP/bomb.avro"
	expect_status 0
	expect_output_is 5
}

@test "hostile: a million metadata entries are read" {
	hostile meta-million
	run_ak getmeta --key k999999 "$TMP/meta-million.avro"
	expect_status 0
	expect_output_is v
	run_ak tojson "$TMP/meta-million.avro"
	expect_status 0
	expect_output_is 42
}

@test "hostile: a metadata map declaring 2^40 entries is refused before allocating" {
	hostile meta-huge-count
	run_ak getmeta "$TMP/meta-huge-count.avro"
	expect_data_error getmeta "$TMP/meta-huge-count.avro" "header: metadata declares 1099511627776 entries"
}

@test "hostile: a block declaring 2^40 bytes is refused" {
	hostile block-huge
	for cmd in tojson count; do
		run_ak "$cmd" "$TMP/block-huge.avro"
		expect_data_error "$cmd" "$TMP/block-huge.avro" "block 0 (offset" "exceeds the 536870912-byte limit"
	done
}

@test "hostile: 2^60 records of a type that takes no bytes are refused, not looped over" {
	hostile count-huge
	run_ak tojson "$TMP/count-huge.avro"
	expect_data_error tojson "$TMP/count-huge.avro" "block claims 1152921504606846976 records"
}

@test "hostile: a block count that does not match its bytes" {
	hostile count-mismatch
	run_ak tojson "$TMP/count-mismatch.avro"
	expect_data_error tojson "$TMP/count-mismatch.avro" "block claims 1000 records but its 3 bytes cannot hold that many"
}

@test "hostile: a negative string length" {
	hostile negative-length
	run_ak tojson "$TMP/negative-length.avro"
	expect_data_error tojson "$TMP/negative-length.avro" "record 0: negative string length -5"
}

@test "hostile: an overlong varint in a block header" {
	hostile overlong-varint
	run_ak count "$TMP/overlong-varint.avro"
	expect_data_error count "$TMP/overlong-varint.avro" "varint longer than 64 bits"
}

@test "hostile: a schema nested deeper than the limit" {
	hostile deep-schema
	run_ak getschema "$TMP/deep-schema.avro"
	expect_data_error getschema "$TMP/deep-schema.avro" "schema nested deeper than 256 levels"
}

@test "hostile: data nested 100,000 deep in a recursive type stops at the depth limit" {
	hostile deep-data
	run_ak tojson "$TMP/deep-data.avro"
	expect_data_error tojson "$TMP/deep-data.avro" "data nested deeper than 1000 levels"
}

@test "hostile: a record of 150,000 fields is read" {
	hostile wide-schema
	run_ak tojson "$TMP/wide-schema.avro"
	expect_status 0
	[[ "$output" == '{"f0":0,"f1":1,'*',"f149999":49}' ]] || ak_show "output"
}
