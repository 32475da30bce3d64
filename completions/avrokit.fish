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

# Avro data files, and directories to walk into (fish's __fish_complete_suffix would
# offer every other file too).
function __avrokit_avro_files
    set -l files (complete -C "__fish_command_without_completions "(commandline -ct))
    string match -r -- '^.*\.avro$' $files
    string match -r -- '^.*/$' $files
end

# Schema files and data files (for --reader-schema-file), and directories.
function __avrokit_schema_files
    # fish adds the "--reader-schema-file=" of "--reader-schema-file=FILE" back itself
    set -l token (commandline -ct | string replace -r -- '^--[^=]*=' '')
    set -l files (complete -C "__fish_command_without_completions $token")
    string match -r -- '^.*\.(?:avsc|avro)$' $files
    string match -r -- '^.*/$' $files
end

# Only offer files where an input is expected, and then Avro data files.
complete -c avrokit -f

# Commands
complete -c avrokit -n __avrokit_needs_command -a count -d 'count the records in data files (from block headers)'
complete -c avrokit -n __avrokit_needs_command -a getmeta -d 'print the metadata of a data file'
complete -c avrokit -n __avrokit_needs_command -a getschema -d 'print the schema of a data file'
complete -c avrokit -n __avrokit_needs_command -a tojson -d 'print the records of data files as JSON, one per line'
complete -c avrokit -n __avrokit_needs_command -a help -d 'show the help of a command'

# Global options (in place of a command)
complete -c avrokit -n __avrokit_needs_command -s h -l help -d 'show the help and exit'
complete -c avrokit -n __avrokit_needs_command -s V -l version -d 'show the version and the codecs built in, and exit'

# avrokit help COMMAND
complete -c avrokit -n '__avrokit_command_is help; and test (count (commandline -opc)) -eq 2' -a 'count getmeta getschema tojson'

# count
complete -c avrokit -n '__avrokit_command_is count' -s o -l output -r -F -d 'write to FILE (replaced only on success)'
complete -c avrokit -n '__avrokit_command_is count' -s h -l help -d 'show the help of this command and exit'
complete -c avrokit -n '__avrokit_command_is count' -a '(__avrokit_avro_files)'

# getmeta
complete -c avrokit -n '__avrokit_command_is getmeta' -s k -l key -x -a 'avro.schema avro.codec' -d 'print only the value of KEY'
complete -c avrokit -n '__avrokit_command_is getmeta' -s o -l output -r -F -d 'write to FILE (replaced only on success)'
complete -c avrokit -n '__avrokit_command_is getmeta' -s h -l help -d 'show the help of this command and exit'
complete -c avrokit -n '__avrokit_command_is getmeta' -a '(__avrokit_avro_files)'

# getschema
complete -c avrokit -n '__avrokit_command_is getschema' -s c -l compact -d 'print the schema on one line'
complete -c avrokit -n '__avrokit_command_is getschema' -s r -l raw -d 'print the schema exactly as stored in the file'
complete -c avrokit -n '__avrokit_command_is getschema' -l canonical -d 'print the schema in Parsing Canonical Form'
complete -c avrokit -n '__avrokit_command_is getschema' -s o -l output -r -F -d 'write to FILE (replaced only on success)'
complete -c avrokit -n '__avrokit_command_is getschema' -s h -l help -d 'show the help of this command and exit'
complete -c avrokit -n '__avrokit_command_is getschema' -a '(__avrokit_avro_files)'

# tojson
complete -c avrokit -n '__avrokit_command_is tojson' -s p -l pretty -d 'indent the JSON'
complete -c avrokit -n '__avrokit_command_is tojson' -s n -l head -x -d 'stop after N records (in all inputs together)'
complete -c avrokit -n '__avrokit_command_is tojson' -s r -l reader-schema -x -d 'read the records as this schema (JSON text)'
complete -c avrokit -n '__avrokit_command_is tojson' -s R -l reader-schema-file -x -a '(__avrokit_schema_files)' -d 'read the records as the schema in FILE'
complete -c avrokit -n '__avrokit_command_is tojson' -s o -l output -r -F -d 'write to FILE (replaced only on success)'
complete -c avrokit -n '__avrokit_command_is tojson' -s h -l help -d 'show the help of this command and exit'
complete -c avrokit -n '__avrokit_command_is tojson' -a '(__avrokit_avro_files)'
