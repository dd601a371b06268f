package syntax

import (
	"errors"
	"testing"
	"time"
)

// fuzzOracle checks the outcome of parsing src: a tree whose spans lie in
// the source, or an *Error with an offset inside the source, quickly.
func fuzzOracle(t *testing.T, src string, n Node, err error, elapsed time.Duration) {
	t.Helper()
	if elapsed > 2*time.Second {
		t.Fatalf("parsing %d bytes took %v", len(src), elapsed)
	}
	if err != nil {
		var se *Error
		if !errors.As(err, &se) {
			t.Fatalf("error is %T, not *Error: %v", err, err)
		}
		if se.Offset < 0 || se.Offset > len(src) {
			t.Fatalf("error offset %d outside source of %d bytes: %v", se.Offset, len(src), err)
		}
		if se.Kind != KindSyntax && se.Kind != KindLimit {
			t.Fatalf("unknown error kind %q", se.Kind)
		}
		if line, col := LineCol(src, se.Offset); line != se.Line || col != se.Column {
			t.Fatalf("line/column %d:%d disagree with offset %d (%d:%d)", se.Line, se.Column, se.Offset, line, col)
		}
		_ = se.Snippet(src)
		return
	}
	if n == nil {
		t.Fatal("no tree and no error")
	}
	Inspect(n, func(n Node) bool {
		if n == nil {
			return true
		}
		pos, end := n.Span()
		if pos < 0 || pos > end || end > len(src) {
			t.Fatalf("%s: span [%d,%d) outside source of %d bytes", Dump(n), pos, end, len(src))
		}
		return true
	})
	_ = Dump(n)
}

func fuzzSeeds(f *testing.F) {
	for _, tc := range parseCases {
		f.Add(tc.src)
	}
	for _, tc := range errorCases {
		f.Add(tc.src)
	}
	f.Add(`f"{x:{y:{z}}}" f'{a!r:>{w}.{p}f}' rf"\{x}" f"""{` + "\n" + `x # c` + "\n" + `}"""`)
	f.Add(`[k for k, v in sorted(d.items(), key=lambda kv: -kv[1]) if v] + [*a, *b]`)
}

func FuzzParse(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, src string) {
		start := time.Now()
		e, err := Parse(src)
		var n Node
		if e != nil {
			n = e
		}
		fuzzOracle(t, src, n, err, time.Since(start))
	})
}

func FuzzFString(f *testing.F) {
	fuzzSeeds(f)
	f.Add(`Hello {name}! {{literal}} {x!r:>{w}} {d["k"]} {f'{y}'}`)
	f.Add(`{% for x in y %}{x}{% endfor %}`)
	f.Fuzz(func(t *testing.T, src string) {
		start := time.Now()
		js, err := ParseFStringBody(src)
		var n Node
		if js != nil {
			n = js
		}
		fuzzOracle(t, src, n, err, time.Since(start))
		// The same text as a quoted f-string must behave too.
		start = time.Now()
		e, err := Parse(`f'''` + src + `'''`)
		n = nil
		if e != nil {
			n = e
		}
		fuzzOracle(t, `f'''`+src+`'''`, n, err, time.Since(start))
	})
}
