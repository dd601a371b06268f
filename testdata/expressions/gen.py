#!/usr/bin/env python3
"""Generates cases.jsonl: the CPython differential corpus for the expression engine
(engine/internal/cpycorpus format, group "expr").

Every case is a Python expression, the name of a variable environment, and what
real CPython gives for it: the repr() of the value, or the name of the exception
class. The Go harness (engine/difftest) evaluates each expression with our engine
and compares py.Repr of the result (or the error kind).

Julep semantics that differ from plain Python are applied here the same way:
mappings that come from variables allow attribute access for keys (JULEP.md,
"Our semantics" rule 1), modelled with a dict subclass whose __getattr__ only
runs when no real attribute of that name exists, so `d.items` stays the method.

Cases where the engine knowingly differs (documented in docs/expressions.md, or
not fixed yet) are listed with a reason in known_differences.jsonl beside this
file; the harness fails when one of them starts to agree, so the list stays true.

Run:  python3.12 testdata/expressions/gen.py   (writes cases.jsonl beside itself)
(with pyenv: PYENV_VERSION=3.12.1 python3.12 ...). yaml is PyYAML; when this
CPython has none, the pure-Python part of the system's PyYAML is used.
Needs CPython 3.12, the version whose semantics we follow (PEP 701 f-string
quote nesting, sum() of floats with compensation). Deterministic; standard
library only. The expressions avoid what differs between runs: set display
order of strings (hash randomisation), object addresses, time and randomness.
"""
import datetime
import functools
import json
import math
import os
import re
import string
import sys
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "engine", "internal", "cpycorpus"))
import cpycorpus  # noqa: E402  the corpus format the Go tests read

try:
    import yaml  # PyYAML: what yaml.safe_load/load/dump mean in CPython
except ImportError:  # no PyYAML for this CPython: the pure-Python part of the system's PyYAML (Debian python3-yaml)
    sys.path.append("/usr/lib/python3/dist-packages")
    import yaml


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


DOCS = [
    {"title": f"Doc {i}", "score": round((i * 37 % 100) / 100, 2), "content": f"Paragraph {i} about topic {i % 7}.",
     "tags": ["ai", "ml"] if i % 2 else ["news"], "snippets": [{"content": f"snippet {i}.{j}"} for j in range(2)]}
    for i in range(12)
]

ENVS = {
    "empty": {},
    "basic": {
        "a": 7, "b": -3, "c": 2.5, "d": 0, "z": 0.0, "big": 2**70, "s": "Hello, World", "e": "",
        "u": "héllo wörld ✓ 🎉", "n": None, "t": True, "f": False,
        "xs": [3, 1, 4, 1, 5, 9, 2, 6], "ys": [], "ws": ["pear", "Apple", "fig", "banana"],
        "m": {"x": 1, "y": [1, 2], "z": {"k": "v"}}, "fl": [0.1, 0.2, 0.7, 1e-7, 123456.789],
    },
    "workflow": {
        "_": {"docs": DOCS, "result": [{"snippet": f"s{i}", "title": f"t{i}", "url": f"https://example.com/{i}"} for i in range(5)],
              "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello! How can I help?"}],
              "mode": "fast", "force": False, "text": "  first line\nsecond line  ", "count": 3,
              "choices": [{"message": {"content": " The answer is 42. ", "role": "assistant"}, "finish_reason": "stop"}],
              "usage": {"prompt_tokens": 12, "completion_tokens": 30, "total_tokens": 42},
              "json_text": '{"subject": "Re: Hi", "body": "Thanks!", "tags": ["a", "b"], "n": 1.5}',
              "csv": "name,age\nann,31\nbob,27", "email": {"from": "ann@example.com", "subject": "Hi", "body": "Hello there"}},
        "steps": [
            {"input": {"topic": "space", "locations": ["Paris", "Tokyo", "Lima"], "user": {"name": "Ann", "age": 31}},
             "output": [{"result": "sunny", "temp": 21.5}, {"result": "rain", "temp": 14.0}, {"result": "fog", "temp": 9.25}]},
            {"input": {"chunks": ["c1", "c2", "c3"]}, "output": ["Louvre", "Shibuya", "Miraflores"]},
        ],
        "inputs": [{"topic": "space", "limit": 3}],
        "outputs": [{"urls": ["https://a.example/x?q=1", "https://b.example/y"]}],
        "state": {"counter": 2, "seen": ["a", "b"]},
        "secrets": {"api_token": "tok_live_123456", "db_host": "db.internal", "db_username": "svc", "db_password": "p@ss w0rd!"},
        "agent": {"name": "Ava", "about": "a helpful assistant", "model": "gpt-4o"},
        "input": "search query",
    },
    "shadow": {"len": 5, "max": [1, 2], "json": "text", "str": "s", "re": {"k": 1}, "int": 0, "sum": 10, "math": None},
}

# Functions of Julep's allow-list that CPython has under another name, or not at all.
def _reduce(fn, seq, *init):
    return functools.reduce(fn, seq, *init)


# __import__ only: datetime's timetuple() imports the time module through it. Expressions
# cannot reach it (names starting with '_' are refused by both sides).
GLOBALS = {"__builtins__": {"__import__": __import__}}
for name in ["abs", "all", "any", "bool", "dict", "enumerate", "float", "int", "len", "list", "map", "max", "min",
             "round", "set", "str", "sum", "tuple", "zip", "range", "sorted", "reversed", "filter", "repr", "chr",
             "ord", "divmod", "pow", "hex", "oct", "bin", "format", "complex"]:
    GLOBALS[name] = __builtins__.__dict__[name] if hasattr(__builtins__, "__dict__") else getattr(__builtins__, name)
GLOBALS["reduce"] = _reduce
GLOBALS["isinstance"] = isinstance


def _extract_json(string):
    """Julep's extract_json (agents_api/activities/utils.py, safe_extract_json)."""
    if "```json" in string:
        extracted = string[string.find("```json") + 7:string.find("```", string.find("```json") + 7)]
    else:
        extracted = string
    return json.loads(extracted)


GLOBALS["extract_json"] = _extract_json
GLOBALS["datetime"] = datetime
GLOBALS["time"] = time
GLOBALS["urllib"] = urllib
GLOBALS["yaml"] = yaml
GLOBALS["re"] = re
GLOBALS["json"] = json
GLOBALS["math"] = math
GLOBALS["string"] = string
GLOBALS["NEWLINE"] = "\n"
GLOBALS["true"] = True
GLOBALS["false"] = False
GLOBALS["null"] = None

CASES = []


def add(env, *exprs):
    for e in exprs:
        CASES.append((e, env))


# ---------------------------------------------------------------- literals
add("empty",
    "0", "-0", "7", "0x1F", "0o17", "0b1011", "1_000_000", "123456789012345678901234567890", "-2**63", "2**63 - 1", "2**64",
    "1.0", "1.", ".5", "1e10", "1e16", "1e15", "1.5e-7", "1e-5", "0.0001", "1e300*1e10", "-1e300*1e10", "1_000.5", "3.14159",
    "0.1 + 0.2", "1/3", "2/3", "10/4", "1e22", "123456789.123456789", "float('nan')", "-0.0", "5e-324", "1.7976931348623157e308",
    "'abc'", '"abc"', "'it\\'s'", '"say \\"hi\\""', "'a\\nb'", "'tab\\there'", "'\\x41\\u00e9\\U0001F600'", "'\\101'",
    "'back\\\\slash'", "r'raw\\n'", "'a' 'b' 'c'", "'''triple\nline'''", "'\\N{BULLET}'", "'\\d'", "'é'", "'🎉'",
    "'\\x00\\x1f\\x7f'", "'\\u200b'", "'\"'", "'\\''", "'\\'\"'", "''", "' '", "'日本語'",
    "True", "False", "None", "[]", "()", "{}", "[1, 2, 3]", "(1,)", "(1, 2)", "1, 2", "{'a': 1, 'b': [1, 2]}",
    "{1: 'x', 2.5: 'y', None: 'z', (1, 2): 'w'}", "{'b': 1, 'a': 2}", "[[], [[]], [[], []]]", "{'k': {'k': {'k': None}}}",
    "[1, 'a', 2.0, None, True]", "((1, 2), (3,))", "{1: 1, True: 2, 1.0: 3}", "[1,2,3,]", "{'a': 1,}",
    "true", "false", "null", "NEWLINE",
)

