package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/memory"
)

const (
	testKeyA = "MZYpTFs6LnU40Kz6Wx4N7qgU5DUmsamdtiaEmWd1dPA="
	testKeyB = "7yGFQvsiaQl3LQaWgaKa9RIFbN6/XIdwUWNg92gr6AA="
	// testValue is the secret value tests check never leaks.
	testValue = "sk-test-value-9f8e7d"
)

// harness runs julep in-process over one shared memory database, the way
// storeopen would open it, with its own environment.
type harness struct {
	t   *testing.T
	db  *memory.DB
	env map[string]string
	now time.Time
	// wrap, when set, wraps every store the command opens.
	wrap func(secrets.Store) secrets.Store
}

func newHarness(t *testing.T) *harness {
	return &harness{t: t, db: memory.NewDB(), env: map[string]string{secrets.EnvMasterKey: testKeyA},
		now: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)}
}

type result struct {
	code           int
	stdout, stderr string
}

func (h *harness) run(stdin string, args ...string) result {
	h.t.Helper()
	var out, errb bytes.Buffer
	a := newApp(strings.NewReader(stdin), &out, &errb, func(k string) string { return h.env[k] })
	a.now = func() time.Time { return h.now }
	a.openStore = func(_ context.Context, spec string, _ bool) (secrets.Store, error) {
		if spec != "sqlite:test" {
			return nil, fmt.Errorf("unexpected spec %q", spec)
		}
		key, err := secrets.MasterKeyFromLookup(func(k string) (string, bool) { v, ok := h.env[k]; return v, ok })
		if err != nil {
			return nil, err
		}
		st, err := memory.Open(h.db, key)
		if err != nil || h.wrap == nil {
			return st, err
		}
		return h.wrap(st), nil
	}
	h.env[envStore] = "sqlite:test"
	code := a.execute(context.Background(), args)
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

// ok runs a command that must succeed and never print the value.
func (h *harness) ok(args ...string) result {
	h.t.Helper()
	r := h.run("", args...)
	require.Equal(h.t, exitOK, r.code, "julep %s: stderr %s", mask(strings.Join(args, " ")), mask(r.stderr))
	return r
}

func TestExitCodes(t *testing.T) {
	h := newHarness(t)
	h.ok("secrets", "create", "--name", "existing", "--value", testValue)
	tests := []struct {
		name   string
		env    map[string]string
		args   []string
		code   int
		stderr string
	}{
		{name: "not found", args: []string{"secrets", "get", "nope"}, code: exitNotFound,
			stderr: `julep: secret "nope" not found for developer "default" (see: julep secrets list)` + "\n"},
		{name: "already exists", args: []string{"secrets", "create", "--name", "existing", "--value", testValue}, code: exitExists,
			stderr: `julep: secret "existing" already exists for developer "default"`},
		{name: "invalid name", args: []string{"secrets", "create", "--name", "no spaces", "--value", testValue}, code: exitInvalid,
			stderr: `julep: create secret "no spaces": invalid secret`},
		{name: "description too long", args: []string{"secrets", "update", "existing", "--description", strings.Repeat("d", 1001)}, code: exitInvalid},
		{name: "missing master key", env: map[string]string{secrets.EnvMasterKey: ""}, args: []string{"secrets", "list"}, code: exitEncryption,
			stderr: `julep: no master key: set JULEP_MASTER_KEY to a key made by "julep keygen"`},
		{name: "wrong master key", env: map[string]string{secrets.EnvMasterKey: testKeyB}, args: []string{"secrets", "get", "existing"}, code: exitEncryption,
			stderr: "not the master key of this store (data key 1 is wrapped by master key fingerprint "},
		{name: "wrong master key says what to do", env: map[string]string{secrets.EnvMasterKey: testKeyB}, args: []string{"secrets", "list"}, code: exitEncryption,
			stderr: "): use the master key this store was created with (or last re-wrapped to)\n"},
		{name: "malformed master key", env: map[string]string{secrets.EnvMasterKey: "short"}, args: []string{"secrets", "list"}, code: exitEncryption},
		{name: "missing name", args: []string{"secrets", "create", "--value", testValue}, code: exitUsage, stderr: "julep: missing --name NAME"},
		{name: "both values", args: []string{"secrets", "create", "--name", "x", "--value", testValue, "--value-stdin"}, code: exitUsage},
		{name: "bad k=v", args: []string{"secrets", "list", "--metadata", "k"}, code: exitUsage},
		{name: "bad duration", args: []string{"secrets", "list", "--expiring-within", "7"}, code: exitUsage},
		{name: "unknown flag", args: []string{"secrets", "list", "--nope"}, code: exitUsage, stderr: "julep: unknown flag: --nope (see: julep secrets list --help)\n"},
		{name: "unknown command", args: []string{"nope"}, code: exitUsage, stderr: `julep: unknown command "nope" for "julep"`},
		{name: "bad log level", args: []string{"--log-level", "x", "secrets", "list"}, code: exitUsage},
		{name: "version not supported", args: []string{"secrets", "get", "existing", "--version", "7"}, code: exitUsage, stderr: "not supported yet"},
		{name: "remote mode", env: map[string]string{envBaseURL: "http://localhost:1"}, args: []string{"secrets", "list"}, code: exitGeneral},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			saved := map[string]string{}
			for k, v := range tt.env {
				saved[k] = h.env[k]
				h.env[k] = v
			}
			defer func() {
				for k, v := range saved {
					h.env[k] = v
				}
			}()
			r := h.run("", tt.args...)
			noValue(t, r.stdout+r.stderr, testValue, tt.name)
			stderr := mask(r.stderr)
			assert.Equal(t, tt.code, r.code, "stderr: %s", stderr)
			assert.True(t, strings.HasPrefix(stderr, "julep: "), "stderr starts with julep: %q", stderr)
			assert.Contains(t, stderr, tt.stderr)
			assert.Empty(t, mask(r.stdout))
		})
	}
}

