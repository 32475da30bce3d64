# SPDX-License-Identifier: Apache-2.0
"""Shared helpers of the Python suite: which implementation is under test, and small tools.

The suite tests one module, `av`, through fastavro's public API.  AK_PY_IMPL picks it:
"avrokit" (the default) or "fastavro" (to check that the tests describe fastavro's real
behaviour).  Test files do `from support import av` and never name the module themselves.
They also use the submodules fastavro's users import names from (read_mod is
fastavro.read, schema_mod, types_mod, utils_mod, validation_mod, write_mod): avrokit
must offer the same, so that `import avrokit as fastavro` keeps working.
"""

import contextlib
import importlib
import io
import json
import os
import shutil
import signal
import subprocess
import warnings

import pytest

IMPL = os.environ.get("AK_PY_IMPL", "avrokit")
if IMPL not in ("avrokit", "fastavro"):
    raise pytest.UsageError(f"AK_PY_IMPL must be avrokit or fastavro, not {IMPL!r}")


class _Missing:
    """Stands for a submodule that cannot be imported: the tests that use it fail, the
    others still run (so that a package under construction shows its progress)."""

    def __init__(self, name, error):
        self._name, self._error = name, error

    def __getattr__(self, attr):
        if attr.startswith("_") or attr.startswith("pytest"):
            raise AttributeError(attr)  # pytest's own look-ups while collecting
        pytest.fail(f"{self._name} cannot be imported ({self._error}), so {attr} is missing")


def _submodule(name):
    try:
        return importlib.import_module(f"{IMPL}.{name}")
    except ImportError as e:
        return _Missing(f"{IMPL}.{name}", e)


with warnings.catch_warnings():
    # fastavro warns at import that it will want cramjam for snappy one day
    warnings.simplefilter("ignore", DeprecationWarning)
    try:
        av = importlib.import_module(IMPL)
    except ImportError as e:
        raise pytest.UsageError(
            f"cannot import {IMPL} ({e}): put the built package on PYTHONPATH, or run "
            "AK_PY_IMPL=fastavro PYTHONPATH=../shared/peers/fastavro to test fastavro")
    read_mod = _submodule("read")
    write_mod = _submodule("write")
    schema_mod = _submodule("schema")
    validation_mod = _submodule("validation")
    utils_mod = _submodule("utils")
    types_mod = _submodule("types")
IS_FASTAVRO = IMPL == "fastavro"
IS_AVROKIT = IMPL == "avrokit"

# fastavro falls back to pure Python when its extension modules are missing; the suite is
# meant to describe the compiled one (the peer the benchmark measures).
if IS_FASTAVRO and av.reader.__module__ != "fastavro._read":
    raise pytest.UsageError(f"fastavro.reader comes from {av.reader.__module__}, not the "
                "compiled fastavro._read")


# AK_PY_RUN_AVROKIT_ONLY=1 runs the avrokit_only tests under fastavro too, to see that they
# work and how fastavro fares; a stand-in AvroError (any Exception) lets them run.
RUN_AVROKIT_ONLY = os.environ.get("AK_PY_RUN_AVROKIT_ONLY") == "1"
if IS_FASTAVRO and RUN_AVROKIT_ONLY and not hasattr(av, "AvroError"):
    av.AvroError = Exception

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(REPO, "tests", "data")
SHARED = os.path.normpath(os.path.join(REPO, "..", "shared"))
AVROKIT_CLI = os.environ.get("AVROKIT")
ALL_CODECS = ("null", "deflate", "snappy", "bzip2", "xz", "zstandard")

avrokit_only = pytest.mark.avrokit_only
# Memory measured from outside (resident set size, an address-space limit) means nothing
# under AddressSanitizer, whose shadow memory and quarantine take gigabytes of address
# space and keep freed blocks; tests/python/meson.build sets AK_PY_SANITIZED there.
not_sanitized = pytest.mark.skipif(
    bool(os.environ.get("AK_PY_SANITIZED")),
    reason="memory sizes mean nothing under a sanitizer's allocator")


def encode(schema, datum, **kw):
    """schemaless_writer into bytes."""
    buf = io.BytesIO()
    av.schemaless_writer(buf, schema, datum, **kw)
    return buf.getvalue()


def decode(schema, data, reader_schema=None, **kw):
    """schemaless_reader from bytes; also checks that every byte was consumed."""
    buf = io.BytesIO(data)
    if reader_schema is None:
        out = av.schemaless_reader(buf, schema, **kw)
    else:
        out = av.schemaless_reader(buf, schema, reader_schema, **kw)
    assert buf.tell() == len(data), f"read {buf.tell()} of {len(data)} bytes"
    return out


