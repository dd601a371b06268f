#!/usr/bin/env python3
"""Writes golden.jsonl.gz: expected results of package py's helpers, computed by
real CPython (3.11 or 3.12 agree on everything generated here), in the
engine/internal/cpycorpus format: one group per helper (float_repr,
str_repr, format, arith, unary, compare, slice, index, json_dumps,
json_loads, percent, complex, hash, set_order, and nested_repr, nested_eq,
nested_lt, nested_in for nested values); the inputs are the helper's
arguments.

Values are encoded as tagged JSON so that ints, floats, bools and containers
survive the trip: ["i", "123"], ["f", "<float.hex()>"], ["s", "text"],
["b", true], ["n"], ["l", [...]], ["t", [...]], ["d", [[k, v], ...]].
An outcome is a value (tagged), an error with its message, or a repr (for
reprs, hashes, and complex results).

Run: python3.12 engine/internal/py/testdata/gen_golden.py  (deterministic: fixed seed)
"""
import gzip
import json
import math
import os
import random
import struct
import sys

random.seed(20261125)


def enc(v):
    if v is None:
        return ["n"]
    if isinstance(v, bool):
        return ["b", v]
    if isinstance(v, int):
        return ["i", str(v)]
    if isinstance(v, float):
        return ["f", v.hex()]
    if isinstance(v, str):
        return ["s", v]
    if isinstance(v, list):
        return ["l", [enc(x) for x in v]]
    if isinstance(v, tuple):
        return ["t", [enc(x) for x in v]]
    if isinstance(v, dict):
        return ["d", [[enc(k), enc(x)] for k, x in v.items()]]
    raise TypeError(type(v))


def run(fn):
    try:
        v = fn()
        if isinstance(v, complex):
            return {"complex": True, "repr": repr(v)}
        return {"ok": enc(v)}
    except Exception as e:  # noqa: BLE001
        return {"err": type(e).__name__, "msg": str(e)}


def rand_float():
    kind = random.random()
    if kind < 0.3:
        return struct.unpack("<d", struct.pack("<Q", random.getrandbits(64)))[0]
    if kind < 0.6:
        return random.uniform(-1, 1) * 10 ** random.randint(-30, 30)
    if kind < 0.8:
        return round(random.uniform(-1000, 1000), random.randint(0, 6))
    return float(random.randint(-10**17, 10**17)) / 10 ** random.randint(0, 20)


EDGE_FLOATS = [0.0, -0.0, 1.0, -1.0, 0.1, 0.2, 0.1 + 0.2, 1e16, 1e15, 1e-5, 1e-4, 0.0001, 0.00001234, 1e22, 1e21,
               9999999999999998.0, 1e16 - 2, 123456789.123456789, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
               float("inf"), float("-inf"), float("nan"), 1 / 3, 2 / 3, 100.0, 1e100, 1.5, 2.5, 0.5, 1e-7, 123e-20,
               3.14159, 2.675, 1.005, 0.125, 1234.5, 12345678.9, 1e300 * 10, 4.35, 0.035, 1e-10, 9.5, 99.5, 999999.5]

out = {}

# ---------------------------------------------------------------- float repr
floats = list(EDGE_FLOATS)
while len(floats) < 3000:
    f = rand_float()
    if math.isfinite(f):
        floats.append(f)
out["float_repr"] = [[enc(f), repr(f)] for f in floats]

# ---------------------------------------------------------------- string repr
strs = ["", "a", "'", '"', "'\"", "it's", 'say "hi"', "a\nb\tc\rd", "\\", "\x00\x01\x1f\x7f", "\x80\x9f\xa0\xad\xff",
        "é", "日本語", "🎉", "\u200b", "\u2028\u2029", "\u00a0", "\u3000", "\ufeff", "\ud7ff", "\ue000", "\uffff", "\U0001f600",
        "\U000e0001", "\U0010ffff", "\u0378", "\u0300", "a\u0301", "\U0001F1FA\U0001F1F8", "tab\there", "x" * 10,
        "mixed 'single' and \"double\"", "\x1b[31m", "\u061c", "\u180e", "\u2066", "\U0001D400", "\u0085", "\u00ad"]
