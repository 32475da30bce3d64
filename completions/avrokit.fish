# SPDX-License-Identifier: Apache-2.0
# fish completion for avrokit(1); installed as fish/vendor_completions.d/avrokit.fish.
#
# Every option of a command is one `complete` line with the condition
# "__avrokit_command_is CMD"; tests/cli/docs.bats checks them against
# `avrokit CMD --list-options`.

# No command yet: the command line holds only "avrokit" (and perhaps a global option).
function __avrokit_needs_command
    set -l words (commandline -opc)
    test (count $words) -eq 1
end

# The command (the second word) is $argv[1].
function __avrokit_command_is
    set -l words (commandline -opc)
    test (count $words) -ge 2; and test "$words[2]" = "$argv[1]"
end

# Every file (and directories, to walk into): avrokit finds data files and schemas by their
# content, not their names (Hadoop's part-00000 has no .avro).
function __avrokit_files
    # fish adds the "--reader-schema-file=" of "--reader-schema-file=FILE" back itself
    set -l token (commandline -ct | string replace -r -- '^--[^=]*=' '')
    complete -C "__fish_command_without_completions $token"
end

# The metadata keys of the data file on getmeta's command line, as
# `avrokit getmeta --json FILE` prints them: the first word that is not an option and names
# a regular file that getmeta reads. The usual keys when there is none. Keys that JSON would
# escape are left out; a key is printed, never evaluated.
function __avrokit_meta_keys
    set -l words (commandline -op)
    set -l prog $words[1]
    for w in $words[3..-1]
        string match -q -- '-*' $w; and continue
        # (a regular file only: a FIFO or a device could keep the shell waiting)
        test -f "$w" -a -r "$w"; or continue
        set -l json (command $prog getmeta --json -- $w 2>/dev/null); or continue
        string match -q -- '{*' "$json"; or continue
        # the members of the top-level object: the first right after "{", the others
        # after a comma (inside a string a quote is escaped, so ,"NAME": cannot start
        # there; the "base64" member of a value comes after "{")
        set -l keys (string match -rag -- '(?:^\{|,)"([^"\\\\]*)":' "$json")
        if set -q keys[1]
            string join \n -- $keys
            return
        end
    end
    printf '%s\n' avro.schema avro.codec
end

# Only offer files where an input is expected.
complete -c avrokit -f

# Commands
complete -c avrokit -n __avrokit_needs_command -a blocks -d 'describe the blocks of a data file'
complete -c avrokit -n __avrokit_needs_command -a canonical -d 'print a schema in Parsing Canonical Form'
complete -c avrokit -n __avrokit_needs_command -a cat -d 'copy records, or a sample of them, into a new data file'
complete -c avrokit -n __avrokit_needs_command -a checkschema -d 'check that schemas are valid'
complete -c avrokit -n __avrokit_needs_command -a compatible -d 'check that a reader schema can read a writer\'s data'
complete -c avrokit -n __avrokit_needs_command -a concat -d 'join data files with the same schema, copying blocks'
complete -c avrokit -n __avrokit_needs_command -a count -d 'count the records in data files (from block headers)'
complete -c avrokit -n __avrokit_needs_command -a fingerprint -d 'print schema fingerprints (CRC-64-AVRO, MD5, SHA-256)'
complete -c avrokit -n __avrokit_needs_command -a fragtojson -d 'print Avro binary datums (fragments) as JSON'
complete -c avrokit -n __avrokit_needs_command -a fromjson -d 'write a data file from JSON records'
complete -c avrokit -n __avrokit_needs_command -a fromtext -d 'write lines of text as a data file of bytes records'
complete -c avrokit -n __avrokit_needs_command -a getmeta -d 'print the metadata of a data file'
complete -c avrokit -n __avrokit_needs_command -a getschema -d 'print the schema of a data file'
complete -c avrokit -n __avrokit_needs_command -a idl -d 'turn an Avro IDL file into a JSON protocol or schema'
complete -c avrokit -n __avrokit_needs_command -a idl2schemata -d 'write each type of an Avro IDL file as a schema file'
complete -c avrokit -n __avrokit_needs_command -a infer -d 'print a schema that JSON records fit, inferred from them'
complete -c avrokit -n __avrokit_needs_command -a jsontofrag -d 'write JSON values as Avro binary datums (fragments)'
complete -c avrokit -n __avrokit_needs_command -a random -d 'write a data file of random records for a schema'
complete -c avrokit -n __avrokit_needs_command -a recodec -d 'rewrite a data file with another codec'
complete -c avrokit -n __avrokit_needs_command -a repair -d 'recover the readable records of a damaged data file'
complete -c avrokit -n __avrokit_needs_command -a splits -d 'print byte ranges that split data files for parallel workers'
complete -c avrokit -n __avrokit_needs_command -a tojson -d 'print the records of data files as JSON, one per line'
complete -c avrokit -n __avrokit_needs_command -a totext -d 'print the records of a data file of bytes as lines of text'
complete -c avrokit -n __avrokit_needs_command -a help -d 'show the help of a command'

