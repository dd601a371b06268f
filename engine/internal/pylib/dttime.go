package pylib

import (
	"fmt"
	"strconv"
	"time"

	"github.com/julepkit/julep/engine/internal/py"
)

// Time is datetime.time: a time of day, naive or with a fixed-offset zone.
type Time struct {
	Hour, Minute, Second, Micro int
	Tz                          *Timezone // nil: naive
}

// TypeName returns "datetime.time".
func (t *Time) TypeName() string { return "datetime.time" }

// Repr returns e.g. "datetime.time(10, 30)".
func (t *Time) Repr() string {
	s := fmt.Sprintf("datetime.time(%d, %d", t.Hour, t.Minute)
	if t.Second != 0 || t.Micro != 0 {
		s += ", " + strconv.Itoa(t.Second)
	}
	if t.Micro != 0 {
		s += ", " + strconv.Itoa(t.Micro)
	}
	if t.Tz != nil {
		s += ", tzinfo=" + t.Tz.Repr()
	}
	return s + ")"
}

// Str returns isoformat().
func (t *Time) Str() string { return t.isoformat("auto") }

func (t *Time) isoformat(spec string) string {
	d := &Datetime{T: time.Date(2000, 1, 1, t.Hour, t.Minute, t.Second, t.Micro*1000, time.UTC), Aware: t.Tz != nil, Tz: t.Tz}
	s := d.isoformat("T", spec)
	return s[len("2000-01-01T"):]
}

func (t *Time) micros() int64 {
	us := int64(t.Hour)*3600e6 + int64(t.Minute)*60e6 + int64(t.Second)*1e6 + int64(t.Micro)
	if t.Tz != nil {
		us -= int64(t.Tz.Offset) * 1e6
	}
	return us
}

// Cmp orders times (naive and aware do not compare).
func (t *Time) Cmp(o any) (int, bool) {
	u, ok := o.(*Time)
	if !ok || (t.Tz == nil) != (u.Tz == nil) {
		return 0, false
	}
	return cmp64(t.micros(), u.micros()), true
}

// Equal compares times.
func (t *Time) Equal(o any) bool { c, ok := t.Cmp(o); return ok && c == 0 }

// HashKey hashes by value.
func (t *Time) HashKey() (any, error) { return fmt.Sprintf("time%v%d", t.Tz != nil, t.micros()), nil }

// Truth is always true (Python 3.5+).
func (t *Time) Truth() bool { return true }

// GetAttr exposes the fields.
func (t *Time) GetAttr(st *py.State, name string) (any, bool, error) {
	switch name {
	case "hour":
		return int64(t.Hour), true, nil
	case "minute":
		return int64(t.Minute), true, nil
	case "second":
		return int64(t.Second), true, nil
	case "microsecond":
		return int64(t.Micro), true, nil
	case "tzinfo":
		if t.Tz == nil {
			return nil, true, nil
		}
		return t.Tz, true, nil
	}
	return nil, false, nil
}

// Format implements format(t, spec) as strftime.
func (t *Time) Format(st *py.State, spec string) (string, error) {
	if spec == "" {
		return t.Str(), nil
	}
	return t.strftime(spec)
}

func (t *Time) strftime(f string) (string, error) {
	// CPython formats a time on the date 1900-01-01.
	loc := time.UTC
	if t.Tz != nil {
		loc = time.FixedZone("", t.Tz.Offset)
	}
	d := &Datetime{T: time.Date(1900, 1, 1, t.Hour, t.Minute, t.Second, t.Micro*1000, loc), Aware: t.Tz != nil, Tz: t.Tz}
	return strftime(f, d, true)
}

func timeNew(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	a, err := bind("time", args, kw, []string{"hour", "minute", "second", "microsecond", "tzinfo", "fold"}, 0)
	if err != nil {
		return nil, err
	}
	v, err := intFields("time", a[:4])
	if err != nil {
		return nil, err
	}
	tz, err := tzArg(a[4])
	if err != nil {
		return nil, err
	}
	return newTime(v[0], v[1], v[2], v[3], tz)
}

func newTime(h, m, s, us int64, tz *Timezone) (*Time, error) {
	switch {
	case h < 0 || h > 23:
		return nil, valueErr("hour must be in 0..23")
	case m < 0 || m > 59:
		return nil, valueErr("minute must be in 0..59")
	case s < 0 || s > 59:
		return nil, valueErr("second must be in 0..59")
	case us < 0 || us > 999999:
		return nil, valueErr("microsecond must be in 0..999999")
	}
	return &Time{Hour: int(h), Minute: int(m), Second: int(s), Micro: int(us), Tz: tz}, nil
}

