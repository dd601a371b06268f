package storebench

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/julepkit/julep/internal/pgtest"
	"github.com/julepkit/julep/resolver"
	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/postgres"
	"github.com/julepkit/julep/secrets/sqlite"
)

var ctx = context.Background()

// backends open a fresh, empty store of each kind.
var backends = []struct {
	name string
	open func(b *testing.B) secrets.Store
}{
	{"sqlite", func(b *testing.B) secrets.Store {
		st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "secrets.db"), key(b))
		if err != nil {
			b.Fatal(err)
		}
		return st
	}},
	{"postgres", func(b *testing.B) secrets.Store {
		_, dsn := pgtest.Schema(b)
		st, err := postgres.Open(ctx, dsn, key(b))
		if err != nil {
			b.Fatal(err)
		}
		return st
	}},
}

func key(b *testing.B) secrets.MasterKey {
	m, err := secrets.ParseMasterKey(secrets.GenerateMasterKey(), "bench")
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// value is a typical API key's length.
const value = "sk-live-0123456789abcdef0123456789abcdef0123456789ab"

// reportLatency reports the p50 and p99 of the sampled durations.
func reportLatency(b *testing.B, d []time.Duration) {
	slices.Sort(d)
	at := func(p float64) float64 { return float64(d[int(p*float64(len(d)-1))].Nanoseconds()) / 1e3 }
	b.ReportMetric(at(0.50), "p50-µs")
	b.ReportMetric(at(0.99), "p99-µs")
}

// BenchmarkGet reads one of 100 secrets by name with its value decrypted:
// cold (every call asks the store) and through the resolver's cache (a hit).
func BenchmarkGet(b *testing.B) {
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			st := be.open(b)
			defer st.Close()
			const n = 100
			names := make([]string, n)
			for i := range n {
				names[i] = fmt.Sprintf("SECRET_%03d", i)
				if _, err := st.Create(ctx, "dev", secrets.CreateParams{Name: names[i], Value: value}); err != nil {
					b.Fatal(err)
				}
			}
			b.Run("cold", func(b *testing.B) {
				d := make([]time.Duration, 0, b.N)
				b.ResetTimer()
				for i := range b.N {
					start := time.Now()
					s, err := st.Get(ctx, "dev", names[i%n])
					d = append(d, time.Since(start))
					if err != nil || s.Value != value {
						b.Fatal("get failed", err)
					}
				}
				b.StopTimer()
				reportLatency(b, d)
			})
			b.Run("cache", func(b *testing.B) {
				// A worker's cache: on PostgreSQL kept fresh by a Watcher.
				var c resolver.SecretSource = resolver.NewCache(resolver.StoreSource{Store: st}, time.Hour)
				if pg, ok := st.(*postgres.Store); ok {
					w := pg.Watch(postgres.WatchOptions{})
					defer w.Close()
					wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
					defer cancel()
					if err := w.WaitLive(wctx); err != nil {
						b.Fatal(err)
					}
					c = resolver.NewNotifiedCache(resolver.StoreSource{Store: st}, time.Hour, w)
				}
				for _, name := range names {
					if _, err := c.Fetch(ctx, "dev", []string{name}); err != nil {
						b.Fatal(err)
					}
				}
				d := make([]time.Duration, 0, b.N)
				b.ResetTimer()
				for i := range b.N {
					start := time.Now()
					got, err := c.Fetch(ctx, "dev", names[i%n:i%n+1])
					d = append(d, time.Since(start))
					if err != nil || got[names[i%n]] != value {
						b.Fatal("fetch failed", err)
					}
				}
				b.StopTimer()
				reportLatency(b, d)
			})
		})
	}
}

// BenchmarkWrite measures creates and value updates per second with 1, 8
// and 32 clients writing at once (each update changes the value, so each
// is a new version). b.N operations are shared among the clients.
func BenchmarkWrite(b *testing.B) {
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			for _, op := range []string{"create", "update"} {
				for _, clients := range []int{1, 8, 32} {
					b.Run(fmt.Sprintf("%s/clients=%d", op, clients), func(b *testing.B) {
						st := be.open(b)
						defer st.Close()
						const pool = 100
						if op == "update" {
							for i := range pool {
								if _, err := st.Create(ctx, "dev", secrets.CreateParams{Name: fmt.Sprintf("U%03d", i), Value: value}); err != nil {
									b.Fatal(err)
								}
							}
						}
						var next atomic.Int64
						var wg sync.WaitGroup
						errs := make(chan error, clients)
						b.ResetTimer()
						start := time.Now()
						for range clients {
							wg.Add(1)
							go func() {
								defer wg.Done()
								for {
									i := next.Add(1) - 1
									if i >= int64(b.N) {
										return
									}
									var err error
									if op == "create" {
										_, err = st.Create(ctx, "dev", secrets.CreateParams{Name: fmt.Sprintf("C%08d", i), Value: value})
									} else {
										v := fmt.Sprintf("%s-%d", value, i)
										_, err = st.Update(ctx, "dev", fmt.Sprintf("U%03d", i%pool), secrets.UpdateParams{Value: &v})
									}
									if err != nil {
										errs <- err
										return
									}
								}
							}()
						}
						wg.Wait()
						elapsed := time.Since(start)
						b.StopTimer()
						close(errs)
						for err := range errs {
							b.Fatal(err)
						}
						b.ReportMetric(float64(b.N)/elapsed.Seconds(), "ops/s")
					})
				}
			}
		})
	}
}
