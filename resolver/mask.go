package resolver

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/julepkit/julep/engine"
	"github.com/julepkit/julep/redact"
)

// errPanic replaces a panic of an evaluation: the panic's value may hold a
// secret, so it is dropped.
var errPanic = errors.New("InternalError: the expression could not be evaluated (internal error)")

// safeEval evaluates a field, turning a panic into errPanic.
func safeEval(ctx context.Context, eval func(context.Context, map[string]any) (any, error), vars map[string]any) (out any, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, errPanic
		}
	}()
	return eval(ctx, vars)
}

// typeNames are the type names the engine quotes in its messages ('str'
// object has no attribute …); they are kept in masked messages.
var typeNames = map[string]bool{
	"NoneType": true, "bool": true, "int": true, "float": true, "complex": true, "str": true, "bytes": true,
	"list": true, "tuple": true, "dict": true, "set": true, "frozenset": true, "object": true, "range": true,
	"function": true, "builtin_function_or_method": true, "method": true, "module": true, "type": true,
	"generator": true, "map": true, "filter": true, "zip": true, "enumerate": true, "reversed": true,
	"dict_keys": true, "dict_values": true, "dict_items": true,
	"datetime.datetime": true, "datetime.date": true, "datetime.time": true, "datetime.timedelta": true,
	"datetime.timezone": true, "re.Match": true, "re.Pattern": true,
}

// maskTaintedMsg masks the error message of an expression that read
// secrets (directly or through a variable computed from them), beyond the
// registered forms that mask already hides:
//
//   - each fetched value as the engine quotes it: its repr (with escapes:
//     'it\'s', 'a\x01b'), Go's quoting, and the repr cut to the length the
//     engine shows (a long value's prefix ending in "...");
//   - every other quoted literal ('…' or "…", a cut one running to the end
//     of the message) unless its text is in the expression's source or is
//     a type name: a string in such a message may be computed from a secret
//     (a slice, a transformation), which no registered form matches;
//   - the key of a KeyError, quoted or not (KeyError: 84), unless it is in
//     the source;
//   - numbers, unless written in the expression or stated by the engine's
//     messages themselves (see maskNumbers).
//
// A literal that overlaps a fetched value is masked with that secret's
// name, others with redact.Mask.
func (e *evalState) maskTaintedMsg(msg, src string) string {
	for _, f := range e.fetched {
		for _, form := range engineForms(f.value) {
			if form != "" && strings.Contains(msg, form) {
				msg = strings.ReplaceAll(msg, form, redact.MaskFor(f.name))
			}
		}
	}
	if rest, ok := strings.CutPrefix(msg, "KeyError: "); ok && rest != "" {
		key := strings.Trim(rest, `'"`)
		if isMasked(key) || inSource(key, src) {
			return msg
		}
		return "KeyError: " + e.maskFor(rest)
	}
	return maskNumbers(e.maskQuoted(msg, src), src)
}

// messageNumbers are numbers the engine's messages state by themselves
// (int()'s default base, limits), kept in masked messages.
var messageNumbers = map[string]bool{
	"10": true, "0x110000": true, "999999999": true, "2048000": true, "4000000": true,
	"10000": true, "1000000": true, "1000": true,
}

