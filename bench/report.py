#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Write bench/RESULTS.md from what bench/run.sh left in bench/out/results.

    report.py RESULTS_DIR OUTPUT.md

RESULTS_DIR holds manifest.tsv (the workloads and their commands), meta.tsv
(versions, settings), notes.txt (what was skipped and why), one hyperfine
--export-json file per workload and, in rss/, one `/usr/bin/time -v` report
per command. Python 3 standard library only.
"""

import json
import os
import platform
import sys

TARGETS = {"tojson": 5.0, "fromjson": 5.0}
TARGETS_J1 = {"tojson": 3.0, "fromjson": 3.0}


def read_tsv(path):
    rows = []
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                rows.append(line.rstrip("\n").split("\t"))
    except OSError:
        pass
    return rows


def read_time_v(path):
    """Peak RSS (KiB), CPU percent, wall seconds and user+system seconds from a GNU time -v report."""
    info = {"rss": None, "cpu": None, "wall": None, "cputime": None}
    user = system = None
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                line = line.strip()
                try:
                    if line.startswith("Maximum resident set size"):
                        info["rss"] = int(line.rsplit(":", 1)[1])
                    elif line.startswith("Percent of CPU this job got"):
                        info["cpu"] = line.rsplit(":", 1)[1].strip()
                    elif line.startswith("User time (seconds)"):
                        user = float(line.rsplit(":", 1)[1])
                    elif line.startswith("System time (seconds)"):
                        system = float(line.rsplit(":", 1)[1])
                    elif line.startswith("Elapsed (wall clock) time"):
                        wall = 0.0
                        for part in line.split(": ", 1)[1].strip().split(":"):
                            wall = wall * 60 + float(part)
                        info["wall"] = wall
                except (IndexError, ValueError):
                    pass
    except OSError:
        pass
    if user is not None and system is not None:
        info["cputime"] = user + system
    return info


def machine():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    mem = "%.1f GiB" % (int(line.split()[1]) / 1048576)
                    break
    except (OSError, ValueError):
        pass
    return {
        "nproc": str(os.cpu_count() or "?"),
        "online": str(len(os.sched_getaffinity(0))) if hasattr(os, "sched_getaffinity") else "?",
        "cpu": cpu,
        "mem": mem,
        "kernel": platform.release(),
    }


def fmt_time(sec):
    if sec is None:
        return "-"
    if sec < 1:
        return "%.1f ms" % (sec * 1000)
    return "%.3f s" % sec


def fmt_rate(x):
    if x is None:
        return "-"
    if x >= 1e6:
        return "%.2fM" % (x / 1e6)
    if x >= 1e3:
        return "%.0fk" % (x / 1e3)
    return "%.0f" % x


def fmt_mb(x):
    return "-" if x is None else ("%.1f" % x if x < 100 else "%.0f" % x)


def fmt_rss(kib):
    return "-" if kib is None else "%.1f MiB" % (kib / 1024)


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: report.py RESULTS_DIR OUTPUT.md\n")
        return 2
    res, output = argv[1], argv[2]
    meta = {}
    for row in read_tsv(os.path.join(res, "meta.tsv")):
        if len(row) >= 2:
            meta[row[0]] = row[1]
    notes = []
    try:
        with open(os.path.join(res, "notes.txt"), encoding="utf-8") as f:
            notes = [line.rstrip("\n") for line in f if line.strip()]
    except OSError:
        pass

    workloads = []
    commands = {}
    loads = {}
    outsizes = {}
    for row in read_tsv(os.path.join(res, "manifest.tsv")):
        if row[0] == "workload" and len(row) >= 8:
            wid, kind, dataset, records, codec, inbytes, title = row[1:8]
            workloads.append({"id": wid, "kind": kind, "dataset": dataset, "records": int(records),
                              "codec": codec, "inbytes": int(inbytes), "title": title})
            commands[wid] = []
        elif row[0] == "load" and len(row) >= 4:
            loads[row[1]] = (row[2], row[3])
        elif row[0] == "outsize" and len(row) >= 4:
            outsizes.setdefault(row[1], []).append((row[2], int(row[3])))
        elif row[0] == "command" and len(row) >= 7:
            wid, name, role, status, extra, cmd = row[1:7]
            commands.setdefault(wid, []).append(
                {"name": name, "role": role, "status": status, "extra": extra, "cmd": cmd})

    mach = machine()
    out = []
    w = out.append
    w("# avrokit benchmark results")
    w("")
    w("Written by `bench/report.py` from a run of `%s` (%s to %s). Re-run it to refresh this file;"
      % (meta.get("invocation", "bench/run.sh").strip(), meta.get("started", "?"), meta.get("finished", "?")))
    w("the data, logs and raw hyperfine JSON are in `bench/out/` (not committed).")
    w("")
    if meta.get("quick") == "1":
        w("**Quick run**: %s records in the big files and %s, so start-up costs weigh more than on"
          " the issue's 1M-record files." % (meta.get("records", "?"), meta.get("hyperfine_runs", "")))
        w("")
    w("## Machine and versions")
    w("")
    w("- CPU: %s; `nproc`: %s; memory %s; Linux %s" % (mach["cpu"], mach["nproc"], mach["mem"], mach["kernel"]))
    w("- Load average (1, 5, 15 min) at start: %s; at end: %s. The benchmark itself keeps one or"
      " two cores busy, so a load much above 2 means other work shared the machine and made the"
      " times noisy (each workload's table gives the load before and after it). Compare rows of"
      " the same table (they ran in the same hyperfine invocation, minutes apart at most) rather"
      " than runs."
      % (meta.get("loadavg_start", "?"), meta.get("loadavg_end", "?")))
    w("- avrokit: %s, commit %s" % (meta.get("avrokit", "?"), meta.get("commit", "?")))
    w("- avrokit build: `%s` (%s)" % (meta.get("build", "?"), meta.get("buildtype", "?")))
    if meta.get("linked"):
        w("- avrokit links: %s" % meta["linked"].strip())
    for key in ("java", "avsc", "avro-c", "python3-avro", "hyperfine"):
        if key in meta:
            w("- %s: %s" % (key, meta[key]))
    w("- Peers used: %s" % meta.get("peers", "none"))
    w("- hyperfine options: `--ignore-failure %s` (no warm-up runs: the `/usr/bin/time -v` run just"
      " before warms the page cache)" % meta.get("hyperfine_runs", ""))
    w("- Total time of the run: %s s (data generation %s s)" % (meta.get("total_seconds", "?"),
                                                                meta.get("data_seconds", "?")))
    w("")
    if notes:
        w("## What was left out, and why")
        w("")
        for n in notes:
            w("- " + n)
        w("")

    # gather the numbers
    summary = []
    sections = []
    for wl in workloads:
        cmds = commands.get(wl["id"], [])
        ran = [c for c in cmds if c["status"] == "ok"]
        timed = [c for c in cmds if c["status"] in ("ok", "single")]
        hf = {}
        try:
            with open(os.path.join(res, wl["id"] + ".json"), encoding="utf-8") as f:
                results = json.load(f).get("results", [])
            for i, r in enumerate(results):
                key = ran[i]["name"] if i < len(ran) else r.get("command")
                hf[key] = r
        except (OSError, ValueError):
            pass
        rows = []
        for c in timed:
            tv = read_time_v(c["extra"])
            r = hf.get(c["name"]) if c["status"] == "ok" else None
            if r:
                mean = r.get("mean")
                cputime = (r.get("user") or 0) + (r.get("system") or 0)
                runs = len(r.get("times", []))
                stddev = r.get("stddev")
            elif c["status"] == "single" or not hf:
                mean, cputime, runs, stddev = tv["wall"], tv["cputime"], 1, None
            else:
                mean = cputime = stddev = None
                runs = 0
            failed = bool(r and any(code != 0 for code in (r.get("exit_codes") or []) if code is not None))
            rows.append({
                "name": c["name"], "role": c["role"], "cmd": c["cmd"], "mean": mean,
                "stddev": stddev, "runs": runs, "single": runs == 1 and not r, "cputime": cputime,
                "failed": failed, "rss": tv["rss"], "cpu": tv["cpu"],
                "rate": wl["records"] / mean if mean else None,
                "mbs": wl["inbytes"] / mean / 1e6 if mean else None,
            })
        me = next((r for r in rows if r["role"] == "self" and r["mean"] and not r["failed"]), None)
        me1 = next((r for r in rows if r["role"] == "self1" and r["mean"] and not r["failed"]), None)
        peers = [r for r in rows if r["role"] == "peer" and r["mean"] and not r["failed"]]
        best = min(peers, key=lambda r: r["mean"]) if peers else None
        base = next((r for r in rows if r["role"] == "baseline" and r["mean"]), None)
        cbest = None
        cpeers = [r for r in peers if r["cputime"]]
        if cpeers:
            cbest = min(cpeers, key=lambda r: r["cputime"])
        sections.append((wl, cmds, rows, me, best, base))
        summary.append((wl, me, best, base, rows, cbest, me1))

    w("## Summary")
    w("")
    w("Ratio = avrokit's records/s divided by the fastest peer's in the same hyperfine run (wall"
      " time; higher is better for avrokit). CPU ratio = the least user+system CPU time of a peer"
      " divided by avrokit's: less disturbed by other work on a busy machine, but it counts every"
      " thread, so it is no guide to wall time for multi-threaded peers (the JVM). The issue's targets"
      " on 1M-record files: tojson and fromjson at least 5x by default and 3x with -j1; concat at least half the speed of `cat`;"
      " a 1000-record file in under 10 ms; peak RSS at most 16 MiB.")
    w("")
    w("| workload | records | avrokit | avrokit rec/s | avrokit peak RSS | fastest peer | its rec/s | ratio | CPU ratio | target |")
    w("|---|---:|---:|---:|---:|---|---:|---:|---:|---|")
    for wl, me, best, base, rows, cbest, me1 in summary:
        ratio = cratio = "-"
        if me and best:
            ratio = "**%.2fx**" % (best["mean"] / me["mean"])
            if me1:
                ratio += " (-j1: %.2fx)" % (best["mean"] / me1["mean"])
        if me and cbest and me["cputime"]:
            cratio = "%.2fx" % (cbest["cputime"] / me["cputime"])
        target = "-"
        # the ratio targets are for 1M-record files (smaller ones measure start-up)
        if wl["kind"] in TARGETS and me and best and wl["records"] >= 1000000:
            t = TARGETS[wl["kind"]]
            target = "%gx: %s" % (t, "met" if best["mean"] / me["mean"] >= t else "not met")
            if me1:
                target += "; -j1 %gx: %s" % (TARGETS_J1[wl["kind"]],
                                              "met" if best["mean"] / me1["mean"] >= TARGETS_J1[wl["kind"]]
                                              else "not met")
        if wl["kind"] == "concat" and me and base:
            frac = base["mean"] / me["mean"]
            target = "%.2f of cat's speed (0.5: %s)" % (frac, "met" if frac >= 0.5 else "not met")
        if wl["records"] <= 1000 and me:
            target = "< 10 ms: %s" % ("met" if me["mean"] < 0.010 else "not met")
        w("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            wl["title"], "{:,}".format(wl["records"]), fmt_time(me["mean"]) if me else "-",
            fmt_rate(me["rate"]) if me else "-", (fmt_rss(me["rss"]) + (" (-j1: %s)" % fmt_rss(me1["rss"]) if me1 else "")) if me else "-",
            best["name"] if best else "-", fmt_rate(best["rate"]) if best else "-", ratio, cratio, target))
    w("")

    w("## Workloads")
    w("")
    w("Times are hyperfine's mean ± standard deviation of whole-process wall time, output to"
      " /dev/null (fromjson, concat: to a file in bench/out/work). records/s and MB/s are of the"
      " input (MB = 10^6 bytes). CPU time is hyperfine's mean user + system time. Peak RSS and"
      " CPU use (100%% = one core busy) come from one separate run under `/usr/bin/time -v`."
      " \"vs avrokit\" is how many times longer the command took than avrokit. A peer shown with"
      " 1 run* took longer than %s s in its `/usr/bin/time -v` run and was not run again: that"
      " run is its time." % meta.get("slow", "?"))
    w("")
    for wl, cmds, rows, me, best, base in sections:
        w("### %s, %s records" % (wl["title"], "{:,}".format(wl["records"])))
        w("")
        src = "bench/out/data/%s-%d" % (wl["dataset"], wl["records"] // (2 if wl["kind"] == "concat" else 1))
        src += ".json" if wl["kind"] == "fromjson" else ".%s.avro" % wl["codec"]
        load = ""
        if wl["id"] in loads:
            load = " Load average (1 min) before and after: %s, %s." % loads[wl["id"]]
        w("Input `%s`%s, %.1f MB.%s" % (src, " twice" if wl["kind"] == "concat" else "", wl["inbytes"] / 1e6, load))
        w("")
        w("| command | mean ± σ | runs | records/s | MB/s in | CPU time | peak RSS | CPU use | vs avrokit |")
        w("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in sorted(rows, key=lambda r: (r["mean"] is None, r["mean"] or 0)):
            vs = "-"
            if me and r["mean"]:
                vs = "%.2fx" % (r["mean"] / me["mean"])
            if r["mean"] is None:
                mean = "-"
            elif r["stddev"] is None:
                mean = fmt_time(r["mean"])
            else:
                mean = "%s ± %s" % (fmt_time(r["mean"]), fmt_time(r["stddev"]))
            if r["failed"]:
                mean += " (a run failed)"
            name = "**%s**" % r["name"] if r["role"].startswith("self") else r["name"]
            w("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                name, mean, "%d%s" % (r["runs"], "*" if r["single"] else ""), fmt_rate(r["rate"]),
                fmt_mb(r["mbs"]), fmt_time(r["cputime"]), fmt_rss(r["rss"]), r["cpu"] or "-", vs))
        for c in cmds:
            if c["status"] not in ("ok", "single"):
                w("| %s | skipped: %s | | | | | | | |" % (c["name"], c["extra"].replace("|", "\\|")))
        w("")
        if me and best:
            w("avrokit vs the fastest peer (%s): **%.2fx** its records/s." % (best["name"], best["mean"] / me["mean"]))
            w("")
        if wl["id"] in outsizes:
            w("Output sizes: %s." % ", ".join("%s %.4g MB" % (who, size / 1e6)
                                             for who, size in sorted(outsizes[wl["id"]], key=lambda x: x[1])))
            w("")
        if rows:
            w("Commands (run from the repository root):")
            w("")
            w("```sh")
            for r in rows:
                w(r["cmd"])
            w("```")
            w("")

    w("## How the data is made")
    w("")
    w("`bench/gen.py DATASET COUNT` (seeded, Python standard library only) writes the records in"
      " Avro's JSON encoding and the schema; `bench/run.sh` passes them through `avrokit fromjson |"
      " avrokit tojson` so the .json files are exactly what avrokit prints, then writes one .avro"
      " file per codec (null, deflate, snappy, zstandard) with `avrokit fromjson --codec C"
      " --sync-marker ...` (default 64 KiB blocks). Datasets: `small` {station, time, temp};"
      " `wide`, a 16-field event (~570 bytes of JSON per record); `rust-string` (one string field)"
      " and `rust-user` (the userInfo record), the two schemas of the Rust-for-Python Avro benchmark,"
      " also at 10,000 records. `gen.py --schema DATASET` prints a schema.")
    w("")

    # the profile history is kept by hand in bench/PROFILE.md and carried into every report
    profile = os.path.join(os.path.dirname(os.path.abspath(__file__)), "PROFILE.md")
    if os.path.exists(profile):
        with open(profile, encoding="utf-8") as f:
            out.append(f.read().rstrip("\n"))
        w("")

    # the splitting benchmark's report, written by bench/scale.sh, likewise
    scale = os.path.join(os.path.dirname(os.path.abspath(__file__)), "SCALE.md")
    if os.path.exists(scale):
        with open(scale, encoding="utf-8") as f:
            out.append(f.read().rstrip("\n"))
        w("")

    text = "\n".join(out) + "\n"
    tmp = output + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, output)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
