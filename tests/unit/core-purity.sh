#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The core never prints, exits or reads the environment (DESIGN.md, "Layers"). Fail when any
# file under the directory given as $1 calls printf(, fprintf(, puts(, exit(, abort(,
# getenv(, or mentions stdout or stderr, even in a comment.
set -u
dir=${1:?usage: core-purity.sh SRC_CORE_DIR}
if [ ! -d "$dir" ]; then
	echo "core-purity: $dir is not a directory" >&2
	exit 2
fi
nfiles=$(find "$dir" -type f \( -name '*.c' -o -name '*.h' \) | wc -l)
if [ "$nfiles" -eq 0 ]; then
	echo "core-purity: no C files under $dir" >&2
	exit 2
fi
# Identifier boundary by hand (POSIX ERE has no \b): snprintf( and _exit( do not match.
pattern='(^|[^A-Za-z0-9_])(printf|fprintf|puts|exit|abort|getenv)[[:space:]]*\(|stdout|stderr'
if find "$dir" -type f \( -name '*.c' -o -name '*.h' \) -exec grep -nE "$pattern" /dev/null {} +; then
	echo "core-purity: the lines above print, exit or read the environment in $dir" >&2
	exit 1
fi
echo "core-purity: $nfiles files clean"
exit 0
