# SPDX-License-Identifier: Apache-2.0
"""The package as users install it: `meson install` of the build, and `pip install
--no-build-isolation .` of the source tree (meson-python), each imported from where it was
put by a fresh interpreter that cannot see the build tree, and used for a round trip.

AK_BUILD_DIR names the meson build directory (tests/python/meson.build sets it); without
it these tests skip.  The pip test builds the project once more (some 20 s to a minute) and
is skipped in sanitizer builds, where the meson test already covers installing.
"""

import json
import os
import subprocess
import sys

import pytest

from support import avrokit_only

pytestmark = avrokit_only

SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("AK_BUILD_DIR")

ROUND_TRIP = """
import io, sys, avrokit
assert avrokit.__file__.startswith(sys.argv[1]), avrokit.__file__
s = avrokit.parse_schema({"type": "record", "name": "R", "fields": [
    {"name": "a", "type": "long"}, {"name": "s", "type": "string"}]})
recs = [{"a": i, "s": str(i)} for i in range(1000)]
buf = io.BytesIO()
avrokit.writer(buf, s, recs, codec="deflate")
buf.seek(0)
assert list(avrokit.reader(buf)) == recs
print("ok", avrokit.__version__, avrokit.library_version)
"""


def clean_env():
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    env["PYTHONNOUSERSITE"] = "1"
    return env


def import_from(where, tmp_path):
    env = clean_env()
    env["PYTHONPATH"] = where
    p = subprocess.run([sys.executable, "-c", ROUND_TRIP, where], capture_output=True,
                       text=True, cwd=tmp_path, env=env, timeout=120)
    assert p.returncode == 0, p.stderr[-3000:]
    assert p.stdout.startswith("ok 0.1.0 ")


def test_meson_install_gives_an_importable_package(tmp_path):
    if not BUILD:
        pytest.skip("AK_BUILD_DIR is not set (the meson build directory)")
    dest = tmp_path / "root"
    p = subprocess.run(["meson", "install", "-C", BUILD, "--no-rebuild", "--destdir",
                        str(dest)], capture_output=True, text=True, timeout=300,
                       env=dict(os.environ, DESTDIR=""))
    assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-2000:]
    inits = [os.path.join(d, "__init__.py") for d, _, files in os.walk(dest)
             if os.path.basename(d) == "avrokit" and "__init__.py" in files]
    assert len(inits) == 1, inits
    pkg = os.path.dirname(inits[0])
    assert any(f.startswith("_ext.") and f.endswith(".so") for f in os.listdir(pkg))
    # every module of the source tree is installed (python/avrokit/meson.build lists them),
    # and the files that make it a typed package
    src = {f for f in os.listdir(os.path.join(SRC, "python", "avrokit"))
           if f.endswith((".py", ".pyi")) or f == "py.typed"}
    assert src <= set(os.listdir(pkg)), sorted(src - set(os.listdir(pkg)))
    import_from(os.path.dirname(pkg), tmp_path)
    # installed where this Python looks, when one of its search directories lies under the
    # prefix (Debian's python3 and /usr/local: lib/python3.X/dist-packages, not the
    # lib/python3/dist-packages Debian's meson would pick)
    site = os.path.dirname(pkg)[len(str(dest)):]
    opts = json.loads(subprocess.run(["meson", "introspect", "--buildoptions", BUILD],
                                     capture_output=True, text=True, check=True).stdout)
    prefix = next(o["value"] for o in opts if o["name"] == "prefix")
    if any(p.startswith(prefix.rstrip("/") + "/") and p.endswith("-packages")
           for p in sys.path):
        assert site in sys.path, (site, sys.path)


def test_pip_install_builds_the_package(tmp_path):
    if os.environ.get("AK_PY_SANITIZED"):
        pytest.skip("a sanitizer build: pip builds its own release build, tested in the "
                    "plain run")
    for mod in ("pip", "mesonpy"):
        p = subprocess.run([sys.executable, "-c", f"import {mod}"], capture_output=True)
        if p.returncode != 0:
            pytest.skip(f"{mod} is not installed for {sys.executable} (python3-pip, "
                        "python3-mesonpy)")
    target = tmp_path / "site"
    env = clean_env()
    env.pop("DESTDIR", None)
    p = subprocess.run([sys.executable, "-m", "pip", "install", "--no-build-isolation",
                        "--no-deps", "--no-index", "--disable-pip-version-check",
                        "--target", str(target), SRC], capture_output=True, text=True,
                       env=env, timeout=900)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    files = sorted(os.listdir(target / "avrokit"))
    # the package and nothing else: no command, library or man pages in a wheel
    assert [f for f in os.listdir(target) if not f.startswith("avrokit")] == []
    assert "__init__.py" in files and any(f.startswith("_ext.") for f in files)
    assert "py.typed" in files and "_ext.pyi" in files
    import_from(str(target), tmp_path)
