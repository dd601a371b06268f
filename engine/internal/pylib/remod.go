package pylib

import (
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/julepkit/julep/engine/internal/py"
)

// Pattern is a compiled Python regular expression (re.Pattern), run by Go's
// RE2 engine after translation (see translateRegex).
type Pattern struct {
	Source string // the Python pattern
	Flags  int    // re flags (re.I …)
	tr     translated
	strict *reSet // "$" matches only at the end
	nl     *reSet // "$" also before a final newline (nil: no "$" in the pattern)
	empty  *reSet // for an empty subject when the pattern has \B (nil otherwise)
}

// reSet holds the compiled forms of one translation.
type reSet struct {
	// alts, for a pattern whose top level is an alternation, force each
	// alternative in turn (the others can never match; group numbers are
	// kept): [i][0] anchored at the start of the text, [i][1] anchored after
	// one character of context.
	alts   [][2]*regexp.Regexp
	search *regexp.Regexp // unanchored
	anchor *regexp.Regexp // \A(?:…)
	full   *regexp.Regexp // \A(?:…)\z
	after  *regexp.Regexp // search resumed after a known previous character
	// anchorAfter and fullAfter are anchor and full at a position after
	// one character of context (Pattern.match/fullmatch with pos > 0).
	anchorAfter *regexp.Regexp
	fullAfter   *regexp.Regexp
}

// set picks the compiled forms for subject s: Python's "$" matches before
// a final newline too, which RE2's multiline "$" reproduces exactly when s
// has no other newline.
func (p *Pattern) set(s string) *reSet {
	if s == "" && p.empty != nil {
		return p.empty
	}
	if p.nl != nil && strings.HasSuffix(s, "\n") && strings.IndexByte(s, '\n') == len(s)-1 {
		return p.nl
	}
	return p.strict
}

// TypeName returns "re.Pattern" (CPython's tp_name, used in messages).
func (p *Pattern) TypeName() string { return "re.Pattern" }

// Repr returns "re.compile('a+')" (with flags when set).
func (p *Pattern) Repr() string {
	s := "re.compile(" + pyQuote(p.Source)
	if f := flagNames(p.tr.flags &^ reFlagUnicode); f != "" {
		s += ", " + f
	}
	return s + ")"
}

// GetAttr exposes pattern, flags (with the global inline flags, and
// re.UNICODE unless re.ASCII), groups and groupindex (a dict: CPython's is a
// read-only mappingproxy).
func (p *Pattern) GetAttr(st *py.State, name string) (any, bool, error) {
	switch name {
	case "pattern":
		return p.Source, true, nil
	case "flags":
		return int64(p.tr.flags), true, nil
	case "groups":
		return int64(p.tr.groups), true, nil
	case "groupindex":
		d := py.NewDict(0)
		for i, n := range p.tr.names {
			if n != "" {
				d.SetStr(n, int64(i))
			}
		}
		return d, true, nil
	}
	return nil, false, nil
}

func flagNames(f int) string {
	var parts []string
	for _, x := range []struct {
		v int
		n string
	}{{reFlagIgnoreCase, "re.IGNORECASE"}, {reFlagLocale, "re.LOCALE"}, {reFlagMultiline, "re.MULTILINE"}, {reFlagDotAll, "re.DOTALL"}, {reFlagVerbose, "re.VERBOSE"}, {reFlagASCII, "re.ASCII"}} {
		if f&x.v != 0 {
			parts = append(parts, x.n)
		}
	}
	return strings.Join(parts, "|")
}

var (
	reCacheMu sync.Mutex
	reCache   = map[string]*Pattern{}
)

const reCacheMax = 512

// compileRegex translates and compiles pattern (cached).
func compileRegex(pattern string, flags int) (*Pattern, error) {
	key := strconv.Itoa(flags) + "\x00" + pattern
	reCacheMu.Lock()
	p := reCache[key]
	reCacheMu.Unlock()
	if p != nil {
		return p, nil
	}
	tr, err := translateRegex(pattern, flags)
	if err != nil {
		return nil, err
	}
	p = &Pattern{Source: pattern, Flags: flags, tr: tr}
	if p.strict, err = compileSet(tr.expr); err != nil {
		return nil, err
	}
	if tr.exprNL != "" {
		if p.nl, err = compileSet(tr.exprNL); err != nil {
			return nil, err
		}
	}
	if tr.exprEmpty != "" {
		if p.empty, err = compileSet(tr.exprEmpty); err != nil {
			return nil, err
		}
	}
	reCacheMu.Lock()
	if len(reCache) >= reCacheMax {
		for k := range reCache {
			delete(reCache, k)
			break
		}
	}
	reCache[key] = p
	reCacheMu.Unlock()
	return p, nil
}

