package engine

import (
	"errors"

	"github.com/julepkit/julep/engine/internal/py"
	"github.com/julepkit/julep/engine/internal/pylib"
	"github.com/julepkit/julep/engine/internal/syntax"
)

// library is the builtins, constants, methods and modules every program
// sees: the translator resolves names in it and every evaluation's State
// carries it (GetAttr and CallMethod find methods there). It is built once
// and never changed.
var library = pylib.Library()

func (e *Engine) syntaxLimits() syntax.Limits {
	return syntax.Limits{MaxSource: e.limits.MaxSourceLen, MaxDepth: e.limits.MaxDepth, MaxNodes: e.limits.MaxNodes}
}

// compileExpr parses and translates a Python expression.
func (e *Engine) compileExpr(src string) (*Program, error) {
	tree, err := syntax.ParseWithLimits(src, e.syntaxLimits())
	if err != nil {
		return nil, parseError(err, src)
	}
	p, err := e.translate(src, tree, false)
	return finish(p, err, tree, src, false)
}

// compileFString parses and translates an f-string body.
func (e *Engine) compileFString(body string) (*Program, error) {
	tree, err := syntax.ParseFStringBodyWithLimits(body, e.syntaxLimits())
	if err != nil {
		return nil, parseError(err, body)
	}
	p, err := e.translate(body, tree, true)
	return finish(p, err, tree, body, true)
}

// finish records what a translated program reads and uses (see
// Program.Reads).
func finish(p *Program, err error, tree syntax.Expr, src string, fstring bool) (*Program, error) {
	if err != nil {
		return nil, err
	}
	p.uses = collectUses(tree, src, p.free, fstring)
	return p, nil
}

func parseError(err error, src string) error {
	var se *syntax.Error
	if errors.As(err, &se) {
		return fromSyntax(se, src)
	}
	return newError(py.SyntaxError, err.Error(), src, 0, err)
}
