package redact

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The redactor benchmarks: Redact and the streaming Writer over generated
// log text (HTTP access lines, JSON log records, stack traces, SQL) with
// 10, 100 and 1,000 secrets of the shapes real ones have, each registered
// with its derived forms; one line in 400 carries a secret in some form.
// Run over about 100 MB:
//
//	go test ./redact -run XXX -bench 'Log' -benchtime 13x
//
// (13 iterations of 8 MiB).

const logTextSize = 8 << 20

// secretShapes make values that look like real credentials.
var secretShapes = []func(r *rand.Rand) string{
	func(r *rand.Rand) string { return "sk-proj-" + randStr(r, alnum, 48) },
	func(r *rand.Rand) string { return "ghp_" + randStr(r, alnum, 36) },
	func(r *rand.Rand) string { return "AKIA" + randStr(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16) },
	func(r *rand.Rand) string { return randStr(r, "0123456789abcdef", 64) },
	func(r *rand.Rand) string { return "xoxb-" + randStr(r, "0123456789", 12) + "-" + randStr(r, alnum, 24) },
	func(r *rand.Rand) string { return randStr(r, alnum+"!@#$%^&*-_=+", 20) }, // a password
	func(r *rand.Rand) string {
		return "postgres://app:" + randStr(r, alnum, 16) + "@db.internal:5432/app"
	},
}

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func randStr(r *rand.Rand, alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

type logFixture struct {
	r    *Redactor
	text string
	vals []string
}

var (
	fixturesMu sync.Mutex
	fixtures   = map[int]*logFixture{}
)

// logText returns a redactor holding n secrets and about logTextSize bytes
// of log text mentioning some of them (built once per n).
func logText(n int) *logFixture {
	fixturesMu.Lock()
	defer fixturesMu.Unlock()
	if f, ok := fixtures[n]; ok {
		return f
	}
	rng := rand.New(rand.NewPCG(uint64(n), 42))
	f := &logFixture{r: New()}
	for i := range n {
		v := secretShapes[i%len(secretShapes)](rng)
		f.vals = append(f.vals, v)
		f.r.Add(fmt.Sprintf("secret_%d", i), v)
	}
	paths := []string{"/api/v1/users", "/api/v1/tasks", "/healthz", "/api/v1/secrets/list", "/static/app.js", "/api/v1/executions"}
	methods := []string{"GET", "GET", "GET", "POST", "PUT", "DELETE"}
	levels := []string{"INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"}
	var b strings.Builder
	b.Grow(logTextSize + 1024)
	line := 0
	for b.Len() < logTextSize {
		line++
		ts := fmt.Sprintf("2026-12-03T21:%02d:%02d.%03dZ", line/60000%60, line/1000%60, line%1000)
		switch k := rng.IntN(10); {
		case k < 5:
			fmt.Fprintf(&b, "%s %s http request method=%s path=%s/%d status=%d duration=%.1fms request_id=%s user_agent=\"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\"\n",
				ts, levels[rng.IntN(len(levels))], methods[rng.IntN(len(methods))], paths[rng.IntN(len(paths))], rng.IntN(100000),
				[]int{200, 200, 201, 204, 404, 500}[rng.IntN(6)], rng.Float64()*300, randStr(rng, "0123456789abcdef", 32))
		case k < 8:
			fmt.Fprintf(&b, `{"time":"%s","level":"%s","msg":"task step finished","task_id":"%s","step":"main[%d]","tokens":%d,"model":"gpt-4o-mini"}`+"\n",
				ts, levels[rng.IntN(len(levels))], randStr(rng, "0123456789abcdef", 32), rng.IntN(20), rng.IntN(5000))
		case k < 9:
			fmt.Fprintf(&b, "%s DEBUG db query=\"SELECT id, name, metadata FROM secrets WHERE developer_id = $1 ORDER BY name LIMIT %d\" rows=%d\n", ts, rng.IntN(100), rng.IntN(100))
		default:
			fmt.Fprintf(&b, "%s ERROR worker panic: runtime error: index out of range [%d] with length %d\n\tgoroutine %d [running]:\n\tmain.(*worker).run(0xc000%06x)\n\t\t/src/worker/run.go:%d +0x%x\n",
				ts, rng.IntN(10), rng.IntN(10), rng.IntN(1000), rng.IntN(1<<24), rng.IntN(500), rng.IntN(4096))
		}
		if line%400 == 0 { // a leak, in one of its forms
			v := f.vals[rng.IntN(len(f.vals))]
			forms := append([]string{v}, Forms(v)...)
			fmt.Fprintf(&b, "%s WARN config dump token=%s\n", ts, forms[rng.IntN(len(forms))])
		}
	}
	f.text = b.String()
	fixtures[n] = f
	return f
}

// threadCPU returns the CPU time the calling OS thread has used.
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// cpuMeter reports, besides the wall-clock MB/s, the throughput per second
// of CPU time of the benchmark's thread ("cpu-MB/s"): on a machine shared
// with other work the wall-clock figure measures the load as much as the
// code. It locks the goroutine to its thread for the measurement.
type cpuMeter struct {
	b     *testing.B
	start time.Duration
	bytes int64
}

func startCPU(b *testing.B, bytes int64) *cpuMeter {
	runtime.LockOSThread()
	b.SetBytes(bytes)
	b.ResetTimer()
	return &cpuMeter{b: b, start: threadCPU(), bytes: bytes}
}

func (m *cpuMeter) stop() {
	cpu := threadCPU() - m.start
	m.b.StopTimer()
	runtime.UnlockOSThread()
	if cpu > 0 {
		m.b.ReportMetric(float64(m.bytes)*float64(m.b.N)/1e6/cpu.Seconds(), "cpu-MB/s")
	}
}

func benchRedact(b *testing.B, n int) {
	f := logText(n)
	_ = f.r.Redact(f.text[:1024]) // build the matcher
	m := startCPU(b, int64(len(f.text)))
	for b.Loop() {
		_ = f.r.Redact(f.text)
	}
	m.stop()
	b.ReportMetric(float64(f.r.Len()), "patterns")
}

func benchWriter(b *testing.B, n int) {
	f := logText(n)
	_ = f.r.Redact(f.text[:1024])
	m := startCPU(b, int64(len(f.text)))
	for b.Loop() {
		w := f.r.Writer(io.Discard)
		for i := 0; i < len(f.text); i += 4096 {
			if _, err := io.WriteString(w, f.text[i:min(i+4096, len(f.text))]); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
	m.stop()
	b.ReportMetric(float64(f.r.Len()), "patterns")
}

func BenchmarkRedactLog10(b *testing.B)   { benchRedact(b, 10) }
func BenchmarkRedactLog100(b *testing.B)  { benchRedact(b, 100) }
func BenchmarkRedactLog1000(b *testing.B) { benchRedact(b, 1000) }
func BenchmarkWriterLog10(b *testing.B)   { benchWriter(b, 10) }
func BenchmarkWriterLog100(b *testing.B)  { benchWriter(b, 100) }
func BenchmarkWriterLog1000(b *testing.B) { benchWriter(b, 1000) }

// TestLogTextMasked checks the benchmark's own premise: after Redact, no
// secret of the fixture is left in the text, and the writer agrees.
func TestLogTextMasked(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 8 MiB of text")
	}
	f := logText(100)
	out := f.r.Redact(f.text)
	if !strings.Contains(out, "[REDACTED:secret_") {
		t.Fatal("the fixture leaks no secret: the benchmark would measure nothing")
	}
	for _, v := range f.vals {
		if strings.Contains(out, v) {
			t.Fatal("a secret survived Redact")
		}
	}
	var buf bytes.Buffer
	w := f.r.Writer(&buf)
	for i := 0; i < len(f.text); i += 4096 {
		_, _ = io.WriteString(w, f.text[i:min(i+4096, len(f.text))])
	}
	_ = w.Close()
	if buf.String() != out {
		t.Fatal("the writer's output differs from Redact")
	}
}

// BenchmarkScanLog1000 is the matcher's scan alone (no output built).
func BenchmarkScanLog1000(b *testing.B) {
	f := logText(1000)
	mt := f.r.matcher()
	m := startCPU(b, int64(len(f.text)))
	for b.Loop() {
		_ = mt.spans(f.text, len(f.text), nil)
	}
	m.stop()
}
