package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/apikeys"
	"github.com/julepkit/julep/internal/restapi"
	"github.com/julepkit/julep/redact"
	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/memory"
	"github.com/julepkit/julep/server"
)

// env is a server over a memory store with two developers' keys.
type env struct {
	t          *testing.T
	url        string
	keys       *apikeys.Memory
	keyA, keyB string
	logs       *bytes.Buffer
}

func newEnv(t *testing.T) *env {
	t.Helper()
	master, err := secrets.ParseMasterKey(secrets.GenerateMasterKey(), "test")
	require.NoError(t, err)
	st, err := memory.New(master)
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	keys := apikeys.NewMemory()
	ka, _, err := apikeys.Create(context.Background(), keys, "dev-a", time.Now())
	require.NoError(t, err)
	kb, _, err := apikeys.Create(context.Background(), keys, "dev-b", time.Now())
	require.NoError(t, err)
	logs := &bytes.Buffer{}
	rd := redact.New()
	log := slog.New(rd.Handler(slog.NewJSONHandler(&lockedWriter{w: logs}, nil)))
	srv, err := server.New(server.Config{Store: st, Keys: keys, Logger: log, Limits: server.Limits{MaxBodyBytes: 256 << 10}})
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &env{t: t, url: ts.URL, keys: keys, keyA: ka, keyB: kb, logs: logs}
}

type lockedWriter struct{ w *bytes.Buffer }

func (l *lockedWriter) Write(p []byte) (int, error) { return l.w.Write(p) }

// do sends a request and returns the status and body.
func (e *env) do(method, path, key, ctype, body string) (int, []byte) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.url+path, strings.NewReader(body))
	require.NoError(e.t, err)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(e.t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(e.t, err)
	return res.StatusCode, b
}

func (e *env) json(method, path, key, body string) (int, []byte) {
	return e.do(method, path, key, "application/json", body)
}

func decodeErr(t *testing.T, b []byte) restapi.ErrorDetail {
	t.Helper()
	var eb restapi.ErrorBody
	require.NoError(t, json.Unmarshal(b, &eb), "error body is JSON: %s", b)
	require.NotEmpty(t, eb.Error.Code, "error body has a code: %s", b)
	require.NotEmpty(t, eb.Error.Message, "error body has a message: %s", b)
	return eb.Error
}

func TestCRUD(t *testing.T) {
	e := newEnv(t)
	st, b := e.json("POST", "/secrets", e.keyA, `{"name":"api_token","value":"tok-value-1234","description":"d","metadata":{"env":"prod"}}`)
	require.Equal(t, 201, st, "%s", b)
	var created secrets.Secret
	require.NoError(t, json.Unmarshal(b, &created))
	assert.Equal(t, "api_token", created.Name)
	assert.Equal(t, 1, created.Version)
	assert.NotEmpty(t, created.ID)

	for _, path := range []string{"/secrets/api_token", "/secrets/" + created.ID} {
		st, b = e.json("GET", path, e.keyA, "")
		require.Equal(t, 200, st, "%s", b)
		var got secrets.Secret
		require.NoError(t, json.Unmarshal(b, &got))
		assert.True(t, got.Value == "tok-value-1234", "GET %s returns the value", path)
	}

	st, b = e.json("GET", "/secrets", e.keyA, "")
	require.Equal(t, 200, st)
	var items []secrets.Secret
	require.NoError(t, json.Unmarshal(b, &items))
	require.Len(t, items, 1)
	assert.Equal(t, "ENCRYPTED", items[0].Value)

	st, b = e.json("PUT", "/secrets/"+created.ID, e.keyA, `{"name":"api_token2","value":"tok-value-5678"}`)
	require.Equal(t, 200, st, "%s", b)
	var upd secrets.Secret
	require.NoError(t, json.Unmarshal(b, &upd))
	assert.Equal(t, "api_token2", upd.Name)
	assert.Equal(t, 2, upd.Version)
	assert.Equal(t, "d", upd.Description, "PUT keeps an absent description")
	assert.Equal(t, map[string]any{"env": "prod"}, upd.Metadata)

	st, b = e.json("PATCH", "/secrets/api_token2?metadata=merge", e.keyA, `{"metadata":{"owner":"ml"}}`)
	require.Equal(t, 200, st, "%s", b)
	require.NoError(t, json.Unmarshal(b, &upd))
	assert.Equal(t, map[string]any{"env": "prod", "owner": "ml"}, upd.Metadata)
	st, b = e.json("PATCH", "/secrets/api_token2", e.keyA, `{"metadata":{"owner":"ml"},"description":null}`)
	require.Equal(t, 200, st, "%s", b)
	upd = secrets.Secret{} // Unmarshal would merge into the old map
	require.NoError(t, json.Unmarshal(b, &upd))
	assert.Equal(t, map[string]any{"owner": "ml"}, upd.Metadata)
	assert.Equal(t, 2, upd.Version)

	st, b = e.json("DELETE", "/secrets/"+created.ID, e.keyA, "")
	require.Equal(t, 200, st, "%s", b)
	var del restapi.DeleteResponse
	require.NoError(t, json.Unmarshal(b, &del))
	assert.Equal(t, created.ID, del.ID)
	assert.False(t, del.DeletedAt.IsZero())
	st, _ = e.json("GET", "/secrets/"+created.ID, e.keyA, "")
	assert.Equal(t, 404, st)

	st, _ = e.json("GET", "/secrets?metadata_filter.env=filter-value-77", e.keyA, "")
	require.Equal(t, 200, st)
	assert.NotContains(t, e.logs.String(), "filter-value-77", "no query string in the access log")
	assert.NotContains(t, e.logs.String(), "tok-value")
	assert.NotContains(t, e.logs.String(), e.keyA)
	assert.Contains(t, e.logs.String(), `"developer":"dev-a"`)
}

