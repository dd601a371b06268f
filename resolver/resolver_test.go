package resolver

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/engine"
	"github.com/julepkit/julep/providers"
	"github.com/julepkit/julep/redact"
	"github.com/julepkit/julep/steps"
)

// testSecrets are the values every test source holds.
var testSecrets = MapSource{
	"api_token":      "tok-test-a1b2c3d4e5f6",
	"api_key":        "ak-test-5e6f7a8b9c0d",
	"db_host":        "db-test.internal:5432",
	"db_user":        "dbuser_test",
	"db_password":    "p@ss \"w0rd\"/&-93",
	"port_number":    "not-a-port-value",
	"OPENAI_API_KEY": "sk-proj-test-123456789",
	"svc_key":        "svc-test-0099887766",
	"pin":            "42",
}

func parseTask(t testing.TB, src string) *steps.Task {
	t.Helper()
	task, err := steps.Parse("task.yaml", []byte(src))
	require.NoError(t, err)
	return task
}

func prepare(t testing.TB, src string, source SecretSource, opts ...Option) (*Resolver, *Plan) {
	t.Helper()
	r := New(source, opts...)
	p, err := r.Prepare(parseTask(t, src))
	require.NoError(t, err)
	return r, p
}

// assertNoValues fails when s holds any test secret value of 4+ bytes.
func assertNoValues(t *testing.T, s string) {
	t.Helper()
	for name, v := range testSecrets {
		if len(v) >= 4 && strings.Contains(s, v) {
			t.Errorf("output contains the value of secret %s", name)
		}
	}
}

func display(t *testing.T, rs *ResolvedStep) string {
	t.Helper()
	b, err := json.Marshal(rs.Display())
	require.NoError(t, err)
	return string(b)
}

