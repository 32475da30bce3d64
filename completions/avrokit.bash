# SPDX-License-Identifier: Apache-2.0
# bash completion for avrokit(1); installed as bash-completion/completions/avrokit.
#
# Each command has one branch in the `case` of _avrokit() that lists all its options
# (`opts`) and the ones that take an argument (`argopts`). tests/cli/docs.bats checks those
# lines against `avrokit CMD --list-options`, so add a new option there too.
# Works with the bash-completion package (its _filedir is used when present) and without.
# shellcheck disable=SC2207 # COMPREPLY=($(compgen ...)): words without spaces, or IFS=newline

# Add file names for "$cur" to COMPREPLY: every file when no EXT is given, else directories
# and the files ending in one of the ".EXT"s.
_avrokit_files()
{
	local ext f IFS=$'\n'

	if declare -F _filedir >/dev/null; then
		IFS='|'
		ext="$*" # "avsc|avro": an extglob alternation for _filedir
		_filedir ${ext:+"$ext"}
		return
	fi
	compopt -o filenames 2>/dev/null
	if (($# == 0)); then
		COMPREPLY+=($(compgen -f -- "$cur"))
		return
	fi
	COMPREPLY+=($(compgen -d -- "$cur"))
	for ext; do
		for f in $(compgen -f -X "!*.$ext" -- "$cur"); do
			[[ -d $f ]] || COMPREPLY+=("$f")
		done
	done
}

_avrokit()
{
	local cur=${COMP_WORDS[COMP_CWORD]} cmd word argof='' dd='' i j c
	local commands='count getmeta getschema tojson help'
	local opts='' argopts=''

	COMPREPLY=()
	if ((COMP_CWORD == 1)); then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W '-h --help -V --version' -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		fi
		return 0
	fi

	cmd=${COMP_WORDS[1]}
	case $cmd in
	count)
		opts='-o --output -h --help'
		argopts='-o --output'
		;;
	getmeta)
		opts='-k --key -o --output -h --help'
		argopts='-k --key -o --output'
		;;
	getschema)
		opts='-c --compact -r --raw --canonical -o --output -h --help'
		argopts='-o --output'
		;;
	tojson)
		opts='-p --pretty -n --head -r --reader-schema -R --reader-schema-file -o --output -h --help'
		argopts='-n --head -r --reader-schema -R --reader-schema-file -o --output'
		;;
	help)
		((COMP_CWORD == 2)) && COMPREPLY=($(compgen -W "${commands% help}" -- "$cur"))
		return 0
		;;
	*)
		return 0
		;;
	esac

	# Walk the words before the cursor: is the current word the argument of an option
	# (argof), or does it come after "--" (dd)? readline splits "--output=FILE" at "=",
	# so "=" keeps the option waiting for its argument.
	for ((i = 2; i < COMP_CWORD; i++)); do
		word=${COMP_WORDS[i]}
		if [[ -n $argof ]]; then
			[[ $word == = ]] || argof=
			continue
		fi
		case $word in
		--)
			dd=1
			break
			;;
		--?*)
			[[ " $argopts " == *" $word "* ]] && argof=$word
			;;
		-?*)
			# grouped short options: the first one that takes an argument takes the
			# rest of the word, or the next word when it is last
			for ((j = 1; j < ${#word}; j++)); do
				c=-${word:j:1}
				if [[ " $argopts " == *" $c "* ]]; then
					((j == ${#word} - 1)) && argof=$c
					break
				fi
			done
			;;
		esac
	done
	[[ -n $argof && $cur == = ]] && cur=

	if [[ -n $dd ]]; then
		_avrokit_files avro
	elif [[ -n $argof ]]; then
		case $argof in
		-o | --output)
			_avrokit_files
			;;
		-R | --reader-schema-file)
			_avrokit_files avsc avro
			;;
		-k | --key)
			COMPREPLY=($(compgen -W 'avro.schema avro.codec' -- "$cur"))
			;;
		*)
			# a number, or schema text: nothing to offer
			;;
		esac
	elif [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	else
		_avrokit_files avro
	fi
	return 0
} &&
	complete -F _avrokit avrokit
