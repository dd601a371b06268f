package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/secrets"
)

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServeSIGTERM: julep serve, sent SIGTERM while a request is still
// being uploaded, answers that request (201) and then exits 0.
func TestServeSIGTERM(t *testing.T) {
	// The store is opened from the real environment, as julep serve does.
	t.Setenv("JULEP_HOME", t.TempDir())
	t.Setenv(envStore, "")
	t.Setenv(envBaseURL, "")
	t.Setenv(secrets.EnvMasterKey, testKeyA)
	getenv := os.Getenv
	var keyOut, keyErr bytes.Buffer
	a := newApp(strings.NewReader(""), &keyOut, &keyErr, getenv)
	require.Equal(t, exitOK, a.execute(context.Background(), []string{"apikeys", "create", "--developer", "dev-sig"}), keyErr.String())
	key := strings.TrimSpace(keyOut.String())

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := "127.0.0.1:" + strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	require.NoError(t, ln.Close())

	var out, errb syncBuffer
	done := make(chan int, 1)
	go func() {
		s := newApp(strings.NewReader(""), &out, &errb, getenv)
		done <- s.execute(context.Background(), []string{"serve", "--addr", addr})
	}()
	base := "http://" + addr
	require.Eventually(t, func() bool {
		select {
		case code := <-done:
			t.Fatalf("julep serve exited with %d: %s", code, errb.String())
		default:
		}
		res, err := http.Get(base + "/readyz")
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == 200
	}, 20*time.Second, 20*time.Millisecond, "server ready")

	// A create whose body arrives in two parts, SIGTERM in between.
	pr, pw := io.Pipe()
	req, err := http.NewRequest("POST", base+"/secrets", pr)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	type answer struct {
		status int
		err    error
	}
	got := make(chan answer, 1)
	go func() {
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			got <- answer{err: err}
			return
		}
		res.Body.Close()
		got <- answer{status: res.StatusCode}
	}()
	_, err = pw.Write([]byte(`{"name": "in_flight", `))
	require.NoError(t, err)
	time.Sleep(200 * time.Millisecond) // the server is reading the body now
	require.NoError(t, syscall.Kill(syscall.Getpid(), syscall.SIGTERM))
	require.Eventually(t, func() bool { return strings.Contains(errb.String(), "shutting down") }, 10*time.Second, 10*time.Millisecond)
	_, err = pw.Write([]byte(`"value": "in-flight-value-1"}`))
	require.NoError(t, err)
	require.NoError(t, pw.Close())

	a2 := <-got
	require.NoError(t, a2.err)
	assert.Equal(t, 201, a2.status, "the request in flight is answered")
	select {
	case code := <-done:
		assert.Equal(t, exitOK, code, "stderr: %s", errb.String())
	case <-time.After(20 * time.Second):
		t.Fatal("julep serve did not exit after SIGTERM")
	}
	assert.Contains(t, errb.String(), `"msg":"server stopped"`)
	assert.NotContains(t, errb.String(), "in-flight-value")
	_, err = net.DialTimeout("tcp", addr, time.Second)
	assert.Error(t, err, "nothing listens any more")

	// The write is there, for the key's developer.
	t.Setenv("JULEP_DEVELOPER", "dev-sig")
	var o, e bytes.Buffer
	g := newApp(strings.NewReader(""), &o, &e, getenv)
	require.Equal(t, exitOK, g.execute(context.Background(), []string{"secrets", "get", "in_flight", "--json"}), e.String())
	assert.Contains(t, o.String(), `"value": "in-flight-value-1"`)
}
