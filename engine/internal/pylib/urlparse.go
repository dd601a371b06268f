package pylib

import (
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/julepkit/julep/engine/internal/py"
)

// URLResult is urllib.parse's ParseResult (Params used) or SplitResult: a
// named tuple of strings.
type URLResult struct {
	Kind                                          string // "ParseResult" or "SplitResult"
	Scheme, Netloc, Path, Params, Query, Fragment string
}

func (u *URLResult) fields() []string {
	if u.Kind == "ParseResult" {
		return []string{"scheme", "netloc", "path", "params", "query", "fragment"}
	}
	return []string{"scheme", "netloc", "path", "query", "fragment"}
}

func (u *URLResult) values() []any {
	if u.Kind == "ParseResult" {
		return []any{u.Scheme, u.Netloc, u.Path, u.Params, u.Query, u.Fragment}
	}
	return []any{u.Scheme, u.Netloc, u.Path, u.Query, u.Fragment}
}

// TypeName returns "ParseResult" or "SplitResult".
func (u *URLResult) TypeName() string { return u.Kind }

// Repr returns e.g. "ParseResult(scheme='https', netloc='a.example', …)".
func (u *URLResult) Repr() string {
	var parts []string
	for i, f := range u.fields() {
		parts = append(parts, f+"="+pyQuote(u.values()[i].(string)))
	}
	return u.Kind + "(" + strings.Join(parts, ", ") + ")"
}

// Len returns the number of fields.
func (u *URLResult) Len() int { return len(u.fields()) }

// Iter returns the fields.
func (u *URLResult) Iter(st *py.State) ([]any, error) { return u.values(), nil }

// GetItem indexes the tuple.
func (u *URLResult) GetItem(st *py.State, key any) (any, error) {
	return py.GetItem(st, py.Tuple(u.values()), key)
}

// Equal compares as a tuple.
func (u *URLResult) Equal(other any) bool {
	switch o := other.(type) {
	case *URLResult:
		return py.Equal(py.Tuple(u.values()), py.Tuple(o.values()))
	case py.Tuple:
		return py.Equal(py.Tuple(u.values()), o)
	}
	return false
}

// HashKey hashes as a tuple.
func (u *URLResult) HashKey() (any, error) { return py.HashKey(py.Tuple(u.values())) }

// GetAttr exposes the fields and username, password, hostname, port.
func (u *URLResult) GetAttr(st *py.State, name string) (any, bool, error) {
	for i, f := range u.fields() {
		if f == name {
			return u.values()[i], true, nil
		}
	}
	userinfo, hostport, hasUser := "", u.Netloc, false
	if i := strings.LastIndexByte(u.Netloc, '@'); i >= 0 {
		userinfo, hostport, hasUser = u.Netloc[:i], u.Netloc[i+1:], true
	}
	switch name {
	case "username", "password":
		if !hasUser {
			return nil, true, nil
		}
		user, pass, hasPass := strings.Cut(userinfo, ":")
		if name == "username" {
			return user, true, nil
		}
		if !hasPass {
			return nil, true, nil
		}
		return pass, true, nil
	case "hostname":
		host, _ := hostInfo(hostport)
		if host == "" {
			return nil, true, nil
		}
		if i := strings.IndexByte(host, '%'); i >= 0 {
			return strings.ToLower(host[:i]) + host[i:], true, nil
		}
		return strings.ToLower(host), true, nil
	case "port":
		_, port := hostInfo(hostport)
		if port == "" {
			return nil, true, nil
		}
		if !isASCII(port) || !isDigits(port) {
			return nil, true, valueErr("Port could not be cast to integer value as %s", pyQuote(port))
		}
		n, err := strconv.Atoi(port)
		if err != nil || n > 65535 {
			return nil, true, valueErr("Port out of range 0-65535")
		}
		return int64(n), true, nil
	}
	return nil, false, nil
}

// hostInfo splits the host part of a netloc (after any userinfo) as
// CPython's _hostinfo: after a '[', the host runs to the next ']' and the
// port follows the first ':' after it; otherwise the first ':' separates
// them.
func hostInfo(hostport string) (host, port string) {
	if _, bracketed, ok := strings.Cut(hostport, "["); ok {
		host, rest, _ := strings.Cut(bracketed, "]")
		_, port, _ = strings.Cut(rest, ":")
		return host, port
	}
	host, port, _ = strings.Cut(hostport, ":")
	return host, port
}

