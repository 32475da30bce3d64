#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# The docs sync guard: the man pages and the three shell completions must know every command
# and every option the program has, and no others. The facts come from the program itself:
# `avrokit --list-commands`, `avrokit CMD --list-options` (lines such as "-n --head=": the
# short form if any, the long form, and "=" when it takes an argument) and `avrokit --help`.
#
# Needs AVROKIT (the built binary); finds the sources from this file. Stands alone: it does
# not use common.bash, only problems.bash (check_problems).

load problems

setup() {
	ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	MAN=$ROOT/man
	COMP=$ROOT/completions
	if [[ -z ${AVROKIT:-} || ! -x $AVROKIT ]]; then
		echo "set AVROKIT to the avrokit binary (now '${AVROKIT:-}')" >&2
		return 1
	fi
	problems=()
}

# Set COMMANDS to the program's commands. Fails if it lists none.
read_commands() {
	local out
	out=$("$AVROKIT" --list-commands)
	# shellcheck disable=SC2206 # command names are plain words
	COMMANDS=($out)
	if ((${#COMMANDS[@]} == 0)); then
		echo "avrokit --list-commands printed nothing" >&2
		return 1
	fi
}

# Set SHORTS, LONGS and TAKES_ARG (parallel arrays) to the options of command $1: SHORTS[i]
# is "-n" or "" when there is no short form, LONGS[i] "--head", TAKES_ARG[i] 1 or 0.
# Fails on a line it does not understand, so the tests cannot pass on an empty list.
read_options() {
	local out line short long
	out=$("$AVROKIT" "$1" --list-options)
	SHORTS=() LONGS=() TAKES_ARG=()
	while IFS= read -r line; do
		if [[ ! $line =~ ^(-[A-Za-z0-9]\ )?(--[a-z0-9][a-z0-9-]*)(=?)$ ]]; then
			echo "avrokit $1 --list-options: cannot read the line '$line'" >&2
			return 1
		fi
		short=${BASH_REMATCH[1]% }
		long=${BASH_REMATCH[2]}
		SHORTS+=("$short")
		LONGS+=("$long")
		if [[ -n ${BASH_REMATCH[3]} ]]; then TAKES_ARG+=(1); else TAKES_ARG+=(0); fi
	done <<<"$out"
	if [[ " ${LONGS[*]} " != *" --help "* ]]; then
		echo "avrokit $1 --list-options does not list --help" >&2
		return 1
	fi
}

# Set GLOBAL_SHORTS and GLOBAL_LONGS to the options in the "Options:" part of `avrokit --help`.
read_global_options() {
	local line on=0
	GLOBAL_SHORTS=() GLOBAL_LONGS=()
	while IFS= read -r line; do
		[[ $line == Options:* ]] && on=1 && continue
		[[ -z $line ]] && on=0
		if ((on)) && [[ $line =~ ^\ +(-[A-Za-z0-9]),\ (--[a-z0-9-]+) ]]; then
			GLOBAL_SHORTS+=("${BASH_REMATCH[1]}")
			GLOBAL_LONGS+=("${BASH_REMATCH[2]}")
		fi
	done < <("$AVROKIT" --help)
	if ((${#GLOBAL_LONGS[@]} == 0)); then
		echo "found no options in 'avrokit --help'" >&2
		return 1
	fi
}

# An ERE that matches option $1 ("-n", "--head") as a whole word in roff source, where a
# hyphen is written "\-" (so "\-\-reader\-schema" is not found in "\-\-reader\-schema\-file").
roff_re() {
	local opt=${1//-/\\\\-}
	printf '%s' "(^|[^A-Za-z0-9-])${opt}([^A-Za-z0-9\\\\-]|\\\\[^-]|\$)"
}

# An ERE that matches option $1 as a whole word in shell source.
word_re() {
	printf '%s' "(^|[^A-Za-z0-9-])$1([^A-Za-z0-9-]|\$)"
}

# The lines of section $2 (".SH $2") of the roff page $1.
roff_section() {
	awk -v want="$2" '
		/^\.SH / { s = substr($0, 5); gsub(/"/, "", s); on = (s == want); next }
		on { print }' "$1"
}

# The tag lines (the line after each .TP) of section $2 of the roff page $1.
roff_tags() {
	roff_section "$1" "$2" | awk 'tp { print } { tp = ($0 ~ /^\.TP/) }'
}

# The lines of the "$2)" branch of the shell `case` in file $1, up to its ";;".
case_branch() {
	awk -v cmd="$2" '
		!on && $0 ~ ("^[ \t]*" cmd "\\)") { on = 1; next }
		on && /;;/ { exit }
		on { print }' "$1"
}

@test "avrokit lists its commands and their options" {
	read_commands
	for cmd in "${COMMANDS[@]}"; do
		read_options "$cmd"
	done
	read_global_options
}

@test "every command has a man page, installed by man/meson.build, and no page is stale" {
	read_commands
	for cmd in "${COMMANDS[@]}"; do
		page=avrokit-$cmd.1
		[[ -f $MAN/$page ]] || problems+=("man/$page: missing")
		grep -q "'$page'" "$MAN/meson.build" || problems+=("man/meson.build: $page not installed")
	done
	grep -q "'avrokit.1'" "$MAN/meson.build" || problems+=("man/meson.build: avrokit.1 not installed")
	for page in "$MAN"/avrokit-*.1; do
		[[ -e $page ]] || continue
		cmd=${page##*/avrokit-}
		cmd=${cmd%.1}
		[[ " ${COMMANDS[*]} " == *" $cmd "* ]] || problems+=("man/${page##*/}: no command '$cmd'")
	done
	check_problems
}

@test "every option of every command has an item in the OPTIONS of its man page, and no other" {
	read_commands
	for cmd in "${COMMANDS[@]}"; do
		page=$MAN/avrokit-$cmd.1
		[[ -f $page ]] || { problems+=("man/avrokit-$cmd.1: missing"); continue; }
		read_options "$cmd"
		section=$(roff_section "$page" OPTIONS)
		tags=$(roff_tags "$page" OPTIONS)
		[[ -n $tags ]] || problems+=("man/avrokit-$cmd.1: no .TP items in OPTIONS")
		# both forms in the same item: ".BR \-n ", " \-\-head ..."
		for i in "${!LONGS[@]}"; do
			item=$(grep -E -- "$(roff_re "${LONGS[i]}")" <<<"$tags" || true)
			if [[ -z $item ]]; then
				problems+=("man/avrokit-$cmd.1: OPTIONS has no item for ${LONGS[i]//-/\\-}")
			elif [[ -n ${SHORTS[i]} ]] && ! grep -Eq -- "$(roff_re "${SHORTS[i]}")" <<<"$item"; then
				problems+=("man/avrokit-$cmd.1: the item for ${LONGS[i]//-/\\-} lacks ${SHORTS[i]//-/\\-}")
			fi
			for opt in $(grep -oE -- '(^|[^A-Za-z0-9-])\\-[A-Za-z0-9]([^A-Za-z0-9\\-]|\\[^-]|$)' <<<"$item" |
				grep -oE -- '-[A-Za-z0-9]'); do
				[[ $opt == "${SHORTS[i]}" ]] ||
					problems+=("man/avrokit-$cmd.1: the item for ${LONGS[i]//-/\\-} names ${opt//-/\\-}, not its short form")
			done
		done
		# the other way: a long option named in OPTIONS must exist
		for opt in $(grep -oE -- '\\-\\-[a-z0-9]([a-z0-9]|\\-)*' <<<"$section" | sed 's/\\//g' | sort -u); do
			[[ " ${LONGS[*]} " == *" $opt "* ]] ||
				problems+=("man/avrokit-$cmd.1: OPTIONS names $opt, which avrokit $cmd does not have")
		done
	done
	check_problems
}

@test "the SYNOPSIS of each man page shows the usage line of --help" {
	read_commands
	for cmd in "${COMMANDS[@]}"; do
		page=$MAN/avrokit-$cmd.1
		[[ -f $page ]] || { problems+=("man/avrokit-$cmd.1: missing"); continue; }
		usage=$("$AVROKIT" "$cmd" --help | sed -n 's/^Usage: //p')
		[[ -n $usage ]] || { problems+=("avrokit $cmd --help: no 'Usage:' line"); continue; }
		# roff to text: drop macro names, font escapes and \&, turn \- into -
		synopsis=$(roff_section "$page" SYNOPSIS |
			sed -e 's/^\.[A-Z]* *//' -e 's/\\f[BIRP]//g' -e 's/\\&//g' -e 's/\\-/-/g' |
			tr '\n' ' ' | tr -s ' ')
		synopsis=${synopsis% }
		# (a page may show more forms than the usage line; the usage line must be one of them)
		[[ " $synopsis " == *" $usage "* ]] ||
			problems+=("man/avrokit-$cmd.1: SYNOPSIS '$synopsis' but --help says '$usage'")
	done
	check_problems
}

@test "avrokit(1) lists every command and the global options" {
	read_commands
	read_global_options
	page=$MAN/avrokit.1
	commands=$(roff_section "$page" COMMANDS)
	options=$(roff_tags "$page" OPTIONS)
	seealso=$(roff_section "$page" "SEE ALSO")
	for cmd in "${COMMANDS[@]}"; do
		grep -Eq "^\.B $cmd\$" <<<"$commands" || problems+=("man/avrokit.1: COMMANDS lacks '.B $cmd'")
		grep -Fq "avrokit\\-$cmd (1)" <<<"$seealso" ||
			problems+=("man/avrokit.1: SEE ALSO lacks avrokit\\-$cmd (1)")
	done
	for opt in "${GLOBAL_SHORTS[@]}" "${GLOBAL_LONGS[@]}"; do
		grep -Eq -- "$(roff_re "$opt")" <<<"$options" ||
			problems+=("man/avrokit.1: OPTIONS lacks ${opt//-/\\-}")
	done
	check_problems
}

@test "bash completion knows every command and option" {
	file=$COMP/avrokit.bash
	read_commands
	read_global_options
	commands_line=$(grep -E '^[[:space:]]*local commands=' "$file")
	top=$(grep -E 'compgen -W .*--version' "$file")
	for opt in "${GLOBAL_SHORTS[@]}" "${GLOBAL_LONGS[@]}"; do
		grep -Eq -- "$(word_re "$opt")" <<<"$top" || problems+=("avrokit.bash: no global option $opt")
	done
	for cmd in "${COMMANDS[@]}"; do
		grep -Eq "$(word_re "$cmd")" <<<"$commands_line" ||
			problems+=("avrokit.bash: '$cmd' missing from the commands line")
		branch=$(case_branch "$file" "$cmd")
		[[ -n $branch ]] || { problems+=("avrokit.bash: no '$cmd)' branch"); continue; }
		opts=$(grep -E "^[[:space:]]*opts=" <<<"$branch")
		argopts=$(grep -E "^[[:space:]]*argopts=" <<<"$branch")
		read_options "$cmd"
		for i in "${!LONGS[@]}"; do
			for opt in "${SHORTS[i]}" "${LONGS[i]}"; do
				[[ -z $opt ]] && continue
				grep -Eq -- "$(word_re "$opt")" <<<"$opts" ||
					problems+=("avrokit.bash: $cmd: opts lacks $opt")
				if grep -Eq -- "$(word_re "$opt")" <<<"$argopts"; then
					((TAKES_ARG[i])) || problems+=("avrokit.bash: $cmd: $opt is in argopts but takes no argument")
				else
					((!TAKES_ARG[i])) || problems+=("avrokit.bash: $cmd: argopts lacks $opt")
				fi
			done
		done
		for opt in $(grep -oE -- "-[-A-Za-z0-9]+" <<<"$opts"); do
			[[ " ${SHORTS[*]} ${LONGS[*]} " == *" $opt "* ]] ||
				problems+=("avrokit.bash: $cmd: $opt is not an option of avrokit $cmd")
		done
	done
	check_problems
}

@test "zsh completion knows every command and option" {
	file=$COMP/_avrokit
	read_commands
	read_global_options
	head -n 1 "$file" | grep -q '^#compdef avrokit' || problems+=("_avrokit: first line is not '#compdef avrokit'")
	for i in "${!GLOBAL_LONGS[@]}"; do
		grep -Fq -- "{${GLOBAL_SHORTS[i]},${GLOBAL_LONGS[i]}}" "$file" ||
			problems+=("_avrokit: no global option {${GLOBAL_SHORTS[i]},${GLOBAL_LONGS[i]}}")
	done
	for cmd in "${COMMANDS[@]}"; do
		grep -Eq "^[[:space:]]*'$cmd:" "$file" || problems+=("_avrokit: '$cmd' missing from _avrokit_commands")
		branch=$(case_branch "$file" "$cmd")
		[[ -n $branch ]] || { problems+=("_avrokit: no '$cmd)' branch"); continue; }
		read_options "$cmd"
		for i in "${!LONGS[@]}"; do
			# a spec is an element of {-p,--pretty} or starts a '-p[...]' string, perhaps after an
			# exclusion list, as in '(-c)--compact[...]' (the lists themselves,
			# "(-p --pretty)", do not count); with an argument it is
			# -o+ and --output=
			for opt in "${SHORTS[i]}" "${LONGS[i]}"; do
				[[ -z $opt ]] && continue
				if ((TAKES_ARG[i])); then
					[[ $opt == --* ]] && spec="$opt=" || spec="$opt+"
				else
					spec=$opt
				fi
				grep -Eq -- "[{,')]${spec//+/\\+}([,}[]|\$)" <<<"$branch" ||
					problems+=("_avrokit: $cmd: no spec '$spec'")
			done
		done
		# (commas doubled, so that grep -o sees each element of {-p,-q,--pretty})
		for opt in $(sed 's/,/,,/g' <<<"$branch" |
			grep -oE -- "[{,')]-(-[a-z0-9-]+|[A-Za-z0-9])[+=]?([,}[]|\$)" |
			grep -oE -- "-(-[a-z0-9-]+|[A-Za-z0-9])" | sort -u); do
			[[ " ${SHORTS[*]} ${LONGS[*]} " == *" $opt "* ]] ||
				problems+=("_avrokit: $cmd: $opt is not an option of avrokit $cmd")
		done
	done
	check_problems
}

@test "fish completion knows every command and option" {
	file=$COMP/avrokit.fish
	read_commands
	read_global_options
	top=$(grep -F -- "-n __avrokit_needs_command " "$file")
	for i in "${!GLOBAL_LONGS[@]}"; do
		grep -Eq -- "-s ${GLOBAL_SHORTS[i]#-} -l ${GLOBAL_LONGS[i]#--}( |\$)" <<<"$top" ||
			problems+=("avrokit.fish: no global option ${GLOBAL_SHORTS[i]}, ${GLOBAL_LONGS[i]}")
	done
	for cmd in "${COMMANDS[@]}"; do
		grep -Eq -- "-a $cmd( |\$)" <<<"$top" || problems+=("avrokit.fish: command '$cmd' not offered")
		fishlines=$(grep -F -- "__avrokit_command_is $cmd'" "$file" || true)
		[[ -n $fishlines ]] || { problems+=("avrokit.fish: no lines for '$cmd'"); continue; }
		read_options "$cmd"
		for i in "${!LONGS[@]}"; do
			line=$(grep -E -- "-l ${LONGS[i]#--}( |\$)" <<<"$fishlines" || true)
			if [[ -z $line ]]; then
				problems+=("avrokit.fish: $cmd: no -l ${LONGS[i]#--}")
				continue
			fi
			short=$(grep -oE -- " -s [A-Za-z0-9]( |\$)" <<<"$line" | sed 's/ -s \(.\).*/-\1/' || true)
			[[ $short == "${SHORTS[i]}" ]] ||
				problems+=("avrokit.fish: $cmd: ${LONGS[i]} has short form '${short:-none}', avrokit has '${SHORTS[i]:-none}'")
			# -r: needs an argument (-x: one that is not a file name)
			if grep -Eq -- " -[rx]( |\$)" <<<"$line"; then
				((TAKES_ARG[i])) || problems+=("avrokit.fish: $cmd: ${LONGS[i]} marked as taking an argument")
			else
				((!TAKES_ARG[i])) || problems+=("avrokit.fish: $cmd: ${LONGS[i]} lacks -r or -x")
			fi
		done
		for opt in $(grep -oE -- " -l [a-z0-9-]+" <<<"$fishlines" | sed 's/ -l /--/' | sort -u); do
			[[ " ${LONGS[*]} " == *" $opt "* ]] ||
				problems+=("avrokit.fish: $cmd: $opt is not an option of avrokit $cmd")
		done
	done
	check_problems
}

@test "the man pages pass mandoc -Tlint (or groff -ww)" {
	if command -v mandoc >/dev/null; then
		for page in "$MAN"/*.1; do
			if ! out=$(mandoc -Tlint -W warning "$page" 2>&1) || [[ -n $out ]]; then
				problems+=("man/${page##*/}: ${out:-mandoc failed}")
			fi
		done
	elif command -v groff >/dev/null; then
		for page in "$MAN"/*.1; do
			if ! out=$(groff -man -ww -z "$page" 2>&1) || [[ -n $out ]]; then
				problems+=("man/${page##*/}: ${out:-groff failed}")
			fi
		done
	else
		skip "neither mandoc nor groff is installed"
	fi
	check_problems
}
