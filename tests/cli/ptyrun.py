#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Run a command with some of its standard streams on a pseudo-terminal, for the tests of
what avrokit does when it talks to a person: refusing to write binary data to a terminal,
the hint when it waits for a terminal's input, progress on a terminal.

    ptyrun.py [--in] [--out] [--err] [--eof] [--timeout SECONDS] -- CMD [ARG]...

--in, --out and --err put standard input, output and error on the terminal; the others are
inherited from this script. What CMD writes to the terminal is copied to this script's
standard output as the terminal shows it (lines end in \\r\\n). --eof types end-of-file (^D)
on the terminal before CMD starts, so that a command reading it gets to the end at once.
The exit status is CMD's, 128+N when signal N ended it, 124 when the timeout (default 60 s)
ran out and CMD was killed.
"""
import argparse
import os
import pty
import signal
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for s in ("in", "out", "err"):
        ap.add_argument("--" + s, action="store_true", help=f"standard {s} on the terminal")
    ap.add_argument("--eof", action="store_true", help="type ^D before the command starts")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("cmd", nargs="+")
    a = ap.parse_args()

    master, slave = pty.openpty()
    if a.eof:
        os.write(master, b"\x04")
    child = subprocess.Popen(a.cmd, stdin=slave if a.__dict__["in"] else None,
                             stdout=slave if a.out else None,
                             stderr=slave if a.err else None)
    os.close(slave)

    def timed_out(signum, frame):
        child.kill()
        child.wait()
        sys.exit(124)

    signal.signal(signal.SIGALRM, timed_out)
    signal.setitimer(signal.ITIMER_REAL, a.timeout)
    out = sys.stdout.buffer
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: every descriptor of the terminal's other side is closed
            break
        if not data:
            break
        out.write(data)
        out.flush()
    rc = child.wait()
    signal.setitimer(signal.ITIMER_REAL, 0)
    return 128 - rc if rc < 0 else rc


if __name__ == "__main__":
    sys.exit(main())