func TestResolveStepTable(t *testing.T) {
	tests := []struct {
		name    string
		task    string
		path    string
		vars    map[string]any
		display string            // JSON of Display (escaped as encoding/json does)
		reveal  map[string]string // dotted path in Value -> expected string
		secrets []string
	}{
		{
			name: "secret_name credential",
			task: `
steps:
  - kind: tool_call
    tool: openai
    operation: chat
    arguments: {model: gpt-4}
    secret_name: api_key
`,
			path:    "steps[0]",
			display: `{"tool":"openai","operation":"chat","arguments":{"model":"gpt-4"},"credentials":{"secret_name":"[REDACTED:api_key]"}}`,
			secrets: []string{"api_key"},
		},
		{
			name: "secrets map",
			task: `
steps:
  - kind: tool_call
    tool: email
    secrets: {service_api_key: svc_key, token: api_token}
`,
			path:    "steps[0]",
			display: `{"tool":"email","credentials":{"service_api_key":"[REDACTED:svc_key]","token":"[REDACTED:api_token]"}}`,
			secrets: []string{"api_token", "svc_key"},
		},
		{
			name: "f-string url in transform",
			task: `
steps:
  - kind: transform
    expression: "$ f'https://api.example.com/v1?api_key={secrets.api_key}&query={input}'"
    input: "search query"
    output: api_url
`,
			path:    "steps[0]",
			display: `{"input":"search query","value":"https://api.example.com/v1?api_key=[REDACTED:api_key]\u0026query=search query","output":"api_url"}`,
			reveal:  map[string]string{"value": "https://api.example.com/v1?api_key=ak-test-5e6f7a8b9c0d&query=search query"},
			secrets: []string{"api_key"},
		},
		{
			name: "headers and nested connection block",
			task: `
steps:
  - kind: tool_call
    tool: api
    arguments:
      headers:
        Authorization: "$ f'Bearer {secrets.api_token}'"
      connection:
        hosts: ["$ secrets.db_host", {user: "$ secrets.db_user"}]
        password: "$ secrets.db_password"
`,
			path:    "steps[0]",
			display: `{"tool":"api","arguments":{"headers":{"Authorization":"Bearer [REDACTED:api_token]"},"connection":{"hosts":["[REDACTED:db_host]",{"user":"[REDACTED:db_user]"}],"password":"[REDACTED:db_password]"}}}`,
			reveal:  map[string]string{"arguments.headers.Authorization": "Bearer tok-test-a1b2c3d4e5f6"},
			secrets: []string{"api_token", "db_host", "db_password", "db_user"},
		},
		{
			name: "prompt template variables",
			task: `
steps:
  - kind: prompt
    model: gpt-4
    prompt: "Access {{ db_url }} as {{ credentials }}"
    template_variables:
      db_url: "$ secrets.db_host"
      credentials: "$ f'User: {secrets.db_user}'"
`,
			path:    "steps[0]",
			display: `{"model":"gpt-4","template_variables":{"db_url":"[REDACTED:db_host]","credentials":"User: [REDACTED:db_user]"},"prompt":"Access [REDACTED:db_host] as User: [REDACTED:db_user]","credentials":{"api_key":"[REDACTED:OPENAI_API_KEY]"}}`,
			reveal:  map[string]string{"prompt": "Access db-test.internal:5432 as User: dbuser_test"},
			secrets: []string{"OPENAI_API_KEY", "db_host", "db_user"},
		},
		{
			name: "scope variables",
			task: `
name: t
main:
  - evaluate:
      topic: "$ steps[0].input.topic.upper()"
      first: "$ _['items'][0]"
      plain: "hello {_['items'][1]}"
`,
			path:    "main[0]",
			vars:    map[string]any{"steps": []any{map[string]any{"input": map[string]any{"topic": "go"}}}, "_": map[string]any{"items": []any{1, "two"}}},
			display: `{"evaluate":{"topic":"GO","first":1,"plain":"hello two"}}`,
		},
		{
			name: "api_call tool: tool headers win, params merged",
			task: `
name: t
tools:
  - name: weather
    type: api_call
    api_call:
      method: GET
      url: https://w.example/v1
      headers: {Authorization: "$ f'Bearer {secrets.api_token}'", Accept: application/json}
      params: {units: metric}
main:
  - tool: weather
    arguments:
      headers: {Authorization: mine, X-Id: "7"}
      params: {q: Oslo, units: imperial}
`,
			path:    "main[0]",
			display: `{"tool":"weather","type":"api_call","method":"GET","url":"https://w.example/v1","headers":{"Authorization":"Bearer [REDACTED:api_token]","X-Id":"7","Accept":"application/json"},"params":{"units":"imperial","q":"Oslo"}}`,
			secrets: []string{"api_token"},
		},
		{
			name: "integration tool: setup from secrets",
			task: `
name: t
tools:
  - name: search
    type: integration
    integration: {provider: brave, method: search, setup: {api_key: "$ secrets.svc_key"}, arguments: {count: 3}}
main:
  - tool: search
    arguments: {query: "$ _.q"}
`,
			path:    "main[0]",
			vars:    map[string]any{"_": map[string]any{"q": "go"}},
			display: `{"tool":"search","type":"integration","provider":"brave","method":"search","setup":{"api_key":"[REDACTED:svc_key]"},"arguments":{"count":3,"query":"go"}}`,
			secrets: []string{"svc_key"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &countingSource{src: testSecrets}
			r, p := prepare(t, tt.task, src)
			rs, err := p.ResolveStep(context.Background(), "dev", tt.path, Scope{Vars: tt.vars})
			require.NoError(t, err)
			assert.Equal(t, tt.display, display(t, rs))
			if tt.secrets != nil {
				assert.Equal(t, tt.secrets, rs.Secrets)
			}
			assert.LessOrEqual(t, src.calls.Load(), int64(1), "one fetch per step")
			for path, want := range tt.reveal {
				var cur any = rs.Value()
				for _, k := range strings.Split(path, ".") {
					cur, _ = cur.(*Object).Get(k)
				}
				assert.Equal(t, want, cur, path)
			}
			hist, err := json.Marshal(rs)
			require.NoError(t, err)
			assertNoValues(t, string(hist))
			assertNoValues(t, display(t, rs))
			assertNoValues(t, rs.String())
			// every value that came from a secret is now masked by the redactor
			for _, n := range rs.Secrets {
				v := testSecrets[n]
				assert.Equal(t, "x [REDACTED:"+n+"] y", r.Redactor().Redact("x "+v+" y"))
			}
		})
	}
}

