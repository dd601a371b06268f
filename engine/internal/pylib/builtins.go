package pylib

import (
	"math"
	"math/big"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/julepkit/julep/engine/internal/py"
)

// builtins is the table of builtin functions, Julep's helpers included.
// A dotted name is a class method of a type (dict.fromkeys): the engine
// resolves T.m to it before the unbound method, and no expression can call a
// dotted name directly.
func builtins() map[string]*py.Func {
	return funcs("", map[string]builtinFunc{
		"abs":        biAbs,
		"all":        biAll,
		"any":        biAny,
		"bool":       biBool,
		"dict":       biDict,
		"enumerate":  biEnumerate,
		"float":      biFloat,
		"int":        biInt,
		"len":        biLen,
		"list":       biList,
		"map":        biMap,
		"max":        biMax,
		"min":        biMin,
		"round":      biRound,
		"set":        biSet,
		"str":        biStr,
		"sum":        biSum,
		"tuple":      biTuple,
		"zip":        biZip,
		"reduce":     biReduce,
		"range":      biRange,
		"sorted":     biSorted,
		"reversed":   biReversed,
		"filter":     biFilter,
		"repr":       biRepr,
		"format":     biFormat,
		"chr":        biChr,
		"ord":        biOrd,
		"divmod":     biDivmod,
		"pow":        biPow,
		"hex":        biHex,
		"oct":        biOct,
		"bin":        biBin,
		"isinstance": biIsinstance,
		"complex":    biComplex,

		"dict.fromkeys": dictFromKeysClass,

		// Julep's helpers
		"load_json":        jsonLoadsFunc("load_json"),
		"dump_json":        jsonDumps,
		"extract_json":     extractJSON,
		"load_yaml":        yamlLoadFunc("load_yaml"),
		"dump_yaml":        yamlDumpFunc("dump_yaml"),
		"search_regex":     searchRegex,
		"match_regex":      matchRegex,
		"nlp":              notImplementedFunc("nlp", "spaCy NLP pipelines are not part of this engine"),
		"chunk_doc":        notImplementedFunc("chunk_doc", "sentence chunking needs Julep's spaCy pipeline"),
		"markdown_to_html": notImplementedFunc("markdown_to_html", "not supported by this engine"),
		"html_to_markdown": notImplementedFunc("html_to_markdown", "not supported by this engine"),
		"humanize_text":    notImplementedFunc("humanize_text", "not supported by this engine"),
	})
}

func biAll(st *py.State, args []any, kw *py.Kwargs) (any, error) { return anyAll(st, "all", args, kw) }
func biAny(st *py.State, args []any, kw *py.Kwargs) (any, error) { return anyAll(st, "any", args, kw) }
func biMax(st *py.State, args []any, kw *py.Kwargs) (any, error) { return minMax(st, "max", args, kw) }
func biMin(st *py.State, args []any, kw *py.Kwargs) (any, error) { return minMax(st, "min", args, kw) }
func biHex(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	return intToBase("hex", args, kw, 16, "0x")
}
func biOct(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	return intToBase("oct", args, kw, 8, "0o")
}
func biBin(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	return intToBase("bin", args, kw, 2, "0b")
}

func oneArg(name string, args []any, kw *py.Kwargs) error {
	if err := noKw(name, kw); err != nil {
		return err
	}
	if len(args) != 1 {
		return typeErr("%s() takes exactly one argument (%d given)", name, len(args))
	}
	return nil
}

func biAbs(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if err := oneArg("abs", args, kw); err != nil {
		return nil, err
	}
	switch x := args[0].(type) {
	case bool:
		if x {
			return int64(1), nil
		}
		return int64(0), nil
	case int64:
		if x == math.MinInt64 {
			return new(big.Int).Neg(big.NewInt(x)), nil
		}
		if x < 0 {
			return -x, nil
		}
		return x, nil
	case *big.Int:
		return py.NormInt(new(big.Int).Abs(x)), nil
	case float64:
		return math.Abs(x), nil
	case *Timedelta:
		if x.Us < 0 {
			return &Timedelta{Us: -x.Us}, nil
		}
		return x, nil
	case py.Complex:
		return x.Abs()
	case py.Integer:
		return biAbs(st, []any{x.IntValue()}, nil)
	}
	return nil, typeErr("bad operand type for abs(): '%s'", tn(args[0]))
}

