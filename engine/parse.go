package engine

import (
	"errors"

	"github.com/julepkit/julep/engine/internal/py"
	"github.com/julepkit/julep/engine/internal/pylib"
	"github.com/julepkit/julep/engine/syntax"
)

// installLibrary registers the library (methods, builtins, modules) with
// package py.
func installLibrary() { pylib.Install() }

func (e *Engine) syntaxLimits() syntax.Limits {
	return syntax.Limits{MaxSource: e.limits.MaxSourceLen, MaxDepth: e.limits.MaxDepth, MaxNodes: e.limits.MaxNodes}
}

// compileExpr parses and translates a Python expression.
func (e *Engine) compileExpr(src string) (*Program, error) {
	tree, err := syntax.ParseWithLimits(src, e.syntaxLimits())
	if err != nil {
		return nil, parseError(err, src)
	}
	return e.translate(src, tree, false)
}

// compileFString parses and translates an f-string body.
func (e *Engine) compileFString(body string) (*Program, error) {
	tree, err := syntax.ParseFStringBodyWithLimits(body, e.syntaxLimits())
	if err != nil {
		return nil, parseError(err, body)
	}
	return e.translate(body, tree, true)
}

func parseError(err error, src string) error {
	var se *syntax.Error
	if errors.As(err, &se) {
		return fromSyntax(se, src)
	}
	return newError(py.SyntaxError, err.Error(), src, 0, err)
}