func TestOnlyReferencedSecretsFetched(t *testing.T) {
	src := &recordingSource{src: testSecrets}
	_, p := prepare(t, `
name: t
tools:
  - name: api
    type: function
    function: {parameters: {type: object}}
  - name: x
    type: function
    function: {parameters: {type: object}}
main:
  - evaluate: {a: "$ secrets.api_key", b: "$ secrets['api_token'] + secrets.get('api_key')"}
  - log: "no secret here"
  - tool: x
`, src)
	ctx := context.Background()
	_, err := p.ResolveStep(ctx, "dev", "main[0]", Scope{})
	require.NoError(t, err)
	_, err = p.ResolveStep(ctx, "dev", "main[1]", Scope{})
	require.NoError(t, err)
	assert.Equal(t, [][]string{{"api_key", "api_token"}}, src.batches, "one batch, only the referenced names; none for a step without secrets")
	assert.Equal(t, []string{"api_key", "api_token"}, p.Needs("main[0]"))
	assert.Empty(t, p.Needs("main[1]"))
	assert.Nil(t, p.Needs("nope[0]"))
}

type recordingSource struct {
	mu      sync.Mutex
	batches [][]string
	src     SecretSource
}

func (r *recordingSource) Fetch(ctx context.Context, dev string, names []string) (map[string]string, error) {
	r.mu.Lock()
	r.batches = append(r.batches, append([]string(nil), names...))
	r.mu.Unlock()
	return r.src.Fetch(ctx, dev, names)
}

const missingTask = `
steps:
  - kind: tool_call
    tool: api
    arguments:
      headers: {Authorization: "$ f'Bearer {secrets.api_token}'"}
    secret_name: nope_one
  - kind: transform
    expression: "$ secrets.nope_two + secrets.nope_one"
    input: x
  - kind: prompt
    model: claude-3-5-sonnet-latest
    prompt: hi
`

func TestMissingSecrets(t *testing.T) {
	ctx := context.Background()
	_, p := prepare(t, missingTask, testSecrets)
	err := p.Check(ctx, "dev")
	require.Error(t, err)
	var me *MissingSecretsError
	require.ErrorAs(t, err, &me)
	assert.Equal(t, []MissingSecret{
		{Name: "ANTHROPIC_API_KEY", Paths: []string{"steps[2]"}},
		{Name: "nope_one", Paths: []string{"steps[0]", "steps[1]"}},
		{Name: "nope_two", Paths: []string{"steps[1]"}},
	}, me.Missing)
	assert.ErrorIs(t, err, ErrMissingSecret)
	assert.Len(t, me.Unwrap(), 3)
	assert.Equal(t, []string{"ANTHROPIC_API_KEY", "nope_one", "nope_two"}, me.Names())
	assert.Contains(t, err.Error(), "nope_one (needed by steps[0], steps[1])")

	// ResolveStep refuses the step rather than substituting an empty string.
	rs, err := p.ResolveStep(ctx, "dev", "steps[1]", Scope{})
	assert.Nil(t, rs)
	require.ErrorAs(t, err, &me)
	assert.Equal(t, []string{"nope_one", "nope_two"}, me.Names())

	// AllowMissing (dry run) marks the fields instead.
	rs, err = p.ResolveStep(ctx, "dev", "steps[0]", Scope{AllowMissing: true})
	require.NoError(t, err)
	assert.Equal(t, []string{"nope_one"}, rs.Missing)
	assert.JSONEq(t, `{"tool":"api","arguments":{"headers":{"Authorization":"Bearer [REDACTED:api_token]"}},"credentials":{"secret_name":{"$missing_secret":"nope_one"}}}`, display(t, rs))
	_, ok := rs.Credential("secret_name")
	assert.False(t, ok)

	// A provider key in the environment counts only with the option.
	env := func(k string) (string, bool) { return "sk-ant-env-777777", k == "ANTHROPIC_API_KEY" }
	_, p = prepare(t, missingTask, testSecrets, WithProviderEnvFallback(env))
	require.ErrorAs(t, p.Check(ctx, "dev"), &me)
	assert.Equal(t, []string{"nope_one", "nope_two"}, me.Names())
	rs, err = p.ResolveStep(ctx, "dev", "steps[2]", Scope{})
	require.NoError(t, err)
	assert.Equal(t, &providers.KeyRef{Model: "claude-3-5-sonnet-latest", Provider: "anthropic", SecretName: "ANTHROPIC_API_KEY", Source: "env", EnvVar: "ANTHROPIC_API_KEY"}, rs.ProviderKey)
	c, ok := rs.Credential("api_key")
	require.True(t, ok)
	assert.Equal(t, "sk-ant-env-777777", c.Value())
	assert.Empty(t, rs.Secrets, "an env key is not a developer secret")

	// WithoutProviderKeys: prompts need no key.
	_, p = prepare(t, missingTask, testSecrets, WithoutProviderKeys())
	require.ErrorAs(t, p.Check(ctx, "dev"), &me)
	assert.Equal(t, []string{"nope_one", "nope_two"}, me.Names())
}