func anyAll(st *py.State, name string, args []any, kw *py.Kwargs) (any, error) {
	if err := oneArg(name, args, kw); err != nil {
		return nil, err
	}
	items, err := py.Iterate(st, args[0])
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		t := py.Truth(it)
		if name == "any" && t {
			return true, nil
		}
		if name == "all" && !t {
			return false, nil
		}
	}
	return name == "all", nil
}

func biBool(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if err := noKw("bool", kw); err != nil {
		return nil, err
	}
	if len(args) > 1 {
		return nil, typeErr("bool expected at most 1 argument, got %d", len(args))
	}
	if len(args) == 0 {
		return false, nil
	}
	return py.Truth(args[0]), nil
}

// dictUpdate merges src (a dict or an iterable of pairs) into d.
func dictUpdate(st *py.State, d *py.Dict, src any) error {
	if sd, ok := src.(*py.Dict); ok {
		if err := st.Charge(int64(sd.Len())); err != nil {
			return err
		}
		d.Update(sd)
		return nil
	}
	items, err := py.Iterate(st, src)
	if err != nil {
		return err
	}
	for i, it := range items {
		var pair []any
		switch p := it.(type) {
		case py.Tuple:
			pair = p
		case *py.List:
			pair = p.Items
		case string:
			pair = nil
			for _, r := range p {
				pair = append(pair, string(r))
			}
		default:
			pi, err := py.Iterate(st, it)
			if err != nil {
				return typeErr("cannot convert dictionary update sequence element #%d to a sequence", i)
			}
			pair = pi
		}
		if len(pair) != 2 {
			return valueErr("dictionary update sequence element #%d has length %d; 2 is required", i, len(pair))
		}
		if err := d.Set(pair[0], pair[1]); err != nil {
			return err
		}
	}
	return nil
}

func biDict(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	d := py.NewDict(0)
	if err := dictUpdateCall(st, "dict", d, args, kw); err != nil {
		return nil, err
	}
	return d, nil
}

func biEnumerate(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	a, err := bind("enumerate", args, kw, []string{"iterable", "start"}, 1)
	if err != nil {
		return nil, err
	}
	items, err := py.Iterate(st, a[0])
	if err != nil {
		return nil, err
	}
	start := any(int64(0))
	if given(a[1]) {
		if !isIntLike(a[1]) {
			return nil, typeErr("'%s' object cannot be interpreted as an integer", tn(a[1]))
		}
		start = a[1]
	}
	if err := newColl(st, len(items)); err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, it := range items {
		idx, err := py.Add(st, start, int64(i))
		if err != nil {
			return nil, err
		}
		out[i] = py.Tuple{idx, it}
	}
	return py.NewList(out), nil
}

func biFloat(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if err := noKw("float", kw); err != nil {
		return nil, err
	}
	if len(args) > 1 {
		return nil, typeErr("float expected at most 1 argument, got %d", len(args))
	}
	if len(args) == 0 {
		return 0.0, nil
	}
	switch x := args[0].(type) {
	case string:
		return parseFloatString(x)
	case float64:
		return x, nil
	}
	f, ok, err := toFloat(args[0])
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, typeErr("float() argument must be a string or a real number, not '%s'", tn(args[0]))
	}
	return f, nil
}

