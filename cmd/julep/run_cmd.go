package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/julepkit/julep/redact"
	"github.com/julepkit/julep/secrets"
)

// Exit codes of "julep run" when the command itself cannot run, as shells
// and env(1) use them.
const (
	exitCannotExecute = 126
	exitCommandAbsent = 127
)

// envVarName is what --env accepts as a variable name.
var envVarName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// commandExit carries the exit status "julep run" passes on: the command's
// own, 128+N when a signal N ended it, or 126/127 when it could not start
// (msg then says why).
type commandExit struct {
	code int
	msg  string
}

func (e *commandExit) Error() string {
	if e.msg != "" {
		return e.msg
	}
	return fmt.Sprintf("command exited with status %d", e.code)
}

// MissingSecretsError lists every secret "julep run" or "julep secrets
// export" was asked for that does not exist. It unwraps to
// secrets.ErrNotFound.
type MissingSecretsError struct {
	Developer string
	Names     []string
}

func (e *MissingSecretsError) Error() string {
	noun := "secret"
	if len(e.Names) > 1 {
		noun = "secrets"
	}
	q := make([]string, len(e.Names))
	for i, n := range e.Names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return fmt.Sprintf("%s %s not found for developer %q (see: julep secrets list)", noun, strings.Join(q, ", "), e.Developer)
}

func (e *MissingSecretsError) Unwrap() error { return secrets.ErrNotFound }

// runFlags are the options of "julep run".
type runFlags struct {
	only   []string
	env    []string
	noMask bool
}

func (a *app) runCmd() *cobra.Command {
	var f runFlags
	c := &cobra.Command{
		Use:   "run [--only NAME,NAME] [--env VAR=NAME]... [--no-mask] -- CMD ARGS...",
		Short: "Run a command with secrets in its environment and its output masked",
		Long: `Run CMD with the developer's secrets as environment variables, one per
secret under its own name (OPENAI_API_KEY stays OPENAI_API_KEY), or only the
secrets named by --only. --env VAR=NAME also sets VAR to the value of secret
NAME. A secret that does not exist stops julep before CMD starts, naming it.

The command's stdout and stderr pass through the redactor: each value, and
each form a value takes when encoded (base64, URL and JSON escaping, each line
of a multi-line value), prints as [REDACTED:<name>]. Output is passed on as
soon as the command writes it, except a tail that could be the start of a
value, held until the next write shows it is not. --no-mask connects the
command's output directly instead.

stdin is connected to the command. SIGINT, SIGTERM and SIGHUP are passed on
to the command's process group. julep exits with the command's status,
128+N when signal N ended it, 127 when CMD is not found and 126 when it
cannot be executed.`,
		Example: `  julep run -- ./server --port 8080
  julep run --only OPENAI_API_KEY,db_password -- python app.py
  julep run --env DATABASE_URL=prod_db_url -- psql "$DATABASE_URL"   # quote: expanded by the command's shell, not yours
  julep run -- sh -c 'curl -H "Authorization: Bearer $api_token" https://api.example.com/'`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageErr(cmd, "missing the command to run: julep run [--only NAME,NAME] [--env VAR=NAME]... -- CMD ARGS...")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runCommand(cmd, f, args)
		},
	}
	// Everything after the first argument belongs to the command, "--" or not.
	c.Flags().SetInterspersed(false)
	c.Flags().StringSliceVar(&f.only, "only", nil, "pass only these secrets (comma-separated `NAMES`; repeatable)")
	c.Flags().StringArrayVar(&f.env, "env", nil, "also set variable VAR to the value of secret NAME (`VAR=NAME`; repeatable)")
	c.Flags().BoolVar(&f.noMask, "no-mask", false, "do not mask the command's output")
	return c
}

// envBinding is one variable set from one secret.
type envBinding struct{ variable, secret string }

// parseRunFlags checks --only and --env and returns the secrets to export
// under their own names (nil: all of them) and the --env bindings.
func parseRunFlags(cmd *cobra.Command, f runFlags) (only []string, bindings []envBinding, err error) {
	if cmd.Flags().Changed("only") {
		only, err = parseNames(f.only)
		if err != nil {
			return nil, nil, usageErr(cmd, "--only: %v", err)
		}
		if len(only) == 0 {
			return nil, nil, usageErr(cmd, "--only needs at least one secret name")
		}
	}
	seen := map[string]bool{}
	for _, p := range f.env {
		v, name, ok := strings.Cut(p, "=")
		switch {
		case !ok:
			return nil, nil, usageErr(cmd, "--env %q is not VAR=NAME (e.g. --env DATABASE_URL=prod_db_url)", p)
		case !envVarName.MatchString(v):
			return nil, nil, usageErr(cmd, "--env %q: %q is not a variable name (letters, digits and _, not starting with a digit)", p, v)
		case seen[v]:
			return nil, nil, usageErr(cmd, "--env sets variable %q twice", v)
		}
		if err := secrets.ValidateName(name); err != nil {
			return nil, nil, usageErr(cmd, "--env %q: %v", p, err)
		}
		seen[v] = true
		bindings = append(bindings, envBinding{variable: v, secret: name})
	}
	return only, bindings, nil
}

