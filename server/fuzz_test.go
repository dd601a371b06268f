package server

import (
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"
)

// FuzzDecode feeds arbitrary bodies and queries to the request decoders.
// Oracle: each either succeeds or returns an *apiError with a 4xx status,
// and no error message contains the body's value (when the value appears
// nowhere else in the body, e.g. as a name or a key).
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"name":"a","value":"secret-value"}`,
		`{"name":"a","value":"secret-value","description":"d","metadata":{"k":[1,{"x":null}]}}`,
		`{"name":"a b","value":"v"}`, `{"name":`, `[]`, `null`, `{"value":"\ud800"}`,
		`{"names":["a","b"]}`, `{"metadata":"x"}`, `{"name":"a"} trailing`,
	} {
		f.Add([]byte(s), "limit=1&offset=2&metadata_filter=%7B%7D")
	}
	f.Add([]byte(`{}`), "metadata_filter.k=v&metadata_filter%5Bx%5D=1")
	f.Fuzz(func(t *testing.T, body []byte, rawQuery string) {
		var probe struct {
			Value any `json:"value"`
		}
		_ = json.Unmarshal(body, &probe)
		value, _ := probe.Value.(string)
		check := func(what string, err error) {
			if err == nil {
				return
			}
			var ae *apiError
			if !errors.As(err, &ae) {
				t.Fatalf("%s: error of type %T, want *apiError", what, err)
			}
			if st := ae.Status(); st < 400 || st >= 500 {
				t.Fatalf("%s: status %d for client input", what, st)
			}
			if len(value) >= 8 && strings.Count(string(body), value) == 1 && strings.Contains(ae.msg, value) {
				t.Fatalf("%s: the error message contains the value", what)
			}
		}
		_, err := DecodeCreate(body)
		check("create", err)
		_, err = DecodeUpdate(body, true)
		check("put", err)
		_, err = DecodeUpdate(body, false)
		check("patch", err)
		_, err = DecodeResolve(body)
		check("resolve", err)
		if q, perr := url.ParseQuery(rawQuery); perr == nil {
			_, err = ListQuery(q)
			check("list", err)
		}
	})
}
