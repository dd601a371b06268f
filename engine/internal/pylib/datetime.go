package pylib

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/julepkit/julep/engine/internal/py"
)

// Class is a callable type object with attributes (datetime.datetime,
// datetime.timedelta…): calling it constructs a value.
type Class struct {
	Name  string                                                     // dotted, e.g. "datetime.datetime"
	New   func(st *py.State, args []any, kw *py.Kwargs) (any, error) // the constructor
	Attrs map[string]any                                             // class attributes (classmethods, constants)
}

// TypeName returns "type".
func (c *Class) TypeName() string { return "type" }

// Repr returns "<class 'datetime.datetime'>".
func (c *Class) Repr() string { return "<class '" + c.Name + "'>" }

// Call constructs a value.
func (c *Class) Call(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	return c.New(st, args, kw)
}

// GetAttr returns a class attribute (classmethods, constants).
func (c *Class) GetAttr(st *py.State, name string) (any, bool, error) {
	v, ok := c.Attrs[name]
	return v, ok, nil
}

// HashKey makes classes hashable by identity.
func (c *Class) HashKey() (any, error) { return c, nil }

// Timezone is a fixed-offset datetime.timezone (UTC included).
type Timezone struct {
	Offset int    // seconds east of UTC
	Name   string // optional name given to timezone(offset, name)
}

var tzUTC = &Timezone{Offset: 0}

// TypeName returns "datetime.timezone" (CPython's tp_name, used in messages).
func (z *Timezone) TypeName() string { return "datetime.timezone" }

// Repr returns "datetime.timezone.utc" or "datetime.timezone(datetime.timedelta(seconds=3600))".
func (z *Timezone) Repr() string {
	if z.Offset == 0 && z.Name == "" {
		return "datetime.timezone.utc"
	}
	s := "datetime.timezone(" + (&Timedelta{Us: int64(z.Offset) * 1e6}).Repr()
	if z.Name != "" {
		s += ", " + pyQuote(z.Name)
	}
	return s + ")"
}

// Str returns "UTC" or "UTC+01:00".
func (z *Timezone) Str() string {
	if z.Name != "" {
		return z.Name
	}
	if z.Offset == 0 {
		return "UTC"
	}
	return "UTC" + fmtOffset(z.Offset, ":")
}

// GetAttr exposes the class attribute utc (datetime.timezone.utc.utc, which
// Julep's restricted datetime also spells).
func (z *Timezone) GetAttr(st *py.State, name string) (any, bool, error) {
	if name == "utc" {
		return tzUTC, true, nil
	}
	return nil, false, nil
}

// HashKey hashes by offset.
func (z *Timezone) HashKey() (any, error) { return "tz" + strconv.Itoa(z.Offset), nil }

// Equal compares offsets.
func (z *Timezone) Equal(o any) bool { t, ok := o.(*Timezone); return ok && t.Offset == z.Offset }

func fmtOffset(off int, sep string) string {
	sign := "+"
	if off < 0 {
		sign = "-"
		off = -off
	}
	s := fmt.Sprintf("%s%02d%s%02d", sign, off/3600, sep, off/60%60)
	if off%60 != 0 {
		s += fmt.Sprintf("%s%02d", sep, off%60)
	}
	return s
}

// Timedelta is datetime.timedelta, held as a total of microseconds.
type Timedelta struct {
	Us int64 // total microseconds (days*86400e6 + seconds*1e6 + microseconds)
}

const usPerDay int64 = 86_400_000_000