# ---------------------------------------------------------------- arithmetic over a grid
NUMS = ["7", "-7", "3", "-3", "0", "2.5", "-2.5", "0.0", "True", "2**65", "-(2**65)", "1e308"]
OPS = ["+", "-", "*", "/", "//", "%", "**"]
for a in NUMS:
    for b in NUMS:
        for op in OPS:
            if op == "**" and (b in ("2**65", "-(2**65)", "1e308") or a in ("2**65", "-(2**65)")):
                continue  # huge powers are a LimitError with us (documented), not a difference to record
            CASES.append((f"({a}) {op} ({b})", "empty"))

add("basic",
    "a + b * c", "(a + b) * c", "a // b", "a % b", "-a // b", "-a % b", "a ** 2", "a ** -1", "2 ** 10", "(-2) ** 3",
    "-2 ** 2", "2 ** -2", "2 ** 0.5", "big + 1", "big * big", "big // 3", "big % 7", "-big", "big - big", "big / 2**10",
    "big > 1e20", "big == 2**70", "a / d", "a // d", "a % d", "c / z", "c // z", "0 ** -1", "a << 3", "a >> 1",
    "big >> 60", "1 << 70", "a & 3", "a | 8", "a ^ 5", "~a", "~big", "-(-a)", "+c", "abs(b)", "abs(-c)", "abs(-big)",
    "True + True", "True * 3", "False - 1", "3 * 'ab'", "'ab' * 0", "'ab' * -2", "[1] * 3", "[0, 1] * 2", "(1,) * 3",
    "xs + [7]", "ws + ws[:1]", "(1, 2) + (3,)", "'a' + 'b'", "7 // 2.0", "-7 // 2.0", "7.5 % 2", "-7.5 % 2", "7.5 % -2",
    "divmod(7, 2)", "divmod(-7, 2)", "divmod(7.5, 2)", "pow(2, 10)", "pow(2, 10, 1000)", "pow(3, -1, 7)", "round(2.5)",
    "round(3.5)", "round(-2.5)", "round(2.675, 2)", "round(1234.5678, -2)", "round(1234, -2)", "round(0.5)", "round(1.5)",
    "round(7)", "round(2.5, 0)", "round(1e300, 2)", "round(big, -10)", "int(3.9)", "int(-3.9)", "int('42')", "int(' -17 ')",
    "int('1_000')", "int('ff', 16)", "int('0x1f', 16)", "int('0b101', 0)", "int('z', 36)", "int(True)", "float('1e5')",
    "float(' 2.5 ')", "float('-inf')", "float(7)", "float(big)", "str(big)", "str(1e16)", "str(-0.0)", "str(0.1)",
    "hex(255)", "hex(-255)", "oct(8)", "bin(5)", "bin(-5)", "chr(65)", "chr(128512)", "ord('A')", "ord('é')",
    "1 == 1.0", "True == 1", "False == 0", "1 is 1", "None is None", "n is None", "n is not None", "t is True",
    "0.1 + 0.2 == 0.3", "2**53 + 1 == float(2**53 + 1)", "big == float(big)", "float('nan') == float('nan')",
)

# ---------------------------------------------------------------- comparisons and boolean logic
VALS = ["0", "1", "2.0", "'a'", "'b'", "''", "[]", "[0]", "None", "True", "(1, 2)", "[1, 2]"]
for a in VALS:
    for b in VALS:
        CASES.append((f"{a} == {b}", "empty"))
        CASES.append((f"{a} or {b}", "empty"))
        CASES.append((f"{a} and {b}", "empty"))
for a in ["1", "2.5", "'a'", "'ab'", "[1, 2]", "(1, 2)", "None", "[1, 'a']"]:
    for b in ["1", "2", "'b'", "[1, 3]", "(1,)", "None", "[1, 2, 0]"]:
        CASES.append((f"{a} < {b}", "empty"))
add("basic",
    "1 < 2 < 3", "1 < 3 < 2", "3 > 2 > 1 > 0", "1 < 2 == 2", "a > b != c", "0 <= d < 1", "'a' < 'b' < 'c'",
    "1 < 'a'", "None < 1", "[1, 2] < [1, 2, 3]", "(1, 2) <= (1, 2)", "'abc' < 'abd'", "'Z' < 'a'", "'é' > 'z'",
    "not a", "not d", "not e", "not ys", "not n", "not not s", "a and b", "d and b", "d or b", "e or 'default'",
    "n or ys or 0", "s and xs and 'last'", "a if a > b else b", "'pos' if b > 0 else 'neg' if b < 0 else 'zero'",
    "1 in xs", "7 in xs", "'World' in s", "'world' in s", "'' in s", "'x' in m", "'k' in m", "1 not in xs",
    "'a' in ['a', 'b']", "(1, 2) in [(1, 2)]", "2 in {1: 'a', 2: 'b'}", "None in [None]", "3 in (1, 2, 3)",
    "'héllo' in u", "'🎉' in u", "5 in 'abc'", "1 in 5", "[] == []", "[] is []", "xs == xs[:]", "m == {'x': 1, 'y': [1, 2], 'z': {'k': 'v'}}",
    "(a > 0) + (b > 0)", "t + t", "t == 1", "f is False", "isTrue := 1",
)
# the last one is a walrus outside parentheses: a SyntaxError in CPython too

# ---------------------------------------------------------------- indexing and slicing
SEQS = ["xs", "s", "u", "(1, 2, 3, 4, 5)", "ws", "e", "ys"]
IDX = ["0", "1", "-1", "-2", "3", "100", "-100"]
for q in SEQS:
    for i in IDX:
        CASES.append((f"{q}[{i}]", "basic"))
BOUNDS = ["", "0", "1", "-1", "2", "-3", "10", "-10"]
STEPS = ["", "1", "2", "-1", "-2", "3"]
for q in ["xs", "s", "u"]:
    for lo in BOUNDS[:6]:
        for hi in BOUNDS[:6]:
            for st in STEPS:
                if st:
                    CASES.append((f"{q}[{lo}:{hi}:{st}]", "basic"))
                else:
                    CASES.append((f"{q}[{lo}:{hi}]", "basic"))
add("basic", "xs[::0]", "xs['a']", "s[1.5]", "m['x']", "m['nope']", "m['y'][1]", "m['z']['k']", "m.x", "m.z.k", "m.nope",
    "m.get('x')", "m.get('nope')", "m.get('nope', 5)", "m.keys", "list(m.keys())", "list(m.values())", "list(m.items())",
    "m['y'][-1]", "xs[True]", "n[0]", "a[0]", "{'a': 1}['a']", "[1, 2][-1]", "(1, 2, 3)[::-1]", "'abc'[::-1]",
    "u[::-1]", "u[6:11]", "len(u)", "len(s)", "len(xs)", "len(m)", "len(e)", "len(a)", "len('🎉🎉')")

# ---------------------------------------------------------------- string methods
STRS = ["'Hello, World'", "'  padded  '", "'a,b,,c'", "'MiXeD cAsE wOrDs'", "'line1\\nline2\\r\\nline3\\n'", "''",
        "'héllo wörld'", "'snake_case_name'", "'123'", "'12.5'", "'  '", "'ß'", "'tab\\tsep'", "'🎉 party'"]
