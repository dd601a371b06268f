package py

// Truth returns Python's truth value of v: None, False, 0, 0.0, "" and empty
// containers are false; Objects implementing Truther decide; others are true.
func Truth(v any) bool { return true }

// TypeName returns Python's type name of v: 'NoneType', 'bool', 'int',
// 'float', 'str', 'list', 'tuple', 'dict', 'set', 'builtin_function_or_method',
// 'module', or the Object's TypeName.
func TypeName(v any) string { return "object" }

// Equal implements a == b: numbers compare by value across int, float, big
// int and bool (1 == 1.0 == True), containers compare deeply (with CPython's
// identity shortcut for elements, so a list holding the same NaN object...
// compares equal to itself only through identity of *List/*Dict), NaN != NaN.
func Equal(a, b any) bool { return false }

// Compare implements op in "<", "<=", ">", ">=" (also "==" and "!="):
// numbers of mixed kinds exactly, strings by code point, lists and tuples
// lexicographically, sets by inclusion; otherwise TypeError
// "'<' not supported between instances of 'str' and 'int'".
func Compare(op string, a, b any) (bool, error) { return false, errNotImpl("comparison") }

// Is implements a is b: None, True and False are singletons; *List, *Dict,
// *Set, *Func and *Module compare by pointer; ints in CPython's small-int
// cache (-5..256) and equal strings behave as interned (is True); other
// ints, floats and tuples are equal-and-same-type (our values have no
// identity, so this is the closest stable answer; CPython may say False).
func Is(a, b any) bool { return false }

// Contains implements item in container: substring for str, membership for
// list and tuple (==), key membership for dict and set; TypeError
// "argument of type 'int' is not iterable".
func Contains(st *State, container, item any) (bool, error) {
	return false, errNotImpl("in")
}