func compileSet(expr string) (*reSet, error) {
	mk := func(expr string) (*regexp.Regexp, error) {
		re, err := regexp.Compile(expr)
		if err != nil {
			return nil, &RegexError{Msg: "cannot compile with RE2: " + strings.TrimPrefix(err.Error(), "error parsing regexp: ")}
		}
		return re, nil
	}
	var s reSet
	var err error
	if s.search, err = mk(expr); err != nil {
		return nil, err
	}
	if s.anchor, err = mk(`\A(?:` + expr + `)`); err != nil {
		return nil, err
	}
	if s.full, err = mk(`\A(?:` + expr + `)\z`); err != nil {
		return nil, err
	}
	if s.after, err = mk(`(?s:.)(?s:.*?)(` + expr + `)`); err != nil {
		return nil, err
	}
	if s.anchorAfter, err = mk(`\A(?s:.)(` + expr + `)`); err != nil {
		return nil, err
	}
	if s.fullAfter, err = mk(`\A(?s:.)(` + expr + `)\z`); err != nil {
		return nil, err
	}
	if tree, perr := syntax.Parse(expr, syntax.Perl); perr == nil && tree.Op == syntax.OpAlternate && len(tree.Sub) > 1 && len(tree.Sub) <= 16 {
		for i := range tree.Sub {
			var b strings.Builder
			for j, sub := range tree.Sub {
				if j > 0 {
					b.WriteByte('|')
				}
				if j != i {
					b.WriteString(`[^\x00-\x{10FFFF}]`)
				}
				b.WriteString("(?:" + sub.String() + ")")
			}
			v := b.String()
			a0, err0 := regexp.Compile(`\A(?:` + v + `)`)
			a1, err1 := regexp.Compile(`\A(?s:.)(` + v + `)`)
			if err0 != nil || err1 != nil {
				s.alts = nil
				break
			}
			s.alts = append(s.alts, [2]*regexp.Regexp{a0, a1})
		}
	}
	return &s, nil
}

// nonEmptyAt returns the first non-empty match starting exactly at pos
// among the top-level alternatives, or nil.
func (p *Pattern) nonEmptyAt(s string, pos int) []int {
	rs := p.set(s)
	for _, a := range rs.alts {
		var loc []int
		if pos == 0 {
			loc = a[0].FindStringSubmatchIndex(s)
		} else {
			_, w := utf8.DecodeLastRuneInString(s[:pos])
			base := pos - w
			if l := a[1].FindStringSubmatchIndex(s[base:]); l != nil {
				loc = l[2:]
				for i := range loc {
					if loc[i] >= 0 {
						loc[i] += base
					}
				}
			}
		}
		if loc != nil && loc[1] > loc[0] {
			return loc
		}
	}
	return nil
}

// searchAt finds the leftmost match starting at byte offset pos or later,
// with the context before pos visible to assertions (\b, ^ in MULTILINE).
// It returns byte offsets of all groups (-1 when a group did not take part).
func (p *Pattern) searchAt(s string, pos int) []int {
	rs := p.set(s)
	if pos == 0 {
		return rs.search.FindStringSubmatchIndex(s)
	}
	if pos > len(s) {
		return nil
	}
	_, w := utf8.DecodeLastRuneInString(s[:pos])
	base := pos - w
	loc := rs.after.FindStringSubmatchIndex(s[base:])
	if loc == nil {
		return nil
	}
	out := loc[2:]
	for i := range out {
		if out[i] >= 0 {
			out[i] += base
		}
	}
	return out
}

// Match is a Python re.Match.
type Match struct {
	pat *Pattern
	str string
	loc []int // byte offsets
	// pos and endpos are the window the pattern method searched (code
	// points); endpos < 0 means the end of str.
	pos, endpos int
}

// TypeName returns "re.Match" (CPython's tp_name, used in messages).
func (m *Match) TypeName() string { return "re.Match" }