METHODS = ["upper()", "lower()", "title()", "capitalize()", "swapcase()", "casefold()", "strip()", "lstrip()", "rstrip()",
           "strip('H,d')", "split()", "split(',')", "split(',', 1)", "rsplit(',', 1)", "splitlines()", "splitlines(True)",
           "isdigit()", "isalpha()", "isalnum()", "isspace()", "islower()", "isupper()", "istitle()", "isnumeric()",
           "isdecimal()", "isidentifier()", "isascii()", "isprintable()", "startswith('He')", "endswith(('d', 'n'))",
           "find('l')", "rfind('l')", "find('zz')", "count('l')", "replace('l', 'L')", "replace('l', '', 1)",
           "center(20, '*')", "ljust(15, '.')", "rjust(15)", "zfill(8)", "partition(',')", "rpartition(' ')",
           "removeprefix('He')", "removesuffix('ld')", "expandtabs(4)", "join(['x', 'y'])", "index('l')", "split(' ')",
           "encode('utf-8') if False else 'skip'", "[::2]", "title().split()"]
for s in STRS:
    for meth in METHODS:
        CASES.append((f"{s}.{meth}" if not meth.startswith("[") else f"{s}{meth}", "empty"))
add("basic", "s.index('zz')", "'-'.join(ws)", "', '.join(str(x) for x in xs)", "''.join(reversed(s))", "s.split(', ')[1].lower()",
    "' '.join(w.capitalize() for w in 'the quick brown fox'.split())", "'x'.join([])", "'-'.join([1, 2])",
    "s.startswith(('a', 'H'))", "'a b  c'.split(' ')", "'a b  c'.split()", "'  a  b  '.split(None, 1)",
    "'a1b2c3'.translate({ord('1'): None}) if False else 'a1b2c3'.replace('1', '')", "'%s' if True else 0",
    "'{} and {}'.format('a', 'b')", "'{0}{1}{0}'.format('x', 'y')", "'{name}!'.format(name='Ann')", "'{:>6.2f}'.format(c)",
    "'{:,}'.format(1234567)", "'{!r}'.format('q')", "'{0[1]}'.format(xs)", "'{m[x]}'.format(m=m)", "'{}'.format(None)")

# ---------------------------------------------------------------- f-strings and format specs
FVALS = ["0", "7", "-7", "1234567", "2**70", "3.14159", "-0.5", "1e-7", "1e20", "2.5", "0.125", "True", "None", "'text'", "''",
         "float('inf')", "float('nan')", "[1, 'a']", " {'k': 1} ", "(1,)"]
SPECS = ["", ">8", "<8", "^8", "*^9", "08", "+", " ", ",", "_", ".2f", ".0f", "10.3f", "e", ".3e", "E", "g", ".3g", "G",
         "%", ".1%", "x", "#x", "X", "#o", "b", "#b", "d", "n", "s", "c", ",.2f", "+.1f", "=+10", "0=8", "#.0f", ".10g", "z.1f"]
for v in FVALS:
    for spec in SPECS:
        q = '"' if "'" in v else "'"
        CASES.append((f"f{q}{{{v}:{spec}}}{q}", "empty"))
add("workflow",
    "f'Bearer {secrets.api_token}'", "f'{agent.name} is {agent.about}'", "f'{_.count} items'", "f'{_.count!r}'",
    "f'{agent.name!r}'", "f'{agent.name!s}'", "f'{agent.name!a}'", "f'{\"é\"!a}'", "f'{_.count=}'", "f'{ _.count = }'",
    "f'{_.count + 1:>5}|'", "f'{3.14159:.{_.count}f}'", "f'{{literal}}'", "f'{{{_.count}}}'", "f'{_[\"mode\"]}'",
    "f\"{_['mode']}\"", "f'''multi\nline {_.mode}'''", "f'{\"nested \" + f\"{_.count}\"}'", "f'{[x*2 for x in range(3)]}'",
    "f'{ {\"a\": 1} }'", "f'{_.usage}'", "f'{steps[0].output}'", "f'{None}'", "f'{True}'", "f'{1e16}'", "f'{0.1+0.2}'",
    "f'{steps[0].input.user.name:*<10}'", "f'https://api.example.com/v1?api_key={secrets.api_token}&query={input}'",
    "f'User: {secrets.db_username}, Password: {secrets.db_password}'", "f'{len(_.docs)} docs, best {max(d[\"score\"] for d in _.docs)}'",
    "f'{_.count:05d}'", "f'{_.count:x}'", "f'{-_.count:+d}'", "f'{\"abc\":^9}'", "f'{12345.6789:,.2f}'", "f'{0.256:.1%}'",
    "f'{_.count:{\"^\"}{10}}'", "f'{_.mode!r:>10}'", "f'{\"x\":d}'", "f'{_.count:s}'", "f'{_.nope}'",
)
# PEP 701 (3.12): the same quote nested inside replacement fields, backslashes in expressions.
add("workflow",
    """f'{_['mode']}'""", '''f"{_["email"]["from"]}"''', """f'{f'{_.count}'}'""", """f'{'\\n'.join(['a', 'b'])}'""",
    """f'''{_['email']['from']} wrote: {'''quoted'''}'''""", """f'{steps[0]['input']['topic']!r:>12}'""",
    """f'{', '.join(d['title'] for d in _['docs'][:3])}'""", """f"{'\\t'.join(["x", "y"])}" """,
)

