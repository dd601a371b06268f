# Generates cpython_cases.jsonl (engine/internal/cpycorpus format, group "expr", env "basic"):
#   python3.12 engine/testdata/gen_cpython_cases.py
import os, sys
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "internal", "cpycorpus"))
import cpycorpus
env = {"_": {"url": "u", "items": [1, 2, 3], "n": 0, "name": "Ann", "tags": ["a", "b"]},
       "xs": [3, 1, 2], "d": {"a": 1, "b": 2}, "s": "héllo", "rows": [[1, 2], [3, 4]], "pairs": [["a", 1], ["b", 2]]}
class AD(dict):
    def __getattr__(self, k):
        return self[k]
def wrap(v):
    if isinstance(v, dict): return AD({k: wrap(x) for k, x in v.items()})
    if isinstance(v, list): return [wrap(x) for x in v]
    return v
g = {k: wrap(v) for k, v in env.items()}
cases = r'''
1 + 2 * 3
7 // 2
-7 // 2
7 % -3
2 ** 100
2 ** -1
1 / 4
10 / 5
'a' + 'b'
'ab' * 3
[1, 2] + [3]
(1, 2) + (3,)
not 0
0 or 'x'
'' and 1
1 and 2 and 3
None or [] or 0
1 < 2 < 3
3 > 2 > 2
1 == 1.0 == True
'a' in 'abc'
2 not in [1, 3]
None is None
[] is not None
x if True else 0
_['url']
_.url
_.name.upper()
_['items'][-1]
_['items'][::-1]
_['items'][1:]
s[1:3]
s[::-1]
len(s)
d.get('c', 9)
d.keys
{'a': 1}.a
[x * 2 for x in xs]
[x for x in xs if x > 1]
[x for x in xs if x > 1 if x < 3]
[(x, y) for x in [1, 2] for y in 'ab']
[y for row in rows for y in row]
[[c for c in row] for row in rows]
[x for x in [x for x in xs]]
[a + str(b) for a, b in pairs]
{k: v for k, v in d.items()}
{x % 2 for x in xs}
sum(x for x in xs)
max(x for x in xs if x < 3)
list(x * x for x in range(4))
any(x > 2 for x in xs)
all(x > 2 for x in xs)
any(1 / x for x in [1, 0])
sorted(xs, key=lambda v: -v)
sorted(pairs, key=lambda p: p[1], reverse=True)
list(map(lambda a, b: a * b, [1, 2], [3, 4]))
list(filter(lambda v: v % 2, xs))
(lambda a, b=2, *c, **k: (a, b, c, k))(1, 3, 4, z=5)
(lambda: 7)()
[(lambda y: x + y)(1) for x in xs]
(y := 4) * y
[z := 1, z + 1]
f'{1 + 1}'
f'{s!r}'
f'{s!a}'
f'{3.14159:.2f}'
f'{42:>{5}}'
f'{xs=}'
f'{ 1 + 1 = }'
f'{"x"!s:>3}'
f'{{literal}}'
[*xs, *'ab']
(*xs,)
{**d, 'c': 3}
{*xs}
max(*xs)
'-'.join(str(x) for x in xs)
str.upper('x')
list(zip(*rows))
abs(-3)
round(2.675, 2)
int('42') + float('1.5')
1 if _.n else 2
_.tags + ['c']
[t for t in _.tags if t != 'a']
'{} and {}'.format(1, 2)
True + True
10 ** 20 // 3
-2 ** 2
~5
'abc'[1]
[1, 2, 3][-1]
sorted({'b': 1, 'a': 2})
dict(a=1, b=2)
list(range(2, 10, 3))
[i for i, v in enumerate('ab')]
'x'.join([])
'''.strip().split('\n')
out = []
for c in cases:
    try:
        r = repr(eval(c, {"__builtins__": __builtins__}, dict(g)))
        out.append(cpycorpus.case("expr", [c], env="basic", repr=r))
    except Exception as e:
        out.append(cpycorpus.case("expr", [c], env="basic", error=type(e).__name__, msg=str(e)))
cpycorpus.write(os.path.join(here, "cpython_cases.jsonl"), "engine: expressions over Julep-like variables",
                "engine/testdata/gen_cpython_cases.py", out, envs={"basic": env})