// TestMistypedValueIsNotEchoed: a value typed where julep does not expect one
// is a usage error that does not repeat it.
func TestMistypedValueIsNotEchoed(t *testing.T) {
	h := newHarness(t)
	h.ok("secrets", "create", "--name", "existing", "--value", "v1")
	for label, args := range map[string][]string{
		"positional after --value-stdin": {"secrets", "create", "--name", "k", "--value-stdin", testValue},
		"--value-stdin=VALUE":            {"secrets", "create", "--name", "k", "--value-stdin=" + testValue},
		"update --value-stdin=VALUE":     {"secrets", "update", "existing", "--value-stdin=" + testValue},
		"update positional":              {"secrets", "update", "existing", "--value-stdin", testValue},
	} {
		r := h.run("", args...)
		assert.Equal(t, exitUsage, r.code, "%s: %s", label, mask(r.stderr))
		assert.True(t, strings.HasPrefix(r.stderr, "julep: "), label)
		noValue(t, r.stdout+r.stderr, testValue, label)
	}
	r := h.run("", "secrets", "list", "extra")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, `unexpected argument "extra"`, "harmless arguments are still quoted")
}

func TestTamperedCiphertextIsExit6(t *testing.T) {
	h := newHarness(t)
	h.ok("secrets", "create", "--name", "api_key", "--value", testValue)
	var got secrets.Secret
	require.NoError(t, json.Unmarshal([]byte(h.ok("secrets", "get", "api_key", "--json").stdout), &got))
	require.True(t, got.Value == testValue, "get --json returns the value")

	ct, ok := h.db.Ciphertext(got.ID)
	require.True(t, ok)
	ct[len(ct)-1] ^= 1
	require.True(t, h.db.SetCiphertext(got.ID, ct))

	r := h.run("", "secrets", "get", "api_key")
	assert.Equal(t, exitEncryption, r.code)
	assert.Contains(t, r.stderr, `julep: secret "api_key" cannot be decrypted (its stored value does not authenticate`)
	assert.Contains(t, r.stderr, "replace the value with: julep secrets update api_key --value-stdin")
	noValue(t, r.stderr+r.stdout, testValue, "get of a tampered secret")

	// Changing anything but the value fails the same way and writes nothing.
	for _, args := range [][]string{
		{"--metadata", "a=b"}, {"--description", "d"}, {"--new-name", "other"},
	} {
		r = h.run("", append([]string{"secrets", "update", "api_key"}, args...)...)
		assert.Equal(t, exitEncryption, r.code, "update %v: %s", args, mask(r.stderr))
		assert.Contains(t, r.stderr, `secret "api_key" cannot be decrypted`)
		now, ok := h.db.Ciphertext(got.ID)
		require.True(t, ok)
		assert.True(t, bytes.Equal(ct, now), "update %v left the ciphertext alone", args)
	}
	list := h.ok("secrets", "list", "--json").stdout
	assert.Contains(t, list, `"name": "api_key"`)
	assert.Contains(t, list, `"metadata": {}`)

	// The advice works: a new value replaces the damaged one.
	r = h.run(testValue+"-new\n", "secrets", "update", "api_key", "--value-stdin")
	require.Equal(t, exitOK, r.code, mask(r.stderr))
	assert.Equal(t, "Updated secret \"api_key\" (version 2).\n", r.stdout)
	assert.Contains(t, r.stderr, `julep: note: the previous value of secret "api_key" could not be decrypted (damaged or tampered with); it was replaced`)
	require.NoError(t, json.Unmarshal([]byte(h.ok("secrets", "get", "api_key", "--json").stdout), &got))
	assert.True(t, got.Value == testValue+"-new", "get after replacing the value")
}

