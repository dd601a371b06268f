package pylib

import (
	"encoding/base64"
	"math"
	"math/rand/v2"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/julepkit/julep/engine/internal/py"
)

const (
	asciiLower  = "abcdefghijklmnopqrstuvwxyz"
	asciiUpper  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
	whitespace  = " \t\n\r\x0b\x0c"
)

// maxRandomPopulation is Julep's limit for random.choice and random.sample.
const maxRandomPopulation = 10_000

func notImplemented(name, why string) *py.Func { return fn(name, notImplementedFunc(name, why)) }

// notImplementedFunc is the function of notImplemented.
func notImplementedFunc(name, why string) builtinFunc {
	return func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
		return nil, py.Errorf(py.NotImplementedError, "%s() is not available: %s", name, why)
	}
}

// b64Arg is the one str argument s of base64.<name>, within the helper input
// limit.
func b64Arg(name string, args []any, kw *py.Kwargs) (string, error) {
	a, err := bind(name, args, kw, []string{"s"}, 1)
	if err != nil {
		return "", err
	}
	s, ok := a[0].(string)
	if !ok {
		return "", typeErr("%s() argument must be str, not %s", name, tn(a[0]))
	}
	if err := checkHelperInput("base64."+name, s); err != nil {
		return "", err
	}
	return s, nil
}

// stringModule is the string module (constants only).
func stringModule() *py.Module {
	return newModule("string", nil, map[string]any{
		"ascii_letters":   asciiLower + asciiUpper,
		"ascii_lowercase": asciiLower,
		"ascii_uppercase": asciiUpper,
		"digits":          "0123456789",
		"hexdigits":       "0123456789abcdefABCDEF",
		"octdigits":       "01234567",
		"punctuation":     punctuation,
		"whitespace":      whitespace,
		"printable":       "0123456789" + asciiLower + asciiUpper + punctuation + whitespace,
	})
}

// base64Module is the base64 module (str in, str out).
func base64Module() *py.Module {
	return newModule("base64", map[string]builtinFunc{
		"b64encode":         base64Encoder("b64encode", base64.StdEncoding),
		"urlsafe_b64encode": base64Encoder("urlsafe_b64encode", base64.URLEncoding),
		"b64decode":         base64Decoder("b64decode", false),
		"urlsafe_b64decode": base64Decoder("urlsafe_b64decode", true),
	}, nil)
}

// randomModule is the random module.
func randomModule() *py.Module {
	return newModule("random", map[string]builtinFunc{
		"random":  randomRandom,
		"uniform": randomUniform,
		"randint": randomRandint,
		"choice":  randomChoice,
		"sample":  randomSample,
		"shuffle": randomShuffle,
	}, nil)
}

// timeModule is the time module.
func timeModule() *py.Module {
	return newModule("time", map[string]builtinFunc{
		"time":     timeTime,
		"strftime": timeStrftime,
		"strptime": timeStrptime,
	}, map[string]any{
		"sleep": notImplemented("time.sleep", "expressions may not wait; use a sleep step"),
	})
}

func randomRandom(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if err := nargs("random", args, 0, 0); err != nil {
		return nil, err
	}
	return rand.Float64(), nil
}

func randomUniform(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	a, err := bind("uniform", args, kw, []string{"a", "b"}, 2)
	if err != nil {
		return nil, err
	}
	lo, err := realArg(a[0])
	if err != nil {
		return nil, err
	}
	hi, err := realArg(a[1])
	if err != nil {
		return nil, err
	}
	return lo + (hi-lo)*rand.Float64(), nil
}

func randomRandint(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	a, err := bind("randint", args, kw, []string{"a", "b"}, 2)
	if err != nil {
		return nil, err
	}
	lo, err := indexArg(a[0])
	if err != nil {
		return nil, err
	}
	hi, err := indexArg(a[1])
	if err != nil {
		return nil, err
	}
	if hi < lo {
		return nil, valueErr("empty range in randrange(%d, %d)", lo, hi+1)
	}
	span := uint64(hi-lo) + 1
	if span == 0 {
		return int64(rand.Uint64()), nil
	}
	return lo + int64(rand.Uint64N(span)), nil
}

func randomChoice(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	a, err := bind("choice", args, kw, []string{"seq"}, 1)
	if err != nil {
		return nil, err
	}
	items, err := population(st, a[0])
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, py.Errorf(py.IndexError, "Cannot choose from an empty sequence")
	}
	return items[rand.IntN(len(items))], nil
}

func randomSample(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	a, err := bind("sample", args, kw, []string{"population", "k"}, 2)
	if err != nil {
		return nil, err
	}
	items, err := population(st, a[0])
	if err != nil {
		return nil, err
	}
	k, err := indexArg(a[1])
	if err != nil {
		return nil, err
	}
	if k < 0 || k > int64(len(items)) {
		return nil, valueErr("Sample larger than population or is negative")
	}
	perm := rand.Perm(len(items))
	out := make([]any, k)
	for i := range out {
		out[i] = items[perm[i]]
	}
	return py.NewList(out), nil
}

func randomShuffle(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if err := oneArg("shuffle", args, kw); err != nil {
		return nil, err
	}
	l, ok := args[0].(*py.List)
	if !ok {
		return nil, typeErr("'%s' object does not support item assignment", tn(args[0]))
	}
	rand.Shuffle(len(l.Items), func(i, j int) { l.Items[i], l.Items[j] = l.Items[j], l.Items[i] })
	return nil, nil
}

