package pylib

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/julepkit/julep/engine/internal/py"
)

// strptime directives, as CPython's _strptime builds them (C locale).
var strptimeDirectives = map[byte]string{
	'd': `(?P<d>3[01]|[12]\d|0[1-9]|[1-9]| [1-9])`,
	'f': `(?P<f>[0-9]{1,6})`,
	'H': `(?P<H>2[0-3]|[0-1]\d|\d)`,
	'I': `(?P<I>1[0-2]|0[1-9]|[1-9])`,
	'G': `(?P<G>\d\d\d\d)`,
	'j': `(?P<j>36[0-6]|3[0-5]\d|[12]\d\d|0[1-9]\d|00[1-9]|[1-9]\d|0[1-9]|[1-9])`,
	'm': `(?P<m>1[0-2]|0[1-9]|[1-9])`,
	'M': `(?P<M>[0-5]\d|\d)`,
	'S': `(?P<S>6[0-1]|[0-5]\d|\d)`,
	'U': `(?P<U>5[0-3]|[0-4]\d|\d)`,
	'W': `(?P<W>5[0-3]|[0-4]\d|\d)`,
	'w': `(?P<w>[0-6])`,
	'u': `(?P<u>[1-7])`,
	'V': `(?P<V>5[0-3]|0[1-9]|[1-4]\d|\d)`,
	'y': `(?P<y>\d\d)`,
	'Y': `(?P<Y>\d\d\d\d)`,
	'z': `(?P<z>[+-]\d\d:?[0-5]\d(?::?[0-5]\d(?:\.\d{1,6})?)?|(?-i:Z))`,
	'A': `(?P<A>monday|tuesday|wednesday|thursday|friday|saturday|sunday)`,
	'a': `(?P<a>mon|tue|wed|thu|fri|sat|sun)`,
	'B': `(?P<B>january|february|march|april|may|june|july|august|september|october|november|december)`,
	'b': `(?P<b>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)`,
	'p': `(?P<p>am|pm)`,
	'Z': `(?P<Z>utc|gmt)`,
	'%': `%`,
}

var (
	strptimeMu    sync.Mutex
	strptimeCache = map[string]*regexp.Regexp{}
)

func strptimeRegex(format string) (*regexp.Regexp, error) {
	strptimeMu.Lock()
	re := strptimeCache[format]
	strptimeMu.Unlock()
	if re != nil {
		return re, nil
	}
	var b strings.Builder
	b.WriteString(`(?i)\A`)
	seen := map[byte]bool{}
	rs := []rune(format)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch {
		case c == '%':
			if i+1 >= len(rs) {
				return nil, valueErr("stray %% in format '%s'", format)
			}
			i++
			d := rs[i]
			expand := map[rune]string{'c': "%a %b %d %H:%M:%S %Y", 'x': "%m/%d/%y", 'X': "%H:%M:%S", 'D': "%m/%d/%y", 'T': "%H:%M:%S", 'F': "%Y-%m-%d", 'R': "%H:%M"}
			if e, ok := expand[d]; ok {
				sub, err := strptimeRegex(e)
				if err != nil {
					return nil, err
				}
				s := strings.TrimPrefix(sub.String(), `(?i)\A`)
				for k := range strptimeDirectives {
					if strings.Contains(s, "(?P<"+string(k)+">") {
						if seen[k] {
							s = strings.ReplaceAll(s, "(?P<"+string(k)+">", "(?:")
						}
						seen[k] = true
					}
				}
				b.WriteString(s)
				continue
			}
			if d > 0x7f {
				return nil, valueErr("'%s' is a bad directive in format '%s'", string(d), format)
			}
			pat, ok := strptimeDirectives[byte(d)]
			if !ok {
				return nil, valueErr("'%s' is a bad directive in format '%s'", string(d), format)
			}
			if seen[byte(d)] && d != '%' {
				pat = regexp.MustCompile(`\(\?P<[A-Za-z]>`).ReplaceAllString(pat, "(?:")
			}
			seen[byte(d)] = true
			b.WriteString(pat)
		case isPySpace(c):
			for i+1 < len(rs) && isPySpace(rs[i+1]) {
				i++
			}
			b.WriteString(`\s+`)
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, valueErr("bad strptime format '%s'", format)
	}
	strptimeMu.Lock()
	if len(strptimeCache) >= 256 {
		clear(strptimeCache)
	}
	strptimeCache[format] = re
	strptimeMu.Unlock()
	return re, nil
}

// strptime implements datetime.datetime.strptime.
func strptime(s, format string) (any, error) {
	d, _, _, err := strptimeWeekday(s, format)
	if err != nil {
		return nil, err
	}
	return d, nil
}

