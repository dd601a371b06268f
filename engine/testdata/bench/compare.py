#!/usr/bin/env python3
"""Summarizes a side-by-side run: Go `-bench Eval -benchmem` output (several
-count runs) and cpython_bench.py --json lines (one per round), as a
Markdown table with medians per expression, the sums and the ratios.

Usage: [PROCS=1|2] compare.py GO_BENCH_OUTPUT CPYTHON_JSON_LINES [EXPRLANG_BENCH_OUTPUT]
"""
import json
import os
import re
import statistics
import sys


PROCS = os.environ.get("PROCS", "2")  # GOMAXPROCS of the Go runs to summarize (-test.cpu)


def go_results(path, prefix):
    rows = {}
    for line in open(path):
        m = re.match(r"Benchmark" + prefix + r"/(\d+)(?:-(\d+))?\s+\d+\s+(.*)", line)
        if not m or (m.group(2) or "1") != PROCS:
            continue
        case = int(m.group(1))
        vals = dict((unit, float(v)) for v, unit in re.findall(r"([\d.]+) (\S+/op)", m.group(3)))
        rows.setdefault(case, []).append(vals)
    out = {}
    for case, runs in rows.items():
        out[case] = {unit: statistics.median(r[unit] for r in runs if unit in r) for unit in runs[0]}
    return out


def main():
    ours = go_results(sys.argv[1], "Eval")
    exprlang = go_results(sys.argv[3], "ExprLang") if len(sys.argv) > 3 else {}
    py_runs = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
    exprs = {c["case"]: c["expr"] for c in py_runs[0]["cases"]}
    py = {}
    for case in exprs:
        py[case] = {k: statistics.median(r["cases"][case - 1][k] for r in py_runs) for k in ("ns", "cpu_ns")}
    print("| # | expression | ours ns/op | ours cpu-ns/op | allocs/op | CPython ns | CPython cpu-ns | expr-lang ns/op |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    s = {"ns": 0, "cpu": 0, "pns": 0, "pcpu": 0}
    for case in sorted(exprs):
        o = ours.get(case, {})
        e = exprlang.get(case, {})
        s["ns"] += o.get("ns/op", 0)
        s["cpu"] += o.get("cpu-ns/op", 0)
        s["pns"] += py[case]["ns"]
        s["pcpu"] += py[case]["cpu_ns"]
        el = f"{e['ns/op']:.0f}" if "ns/op" in e else "–"
        print(f"| {case:02d} | `{exprs[case]}` | {o.get('ns/op', 0):.0f} | {o.get('cpu-ns/op', 0):.0f} | "
              f"{o.get('allocs/op', 0):.0f} | {py[case]['ns']:.0f} | {py[case]['cpu_ns']:.0f} | {el} |")
    print(f"| | **sum** | **{s['ns'] / 1000:.2f} µs** | **{s['cpu'] / 1000:.2f} µs** | | "
          f"**{s['pns'] / 1000:.2f} µs** | **{s['pcpu'] / 1000:.2f} µs** | |")
    print()
    print(f"ratio ours/CPython: wall {s['ns'] / s['pns']:.2f}, cpu {s['cpu'] / s['pcpu']:.2f}")


if __name__ == "__main__":
    main()