func TestAuthAndIsolation(t *testing.T) {
	e := newEnv(t)
	st, b := e.json("POST", "/secrets", e.keyA, `{"name":"mine","value":"secret-value-a"}`)
	require.Equal(t, 201, st)
	var sec secrets.Secret
	require.NoError(t, json.Unmarshal(b, &sec))

	cases := []struct {
		name, method, path, key, body string
		status                        int
		code                          string
	}{
		{"no key", "GET", "/secrets", "", "", 401, "unauthorized"},
		{"wrong key", "GET", "/secrets", "jk_000000000000_nope", "", 401, "unauthorized"},
		{"garbage key", "GET", "/secrets", "hello", "", 401, "unauthorized"},
		{"tampered key", "GET", "/secrets", e.keyA[:len(e.keyA)-1] + "x", "", 401, "unauthorized"},
		{"other developer by id", "GET", "/secrets/" + sec.ID, e.keyB, "", 404, "not_found"},
		{"other developer by name", "GET", "/secrets/mine", e.keyB, "", 404, "not_found"},
		{"other developer put", "PUT", "/secrets/" + sec.ID, e.keyB, `{"name":"mine","value":"x1234"}`, 404, "not_found"},
		{"other developer patch", "PATCH", "/secrets/" + sec.ID, e.keyB, `{"description":"x"}`, 404, "not_found"},
		{"other developer delete", "DELETE", "/secrets/" + sec.ID, e.keyB, "", 404, "not_found"},
		{"duplicate", "POST", "/secrets", e.keyA, `{"name":"mine","value":"zzzz1234"}`, 409, "already_exists"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st, b := e.json(c.method, c.path, c.key, c.body)
			assert.Equal(t, c.status, st, "%s", b)
			assert.Equal(t, c.code, decodeErr(t, b).Code)
			assert.NotContains(t, string(b), "secret-value-a")
		})
	}
	// The other developer's listing is empty; the owner's still works.
	st, b = e.json("GET", "/secrets", e.keyB, "")
	require.Equal(t, 200, st)
	assert.JSONEq(t, `[]`, string(b))

	// Revoked keys are refused at once.
	id, _ := apikeys.ParseID(e.keyA)
	require.NoError(t, e.keys.Revoke(context.Background(), id, time.Now()))
	st, b = e.json("GET", "/secrets", e.keyA, "")
	assert.Equal(t, 401, st)
	assert.Contains(t, decodeErr(t, b).Message, "revoked")
	assert.NotContains(t, e.logs.String(), e.keyA[16:], "no API key in the logs")
}