# ---------------------------------------------------------------- comprehensions, lambdas, builtins on workflow data
add("workflow",
    "_['result'][0]['url']", "steps[0].input.topic", "steps[0].input['locations'][-1]", "steps[1].output", "inputs[0].topic",
    "outputs[0]['urls'][1]", "state.counter + 1", "_.choices[0].message.content.strip()", "_['choices'][0]['finish_reason']",
    "[{'snippet': r['snippet'], 'title': r['title']} for r in _['result']]", "[d['title'] for d in _.docs if d['score'] > 0.5]",
    "' '.join(list(page['content'] for page in _['docs'][:3]))", "_.result[0] if len(_.result) > 0 else {}",
    "len(_.messages) > 0 and _.mode == 'fast' or _.force", "list(zip(steps[0].input.locations, [o['result'] for o in steps[0].output], steps[1].output))",
    "_.get('text', '').strip().split('\\n')[0].upper()", "{'total': sum(d['score'] for d in _.docs), 'n': len(_.docs), 'best': max(d['score'] for d in _.docs)}",
    "[snippet.content for doc in _.docs[:3] for snippet in doc.snippets]", "'\\n'.join([s.content for d in _.docs[:2] for s in d.snippets])",
    "[(i, d.title) for i, d in enumerate(_.docs[:3])]", "[(i, d.title) for i, d in enumerate(_.docs[:3], start=1)]",
    "{d.title: d.score for d in _.docs[:4]}", "{d['title']: len(d['tags']) for d in _.docs if 'ai' in d['tags']}",
    "sorted({t for d in _.docs for t in d.tags})", "sorted(_.docs, key=lambda d: d['score'], reverse=True)[0]['title']",
    "[d.title for d in sorted(_.docs, key=lambda d: (-d.score, d.title))][:3]", "max(_.docs, key=lambda d: d.score)['title']",
    "min(_.docs, key=lambda d: d.score).title", "list(map(lambda d: d.title.upper(), _.docs[:2]))",
    "list(filter(lambda d: d.score > 0.8, _.docs))", "reduce(lambda acc, d: acc + d.score, _.docs, 0)",
    "reduce(lambda a, b: a + b, [1, 2, 3])", "sum(len(d.snippets) for d in _.docs)", "any(d.score > 0.9 for d in _.docs)",
    "all(d.score > 0.0 for d in _.docs)", "[x for x in range(20) if x % 3 == 0 if x % 2 == 0]",
    "[x * y for x in range(1, 4) for y in range(x)]", "[[y for y in range(x)] for x in range(4)]",
    "[c for c in 'héllo' if c not in 'aeiou']", "{k: v for k, v in _.usage.items() if v > 20}",
    "[k for k in _.usage]", "sorted(_.usage, key=lambda k: _.usage[k])", "sorted(_.usage.items(), key=lambda kv: -kv[1])",
    "dict(zip(['a', 'b'], [1, 2]))", "dict(a=1, b=2)", "dict([('x', 1)], y=2)", "list(enumerate('ab'))",
    "list(zip('abc', range(10)))", "list(range(5))", "list(range(10, 0, -3))", "list(range(0))", "tuple(range(3))",
    "list(reversed(steps[1].output))", "sorted(steps[1].output)", "sorted(steps[1].output, key=len)",
    "sorted([3, 1, 2], reverse=True)", "sorted(['b', 'A', 'c'], key=str.lower)", "sorted([1, 'a'])",
    "sum([0.1] * 10)", "sum([0.1, 1, 0.2, 2, 0.3])", "sum([1, 0.1, 0.2])", "sum([1e100, 1.0, -1e100, 1.0])", "sum([0.1, 2**70, 0.2])",
    "sum([0.5, True, 0.25])", "sum([float('inf'), 1.0, 0.1])", "sum(x / 10 for x in range(20))", "sum([], 0.5)", "sum([0.1] * 3, 0.7)", "sum([1, 2, 3], 10)", "sum([[1], [2]], [])", "max([1, 5, 3])", "max(1, 5, 3)", "min('hello')",
    "max([], default=None)", "max([])", "min([2.5, 1, 3])", "len({'a': 1, 'b': 2})", "bool([])", "bool('0')",
    "list('abc')", "list({'a': 1, 'b': 2})", "tuple([1, 2])", "str([1, 'a', None])", "str({'a': (1,)})", "repr('it\\'s')",
    "repr(\"quote\\\"s\")", "repr('both \\' and \"')", "str(_.usage)", "[i ** 2 for i in range(-3, 4)]",
    "[(a, b) for a, b in [(1, 2), (3, 4)]]", "[a + b + c for a, (b, c) in [(1, (2, 3)), (4, (5, 6))]]",
    "json.loads(_.json_text)['subject']", "json.loads(_.json_text)", "json.dumps({'a': [1, 2.5, None, True], 'é': 'ü'})",
    "json.dumps({'b': 1, 'a': 2}, sort_keys=True)", "json.dumps([1, 2], indent=2)", "json.dumps('tab\\t')",
    "json.dumps({'a': 1}, separators=(',', ':'))", "json.dumps('é', ensure_ascii=False)", "json.loads('[1, 2.0, \"x\"]')",
    "json.loads('{\"a\": {\"b\": null}}')", "json.loads('bad json')", "[row.split(',') for row in _.csv.split('\\n')[1:]]",
    "re.findall(r'\\d+', 'a1b22c333')", "re.sub(r'\\s+', ' ', '  a   b  ')", "re.split(r'[,;]\\s*', 'a, b;c')",
    "re.search(r'(\\w+)@(\\w+)', _.email['from']).group(2)", "re.match(r'\\d+', 'abc')", "bool(re.fullmatch(r'[a-z]+', 'abc'))",
    "re.escape('a.b*c')", "re.findall(r'(\\w)(\\d)', 'a1b2')", "re.sub(r'(\\w+)', r'<\\1>', 'hi there')",
    "math.sqrt(16)", "math.floor(-2.5)", "math.ceil(2.1)", "math.pi", "math.isclose(0.1 + 0.2, 0.3)" if False else "math.fabs(-3)",
    "math.log(math.e)", "math.log10(1000)", "math.gcd(12, 18)", "math.factorial(20)", "math.inf", "math.isnan(float('nan'))",
    "string.ascii_lowercase", "string.digits", "len(string.punctuation)",
    "steps[0].output[0].temp + steps[0].output[1].temp", "round(sum(o.temp for o in steps[0].output) / 3, 2)",
    "[o['result'].title() for o in steps[0].output if o['temp'] > 10]", "_.email.subject.upper() + ': ' + _.email.body",
    "f\"{_.email['from'].split('@')[1]}\"", "_.messages[-1]['content'].split('!')[0]", "[m.role for m in _.messages]",
    "{m.role: len(m.content) for m in _.messages}", "_.usage.total_tokens == _.usage.prompt_tokens + _.usage.completion_tokens",
    "_['nope']", "_.nope", "steps[5]", "undefined_name", "len(5)", "1 + 'a'", "'a' + 1", "[1] + (2,)", "{}['x']",
    "int('abc')", "float('x')", "{[1]: 2}", "{'a': 1}.get", "xs.pop()" if False else "None.x", "[].index(1)",
    "steps[1].output[0].nope()", "(1, 2).count(1)", "[1, 2, 2].count(2)", "[1, 2, 3].index(3)", "{'a': 1}.copy()", "list({}.items())",
    "{'a': 1} | {'b': 2}", "sorted({3, 1, 2})", "sorted({1, 2} | {2, 3})", "sorted({1, 2} & {2, 3})", "sorted({1, 2} - {2})",
    "len({1, 1, 2})", "set()", "{1} == {1}", "frozen := 3",
    "dict.fromkeys(['a', 'b'])", "dict.fromkeys({'a': 1}, [1, 2])", "{}.fromkeys('ab', 0)", "dict.fromkeys()",
    "(dict.fromkeys)('xy')", "dict.get({'a': 1}, 'a')", "dict.get([1], 'a')", "str.upper('abc')", "str.upper(1)",
    "list(map(str.strip, [' a ', 'b ']))", "sorted(['b', 'A'], key=str.lower)",
    # nested aggregates over comprehensions (the engine reuses buffers for fused loops)
    "sum(sum(y for y in x) for x in [[1, 2], [3, 4, 5], [6]])", "max(sum(y for y in x) for x in [[1, 2], [3], []])",
    "' '.join(str(max(y for y in x)) for x in [[1, 2], [3, 4, 5], [6]])", "min(max(d['score'] for d in _.docs[i:i + 3]) for i in range(0, 12, 3))",
    "'-'.join(d['title'] + ','.join(t for t in d['tags']) for d in _.docs[:3])", "[sum(s['content'].count('.') for s in d['snippets']) for d in _.docs[:3]]",
    "sum([max([len(t) for t in d['tags']]) for d in _.docs])", "list(map(lambda d: sum(len(s['content']) for s in d['snippets']), _.docs[:3]))",
)

# ---------------------------------------------------------------- unicode and emoji
add("basic", "u.upper()", "u.title()", "u.split()", "len('👨‍👩‍👧')", "'👨‍👩‍👧'[0]", "'ﬁ'.upper()", "'İ'.lower()", "'ǅ'.lower()",
    "'straße'.upper()", "'ΣΑΣ'.lower()", "'abc'.center(7, '✓')", "'日本'.ljust(5, '・')", "'e\\u0301' == 'é'", "len('e\\u0301')",
    "sorted(['b', 'á', 'a', 'Z'])", "[ord(c) for c in '🎉a']", "repr('\\u00a0')", "repr('\\t\\n\\r')", "repr('\\x85')",
    "repr('\\ud800' if False else 'ok')", "str('🎉')", "'🎉' * 3", "u[-1]", "u.find('ö')", "u.encode if False else u.count('l')",
    "'ＡＢＣ'.lower()", "'١٢٣'.isdigit()", "int('١٢٣')", "'½'.isnumeric()", "'½'.isdigit()", "'²'.isdigit()", "'²'.isdecimal()")


