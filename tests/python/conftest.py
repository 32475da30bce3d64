# SPDX-License-Identifier: Apache-2.0
"""pytest suite of the avrokit Python package, written against fastavro 1.12's public API.

The same tests run against either implementation; AK_PY_IMPL picks it (support.py):

    # avrokit (the default): PYTHONPATH names the directory that holds the built package
    PYTHONPATH=DIR /usr/bin/python3 -m pytest tests/python

    # fastavro 1.12 (compiled), to check that the tests describe fastavro's real behaviour
    AK_PY_IMPL=fastavro PYTHONPATH=../shared/peers/fastavro \
        /usr/bin/python3 -m pytest tests/python

Use Debian's /usr/bin/python3: the interoperability tests import python3-avro, which is
installed for it.  AVROKIT=path/to/avrokit (the command-line tool) turns on the tests that
read files the CLI writes and have the CLI read the package's files; they are skipped
without it.  avrocat (avro-bin) is used when installed.

Tests marked `avrokit_only` describe what avrokit promises beyond fastavro (issue 17):
avrokit.AvroError, a ValueError subclass whose message names the field path; checking the
magic; range checks fastavro skips; flat memory; the GIL released around compression;
thread safety or a clear refusal; files fastavro cannot open.  They are
skipped under fastavro (AK_PY_RUN_AVROKIT_ONLY=1 runs them anyway, with any Exception
standing in for AvroError, to see how fastavro fares).  Every other test must pass under
fastavro.  (A keyword avrokit does not support, such as json_writer's encoder, must be
refused with an error naming it: test_json.py checks "honoured or refused" for both.)

For a debug build under valgrind (Python's own allocator off, so that leaks are the
extension's): PYTHONMALLOC=malloc valgrind --leak-check=full python3 -m pytest tests/python
-x -q -p no:cacheprovider.  test_memory.py and test_errors.py exercise the error paths.

Exceptions: where fastavro raises a class on purpose (EOFError for truncated data, TypeError
for a value of the wrong Python type, ValueError, SchemaResolutionError, UnknownType,
SchemaParseException, ValidationError), the tests require that class, so avrokit's errors
for the same input must be instances of it too (for example a subclass of both AvroError
and EOFError).  Where fastavro's exception is an accident of its implementation (an
IndexError from a list lookup on a corrupt union index), the tests accept it or a
ValueError.
"""

import os
import sys

import pytest

sys.dont_write_bytecode = True  # no __pycache__ next to the tests
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import support  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "avrokit_only: avrokit's own promises beyond fastavro; skipped under fastavro")


def pytest_report_header(config):
    mod = support.av
    return [f"avro implementation under test: {support.IMPL} {getattr(mod, '__version__', '?')}"
            f" from {os.path.dirname(mod.__file__)}"]


def pytest_collection_modifyitems(config, items):
    if not support.IS_FASTAVRO or support.RUN_AVROKIT_ONLY:
        return
    skip = pytest.mark.skip(reason="avrokit_only: not a fastavro behaviour")
    for item in items:
        if "avrokit_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def av():
    return support.av
