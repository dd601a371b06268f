package pylib

import (
	"strings"

	"github.com/julepkit/julep/engine/internal/py"
)

type csvDialect struct {
	delim, quote    rune
	doubleQuote     bool
	skipInitial     bool
	strict          bool
	escape          rune
	quoteNonNumeric bool
}

// csvParse splits text into rows like Python's csv.reader (excel dialect).
func csvParse(st *py.State, text string, d csvDialect) ([][]string, error) {
	var rows [][]string
	var row []string
	var field strings.Builder
	rs := []rune(text)
	const (
		startField = iota
		inField
		inQuoted
		quoteInQuoted
		escaped
		escapedInQuoted
	)
	state := startField
	fieldStarted := false
	endField := func() {
		row = append(row, field.String())
		field.Reset()
		fieldStarted = false
	}
	endRow := func() {
		rows = append(rows, row)
		row = nil
	}
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		if err := st.Charge(1); err != nil {
			return nil, err
		}
		switch state {
		case startField:
			switch {
			case c == '\n' || c == '\r':
				if fieldStarted || len(row) > 0 {
					endField()
				}
				if len(row) > 0 || fieldStarted {
					endRow()
				} else if row == nil && (c == '\n' || c == '\r') {
					// empty line: csv.reader yields [] for it
					rows = append(rows, []string{})
				}
				if c == '\r' && i+1 < len(rs) && rs[i+1] == '\n' {
					i++
				}
				state = startField
			case c == d.quote && d.quote != 0:
				state = inQuoted
				fieldStarted = true
			case c == d.escape && d.escape != 0:
				state = escaped
				fieldStarted = true
			case c == ' ' && d.skipInitial:
			case c == d.delim:
				fieldStarted = true
				endField()
				fieldStarted = true
			default:
				field.WriteRune(c)
				fieldStarted = true
				state = inField
			}
			if c == d.delim {
				state = startField
			}
		case inField:
			switch {
			case c == '\n' || c == '\r':
				endField()
				endRow()
				if c == '\r' && i+1 < len(rs) && rs[i+1] == '\n' {
					i++
				}
				state = startField
			case c == d.escape && d.escape != 0:
				state = escaped
			case c == d.delim:
				endField()
				fieldStarted = true
				state = startField
			default:
				field.WriteRune(c)
			}
		case escaped:
			field.WriteRune(c)
			state = inField
		case inQuoted:
			switch {
			case c == d.escape && d.escape != 0:
				state = escapedInQuoted
			case c == d.quote:
				if d.doubleQuote {
					state = quoteInQuoted
				} else {
					state = inField
				}
			default:
				field.WriteRune(c)
			}
		case escapedInQuoted:
			field.WriteRune(c)
			state = inQuoted
		case quoteInQuoted:
			switch {
			case c == d.quote:
				field.WriteRune(c)
				state = inQuoted
			case c == d.delim:
				endField()
				fieldStarted = true
				state = startField
			case c == '\n' || c == '\r':
				endField()
				endRow()
				if c == '\r' && i+1 < len(rs) && rs[i+1] == '\n' {
					i++
				}
				state = startField
			default:
				if d.strict {
					return nil, py.Errorf("Error", "'%c' expected after '%c'", d.delim, d.quote)
				}
				field.WriteRune(c)
				state = inField
			}
		}
	}
	switch state {
	case inQuoted, escapedInQuoted:
		if d.strict {
			return nil, py.Errorf("Error", "unexpected end of data")
		}
		endField()
		endRow()
	case escaped:
		return nil, py.Errorf("Error", "unexpected end of data")
	default:
		if fieldStarted || len(row) > 0 {
			endField()
			endRow()
		}
	}
	return rows, nil
}

