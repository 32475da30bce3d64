# SPDX-License-Identifier: Apache-2.0
"""Run pytest on one test file and report each test as TAP on standard output, for meson.

    python3 tests/python/tap.py tests/python/test_NAME.py [PYTEST ARGUMENTS]

meson's TAP parser then shows and counts every test (.ci/count-tests checks that each
tests/python/test_*.py ran at least one).  pytest's own report goes to standard error,
which meson keeps in its log.  A skipped test is "ok ... # SKIP reason"; an expected
failure (xfail) is "not ok ... # TODO reason" (and "ok ... # TODO" when it passes, which
meson counts as an unexpected pass); a failure in setup or teardown is a failure
of that test.  The exit status is pytest's: 0 when everything passed, non-zero otherwise
(5 when the file has no tests at all).
"""

import os
import sys

import pytest

_tap = os.fdopen(os.dup(1), "w", buffering=1)


def _desc(nodeid):
    name = nodeid.split("::", 1)[-1]
    # a '#' would start a TAP directive
    return name.replace("#", "%23")


class TapReport:
    def __init__(self):
        self.n = 0
        self.failed = {}

    def pytest_collection_finish(self, session):
        _tap.write(f"1..{len(session.items)}\n")

    def pytest_runtest_logreport(self, report):
        if report.failed and report.when != "call":
            self.failed[report.nodeid] = f"error in {report.when}"
        if report.when == "teardown":
            self._emit(report.nodeid, self.failed.pop(report.nodeid, None),
                       getattr(self, "_outcome", None))
            return
        if report.when == "call" or (report.when == "setup" and not report.passed):
            if hasattr(report, "wasxfail"):
                self._outcome = ("xpass" if report.passed else "xfail", report.wasxfail)
            elif report.skipped:
                reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
                self._outcome = ("skip", reason.removeprefix("Skipped: "))
            elif report.failed:
                self._outcome = ("fail", "")
            else:
                self._outcome = ("pass", "")

    def _emit(self, nodeid, error, outcome):
        self.n += 1
        kind, why = outcome or ("fail", "")
        self._outcome = None
        desc = _desc(nodeid)
        if error or kind == "fail":
            _tap.write(f"not ok {self.n} {desc}{' (' + error + ')' if error else ''}\n")
        elif kind == "skip":
            _tap.write(f"ok {self.n} {desc} # SKIP {why}\n")
        elif kind == "xfail":
            _tap.write(f"not ok {self.n} {desc} # TODO {why}\n")
        elif kind == "xpass":
            _tap.write(f"ok {self.n} {desc} # TODO passes now: {why}\n")
        else:
            _tap.write(f"ok {self.n} {desc}\n")


def main(argv):
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    # pytest writes its report where it finds sys.stdout: send it to standard error
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return int(pytest.main(["-p", "no:cacheprovider", "-q", *argv], plugins=[TapReport()]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
