package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/julepkit/julep/apikeys"
	"github.com/julepkit/julep/internal/restapi"
)

// ServeHTTP implements http.Handler: access log, panic guard, path checks,
// then the routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := s.now()
	rec := &recorder{ResponseWriter: w}
	info := &reqInfo{}
	r = r.WithContext(context.WithValue(r.Context(), infoKey{}, info))
	defer func() {
		if p := recover(); p != nil {
			// The panic value may hold request data: it is not logged.
			s.log.Error("handler panicked", "method", r.Method, "path", r.URL.EscapedPath())
			if !rec.wrote {
				writeError(rec, &apiError{code: restapi.CodeInternal, msg: "internal error"})
			}
		}
		s.access(r, rec, info, start)
	}()
	if msg, ok := badPath(r); !ok {
		writeError(rec, &apiError{code: restapi.CodeNotFound, msg: msg})
		return
	}
	h, pattern := s.mux.Handler(r)
	if pattern == "" {
		// The mux's own 404 or 405 answer is text: send ours instead.
		probe := &statusProbe{header: http.Header{}}
		h.ServeHTTP(probe, r)
		if probe.status == http.StatusMethodNotAllowed {
			if allow := probe.header.Get("Allow"); allow != "" {
				rec.Header().Set("Allow", allow)
			}
			writeError(rec, &apiError{code: restapi.CodeMethodNotAllowed, msg: "method " + r.Method + " is not allowed on " + r.URL.EscapedPath()})
			return
		}
		writeError(rec, &apiError{code: restapi.CodeNotFound, msg: "no such path: " + r.URL.EscapedPath()})
		return
	}
	s.mux.ServeHTTP(rec, r) // sets the path values Handler does not
}

// badPath refuses paths that are not in canonical form (dot segments,
// doubled or encoded slashes and backslashes) before the mux would redirect
// them: a clear 404 instead of a 301 to somewhere else.
func badPath(r *http.Request) (string, bool) {
	raw := r.URL.EscapedPath()
	lower := strings.ToLower(raw)
	if strings.Contains(lower, "%2f") || strings.Contains(lower, "%5c") || strings.Contains(raw, "\\") {
		return "no such path: encoded slashes are not allowed in " + raw, false
	}
	p := r.URL.Path
	if p == "" || p[0] != '/' || path.Clean(p) != p {
		return "no such path: " + raw + " is not in canonical form", false
	}
	return "", true
}

// infoKey carries a *reqInfo in the request context.
type infoKey struct{}

// reqInfo is what the handlers tell the access log.
type reqInfo struct {
	developer, keyID string
	// errMsg is the message of a 5xx answer, for the log.
	errMsg string
}

func requestInfo(ctx context.Context) *reqInfo {
	if i, ok := ctx.Value(infoKey{}).(*reqInfo); ok {
		return i
	}
	return &reqInfo{}
}

// access writes one log record per request: no query string, no headers,
// no body.
func (s *Server) access(r *http.Request, rec *recorder, info *reqInfo, start time.Time) {
	status := rec.status
	if status == 0 {
		status = http.StatusOK
	}
	attrs := []any{
		"method", r.Method,
		"path", r.URL.EscapedPath(),
		"status", status,
		"bytes", rec.bytes,
		"duration_ms", float64(s.now().Sub(start).Microseconds()) / 1000,
		"remote", r.RemoteAddr,
	}
	if info.developer != "" {
		attrs = append(attrs, "developer", info.developer, "key_id", info.keyID)
	}
	if info.errMsg != "" {
		attrs = append(attrs, "error", info.errMsg)
	}
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	s.log.Log(r.Context(), level, "http request", attrs...)
}

// recorder remembers the status and size of an answer.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int
	wrote  bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if !r.wrote {
		r.status, r.wrote = http.StatusOK, true
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the connection.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// statusProbe captures what the mux's fallback handler would answer.
type statusProbe struct {
	header http.Header
	status int
}

func (p *statusProbe) Header() http.Header { return p.header }
func (p *statusProbe) WriteHeader(code int) {
	if p.status == 0 {
		p.status = code
	}
}
func (p *statusProbe) Write(b []byte) (int, error) {
	if p.status == 0 {
		p.status = http.StatusOK
	}
	return len(b), nil
}

// authedHandler is a handler that knows its developer.
type authedHandler func(w http.ResponseWriter, r *http.Request, dev string) error

// authed checks the API key in "Authorization: Bearer KEY" and runs h as
// the key's developer; errors h returns become JSON error answers.
func (s *Server) authed(h authedHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case s.work <- struct{}{}:
			defer func() { <-s.work }()
		case <-r.Context().Done():
			writeError(w, &apiError{code: restapi.CodeUnavailable, msg: "request cancelled while waiting for the store"})
			return
		}
		key, ok := bearer(r.Header.Get("Authorization"))
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="julep"`)
			writeError(w, &apiError{code: restapi.CodeUnauthorized, msg: "missing API key: send the header Authorization: Bearer <key> (create a key with: julep apikeys create)"})
			return
		}
		k, err := apikeys.Check(r.Context(), s.keys, key)
		if err != nil {
			if !errors.Is(err, apikeys.ErrInvalidKey) && !errors.Is(err, apikeys.ErrRevoked) {
				s.fail(w, r, "", err)
				return
			}
			msg := "invalid API key"
			if errors.Is(err, apikeys.ErrRevoked) {
				msg = "API key revoked"
			}
			w.Header().Set("WWW-Authenticate", `Bearer realm="julep", error="invalid_token"`)
			writeError(w, &apiError{code: restapi.CodeUnauthorized, msg: msg})
			return
		}
		info := requestInfo(r.Context())
		info.developer, info.keyID = k.DeveloperID, k.ID
		if err := h(w, r, k.DeveloperID); err != nil {
			s.fail(w, r, "", err)
		}
	})
}

// bearer extracts the token of an Authorization header.
func bearer(h string) (string, bool) {
	scheme, tok, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != ""
}
