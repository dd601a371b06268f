#!/usr/bin/env python3
"""Generates cases.jsonl: golden results of real CPython for the library
(engine/internal/cpycorpus format).

Each case is a call (a method on a receiver, a builtin, or a module function)
with its arguments, and what CPython gives: the repr() of the result, or the
exception class name (plus its bases). The Go test (golden_test.go) makes the
same call through the registered functions and compares py.Repr of the result.

Values that JSON cannot carry are encoded: {"$tuple": [...]}, {"$float": "inf"},
{"$dict": [[k, v], ...]}, {"$set": [...]}, {"$builtin": "len"}.

Groups and inputs: "method" [recv, name, args, kwargs], "builtin" and
"module" [name, args, kwargs], "chain" [name, args, kwargs, steps]; kwargs
are [name, value] pairs. A method whose receiver is a list or dict has a
second case of group "method_after" with the same inputs and the repr of the
receiver after the call.

Run: python3.12 engine/internal/pylib/testdata/gen_cases.py (writes cases.jsonl beside it);
when that interpreter lacks PyYAML, set PYYAML_PATH to a site-packages that has it.
Deterministic; needs only the standard library (PyYAML for the yaml cases,
skipped when absent). Run it with CPython 3.12 (python3.12), the version the
engine follows.
"""
import base64
import builtins
import datetime
import functools
import json
import math
import os
import re
import statistics
import string
import sys
import urllib.parse

try:
    import yaml
except ImportError:  # pragma: no cover
    # PyYAML is pure Python: PYYAML_PATH may name another interpreter's
    # site-packages that has it.
    if os.environ.get("PYYAML_PATH"):
        sys.path.append(os.environ["PYYAML_PATH"])
    try:
        import yaml
    except ImportError:
        yaml = None

CASES = []


def enc(v):
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return {"$float": repr(v)}
    if isinstance(v, list):
        return [enc(x) for x in v]
    if isinstance(v, tuple):
        return {"$tuple": [enc(x) for x in v]}
    if isinstance(v, dict):
        return {"$dict": [[enc(k), enc(x)] for k, x in v.items()]}
    if isinstance(v, set):
        return {"$set": [enc(x) for x in v]}
    if v is datetime.timezone.utc:
        return {"$attr": "datetime.timezone.utc"}
    if isinstance(v, datetime.timedelta):
        return {"$call": ["datetime.timedelta", [v.days, v.seconds, v.microseconds]]}
    if isinstance(v, re.Pattern) or hasattr(v, "__self__") and False:
        raise TypeError("pattern")
    if isinstance(v, range):
        return {"$range": [v.start, v.stop, v.step]}
    if v in (len, abs, str, int, float, sorted, min, max, sum, bool):
        return {"$builtin": v.__name__}
    raise TypeError(f"cannot encode {v!r}")


def outcome(f):
    try:
        v = f()
        if hasattr(v, "__next__"):
            v = list(v)  # iterators: we return lists
        if isinstance(v, set):
            return None  # unordered: not comparable
        return {"repr": repr(v)}
    except Exception as exc:
        kinds = [c.__name__ for c in type(exc).__mro__ if c not in (Exception, BaseException, object)]
        return {"error": kinds[0], "error_bases": kinds[1:]}


def method(recv, _name, *args, **kw):
    name = _name
    before = enc(recv)
    res = outcome(lambda: getattr(recv, name)(*args, **kw))
    if res is None:
        return
    if isinstance(recv, (list, dict)):
        res["after"] = repr(recv)  # the receiver after a mutating method
    CASES.append({"kind": "method", "recv": before, "name": name, "args": [enc(a) for a in args],
                  "kwargs": [[k, enc(v)] for k, v in kw.items()], **res})


def call(kind, name, fn, *args, **kw):
    res = outcome(lambda: fn(*args, **kw))
    if res is None:
        return
    CASES.append({"kind": kind, "name": name, "args": [enc(a) for a in args],
                  "kwargs": [[k, enc(v)] for k, v in kw.items()], **res})


def builtin(name, *args, **kw):
    fn = {"reduce": functools.reduce}.get(name) or getattr(builtins, name)
    call("builtin", name, fn, *args, **kw)


def mod(dotted, *args, **kw):
    modname, _, fname = dotted.rpartition(".")
    m = {"re": re, "json": json, "math": math, "statistics": statistics, "base64": base64,
         "urllib.parse": urllib.parse, "string": string, "yaml": yaml}[modname]
    fn = getattr(m, fname)
    if modname == "base64":
        # Julep's base64 takes and returns str.
        if fname.endswith("encode"):
            fn = (lambda f: lambda s: f(s.encode()).decode())(fn)
        else:
            fn = (lambda f: lambda s: f(s).decode())(fn)
    call("module", dotted, fn, *args, **kw)


# ------------------------------------------------------------------ str methods
SAMPLES = ["Hello, World", "  padded  ", "a,b,,c", "MiXeD cAsE wOrDs", "line1\nline2\r\nline3\n", "",
           "héllo wörld", "snake_case_name", "123", "12.5", "  ", "ß", "tab\tsep", "🎉 party",
           "ΣΑΣ ΟΔΟΣ", "ǆemal", "ﬁsh", "İstanbul", "they're bill's friends", "١٢٣", "½", "²", "Ⅻ", "\u00a0x\u2003",
           "x\x0by\x1cz\u2028w", "_id", "1abc", "class", "Ab1", "hello world foo"]
NOARG = ["capitalize", "casefold", "isalnum", "isalpha", "isascii", "isdecimal", "isdigit", "isidentifier", "islower",
         "isnumeric", "isprintable", "isspace", "istitle", "isupper", "lower", "swapcase", "title", "upper"]
for s in SAMPLES:
    for m in NOARG:
        method(s, m)
    method(s, "split")
    method(s, "rsplit")
    method(s, "split", ",")
    method(s, "split", None, 1)
    method(s, "rsplit", None, 1)
    method(s, "splitlines")
    method(s, "splitlines", True)
    method(s, "strip")
    method(s, "lstrip")
    method(s, "rstrip")
    method(s, "center", 20, "*")
    method(s, "ljust", 15)
    method(s, "rjust", 15, "-")
    method(s, "zfill", 10)
    method(s, "expandtabs")
    method(s, "expandtabs", 4)
    method(s, "find", "l")
    method(s, "rfind", "l")
    method(s, "count", "l")
    method(s, "partition", " ")
    method(s, "rpartition", " ")