# Global options (in place of a command)
complete -c avrokit -n __avrokit_needs_command -s h -l help -d 'show the help and exit'
complete -c avrokit -n __avrokit_needs_command -s V -l version -d 'show the version and the codecs built in, and exit'

# avrokit help COMMAND
complete -c avrokit -n '__avrokit_command_is help; and test (count (commandline -opc)) -eq 2' -a 'blocks canonical cat checkschema compatible concat count fingerprint fragtojson fromjson fromtext getmeta getschema idl idl2schemata infer jsontofrag random recodec repair splits tojson totext'

# blocks
complete -c avrokit -n '__avrokit_command_is blocks' -s j -l json -d 'print JSON lines (a header object, then one per block)'
complete -c avrokit -n '__avrokit_command_is blocks' -s o -l output -r -F -d 'write to FILE (replaced only on success)'
complete -c avrokit -n '__avrokit_command_is blocks' -s h -l help -d 'show the help of this command and exit'
complete -c avrokit -n '__avrokit_command_is blocks' -a '(__avrokit_files)'
complete -c avrokit -n '__avrokit_command_is blocks' -l max-block-size -x -d 'refuse a block larger than SIZE, stored or decompressed'
complete -c avrokit -n '__avrokit_command_is blocks' -l max-header-size -x -d 'refuse metadata larger than SIZE'
complete -c avrokit -n '__avrokit_command_is blocks' -l range -x -d 'read only the blocks whose sync marker starts in START:END'

# canonical
complete -c avrokit -n '__avrokit_command_is canonical' -s o -l output -r -F -d 'write to FILE (replaced only on success)'
complete -c avrokit -n '__avrokit_command_is canonical' -s i -l import -x -a '(__avrokit_files)' -d 'a schema file whose named types the schemas may use'
complete -c avrokit -n '__avrokit_command_is canonical' -s h -l help -d 'show the help of this command and exit'
complete -c avrokit -n '__avrokit_command_is canonical' -a '(__avrokit_files)'
complete -c avrokit -n '__avrokit_command_is canonical' -l max-header-size -x -d 'refuse metadata larger than SIZE'

# cat
complete -c avrokit -n '__avrokit_command_is cat' -l offset -x -d 'skip the first N records (of all inputs together)'
complete -c avrokit -n '__avrokit_command_is cat' -l limit -x -d 'write at most N records'
complete -c avrokit -n '__avrokit_command_is cat' -l samplerate -x -d 'keep this fraction of the records (0 to 1)'
complete -c avrokit -n '__avrokit_command_is cat' -l seed -x -d 'with --samplerate, pick records at random from this seed'
complete -c avrokit -n '__avrokit_command_is cat' -s c -l codec -x -a 'null deflate snappy bzip2 xz zstandard' -d 'codec of the output (default: the first input\'s)'
complete -c avrokit -n '__avrokit_command_is cat' -s l -l level -x -d 'compression level'
complete -c avrokit -n '__avrokit_command_is cat' -s b -l block-size -x -d 'bytes of records per block (default 64K)'
complete -c avrokit -n '__avrokit_command_is cat' -s r -l reader-schema -x -d 'convert the records to this schema (JSON text)'
complete -c avrokit -n '__avrokit_command_is cat' -s R -l reader-schema-file -x -a '(__avrokit_files)' -d 'convert the records to the schema in FILE (repeatable: the last is the schema)'
complete -c avrokit -n '__avrokit_command_is cat' -s o -l output -r -F -d 'write to FILE (replaced only on success)'
complete -c avrokit -n '__avrokit_command_is cat' -l sync-marker -x -d 'use this sync marker (32 hex digits)'
complete -c avrokit -n '__avrokit_command_is cat' -l progress -d 'show progress on standard error even when it is not a terminal'
complete -c avrokit -n '__avrokit_command_is cat' -s q -l quiet -d 'show no progress'
complete -c avrokit -n '__avrokit_command_is cat' -s h -l help -d 'show the help of this command and exit'
complete -c avrokit -n '__avrokit_command_is cat' -a '(__avrokit_files)'
complete -c avrokit -n '__avrokit_command_is cat' -l max-block-size -x -d 'refuse a block larger than SIZE, stored or decompressed'
complete -c avrokit -n '__avrokit_command_is cat' -l max-header-size -x -d 'refuse metadata larger than SIZE'
complete -c avrokit -n '__avrokit_command_is cat' -l range -x -d 'read only the blocks whose sync marker starts in START:END'

