#!/usr/bin/env python3
"""Times CPython's eval of the 12 benchmark expressions (engine/bench_test.go,
/work/shared/bench/make_workload.py) with cached compiled code, for a fair
side-by-side comparison with `go test ./engine -bench Eval`.

Variables are those of make_workload.py, decoded from its JSON (as the engine
gets them) and wrapped like testdata/expressions/gen.py does: dicts become a
dict subclass whose __getattr__ reads keys (Julep's attribute access on
mappings). Builtins are CPython's own; no sandbox.

Run:  /root/.pyenv/versions/3.12.1/bin/python3 engine/testdata/bench/cpython_bench.py [--json]
Prints ns (wall) and cpu-ns (process CPU time) per evaluation for each
expression (best of 7 timeit repeats each) and the sums.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import timeit


class AttrDict(dict):
    """A dict whose keys are also readable as attributes, like Julep's Box."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"'dict' object has no attribute '{name}'") from None


def wrap(v):
    if isinstance(v, dict):
        return AttrDict({k: wrap(x) for k, x in v.items()})
    if isinstance(v, list):
        return [wrap(x) for x in v]
    return v


def load_cases():
    here = os.path.dirname(os.path.abspath(__file__))
    script = os.path.normpath(os.path.join(here, "..", "..", "..", "..", "shared", "bench", "make_workload.py"))
    with tempfile.TemporaryDirectory() as d:
        subprocess.run([sys.executable, script], cwd=d, check=True, stdout=subprocess.DEVNULL)
        cases = []
        with open(os.path.join(d, "workload.jsonl")) as f:
            for line in f:
                rec = json.loads(line)
                if len(cases) == 12:
                    break
                cases.append((rec["expr"], rec["vars"]))
    return cases


def main():
    cases = load_cases()
    results = []
    total = 0.0
    total_cpu = 0.0
    for i, (src, vars) in enumerate(cases, 1):
        code = compile(src, "<expr>", "eval")
        env = {k: wrap(v) for k, v in vars.items()}
        g = {"__builtins__": __builtins__}
        eval(code, g, env)
        # Wall time and CPU time (process_time: steadier on a loaded, shared
        # machine; the Go benchmark reports both too, as ns/op and cpu-ns/op).
        t = timeit.Timer(lambda: eval(code, g, env))
        n, _ = t.autorange()
        wall = min(t.repeat(repeat=7, number=n)) / n * 1e9
        tc = timeit.Timer(lambda: eval(code, g, env), timer=time.process_time)
        cpu = min(tc.repeat(repeat=7, number=n)) / n * 1e9
        total += wall
        total_cpu += cpu
        results.append({"case": i, "expr": src, "ns": round(wall, 1), "cpu_ns": round(cpu, 1)})
    if "--json" in sys.argv:
        print(json.dumps({"cases": results, "sum_ns": round(total, 1), "sum_cpu_ns": round(total_cpu, 1)}))
        return
    for r in results:
        print(f"{r['case']:02d} {r['ns']:10.1f} ns {r['cpu_ns']:10.1f} cpu-ns  {r['expr']}")
    print(f"sum {total / 1000:.2f} us  cpu {total_cpu / 1000:.2f} us")


if __name__ == "__main__":
    main()