// mask hides the test values in text that goes into a failure message.
func mask(text string) string {
	return strings.ReplaceAll(text, testValue[:8], "<test value>")
}

// noValue fails when text contains value, without printing either.
func noValue(t *testing.T, text, value, what string) {
	t.Helper()
	if strings.Contains(text, value) {
		t.Errorf("%s: output contains the secret value (output withheld)", what)
	}
}

// TestNeverPrintsValue runs every command that must not show the value and
// checks stdout and stderr, at debug level.
func TestNeverPrintsValue(t *testing.T) {
	h := newHarness(t)
	steps := [][]string{
		{"secrets", "create", "--name", "a", "--value", testValue, "--metadata", "k=v", "--expires-in", "1d"},
		{"secrets", "create", "--name", "b", "--value-stdin"},
		{"secrets", "list"},
		{"secrets", "list", "--json"},
		{"secrets", "list", "--expiring-within", "7d", "--json"},
		{"secrets", "update", "a", "--value", testValue + "2"},
		{"secrets", "update", "a", "--value-stdin", "--metadata", "x=y"},
		{"secrets", "update", "a", "--new-name", "c"},
		{"secrets", "delete", "c"},
	}
	for _, args := range steps {
		r := h.run(testValue+"\n", append([]string{"--log-level", "debug"}, args...)...)
		cmdline := mask(strings.Join(args, " "))
		require.Equal(t, exitOK, r.code, "julep %s: %s", cmdline, mask(r.stderr))
		noValue(t, r.stdout, testValue[:8], "stdout of julep "+cmdline)
		noValue(t, r.stderr, testValue[:8], "stderr of julep "+cmdline)
		assert.Contains(t, mask(r.stderr), "level=DEBUG")
	}
}

func TestListJSONShape(t *testing.T) {
	h := newHarness(t)
	h.ok("secrets", "create", "--name", "b", "--value", testValue, "--description", "B")
	h.ok("secrets", "create", "--name", "a", "--value", testValue, "--metadata", "env=prod")
	var doc struct {
		Items []map[string]any `json:"items"`
	}
	out := h.ok("secrets", "list", "--json").stdout
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	require.Len(t, doc.Items, 2)
	assert.Equal(t, "a", doc.Items[0]["name"])
	assert.Equal(t, map[string]any{"env": "prod"}, doc.Items[0]["metadata"])
	assert.Equal(t, map[string]any{}, doc.Items[1]["metadata"], "no metadata is {} not null")
	for _, it := range doc.Items {
		assert.Equal(t, "ENCRYPTED", it["value"])
		for _, k := range []string{"id", "developer_id", "description", "created_at", "updated_at", "version"} {
			assert.Contains(t, it, k)
		}
	}
}