func TestBadInput(t *testing.T) {
	e := newEnv(t)
	st, _ := e.json("POST", "/secrets", e.keyA, `{"name":"exists","value":"v1234567"}`)
	require.Equal(t, 201, st)
	huge := `{"name":"big","value":"` + strings.Repeat("a", 300<<10) + `"}`
	cases := []struct {
		name, method, path, ctype, body string
		status                          int
		code                            string
	}{
		{"malformed json", "POST", "/secrets", "application/json", `{"name":`, 422, "validation_error"},
		{"not an object", "POST", "/secrets", "application/json", `[1,2]`, 422, "validation_error"},
		{"trailing data", "POST", "/secrets", "application/json", `{"name":"a","value":"bbbb"} {}`, 422, "validation_error"},
		{"empty body", "POST", "/secrets", "application/json", ``, 422, "validation_error"},
		{"unknown field", "POST", "/secrets", "application/json", `{"name":"a","value":"bbbb","valeu":"x"}`, 422, "validation_error"},
		{"wrong type", "POST", "/secrets", "application/json", `{"name":1,"value":"bbbb"}`, 422, "validation_error"},
		{"metadata not object", "POST", "/secrets", "application/json", `{"name":"a","value":"bbbb","metadata":"x"}`, 422, "validation_error"},
		{"invalid name", "POST", "/secrets", "application/json", `{"name":"bad name","value":"bbbb"}`, 422, "validation_error"},
		{"unicode name", "POST", "/secrets", "application/json", `{"name":"clé","value":"bbbb"}`, 422, "validation_error"},
		{"name too long", "POST", "/secrets", "application/json", `{"name":"` + strings.Repeat("a", 300) + `","value":"bbbb"}`, 422, "validation_error"},
		{"value too long", "POST", "/secrets", "application/json", `{"name":"a","value":"` + strings.Repeat("v", 65<<10) + `"}`, 422, "validation_error"},
		{"empty value", "POST", "/secrets", "application/json", `{"name":"a","value":""}`, 422, "validation_error"},
		{"huge body", "POST", "/secrets", "application/json", huge, 413, "request_too_large"},
		{"no content type", "POST", "/secrets", "", `{"name":"a","value":"bbbb"}`, 415, "unsupported_media_type"},
		{"form content type", "POST", "/secrets", "application/x-www-form-urlencoded", `name=a&value=b`, 415, "unsupported_media_type"},
		{"bad content type", "POST", "/secrets", "application/json; charset", `{}`, 415, "unsupported_media_type"},
		{"put without value", "PUT", "/secrets/exists", "application/json", `{"name":"exists"}`, 422, "validation_error"},
		{"put merge", "PUT", "/secrets/exists?metadata=merge", "application/json", `{"name":"exists","value":"v1234567"}`, 422, "validation_error"},
		{"bad limit", "GET", "/secrets?limit=abc", "", "", 422, "validation_error"},
		{"negative limit", "GET", "/secrets?limit=-1", "", "", 422, "validation_error"},
		{"huge offset", "GET", "/secrets?offset=99999999999999999999", "", "", 422, "validation_error"},
		{"double limit", "GET", "/secrets?limit=1&limit=2", "", "", 422, "validation_error"},
		{"filter not json", "GET", "/secrets?metadata_filter=%27%20OR%201%3D1%20--", "", "", 422, "validation_error"},
		{"filter array", "GET", "/secrets?metadata_filter=%5B1%5D", "", "", 422, "validation_error"},
		{"filter bad bracket", "GET", "/secrets?metadata_filter%5Bx=1", "", "", 422, "validation_error"},
		{"dot-dot encoded", "GET", "/secrets/..%2f..%2fetc", "", "", 404, "not_found"},
		{"dot-dot", "GET", "/secrets/../secrets", "", "", 404, "not_found"},
		{"double slash", "GET", "//secrets", "", "", 404, "not_found"},
		{"unicode path", "GET", "/secrets/cl%C3%A9", "", "", 404, "not_found"},
		{"unknown path", "GET", "/nope", "", "", 404, "not_found"},
		{"wrong method", "POST", "/secrets/exists", "application/json", `{}`, 405, "method_not_allowed"},
		{"resolve bad name", "POST", "/secrets/_resolve", "application/json", `{"names":["a b"]}`, 422, "validation_error"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st, b := e.do(c.method, c.path, e.keyA, c.ctype, c.body)
			assert.Equal(t, c.status, st, "%.300s", b)
			assert.Equal(t, c.code, decodeErr(t, b).Code)
		})
	}
	// A huge body without a Content-Length (the client sends it chunked: the
	// reader has no known size) is cut at the limit.
	req, err := http.NewRequest("POST", e.url+"/secrets", io.MultiReader(strings.NewReader(huge)))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+e.keyA)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	assert.Equal(t, 413, res.StatusCode, "%.200s", b)
	assert.Equal(t, "request_too_large", decodeErr(t, b).Code)

	// SQL-looking but well-formed filters are just values: nothing matches.
	for _, q := range []string{
		`metadata_filter=%7B%22env%22%3A%22%27%20OR%201%3D1%20--%22%7D`,
		`metadata_filter.env=%27%3B%20DROP%20TABLE%20secrets%3B%20--`,
		`metadata_filter%5Benv%5D=x%22)%20OR%20(1%3D1`,
	} {
		st, b := e.json("GET", "/secrets?"+q, e.keyA, "")
		assert.Equal(t, 200, st, "%s: %s", q, b)
		assert.JSONEq(t, `[]`, string(b), q)
	}
	// The server is still fine and the secret intact.
	st, b = e.json("GET", "/secrets/exists", e.keyA, "")
	require.Equal(t, 200, st, "%s", b)
	assert.NotContains(t, e.logs.String(), `"status":5`)
}

