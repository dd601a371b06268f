// Package engine compiles and evaluates the Python expressions of Julep task
// files: "$ " expressions, legacy {{ }} templates and plain strings evaluated
// as f-strings (see JULEP.md, Strings), with CPython's semantics and hard
// resource limits.
//
// # Layering
//
// The project is layered; each layer uses only the public API of the ones
// before it:
//
//	engine (syntax -> translate -> run) -> steps -> resolver -> cmd
//
// with secrets (the store), redact (masking of secret values) and providers
// (model providers and their keys) beside them. Package engine is the first
// layer. Its stages are internal packages that callers never import:
//
//   - internal/syntax parses the Python subset into a syntax tree with byte
//     positions (errors carry them);
//   - this package translates the tree into an expr-lang/expr AST (no expr
//     source text is ever generated), which expr's checker and compiler turn
//     into a program, with expr's builtins disabled and this package's
//     Python-semantics helpers registered as expr functions; while
//     translating, it records what the program reads and uses (Reads,
//     Constructs, Replacements);
//   - programs run on pooled expr virtual machines; every operation with
//     Python semantics (arithmetic, comparison, truthiness, subscripts,
//     attributes, calls, f-strings) goes through internal/py, the value
//     model and runtime, and library functions (str methods, json, re,
//     math, datetime...) come from internal/pylib.
//
// Julep's string rules (which strings are expressions, templates,
// f-strings or literals) live here only: ReadField applies them, and
// CompileField compiles by them. Package steps reads a compiled Field's
// Kind, Reads, Constructs and Replacements for its static checks instead of
// parsing expressions itself.
//
// # API
//
// Compile an expression with Compile (or a task field with CompileField),
// evaluate it with Program.Eval (Field.Eval), convert results with ToJSON or
// ToGo. Errors are *Error values with a Kind (KindSyntax, KindName,
// KindSecurity, KindLimit... branch on them with errors.As) and a position
// in the source, rendered with a caret by Snippet. The variables of an
// evaluation are plain Go values or engine values (FromGo converts once,
// DecodeJSON decodes JSON keeping Python's types and key order); Dict
// builds or inspects a Python dict. FreeNames, Refs and Reads tell which
// variables a program reads, before it runs.
//
// Compiled programs are immutable and safe for concurrent use; an Engine
// caches them by source text. One evaluation runs under the budgets of
// Limits.Runtime (RuntimeLimits): work units, bytes built, string and
// collection sizes, int size, nesting depth of values. Exceeding a budget
// is an *Error of kind KindLimit; cancelling the context stops the
// evaluation (errors.Is(err, ErrCanceled)). Limits is the one vocabulary of
// expression limits: steps and resolver take an *Engine configured with
// WithLimits.
//
// Basic use:
//
//	p, err := engine.Compile("steps[0].input.topic.upper()")
//	if err != nil { ... }           // *engine.Error: SyntaxError, SecurityError... with position
//	v, err := p.Eval(ctx, map[string]any{"steps": steps})
//	b, _ := engine.ToJSON(v)
//
// # Names
//
// A name is, in this order: a variable bound inside the expression
// (comprehension target, lambda parameter, walrus target); one of Julep's
// constants (NEWLINE, true, false, null); a module (json, re, math...); a
// builtin function (len, sorted...); otherwise a variable read from vars
// (NameError "name 'x' is not defined" when absent, raised only if the name
// is actually evaluated). A call by name always uses the builtin (JULEP.md
// rule 3); calling an unknown name is a NameError at compile time. Names and
// attributes starting with '_' (except the name _) and dangerous builtins
// (eval, exec, open, getattr, globals, type, __import__...) are refused at
// compile time with a SecurityError; input() and print() are refused when
// called (input is also a variable of Julep's kind: steps).
//
// # Deviations from CPython
//
// Besides JULEP.md's deliberate ones (attribute access on dicts, '_'
// names, calls by name, limits):
//   - generator expressions are evaluated eagerly into a list (a standalone
//     generator value is a list); any() and all() of a generator expression
//     do short-circuit like CPython, so any(1/x for x in [1, 0]) is True;
//   - lambdas capture the values of enclosing variables when they are
//     created (CPython captures the variables);
//   - a lambda's repr is "<built-in function <lambda>>".
package engine