# checkschema
complete -c avrokit -n '__avrokit_command_is checkschema' -s v -l verbose -d 'print "FILE: ok" for each valid schema'
complete -c avrokit -n '__avrokit_command_is checkschema' -s s -l strict -d 'a union default must fit the first branch'
complete -c avrokit -n '__avrokit_command_is checkschema' -s i -l import -x -a '(__avrokit_files)' -d 'a schema file whose named types the schemas may use'
complete -c avrokit -n '__avrokit_command_is checkschema' -s h -l help -d 'show the help of this command and exit'
complete -c avrokit -n '__avrokit_command_is checkschema' -a '(__avrokit_files)'
complete -c avrokit -n '__avrokit_command_is checkschema' -l max-header-size -x -d 'refuse metadata larger than SIZE'

# compatible (takes no operands)
complete -c avrokit -n '__avrokit_command_is compatible' -s r -l reader -x -a '(__avrokit_files)' -d 'the reader schema (repeatable: the last is the schema)'
complete -c avrokit -n '__avrokit_command_is compatible' -s w -l writer -x -a '(__avrokit_files)' -d 'the writer schema (repeatable: the last is the schema)'
complete -c avrokit -n '__avrokit_command_is compatible' -s q -l quiet -d 'print nothing; only the exit status tells'
complete -c avrokit -n '__avrokit_command_is compatible' -s h -l help -d 'show the help of this command and exit'
complete -c avrokit -n '__avrokit_command_is compatible' -l max-header-size -x -d 'refuse metadata larger than SIZE'

# concat
complete -c avrokit -n '__avrokit_command_is concat' -s c -l codec -x -a 'null deflate snappy bzip2 xz zstandard' -d 'codec of the output (default: the first input\'s)'
complete -c avrokit -n '__avrokit_command_is concat' -s l -l level -x -d 'compression level for recompressed blocks'
complete -c avrokit -n '__avrokit_command_is concat' -s o -l output -r -F -d 'write to FILE (replaced only on success)'
complete -c avrokit -n '__avrokit_command_is concat' -l sync-marker -x -d 'use this sync marker (32 hex digits)'
complete -c avrokit -n '__avrokit_command_is concat' -l progress -d 'show progress on standard error even when it is not a terminal'
complete -c avrokit -n '__avrokit_command_is concat' -s q -l quiet -d 'show no progress'
complete -c avrokit -n '__avrokit_command_is concat' -s h -l help -d 'show the help of this command and exit'
complete -c avrokit -n '__avrokit_command_is concat' -a '(__avrokit_files)'
complete -c avrokit -n '__avrokit_command_is concat' -l max-block-size -x -d 'refuse a block larger than SIZE, stored or decompressed'
complete -c avrokit -n '__avrokit_command_is concat' -l max-header-size -x -d 'refuse metadata larger than SIZE'

# count
complete -c avrokit -n '__avrokit_command_is count' -s t -l total-only -d 'print only the total of all inputs'
complete -c avrokit -n '__avrokit_command_is count' -s o -l output -r -F -d 'write to FILE (replaced only on success)'
complete -c avrokit -n '__avrokit_command_is count' -s h -l help -d 'show the help of this command and exit'
complete -c avrokit -n '__avrokit_command_is count' -a '(__avrokit_files)'
complete -c avrokit -n '__avrokit_command_is count' -l max-block-size -x -d 'refuse a block larger than SIZE, stored or decompressed'
complete -c avrokit -n '__avrokit_command_is count' -l max-header-size -x -d 'refuse metadata larger than SIZE'
complete -c avrokit -n '__avrokit_command_is count' -l range -x -d 'read only the blocks whose sync marker starts in START:END'

