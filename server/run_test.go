package server_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/apikeys"
	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/memory"
	"github.com/julepkit/julep/server"
)

// slowStore makes Get take a while, to have a request in flight.
type slowStore struct {
	secrets.Store
	started chan struct{}
}

func (s slowStore) Get(ctx context.Context, dev, name string) (*secrets.Secret, error) {
	close(s.started)
	time.Sleep(300 * time.Millisecond)
	return s.Store.Get(ctx, dev, name)
}

func newRunServer(t *testing.T, wrap func(secrets.Store) secrets.Store) (*server.Server, string) {
	master, err := secrets.ParseMasterKey(secrets.GenerateMasterKey(), "test")
	require.NoError(t, err)
	st, err := memory.New(master)
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	_, err = st.Create(context.Background(), "dev", secrets.CreateParams{Name: "slow", Value: "slow-value-1"})
	require.NoError(t, err)
	keys := apikeys.NewMemory()
	key, _, err := apikeys.Create(context.Background(), keys, "dev", time.Now())
	require.NoError(t, err)
	srv, err := server.New(server.Config{Store: wrap(st), Keys: keys})
	require.NoError(t, err)
	return srv, key
}

// TestGracefulShutdown: when Run's context ends (SIGTERM in julep serve),
// a request in flight still gets its whole answer, and Run returns nil.
func TestGracefulShutdown(t *testing.T) {
	started := make(chan struct{})
	srv, key := newRunServer(t, func(st secrets.Store) secrets.Store { return slowStore{st, started} })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx, ln, "", "") }()

	type answer struct {
		status int
		body   string
		err    error
	}
	got := make(chan answer, 1)
	go func() {
		req, _ := http.NewRequest("GET", "http://"+ln.Addr().String()+"/secrets/slow", nil)
		req.Header.Set("Authorization", "Bearer "+key)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			got <- answer{err: err}
			return
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		got <- answer{res.StatusCode, string(b), err}
	}()
	<-started
	cancel() // the request is in the handler now
	a := <-got
	require.NoError(t, a.err)
	assert.Equal(t, 200, a.status)
	assert.True(t, strings.Contains(a.body, `"name":"slow"`))
	require.NoError(t, <-done)
	_, err = net.DialTimeout("tcp", ln.Addr().String(), time.Second)
	assert.Error(t, err, "the listener is closed after shutdown")
}

// TestTLS: with a certificate and key, Run serves HTTPS only.
func TestTLS(t *testing.T) {
	srv, key := newRunServer(t, func(st secrets.Store) secrets.Store { return st })
	dir := t.TempDir()
	certFile, keyFile, pool := selfSigned(t, dir)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx, ln, certFile, keyFile) }()
	defer func() { cancel(); require.NoError(t, <-done) }()

	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	req, _ := http.NewRequest("GET", "https://"+ln.Addr().String()+"/secrets", nil)
	req.Header.Set("Authorization", "Bearer "+key)
	res, err := client.Do(req)
	require.NoError(t, err)
	_ = res.Body.Close()
	assert.Equal(t, 200, res.StatusCode)
	assert.NotNil(t, res.TLS)

	res, err = http.Get("http://" + ln.Addr().String() + "/healthz")
	if err == nil {
		_ = res.Body.Close()
		assert.Equal(t, http.StatusBadRequest, res.StatusCode, "plain HTTP to the TLS port is refused")
	}
}

func selfSigned(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	require.NoError(t, err)
	kb, err := x509.MarshalECPrivateKey(k)
	require.NoError(t, err)
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	require.NoError(t, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
	require.NoError(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600))
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}