func TestProviderKeyFromAgentModel(t *testing.T) {
	_, p := prepare(t, "name: t\nmain:\n  - prompt: hello\n", testSecrets)
	rs, err := p.ResolveStep(context.Background(), "dev", "main[0]", Scope{Vars: map[string]any{"agent": map[string]any{"model": "gpt-4o"}}})
	require.NoError(t, err)
	require.NotNil(t, rs.ProviderKey)
	assert.Equal(t, "OPENAI_API_KEY", rs.ProviderKey.SecretName)
	c, ok := rs.Credential("api_key")
	require.True(t, ok)
	assert.Equal(t, testSecrets["OPENAI_API_KEY"], c.Value())

	// no model at all: no key
	rs, err = p.ResolveStep(context.Background(), "dev", "main[0]", Scope{})
	require.NoError(t, err)
	assert.Nil(t, rs.ProviderKey)

	// unknown model: an error naming it
	_, p = prepare(t, "name: t\nmain:\n  - prompt: hello\n    settings: {model: gtp-4o}\n", testSecrets)
	rs, err = p.ResolveStep(context.Background(), "dev", "main[0]", Scope{})
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrEval)
	assert.Contains(t, err.Error(), `unknown model "gtp-4o"`)
	require.NotNil(t, rs)
}

