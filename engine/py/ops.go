package py

// Binary operators. Each takes the evaluation State (for budgets) and the two
// operands, and returns the Python result or an *Error with CPython's
// message (TypeError "unsupported operand type(s) for +: 'int' and 'str'").

// Add implements a + b: numbers (int/float/big mixed), str + str,
// list + list, tuple + tuple, and Objects implementing BinaryOperator.
func Add(st *State, a, b any) (any, error) { return nil, errNotImpl("+") }

// Sub implements a - b: numbers, set - set, Objects.
func Sub(st *State, a, b any) (any, error) { return nil, errNotImpl("-") }

// Mul implements a * b: numbers, str * int, int * str, list * int,
// tuple * int (a negative count gives an empty sequence). Result sizes are
// checked against the limits before allocating.
func Mul(st *State, a, b any) (any, error) { return nil, errNotImpl("*") }

// TrueDiv implements a / b: always a float for numbers, correctly rounded
// for big ints; ZeroDivisionError "division by zero".
func TrueDiv(st *State, a, b any) (any, error) { return nil, errNotImpl("/") }

// FloorDiv implements a // b with floor semantics (ints and floats).
func FloorDiv(st *State, a, b any) (any, error) { return nil, errNotImpl("//") }

// Mod implements a % b with the sign of the divisor (ints and floats).
// A str left operand (printf-style formatting) is NotImplementedError.
func Mod(st *State, a, b any) (any, error) { return nil, errNotImpl("%") }

// Pow implements a ** b: int ** non-negative int is an int (its size is
// estimated first: LimitError past MaxIntBits), a negative exponent gives a
// float, 0 ** -1 is ZeroDivisionError, a negative float base with a
// non-integral exponent (a complex result in CPython) is ValueError.
func Pow(st *State, a, b any) (any, error) { return nil, errNotImpl("**") }

// LShift implements a << b for ints (negative count: ValueError
// "negative shift count"; size checked against MaxIntBits).
func LShift(st *State, a, b any) (any, error) { return nil, errNotImpl("<<") }

// RShift implements a >> b for ints.
func RShift(st *State, a, b any) (any, error) { return nil, errNotImpl(">>") }

// BitAnd implements a & b: ints (bool & bool is a bool), set & set.
func BitAnd(st *State, a, b any) (any, error) { return nil, errNotImpl("&") }

// BitOr implements a | b: ints (bool | bool is a bool), set | set,
// dict | dict (merge, right wins).
func BitOr(st *State, a, b any) (any, error) { return nil, errNotImpl("|") }

// BitXor implements a ^ b: ints (bool ^ bool is a bool), set ^ set.
func BitXor(st *State, a, b any) (any, error) { return nil, errNotImpl("^") }

// Neg implements -a (bool and int give int, float gives float).
func Neg(a any) (any, error) { return nil, errNotImpl("unary -") }

// Pos implements +a.
func Pos(a any) (any, error) { return nil, errNotImpl("unary +") }

// Invert implements ~a for ints and bools (~True == -2).
func Invert(a any) (any, error) { return nil, errNotImpl("unary ~") }

// Not implements `not a`.
func Not(a any) bool { return !Truth(a) }

// BinaryOp dispatches on the Python operator text ("+", "-", "*", "/",
// "//", "%", "**", "<<", ">>", "&", "|", "^").
func BinaryOp(st *State, op string, a, b any) (any, error) {
	switch op {
	case "+":
		return Add(st, a, b)
	case "-":
		return Sub(st, a, b)
	case "*":
		return Mul(st, a, b)
	case "/":
		return TrueDiv(st, a, b)
	case "//":
		return FloorDiv(st, a, b)
	case "%":
		return Mod(st, a, b)
	case "**":
		return Pow(st, a, b)
	case "<<":
		return LShift(st, a, b)
	case ">>":
		return RShift(st, a, b)
	case "&":
		return BitAnd(st, a, b)
	case "|":
		return BitOr(st, a, b)
	case "^":
		return BitXor(st, a, b)
	}
	return nil, newErr(SyntaxError, "unknown operator "+op)
}