func TestExpiry(t *testing.T) {
	h := newHarness(t)
	h.ok("secrets", "create", "--name", "in_3d", "--value", testValue, "--expires-in", "3d")
	h.ok("secrets", "create", "--name", "in_2w", "--value", testValue, "--expires-in", "2w")
	h.ok("secrets", "create", "--name", "past", "--value", testValue, "--metadata", "expires_at=2026-04-01T00:00:00Z")
	h.ok("secrets", "create", "--name", "bad_date", "--value", testValue, "--metadata", "expires_at=soon")
	h.ok("secrets", "create", "--name", "none", "--value", testValue)

	var s secrets.Secret
	require.NoError(t, json.Unmarshal([]byte(h.ok("secrets", "get", "in_3d", "--json").stdout), &s))
	assert.Equal(t, "2026-05-04T12:00:00Z", s.Metadata["expires_at"])

	names := func(args ...string) []string {
		var doc struct {
			Items []secrets.Secret `json:"items"`
		}
		require.NoError(t, json.Unmarshal([]byte(h.ok(append([]string{"secrets", "list", "--json"}, args...)...).stdout), &doc))
		var n []string
		for _, it := range doc.Items {
			n = append(n, it.Name)
		}
		return n
	}
	assert.Equal(t, []string{"in_3d", "past"}, names("--expiring-within", "7d"))
	assert.Equal(t, []string{"in_3d", "past"}, names("--expiring-within", "3d"), "the window includes its end")
	assert.Equal(t, []string{"in_2w", "in_3d", "past"}, names("--expiring-within", "30d"))
	assert.Equal(t, []string{"past"}, names("--expiring-within", "0s"))
	assert.Equal(t, []string{"in_3d"}, names("--expiring-within", "30d", "--offset", "1", "--limit", "1"))

	table := h.ok("secrets", "list").stdout
	assert.Regexp(t, `(?m)^past +- +- +1 +\S+ +2026-04-01T00:00:00Z EXPIRED$`, table)
	assert.Regexp(t, `(?m)^in_3d +- +- +1 +\S+ +2026-05-04T12:00:00Z$`, table)
	assert.Regexp(t, `(?m)^bad_date +- +- +1 +\S+ +soon \(unreadable\)$`, table)
	assert.Regexp(t, `(?m)^none +- +- +1 +\S+ +-$`, table)
}

func TestExitCodeMapping(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{nil, exitOK},
		{errors.New("boom"), exitGeneral},
		{usageErr(nil, "bad"), exitUsage},
		{fmt.Errorf("ctx: %w", usageErr(nil, "bad")), exitUsage},
		{fmt.Errorf("get: %w", secrets.ErrNotFound), exitNotFound},
		{fmt.Errorf("create: %w", secrets.ErrAlreadyExists), exitExists},
		{&secrets.ValidationError{}, exitInvalid},
		{secrets.ErrNoMasterKey, exitEncryption},
		{fmt.Errorf("x: %w", secrets.ErrEncryption), exitEncryption},
		{fmt.Errorf("x: %w", secrets.ErrPermissionDenied), exitGeneral},
		{&friendlyError{msg: "m", err: secrets.ErrNotFound}, exitNotFound},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, exitCode(tt.err), "%v", tt.err)
	}
}

// TestExplainEncryptionErrors: a secret that does not decrypt and a master
// key that does not open the keyring (say, re-wrapped by another process
// meanwhile) get different advice.
func TestExplainEncryptionErrors(t *testing.T) {
	a := newApp(strings.NewReader(""), io.Discard, io.Discard, func(string) string { return "" })
	wrong := fmt.Errorf("create secret %q: %w", "k", fmt.Errorf("%w: JULEP_MASTER_KEY is not the master key of this store: use the master key this store was created with", secrets.ErrWrongMasterKey))
	got := a.explain(wrong, "k")
	assert.Equal(t, exitEncryption, exitCode(got))
	assert.NotContains(t, got.Error(), "cannot be decrypted")
	assert.Contains(t, got.Error(), "use the master key this store was created with")

	tampered := fmt.Errorf("get secret %q: %w", "k", secrets.DecryptError("k", fmt.Errorf("%w: ciphertext does not authenticate", secrets.ErrEncryption)))
	got = a.explain(tampered, "k")
	assert.Equal(t, exitEncryption, exitCode(got))
	assert.Contains(t, got.Error(), `secret "k" cannot be decrypted`)

	unknown := secrets.DecryptError("k", &secrets.UnknownKeyError{KeyID: 7})
	assert.Contains(t, a.explain(unknown, "k").Error(), "sealed with data key 7")
}

func TestRedactURL(t *testing.T) {
	assert.Equal(t, "sqlite:/tmp/x.db", redactURL("sqlite:/tmp/x.db"))
	assert.Equal(t, "postgres://user:xxxxx@db:5432/julep", redactURL("postgres://user:hunter2@db:5432/julep"))
	assert.NotContains(t, redactURL("postgres://user:hunter2@db:5432/julep"), "hunter2")
	assert.NotContains(t, redactURL("postgres://u:pw%zz@db"), "pw")
}

func TestCellsStayOnOneLine(t *testing.T) {
	assert.Equal(t, "a b c", cell("a\tb\nc", 10))
	assert.Equal(t, "abcd…", cell("abcdefgh", 5))
	assert.Equal(t, "ééé", cell("ééé", 3))
	assert.Equal(t, "a=1,b=[1,2],c=x", formatMetadata(map[string]any{"c": "x", "a": "1", "b": []any{1, 2}}, ","))
}

