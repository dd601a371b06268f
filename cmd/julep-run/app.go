package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"

	"github.com/spf13/cobra"

	"github.com/julepkit/julep/internal/cli"
)

// Exit codes, as documented in DESIGN.md (one set for both commands).
const (
	exitOK      = cli.ExitOK
	exitFailure = cli.ExitFailure
	exitUsage   = cli.ExitUsage
)

// subcommands is the command tree below the root, in help order: one
// constructor per subcommand, each in its own file:
//
//	func newValidateCmd(a *app) *cobra.Command {
//		return &cobra.Command{Use: "validate TASK.yaml...", RunE: func(cmd *cobra.Command, args []string) error { ... }}
//	}
//
// RunE returns nil (exit 0), failure(...) / any error (exit 1, printed as
// "julep-run: <message>"), or usageErr(...) (exit 2). A command that already
// printed its own report returns silentFailure(). Commands read a.stdin and
// write a.stdout / a.stderr (never os.Stdout), and log with a.log.
func subcommands() []func(*app) *cobra.Command {
	return []func(*app) *cobra.Command{
		newValidateCmd,
		newEvalCmd,
		newDryRunCmd,
	}
}

// run executes julep-run with args (without the program name) and returns
// the exit code. It is main without os.Exit, so tests can drive it.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	a := newApp(stdin, stdout, stderr, os.Getenv)
	return a.execute(ctx, args)
}

// app holds what every command shares: the standard streams, the
// environment, the global flags and the logger.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string

	logLevel string
	// log writes to stderr at the level chosen by --log-level; it is set up
	// before any command runs. Wrap its handler (e.g. with the redactor)
	// rather than replacing it.
	log *slog.Logger

	started bool // cobra handed control to our code
}

func newApp(stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) *app {
	return &app{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv, log: slog.New(slog.DiscardHandler)}
}

// cliError is an error with an exit code and optional detail lines printed
// after the "julep-run: <message>" line.
type cliError struct {
	code   int
	msg    string
	detail string
	silent bool // already reported by the command
	err    error
}

func (e *cliError) Error() string { return e.msg }
func (e *cliError) Unwrap() error { return e.err }

// usageErr is a bad command line (exit 2); cmd (may be nil) names the help
// to look at.
func usageErr(cmd *cobra.Command, format string, args ...any) error {
	return cli.Usage(cmd, format, args...)
}

// failure is a failed command (exit 1) with optional detail lines.
func failure(err error, detail string) error {
	return &cliError{code: exitFailure, msg: err.Error(), detail: detail, err: err}
}

// silentFailure exits 1 without printing anything more: the command already
// reported the problem.
func silentFailure() error { return &cliError{code: exitFailure, silent: true} }

func exitCode(err error) int {
	var ce *cliError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ce):
		return ce.code
	case cli.IsUsage(err):
		return exitUsage
	}
	return exitFailure
}

// execute runs the command line and maps the outcome to an exit code.
func (a *app) execute(ctx context.Context, args []string) int {
	err := cli.Execute(ctx, a.rootCmd(), args, a.stdin, a.stdout, a.stderr, func() bool { return a.started })
	if err == nil {
		return exitOK
	}
	var ce *cliError
	errors.As(err, &ce)
	if ce != nil && ce.silent {
		return ce.code
	}
	fmt.Fprintf(a.stderr, "julep-run: %s\n", err)
	if ce != nil && ce.detail != "" {
		fmt.Fprintln(a.stderr, strings.TrimRight(ce.detail, "\n"))
	}
	return exitCode(err)
}

func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "julep-run",
		Short: "Validate, evaluate and dry-run Julep task files",
		Long: `julep-run checks Julep task files and evaluates their expressions offline.

Environment:
  JULEP_LOG_LEVEL  log level (same as --log-level)

Exit codes: 0 ok, 1 failure, 2 usage.`,
		SilenceErrors:     true,
		SilenceUsage:      true,
		Args:              cli.UnknownSubcommand,
		RunE:              func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
		PersistentPreRunE: a.setup,
	}
	cli.SetVersion(root)
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error { return usageErr(cmd, "%v", err) })
	cli.AddLogLevelFlag(root, &a.logLevel)
	for _, newCmd := range subcommands() {
		root.AddCommand(newCmd(a))
	}
	return root
}

// setup runs before every command: it configures logging.
func (a *app) setup(cmd *cobra.Command, _ []string) error {
	level, err := cli.LogLevel(cmd, a.logLevel, a.getenv)
	if err != nil {
		return err
	}
	a.log = cli.NewLogger(a.stderr, level, nil)
	a.started = true
	return nil
}

// readArg returns s, or the contents of file NAME when s is "@NAME" ("@-"
// reads stdin). It reads at most maxInputBytes+1 bytes, so that a caller's
// size check fails instead of the process growing.
func (a *app) readArg(s string) ([]byte, error) {
	name, ok := strings.CutPrefix(s, "@")
	if !ok {
		return []byte(s), nil
	}
	if name == "-" {
		return io.ReadAll(io.LimitReader(a.stdin, maxInputBytes+1))
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxInputBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return b, nil
}