// Repr returns "<re.Match object; span=(0, 3), match='abc'>".
func (m *Match) Repr() string {
	a, b := m.span(0)
	return "<re.Match object; span=(" + strconv.Itoa(a) + ", " + strconv.Itoa(b) + "), match=" + pyQuote(m.str[m.loc[0]:m.loc[1]]) + ">"
}

func (m *Match) runeOff(b int) int {
	if b < 0 {
		return -1
	}
	return utf8.RuneCountInString(m.str[:b])
}

func (m *Match) span(g int) (int, int) {
	return m.runeOff(m.loc[2*g]), m.runeOff(m.loc[2*g+1])
}

func (m *Match) groupVal(g int, def any) any {
	if m.loc[2*g] < 0 {
		return def
	}
	return m.str[m.loc[2*g]:m.loc[2*g+1]]
}

// groupIndex resolves a group reference (int or name).
func (m *Match) groupIndex(v any) (int, error) {
	switch x := v.(type) {
	case string:
		if i := indexOf(m.pat.tr.names, x); i > 0 {
			return i, nil
		}
		return 0, py.Errorf(py.IndexError, "no such group")
	default:
		n, ok := asInt(v)
		if !ok {
			return 0, py.Errorf(py.IndexError, "no such group")
		}
		if n < 0 || n > int64(m.pat.tr.groups) {
			return 0, py.Errorf(py.IndexError, "no such group")
		}
		return int(n), nil
	}
}

// GetItem implements m[g].
func (m *Match) GetItem(st *py.State, key any) (any, error) {
	g, err := m.groupIndex(key)
	if err != nil {
		return nil, err
	}
	return m.groupVal(g, nil), nil
}

// GetAttr exposes string, re, pos, endpos, lastindex and lastgroup.
func (m *Match) GetAttr(st *py.State, name string) (any, bool, error) {
	switch name {
	case "string":
		return m.str, true, nil
	case "re":
		return m.pat, true, nil
	case "pos":
		return int64(m.pos), true, nil
	case "endpos":
		if m.endpos >= 0 {
			return int64(m.endpos), true, nil
		}
		return int64(utf8.RuneCountInString(m.str)), true, nil
	case "regs":
		regs := make(py.Tuple, m.pat.tr.groups+1)
		for g := range regs {
			a, b := m.span(g)
			regs[g] = py.Tuple{int64(a), int64(b)}
		}
		return regs, true, nil
	case "lastindex", "lastgroup":
		best, bestEnd := 0, -1
		for g := 1; g <= m.pat.tr.groups; g++ {
			if m.loc[2*g] >= 0 && m.loc[2*g+1] > bestEnd {
				best, bestEnd = g, m.loc[2*g+1]
			}
		}
		if best == 0 {
			return nil, true, nil
		}
		if name == "lastindex" {
			return int64(best), true, nil
		}
		if n := m.pat.tr.names[best]; n != "" {
			return n, true, nil
		}
		return nil, true, nil
	}
	return nil, false, nil
}

func regMatch(lib *py.Library, name string, f func(st *py.State, m *Match, args []any, kw *py.Kwargs) (any, error)) {
	addMethod(lib, "re.Match", name, func(st *py.State, recv any, args []any, kw *py.Kwargs) (any, error) {
		m, ok := recv.(*Match)
		if !ok {
			return nil, typeErr("descriptor '%s' for 're.Match' objects doesn't apply to a '%s' object", name, tn(recv))
		}
		return f(st, m, args, kw)
	})
}