func biInt(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if kw != nil && slices.Contains(kw.Names, "x") {
		return nil, typeErr("'x' is an invalid keyword argument for int()") // x is positional-only
	}
	a, err := bind("int", args, kw, []string{"x", "base"}, 0)
	if err != nil {
		return nil, err
	}
	if !given(a[0]) {
		if given(a[1]) {
			return nil, typeErr("int() missing string argument")
		}
		return int64(0), nil
	}
	if given(a[1]) {
		base, err := indexArg(a[1])
		if err != nil {
			return nil, err
		}
		s, ok := a[0].(string)
		if !ok {
			return nil, typeErr("int() can't convert non-string with explicit base")
		}
		if base != 0 && (base < 2 || base > 36) {
			return nil, valueErr("int() base must be >= 2 and <= 36, or 0")
		}
		return parseIntString(s, base)
	}
	switch x := a[0].(type) {
	case string:
		return parseIntString(x, 10)
	case bool:
		if x {
			return int64(1), nil
		}
		return int64(0), nil
	case int64, *big.Int:
		return x, nil
	case RegexFlag:
		return int64(x), nil
	case float64:
		return floatToInt(x)
	}
	return nil, typeErr("int() argument must be a string, a bytes-like object or a real number, not '%s'", tn(a[0]))
}

func biLen(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if err := oneArg("len", args, kw); err != nil {
		return nil, err
	}
	n, err := py.Len(args[0])
	if err != nil {
		return nil, err
	}
	return int64(n), nil
}

// iterCopy returns a fresh slice of the items of v, charged.
func iterCopy(st *py.State, v any) ([]any, error) {
	if r, ok := v.(*Range); ok {
		return r.Iter(st) // already a fresh, charged slice
	}
	items, err := py.Iterate(st, v)
	if err != nil {
		return nil, err
	}
	if err := newColl(st, len(items)); err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	copy(out, items)
	return out, nil
}

func biList(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if err := noKw("list", kw); err != nil {
		return nil, err
	}
	if len(args) > 1 {
		return nil, typeErr("list expected at most 1 argument, got %d", len(args))
	}
	if len(args) == 0 {
		return py.NewList([]any{}), nil
	}
	items, err := iterCopy(st, args[0])
	if err != nil {
		return nil, err
	}
	return py.NewList(items), nil
}

func biTuple(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if err := noKw("tuple", kw); err != nil {
		return nil, err
	}
	if len(args) > 1 {
		return nil, typeErr("tuple expected at most 1 argument, got %d", len(args))
	}
	if len(args) == 0 {
		return py.Tuple{}, nil
	}
	if t, ok := args[0].(py.Tuple); ok {
		return t, nil
	}
	items, err := iterCopy(st, args[0])
	if err != nil {
		return nil, err
	}
	return py.Tuple(items), nil
}

