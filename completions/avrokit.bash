# SPDX-License-Identifier: Apache-2.0
# bash completion for avrokit(1); installed as bash-completion/completions/avrokit.
#
# Each command has one branch in the `case` of _avrokit() that lists all its options
# (`opts`), the ones that take an argument (`argopts`), and whether it takes file operands
# (`files`: 1, or 0 for compatible). tests/cli/docs.bats checks the opts and argopts lines
# against `avrokit CMD --list-options`, so add a new option there too; what each option's
# argument completes to is in the `case $argof` further down: the values of the options
# that take one of a fixed set (codecs, --bytes forms, fingerprint algorithms), the keys of
# the data file on the command line for getmeta --key, file names for the options that
# take a file. tests/cli/completion.bats tries them.
#
# Operands and file options offer every file: avrokit finds data files and schemas by their
# content, not their names (Hadoop's part-00000 has no .avro).
# Works with the bash-completion package (its _filedir is used when present) and without.
# shellcheck disable=SC2207 # COMPREPLY=($(compgen ...)): words without spaces, or IFS=newline

# Add the file names that start with "$cur" to COMPREPLY.
_avrokit_files()
{
	local IFS=$'\n'

	if declare -F _filedir >/dev/null; then
		_filedir
		return
	fi
	compopt -o filenames 2>/dev/null
	COMPREPLY+=($(compgen -f -- "$cur"))
}