func addRemod(lib *py.Library) {
	regMatch(lib, "group", func(st *py.State, m *Match, args []any, kw *py.Kwargs) (any, error) {
		if err := noKw("group", kw); err != nil {
			return nil, err
		}
		if len(args) == 0 {
			return m.groupVal(0, nil), nil
		}
		out := make(py.Tuple, len(args))
		for i, a := range args {
			g, err := m.groupIndex(a)
			if err != nil {
				return nil, err
			}
			out[i] = m.groupVal(g, nil)
		}
		if len(out) == 1 {
			return out[0], nil
		}
		return out, nil
	})
	regMatch(lib, "groups", func(st *py.State, m *Match, args []any, kw *py.Kwargs) (any, error) {
		a, err := bind("groups", args, kw, []string{"default"}, 0)
		if err != nil {
			return nil, err
		}
		var def any
		if given(a[0]) {
			def = a[0]
		}
		out := make(py.Tuple, m.pat.tr.groups)
		for g := 1; g <= m.pat.tr.groups; g++ {
			out[g-1] = m.groupVal(g, def)
		}
		return out, nil
	})
	regMatch(lib, "groupdict", func(st *py.State, m *Match, args []any, kw *py.Kwargs) (any, error) {
		a, err := bind("groupdict", args, kw, []string{"default"}, 0)
		if err != nil {
			return nil, err
		}
		var def any
		if given(a[0]) {
			def = a[0]
		}
		d := py.NewDict(0)
		for g, n := range m.pat.tr.names {
			if n != "" {
				d.SetStr(n, m.groupVal(g, def))
			}
		}
		return d, nil
	})
	pos := func(name string) {
		regMatch(lib, name, func(st *py.State, m *Match, args []any, kw *py.Kwargs) (any, error) {
			if err := posArgs(name, args, kw, 0, 1); err != nil {
				return nil, err
			}
			g := 0
			if len(args) == 1 {
				var err error
				if g, err = m.groupIndex(args[0]); err != nil {
					return nil, err
				}
			}
			a, b := m.span(g)
			switch name {
			case "start":
				return int64(a), nil
			case "end":
				return int64(b), nil
			}
			return py.Tuple{int64(a), int64(b)}, nil
		})
	}
	pos("start")
	pos("end")
	pos("span")
	regMatch(lib, "expand", func(st *py.State, m *Match, args []any, kw *py.Kwargs) (any, error) {
		if len(args) != 1 {
			return nil, typeErr("expand() takes exactly one argument (%d given)", len(args))
		}
		tpl, ok := args[0].(string)
		if !ok {
			return nil, typeErr("expected str, not %s", tn(args[0]))
		}
		parts, err := parseReplTemplate(tpl, m.pat)
		if err != nil {
			return nil, err
		}
		return expandRepl(parts, m), nil
	})

	mod := &py.Module{Name: "re", Attrs: map[string]any{
		"I": RegexFlag(reFlagIgnoreCase), "IGNORECASE": RegexFlag(reFlagIgnoreCase),
		"M": RegexFlag(reFlagMultiline), "MULTILINE": RegexFlag(reFlagMultiline),
		"S": RegexFlag(reFlagDotAll), "DOTALL": RegexFlag(reFlagDotAll),
		"X": RegexFlag(reFlagVerbose), "VERBOSE": RegexFlag(reFlagVerbose),
		"A": RegexFlag(reFlagASCII), "ASCII": RegexFlag(reFlagASCII),
		"U": RegexFlag(reFlagUnicode), "UNICODE": RegexFlag(reFlagUnicode),
		"L": RegexFlag(reFlagLocale), "LOCALE": RegexFlag(reFlagLocale),
		"NOFLAG": RegexFlag(0),
	}}
	addFn := func(name string, f func(st *py.State, args []any, kw *py.Kwargs) (any, error)) {
		mod.Attrs[name] = fn("re."+name, f)
	}
	for _, kind := range []string{"search", "match", "fullmatch"} {
		kind := kind
		addFn(kind, func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
			a, err := bind(kind, args, kw, []string{"pattern", "string", "flags"}, 2)
			if err != nil {
				return nil, err
			}
			p, s, err := patAndString(a[0], a[1], a[2])
			if err != nil {
				return nil, err
			}
			return p.matchKind(st, kind, s)
		})
	}
	addFn("findall", func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
		a, err := bind("findall", args, kw, []string{"pattern", "string", "flags"}, 2)
		if err != nil {
			return nil, err
		}
		p, s, err := patAndString(a[0], a[1], a[2])
		if err != nil {
			return nil, err
		}
		return p.findall(st, s)
	})
	addFn("finditer", func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
		a, err := bind("finditer", args, kw, []string{"pattern", "string", "flags"}, 2)
		if err != nil {
			return nil, err
		}
		p, s, err := patAndString(a[0], a[1], a[2])
		if err != nil {
			return nil, err
		}
		ms, err := p.iterate(st, s, 0)
		if err != nil {
			return nil, err
		}
		out := make([]any, len(ms))
		for i, m := range ms {
			out[i] = m
		}
		return py.NewList(out), nil
	})
	addFn("split", func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
		a, err := bind("split", args, kw, []string{"pattern", "string", "maxsplit", "flags"}, 2)
		if err != nil {
			return nil, err
		}
		p, s, err := patAndString(a[0], a[1], a[3])
		if err != nil {
			return nil, err
		}
		max := int64(0)
		if given(a[2]) {
			if max, err = indexArg(a[2]); err != nil {
				return nil, err
			}
		}
		return p.split(st, s, max)
	})
	for _, name := range []string{"sub", "subn"} {
		name := name
		addFn(name, func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
			a, err := bind(name, args, kw, []string{"pattern", "repl", "string", "count", "flags"}, 3)
			if err != nil {
				return nil, err
			}
			p, s, err := patAndString(a[0], a[2], a[4])
			if err != nil {
				return nil, err
			}
			count := int64(0)
			if given(a[3]) {
				if count, err = indexArg(a[3]); err != nil {
					return nil, err
				}
			}
			out, n, err := p.sub(st, a[1], s, count)
			if err != nil {
				return nil, err
			}
			if name == "subn" {
				return py.Tuple{out, int64(n)}, nil
			}
			return out, nil
		})
	}
	addFn("escape", func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
		a, err := bind("escape", args, kw, []string{"pattern"}, 1)
		if err != nil {
			return nil, err
		}
		s, ok := a[0].(string)
		if !ok {
			return nil, typeErr("escape() argument must be str, not %s", tn(a[0]))
		}
		out := reEscape(s)
		if err := st.CheckBuilt([]byte(out)); err != nil {
			return nil, err
		}
		return out, nil
	})
	addFn("compile", func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
		a, err := bind("compile", args, kw, []string{"pattern", "flags"}, 1)
		if err != nil {
			return nil, err
		}
		p, _, err := patAndString(a[0], "", a[1])
		return p, err
	})
	addModule(lib, mod)
	initPatternMethods(lib)
}

