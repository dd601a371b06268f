// Package cli holds what the julep and julep-run commands share: the
// --log-level flag and JULEP_LOG_LEVEL, the logger on stderr, usage errors
// (exit 2) and the run of a cobra command tree up to its error.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// Exit codes of both commands, as documented in DESIGN.md: one set of
// names. julep-run uses the first three.
const (
	ExitOK         = 0 // success
	ExitFailure    = 1 // general failure
	ExitUsage      = 2 // bad command line
	ExitNotFound   = 3 // no such secret
	ExitExists     = 4 // the secret already exists
	ExitInvalid    = 5 // validation: a name, value, description or metadata breaks a rule
	ExitEncryption = 6 // master key missing or wrong, or stored data tampered with
)

// Logging settings both commands share.
const (
	// EnvLogLevel names the log level when --log-level is not given.
	EnvLogLevel = "JULEP_LOG_LEVEL"
	// DefaultLogLevel is the level when neither --log-level nor
	// JULEP_LOG_LEVEL is set.
	DefaultLogLevel = "warn"
	// LogLevelFlag is the name of the global log level flag.
	LogLevelFlag = "log-level"
)

// UsageError is a bad command line: an unknown command or flag, missing or
// conflicting flags, a malformed argument. It exits with ExitUsage.
type UsageError struct {
	// Msg says what is wrong.
	Msg string
	// Path is the command path whose help to look at ("" for none).
	Path string
}

// Error returns the message, followed by a pointer to the command's help
// when Path is set.
func (e *UsageError) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return fmt.Sprintf("%s (see: %s --help)", e.Msg, e.Path)
}

// Usage returns a *UsageError with the formatted message; cmd (which may be
// nil) names the help to look at.
func Usage(cmd *cobra.Command, format string, args ...any) error {
	e := &UsageError{Msg: fmt.Sprintf(format, args...)}
	if cmd != nil {
		e.Path = cmd.CommandPath()
	}
	return e
}

// IsUsage reports whether err is or wraps a *UsageError.
func IsUsage(err error) bool {
	var ue *UsageError
	return errors.As(err, &ue)
}

// AddLogLevelFlag defines the persistent --log-level flag on root, stored
// in *p.
func AddLogLevelFlag(root *cobra.Command, p *string) {
	root.PersistentFlags().StringVar(p, LogLevelFlag, "", "log `LEVEL`: debug, info, warn or error (default \""+DefaultLogLevel+"\", or $"+EnvLogLevel+")")
}

// LogLevel returns the level chosen by --log-level when it was given on the
// command line of cmd (flagValue is its value), else by $JULEP_LOG_LEVEL
// (read with getenv), else DefaultLogLevel. Names are case-insensitive and
// "warning" means warn. Any other name is a *UsageError that names where it
// came from.
func LogLevel(cmd *cobra.Command, flagValue string, getenv func(string) string) (slog.Level, error) {
	level, source := flagValue, "--"+LogLevelFlag
	if !cmd.Flags().Changed(LogLevelFlag) {
		level, source = getenv(EnvLogLevel), EnvLogLevel
	}
	if level == "" {
		level = DefaultLogLevel
	}
	switch strings.ToLower(level) {
	case "debug":
		return slog.LevelDebug, nil
	case "info":
		return slog.LevelInfo, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, Usage(cmd.Root(), "%s %q is not a log level: use debug, info, warn or error", source, level)
}

// NewLogger returns a text logger writing to w at level. When wrap is not
// nil it wraps the text handler (for example with the redactor's handler, so
// that no secret value reaches a log line).
func NewLogger(w io.Writer, level slog.Level, wrap func(slog.Handler) slog.Handler) *slog.Logger {
	var h slog.Handler = slog.NewTextHandler(w, &slog.HandlerOptions{Level: level})
	if wrap != nil {
		h = wrap(h)
	}
	return slog.New(h)
}

// Execute runs root with args on the given standard streams and returns the
// error of the run (nil on success). started reports whether cobra handed
// control to the caller's own code (its PersistentPreRunE ran): an error
// cobra returned before that (an unknown command or flag, bad arguments) is
// turned into a *UsageError for the command it was about.
func Execute(ctx context.Context, root *cobra.Command, args []string, stdin io.Reader, stdout, stderr io.Writer, started func() bool) error {
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	cmd, err := root.ExecuteContextC(ctx)
	if err != nil && !started() && !IsUsage(err) {
		err = Usage(cmd, "%v", err)
	}
	return err
}

// Version describes the running binary from its build information: the
// module version ("(devel)" for a build from a checkout) and, when the
// build recorded them, the VCS commit, its time and "+dirty" for a modified
// tree. Both commands print it for --version.
func Version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown (no build information)"
	}
	return versionOf(bi)
}

func versionOf(bi *debug.BuildInfo) string {
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, at, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if rev != "" {
		v += " commit " + rev[:min(12, len(rev))] + dirty
		if at != "" {
			v += " (" + at + ")"
		}
	}
	return v + " " + bi.GoVersion
}

// SetVersion gives root a --version flag printing "NAME version VERSION".
func SetVersion(root *cobra.Command) {
	root.Version = Version()
	root.SetVersionTemplate("{{.Name}} version {{.Version}}\n")
}

// UnknownSubcommand is the Args check of a command group: any argument is
// an unknown command, a usage error with a "did you mean" hint when a
// subcommand's name is close.
func UnknownSubcommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
	if cmd.SuggestionsMinimumDistance <= 0 {
		cmd.SuggestionsMinimumDistance = 2
	}
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += fmt.Sprintf(" (did you mean %q?)", s[0])
	}
	return Usage(cmd, "%s", msg)
}
