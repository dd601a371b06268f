package main

import (
	"errors"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the test binary act as the julep command (and the
// julep-test-print helper of run_test.go) inside scripts and in $PATH.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"julep": main, "julep-test-print": printerMain})
}

// TestScripts runs the CLI sessions in testdata/script/*.txtar.
//
// Every script starts with JULEP_HOME=$WORK/home (so the default store is
// sqlite:$WORK/home/secrets.db), the test master keys in $KEY_A and $KEY_B,
// and no JULEP_MASTER_KEY: scripts set it themselves.
// Besides testscript's own commands, scripts can use
//
//	exits N command args...
//
// which runs the command and fails unless it exits with status N.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("JULEP_HOME", filepath.Join(env.WorkDir, "home"))
			env.Setenv("KEY_A", "MZYpTFs6LnU40Kz6Wx4N7qgU5DUmsamdtiaEmWd1dPA=")
			env.Setenv("KEY_B", "7yGFQvsiaQl3LQaWgaKa9RIFbN6/XIdwUWNg92gr6AA=")
			return setupServe(env)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits":     cmdExits,
			"waitready": cmdWaitReady,
		},
		Condition: scriptCondition,
	})
}

// cmdExits implements "exits N command args...".
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("exits does not support !")
	}
	if len(args) < 2 {
		ts.Fatalf("usage: exits N command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad status %q", args[0])
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		got = exitErr.ExitCode()
	case err != nil:
		ts.Fatalf("exits: %v", err)
	}
	if got != want {
		ts.Fatalf("exit status %d, want %d", got, want)
	}
}