func (u *URLResult) geturl() string {
	url := u.Path
	if u.Kind == "ParseResult" && u.Params != "" {
		url += ";" + u.Params
	}
	if u.Netloc != "" || u.Scheme != "" && usesNetloc[u.Scheme] && (url == "" || url[0] == '/') {
		if url != "" && url[0] != '/' {
			url = "/" + url
		}
		url = "//" + u.Netloc + url
	}
	if u.Scheme != "" {
		url = u.Scheme + ":" + url
	}
	if u.Query != "" {
		url += "?" + u.Query
	}
	if u.Fragment != "" {
		url += "#" + u.Fragment
	}
	return url
}

var usesNetloc = map[string]bool{"": true, "ftp": true, "http": true, "gopher": true, "nntp": true, "telnet": true, "imap": true, "wais": true, "file": true, "mms": true, "https": true, "shttp": true, "snews": true, "prospero": true, "rtsp": true, "rtsps": true, "rtspu": true, "rsync": true, "svn": true, "svn+ssh": true, "sftp": true, "nfs": true, "git": true, "git+ssh": true, "ws": true, "wss": true, "itms-services": true}

var usesParams = map[string]bool{"": true, "ftp": true, "hdl": true, "prospero": true, "http": true, "imap": true, "https": true, "shttp": true, "rtsp": true, "rtsps": true, "rtspu": true, "sip": true, "sips": true, "mms": true, "sftp": true, "tel": true}

const schemeChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-."

// urlsplit is urllib.parse.urlsplit (CPython 3.12).
func urlsplit(url, scheme string, allowFragments bool) (*URLResult, error) {
	url = strings.TrimLeftFunc(url, func(r rune) bool { return r <= 0x20 })
	scheme = strings.TrimFunc(scheme, func(r rune) bool { return r <= 0x20 })
	for _, c := range []string{"\t", "\r", "\n"} {
		url = strings.ReplaceAll(url, c, "")
		scheme = strings.ReplaceAll(scheme, c, "")
	}
	var netloc, query, fragment string
	if i := strings.IndexByte(url, ':'); i > 0 && isAlphaR(rune(url[0])) && url[0] < 0x80 {
		ok := true
		for _, c := range url[:i] {
			if !strings.ContainsRune(schemeChars, c) {
				ok = false
				break
			}
		}
		if ok {
			scheme, url = strings.ToLower(url[:i]), url[i+1:]
		}
	}
	if strings.HasPrefix(url, "//") {
		delim := len(url)
		for _, c := range "/?#" {
			if w := strings.IndexRune(url[2:], c); w >= 0 && w+2 < delim {
				delim = w + 2
			}
		}
		netloc, url = url[2:delim], url[delim:]
		ob, cb := strings.Contains(netloc, "["), strings.Contains(netloc, "]")
		if ob != cb {
			return nil, valueErr("Invalid IPv6 URL")
		}
		if ob {
			_, rest, _ := strings.Cut(netloc, "[")
			host, _, _ := strings.Cut(rest, "]")
			if err := checkBracketedHost(host); err != nil {
				return nil, err
			}
		}
	}
	if allowFragments {
		if i := strings.IndexByte(url, '#'); i >= 0 {
			url, fragment = url[:i], url[i+1:]
		}
	}
	if i := strings.IndexByte(url, '?'); i >= 0 {
		url, query = url[:i], url[i+1:]
	}
	if err := checkNetloc(netloc); err != nil {
		return nil, err
	}
	return &URLResult{Kind: "SplitResult", Scheme: scheme, Netloc: netloc, Path: url, Query: query, Fragment: fragment}, nil
}

// checkBracketedHost is CPython's _check_bracketed_host: the host between
// brackets must be an IPv6 address or an IPvFuture ("v1.x").
func checkBracketedHost(host string) error {
	if strings.HasPrefix(host, "v") {
		if !ipvFuture.MatchString(host) {
			return valueErr("IPvFuture address is invalid")
		}
		return nil
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return valueErr("%s does not appear to be an IPv4 or IPv6 address", py.ShortRepr(host))
	}
	if ip.Is4() {
		return valueErr("An IPv4 address cannot be in brackets")
	}
	return nil
}

