// Command julep-run checks and evaluates Julep task files offline:
//
//	julep-run validate TASK.yaml...
//	julep-run eval [--vars JSON|@FILE] EXPR          # EXPR without the leading "$ "; prints the JSON value
//	julep-run eval --field TEXT [--vars JSON|@FILE]  # TEXT by Julep's string rules ($ , {{ }}, f-strings)
//	julep-run eval --batch                           # JSON Lines in, JSON Lines out
//	julep-run dry-run TASK.yaml [--input JSON|@FILE] [--mock STEP_PATH=JSON]... [--secrets SOURCE] [--json]
//
// Global flags: --log-level debug|info|warn|error (or JULEP_LOG_LEVEL).
// Logs go to stderr. Exit codes: 0 ok, 1 failure, 2 usage.
package main

import "os"

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