func csvOpts(fname string, kw *py.Kwargs, extra ...string) (csvDialect, map[string]any, error) {
	d := csvDialect{delim: ',', quote: '"', doubleQuote: true}
	names := append([]string{"dialect", "delimiter", "quotechar", "escapechar", "doublequote", "skipinitialspace", "lineterminator", "quoting", "strict"}, extra...)
	opts, err := kwOnly(fname, kw, names...)
	if err != nil {
		return d, nil, err
	}
	oneChar := func(name string, v any, allowNone bool) (rune, error) {
		if v == nil && allowNone {
			return 0, nil
		}
		s, ok := v.(string)
		if !ok {
			return 0, typeErr("\"%s\" must be string, not %s", name, tn(v))
		}
		rs := []rune(s)
		if len(rs) != 1 {
			return 0, typeErr("\"%s\" must be a 1-character string", name)
		}
		return rs[0], nil
	}
	if v, ok := opts["dialect"]; ok && v != "excel" {
		if v == "excel-tab" {
			d.delim = '\t'
		} else {
			return d, nil, py.Errorf("Error", "unknown dialect")
		}
	}
	if v, ok := opts["delimiter"]; ok {
		if d.delim, err = oneChar("delimiter", v, false); err != nil {
			return d, nil, err
		}
	}
	if v, ok := opts["quotechar"]; ok {
		if d.quote, err = oneChar("quotechar", v, true); err != nil {
			return d, nil, err
		}
	}
	if v, ok := opts["escapechar"]; ok {
		if d.escape, err = oneChar("escapechar", v, true); err != nil {
			return d, nil, err
		}
	}
	if v, ok := opts["doublequote"]; ok {
		d.doubleQuote = py.Truth(v)
	}
	if v, ok := opts["skipinitialspace"]; ok {
		d.skipInitial = py.Truth(v)
	}
	if v, ok := opts["strict"]; ok {
		d.strict = py.Truth(v)
	}
	if v, ok := opts["quoting"]; ok {
		n, _ := asInt(v)
		switch n {
		case 0, 1:
		case 2:
			d.quoteNonNumeric = true
		case 3:
			d.quote = 0
		default:
			return d, nil, py.Errorf(py.NotImplementedError, "csv quoting mode %d is not supported", n)
		}
	}
	return d, opts, nil
}

func csvText(fname string, args []any) (string, error) {
	if len(args) != 1 {
		return "", typeErr("%s() takes exactly one positional argument: the CSV text (a str)", fname)
	}
	switch x := args[0].(type) {
	case string:
		return x, nil
	case *py.List:
		var b strings.Builder
		for _, it := range x.Items {
			s, ok := it.(string)
			if !ok {
				return "", py.Errorf("Error", "iterator should return strings, not %s (the file should be opened in text mode)", tn(it))
			}
			b.WriteString(s)
			if !strings.HasSuffix(s, "\n") {
				b.WriteByte('\n')
			}
		}
		return b.String(), nil
	}
	return "", typeErr("%s() argument must be str, not %s", fname, tn(args[0]))
}

func csvRowValues(row []string, d csvDialect) []any {
	out := make([]any, len(row))
	for i, f := range row {
		out[i] = f
		if d.quoteNonNumeric {
			if v, err := parseFloatString(f); err == nil {
				out[i] = v
			}
		}
	}
	return out
}

// csvModule is the csv module (readers of CSV text; writers refused).
func csvModule() *py.Module {
	return newModule("csv", map[string]builtinFunc{
		"reader":     csvReader,
		"DictReader": csvDictReader,
	}, map[string]any{
		"QUOTE_MINIMAL": int64(0), "QUOTE_ALL": int64(1), "QUOTE_NONNUMERIC": int64(2), "QUOTE_NONE": int64(3),
		"writer":     notImplemented("csv.writer", "expressions cannot write files; build the text with str.join"),
		"DictWriter": notImplemented("csv.DictWriter", "expressions cannot write files; build the text with str.join"),
	})
}

func csvReader(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	text, err := csvText("reader", args)
	if err != nil {
		return nil, err
	}
	d, _, err := csvOpts("reader", kw)
	if err != nil {
		return nil, err
	}
	rows, err := csvParse(st, text, d)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(rows))
	for i, r := range rows {
		out[i] = py.NewList(csvRowValues(r, d))
	}
	return py.NewList(out), newColl(st, len(out))
}

func csvDictReader(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	text, err := csvText("DictReader", args)
	if err != nil {
		return nil, err
	}
	d, opts, err := csvOpts("DictReader", kw, "fieldnames", "restkey", "restval")
	if err != nil {
		return nil, err
	}
	rows, err := csvParse(st, text, d)
	if err != nil {
		return nil, err
	}
	var fields []any
	if f, ok := opts["fieldnames"]; ok && f != nil {
		if fields, err = iterCopy(st, f); err != nil {
			return nil, err
		}
	} else {
		for len(rows) > 0 && len(rows[0]) == 0 {
			rows = rows[1:]
		}
		if len(rows) == 0 {
			return py.NewList([]any{}), nil
		}
		fields = csvRowValues(rows[0], csvDialect{})
		rows = rows[1:]
	}
	restkey := opts["restkey"]
	restval := opts["restval"]
	var out []any
	for _, r := range rows {
		if len(r) == 0 {
			continue
		}
		vals := csvRowValues(r, d)
		dict := py.NewDict(len(fields))
		for i, f := range fields {
			if i < len(vals) {
				if err := dict.Set(f, vals[i]); err != nil {
					return nil, err
				}
			} else if err := dict.Set(f, restval); err != nil {
				return nil, err
			}
		}
		if len(vals) > len(fields) {
			if err := dict.Set(restkey, py.NewList(vals[len(fields):])); err != nil {
				return nil, err
			}
		}
		out = append(out, dict)
	}
	if out == nil {
		out = []any{}
	}
	return py.NewList(out), newColl(st, len(out))
}