func (d *Timedelta) parts() (days, secs, us int64) {
	days = floorDiv(d.Us, usPerDay)
	rem := d.Us - days*usPerDay
	return days, rem / 1e6, rem % 1e6
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// TypeName returns "datetime.timedelta" (CPython's tp_name, used in messages).
func (d *Timedelta) TypeName() string { return "datetime.timedelta" }

// Repr returns e.g. "datetime.timedelta(days=1, seconds=3600)".
func (d *Timedelta) Repr() string {
	days, secs, us := d.parts()
	var args []string
	if days != 0 {
		args = append(args, "days="+itoa(days))
	}
	if secs != 0 {
		args = append(args, "seconds="+itoa(secs))
	}
	if us != 0 {
		args = append(args, "microseconds="+itoa(us))
	}
	if args == nil {
		args = []string{"0"}
	}
	return "datetime.timedelta(" + strings.Join(args, ", ") + ")"
}

// Str returns e.g. "1 day, 1:00:00".
func (d *Timedelta) Str() string {
	days, secs, us := d.parts()
	s := fmt.Sprintf("%d:%02d:%02d", secs/3600, secs/60%60, secs%60)
	if days != 0 {
		p := "s"
		if days == 1 || days == -1 {
			p = ""
		}
		s = fmt.Sprintf("%d day%s, ", days, p) + s
	}
	if us != 0 {
		s += fmt.Sprintf(".%06d", us)
	}
	return s
}

// Truth is false for a zero timedelta.
func (d *Timedelta) Truth() bool { return d.Us != 0 }

// HashKey hashes by value.
func (d *Timedelta) HashKey() (any, error) { return "td" + itoa(d.Us), nil }

// Equal compares values.
func (d *Timedelta) Equal(o any) bool { t, ok := o.(*Timedelta); return ok && t.Us == d.Us }

// Cmp orders timedeltas.
func (d *Timedelta) Cmp(o any) (int, bool) {
	t, ok := o.(*Timedelta)
	if !ok {
		return 0, false
	}
	return cmp64(d.Us, t.Us), true
}

func cmp64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// GetAttr exposes days, seconds and microseconds.
func (d *Timedelta) GetAttr(st *py.State, name string) (any, bool, error) {
	days, secs, us := d.parts()
	switch name {
	case "days":
		return days, true, nil
	case "seconds":
		return secs, true, nil
	case "microseconds":
		return us, true, nil
	}
	return nil, false, nil
}

func newTimedelta(us *big.Int) (*Timedelta, error) {
	days := new(big.Int).Div(us, big.NewInt(usPerDay))
	if days.CmpAbs(big.NewInt(999999999)) > 0 {
		return nil, py.Errorf(py.OverflowError, "days=%s; must have magnitude <= 999999999", days.String())
	}
	if !us.IsInt64() {
		// Deviation: we hold microseconds in 64 bits (about ±106,000 days).
		return nil, py.Errorf(py.OverflowError, "timedelta of %s days is beyond this engine's range (about 106,000 days)", days.String())
	}
	return &Timedelta{Us: us.Int64()}, nil
}

// BinaryOp implements timedelta arithmetic.
func (d *Timedelta) BinaryOp(st *py.State, op string, other any, right bool) (any, bool, error) {
	switch o := other.(type) {
	case *Timedelta:
		a, b := d.Us, o.Us
		if right {
			a, b = b, a
		}
		switch op {
		case "+":
			r, err := newTimedelta(new(big.Int).Add(big.NewInt(a), big.NewInt(b)))
			return r, true, err
		case "-":
			r, err := newTimedelta(new(big.Int).Sub(big.NewInt(a), big.NewInt(b)))
			return r, true, err
		case "/":
			if b == 0 {
				return nil, true, py.Errorf(py.ZeroDivisionError, "division by zero")
			}
			return float64(a) / float64(b), true, nil
		case "//":
			if b == 0 {
				return nil, true, py.Errorf(py.ZeroDivisionError, "integer division or modulo by zero")
			}
			return floorDiv(a, b), true, nil
		case "%":
			if b == 0 {
				return nil, true, py.Errorf(py.ZeroDivisionError, "integer division or modulo by zero")
			}
			return &Timedelta{Us: a - floorDiv(a, b)*b}, true, nil
		}
	case int64, bool, *big.Int:
		n := bigOf(o)
		switch {
		case op == "*":
			r, err := newTimedelta(new(big.Int).Mul(big.NewInt(d.Us), n))
			return r, true, err
		case op == "//" && !right:
			if n.Sign() == 0 {
				return nil, true, py.Errorf(py.ZeroDivisionError, "integer division or modulo by zero")
			}
			q := new(big.Int)
			q.Div(big.NewInt(d.Us), n)
			if n.Sign() < 0 && new(big.Int).Mod(big.NewInt(d.Us), new(big.Int).Abs(n)).Sign() != 0 {
				// big.Int.Div is Euclidean; Python floors.
				q = floorDivBig(big.NewInt(d.Us), n)
			}
			r, err := newTimedelta(q)
			return r, true, err
		case op == "/" && !right:
			if n.Sign() == 0 {
				return nil, true, py.Errorf(py.ZeroDivisionError, "division by zero")
			}
			r := roundHalfEvenRat(new(big.Rat).SetFrac(big.NewInt(d.Us), n))
			t, err := newTimedelta(r)
			return t, true, err
		}
	case float64:
		if op == "*" || op == "/" && !right {
			if math.IsNaN(o) || math.IsInf(o, 0) {
				return nil, true, valueErr("cannot convert float %s to integer", py.FormatFloat(o))
			}
			r := new(big.Rat).Mul(new(big.Rat).SetInt64(d.Us), new(big.Rat).SetFloat64(o))
			if op == "/" {
				if o == 0 {
					return nil, true, py.Errorf(py.ZeroDivisionError, "division by zero")
				}
				r = new(big.Rat).Quo(new(big.Rat).SetInt64(d.Us), new(big.Rat).SetFloat64(o))
			}
			t, err := newTimedelta(roundHalfEvenRat(r))
			return t, true, err
		}
	}
	return nil, false, nil
}

func floorDivBig(a, b *big.Int) *big.Int {
	q, m := new(big.Int).QuoRem(a, b, new(big.Int))
	if m.Sign() != 0 && (m.Sign() < 0) != (b.Sign() < 0) {
		q.Sub(q, big.NewInt(1))
	}
	return q
}

// Datetime is datetime.datetime (Tz nil: naive) or datetime.date (DateOnly).
type Datetime struct {
	T        time.Time // wall clock in UTC location (naive) or in Tz's offset
	Aware    bool      // has a tzinfo (Tz)
	Tz       *Timezone // the fixed-offset zone of an aware datetime
	DateOnly bool      // a datetime.date
}

// TypeName returns "datetime.datetime" or "datetime.date" (CPython's tp_name).
func (d *Datetime) TypeName() string {
	if d.DateOnly {
		return "datetime.date"
	}
	return "datetime.datetime"
}

// Repr returns e.g. "datetime.datetime(2024, 1, 2, 3, 4, 5)".
func (d *Datetime) Repr() string {
	t := d.T
	if d.DateOnly {
		return fmt.Sprintf("datetime.date(%d, %d, %d)", t.Year(), t.Month(), t.Day())
	}
	s := fmt.Sprintf("datetime.datetime(%d, %d, %d, %d, %d", t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute())
	us := t.Nanosecond() / 1000
	if t.Second() != 0 || us != 0 {
		s += ", " + strconv.Itoa(t.Second())
	}
	if us != 0 {
		s += ", " + strconv.Itoa(us)
	}
	if d.Aware {
		s += ", tzinfo=" + d.Tz.Repr()
	}
	return s + ")"
}

// Str returns isoformat(sep=' ').
func (d *Datetime) Str() string { return d.isoformat(" ", "auto") }

func (d *Datetime) isoformat(sep, timespec string) string {
	t := d.T
	date := fmt.Sprintf("%04d-%02d-%02d", t.Year(), t.Month(), t.Day())
	if d.DateOnly {
		return date
	}
	us := t.Nanosecond() / 1000
	var tm string
	switch timespec {
	case "hours":
		tm = fmt.Sprintf("%02d", t.Hour())
	case "minutes":
		tm = fmt.Sprintf("%02d:%02d", t.Hour(), t.Minute())
	case "seconds":
		tm = fmt.Sprintf("%02d:%02d:%02d", t.Hour(), t.Minute(), t.Second())
	case "milliseconds":
		tm = fmt.Sprintf("%02d:%02d:%02d.%03d", t.Hour(), t.Minute(), t.Second(), us/1000)
	case "microseconds":
		tm = fmt.Sprintf("%02d:%02d:%02d.%06d", t.Hour(), t.Minute(), t.Second(), us)
	default:
		tm = fmt.Sprintf("%02d:%02d:%02d", t.Hour(), t.Minute(), t.Second())
		if us != 0 {
			tm += fmt.Sprintf(".%06d", us)
		}
	}
	s := date + sep + tm
	if d.Aware {
		s += fmtOffset(d.Tz.Offset, ":")
	}
	return s
}

// HashKey hashes by instant (aware) or wall time (naive).
func (d *Datetime) HashKey() (any, error) {
	return fmt.Sprintf("dt%v%d", d.Aware, d.T.UnixNano()), nil
}

// Equal compares datetimes (naive and aware are never equal).
func (d *Datetime) Equal(o any) bool {
	c, ok := d.Cmp(o)
	return ok && c == 0
}

// Cmp orders datetimes; naive and aware do not compare.
func (d *Datetime) Cmp(o any) (int, bool) {
	t, ok := o.(*Datetime)
	if !ok || t.DateOnly != d.DateOnly || t.Aware != d.Aware {
		return 0, false
	}
	switch {
	case d.T.Before(t.T):
		return -1, true
	case d.T.After(t.T):
		return 1, true
	}
	return 0, true
}

// GetAttr exposes the fields.
func (d *Datetime) GetAttr(st *py.State, name string) (any, bool, error) {
	t := d.T
	switch name {
	case "year":
		return int64(t.Year()), true, nil
	case "month":
		return int64(t.Month()), true, nil
	case "day":
		return int64(t.Day()), true, nil
	}
	if d.DateOnly {
		return nil, false, nil
	}
	switch name {
	case "hour":
		return int64(t.Hour()), true, nil
	case "minute":
		return int64(t.Minute()), true, nil
	case "second":
		return int64(t.Second()), true, nil
	case "microsecond":
		return int64(t.Nanosecond() / 1000), true, nil
	case "tzinfo":
		if d.Aware {
			return d.Tz, true, nil
		}
		return nil, true, nil
	}
	return nil, false, nil
}

// Format implements format(dt, spec) as strftime (empty spec: str()).
func (d *Datetime) Format(st *py.State, spec string) (string, error) {
	if spec == "" {
		return d.Str(), nil
	}
	return strftime(spec, d, true)
}

func checkYear(t time.Time) error {
	if t.Year() < 1 || t.Year() > 9999 {
		return py.Errorf(py.OverflowError, "date value out of range")
	}
	return nil
}

// BinaryOp implements datetime ± timedelta and datetime - datetime.
func (d *Datetime) BinaryOp(st *py.State, op string, other any, right bool) (any, bool, error) {
	switch o := other.(type) {
	case *Timedelta:
		if op == "+" || op == "-" && !right {
			us := o.Us
			if op == "-" {
				us = -us
			}
			if d.DateOnly {
				us = floorDiv(us, usPerDay) * usPerDay
				if o.Us%usPerDay != 0 && op == "-" {
					// date - timedelta uses only the days part.
					us = -(o.Us / usPerDay) * usPerDay
				}
			}
			// Avoid time.Duration overflow: add days and the rest separately.
			days := us / usPerDay
			rest := us - days*usPerDay
			t := d.T.AddDate(0, 0, int(days)).Add(time.Duration(rest) * time.Microsecond)
			if err := checkYear(t); err != nil {
				return nil, true, err
			}
			return &Datetime{T: t, Aware: d.Aware, Tz: d.Tz, DateOnly: d.DateOnly}, true, nil
		}
	case *Datetime:
		if op == "-" {
			a, b := d, o
			if right {
				a, b = o, d
			}
			if a.DateOnly != b.DateOnly {
				return nil, false, nil
			}
			if a.Aware != b.Aware {
				return nil, true, typeErr("can't subtract offset-naive and offset-aware datetimes")
			}
			diff := new(big.Int).Sub(big.NewInt(a.T.Unix()), big.NewInt(b.T.Unix()))
			diff.Mul(diff, big.NewInt(1e6))
			diff.Add(diff, big.NewInt(int64(a.T.Nanosecond()/1000-b.T.Nanosecond()/1000)))
			r, err := newTimedelta(diff)
			return r, true, err
		}
	}
	return nil, false, nil
}

func newDatetime(y, mo, d, h, mi, s, us int64, tz *Timezone, dateOnly bool) (*Datetime, error) {
	if y < 1 || y > 9999 {
		return nil, valueErr("year %d is out of range", y)
	}
	if mo < 1 || mo > 12 {
		return nil, valueErr("month must be in 1..12")
	}
	dim := time.Date(int(y), time.Month(mo)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if d < 1 || d > int64(dim) {
		return nil, valueErr("day is out of range for month")
	}
	if h < 0 || h > 23 {
		return nil, valueErr("hour must be in 0..23")
	}
	if mi < 0 || mi > 59 {
		return nil, valueErr("minute must be in 0..59")
	}
	if s < 0 || s > 59 {
		return nil, valueErr("second must be in 0..59")
	}
	if us < 0 || us > 999999 {
		return nil, valueErr("microsecond must be in 0..999999")
	}
	loc := time.UTC
	if tz != nil {
		loc = time.FixedZone("", tz.Offset)
	}
	return &Datetime{T: time.Date(int(y), time.Month(mo), int(d), int(h), int(mi), int(s), int(us)*1000, loc), Aware: tz != nil, Tz: tz, DateOnly: dateOnly}, nil
}

func tzArg(v any) (*Timezone, error) {
	if v == nil || v == py.Missing {
		return nil, nil
	}
	z, ok := v.(*Timezone)
	if !ok {
		return nil, typeErr("tzinfo argument must be None or of a tzinfo subclass, not type '%s'", tn(v))
	}
	return z, nil
}

func intFields(fname string, a []any) ([]int64, error) {
	out := make([]int64, len(a))
	for i, v := range a {
		if !given(v) {
			continue
		}
		if isFloat(v) {
			return nil, typeErr("'float' object cannot be interpreted as an integer")
		}
		n, err := indexArg(v)
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}

func nowIn(tz *Timezone) *Datetime {
	now := time.Now().UTC().Truncate(time.Microsecond)
	if tz == nil {
		return &Datetime{T: now}
	}
	return &Datetime{T: now.In(time.FixedZone("", tz.Offset)), Aware: true, Tz: tz}
}

// parseISO implements datetime.fromisoformat (and date.fromisoformat).
func parseISO(s string, dateOnly bool) (*Datetime, error) {
	bad := valueErr("Invalid isoformat string: %s", pyQuote(s))
	var y, mo, d int
	rest := ""
	switch {
	case len(s) >= 10 && s[4] == '-' && s[7] == '-':
		var err1, err2, err3 error
		y, err1 = strconv.Atoi(s[0:4])
		mo, err2 = strconv.Atoi(s[5:7])
		d, err3 = strconv.Atoi(s[8:10])
		if err1 != nil || err2 != nil || err3 != nil || !isDigits(s[0:4]) || !isDigits(s[5:7]) || !isDigits(s[8:10]) {
			return nil, bad
		}
		rest = s[10:]
	case len(s) >= 8 && isDigits(s[0:8]):
		y, _ = strconv.Atoi(s[0:4])
		mo, _ = strconv.Atoi(s[4:6])
		d, _ = strconv.Atoi(s[6:8])
		rest = s[8:]
	default:
		return nil, bad
	}
	if dateOnly {
		if rest != "" {
			return nil, bad
		}
		return newDatetime(int64(y), int64(mo), int64(d), 0, 0, 0, 0, nil, true)
	}
	var h, mi, sec, us int
	var tz *Timezone
	if rest != "" {
		rest = rest[len(string([]rune(rest)[0])):] // any one separator character
		// Split off the zone.
		tzPart := ""
		if i := strings.IndexAny(rest, "+-Z"); i >= 0 {
			tzPart = rest[i:]
			rest = rest[:i]
		}
		tm := strings.ReplaceAll(rest, ":", "")
		frac := ""
		if i := strings.IndexAny(tm, ".,"); i >= 0 {
			frac = tm[i+1:]
			tm = tm[:i]
		}
		if !isDigits(tm) || len(tm)%2 != 0 || len(tm) > 6 || (frac != "" && (len(tm) != 6 || !isDigits(frac))) {
			return nil, bad
		}
		vals := []*int{&h, &mi, &sec}
		for k := 0; k*2 < len(tm); k++ {
			*vals[k], _ = strconv.Atoi(tm[k*2 : k*2+2])
		}
		if frac != "" {
			if len(frac) > 6 {
				frac = frac[:6]
			}
			for len(frac) < 6 {
				frac += "0"
			}
			us, _ = strconv.Atoi(frac)
		}
		if tzPart != "" {
			if tzPart == "Z" {
				tz = tzUTC
			} else {
				sign := 1
				if tzPart[0] == '-' {
					sign = -1
				}
				z := strings.ReplaceAll(tzPart[1:], ":", "")
				zfrac := ""
				if i := strings.IndexByte(z, '.'); i >= 0 {
					zfrac, z = z[i+1:], z[:i]
				}
				_ = zfrac
				if !isDigits(z) || (len(z) != 2 && len(z) != 4 && len(z) != 6) {
					return nil, bad
				}
				zh, _ := strconv.Atoi(z[0:2])
				zm, zs := 0, 0
				if len(z) >= 4 {
					zm, _ = strconv.Atoi(z[2:4])
				}
				if len(z) == 6 {
					zs, _ = strconv.Atoi(z[4:6])
				}
				if zh > 23 || zm > 59 || zs > 59 {
					return nil, bad
				}
				off := sign * (zh*3600 + zm*60 + zs)
				if off == 0 {
					tz = tzUTC
				} else {
					tz = &Timezone{Offset: off}
				}
			}
		}
	}
	return newDatetime(int64(y), int64(mo), int64(d), int64(h), int64(mi), int64(sec), int64(us), tz, false)
}

func timedeltaNew(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	names := []string{"days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks"}
	factors := []int64{usPerDay, 1e6, 1, 1000, 60e6, 3600e6, 7 * usPerDay}
	a, err := bind("timedelta", args, kw, names, 0)
	if err != nil {
		return nil, err
	}
	total := new(big.Rat)
	for i, v := range a {
		if !given(v) {
			continue
		}
		var r *big.Rat
		switch x := v.(type) {
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, valueErr("cannot convert float %s to integer", py.FormatFloat(x))
			}
			r = new(big.Rat).SetFloat64(x)
		case int64, bool, *big.Int:
			r = new(big.Rat).SetInt(bigOf(x))
		default:
			return nil, typeErr("unsupported type for timedelta %s component: %s", names[i], tn(v))
		}
		total.Add(total, r.Mul(r, new(big.Rat).SetInt64(factors[i])))
	}
	return newTimedelta(roundHalfEvenRat(total))
}

func datetimeNew(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	a, err := bind("datetime", args, kw, []string{"year", "month", "day", "hour", "minute", "second", "microsecond", "tzinfo", "fold"}, 3)
	if err != nil {
		return nil, err
	}
	v, err := intFields("datetime", a[:7])
	if err != nil {
		return nil, err
	}
	tz, err := tzArg(a[7])
	if err != nil {
		return nil, err
	}
	return newDatetime(v[0], v[1], v[2], v[3], v[4], v[5], v[6], tz, false)
}

func dateNew(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	a, err := bind("date", args, kw, []string{"year", "month", "day"}, 3)
	if err != nil {
		return nil, err
	}
	v, err := intFields("date", a)
	if err != nil {
		return nil, err
	}
	return newDatetime(v[0], v[1], v[2], 0, 0, 0, 0, nil, true)
}

func strArg1(fname string, args []any, kw *py.Kwargs) (string, error) {
	if err := noKw(fname, kw); err != nil {
		return "", err
	}
	if len(args) != 1 {
		return "", typeErr("%s() takes exactly one argument (%d given)", fname, len(args))
	}
	s, ok := args[0].(string)
	if !ok {
		return "", typeErr("%s: argument must be str", fname)
	}
	return s, nil
}

func addDatetime(lib *py.Library) {
	dtClass := &Class{Name: "datetime.datetime", New: datetimeNew, Attrs: map[string]any{}}
	dateClass := &Class{Name: "datetime.date", New: dateNew, Attrs: map[string]any{}}
	tdClass := &Class{Name: "datetime.timedelta", New: timedeltaNew, Attrs: map[string]any{}}
	tzClass := &Class{Name: "datetime.timezone", Attrs: map[string]any{"utc": tzUTC}}
	tzClass.New = func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
		a, err := bind("timezone", args, kw, []string{"offset", "name"}, 1)
		if err != nil {
			return nil, err
		}
		td, ok := a[0].(*Timedelta)
		if !ok {
			return nil, typeErr("timezone() argument 1 must be datetime.timedelta, not %s", tn(a[0]))
		}
		if td.Us <= -usPerDay || td.Us >= usPerDay {
			return nil, valueErr("offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24), not %s.", td.Repr())
		}
		if td.Us%1e6 != 0 {
			return nil, py.Errorf(py.NotImplementedError, "sub-second time zone offsets are not supported")
		}
		z := &Timezone{Offset: int(td.Us / 1e6)}
		if given(a[1]) {
			n, ok := a[1].(string)
			if !ok {
				return nil, typeErr("timezone() argument 2 must be str, not %s", tn(a[1]))
			}
			z.Name = n
		}
		if z.Offset == 0 && z.Name == "" {
			return tzUTC, nil
		}
		return z, nil
	}
	dtClass.Attrs["now"] = fn("datetime.now", func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
		a, err := bind("now", args, kw, []string{"tz"}, 0)
		if err != nil {
			return nil, err
		}
		tz, err := tzArg(a[0])
		if err != nil {
			return nil, err
		}
		return nowIn(tz), nil
	})
	dtClass.Attrs["utcnow"] = fn("datetime.utcnow", func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
		if err := nargs("utcnow", args, 0, 0); err != nil {
			return nil, err
		}
		return nowIn(nil), nil
	})
	dtClass.Attrs["fromisoformat"] = fn("datetime.fromisoformat", func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
		s, err := strArg1("fromisoformat", args, kw)
		if err != nil {
			return nil, err
		}
		return parseISO(s, false)
	})
	dtClass.Attrs["strptime"] = fn("datetime.strptime", func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
		if err := noKw("strptime", kw); err != nil {
			return nil, err
		}
		if len(args) != 2 {
			return nil, typeErr("strptime() takes exactly 2 arguments (%d given)", len(args))
		}
		s, ok1 := args[0].(string)
		f, ok2 := args[1].(string)
		if !ok1 || !ok2 {
			return nil, typeErr("strptime() argument 1 must be str, not %s", tn(args[0]))
		}
		return strptime(s, f)
	})
	dtClass.Attrs["fromtimestamp"] = fn("datetime.fromtimestamp", func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
		a, err := bind("fromtimestamp", args, kw, []string{"timestamp", "tz"}, 1)
		if err != nil {
			return nil, err
		}
		ts, err := realArg(a[0])
		if err != nil {
			return nil, err
		}
		tz, err := tzArg(a[1])
		if err != nil {
			return nil, err
		}
		if math.IsNaN(ts) || math.IsInf(ts, 0) || math.Abs(ts) > 253402300800 {
			return nil, valueErr("year is out of range")
		}
		sec := math.Floor(ts)
		us := math.RoundToEven((ts - sec) * 1e6)
		t := time.Unix(int64(sec), int64(us)*1000).UTC()
		if tz != nil {
			return &Datetime{T: t.In(time.FixedZone("", tz.Offset)), Aware: true, Tz: tz}, nil
		}
		return &Datetime{T: t}, nil
	})
	dtClass.Attrs["combine"] = fn("datetime.combine", func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
		return nil, py.Errorf(py.NotImplementedError, "datetime.combine() is not supported")
	})
	dtClass.Attrs["min"], _ = newDatetime(1, 1, 1, 0, 0, 0, 0, nil, false)
	dtClass.Attrs["max"], _ = newDatetime(9999, 12, 31, 23, 59, 59, 999999, nil, false)
	dateClass.Attrs["today"] = fn("date.today", func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
		n := nowIn(nil)
		return &Datetime{T: time.Date(n.T.Year(), n.T.Month(), n.T.Day(), 0, 0, 0, 0, time.UTC), DateOnly: true}, nil
	})
	dateClass.Attrs["fromisoformat"] = fn("date.fromisoformat", func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
		s, err := strArg1("fromisoformat", args, kw)
		if err != nil {
			return nil, err
		}
		return parseISO(s, true)
	})
	tdClass.Attrs["resolution"] = &Timedelta{Us: 1}
	// Julep exposes datetime.datetime.timedelta etc. as well.
	dtClass.Attrs["datetime"] = dtClass
	dtClass.Attrs["timedelta"] = tdClass
	dtClass.Attrs["date"] = dateClass

	mod := &py.Module{Name: "datetime", Attrs: map[string]any{
		"datetime": dtClass, "date": dateClass, "timedelta": tdClass, "timezone": tzClass,
		"MINYEAR": int64(1), "MAXYEAR": int64(9999), "UTC": tzUTC,
	}}
	initTimeClass(lib, mod, dtClass)
	addModule(lib, mod)
	initDatetimeMethods(lib)
}