for i in range(300):
    cp = random.choice([random.randint(0, 0x7f), random.randint(0x80, 0x7ff), random.randint(0x800, 0xffff),
                        random.randint(0x10000, 0x10ffff)])
    if 0xd800 <= cp <= 0xdfff:
        continue
    strs.append(chr(cp) + "x")
out["str_repr"] = [[s, repr(s)] for s in strs]

# ---------------------------------------------------------------- format specs
fvals = [0, 1, -1, 7, -7, 42, 255, -255, 1234, -1234, 1234567, 10**20, -(10**20), 2**63, -(2**63), True, False,
         0.0, -0.0, 1.0, -1.0, 1.5, 2.5, -2.5, 0.1, 1234.5678, -1234.5678, 1e16, 1e-5, 1e20, 123456789.0, 0.000123456,
         float("inf"), float("-inf"), float("nan"), 3.14159265358979, 1e100, 5e-324, 0.5, 99.995, 1e15,
         "", "a", "abc", "héllo", "日本", None]
fspecs = ["", "d", "5", "<5", ">5", "^5", "^6", "=8", "*^9", "0", "05", "08", "+", "-", " ", "+5", " 5", "+08",
          "x", "X", "#x", "#X", "o", "#o", "b", "#b", "#010b", "_b", "_x", "#_x", ",", "_", "010,", "09,", "015,",
          ",d", "_d", "e", "E", ".2e", ".0e", "#.0e", "f", "F", ".2f", ".0f", "#.0f", "10.3f", "<10.3f", "+.3f",
          "g", "G", ".3g", ".10g", "#g", "#.3g", ".0g", "%", ".1%", ".0%", "n", ".3n", "c", "s", ".2", ".5", ".1",
          ".0", "z", "z.1f", "z.0f", "z.2e", "z.3g", "10", "-^10", "x<8", "\u00e9>6", "🎉^7", "0=10", "0<10",
          ",.2f", "_.3f", "015,.2f", "+015,.2f", "=+12.3e", ".2s", "10.2s", "abc", ".", ",,", ",_", "#", "#5",
          "0>5", "<05", "+c", "#c", ",b", ",n", ".3d", "1000", ".20f", ".17g", ".16g", ".20e", "=10", ",%"]
out["format"] = [[enc(v), s, run(lambda v=v, s=s: format(v, s))] for v in fvals for s in fspecs]


def rand_spec():
    parts = []
    if random.random() < 0.4:
        parts.append(random.choice(["", "*", "0", "x", "é", " "]) + random.choice("<>^="))
    parts.append(random.choice(["", "", "+", "-", " "]))
    parts.append(random.choice(["", "", "z"]))
    parts.append(random.choice(["", "", "#"]))
    parts.append(random.choice(["", "", "0"]))
    parts.append(random.choice(["", "", "1", "5", "12", "20"]))
    parts.append(random.choice(["", "", ",", "_"]))
    parts.append(random.choice(["", "", ".0", ".1", ".3", ".8", ".17"]))
    parts.append(random.choice(["", "", "b", "c", "d", "e", "E", "f", "F", "g", "G", "n", "o", "s", "x", "X", "%"]))
    return "".join(parts)


rvals = [0, 1, -1, 42, -12345678, 2**40, -(2**70), True, 0.0, -0.0, 3.5, -2.675, 1e-7, 123456.789, 1e22, 1/3,
         float("nan"), float("-inf"), "", "abc", "héllo wörld", None]
for _ in range(4000):
    v = random.choice(rvals)
    sp = rand_spec()
    out["format"].append([enc(v), sp, run(lambda v=v, sp=sp: format(v, sp))])