# random strings over a mixed alphabet
_srng = __import__("random").Random(7)
ALPHA = "aAbBzZ09 _-,.'\t\n\rßİΣσςǅǆﬁ١½²Ⅻ\u00a0\u2028\u0301éÉ🎉ŉΐ"
for _ in range(150):
    s = "".join(_srng.choice(ALPHA) for _ in range(_srng.randint(0, 12)))
    for m in NOARG:
        method(s, m)
    for m, a in [("split", ()), ("rsplit", (None, 2)), ("split", (",", 1)), ("splitlines", ()), ("splitlines", (True,)),
                 ("strip", ()), ("rstrip", (" a",)), ("center", (15, "·")), ("find", ("a", 2)), ("rfind", ("a", -5)),
                 ("count", ("a",)), ("expandtabs", (3,)), ("zfill", (8,)), ("startswith", ("a", 1)),
                 ("endswith", (("a", "ß"),)), ("replace", ("a", "XY", 2)), ("partition", ("a",)), ("index", ("Σ",))]:
        method(s, m, *a)

for args in [("a",), ("a", 1), ("a", -3), ("a", 1, 3), ("",), ("", 5), ("", 20), ("xyz",), ("a", None, 2), ("a", 100), ("a", -100, -1)]:
    for m in ["find", "rfind", "count", "index", "rindex", "startswith", "endswith"]:
        method("banana bandana", m, *args)
for args in [(("ba", "xx"),), (("x", "y"),), (("",),), (("ba", 1),), (1,), ("na", 2, 6)]:
    method("banana", "startswith", *args)
    method("banana", "endswith", *args)
for args in [("a", "o"), ("a", "o", 2), ("", "-"), ("", "-", 2), ("an", ""), ("x", "y"), ("a", "o", -1), ("a", "o", 0), (1, "x")]:
    method("banana", "replace", *args)
for args in [(",",), (",", 1), (",", 0), (",", -1), (", ",), ("",), (1,), ("b,",)]:
    method("a,b,,c,", "split", *args)
    method("a,b,,c,", "rsplit", *args)
method("a b", "split", maxsplit=1)
method("a b c", "rsplit", sep=" ", maxsplit=1)
method("  a  b  ", "split", None, 0)
method("  a  b  ", "rsplit", None, 0)
for args in [(5,), (6, "*"), (7, "✓"), (3,), (-1,), (10, "ab"), (10, 1), ("x",)]:
    for m in ["center", "ljust", "rjust"]:
        method("abc", m, *args)
        method("ab", m, *args)
for args in [(5,), (2,), (-3,)]:
    for s in ["42", "-42", "+42", "", "-", "abc"]:
        method(s, "zfill", *args)
for s in ["xxhixx", "  hi  ", "\t\nhi\n", "abcba"]:
    for args in [(), ("x",), ("ab",), (None,), ("",)]:
        method(s, "strip", *args)
        method(s, "lstrip", *args)
        method(s, "rstrip", *args)
method("abc", "strip", 1)
for args in [(["a", "b", "c"],), (("x", "y"),), ("xyz",), ([],), (["a", 1],), ([1],), ({"k": 1, "j": 2},)]:
    method(", ", "join", *args)
method("", "join", ["a", "b"])
for args in [("pre",), ("",), ("x",), (1,)]:
    method("prefix", "removeprefix", *args)
    method("prefix", "removesuffix", *args)
method("fix", "removesuffix", "fix")
for args in [(" ",), ("",), ("zz",), (1,)]:
    method("a b c", "partition", *args)
    method("a b c", "rpartition", *args)
method("a\tb\tc", "expandtabs", 0)
method("ab\tc\n\td", "expandtabs", 3)
method("a\rb\tc", "expandtabs", 2)
method("abc", "encode")

# str.format
FMT = [
    ("{} and {}", ("a", "b"), {}), ("{0}{1}{0}", ("x", "y"), {}), ("{name}!", (), {"name": "Ann"}),
    ("{:>6.2f}", (2.5,), {}), ("{:,}", (1234567,), {}), ("{!r}", ("q",), {}), ("{0[1]}", ([3, 1, 4],), {}),
    ("{m[x]}", (), {"m": {"x": 1}}), ("{}", (None,), {}), ("{{}}", (), {}), ("{{{}}}", (5,), {}),
    ("{:{w}}", ("ab",), {"w": 6}), ("{:*^{w}.{p}}", ("abcdef",), {"w": 9, "p": 3}), ("{", (), {}), ("}", (), {}),
    ("{0}{}", (1, 2), {}), ("{}{0}", (1, 2), {}), ("{5}", (1,), {}), ("{x}", (), {}), ("{!x}", (1,), {}),
    ("{:d}", ("s",), {}), ("{0!s:>4}", (1,), {}), ("{!a}", ("é",), {}), ("{0[a]}", ({"a": 7},), {}),
    ("{0[0][1]}", ([[1, 2]],), {}), ("{:08.3f}", (-3.14159,), {}), ("{:x}", (255,), {}), ("{:#b}", (5,), {}),
    ("{:%}", (0.25,), {}), ("{:e}", (12345.678,), {}), ("{:g}", (1e-5,), {}), ("{:_}", (10**8,), {}),
    ("{:=+8d}", (42,), {}), ("{0:}", (3,), {}), ("{a}{b}", (), {"a": 1, "b": [1]}), ("{:>{}}", ("x", 4), {}),
    ("{0[", (1,), {}), ("{0.}", (1,), {}), ("{0]", (1,), {}), ("{:c}", (65,), {}), ("{:s}", (None,), {}),
]
for f, a, kw in FMT:
    method(f, "format", *a, **kw)

# ------------------------------------------------------------------ list/tuple/dict/set
for args in [(1,), (5,), (1, 2), (1, -3), (1, 0, 2), ("x",)]:
    method([3, 1, 4, 1, 5], "index", *args)
    method((3, 1, 4, 1, 5), "index", *args)
for x in [1, 9, "1", 1.0, True]:
    method([3, 1, 4, 1, 5, True], "count", x)
    method((3, 1, 4, 1, 5), "count", x)
for kw in [{}, {"reverse": True}, {"key": abs}, {"key": abs, "reverse": True}]:
    method([3, -1, 4, -1, 5, -9, 2, 6], "sort", **kw)
