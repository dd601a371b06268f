package py

import (
	"fmt"
	"unicode/utf8"
)

// The values of Error.Kind: Python exception names, plus SecurityError
// (refused access, JULEP.md rule 2) and LimitError (a resource limit was hit).
const (
	SyntaxError         = "SyntaxError"
	NameError           = "NameError"
	TypeError           = "TypeError"
	KeyError            = "KeyError"
	IndexError          = "IndexError"
	ZeroDivisionError   = "ZeroDivisionError"
	ValueError          = "ValueError"
	AttributeError      = "AttributeError"
	OverflowError       = "OverflowError"
	SecurityError       = "SecurityError"
	LimitError          = "LimitError"
	NotImplementedError = "NotImplementedError"
)

// Error is a Python exception raised while evaluating an expression.
// Msg follows CPython's wording; it never contains a full repr of a large
// value (see ShortRepr).
type Error struct {
	Kind string // one of the kind constants, e.g. TypeError
	Msg  string // the message, without the kind
}

// Error renders the error as "Kind: Msg" (or just Kind when Msg is empty).
func (e *Error) Error() string {
	if e.Msg == "" {
		return e.Kind
	}
	return e.Kind + ": " + e.Msg
}

// Is reports whether target is an *Error of the same Kind with an empty Msg
// or the same Msg, so errors.Is(err, &py.Error{Kind: py.KeyError}) works.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok {
		return false
	}
	return t.Kind == e.Kind && (t.Msg == "" || t.Msg == e.Msg)
}

// Errorf returns an *Error of the given kind with a formatted message.
func Errorf(kind, format string, args ...any) *Error {
	if len(args) == 0 {
		return &Error{Kind: kind, Msg: format}
	}
	return &Error{Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

// newErr is Errorf without formatting (hot paths).
func newErr(kind, msg string) *Error { return &Error{Kind: kind, Msg: msg} }

// maxReprInError is the number of characters of a value's repr that may
// appear in an error message.
const maxReprInError = 80

// ShortRepr returns repr(v) cut to about 80 characters ("..." marks the cut),
// for error messages such as KeyError 'x' or invalid literal for int().
func ShortRepr(v any) string {
	return truncate(Repr(v))
}

// truncate cuts s to maxReprInError runes.
func truncate(s string) string {
	if len(s) <= maxReprInError {
		return s
	}
	n := 0
	for i := range s {
		if n == maxReprInError-3 {
			if utf8.RuneCountInString(s[i:]) <= 3 {
				return s
			}
			return s[:i] + "..."
		}
		n++
	}
	return s
}

// typeErrOp is the TypeError of an unsupported binary operator.
func typeErrOp(op string, a, b any) *Error {
	return newErr(TypeError, "unsupported operand type(s) for "+op+": '"+TypeName(a)+"' and '"+TypeName(b)+"'")
}
