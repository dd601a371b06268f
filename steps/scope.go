package steps

import "slices"

// Scope is the set of variables an evaluated string may use (JULEP.md,
// Scope of a step's expressions). Library functions, modules and constants
// are always available.
type Scope struct {
	// Name describes the scope in messages ("step", "map_reduce reduce",
	// "tool spec"...).
	Name string
	// Vars are the variable names in scope.
	Vars []string
	// LLM is true when the evaluated value is sent to a model (prompt
	// messages, template variables).
	LLM bool
}

// Has reports whether name is a variable of the scope.
func (s *Scope) Has(name string) bool { return slices.Contains(s.Vars, name) }

// stepVars are the variables of every step expression.
var stepVars = []string{"_", "steps", "inputs", "outputs", "state", "secrets", "agent", "task", "execution", "arguments", "developer_id", "session", "user", "cursor"}

// The fixed scopes.
var (
	scopeStep   = &Scope{Name: "step", Vars: stepVars}
	scopeLLM    = &Scope{Name: "prompt", Vars: stepVars, LLM: true}
	scopeReduce = &Scope{Name: "map_reduce reduce", Vars: []string{"results", "_"}}
	scopeTool   = &Scope{Name: "tool spec", Vars: []string{"secrets"}}
)

// withVars returns a copy of s with more variables.
func (s *Scope) withVars(name string, llm bool, vars ...string) *Scope {
	return &Scope{Name: name, Vars: append(slices.Clip(s.Vars), vars...), LLM: llm}
}

// globals are the names every expression may use besides its scope's
// variables: Julep's functions, modules and constants, and our extensions.
var globals = nameSet(
	// functions
	"abs", "all", "any", "bool", "dict", "enumerate", "float", "int", "len", "list", "map", "max", "min",
	"round", "set", "str", "sum", "tuple", "zip", "reduce", "range", "load_json", "load_yaml", "dump_json",
	"dump_yaml", "extract_json", "search_regex", "match_regex", "nlp", "chunk_doc", "markdown_to_html",
	"html_to_markdown",
	// modules
	"re", "json", "yaml", "string", "datetime", "math", "statistics", "base64", "urllib", "random", "time", "csv",
	// constants
	"NEWLINE", "true", "false", "null", "True", "False", "None",
	// our extensions (flagged by --strict)
	"sorted", "reversed", "filter",
)

// nameSet returns the set of names.
func nameSet(names ...string) map[string]bool {
	set := make(map[string]bool, len(names))
	for _, n := range names {
		set[n] = true
	}
	return set
}

// strictFuncs are the functions we accept that Julep does not have: every
// builtin of engine/pylib that is missing from Julep's allow-list (JULEP.md,
// Evaluator: abs all any bool dict enumerate float int len list map max min
// round set str sum tuple zip reduce range and the Julep helpers).
var strictFuncs = map[string]bool{
	"sorted": true, "reversed": true, "filter": true,
	"repr": true, "format": true, "chr": true, "ord": true, "divmod": true, "pow": true,
	"hex": true, "oct": true, "bin": true, "isinstance": true, "complex": true,
}