func TestCredentialsNeverPrintValues(t *testing.T) {
	_, p := prepare(t, `
steps:
  - kind: tool_call
    tool: email
    secret_name: api_key
    secrets: {svc: svc_key}
`, testSecrets)
	rs, err := p.ResolveStep(context.Background(), "dev", "steps[0]", Scope{})
	require.NoError(t, err)
	creds := rs.Credentials()
	require.Len(t, creds, 2)
	assert.Equal(t, "secret_name", creds[0].Param)
	assert.Equal(t, testSecrets["api_key"], creds[0].Value())
	assert.Equal(t, "svc", creds[1].Param)
	assert.Equal(t, testSecrets["svc_key"], creds[1].Value())
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("creds", "c", creds[0], "all", creds)
	for _, s := range []string{
		fmt.Sprint(creds), fmt.Sprintf("%v %+v %#v %s %q %x", creds[0], creds[0], creds[0], creds[0], creds[0], creds[0]),
		buf.String(), mustJSON(t, creds), mustJSON(t, rs),
	} {
		assertNoValues(t, s)
		assert.Contains(t, s, "api_key")
	}
	assert.Equal(t, "secret_name=[REDACTED:api_key]", creds[0].String())
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

func TestHistoryJSONHasReferences(t *testing.T) {
	_, p := prepare(t, `
name: t
main:
  - evaluate:
      key: "$ secrets.api_key"
      auth: "$ f'Bearer {secrets.api_token}'"
      piece: "$ secrets.api_key[:6]"
      n: "$ len(secrets.api_key)"
`, testSecrets)
	rs, err := p.ResolveStep(context.Background(), "dev", "main[0]", Scope{})
	require.NoError(t, err)
	h := mustJSON(t, rs)
	assert.Contains(t, h, `"key":{"$secret":"api_key"}`)
	assert.Contains(t, h, `"auth":"Bearer [REDACTED:api_token]"`)
	assert.Contains(t, h, `"piece":"[REDACTED]"`)
	assert.Contains(t, h, `"n":"[REDACTED]"`)
	assertNoValues(t, h)
	assert.NotContains(t, h, "ak-tes")
	v := rs.Value()
	got, _ := v.Get("evaluate")
	piece, _ := got.(*Object).Get("piece")
	assert.Equal(t, "ak-tes", piece)
}

func TestEvalErrorsAreMasked(t *testing.T) {
	_, p := prepare(t, `
name: t
main:
  - evaluate:
      port: "$ int(secrets.port_number)"
      pin: "$ int(secrets.pin) + secrets.pin"
      ok: "$ 1 + 1"
`, testSecrets)
	rs, err := p.ResolveStep(context.Background(), "dev", "main[0]", Scope{})
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrEval)
	var se StepErrors
	require.ErrorAs(t, err, &se)
	require.Len(t, se, 2)
	assert.Equal(t, "evaluate.port", se[0].At)
	assert.Equal(t, "ValueError (message hidden: the expression reads secrets.port_number)", se[0].Message)
	assert.Equal(t, "task.yaml:5:13", se[0].Pos)
	for _, e := range se {
		assertNoValues(t, e.Error())
		assert.NotContains(t, e.Message, "'42'")
	}
	assertNoValues(t, err.Error())
	got, _ := rs.Display().Get("evaluate")
	okv, _ := got.(*Object).Get("ok")
	assert.EqualValues(t, 2, okv)
}

func TestDeferred(t *testing.T) {
	_, p := prepare(t, `
name: t
main:
  - evaluate:
      a: "$ _.x"
      b: "$ steps[1].output"
      c: "$ 1"
`, testSecrets)
	rs, err := p.ResolveStep(context.Background(), "dev", "main[0]", Scope{
		Vars: map[string]any{"steps": []any{map[string]any{"input": 1}}}, Unknown: []string{"_"}, Partial: []string{"steps"},
	})
	require.NoError(t, err)
	assert.Equal(t, []Deferred{{At: "evaluate.a", Expression: "$ _.x"}, {At: "evaluate.b", Expression: "$ steps[1].output"}}, rs.Deferred)
	assert.JSONEq(t, `{"evaluate":{"a":{"$deferred":"$ _.x"},"b":{"$deferred":"$ steps[1].output"},"c":1}}`, display(t, rs))
}

func TestPrepareErrors(t *testing.T) {
	r := New(testSecrets)
	_, err := r.Prepare(parseTask(t, "name: t\nmain:\n  - evaluate: {a: \"$ secrets[_.name]\"}\n"))
	assert.ErrorIs(t, err, ErrInvalidTask)
	assert.Contains(t, err.Error(), "computed name")
	_, err = r.Prepare(nil)
	assert.ErrorIs(t, err, ErrInvalidTask)
	task, _ := steps.Parse("bad.yaml", []byte("name: t\nmain:\n  - evaluate: {a: \"$ 1 +\"}\n"))
	require.NotNil(t, task)
	_, err = r.Prepare(task)
	assert.ErrorIs(t, err, ErrInvalidTask)

	_, p := prepare(t, "name: t\nmain:\n  - log: hi\n", testSecrets)
	_, err = p.ResolveStep(context.Background(), "dev", "main[7]", Scope{})
	assert.ErrorIs(t, err, ErrUnknownStep)
	assert.Equal(t, []string{"main[0]"}, p.Paths())
	assert.NotNil(t, p.Task())
}

