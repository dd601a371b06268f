package pylib

import "github.com/julepkit/julep/engine/internal/py"

// Library returns the library of the expression engine: the builtin
// functions and named constants, the methods of each type and the modules.
// Each call builds a new *py.Library; the engine builds one and shares it
// (read-only) among all evaluations.
func Library() *py.Library {
	lib := &py.Library{
		Builtins:  builtins(),
		Constants: constants(),
		Methods:   methods(),
		Modules:   modules(),
	}
	addDatetime(lib)
	addRemod(lib)
	addUrlparse(lib)
	return lib
}

// methods is the table of the methods of each type, by type name.
func methods() map[string]map[string]py.MethodFunc {
	return map[string]map[string]py.MethodFunc{
		"str":   strMethods(),
		"list":  listMethods(),
		"tuple": tupleMethods(),
		"dict":  dictMethods(),
		"set":   setMethods(),
	}
}

// modules is the table of modules by dotted name.
func modules() map[string]*py.Module {
	return map[string]*py.Module{
		"base64":     base64Module(),
		"csv":        csvModule(),
		"json":       jsonModule(),
		"math":       mathModule(),
		"random":     randomModule(),
		"statistics": statisticsModule(),
		"string":     stringModule(),
		"time":       timeModule(),
		"yaml":       yamlModule(),
	}
}

// constants are Julep's named constants: NEWLINE, true, false, null.
func constants() map[string]any {
	return map[string]any{"NEWLINE": "\n", "true": true, "false": false, "null": nil}
}

func addMethod(lib *py.Library, typeName, name string, f py.MethodFunc) {
	m := lib.Methods[typeName]
	if m == nil {
		m = map[string]py.MethodFunc{}
		lib.Methods[typeName] = m
	}
	m[name] = f
}

func addModule(lib *py.Library, m *py.Module) { lib.Modules[m.Name] = m }

// builtinFunc is the Go signature of a builtin or module function.
type builtinFunc = func(st *py.State, args []any, kw *py.Kwargs) (any, error)

// newModule returns the module name with the functions funcs (each a
// *py.Func named "name.key") and the other attributes attrs.
func newModule(name string, fns map[string]builtinFunc, attrs map[string]any) *py.Module {
	m := &py.Module{Name: name, Attrs: make(map[string]any, len(fns)+len(attrs))}
	for k, f := range funcs(name+".", fns) {
		m.Attrs[k] = f
	}
	for k, v := range attrs {
		m.Attrs[k] = v
	}
	return m
}

// funcs makes a *py.Func named prefix+key of each function of fns.
func funcs(prefix string, fns map[string]builtinFunc) map[string]*py.Func {
	out := make(map[string]*py.Func, len(fns))
	for k, f := range fns {
		out[k] = fn(prefix+k, f)
	}
	return out
}
