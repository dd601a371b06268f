//go:build unix

package main

import (
	"io"
	"os"
	"os/exec"
	"os/signal"
	"syscall"

	"golang.org/x/sys/unix"
)

// forwardedSignals are the signals "julep run" passes on to the command.
var forwardedSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP}

// startInOwnGroup sets c up to start in a process group of its own, so that
// a signal julep passes on reaches everything the command started. When
// stdin is the terminal and julep is in its foreground, the command's group
// becomes the foreground group (so it can read the terminal, and Ctrl-C
// reaches it directly); the returned function gives the terminal back to
// julep's group after the command ends.
func startInOwnGroup(c *exec.Cmd, stdin io.Reader) (restore func()) {
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	f, ok := stdin.(*os.File)
	if !ok {
		return func() {}
	}
	fd := int(f.Fd())
	fg, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP)
	if err != nil || fg != unix.Getpgrp() {
		return func() {} // not a terminal, or julep runs in the background
	}
	c.SysProcAttr.Foreground = true
	c.SysProcAttr.Ctty = fd
	return func() {
		// julep is now a background group: taking the terminal back would
		// stop it with SIGTTOU unless that is ignored meanwhile.
		signal.Ignore(syscall.SIGTTOU)
		defer signal.Reset(syscall.SIGTTOU)
		_ = unix.IoctlSetPointerInt(fd, unix.TIOCSPGRP, unix.Getpgrp())
	}
}

// signalGroup sends s to the process group pgid.
func signalGroup(pgid int, s os.Signal) {
	if sig, ok := s.(syscall.Signal); ok {
		_ = syscall.Kill(-pgid, sig)
	}
}

// exitStatus returns the status julep run passes on: the exit code, or
// 128+N for a command ended by signal N.
func exitStatus(ps *os.ProcessState) (int, bool) {
	if ps == nil {
		return 0, false
	}
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal()), true
	}
	return ps.ExitCode(), true
}
