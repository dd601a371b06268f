package py

import (
	"strconv"
	"strings"
)

// MethodFunc implements a method of a type: recv is the receiver (for
// example the string of "abc".upper()), args the positional arguments and kw
// the keyword arguments (nil when none).
type MethodFunc func(st *State, recv any, args []any, kw *Kwargs) (any, error)

// Library is what an evaluation can use besides its own values: builtin
// functions and named constants, the methods of each type and the modules.
// Package pylib builds the standard one (pylib.Library); the engine hands it
// to every State (SetLibrary), and GetAttr and CallMethod find methods in
// the State's library. A Library is never changed once built, so one value
// serves any number of concurrent evaluations.
type Library struct {
	// Builtins are the builtin functions (len, str, sorted…) by name; a
	// dotted name such as "dict.fromkeys" is a class method of a type.
	Builtins map[string]*Func
	// Constants are named values the translator substitutes (NEWLINE…).
	Constants map[string]any
	// Methods are the methods by receiver type name ("str", "list",
	// "dict", "set", "tuple", "int", "float", "bool", "NoneType", or an
	// Object's TypeName), then by method name. Methods of "int" also apply
	// to bools (as in Python).
	Methods map[string]map[string]MethodFunc
	// Modules are the modules by dotted name ("urllib.parse" is looked up
	// whole).
	Modules map[string]*Module
}

// Method returns the method name of the type typeName (an int method for a
// bool). A nil Library has none.
func (l *Library) Method(typeName, name string) (MethodFunc, bool) {
	if l == nil {
		return nil, false
	}
	fn, ok := l.Methods[typeName][name]
	if !ok && typeName == "bool" {
		fn, ok = l.Methods["int"][name]
	}
	return fn, ok
}

// Builtin returns the builtin function name.
func (l *Library) Builtin(name string) (*Func, bool) {
	if l == nil {
		return nil, false
	}
	f, ok := l.Builtins[name]
	return f, ok
}

// Module returns the module of the dotted name.
func (l *Library) Module(name string) (*Module, bool) {
	if l == nil {
		return nil, false
	}
	m, ok := l.Modules[name]
	return m, ok
}

// Constant returns the named constant name.
func (l *Library) Constant(name string) (any, bool) {
	if l == nil {
		return nil, false
	}
	v, ok := l.Constants[name]
	return v, ok
}

// bind returns fn bound to recv as a *Func named "type.name".
func bind(typeName, name string, fn MethodFunc, recv any) *Func {
	return &Func{Name: typeName + "." + name, Recv: recv, Call: func(st *State, args []any, kw *Kwargs) (any, error) {
		return fn(st, recv, args, kw)
	}}
}

// CheckName returns SecurityError for a variable name starting with '_'
// (JULEP.md rule 2); the bare name "_" is allowed.
func CheckName(name string) error {
	if len(name) > 0 && name[0] == '_' && name != "_" {
		return errUnderscore(name)
	}
	return nil
}

func errUnderscore(name string) *Error {
	return newErr(SecurityError, "access to '"+truncate(name)+"' is not allowed (names starting with '_' are refused)")
}

func noAttr(obj any, name string) *Error {
	return newErr(AttributeError, "'"+TypeName(obj)+"' object has no attribute '"+truncate(name)+"'")
}

// GetAttr implements obj.name with Julep's rules: an attribute starting
// with '_' (including "_" itself) is SecurityError; on a *Dict a dict method
// of that name wins (returned as a bound *Func), else the key's value, else
// AttributeError "'dict' object has no attribute 'x'" (noting the missing
// key); module attributes (AttributeError "module 'm' has no attribute
// 'x'"); Object attributes (AttrGetter); methods of any type (bound *Func).
// Methods come from st's Library (none for a nil State).
func GetAttr(st *State, obj any, name string) (any, error) {
	return st.Library().GetAttr(st, obj, name)
}

// GetAttr is the package-level GetAttr with the methods of l, for callers
// holding a Library but no State (st may be nil).
func (l *Library) GetAttr(st *State, obj any, name string) (any, error) {
	if len(name) > 0 && name[0] == '_' {
		return nil, errUnderscore(name)
	}
	switch x := obj.(type) {
	case *Dict:
		if fn, ok := l.Method("dict", name); ok {
			return bind("dict", name, fn, obj), nil
		}
		if v, ok := x.GetStr(name); ok {
			return v, nil
		}
		return nil, newErr(AttributeError, "'dict' object has no attribute '"+truncate(name)+"' (and no key '"+truncate(name)+"')")
	case *Module:
		if v, ok := x.Attrs[name]; ok {
			return v, nil
		}
		return nil, newErr(AttributeError, "module '"+x.Name+"' has no attribute '"+truncate(name)+"'")
	case AttrGetter:
		v, found, err := x.GetAttr(st, name)
		if err != nil || found {
			return v, err
		}
	}
	tn := TypeName(obj)
	if fn, ok := l.Method(tn, name); ok {
		return bind(tn, name, fn, obj), nil
	}
	return nil, noAttr(obj, name)
}

