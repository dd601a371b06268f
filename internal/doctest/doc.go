// Package doctest holds the test that runs the documentation's examples:
// every fenced block of README.md and docs/*.md marked with the comment
// <!-- doctest --> on the line before it is a terminal session, run against
// freshly built julep and julep-run binaries in a temporary HOME.
//
// In a session, a line "$ COMMAND" runs COMMAND with sh; the lines up to the
// next "$ " line are its expected output (stdout and stderr together), and a
// last line "[exit N]" its exit status (not checked when absent). "$ cat FILE" shows a
// file: when FILE is not in the repository, the session creates it with the
// lines shown. Commands run in a scratch directory that links the
// repository's top-level entries, so they read repository files by their
// relative paths and write nowhere else.
package doctest