# ---------------------------------------------------------------- arithmetic
ints = [0, 1, -1, 2, -2, 3, 7, -7, 10, 255, 2**31, -(2**31), 2**53, 2**53 + 1, 2**62, 2**63 - 1, -(2**63), 2**63,
        -(2**63) - 1, 2**64, 10**20, -(10**20), 3**40, -(3**41), 12345678901234567890123]
nums = ints + [0.0, -0.0, 0.5, -1.5, 2.0, 1e300, -1e-300, float("inf"), float("nan"), True, False, 7.25, -3.75]
ops = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b, "/": lambda a, b: a / b,
    "//": lambda a, b: a // b, "%": lambda a, b: a % b, "**": lambda a, b: a ** b, "<<": lambda a, b: a << b,
    ">>": lambda a, b: a >> b, "&": lambda a, b: a & b, "|": lambda a, b: a | b, "^": lambda a, b: a ^ b,
}
arith = []
for a in nums:
    for b in nums:
        for name, fn in ops.items():
            if name == "**":
                if isinstance(b, int) and not isinstance(b, bool) and abs(b) > 64 and abs(a) > 1:
                    continue
            if name in ("<<",) and isinstance(b, int) and b > 200:
                continue
            arith.append([name, enc(a), enc(b), run(lambda fn=fn, a=a, b=b: fn(a, b))])
seqs = ["ab", "", [1, 2], [], (1,), ()]
for s in seqs:
    for n in [-2, 0, 1, 3, True, False, 2.0]:
        arith.append(["*", enc(s), enc(n), run(lambda s=s, n=n: s * n)])
        arith.append(["*", enc(n), enc(s), run(lambda s=s, n=n: n * s)])
    for t in seqs + [1, None]:
        arith.append(["+", enc(s), enc(t), run(lambda s=s, t=t: s + t)])
for a in [None, "a", [1], (1,), {"a": 1}]:
    for b in [1, None, "b", 1.5]:
        for name in ["-", "/", "//", "%", "**", "<<", "&"]:
            if isinstance(a, str) and name == "%":
                continue
            arith.append([name, enc(a), enc(b), run(lambda fn=ops[name], a=a, b=b: fn(a, b))])
out["arith"] = arith
out["unary"] = [[op, enc(v), run(lambda op=op, v=v: {"-": lambda: -v, "+": lambda: +v, "~": lambda: ~v}[op]())]
                for op in "-+~" for v in nums + ["a", None, [1]]]

# ---------------------------------------------------------------- comparisons
cvals = [0, 1, -1, 2**53, 2**53 + 1, 2**63, -(2**63), 10**20, 0.0, 1.0, 1.5, float(2**53), 9007199254740993.0, 1e20,
         float("inf"), float("nan"), True, False, "", "a", "b", "ab", "B", "é", "z", [1, 2], [1, 3], [1], [], (1, 2),
         (1,), (), None, [1, [2]], [1, [3]], [1, "a"], {"a": 1}, {"a": 1.0}]
cmp = []
for a in cvals:
    for b in cvals:
        for op in ["<", "<=", ">", ">=", "==", "!="]:
            cmp.append([op, enc(a), enc(b), run(lambda a=a, b=b, op=op: eval("a %s b" % op))])
out["compare"] = cmp

# ---------------------------------------------------------------- slicing
bounds = [None, 0, 1, 2, -1, -2, 3, 5, 10, -10]
steps = [None, 1, 2, 3, -1, -2, -3, 10, 0]
sl = []
for obj in ["abcde", "héllo✓", [0, 1, 2, 3, 4], (0, 1, 2)]:
    for a in bounds:
        for b in bounds:
            for c in steps:
                sl.append([enc(obj), enc(a), enc(b), enc(c), run(lambda obj=obj, a=a, b=b, c=c: obj[a:b:c])])
