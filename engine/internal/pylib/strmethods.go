package pylib

import (
	"strings"
	"unicode/utf8"

	"github.com/julepkit/julep/engine/internal/py"
)

type strMethod func(st *py.State, s string, args []any, kw *py.Kwargs) (any, error)

// strRecv makes f, which takes the receiver as a string, the method str.name.
func strRecv(name string, f strMethod) py.MethodFunc {
	return func(st *py.State, recv any, args []any, kw *py.Kwargs) (any, error) {
		s, ok := recv.(string)
		if !ok {
			return nil, typeErr("descriptor '%s' for 'str' objects doesn't apply to a '%s' object", name, tn(recv))
		}
		return f(st, s, args, kw)
	}
}

// strNamed is str.name as f, which serves several methods and is told which
// one was called.
func strNamed(name string, f func(st *py.State, name, s string, args []any, kw *py.Kwargs) (any, error)) py.MethodFunc {
	return strRecv(name, func(st *py.State, s string, args []any, kw *py.Kwargs) (any, error) {
		return f(st, name, s, args, kw)
	})
}

// strNoArgs is the method str.name without arguments returning f(s).
func strNoArgs[T string | bool](name string, f func(string) T) py.MethodFunc {
	return strRecv(name, func(st *py.State, s string, args []any, kw *py.Kwargs) (any, error) {
		if err := noKw("str."+name, kw); err != nil {
			return nil, err
		}
		if len(args) > 0 {
			return nil, typeErr("str.%s() takes no arguments (%d given)", name, len(args))
		}
		out := f(s)
		if o, ok := any(out).(string); ok {
			if err := newStr(st, len(o)); err != nil {
				return nil, err
			}
		}
		return out, nil
	})
}

func allRunes(s string, pred func(rune) bool) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !pred(r) {
			return false
		}
	}
	return true
}

// strMethods is the table of the methods of str.
func strMethods() map[string]py.MethodFunc {
	return map[string]py.MethodFunc{
		"upper":        strNoArgs("upper", pyUpper),
		"lower":        strNoArgs("lower", pyLower),
		"casefold":     strNoArgs("casefold", pyCasefold),
		"title":        strNoArgs("title", pyTitle),
		"capitalize":   strNoArgs("capitalize", pyCapitalize),
		"swapcase":     strNoArgs("swapcase", pySwapcase),
		"isalnum":      strNoArgs("isalnum", strIsAlnum),
		"isalpha":      strNoArgs("isalpha", strIsAlpha),
		"isascii":      strNoArgs("isascii", isASCII),
		"isdecimal":    strNoArgs("isdecimal", strIsDecimal),
		"isdigit":      strNoArgs("isdigit", strIsDigit),
		"isnumeric":    strNoArgs("isnumeric", strIsNumeric),
		"isspace":      strNoArgs("isspace", strIsSpace),
		"isprintable":  strNoArgs("isprintable", strIsPrintable),
		"isidentifier": strNoArgs("isidentifier", pyIsIdentifier),
		"islower":      strNoArgs("islower", strIsLower),
		"isupper":      strNoArgs("isupper", strIsUpper),
		"istitle":      strNoArgs("istitle", isTitleStr),
		"center":       strNamed("center", pad),
		"ljust":        strNamed("ljust", pad),
		"rjust":        strNamed("rjust", pad),
		"zfill":        strRecv("zfill", strZfill),
		"count":        strRecv("count", strCount),
		"find":         strNamed("find", strFind),
		"rfind":        strNamed("rfind", strFind),
		"index":        strNamed("index", strFind),
		"rindex":       strNamed("rindex", strFind),
		"startswith":   strNamed("startswith", strAffix),
		"endswith":     strNamed("endswith", strAffix),
		"expandtabs":   strRecv("expandtabs", strExpandtabs),
		"join":         strRecv("join", strJoin),
		"strip":        strNamed("strip", strStrip),
		"lstrip":       strNamed("lstrip", strStrip),
		"rstrip":       strNamed("rstrip", strStrip),
		"partition":    strNamed("partition", strPartition),
		"rpartition":   strNamed("rpartition", strPartition),
		"removeprefix": strRecv("removeprefix", strRemoveprefix),
		"removesuffix": strRecv("removesuffix", strRemovesuffix),
		"replace":      strRecv("replace", strReplace),
		"split":        strNamed("split", strSplit),
		"rsplit":       strNamed("rsplit", strSplit),
		"splitlines":   strRecv("splitlines", strSplitlines),
		"format":       strRecv("format", strFormatMethod),
		"format_map":   strRecv("format_map", strFormatMapMethod),
		"encode":       strRecv("encode", strEncode),
	}
}

