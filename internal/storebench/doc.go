// Package storebench holds the secret store benchmarks behind the README's
// "Secret store performance" table: get-by-name with decryption (p50 and
// p99, straight from the store and through the resolver's cache) and
// create/update throughput with 1, 8 and 32 concurrent clients, on SQLite
// and PostgreSQL. Run them with
//
//	go test ./internal/storebench -run '^$' -bench . -benchtime 2000x
//
// PostgreSQL is $JULEP_TEST_POSTGRES (see internal/pgtest); without a
// server its benchmarks are skipped.
package storebench