func initDatetimeMethods(lib *py.Library) {
	for _, typ := range []string{"datetime.datetime", "datetime.date"} {
		typ := typ
		r := func(name string, f func(st *py.State, d *Datetime, args []any, kw *py.Kwargs) (any, error)) {
			addMethod(lib, typ, name, func(st *py.State, recv any, args []any, kw *py.Kwargs) (any, error) {
				d, ok := recv.(*Datetime)
				if !ok {
					return nil, typeErr("descriptor '%s' requires a '%s' object", name, typ)
				}
				return f(st, d, args, kw)
			})
		}
		r("isoformat", func(st *py.State, d *Datetime, args []any, kw *py.Kwargs) (any, error) {
			if d.DateOnly {
				if len(args) > 0 {
					return nil, typeErr("date.isoformat() takes no arguments (%d given)", len(args))
				}
				return d.isoformat("T", "auto"), nil
			}
			a, err := bind("isoformat", args, kw, []string{"sep", "timespec"}, 0)
			if err != nil {
				return nil, err
			}
			sep, spec := "T", "auto"
			if given(a[0]) {
				s, ok := a[0].(string)
				if !ok || runeLen(s) != 1 {
					return nil, typeErr("isoformat() argument 1 must be a unicode character, not %s", tn(a[0]))
				}
				sep = s
			}
			if given(a[1]) {
				s, _ := a[1].(string)
				switch s {
				case "auto", "hours", "minutes", "seconds", "milliseconds", "microseconds":
					spec = s
				default:
					return nil, valueErr("Unknown timespec value")
				}
			}
			return d.isoformat(sep, spec), nil
		})
		r("strftime", func(st *py.State, d *Datetime, args []any, kw *py.Kwargs) (any, error) {
			f, err := strArg1("strftime", args, kw)
			if err != nil {
				return nil, err
			}
			return strftime(f, d, true)
		})
		r("weekday", func(st *py.State, d *Datetime, args []any, kw *py.Kwargs) (any, error) {
			return int64((int(d.T.Weekday()) + 6) % 7), nil
		})
		r("isoweekday", func(st *py.State, d *Datetime, args []any, kw *py.Kwargs) (any, error) {
			return int64((int(d.T.Weekday())+6)%7 + 1), nil
		})
		r("replace", func(st *py.State, d *Datetime, args []any, kw *py.Kwargs) (any, error) {
			names := []string{"year", "month", "day", "hour", "minute", "second", "microsecond", "tzinfo"}
			if d.DateOnly {
				names = names[:3]
			}
			a, err := bind("replace", args, kw, names, 0)
			if err != nil {
				return nil, err
			}
			t := d.T
			cur := []int64{int64(t.Year()), int64(t.Month()), int64(t.Day()), int64(t.Hour()), int64(t.Minute()), int64(t.Second()), int64(t.Nanosecond() / 1000)}
			for i := range cur[:min(len(cur), len(a))] {
				if given(a[i]) {
					n, err := indexArg(a[i])
					if err != nil {
						return nil, err
					}
					cur[i] = n
				}
			}
			tz := d.Tz
			if len(a) == 8 && given(a[7]) {
				if tz, err = tzArg(a[7]); err != nil {
					return nil, err
				}
			}
			if d.DateOnly {
				return newDatetime(cur[0], cur[1], cur[2], 0, 0, 0, 0, nil, true)
			}
			return newDatetime(cur[0], cur[1], cur[2], cur[3], cur[4], cur[5], cur[6], tz, false)
		})
		r("timetuple", func(st *py.State, d *Datetime, args []any, kw *py.Kwargs) (any, error) {
			if err := nargs("timetuple", args, 0, 0); err != nil {
				return nil, err
			}
			return structTimeOf(d), nil
		})
	}
	r := func(name string, f func(st *py.State, d *Datetime, args []any, kw *py.Kwargs) (any, error)) {
		addMethod(lib, "datetime.datetime", name, func(st *py.State, recv any, args []any, kw *py.Kwargs) (any, error) {
			d, ok := recv.(*Datetime)
			if !ok {
				return nil, typeErr("descriptor '%s' requires a 'datetime' object", name)
			}
			return f(st, d, args, kw)
		})
	}
	r("timestamp", func(st *py.State, d *Datetime, args []any, kw *py.Kwargs) (any, error) {
		return float64(d.T.Unix()) + float64(d.T.Nanosecond()/1000)/1e6, nil
	})
	r("date", func(st *py.State, d *Datetime, args []any, kw *py.Kwargs) (any, error) {
		return &Datetime{T: time.Date(d.T.Year(), d.T.Month(), d.T.Day(), 0, 0, 0, 0, time.UTC), DateOnly: true}, nil
	})
	r("utcoffset", func(st *py.State, d *Datetime, args []any, kw *py.Kwargs) (any, error) {
		if !d.Aware {
			return nil, nil
		}
		return &Timedelta{Us: int64(d.Tz.Offset) * 1e6}, nil
	})
	r("tzname", func(st *py.State, d *Datetime, args []any, kw *py.Kwargs) (any, error) {
		if !d.Aware {
			return nil, nil
		}
		return d.Tz.Str(), nil
	})
	r("astimezone", func(st *py.State, d *Datetime, args []any, kw *py.Kwargs) (any, error) {
		a, err := bind("astimezone", args, kw, []string{"tz"}, 0)
		if err != nil {
			return nil, err
		}
		tz, err := tzArg(a[0])
		if err != nil {
			return nil, err
		}
		if tz == nil {
			tz = tzUTC // the local zone is not consulted: UTC
		}
		return &Datetime{T: d.T.In(time.FixedZone("", tz.Offset)), Aware: true, Tz: tz}, nil
	})
	addMethod(lib, "datetime.timedelta", "total_seconds", func(st *py.State, recv any, args []any, kw *py.Kwargs) (any, error) {
		d, ok := recv.(*Timedelta)
		if !ok {
			return nil, typeErr("descriptor 'total_seconds' requires a 'timedelta' object")
		}
		return float64(d.Us) / 1e6, nil
	})
}