func strIsAlnum(s string) bool     { return allRunes(s, isAlnumR) }
func strIsAlpha(s string) bool     { return allRunes(s, isAlphaR) }
func strIsDecimal(s string) bool   { return allRunes(s, isDecimalR) }
func strIsDigit(s string) bool     { return allRunes(s, isDigitR) }
func strIsNumeric(s string) bool   { return allRunes(s, isNumericR) }
func strIsSpace(s string) bool     { return allRunes(s, isPySpace) }
func strIsPrintable(s string) bool { return s == "" || allRunes(s, isPrintableR) }
func strIsLower(s string) bool     { return caseCheck(s, false) }
func strIsUpper(s string) bool     { return caseCheck(s, true) }

func strRemoveprefix(st *py.State, s string, args []any, kw *py.Kwargs) (any, error) {
	if err := oneStrArg("removeprefix", args, kw); err != nil {
		return nil, err
	}
	return strings.TrimPrefix(s, args[0].(string)), nil
}

func strRemovesuffix(st *py.State, s string, args []any, kw *py.Kwargs) (any, error) {
	if err := oneStrArg("removesuffix", args, kw); err != nil {
		return nil, err
	}
	p := args[0].(string)
	if p == "" {
		return s, nil
	}
	return strings.TrimSuffix(s, p), nil
}

func strEncode(st *py.State, s string, args []any, kw *py.Kwargs) (any, error) {
	return nil, py.Errorf(py.NotImplementedError, "str.encode(): bytes are not supported by the expression engine")
}

func pyIsIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if i == 0 {
			if !(r == '_' || r < 0x80 && isAlphaR(r) || r >= 0x80 && inTable(identStart, r)) {
				return false
			}
		} else if !(r == '_' || r < 0x80 && (isAlphaR(r) || r >= '0' && r <= '9') || r >= 0x80 && inTable(identCont, r)) {
			return false
		}
	}
	return true
}

// caseCheck is islower (upper=false) and isupper.
func caseCheck(s string, upper bool) bool {
	cased := false
	for _, r := range s {
		if upper {
			if isLowerR(r) || isTitleR(r) {
				return false
			}
			if !cased && isUpperR(r) {
				cased = true
			}
		} else {
			if isUpperR(r) || isTitleR(r) {
				return false
			}
			if !cased && isLowerR(r) {
				cased = true
			}
		}
	}
	return cased
}

func isTitleStr(s string) bool {
	cased, prevCased := false, false
	for _, r := range s {
		switch {
		case isUpperR(r) || isTitleR(r):
			if prevCased {
				return false
			}
			prevCased, cased = true, true
		case isLowerR(r):
			if !prevCased {
				return false
			}
			prevCased, cased = true, true
		default:
			prevCased = false
		}
	}
	return cased
}

func oneStrArg(name string, args []any, kw *py.Kwargs) error {
	if err := noKw("str."+name, kw); err != nil {
		return err
	}
	if len(args) != 1 {
		return typeErr("str.%s() takes exactly one argument (%d given)", name, len(args))
	}
	if _, ok := args[0].(string); !ok {
		return typeErr("%s() argument must be str, not %s", name, tn(args[0]))
	}
	return nil
}

func pad(st *py.State, name, s string, args []any, kw *py.Kwargs) (any, error) {
	if err := posArgs(name, args, kw, 1, 2); err != nil {
		return nil, err
	}
	width, err := indexArg(args[0])
	if err != nil {
		return nil, err
	}
	fill := " "
	if len(args) == 2 {
		f, ok := args[1].(string)
		if !ok {
			return nil, typeErr("%s() argument 2 must be str, not %s", name, tn(args[1]))
		}
		if runeLen(f) != 1 {
			return nil, typeErr("The fill character must be exactly one character long")
		}
		fill = f
	}
	n := int64(runeLen(s))
	if width <= n {
		return s, nil
	}
	marg := width - n
	if err := st.CheckStringLen(int64(len(s)) + marg*int64(len(fill))); err != nil {
		return nil, err
	}
	var left int64
	switch name {
	case "ljust":
		left = 0
	case "rjust":
		left = marg
	default:
		left = marg/2 + (marg & width & 1)
	}
	return strings.Repeat(fill, int(left)) + s + strings.Repeat(fill, int(marg-left)), nil
}

