// Package leakcheck finds secret values in text an attacker can read (a
// dry-run's output, logs, a history): every form of a value the engine or
// an encoder could print, and the decoders an attacker would run on a
// display to rebuild a value from bits, character codes, keys and
// fragments. It is used by the tests of the packages that display resolved
// steps; it reports where a value leaked, never the value itself.
package leakcheck

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MinRun is the length, in characters, of the runs of a form looked for
// in the text: no 4-character run of any form of any value may appear.
const MinRun = 4

// hexForm is the index of the hex form in Forms.
const hexForm = 8

// Forms returns the forms of v an output could hold: the value, reversed,
// upper and lower case, its JSON and Python repr escapes, URL escapes,
// base64 (standard, URL, raw, at the three alignments) and hex.
func Forms(v string) []string {
	out := []string{v, reverse(v), strings.ToUpper(v), strings.ToLower(v)}
	if b, err := json.Marshal(v); err == nil {
		out = append(out, string(b[1:len(b)-1]))
	}
	q := strconv.Quote(v)
	out = append(out, q[1:len(q)-1], url.QueryEscape(v), url.PathEscape(v), hex.EncodeToString([]byte(v)))
	for shift := 0; shift < 3; shift++ {
		pre := strings.Repeat("\x00", shift)
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding} {
			s := enc.EncodeToString([]byte(pre + v))
			// the characters that depend on the prefix are not the value's
			skip := (shift*8 + 5) / 6
			if skip < len(s) {
				out = append(out, strings.TrimRight(s[skip:], "="))
			}
		}
	}
	return out
}

func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

// Finding is one leak: which value (by name) and which form, where.
type Finding struct {
	Name   string // the secret's name
	Form   int    // index in Forms
	Offset int    // byte offset in the text
	How    string // "run" or the decoder's name
}

// String describes the finding without the value.
func (f Finding) String() string {
	return fmt.Sprintf("a %s of secret %s (form %d) at byte %d", f.How, f.Name, f.Form, f.Offset)
}

// Scan returns every MinRun-character run of a form of a value (values by
// name) found in text. Values (and forms) shorter than MinRun characters
// are looked for by the decoders only.
func Scan(text string, values map[string]string) []Finding {
	var out []Finding
	for name, v := range values {
		for i, form := range Forms(v) {
			rs := []rune(form)
			n := MinRun
			if i == hexForm {
				n = 2 * MinRun // two hex digits a character
			}
			for k := 0; k+n <= len(rs); k++ {
				run := string(rs[k : k+n])
				if off := strings.Index(text, run); off >= 0 {
					out = append(out, Finding{Name: name, Form: i, Offset: off, How: "run"})
					break
				}
			}
		}
	}
	return out
}

var (
	boolList = regexp.MustCompile(`(?:\b(?:true|false|True|False)\b[\s,\[\]]*){8,}`)
	numList  = regexp.MustCompile(`(?:-?\b\d+\b[\s,\[\]\(\)]*){2,}`)
	quoted   = regexp.MustCompile(`"((?:[^"\\]|\\.)*)"`)
	num      = regexp.MustCompile(`-?\d+`)
	mark     = regexp.MustCompile(`\[REDACTED(?::[A-Za-z][A-Za-z0-9_]*)?\]`)
)

// Decode runs an attacker's decoders on text and returns what they
// rebuild, by decoder: "bits" (lists of booleans read as bytes, both bit
// orders), "codes" (lists of numbers read as character codes), "keys" (the
// JSON strings concatenated in order, which is how one-character keys or
// items spell a value) and "fragments" (the same with marks removed).
func Decode(text string) map[string][]string {
	out := map[string][]string{}
	for _, m := range boolList.FindAllString(text, -1) {
		var bits []bool
		for _, w := range strings.FieldsFunc(m, func(r rune) bool { return strings.ContainsRune(" ,[]\n\t", r) }) {
			bits = append(bits, w == "true" || w == "True")
		}
		for _, lsbFirst := range []bool{true, false} {
			var b []byte
			for i := 0; i+8 <= len(bits); i += 8 {
				var c byte
				for j := 0; j < 8; j++ {
					bit := bits[i+j]
					if lsbFirst && bit {
						c |= 1 << j
					} else if !lsbFirst && bit {
						c |= 1 << (7 - j)
					}
				}
				b = append(b, c)
			}
			out["bits"] = append(out["bits"], string(b))
		}
	}
	for _, m := range numList.FindAllString(text, -1) {
		var b strings.Builder
		for _, n := range num.FindAllString(m, -1) {
			if c, err := strconv.Atoi(n); err == nil && c > 0 && c < 0x110000 && utf8.ValidRune(rune(c)) {
				b.WriteRune(rune(c))
			}
		}
		out["codes"] = append(out["codes"], b.String())
	}
	var keys, frags strings.Builder
	for _, m := range quoted.FindAllStringSubmatch(text, -1) {
		var s string
		if err := json.Unmarshal([]byte(`"`+m[1]+`"`), &s); err != nil {
			s = m[1]
		}
		keys.WriteString(s)
		frags.WriteString(mark.ReplaceAllString(s, ""))
	}
	out["keys"] = append(out["keys"], keys.String())
	out["fragments"] = append(out["fragments"], frags.String())
	return out
}

// Rebuilt returns the values (by name) that a decoder of Decode(text)
// rebuilds: a value of 2 characters or more found in what it decodes
// (shorter values carry too little to tell).
func Rebuilt(text string, values map[string]string) []Finding {
	var out []Finding
	for how, decoded := range Decode(text) {
		for _, d := range decoded {
			for name, v := range values {
				if utf8.RuneCountInString(v) < 2 {
					continue
				}
				for i, form := range []string{v, reverse(v)} {
					if off := strings.Index(d, form); off >= 0 {
						out = append(out, Finding{Name: name, Form: i, Offset: off, How: how})
					}
				}
			}
		}
	}
	return out
}

// OnlyMarks reports whether s, with every mark removed, holds only text
// from allowed (the text of the expression that computed it): each part
// between marks is a concatenation of pieces of allowed ("Bearer Bearer "
// from 'Bearer ' + 'Bearer ').
func OnlyMarks(s string, allowed ...string) bool {
	rest := mark.ReplaceAllString(s, "\x00")
	for _, part := range strings.Split(rest, "\x00") {
		if part != "" && !pieces(part, allowed) {
			return false
		}
	}
	return true
}

// pieces reports whether part is a concatenation of substrings of allowed.
func pieces(part string, allowed []string) bool {
	ok := make([]bool, len(part)+1) // ok[i]: part[:i] is
	ok[0] = true
	for i := 0; i < len(part); i++ {
		if !ok[i] {
			continue
		}
		for j := i + 1; j <= len(part); j++ {
			for _, a := range allowed {
				if strings.Contains(a, part[i:j]) {
					ok[j] = true
					break
				}
			}
		}
	}
	return ok[len(part)]
}
