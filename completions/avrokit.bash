# SPDX-License-Identifier: Apache-2.0
# bash completion for avrokit(1); installed as bash-completion/completions/avrokit.
#
# Each command has one branch in the `case` of _avrokit() that lists all its options
# (`opts`), the ones that take an argument (`argopts`) and the kinds of file its operands are
# (`inputs`: file name endings, none for any file, '-' for no files). tests/cli/docs.bats
# checks the opts and argopts lines against `avrokit CMD --list-options`, so add a new option
# there too; what each option's argument completes to is in the `case $argof` further down.
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
	local commands='blocks canonical cat checkschema compatible concat count fingerprint fragtojson fromjson getmeta getschema idl idl2schemata infer jsontofrag random recodec repair tojson help'
	local opts='' argopts='' inputs=avro
	local codecs='null deflate snappy bzip2 xz zstandard'

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
	blocks)
		opts='-j --json -o --output --max-block-size --max-header-size -h --help'
		argopts='-o --output --max-block-size --max-header-size'
		;;
	canonical)
		opts='-o --output -i --import --max-header-size -h --help'
		argopts='-o --output -i --import --max-header-size'
		inputs='avsc avdl json avro'
		;;
	cat)
		opts='--offset --limit --samplerate --seed -c --codec -l --level -b --block-size -r --reader-schema -R --reader-schema-file -o --output --sync-marker --max-block-size --max-header-size -h --help'
		argopts='--offset --limit --samplerate --seed -c --codec -l --level -b --block-size -r --reader-schema -R --reader-schema-file -o --output --sync-marker --max-block-size --max-header-size'
		;;
	checkschema)
		opts='-v --verbose -s --strict -i --import --max-header-size -h --help'
		argopts='-i --import --max-header-size'
		inputs='avsc avdl json avro'
		;;
	compatible)
		opts='-r --reader -w --writer -q --quiet --max-header-size -h --help'
		argopts='-r --reader -w --writer --max-header-size'
		inputs='-'
		;;
	concat)
		opts='-c --codec -l --level -o --output --sync-marker --max-block-size --max-header-size -h --help'
		argopts='-c --codec -l --level -o --output --sync-marker --max-block-size --max-header-size'
		;;
	count)
		opts='-o --output --max-block-size --max-header-size -h --help'
		argopts='-o --output --max-block-size --max-header-size'
		;;
	fingerprint)
		opts='-a --algorithm --big-endian --decimal -o --output -i --import --max-header-size -h --help'
		argopts='-a --algorithm -o --output -i --import --max-header-size'
		inputs='avsc avdl json avro'
		;;
	fragtojson)
		opts='-f --schema-file -s --schema --no-pretty -P --plain --bytes -r --reader-schema -R --reader-schema-file -o --output -h --help'
		argopts='-f --schema-file -s --schema --bytes -r --reader-schema -R --reader-schema-file -o --output'
		inputs=
		;;
	fromjson)
		opts='-s --schema -f --schema-file -c --codec -l --level -b --block-size -m --meta -j --jobs -o --output -a --array -P --plain --bytes --ignore-unknown-fields --sync-marker --infer -n --name --namespace --logical --max-fields --max-header-size --datums --framing --length-prefix --schema-id -h --help'
		argopts='-s --schema -f --schema-file -c --codec -l --level -b --block-size -m --meta -j --jobs -o --output --bytes --sync-marker -n --name --namespace --max-fields --max-header-size --framing --length-prefix --schema-id'
		inputs=json
		;;
	getmeta)
		opts='-k --key -o --output --max-header-size -h --help'
		argopts='-k --key -o --output --max-header-size'
		;;
	getschema)
		opts='-c --compact -r --raw --canonical -o --output --max-header-size -h --help'
		argopts='-o --output --max-header-size'
		;;
	idl)
		opts='-I --import-dir -o --output -h --help'
		argopts='-I --import-dir -o --output'
		inputs=avdl
		;;
	idl2schemata)
		opts='-I --import-dir -h --help'
		argopts='-I --import-dir'
		inputs=avdl
		;;
	infer)
		opts='-n --name --namespace -a --array --logical --max-fields -c --compact -o --output -h --help'
		argopts='-n --name --namespace --max-fields -o --output'
		inputs=json
		;;
	jsontofrag)
		opts='-f --schema-file -s --schema -P --plain --bytes --ignore-unknown-fields -a --array -o --output -h --help'
		argopts='-f --schema-file -s --schema --bytes -o --output'
		inputs=json
		;;
	random)
		opts='-n --count --seed -s --schema -f --schema-file -c --codec -l --level -b --block-size -j --jobs -o --output --max-header-size -h --help'
		argopts='-n --count --seed -s --schema -f --schema-file -c --codec -l --level -b --block-size -j --jobs -o --output --max-header-size'
		inputs='avsc avdl json avro'
		;;
	recodec)
		opts='-c --codec -l --level --sync-marker --max-block-size --max-header-size -h --help'
		argopts='-c --codec -l --level --sync-marker --max-block-size --max-header-size'
		;;
	repair)
		opts='-r --report -q --quiet --max-block-size --max-header-size -h --help'
		argopts='--max-block-size --max-header-size'
		;;
	tojson)
		opts='-p --pretty -n --head -P --plain --bytes -r --reader-schema -R --reader-schema-file -j --jobs -o --output --max-block-size --max-header-size --datums --framing --length-prefix --schema --schema-file --schema-dir --schema-id -h --help'
		argopts='-n --head --bytes -r --reader-schema -R --reader-schema-file -j --jobs -o --output --max-block-size --max-header-size --framing --length-prefix --schema --schema-file --schema-dir --schema-id'
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

	if [[ -n $argof ]]; then
		# (a short option means what it means for this command: -r is --reader-schema
		# for tojson and cat, --reader for compatible)
		case $cmd:$argof in
		*:-o | *:--output)
			_avrokit_files
			;;
		fromjson:-f | fromjson:--schema-file | random:-f | random:--schema-file | *:--schema-file | fragtojson:-f | jsontofrag:-f | *:-R | *:--reader-schema-file | compatible:-r | compatible:--reader | \
			compatible:-w | compatible:--writer | *:-i | *:--import)
			_avrokit_files avsc avdl json avro
			;;
		*:-I | *:--import-dir | *:--schema-dir)
			compopt -o filenames 2>/dev/null
			COMPREPLY=($(compgen -d -- "$cur"))
			;;
		*:-c | *:--codec)
			COMPREPLY=($(compgen -W "$codecs" -- "$cur"))
			;;
		*:--framing)
			COMPREPLY=($(compgen -W 'none single-object confluent' -- "$cur"))
			;;
		*:--length-prefix)
			COMPREPLY=($(compgen -W 'none 4be varint uvarint' -- "$cur"))
			;;
		fingerprint:-a | fingerprint:--algorithm)
			COMPREPLY=($(compgen -W 'crc64 md5 sha256' -- "$cur"))
			;;
		getmeta:-k | getmeta:--key)
			COMPREPLY=($(compgen -W 'avro.schema avro.codec' -- "$cur"))
			;;
		*)
			# a number, a size, schema text, KEY=VALUE, hex digits: nothing to offer
			;;
		esac
	elif [[ $cur == -* && -z $dd ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	elif [[ $inputs != - ]]; then
		# shellcheck disable=SC2086 # inputs is a list of file name endings
		_avrokit_files $inputs
	elif [[ -z $dd ]]; then
		# compatible takes no operands: offer its options
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	fi
	return 0
} &&
	complete -F _avrokit avrokit
