package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/storeopen"
	"github.com/julepkit/julep/steps"
)

var updateDryRun = flag.Bool("update-dryrun", false, "rewrite the dry-run golden files")

const dryDir = "testdata/dryrun"

// corpusDir is the shared Julep corpus (read-only, outside the repository).
const corpusDir = "../../../shared/corpus/julep-tasks"

type dryCase struct {
	name   string
	args   []string
	env    map[string]string
	code   int
	corpus bool // needs the shared corpus
}

func fileSecrets() string { return "--secrets=file:" + dryDir + "/secrets.yaml" }

var dryCases = []dryCase{
	{name: "seed_secret_name", args: []string{dryDir + "/seed_secret_name.yaml", fileSecrets()}},
	{name: "seed_secrets_map", args: []string{dryDir + "/seed_secrets_map.yaml", fileSecrets()}},
	{name: "seed_transform", args: []string{dryDir + "/seed_transform.yaml", fileSecrets()}},
	{name: "seed_prompt_template", args: []string{dryDir + "/seed_prompt_template.yaml", fileSecrets()}},
	{name: "seed_api_headers", args: []string{dryDir + "/seed_api_headers.yaml", fileSecrets()}},
	{name: "seed_api_headers_json", args: []string{dryDir + "/seed_api_headers.yaml", fileSecrets(), "--json"}},
	{name: "seed_database", args: []string{dryDir + "/seed_database.yaml", fileSecrets()}},
	{name: "seed_database_none", args: []string{dryDir + "/seed_database.yaml", "--secrets", "none"}, code: 1},
	{name: "llm_keys", args: []string{dryDir + "/llm_keys.yaml", fileSecrets()}},
	{name: "llm_keys_json", args: []string{dryDir + "/llm_keys.yaml", fileSecrets(), "--json"}},
	{name: "llm_keys_env", args: []string{dryDir + "/llm_keys.yaml", "--secrets", "env"}, code: 1,
		env: map[string]string{"OPENAI_API_KEY": "sk-env-test-openai-55443322", "ANTHROPIC_API_KEY": "sk-ant-env-test-11223344"}},
	{name: "missing", args: []string{dryDir + "/missing.yaml", fileSecrets()}, code: 1},
	{name: "missing_json", args: []string{dryDir + "/missing.yaml", fileSecrets(), "--json"}, code: 1},
	{name: "native_tools", args: []string{"--log-level", "debug", "dry-run", dryDir + "/native_tools.yaml", fileSecrets(),
		"--input", `{"city": "Paris"}`, "--mock", `main[1]={"results": [{"title": "Sunny and warm"}]}`}},
	{name: "native_tools_json", args: []string{dryDir + "/native_tools.yaml", fileSecrets(), "--json",
		"--input", "@" + dryDir + "/native_tools.input.json"}},
	{name: "dynamic", args: []string{"--log-level", "debug", "dry-run", dryDir + "/dynamic.yaml", "--secrets", "file:" + dryDir + "/crm_secrets.json",
		"--input", `{"name": "Ann", "tier": "gold", "emails": ["a@x.io"]}`}},
	{name: "secret_errors", args: []string{dryDir + "/secret_errors.yaml", fileSecrets()}, code: 1},
	{name: "secret_errors_json", args: []string{dryDir + "/secret_errors.yaml", fileSecrets(), "--json"}, code: 1},
	{name: "attack_channels", args: []string{"--log-level", "debug", "dry-run", dryDir + "/attack_channels.yaml", "--secrets", "file:" + dryDir + "/attack_secrets.json"}, code: 1},
	{name: "attack_channels_json", args: []string{dryDir + "/attack_channels.yaml", "--secrets", "file:" + dryDir + "/attack_secrets.json", "--json"}, code: 1},
	{name: "invalid", args: []string{dryDir + "/invalid.yaml", fileSecrets()}, code: 1},
	{name: "bad_mock", args: []string{dryDir + "/native_tools.yaml", "--secrets", "none", "--mock", "main[9]={}"}, code: 2},
	{name: "bad_source", args: []string{dryDir + "/native_tools.yaml", "--secrets", "vault:x"}, code: 2},
	{name: "corpus_hn_newsletter", corpus: true, args: []string{corpusDir + "/documentation/tutorials/hacker-news-newsletter.mdx.task1.yaml",
		"--secrets", "none", "--input", `{"min_score": 50, "num_stories": 2, "user_preferences": ["AI/ML"]}`,
		"--mock", `main[0]={"json": [101, 102, 103]}`,
		"--mock", `main[3]={"stories": [{"id": 101, "score": 90, "url": "https://a.example", "kids": [7]}, {"id": 102, "score": 10}]}`}, code: 1},
	{name: "corpus_api_call", corpus: true, args: []string{corpusDir + "/documentation/concepts/tools.mdx.task4.yaml",
		"--secrets", "none", "--input", `{"location": "Oslo"}`}, code: 1},
}

