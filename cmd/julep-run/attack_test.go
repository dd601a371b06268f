package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/apikeys"
	"github.com/julepkit/julep/internal/leakcheck"
	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/memory"
	"github.com/julepkit/julep/secrets/storeopen"
	"github.com/julepkit/julep/server"
)

// The attack suite of issue 9 through julep-run dry-run: the expressions
// of resolver/testdata/attack over hard secrets, in every evaluated field
// of every native step kind (and the kind form's transform and
// credentials), through every output mode (text, --json, --log-level
// debug) and every --secrets source (file YAML and JSON, env, store,
// http). No output holds a 4-character run of any form of any value, the
// decoders rebuild nothing, and the JSON report is the same for two sets
// of values except for which fields over secrets failed.

const attackDir = "../../resolver/testdata/attack"

func attackValues(t *testing.T, which string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(attackDir, "secrets_"+which+".json"))
	require.NoError(t, err)
	var m map[string]string
	require.NoError(t, json.Unmarshal(data, &m))
	// the provider key of the prompt steps
	m["OPENAI_API_KEY"] = map[string]string{"a": "sk-proj-AAAA-1111-bbbb", "b": "sk-proj-ZZ-99"}[which]
	return m
}

func attackTemplates(t *testing.T) []string {
	t.Helper()
	f, err := os.Open(filepath.Join(attackDir, "expressions.txt"))
	require.NoError(t, err)
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// attackTasks writes the native-form task and the kind-form task; every
// evaluated field holds an attack expression.
func attackTasks(t *testing.T, dir string) []string {
	names := []string{"api_key", "api_pre", "nl", "pw", "quote", "short", "short3", "uni"}
	var exprs []string
	for _, tpl := range attackTemplates(t) {
		for _, n := range names {
			exprs = append(exprs, strings.ReplaceAll(tpl, "NAME", n))
		}
	}
	require.GreaterOrEqual(t, len(exprs), 100)
	next := 0
	x := func() string { // the next expression, quoted for YAML
		e := exprs[next%len(exprs)]
		next++
		b, _ := json.Marshal("$ " + e)
		return string(b)
	}
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	p("name: attack")
	p("tools:")
	p("  - name: api")
	p("    type: api_call")
	p("    api_call:")
	p("      method: POST")
	p("      url: %s", x())
	p("      headers: {Authorization: %s, X-Key: %s}", x(), x())
	p("  - name: search")
	p("    type: integration")
	p("    integration: {provider: brave, method: search, setup: {api_key: %s, other: %s}}", x(), x())
	p("  - name: fn")
	p("    type: function")
	p("    function: {parameters: {type: object}}")
	p("main:")
	p("  - tool: api")
	p("    arguments: {headers: {X-A: %s}, params: {query: %s}, json: {body: %s, list: [%s, %s]}}", x(), x(), x(), x(), x())
	p("  - tool: search")
	p("    arguments: {query: %s}", x())
	p("  - tool: fn")
	p("    arguments: {a: %s, b: {c: %s}}", x(), x())
	p("  - prompt:")
	p("      - {role: system, content: %s}", x())
	p("      - {role: user, content: %s}", x())
	p("    settings: {model: gpt-4o, user: %s}", x())
	p("  - evaluate: {a: %s, b: %s}", x(), x())
	p("  - set: {a: %s, b: %s}", x(), x())
	p("  - log: %s", x())
	p("  - yield: {workflow: other, arguments: {a: %s}}", x())
	p("  - wait_for_input: {info: {question: %s, reason: %s}}", x(), x())
	p("  - if: %s", x())
	p("    then: {log: %s}", x())
	p("    else: {error: %s}", x())
	p("  - switch:")
	p("      - {case: %s, then: {log: %s}}", x(), x())
	p("      - {case: _, then: {evaluate: {a: %s}}}", x())
	p("  - foreach: {in: %s, do: {log: %s}}", x(), x())
	p("  - map_reduce:")
	p("      over: %s", x())
	p("      map: {evaluate: {a: %s}}", x())
	p("      initial: %s", x())
	p("  - parallel:")
	p("      - log: %s", x())
	p("      - evaluate: {a: %s}", x())
	p("  - evaluate: {after: \"$ _\", state: \"$ state\"}")
	p("  - return: {a: %s}", x())
	p("other:")
	p("  - return: {a: %s}", x())
	for next < len(exprs) { // the rest in evaluate steps, 8 a step
		p("  - evaluate:")
		for i := 0; i < 8 && next < len(exprs); i++ {
			p("      fld%d: %s", next, x())
		}
	}
	native := filepath.Join(dir, "native.yaml")
	require.NoError(t, os.WriteFile(native, []byte(b.String()), 0o600))

	b.Reset()
	p("name: attack kind form")
	p("tools:")
	p("  - {name: mail, type: integration, integration: {provider: email, method: send, setup: {key: %s}}}", x())
	p("steps:")
	p("  - kind: transform")
	p("    input: %s", x())
	p("    expression: \"$ f'{input} and ' + input\"")
	p("    output: out")
	p("  - kind: transform")
	p("    expression: %s", x())
	p("  - kind: tool_call")
	p("    tool: mail")
	p("    arguments: {to: %s}", x())
	p("    secret_name: pw")
	p("    secrets: {a: api_key, b: short}")
	kind := filepath.Join(dir, "kind.yaml")
	require.NoError(t, os.WriteFile(kind, []byte(b.String()), 0o600))
	return []string{native, kind}
}

var attackOutcome = regexp.MustCompile(`\{\s*"\$error":\s*"[^"]*"\s*\}|"\[REDACTED\]"`)

// normalizedSteps returns the --json report's steps with the outcome of
// masked fields (one mask or an error) made the same.
func normalizedSteps(t *testing.T, stdout string) string {
	t.Helper()
	var doc struct {
		Steps   json.RawMessage `json:"steps"`
		Missing json.RawMessage `json:"missing_secrets"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &doc), stdout)
	return attackOutcome.ReplaceAllString(string(doc.Steps)+string(doc.Missing), `"X"`)
}

// attackSources returns, for the values of one set, each --secrets source
// holding them: its flag and its environment.
func attackSources(t *testing.T, vals map[string]string, dir string) map[string]dryCase {
	ctx := context.Background()
	out := map[string]dryCase{}
	require.NoError(t, os.MkdirAll(dir, 0o700))
	// file: YAML and JSON
	var y strings.Builder
	for _, n := range sortedKeys(vals) {
		q, _ := json.Marshal(vals[n])
		fmt.Fprintf(&y, "%s: %s\n", n, q)
	}
	yf, jf := filepath.Join(dir, "s.yaml"), filepath.Join(dir, "s.json")
	require.NoError(t, os.WriteFile(yf, []byte(y.String()), 0o600))
	jb, _ := json.Marshal(vals)
	require.NoError(t, os.WriteFile(jf, jb, 0o600))
	out["file-yaml"] = dryCase{args: []string{"--secrets", "file:" + yf}}
	out["file-json"] = dryCase{args: []string{"--secrets", "file:" + jf}}
	out["env"] = dryCase{args: []string{"--secrets", "env"}, env: vals}
	// store: a SQLite file under JULEP_HOME
	home := filepath.Join(dir, "home")
	env := map[string]string{"JULEP_HOME": home, "JULEP_MASTER_KEY": secrets.GenerateMasterKey(), "JULEP_DEVELOPER": "dev-a"}
	getenv := func(k string) string { return env[k] }
	spec, err := storeopen.DefaultSpecEnv(getenv)
	require.NoError(t, err)
	st, err := storeopen.OpenEnv(ctx, spec, getenv)
	require.NoError(t, err)
	for n, v := range vals {
		_, err := st.Create(ctx, "dev-a", secrets.CreateParams{Name: n, Value: v})
		require.NoError(t, err)
	}
	require.NoError(t, st.Close())
	out["store"] = dryCase{env: env}
	// http: a julep serve over loopback
	master, err := secrets.ParseMasterKey(secrets.GenerateMasterKey(), "test")
	require.NoError(t, err)
	mem, err := memory.New(master)
	require.NoError(t, err)
	t.Cleanup(func() { mem.Close() })
	for n, v := range vals {
		_, err := mem.Create(ctx, "dev-h", secrets.CreateParams{Name: n, Value: v})
		require.NoError(t, err)
	}
	keys := apikeys.NewMemory()
	key, _, err := apikeys.Create(ctx, keys, "dev-h", time.Now())
	require.NoError(t, err)
	srv, err := server.New(server.Config{Store: mem, Keys: keys})
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	out["http"] = dryCase{args: []string{"--secrets", "http"}, env: map[string]string{"JULEP_BASE_URL": ts.URL, "JULEP_API_KEY": key}}
	return out
}

func sortedKeys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func TestDryRunAttack(t *testing.T) {
	if testing.Short() {
		t.Skip("the attack suite runs many dry runs")
	}
	dir := t.TempDir()
	tasks := attackTasks(t, dir)
	sets := map[string]map[string]string{"a": attackValues(t, "a"), "b": attackValues(t, "b")}
	reports := map[string]string{} // task/source/set -> normalized JSON steps
	for _, which := range []string{"a", "b"} {
		vals := sets[which]
		srcs := attackSources(t, vals, filepath.Join(dir, which))
		for _, task := range tasks {
			for srcName, src := range srcs {
				for _, mode := range []string{"text", "json"} {
					args := append([]string{"--log-level", "debug", "dry-run", task}, src.args...)
					if mode == "json" {
						args = append(args, "--json")
					}
					stdout, stderr, code := runDry(t, dryCase{args: args, env: src.env})
					name := fmt.Sprintf("%s/%s/%s/%s", filepath.Base(task), srcName, mode, which)
					require.NotEqual(t, 2, code, "%s: %s", name, stderr)
					require.Contains(t, stdout, "resolved", name)
					for _, f := range append(leakcheck.Scan(stdout+stderr, vals), leakcheck.Rebuilt(stdout, vals)...) {
						t.Errorf("%s: %s", name, f)
					}
					for _, f := range leakcheck.Rebuilt(stderr, vals) {
						t.Errorf("%s (log): %s", name, f)
					}
					if mode == "json" {
						reports[filepath.Base(task)+"/"+srcName+"/"+which] = normalizedSteps(t, stdout)
					}
				}
			}
		}
	}
	for k, a := range reports {
		if !strings.HasSuffix(k, "/a") {
			continue
		}
		b := reports[strings.TrimSuffix(k, "/a")+"/b"]
		assert.Equal(t, a, b, "%s: the report depends on the values", k)
	}
}