method([1, "a"], "sort")
method([[2, 1], [1, 2], [1]], "sort")
method([(1, "b"), (1, "a"), (0, "z")], "sort", reverse=True)
method([1, 2], "sort", 1)
method([], "pop")
method([1, 2, 3], "pop")
method([1, 2, 3], "pop", 0)
method([1, 2, 3], "pop", 5)
method([1, 2, 3], "remove", 4)
method([1, 2, 3], "remove", 2)
method([1, 2, 3], "insert", 1, "x")
method([1, 2, 3], "append", 4)
method([1, 2, 3], "extend", "ab")
method([1, 2, 3], "reverse")
method([1, 2, 3], "copy")
method([1, 2, 3], "clear")
D = {"a": 1, "b": [2], "c": None}
for args in [("a",), ("z",), ("z", 0), ("c", 5), ([1],)]:
    method(dict(D), "get", *args)
for m in ["keys", "values", "items", "copy", "popitem"]:
    method(dict(D), m)
    method({}, m)
for args in [("a",), ("z",), ("z", 9)]:
    method(dict(D), "pop", *args)
    method(dict(D), "setdefault", *args)
method(dict(D), "update", {"a": 5, "d": 6})
method(dict(D), "update", [("x", 1)])
method(dict(D), "update", [("x", 1, 2)])
method(dict(D), "update", [1])
method(dict(D), "fromkeys", ["x", "y"])
method(dict(D), "fromkeys", "ab", 0)
S = {1, 2, 3}
for m, args in [("issubset", ([1, 2, 3, 4],)), ("issuperset", ([1],)), ("isdisjoint", ([4],)), ("isdisjoint", ([3],)),
                ("remove", (9,)), ("pop", ())]:
    method(set(S), m, *args)
method(set(), "pop")

# ------------------------------------------------------------------ builtins
for v in ["42", " -7 ", "+3", "1_000", "0x1f", "1e5", "abc", "", "１２", "١٢٣", "12.5", "00", "0_0", "1__0", "_1",
          "9" * 30, 3.99, -3.99, 1e20, True, None, [1], float("inf"), float("nan"), "  0  "]:
    builtin("int", v)
for v, base in [("ff", 16), ("0xff", 16), ("0xff", 0), ("010", 0), ("0o17", 0), ("0b101", 0), ("z", 36), ("12", 2),
                ("777", 8), ("0b1_0", 0), (12, 10), ("10", 1), ("10", 37), ("  -0x_1f ", 0)]:
    builtin("int", v, base)
for v in ["1.5", " -2.25 ", "1e5", "1E-3", "inf", "-Infinity", "nan", "NaN", "  +.5", "5.", "1_000.5", "1__0",
          "abc", "", "0x10", "1e400", "-1e400", "١.٥", 7, True, 10**400, None, "infinity", "in f"]:
    builtin("float", v)
for args in [(2.5,), (3.5,), (-2.5,), (0.5,), (1.5,), (2.675, 2), (1.005, 2), (0.125, 2), (0.375, 2), (1234.5678, -2),
             (1250, -2), (1350, -2), (-1250, -2), (15, -1), (25, -1), (7, 0), (7,), (1e300, -300), (5e-324, 400),
             (float("inf"),), (float("nan"),), (float("inf"), 2), (2.5, None), (123.456, 1), (-0.5,), (-0.4, 0),
             ("x",), (1.23456789e10, 3), (10**30 + 5 * 10**29, -30), (1e16, -15), (0.1 + 0.2, 15), (2**70, -5)]:
    builtin("round", *args)
for args in [([1, 2, 3],), ([1, 2.5],), ([],), ([1], 10), ([[1], [2]], []), (["a"],), (["a"], ""),
             ([1e100, 1.0, -1e100],), ([True, True],), ([2**64, 2**64],), ([0.1, 1, 0.2, 2, 0.3],), ([0.1] * 10,),
             ([1, 0.1, 2**70, 0.2],), ([0.5, True, 1e16, 1.0, -1e16],), ([1.5], 2), ([], 0.5), ([0.1, 0.2], 0.3)]:
    builtin("sum", *args)
for args in [([3, 1, 2],), ([],), (3, 1, 2), ("bca",), ([], ), ([1, "a"],), ([[1, 2], [1, 3]],)]:
    builtin("max", *args)
    builtin("min", *args)
builtin("max", [], default=5)
builtin("max", ["aa", "b", "cccc"], key=len)
builtin("min", ["aa", "b", "cccc"], key=len)
builtin("max", [1, -5, 3], key=abs)
builtin("max", [2, -2], key=abs)
builtin("min", 1, 2, default=0)
builtin("max")
for v in [-5, 5, -2.5, True, 2**70 * -1, "x", -0.0]:
    builtin("abs", v)
for args in [([1, 0],), ([],), ([[], 1],)]:
    builtin("all", *args)
    builtin("any", *args)
for args in [([("a", 1), ("b", 2)],), ([],), ({"x": 1},), (["ab", "cd"],), ([1],), ([("a", 1, 2)],)]:
    builtin("dict", *args)
builtin("dict", a=1, b=2)
builtin("dict", [("a", 1)], b=2)
for args in [(["a", "b"],), (["a", "b"], 1), ("xy", -2)]:
    builtin("enumerate", *args)
builtin("enumerate", ["a"], start=5)
for v in ["abc", [1, 2], (1,), {"a": 1}, 5, None, ""]:
    builtin("len", v)
    builtin("list", v)
    builtin("tuple", v)
    builtin("bool", v)
for v in [1, 1.0, 1e16, 1.5e-7, None, True, "s", [1, "a"], (1,), {"a": (1, 2)}, 2**100, float("nan"), -0.0, 0.1 + 0.2]:
    builtin("str", v)
    builtin("repr", v)
for args in [([1, 2, 3], [4, 5]), ("ab", [1, 2]), ([1],), ()]:
    builtin("zip", *args)
builtin("zip", [1, 2], [3], strict=True)
builtin("zip", [1], [3, 4], strict=True)
builtin("zip", [1, 2], [3, 4], strict=True)
builtin("map", abs, [-1, 2, -3])
builtin("map", max, [1, 5], [4, 2])
builtin("filter", None, [0, 1, "", "a", [], [0]])
builtin("filter", abs, [0, 1, -1])
builtin("sorted", [3, 1, 2])
builtin("sorted", "bca", reverse=True)
builtin("sorted", ["b", "A", "c"], key=str.lower) if False else None
builtin("sorted", [(1, "b"), (0, "a")])
builtin("sorted", [1, "a"])
builtin("sorted", {"b": 1, "a": 2})
builtin("reversed", [1, 2, 3])
builtin("reversed", "abc")
builtin("reversed", 5)
builtin("reduce", max, [3, 9, 2])
builtin("reduce", max, [], 7)
builtin("reduce", max, [])
for args in [(5,), (1, 5), (0, 10, 3), (5, 0, -2), (0,), (1, 2, 0), (2.5,), (-3,)]:
    builtin("range", *args)
    builtin("list", range(*args)) if all(isinstance(a, int) for a in args) and (len(args) < 3 or args[2] != 0) else None