var ipvFuture = regexp.MustCompile(`\Av[a-fA-F0-9]+\.(?s:.+)\z`)

// checkNetloc is CPython's _checknetloc: a non-ASCII netloc must not gain
// URL separators under NFKC normalization (U+2100 becomes "a/c"), which
// would change how it splits once an IDNA host is encoded.
func checkNetloc(netloc string) error {
	if isASCII(netloc) {
		return nil
	}
	n := strings.NewReplacer("@", "", ":", "", "#", "", "?", "").Replace(netloc)
	n2 := norm.NFKC.String(n)
	if n == n2 {
		return nil
	}
	if strings.ContainsAny(n2, "/?#@:") {
		return valueErr("netloc %s contains invalid characters under NFKC normalization", py.ShortRepr(netloc))
	}
	return nil
}

func urlparse(url, scheme string, allowFragments bool) (*URLResult, error) {
	r, err := urlsplit(url, scheme, allowFragments)
	if err != nil {
		return nil, err
	}
	r.Kind = "ParseResult"
	if usesParams[r.Scheme] && strings.Contains(r.Path, ";") {
		p := r.Path
		var i int
		if strings.Contains(p, "/") {
			i = strings.IndexByte(p[strings.LastIndexByte(p, '/'):], ';')
			if i >= 0 {
				i += strings.LastIndexByte(p, '/')
			}
		} else {
			i = strings.IndexByte(p, ';')
		}
		if i >= 0 {
			r.Path, r.Params = p[:i], p[i+1:]
		}
	}
	return r, nil
}

const alwaysSafe = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~"

// quote is urllib.parse.quote (UTF-8).
func quote(s, safe string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x80 && (strings.IndexByte(alwaysSafe, c) >= 0 || strings.IndexByte(safe, c) >= 0) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func quotePlus(s, safe string) string {
	if strings.Contains(s, " ") {
		return strings.ReplaceAll(quote(s, safe+" "), " ", "+")
	}
	return quote(s, safe)
}

// unquote is urllib.parse.unquote (UTF-8, errors='replace').
func unquote(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var raw []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(rune(s[i+1])) && isHex(rune(s[i+2])) {
			v, _ := strconv.ParseUint(s[i+1:i+3], 16, 8)
			raw = append(raw, byte(v))
			i += 2
			continue
		}
		raw = append(raw, s[i])
	}
	return decodeUTF8Replace(raw)
}

// decodeUTF8Replace is bytes.decode("utf-8", "replace").
func decodeUTF8Replace(raw []byte) string {
	if utf8.Valid(raw) {
		return string(raw)
	}
	var b strings.Builder
	for len(raw) > 0 {
		r, w := utf8.DecodeRune(raw)
		if r == utf8.RuneError && w <= 1 {
			b.WriteRune(0xfffd)
			// CPython replaces each maximal invalid subsequence; Go's
			// decoder advances one byte at a time, which matches for the
			// common cases (stray bytes, truncated sequences may differ).
			raw = raw[1:]
			continue
		}
		b.WriteRune(r)
		raw = raw[w:]
	}
	return b.String()
}

func parseQSL(qs string, keepBlank, strict bool, sep string) ([]py.Tuple, error) {
	var out []py.Tuple
	for _, nv := range strings.Split(qs, sep) {
		if nv == "" && !strict {
			continue
		}
		name, value, ok := strings.Cut(nv, "=")
		if !ok {
			if strict {
				return nil, valueErr("bad query field: %s", pyQuote(nv))
			}
			if !keepBlank {
				continue
			}
		}
		if value != "" || keepBlank {
			out = append(out, py.Tuple{unquote(strings.ReplaceAll(name, "+", " ")), unquote(strings.ReplaceAll(value, "+", " "))})
		}
	}
	return out, nil
}