func strZfill(st *py.State, s string, args []any, kw *py.Kwargs) (any, error) {
	if err := posArgs("zfill", args, kw, 1, 1); err != nil {
		return nil, err
	}
	width, err := indexArg(args[0])
	if err != nil {
		return nil, err
	}
	n := int64(runeLen(s))
	if width <= n {
		return s, nil
	}
	if err := st.CheckStringLen(int64(len(s)) + width - n); err != nil {
		return nil, err
	}
	zeros := strings.Repeat("0", int(width-n))
	if s != "" && (s[0] == '+' || s[0] == '-') {
		return s[:1] + zeros + s[1:], nil
	}
	return zeros + s, nil
}

// sliceBounds applies CPython's ADJUST_INDICES to optional start/end
// arguments (None allowed) for a sequence of length n.
func sliceBounds(name string, args []any, n int) (int, int, error) {
	start, end := 0, n
	conv := func(v any) (int, bool, error) {
		if v == nil || v == py.Missing {
			return 0, false, nil
		}
		i, ok := asInt(v)
		if !ok {
			return 0, false, typeErr("slice indices must be integers or None or have an __index__ method")
		}
		if i > int64(n) {
			i = int64(n) + 1
		}
		if i < -int64(n)-1 {
			i = -int64(n) - 1
		}
		return int(i), true, nil
	}
	if len(args) > 0 {
		v, ok, err := conv(args[0])
		if err != nil {
			return 0, 0, err
		}
		if ok {
			start = v
		}
	}
	if len(args) > 1 {
		v, ok, err := conv(args[1])
		if err != nil {
			return 0, 0, err
		}
		if ok {
			end = v
		}
	}
	if end > n {
		end = n
	} else if end < 0 {
		end += n
		if end < 0 {
			end = 0
		}
	}
	if start < 0 {
		start += n
		if start < 0 {
			start = 0
		}
	}
	return start, end, nil
}

// runeSub returns the substring of s between rune indexes i and j.
func runeSub(rs []rune, i, j int) string {
	if i >= j {
		return ""
	}
	return string(rs[i:j])
}

func strCount(st *py.State, s string, args []any, kw *py.Kwargs) (any, error) {
	if err := posArgs("count", args, kw, 1, 3); err != nil {
		return nil, err
	}
	sub, ok := args[0].(string)
	if !ok {
		return nil, typeErr("must be str, not %s", tn(args[0]))
	}
	rs := []rune(s)
	start, end, err := sliceBounds("count", args[1:], len(rs))
	if err != nil {
		return nil, err
	}
	if err := st.Charge(int64(len(s)/16 + 1)); err != nil {
		return nil, err
	}
	if start > len(rs) {
		return int64(0), nil
	}
	if sub == "" {
		if end < start {
			return int64(0), nil
		}
		return int64(end - start + 1), nil
	}
	return int64(strings.Count(runeSub(rs, start, end), sub)), nil
}

func strFind(st *py.State, name, s string, args []any, kw *py.Kwargs) (any, error) {
	if err := posArgs(name, args, kw, 1, 3); err != nil {
		return nil, err
	}
	sub, ok := args[0].(string)
	if !ok {
		return nil, typeErr("must be str, not %s", tn(args[0]))
	}
	if err := st.Charge(int64(len(s)/16 + 1)); err != nil {
		return nil, err
	}
	rs := []rune(s)
	start, end, err := sliceBounds(name, args[1:], len(rs))
	if err != nil {
		return nil, err
	}
	res := -1
	if start <= len(rs) && end-start >= runeLen(sub) {
		hay := runeSub(rs, start, end)
		var bi int
		if name == "find" || name == "index" {
			bi = strings.Index(hay, sub)
		} else {
			bi = strings.LastIndex(hay, sub)
		}
		if bi >= 0 {
			res = start + utf8.RuneCountInString(hay[:bi])
		}
	}
	if res < 0 && (name == "index" || name == "rindex") {
		return nil, valueErr("substring not found")
	}
	return int64(res), nil
}

func strAffix(st *py.State, name, s string, args []any, kw *py.Kwargs) (any, error) {
	if err := posArgs(name, args, kw, 1, 3); err != nil {
		return nil, err
	}
	rs := []rune(s)
	start, end, err := sliceBounds(name, args[1:], len(rs))
	if err != nil {
		return nil, err
	}
	match := func(c string) bool {
		sl := runeLen(c)
		if end-sl < start {
			return false
		}
		if name == "startswith" {
			return runeSub(rs, start, start+sl) == c
		}
		return runeSub(rs, end-sl, end) == c
	}
	switch x := args[0].(type) {
	case string:
		return match(x), nil
	case py.Tuple:
		for _, e := range x {
			es, ok := e.(string)
			if !ok {
				return nil, typeErr("tuple for %s must only contain str, not %s", name, tn(e))
			}
			if match(es) {
				return true, nil
			}
		}
		return false, nil
	}
	return nil, typeErr("%s first arg must be str or a tuple of str, not %s", name, tn(args[0]))
}