func biSet(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if err := noKw("set", kw); err != nil {
		return nil, err
	}
	if len(args) > 1 {
		return nil, typeErr("set expected at most 1 argument, got %d", len(args))
	}
	s := py.NewSet(0)
	if len(args) == 0 {
		return s, nil
	}
	items, err := py.Iterate(st, args[0])
	if err != nil {
		return nil, err
	}
	if err := newColl(st, len(items)); err != nil {
		return nil, err
	}
	for _, it := range items {
		if err := s.Add(it); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func biStr(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if kw != nil {
		for _, n := range kw.Names {
			if n != "object" && n != "encoding" && n != "errors" {
				return nil, typeErr("'%s' is an invalid keyword argument for str()", n)
			}
		}
	}
	a, err := bind("str", args, kw, []string{"object", "encoding", "errors"}, 0)
	if err != nil {
		return nil, err
	}
	if given(a[1]) || given(a[2]) {
		return nil, py.Errorf(py.NotImplementedError, "str() with an encoding: bytes are not supported")
	}
	if !given(a[0]) {
		return "", nil
	}
	return py.ToStr(st, a[0])
}

func biRepr(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if err := oneArg("repr", args, kw); err != nil {
		return nil, err
	}
	return py.ToRepr(st, args[0])
}

func biFormat(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	a, err := bind("format", args, kw, []string{"value", "format_spec"}, 1)
	if err != nil {
		return nil, err
	}
	spec := ""
	if given(a[1]) {
		s, ok := a[1].(string)
		if !ok {
			return nil, typeErr("format() argument 2 must be str, not %s", tn(a[1]))
		}
		spec = s
	}
	return py.Format(st, a[0], spec)
}

func biMap(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if err := noKw("map", kw); err != nil {
		return nil, err
	}
	if len(args) < 2 {
		return nil, typeErr("map() must have at least two arguments.")
	}
	var lists [][]any
	n := -1
	for _, a := range args[1:] {
		items, err := py.Iterate(st, a)
		if err != nil {
			return nil, err
		}
		lists = append(lists, items)
		if n < 0 || len(items) < n {
			n = len(items)
		}
	}
	if err := newColl(st, n); err != nil {
		return nil, err
	}
	out := make([]any, n)
	for i := 0; i < n; i++ {
		callArgs := make([]any, len(lists))
		for j := range lists {
			callArgs[j] = lists[j][i]
		}
		v, err := py.Call(st, args[0], callArgs, nil)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return py.NewList(out), nil
}

func biFilter(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if err := noKw("filter", kw); err != nil {
		return nil, err
	}
	if len(args) != 2 {
		return nil, typeErr("filter expected 2 arguments, got %d", len(args))
	}
	items, err := py.Iterate(st, args[1])
	if err != nil {
		return nil, err
	}
	out := []any{}
	for _, it := range items {
		keep := it
		if args[0] != nil {
			v, err := py.Call(st, args[0], []any{it}, nil)
			if err != nil {
				return nil, err
			}
			keep = v
		}
		if py.Truth(keep) {
			out = append(out, it)
		}
	}
	if err := newColl(st, len(out)); err != nil {
		return nil, err
	}
	return py.NewList(out), nil
}

func minMax(st *py.State, name string, args []any, kw *py.Kwargs) (any, error) {
	opts, err := kwOnly(name, kw, "key", "default")
	if err != nil {
		return nil, err
	}
	var items []any
	switch len(args) {
	case 0:
		return nil, typeErr("%s expected at least 1 argument, got 0", name)
	case 1:
		items, err = py.Iterate(st, args[0])
		if err != nil {
			return nil, err
		}
	default:
		if _, ok := opts["default"]; ok {
			return nil, typeErr("Cannot specify a default for %s() with multiple positional arguments", name)
		}
		items = args
	}
	key := opts["key"]
	if len(items) == 0 {
		if d, ok := opts["default"]; ok {
			return d, nil
		}
		return nil, valueErr("%s() iterable argument is empty", name)
	}
	op := ">"
	if name == "min" {
		op = "<"
	}
	var best, bestKey any
	for i, it := range items {
		k := it
		if key != nil {
			k, err = py.Call(st, key, []any{it}, nil)
			if err != nil {
				return nil, err
			}
		}
		if i == 0 {
			best, bestKey = it, k
			continue
		}
		better, err := py.Compare(op, k, bestKey)
		if err != nil {
			return nil, err
		}
		if better {
			best, bestKey = it, k
		}
	}
	return best, nil
}

func biRound(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	a, err := bind("round", args, kw, []string{"number", "ndigits"}, 1)
	if err != nil {
		return nil, err
	}
	x := a[0]
	hasND := given(a[1]) && a[1] != nil
	var nd int64
	if hasND {
		nd, err = indexArg(a[1])
		if err != nil {
			return nil, err
		}
	}
	switch v := x.(type) {
	case float64:
		if !hasND {
			if math.IsNaN(v) {
				return nil, valueErr("cannot convert float NaN to integer")
			}
			if math.IsInf(v, 0) {
				return nil, py.Errorf(py.OverflowError, "cannot convert float infinity to integer")
			}
			return floatToInt(math.RoundToEven(v))
		}
		return roundFloat(v, nd)
	case int64, bool, *big.Int:
		if !hasND {
			n, _ := asInt(v)
			if b, ok := v.(*big.Int); ok {
				return b, nil
			}
			return n, nil
		}
		return roundInt(bigOf(v), nd), nil
	}
	return nil, typeErr("type %s doesn't define __round__ method", tn(x))
}

func biSum(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	a, err := bind("sum", args, kw, []string{"iterable", "start"}, 1)
	if err != nil {
		return nil, err
	}
	var acc any = int64(0)
	if given(a[1]) {
		acc = a[1]
		switch acc.(type) {
		case string:
			return nil, typeErr("sum() can't sum strings [use ''.join(seq) instead]")
		}
	}
	items, err := py.Iterate(st, a[0])
	if err != nil {
		return nil, err
	}
	n := len(items)
	i := 0
	// CPython 3.12: exact int phase, then a float phase with Neumaier
	// compensation for float items (ints are added plainly), then generic +.
	if isIntLike(acc) {
		for i < n {
			it := items[i]
			i++
			if acc, err = py.Add(st, acc, it); err != nil {
				return nil, err
			}
			if !isIntLike(it) {
				break
			}
		}
	}
	if hi, ok := acc.(float64); ok && i < n {
		c := 0.0
	floatLoop:
		for i < n {
			switch v := items[i].(type) {
			case float64:
				t := hi + v
				if math.Abs(hi) >= math.Abs(v) {
					c += (hi - t) + v
				} else {
					c += (v - t) + hi
				}
				hi = t
			case int64, bool:
				x, _ := asInt(v)
				hi += float64(x)
			case *big.Int:
				if !v.IsInt64() {
					break floatLoop
				}
				hi += float64(v.Int64())
			default:
				break floatLoop
			}
			i++
		}
		if c != 0 && !math.IsInf(c, 0) && !math.IsNaN(c) {
			hi += c
		}
		acc = hi
	}
	for ; i < n; i++ {
		if acc, err = py.Add(st, acc, items[i]); err != nil {
			return nil, err
		}
	}
	return acc, nil
}

func isFloat(v any) bool { _, ok := v.(float64); return ok }

func biZip(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	opts, err := kwOnly("zip", kw, "strict")
	if err != nil {
		return nil, err
	}
	strict := py.Truth(opts["strict"])
	if len(args) == 0 {
		return py.NewList([]any{}), nil
	}
	lists := make([][]any, len(args))
	n := -1
	for i, a := range args {
		items, err := py.Iterate(st, a)
		if err != nil {
			return nil, typeErr("zip argument #%d must support iteration", i+1)
		}
		lists[i] = items
		if n < 0 || len(items) < n {
			n = len(items)
		}
	}
	if strict {
		for i := 1; i < len(lists); i++ {
			if len(lists[i]) < len(lists[0]) {
				if i == 1 {
					return nil, valueErr("zip() argument 2 is shorter than argument 1")
				}
				return nil, valueErr("zip() argument %d is shorter than arguments 1-%d", i+1, i)
			}
			if len(lists[i]) > len(lists[0]) {
				if i == 1 {
					return nil, valueErr("zip() argument 2 is longer than argument 1")
				}
				return nil, valueErr("zip() argument %d is longer than arguments 1-%d", i+1, i)
			}
		}
	}
	if err := newColl(st, n*(len(lists)+1)); err != nil {
		return nil, err
	}
	out := make([]any, n)
	for i := 0; i < n; i++ {
		t := make(py.Tuple, len(lists))
		for j := range lists {
			t[j] = lists[j][i]
		}
		out[i] = t
	}
	return py.NewList(out), nil
}

func biReduce(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if err := noKw("reduce", kw); err != nil {
		return nil, err
	}
	if len(args) < 2 || len(args) > 3 {
		return nil, typeErr("reduce expected at least 2 arguments, got %d", len(args))
	}
	items, err := py.Iterate(st, args[1])
	if err != nil {
		return nil, typeErr("reduce() arg 2 must support iteration")
	}
	var acc any
	i := 0
	if len(args) == 3 {
		acc = args[2]
	} else {
		if len(items) == 0 {
			return nil, typeErr("reduce() of empty iterable with no initial value")
		}
		acc = items[0]
		i = 1
	}
	for ; i < len(items); i++ {
		if acc, err = py.Call(st, args[0], []any{acc, items[i]}, nil); err != nil {
			return nil, err
		}
	}
	return acc, nil
}

// sortItems sorts items in place with Python's list.sort semantics: stable,
// only "<" is used, reverse keeps stability.
func sortItems(st *py.State, items []any, key any, reverse bool) error {
	var kf func(any) (any, error)
	if key != nil {
		kf = func(x any) (any, error) { return py.Call(st, key, []any{x}, nil) }
	}
	return sortBy(st, items, kf, reverse)
}

// sortBy is sortItems with a Go key function (nil: the items themselves).
func sortBy(st *py.State, items []any, key func(any) (any, error), reverse bool) error {
	keys := items
	if key != nil {
		keys = make([]any, len(items))
		for i, it := range items {
			k, err := key(it)
			if err != nil {
				return err
			}
			keys[i] = k
		}
	}
	idx := make([]int, len(items))
	for i := range idx {
		idx[i] = i
	}
	if reverse {
		for i, j := 0, len(idx)-1; i < j; i, j = i+1, j-1 {
			idx[i], idx[j] = idx[j], idx[i]
		}
	}
	if err := st.Charge(int64(len(items)) * 4); err != nil {
		return err
	}
	var cmpErr error
	sort.SliceStable(idx, func(a, b int) bool {
		if cmpErr != nil {
			return false
		}
		lt, err := py.Compare("<", keys[idx[a]], keys[idx[b]])
		if err != nil {
			cmpErr = err
			return false
		}
		return lt
	})
	if cmpErr != nil {
		return cmpErr
	}
	if reverse {
		for i, j := 0, len(idx)-1; i < j; i, j = i+1, j-1 {
			idx[i], idx[j] = idx[j], idx[i]
		}
	}
	sorted := make([]any, len(items))
	for i, j := range idx {
		sorted[i] = items[j]
	}
	copy(items, sorted)
	return nil
}

func sortOpts(name string, kw *py.Kwargs) (any, bool, error) {
	opts, err := kwOnly(name, kw, "key", "reverse")
	if err != nil {
		return nil, false, err
	}
	rev := false
	if r, ok := opts["reverse"]; ok {
		if f, isF := r.(float64); isF {
			_ = f
			return nil, false, typeErr("'float' object cannot be interpreted as an integer")
		}
		rev = py.Truth(r)
	}
	return opts["key"], rev, nil
}

func biSorted(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if len(args) != 1 {
		return nil, typeErr("sorted expected 1 argument, got %d", len(args))
	}
	key, rev, err := sortOpts("sorted", kw)
	if err != nil {
		return nil, err
	}
	items, err := iterCopy(st, args[0])
	if err != nil {
		return nil, err
	}
	if err := sortItems(st, items, key, rev); err != nil {
		return nil, err
	}
	return py.NewList(items), nil
}

func biReversed(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if err := noKw("reversed", kw); err != nil {
		return nil, err
	}
	if len(args) != 1 {
		return nil, typeErr("reversed expected 1 argument, got %d", len(args))
	}
	switch args[0].(type) {
	case *py.Set:
		return nil, typeErr("'set' object is not reversible")
	case nil, int64, float64, bool, *big.Int:
		return nil, typeErr("'%s' object is not reversible", tn(args[0]))
	}
	items, err := iterCopy(st, args[0])
	if err != nil {
		return nil, err
	}
	for i, j := 0, len(items)-1; i < j; i, j = i+1, j-1 {
		items[i], items[j] = items[j], items[i]
	}
	return py.NewList(items), nil
}

func biChr(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if err := oneArg("chr", args, kw); err != nil {
		return nil, err
	}
	if isFloat(args[0]) {
		return nil, typeErr("'float' object cannot be interpreted as an integer")
	}
	n, err := indexArg(args[0])
	if err != nil {
		return nil, err
	}
	if b, ok := args[0].(*big.Int); ok && !b.IsInt64() {
		return nil, py.Errorf(py.OverflowError, "Python int too large to convert to C int")
	}
	// chr takes a C int: out of its range is an OverflowError, not a ValueError.
	if n > math.MaxInt32 {
		return nil, py.Errorf(py.OverflowError, "signed integer is greater than maximum")
	}
	if n < math.MinInt32 {
		return nil, py.Errorf(py.OverflowError, "signed integer is less than minimum")
	}
	if n < 0 || n > 0x10ffff {
		return nil, valueErr("chr() arg not in range(0x110000)")
	}
	if n >= 0xd800 && n <= 0xdfff {
		return nil, valueErr("chr(): surrogate code points are not supported")
	}
	return string(rune(n)), nil
}

func biOrd(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if err := oneArg("ord", args, kw); err != nil {
		return nil, err
	}
	s, ok := args[0].(string)
	if !ok {
		return nil, typeErr("ord() expected string of length 1, but %s found", tn(args[0]))
	}
	rs := []rune(s)
	if len(rs) != 1 {
		return nil, typeErr("ord() expected a character, but string of length %d found", len(rs))
	}
	return int64(rs[0]), nil
}

func biDivmod(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if err := noKw("divmod", kw); err != nil {
		return nil, err
	}
	if len(args) != 2 {
		return nil, typeErr("divmod expected 2 arguments, got %d", len(args))
	}
	q, err := py.FloorDiv(st, args[0], args[1])
	if err != nil {
		if pe, ok := err.(*py.Error); ok && pe.Kind == py.TypeError {
			return nil, typeErr("unsupported operand type(s) for divmod(): '%s' and '%s'", tn(args[0]), tn(args[1]))
		}
		return nil, err
	}
	r, err := py.Mod(st, args[0], args[1])
	if err != nil {
		return nil, err
	}
	return py.Tuple{q, r}, nil
}

func biPow(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	a, err := bind("pow", args, kw, []string{"base", "exp", "mod"}, 2)
	if err != nil {
		return nil, err
	}
	if !given(a[2]) || a[2] == nil {
		return py.Pow(st, a[0], a[1])
	}
	if !isIntLike(a[0]) || !isIntLike(a[1]) || !isIntLike(a[2]) {
		return nil, typeErr("pow() 3rd argument not allowed unless all arguments are integers")
	}
	b, e, m := bigOf(a[0]), bigOf(a[1]), bigOf(a[2])
	if m.Sign() == 0 {
		return nil, valueErr("pow() 3rd argument cannot be 0")
	}
	am := new(big.Int).Abs(m)
	if e.Sign() < 0 {
		inv := new(big.Int).ModInverse(new(big.Int).Mod(b, am), am)
		if inv == nil {
			return nil, valueErr("base is not invertible for the given modulus")
		}
		b = inv
		e = new(big.Int).Neg(e)
	}
	r := new(big.Int).Exp(b, e, am)
	// Python's result has the sign of the modulus.
	if m.Sign() < 0 && r.Sign() != 0 {
		r.Add(r, m)
	}
	return py.NormInt(r), nil
}

func intToBase(name string, args []any, kw *py.Kwargs, base int, prefix string) (any, error) {
	if err := oneArg(name, args, kw); err != nil {
		return nil, err
	}
	if !isIntLike(args[0]) {
		return nil, typeErr("'%s' object cannot be interpreted as an integer", tn(args[0]))
	}
	b := bigOf(args[0])
	s := b.Text(base)
	if strings.HasPrefix(s, "-") {
		return "-" + prefix + s[1:], nil
	}
	return prefix + s, nil
}

// biIsinstance is isinstance(obj, classinfo) for the builtin classes (int,
// str, list…) and tuples of them; bool is a subclass of int.
func biIsinstance(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if err := noKw("isinstance", kw); err != nil {
		return nil, err
	}
	if len(args) != 2 {
		return nil, typeErr("isinstance expected 2 arguments, got %d", len(args))
	}
	typ := tn(args[0])
	if _, ok := args[0].(py.Integer); ok {
		typ = "int" // re.RegexFlag is an int subclass
	}
	var match func(ci any, depth int) (bool, error)
	match = func(ci any, depth int) (bool, error) {
		switch c := ci.(type) {
		case *py.Func:
			if tn(c) == "type" {
				return c.Name == typ || (c.Name == "int" && typ == "bool"), nil
			}
		case py.Tuple:
			if depth > 100 {
				return false, py.Errorf(py.LimitError, "isinstance() classinfo nested too deeply")
			}
			for _, x := range c {
				ok, err := match(x, depth+1)
				if ok || err != nil {
					return ok, err
				}
			}
			return false, nil
		}
		return false, typeErr("isinstance() arg 2 must be a type, a tuple of types, or a union")
	}
	return match(args[1], 0)
}

// complexNum is the text of a float in a complex() string: digits with an
// optional fraction and exponent (underscores between digits), inf or nan.
const complexNum = `(?:(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?|inf(?:inity)?|nan)`

var complexText = regexp.MustCompile(`(?i)^(?:([+-]?` + complexNum + `)(?:([+-]` + complexNum + `?)j)?|([+-]?` + complexNum + `?)j)$`)

// biComplex is complex(real=0, imag=0) for numbers and complex(string).
func biComplex(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	a, err := bind("complex", args, kw, []string{"real", "imag"}, 0)
	if err != nil {
		return nil, err
	}
	if s, ok := a[0].(string); ok {
		if given(a[1]) {
			return nil, typeErr("complex() can't take second arg if first is a string")
		}
		return parseComplex(s)
	}
	part := func(v any, name string) (complex128, error) {
		if !given(v) {
			return 0, nil
		}
		switch x := v.(type) {
		case py.Complex:
			return complex128(x), nil
		case string:
			return 0, typeErr("complex() second arg can't be a string")
		}
		f, ok, err := toFloat(v)
		if err != nil {
			return 0, err
		}
		if !ok {
			return 0, typeErr("complex() %s must be a number, not '%s'", name, tn(v))
		}
		return complex(f, 0), nil
	}
	re, err := part(a[0], "first argument")
	if err != nil {
		return nil, err
	}
	im, err := part(a[1], "second argument")
	if err != nil {
		return nil, err
	}
	// complex(a, b) is a + b*1j, with real and imag parts kept apart as CPython.
	return py.Complex(complex(real(re)-imag(im), imag(re)+real(im))), nil
}

// parseComplex is complex(s): "1+2j", "(3-1j)", "2j", "1e3", with spaces
// around.
func parseComplex(s string) (any, error) {
	t := strings.TrimSpace(s)
	if strings.HasPrefix(t, "(") && strings.HasSuffix(t, ")") {
		t = strings.TrimSpace(t[1 : len(t)-1])
	}
	m := complexText.FindStringSubmatch(t)
	if m == nil {
		return nil, valueErr("complex() arg is a malformed string")
	}
	num := func(x string) float64 {
		x = strings.ReplaceAll(x, "_", "")
		switch x {
		case "", "+":
			return 1
		case "-":
			return -1
		}
		sign := 1.0
		if x[0] == '+' || x[0] == '-' {
			if x[0] == '-' {
				sign = -1
			}
			x = x[1:]
		}
		f, _ := strconv.ParseFloat(x, 64) // the pattern admits only valid floats
		return sign * f
	}
	if m[3] != "" || (m[1] == "" && m[2] == "") {
		return py.Complex(complex(0, num(m[3]))), nil
	}
	re := num(m[1])
	if m[2] == "" && !strings.HasSuffix(strings.ToLower(t), "j") {
		return py.Complex(complex(re, 0)), nil
	}
	return py.Complex(complex(re, num(m[2]))), nil
}
