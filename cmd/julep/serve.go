package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/julepkit/julep/apikeys"
	apipostgres "github.com/julepkit/julep/apikeys/postgres"
	apisqlite "github.com/julepkit/julep/apikeys/sqlite"
	"github.com/julepkit/julep/internal/cli"
	"github.com/julepkit/julep/server"
)

// defaultAddr is where "julep serve" listens without --addr: loopback only.
const defaultAddr = "127.0.0.1:8080"

func (a *app) serveCmd() *cobra.Command {
	var addr, certFile, keyFile string
	c := &cobra.Command{
		Use:   "serve [--addr 127.0.0.1:8080] [--tls-cert FILE --tls-key FILE]",
		Short: "Serve the secrets REST API (Julep-compatible) from the local store",
		Long: `Serve Julep's secrets REST API from the configured store (--store or
JULEP_STORE): POST/GET /secrets, GET/PUT/PATCH/DELETE /secrets/{id or name},
POST /secrets/_resolve (batch of values for workers), GET /healthz and
GET /readyz. Callers authenticate with "Authorization: Bearer <key>"; make
keys with "julep apikeys create --developer ID". Every request acts as the
key's developer.

Access logs (JSON, one line per request, at level info unless --log-level
or JULEP_LOG_LEVEL say otherwise) go to stderr: method, path, status, size,
duration, developer and key id; never a value, a key, a header or a query.
SIGTERM or SIGINT stops accepting and lets requests in flight finish.`,
		Example: `  julep apikeys create --developer dev-1 > key.txt
  julep serve --addr 127.0.0.1:8080
  curl -H "Authorization: Bearer $(cat key.txt)" http://127.0.0.1:8080/secrets`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if (certFile == "") != (keyFile == "") {
				return usageErr(cmd, "give both --tls-cert and --tls-key, or neither")
			}
			return a.serve(cmd, addr, certFile, keyFile)
		},
	}
	f := c.Flags()
	f.StringVar(&addr, "addr", defaultAddr, "listen on `HOST:PORT` (port 0 picks a free one)")
	f.StringVar(&certFile, "tls-cert", "", "serve HTTPS with this certificate `FILE` (PEM)")
	f.StringVar(&keyFile, "tls-key", "", "and this private key `FILE` (PEM)")
	return c
}

func (a *app) serve(cmd *cobra.Command, addr, certFile, keyFile string) error {
	ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	spec, err := a.spec()
	if err != nil {
		return err
	}
	st, err := a.openStore(ctx, spec, false)
	if err != nil {
		return a.explain(fmt.Errorf("open store: %w", err), "")
	}
	defer st.Close()
	keys, err := openKeys(ctx, spec)
	if err != nil {
		return err
	}
	defer keys.Close()
	log := a.serveLogger(cmd)
	srv, err := server.New(server.Config{Store: st, Keys: keys, Logger: log})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	scheme := "http"
	if certFile != "" {
		scheme = "https"
	}
	// The one line on stdout: where to point JULEP_BASE_URL.
	fmt.Fprintf(a.stdout, "Serving the secrets API of %s on %s://%s\n", redactURL(spec), scheme, ln.Addr())
	log.Info("serving", "addr", ln.Addr().String(), "tls", certFile != "", "store", redactURL(spec))
	return srv.Run(ctx, ln, certFile, keyFile)
}

// serveLogger logs JSON to stderr through the redactor, at level info
// unless --log-level or JULEP_LOG_LEVEL chose one.
func (a *app) serveLogger(cmd *cobra.Command) *slog.Logger {
	level := slog.LevelInfo
	if cmd.Flags().Changed(cli.LogLevelFlag) || a.getenv(cli.EnvLogLevel) != "" {
		if l, err := cli.LogLevel(cmd, a.logLevel, a.getenv); err == nil {
			level = l
		}
	}
	h := slog.NewJSONHandler(a.stderr, &slog.HandlerOptions{Level: level})
	return slog.New(a.redactor.Handler(h))
}

// errKeysNeedSharedStore: API keys must live where both "julep apikeys"
// and "julep serve" find them.
var errKeysNeedSharedStore = errors.New("API keys need a shared store")

// openKeys opens the API key store that goes with a secrets store spec:
// the same SQLite file or PostgreSQL database; an empty in-process store
// for memory:.
func openKeys(ctx context.Context, spec string) (apikeys.Store, error) {
	scheme, rest, _ := strings.Cut(strings.TrimSpace(spec), ":")
	switch strings.ToLower(scheme) {
	case "sqlite":
		path := strings.TrimPrefix(strings.TrimSpace(rest), "//")
		if p, ok := strings.CutPrefix(path, "~/"); ok {
			if home, err := os.UserHomeDir(); err == nil {
				path = home + "/" + p
			}
		}
		ks, err := apisqlite.Open(ctx, path)
		if err != nil {
			return nil, fmt.Errorf("open API keys: %w", err)
		}
		return ks, nil
	case "memory":
		return apikeys.NewMemory(), nil
	case "postgres", "postgresql":
		ks, err := apipostgres.Open(ctx, strings.TrimSpace(spec))
		if err != nil {
			return nil, fmt.Errorf("open API keys: %w", err)
		}
		return ks, nil
	default:
		return nil, fmt.Errorf("%w: store %q keeps no API keys (use sqlite:PATH or postgres://…)", errKeysNeedSharedStore, scheme)
	}
}
