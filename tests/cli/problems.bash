# SPDX-License-Identifier: Apache-2.0
#
# Reporting every problem a test finds at once, instead of stopping at the first: the test
# sets problems=() (most files do it in setup), calls problem for each thing that is wrong
# and ends with check_problems. common.bash loads this file; docs.bats and libdocs.bats,
# which stand alone, load it themselves.

# problem TEXT...: remember a problem; check_problems fails listing them all.
problem() {
	problems+=("$*")
}

# Fail, listing every problem found, if there were any.
check_problems() {
	if ((${#problems[@]})); then
		printf '%s\n' "${problems[@]}" >&2
		return 1
	fi
}
