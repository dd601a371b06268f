// Package redact masks secret values in text: a Redactor knows the values
// (and the strings derived from them) that must never be shown, and replaces
// every occurrence with "[REDACTED:<name>]", or "[REDACTED]" for values that
// have no name. It offers a string function (Redact), a streaming io.Writer
// filter (Writer) and a slog.Handler wrapper (Handler).
//
// # Derived forms
//
// Add registers, besides the value itself, the forms a value commonly takes
// when it travels: standard, URL-safe and unpadded base64 (including the
// stable inner part of the value's base64 when it starts at byte offset 1 or
// 2 of a larger encoded blob), url.QueryEscape and url.PathEscape, the inside
// of its JSON string (with and without HTML escaping), and each line (of at
// least MinLen bytes) of a multi-line value.
//
// # Short values
//
// Values (and derived forms) shorter than MinLen (4) bytes are not masked in
// free text: masking every "abc" or "42" in logs would hide too much and
// reveal which short strings are secret. They are still known to Lookup, so
// code that prints a value it knows came from a secret can mask it whole.
//
// # Matching and complexity
//
// Patterns (values and forms of at least MinLen bytes) are matched all at
// once by a multi-pattern matcher (redact/internal/match): a hashed filter
// on the four bytes at each position rejects almost every position of
// ordinary text with one bit test, and the rare positions that pass find the
// longest pattern there by binary search among the patterns sharing those
// four bytes. Redact costs O(n) for a text of n bytes whatever the number of
// patterns (plus O(log P + m) at each position that starts a match, for P
// patterns and a match of m bytes). Building the matcher costs O(P log P)
// after each change to the set of values. Matches that overlap are merged,
// so a secret is masked in full even when another secret's match starts
// inside it; at one position the longest match wins.
package redact

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/julepkit/julep/redact/internal/match"
)

// MinLen is the shortest value masked in free text, in bytes.
const MinLen = 4

// Mask is the replacement for a value that has no name.
const Mask = "[REDACTED]"

// MaskFor returns the replacement for a value of secret name: "[REDACTED:name]",
// or Mask when name is empty.
func MaskFor(name string) string {
	if name == "" {
		return Mask
	}
	return "[REDACTED:" + name + "]"
}

// Redactor holds the values to mask. The zero value is not usable; call New.
// A Redactor is safe for concurrent use: values may be added while other
// goroutines redact.
type Redactor struct {
	mu       sync.Mutex
	values   map[string]entry // every registered value or derived form → entry
	exact    map[string]string
	compiled atomic.Pointer[matcher]
	// named is the matcher of named values and forms only, with the named
	// values' list, used to build derived templates (rebuilt only by Add,
	// so that registering many derived strings stays cheap).
	named      *matcher
	namedVals  []string
	namedDirty bool
}

type entry struct {
	name string // secret name, "" when unnamed
	repl string // replacement text
	prio int    // lower wins when the same text is registered twice
	// exact is true for the value itself and its escaped forms (JSON, URL,
	// lines), whose edges are the value's own: text next to them carries no
	// bit of the value (unlike base64 forms).
	exact bool
}

const (
	prioNamedValue = iota
	prioNamedForm
	prioDerivedValue
	prioDerivedForm
)

// New returns an empty Redactor.
func New() *Redactor {
	return &Redactor{values: map[string]entry{}, exact: map[string]string{}}
}

// Add registers the value of the secret called name, and its derived forms
// (see the package documentation). An empty value is ignored. The first name
// registered for a value is kept.
func (r *Redactor) Add(name, value string) {
	if value == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if e, ok := r.values[value]; ok && e.prio == prioNamedValue {
		return // already registered (the first name is kept)
	}
	if _, ok := r.exact[value]; !ok || r.exact[value] == "" {
		r.exact[value] = name
	}
	mask := MaskFor(name)
	changed := r.put(value, entry{name: name, repl: mask, prio: prioNamedValue, exact: true})
	exact := escapedForms(value)
	for _, f := range Forms(value) {
		if f != value {
			changed = r.put(f, entry{name: name, repl: mask, prio: prioNamedForm, exact: exact[f]}) || changed
		}
	}
	if changed {
		r.compiled.Store(nil)
		r.namedDirty = true
	}
}