func TestPage(t *testing.T) {
	items := make([]*secrets.Secret, 5)
	for i := range items {
		items[i] = &secrets.Secret{Name: fmt.Sprint(i)}
	}
	assert.Len(t, page(items, 0, 0), 5)
	assert.Len(t, page(items, 2, 0), 2)
	assert.Equal(t, "4", page(items, 2, 4)[0].Name)
	assert.Empty(t, page(items, 2, 5))
	assert.Empty(t, page(items, 2, 99))
}

// TestLogsAndErrorsAreRedacted checks the wiring of the redactor: a value the
// process has seen is masked in log lines and in the printed error.
func TestLogsAndErrorsAreRedacted(t *testing.T) {
	var out, errb bytes.Buffer
	a := newApp(strings.NewReader(""), &out, &errb, func(string) string { return "" })
	cmd := a.rootCmd()
	require.NoError(t, a.setup(cmd, nil))
	a.redactor.Add("api_key", testValue)
	a.log.Warn("oops", "leak", testValue)
	noValue(t, errb.String(), testValue, "log line")
	assert.Contains(t, mask(errb.String()), "[REDACTED:api_key]")

	errb.Reset()
	a.openStore = func(context.Context, string, bool) (secrets.Store, error) {
		return nil, fmt.Errorf("store says %s", testValue)
	}
	code := a.execute(context.Background(), []string{"secrets", "list"})
	assert.Equal(t, exitGeneral, code)
	assert.Contains(t, mask(errb.String()), "julep: open store: store says [REDACTED:api_key]")
	noValue(t, errb.String(), testValue, "printed error")
}

// interleavingStore runs other once, as if another process wrote at that
// moment: right after the command's first Get, or right before its Update.
type interleavingStore struct {
	secrets.Store
	other func()
}

func (s *interleavingStore) fire() {
	if f := s.other; f != nil {
		s.other = nil
		f()
	}
}

func (s *interleavingStore) Get(ctx context.Context, dev, name string) (*secrets.Secret, error) {
	g, err := s.Store.Get(ctx, dev, name)
	s.fire()
	return g, err
}

func (s *interleavingStore) Update(ctx context.Context, dev, name string, p secrets.UpdateParams) (*secrets.Secret, error) {
	s.fire()
	return s.Store.Update(ctx, dev, name, p)
}

// TestUpdateMetadataKeepsConcurrentChanges: "update --metadata" merges in the
// store, so a key another process sets meanwhile is not lost.
func TestUpdateMetadataKeepsConcurrentChanges(t *testing.T) {
	for label, extra := range map[string][]string{
		"metadata only":    nil,
		"with a new value": {"--value", testValue + "-2"},
		"with description": {"--description", "d"},
	} {
		t.Run(label, func(t *testing.T) {
			h := newHarness(t)
			h.ok("secrets", "create", "--name", "k", "--value", testValue, "--metadata", "a=1")
			h.wrap = func(st secrets.Store) secrets.Store {
				return &interleavingStore{Store: st, other: func() {
					_, err := st.Update(context.Background(), "default", "k", secrets.UpdateParams{
						Metadata: map[string]any{"a": "1", "other": "x"}})
					require.NoError(t, err)
				}}
			}
			h.ok(append([]string{"secrets", "update", "k", "--metadata", "mine=y"}, extra...)...)
			h.wrap = nil
			var s secrets.Secret
			require.NoError(t, json.Unmarshal([]byte(h.ok("secrets", "get", "k", "--json").stdout), &s))
			assert.Equal(t, map[string]any{"a": "1", "other": "x", "mine": "y"}, s.Metadata)
		})
	}
}

// TestBinaryValueIsRefused: get --json could not return bytes that are not
// UTF-8 unchanged, so create refuses them with a hint.
func TestBinaryValueIsRefused(t *testing.T) {
	h := newHarness(t)
	r := h.run("\xff\xfe\x00binary", "secrets", "create", "--name", "bin", "--value-stdin")
	assert.Equal(t, exitInvalid, r.code)
	assert.Contains(t, r.stderr, `julep: create secret "bin": invalid secret: value: is not valid UTF-8 text (store binary data base64-encoded)`)
	assert.Equal(t, exitNotFound, h.run("", "secrets", "get", "bin").code, "nothing was stored")
}