func timeTime(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if err := nargs("time", args, 0, 0); err != nil {
		return nil, err
	}
	return float64(time.Now().UnixNano()) / 1e9, nil
}

func searchRegex(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	a, err := bind("search_regex", args, kw, []string{"pattern", "string"}, 2)
	if err != nil {
		return nil, err
	}
	p, s, err := patAndString(a[0], a[1], py.Missing)
	if err != nil {
		return nil, err
	}
	return p.matchKind(st, "search", s)
}

func matchRegex(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	a, err := bind("match_regex", args, kw, []string{"pattern", "string"}, 2)
	if err != nil {
		return nil, err
	}
	p, s, err := patAndString(a[0], a[1], py.Missing)
	if err != nil {
		return nil, err
	}
	m, err := p.matchKind(st, "fullmatch", s)
	if err != nil {
		return nil, err
	}
	return m != nil, nil
}

// base64Decoder returns base64.b64decode or urlsafe_b64decode.
func base64Decoder(name string, urlsafe bool) builtinFunc {
	return func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
		s, err := b64Arg(name, args, kw)
		if err != nil {
			return nil, err
		}
		out, err := b64Decode(s, urlsafe)
		if err != nil {
			return nil, err
		}
		return out, nil
	}
}

// base64Encoder returns base64.b64encode or urlsafe_b64encode (encoding e).
func base64Encoder(name string, e *base64.Encoding) builtinFunc {
	return func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
		s, err := b64Arg(name, args, kw)
		if err != nil {
			return nil, err
		}
		if err := newStr(st, e.EncodedLen(len(s))); err != nil {
			return nil, err
		}
		return e.EncodeToString([]byte(s)), nil
	}
}

// population reads a sequence for random.choice/sample (Julep: list, tuple or
// str of at most 10,000 items).
func population(st *py.State, v any) ([]any, error) {
	switch v.(type) {
	case *py.List, py.Tuple, string:
	default:
		return nil, typeErr("Expected a sequence (list, tuple, or string)")
	}
	items, err := py.Iterate(st, v)
	if err != nil {
		return nil, err
	}
	if len(items) > maxRandomPopulation {
		return nil, py.Errorf(py.LimitError, "population of %d items exceeds the limit of %d", len(items), maxRandomPopulation)
	}
	return items, nil
}

// b64Decode decodes like base64.b64decode(s).decode("utf-8") with
// validate=False: characters outside the alphabet are discarded first.
func b64Decode(s string, urlsafe bool) (string, error) {
	var clean strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if urlsafe {
			switch c {
			case '-':
				c = '+'
			case '_':
				c = '/'
			}
		}
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=' {
			clean.WriteByte(c)
		}
	}
	t := clean.String()
	// Data after the first complete padding is ignored by binascii only
	// when it is padding; keep the common cases exact.
	if i := strings.IndexByte(t, '='); i >= 0 {
		body := t[:i]
		pad := len(t) - i
		if strings.Trim(t[i:], "=") != "" {
			t = strings.ReplaceAll(t, "=", "")
		} else {
			need := (4 - len(body)%4) % 4
			if len(body)%4 == 1 {
				return "", valueErr("Invalid base64 string: Invalid base64-encoded string: number of data characters (%d) cannot be 1 more than a multiple of 4", len(body))
			}
			if pad < need {
				return "", valueErr("Invalid base64 string: Incorrect padding")
			}
			t = body
		}
	}
	if len(t)%4 == 1 {
		return "", valueErr("Invalid base64 string: Invalid base64-encoded string: number of data characters (%d) cannot be 1 more than a multiple of 4", len(t))
	}
	if len(t)%4 != 0 && !strings.Contains(clean.String(), "=") {
		return "", valueErr("Invalid base64 string: Incorrect padding")
	}
	raw, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(t, "="))
	if err != nil {
		return "", valueErr("Invalid base64 string: %v", err)
	}
	if !utf8.Valid(raw) {
		for i := 0; i < len(raw); {
			r, w := utf8.DecodeRune(raw[i:])
			if r == utf8.RuneError && w <= 1 {
				return "", valueErr("Invalid base64 string: 'utf-8' codec can't decode byte 0x%02x in position %d: invalid start byte", raw[i], i)
			}
			i += w
		}
	}
	return string(raw), nil
}

// timeStrftime is time.strftime(format) for the current time in UTC (the
// process's local time zone is not consulted).
func timeStrftime(st *py.State, args []any, kw *py.Kwargs) (any, error) {
	if err := noKw("strftime", kw); err != nil {
		return nil, err
	}
	if err := nargs("strftime", args, 1, 2); err != nil {
		return nil, err
	}
	f, ok := args[0].(string)
	if !ok {
		return nil, typeErr("strftime() argument 1 must be str, not %s", tn(args[0]))
	}
	if len(args) == 2 {
		d, err := timeTupleArg(args[1])
		if err != nil {
			return nil, err
		}
		return strftime(f, d, false)
	}
	now := time.Now().UTC()
	return strftime(f, &Datetime{T: now, Aware: false}, false)
}

var _ = math.Inf
