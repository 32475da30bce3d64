# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# Shared by abi/check.sh, abi/abidiff.sh and abi/update.sh (sourced, not run): how the ABI
# baseline is written and how the header's constants are listed, in one place so that the
# check and the update cannot drift apart.

# ak_abidw LIB OUT: the ABI of LIB as abidw's XML in OUT. Only the types of the public header
# (include/) are kept, so the internal structs behind the opaque handles may change freely.
# Locations are file names only (no build directory in them), and the libraries it needs are
# left out (they depend on which codecs a build has, not on avrokit's ABI).
ak_abidw() {
	abidw --headers-dir "$AK_SRC/include" --drop-private-types --drop-undefined-syms \
		--no-corpus-path --no-comp-dir-path --no-elf-needed --short-locs \
		--out-file "$2" "$1"
}

# ak_abidiff BASELINE LIB [OPTIONS]: abidiff's report on stdout and its exit status (a bit
# mask: 1 error, 2 usage, 4 the ABI changed, 8 an incompatible change, e.g. a function
# removed; a changed signature or struct layout is 4 alone).
#
# The library's side is read whole, without --headers-dir: that option would make every type
# declared outside include/ private, int32_t and size_t too, and hide a parameter changed from
# int32_t to int64_t. The opaque handles still compare as equal, because the baseline has
# only their declarations (abidiff matches a declaration with its definition by name), so
# what they hold inside is free to change.
ak_abidiff() {
	local base=$1 lib=$2
	shift 2
	abidiff "$@" "$base" "$lib"
}

# ak_constants TMPDIR: "NAME VALUE" for every enumerator of include/avrokit.h and its numeric
# macros that callers may store or compare (AK_NO_POS, the error struct's array sizes), sorted.
# Their values are part of the ABI as much as the functions are: a program compiled against
# one version keeps using the numbers. Compiled with CC (default cc).
ak_constants() {
	local tmp=$1 name line='\tprintf("%%s %%lld\\n", "%s", (long long)%s);\n'
	{
		echo '#include <avrokit.h>'
		echo '#include <stdio.h>'
		echo 'int main(void)'
		echo '{'
		# the enumerators, from the preprocessed header (no comments, no macros left)
		${CC:-cc} -E -P -I"$AK_SRC/include" "$AK_SRC/include/avrokit.h" | tr '\n' ' ' |
			grep -o 'enum [A-Za-z_0-9]* *{[^}]*}' | sed 's/.*{//; s/}//' | tr ',' '\n' |
			sed 's/=.*//; s/[[:space:]]//g' | grep '^AK_' | while read -r name; do
				# shellcheck disable=SC2059
				printf "$line" "$name" "$name"
			done
		for name in AK_ERROR_PATH_MAX AK_ERROR_MSG_MAX; do
			# shellcheck disable=SC2059
			printf "$line" "$name" "$name"
		done
		printf '\tprintf("%%s %%llu\\n", "AK_NO_POS", (unsigned long long)AK_NO_POS);\n'
		echo '	return 0;'
		echo '}'
	} >"$tmp/constants.c"
	${CC:-cc} -I"$AK_SRC/include" -o "$tmp/constants-prog" "$tmp/constants.c" &&
		"$tmp/constants-prog" | LC_ALL=C sort
}
