package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// sdkDir holds the pinned @julep/sdk (package.json, package-lock.json; .ci/run
// runs npm ci there) and conformance.js.
const sdkDir = "testdata/sdk"

// setupServe gives every script a free loopback port in $PORT and the SDK
// folder in $SDK.
func setupServe(env *testscript.Env) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	_ = ln.Close()
	env.Setenv("PORT", strconv.Itoa(port))
	abs, err := filepath.Abs(sdkDir)
	if err != nil {
		return err
	}
	env.Setenv("SDK", abs)
	return nil
}

// scriptCondition answers [sdk]: node and the installed SDK are there. When
// they are not and $CI is set, the script fails instead of skipping.
func scriptCondition(cond string) (bool, error) {
	if cond != "sdk" {
		return false, fmt.Errorf("unknown condition %q", cond)
	}
	_, nodeErr := exec.LookPath("node")
	_, modErr := os.Stat(filepath.Join(sdkDir, "node_modules", "@julep", "sdk", "package.json"))
	if nodeErr == nil && modErr == nil {
		return true, nil
	}
	if os.Getenv("CI") != "" {
		return false, fmt.Errorf("CI is set but node or @julep/sdk is missing (node: %v; SDK: %v): install node and run npm ci in cmd/julep/%s", nodeErr, modErr, sdkDir)
	}
	// Said on stderr too: go test does not show skips without -v.
	fmt.Fprintf(os.Stderr, "SKIPPED: @julep/sdk conformance (sdk.txtar): node or the SDK is missing; run npm ci in cmd/julep/%s (with CI set this fails)\n", sdkDir)
	return false, nil
}

// cmdWaitReady implements "waitready URL": it polls URL/readyz until it
// answers 200 (at most 20 s).
func cmdWaitReady(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: waitready BASE_URL")
	}
	deadline := time.Now().Add(20 * time.Second)
	var last error
	for time.Now().Before(deadline) {
		res, err := http.Get(args[0] + "/readyz")
		if err == nil {
			_ = res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
			err = fmt.Errorf("status %d", res.StatusCode)
		}
		last = err
		time.Sleep(50 * time.Millisecond)
	}
	ts.Fatalf("server at %s not ready after 20s: %v", args[0], last)
}
