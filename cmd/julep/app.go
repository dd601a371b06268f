package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/julepkit/julep/internal/cli"
	"github.com/julepkit/julep/redact"
	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/remote"
	"github.com/julepkit/julep/secrets/storeopen"
)

// Environment variables read by julep (JULEP_LOG_LEVEL is cli.EnvLogLevel).
const (
	envStore   = "JULEP_STORE"
	envBaseURL = "JULEP_BASE_URL"
	envAPIKey  = "JULEP_API_KEY"
)

// run executes julep with args (without the program name) and returns the
// process exit code. It is main without os.Exit, so tests can drive it.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	a := newApp(stdin, stdout, stderr, os.Getenv)
	return a.execute(ctx, args)
}

// app holds what every command shares: the standard streams, the
// environment, the global flags, the logger and the store factory.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	now            func() time.Time
	// environ is the environment "julep run" starts the command with,
	// before the secrets are added; it is os.Environ outside tests.
	environ func() []string

	// openStore opens a store from a spec; it is storeOpener outside tests.
	// With readOnly it creates nothing (see storeopen.OpenExisting).
	openStore func(ctx context.Context, spec string, readOnly bool) (secrets.Store, error)

	// Global flags.
	logLevel  string
	storeSpec string

	// redactor masks every secret value this process has seen (read from a
	// flag or stdin, or decrypted) in logs and error messages.
	redactor *redact.Redactor
	log      *slog.Logger

	// started is set once cobra has parsed flags and arguments and handed
	// control to our code: any error cobra returns before that is a usage error.
	started bool
}

func newApp(stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) *app {
	return &app{
		stdin:     stdin,
		stdout:    stdout,
		stderr:    stderr,
		getenv:    getenv,
		now:       time.Now,
		environ:   os.Environ,
		openStore: storeOpener(getenv),
		redactor:  redact.New(),
		log:       slog.New(slog.DiscardHandler),
	}
}

// execute runs the command line and maps the outcome to an exit code,
// printing any error as "julep: <message>" on stderr.
func (a *app) execute(ctx context.Context, args []string) int {
	// An error cobra returns before any of our code ran (unknown command or
	// flag, bad arguments) comes back as a usage error.
	err := cli.Execute(ctx, a.rootCmd(), args, a.stdin, a.stdout, a.stderr, func() bool { return a.started })
	if err == nil {
		return exitOK
	}
	var ce *commandExit
	if errors.As(err, &ce) {
		// "julep run" passes on the command's status; julep itself has
		// something to say only when the command could not start.
		if ce.msg != "" {
			fmt.Fprintf(a.stderr, "julep: %s\n", a.redactor.Redact(ce.msg))
		}
		return ce.code
	}
	fmt.Fprintf(a.stderr, "julep: %s\n", a.redactor.Redact(err.Error()))
	return exitCode(err)
}

// rootCmd builds the whole command tree. New command groups (audit, apikeys,
// run, serve) are added here; every command that needs secrets gets its store
// from a.withStore.
func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "julep",
		Short: "Manage encrypted developer secrets",
		Long: `julep manages a developer's secrets: API keys, tokens and credentials that
tasks reference by name. Values are encrypted with AES-256-GCM under the
master key in JULEP_MASTER_KEY (or the file named by JULEP_MASTER_KEY_FILE);
create one with "julep keygen" and keep it outside the store.

Environment:
  JULEP_MASTER_KEY       master key (32 random bytes, standard base64)
  JULEP_MASTER_KEY_FILE  file holding the master key (instead of JULEP_MASTER_KEY)
  JULEP_STORE            store spec (same as --store)
  JULEP_HOME             directory of the default store (default ~/.julep)
  JULEP_DEVELOPER        developer the secrets belong to (default "default")
  JULEP_LOG_LEVEL        log level (same as --log-level)
  JULEP_BASE_URL         a julep serve to talk to instead of a store (remote mode)
  JULEP_API_KEY          the API key for JULEP_BASE_URL (julep apikeys create)

Exit codes: 0 ok, 1 error, 2 usage, 3 not found, 4 already exists,
5 validation, 6 encryption or master key.`,
		Example: `  export JULEP_MASTER_KEY="$(julep keygen)"
  julep secrets create --name openai_api_key --value-stdin < key.txt
  julep secrets list
  julep secrets get openai_api_key`,
		SilenceErrors:     true,
		SilenceUsage:      true,
		Args:              unknownSubcommand,
		RunE:              showHelp,
		PersistentPreRunE: a.setup,
	}
	cli.SetVersion(root)
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		if strings.Contains(err.Error(), `"--value-stdin" flag`) {
			// pflag would quote what followed "--value-stdin=": likely the value.
			return usageErr(cmd, "--value-stdin takes no argument (not shown, it may be a secret value): it reads the value from stdin; use --value VALUE to give it on the command line")
		}
		return usageErr(cmd, "%v", err)
	})
	pf := root.PersistentFlags()
	cli.AddLogLevelFlag(root, &a.logLevel)
	pf.StringVar(&a.storeSpec, "store", "", `store `+"`SPEC`"+`: sqlite:PATH, postgres://… or memory: (default $`+envStore+`, else sqlite:$JULEP_HOME/secrets.db)`)

	root.AddCommand(a.secretsCmd(), a.keygenCmd(), a.serveCmd(), a.apikeysCmd(), a.runCmd())
	// Our Use lines already show the flags.
	var noFlagsInUse func(*cobra.Command)
	noFlagsInUse = func(c *cobra.Command) {
		c.DisableFlagsInUseLine = true
		for _, sub := range c.Commands() {
			noFlagsInUse(sub)
		}
	}
	noFlagsInUse(root)
	return root
}

