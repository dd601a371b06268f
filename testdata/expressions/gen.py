#!/usr/bin/env python3
"""Generates cases.json: the CPython differential corpus for the expression engine.

Every case is a Python expression, the name of a variable environment, and what
real CPython gives for it: the repr() of the value, or the name of the exception
class. The Go harness (engine/difftest) evaluates each expression with our engine
and compares py.Repr of the result (or the error kind).

Julep semantics that differ from plain Python are applied here the same way:
mappings that come from variables allow attribute access for keys (JULEP.md,
"Our semantics" rule 1), modelled with a dict subclass whose __getattr__ only
runs when no real attribute of that name exists, so `d.items` stays the method.

Run:  python3.12 testdata/expressions/gen.py   (writes cases.json beside itself)
Needs CPython 3.12, the version whose semantics we follow (PEP 701 f-string
quote nesting, sum() of floats with compensation). Deterministic; standard
library only. The expressions avoid what differs between runs: set display
order of strings (hash randomisation), object addresses, time and randomness.
"""
import functools
import json
import math
import os
import re
import string
import sys


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
}

# Functions of Julep's allow-list that CPython has under another name, or not at all.
def _reduce(fn, seq, *init):
    return functools.reduce(fn, seq, *init)


GLOBALS = {"__builtins__": {}}
for name in ["abs", "all", "any", "bool", "dict", "enumerate", "float", "int", "len", "list", "map", "max", "min",
             "round", "set", "str", "sum", "tuple", "zip", "range", "sorted", "reversed", "filter", "repr", "chr",
             "ord", "divmod", "pow", "hex", "oct", "bin", "format"]:
    GLOBALS[name] = __builtins__.__dict__[name] if hasattr(__builtins__, "__dict__") else getattr(__builtins__, name)
GLOBALS["reduce"] = _reduce
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
            out["error_bases"] = kinds[1:]
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
        case = {"expr": expr, "env": env}
        case.update(res)
        out.append(case)
    doc = {
        "generator": "testdata/expressions/gen.py",
        "python": sys.version.split()[0],
        "envs": ENVS,
        "cases": out,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
    errors = sum(1 for c in out if "error" in c)
    print(f"{len(out)} cases ({errors} expected errors) -> {path}")


if __name__ == "__main__":
    main()
