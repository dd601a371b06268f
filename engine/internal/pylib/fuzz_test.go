package pylib

import (
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/julepkit/julep/engine/internal/py"
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
		st := libState(py.NewState(t.Context(), py.Limits{}))
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
		st := libState(py.NewState(t.Context(), py.Limits{MaxStringLen: 10_000}))
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
		st := libState(py.NewState(t.Context(), py.Limits{}))
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

// FuzzDatetimeParsing: fromisoformat and strptime give a value or a Python
// error, never a panic.
func FuzzDatetimeParsing(f *testing.F) {
	for _, s := range []string{"2024-05-17", "2024-05-17T10:20:30.5+02:00", "20240517T1020", "2024-05-17 10:20Z", "x"} {
		f.Add(s, "%Y-%m-%d %H:%M:%S%z")
	}
	f.Add("Fri, 17 May 2024", "%a, %d %b %Y")
	f.Add("day 032", "day %j %%")
	f.Fuzz(func(t *testing.T, s, format string) {
		check := func(v any, err error) {
			if err != nil {
				var pe *py.Error
				if !errors.As(err, &pe) {
					t.Fatalf("non-Python error %v", err)
				}
			}
		}
		check(parseISO(s, false))
		check(parseISO(s, true))
		check(strptime(s, format))
	})
}

// FuzzJSONLoads: json.loads gives a value or a JSONDecodeError/ValueError/
// LimitError; documents Go's decoder accepts are accepted too, and what we
// decode dumps back to JSON that decodes to the same repr.
func FuzzJSONLoads(f *testing.F) {
	for _, s := range []string{`{"a": [1, 2.5, null, true]}`, `"\ud83c\udf89"`, `[1,`, `NaN`, `{"a":1}x`, `1e400`, `-0`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		st := libState(py.NewState(t.Context(), py.Limits{}))
		v, err := jsonLoads(st, s)
		if err != nil {
			var pe *py.Error
			if !errors.As(err, &pe) || (pe.Kind != "JSONDecodeError" && pe.Kind != py.ValueError && pe.Kind != py.LimitError) {
				t.Fatalf("loads(%q): unexpected error %v", s, err)
			}
			if utf8.ValidString(s) && json.Valid([]byte(s)) && pe.Kind == "JSONDecodeError" {
				t.Fatalf("loads(%q): Go accepts this document, we said %v", s, err)
			}
			return
		}
		out, err := jsonDumps(st, []any{v}, nil)
		if err != nil {
			t.Fatalf("dumps(loads(%q)): %v", s, err)
		}
		v2, err := jsonLoads(st, out.(string))
		if err != nil {
			t.Fatalf("loads(dumps(loads(%q))) = loads(%q): %v", s, out, err)
		}
		if py.Repr(v) != py.Repr(v2) && !strings.Contains(py.Repr(v), "nan") {
			t.Fatalf("round trip of %q: %s then %s", s, py.Repr(v), py.Repr(v2))
		}
	})
}
