//go:build !unix

package main

import (
	"io"
	"os"
	"os/exec"
)

// forwardedSignals are the signals "julep run" passes on to the command.
var forwardedSignals = []os.Signal{os.Interrupt}

// startInOwnGroup does nothing where process groups do not exist.
func startInOwnGroup(*exec.Cmd, io.Reader) func() { return func() {} }

// signalGroup passes s on to the process pid.
func signalGroup(pid int, s os.Signal) {
	if p, err := os.FindProcess(pid); err == nil {
		_ = p.Signal(s)
	}
}

// exitStatus returns the command's exit code.
func exitStatus(ps *os.ProcessState) (int, bool) {
	if ps == nil {
		return 0, false
	}
	return ps.ExitCode(), true
}