// maskNumbers replaces the numbers of a message about values computed from
// secrets (OverflowError: days=294000000000; …) with redact.Mask, except
// those written in the expression, those the engine's messages state
// themselves (messageNumbers), argument positions ("arg 3") and digits
// inside masks or names (a number starts after a character that cannot
// continue a name).
func maskNumbers(msg, src string) string {
	var b strings.Builder
	for i := 0; i < len(msg); {
		c := msg[i]
		if c < '0' || c > '9' || (i > 0 && isWordByte(msg[i-1])) || inMask(msg, i) {
			b.WriteByte(c)
			i++
			continue
		}
		j := i
		for j < len(msg) && (isWordByte(msg[j]) || (msg[j] == '.' && j+1 < len(msg) && msg[j+1] >= '0' && msg[j+1] <= '9')) {
			j++
		}
		num := msg[i:j]
		if messageNumbers[num] || inSource(num, src) || strings.HasSuffix(msg[:i], "arg ") {
			b.WriteString(num)
		} else {
			b.WriteString(redact.Mask)
		}
		i = j
	}
	return b.String()
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// inMask reports whether position i of msg is inside a "[REDACTED…]" mask.
func inMask(msg string, i int) bool {
	open := strings.LastIndex(msg[:i], "[REDACTED")
	return open >= 0 && !strings.Contains(msg[open:i], "]")
}

// isMasked reports whether s is exactly one mask.
func isMasked(s string) bool {
	s = strings.TrimSuffix(s, "...")
	return strings.HasPrefix(s, "[REDACTED") && strings.HasSuffix(s, "]") && strings.Count(s, "[") == 1
}

// maskFor returns the mask for a piece of a message: the name of the
// fetched secret it shares the longest run of bytes with (at least
// min(MinLen, its length) bytes), else redact.Mask.
func (e *evalState) maskFor(lit string) string {
	if len(lit) > 256 {
		lit = lit[:256]
	}
	best, name := 0, ""
	for _, f := range e.fetched {
		n := commonRun(lit, f.value)
		if n > best && n >= min(redact.MinLen, len(f.value), len(lit)) {
			best, name = n, f.name
		}
	}
	if best == 0 {
		return redact.Mask
	}
	return redact.MaskFor(name)
}

// commonRun returns the length of the longest common substring of a and b
// (O(len(a)·len(b)), for short message pieces).
func commonRun(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	best := 0
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			if a[i-1] == b[j-1] {
				cur[j] = prev[j-1] + 1
				best = max(best, cur[j])
			} else {
				cur[j] = 0
			}
		}
		prev, cur = cur, prev
	}
	return best
}

// engineForms returns the inside of the quoted forms the engine prints for
// a string value: its repr, its repr cut as in error messages (without the
// "..."), and Go's quoting.
func engineForms(v string) []string {
	inner := func(q string) string {
		if len(q) >= 2 {
			return q[1 : len(q)-1]
		}
		return ""
	}
	repr := engine.Repr(v)
	out := []string{inner(repr), inner(strconv.Quote(v))}
	if short := engine.ShortRepr(v); short != repr {
		if cut, ok := strings.CutSuffix(short, "..."); ok && len(cut) > 1 {
			out = append(out, cut[1:])
		}
	}
	return out
}

// maskQuoted masks the quoted literals of msg (see maskTaintedMsg). A quote
// opens a literal at the start of the message or after a space or one of
// ([{:,= (so the apostrophe of "can't" does not); a backslash escapes the
// next byte; a literal with no closing quote runs to the end.
func (e *evalState) maskQuoted(msg, src string) string {
	var b strings.Builder
	i := 0
	for i < len(msg) {
		c := msg[i]
		if (c != '\'' && c != '"') || (i > 0 && !strings.ContainsRune(" ([{:,=", rune(msg[i-1]))) {
			b.WriteByte(c)
			i++
			continue
		}
		j := i + 1
		for j < len(msg) && msg[j] != c {
			if msg[j] == '\\' {
				j++
			}
			j++
		}
		end := min(j, len(msg))
		lit := msg[i+1 : end]
		closed := j < len(msg)
		switch {
		case lit == "" || isMasked(lit) || typeNames[lit] || inSource(lit, src):
			b.WriteString(msg[i:min(j+1, len(msg))])
		default:
			b.WriteByte(c)
			b.WriteString(e.maskFor(lit))
			if closed {
				b.WriteByte(c)
			}
		}
		i = j + 1
	}
	return b.String()
}

// inSource reports whether text is written in the expression src: as a
// string literal ('text' or "text"), or as a whole name or number (text
// bounded by characters that cannot continue one: "nope" in x.nope, but not
// "s" in secrets).
func inSource(text, src string) bool {
	if text == "" {
		return false
	}
	if strings.Contains(src, "'"+text+"'") || strings.Contains(src, `"`+text+`"`) {
		return true
	}
	word := isWordByte
	for i := 0; ; {
		j := strings.Index(src[i:], text)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(text)
		if (j == 0 || !word(src[j-1])) && (end == len(src) || !word(src[end])) {
			return true
		}
		i = j + 1
	}
}