# Add to COMPREPLY the metadata keys, starting with "$cur", of the data file named on the
# command line of getmeta (its first operand, before or after the cursor), as
# `avrokit getmeta --json FILE` prints them; the usual keys when there is no such file, or
# it cannot be read. Keys that JSON would escape (quotes, backslashes, control characters)
# are left out.
_avrokit_meta_keys()
{
	local prog=${COMP_WORDS[0]} file='' word json skip='' i IFS=$'\n' keys=()
	local first='^"([^"\\]*)":' next=',"([^"\\]*)":'

	for ((i = 2; i < ${#COMP_WORDS[@]}; i++)); do
		word=${COMP_WORDS[i]}
		if ((i == COMP_CWORD)); then
			skip= # the word being completed is the argument of --key
			continue
		fi
		if [[ $word == = ]]; then
			skip=1 # readline split "--key=VALUE": VALUE is next
			continue
		fi
		if [[ -n $skip ]]; then
			skip=
			continue
		fi
		case $word in
		-k | --key | -o | --output | --max-header-size) skip=1 ;;
		-?*) ;;
		*)
			file=$word
			break
			;;
		esac
	done
	file=${file/#\~/$HOME}
	prog=${prog/#\~/$HOME}
	# (a regular file only: a FIFO or a device could keep the shell waiting)
	if [[ -n $file && -f $file && -r $file ]] &&
		json=$("$prog" getmeta --json -- "$file" 2>/dev/null) && [[ $json == \{* ]]; then
		# the members of the top-level object: the first right after "{", the others
		# after a comma (inside a string a quote is escaped, so ,"NAME": cannot start
		# there; the "base64" member of a value comes after "{")
		json=${json#\{}
		if [[ $json =~ $first ]]; then
			keys+=("${BASH_REMATCH[1]}")
			json=${json#"${BASH_REMATCH[0]}"}
		fi
		while [[ $json =~ $next ]]; do
			keys+=("${BASH_REMATCH[1]}")
			json=${json#*"${BASH_REMATCH[0]}"}
		done
	fi
	((${#keys[@]})) || keys=(avro.schema avro.codec)
	# (not compgen -W: it would expand the words, and a key comes from the file)
	for word in "${keys[@]}"; do
		[[ $word == "$cur"* ]] && COMPREPLY+=("$word")
	done
}

_avrokit()
{
	local cur=${COMP_WORDS[COMP_CWORD]} cmd word argof='' dd='' i j c
	local commands='blocks canonical cat checkschema compatible concat count fingerprint fragtojson fromjson fromtext getmeta getschema idl idl2schemata infer jsontofrag random recodec repair splits tojson totext help'
	local opts='' argopts='' files=1
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
		opts='-j --json -o --output --range --max-block-size --max-header-size -h --help'
		argopts='-o --output --range --max-block-size --max-header-size'
		;;
	canonical)
		opts='-o --output -i --import --max-header-size -h --help'
		argopts='-o --output -i --import --max-header-size'
		;;
	cat)
		opts='--offset --limit --samplerate --seed -c --codec -l --level -b --block-size -r --reader-schema -R --reader-schema-file -o --output --sync-marker --range --max-block-size --max-header-size --progress -q --quiet -h --help'
		argopts='--offset --limit --samplerate --seed -c --codec -l --level -b --block-size -r --reader-schema -R --reader-schema-file -o --output --sync-marker --range --max-block-size --max-header-size'
		;;
	checkschema)
		opts='-v --verbose -s --strict -i --import --max-header-size -h --help'
		argopts='-i --import --max-header-size'
		;;
	compatible)
		opts='-r --reader -w --writer -q --quiet --max-header-size -h --help'
		argopts='-r --reader -w --writer --max-header-size'
		files=0
		;;
	concat)
		opts='-c --codec -l --level -o --output --sync-marker --max-block-size --max-header-size --progress -q --quiet -h --help'
		argopts='-c --codec -l --level -o --output --sync-marker --max-block-size --max-header-size'
		;;
	count)
		opts='-t --total-only -o --output --range --max-block-size --max-header-size -h --help'
		argopts='-o --output --range --max-block-size --max-header-size'
		;;
	fingerprint)
		opts='-a --algorithm --big-endian --decimal -o --output -i --import --max-header-size -h --help'
		argopts='-a --algorithm -o --output -i --import --max-header-size'
		;;
	fragtojson)
		opts='-f --schema-file -s --schema --no-pretty -P --plain --bytes -r --reader-schema -R --reader-schema-file -o --output -h --help'
		argopts='-f --schema-file -s --schema --bytes -r --reader-schema -R --reader-schema-file -o --output'
		;;
	fromjson)
		opts='-s --schema -f --schema-file -c --codec -l --level -b --block-size -m --meta -j --jobs -o --output -a --array -P --plain --bytes --ignore-unknown-fields --sync-marker --infer -n --name --namespace --logical --max-fields --max-header-size --progress -q --quiet --datums --framing --length-prefix --schema-id -h --help'
		argopts='-s --schema -f --schema-file -c --codec -l --level -b --block-size -m --meta -j --jobs -o --output --bytes --sync-marker -n --name --namespace --max-fields --max-header-size --framing --length-prefix --schema-id'
		;;
	fromtext)
		opts='-c --codec -l --level -b --block-size -m --meta -j --jobs --sync-marker -o --output --max-block-size --progress -q --quiet -h --help'
		argopts='-c --codec -l --level -b --block-size -m --meta -j --jobs --sync-marker -o --output --max-block-size'
		;;
	getmeta)
		opts='-k --key -j --json -o --output --max-header-size -h --help'
		argopts='-k --key -o --output --max-header-size'
		;;
	getschema)
		opts='-c --compact -r --raw --canonical -o --output --max-header-size -h --help'
		argopts='-o --output --max-header-size'
		;;
	idl)
		opts='-I --import-dir -o --output -h --help'
		argopts='-I --import-dir -o --output'
		;;
	idl2schemata)
		opts='-I --import-dir -h --help'
		argopts='-I --import-dir'
		;;
	infer)
		opts='-n --name --namespace -a --array --logical --max-fields -c --compact -o --output -h --help'
		argopts='-n --name --namespace --max-fields -o --output'
		;;
	jsontofrag)
		opts='-f --schema-file -s --schema -P --plain --bytes --ignore-unknown-fields -a --array -o --output -h --help'
		argopts='-f --schema-file -s --schema --bytes -o --output'
		;;
	random)
		opts='-n --count --seed -s --schema -f --schema-file -c --codec -l --level -b --block-size -j --jobs -o --output --max-header-size -h --help'
		argopts='-n --count --seed -s --schema -f --schema-file -c --codec -l --level -b --block-size -j --jobs -o --output --max-header-size'
		;;
	recodec)
		opts='-c --codec -l --level --sync-marker -o --output --max-block-size --max-header-size --progress -q --quiet -h --help'
		argopts='-c --codec -l --level --sync-marker -o --output --max-block-size --max-header-size'
		;;
	repair)
		opts='-r --report -q --quiet -o --output --max-block-size --max-header-size --progress -h --help'
		argopts='-o --output --max-block-size --max-header-size'
		;;
	splits)
		opts='-n --count -s --size -H --with-filename -c --colon -o --output --max-header-size -h --help'
		argopts='-n --count -s --size -o --output --max-header-size'
		;;
	tojson)
		opts='-p --pretty -n --head -P --plain --bytes -r --reader-schema -R --reader-schema-file -j --jobs -o --output --range --max-block-size --max-header-size --progress -q --quiet --datums --framing --length-prefix --schema --schema-file --schema-dir --schema-id -h --help'
		argopts='-n --head --bytes -r --reader-schema -R --reader-schema-file -j --jobs -o --output --range --max-block-size --max-header-size --framing --length-prefix --schema --schema-file --schema-dir --schema-id'
		;;
	totext)
		opts='-o --output --progress -q --quiet --max-block-size --max-header-size -h --help'
		argopts='-o --output --max-block-size --max-header-size'
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
		*:-o | *:--output | fromjson:-f | fromjson:--schema-file | random:-f | \
			random:--schema-file | *:--schema-file | fragtojson:-f | jsontofrag:-f | *:-R | *:--reader-schema-file | compatible:-r | \
			compatible:--reader | compatible:-w | compatible:--writer | *:-i | *:--import)
			_avrokit_files
			;;
		*:-I | *:--import-dir | *:--schema-dir)
			compopt -o filenames 2>/dev/null
			COMPREPLY=($(compgen -d -- "$cur"))
			;;
		*:--framing)
			COMPREPLY=($(compgen -W 'none single-object confluent' -- "$cur"))
			;;
		*:--length-prefix)
			COMPREPLY=($(compgen -W 'none 4be varint uvarint' -- "$cur"))
			;;
		*:-c | *:--codec)
			COMPREPLY=($(compgen -W "$codecs" -- "$cur"))
			;;
		*:--bytes)
			COMPREPLY=($(compgen -W 'codepoints base64 hex' -- "$cur"))
			;;
		fingerprint:-a | fingerprint:--algorithm)
			COMPREPLY=($(compgen -W 'crc64 md5 sha256' -- "$cur"))
			;;
		getmeta:-k | getmeta:--key)
			_avrokit_meta_keys
			;;
		*)
			# a number, a size, schema text, KEY=VALUE, hex digits: nothing to offer
			;;
		esac
	elif [[ $cur == -* && -z $dd ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	elif ((files)); then
		_avrokit_files
	elif [[ -z $dd ]]; then
		# compatible takes no operands: offer its options
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	fi
	return 0
} &&
	complete -F _avrokit avrokit