var (
	dayNames   = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	monthNames = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

// strftime formats d like CPython's strftime on glibc (C locale).
func strftime(f string, d *Datetime, allowPadMod bool) (string, error) {
	t := d.T
	var b strings.Builder
	rs := []rune(f)
	for i := 0; i < len(rs); i++ {
		if rs[i] != '%' || i+1 >= len(rs) {
			b.WriteRune(rs[i])
			continue
		}
		i++
		c := rs[i]
		noPad := false
		if c == '-' && i+1 < len(rs) {
			noPad = true
			i++
			c = rs[i]
		}
		num := func(v, w int) {
			if noPad {
				b.WriteString(strconv.Itoa(v))
			} else {
				fmt.Fprintf(&b, "%0*d", w, v)
			}
		}
		wd := (int(t.Weekday()) + 6) % 7
		switch c {
		case 'a':
			b.WriteString(dayNames[wd][:3])
		case 'A':
			b.WriteString(dayNames[wd])
		case 'w':
			b.WriteString(strconv.Itoa(int(t.Weekday())))
		case 'u':
			b.WriteString(strconv.Itoa(wd + 1))
		case 'd':
			num(t.Day(), 2)
		case 'e':
			fmt.Fprintf(&b, "%2d", t.Day())
		case 'b', 'h':
			b.WriteString(monthNames[t.Month()-1][:3])
		case 'B':
			b.WriteString(monthNames[t.Month()-1])
		case 'm':
			num(int(t.Month()), 2)
		case 'y':
			num(t.Year()%100, 2)
		case 'Y':
			b.WriteString(strconv.Itoa(t.Year()))
		case 'C':
			num(t.Year()/100, 2)
		case 'H':
			num(t.Hour(), 2)
		case 'I':
			h := t.Hour() % 12
			if h == 0 {
				h = 12
			}
			num(h, 2)
		case 'p':
			if t.Hour() < 12 {
				b.WriteString("AM")
			} else {
				b.WriteString("PM")
			}
		case 'P':
			if t.Hour() < 12 {
				b.WriteString("am")
			} else {
				b.WriteString("pm")
			}
		case 'k':
			fmt.Fprintf(&b, "%2d", t.Hour())
		case 'l':
			h := t.Hour() % 12
			if h == 0 {
				h = 12
			}
			fmt.Fprintf(&b, "%2d", h)
		case 's':
			// Seconds since the epoch; naive values are taken as UTC (the
			// process's time zone is never consulted).
			b.WriteString(strconv.FormatInt(t.Unix(), 10))
		case 'M':
			num(t.Minute(), 2)
		case 'S':
			num(t.Second(), 2)
		case 'f':
			fmt.Fprintf(&b, "%06d", t.Nanosecond()/1000)
		case 'z':
			if d.Aware {
				b.WriteString(fmtOffset(d.Tz.Offset, ""))
			}
		case 'Z':
			if d.Aware {
				b.WriteString(d.Tz.Str())
			}
		case 'j':
			num(t.YearDay(), 3)
		case 'U':
			num((t.YearDay()+6-int(t.Weekday()))/7, 2)
		case 'W':
			num((t.YearDay()+6-wd)/7, 2)
		case 'G':
			y, _ := t.ISOWeek()
			b.WriteString(strconv.Itoa(y))
		case 'V':
			_, w := t.ISOWeek()
			num(w, 2)
		case 'c':
			fmt.Fprintf(&b, "%s %s %2d %02d:%02d:%02d %d", dayNames[wd][:3], monthNames[t.Month()-1][:3], t.Day(), t.Hour(), t.Minute(), t.Second(), t.Year())
		case 'x':
			fmt.Fprintf(&b, "%02d/%02d/%02d", t.Month(), t.Day(), t.Year()%100)
		case 'X':
			fmt.Fprintf(&b, "%02d:%02d:%02d", t.Hour(), t.Minute(), t.Second())
		case 'D':
			fmt.Fprintf(&b, "%02d/%02d/%02d", t.Month(), t.Day(), t.Year()%100)
		case 'F':
			fmt.Fprintf(&b, "%d-%02d-%02d", t.Year(), t.Month(), t.Day())
		case 'T':
			fmt.Fprintf(&b, "%02d:%02d:%02d", t.Hour(), t.Minute(), t.Second())
		case 'R':
			fmt.Fprintf(&b, "%02d:%02d", t.Hour(), t.Minute())
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case '%':
			b.WriteByte('%')
		default:
			b.WriteRune('%')
			if noPad {
				b.WriteRune('-')
			}
			b.WriteRune(c)
		}
	}
	return b.String(), nil
}
