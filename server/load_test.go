package server_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/julepkit/julep/apikeys"
	apisqlite "github.com/julepkit/julep/apikeys/sqlite"
	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/sqlite"
	"github.com/julepkit/julep/server"
)

var (
	loadDuration = flag.Duration("load", 0, "run TestLoad for this long per phase (e.g. 10s); default: a 1s smoke run")
	loadClients  = flag.Int("load-clients", 50, "concurrent clients of TestLoad")
	loadMaxConc  = flag.Int("load-max-concurrent", 0, "the server's Limits.MaxConcurrent in TestLoad (0: default)")
)

// TestLoad drives a real server (loopback TCP, SQLite store and API keys in
// one file, as julep serve runs) with concurrent clients: a create phase,
// then a get phase. It fails on any error or lost write and reports
// requests/s and latency percentiles:
//
//	go test ./server -run TestLoad -load 10s -v
func TestLoad(t *testing.T) {
	d, clients := *loadDuration, *loadClients
	if d == 0 {
		d, clients = time.Second, 8
	}
	ctx := context.Background()
	master, err := secrets.ParseMasterKey(secrets.GenerateMasterKey(), "test")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "secrets.db")
	st, err := sqlite.Open(ctx, path, master)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	keys, err := apisqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer keys.Close()
	key, _, err := apikeys.Create(ctx, keys, "load-dev", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Config{Store: st, Keys: keys, Limits: server.Limits{MaxConcurrent: *loadMaxConc}})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- srv.Run(runCtx, ln, "", "") }()
	defer func() {
		stop()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	base := "http://" + ln.Addr().String()
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients * 2, MaxConnsPerHost: clients * 2}}

	send := func(method, path, body string) (int, []byte, error) {
		req, err := http.NewRequest(method, base+path, strings.NewReader(body))
		if err != nil {
			return 0, nil, err
		}
		req.Header.Set("Authorization", "Bearer "+key)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		res, err := hc.Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		return res.StatusCode, b, err
	}

	// Create phase: each client creates c<i>_<n> until the time is up.
	created := make([][]string, clients)
	createStats := phase(t, "create", clients, d, func(c, n int) error {
		name := fmt.Sprintf("c%d_%d", c, n)
		st, b, err := send("POST", "/secrets", `{"name":"`+name+`","value":"load-value-`+name+`","metadata":{"client":"`+fmt.Sprint(c)+`"}}`)
		if err != nil {
			return err
		}
		if st != http.StatusCreated {
			return fmt.Errorf("create %s: %d %s", name, st, b)
		}
		created[c] = append(created[c], name)
		return nil
	})
	var all []string
	for _, c := range created {
		all = append(all, c...)
	}
	// No lost writes: the listing has exactly what was acknowledged.
	var listed []string
	for off := 0; ; off += secrets.MaxListLimit {
		st, b, err := send("GET", fmt.Sprintf("/secrets?limit=%d&offset=%d", secrets.MaxListLimit, off), "")
		if err != nil || st != 200 {
			t.Fatalf("list: %d %v", st, err)
		}
		var page []secrets.Secret
		if err := json.Unmarshal(b, &page); err != nil {
			t.Fatal(err)
		}
		for _, s := range page {
			listed = append(listed, s.Name)
		}
		if len(page) < secrets.MaxListLimit {
			break
		}
	}
	slices.Sort(all)
	slices.Sort(listed)
	if !slices.Equal(all, listed) {
		t.Fatalf("lost or extra writes: %d acknowledged, %d listed", len(all), len(listed))
	}

	// Get phase: each client reads the secrets, round robin.
	getStats := phase(t, "get", clients, d, func(c, n int) error {
		name := all[(c*7919+n)%len(all)]
		st, b, err := send("GET", "/secrets/"+name, "")
		if err != nil {
			return err
		}
		if st != 200 || !strings.Contains(string(b), `"value":"load-value-`+name+`"`) {
			return fmt.Errorf("get %s: status %d or wrong value", name, st)
		}
		return nil
	})
	t.Logf("load: %d clients, %s per phase, SQLite %s", clients, d, path)
	t.Logf("load: %s", createStats)
	t.Logf("load: %s", getStats)
	t.Logf("load: %d secrets written, %d listed afterwards (no lost writes)", len(all), len(listed))
}

type stats struct {
	name     string
	n        int
	elapsed  time.Duration
	cpu      time.Duration // user+system CPU of the whole test process
	p50, p99 time.Duration
	max      time.Duration
}

func (s stats) String() string {
	return fmt.Sprintf("%-6s %7d requests  %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms  0 errors  (%.0f req per CPU-second, server and clients together)",
		s.name, s.n, float64(s.n)/s.elapsed.Seconds(), ms(s.p50), ms(s.p99), ms(s.max), float64(s.n)/s.cpu.Seconds())
}

// cpuTime is the user+system CPU time of this process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// phase runs op from clients goroutines for d and fails the test at the
// first error.
func phase(t *testing.T, name string, clients int, d time.Duration, op func(client, n int) error) stats {
	t.Helper()
	lat := make([][]time.Duration, clients)
	errs := make(chan error, clients)
	var wg sync.WaitGroup
	cpu0 := cpuTime()
	start := time.Now()
	deadline := start.Add(d)
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; time.Now().Before(deadline); n++ {
				t0 := time.Now()
				if err := op(c, n); err != nil {
					errs <- err
					return
				}
				lat[c] = append(lat[c], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpu := cpuTime() - cpu0
	close(errs)
	for err := range errs {
		t.Fatalf("%s: %v", name, err)
	}
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	if len(all) == 0 {
		t.Fatalf("%s: no request completed", name)
	}
	slices.Sort(all)
	pct := func(p float64) time.Duration { return all[min(len(all)-1, int(p*float64(len(all))))] }
	return stats{name: name, n: len(all), elapsed: elapsed, cpu: cpu, p50: pct(0.50), p99: pct(0.99), max: all[len(all)-1]}
}
