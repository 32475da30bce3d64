#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The facts tests/cli/libdocs.bats compares: what include/avrokit.h declares, and what the
section-3 man pages show.

    libdocs.py check HEADER PAGE...     print one line per problem; exit 1 if there are any
    libdocs.py programs OUTDIR PAGE...  write each complete program (an .EX block with a main)
                                        of the pages as OUTDIR/PAGE-N.c, one path per line

The header is read as C with its comments removed. Every AK_API prototype, typedef and
#define, and every struct and enum body, must appear in the SYNOPSIS of some page exactly as
the header has it, up to white space and line breaks; every function must also be in the NAME
line of a page whose SYNOPSIS has it (man-db indexes those names, so `man ak_decode` finds
the page); every ak_/AK_ name must appear in some page; and a SYNOPSIS may declare no ak_
function the header lacks.
"""

import os
import re
import sys

ROFF_ESCAPES = [
    (r"\-", "-"),
    (r"\(dq", '"'),
    (r"\(aq", "'"),
    (r"\(em", "--"),
    (r"\&", ""),
    (r"\fB", ""),
    (r"\fI", ""),
    (r"\fR", ""),
    (r"\fP", ""),
]


def roff_text(line):
    """A roff text line as plain text (the escapes the pages use; \\e last)."""
    for esc, plain in ROFF_ESCAPES:
        line = line.replace(esc, plain)
    return line.replace(r"\e", "\\")


def norm(text):
    """C text with white space made canonical: none around punctuation, one space elsewhere."""
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s*([(){}\[\],;*=])\s*", r"\1", text)
    return text


def sections(path):
    """{section name: [lines]} of a man page, roff lines as they are."""
    out, name = {}, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith(".SH "):
                name = line[4:].strip().strip('"')
                out.setdefault(name, [])
            elif name is not None:
                out[name].append(line)
    return out


def synopsis_text(lines):
    """The C in a SYNOPSIS: its text lines, macros dropped."""
    return "\n".join(roff_text(l) for l in lines if not l.startswith("."))


def header_facts(path):
    with open(path, encoding="utf-8") as f:
        src = f.read()
    code = re.sub(r"/\*.*?\*/", " ", src, flags=re.S)
    code = code.replace("\\\n", " ")
    lines = code.split("\n")
    defines, body = [], []
    for line in lines:
        s = line.strip()
        m = re.match(r"#\s*define\s+(\w+)(.*)", s)
        if m:
            defines.append((m.group(1), norm("#define " + m.group(1) + " " + m.group(2))))
        if s.startswith("#"):
            continue
        body.append(line)
    code = "\n".join(body)
    code = re.sub(r'extern\s+"C"\s*\{', " ", code)
    structs = {}
    for kind, name, members in re.findall(r"\b(struct|enum)\s+(\w+)\s*\{(.*?)\}\s*;", code, re.S):
        sep = ";" if kind == "struct" else ","
        structs[kind + " " + name] = [norm(m) for m in members.split(sep) if m.strip()]
    flat = re.sub(r"\b(struct|enum)\s+\w+\s*\{.*?\}\s*;", " ", code, flags=re.S)
    protos, typedefs = {}, []
    for stmt in flat.split(";"):
        s = norm(stmt)
        if s.startswith("AK_API "):
            name = re.search(r"(\w+)\(", s).group(1)
            protos[name] = s[len("AK_API "):] + ";"
        elif s.startswith("typedef "):
            typedefs.append(s + ";")
    names = (set(re.findall(r"\b(?:ak|AK)_\w+", code)) | {d for d, _ in defines}) - {"AVROKIT_H"}
    return protos, typedefs, defines, structs, names


def body_of(text, kind_name):
    """The members of `struct NAME {...};` or `enum NAME {...};` in normalized text, or None."""
    kind = kind_name.split()[0]
    m = re.search(re.escape(norm(kind_name)) + r"\{(.*?)\};", text)
    if not m:
        return None
    sep = ";" if kind == "struct" else ","
    return [norm(x) for x in m.group(1).split(sep) if x.strip()]


def check(header, pages):
    protos, typedefs, defines, structs, names = header_facts(header)
    problems = []
    syn, name_lines, whole = {}, {}, {}
    for p in pages:
        secs = sections(p)
        base = os.path.basename(p)
        if "SYNOPSIS" not in secs:
            problems.append(f"{base}: no SYNOPSIS")
        syn[base] = norm(synopsis_text(secs.get("SYNOPSIS", [])))
        name_lines[base] = roff_text(" ".join(secs.get("NAME", [])))
        with open(p, encoding="utf-8") as f:
            whole[base] = roff_text(f.read())
    every = " ".join(syn.values())
    for fn, proto in sorted(protos.items()):
        where = [b for b, t in syn.items() if norm(proto) in t]
        differs = [b for b, t in syn.items() if re.search(r"\b" + fn + r"\(", t) and b not in where]
        if not where:
            problems.append(f"{fn}: no SYNOPSIS has its prototype '{proto}'")
        elif not any(re.search(r"\b" + fn + r"\b", name_lines[b]) for b in where):
            problems.append(f"{fn}: not in the NAME line of {', '.join(where)}")
        for b in differs:
            problems.append(f"{b}: the SYNOPSIS declares {fn}() otherwise than avrokit.h: "
                            f"'{proto}'")
    for t in typedefs:
        if norm(t) not in every:
            problems.append(f"no SYNOPSIS has the typedef '{t}'")
    for name, d in defines:
        if name in ("AVROKIT_H", "AK_API"):
            continue
        if d not in every:
            problems.append(f"no SYNOPSIS has '{d}'")
    for kn, members in sorted(structs.items()):
        found = [b for b, t in syn.items() if body_of(t, kn) is not None]
        if not found:
            problems.append(f"no SYNOPSIS defines {kn}")
        for b in found:
            if body_of(syn[b], kn) != members:
                problems.append(f"{b}: {kn} differs from avrokit.h: {body_of(syn[b], kn)} "
                                f"instead of {members}")
    text = " ".join(whole.values())
    for n in sorted(names):
        if not re.search(r"\b" + re.escape(n) + r"\b", text):
            problems.append(f"{n}: named in no page")
    for b, t in syn.items():
        for fn in re.findall(r"[\w*]\s*\*?\b(ak_\w+)\((?!\*)", t):
            if fn not in protos:
                problems.append(f"{b}: SYNOPSIS declares {fn}(), which avrokit.h does not have")
    return problems


def programs(outdir, pages):
    out = []
    for p in pages:
        lines, block, n = open(p, encoding="utf-8").read().split("\n"), None, 0
        for line in lines:
            if line.startswith(".EX"):
                block = []
            elif line.startswith(".EE"):
                text = "\n".join(roff_text(l) for l in block if not l.startswith("."))
                if re.search(r"\bint main\(", text):
                    n += 1
                    path = os.path.join(outdir, f"{os.path.basename(p)}-{n}.c")
                    with open(path, "w", encoding="utf-8") as f:
                        f.write(text + "\n")
                    out.append(path)
                block = None
            elif block is not None:
                block.append(line)
    return out


def main(argv):
    if len(argv) >= 3 and argv[1] == "check":
        problems = check(argv[2], argv[3:])
        for p in problems:
            print(p)
        return 1 if problems else 0
    if len(argv) >= 3 and argv[1] == "programs":
        for path in programs(argv[2], argv[3:]):
            print(path)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