# fingerprint
complete -c avrokit -n '__avrokit_command_is fingerprint' -s a -l algorithm -x -a 'crc64 md5 sha256' -d 'the fingerprint to print (default crc64)'
complete -c avrokit -n '__avrokit_command_is fingerprint' -l big-endian -d 'print the CRC-64 most significant byte first'
complete -c avrokit -n '__avrokit_command_is fingerprint' -l decimal -d 'print the CRC-64 as a signed 64-bit decimal'
complete -c avrokit -n '__avrokit_command_is fingerprint' -s o -l output -r -F -d 'write to FILE (replaced only on success)'
complete -c avrokit -n '__avrokit_command_is fingerprint' -s i -l import -x -a '(__avrokit_files)' -d 'a schema file whose named types the schemas may use'
complete -c avrokit -n '__avrokit_command_is fingerprint' -s h -l help -d 'show the help of this command and exit'
complete -c avrokit -n '__avrokit_command_is fingerprint' -a '(__avrokit_files)'
complete -c avrokit -n '__avrokit_command_is fingerprint' -l max-header-size -x -d 'refuse metadata larger than SIZE'

# fragtojson
complete -c avrokit -n '__avrokit_command_is fragtojson' -s f -l schema-file -x -a '(__files)' -d 'the datums'"'"' schema (repeatable: the last is the schema)'
complete -c avrokit -n '__avrokit_command_is fragtojson' -s s -l schema -x -d 'the schema, as JSON text'
complete -c avrokit -n '__avrokit_command_is fragtojson' -l no-pretty -d 'one datum per line, not indented'
complete -c avrokit -n '__avrokit_command_is fragtojson' -s P -l plain -d 'plain JSON: unions unwrapped, logical types readable'
complete -c avrokit -n '__avrokit_command_is fragtojson' -l bytes -x -a 'codepoints base64 hex' -d 'form of bytes and fixed values'
complete -c avrokit -n '__avrokit_command_is fragtojson' -s r -l reader-schema -x -d 'read the datums as this schema (JSON text)'
complete -c avrokit -n '__avrokit_command_is fragtojson' -s R -l reader-schema-file -x -a '(__files)' -d 'read the datums as the schema in FILE'
complete -c avrokit -n '__avrokit_command_is fragtojson' -s o -l output -r -F -d 'write to FILE (replaced only on success)'
complete -c avrokit -n '__avrokit_command_is fragtojson' -s h -l help -d 'show the help of this command and exit'
complete -c avrokit -n '__avrokit_command_is fragtojson' -F