def roundtrip(schema, datum, reader_schema=None, **kw):
    return decode(schema, encode(schema, datum), reader_schema, **kw)


def write_file(schema, records, **kw):
    """writer into bytes."""
    buf = io.BytesIO()
    av.writer(buf, schema, records, **kw)
    return buf.getvalue()


def container_file(schema, batches, codec="null", block=bytes):
    """A container file made by hand, for headers no writer makes: ``schema`` (a dict, or
    JSON text as it goes into the header) with ``codec`` in the metadata, then one block a
    batch of datums (each a ``bytes`` already encoded), its payload ``block(the datums)``."""
    sync = bytes(range(16))
    text = schema if isinstance(schema, str) else json.dumps(schema)
    meta = {"avro.schema": text.encode(), "avro.codec": codec.encode()}
    out = b"Obj\x01" + encode({"type": "map", "values": "bytes"}, meta) + sync
    for batch in batches:
        payload = block(b"".join(batch))
        out += encode("long", len(batch)) + encode("long", len(payload)) + payload + sync
    return out


def read_file(data, **kw):
    """reader over bytes: (reader object, list of records)."""
    r = av.reader(io.BytesIO(data), **kw)
    return r, list(r)


def file_roundtrip(schema, records, reader_schema=None, **kw):
    data = write_file(schema, records, **kw)
    return read_file(data, reader_schema=reader_schema)[1]


_codec_cache = {}


def codec_problem(codec):
    """None when the implementation under test writes and reads codec, else why not."""
    if codec not in _codec_cache:
        schema = {"type": "record", "name": "Probe", "fields": [{"name": "s", "type": "string"}]}
        try:
            recs = file_roundtrip(schema, [{"s": "probe"}], codec=codec)
            _codec_cache[codec] = None if recs == [{"s": "probe"}] else "wrong records"
        except (ValueError, KeyError, ImportError, NotImplementedError) as e:
            _codec_cache[codec] = f"{IMPL} has no {codec} codec here: {e}"
    return _codec_cache[codec]


def need_codec(codec):
    why = codec_problem(codec)
    if why:
        pytest.skip(why)


def python_avro():
    """Debian's python3-avro (the `avro` package) or a skip."""
    try:
        import avro.datafile  # noqa: F401
        import avro.io  # noqa: F401
        import avro.schema  # noqa: F401
    except ImportError:
        pytest.skip("python3-avro is not installed for this interpreter (use /usr/bin/python3)")
    import avro
    return avro


def need_tool(name):
    path = shutil.which(name)
    if not path:
        pytest.skip(f"{name} is not installed")
    return path


def need_avrokit_cli():
    if not AVROKIT_CLI:
        pytest.skip("AVROKIT is not set (the path of a built avrokit command-line tool)")
    if not os.access(AVROKIT_CLI, os.X_OK):
        pytest.fail(f"AVROKIT={AVROKIT_CLI} is not an executable")
    return AVROKIT_CLI


def run(cmd, **kw):
    """Run a command, return its CompletedProcess (text mode), failing the test on error."""
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=60, **kw)
    assert p.returncode == 0, f"{cmd} exited {p.returncode}: {p.stderr}"
    return p


class Alarm(Exception):
    """What alarm_in()'s signal handler raises."""


@contextlib.contextmanager
def alarm_in(seconds):
    """SIGALRM after @seconds, whose handler raises Alarm (as Ctrl-C's raises
    KeyboardInterrupt); disarmed, and the old handler back, on the way out."""
    def handler(signum, frame):
        raise Alarm
    old = signal.signal(signal.SIGALRM, handler)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def stopped_midway(start, run, done, attempts=5):
    """Whether a signal stops run(start()) well before its end, as done(state) -> (part,
    whole) tells afterwards: the alarm comes 5 ms in, long before the end, so the part done
    is under 90% of the whole (the last steps after the work, a writer's last block, say,
    are not what this is about). A machine that stalls for longer between arming it and the
    call (the alarm then comes before any work) gets another attempt; without a check for
    signals in the work, the alarm always comes after it all."""
    for _ in range(attempts):
        state = start()
        with pytest.raises(Alarm), alarm_in(0.005):
            run(state)
        part, whole = done(state)
        if 0 < part < 0.9 * whole:
            return True
    return False
