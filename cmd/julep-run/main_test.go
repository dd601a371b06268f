package main

import (
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain makes the julep-run command available to the testscript files
// in testdata/script (one .txtar file per scenario; any subcommand can add
// its own files there).
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"julep-run": func() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{Dir: "testdata/script"})
}
