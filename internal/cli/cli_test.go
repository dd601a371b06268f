package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newRoot is a root command with --log-level and one subcommand "do" whose
// setup chooses the log level the way both CLIs do.
func newRoot(env map[string]string, got *slog.Level, started *bool) *cobra.Command {
	var flag string
	root := &cobra.Command{Use: "tool", SilenceErrors: true, SilenceUsage: true}
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		*started = true
		l, err := LogLevel(cmd, flag, func(k string) string { return env[k] })
		*got = l
		return err
	}
	AddLogLevelFlag(root, &flag)
	root.AddCommand(&cobra.Command{Use: "do", Args: cobra.NoArgs, RunE: func(*cobra.Command, []string) error { return nil }})
	return root
}

func TestLogLevel(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    slog.Level
		wantErr string
	}{
		{name: "default warn", args: []string{"do"}, want: slog.LevelWarn},
		{name: "flag", args: []string{"--log-level", "debug", "do"}, want: slog.LevelDebug},
		{name: "flag case-insensitive", args: []string{"--log-level", "INFO", "do"}, want: slog.LevelInfo},
		{name: "warning alias", args: []string{"--log-level", "warning", "do"}, want: slog.LevelWarn},
		{name: "env", args: []string{"do"}, env: map[string]string{EnvLogLevel: "error"}, want: slog.LevelError},
		{name: "flag beats env", args: []string{"--log-level", "info", "do"}, env: map[string]string{EnvLogLevel: "error"}, want: slog.LevelInfo},
		{name: "bad flag", args: []string{"--log-level", "loud", "do"},
			wantErr: `--log-level "loud" is not a log level: use debug, info, warn or error (see: tool --help)`},
		{name: "bad env", args: []string{"do"}, env: map[string]string{EnvLogLevel: "x"},
			wantErr: `JULEP_LOG_LEVEL "x" is not a log level: use debug, info, warn or error (see: tool --help)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got slog.Level
			var started bool
			var out bytes.Buffer
			err := Execute(context.Background(), newRoot(tt.env, &got, &started), tt.args, strings.NewReader(""), &out, &out, func() bool { return started })
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.True(t, IsUsage(err), "%v", err)
				assert.Equal(t, tt.wantErr, err.Error())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestExecuteUsageBeforeStart(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{name: "unknown flag", args: []string{"do", "--nope"}, want: "unknown flag: --nope (see: tool do --help)"},
		{name: "extra argument", args: []string{"do", "x"}, want: `unknown command "x" for "tool do" (see: tool do --help)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got slog.Level
			var started bool
			var out bytes.Buffer
			err := Execute(context.Background(), newRoot(nil, &got, &started), tt.args, strings.NewReader(""), &out, &out, func() bool { return started })
			require.Error(t, err)
			assert.True(t, IsUsage(err))
			assert.Equal(t, tt.want, err.Error())
		})
	}
}

func TestExecuteKeepsErrorsAfterStart(t *testing.T) {
	boom := errors.New("boom")
	started := false
	root := &cobra.Command{Use: "tool", SilenceErrors: true, SilenceUsage: true,
		PersistentPreRunE: func(*cobra.Command, []string) error { started = true; return nil },
		RunE:              func(*cobra.Command, []string) error { return boom }}
	var out bytes.Buffer
	err := Execute(context.Background(), root, nil, strings.NewReader(""), &out, &out, func() bool { return started })
	require.ErrorIs(t, err, boom)
	assert.False(t, IsUsage(err))
}

func TestUsage(t *testing.T) {
	assert.Equal(t, "bad", Usage(nil, "bad").Error())
	err := fmt.Errorf("wrapped: %w", Usage(&cobra.Command{Use: "tool"}, "bad %d", 1))
	assert.True(t, IsUsage(err))
	assert.Equal(t, "wrapped: bad 1 (see: tool --help)", err.Error())
	assert.False(t, IsUsage(errors.New("other")))
	assert.False(t, IsUsage(nil))
}

func TestNewLogger(t *testing.T) {
	var buf bytes.Buffer
	log := NewLogger(&buf, slog.LevelInfo, nil)
	log.Debug("hidden")
	log.Info("shown", "k", "v")
	assert.NotContains(t, buf.String(), "hidden")
	assert.Contains(t, buf.String(), "msg=shown k=v")

	buf.Reset()
	upper := func(h slog.Handler) slog.Handler { return upperHandler{h} }
	NewLogger(&buf, slog.LevelDebug, upper).Debug("quiet")
	assert.Contains(t, buf.String(), "msg=QUIET")
}

// upperHandler upper-cases messages, standing in for the redactor's handler.
type upperHandler struct{ slog.Handler }

func (h upperHandler) Handle(ctx context.Context, r slog.Record) error {
	r.Message = strings.ToUpper(r.Message)
	return h.Handler.Handle(ctx, r)
}

func TestVersionOf(t *testing.T) {
	bi := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.3"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.time", Value: "2026-12-03T21:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}
	assert.Equal(t, "v1.2.3 commit 0123456789ab+dirty (2026-12-03T21:00:00Z) go1.26.8", versionOf(bi))
	assert.Equal(t, "(devel) go1.26.8", versionOf(&debug.BuildInfo{GoVersion: "go1.26.8"}))
	assert.NotEmpty(t, Version())
}