for v in [65, 0x1F389, -1, 0x110000, "a", 2.0]:
    builtin("chr", v)
for v in ["a", "🎉", "ab", "", 5]:
    builtin("ord", v)
for args in [(7, 2), (-7, 2), (7, -2), (7.5, 2), (1, 0), ("a", 1), (2**70, 3)]:
    builtin("divmod", *args)
for args in [(2, 10), (2, -1), (2, 10, 1000), (3, -1, 7), (2, 0.5), (-8, 1 / 3), (0, -1), (2, 3, 0), (4, -1, 6), (2, 3, -5)]:
    builtin("pow", *args)
for v in [255, -255, 0, 2**70, True, 1.5]:
    builtin("hex", v)
    builtin("oct", v)
    builtin("bin", v)
for args in [(3.14159, ".2f"), (42, "05d"), ("x", ">3"), (1234, ","), (None, ""), (0.5, "%")]:
    builtin("format", *args)
builtin("set", "aab") if False else None

# ------------------------------------------------------------------ json
for v in [{"a": 1, "b": [1, 2.5, None, True]}, [], {}, "é✓🎉", "\n\t\"\\\x01\x7f", 1e16, 1.0, float("nan"),
          float("inf"), 2**80, (1, 2), {"x": {"y": []}}, {1: "a", 2.5: "b", True: "c", None: "d"}, [1, [2, [3]]]]:
    mod("json.dumps", v)
    mod("json.dumps", v, indent=2)
    mod("json.dumps", v, ensure_ascii=False)
    mod("json.dumps", v, sort_keys=True)
    mod("json.dumps", v, separators=(",", ":"))
mod("json.dumps", {"b": 1, "a": {"d": 2, "c": 3}}, indent=4, sort_keys=True)
mod("json.dumps", {"a": [1, 2]}, indent="\t")
mod("json.dumps", {"a": [1, 2]}, indent=0)
mod("json.dumps", {"a": [1, {}]}, indent=-1)
mod("json.dumps", {(1, 2): 3})
mod("json.dumps", {1, 2} and [1])
mod("json.dumps", float("nan"), allow_nan=False)
mod("json.dumps", {"b": 1, 2: 3}, sort_keys=True)
for s in ['{"a": 1, "b": [1, 2.5, null, true, false]}', "[1, 2", '{"a" 1}', '{"a": 1,}', "[1,]", '"abc', "bad json",
          "", "  42  ", "1e400", "-0", "0.1", "NaN", "-Infinity", '"\\u00e9\\ud83c\\udf89"', '"a\\qb"', '{"a":1}{',
          "[1] x", '{"a": 1, "a": 2}', "123456789012345678901234567890", '"\t"', "\n\n  [1,\n  ?]", "01", "1.", "-",
          "{'a': 1}", "[1, 2]\n", '{"k": "\\n\\"x\\""}']:
    mod("json.loads", s)

# ------------------------------------------------------------------ re
RE = [
    ("search", r"b+", "abbbc"), ("search", r"x", "abc"), ("match", r"a", "ba"), ("match", r"b", "ba"),
    ("fullmatch", r"\d+", "123"), ("fullmatch", r"\d+", "123a"), ("findall", r"\d+", "a1b22c333"),
    ("findall", r"(\w)(\d)", "a1 b2 c"), ("findall", r"(a)|b", "ab"), ("findall", r"x*", "axxb"),
    ("findall", r"", "abc"), ("findall", r"\b\w+\b", "héllo wörld"), ("findall", r"\d", "١٢3"),
    ("findall", r"[\w]+", "a_b c-d é"), ("findall", r"\s+", "a \u00a0b\u2003c"), ("findall", r"[^\W\d]+", "ab12cd"),
    ("split", r",", "a,b,,c"), ("split", r"(,)", "a,b"), ("split", r"x*", "axbc"), ("split", r"\s+", " a b "),
    ("sub", r"\d", "#", "a1b2"), ("sub", r"(\w+)@(\w+)", r"\2 at \1", "me@host"), ("sub", r"x*", "-", "abxd"),
    ("sub", r"(?P<n>\d)", r"<\g<n>>", "a1b2"), ("sub", r"a", r"\n", "banana"), ("sub", r"a", r"\q", "a"),
    ("sub", r"(a)", r"\2", "a"), ("sub", r"a", r"\g<0>\g<0>", "ab"), ("subn", r"a", "o", "banana"),
    ("sub", r"", "-", "abc"), ("escape", "a.b*c?d e\n"), ("escape", "héllo-wörld_1"),
    ("search", r"(?P<year>\d{4})-(?P<month>\d\d)", "on 2024-05-17"), ("search", r"(?i)hello", "Say HELLO"),
    ("search", r"^b", "a\nb"), ("search", r"(?m)^b", "a\nb"), ("search", r"a.c", "a\nc"), ("search", r"(?s)a.c", "a\nc"),
    ("search", r"(?<=a)b", "ab"), ("search", r"a(?=b)", "ab"), ("search", r"(a)\1", "aa"), ("search", r"[", "a"),
    ("search", r"a{2,}", "aaaa"), ("search", r"a{,2}", "aaaa"), ("search", r"{", "a{"), ("search", r"a{1", "a{1"),
    ("search", r"\Aab\Z", "ab"), ("search", r"(?x) a b  # comment", "ab"), ("search", r"[a-]+", "-a-"),
    ("search", r"[]a]+", "]a]"), ("search", r"[\]]", "]"), ("search", r"\x41\u00e9\t", "Aé\t"), ("search", r"\q", "q"),
    ("search", r"(?P<1>a)", "a"), ("search", r"a**", "a"), ("search", r"*a", "a"), ("search", r"(?:ab)+", "ababx"),
    ("findall", r"[[:alpha:]]", "a:[]"), ("search", r"\d+?", "123"), ("findall", r"a|ab", "ab"),
    ("search", r"colou?r", "The color"), ("match", r"^\d+$", "123\n"), ("fullmatch", r"\d+$", "123\n"),
    ("search", r"a$", "a\n"), ("search", r"a$", "a\nb\n"), ("search", r"b$", "a\nb\n"), ("findall", r"$", "a\n"),
    ("findall", r"(?m)\w$", "a\nb\n"), ("sub", r"$", "!", "x\n"), ("search", r"x\Z", "x\n"), ("findall", r"\$\d+(?:\.\d\d)?", "$5 and $12.50"),
]
for spec in RE:
    mod("re." + spec[0], *spec[1:])