// reEscape is re.escape: escapes the characters special in patterns.
func reEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x80 && strings.ContainsRune("()[]{}?*+-|^$\\.&~# \t\n\r\v\f", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// reErr converts a translation error into a py error of kind "error"
// (re.error's class name, as CPython reports it).
func reErr(err error) error {
	if re, ok := err.(*RegexError); ok {
		return py.Errorf("error", "%s", re.Msg)
	}
	return err
}

func patAndString(pv, sv, fv any) (*Pattern, string, error) {
	flags := int64(0)
	if given(fv) {
		f, ok := asInt(fv)
		if !ok {
			return nil, "", typeErr("unsupported operand type(s) for &: '%s' and 'int'", tn(fv))
		}
		flags = f
	}
	var p *Pattern
	switch x := pv.(type) {
	case *Pattern:
		if flags != 0 {
			return nil, "", valueErr("cannot process flags argument with a compiled pattern")
		}
		p = x
	case string:
		var err error
		if p, err = compileRegex(x, int(flags)); err != nil {
			return nil, "", reErr(err)
		}
	default:
		return nil, "", typeErr("first argument must be string or compiled pattern")
	}
	s, ok := sv.(string)
	if !ok {
		return nil, "", typeErr("expected string or bytes-like object, got '%s'", tn(sv))
	}
	return p, s, nil
}

func (p *Pattern) matchKind(st *py.State, kind, s string) (any, error) {
	if err := st.Charge(int64(len(s)/16 + 1)); err != nil {
		return nil, err
	}
	var loc []int
	rs := p.set(s)
	switch kind {
	case "search":
		loc = rs.search.FindStringSubmatchIndex(s)
	case "match":
		loc = rs.anchor.FindStringSubmatchIndex(s)
	default:
		loc = rs.full.FindStringSubmatchIndex(s)
	}
	if loc == nil {
		return nil, nil
	}
	return &Match{pat: p, str: s, loc: loc, endpos: -1}, nil
}

// window reads the string, pos and endpos arguments of a pattern method
// (p.search(s, pos, endpos)…): the subject cut at endpos and the byte
// offset of pos in it, with the code point positions for the Match.
type window struct {
	s, cut      string // the whole string, and s cut at endpos
	start       int    // byte offset of pos in cut (-1: pos beyond endpos)
	pos, endpos int    // code points
}

func windowArgs(name string, args []any, kw *py.Kwargs) (window, error) {
	a, err := bind(name, args, kw, []string{"string", "pos", "endpos"}, 1)
	if err != nil {
		return window{}, err
	}
	s, ok := a[0].(string)
	if !ok {
		return window{}, typeErr("expected string or bytes-like object, got '%s'", tn(a[0]))
	}
	n := int64(utf8.RuneCountInString(s))
	pos, endpos := int64(0), n
	if given(a[1]) {
		if pos, err = indexArg(a[1]); err != nil {
			return window{}, err
		}
	}
	if given(a[2]) {
		if endpos, err = indexArg(a[2]); err != nil {
			return window{}, err
		}
	}
	pos, endpos = min(max(pos, 0), n), min(max(endpos, 0), n)
	w := window{s: s, pos: int(pos), endpos: int(endpos)}
	w.cut = s[:runeByteOffset(s, int(endpos))]
	w.start = -1
	if pos <= endpos {
		w.start = runeByteOffset(s, int(pos))
	}
	return w, nil
}

// runeByteOffset is the byte offset of code point i of s (i <= its length).
func runeByteOffset(s string, i int) int {
	for b := range s {
		if i == 0 {
			return b
		}
		i--
	}
	return len(s)
}

// matchWindow is search, match or fullmatch of a pattern method over w.
func (p *Pattern) matchWindow(st *py.State, kind string, w window) (any, error) {
	if err := st.Charge(int64(len(w.cut)/16 + 1)); err != nil {
		return nil, err
	}
	if w.start < 0 {
		return nil, nil
	}
	var loc []int
	if w.start == 0 {
		rs := p.set(w.cut)
		switch kind {
		case "search":
			loc = rs.search.FindStringSubmatchIndex(w.cut)
		case "match":
			loc = rs.anchor.FindStringSubmatchIndex(w.cut)
		default:
			loc = rs.full.FindStringSubmatchIndex(w.cut)
		}
	} else if kind == "search" {
		loc = p.searchAt(w.cut, w.start)
	} else {
		// Anchored at pos, with the character before it as context.
		rs := p.set(w.cut)
		_, width := utf8.DecodeLastRuneInString(w.cut[:w.start])
		base := w.start - width
		re := rs.anchorAfter
		if kind == "fullmatch" {
			re = rs.fullAfter
		}
		if l := re.FindStringSubmatchIndex(w.cut[base:]); l != nil {
			loc = l[2:]
			for i := range loc {
				if loc[i] >= 0 {
					loc[i] += base
				}
			}
		}
	}
	if loc == nil {
		return nil, nil
	}
	return &Match{pat: p, str: w.s, loc: loc, pos: w.pos, endpos: w.endpos}, nil
}

// iterateWindow is iterate over a pattern method's window.
func (p *Pattern) iterateWindow(st *py.State, w window) ([]*Match, error) {
	if w.start < 0 {
		return nil, nil
	}
	ms, err := p.iterateFrom(st, w.cut, w.start, 0)
	for _, m := range ms {
		m.str, m.pos, m.endpos = w.s, w.pos, w.endpos
	}
	return ms, err
}

// iterate returns the successive matches as Python's finditer does (empty
// matches allowed next to a previous match). limit 0 means all.
func (p *Pattern) iterate(st *py.State, s string, limit int64) ([]*Match, error) {
	return p.iterateFrom(st, s, 0, limit)
}

// iterateFrom is iterate starting at byte offset pos of s.
func (p *Pattern) iterateFrom(st *py.State, s string, pos int, limit int64) ([]*Match, error) {
	var out []*Match
	mustAdvance := false
	for pos <= len(s) {
		if err := st.Charge(int64(len(s)-pos)/16 + 1); err != nil {
			return nil, err
		}
		loc := p.searchAt(s, pos)
		if loc != nil && mustAdvance && loc[0] == pos && loc[1] == pos {
			// An empty match where the previous one ended: Python backtracks
			// into a non-empty match at the same place. We try the
			// top-level alternatives in order, then search one character
			// further.
			loc = p.nonEmptyAt(s, pos)
			if loc == nil {
				if pos >= len(s) {
					break
				}
				_, w := utf8.DecodeRuneInString(s[pos:])
				loc = p.searchAt(s, pos+w)
			}
		}
		if loc == nil {
			break
		}
		out = append(out, &Match{pat: p, str: s, loc: loc, endpos: -1})
		if err := newColl(st, len(out)); err != nil {
			return nil, err
		}
		if limit > 0 && int64(len(out)) >= limit {
			break
		}
		mustAdvance = loc[0] == loc[1]
		pos = loc[1]
	}
	return out, nil
}

func (p *Pattern) findall(st *py.State, s string) (any, error) {
	ms, err := p.iterate(st, s, 0)
	if err != nil {
		return nil, err
	}
	return p.findallOf(ms), nil
}

// findallOf is findall's list for the matches ms.
func (p *Pattern) findallOf(ms []*Match) any {
	out := make([]any, len(ms))
	for i, m := range ms {
		switch p.tr.groups {
		case 0:
			out[i] = m.groupVal(0, "")
		case 1:
			out[i] = m.groupVal(1, "")
		default:
			t := make(py.Tuple, p.tr.groups)
			for g := 1; g <= p.tr.groups; g++ {
				t[g-1] = m.groupVal(g, "")
			}
			out[i] = t
		}
	}
	return py.NewList(out)
}

func (p *Pattern) split(st *py.State, s string, max int64) (any, error) {
	if max < 0 {
		return py.NewList([]any{s}), nil
	}
	ms, err := p.iterate(st, s, max)
	if err != nil {
		return nil, err
	}
	var out []any
	last := 0
	for _, m := range ms {
		out = append(out, s[last:m.loc[0]])
		for g := 1; g <= p.tr.groups; g++ {
			out = append(out, m.groupVal(g, nil))
		}
		last = m.loc[1]
	}
	out = append(out, s[last:])
	if err := newColl(st, len(out)); err != nil {
		return nil, err
	}
	return py.NewList(out), nil
}

// replPart is a piece of a replacement template: literal text or a group.
type replPart struct {
	lit   string
	group int // -1 for literal
}

// parseReplTemplate parses a re.sub replacement string.
func parseReplTemplate(t string, p *Pattern) ([]replPart, error) {
	var parts []replPart
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			parts = append(parts, replPart{lit: lit.String(), group: -1})
			lit.Reset()
		}
	}
	rs := []rune(t)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		if c != '\\' {
			lit.WriteRune(c)
			continue
		}
		if i+1 >= len(rs) {
			return nil, py.Errorf("error", "bad escape (end of pattern) at position %d", i)
		}
		i++
		c = rs[i]
		switch {
		case c == 'g':
			if i+1 >= len(rs) || rs[i+1] != '<' {
				return nil, py.Errorf("error", "missing < at position %d", i+1)
			}
			end := i + 2
			for end < len(rs) && rs[end] != '>' {
				end++
			}
			if end >= len(rs) {
				return nil, py.Errorf("error", "missing >, unterminated name at position %d", i+2)
			}
			name := string(rs[i+2 : end])
			if name == "" {
				return nil, py.Errorf("error", "missing group name at position %d", i+2)
			}
			var g int
			if isDigits(name) {
				n, err := strconv.Atoi(name)
				if err != nil || n > p.tr.groups {
					return nil, py.Errorf(py.IndexError, "invalid group reference %s at position %d", name, i+2)
				}
				g = n
			} else {
				if !isIdentifier(name) {
					return nil, py.Errorf("error", "bad character in group name %s at position %d", pyQuote(name), i+2)
				}
				g = indexOf(p.tr.names, name)
				if g <= 0 {
					return nil, py.Errorf(py.IndexError, "unknown group name %s", pyQuote(name))
				}
			}
			flush()
			parts = append(parts, replPart{group: g})
			i = end
		case c == '0':
			// octal escape \0, \0o, \0oo
			v := 0
			j := i + 1
			for k := 0; k < 2 && j < len(rs) && isOct(rs[j]); k++ {
				v = v*8 + int(rs[j]-'0')
				j++
			}
			lit.WriteRune(rune(v))
			i = j - 1
		case c >= '1' && c <= '9':
			// octal \ooo or group \d / \dd
			if i+2 < len(rs) && isOct(c) && isOct(rs[i+1]) && isOct(rs[i+2]) {
				v := int(c-'0')*64 + int(rs[i+1]-'0')*8 + int(rs[i+2]-'0')
				if v > 0o377 {
					return nil, py.Errorf("error", "octal escape value \\%s outside of range 0-0o377 at position %d", string(rs[i:i+3]), i-1)
				}
				lit.WriteRune(rune(v))
				i += 2
				continue
			}
			n := int(c - '0')
			dpos := i
			if i+1 < len(rs) && rs[i+1] >= '0' && rs[i+1] <= '9' {
				n = n*10 + int(rs[i+1]-'0')
				i++
			}
			if n > p.tr.groups {
				return nil, py.Errorf("error", "invalid group reference %d at position %d", n, dpos)
			}
			flush()
			parts = append(parts, replPart{group: n})
		default:
			if e, ok := map[rune]rune{'a': '\a', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t', 'v': '\v', '\\': '\\'}[c]; ok {
				lit.WriteRune(e)
			} else if c < 0x80 && (isAlphaR(c)) {
				return nil, py.Errorf("error", "bad escape \\%c at position %d", c, i-1)
			} else {
				lit.WriteRune('\\')
				lit.WriteRune(c)
			}
		}
	}
	flush()
	return parts, nil
}

