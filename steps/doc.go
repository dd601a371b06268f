// Package steps loads Julep task files into a typed model with a position
// on every node, and checks them statically.
//
// In the project's layering, engine (syntax -> translate -> run) -> steps
// -> resolver -> cmd, steps is the second layer: it uses only package
// engine's public API. Julep's string rules and everything known about an
// expression (its kind, the variables it reads with positions, secrets.x
// keys, steps[N] indexes and labels, the constructs --strict reports, the
// replacement fields of f-strings) come from the compiled engine.Field;
// steps never parses an expression itself.
//
// # Forms
//
// Two document forms are accepted (see JULEP.md):
//
//   - Julep's native form: name (required), description, canonical_name,
//     input_schema, tools, inherit_tools, metadata, main (at least one step)
//     and any other top-level key as a named workflow. A native step has no
//     kind key: its kind is the key present (tool, prompt, evaluate, set,
//     get, log, return, workflow/yield, sleep, error, wait_for_input, if,
//     switch, foreach, over/map, parallel).
//   - The seeds' form: a "steps:" list of "kind: tool_call | transform |
//     prompt | ..." steps, with secret_name, secrets:, operation, model and
//     template_variables. Its tools are external integrations: a tool name
//     is not checked against the tools list.
//
// Every step is a concrete type implementing Step (*ToolCallStep,
// *PromptStep, *EvaluateStep...). Its Path follows DESIGN.md: main[2],
// main[2].then, main[3].foreach.do, main[4].switch[1].then, main[5].map,
// main[6].parallel[0], fetch[1] (a named workflow), steps[2] (the kind
// form). Task.Walk visits every step with its path; Task.SecretRefs lists
// the secrets each step needs.
//
// # Strings
//
// Every string of an evaluated field (JULEP.md's table: arguments,
// evaluate, if, over, prompt messages...; not get, sleep, error, labels or
// tool names) is a *Value compiled at load time with engine.CompileField,
// which applies Julep's string rules ("$ " expressions, legacy {{ }}
// templates and _/inputs[...] forms, plain strings as f-strings). Compile
// errors are reported at the line and column inside the YAML scalar: the
// offset is mapped back through the scalar's style (plain, single-quoted
// with doubled quotes, double-quoted with backslash escapes, literal | and
// folded > blocks, line folding and indentation). Tool specs are evaluated
// with only secrets in scope; a map_reduce reduce sees only results and _.
//
// # Findings
//
// Parse reports every problem in one pass as *Error values (file, line,
// column, step path, Julep-style location, message, severity, type),
// sorted by position: errors (the task is invalid), warnings (names out of
// scope, secrets sent to a model, replacement fields that look like literal
// braces) and notes (case "_" is our default branch, Julep evaluates it).
// The error returned by Parse and Load is a steps.Errors holding the
// error-severity findings; Task.Findings holds them all. Options.Strict
// adds errors for constructs Julep rejects (lambda, set comprehensions,
// walrus, starred, sorted/reversed/filter, str.format).
//
// # Limits
//
// Expressions are bounded by the Engine's engine.Limits (Options.Engine).
// Files larger than Options.MaxFileSize (DefaultMaxFileSize, 1 MiB) are
// refused; so are files that nest collections deeper than Options.MaxDepth
// (DefaultMaxDepth, 200 levels of indentation, "- " entries and flow
// brackets together, checked on the bytes before any parser runs), and
// documents of more than Options.MaxNodes (DefaultMaxNodes, 200,000) YAML
// nodes, aliases expanded each time they are used (alias bombs). Each error
// names the limit it hit. With these limits any file, well-formed or not,
// is answered in well under a second of CPU and 100 MB of memory.
// A UTF-8 byte order mark is stripped; other encodings, invalid UTF-8,
// empty files, several YAML documents and tabs in indentation are errors
// with their position. YAML syntax errors are placed at the offending token
// (yaml.v3 often names an earlier line), with goccy/go-yaml's parser as a
// second opinion.
package steps