// parseNames splits, trims and checks a list of secret names, dropping
// repeats and keeping the order.
func parseNames(list []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, n := range list {
		n = strings.TrimSpace(n)
		if n == "" {
			return nil, errors.New("empty secret name in the list")
		}
		if err := secrets.ValidateName(n); err != nil {
			return nil, err
		}
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out, nil
}

// secretNames returns only when it is not nil, else the names of all the
// developer's secrets.
func (a *app) secretNames(ctx context.Context, st secrets.Store, dev string, only []string) ([]string, error) {
	if only != nil {
		return only, nil
	}
	all, err := listAll(ctx, st, dev, nil)
	if err != nil {
		return nil, a.explain(err, "")
	}
	names := make([]string, 0, len(all))
	for _, s := range all {
		names = append(names, s.Name)
	}
	return names, nil
}

// fetchSecrets reads the named secrets with their values and registers
// each with a.redactor. Every missing name is reported at once, in a
// *MissingSecretsError.
func (a *app) fetchSecrets(ctx context.Context, st secrets.Store, dev string, names []string) (map[string]*secrets.Secret, error) {
	got := make(map[string]*secrets.Secret, len(names))
	var missing []string
	for _, n := range names {
		if _, done := got[n]; done {
			continue
		}
		s, err := st.Get(ctx, dev, n)
		switch {
		case errors.Is(err, secrets.ErrNotFound):
			missing = append(missing, n)
			continue
		case err != nil:
			return nil, a.explain(fmt.Errorf("get secret %q: %w", n, err), n)
		}
		a.redactor.Add(s.Name, s.Value)
		got[n] = s
	}
	if len(missing) > 0 {
		return nil, &MissingSecretsError{Developer: dev, Names: missing}
	}
	return got, nil
}

// runCommand is "julep run": read the secrets, then start the command with
// them and wait for it.
func (a *app) runCommand(cmd *cobra.Command, f runFlags, args []string) error {
	only, bindings, err := parseRunFlags(cmd, f)
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	var (
		names   []string // exported under their own names
		fetched map[string]*secrets.Secret
	)
	err = a.withStore(ctx, func(st secrets.Store, dev string) error {
		var err error
		if names, err = a.secretNames(ctx, st, dev, only); err != nil {
			return err
		}
		want := append([]string(nil), names...)
		for _, b := range bindings {
			want = append(want, b.secret)
		}
		fetched, err = a.fetchSecrets(ctx, st, dev, want)
		return err
	})
	if err != nil {
		return err
	}
	// The store is closed while the command runs.
	env := a.environ()
	for _, n := range names {
		env = append(env, n+"="+fetched[n].Value)
	}
	for _, b := range bindings {
		env = append(env, b.variable+"="+fetched[b.secret].Value)
	}
	a.log.Info("running command", "command", args[0], "secrets", len(fetched), "developer", a.developer())

	out := redact.New()
	for n, s := range fetched {
		out.Add(n, s.Value)
	}
	// The master key opens every secret: never show it either.
	if k := a.getenv(secrets.EnvMasterKey); k != "" {
		out.Add(secrets.EnvMasterKey, k)
	}
	return a.startAndWait(args, env, out, f.noMask)
}

// startAndWait runs the command with env, its output through red unless
// noMask, passes on signals, and returns its exit status as a
// *commandExit (nil for status 0).
func (a *app) startAndWait(args []string, env []string, red *redact.Redactor, noMask bool) error {
	path, err := exec.LookPath(args[0])
	if err != nil {
		code := exitCommandAbsent
		if errors.Is(err, os.ErrPermission) {
			code = exitCannotExecute
		}
		return &commandExit{code: code, msg: fmt.Sprintf("run: %v", err)}
	}
	c := exec.Command(path, args[1:]...)
	c.Args[0] = args[0]
	c.Env = env
	c.Stdin = a.stdin
	var stdout, stderr io.WriteCloser
	if noMask {
		c.Stdout, c.Stderr = a.stdout, a.stderr
	} else {
		stdout, stderr = red.Writer(a.stdout), red.Writer(a.stderr)
		c.Stdout, c.Stderr = stdout, stderr
	}
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, forwardedSignals...)
	defer signal.Stop(sigs)

	restore := startInOwnGroup(c, a.stdin)
	if err := c.Start(); err != nil {
		restore()
		code := exitCannotExecute
		if errors.Is(err, os.ErrNotExist) {
			code = exitCommandAbsent
		}
		return &commandExit{code: code, msg: fmt.Sprintf("run: %v", err)}
	}
	pid := c.Process.Pid
	done := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-sigs:
				a.log.Debug("forwarding signal", "signal", s.String(), "pgid", pid)
				signalGroup(pid, s)
			case <-done:
				return
			}
		}
	}()
	werr := c.Wait()
	close(done)
	restore()
	// The held-back tails, masked.
	for _, w := range []io.Closer{stdout, stderr} {
		if w != nil {
			if err := w.Close(); err != nil && werr == nil {
				werr = err
			}
		}
	}
	code, ok := exitStatus(c.ProcessState)
	if !ok {
		return fmt.Errorf("run %s: %w", args[0], werr)
	}
	if werr != nil && !isExitError(werr) {
		// The command ran, but copying its output failed (closed stdout).
		return fmt.Errorf("run %s: %w", args[0], werr)
	}
	if code == 0 {
		return nil
	}
	return &commandExit{code: code}
}

func isExitError(err error) bool {
	var e *exec.ExitError
	return errors.As(err, &e)
}