# fromjson
complete -c avrokit -n '__avrokit_command_is fromjson' -s s -l schema -x -d 'the schema, as JSON text'
complete -c avrokit -n '__avrokit_command_is fromjson' -s f -l schema-file -x -a '(__avrokit_files)' -d 'read the schema from FILE (repeatable: the last is the schema)'
complete -c avrokit -n '__avrokit_command_is fromjson' -l infer -d 'infer the schema from the input first (implies --plain)'
complete -c avrokit -n '__avrokit_command_is fromjson' -s n -l name -x -d 'with --infer, name the top-level record'
complete -c avrokit -n '__avrokit_command_is fromjson' -l namespace -x -d 'with --infer, the namespace of the records'
complete -c avrokit -n '__avrokit_command_is fromjson' -l logical -d 'with --infer, detect dates, timestamps and uuids in strings'
complete -c avrokit -n '__avrokit_command_is fromjson' -l max-fields -x -d 'with --infer, make an object a map after N different keys'
complete -c avrokit -n '__avrokit_command_is fromjson' -s c -l codec -x -a 'null deflate snappy bzip2 xz zstandard' -d 'codec of the output (default: null)'
complete -c avrokit -n '__avrokit_command_is fromjson' -s l -l level -x -d 'compression level'
complete -c avrokit -n '__avrokit_command_is fromjson' -s b -l block-size -x -d 'end a block when its records reach SIZE bytes (default 64K)'
complete -c avrokit -n '__avrokit_command_is fromjson' -s m -l meta -x -d 'add a metadata entry KEY=VALUE'
complete -c avrokit -n '__avrokit_command_is fromjson' -s o -l output -r -F -d 'write to FILE (replaced only on success)'
complete -c avrokit -n '__avrokit_command_is fromjson' -s a -l array -d 'the input is one JSON array of records'
complete -c avrokit -n '__avrokit_command_is fromjson' -s j -l jobs -x -d 'parse and compress on N threads'
complete -c avrokit -n '__avrokit_command_is fromjson' -s P -l plain -d 'read plain JSON: unions unwrapped, readable logical types'
complete -c avrokit -n '__avrokit_command_is fromjson' -l bytes -x -a 'codepoints base64 hex' -d 'with --plain, the form of bytes and fixed values'
complete -c avrokit -n '__avrokit_command_is fromjson' -l ignore-unknown-fields -d 'skip JSON fields the records do not have'
complete -c avrokit -n '__avrokit_command_is fromjson' -l sync-marker -x -d 'use this sync marker, for a reproducible file'
complete -c avrokit -n '__avrokit_command_is fromjson' -l progress -d 'show progress on standard error even when it is not a terminal'
complete -c avrokit -n '__avrokit_command_is fromjson' -s q -l quiet -d 'show no progress'
complete -c avrokit -n '__avrokit_command_is fromjson' -s h -l help -d 'show the help of this command and exit'
complete -c avrokit -n '__avrokit_command_is fromjson' -a '(__avrokit_files)'
complete -c avrokit -n '__avrokit_command_is fromjson' -l max-header-size -x -d 'refuse metadata larger than SIZE'
complete -c avrokit -n '__avrokit_command_is fromjson' -l datums -d 'write bare datums, not a data file'
complete -c avrokit -n '__avrokit_command_is fromjson' -l framing -x -a 'none single-object confluent' -d 'write one message per record'
complete -c avrokit -n '__avrokit_command_is fromjson' -l length-prefix -x -a 'none 4be varint uvarint' -d 'write each message'"'"'s length before it'
complete -c avrokit -n '__avrokit_command_is fromjson' -l schema-id -x -d 'with --framing confluent, the schema'"'"'s registry id'

# fromtext
complete -c avrokit -n '__avrokit_command_is fromtext' -s c -l codec -x -a 'null deflate snappy bzip2 xz zstandard' -d 'codec of the output (default: null)'
complete -c avrokit -n '__avrokit_command_is fromtext' -s l -l level -x -d 'compression level'
complete -c avrokit -n '__avrokit_command_is fromtext' -s b -l block-size -x -d 'end a block when its records reach SIZE bytes (default 64K)'
complete -c avrokit -n '__avrokit_command_is fromtext' -s m -l meta -x -d 'add a metadata entry KEY=VALUE'
complete -c avrokit -n '__avrokit_command_is fromtext' -s j -l jobs -x -d 'compress on N threads'
complete -c avrokit -n '__avrokit_command_is fromtext' -l sync-marker -x -d 'use this sync marker, for a reproducible file'
complete -c avrokit -n '__avrokit_command_is fromtext' -s o -l output -r -F -d 'write to FILE (the same as OUTPUT)'
complete -c avrokit -n '__avrokit_command_is fromtext' -l max-block-size -x -d 'refuse a line too long for a block of SIZE bytes'
complete -c avrokit -n '__avrokit_command_is fromtext' -l progress -d 'show progress on standard error even when it is not a terminal'
complete -c avrokit -n '__avrokit_command_is fromtext' -s q -l quiet -d 'show no progress'
complete -c avrokit -n '__avrokit_command_is fromtext' -s h -l help -d 'show the help of this command and exit'
complete -c avrokit -n '__avrokit_command_is fromtext' -a '(__avrokit_files)'

# getmeta
complete -c avrokit -n '__avrokit_command_is getmeta' -s k -l key -x -a '(__avrokit_meta_keys)' -d 'print only the value of KEY'
complete -c avrokit -n '__avrokit_command_is getmeta' -s j -l json -d 'print one JSON object of the metadata'
complete -c avrokit -n '__avrokit_command_is getmeta' -s o -l output -r -F -d 'write to FILE (replaced only on success)'
complete -c avrokit -n '__avrokit_command_is getmeta' -s h -l help -d 'show the help of this command and exit'
complete -c avrokit -n '__avrokit_command_is getmeta' -a '(__avrokit_files)'
complete -c avrokit -n '__avrokit_command_is getmeta' -l max-header-size -x -d 'refuse metadata larger than SIZE'

