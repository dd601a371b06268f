// Package server is the REST API of "julep serve": Julep's secrets API
// (POST/GET /secrets, GET/PUT/PATCH/DELETE /secrets/{id or name}) over a
// secrets.Store, authenticated by API keys (package apikeys) and scoped to
// the key's developer, plus /healthz, /readyz and a batch resolve endpoint
// for workers (POST /secrets/_resolve).
//
// Every error answer is JSON {"error": {"code", "message"}}; client input
// never gets a 5xx. Access logs carry method, path, status, size, duration,
// developer and key id: never a value, an API key, a query string or a
// header.
package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/julepkit/julep/apikeys"
	"github.com/julepkit/julep/internal/restapi"
	"github.com/julepkit/julep/secrets"
)

// Limits bounds requests and connections. The zero value of a field means
// its default.
type Limits struct {
	// MaxBodyBytes is the largest request body; larger answers 413.
	// Default 512 KiB (a 64 KiB value fully \u-escaped, plus metadata).
	MaxBodyBytes int64
	// MaxHeaderBytes bounds the request line and headers. Default 64 KiB.
	MaxHeaderBytes int
	// ReadHeaderTimeout, ReadTimeout, WriteTimeout and IdleTimeout are the
	// http.Server timeouts. Defaults 5 s, 30 s, 30 s, 120 s.
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// ShutdownTimeout is how long Run waits for requests in flight after
	// its context ends. Default 30 s.
	ShutdownTimeout time.Duration
	// MaxConcurrent is how many requests use the stores at once; the others
	// wait their turn (an embedded database slows down when many
	// connections contend). Default 8.
	MaxConcurrent int
}

// DefaultLimits are the limits used for zero fields.
var DefaultLimits = Limits{
	MaxBodyBytes:      512 << 10,
	MaxHeaderBytes:    64 << 10,
	ReadHeaderTimeout: 5 * time.Second,
	ReadTimeout:       30 * time.Second,
	WriteTimeout:      30 * time.Second,
	IdleTimeout:       120 * time.Second,
	ShutdownTimeout:   30 * time.Second,
	MaxConcurrent:     8,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxBodyBytes > 0 {
		d.MaxBodyBytes = l.MaxBodyBytes
	}
	if l.MaxHeaderBytes > 0 {
		d.MaxHeaderBytes = l.MaxHeaderBytes
	}
	if l.ReadHeaderTimeout > 0 {
		d.ReadHeaderTimeout = l.ReadHeaderTimeout
	}
	if l.ReadTimeout > 0 {
		d.ReadTimeout = l.ReadTimeout
	}
	if l.WriteTimeout > 0 {
		d.WriteTimeout = l.WriteTimeout
	}
	if l.IdleTimeout > 0 {
		d.IdleTimeout = l.IdleTimeout
	}
	if l.ShutdownTimeout > 0 {
		d.ShutdownTimeout = l.ShutdownTimeout
	}
	if l.MaxConcurrent > 0 {
		d.MaxConcurrent = l.MaxConcurrent
	}
	return d
}

// Config is what a Server needs.
type Config struct {
	// Store holds the secrets (required).
	Store secrets.Store
	// Keys holds the API keys (required).
	Keys apikeys.Store
	// Logger receives access logs and errors; nil discards them. Wrap its
	// handler with a redact.Redactor: the server never logs values, the
	// redactor is the last line of defence.
	Logger *slog.Logger
	// Limits bounds requests; zero fields take DefaultLimits.
	Limits Limits
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

// Server is the REST API as an http.Handler.
type Server struct {
	store  secrets.Store
	keys   apikeys.Store
	log    *slog.Logger
	limits Limits
	now    func() time.Time
	mux    *http.ServeMux
	// work bounds the requests using the stores at once (MaxConcurrent).
	work chan struct{}
	// writeLocks serialize one developer's writes through this server (see
	// lockWrites).
	writeLocks [64]sync.Mutex
}

// lockWrites serializes the writes of one developer made through this
// server, and returns the unlock. The Store addresses secrets by name for
// Update and Delete, so a write by id is a lookup of the name and then a
// write by that name; without this lock a concurrent rename and create of
// the same developer could slip in between and send the write to another
// secret. (Writes from other processes are not covered.)
func (s *Server) lockWrites(dev string) func() {
	h := fnv.New32a()
	_, _ = h.Write([]byte(dev))
	m := &s.writeLocks[h.Sum32()%uint32(len(s.writeLocks))]
	m.Lock()
	return m.Unlock
}

// New returns a Server for cfg.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.Keys == nil {
		return nil, errors.New("server: Config needs a Store and a Keys store")
	}
	s := &Server{
		store:  cfg.Store,
		keys:   cfg.Keys,
		log:    cfg.Logger,
		limits: cfg.Limits.withDefaults(),
		now:    cfg.Now,
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.mux = s.routes()
	s.work = make(chan struct{}, s.limits.MaxConcurrent)
	return s, nil
}

// routes is the one table of the API's routes. New routes (secret history,
// rollback, GET /audit) go here: an authedHandler gets the key's developer,
// and requestInfo(ctx) carries the developer and key id an audit record
// needs.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+restapi.HealthPath, s.healthz)
	mux.HandleFunc("GET "+restapi.ReadyPath, s.readyz)
	mux.Handle("POST "+restapi.SecretsPath, s.authed(s.create))
	mux.Handle("GET "+restapi.SecretsPath, s.authed(s.list))
	mux.Handle("POST "+restapi.ResolvePath, s.authed(s.resolve))
	mux.Handle("GET "+restapi.SecretsPath+"/{id}", s.authed(s.get))
	mux.Handle("PUT "+restapi.SecretsPath+"/{id}", s.authed(s.put))
	mux.Handle("PATCH "+restapi.SecretsPath+"/{id}", s.authed(s.patch))
	mux.Handle("DELETE "+restapi.SecretsPath+"/{id}", s.authed(s.delete))
	return mux
}

// HTTPServer returns an http.Server for the handler with the configured
// limits and timeouts.
func (s *Server) HTTPServer() *http.Server {
	return &http.Server{
		Handler:           s,
		ReadHeaderTimeout: s.limits.ReadHeaderTimeout,
		ReadTimeout:       s.limits.ReadTimeout,
		WriteTimeout:      s.limits.WriteTimeout,
		IdleTimeout:       s.limits.IdleTimeout,
		MaxHeaderBytes:    s.limits.MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		TLSConfig:         &tls.Config{MinVersion: tls.VersionTLS12},
	}
}

// Run serves on ln until ctx ends, then shuts down gracefully: it stops
// accepting, lets requests in flight finish (up to ShutdownTimeout) and
// returns. With certFile and keyFile it serves TLS.
func (s *Server) Run(ctx context.Context, ln net.Listener, certFile, keyFile string) error {
	hs := s.HTTPServer()
	errc := make(chan error, 1)
	go func() {
		if certFile != "" || keyFile != "" {
			errc <- hs.ServeTLS(ln, certFile, keyFile)
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down: waiting for requests in flight", "timeout", s.limits.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), s.limits.ShutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	s.log.Info("server stopped")
	return nil
}
