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
	kind    FieldKind
	literal string
	prog    *Program
	mapOff  func(int) int // offset in prog's source -> offset in text
}

// Kind returns how the field is evaluated.
func (f *Field) Kind() FieldKind { return f.kind }

// Text returns the original field string.
func (f *Field) Text() string { return f.text }

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
	return e.rebase(f.text, f.mapOff)
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

func (e *Engine) compileField(s string) (*Field, error) {
	start := 0
	for start < len(s) {
		r, n := utf8.DecodeRuneInString(s[start:])
		if !isPySpace(r) {
			break
		}
		start += n
	}
	body := strings.TrimRightFunc(s[start:], isPySpace)
	f := &Field{text: s}
	shift := func(base int) func(int) int { return func(off int) int { return off + base } }

	switch {
	case strings.HasPrefix(body, "$ "):
		expr := body[2:]
		f.kind = FieldExpression
		f.mapOff = shift(start + 2)
		p, err := e.Compile(expr)
		if err != nil {
			return nil, f.rebase(err)
		}
		f.prog = p
		return f, nil
	case strings.Contains(body, "{{"):
		rewritten, mapOff := rewriteTemplate(body)
		f.kind = FieldTemplate
		f.mapOff = func(off int) int { return start + mapOff(off) }
		return e.fieldFString(f, rewritten)
	case isLegacyExpr(body):
		f.kind = FieldExpression
		f.mapOff = shift(start)
		p, err := e.Compile(body)
		if err != nil {
			return nil, f.rebase(err)
		}
		f.prog = p
		return f, nil
	}
	f.kind = FieldFString
	f.mapOff = shift(start)
	if !strings.ContainsAny(body, "{}\\") {
		f.kind = FieldLiteral
		f.literal = body
		return f, nil
	}
	return e.fieldFString(f, body)
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
// returns a function mapping an offset of the result to an offset of s.
func rewriteTemplate(s string) (string, func(int) int) {
	var b strings.Builder
	var kept []int // offsets in the result of the braces kept from a doubled pair
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
	return b.String(), func(off int) int {
		n := 0
		for _, k := range kept {
			if k < off {
				n++
			}
		}
		return off + n
	}
}
