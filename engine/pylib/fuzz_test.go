package pylib

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/julepkit/julep/engine/py"
)

// FuzzTranslateRegex: any pattern either translates to RE2 syntax that Go
// compiles, or is refused with a RegexError; never a panic. When it
// translates, matching never panics either.
func FuzzTranslateRegex(f *testing.F) {
	for _, s := range []string{`a+b*`, `(?P<n>\d{2,})-\w`, `[^\W\d]`, `(?x) a # c`, `\x41\u00e9`, `[]a-]`, `(?i:a)b`,
		`a{,3}`, `(?<=x)`, `\1`, `[\s\S]`, `(?m)^$`, `\Z`, `[[:alpha:]]`, `{`, `a|`, `(`, `\`} {
		f.Add(s, 0)
	}
	f.Fuzz(func(t *testing.T, pattern string, flags int) {
		flags &= reFlagIgnoreCase | reFlagMultiline | reFlagDotAll | reFlagVerbose | reFlagASCII
		tr, err := translateRegex(pattern, flags)
		if err != nil {
			var re *RegexError
			if !errors.As(err, &re) {
				t.Fatalf("translate %q: unexpected error type %T", pattern, err)
			}
			return
		}
		if _, err := regexp.Compile(tr.expr); err != nil {
			// RE2 limits (repeat counts…) are reported by compileRegex.
			if _, cerr := compileRegex(pattern, flags); cerr == nil {
				t.Fatalf("compileRegex accepted %q but RE2 rejects %q: %v", pattern, tr.expr, err)
			}
			return
		}
		p, err := compileRegex(pattern, flags)
		if err != nil {
			t.Fatalf("compileRegex(%q): %v", pattern, err)
		}
		st := py.NewState(t.Context(), py.Limits{})
		if _, err := p.findall(st, "abc 123 éé\n_x"); err != nil {
			t.Fatalf("findall: %v", err)
		}
		if _, _, err := p.sub(st, "-", "abc 123", 0); err != nil {
			t.Fatalf("sub: %v", err)
		}
	})
}

// FuzzFormatParser: str.format templates either parse or give a ValueError;
// rendering never panics and only fails with Python errors.
func FuzzFormatParser(f *testing.F) {
	for _, s := range []string{"{}", "{0[1]}", "{a.b}", "{:{w}}", "{!r:>5}", "{{}}", "{", "}", "{0.}", "{[}", "{:{:{}}}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tpl string) {
		fields, err := parseFormat(tpl)
		if err != nil {
			var pe *py.Error
			if !errors.As(err, &pe) || pe.Kind != py.ValueError {
				t.Fatalf("parseFormat(%q): unexpected error %v", tpl, err)
			}
			return
		}
		if len(fields) == 0 {
			t.Fatalf("parseFormat(%q): no fields", tpl)
		}
		st := py.NewState(t.Context(), py.Limits{MaxStringLen: 10_000})
		d := py.NewDict(0)
		d.SetStr("a", int64(1))
		_, err = strFormatMethod(st, tpl, []any{int64(7), "s", py.NewList([]any{int64(1), int64(2)})},
			&py.Kwargs{Names: []string{"a", "w"}, Values: []any{d, int64(3)}})
		if err != nil {
			var pe *py.Error
			if !errors.As(err, &pe) {
				t.Fatalf("format(%q): non-Python error %v", tpl, err)
			}
		}
	})
}

// FuzzYAMLDump: any string dumps without panic to YAML that parses back,
// as a mapping value, a list item and a root scalar.
func FuzzYAMLDump(f *testing.F) {
	for _, s := range []string{"", "a: b", "x\ny", "é", "'q'", "\"d\"", " lead", "- x", "#c", "a\tb", strings.Repeat("word ", 40)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		st := py.NewState(t.Context(), py.Limits{})
		d := py.NewDict(0)
		d.SetStr("k", s)
		for _, v := range []any{d, py.NewList([]any{s}), s} {
			out, err := yamlDump(st, v, true)
			if err != nil {
				t.Fatalf("dump %q: %v", s, err)
			}
			if _, err := yamlLoad(st, out); err != nil {
				t.Fatalf("dump of %q gives unparsable YAML %q: %v", s, out, err)
			}
		}
	})
}