func strExpandtabs(st *py.State, s string, args []any, kw *py.Kwargs) (any, error) {
	a, err := bind("expandtabs", args, kw, []string{"tabsize"}, 0)
	if err != nil {
		return nil, err
	}
	tab := int64(8)
	if given(a[0]) {
		if tab, err = indexArg(a[0]); err != nil {
			return nil, err
		}
	}
	var b strings.Builder
	col := int64(0)
	for _, r := range s {
		switch r {
		case '\t':
			if tab > 0 {
				n := tab - col%tab
				if err := st.CheckStringLen(int64(b.Len()) + n); err != nil {
					return nil, err
				}
				b.WriteString(strings.Repeat(" ", int(n)))
				col += n
			}
		case '\n', '\r':
			b.WriteRune(r)
			col = 0
		default:
			b.WriteRune(r)
			col++
		}
	}
	return b.String(), nil
}

func strJoin(st *py.State, s string, args []any, kw *py.Kwargs) (any, error) {
	if err := posArgs("join", args, kw, 1, 1); err != nil {
		return nil, err
	}
	items, err := py.Iterate(st, args[0])
	if err != nil {
		return nil, typeErr("can only join an iterable")
	}
	total := 0
	for i, it := range items {
		is, ok := it.(string)
		if !ok {
			return nil, typeErr("sequence item %d: expected str instance, %s found", i, tn(it))
		}
		total += len(is)
		if i > 0 {
			total += len(s)
		}
	}
	if err := newStr(st, total); err != nil {
		return nil, err
	}
	var b strings.Builder
	b.Grow(total)
	for i, it := range items {
		if i > 0 {
			b.WriteString(s)
		}
		b.WriteString(it.(string))
	}
	return b.String(), nil
}

func stripSet(chars string) func(rune) bool {
	return func(r rune) bool { return strings.ContainsRune(chars, r) }
}

func strStrip(st *py.State, name, s string, args []any, kw *py.Kwargs) (any, error) {
	if err := noKw("str."+name, kw); err != nil {
		return nil, err
	}
	if err := nargs(name, args, 0, 1); err != nil {
		return nil, err
	}
	pred := isPySpace
	if len(args) == 1 && args[0] != nil {
		cs, ok := args[0].(string)
		if !ok {
			return nil, typeErr("%s arg must be None or str", name)
		}
		pred = stripSet(cs)
	}
	switch name {
	case "strip":
		return strings.TrimFunc(s, pred), nil
	case "lstrip":
		return strings.TrimLeftFunc(s, pred), nil
	}
	return strings.TrimRightFunc(s, pred), nil
}

func strPartition(_ *py.State, name, s string, args []any, kw *py.Kwargs) (any, error) {
	if err := oneStrArg(name, args, kw); err != nil {
		if len(args) == 1 {
			if _, ok := args[0].(string); !ok {
				return nil, typeErr("must be str, not %s", tn(args[0]))
			}
		}
		return nil, err
	}
	sep := args[0].(string)
	if sep == "" {
		return nil, valueErr("empty separator")
	}
	if name == "partition" {
		i := strings.Index(s, sep)
		if i < 0 {
			return py.Tuple{s, "", ""}, nil
		}
		return py.Tuple{s[:i], sep, s[i+len(sep):]}, nil
	}
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return py.Tuple{"", "", s}, nil
	}
	return py.Tuple{s[:i], sep, s[i+len(sep):]}, nil
}

func strReplace(st *py.State, s string, args []any, kw *py.Kwargs) (any, error) {
	if err := posArgs("replace", args, kw, 2, 3); err != nil {
		return nil, err
	}
	old, ok1 := args[0].(string)
	if !ok1 {
		return nil, typeErr("replace() argument 1 must be str, not %s", tn(args[0]))
	}
	nw, ok2 := args[1].(string)
	if !ok2 {
		return nil, typeErr("replace() argument 2 must be str, not %s", tn(args[1]))
	}
	count := int64(-1)
	if len(args) == 3 {
		c, err := indexArg(args[2])
		if err != nil {
			return nil, err
		}
		count = c
	}
	var n int64
	if old == "" {
		n = int64(runeLen(s)) + 1
	} else {
		n = int64(strings.Count(s, old))
	}
	if count >= 0 && count < n {
		n = count
	}
	if err := st.CheckStringLen(int64(len(s)) + n*int64(len(nw)-len(old))); err != nil {
		return nil, err
	}
	if count < 0 || count > 1<<31 {
		return strings.Replace(s, old, nw, -1), nil
	}
	return strings.Replace(s, old, nw, int(count)), nil
}