// setup runs before every command: it marks the start of our own code and
// configures logging from --log-level or JULEP_LOG_LEVEL.
func (a *app) setup(cmd *cobra.Command, _ []string) error {
	a.started = true
	level, err := cli.LogLevel(cmd, a.logLevel, a.getenv)
	if err != nil {
		return err
	}
	// Log records carry names, versions and ids, never values; the redactor
	// masks any value that would slip in anyway.
	a.log = cli.NewLogger(a.stderr, level, a.redactor.Handler)
	return nil
}

// developer is the developer id local commands act as (JULEP_DEVELOPER,
// default "default").
func (a *app) developer() string {
	return storeopen.DeveloperEnv(a.getenv)
}

// spec is the store spec chosen by --store, JULEP_STORE or the default
// (sqlite:$JULEP_HOME/secrets.db).
func (a *app) spec() (string, error) {
	if a.storeSpec != "" {
		return a.storeSpec, nil
	}
	if s := strings.TrimSpace(a.getenv(envStore)); s != "" {
		return s, nil
	}
	s, err := storeopen.DefaultSpecEnv(a.getenv)
	if err != nil {
		return "", fmt.Errorf("default store: %w", err)
	}
	return s, nil
}

// storeOpener opens stores with the master key from getenv's environment.
func storeOpener(getenv func(string) string) func(ctx context.Context, spec string, readOnly bool) (secrets.Store, error) {
	return func(ctx context.Context, spec string, readOnly bool) (secrets.Store, error) {
		if readOnly {
			return storeopen.OpenExistingEnv(ctx, spec, getenv)
		}
		return storeopen.OpenEnv(ctx, spec, getenv)
	}
}

// store is the one factory every command gets its secrets.Store from. A
// read-only command (readOnly) never creates a store: where there is none
// it fails with secrets.ErrNoStore.
func (a *app) store(ctx context.Context, readOnly bool) (secrets.Store, error) {
	if c, ok, err := remote.FromEnv(a.getenv); ok {
		// Remote mode: JULEP_BASE_URL + JULEP_API_KEY talk to "julep serve".
		if err != nil {
			return nil, err
		}
		a.redactor.Add("api_key", strings.TrimSpace(a.getenv(envAPIKey)))
		a.log.Debug("remote mode", "server", c.BaseURL())
		return c, nil
	}
	spec, err := a.spec()
	if err != nil {
		return nil, err
	}
	a.log.Debug("opening store", "store", redactURL(spec), "developer", a.developer())
	st, err := a.openStore(ctx, spec, readOnly)
	if err != nil {
		// Store errors name the store (never a password) themselves.
		return nil, fmt.Errorf("open store: %w", err)
	}
	for _, w := range storeopen.Warnings(spec, a.getenv) {
		fmt.Fprintf(a.stderr, "julep: warning: %s\n", w)
	}
	return st, nil
}

// withStore opens the store, runs f with it and closes it, reporting a close
// error only when f succeeded.
func (a *app) withStore(ctx context.Context, f func(st secrets.Store, dev string) error) (err error) {
	return a.useStore(ctx, false, f)
}

// withStoreRead is withStore for commands that only read: no store is
// created, and a missing one is "no secret store at PATH".
func (a *app) withStoreRead(ctx context.Context, f func(st secrets.Store, dev string) error) (err error) {
	return a.useStore(ctx, true, f)
}

func (a *app) useStore(ctx context.Context, readOnly bool, f func(st secrets.Store, dev string) error) (err error) {
	st, err := a.store(ctx, readOnly)
	if err != nil {
		return a.explain(err, "")
	}
	defer func() {
		if cerr := st.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close store: %w", cerr)
		}
	}()
	return f(st, a.developer())
}

// redactURL hides a password in a URL-shaped spec (postgres://user:pass@host).
func redactURL(spec string) string {
	if !strings.Contains(spec, "://") {
		return spec
	}
	u, err := url.Parse(spec)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// showHelp prints the command's help; it runs for a bare command group.
func showHelp(cmd *cobra.Command, _ []string) error {
	return cmd.Help()
}

// unknownSubcommand rejects arguments to a command group.
func unknownSubcommand(cmd *cobra.Command, args []string) error {
	return cli.UnknownSubcommand(cmd, args)
}