type blockingSource struct{}

func (blockingSource) Fetch(ctx context.Context, _ string, _ []string) (map[string]string, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func TestContextCancel(t *testing.T) {
	_, p := prepare(t, "name: t\nmain:\n  - log: \"$ secrets.api_key\"\n", blockingSource{})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := p.ResolveStep(ctx, "dev", "main[0]", Scope{})
	assert.ErrorIs(t, err, context.DeadlineExceeded)

	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	_, p = prepare(t, "name: t\nmain:\n  - log: hi\n", testSecrets)
	_, err = p.ResolveStep(ctx, "dev", "main[0]", Scope{})
	assert.ErrorIs(t, err, context.Canceled)
}

func TestConcurrentExecutions(t *testing.T) {
	under := &countingSource{src: testSecrets}
	_, p := prepare(t, `
name: t
tools:
  - name: api
    type: function
    function: {parameters: {type: object}}
  - name: x
    type: function
    function: {parameters: {type: object}}
main:
  - tool: api
    arguments:
      headers: {Authorization: "$ f'Bearer {secrets.api_token}'"}
      q: "$ _.q"
  - evaluate: {x: "$ secrets.api_key + str(_.n)"}
`, NewCache(under, time.Minute))
	var wg sync.WaitGroup
	var bad atomic.Int64
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				dev := fmt.Sprintf("dev%d", g%2)
				rs, err := p.ResolveStep(context.Background(), dev, "main[0]", Scope{Vars: map[string]any{"_": map[string]any{"q": i}}})
				if err != nil {
					bad.Add(1)
					continue
				}
				args, _ := rs.Value().Get("arguments")
				q, _ := args.(*Object).Get("q")
				if q != int64(i) {
					bad.Add(1)
				}
				rs, err = p.ResolveStep(context.Background(), dev, "main[1]", Scope{Vars: map[string]any{"_": map[string]any{"n": g}}})
				if err != nil || strings.Contains(mustJSON(t, rs), testSecrets["api_key"]) {
					bad.Add(1)
				}
			}
		}(g)
	}
	wg.Wait()
	assert.Zero(t, bad.Load())
	assert.LessOrEqual(t, under.calls.Load(), int64(8), "the cache answers repeated executions")
}

// benchScope is the scope of the benchmarks' step, as plain Go values (as
// a caller decodes them from JSON).
func benchScope() map[string]any {
	return map[string]any{
		"_":     map[string]any{"id": 7, "name": "ann", "tags": []any{"a", "", "b"}},
		"steps": []any{map[string]any{"input": map[string]any{"title": "T"}}},
	}
}

// BenchmarkResolveStep measures one Plan.ResolveStep of benchTask's step:
// 10 expressions reading 3 secrets answered by a warm Cache, and a scope of
// plain Go values. Per operation: the cache lookup, the secrets dict, the
// conversion of the scope's roots the step reads (_ and steps) with
// engine.FromGo, the 10 evaluations, engine.ToGo of each result, the registration
// of the secrets and of the strings computed from them with the redactor,
// and the resolved tree. Not included: Display, Value or JSON rendering
// (done only when asked).
func BenchmarkResolveStep(b *testing.B) {
	benchResolve(b, benchScope())
}

// BenchmarkResolveStepConverted is BenchmarkResolveStep with the scope's
// values converted once with engine.FromGo outside the loop (a worker that
// resolves several steps of an execution with the same variables): the
// difference is the cost of the scope conversion.
func BenchmarkResolveStepConverted(b *testing.B) {
	vars := benchScope()
	for k, v := range vars {
		pv, err := engine.FromGo(v)
		if err != nil {
			b.Fatal(err)
		}
		vars[k] = pv
	}
	benchResolve(b, vars)
}

