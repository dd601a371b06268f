package engine

import (
	"context"
	"errors"
	"strconv"
	"sync/atomic"
)

// ErrBudgetSpent is wrapped by the *Error (kind KindLimit) of an evaluation
// stopped because a shared Budget is spent: errors.Is(err, ErrBudgetSpent).
var ErrBudgetSpent = errors.New("shared work budget spent")

// Budget is a work budget shared by several evaluations: all the fields of
// a step, all the steps of a dry run. It counts the same work units as
// RuntimeLimits.MaxOps. Each evaluation may spend at most what is left of
// every budget it is given (and at most its own MaxOps); what it spent is
// taken from each. A Budget is safe for concurrent use.
type Budget struct {
	max  int64
	used atomic.Int64
}

// NewBudget returns a budget of maxOps work units (maxOps <= 0: unlimited).
func NewBudget(maxOps int64) *Budget { return &Budget{max: maxOps} }

// Max returns the budget's size (0: unlimited).
func (b *Budget) Max() int64 {
	if b == nil || b.max <= 0 {
		return 0
	}
	return b.max
}

// Used returns the work units spent so far.
func (b *Budget) Used() int64 {
	if b == nil {
		return 0
	}
	return b.used.Load()
}

// left returns the units left (-1: unlimited).
func (b *Budget) left() int64 {
	if b == nil || b.max <= 0 {
		return -1
	}
	return max(b.max-b.used.Load(), 0)
}

// EvalBudget is Eval with shared budgets: the evaluation may spend at most
// what is left of each non-nil budget (and the engine's MaxOps); its work
// is then charged to each. When a budget is spent the error is an *Error of
// kind KindLimit wrapping ErrBudgetSpent.
func (p *Program) EvalBudget(ctx context.Context, vars map[string]any, budgets ...*Budget) (any, error) {
	lim := p.limits
	capped := false
	var spentMax int64
	for _, b := range budgets {
		l := b.left()
		if l < 0 {
			continue
		}
		if l == 0 {
			return nil, budgetError(p.src, b.Max())
		}
		if l < lim.MaxOps {
			lim.MaxOps, capped, spentMax = l, true, b.Max()
		}
	}
	out, ops, err := p.eval(ctx, vars, lim)
	for _, b := range budgets {
		if b != nil {
			b.used.Add(ops)
		}
	}
	if err != nil && capped && ops > lim.MaxOps {
		var e *Error
		if errors.As(err, &e) && e.Kind == KindLimit {
			return nil, budgetError(p.src, spentMax)
		}
	}
	return out, err
}

func budgetError(src string, max int64) *Error {
	return &Error{Kind: KindLimit, Msg: "shared work budget spent (" + strconv.FormatInt(max, 10) + " work units)", Source: src, cause: ErrBudgetSpent}
}

// EvalBudget is Eval with shared budgets (see Program.EvalBudget).
func (f *Field) EvalBudget(ctx context.Context, vars map[string]any, budgets ...*Budget) (any, error) {
	if f.prog == nil {
		return f.literal, nil
	}
	v, err := f.prog.EvalBudget(ctx, vars, budgets...)
	if err != nil {
		return nil, f.rebase(err)
	}
	return v, nil
}
