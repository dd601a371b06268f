// Command julep manages a developer's secrets from the terminal.
//
// It stores secrets encrypted in the configured store (an embedded SQLite file
// by default, see --store and JULEP_STORE) under the master key given in
// JULEP_MASTER_KEY or JULEP_MASTER_KEY_FILE:
//
//	export JULEP_MASTER_KEY="$(julep keygen)"
//	printf '%s' "$OPENAI_KEY" | julep secrets create --name openai_api_key --value-stdin
//	julep secrets list
//	julep secrets get openai_api_key
//
// Exit codes: 0 success, 1 general error, 2 usage error, 3 secret not found,
// 4 secret already exists, 5 validation error, 6 encryption or master key error.
// See docs/cli.md for the full reference.
package main

import "os"

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
