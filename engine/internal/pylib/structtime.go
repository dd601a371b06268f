package pylib

import (
	"strings"
	"time"

	"github.com/julepkit/julep/engine/internal/py"
)

// StructTime is time.struct_time: a named tuple of nine ints, from
// date.timetuple(), datetime.timetuple() and time.strptime().
type StructTime struct {
	v py.Tuple // tm_year … tm_isdst, all int64
}

var structTimeFields = [...]string{"tm_year", "tm_mon", "tm_mday", "tm_hour", "tm_min", "tm_sec", "tm_wday", "tm_yday", "tm_isdst"}

// structTimeOf is d.timetuple(): tm_isdst is -1, as for CPython's naive
// datetimes and its fixed-offset zones (their dst() is None).
func structTimeOf(d *Datetime) *StructTime {
	t := d.T
	v := make(py.Tuple, 9)
	for i, n := range []int{t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute(), t.Second(), (int(t.Weekday()) + 6) % 7, t.YearDay(), -1} {
		v[i] = int64(n)
	}
	return &StructTime{v: v}
}

// TypeName returns "time.struct_time".
func (s *StructTime) TypeName() string { return "time.struct_time" }

// Repr returns "time.struct_time(tm_year=2024, …, tm_isdst=-1)".
func (s *StructTime) Repr() string {
	var b strings.Builder
	b.WriteString("time.struct_time(")
	for i, f := range structTimeFields {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(f + "=" + py.Repr(s.v[i]))
	}
	return b.String() + ")"
}

// Len returns 9.
func (s *StructTime) Len() int { return len(s.v) }

// Iter returns the nine fields.
func (s *StructTime) Iter(st *py.State) ([]any, error) { return append([]any(nil), s.v...), nil }

// GetItem implements t[i].
func (s *StructTime) GetItem(st *py.State, key any) (any, error) { return py.GetItem(st, s.v, key) }

// GetSlice implements t[a:b:c] (a tuple).
func (s *StructTime) GetSlice(st *py.State, lower, upper, step any) (any, error) {
	return py.GetSlice(st, s.v, lower, upper, step)
}

// GetAttr exposes tm_year … tm_isdst.
func (s *StructTime) GetAttr(st *py.State, name string) (any, bool, error) {
	for i, f := range structTimeFields {
		if f == name {
			return s.v[i], true, nil
		}
	}
	return nil, false, nil
}

// Equal compares as a tuple (struct_time is a tuple subclass).
func (s *StructTime) Equal(other any) bool {
	if o, ok := other.(*StructTime); ok {
		other = o.v
	}
	return py.Equal(s.v, other)
}

// HashKey hashes as the tuple of fields.
func (s *StructTime) HashKey() (any, error) { return py.HashKey(s.v) }

// timeTupleArg reads time.strftime's struct_time (or 9-tuple) argument as a
// datetime; tm_wday and tm_yday are recomputed from the date.
func timeTupleArg(v any) (*Datetime, error) {
	var items py.Tuple
	switch x := v.(type) {
	case *StructTime:
		items = x.v
	case py.Tuple:
		items = x
	default:
		return nil, typeErr("Tuple or struct_time argument required")
	}
	if len(items) != 9 {
		return nil, typeErr("time.struct_time() takes a sequence of length 9")
	}
	var f [6]int
	for i := range f {
		n, ok := asInt(items[i])
		if !ok {
			return nil, typeErr("'%s' object cannot be interpreted as an integer", tn(items[i]))
		}
		f[i] = int(n)
	}
	switch {
	case f[1] < 1 || f[1] > 12:
		return nil, valueErr("month out of range")
	case f[2] < 1 || f[2] > 31:
		return nil, valueErr("day of month out of range")
	case f[3] < 0 || f[3] > 23:
		return nil, valueErr("hour out of range")
	case f[4] < 0 || f[4] > 59:
		return nil, valueErr("minute out of range")
	case f[5] < 0 || f[5] > 61:
		return nil, valueErr("seconds out of range")
	}
	return &Datetime{T: time.Date(f[0], time.Month(f[1]), f[2], f[3], f[4], min(f[5], 59), 0, time.UTC)}, nil
}

// timeStrptime is time.strptime(string, format): the parsed fields as a
// struct_time (format defaults to "%a %b %d %H:%M:%S %Y").
func timeStrptime(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if err := noKw("strptime", kw); err != nil {
		return nil, err
	}
	if err := nargs("strptime", args, 1, 2); err != nil {
		return nil, err
	}
	s, ok := args[0].(string)
	if !ok {
		return nil, typeErr("strptime() argument 0 must be str, not %s", tn(args[0]))
	}
	format := "%a %b %d %H:%M:%S %Y"
	if len(args) == 2 {
		if format, ok = args[1].(string); !ok {
			return nil, typeErr("strptime() argument 1 must be str, not %s", tn(args[1]))
		}
	}
	d, weekday, yday, err := strptimeWeekday(s, format)
	if err != nil {
		return nil, err
	}
	t := structTimeOf(d)
	if weekday >= 0 {
		t.v[6] = int64(weekday) // as given, even when the date is another day
	}
	if yday >= 0 {
		t.v[7] = int64(yday)
	}
	return t, nil
}