# random patterns from a grammar of features RE2 shares with Python
_rrng = __import__("random").Random(11)


def _atom(depth):
    r = _rrng.random()
    if depth < 2 and r < 0.2:
        inner = _alt(depth + 1)
        return _rrng.choice(["(%s)", "(?:%s)", "(?P<g%d>%%s)" % _rrng.randint(0, 999)]) % inner
    if r < 0.45:
        return _rrng.choice(["a", "b", "c", "é", " ", "1", "-", "\\.", "\\n"])
    if r < 0.7:
        return _rrng.choice(["\\d", "\\w", "\\s", "\\D", "\\W", "\\S", "."])
    if r < 0.9:
        return _rrng.choice(["[abc]", "[^a ]", "[a-c1]", "[\\w-]", "[^\\W\\d]", "[\\s\\d]", "[.é]"])
    return _rrng.choice(["^", "$", "\\b", "\\B", "\\A", "\\Z"])


def _piece(depth):
    a = _atom(depth)
    if a in ("^", "$", "\\b", "\\B", "\\A", "\\Z"):
        return a
    q = _rrng.choice(["", "", "", "*", "+", "?", "{2}", "{1,3}", "*?", "+?", "??", "{,2}"])
    return a + q


def _alt(depth):
    branches = ["".join(_piece(depth) for _ in range(_rrng.randint(1, 4))) for _ in range(_rrng.randint(1, 2))]
    return "|".join(branches)


_SUBJ = "abc a1-b2 éé\nc.c  1a_b abcabc"
_n = 0
while _n < 250:
    pat = _alt(0)
    # Known deviations, not generated: \b and \B are ASCII in RE2 (and in
    # Julep's re2), and lazy quantifiers after an empty match (see doc.go).
    if "\\b" in pat or "\\B" in pat or re.search(r"[*+?}]\?", pat):
        continue
    _n += 1
    mod("re.findall", pat, _SUBJ)
    mod("re.sub", pat, "<\\g<0>>", _SUBJ)
    mod("re.split", pat, _SUBJ, 3)
    mod("re.search", pat, _SUBJ, re.I)

mod("re.search", "HELLO", "say hello", re.I)
mod("re.findall", "^a", "a\na", re.M)
mod("re.findall", r"a.", "a\na", flags=re.S)
mod("re.split", r",", "a,b,c,d", 2)
mod("re.split", r",", "a,b,c,d", maxsplit=1)
mod("re.sub", r"a", "o", "banana", 2)
mod("re.sub", r"a", "o", "banana", count=1)
mod("re.search", r"a b", "ab", re.X)

# ------------------------------------------------------------------ math
for name, args in [("sqrt", (16,)), ("sqrt", (2,)), ("sqrt", (-1,)), ("floor", (2.7,)), ("floor", (-2.5,)), ("ceil", (2.1,)),
                   ("ceil", (-2.1,)), ("trunc", (-2.7,)), ("floor", (float("inf"),)), ("floor", (10**30,)),
                   ("fabs", (-3,)), ("log", (math.e,)), ("log", (8, 2)), ("log", (0,)), ("log", (100, 10)),
                   ("log", (2**1000,)), ("log10", (1000,)), ("log2", (1024,)), ("log2", (2**2000,)), ("exp", (1,)),
                   ("exp", (1000,)), ("pow", (2, 10)), ("pow", (0, -1)), ("pow", (-8, 1 / 3)), ("gcd", (12, 18)),
                   ("gcd", (0, 0)), ("gcd", (-4, 6, 8)), ("lcm", (4, 6)), ("lcm", ()), ("factorial", (10,)),
                   ("factorial", (-1,)), ("factorial", (2.0,)), ("comb", (10, 3)), ("comb", (3, 10)), ("perm", (5, 2)),
                   ("perm", (5,)), ("prod", ([1, 2, 3, 4],)), ("prod", ([],)), ("fsum", ([0.1] * 10,)),
                   ("fsum", ([1e100, 1.0, -1e100],)), ("sin", (0,)), ("cos", (math.pi,)), ("tan", (1,)), ("asin", (2,)),
                   ("acos", (1,)), ("atan", (1,)), ("atan2", (1, -1)), ("degrees", (math.pi,)), ("radians", (180,)),
                   ("hypot", (3, 4)), ("hypot", (1, 2, 2)), ("copysign", (3, -0.0)), ("isnan", (float("nan"),)),
                   ("isinf", (float("-inf"),)), ("isfinite", (1e308,)), ("sqrt", ("x",)), ("isclose", (1.0, 1.0 + 1e-10)),
                   ("floor", (True,)), ("ceil", (float("nan"),))]:
    mod("math." + name, *args)

# libm agreement on pseudo-random arguments (glibc rounds these correctly)
import random as _random
_rng = _random.Random(20240517)
for _ in range(60):
    x = _rng.uniform(-40, 40)
    for name in ["exp", "sin", "cos", "tan"]:
        mod("math." + name, x)
    y = abs(x) * 10 ** _rng.randint(-300, 300)
    for name in ["log", "log2", "log10", "sqrt"]:
        mod("math." + name, y)
mod("statistics.geometric_mean", [_rng.uniform(0.1, 100) for _ in range(20)])

# ------------------------------------------------------------------ statistics
for name in ["mean", "median", "median_low", "median_high", "mode", "stdev", "pstdev", "variance", "pvariance",
             "fmean", "geometric_mean"]:
    for data in [[1, 2, 3, 4], [1, 2, 3], [2.5, 3.5, 1.0], [5], [], [1, 1, 2, 3, 3, 3], [1.5, 2, 2.5], [-1, 1],
                 [10**20, 1]]:
        mod("statistics." + name, data)
mod("statistics.mode", ["a", "b", "b"])
mod("statistics.median", ["b", "a", "c"])
mod("statistics.quantiles", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
mod("statistics.quantiles", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], n=10)
mod("statistics.quantiles", [1.5, 2.5, 10.0], n=4, method="inclusive")

# ------------------------------------------------------------------ base64 (Julep: str in, str out)
for s in ["hello", "", "héllo ✓", "a" * 5]:
    mod("base64.b64encode", s)
    mod("base64.urlsafe_b64encode", s)