// CallMethod implements recv.name(args…) without building a bound method:
// a method of recv's type in st's Library, else (for a *Dict) a key holding
// a callable, (for a *Module or an Object) an attribute that is callable.
func CallMethod(st *State, recv any, name string, args []any, kw *Kwargs) (any, error) {
	if len(name) > 0 && name[0] == '_' {
		return nil, errUnderscore(name)
	}
	lib := st.Library()
	tn := TypeName(recv)
	if fn, ok := lib.Method(tn, name); ok {
		if _, isAG := recv.(AttrGetter); !isAG {
			if err := st.Charge(1); err != nil {
				return nil, err
			}
			return fn(st, recv, args, kw)
		}
	}
	f, err := lib.GetAttr(st, recv, name)
	if err != nil {
		return nil, err
	}
	return Call(st, f, args, kw)
}

// Call calls f (a *Func or a Caller Object) with args and kw; TypeError
// "'int' object is not callable" otherwise.
func Call(st *State, f any, args []any, kw *Kwargs) (any, error) {
	switch x := f.(type) {
	case *Func:
		if err := st.Charge(1); err != nil {
			return nil, err
		}
		return x.Call(st, args, kw)
	case Caller:
		if err := st.Charge(1); err != nil {
			return nil, err
		}
		return x.Call(st, args, kw)
	}
	return nil, newErr(TypeError, "'"+TypeName(f)+"' object is not callable")
}

// Missing is the value ParseArgs stores for an optional parameter that was
// not given. It never escapes into expression values: check for it with
// v == py.Missing.
var Missing any = missingType{}

type missingType struct{}

// ParseArgs maps positional args and keyword args kw of a call to fname onto
// the parameters names, returning one value per real parameter name (Missing
// for an absent optional one). The first minPositional parameters are
// required. A name "/" ends the positional-only parameters and a name "*"
// starts the keyword-only ones, as in Python signatures; these markers get
// no slot in the result. Errors use CPython's wording:
// "f() takes at most 2 arguments (3 given)", "f() missing required argument
// 'x' (pos 1)", "f() got an unexpected keyword argument 'x'",
// "argument for f() given by name ('x') and position (1)".
func ParseArgs(fname string, args []any, kw *Kwargs, names []string, minPositional int) ([]any, error) {
	posOnly := 0 // number of positional-only parameters
	maxPos := -1 // number of parameters that may be given by position
	params := names
	if hasMarker(names) {
		params = make([]string, 0, len(names))
		for _, n := range names {
			switch n {
			case "/":
				posOnly = len(params)
			case "*":
				maxPos = len(params)
			default:
				params = append(params, n)
			}
		}
	}
	if maxPos < 0 {
		maxPos = len(params)
	}
	if len(args) > maxPos {
		if maxPos == len(params) && minPositional == maxPos {
			return nil, newErr(TypeError, fname+"() takes exactly "+plural(maxPos, "argument")+" ("+strconv.Itoa(len(args))+" given)")
		}
		if kw.Len() == 0 && maxPos < len(params) {
			return nil, newErr(TypeError, fname+"() takes at most "+plural(maxPos, "positional argument")+" ("+strconv.Itoa(len(args))+" given)")
		}
		return nil, newErr(TypeError, fname+"() takes at most "+plural(maxPos, "argument")+" ("+strconv.Itoa(len(args))+" given)")
	}
	out := make([]any, len(params))
	copy(out, args)
	for i := len(args); i < len(out); i++ {
		out[i] = Missing
	}
	if kw != nil {
		for k, name := range kw.Names {
			idx := -1
			for i, p := range params {
				if p == name {
					idx = i
					break
				}
			}
			if idx < 0 || idx < posOnly {
				if idx >= 0 {
					return nil, newErr(TypeError, fname+"() got some positional-only arguments passed as keyword arguments: '"+truncate(name)+"'")
				}
				return nil, newErr(TypeError, fname+"() got an unexpected keyword argument '"+truncate(name)+"'")
			}
			if idx < len(args) {
				return nil, newErr(TypeError, "argument for "+fname+"() given by name ('"+name+"') and position ("+strconv.Itoa(idx+1)+")")
			}
			out[idx] = kw.Values[k]
		}
	}
	for i := 0; i < minPositional && i < len(out); i++ {
		if out[i] == Missing {
			if i >= maxPos {
				return nil, newErr(TypeError, fname+"() missing required keyword-only argument: '"+params[i]+"'")
			}
			return nil, newErr(TypeError, fname+"() missing required argument '"+params[i]+"' (pos "+strconv.Itoa(i+1)+")")
		}
	}
	return out, nil
}

func hasMarker(names []string) bool {
	for _, n := range names {
		if n == "/" || n == "*" {
			return true
		}
	}
	return false
}

func plural(n int, what string) string {
	s := strconv.Itoa(n) + " " + what
	if n != 1 {
		s += "s"
	}
	return s
}

// QualifiedName joins a module name and an attribute ("urllib.parse" +
// "quote"); used to name Funcs in error messages.
func QualifiedName(parts ...string) string { return strings.Join(parts, ".") }