func expandRepl(parts []replPart, m *Match) string {
	var b strings.Builder
	for _, p := range parts {
		if p.group < 0 {
			b.WriteString(p.lit)
		} else if v, ok := m.groupVal(p.group, "").(string); ok {
			b.WriteString(v)
		}
	}
	return b.String()
}

func (p *Pattern) sub(st *py.State, repl any, s string, count int64) (string, int, error) {
	var parts []replPart
	replStr, isStr := repl.(string)
	if isStr {
		var err error
		if parts, err = parseReplTemplate(replStr, p); err != nil {
			return "", 0, err
		}
	}
	limit := count
	if count < 0 {
		return s, 0, nil
	}
	ms, err := p.iterate(st, s, limit)
	if err != nil {
		return "", 0, err
	}
	var b strings.Builder
	last := 0
	for _, m := range ms {
		b.WriteString(s[last:m.loc[0]])
		if isStr {
			b.WriteString(expandRepl(parts, m))
		} else {
			v, err := py.Call(st, repl, []any{m}, nil)
			if err != nil {
				return "", 0, err
			}
			vs, ok := v.(string)
			if !ok {
				return "", 0, typeErr("expected str instance, %s found", tn(v))
			}
			b.WriteString(vs)
		}
		if err := st.CheckStringLen(int64(b.Len())); err != nil {
			return "", 0, err
		}
		last = m.loc[1]
	}
	b.WriteString(s[last:])
	if err := st.CheckStringLen(int64(b.Len())); err != nil {
		return "", 0, err
	}
	return b.String(), len(ms), nil
}