// AddDerived registers a string computed from secrets (an f-string that
// embeds one, a slice of one, …) and its derived forms. It is masked as
// follows: when the string is made of named values plus text that shares no
// MinLen-byte run with any named value (e.g. "Bearer " + token), the named
// values inside are masked and the rest is shown ("Bearer [REDACTED:token]");
// otherwise (and when a secret appears in it only in base64, whose
// neighbouring characters carry bits of the value) the whole string becomes
// Mask.
func (r *Redactor) AddDerived(value string) {
	if value == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.exact[value]; !ok {
		r.exact[value] = ""
	}
	if e, ok := r.values[value]; ok && e.prio <= prioDerivedValue {
		return
	}
	repl := Mask
	if m, named := r.namedLocked(); m != nil {
		if t, ok := m.template(value, named); ok {
			repl = t
		}
	}
	changed := r.put(value, entry{repl: repl, prio: prioDerivedValue, exact: true})
	for _, f := range Forms(value) {
		if f != value {
			changed = r.put(f, entry{repl: Mask, prio: prioDerivedForm}) || changed
		}
	}
	if changed {
		r.compiled.Store(nil)
	}
}

// put stores e for s unless a better entry exists; it reports a change.
func (r *Redactor) put(s string, e entry) bool {
	if old, ok := r.values[s]; ok && old.prio <= e.prio {
		return false
	}
	r.values[s] = e
	return true
}

// namedLocked returns the matcher of named values and forms and the named
// values, rebuilding them after Add changed the set.
func (r *Redactor) namedLocked() (*matcher, []string) {
	if r.named == nil || r.namedDirty {
		named := map[string]entry{}
		for s, e := range r.values {
			if e.name != "" {
				named[s] = e
			}
		}
		r.named = compile(named)
		r.namedVals = r.namedVals[:0]
		for v, n := range r.exact {
			if n != "" && len(v) >= MinLen {
				r.namedVals = append(r.namedVals, v)
			}
		}
		r.namedDirty = false
	}
	if len(r.named.pats) == 0 {
		return nil, nil
	}
	return r.named, r.namedVals
}

// Lookup reports whether value was registered exactly (by Add or
// AddDerived, whatever its length) and the secret name it was registered
// under ("" for derived values).
func (r *Redactor) Lookup(value string) (name string, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	name, ok = r.exact[value]
	return name, ok
}

// Len returns the number of patterns (values and derived forms) masked in
// free text.
func (r *Redactor) Len() int {
	m := r.matcher()
	if m == nil {
		return 0
	}
	return len(m.pats)
}

// Redact returns s with every registered value and derived form replaced by
// its mask.
func (r *Redactor) Redact(s string) string {
	m := r.matcher()
	if m == nil || len(s) < MinLen {
		return s
	}
	spans := m.spans(s, len(s), nil)
	if len(spans) == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	render(&b, s, spans, m)
	return b.String()
}

// RedactBytes is Redact for a byte slice; it returns b itself when nothing
// is masked.
func (r *Redactor) RedactBytes(b []byte) []byte {
	m := r.matcher()
	if m == nil || len(b) < MinLen {
		return b
	}
	s := string(b)
	spans := m.spans(s, len(s), nil)
	if len(spans) == 0 {
		return b
	}
	var sb strings.Builder
	render(&sb, s, spans, m)
	return []byte(sb.String())
}