out["slice"] = sl
idx = []
for obj in ["abcde", "héllo✓", [0, 1, 2], (0,), "", [], {"a": 1, 1: "one", (1, 2): "t"}]:
    for k in [0, 1, 2, -1, -3, 5, -6, True, "a", 1.0, 2**70, (1, 2), None]:
        idx.append([enc(obj), enc(k), run(lambda obj=obj, k=k: obj[k])])
out["index"] = idx

# ---------------------------------------------------------------- json
jvals = [None, True, 1, -5, 2**80, 1.0, 0.5, 1e16, 1e-7, float("nan"), float("inf"), float("-inf"), "a\"b\\c\n\t\x01é🎉",
         [1, [2, [3]]], {"b": 1, "a": [1.5, None]}, {1: "x", 2.5: "y", None: "z", True: "t"}, (1, 2), [], {}]
js = []
for v in jvals:
    js.append([enc(v), "compact", run(lambda v=v: json.dumps(v, separators=(",", ":"), ensure_ascii=False))])
    js.append([enc(v), "default", run(lambda v=v: json.dumps(v))])
    js.append([enc(v), "indent2", run(lambda v=v: json.dumps(v, indent=2, sort_keys=False))])
out["json_dumps"] = js
jtexts = ['1', '-0', '1.0', '1e2', '1E-2', '-1.5e+3', '123456789012345678901234567890', 'NaN', 'Infinity', '-Infinity',
          '"a\\u00e9\\ud83c\\udf89\\n"', '[1, 2, {"a": null}]', '{"b": 1, "a": 2, "b": 3}', ' true ', 'false', 'null',
          '', ' ', '[1,]', '{"a":1,}', '[1 2]', '{"a" 1}', '{a: 1}', '01', '1.', '.5', '-', '"abc', '"a\x01"', '"\\x"',
          '[', '{"a": [1, 2', 'tru', '1 2', '"\\ud83c"', '{"a":{"b":{"c":[]}}}', '3.0e400', '-0.0', '"\t"']
out["json_loads"] = [[t, run(lambda t=t: json.loads(t))] for t in jtexts]

# ---------------------------------------------------------------- printf-style formatting
pct = []
pfmts = ["%s", "%r", "%a", "%d", "%i", "%u", "%x", "%X", "%o", "%e", "%E", "%f", "%F", "%g", "%G", "%c", "%5s|%-5s|",
         "%05d", "%+d", "% d", "%.3d", "%8.3d", "%-08d|", "%#x", "%#X", "%#o", "%#05x", "%#5x", "%-#8o|", "%.2f", "%10.3e",
         "%#g", "%.0f", "%#.0f", "%5.1s|", "%.1s", "%05f", "%+05d", "% 05d", "%+.2e", "%-10.4g|", "%010.2f", "%%", "abc%",
         "%z", "%5%", "%ld", "%(a)s", "%(a)s %(a)r", "%(a)s %s", "%s %(a)s", "%*d", "%.*f", "%-*d|", "%s %s", "x", "é%sé%d",
         "%(", "%(a", "%.s", "%-5c|", "%05s"]
pargs = [0, 7, -7, 255, -255, True, 2.5, -0.0, 1e16, 1234.5678, float("inf"), float("nan"), 2**70, "a", "héllo", "",
         None, [1, 2], (1,), ("a", "b"), (5, 3), (2, 3.14159), (-5, 3), {"a": "q"}, {"a": 1}, (), 65, "ab", 0x110000, 1e300]
for f in pfmts:
    for a in pargs:
        pct.append([f, enc(a), run(lambda f=f, a=a: f % a)])
out["percent"] = pct

# ---------------------------------------------------------------- random nested values
def rand_leaf():
    return random.choice([None, True, False, random.randint(-3, 3), random.randint(-2**70, 2**70), random.choice([0.0, -0.0, 0.5, 1.0, 3.0, 1e16, 1e-5, float("inf")]),
                          random.choice(["", "a", "b", "ab", "é", "'", '"', "a'b\"", "\n", "🎉"])])


