package py

// Repr returns repr(v) exactly as CPython: shortest round-trip floats with
// Python's exponent rules, string quoting and escapes following
// str.isprintable, "(1,)", "set()", recursion-safe ("[...]"). Very deep
// values are cut with "..." at MaxDepth.
func Repr(v any) string { return "" }

// Str returns str(v): the string itself for str, Stringer Objects' Str,
// Repr otherwise.
func Str(v any) string { return "" }

// ToRepr is Repr charged against st: LimitError when the result would exceed
// MaxStringLen or the nesting exceeds MaxDepth, ValueError for an int of
// more than 4300 digits (CPython's int_max_str_digits).
func ToRepr(st *State, v any) (string, error) { return "", errNotImpl("repr") }

// ToStr is Str charged against st (see ToRepr).
func ToStr(st *State, v any) (string, error) { return "", errNotImpl("str") }

// FormatFloat returns repr(f) (Python's shortest round-trip form).
func FormatFloat(f float64) string { return "" }

// QuoteString returns repr(s): single quotes unless s contains ' and no ",
// escapes for \\, the quote, \t \n \r, other non-printable characters as
// \xhh, \uhhhh or \Uhhhhhhhh.
func QuoteString(s string) string { return "" }