// initTimeClass adds datetime.time to the datetime module (called from the
// module's init, so that the order of files does not matter).
func initTimeClass(lib *py.Library, m *py.Module, dtClass *Class) {
	timeClass := &Class{Name: "datetime.time", New: timeNew, Attrs: map[string]any{}}
	timeClass.Attrs["fromisoformat"] = fn("time.fromisoformat", func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
		s, err := strArg1("fromisoformat", args, kw)
		if err != nil {
			return nil, err
		}
		d, err := parseISO("2000-01-01T"+s, false)
		if err != nil || s == "" {
			return nil, valueErr("Invalid isoformat string: %s", pyQuote(s))
		}
		return &Time{Hour: d.T.Hour(), Minute: d.T.Minute(), Second: d.T.Second(), Micro: d.T.Nanosecond() / 1000, Tz: d.Tz}, nil
	})
	m.Attrs["time"] = timeClass
	dtClass.Attrs["time"] = timeClass
	reg := func(name string, f func(st *py.State, t *Time, args []any, kw *py.Kwargs) (any, error)) {
		addMethod(lib, "datetime.time", name, func(st *py.State, recv any, args []any, kw *py.Kwargs) (any, error) {
			t, ok := recv.(*Time)
			if !ok {
				return nil, typeErr("descriptor '%s' requires a 'datetime.time' object", name)
			}
			return f(st, t, args, kw)
		})
	}
	reg("isoformat", func(st *py.State, t *Time, args []any, kw *py.Kwargs) (any, error) {
		a, err := bind("isoformat", args, kw, []string{"timespec"}, 0)
		if err != nil {
			return nil, err
		}
		spec := "auto"
		if given(a[0]) {
			s, _ := a[0].(string)
			switch s {
			case "auto", "hours", "minutes", "seconds", "milliseconds", "microseconds":
				spec = s
			default:
				return nil, valueErr("Unknown timespec value")
			}
		}
		return t.isoformat(spec), nil
	})
	reg("strftime", func(st *py.State, t *Time, args []any, kw *py.Kwargs) (any, error) {
		f, err := strArg1("strftime", args, kw)
		if err != nil {
			return nil, err
		}
		return t.strftime(f)
	})
	reg("replace", func(st *py.State, t *Time, args []any, kw *py.Kwargs) (any, error) {
		a, err := bind("replace", args, kw, []string{"hour", "minute", "second", "microsecond", "tzinfo"}, 0)
		if err != nil {
			return nil, err
		}
		cur := []int64{int64(t.Hour), int64(t.Minute), int64(t.Second), int64(t.Micro)}
		for i := range cur {
			if given(a[i]) {
				if cur[i], err = indexArg(a[i]); err != nil {
					return nil, err
				}
			}
		}
		tz := t.Tz
		if given(a[4]) {
			if tz, err = tzArg(a[4]); err != nil {
				return nil, err
			}
		}
		return newTime(cur[0], cur[1], cur[2], cur[3], tz)
	})
	addMethod(lib, "datetime.datetime", "time", func(st *py.State, recv any, args []any, kw *py.Kwargs) (any, error) {
		d, ok := recv.(*Datetime)
		if !ok {
			return nil, typeErr("descriptor 'time' requires a 'datetime.datetime' object")
		}
		return &Time{Hour: d.T.Hour(), Minute: d.T.Minute(), Second: d.T.Second(), Micro: d.T.Nanosecond() / 1000}, nil
	})
	addMethod(lib, "datetime.datetime", "timetz", func(st *py.State, recv any, args []any, kw *py.Kwargs) (any, error) {
		d, ok := recv.(*Datetime)
		if !ok {
			return nil, typeErr("descriptor 'timetz' requires a 'datetime.datetime' object")
		}
		t := &Time{Hour: d.T.Hour(), Minute: d.T.Minute(), Second: d.T.Second(), Micro: d.T.Nanosecond() / 1000}
		if d.Aware {
			t.Tz = d.Tz
		}
		return t, nil
	})
}

var (
	_ py.Object     = (*Time)(nil)
	_ py.AttrGetter = (*Time)(nil)
	_ py.Stringer   = (*Time)(nil)
	_ py.Ordered    = (*Time)(nil)
	_ py.Formatter  = (*Time)(nil)
	_ py.Hasher     = (*Time)(nil)
)