for s in ["aGVsbG8=", "aGVsbG8", "aGVs bG8=", "////", "-_-_", "w6k=", "!!!", "aGVsbG8==", "YQ=="]:
    mod("base64.b64decode", s)
    mod("base64.urlsafe_b64decode", s)

# ------------------------------------------------------------------ urllib.parse
URLS = ["https://user:pw@Example.com:8080/a/b;p=1?q=1&r=2#frag", "http://example.com", "example.com/path",
        "/rel/path?x=1", "mailto:ann@example.com", "https://[::1]:80/x", "http://a.com/p;x/y;z?q", "HTTP://A.COM/",
        "  https://x.com/a b\t\n", "file:///etc/hosts", "//netloc/only", "s3://bucket/key#f?g", "https://x.com?#",
        "http://[::1/x", "a:b", "1http://x", "https://x.com:abc/"]
for u in URLS:
    mod("urllib.parse.urlparse", u)
    mod("urllib.parse.urlsplit", u)
for s, safe in [("a b/c?d=é&f", None), ("a+b c", ""), ("~user_.-", None), ("/x y/", "/"), ("a/b", ""), ("✓", "")]:
    if safe is None:
        mod("urllib.parse.quote", s)
        mod("urllib.parse.quote_plus", s)
    else:
        mod("urllib.parse.quote", s, safe=safe)
        mod("urllib.parse.quote_plus", s, safe=safe)
for s in ["a%20b", "a+b", "%E2%9C%93", "%zz", "%", "%e9", "100%25"]:
    mod("urllib.parse.unquote", s)
    mod("urllib.parse.unquote_plus", s)
for q in ["a=1&b=2&a=3", "a=&b", "a=1;b=2", "x=%20y+z", "", "=v", "k=v=w", "&&a=1"]:
    mod("urllib.parse.parse_qs", q)
    mod("urllib.parse.parse_qsl", q)
    mod("urllib.parse.parse_qs", q, keep_blank_values=True)
mod("urllib.parse.parse_qsl", "a=1&b", strict_parsing=True)
for q, kw in [({"a": 1, "b": "x y"}, {}), ([("a", "1"), ("a", "2")], {}), ({"a": [1, 2]}, {}), ({"a": [1, 2]}, {"doseq": True}),
              ({"q": "a/b c"}, {"safe": "/"}), ({"é": "✓"}, {}), ({"a": None, "b": True}, {}), ("abc", {}),
              ({"a": ("x", "y")}, {"doseq": True}), ({"a": "x"}, {"doseq": True})]:
    mod("urllib.parse.urlencode", q, **kw)

# ------------------------------------------------------------------ csv (Julep: the reader takes the text)
import csv as _csv
import io as _io
for text, kw in [("a,b,c\n1,2,3", {}), ('name,age\nann,31\n"b,ob","2""7"\n', {}), ("a;b\n1;2\n", {"delimiter": ";"}),
                 ("a, b,  c", {"skipinitialspace": True}), ("x\n\ny\n", {}), ('"multi\nline",2\r\n3,4', {}),
                 ("a,b,", {}), (",", {}), ("", {}), ('a"b,c', {}), ('"a"b,c', {}), ("1,2\n", {"quoting": _csv.QUOTE_NONNUMERIC}),
                 ("a\tb", {"dialect": "excel-tab"}), ('"unterminated', {}), ("a|b", {"delimiter": "|", "quotechar": "'"})]:
    call("module", "csv.reader", lambda t, **k: list(_csv.reader(_io.StringIO(t), **k)), text, **kw)
for text, kw in [("name,age\nann,31\nbob,27", {}), ("a,b\n1,2,3\n4", {}), ("a,b\n\n1,2", {}), ("1,2", {"fieldnames": ["x", "y"]}),
                 ("a,b\n1,2,3", {"restkey": "rest"}), ("a,b\n1", {"restval": "-"})]:
    call("module", "csv.DictReader", lambda t, **k: list(_csv.DictReader(_io.StringIO(t), **k)), text, **kw)

# ------------------------------------------------------------------ yaml (PyYAML's output; loads compared on plain data)
if yaml is not None:
    for v in [{"a": 1}, {"b": [1, 2], "a": {"x": None}}, [{"a": 1, "b": 2}], "abc", 1, 1.5, "x\ny", {"k": "yes"},
              {"k": ""}, {"k": "a: b"}, {"k": "-a"}, {"k": " a"}, [], {}, [[1, 2], [3]], {"a": []}, 1e20, {"k": "1.5"},
              {"k": "null"}, {"k": "#x"}, {"k": "a#b"}, {"k": True}, {"k": "it's"}, {"k": 'a"b'}, None,
              {"nested": {"deep": {"list": [1, {"x": "y"}]}}}, ["- a", "b: c"], {"k": "a" * 30 + " " + "b" * 30 + " " + "c" * 30},
              {"k": "é"}, {"z": 1, "a": 2, "m": 3}]:
        mod("yaml.safe_dump", v)
    for v in [{"a": [{"b": [1, {"c": 2, "d": [[]]}], "e": {}}]}, [[{"x": [1, [2, {"y": None}]]}]], {"k": [[1, 2], {"z": [3]}]},
              {"t": (1, 2)}, {1: "int key", None: "none key", 2.5: "f", True: "b"}, {"long": "x" * 100}, {"s": "a\n\nb\n"},
              {"s": "trailing\n"}, {"s": "\nleading"}, {"s": "a \nb"}, {"s": "a\n b"}, {"x": -0.0}, {"n": float("nan")},
              {"big": 2**80}, {"e": 1e-7}]:
        mod("yaml.safe_dump", v)
    _yrng = __import__("random").Random(5)
    _WORDS = ["alpha", "beta", "x", "a: b", "#tag", "it's", 'say "hi"', "-", "?", "key:", "- item", "1.5", "true", "null",
              "é", "tab\there", "multi\nline", "  lead", "trail  ", "[x]", "{y}", "*star", "&amp", "!bang", "%pct", "@at",
              "`tick", "|pipe", ">gt", "a,b", "~", "0x1F", "1e3", "2024-05-17", "yes", "Off", "<<", "=", "...", "---"]
    for _ in range(80):
        words = [_yrng.choice(_WORDS) for _ in range(_yrng.randint(1, 25))]
        text = " ".join(words)
        mod("yaml.safe_dump", {"k": text})
        mod("yaml.safe_dump", [text, {"n": [text]}])
        mod("yaml.safe_dump", text)
    for s in ["a: 1\nb: [1, 2]\n", "- x\n- y: 2\n", "k: 1.5\nn: null\nt: true\ns: 'str'\n", "", "a: b: c", "1", "[1, 2",
              "k: 0x1f\nj: 1_000\n", "a: &x [1]\nb: *x\n"]:
        mod("yaml.safe_load", s)


