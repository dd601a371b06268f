package pylib

import (
	"strings"

	"github.com/julepkit/julep/engine/internal/py"
)

// RegexFlag is re.RegexFlag (an IntFlag): an int that prints as the names of
// its flags (re.IGNORECASE|re.MULTILINE). |, & and ^ with flags or ints give
// a RegexFlag; other arithmetic gives an int.
type RegexFlag int64

// regexFlagNames in the order CPython defines the members (its repr order).
var regexFlagNames = []struct {
	v    int64
	name string
}{
	{reFlagASCII, "re.ASCII"}, {reFlagIgnoreCase, "re.IGNORECASE"}, {reFlagLocale, "re.LOCALE"},
	{reFlagUnicode, "re.UNICODE"}, {reFlagMultiline, "re.MULTILINE"}, {reFlagDotAll, "re.DOTALL"},
	{reFlagVerbose, "re.VERBOSE"},
}

// TypeName returns "re.RegexFlag".
func (f RegexFlag) TypeName() string { return "re.RegexFlag" }

// Repr returns "re.IGNORECASE|re.MULTILINE" ("re.NOFLAG" for 0).
func (f RegexFlag) Repr() string {
	if f == 0 {
		return "re.NOFLAG"
	}
	var parts []string
	rest := int64(f)
	for _, n := range regexFlagNames {
		if rest&n.v != 0 {
			parts = append(parts, n.name)
			rest &^= n.v
		}
	}
	if rest != 0 || len(parts) == 0 {
		parts = append(parts, itoa(rest))
	}
	return strings.Join(parts, "|")
}

// Str is the repr, as CPython's RegexFlag.__str__.
func (f RegexFlag) Str() string { return f.Repr() }

// Format is str() for an empty spec, else the int's format.
func (f RegexFlag) Format(st *py.State, spec string) (string, error) {
	if spec == "" {
		return f.Repr(), nil
	}
	return py.Format(st, int64(f), spec)
}

// HashKey is the int's: re.I and 2 are the same dict key.
func (f RegexFlag) HashKey() (any, error) { return int64(f), nil }

// Equal compares as an int.
func (f RegexFlag) Equal(other any) bool {
	if o, ok := other.(RegexFlag); ok {
		return f == o
	}
	return py.Equal(int64(f), other)
}

// Cmp orders as an int.
func (f RegexFlag) Cmp(other any) (int, bool) {
	if o, ok := other.(RegexFlag); ok {
		other = int64(o)
	}
	lt, err := py.Compare("<", int64(f), other)
	if err != nil {
		return 0, false
	}
	if lt {
		return -1, true
	}
	if py.Equal(int64(f), other) {
		return 0, true
	}
	return 1, true
}

// IntValue is the flags as an int (py.Integer).
func (f RegexFlag) IntValue() int64 { return int64(f) }

// Truth is the int's.
func (f RegexFlag) Truth() bool { return f != 0 }

// BinaryOp keeps the flag type for |, & and ^ with flags and ints.
func (f RegexFlag) BinaryOp(st *py.State, op string, other any, right bool) (any, bool, error) {
	var o any = other
	if x, ok := other.(RegexFlag); ok {
		o = int64(x)
	}
	if n, ok := o.(int64); ok && (op == "|" || op == "&" || op == "^") {
		switch op {
		case "|":
			return f | RegexFlag(n), true, nil
		case "&":
			return f & RegexFlag(n), true, nil
		default:
			return f ^ RegexFlag(n), true, nil
		}
	}
	a, b := any(int64(f)), o
	if right {
		a, b = b, a
	}
	v, err := py.BinaryOp(st, op, a, b)
	return v, err == nil, err
}
