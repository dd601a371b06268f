package py

// MethodFunc implements a method of a type: recv is the receiver (for
// example the string of "abc".upper()), args the positional arguments and kw
// the keyword arguments (nil when none).
type MethodFunc func(st *State, recv any, args []any, kw *Kwargs) (any, error)

var (
	methods  = map[string]map[string]MethodFunc{}
	builtins = map[string]*Func{}
	modules  = map[string]*Module{}
)

// RegisterMethod registers method name of the type typeName ("str", "list",
// "dict", "set", "tuple", "int", "float", or an Object's TypeName). Call it
// from init functions only.
func RegisterMethod(typeName, name string, fn MethodFunc) {
	m := methods[typeName]
	if m == nil {
		m = map[string]MethodFunc{}
		methods[typeName] = m
	}
	m[name] = fn
}

// LookupMethod returns the method name registered for typeName.
func LookupMethod(typeName, name string) (MethodFunc, bool) {
	fn, ok := methods[typeName][name]
	return fn, ok
}

// RegisterBuiltin registers a builtin function (len, str, sorted…) under
// name. Call it from init functions only.
func RegisterBuiltin(name string, f *Func) { builtins[name] = f }

// Builtin returns the builtin function registered under name.
func Builtin(name string) (*Func, bool) {
	f, ok := builtins[name]
	return f, ok
}

// RegisterModule registers m under m.Name (dotted names such as
// "urllib.parse" are looked up whole). Call it from init functions only.
func RegisterModule(m *Module) { modules[m.Name] = m }

// LookupModule returns the module registered under the dotted name.
func LookupModule(name string) (*Module, bool) {
	m, ok := modules[name]
	return m, ok
}

// GetAttr implements obj.name with Julep's rules: a name starting with '_'
// is SecurityError; on a *Dict a registered dict method of that name wins
// (returned as a bound *Func), else the key's value, else AttributeError
// "'dict' object has no attribute 'x'"; module attributes; Object attributes
// (AttrGetter) and registered methods of any type (bound *Func).
func GetAttr(st *State, obj any, name string) (any, error) { return nil, errNotImpl("attribute") }

// CallMethod implements recv.name(args…) without building a bound method:
// a registered method of recv's type, else (for a *Dict) a key holding a
// callable, (for a *Module or an Object) an attribute that is callable.
func CallMethod(st *State, recv any, name string, args []any, kw *Kwargs) (any, error) {
	return nil, errNotImpl("method call")
}

// Call calls f (a *Func or a Caller Object) with args and kw; TypeError
// "'int' object is not callable" otherwise.
func Call(st *State, f any, args []any, kw *Kwargs) (any, error) { return nil, errNotImpl("call") }

// Missing is the value ParseArgs stores for an optional parameter that was
// not given. It never escapes into expression values.
var Missing any = missingType{}

type missingType struct{}

// ParseArgs maps positional args and keyword args kw of a call to fname onto
// the parameters names, returning one value per name (Missing for an absent
// optional one). The first minPositional names are required. A name "/"
// ends the positional-only parameters and a name "*" starts the
// keyword-only ones (as in Python signatures); these markers get no slot in
// the result... (they are removed from the result's indexing: the result has
// one entry per real parameter name). Errors use CPython's wording:
// "f() takes at most 2 arguments (3 given)", "f() missing required argument
// 'x' (pos 1)", "f() got an unexpected keyword argument 'x'",
// "argument for f() given by name ('x') and position (1)".
func ParseArgs(fname string, args []any, kw *Kwargs, names []string, minPositional int) ([]any, error) {
	return nil, errNotImpl("ParseArgs")
}