# ------------------------------------------------------------------ chains: a call, then methods/attributes/operators
def resolve(dotted):
    parts = dotted.split(".")
    root = {"datetime": datetime, "re": re, "urllib": urllib, "json": json}[parts[0]]
    for p in parts[1:]:
        root = getattr(root, p)
    return root


def chain(dotted, args, *steps, kwargs=None):
    """steps: ("m", name, args...) method, ("a", name) attribute, ("o", op, arg) operator."""
    import operator
    ops = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv, "//": operator.floordiv,
           "<": operator.lt, "==": operator.eq}

    def run():
        v = resolve(dotted)(*args, **(kwargs or {}))
        for st in steps:
            if st[0] == "m":
                v = getattr(v, st[1])(*st[2:])
            elif st[0] == "a":
                v = getattr(v, st[1])
            else:
                v = ops[st[1]](v, run_arg(st[2]))
        return v

    def run_arg(a):
        if isinstance(a, tuple) and a and a[0] == "call":
            return resolve(a[1])(*a[2])
        return a

    res = outcome(run)
    if res is None:
        return

    def enc_step(st):
        if st[0] == "o" and isinstance(st[2], tuple) and st[2] and st[2][0] == "call":
            return [st[0], st[1], {"$call": [st[2][1], [enc(x) for x in st[2][2]]]}]
        return [st[0], st[1]] + [enc(x) for x in st[2:]]
    CASES.append({"kind": "chain", "name": dotted, "args": [enc(a) for a in args],
                  "kwargs": [[k, enc(v)] for k, v in (kwargs or {}).items()],
                  "steps": [enc_step(st) for st in steps], **res})


ISO = ["2024-05-17", "2024-05-17T10:20:30", "2024-05-17 10:20:30.123456", "2024-05-17T10:20:30Z", "2024-05-17T10:20:30+02:00",
       "2024-05-17T10:20", "20240517T102030", "2024-05-17T10:20:30.5-05:30", "2024-02-30", "not a date", "2024-05-17T24:00:00",
       "2024-05-17T10:20:30.123"]
for s in ISO:
    chain("datetime.datetime.fromisoformat", [s])
    chain("datetime.datetime.fromisoformat", [s], ("m", "isoformat"))
    chain("datetime.datetime.fromisoformat", [s], ("m", "strftime", "%Y-%m-%d %H:%M:%S %z %Z %a %A %b %B %j %p %I %y %w %f %%"))
    chain("datetime.date.fromisoformat", [s])
for fmt_ in ["%c", "%x", "%X", "%U %W %V %G %u", "%-d/%-m/%Y", "%e", "%D %T %F %R", "%Q"]:
    chain("datetime.datetime", [2024, 1, 7, 3, 4, 5], ("m", "strftime", fmt_))
for s, f in [("2024-05-17", "%Y-%m-%d"), ("17/05/24 10:20", "%d/%m/%y %H:%M"), ("May 17 2024", "%B %d %Y"),
             ("Fri, 17 May 2024 10:20:30 +0000", "%a, %d %b %Y %H:%M:%S %z"), ("2024-05-17T10:20:30.25Z", "%Y-%m-%dT%H:%M:%S.%f%z"),
             ("10:20 PM", "%I:%M %p"), ("2024-05-17 extra", "%Y-%m-%d"), ("2024-13-01", "%Y-%m-%d"), ("2024  05", "%Y %m"),
             ("day 032 of 2024", "day %j of %Y"), ("2024-05-17", "%Y-%m-%d %H"), ("12", "%q")]:
    chain("datetime.datetime.strptime", [s, f])
for kw in [{"days": 1}, {"hours": 25}, {"seconds": -1}, {"minutes": 1.5}, {"weeks": 2, "days": -1}, {"microseconds": 1},
           {"days": -1, "seconds": 5}, {"milliseconds": 1.0005}, {}, {"days": 1, "hours": 1, "microseconds": 500000},
           {"seconds": 0.0000005}, {"seconds": 0.0000015}, {"days": 1e10}]:
    chain("datetime.timedelta", [], kwargs=kw)
    chain("datetime.timedelta", [], ("m", "total_seconds"), kwargs=kw)
    chain("datetime.timedelta", [], ("m", "__str__"), kwargs=kw)
