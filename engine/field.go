package engine

import (
	"context"
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// FieldKind tells how a task field string is evaluated.
type FieldKind uint8

// The kinds of Field.
const (
	// FieldLiteral is a string with no replacement field: its value is the
	// (stripped, escape-decoded) text itself.
	FieldLiteral FieldKind = iota
	// FieldExpression is a Python expression: "$ expr", or one of Julep's
	// legacy expression forms (_, _.x, [..], _[..], or text containing
	// inputs[ or outputs[).
	FieldExpression
	// FieldFString is a plain string evaluated as the body of a Python
	// f-string ("Hello {name}").
	FieldFString
	// FieldTemplate is a legacy {{ }} template: every {{ becomes { and every
	// }} becomes }, and the result is evaluated as an f-string body.
	FieldTemplate
)

// String returns "literal", "expression", "fstring" or "template".
func (k FieldKind) String() string {
	switch k {
	case FieldLiteral:
		return "literal"
	case FieldExpression:
		return "expression"
	case FieldFString:
		return "fstring"
	case FieldTemplate:
		return "template"
	}
	return "FieldKind(?)"
}

// Field is a compiled task field string. It is immutable and safe for
// concurrent use.
type Field struct {
	text    string // the original field string
	form    FieldForm
	kind    FieldKind
	literal string
	prog    *Program
}

// Kind returns how the field is evaluated.
func (f *Field) Kind() FieldKind { return f.kind }

// Text returns the original field string.
func (f *Field) Text() string { return f.text }

// Form returns how Julep's string rules read the field (see ReadField).
// Its Kind is the kind before compiling: an f-string without replacement
// fields is a FieldFString there and a FieldLiteral for Kind.
func (f *Field) Form() FieldForm { return f.form }

// Reads returns where the field reads its free variables (see
// Program.Reads), positioned in Text; nil for a literal.
func (f *Field) Reads() []Read {
	if f.prog == nil {
		return nil
	}
	rs := f.prog.Reads()
	for i := range rs {
		rs[i].Offset = f.form.TextOffset(rs[i].Offset)
		rs[i].KeyOffset = f.form.TextOffset(rs[i].KeyOffset)
	}
	return rs
}

// Constructs returns the field's calls and constructs (see
// Program.Constructs), positioned in Text; nil for a literal.
func (f *Field) Constructs() []Construct {
	if f.prog == nil {
		return nil
	}
	cs := f.prog.Constructs()
	for i := range cs {
		cs[i].Offset = f.form.TextOffset(cs[i].Offset)
	}
	return cs
}

// Replacements returns the replacement fields of a FieldFString or
// FieldTemplate (see Program.Replacements), positioned in Text; nil for
// other kinds.
func (f *Field) Replacements() []Replacement {
	if f.prog == nil {
		return nil
	}
	rs := f.prog.Replacements()
	for i := range rs {
		rs[i].Offset = f.form.TextOffset(rs[i].Offset)
		rs[i].End = f.form.TextOffset(rs[i].End)
	}
	return rs
}

// Program returns the compiled program, or nil for a FieldLiteral. Errors
// of Program().Eval are positioned in Program().Source(); Field.Eval
// positions them in the original field string.
func (f *Field) Program() *Program { return f.prog }

// Literal returns the value of a FieldLiteral (ok is false for other kinds).
func (f *Field) Literal() (s string, ok bool) { return f.literal, f.kind == FieldLiteral }

// FreeNames returns the root variables the field reads (see
// Program.FreeNames); nil for a literal.
func (f *Field) FreeNames() []string {
	if f.prog == nil {
		return nil
	}
	return f.prog.FreeNames()
}

// Refs reports the constant keys the field reads on root (see
// Program.Refs).
func (f *Field) Refs(root string) (keys []string, dynamic bool) {
	if f.prog == nil {
		return nil, false
	}
	return f.prog.Refs(root)
}

// Eval evaluates the field: a literal's string, an expression's value, or
// an f-string's str. Errors are *Error values whose Offset, Line and Column
// refer to the original field string (Text).
func (f *Field) Eval(ctx context.Context, vars map[string]any) (any, error) {
	if f.prog == nil {
		return f.literal, nil
	}
	v, err := f.prog.Eval(ctx, vars)
	if err != nil {
		return nil, f.rebase(err)
	}
	return v, nil
}

func (f *Field) rebase(err error) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	return e.rebase(f.text, f.form.TextOffset)
}