func addUrlparse(lib *py.Library) {
	m := &py.Module{Name: "urllib.parse", Attrs: map[string]any{}}
	add := func(name string, f func(st *py.State, args []any, kw *py.Kwargs) (any, error)) *py.Func {
		fnv := fn("urllib.parse."+name, f)
		m.Attrs[name] = fnv
		return fnv
	}
	parser := func(name string, p func(string, string, bool) (*URLResult, error)) {
		add(name, func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
			a, err := bind(name, args, kw, []string{"url", "scheme", "allow_fragments"}, 1)
			if err != nil {
				return nil, err
			}
			u, ok := a[0].(string)
			if !ok {
				return nil, typeErr("Cannot mix str and non-str arguments")
			}
			scheme := ""
			if given(a[1]) {
				if scheme, ok = a[1].(string); !ok {
					return nil, typeErr("Cannot mix str and non-str arguments")
				}
			}
			allow := !given(a[2]) || py.Truth(a[2])
			return p(u, scheme, allow)
		})
	}
	parser("urlparse", urlparse)
	parser("urlsplit", urlsplit)
	for _, kind := range []string{"ParseResult", "SplitResult"} {
		addMethod(lib, kind, "geturl", func(st *py.State, recv any, args []any, kw *py.Kwargs) (any, error) {
			u, ok := recv.(*URLResult)
			if !ok {
				return nil, typeErr("geturl() requires a URL result")
			}
			return u.geturl(), nil
		})
	}
	quoteFn := func(name string, plus bool) *py.Func {
		return add(name, func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
			a, err := bind(name, args, kw, []string{"string", "safe", "encoding", "errors"}, 1)
			if err != nil {
				return nil, err
			}
			s, ok := a[0].(string)
			if !ok {
				return nil, typeErr("quote() doesn't support '%s' objects", tn(a[0]))
			}
			safe := "/"
			if plus {
				safe = ""
			}
			if given(a[1]) {
				if safe, ok = a[1].(string); !ok {
					return nil, typeErr("quote() doesn't support '%s' objects", tn(a[1]))
				}
			}
			if err := newStr(st, len(s)*3); err != nil {
				return nil, err
			}
			if plus {
				return quotePlus(s, safe), nil
			}
			return quote(s, safe), nil
		})
	}
	quoteF := quoteFn("quote", false)
	quotePlusF := quoteFn("quote_plus", true)
	unq := func(name string, plus bool) {
		add(name, func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
			a, err := bind(name, args, kw, []string{"string", "encoding", "errors"}, 1)
			if err != nil {
				return nil, err
			}
			s, ok := a[0].(string)
			if !ok {
				return nil, typeErr("Expected str, got %s", tn(a[0]))
			}
			if plus {
				s = strings.ReplaceAll(s, "+", " ")
			}
			return unquote(s), nil
		})
	}
	unq("unquote", false)
	unq("unquote_plus", true)
	qsl := func(name string, asDict bool) {
		add(name, func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
			a, err := bind(name, args, kw, []string{"qs", "keep_blank_values", "strict_parsing", "encoding", "errors", "max_num_fields", "separator"}, 1)
			if err != nil {
				return nil, err
			}
			qs, ok := a[0].(string)
			if !ok {
				if a[0] == nil {
					qs = ""
				} else {
					return nil, typeErr("Cannot mix str and non-str arguments")
				}
			}
			sep := "&"
			if given(a[6]) {
				s, ok := a[6].(string)
				if !ok || s == "" {
					return nil, valueErr("Separator must be of type string or bytes.")
				}
				sep = s
			}
			if given(a[5]) && a[5] != nil {
				maxN, err := indexArg(a[5])
				if err != nil {
					return nil, err
				}
				if int64(strings.Count(qs, sep)+1) > maxN {
					return nil, valueErr("Max number of fields exceeded")
				}
			}
			pairs, err := parseQSL(qs, given(a[1]) && py.Truth(a[1]), given(a[2]) && py.Truth(a[2]), sep)
			if err != nil {
				return nil, err
			}
			if err := newColl(st, len(pairs)); err != nil {
				return nil, err
			}
			if !asDict {
				out := make([]any, len(pairs))
				for i, p := range pairs {
					out[i] = p
				}
				return py.NewList(out), nil
			}
			d := py.NewDict(0)
			for _, p := range pairs {
				k := p[0].(string)
				if cur, ok := d.GetStr(k); ok {
					l := cur.(*py.List)
					l.Items = append(l.Items, p[1])
				} else {
					d.SetStr(k, py.NewList([]any{p[1]}))
				}
			}
			return d, nil
		})
	}
	qsl("parse_qs", true)
	qsl("parse_qsl", false)
	add("urlencode", func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
		a, err := bind("urlencode", args, kw, []string{"query", "doseq", "safe", "encoding", "errors", "quote_via"}, 1)
		if err != nil {
			return nil, err
		}
		doseq := given(a[1]) && py.Truth(a[1])
		safe := ""
		if given(a[2]) {
			s, ok := a[2].(string)
			if !ok {
				return nil, typeErr("quote() doesn't support '%s' objects", tn(a[2]))
			}
			safe = s
		}
		via := func(s string) (string, error) { return quotePlus(s, safe), nil }
		if given(a[5]) {
			switch a[5] {
			case quotePlusF:
			case quoteF:
				via = func(s string) (string, error) { return quote(s, safe), nil }
			default:
				qv := a[5]
				via = func(s string) (string, error) {
					v, err := py.Call(st, qv, []any{s, safe}, nil)
					if err != nil {
						return "", err
					}
					vs, ok := v.(string)
					if !ok {
						return "", typeErr("quote_via must return str, not %s", tn(v))
					}
					return vs, nil
				}
			}
		}
		var pairs [][2]any
		switch q := a[0].(type) {
		case *py.Dict:
			for _, it := range q.Items() {
				pairs = append(pairs, [2]any{it[0], it[1]})
			}
		default:
			items, err := py.Iterate(st, q)
			if err != nil || isStrLike(q) {
				return nil, typeErr("not a valid non-string sequence or mapping object")
			}
			for _, it := range items {
				pi, err := py.Iterate(st, it)
				if err != nil || len(pi) != 2 {
					return nil, typeErr("not a valid non-string sequence or mapping object")
				}
				pairs = append(pairs, [2]any{pi[0], pi[1]})
			}
		}
		enc := func(v any) (string, error) {
			if s, ok := v.(string); ok {
				return via(s)
			}
			s, err := py.ToStr(st, v)
			if err != nil {
				return "", err
			}
			return via(s)
		}
		var parts []string
		for _, p := range pairs {
			k, err := enc(p[0])
			if err != nil {
				return nil, err
			}
			if !doseq {
				v, err := enc(p[1])
				if err != nil {
					return nil, err
				}
				parts = append(parts, k+"="+v)
				continue
			}
			switch v := p[1].(type) {
			case string:
				ev, err := via(v)
				if err != nil {
					return nil, err
				}
				parts = append(parts, k+"="+ev)
			case *py.List, py.Tuple, *py.Set, *py.Dict:
				items, err := py.Iterate(st, v)
				if err != nil {
					return nil, err
				}
				for _, el := range items {
					ev, err := enc(el)
					if err != nil {
						return nil, err
					}
					parts = append(parts, k+"="+ev)
				}
			default:
				ev, err := enc(v)
				if err != nil {
					return nil, err
				}
				parts = append(parts, k+"="+ev)
			}
		}
		out := strings.Join(parts, "&")
		return out, newStr(st, len(out))
	})
	add("urlunparse", func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
		return urlUnparts("urlunparse", st, args, kw, 6)
	})
	add("urlunsplit", func(st *py.State, args []any, kw *py.Kwargs) (any, error) {
		return urlUnparts("urlunsplit", st, args, kw, 5)
	})
	addModule(lib, m)
	// "urllib" itself, so that urllib.parse.quote resolves attribute by attribute.
	addModule(lib, &py.Module{Name: "urllib", Attrs: map[string]any{"parse": m}})
}

func isStrLike(v any) bool { _, ok := v.(string); return ok }

func urlUnparts(name string, st *py.State, args []any, kw *py.Kwargs, n int) (any, error) {
	if err := oneArg(name, args, kw); err != nil {
		return nil, err
	}
	items, err := py.Iterate(st, args[0])
	if err != nil {
		return nil, err
	}
	if len(items) != n {
		return nil, valueErr("not enough values to unpack (expected %d, got %d)", n, len(items))
	}
	s := make([]string, n)
	for i, it := range items {
		if it == nil {
			continue
		}
		v, ok := it.(string)
		if !ok {
			return nil, typeErr("Cannot mix str and non-str arguments")
		}
		s[i] = v
	}
	u := &URLResult{Kind: "SplitResult", Scheme: s[0], Netloc: s[1], Path: s[2]}
	if n == 6 {
		u.Kind, u.Params, u.Query, u.Fragment = "ParseResult", s[3], s[4], s[5]
	} else {
		u.Query, u.Fragment = s[3], s[4]
	}
	return u.geturl(), nil
}
