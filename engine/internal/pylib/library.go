package pylib

import "github.com/julepkit/julep/engine/internal/py"

// Library returns the library of the expression engine: the builtin
// functions and named constants, the methods of each type and the modules.
// Each call builds a new *py.Library; the engine builds one and shares it
// (read-only) among all evaluations.
func Library() *py.Library {
	lib := &py.Library{
		Builtins:  map[string]*py.Func{},
		Constants: constants(),
		Methods:   map[string]map[string]py.MethodFunc{},
		Modules:   map[string]*py.Module{},
	}
	addBuiltins(lib)
	addCollections(lib)
	addCsvmod(lib)
	addDatetime(lib)
	addJsonmod(lib)
	addModule(lib, mathModule())
	addRemod(lib)
	addSmallmods(lib)
	addModule(lib, statisticsModule())
	addStrmethods(lib)
	addUrlparse(lib)
	addYamlmod(lib)
	return lib
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

func addBuiltin(lib *py.Library, name string, f *py.Func) { lib.Builtins[name] = f }

func addModule(lib *py.Library, m *py.Module) { lib.Modules[m.Name] = m }

// builtinFunc is the Go signature of a builtin or module function.
type builtinFunc = func(st *py.State, args []any, kw *py.Kwargs) (any, error)

// newModule returns the module name with the functions funcs (each a
// *py.Func named "name.key") and the other attributes attrs.
func newModule(name string, funcs map[string]builtinFunc, attrs map[string]any) *py.Module {
	m := &py.Module{Name: name, Attrs: make(map[string]any, len(funcs)+len(attrs))}
	for k, f := range funcs {
		m.Attrs[k] = fn(name+"."+k, f)
	}
	for k, v := range attrs {
		m.Attrs[k] = v
	}
	return m
}