func strSplit(st *py.State, name, s string, args []any, kw *py.Kwargs) (any, error) {
	a, err := bind(name, args, kw, []string{"sep", "maxsplit"}, 0)
	if err != nil {
		return nil, err
	}
	maxsplit := int64(-1)
	if given(a[1]) {
		if maxsplit, err = indexArg(a[1]); err != nil {
			return nil, err
		}
	}
	if err := st.Charge(int64(len(s)/16 + 1)); err != nil {
		return nil, err
	}
	var parts []string
	if !given(a[0]) || a[0] == nil {
		parts = splitWhitespace(s, maxsplit, name == "rsplit")
	} else {
		sep, ok := a[0].(string)
		if !ok {
			return nil, typeErr("must be str or None, not %s", tn(a[0]))
		}
		if sep == "" {
			return nil, valueErr("empty separator")
		}
		if name == "rsplit" {
			// From the right even without maxsplit: 'aaa'.rsplit('aa') is ['a', ''].
			if maxsplit < 0 {
				maxsplit = int64(len(s))
			}
			parts = rsplitN(s, sep, maxsplit)
		} else if maxsplit < 0 {
			parts = strings.Split(s, sep)
		} else {
			parts = strings.SplitN(s, sep, int(min(maxsplit, int64(len(s)))+1))
		}
	}
	if err := newColl(st, len(parts)); err != nil {
		return nil, err
	}
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = p
	}
	return py.NewList(out), nil
}

func rsplitN(s, sep string, maxsplit int64) []string {
	var rev []string
	for maxsplit > 0 {
		i := strings.LastIndex(s, sep)
		if i < 0 {
			break
		}
		rev = append(rev, s[i+len(sep):])
		s = s[:i]
		maxsplit--
	}
	rev = append(rev, s)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	return rev
}

func splitWhitespace(s string, maxsplit int64, right bool) []string {
	rs := []rune(s)
	var out []string
	if !right {
		i := 0
		for {
			for i < len(rs) && isPySpace(rs[i]) {
				i++
			}
			if i == len(rs) {
				break
			}
			if maxsplit == 0 {
				out = append(out, string(rs[i:]))
				break
			}
			j := i
			for j < len(rs) && !isPySpace(rs[j]) {
				j++
			}
			out = append(out, string(rs[i:j]))
			maxsplit--
			i = j
		}
		if out == nil {
			out = []string{}
		}
		return out
	}
	j := len(rs)
	for {
		for j > 0 && isPySpace(rs[j-1]) {
			j--
		}
		if j == 0 {
			break
		}
		if maxsplit == 0 {
			out = append(out, string(rs[:j]))
			break
		}
		i := j
		for i > 0 && !isPySpace(rs[i-1]) {
			i--
		}
		out = append(out, string(rs[i:j]))
		maxsplit--
		j = i
	}
	for a, b := 0, len(out)-1; a < b; a, b = a+1, b-1 {
		out[a], out[b] = out[b], out[a]
	}
	if out == nil {
		out = []string{}
	}
	return out
}

func isLineBreak(r rune) bool {
	switch r {
	case '\n', '\r', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029:
		return true
	}
	return false
}

func strSplitlines(st *py.State, s string, args []any, kw *py.Kwargs) (any, error) {
	a, err := bind("splitlines", args, kw, []string{"keepends"}, 0)
	if err != nil {
		return nil, err
	}
	keep := given(a[0]) && py.Truth(a[0])
	if given(a[0]) {
		if _, isF := a[0].(float64); isF {
			return nil, typeErr("'float' object cannot be interpreted as an integer")
		}
	}
	var out []any
	rs := []rune(s)
	i := 0
	for i < len(rs) {
		j := i
		for j < len(rs) && !isLineBreak(rs[j]) {
			j++
		}
		eol := j
		if j < len(rs) {
			if rs[j] == '\r' && j+1 < len(rs) && rs[j+1] == '\n' {
				j += 2
			} else {
				j++
			}
		}
		if keep {
			eol = j
		}
		out = append(out, string(rs[i:eol]))
		i = j
	}
	if err := newColl(st, len(out)); err != nil {
		return nil, err
	}
	if out == nil {
		out = []any{}
	}
	return py.NewList(out), nil
}