# ---------------------------------------------------------------- issue 17: differences found by outside test material
# str.rsplit with a separator of several characters, from the right
add("empty",
    "'abbbc'.rsplit('bb')", "'aaa'.rsplit('aa')", "'aaaa'.rsplit('aa')", "'aaaaa'.rsplit('aa')", "'a--b--c'.rsplit('--')",
    "'xaaay'.rsplit('aa', 1)", "'abcabc'.rsplit('bc', 0)", "'aaa'.rsplit('aa', -1)", "'a, b, c'.rsplit(', ')",
    "'x'.rsplit('')", "'  a b  '.rsplit()", "'  a b  c '.rsplit(None, 1)", "'abab'.rsplit('ab')", "'ababa'.rsplit('aba')",
    "'ababa'.split('aba')", "'a🎉🎉🎉b'.rsplit('🎉🎉')", "'aaa'.rsplit(sep='aa', maxsplit=1)", "'abbbc'.split('bb')",
)
# math: signed zeros, infinities and NaN
SPECIAL = ["0.0", "-0.0", "1.0", "-1.0", "2.0", "math.inf", "-math.inf", "math.nan"]
for fn in ["sqrt", "exp", "log", "log2", "log10", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh",
           "ceil", "floor", "trunc", "fabs", "degrees", "radians", "isfinite", "isinf", "isnan"]:
    for v in SPECIAL:
        CASES.append((f"math.{fn}({v})", "empty"))
for fn in ["atan2", "copysign", "hypot", "pow"]:
    for x in SPECIAL:
        for y in SPECIAL:
            CASES.append((f"math.{fn}({x}, {y})", "empty"))
add("empty",
    "math.atan2(-0., 0.)", "math.atan2(0.0, -0.0)", "math.atan2(-0.0, -0.0)", "math.atan2(-1, -math.inf)",
    "math.isclose(math.inf, math.inf)", "math.isclose(math.nan, math.nan)", "math.isclose(-0.0, 0.0)",
    "math.fsum([math.inf, -math.inf])", "math.fsum([math.nan, 1.0])", "math.fsum([-0.0, -0.0])", "math.fsum([])",
    "math.prod([])", "math.prod([-0.0, 1])", "math.hypot()", "math.hypot(-0.0)", "math.hypot(math.inf, math.nan)",
    "math.log(-0.0)", "math.log(1, 1)", "math.log(math.inf, math.inf)", "math.exp(1000)", "math.exp(-1000)",
    "math.pow(0.0, -1)", "math.pow(-0.0, -3)", "math.pow(-8, 1/3)", "math.pow(10, 400)", "math.sqrt(-1)",
    "math.ceil(math.inf)", "math.floor(math.nan)", "math.trunc(-0.0)", "math.copysign(3, -0.0)", "round(-0.0)",
    "round(-0.4)", "round(-0.0, 1)", "abs(-0.0)", "-0.0 + 0.0", "-0.0 * 1", "0.0 * -1", "divmod(-0.0, 1)",
    "(-0.0) % 5", "0.0 % -5", "(-0.0) // 5", "float('-0')", "int(-0.0)", "math.degrees(math.inf)",
)
# re: \B, IGNORECASE equivalences, flag reprs, conflicting flags
add("empty",
    "re.search(r'\\B', '')", "re.findall(r'\\B', 'ab c')", "re.sub(r'\\B', '-', 'abc')", "re.split(r'\\B', 'abc')",
    "re.search(r'\\B', ' ')", "re.findall(r'\\b', '')", "re.findall(r'x*\\B', '')",
    "bool(re.match('(?i)i', 'İ'))", "bool(re.match('(?i)i', 'ı'))", "bool(re.match('(?i)I', 'ı'))",
    "bool(re.match('(?i)s', 'ſ'))", "bool(re.match('(?i)k', 'K'))", "bool(re.match('(?i)ß', 'ẞ'))",
    "bool(re.match('(?i)µ', 'Μ'))", "bool(re.match('(?i)ι', '\\u0345'))", "bool(re.match('(?i)ι', 'ι'))",
    "bool(re.match('(?i)ΐ', 'ΐ'))", "bool(re.match('(?i)ΰ', 'ΰ'))", "bool(re.match('(?i)ﬅ', 'ﬆ'))",
    "bool(re.match('(?i)σ', 'ς'))", "bool(re.match('(?i)θ', 'ϑ'))", "bool(re.match('(?i)Ω', 'Ω'))",
    "bool(re.match('(?i)[a-z]+', 'İı'))", "bool(re.match('(?i)[ſ]', 's'))", "re.findall('(?i)ǆ', 'ǄǅǆDŽ')",
    "bool(re.match('(?i)ı', 'I'))", "bool(re.match('(?i)[^i]', 'ı'))", "bool(re.match('(?ia)k', 'K'))",
    "str(re.A)", "repr(re.I)", "str(re.I | re.M)", "re.I | re.M", "format(re.I)", "f'{re.S}'", "re.I + 1", "re.NOFLAG",
    "int(re.X)", "re.I == 2", "[re.U, re.DOTALL]", "re.VERBOSE | re.ASCII", "re.I & re.I", "re.I | 0",
    "re.compile('a', re.A | re.U)", "re.compile('(?a)a', re.U)", "re.compile('(?u)a', re.A)", "re.findall('(?au)a', 'a')",
    "re.compile('(?L)a')", "re.compile('a', re.L)",
)
# re.Pattern attributes, Match.regs, pos/endpos, verbose flags after whitespace, \N{...}, non-ASCII group names
add("empty",
    "re.compile(r'(?P<x>a)(b)', re.I).pattern", "re.compile(r'(?P<x>a)(b)', re.I).flags", "re.compile(r'(?P<x>a)(b)').groups",
    "dict(re.compile(r'(?P<x>a)(b)(?P<y>c)').groupindex)", "re.compile(r'(?P<x>a)').groupindex['x']",
    "re.compile('a').flags", "re.compile('(?s)a', re.M).flags", "re.compile('a', re.A).flags", "re.compile(r'(?P<x>a)(b)', re.I)",
    "re.compile('a')", "re.compile('x', re.X | re.S)", "re.compile('a').groups", "re.compile('(?i)a').flags",
    "re.search(r'(a)(b)?', 'xa').regs", "re.match(r'a', 'a').regs", "re.search(r'(?P<n>\\d+)', 'ab12').regs",
    "re.compile('a').search('aba', 1)", "re.compile('a').search('aba', pos=1, endpos=2)", "re.compile('a').match('ba', 1)",
    "re.compile('a+').findall('aaaa', 1, 3)", "re.compile('ab').fullmatch('xab', 1)", "re.compile('a').search('aba', 1).pos",
    "re.compile('a').search('aba', 0, 2).endpos", "re.compile('^a').search('ba', 1)", "re.compile(r'\\ba').search('ba', 1)",
    "re.compile('a$').search('aab', 0, 2)", "re.compile('a').search('abc', -5)", "re.compile('a').search('abc', 10)",
    "re.compile('c').search('abc', 0, 100)", "[m.span() for m in re.compile('a').finditer('aaaa', 1, 3)]",
    "re.compile('a').match('aba', endpos=0)", "re.compile('(a)').sub('x', 'aa')", "re.compile(r'\\w+').findall('ab cd', pos=2)",
    "re.compile('a').search('xa', 1).string", "re.compile('é').pattern",
    "re.compile(r'''  (?i) abc''', re.X).search('xABC').group()", "re.compile('''  (?x) a b c''')",
    "re.findall(r'\\N{BULLET}', '•a•')", "re.findall(r'[\\N{BULLET}x]', '•ax')", "re.findall(r'\\N{LATIN SMALL LETTER A}', 'aA')",
    "re.compile(r'\\N{NOT A NAME}')", "re.search(r'(?P<имя>\\w+)', 'abc').group('имя')",
    "re.search(r'(?P<naïve>\\w+) (?P<x>\\w+)', 'ab cd').groupdict()", "re.sub(r'(?P<ü>a)', r'\\g<ü>\\g<ü>', 'xa')",
    "re.compile(r'(?P<名前>a)').groupindex['名前']", "re.search(r'(?P<ü>a)(?P=ü)', 'aa')",
)
# flags and pattern windows beyond the first cases
add("empty",
    "re.compile(r'\\b\\w').findall('ab cd', 1)", "re.compile('$').search('ab', 0, 1)", "re.compile('(?m)^b').search('a\\nb', 2)",
    "re.compile('').findall('abc', 1, 2)", "[m.span() for m in re.compile('x*').finditer('axx', 1)]", "re.compile('a').split('bab', 1)",
    "re.compile('a').sub('x', 'aa', 1)", "isinstance(re.I, int)", "sorted([re.M, re.I])", "json.dumps(re.I)", "{re.I: 'x'}[2]",
    "re.I + re.M", "-re.I", "re.I * 2", "re.I < re.M", "hash(re.I) == hash(2)" if False else "re.I in [2]", "f'{re.I:d}'",
    "re.compile('a', flags=re.I | re.S)", "re.compile('(?x) a # c').pattern", "re.search('a', 'A', re.I | 0).span()",
    "'%d' % re.I", "str(re.NOFLAG)", "re.I | re.NOFLAG", "bool(re.NOFLAG)", "abs(re.I)",
)
# struct_time, range slices, format_map and classes, more
add("empty",
    "len(time.strptime('2024', '%Y'))", "time.strptime('2024', '%Y') == (2024, 1, 1, 0, 0, 0, 0, 1, -1)", "list(time.strptime('2024', '%Y'))[6:]",
    "time.strptime('2024', '%Y')[-1]", "time.strptime('2024', '%Y').tm_zone" if False else "time.strptime('2024', '%Y')[9]",
    "time.strftime('%Y', (2024, 13, 1, 0, 0, 0, 0, 1, -1))", "time.strftime('%Y', (2024, 1))", "time.strftime('%Y', [2024, 1, 1, 0, 0, 0, 0, 1, -1])",
    "time.strftime('%d/%m/%Y %H:%M:%S', time.strptime('31/12/1999 23:59:58', '%d/%m/%Y %H:%M:%S'))", "time.strptime('2024-03-01', '%Y-%d')",
    "datetime.date(2024, 1, 1).timetuple().tm_isdst", "datetime.datetime(2000, 2, 29, 23, 59).timetuple()[:6]",
    "range(10)[-100:100]", "range(10)[100:-100:-1]", "range(-5, 5, 3)[::-1]", "range(0, -10, -3)[1::2]", "range(10)[::2][::2]",
    "list(range(20)[3:17:4])", "range(10)[1:2] == range(1, 2)", "range(10)['a':]", "range(3)[None:None:None]",
    "'{a}{b}'.format_map({'a': 1})", "'{a.real}'.format_map({'a': 1})" if False else "'{0[a]}'.format_map({'a': 1})",
    "'{a!r:>6}'.format_map({'a': 'x'})", "'{{}}{a}'.format_map({'a': 2})", "'{a}'.format_map({'a': 1}, 2)", "'{a}'.format_map(m={'a': 1})",
    "isinstance(1, (int,))", "isinstance('x', ())", "isinstance(None, (list, (tuple, (dict, (str,)))))", "isinstance(int, int)",
    "[type_ for type_ in [int, str]]", "str in [str]", "{int: 1}[int]", "sorted([3, 1], key=int)", "int.__name__" if False else "list(map(str, [1, 2]))",
    "(1+2j) ** 2", "1j ** 0.5", "(1+2j) == 1+2j", "2 ** 1j", "(0j) ** 0", "1 / 1j", "(3+4j) // 1" if False else "abs(-2.5j)",
)
add("empty", "complex(1, 2)", "complex()", "complex(2.5)", "complex('1+2j')", "complex(' (3-1j) ')", "complex('2j')", "complex('-j')",
    "complex('1e3')", "complex('inf+nanj')", "complex('1 + 2j')", "complex('x')", "complex('1', 2)", "complex(1j, 1j)", "complex(1, '2')",
    "complex(True)", "complex(real=1, imag=-1)", "isinstance(1j, complex)", "complex", "complex('1_000j')", "complex('.5-.5j')",
    "complex([])", "complex(2**70)")