# getschema
complete -c avrokit -n '__avrokit_command_is getschema' -s c -l compact -d 'print the schema on one line'
complete -c avrokit -n '__avrokit_command_is getschema' -s r -l raw -d 'print the schema exactly as stored in the file'
complete -c avrokit -n '__avrokit_command_is getschema' -l canonical -d 'print the schema in Parsing Canonical Form'
complete -c avrokit -n '__avrokit_command_is getschema' -s o -l output -r -F -d 'write to FILE (replaced only on success)'
complete -c avrokit -n '__avrokit_command_is getschema' -s h -l help -d 'show the help of this command and exit'
complete -c avrokit -n '__avrokit_command_is getschema' -a '(__avrokit_files)'
complete -c avrokit -n '__avrokit_command_is getschema' -l max-header-size -x -d 'refuse metadata larger than SIZE'

# idl
complete -c avrokit -n '__avrokit_command_is idl' -s I -l import-dir -x -a '(__fish_complete_directories)' -d 'look for imported files in DIR too'
complete -c avrokit -n '__avrokit_command_is idl' -s o -l output -r -F -d 'write to FILE (replaced only on success)'
complete -c avrokit -n '__avrokit_command_is idl' -s h -l help -d 'show the help of this command and exit'
complete -c avrokit -n '__avrokit_command_is idl' -a '(__avrokit_files)'

# idl2schemata
complete -c avrokit -n '__avrokit_command_is idl2schemata' -s I -l import-dir -x -a '(__fish_complete_directories)' -d 'look for imported files in DIR too'
complete -c avrokit -n '__avrokit_command_is idl2schemata' -s h -l help -d 'show the help of this command and exit'
complete -c avrokit -n '__avrokit_command_is idl2schemata' -a '(__avrokit_files)'

# infer
complete -c avrokit -n '__avrokit_command_is infer' -s n -l name -x -d 'name the top-level record (default Record)'
complete -c avrokit -n '__avrokit_command_is infer' -l namespace -x -d 'put the records in namespace NS'
complete -c avrokit -n '__avrokit_command_is infer' -s a -l array -d 'the input is one JSON array of records'
complete -c avrokit -n '__avrokit_command_is infer' -l logical -d 'detect dates, RFC 3339 timestamps and uuids in strings'
complete -c avrokit -n '__avrokit_command_is infer' -l max-fields -x -d 'make an object a map after N different keys (default 1000)'
complete -c avrokit -n '__avrokit_command_is infer' -s c -l compact -d 'print the schema on one line'
complete -c avrokit -n '__avrokit_command_is infer' -s o -l output -r -F -d 'write to FILE (replaced only on success)'
complete -c avrokit -n '__avrokit_command_is infer' -s h -l help -d 'show the help of this command and exit'
complete -c avrokit -n '__avrokit_command_is infer' -a '(__avrokit_files)'

# jsontofrag
complete -c avrokit -n '__avrokit_command_is jsontofrag' -s f -l schema-file -x -a '(__files)' -d 'the schema (repeatable: the last is the schema)'
complete -c avrokit -n '__avrokit_command_is jsontofrag' -s s -l schema -x -d 'the schema, as JSON text'
complete -c avrokit -n '__avrokit_command_is jsontofrag' -s P -l plain -d 'read plain JSON: unions unwrapped, readable logical types'
complete -c avrokit -n '__avrokit_command_is jsontofrag' -l bytes -x -a 'codepoints base64 hex' -d 'with --plain, the form of bytes and fixed values'
complete -c avrokit -n '__avrokit_command_is jsontofrag' -l ignore-unknown-fields -d 'skip JSON fields the records do not have'
complete -c avrokit -n '__avrokit_command_is jsontofrag' -s a -l array -d 'the input is one JSON array of values'
complete -c avrokit -n '__avrokit_command_is jsontofrag' -s o -l output -r -F -d 'write to FILE (replaced only on success)'
complete -c avrokit -n '__avrokit_command_is jsontofrag' -s h -l help -d 'show the help of this command and exit'
complete -c avrokit -n '__avrokit_command_is jsontofrag' -a '(__avrokit_files)'