chain("datetime.timedelta", [1], ("o", "+", ("call", "datetime.timedelta", [0, 3600])))
chain("datetime.timedelta", [1], ("o", "*", 3))
chain("datetime.timedelta", [1], ("o", "/", 3))
chain("datetime.timedelta", [1], ("o", "/", ("call", "datetime.timedelta", [0, 3600])))
chain("datetime.timedelta", [1], ("o", "//", ("call", "datetime.timedelta", [0, 7000])))
chain("datetime.timedelta", [1], ("o", "*", 0.1))
chain("datetime.timedelta", [0, 90061, 5], ("a", "days"))
chain("datetime.timedelta", [0, 90061, 5], ("a", "seconds"))
chain("datetime.datetime", [2024, 1, 31, 12], ("o", "+", ("call", "datetime.timedelta", [1])))
chain("datetime.datetime", [2024, 1, 31, 12], ("o", "-", ("call", "datetime.datetime", [2023, 12, 25])))
chain("datetime.datetime", [2024, 1, 31, 12], ("o", "-", ("call", "datetime.timedelta", [0, 1])))
chain("datetime.datetime", [2024, 1, 31, 12], ("o", "<", ("call", "datetime.datetime", [2025, 1, 1])))
chain("datetime.datetime", [2024, 1, 31, 12], ("o", "==", ("call", "datetime.datetime", [2024, 1, 31, 12])))
chain("datetime.datetime", [2024, 2, 29, 23, 59, 59, 999999], ("m", "isoformat", " ", "milliseconds"))
chain("datetime.datetime", [2024, 2, 29], ("m", "replace", 2025))
chain("datetime.datetime", [2024, 2, 29], ("m", "weekday"))
chain("datetime.datetime", [2024, 2, 29], ("m", "isoweekday"))
chain("datetime.datetime", [2024, 2, 29], ("m", "date"))
chain("datetime.datetime", [2024, 2, 29], ("a", "year"))
chain("datetime.datetime", [2024, 2, 29, 1, 2, 3, 4], ("a", "microsecond"))
chain("datetime.datetime", [2024, 2, 29], ("m", "__str__"))
chain("datetime.datetime", [2024, 2, 30])
chain("datetime.datetime", [2024, 13, 1])
chain("datetime.datetime", [2024, 1, 1, 24])
chain("datetime.datetime", [2024, 5, 17, 10, 20, 30], kwargs={"tzinfo": datetime.timezone.utc})
chain("datetime.datetime", [2024, 5, 17, 10, 20, 30], ("m", "timestamp"), kwargs={"tzinfo": datetime.timezone.utc})
chain("datetime.datetime", [2024, 5, 17, 10, 20, 30], ("m", "__str__"), kwargs={"tzinfo": datetime.timezone.utc})
chain("datetime.datetime", [2024, 5, 17], ("o", "-", ("call", "datetime.datetime.fromisoformat", ["2024-05-17T00:00:00Z"])))
chain("datetime.datetime.fromisoformat", ["2024-05-17T10:00:00+02:00"], ("m", "astimezone", datetime.timezone.utc))
chain("datetime.datetime.fromisoformat", ["2024-05-17T10:00:00+02:00"], ("m", "utcoffset"))
chain("datetime.datetime.fromisoformat", ["2024-05-17T10:00:00+02:00"], ("a", "tzinfo"))
chain("datetime.datetime.fromtimestamp", [0, datetime.timezone.utc])
chain("datetime.datetime.fromtimestamp", [1715941230.5, datetime.timezone.utc])
chain("datetime.date", [2024, 5, 17], ("o", "+", ("call", "datetime.timedelta", [3])))
chain("datetime.date", [2024, 5, 17], ("o", "-", ("call", "datetime.date", [2024, 1, 1])))
chain("datetime.date", [2024, 5, 17], ("m", "isoformat"))
chain("datetime.date", [2024, 5, 17], ("m", "strftime", "%d %B %Y"))
chain("datetime.time", [10, 30])
chain("datetime.time", [10, 30, 5, 250])
chain("datetime.time", [10, 30], ("m", "isoformat"))
chain("datetime.time", [10, 30, 5, 250], ("m", "__str__"))
chain("datetime.time", [23, 5], ("m", "strftime", "%I:%M %p %Y"))
chain("datetime.time", [24])
chain("datetime.time", [1, 2], ("o", "<", ("call", "datetime.time", [1, 3])))
chain("datetime.time.fromisoformat", ["10:20:30.5"])
chain("datetime.time.fromisoformat", ["10:20+01:00"])
chain("datetime.datetime", [2024, 5, 17, 10, 20, 30, 7], ("m", "time"))
chain("datetime.datetime", [2024, 5, 17, 10, 20], ("m", "time"), ("a", "minute"))
chain("datetime.timezone", [datetime.timedelta(hours=5, minutes=30)])
chain("datetime.timezone", [datetime.timedelta(hours=-3)], ("m", "__str__"))
chain("re.search", [r"(?P<y>\d{4})-(?P<m>\d\d)?", "on 2024- x"], ("m", "groupdict"))
chain("re.search", [r"(?P<y>\d{4})-(?P<m>\d\d)", "on 2024-05 x"], ("m", "group", "y", 2))
chain("re.search", [r"(\d)(x)?", "a1"], ("m", "groups"))
chain("re.search", [r"(\d)(x)?", "a1"], ("m", "groups", "-"))
chain("re.search", [r"(\d)(x)?", "a1"], ("m", "span", 1))
chain("re.search", [r"(\d)(x)?", "a1"], ("m", "start", 2))
chain("re.search", [r"(\d)(x)?", "a1"], ("m", "group", 3))
chain("re.search", [r"(\d)(x)?", "a1"], ("m", "__getitem__", 1))
chain("re.search", [r"(\d)(x)?", "é1"], ("m", "end"))
chain("re.search", [r"(?P<a>\d)(?P<b>x)?", "é1"], ("a", "lastgroup"))
chain("re.search", [r"(\w+) (\w+)", "hello big world"], ("m", "expand", r"\2-\1"))
chain("re.compile", [r"\d+"], ("m", "findall", "a12b3"))
chain("re.compile", [r"\d+", re.I])
chain("re.finditer", [r"\d+", "a12b3"])
chain("urllib.parse.urlparse", ["https://user:pw@Example.com:8080/a?b#c"], ("a", "hostname"))
chain("urllib.parse.urlparse", ["https://user:pw@Example.com:8080/a?b#c"], ("a", "port"))
chain("urllib.parse.urlparse", ["https://user:pw@Example.com:8080/a?b#c"], ("a", "username"))
chain("urllib.parse.urlparse", ["https://user:pw@Example.com:8080/a?b#c"], ("a", "password"))
chain("urllib.parse.urlparse", ["https://x.com:99999/"], ("a", "port"))
chain("urllib.parse.urlparse", ["https://user:pw@Example.com:8080/a;p?b#c"], ("m", "geturl"))
chain("urllib.parse.urlsplit", ["HTTP://x.com/a?b"], ("m", "geturl"))
chain("urllib.parse.urlparse", ["https://x.com/a"], ("m", "__getitem__", 1))


def corpus_cases():
    """CASES in the cpycorpus format."""
    out = []
    for c in CASES:
        kind = c["kind"]
        if kind == "method":
            inputs = [c["recv"], c["name"], c["args"], c["kwargs"]]
        elif kind == "chain":
            inputs = [c["name"], c["args"], c["kwargs"], c["steps"]]
        else:
            inputs = [c["name"], c["args"], c["kwargs"]]
        if "error" in c:
            out.append(cpycorpus.case(kind, inputs, error=c["error"], bases=c["error_bases"]))
        else:
            out.append(cpycorpus.case(kind, inputs, repr=c["repr"]))
        if "after" in c:
            out.append(cpycorpus.case("method_after", inputs, repr=c["after"]))
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, os.path.join(here, "..", "..", "cpycorpus"))
    import cpycorpus  # the corpus format the Go tests read
    globals()["cpycorpus"] = cpycorpus
    path = os.path.join(here, "cases.jsonl")
    cpycorpus.write(path, "pylib: library calls", "engine/internal/pylib/testdata/gen_cases.py", corpus_cases(),
                    python=sys.version.split()[0])
    print(f"{len(CASES)} cases -> {path}")


if __name__ == "__main__":
    main()