add("shadow", "[json for json in [1, 2]]", "{'m': math}", "(lambda max: max + 1)(1)", "max([3, 4])", "len(max)", "str(len)", "re.k if re else 0")
# re over a grid: boundaries, anchors, IGNORECASE equivalences, scoped and verbose flags, \N{...}, pos/endpos
RE_PATS = [r"\bab", r"\Bb", r"^a", r"a$", r"(?m)^b", r"(?i)[a-z]+", r"(?i)[^a-z]+", r"(?i)[İ]", r"(?i)ﬆ", r"(?i:k)K", r"(?-i:k)",
           r"(?x) a  b # c", r"\N{EM DASH}", r"[\N{EM DASH}-\N{HORIZONTAL BAR}]", r"(?P<ß>x)", r"x*", r"", r"\w+", r"(?s).", r"a|b|"]
RE_SUBJECTS = ["ab ab", "aAbB", "İıIi", "x\u2014y\u2015z", "xx", "K\u212ak", "ﬅﬆst", "\n", ""]
for p in RE_PATS:
    for subj in RE_SUBJECTS:
        CASES.extend((e, "empty") for e in [
            f"re.findall({p!r}, {subj!r})", f"re.compile({p!r}).findall({subj!r}, 1)", f"re.compile({p!r}).search({subj!r}, 1, 3)",
            f"[m.span() for m in re.compile({p!r}).finditer({subj!r}, 0, 2)]", f"re.compile({p!r}).fullmatch({subj!r}, 1)"])