# random
complete -c avrokit -n '__avrokit_command_is random' -s n -l count -x -d 'write N records (required)'
complete -c avrokit -n '__avrokit_command_is random' -l seed -x -d 'seed the generator: the same seed gives the same file'
complete -c avrokit -n '__avrokit_command_is random' -s s -l schema -x -d 'the schema, as JSON text'
complete -c avrokit -n '__avrokit_command_is random' -s f -l schema-file -x -a '(__avrokit_files)' -d 'read the schema from FILE (a schema or a data file)'
complete -c avrokit -n '__avrokit_command_is random' -s c -l codec -x -a 'null deflate snappy bzip2 xz zstandard' -d 'codec of the output (default: deflate)'
complete -c avrokit -n '__avrokit_command_is random' -s l -l level -x -d 'compression level'
complete -c avrokit -n '__avrokit_command_is random' -s b -l block-size -x -d 'end a block when its records reach SIZE bytes (default 64K)'
complete -c avrokit -n '__avrokit_command_is random' -s j -l jobs -x -d 'compress on N threads'
complete -c avrokit -n '__avrokit_command_is random' -s o -l output -r -F -d 'write to FILE (replaced only on success)'
complete -c avrokit -n '__avrokit_command_is random' -s h -l help -d 'show the help of this command and exit'
complete -c avrokit -n '__avrokit_command_is random' -a '(__avrokit_files)'
complete -c avrokit -n '__avrokit_command_is random' -l max-header-size -x -d 'refuse metadata larger than SIZE'

# recodec
complete -c avrokit -n '__avrokit_command_is recodec' -s c -l codec -x -a 'null deflate snappy bzip2 xz zstandard' -d 'codec of the output (default: null)'
complete -c avrokit -n '__avrokit_command_is recodec' -s l -l level -x -d 'compression level'
complete -c avrokit -n '__avrokit_command_is recodec' -l sync-marker -x -d 'use this sync marker (default: keep the input\'s)'
complete -c avrokit -n '__avrokit_command_is recodec' -s o -l output -r -F -d 'write to FILE (the same as OUTPUT)'
complete -c avrokit -n '__avrokit_command_is recodec' -l progress -d 'show progress on standard error even when it is not a terminal'
complete -c avrokit -n '__avrokit_command_is recodec' -s q -l quiet -d 'show no progress'
complete -c avrokit -n '__avrokit_command_is recodec' -s h -l help -d 'show the help of this command and exit'
complete -c avrokit -n '__avrokit_command_is recodec' -a '(__avrokit_files)'
complete -c avrokit -n '__avrokit_command_is recodec' -l max-block-size -x -d 'refuse a block larger than SIZE, stored or decompressed'
complete -c avrokit -n '__avrokit_command_is recodec' -l max-header-size -x -d 'refuse metadata larger than SIZE'

# repair
complete -c avrokit -n '__avrokit_command_is repair' -s r -l report -d 'only check: print each damaged region, exit 1 if there is one'
complete -c avrokit -n '__avrokit_command_is repair' -s q -l quiet -d 'do not print the damage report when repairing, and show no progress'
complete -c avrokit -n '__avrokit_command_is repair' -s o -l output -r -F -d 'write the records to FILE (the same as OUTPUT)'
complete -c avrokit -n '__avrokit_command_is repair' -l progress -d 'show progress on standard error even when it is not a terminal'
complete -c avrokit -n '__avrokit_command_is repair' -s h -l help -d 'show the help of this command and exit'
complete -c avrokit -n '__avrokit_command_is repair' -a '(__avrokit_files)'
complete -c avrokit -n '__avrokit_command_is repair' -l max-block-size -x -d 'refuse a block larger than SIZE, stored or decompressed'
complete -c avrokit -n '__avrokit_command_is repair' -l max-header-size -x -d 'refuse metadata larger than SIZE'

# splits
complete -c avrokit -n '__avrokit_command_is splits' -s n -l count -x -d 'N ranges in all, shared among the files'
complete -c avrokit -n '__avrokit_command_is splits' -s s -l size -x -d 'ranges of SIZE bytes of data at most'
complete -c avrokit -n '__avrokit_command_is splits' -s H -l with-filename -d 'print the file name also for one file'
complete -c avrokit -n '__avrokit_command_is splits' -s c -l colon -d 'print each range as START:END'
complete -c avrokit -n '__avrokit_command_is splits' -s o -l output -r -F -d 'write to FILE (replaced only on success)'
complete -c avrokit -n '__avrokit_command_is splits' -s h -l help -d 'show the help of this command and exit'
complete -c avrokit -n '__avrokit_command_is splits' -a '(__avrokit_files)'
complete -c avrokit -n '__avrokit_command_is splits' -l max-header-size -x -d 'refuse metadata larger than SIZE'