// strptimeWeekday is strptime that also returns the weekday the text gave
// (Monday 0) and the day of the year it gave or implied (%j, or a week
// number with a weekday), -1 when none: time.strptime keeps them as tm_wday
// and tm_yday, as CPython does even when they disagree with the date.
func strptimeWeekday(s, format string) (d *Datetime, weekday, yday int, err error) {
	re, err := strptimeRegex(format)
	if err != nil {
		return nil, -1, -1, err
	}
	loc := re.FindStringSubmatchIndex(s)
	if loc == nil {
		return nil, -1, -1, valueErr("time data %s does not match format %s", pyQuote(s), pyQuote(format))
	}
	if loc[1] != len(s) {
		return nil, -1, -1, valueErr("unconverted data remains: %s", s[loc[1]:])
	}
	g := map[string]string{}
	for i, n := range re.SubexpNames() {
		if n != "" && loc[2*i] >= 0 {
			g[n] = strings.ToLower(s[loc[2*i]:loc[2*i+1]])
		}
	}
	num := func(k string, def int) int {
		v, ok := g[k]
		if !ok {
			return def
		}
		n, _ := strconv.Atoi(strings.TrimSpace(v))
		return n
	}
	year := 1900
	if _, ok := g["Y"]; ok {
		year = num("Y", 1900)
	} else if _, ok := g["y"]; ok {
		y := num("y", 0)
		if y <= 68 {
			year = 2000 + y
		} else {
			year = 1900 + y
		}
	}
	month := num("m", 1)
	for k, names := range map[string][]string{"B": monthNames, "b": monthNames} {
		if v, ok := g[k]; ok {
			for i, n := range names {
				if strings.HasPrefix(strings.ToLower(n), v) && (k == "b" || strings.ToLower(n) == v) {
					month = i + 1
					break
				}
			}
		}
	}
	day := num("d", 1)
	hour := num("H", 0)
	if _, ok := g["I"]; ok {
		hour = num("I", 12) % 12
		if g["p"] == "pm" {
			hour += 12
		}
	}
	minute, sec := num("M", 0), num("S", 0)
	if sec == 60 || sec == 61 {
		sec = 59
	}
	us := 0
	if f, ok := g["f"]; ok {
		for len(f) < 6 {
			f += "0"
		}
		us, _ = strconv.Atoi(f)
	}
	var tz *Timezone
	if z, ok := g["z"]; ok {
		if z == "z" {
			tz = tzUTC
		} else {
			sign := 1
			if z[0] == '-' {
				sign = -1
			}
			zz := strings.ReplaceAll(z[1:], ":", "")
			if i := strings.IndexByte(zz, '.'); i >= 0 {
				zz = zz[:i]
			}
			h, _ := strconv.Atoi(zz[0:2])
			m, _ := strconv.Atoi(zz[2:4])
			sx := 0
			if len(zz) >= 6 {
				sx, _ = strconv.Atoi(zz[4:6])
			}
			off := sign * (h*3600 + m*60 + sx)
			tz = &Timezone{Offset: off}
			if off == 0 {
				tz = tzUTC
			}
		}
	}
	// %Z alone (a zone name without %z) gives a naive datetime in CPython.
	// The weekday, week numbers and day of the year, as CPython's _strptime.
	weekday = -1
	for i, n := range dayNames {
		n = strings.ToLower(n)
		if v, ok := g["A"]; ok && v == n {
			weekday = i
		}
		if v, ok := g["a"]; ok && v == n[:3] {
			weekday = i
		}
	}
	if _, ok := g["w"]; ok {
		weekday = (num("w", 0) + 6) % 7
	}
	if _, ok := g["u"]; ok {
		weekday = num("u", 1) - 1
	}
	_, hasJ := g["j"]
	_, hasG := g["G"]
	_, hasV := g["V"]
	_, hasY := g["Y"]
	_, hasy := g["y"]
	switch {
	case hasG && hasJ:
		return nil, -1, -1, valueErr("Day of the year directive '%%j' is not compatible with ISO year directive '%%G'. Use '%%Y' instead.")
	case hasG && (!hasV || weekday < 0):
		return nil, -1, -1, valueErr("ISO year directive '%%G' must be used with the ISO week directive '%%V' and a weekday directive ('%%A', '%%a', '%%w', or '%%u').")
	case !hasG && hasV && (!(hasY || hasy) || weekday < 0):
		return nil, -1, -1, valueErr("ISO week directive '%%V' must be used with the ISO year directive '%%G' and a weekday directive ('%%A', '%%a', '%%w', or '%%u').")
	case !hasG && hasV:
		return nil, -1, -1, valueErr("ISO week directive '%%V' is incompatible with the year directive '%%Y'. Use the ISO year '%%G' instead.")
	}
	julian := -1
	if hasJ {
		julian = num("j", 1)
	}
	if julian < 0 && weekday >= 0 {
		_, hasU := g["U"]
		_, hasW := g["W"]
		switch {
		case hasU || hasW:
			week, mon := num("U", 0), false
			if hasW {
				week, mon = num("W", 0), true
			}
			julian = julianFromWeek(year, week, weekday, mon)
			if julian <= 0 {
				year--
				julian += time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC).YearDay()
			}
		case hasG:
			// ISO year, week and weekday: Monday of week 1 is the Monday on
			// or before January 4.
			isoYear := num("G", 1900)
			jan4 := time.Date(isoYear, 1, 4, 0, 0, 0, 0, time.UTC)
			monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
			t := monday.AddDate(0, 0, (num("V", 1)-1)*7+weekday)
			year, month, day = t.Year(), int(t.Month()), t.Day()
		}
	}
	if julian >= 0 {
		t := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, julian-1)
		year, month, day = t.Year(), int(t.Month()), t.Day()
	}
	dim := time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if day > dim {
		return nil, -1, -1, valueErr("day is out of range for month")
	}
	d, err = newDatetime(int64(year), int64(month), int64(day), int64(hour), int64(minute), int64(sec), int64(us), tz, false)
	return d, weekday, julian, err
}

// julianFromWeek is CPython's _calc_julian_from_U_or_W: the day of the year
// of weekday (Monday 0) in week of year (%W weeks start on Monday, %U on
// Sunday; week 0 is the days before the first such day).
func julianFromWeek(year, week, weekday int, mondayFirst bool) int {
	first := (int(time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).Weekday()) + 6) % 7
	if !mondayFirst {
		first = (first + 1) % 7
		weekday = (weekday + 1) % 7
	}
	week0 := (7 - first) % 7
	if week == 0 {
		return 1 + weekday - first
	}
	return 1 + week0 + 7*(week-1) + weekday
}

var _ = py.Missing