# f-string '=' with a comment and newline in the field
add("basic",
    "f'''{a # a comment\n=}'''", "f'''{a + 1 # c\n= }'''", "f'''{ a # c\n  =!r:>4}'''", "f'''{a\n=}'''",
    "f'''{\na\n=}'''", "f'''{a # c\n}'''", "f'{a=:>5}'", "f'{ a = }'", "f'{a=!s}'",
)
# lone surrogates stay code points
add("empty",
    "'\\ud800'.isprintable()", "len('\\ud800')", "repr('\\ud800')", "'\\ud800' == '\\udc00'", "'a\\udc80b'[1]",
    "ord('\\udfff')", "chr(0xd800)", "'\\ud83d\\ude00' == '😀'", "len('\\ud83d\\ude00')", "'\\ud800'.upper()",
    "'x\\ud800y'.split('\\ud800')", "'\\ud800' < '\\ue000'", "'\\ud800' > 'z'", "['\\udc00']", "'\\ud800' in 'a\\ud800'",
    "'\\ud800'.isalpha()", "'\\udfff\\ud800'[::-1]", "json.dumps('\\ud800')", "json.dumps('\\ud800', ensure_ascii=False)",
    "str('\\ud800' * 2)", "'%s' % '\\ud800'", "f'{chr(55296)}'", "ord(chr(0xdbff))",
)
# builtin types are classes
add("empty",
    "{'x': int}", "int", "str", "[float, bool, list, dict, tuple, set, range]", "repr(str)", "str(list)", "f'{dict}'",
    "int is int", "int == int", "int == float", "int('5')", "str.upper",
    "isinstance(1, int)", "isinstance(True, int)", "isinstance(True, bool)", "isinstance(1, bool)", "isinstance('a', (int, str))",
    "isinstance([], list)", "isinstance({}, dict)", "isinstance(1.0, float)", "isinstance(1, float)", "isinstance(None, int)",
    "isinstance(2**70, int)", "isinstance((1,), tuple)", "isinstance(set(), set)", "isinstance(range(3), range)",
    "isinstance('a', str)", "isinstance([], (tuple, (dict, list)))", "isinstance(1, 'int')", "isinstance(1)",
    "isinstance(1, ())", "isinstance(1, len)", "[isinstance(x, (int, float)) for x in [1, 2.5, '3', None, True]]",
    "list(map(int, ['1', '2']))", "sorted(['b', 'A'], key=str)", "isinstance({}.keys(), dict)",
)
# variables named like builtins and modules: a bare reference is the variable (a call still uses the builtin)
add("shadow",
    "len", "len + 1", "max[0]", "json.upper()", "str * 2", "re.k", "[int, sum]", "f'{len}'", "(lambda len: len)(3)",
    "[len for len in range(3)]", "{'len': len}", "json", "re['k']", "math",
)
# missing features
add("empty",
    "'{a}-{b}'.format_map({'a': 1, 'b': 2})", "'{x}'.format_map({})", "'{0}'.format_map({})", "'{a[0]}'.format_map({'a': [5]})",
    "'{}'.format_map({})", "'x'.format_map({})", "'{a:>{w}}'.format_map({'a': 1, 'w': 4})", "'{a}'.format_map(1)",
    "range(10)[2:8:2]", "range(10)[::-1]", "range(0, 10, 3)[1:]", "range(5)[10:]", "list(range(10)[::-3])", "range(10)[-3:]",
    "range(1, 20, 4)[::2]", "range(10, 0, -2)[1:3]", "range(5)[::0]", "range(3)[1:][0]", "len(range(0, 100, 7)[3:-2])",
    "range(10)[2:8:2] == range(2, 8, 2)", "range(0)[:]", "range(5)[True:]",
    "str(object=5)", "str(object='x')", "str()", "str(object=[1])", "str(obj=1)", "str(5, object=1)",
    "int(x=1)", "int('5', base=10)", "int('z', base=36)", "int(x='1')", "float(x=1)", "chr(2**32)", "chr(2**31)", "chr(-1)",
    "chr(0x110000)", "chr(2**100)", "chr(1.5)", "chr(True)",
)
add("empty",
    "datetime.date(2024, 3, 1).timetuple()", "datetime.date(2024, 3, 1).timetuple().tm_yday", "datetime.datetime(2024, 12, 31, 12, 30, 5).timetuple()",
    "datetime.datetime(2024, 12, 31, 12, 30, 5).timetuple().tm_yday", "datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc).timetuple()",
    "tuple(datetime.date(2023, 2, 28).timetuple())", "datetime.date(2024, 3, 1).timetuple()[7]", "datetime.date(2024, 3, 1).timetuple().tm_wday",
    "time.strftime('%Y-%m-%d %H:%M', datetime.datetime(2024, 3, 1, 9, 5).timetuple())", "time.strftime('%j %a %b', datetime.date(2024, 3, 1).timetuple())",
    "time.strptime('2024-03-01', '%Y-%m-%d')", "time.strptime('2024-03-01 10:20:30', '%Y-%m-%d %H:%M:%S').tm_yday",
    "time.strptime('01/Mar/2024', '%d/%b/%Y')", "time.strptime('x', '%Y')", "time.strptime('2024', '%Y')",
    "time.strftime('%Y', time.strptime('1999-12-31', '%Y-%m-%d'))", "time.strptime('2024-03-01', '%Y-%m-%d')[:3]",
    "time.strptime('Friday 1 March 2024', '%A %d %B %Y').tm_wday", "time.strptime('2024-02-30', '%Y-%m-%d')",
    "time.strftime('%Y', (2024, 1, 1, 0, 0, 0, 0, 1, -1))", "time.strptime('12:30', '%H:%M')",
)
# strftime of timetuples and strptime's week, weekday and day-of-year directives (time and datetime)
TT_DATES = ["datetime.date(1, 1, 1)", "datetime.date(2000, 2, 29)", "datetime.datetime(1999, 12, 31, 23, 59, 59, 999999)",
            "datetime.datetime(2024, 6, 15, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=5)))", "datetime.date(9999, 12, 31)"]
for d in TT_DATES:
    CASES.append((f"{d}.timetuple()", "empty"))
    for f in ["%Y-%m-%d %H:%M:%S", "%j %U %W %w %a %A %b %B", "%y %p %I %c %x %X", "%G %V %u"]:
        CASES.append((f"time.strftime({f!r}, {d}.timetuple())", "empty"))
for text, f in [("2021-W05-3", "%G-W%V-%u"), ("2020-W53-7", "%G-W%V-%u"), ("2021 00 Fri", "%Y %U %a"), ("2021 00 Sun", "%Y %W %a"),
                ("2021 52 6", "%Y %W %w"), ("2024 10 Monday", "%Y %U %A"), ("2021 5", "%G %V"), ("2021 5 1", "%Y %V %u"),
                ("2021 100 1", "%G %j %u"), ("Sunday", "%A"), ("Tue 2024 10", "%a %Y %W"), ("7", "%u"), ("0", "%w"), ("2024 60", "%Y %j"),
                ("2023 366", "%Y %j"), ("2024 3 1 60", "%Y %m %d %j"), ("Mar 3 2021 1PM", "%b %d %Y %I%p"), ("2020 +0530", "%Y %z")]:
    for fn in ["time.strptime", "datetime.datetime.strptime"]:
        CASES.append((f"{fn}({text!r}, {f!r})", "empty"))
# extract_json as Julep's helper: the text between "```json" and the next "```", else the whole string
add("empty",
    "extract_json('Here you go:\\n```json\\n{\"a\": [1, 2]}\\n```\\nThanks!')", "extract_json('{\"b\": null}')",
    "extract_json('  [1, 2]  ')", "extract_json('Sure! {\"a\": 1}')", "extract_json('```json\\n{\"a\": 1}')",
    "extract_json('```\\n{\"a\": 1}\\n```')", "extract_json('```json {\"s\": \"line\\nbreak\"} ```')",
    "extract_json('x ```json\\n[1]\\n``` y ```json\\n[2]\\n```')", "extract_json('no json here')",
)
# yaml: PyYAML (YAML 1.1) for yaml.safe_load/load and yaml.dump
YAML_DOCS = ["yes", "no", "on", "off", "Yes", "NO", "y", "n", "true", "False", "012", "0o12", "0x1A", "1:30", "-1:30:00",
             "1e3", "1.0e3", "1.5e+3", ".inf", "-.Inf", ".nan", "~", "null", "", "1_000", "0b101", "+12", "2024-03-01",
             "2024-03-01 10:20:30", "a: 1\\nb: [x, yes]", "- 1\\n- 1.5\\n- \"012\"", "{a: on, b: 010}", "\"yes\"", "0.5", "-.5",
             "!!str 12", "! 12", "a: !!int \"7\"", "190:20:30.15", "08", "0_7", "1__0", "6.8523015e+5", "685.230_15e+03"]
for doc in YAML_DOCS:
    CASES.append((f"yaml.safe_load('{doc}')", "empty"))
    CASES.append((f"yaml.safe_load('x: {doc}')", "empty"))
YAML_MORE = ["a: [yes, No, ON, off, y, n]", "x: 0o17", "x: 0x_1F", "x: 0b1_0", "x: -012", "x: +0", "x: 3:25:45", "x: -3:25:45.5",
             "x: 1.5e-3", "x: 1.E5", "x: .5", "x: +.5", "x: 5.", "x: 1e+3", "x: 1.0e+3", "x: NULL", "x:", "? a\n: b",
             "x: 2001-12-14t21:59:43.10-05:00", "x: 2001-12-14 21:59:43.10 -5", "x: 2001-12-14 21:59:43.1234567Z", "x: 2002-1-4",
             "x: !!float 1", "x: !!int '0x10'", "x: !!bool yes", "x: !!str yes", "- &a {k: on}\n- *a", "<<: {a: 1}\nb: 2",
             "x: tRUE", "x: 0.1_0", "x: 1__2", "x: _1", "x: 09", "x: 00", "x: 1:60", "x: 190:20:30", "x: 12e03", "x: =", "x: <<",
             "{yes: no}", "[on, 'on', \"on\"]", "x: |\n  yes\n", "- 1\n- - 2\n  - yes"]
for doc in YAML_MORE:
    CASES.append((f"yaml.safe_load({doc!r})", "empty"))