// CompileField compiles a task field string by Julep's rules (JULEP.md,
// Strings), in this order:
//
//  1. surrounding whitespace is stripped;
//  2. "$ expr" is the Python expression expr;
//  3. a string containing "{{" is a legacy template: every "{{" becomes "{",
//     every "}}" becomes "}", and the result is an f-string body;
//  4. "_", "_.…", "[…]", "_[…]", and strings containing "inputs[" or
//     "outputs[" are expressions;
//  5. any other string is an f-string body; one without replacement fields
//     is a literal.
//
// Errors are *Error values positioned in s itself (the stripped whitespace,
// the "$ " prefix and the {{ rewriting are accounted for), so that a loader
// can map them to a line and column of its file.
//
//	f, _ := engine.CompileField("$ steps[0].output.title")  // FieldExpression
//	f, _ = engine.CompileField("Hello {name}")              // FieldFString
//	f, _ = engine.CompileField("Hello {{ name }}")          // FieldTemplate
//	f, _ = engine.CompileField("plain text")                // FieldLiteral
func (e *Engine) CompileField(s string) (*Field, error) {
	v, err := e.cached(cacheKey{cacheField, s}, func() (any, error) { return e.compileField(s) })
	if err != nil {
		return nil, err
	}
	return v.(*Field), nil
}

// CompileField compiles s with the Default engine.
func CompileField(s string) (*Field, error) { return Default().CompileField(s) }

func isPySpace(r rune) bool {
	return unicode.IsSpace(r) || r == 0x1c || r == 0x1d || r == 0x1e || r == 0x1f
}

// FieldForm is how Julep's string rules (see CompileField) read a field
// string, found without compiling it: what a loader needs to explain a
// field that does not compile, and to map positions of the compiled code
// back to the field.
type FieldForm struct {
	// Kind is FieldExpression or FieldTemplate by the rules; FieldLiteral for
	// a string without '{', '}' or '\', otherwise FieldFString.
	Kind FieldKind
	// Legacy is true for an expression of one of Julep's legacy forms (no
	// "$ " prefix).
	Legacy bool
	// Code is what is compiled: the expression (after "$ "), the f-string
	// body (a template's after the {{ }} rewrite), or a literal's text,
	// surrounding whitespace stripped.
	Code string

	start int   // offset of Code in the field string (Code[0] is at start)
	kept  []int // template: offsets in Code of the braces kept from a doubled pair
}

// ReadField applies Julep's string rules to the field string s without
// compiling it.
func ReadField(s string) FieldForm {
	start := 0
	for start < len(s) {
		r, n := utf8.DecodeRuneInString(s[start:])
		if !isPySpace(r) {
			break
		}
		start += n
	}
	body := strings.TrimRightFunc(s[start:], isPySpace)
	switch {
	case strings.HasPrefix(body, "$ "):
		return FieldForm{Kind: FieldExpression, Code: body[2:], start: start + 2}
	case strings.Contains(body, "{{"):
		code, kept := rewriteTemplate(body)
		return FieldForm{Kind: FieldTemplate, Code: code, start: start, kept: kept}
	case isLegacyExpr(body):
		return FieldForm{Kind: FieldExpression, Legacy: true, Code: body, start: start}
	case !strings.ContainsAny(body, "{}\\"):
		return FieldForm{Kind: FieldLiteral, Code: body, start: start}
	}
	return FieldForm{Kind: FieldFString, Code: body, start: start}
}

// TextOffset maps a byte offset of Code to the byte offset in the field
// string (accounting for the stripped whitespace, the "$ " prefix and the
// {{ }} rewrite).
func (ff FieldForm) TextOffset(off int) int {
	n := 0
	for _, k := range ff.kept {
		if k < off {
			n++
		}
	}
	return ff.start + off + n
}

func (e *Engine) compileField(s string) (*Field, error) {
	f := &Field{text: s, form: ReadField(s)}
	f.kind = f.form.Kind
	switch f.kind {
	case FieldExpression:
		p, err := e.Compile(f.form.Code)
		if err != nil {
			return nil, f.rebase(err)
		}
		f.prog = p
		return f, nil
	case FieldLiteral:
		f.literal = f.form.Code
		return f, nil
	}
	return e.fieldFString(f, f.form.Code)
}

func (e *Engine) fieldFString(f *Field, body string) (*Field, error) {
	p, err := e.CompileFString(body)
	if err != nil {
		return nil, f.rebase(err)
	}
	if s, ok := p.constString(); ok && f.kind == FieldFString {
		f.kind = FieldLiteral
		f.literal = s
		return f, nil
	}
	f.prog = p
	return f, nil
}

// isLegacyExpr implements Julep's legacy expression forms.
func isLegacyExpr(s string) bool {
	switch {
	case s == "_", strings.HasPrefix(s, "_."):
		return true
	case (strings.HasPrefix(s, "[") || strings.HasPrefix(s, "_[")) && strings.HasSuffix(s, "]"):
		return true
	case strings.Contains(s, "inputs["), strings.Contains(s, "outputs["):
		return true
	}
	return false
}

// rewriteTemplate replaces every "{{" by "{" and every "}}" by "}" and
// returns the offsets in the result of the braces kept from a pair.
func rewriteTemplate(s string) (string, []int) {
	var b strings.Builder
	var kept []int
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c == '{' || c == '}') && i+1 < len(s) && s[i+1] == c {
			kept = append(kept, b.Len())
			b.WriteByte(c)
			i++
			continue
		}
		b.WriteByte(c)
	}
	return b.String(), kept
}