def rand_val(d=0):
    r = random.random()
    if d > 3 or r < 0.45:
        return rand_leaf()
    n = random.randint(0, 3)
    if r < 0.65:
        return [rand_val(d + 1) for _ in range(n)]
    if r < 0.8:
        return tuple(rand_val(d + 1) for _ in range(n))
    keys = [k for k in (rand_leaf() for _ in range(n))]
    return {k: rand_val(d + 1) for k in keys}


nested = []
for _ in range(1500):
    a, b = rand_val(), rand_val()
    if random.random() < 0.3:
        b = a
    nested.append([enc(a), enc(b), repr(a), run(lambda a=a, b=b: a == b), run(lambda a=a, b=b: a < b),
                   run(lambda a=a: a in [b, 1, "a"] if True else None)])
out["nested"] = nested

# ---------------------------------------------------------------- complex results
cx = []
for a in [-8, -7, -3, -2.5, -1e-300, -0.5, -1, -2**70, -1e300]:
    for b in [1 / 3, 2.5, -2.5, 0.5, -1.5, 7.25, -3.75, 1e-5, 100.5, 0.1]:
        cx.append(["**", enc(a), enc(b), run(lambda a=a, b=b: a ** b)])
out["complex"] = cx

# ---------------------------------------------------------------- hashing and set order
hvals = [0, 1, -1, -2, 2**61 - 1, 2**61, 2**62, -(2**61), 2**63 - 1, -(2**63), 2**64 + 5, -(10**30), 0.5, -0.5, 1.5, 1e300,
         1e-300, 3.14159, -2.75, 2.0**70, float("inf"), float("-inf"), (), (1,), (1, 2), (1, (2, 3.5)), (-1,), True, False]
out["hash"] = [[enc(v), str(hash(v))] for v in hvals]
orders = []
for n in [2, 3, 5, 6, 8, 12, 20, 50, 200]:
    for _ in range(6):
        pool = random.choice([range(-5, 40), range(0, 1000), range(-10**6, 10**6)])
        xs = [random.choice(pool) for _ in range(n)]
        if random.random() < 0.3:
            xs = [x + 0.5 if random.random() < 0.5 else x for x in xs]
        if random.random() < 0.2:
            xs = [(x, x % 3) for x in xs]
        s = set()
        for x in xs:
            s.add(x)
        assert list(s) == list(set(xs))
        orders.append([enc(xs), enc(list(s))])
out["set_order"] = orders

# ---------------------------------------------------------------- writing
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "cpycorpus"))
import cpycorpus  # noqa: E402  the corpus format the Go tests read


def outcome(r):
    """The cpycorpus outcome of a run() result or of a repr string."""
    if isinstance(r, str):
        return {"repr": r}
    if "ok" in r:
        return {"value": r["ok"]}
    if r.get("complex"):
        return {"repr": r["repr"]}
    return {"error": r["err"], "msg": r["msg"]}


cases = []
for group, rows in out.items():
    for row in rows:
        if group == "str_repr":
            cases.append(cpycorpus.case(group, [row[0]], repr=row[1]))
        elif group == "set_order":
            cases.append(cpycorpus.case(group, [row[0]], value=row[1]))
        elif group == "nested":
            a, b, r, eq, lt, isin = row
            cases.append(cpycorpus.case("nested_repr", [a], repr=r))
            cases.append(cpycorpus.case("nested_eq", [a, b], **outcome(eq)))
            cases.append(cpycorpus.case("nested_lt", [a, b], **outcome(lt)))
            cases.append(cpycorpus.case("nested_in", [a, b], **outcome(isin)))
        else:
            cases.append(cpycorpus.case(group, row[:-1], **outcome(row[-1])))
path = os.path.join(here, "golden.jsonl.gz")
cpycorpus.write(path, "py: runtime helpers", "engine/internal/py/testdata/gen_golden.py", cases,
                python=sys.version.split()[0], ensure_ascii=True)
print("wrote", path, {k: len(v) for k, v in out.items()})
