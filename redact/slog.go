package redact

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
)

// Handler wraps h so that every record's message and attribute values are
// masked before h sees them: strings, errors (their message), fmt.Stringers,
// slog.LogValuers (resolved first), []byte, groups at any depth, and other
// values whose fmt or JSON rendering contains a registered value (those are
// replaced by their masked fmt rendering). Attributes bound with WithAttrs
// are masked with the values known at that time.
func (r *Redactor) Handler(h slog.Handler) slog.Handler {
	return &handler{r: r, h: h}
}

type handler struct {
	r *Redactor
	h slog.Handler
}

// Enabled defers to the wrapped handler.
func (h *handler) Enabled(ctx context.Context, l slog.Level) bool { return h.h.Enabled(ctx, l) }

// Handle masks the record and passes it on.
func (h *handler) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, h.r.Redact(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.r.attr(a))
		return true
	})
	return h.h.Handle(ctx, out)
}

// WithAttrs masks attrs and binds them on the wrapped handler.
func (h *handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	masked := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		masked[i] = h.r.attr(a)
	}
	return &handler{r: h.r, h: h.h.WithAttrs(masked)}
}

// WithGroup opens a group on the wrapped handler.
func (h *handler) WithGroup(name string) slog.Handler {
	return &handler{r: h.r, h: h.h.WithGroup(name)}
}

func (r *Redactor) attr(a slog.Attr) slog.Attr {
	a.Key = r.Redact(a.Key)
	a.Value = r.value(a.Value, 0)
	return a
}

func (r *Redactor) value(v slog.Value, depth int) slog.Value {
	if depth > 16 {
		return slog.StringValue(Mask)
	}
	v = v.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.StringValue(r.Redact(v.String()))
	case slog.KindGroup:
		g := v.Group()
		out := make([]slog.Attr, len(g))
		for i, a := range g {
			a.Key = r.Redact(a.Key)
			a.Value = r.value(a.Value, depth+1)
			out[i] = a
		}
		return slog.GroupValue(out...)
	case slog.KindAny:
		switch x := v.Any().(type) {
		case error:
			return slog.StringValue(r.Redact(x.Error()))
		case fmt.Stringer:
			return slog.StringValue(r.Redact(x.String()))
		case []byte:
			return slog.StringValue(r.Redact(string(x)))
		case nil:
			return v
		default:
			s := fmt.Sprintf("%+v", x)
			if red := r.Redact(s); red != s {
				return slog.StringValue(red)
			}
			if j, err := json.Marshal(x); err == nil {
				if js := string(j); r.Redact(js) != js {
					return slog.StringValue(r.Redact(js))
				}
			}
			return v
		}
	default:
		// Numbers, bools, times and durations: masked only through their text.
		s := v.String()
		if red := r.Redact(s); red != s {
			return slog.StringValue(red)
		}
		return v
	}
}
