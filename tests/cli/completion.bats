#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# What the bash completion (completions/avrokit.bash) offers: the values of the options that
# take one of a fixed set, every file for operands and file options, and for getmeta --key
# the keys of the data file on the command line. Each case runs in a new bash, once with the
# bash-completion package loaded (its _filedir) when it is installed, and once without.
# (docs.bats checks that the three completions know every command and option.) fish's
# completion runs too, through `complete -C`, and zsh's is checked for syntax; each skips,
# saying so, when its shell is not installed.
#
#   AVROKIT=$PWD/build/src/cli/avrokit bats tests/cli/completion.bats

load common

BASH_COMPLETION=/usr/share/bash-completion/bash_completion

setup() {
	ak_setup
	mkdir -p "$TMP/d"
	cd "$TMP/d"
	: > part-00000
	: > x.avro
	: > y.json
	mkdir sub
}

# complete_line WITH LINE: the words offered for LINE, one per line, sorted; WITH is bc
# (bash-completion loaded) or plain. The word with "@" in it is the one being completed, the
# cursor at the "@" ("tojson --bytes b@" or "getmeta -k @ m.avro"). "avrokit" in LINE runs
# as $AVROKIT.
complete_line() {
	local with="$1" line="$2"
	run --separate-stderr bash -c '
		[[ $1 == plain ]] || source "$2" || exit 3
		source "$3" || exit 3
		read -r -a COMP_WORDS <<< "$4"
		for ((COMP_CWORD = 0; COMP_CWORD < ${#COMP_WORDS[@]}; COMP_CWORD++)); do
			[[ ${COMP_WORDS[COMP_CWORD]} != *@* ]] || break
		done
		COMP_WORDS[COMP_CWORD]=${COMP_WORDS[COMP_CWORD]%@}
		COMP_WORDS[0]=$5
		COMP_LINE=$4 COMP_POINT=${#4}
		_avrokit avrokit "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}" | LC_ALL=C sort' \
		_ "$with" "$BASH_COMPLETION" "$REPO/completions/avrokit.bash" "$line" "$AVROKIT"
	[[ "$status" -eq 0 ]] || ak_show "completion of '$line' failed"
}

# offers LINE WANT...: both ways, LINE completes to exactly the words WANT
offers() {
	local line="$1" with want
	shift
	want="$(printf '%s\n' "$@" | LC_ALL=C sort)"
	for with in plain bc; do
		[[ "$with" == plain || -f "$BASH_COMPLETION" ]] || continue
		complete_line "$with" "$line"
		# (bash-completion's _filedir marks directories with a trailing slash only when
		# readline shows them; compare names)
		[[ "${output//\//}" == "${want//\//}" ]] ||
			ak_show "'$line' ($with) offers [$(echo $output)], not [$(echo $want)]"
	done
}

@test "completion: --bytes offers its forms in tojson and fromjson, as --codec and --algorithm do" {
	offers "avrokit tojson --bytes @" codepoints base64 hex
	offers "avrokit tojson --bytes b@" base64
	offers "avrokit fromjson -P --bytes h@" hex
	offers "avrokit tojson --bytes = @" codepoints base64 hex
	offers "avrokit cat --codec z@" zstandard
	offers "avrokit recodec -c sn@" snappy
	offers "avrokit fingerprint --algorithm @" crc64 md5 sha256
}

@test "completion: operands and file options offer every file, not only *.avro" {
	offers "avrokit tojson @" part-00000 x.avro y.json sub
	offers "avrokit tojson p@" part-00000
	offers "avrokit count --total-only @" part-00000 x.avro y.json sub
	offers "avrokit fromjson -f @" part-00000 x.avro y.json sub
	offers "avrokit canonical @" part-00000 x.avro y.json sub
	offers "avrokit cat -o x@" x.avro
	offers "avrokit compatible --reader p@" part-00000
}

@test "completion: getmeta --key offers the keys of the file on the command line" {
	"$AVROKIT" fromjson -s '"int"' -m user.owner=team-a -m 'user.with space=1' \
		-m 'user.quote"d=2' -o "$TMP/d/m.avro" /dev/null
	offers "avrokit getmeta -k @ m.avro" avro.schema avro.codec user.owner "user.with space"
	offers "avrokit getmeta m.avro -k @" avro.schema avro.codec user.owner "user.with space"
	offers "avrokit getmeta m.avro --key user.@" user.owner "user.with space"
	offers "avrokit getmeta --key = @ m.avro" avro.schema avro.codec user.owner "user.with space"
	offers "avrokit getmeta -o out.txt --key @ m.avro" avro.schema avro.codec user.owner \
		"user.with space"
	# no file, or not a data file: the usual keys
	offers "avrokit getmeta -k @" avro.schema avro.codec
	offers "avrokit getmeta -k @ y.json" avro.schema avro.codec
	offers "avrokit getmeta -k @ nosuch.avro" avro.schema avro.codec
}

@test "completion: a key from the file is offered as it is, never run as shell code" {
	# shellcheck disable=SC2016 # the key is meant to hold $(...)
	"$AVROKIT" fromjson -s '"int"' -m 'user.$(touch pwned)=x' -m 'user.`touch pwned2`=y' \
		-o "$TMP/d/m.avro" /dev/null
	# shellcheck disable=SC2016
	offers "avrokit getmeta m.avro -k user.@" 'user.$(touch pwned)' 'user.`touch pwned2`'
	[[ ! -e pwned && ! -e pwned2 ]] || ak_show "a key was run"
}

@test "completion: fish offers the commands, the options and their fixed values" {
	command -v fish >/dev/null || skip "fish is not installed"
	local f="$REPO/completions/avrokit.fish" cmd
	fishc() {
		run fish -N -c "source '$f'; complete -C '$1'"
		[[ "$status" -eq 0 ]] || ak_show "fish: $1"
		output=$(cut -f1 <<< "$output")
	}
	fishc "avrokit "
	for cmd in $("$AVROKIT" --list-commands); do
		grep -qx -- "$cmd" <<< "$output" || ak_show "fish: command $cmd not offered"
	done
	fishc "avrokit tojson --by"
	[[ "$output" == "--bytes" ]] || ak_show "fish: tojson --by"
	fishc "avrokit tojson --bytes "
	[[ "$(sort <<< "$output" | tr '\n' ' ')" == "base64 codepoints hex " ]] || ak_show "fish: --bytes values"
	fishc "avrokit cat --codec "
	[[ "$(sort <<< "$output" | tr '\n' ' ')" == "bzip2 deflate null snappy xz zstandard " ]] ||
		ak_show "fish: --codec values"
	fishc "avrokit splits -"
	grep -qx -- "--count" <<< "$output" || ak_show "fish: splits options"
}

@test "completion: zsh's completion function is valid zsh" {
	command -v zsh >/dev/null || skip "zsh is not installed"
	run zsh -n "$REPO/completions/_avrokit"
	[[ "$status" -eq 0 && -z "$output" ]] || ak_show "zsh -n"
	run zsh -c "autoload -Uz compinit && compinit -u -d '$TMP/zcompdump' && fpath=('$REPO/completions' \$fpath) && autoload -Uz _avrokit && whence -w _avrokit"
	[[ "$status" -eq 0 && "$output" == "_avrokit: function" ]] || ak_show "zsh autoload"
}