var timeAttr = regexp.MustCompile(`time=\S+ `)

// runDry runs julep-run with args ("dry-run" is added unless args start
// with a flag for the root) and the given environment.
func runDry(t *testing.T, c dryCase) (stdout, stderr string, code int) {
	t.Helper()
	args := c.args
	if !strings.HasPrefix(args[0], "--log-level") {
		args = append([]string{"dry-run"}, args...)
	}
	var out, errb bytes.Buffer
	a := newApp(strings.NewReader(""), &out, &errb, func(k string) string { return c.env[k] })
	code = a.execute(context.Background(), args)
	return out.String(), timeAttr.ReplaceAllString(errb.String(), ""), code
}

func TestDryRunGolden(t *testing.T) {
	for _, c := range dryCases {
		t.Run(c.name, func(t *testing.T) {
			if c.corpus {
				if _, err := os.Stat(corpusDir); err != nil {
					t.Skipf("shared corpus not found at %s (it lives outside the repository)", corpusDir)
				}
			}
			stdout, stderr, code := runDry(t, c)
			got := "exit: " + itoa(code) + "\n-- stdout --\n" + stdout + "-- stderr --\n" + stderr
			golden := filepath.Join(dryDir, c.name+".golden")
			if *updateDryRun {
				require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test -run TestDryRunGolden -update-dryrun to create it")
			assert.Equal(t, string(want), got)
			assert.Equal(t, c.code, code)
			if strings.Contains(strings.Join(c.args, " "), "--json") && code != 2 {
				var doc map[string]any
				require.NoError(t, json.Unmarshal([]byte(stdout), &doc), "--json prints one JSON document")
				for _, k := range []string{"task", "steps", "missing_secrets", "errors"} {
					assert.Contains(t, doc, k)
				}
				for _, s := range doc["steps"].([]any) {
					for _, k := range []string{"path", "kind", "resolved", "secrets", "provider_key", "deferred"} {
						assert.Contains(t, s, k)
					}
				}
			}
		})
	}
}

func itoa(i int) string { return string(rune('0' + i)) }

// secretValues returns every secret value the dry-run tests use.
func secretValues(t *testing.T) []string {
	t.Helper()
	var vals []string
	data, err := os.ReadFile(filepath.Join(dryDir, "secrets.yaml"))
	require.NoError(t, err)
	var m map[string]string
	require.NoError(t, yaml.Unmarshal(data, &m))
	for _, v := range m {
		vals = append(vals, v)
	}
	for _, f := range []string{"crm_secrets.json", "attack_secrets.json"} {
		data, err = os.ReadFile(filepath.Join(dryDir, f))
		require.NoError(t, err)
		m = nil
		require.NoError(t, json.Unmarshal(data, &m))
		for _, v := range m {
			vals = append(vals, v)
		}
	}
	for _, c := range dryCases {
		for _, v := range c.env {
			vals = append(vals, v)
		}
	}
	return vals
}

// TestDryRunNoSecretInOutput greps every golden file and every fresh
// output and log for the secret values used (and their common encodings).
func TestDryRunNoSecretInOutput(t *testing.T) {
	vals := secretValues(t)
	require.NotEmpty(t, vals)
	var texts []string
	goldens, err := filepath.Glob(filepath.Join(dryDir, "*.golden"))
	require.NoError(t, err)
	require.NotEmpty(t, goldens)
	for _, g := range goldens {
		b, err := os.ReadFile(g)
		require.NoError(t, err)
		texts = append(texts, string(b))
	}
	for _, c := range dryCases {
		if c.corpus {
			if _, err := os.Stat(corpusDir); err != nil {
				continue
			}
		}
		// with debug logs on, so the logger's masking is exercised too
		if !strings.HasPrefix(c.args[0], "--log-level") {
			c.args = append([]string{"--log-level", "debug", "dry-run"}, c.args...)
		}
		stdout, stderr, _ := runDry(t, c)
		texts = append(texts, stdout, stderr)
	}
	for i, text := range texts {
		for _, v := range vals {
			for _, form := range []string{v, url.QueryEscape(v), base64.StdEncoding.EncodeToString([]byte(v)), jsonInner(v)} {
				if strings.Contains(text, form) {
					// never print the value itself in a failure message
					t.Errorf("output #%d contains a secret value (a form of a %d-byte value)", i, len(v))
				}
			}
		}
	}
}

func jsonInner(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

// TestDryRunStore resolves against the configured store (the default
// source): a SQLite file under JULEP_HOME holding the developer's secrets.
func TestDryRunStore(t *testing.T) {
	home := t.TempDir()
	key := secrets.GenerateMasterKey()
	env := map[string]string{"JULEP_HOME": home, "JULEP_MASTER_KEY": key, "JULEP_DEVELOPER": "dev-7"}
	getenv := func(k string) string { return env[k] }
	spec, err := storeopen.DefaultSpecEnv(getenv)
	require.NoError(t, err)
	st, err := storeopen.OpenEnv(context.Background(), spec, getenv)
	require.NoError(t, err)
	for name, v := range map[string]string{"openai_api_key": "sk-store-test-31337abc", "OPENAI_API_KEY": "sk-proj-store-test-4242"} {
		_, err := st.Create(context.Background(), "dev-7", secrets.CreateParams{Name: name, Value: v})
		require.NoError(t, err)
	}
	require.NoError(t, st.Close())

	for _, c := range []struct {
		file string
		code int
		want []string
	}{
		{"seed_secret_name.yaml", 0, []string{`"secret_name": "[REDACTED:openai_api_key]"`, "ok: 1 step(s) resolved"}},
		{"seed_prompt_template.yaml", 1, []string{`"api_key": "[REDACTED:OPENAI_API_KEY]"`, "db_host: needed by steps[0]"}},
	} {
		stdout, stderr, code := runDry(t, dryCase{args: []string{"--log-level", "debug", "dry-run", dryDir + "/" + c.file}, env: env})
		assert.Equal(t, c.code, code, stderr)
		for _, w := range c.want {
			assert.Contains(t, stdout, w)
		}
		assert.Contains(t, stdout, "secrets from: store")
		for _, v := range []string{"sk-store-test-31337abc", "sk-proj-store-test-4242"} {
			assert.NotContains(t, stdout+stderr, v)
		}
	}
	// another developer sees none of them
	env["JULEP_DEVELOPER"] = "dev-8"
	stdout, _, code := runDry(t, dryCase{args: []string{dryDir + "/seed_secret_name.yaml"}, env: env})
	assert.Equal(t, 1, code)
	assert.Contains(t, stdout, "openai_api_key: needed by steps[0]")
}

// FuzzDryMocks: any --mock flag is accepted or refused with an error, never
// a panic; an accepted one names a step of the task.
func FuzzDryMocks(f *testing.F) {
	task, err := steps.Load(filepath.Join(dryDir, "native_tools.yaml"))
	require.NoError(f, err)
	for _, s := range []string{`main[0]={"a": 1}`, `main[3].then=[1]`, `main[9]={}`, `=`, `main[0]=@`, `main[0]={`, `x[0]=1`} {
		f.Add(s)
	}
	a := newApp(strings.NewReader(""), io.Discard, io.Discard, func(string) string { return "" })
	f.Fuzz(func(t *testing.T, flag string) {
		if strings.Contains(flag, "=@") {
			return // reads files
		}
		m, err := a.dryMocks(task, []string{flag})
		if err != nil {
			return
		}
		for p := range m {
			if task.Step(p) == nil {
				t.Fatalf("accepted a mock for %q, which is not a step", p)
			}
		}
	})
}