func TestListPagingAndFilter(t *testing.T) {
	e := newEnv(t)
	for i, n := range []string{"a1", "a2", "a3", "b1", "b2"} {
		env := "prod"
		if i%2 == 1 {
			env = "dev"
		}
		st, b := e.json("POST", "/secrets", e.keyA, `{"name":"`+n+`","value":"value-`+n+`","metadata":{"env":"`+env+`"}}`)
		require.Equal(t, 201, st, "%s", b)
	}
	names := func(q string) []string {
		st, b := e.json("GET", "/secrets?"+q, e.keyA, "")
		require.Equal(t, 200, st, "%s", b)
		var items []secrets.Secret
		require.NoError(t, json.Unmarshal(b, &items))
		var out []string
		for _, s := range items {
			out = append(out, s.Name)
		}
		return out
	}
	assert.Equal(t, []string{"a2", "a3"}, names("limit=2&offset=1"))
	assert.Equal(t, []string{"a1", "a3", "b2"}, names("metadata_filter=%7B%22env%22%3A%22prod%22%7D"))
	assert.Equal(t, []string{"a2", "b1"}, names("metadata_filter.env=dev"))
	assert.Equal(t, []string{"b1"}, names("metadata_filter%5Benv%5D=dev&offset=1"))
	assert.Nil(t, names("offset=10"))
}

func TestResolve(t *testing.T) {
	e := newEnv(t)
	e.json("POST", "/secrets", e.keyA, `{"name":"one","value":"value-one-1"}`)
	e.json("POST", "/secrets", e.keyB, `{"name":"two","value":"value-two-2"}`)
	st, b := e.json("POST", "/secrets/_resolve", e.keyA, `{"names":["one","two"]}`)
	require.Equal(t, 200, st, "%s", b)
	var res restapi.ResolveResponse
	require.NoError(t, json.Unmarshal(b, &res))
	assert.Equal(t, []string{"two"}, res.Missing, "another developer's secret is missing")
	assert.True(t, res.Values["one"] == "value-one-1")
	assert.Len(t, res.Values, 1)
}

func TestHealth(t *testing.T) {
	e := newEnv(t)
	st, b := e.do("GET", "/healthz", "", "", "")
	assert.Equal(t, 200, st, "%s", b)
	st, b = e.do("GET", "/readyz", "", "", "")
	assert.Equal(t, 200, st, "%s", b)
}

func TestReadyzStoreDown(t *testing.T) {
	master, err := secrets.ParseMasterKey(secrets.GenerateMasterKey(), "test")
	require.NoError(t, err)
	st, err := memory.New(master)
	require.NoError(t, err)
	srv, err := server.New(server.Config{Store: downStore{st}, Keys: apikeys.NewMemory()})
	require.NoError(t, err)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
	assert.Equal(t, 503, rec.Code)
	assert.Equal(t, "unavailable", decodeErr(t, rec.Body.Bytes()).Code)
}

type downStore struct{ secrets.Store }

func (downStore) List(context.Context, string, secrets.ListParams) ([]*secrets.Secret, error) {
	return nil, io.ErrUnexpectedEOF
}
