# SPDX-License-Identifier: Apache-2.0
"""The examples of python/README.md run as they are written: every ```python block, in
order, in one namespace, in a temporary directory; a print(...) line ending with a comment
must print what the comment shows (up to a trailing "...")."""

import contextlib
import io
import os
import re

from support import REPO, avrokit_only

pytestmark = avrokit_only

README = os.path.join(REPO, "python", "README.md")


def blocks():
    with open(README, encoding="utf-8") as f:
        text = f.read()
    return re.findall(r"```python\n(.*?)```", text, re.S)


def test_readme_has_examples():
    assert len(blocks()) >= 8


def test_readme_examples_run(tmp_path, monkeypatch):
    import avrokit
    monkeypatch.chdir(tmp_path)
    # the reading example comes first: a file for it to read
    with open("users.avro", "wb") as f:
        avrokit.writer(f, {"type": "record", "name": "U", "fields": [
            {"name": "name", "type": "string"}]}, [{"name": "Zed"}])
    ns = {"__name__": "readme"}
    for code in blocks():
        code = code.replace("import avrokit as fastavro\n", "import avrokit\n")
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, README, "exec"), ns)  # noqa: S102 - our own README
        printed = out.getvalue()
        for line in code.splitlines():
            m = re.match(r"\s*print\(.*\)\s+# (.*)$", line)
            if m:
                shown = m.group(1).split(" ...")[0].strip()
                assert shown in printed, f"{line!r} printed {printed!r}"
