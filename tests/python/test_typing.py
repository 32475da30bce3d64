# SPDX-License-Identifier: Apache-2.0
"""avrokit is a typed package, as fastavro is: py.typed and the extension's _ext.pyi are
next to the modules, and mypy checks code that uses avrokit against its annotations.

mypy (python3-mypy) runs with --strict over typed code that uses the API as fastavro's users
do (EXAMPLE, which also runs), finding the package where PYTHONPATH puts it, as it finds an
installed one; and over MISUSE, whose lines each carry the error mypy must report there, so
that an annotation gone wrong (Any where a type belongs, a lost keyword-only marker) fails.
Without mypy those tests skip.  They check avrokit's files (avrokit_only).

mypy also checks the package's own code, with the settings of pyproject.toml's [tool.mypy]
(the bodies of unannotated internal helpers too), so that its annotations cannot rot.
"""

import importlib.util
import os
import re
import subprocess
import sys

import pytest

from support import av, avrokit_only

pytestmark = avrokit_only

PKG = os.path.dirname(av.__file__)
PYPROJECT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                         "pyproject.toml")

need_mypy = pytest.mark.skipif(
    importlib.util.find_spec("mypy") is None,
    reason=f"mypy is not installed for {sys.executable} (python3-mypy)")

EXAMPLE = '''
import io
from typing import Any, Dict, Iterator, List, Optional

import avrokit as fastavro
import avrokit.datums
from avrokit.read import LOGICAL_READERS
from avrokit.schema import expand_schema, fingerprint, fullname, to_parsing_canonical_form
from avrokit.types import AvroMessage, Schema
from avrokit.validation import ValidationError, validate_many
from avrokit.write import LOGICAL_WRITERS

SCHEMA: Schema = fastavro.parse_schema({
    "type": "record", "name": "Weather", "namespace": "test",
    "fields": [{"name": "station", "type": "string"}, {"name": "temp", "type": "int"}],
})


def records(n: int) -> Iterator[Dict[str, Any]]:
    for i in range(n):
        yield {"station": f"s{i}", "temp": i}


def write(fo: io.BytesIO) -> int:
    fastavro.writer(fo, SCHEMA, records(10), codec="deflate", metadata={"k": "v"},
                    sync_interval=1000, strict=True)
    w = fastavro.Writer(fo, SCHEMA)  # appends
    w.write({"station": "x", "temp": 10})
    count: int = w.block_count
    w.flush()
    return count


def read(fo: io.BytesIO) -> List[int]:
    temps: List[int] = []
    r = fastavro.reader(fo, reader_schema=SCHEMA, return_record_name=False)
    writer_schema: Schema = r.writer_schema
    metadata: Dict[str, str] = r.metadata
    codec: str = r.codec
    for record in r:
        if isinstance(record, dict):
            temps.append(int(record["temp"]))
    fo.seek(0)
    for block in fastavro.block_reader(fo):
        n: int = block.num_records
        assert len(list(block)) == n
    return temps


def schemaless(value: Dict[str, Any]) -> AvroMessage:
    buf = io.BytesIO()
    fastavro.schemaless_writer(buf, SCHEMA, value, strict=True)
    buf.seek(0)
    return fastavro.schemaless_reader(buf, SCHEMA, None)


def as_json(values: List[Dict[str, Any]]) -> List[AvroMessage]:
    text = io.StringIO()
    fastavro.json_writer(text, SCHEMA, values, write_union_type=False)
    text.seek(0)
    return list(fastavro.json_reader(text, SCHEMA))


def check(value: Any) -> bool:
    try:
        return fastavro.validate(value, SCHEMA) and validate_many([value], SCHEMA)
    except ValidationError as e:
        return not e.errors


def read_tenths(data: Any, writer_schema: Optional[Dict[Any, Any]] = None,
                reader_schema: Optional[Dict[Any, Any]] = None) -> float:
    return float(data) / 10


def prepare_tenths(data: Any, schema: Dict[Any, Any]) -> Any:
    return round(data * 10) if isinstance(data, float) else data


LOGICAL_READERS["int-tenths"] = read_tenths
LOGICAL_WRITERS["int-tenths"] = prepare_tenths


def names() -> List[str]:
    canonical: str = to_parsing_canonical_form(SCHEMA)
    return [fullname({"type": "enum", "name": "E", "namespace": "n", "symbols": ["A"]}),
            fingerprint(canonical, "CRC-64-AVRO"), str(expand_schema(SCHEMA))]


def extras() -> Schema:
    schema = fastavro.infer(fastavro.random_records(SCHEMA, 5, seed=1), name="Weather")
    inferrer = fastavro.Inferrer()
    added: int = inferrer.add_many(records(3))
    codecs: Dict[str, str] = fastavro.codecs()
    message: bytes = avrokit.datums.encode({"station": "s", "temp": 1}, SCHEMA)
    assert avrokit.datums.decode(message, SCHEMA) == {"station": "s", "temp": 1}
    try:
        fastavro.schemaless_reader(io.BytesIO(b""), "long")
    except fastavro.AvroError as e:
        assert isinstance(e, EOFError)
    return schema if codecs and added == 3 else inferrer.schema()


buf = io.BytesIO()
write(buf)
buf.seek(0)
assert fastavro.is_avro(buf)
buf.seek(0)
assert read(buf) == list(range(10)) + [10]
assert schemaless({"station": "a", "temp": 2}) == {"station": "a", "temp": 2}
assert as_json([{"station": "a", "temp": 2}]) == [{"station": "a", "temp": 2}]
assert check({"station": "a", "temp": 2}) and names() and extras()
print("ok")
'''