// matcher returns the compiled pattern set, building it when values changed.
func (r *Redactor) matcher() *matcher {
	if m := r.compiled.Load(); m != nil {
		if len(m.pats) == 0 {
			return nil
		}
		return m
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.buildLocked()
}

func (r *Redactor) buildLocked() *matcher {
	m := r.compiled.Load()
	if m == nil {
		m = compile(r.values)
		r.compiled.Store(m)
	}
	if len(m.pats) == 0 {
		return nil
	}
	return m
}

// Forms returns the derived forms of value that Add registers (without the
// value itself, and without forms shorter than MinLen), deduplicated.
func Forms(value string) []string {
	seen := map[string]bool{value: true}
	var out []string
	add := func(s string) {
		if len(s) >= MinLen && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	b := []byte(value)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
		add(enc.EncodeToString(b))
		add(enc.WithPadding(base64.NoPadding).EncodeToString(b))
		for shift := 0; shift < 3; shift++ {
			add(stableBase64(enc, b, shift))
		}
	}
	add(url.QueryEscape(value))
	add(url.PathEscape(value))
	if j, err := json.Marshal(value); err == nil {
		add(string(j[1 : len(j)-1]))
	}
	var sb strings.Builder
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(value); err == nil {
		j := strings.TrimSuffix(sb.String(), "\n")
		add(j[1 : len(j)-1])
	}
	if strings.ContainsAny(value, "\r\n") {
		for _, line := range strings.FieldsFunc(value, func(c rune) bool { return c == '\n' || c == '\r' }) {
			add(line)
			add(strings.TrimSpace(line))
		}
	}
	return out
}

// escapedForms returns the forms of value whose edges are the value's own
// (URL and JSON escapes, lines).
func escapedForms(value string) map[string]bool {
	m := map[string]bool{url.QueryEscape(value): true, url.PathEscape(value): true}
	if j, err := json.Marshal(value); err == nil {
		m[string(j[1:len(j)-1])] = true
	}
	var sb strings.Builder
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(value); err == nil {
		j := strings.TrimSuffix(sb.String(), "\n")
		m[j[1:len(j)-1]] = true
	}
	for _, line := range strings.FieldsFunc(value, func(c rune) bool { return c == '\n' || c == '\r' }) {
		m[line] = true
		m[strings.TrimSpace(line)] = true
	}
	return m
}

// stableBase64 returns the part of the base64 encoding of b that is the same
// whatever bytes surround b, when b starts shift bytes (0, 1 or 2) after a
// 3-byte boundary of a larger encoded blob.
func stableBase64(enc *base64.Encoding, b []byte, shift int) string {
	buf := make([]byte, shift+len(b))
	copy(buf[shift:], b)
	raw := enc.WithPadding(base64.NoPadding).EncodeToString(buf)
	// Leading characters that mix in the shift bytes.
	skip := [3]int{0, 2, 3}[shift]
	n := len(buf)
	full := n / 3 * 4
	end := full + [3]int{0, 1, 2}[n%3] // the trailing partial group's chars fixed by b alone
	if end > len(raw) {
		end = len(raw)
	}
	if skip >= end {
		return ""
	}
	return raw[skip:end]
}

// matcher is an immutable compiled pattern set: the values and forms, and
// the multi-pattern matcher over them (ids index pats).
type matcher struct {
	pats   []pattern
	set    *match.Set
	maxLen int
}

type pattern struct {
	s     string
	repl  string
	name  string
	exact bool
}

func compile(values map[string]entry) *matcher {
	m := &matcher{}
	for s, e := range values {
		if len(s) < MinLen {
			continue
		}
		m.pats = append(m.pats, pattern{s: s, repl: e.repl, name: e.name, exact: e.exact})
	}
	strs := make([]string, len(m.pats))
	for i, p := range m.pats {
		strs[i] = p.s
	}
	m.set = match.New(strs)
	m.maxLen = m.set.MaxLen()
	return m
}

// span is a masked region [start, end) of a text; pat is the pattern that
// starts it; merged means other matches overlapped it.
type span struct {
	start, end int
	pat        int
	merged     bool
}

// spans returns the merged match regions of s among matches that start
// before limit, appended to dst. At each position the longest pattern
// counts; a match that starts inside the current region extends it.
func (m *matcher) spans(s string, limit int, dst []span) []span {
	cur := span{start: -1}
	for i := 0; ; i++ {
		p, id, n := m.set.Next(s, i, limit)
		if p < 0 {
			break
		}
		i = p
		end := p + n
		if cur.start >= 0 && p < cur.end {
			if end > cur.end {
				cur.end = end
				cur.merged = true
			}
			continue
		}
		if cur.start >= 0 {
			dst = append(dst, cur)
		}
		cur = span{start: p, end: end, pat: id}
	}
	if cur.start >= 0 {
		dst = append(dst, cur)
	}
	return dst
}

// render writes s with spans replaced.
func render(b *strings.Builder, s string, spans []span, m *matcher) {
	prev := 0
	for _, sp := range spans {
		b.WriteString(s[prev:sp.start])
		p := m.pats[sp.pat]
		if sp.merged {
			b.WriteString(MaskFor(p.name))
		} else {
			b.WriteString(p.repl)
		}
		prev = sp.end
	}
	b.WriteString(s[prev:])
}

// template renders a derived value with only its named parts masked, and
// reports whether the rest is safe to show (shares no MinLen-byte run with
// a named value).
func (m *matcher) template(v string, named []string) (string, bool) {
	spans := m.spans(v, len(v), nil)
	var rest strings.Builder
	var out strings.Builder
	prev := 0
	any := false
	for _, sp := range spans {
		p := m.pats[sp.pat]
		if sp.merged || !p.exact || (p.name == "" && p.repl == Mask) {
			// overlapping values, a base64 form (its neighbours carry bits
			// of the value), or an unnamed derived value shown whole
			return "", false
		}
		any = true
		rest.WriteString(v[prev:sp.start])
		rest.WriteByte(0)
		out.WriteString(v[prev:sp.start])
		out.WriteString(p.repl)
		prev = sp.end
	}
	if !any {
		return "", false
	}
	rest.WriteString(v[prev:])
	out.WriteString(v[prev:])
	r := rest.String()
	for _, n := range named {
		for i := 0; i+MinLen <= len(n); i++ {
			if strings.Contains(r, n[i:i+MinLen]) {
				return "", false
			}
		}
	}
	return out.String(), true
}

// String describes the redactor without any value.
func (r *Redactor) String() string {
	return fmt.Sprintf("redact.Redactor{patterns: %d}", r.Len())
}
