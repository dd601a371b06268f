package engine

import (
	"errors"
	"fmt"
	"strings"

	"github.com/expr-lang/expr/file"
	"github.com/julepkit/julep/engine/internal/py"
	"github.com/julepkit/julep/engine/internal/syntax"
)

// The values of Error.Kind. Besides Python's exception names, the engine
// reports SecurityError (a refused name or attribute, JULEP.md rule 2),
// LimitError (a resource limit of Limits was hit, or the context is done)
// and InternalError (a bug of the engine, reported instead of a crash).
// Branch on them with errors.As:
//
//	var e *engine.Error
//	if errors.As(err, &e) && e.Kind == engine.KindLimit { ... }
const (
	KindSyntax         = "SyntaxError"
	KindName           = "NameError"
	KindType           = "TypeError"
	KindKey            = "KeyError"
	KindIndex          = "IndexError"
	KindZeroDivision   = "ZeroDivisionError"
	KindValue          = "ValueError"
	KindAttribute      = "AttributeError"
	KindOverflow       = "OverflowError"
	KindNotImplemented = "NotImplementedError"
	KindSecurity       = "SecurityError"
	KindLimit          = "LimitError"
	// KindInternal marks a bug in the engine (a Go panic or an unexpected
	// error of the virtual machine). It is reported, never a crash.
	KindInternal = "InternalError"
)

// ErrCanceled is wrapped by the LimitError an evaluation returns when its
// context is done (errors.Is(err, engine.ErrCanceled)); the context's own
// error is wrapped too.
var ErrCanceled = py.ErrCanceled

// Error is the error of every API of this package: a Python-like exception
// kind, a message, and the position of the problem in the source.
//
// Offset is a byte offset into Source (the text given to Compile, or the
// original field string given to CompileField); Line and Column are 1-based,
// the column counted in runes. For an error without a position (a value of
// vars that cannot be converted, say) Line is 0.
//
// Use errors.As(err, &e) with e *Error to branch on Kind (one of the Kind
// constants); errors.Is also reaches the wrapped cause (ErrCanceled,
// context.DeadlineExceeded...).
type Error struct {
	Kind   string // "SyntaxError", "NameError", "TypeError", "KeyError", "SecurityError", "LimitError"...
	Msg    string // the message, without the kind
	Offset int    // byte offset of the problem in Source
	Line   int    // 1-based line of Offset (0: no position)
	Column int    // 1-based rune column of Offset
	Source string // the text the position refers to

	cause error
}

// Error renders the error as "Kind: msg (line L, column C)".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Kind)
	if e.Msg != "" {
		b.WriteString(": ")
		b.WriteString(e.Msg)
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, " (line %d, column %d)", e.Line, e.Column)
	}
	return b.String()
}

// Unwrap returns the underlying cause (an error of the engine's internal
// parser or runtime, a context error...), if any.
func (e *Error) Unwrap() error { return e.cause }

// Snippet renders the source line holding the error and a caret under its
// column:
//
//	x + * 2
//	    ^
//
// It returns "" when the error has no position.
func (e *Error) Snippet() string {
	if e.Line == 0 {
		return ""
	}
	se := syntax.Error{Offset: e.Offset}
	return se.Snippet(e.Source)
}

// newError builds an *Error at byte offset off of src.
func newError(kind, msg, src string, off int, cause error) *Error {
	e := &Error{Kind: kind, Msg: msg, Source: src, cause: cause}
	e.setPos(off)
	return e
}

func (e *Error) setPos(off int) {
	off = min(max(off, 0), len(e.Source))
	e.Offset = off
	e.Line, e.Column = syntax.LineCol(e.Source, off)
}

// shift returns a copy of e re-based onto the original text orig, where
// mapOff maps an offset of e.Source to an offset of orig.
func (e *Error) rebase(orig string, mapOff func(int) int) *Error {
	c := *e
	c.Source = orig
	if e.Line == 0 {
		return &c
	}
	c.setPos(mapOff(e.Offset))
	return &c
}

// fromSyntax converts a parser error.
func fromSyntax(se *syntax.Error, src string) *Error {
	return newError(se.Kind, se.Msg, src, se.Offset, se)
}

// compileError is an error found by the translator at byte offset off.
func compileError(kind, src string, off int, format string, args ...any) *Error {
	return newError(kind, fmt.Sprintf(format, args...), src, off, nil)
}

// offsetError is an error that a helper raises at a byte offset of the
// source other than its own call's (a fused helper runs many operations);
// runtimeError positions the error there.
type offsetError struct {
	off int
	err error
}

func (e *offsetError) Error() string { return e.err.Error() }
func (e *offsetError) Unwrap() error { return e.err }

// runtimeError converts an error returned by the virtual machine (or by a
// helper called outside it) into an *Error positioned in src. fallback is the
// offset used when the error carries no location.
func runtimeError(err error, src string, fallback int) *Error {
	if err == nil {
		return nil
	}
	off := fallback
	var fe *file.Error
	if errors.As(err, &fe) {
		off = fe.From
		if fe.Prev == nil {
			// A panic of the VM itself (not a helper's error).
			kind := KindInternal
			msg := fe.Message
			if strings.Contains(msg, "memory budget exceeded") {
				kind, msg = py.LimitError, "memory limit exceeded"
			}
			return newError(kind, msg, src, off, nil)
		}
		err = fe.Prev
	}
	var oe *offsetError
	if errors.As(err, &oe) {
		off, err = oe.off, oe.err // raised at its own offset (fused helpers)
	}
	var ee *Error
	if errors.As(err, &ee) {
		return ee // already positioned (raised inside a lambda body)
	}
	var pe *py.Error
	if errors.As(err, &pe) {
		return newError(pe.Kind, pe.Msg, src, off, err)
	}
	var se *syntax.Error
	if errors.As(err, &se) {
		return newError(se.Kind, se.Msg, src, off, err)
	}
	// A Go runtime error (a bug in a helper) or any other error.
	return newError(KindInternal, err.Error(), src, off, err)
}