// Pattern methods (p.search(s) …) for patterns from re.compile.
func initPatternMethods(lib *py.Library) {
	reg := func(name string, f func(st *py.State, p *Pattern, args []any, kw *py.Kwargs) (any, error)) {
		addMethod(lib, "re.Pattern", name, func(st *py.State, recv any, args []any, kw *py.Kwargs) (any, error) {
			p, ok := recv.(*Pattern)
			if !ok {
				return nil, typeErr("descriptor '%s' for 're.Pattern' objects doesn't apply to a '%s' object", name, tn(recv))
			}
			return f(st, p, args, kw)
		})
	}
	// search, match, fullmatch, findall and finditer take pos and endpos.
	for _, kind := range []string{"search", "match", "fullmatch"} {
		kind := kind
		reg(kind, func(st *py.State, p *Pattern, args []any, kw *py.Kwargs) (any, error) {
			w, err := windowArgs(kind, args, kw)
			if err != nil {
				return nil, err
			}
			return p.matchWindow(st, kind, w)
		})
	}
	reg("findall", func(st *py.State, p *Pattern, args []any, kw *py.Kwargs) (any, error) {
		w, err := windowArgs("findall", args, kw)
		if err != nil {
			return nil, err
		}
		ms, err := p.iterateWindow(st, w)
		if err != nil {
			return nil, err
		}
		return p.findallOf(ms), nil
	})
	reg("finditer", func(st *py.State, p *Pattern, args []any, kw *py.Kwargs) (any, error) {
		w, err := windowArgs("finditer", args, kw)
		if err != nil {
			return nil, err
		}
		ms, err := p.iterateWindow(st, w)
		if err != nil {
			return nil, err
		}
		out := make([]any, len(ms))
		for i, m := range ms {
			out[i] = m
		}
		return py.NewList(out), nil
	})
	for _, kind := range []string{"split", "sub", "subn"} {
		kind := kind
		reg(kind, func(st *py.State, p *Pattern, args []any, kw *py.Kwargs) (any, error) {
			f := lib.Modules["re"]
			return py.Call(st, f.Attrs[kind], append([]any{p}, args...), kw)
		})
	}
}