for v in ["'yes'", "'on'", "'012'", "'1:30'", "'1e3'", "'~'", "'null'", "'y'", "'08'", "'0.5'", "'.inf'", "'1_0'",
          "{'a': 'no', 'b': [True, None, 1.5, 'off']}", "[1, 'x: y', '- a', '']", "{'k': {'nested': ['a', 'b']}, 'a': 1}",
          "'é'", "'multi\\nline'", "12", "-0.0", "float('inf')", "[]", "{}", "'2024-03-01'", "'True'", "'NO'", "'0o7'", "'0x1f'"]:
    CASES.append((f"yaml.dump({v})", "empty"))
    CASES.append((f"yaml.safe_dump({v})", "empty"))
for v in ["'Yes'", "'OFF'", "'0o17'", "'0b11'", "'3:25:45'", "'.5'", "'-.inf'", "'NULL'", "''", "'a: b'", "'a #b'", "'- x'", "'x\\ty'",
          "'\\u2028'", "'@x'", "'%x'", "'x,y'", "\"'x'\"", "' '.join(['word'] * 30)", "'2024-01-01 10:00:00'", "1e20", "1e-7", "2**70",
          "{None: 1}", "{True: 'a', 1.5: 'b'}", "{'k': 'v\\nw'}", "'<<'", "'='", "(1, 2)", "{'a': (1,)}", "[(1, 2)]", "()", "{'a': ()}",
          "((1,),)", "{'k': [(1,)]}", "[[(1,)]]", "'\\x7f'", "'\\ufeff'"]:
    CASES.append((f"yaml.dump({v})", "empty"))
    CASES.append((f"yaml.safe_dump({v})", "empty"))
# urllib.parse: invalid bracketed hosts and netlocs that NFKC turns into separators
add("empty",
    "urllib.parse.urlsplit('http://[::1]:8080/p')", "urllib.parse.urlsplit('http://[::1]/').hostname", "urllib.parse.urlsplit('http://[abc]/')",
    "urllib.parse.urlsplit('http://[::1/')", "urllib.parse.urlsplit('http://::1]/')", "urllib.parse.urlsplit('http://[v1.fe]/')",
    "urllib.parse.urlsplit('http://[127.0.0.1]/')", "urllib.parse.urlparse('http://[fe80::1%25eth0]/')", "urllib.parse.urlparse('http://[::ffff:1.2.3.4]/').hostname",
    "urllib.parse.urlsplit('http://ex\\uff03ample.com/')", "urllib.parse.urlsplit('http://a\\u2100b/')", "urllib.parse.urlsplit('http://é.com/').netloc",
    "urllib.parse.urlsplit('http://user\\uff20host/')", "urllib.parse.urlparse('http://a\\uff0fb/')", "urllib.parse.urlsplit('http://x[::1]/')",
    "urllib.parse.urlsplit('http://[::1]x/')", "urllib.parse.urlsplit('http://[]/')", "urllib.parse.urlsplit('//[::1]/').netloc",
    "urllib.parse.urlsplit('http://[::1]x:80/').port", "urllib.parse.urlsplit('//a:b:80').port", "urllib.parse.urlsplit('//x[::1]:9').hostname",
    "urllib.parse.urlsplit('//x[::1]:9').port", "urllib.parse.urlsplit('//u:p@h:1').hostname", "urllib.parse.urlsplit('//[v7.a]/').hostname",
)
# str.format error kinds and f-string spec nesting
add("empty",
    "'{'.format()", "'}'.format()", "'{0!x}'.format(1)", "'{0:{1:{2}}}'.format(1, 2, 3)", "'{a.}'.format(a=1)", "'{0[}'.format([1])",
    "'{0]}'.format(1)", "'{}{0}'.format(1, 2)", "'{0}{}'.format(1, 2)", "'{1}'.format(0)", "'{x}'.format()", "'{:d}'.format('a')",
    "'{0[a]}'.format({'a': 1})", "'{0[0]}'.format('ab')", "'{!}'.format(1)", "'{0!}'.format(1)", "'{0!rr}'.format(1)", "'{0[]}'.format([1])",
    "'{0.}'.format(1)", "'{0[0]x}'.format([1])", "'{0:{1}}'.format(1, '>3')", "'{:{}}'.format(1, 4)", "'{0:{a}}'.format(1)",
    "'{0..x}'.format(1)", "'{ 0}'.format(1)", "'{-1}'.format(1)", "'{0x}'.format(1)",
    "'{0.x.}'.format(1)", "'{0[0]]}'.format(1)", "'{0[0]]}'.format([1])", "'{0[a]]}'.format({'a': 1})", "'{1.}'.format(0)",
    "'{0[}'.format(1)", "'{a[0].}'.format(a=[1])",
    "f'{1:{2:{3}}}'", "f'{1:{2}}'", "f'{3.14159:{10}.{2}}'", "f'{1:{f\"{2}\"}}'", "f'{1:{2:{3}}{4}}'", "f'{f\"{1:{2}}\":{3}}'", "f'{1:{f\"{2:{3}}\"}}'", "f'{1:{2:{3:{4}}}}'",
)
# complex literals and Ellipsis
add("empty", "[..., str(...)]", "... == ...", "... is ...", "{...: 1}[...]", "bool(...)", "... + 1", "dict.get", "list.append",
    "str.join", "1j", "...", "2 + 3j", "-1j", "1J == 1j", "1_0j", "1e3j", "0.5j", "(1+2j) * (3-1j)", "(1+2j) / (3-4j)", "1j ** 2",
    "abs(3+4j)", "(1+2j).real", "(2j).imag", "(1+2j).conjugate()", "1j < 2j", "str(1j)", "f'{2+1j}'", "[1j, -0j, 0j]",
    "{1j: 1, 2+0j: 2}[2]", "1j == (0+1j)", "[x for x in [1j, 2] if x == 1j]", "sum([1j, 2, 0.5])", "bool(0j)", "2j and 3",
    "0x1j", "1jif True else 2", "(-8) ** (1/3)", "1j.imag", "-(1+1j)", "1j * 2.5", "(1+1j) - 1", "1j // 2", "int(1j)")


ADDRESS = re.compile(r" at 0x[0-9a-f]+>")


def normalize_repr(r):
    """Object addresses differ between runs and implementations: the harness drops them the same way."""
    return ADDRESS.sub(">", r).replace("of AttrDict object", "of dict object")


def run(expr, env):
    scope = {k: wrap(v) for k, v in ENVS[env].items()}
    try:
        # variables live in the globals so that lambdas and comprehensions see them, as in Julep
        value = eval(compile(expr, "<expr>", "eval"), {**GLOBALS, **scope})
        if isinstance(value, set):
            return {"error": "UnorderedSet"}  # not comparable across implementations: excluded below
        return {"repr": normalize_repr(repr(value))}
    except SyntaxError:
        return {"error": "SyntaxError"}
    except Exception as exc:  # the kind (or one of its bases) is what we compare
        kinds = [c.__name__ for c in type(exc).__mro__ if c not in (Exception, BaseException, object)]
        out = {"error": kinds[0]}
        if len(kinds) > 1:
            out["bases"] = kinds[1:]
        return out


def main():
    if sys.version_info[:2] != (3, 12):
        sys.exit(f"gen.py needs CPython 3.12 (found {sys.version.split()[0]}): run it with python3.12")
    out = []
    seen = set()
    for expr, env in CASES:
        if (expr, env) in seen:
            continue
        seen.add((expr, env))
        res = run(expr, env)
        if res.get("error") == "UnorderedSet":
            continue
        out.append(cpycorpus.case("expr", [expr], env=env, **res))
    path = os.path.join(HERE, "cases.jsonl")
    cpycorpus.write(path, "differential: expressions over Julep's variables", "testdata/expressions/gen.py", out,
                    envs=ENVS, python=sys.version.split()[0])
    errors = sum(1 for c in out if "error" in c)
    print(f"{len(out)} cases ({errors} expected errors) -> {path}")


if __name__ == "__main__":
    main()