# tojson
complete -c avrokit -n '__avrokit_command_is tojson' -s p -l pretty -d 'indent the JSON'
complete -c avrokit -n '__avrokit_command_is tojson' -s n -l head -x -d 'stop after N records (in all inputs together)'
complete -c avrokit -n '__avrokit_command_is tojson' -s r -l reader-schema -x -d 'read the records as this schema (JSON text)'
complete -c avrokit -n '__avrokit_command_is tojson' -s R -l reader-schema-file -x -a '(__avrokit_files)' -d 'read the records as the schema in FILE (repeatable: the last is the schema)'
complete -c avrokit -n '__avrokit_command_is tojson' -s j -l jobs -x -d 'decompress and decode on N threads'
complete -c avrokit -n '__avrokit_command_is tojson' -s P -l plain -d 'plain JSON: unions unwrapped, logical types readable'
complete -c avrokit -n '__avrokit_command_is tojson' -l bytes -x -a 'codepoints base64 hex' -d 'form of bytes and fixed values'
complete -c avrokit -n '__avrokit_command_is tojson' -s o -l output -r -F -d 'write to FILE (replaced only on success)'
complete -c avrokit -n '__avrokit_command_is tojson' -l progress -d 'show progress on standard error even when it is not a terminal'
complete -c avrokit -n '__avrokit_command_is tojson' -s q -l quiet -d 'show no progress'
complete -c avrokit -n '__avrokit_command_is tojson' -s h -l help -d 'show the help of this command and exit'
complete -c avrokit -n '__avrokit_command_is tojson' -a '(__avrokit_files)'
complete -c avrokit -n '__avrokit_command_is tojson' -l max-block-size -x -d 'refuse a block larger than SIZE, stored or decompressed'
complete -c avrokit -n '__avrokit_command_is tojson' -l max-header-size -x -d 'refuse metadata larger than SIZE'
complete -c avrokit -n '__avrokit_command_is tojson' -l range -x -d 'read only the blocks whose sync marker starts in START:END'
complete -c avrokit -n '__avrokit_command_is tojson' -l datums -d 'the inputs are bare datums, not data files'
complete -c avrokit -n '__avrokit_command_is tojson' -l framing -x -a 'none single-object confluent' -d 'the inputs are messages of one datum each'
complete -c avrokit -n '__avrokit_command_is tojson' -l length-prefix -x -a 'none 4be varint uvarint' -d 'each message comes after its length'
complete -c avrokit -n '__avrokit_command_is tojson' -l schema -x -d 'with --datums or --framing, a writer schema as JSON text'
complete -c avrokit -n '__avrokit_command_is tojson' -l schema-file -x -a '(__files)' -d 'with --datums or --framing, a writer schema (repeatable)'
complete -c avrokit -n '__avrokit_command_is tojson' -l schema-dir -x -a '(__fish_complete_directories)' -d 'look the messages'"'"' schemas up in DIR'
complete -c avrokit -n '__avrokit_command_is tojson' -l schema-id -x -d 'with --framing confluent, the id of the one schema given'

# totext
complete -c avrokit -n '__avrokit_command_is totext' -s o -l output -r -F -d 'write to FILE (the same as OUTPUT)'
complete -c avrokit -n '__avrokit_command_is totext' -l progress -d 'show progress on standard error even when it is not a terminal'
complete -c avrokit -n '__avrokit_command_is totext' -s q -l quiet -d 'show no progress'
complete -c avrokit -n '__avrokit_command_is totext' -s h -l help -d 'show the help of this command and exit'
complete -c avrokit -n '__avrokit_command_is totext' -a '(__avrokit_files)'
complete -c avrokit -n '__avrokit_command_is totext' -l max-block-size -x -d 'refuse a block larger than SIZE, stored or decompressed'
complete -c avrokit -n '__avrokit_command_is totext' -l max-header-size -x -d 'refuse metadata larger than SIZE'
