package syntax

import (
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// parseCases maps a source to the Dump of its tree.
var parseCases = []struct{ src, want string }{
	// Atoms and literals.
	{`x`, `x`},
	{`_`, `_`},
	{`None`, `None`},
	{`True`, `True`},
	{`False`, `False`},
	{`0`, `0`},
	{`00`, `0`},
	{`42`, `42`},
	{`1_000_000`, `1000000`},
	{`0x_1f`, `31`},
	{`0XFF`, `255`},
	{`0o17`, `15`},
	{`0b1010`, `10`},
	{`9223372036854775807`, `9223372036854775807`},
	{`9223372036854775808`, `9223372036854775808`},
	{`123456789012345678901234567890`, `123456789012345678901234567890`},
	{`0xffffffffffffffffffff`, `1208925819614629174706175`},
	{`1.5`, `1.5`},
	{`1.`, `1.0`},
	{`.5`, `0.5`},
	{`1e10`, `10000000000.0`},
	{`1e16`, `1e+16`},
	{`1.5e-5`, `1.5e-05`},
	{`0.0001`, `0.0001`},
	{`0.0`, `0.0`},
	{`1E-3`, `0.001`},
	{`1_000.5`, `1000.5`},
	{`1.e5`, `100000.0`},
	{`1e400`, `inf`},
	{`1..real`, `(. 1.0 real)`},
	{`1 .real`, `(. 1 real)`},
	{`1if x else 2`, `(if x 1 2)`},
	{`'a'`, `"a"`},
	{`"a"`, `"a"`},
	{`'''a'b"c'''`, `"a'b\"c"`},
	{`"""x
y"""`, `"x\ny"`},
	{`u"x"`, `"x"`},
	{`r"\d\n"`, `"\\d\\n"`},
	{`R'\''`, `"\\'"`},
	{`"\d"`, `"\\d"`},
	{`"\\ \' \" \a \b \f \n \r \t \v"`, `"\\ ' \" \a \b \f \n \r \t \v"`},
	{`"\101\60\0"`, `"A0\x00"`},
	{`"\777"`, `"ǿ"`},
	{`"\x41\u00e9\U0001F600"`, `"Aé😀"`},
	{`"\N{BULLET}\N{em dash}\N{LATIN SMALL LETTER A WITH ACUTE}"`, `"•—á"`},
	{`"\N{CJK UNIFIED IDEOGRAPH-4E00}"`, `"一"`},
	{"'a\\\nb'", `"ab"`},
	{"r'a\\\nb'", `"a\\\nb"`},
	{`"é" 'ü'`, `"éü"`},
	{`'a' "b" '''c'''`, `"abc"`},
	{`[]`, `(list)`},
	{`[1, 2,]`, `(list 1 2)`},
	{`[*a, *b]`, `(list (* a) (* b))`},
	{`()`, `(tuple)`},
	{`(1,)`, `(tuple 1)`},
	{`(1, 2)`, `(tuple 1 2)`},
	{`((1))`, `1`},
	{`1, 2`, `(tuple 1 2)`},
	{`1,`, `(tuple 1)`},
	{`{}`, `(dict)`},
	{`{'a': 1, "b": 2,}`, `(dict ("a" 1) ("b" 2))`},
	{`{**a, 'b': 1, **c}`, `(dict (** a) ("b" 1) (** c))`},
	{`{1}`, `(set 1)`},
	{`{1, *a}`, `(set 1 (* a))`},
	{`{*a}`, `(set (* a))`},
	{`{a := 1, 2}`, `(set (:= a 1) 2)`},
	{`[a := 1, 2]`, `(list (:= a 1) 2)`},
	{`(a := 1, 2)`, `(tuple (:= a 1) 2)`},
	{`(*a, b)`, `(tuple (* a) b)`},

	// Precedence and associativity.
	{`1 + 2 * 3`, `(+ 1 (* 2 3))`},
	{`(1 + 2) * 3`, `(* (+ 1 2) 3)`},
	{`1 - 2 - 3`, `(- (- 1 2) 3)`},
	{`2 ** 3 ** 2`, `(** 2 (** 3 2))`},
	{`-2 ** 2`, `(- (** 2 2))`},
	{`2 ** -1`, `(** 2 (- 1))`},
	{`-2**-1`, `(- (** 2 (- 1)))`},
	{`a ** -b ** c`, `(** a (- (** b c)))`},
	{`~-+x`, `(~ (- (+ x)))`},
	{`a * b / c // d % e @ f`, `(@ (% (// (/ (* a b) c) d) e) f)`},
	{`a + b << c`, `(<< (+ a b) c)`},
	{`a << b & c`, `(& (<< a b) c)`},
	{`a & b ^ c`, `(^ (& a b) c)`},
	{`a ^ b | c`, `(| (^ a b) c)`},
	{`a | b ^ c & d << e + f * g ** h`, `(| a (^ b (& c (<< d (+ e (* f (** g h)))))))`},
	{`a | b < c`, `(cmp (| a b) < c)`},
	{`a < b < c`, `(cmp a < b < c)`},
	{`a == b != c <= d >= e > f`, `(cmp a == b != c <= d >= e > f)`},
	{`a in b not in c is d is not e`, `(cmp a in b not-in c is d is-not e)`},
	{`not a < b`, `(not (cmp a < b))`},
	{`not not x`, `(not (not x))`},
	{`not -x`, `(not (- x))`},
	{`a and b and c`, `(and a b c)`},
	{`a or b or c`, `(or a b c)`},
	{`a or b and c`, `(or a (and b c))`},
	{`a and b or c and d`, `(or (and a b) (and c d))`},
	{`not a and b`, `(and (not a) b)`},
	{`a if b else c`, `(if b a c)`},
	{`a if b else c if d else e`, `(if b a (if d c e))`},
	{`a or b if c and d else e`, `(if (and c d) (or a b) e)`},
	{`lambda: x if y else z`, `(lambda () (if y x z))`},
	{`x if y else lambda: 1`, `(if y x (lambda () 1))`},
	{`(a := 1)`, `(:= a 1)`},
	{`(a := b if c else d)`, `(:= a (if c b d))`},

	// Primaries.
	{`a.b.c`, `(. (. a b) c)`},
	{`a.match`, `(. a match)`},
	{`None.x`, `(. None x)`},
	{`f()`, `(call f)`},
	{`f(a)(b)[c].d`, `(. (index (call (call f a) b) c) d)`},
	{`f(1, x, *a, k=2, *b, **c,)`, `(call f 1 x (* a) (* b) (kw k 2) (** c))`},
	{`f(a := 1)`, `(call f (:= a 1))`},
	{`f(a, b=c == d)`, `(call f a (kw b (cmp c == d)))`},
	{`sum(x for x in y)`, `(call sum (genexp x (for x y)))`},
	{`sum((x for x in y), 0)`, `(call sum (genexp x (for x y)) 0)`},
	{`a[1]`, `(index a 1)`},
	{`a[-1]`, `(index a (- 1))`},
	{`a[1:2]`, `(index a (slice 1 2 nil))`},
	{`a[1:2:3]`, `(index a (slice 1 2 3))`},
	{`a[:]`, `(index a (slice nil nil nil))`},
	{`a[::]`, `(index a (slice nil nil nil))`},
	{`a[::-1]`, `(index a (slice nil nil (- 1)))`},
	{`a[:n]`, `(index a (slice nil n nil))`},
	{`a[1:]`, `(index a (slice 1 nil nil))`},
	{`a[1, 2]`, `(index a (tuple 1 2))`},
	{`a[1,]`, `(index a (tuple 1))`},
	{`a[1:2, ::3]`, `(index a (tuple (slice 1 2 nil) (slice nil nil 3)))`},
	{`a[*b]`, `(index a (tuple (* b)))`},
	{`a[b := 1]`, `(index a (:= b 1))`},
	{`a[lambda: 1]`, `(index a (lambda () 1))`},
	{`x['a']['b']`, `(index (index x "a") "b")`},

	// Comprehensions.
	{`[x for x in y]`, `(listcomp x (for x y))`},
	{`[x for x in y if a if b for z in w]`, `(listcomp x (for x y (if a) (if b)) (for z w))`},
	{`[x for x, in y]`, `(listcomp x (for (tuple x) y))`},
	{`[k for k, v in d.items()]`, `(listcomp k (for (tuple k v) (call (. d items))))`},
	{`[a for (a, [b, *c]) in y]`, `(listcomp a (for (tuple a (list b (* c))) y))`},
	{`[a for (a) in y]`, `(listcomp a (for a y))`},
	{`[a for (a,) in y]`, `(listcomp a (for (tuple a) y))`},
	{`[x for x in y if (z := x)]`, `(listcomp x (for x y (if (:= z x))))`},
	{`[y := 1 for x in z]`, `(listcomp (:= y 1) (for x z))`},
	{`[x for x in a or b]`, `(listcomp x (for x (or a b)))`},
	{`[x if c else d for x in y]`, `(listcomp (if c x d) (for x y))`},
	{`{x for x in y}`, `(setcomp x (for x y))`},
	{`{k: v for k, v in y}`, `(dictcomp k v (for (tuple k v) y))`},
	{`(x for x in y)`, `(genexp x (for x y))`},
	{`[[c for c in r] for r in m]`, `(listcomp (listcomp c (for c r)) (for r m))`},

	// Lambdas.
	{`lambda: 0`, `(lambda () 0)`},
	{`lambda x: x`, `(lambda (x) x)`},
	{`lambda x, y=1: x`, `(lambda (x y=1) x)`},
	{`lambda *args, **kw: args`, `(lambda (*args **kw) args)`},
	{`lambda a, /, b, *, c, d=2: a`, `(lambda (a / b * c d=2) a)`},
	{`lambda a, *b, c: a`, `(lambda (a *b c) a)`},
	{`lambda x=1, *, y: 1`, `(lambda (x=1 * y) 1)`},
	{`lambda x: lambda y: x + y`, `(lambda (x) (lambda (y) (+ x y)))`},

	// f-strings.
	{`f""`, `(fstr)`},
	{`f"abc"`, `(fstr "abc")`},
	{`f"{x}"`, `(fstr (fv x))`},
	{`f"a{x}b{y}c"`, `(fstr "a" (fv x) "b" (fv y) "c")`},
	{`f"{{}}"`, `(fstr "{}")`},
	{`f"{{{x}}}"`, `(fstr "{" (fv x) "}")`},
	{`f"{x!r}{x!s}{x!a}"`, `(fstr (fv x !r) (fv x !s) (fv x !a))`},
	{`f"{x:>10}"`, `(fstr (fv x spec=(fstr ">10")))`},
	{`f"{x:}"`, `(fstr (fv x spec=(fstr)))`},
	{`f"{x:{width}.{prec}f}"`, `(fstr (fv x spec=(fstr (fv width) "." (fv prec) "f")))`},
	{`f"{x!r:^{w}}"`, `(fstr (fv x !r spec=(fstr "^" (fv w))))`},
	{`f"{x=}"`, `(fstr (fv x !r debug="x="))`},
	{`f"{ x = }"`, `(fstr (fv x !r debug=" x = "))`},
	{`f"{x = !s}"`, `(fstr (fv x !s debug="x = "))`},
	{`f"{x=!s}"`, `(fstr (fv x !s debug="x="))`},
	{`f"{x=:>5}"`, `(fstr (fv x spec=(fstr ">5") debug="x="))`},
	{`f"{x:=5}"`, `(fstr (fv x spec=(fstr "=5")))`},
	{`f"{(x:=5)}"`, `(fstr (fv (:= x 5)))`},
	{`f"{x!=y}"`, `(fstr (fv (cmp x != y)))`},
	{`f"{x == y}"`, `(fstr (fv (cmp x == y)))`},
	{`f"{d["id"]}"`, `(fstr (fv (index d "id")))`},
	{`f'{_['id']}'`, `(fstr (fv (index _ "id")))`},
	{`f"{f"{f"{x}"}"}"`, `(fstr (fv (fstr (fv (fstr (fv x))))))`},
	{`f"{'\n'.join(a)}"`, `(fstr (fv (call (. "\n" join) a)))`},
	{`f"{a[1:2]}"`, `(fstr (fv (index a (slice 1 2 nil))))`},
	{`f"{ {'a': 1}['a'] }"`, `(fstr (fv (index (dict ("a" 1)) "a")))`},
	{`f"{1, 2}"`, `(fstr (fv (tuple 1 2)))`},
	{`f"{*a,}"`, `(fstr (fv (tuple (* a))))`},
	{`f"{(lambda: 1)()}"`, `(fstr (fv (call (lambda () 1))))`},
	{`f"\{x}"`, `(fstr "\\" (fv x))`},
	{`f"\n{x}\t"`, `(fstr "\n" (fv x) "\t")`},
	{`rf"\d{x}\n"`, `(fstr "\\d" (fv x) "\\n")`},
	{`Rf"{x}"`, `(fstr (fv x))`},
	{`fR"x"`, `(fstr "x")`},
	{`F"x"`, `(fstr "x")`},
	{`f"{x:\x41}"`, `(fstr (fv x spec=(fstr "A")))`},
	{`f"\N{BULLET} {x}"`, `(fstr "• " (fv x))`},
	{"f'''{\nx\n# comment\n}'''", `(fstr (fv x))`},
	{"f'{1 +\n2}'", `(fstr (fv (+ 1 2)))`},
	{"f'''a\nb {x}\nc'''", `(fstr "a\nb " (fv x) "\nc")`},
	{`f"{x:{{}}>10}"`, `(fstr (fv x spec=(fstr (fv (dict)) ">10")))`},
	{`"a" f"{b}" "c" 'd'`, `(fstr "a" (fv b) "cd")`},
	{`f"{x}" "{y}"`, `(fstr (fv x) "{y}")`},
	{`f"{x}" f"{y}"`, `(fstr (fv x) (fv y))`},
	{`"" f""`, `(fstr)`},
	{`"" f"{x}" ""`, `(fstr (fv x))`},
	{`"" ''`, `""`},

	// Whitespace, comments and continuations.
	{"  x  ", `x`},
	{"\n\nx\n\n", `x`},
	{"x # comment", `x`},
	{"x # comment\n# more\n", `x`},
	{"x +\\\n 1", `(+ x 1)`},
	{"(x +\n 1)", `(+ x 1)`},
	{"[1, # one\n 2]", `(list 1 2)`},
	{"f(\n  a,\n  b=1,\n)", `(call f a (kw b 1))`},
	{"x\r\n", `x`},
	{"(x\r\n+ 1)", `(+ x 1)`},
	{"名前", `名前`},
	{"ｘ + ﬁ", `(+ x fi)`},
	{"x_ñ1", `x_ñ1`},
}

func TestParse(t *testing.T) {
	for _, tc := range parseCases {
		if tc.want == "" {
			continue
		}
		t.Run(tc.src, func(t *testing.T) {
			e, err := Parse(tc.src)
			require.NoError(t, err)
			assert.Equal(t, tc.want, Dump(e))
			checkSpans(t, tc.src, e)
		})
	}
}

// checkSpans asserts that every node's span lies inside the source and
// inside its parent's span.
func checkSpans(t *testing.T, src string, root Node) {
	t.Helper()
	var stack []Node
	Inspect(root, func(n Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		pos, end := n.Span()
		if !assert.True(t, 0 <= pos && pos <= end && end <= len(src), "%s span [%d,%d) outside source of %d bytes", Dump(n), pos, end, len(src)) {
			return false
		}
		if len(stack) > 0 {
			ppos, pend := stack[len(stack)-1].Span()
			assert.True(t, ppos <= pos && end <= pend, "%s [%d,%d) not inside parent %s [%d,%d)", Dump(n), pos, end, Dump(stack[len(stack)-1]), ppos, pend)
		}
		stack = append(stack, n)
		return true
	})
}

func TestSpans(t *testing.T) {
	src := `f(a.b, k=x[1:2]) + -y ** 2`
	e, err := Parse(src)
	require.NoError(t, err)
	text := func(n Node) string {
		pos, end := n.Span()
		return src[pos:end]
	}
	bin := e.(*BinOp)
	assert.Equal(t, src, text(bin))
	assert.Equal(t, 17, bin.OpPos)
	call := bin.Left.(*Call)
	assert.Equal(t, "f(a.b, k=x[1:2])", text(call))
	attr := call.Args[0].(*Attribute)
	assert.Equal(t, "a.b", text(attr))
	assert.Equal(t, 4, attr.AttrPos)
	kw := call.Keywords[0]
	assert.Equal(t, "k=x[1:2]", text(&kw))
	assert.Equal(t, 7, kw.NamePos)
	sub := kw.Value.(*Subscript)
	assert.Equal(t, "x[1:2]", text(sub))
	assert.Equal(t, "1:2", text(sub.Index))
	neg := bin.Right.(*UnaryOp)
	assert.Equal(t, "-y ** 2", text(neg))
	assert.Equal(t, "y ** 2", text(neg.Operand))

	src = `f"a{x!r:>{w}}b"`
	e, err = Parse(src)
	require.NoError(t, err)
	js := e.(*JoinedStr)
	assert.Equal(t, src, src[js.Pos:js.End])
	require.Len(t, js.Values, 3)
	assert.Equal(t, "a", text(js.Values[0]))
	fv := js.Values[1].(*FormattedValue)
	assert.Equal(t, "{x!r:>{w}}", text(fv))
	assert.Equal(t, "x", text(fv.Value))
	assert.Equal(t, ">{w}", text(fv.FormatSpec))
	assert.Equal(t, "b", text(js.Values[2]))

	src = `[k for k, v in d if v]`
	e, err = Parse(src)
	require.NoError(t, err)
	lc := e.(*ListComp)
	assert.Equal(t, "for k, v in d if v", text(&lc.Generators[0]))
	assert.Equal(t, "k, v", text(lc.Generators[0].Target))

	src = `lambda a, b=1, *c, **d: a`
	e, err = Parse(src)
	require.NoError(t, err)
	lam := e.(*Lambda)
	var got []string
	for i := range lam.Params {
		got = append(got, text(&lam.Params[i]))
	}
	assert.Equal(t, []string{"a", "b=1", "*c", "**d"}, got)
	assert.Equal(t, []ParamKind{ParamNormal, ParamNormal, ParamVarArgs, ParamVarKw},
		[]ParamKind{lam.Params[0].Kind, lam.Params[1].Kind, lam.Params[2].Kind, lam.Params[3].Kind})

	src = `a < b not in c`
	e, err = Parse(src)
	require.NoError(t, err)
	assert.Equal(t, []int{2, 6}, e.(*Compare).OpPos)
}

func TestConstantValues(t *testing.T) {
	cases := []struct {
		src  string
		kind ConstKind
		want any
	}{
		{`None`, ConstNone, nil},
		{`True`, ConstBool, true},
		{`False`, ConstBool, false},
		{`7`, ConstInt, int64(7)},
		{`0b11`, ConstInt, int64(3)},
		{`2.5`, ConstFloat, 2.5},
		{`'s'`, ConstStr, "s"},
	}
	for _, tc := range cases {
		e, err := Parse(tc.src)
		require.NoError(t, err, tc.src)
		c, ok := e.(*Constant)
		require.True(t, ok, tc.src)
		assert.Equal(t, tc.kind, c.Kind, tc.src)
		assert.Equal(t, tc.want, c.Value, tc.src)
	}
	e, err := Parse(`99999999999999999999`)
	require.NoError(t, err)
	want, _ := new(big.Int).SetString("99999999999999999999", 10)
	assert.Equal(t, 0, want.Cmp(e.(*Constant).Value.(*big.Int)))
	assert.Equal(t, "int", ConstInt.String())
}

func TestParseFStringBody(t *testing.T) {
	cases := []struct{ src, want string }{
		{``, `(fstr)`},
		{`Hello`, `(fstr "Hello")`},
		{`Hello {name}!`, `(fstr "Hello " (fv name) "!")`},
		{`it's "quoted" '''here'''`, `(fstr "it's \"quoted\" '''here'''")`},
		{`{ _['a'] }`, `(fstr (fv (index _ "a")))`},
		{`{x:>{w}} {{literal}}`, `(fstr (fv x spec=(fstr ">" (fv w))) " {literal}")`},
		{"line1\nline2 {x!r}", `(fstr "line1\nline2 " (fv x !r))`},
		{`tab\there`, `(fstr "tab\there")`},
		{`{f"{x}"}`, `(fstr (fv (fstr (fv x))))`},
		{`{'''a'''}`, `(fstr (fv "a"))`},
	}
	for _, tc := range cases {
		js, err := ParseFStringBody(tc.src)
		require.NoError(t, err, tc.src)
		assert.Equal(t, tc.want, Dump(js), tc.src)
		checkSpans(t, tc.src, js)
	}

	js, err := ParseFStringBody("ab {x}")
	require.NoError(t, err)
	fv := js.Values[1].(*FormattedValue)
	assert.Equal(t, 3, fv.Pos)
	assert.Equal(t, 4, exprPos(fv.Value))

	errs := []struct {
		src, msg  string
		line, col int
	}{
		{`Hello {name`, "f-string: expecting '}'", 1, 12},
		{`Hello {`, "f-string: expecting '}'", 1, 8},
		{`a } b`, "f-string: single '}' is not allowed", 1, 3},
		{`{}`, "f-string: valid expression required before '}'", 1, 2},
		{"x\n{1 +}", "f-string: expecting '=', or '!', or ':', or '}'", 2, 5},
		{`{% for x in y %}`, "f-string: expecting a valid expression after '{'", 1, 2},
		{`{x!z}`, "f-string: invalid conversion character 'z': expected 's', 'r', or 'a'", 1, 4},
	}
	for _, tc := range errs {
		_, err := ParseFStringBody(tc.src)
		var se *Error
		require.ErrorAs(t, err, &se, tc.src)
		assert.Equal(t, tc.msg, se.Msg, tc.src)
		assert.Equal(t, [2]int{tc.line, tc.col}, [2]int{se.Line, se.Column}, tc.src)
	}
}

func TestInspect(t *testing.T) {
	e, err := Parse(`f(a, *b, k=c, **d)[e:g] if h else [i for j in k if l]`)
	require.NoError(t, err)
	var names []string
	Inspect(e, func(n Node) bool {
		if n, ok := n.(*Name); ok {
			names = append(names, n.Id)
		}
		return true
	})
	assert.Equal(t, strings.Fields("f a b c d e g h i j k l"), names)

	// Returning false prunes the subtree; f(nil) follows each visited node.
	var visited, nils int
	Inspect(e, func(n Node) bool {
		if n == nil {
			nils++
			return true
		}
		visited++
		_, isCall := n.(*Call)
		return !isCall
	})
	assert.Equal(t, visited-1, nils) // the pruned Call gets no f(nil)

	Inspect(nil, func(Node) bool { t.Fatal("called for nil"); return true })
	var nilName *Name
	Inspect(nilName, func(Node) bool { t.Fatal("called for typed nil"); return true })
}

func TestErrorIsTyped(t *testing.T) {
	_, err := Parse("1 +")
	var se *Error
	require.True(t, errors.As(err, &se))
	assert.Equal(t, KindSyntax, se.Kind)
	assert.Equal(t, "SyntaxError: unexpected EOF while parsing (line 1, column 4)", err.Error())
}

// TestParseConcurrent parses from many goroutines at once (parsers are
// pooled): every result must be the one a lone parse gives.
func TestParseConcurrent(t *testing.T) {
	want := make([]string, len(parseCases))
	for i, tc := range parseCases {
		e, err := Parse(tc.src)
		require.NoError(t, err)
		want[i] = Dump(e)
	}
	errs := make(chan string, 8)
	for g := 0; g < 8; g++ {
		go func() {
			for i, tc := range parseCases {
				e, err := Parse(tc.src)
				if err != nil || Dump(e) != want[i] {
					errs <- tc.src
					return
				}
				_, _ = Parse(tc.src + " +") // an error path too
			}
			errs <- ""
		}()
	}
	for g := 0; g < 8; g++ {
		assert.Empty(t, <-errs)
	}
}