func benchResolve(b *testing.B, vars map[string]any) {
	_, p := prepare(b, benchTask, NewCache(testSecrets, time.Hour))
	scope := Scope{Vars: vars}
	ctx := context.Background()
	if _, err := p.ResolveStep(ctx, "dev", "main[0]", scope); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := p.ResolveStep(ctx, "dev", "main[0]", scope); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEngineBaseline evaluates the same 10 fields with the engine
// alone: no fetch, no redaction, no tree, no engine.ToGo of the results. The
// variables (secrets included) are converted once with engine.FromGo outside
// the loop, as a worker holds them, so this is the floor that
// BenchmarkResolveStepConverted can approach.
func BenchmarkEngineBaseline(b *testing.B) {
	task := parseTask(b, benchTask)
	var fields []*steps.Value
	_ = task.WalkValues(func(_, _ string, v *steps.Value) error {
		if v.Field != nil {
			fields = append(fields, v)
		}
		return nil
	})
	vars := benchScope()
	vars["secrets"] = map[string]any{"api_key": testSecrets["api_key"], "api_token": testSecrets["api_token"], "db_host": testSecrets["db_host"]}
	for k, v := range vars {
		pv, err := engine.FromGo(v)
		if err != nil {
			b.Fatal(err)
		}
		vars[k] = pv
	}
	ctx := context.Background()
	for _, f := range fields {
		if _, err := f.Field.Eval(ctx, vars); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, f := range fields {
			if _, err := f.Field.Eval(ctx, vars); err != nil {
				b.Fatal(err)
			}
		}
	}
}

const benchTask = `
name: t
tools:
  - name: api
    type: function
    function: {parameters: {type: object}}
  - name: x
    type: function
    function: {parameters: {type: object}}
main:
  - tool: api
    arguments:
      url: "$ f'https://api.example.com/{_.id}?key={secrets.api_key}'"
      headers:
        Authorization: "$ f'Bearer {secrets.api_token}'"
        X-Host: "$ secrets.db_host"
        X-Id: "$ str(_.id)"
      body:
        name: "$ _.name.upper()"
        tags: "$ [t for t in _.tags if t]"
        count: "$ len(_.tags)"
        first: "$ _.tags[0]"
        title: "$ steps[0].input.title"
        flag: "$ _.id > 3 and True"
`

func TestPlanWithRedactor(t *testing.T) {
	r, p := prepare(t, "name: t\nmain:\n  - log: \"$ f'key {secrets.api_key}'\"\n", testSecrets)
	exec := redact.New()
	p2 := p.WithRedactor(exec)
	rs, err := p2.ResolveStep(context.Background(), "dev", "main[0]", Scope{})
	require.NoError(t, err)
	assert.Equal(t, `{"log":"key [REDACTED:api_key]"}`, display(t, rs))
	assert.Equal(t, "[REDACTED:api_key]", exec.Redact(testSecrets["api_key"]))
	assert.Equal(t, testSecrets["api_key"], r.Redactor().Redact(testSecrets["api_key"]), "the resolver's own redactor was not used")
	assert.Same(t, p, p.WithRedactor(nil))
}

// TestEvalErrorsNeverQuoteValues: the error of an expression that reads
// secrets shows its kind, the field and the expression's position, never
// the message (which may quote a value, a slice, a key or a number
// computed from one).
func TestEvalErrorsNeverQuoteValues(t *testing.T) {
	vals := MapSource{
		"long":   strings.Repeat("abcdefghij", 30),
		"quotes": `it's "q" x!`,
		"ctrl":   "abc\x01defgh",
		"tab":    "abcd\tefgh",
		"uni":    "pässwört-ü",
		"nl":     "ab\ncd-line",
		"port":   "not-a-port-value",
	}
	tests := []struct {
		expr string
		kind string
	}{
		{"int(secrets.%s)", "ValueError"},
		{"float(secrets.%s)", "ValueError"},
		{"{'k': 1}[secrets.%s]", "KeyError"},
		{"{'k': 1}[secrets.%s[:6]]", "KeyError"},
		{"{'k': 1}[len(secrets.%s) * 7]", "KeyError"},
		{"int(secrets.%s[2:9])", "ValueError"},
		{"secrets.%s.nope", "AttributeError"},
		{"secrets.%s + 1", "TypeError"},
		{"datetime.timedelta(days=len(secrets.%s) * 7 * 10**9)", "OverflowError"},
		{"range(1, 2, len(secrets.%s) * 0)", "ValueError"},
		{"'x' * (len(secrets.%s) * 10**8)", "LimitError"},
		{"{}[len(secrets.%s) * 0]", "KeyError"},
		{"{'k': 1}['kkx'] if secrets.%s else 0", "KeyError"},
		{"datetime.datetime.strptime('2020' + secrets.%s[3:], '%%Y')", "ValueError"},
		{"'-'.join([1] * 8 + [secrets.%s])", "TypeError"},
	}
	for name, value := range vals {
		for _, tt := range tests {
			expr := fmt.Sprintf(tt.expr, name)
			t.Run(name+"/"+expr, func(t *testing.T) {
				_, p := prepare(t, fmt.Sprintf("name: t\nmain:\n  - evaluate:\n      a: %q\n", "$ "+expr), MapSource{name: value})
				rs, err := p.ResolveStep(context.Background(), "dev", "main[0]", Scope{})
				require.Error(t, err)
				var se StepErrors
				require.ErrorAs(t, err, &se)
				require.Len(t, se, 1)
				assert.Equal(t, tt.kind+" (message hidden: the expression reads secrets."+name+")", se[0].Message)
				assert.Equal(t, "task.yaml:4:10", se[0].Pos, "the expression's position, not the failing operation's")
				for _, form := range []string{value, value[:4], engine.Repr(value)} {
					if strings.Contains(err.Error(), form) || strings.Contains(mustJSON(t, rs), form) || strings.Contains(display(t, rs), form) {
						t.Errorf("the error of %s shows a form of the secret", expr)
					}
				}
			})
		}
	}
}

// TestEvalPanicHidden: a panic while evaluating becomes an error without
// the panic's value.
func TestEvalPanicHidden(t *testing.T) {
	out, err := safeCall(func() (any, error) { panic("secret-value-in-panic") })
	assert.Nil(t, out)
	require.ErrorIs(t, err, errPanic)
	assert.NotContains(t, err.Error(), "secret-value-in-panic")
}

// TestTaintedDictKeys: a field that computes keys (or anything else) from
// secrets is one [REDACTED]: no keys, no structure; the tool gets the real
// value.
func TestTaintedDictKeys(t *testing.T) {
	_, p := prepare(t, `name: t
main:
  - evaluate:
      a: "$ {secrets.api_key[:5]: 1, secrets.api_key[1:6]: 3, 'plain': secrets.api_key[2:], secrets.api_token: 2}"
      b: "$ dict(kw=secrets.db_host[0], **{secrets.db_host[:1]: 0})"
      c: "$ {'Authorization': 'Bearer ' + secrets.api_token, 'n': [1, secrets.db_host]}"
`, testSecrets)
	rs, err := p.ResolveStep(context.Background(), "dev", "main[0]", Scope{})
	require.NoError(t, err)
	assert.Equal(t, `{"evaluate":{"a":"[REDACTED]","b":"[REDACTED]","c":{"Authorization":"Bearer [REDACTED:api_token]","n":[1,"[REDACTED:db_host]"]}}}`, display(t, rs))
	hist := mustJSON(t, rs)
	for _, leak := range []string{testSecrets["api_key"][:5], testSecrets["api_key"][1:6], `"d"`, "plain"} {
		assert.NotContains(t, hist, leak)
	}
	args, _ := rs.Value().Get("evaluate")
	a, _ := args.(*Object).Get("a")
	assert.Contains(t, a, testSecrets["api_key"][:5], "the tool gets the real keys")
}