# Each line that ends in "# E: CODE" must draw an error of that code from mypy, and no
# other line may draw one.
MISUSE = '''
import io
import avrokit as fastavro
from avrokit.read import LOGICAL_READERS

buf = io.BytesIO()
fastavro.parse_schema(42)  # E: arg-type
fastavro.schemaless_writer(buf, "long", 1, True)  # E: misc
fastavro.writer(buf, "long", [1], codec_compression_level="9")  # E: arg-type
fastavro.json_reader(io.StringIO(), "long", decoder=object)  # E: arg-type
for record in fastavro.reader(buf):
    record.upper()  # E: union-attr
for block in fastavro.block_reader(buf):
    block.num_records.upper()  # E: attr-defined
text: bytes = fastavro.schemaless_reader(buf, "string")  # E: assignment
number: int = fastavro.fingerprint("x", "MD5")  # E: assignment
fastavro.parse_schemaa({})  # E: attr-defined
LOGICAL_READERS["int-x"] = 1  # E: assignment
fastavro.validate(1, "int", raise_errors="yes")  # E: arg-type
fastavro.infer([{}], name=None)  # E: arg-type
'''


def run_mypy(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    env = dict(os.environ, PYTHONPATH=os.path.dirname(PKG))
    env.pop("MYPYPATH", None)
    p = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-error-summary",
                        "--show-error-codes", "--cache-dir", str(tmp_path / "mypy-cache"),
                        str(path)], capture_output=True, text=True, cwd=tmp_path, env=env,
                       timeout=300)
    return p, path


def test_the_package_is_typed():
    files = os.listdir(PKG)
    assert "py.typed" in files and "_ext.pyi" in files, sorted(files)


@need_mypy
def test_typed_code_checks_and_runs(tmp_path):
    p, path = run_mypy(tmp_path, "example.py", EXAMPLE)
    assert p.returncode == 0, p.stdout + p.stderr
    env = dict(os.environ, PYTHONPATH=os.path.dirname(PKG))
    p = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, env=env,
                       timeout=120)
    assert p.returncode == 0 and p.stdout == "ok\n", p.stdout + p.stderr


@need_mypy
def test_misuse_is_reported(tmp_path):
    p, path = run_mypy(tmp_path, "misuse.py", MISUSE)
    want = {}
    for n, line in enumerate(MISUSE.splitlines(), 1):
        m = re.search(r"# E: ([a-z-]+)$", line)
        if m:
            want[n] = m.group(1)
    got = {}
    for line in p.stdout.splitlines():
        m = re.match(r"[^:]*misuse\.py:(\d+): error: .*\[([a-z-]+)\]$", line)
        if m:
            got.setdefault(int(m.group(1)), set()).add(m.group(2))
    missing = {n: c for n, c in want.items() if c not in got.get(n, ())}
    extra = {n: c for n, c in got.items() if n not in want}
    assert p.returncode == 1 and not missing and not extra, \
        f"missing {missing}, unexpected {extra}:\n{p.stdout}{p.stderr}"


@need_mypy
def test_the_package_checks(tmp_path):
    """mypy over avrokit itself (the copy the tests import), as pyproject.toml sets it up."""
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    env.pop("MYPYPATH", None)
    p = subprocess.run([sys.executable, "-m", "mypy", "--config-file", PYPROJECT,
                        "--show-error-codes", "--cache-dir", str(tmp_path / "mypy-cache"),
                        "-p", "avrokit"], capture_output=True, text=True,
                       cwd=os.path.dirname(PKG), env=env, timeout=300)
    assert p.returncode == 0 and p.stdout.startswith("Success:"), p.stdout + p.stderr
