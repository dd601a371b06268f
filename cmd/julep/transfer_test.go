package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// transferValues are values that stress every format's quoting.
var transferValues = map[string]string{
	"plain":       "sk-live-abc123",
	"spaced":      "  lead and trail  ",
	"tabbed":      "a\tb",
	"multi":       "line one\nline two\n",
	"crlf":        "windows\r\nline",
	"quotes":      `both " and ' quotes`,
	"single":      "it's",
	"dollars":     "$HOME ${USER} $(id) `id`",
	"backslashes": `C:\path\n is not a newline \\ \" \`,
	"hash":        "#not a comment",
	"spacehash":   "value # still value",
	"on":          "yes",
	"null_word":   "null",
	"number":      "0123",
	"hex":         "0x1F",
	"unicode":     "ünïcödé ✓ 🙂",
	"equals":      "a=b=c",
	"yaml_like":   "key: value\n- item",
	"json_like":   `{"a": [1, 2]}`,
}

// storedValues reads every value of transferValues' names back from h.
func storedValues(t *testing.T, h *harness) map[string]string {
	t.Helper()
	out := map[string]string{}
	for n := range transferValues {
		r := h.run("", "secrets", "get", n, "--json")
		if r.code != 0 {
			continue
		}
		var s struct{ Value string }
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &s))
		out[n] = s.Value
	}
	return out
}

func TestExportImportRoundTrip(t *testing.T) {
	src := runHarness(t, transferValues)
	for _, tt := range []struct{ format, file string }{
		{"env", ".env"}, {"json", "secrets.json"}, {"yaml", "secrets.yaml"}, {"yaml", "x.yml"},
		{"env", "exported.txt"}, {"json", "noext"},
	} {
		t.Run(tt.format+" "+tt.file, func(t *testing.T) {
			exp := src.ok("secrets", "export", "--format", tt.format)
			path := filepath.Join(t.TempDir(), tt.file)
			require.NoError(t, os.WriteFile(path, []byte(exp.stdout), 0o600))

			dst := newHarness(t)
			r := dst.ok("secrets", "import", path)
			assert.Contains(t, r.stdout, "Imported 19 secrets from "+path+": 19 created, 0 updated, 0 unchanged.\n")
			got := storedValues(t, dst)
			for n, v := range transferValues {
				assert.True(t, got[n] == v, "%s: value %s changed in the round trip", tt.format, n)
			}
			for n, v := range transferValues {
				if len(v) >= 6 { // "yes", "null", "0123"... appear in ordinary text
					noValue(t, r.stdout+r.stderr, v, "import output "+n)
				}
			}
			// Importing the same file again: every name conflicts.
			r = dst.run("", "secrets", "import", path)
			assert.Equal(t, exitExists, r.code)
			// With --overwrite nothing changes (same values).
			r = dst.ok("secrets", "import", path, "--overwrite")
			assert.Contains(t, r.stdout, ": 0 created, 0 updated, 19 unchanged.\n")
		})
	}
	// stdin, with --format.
	exp := src.ok("secrets", "export", "--format", "yaml", "--only", "multi,quotes")
	dst := newHarness(t)
	r := dst.run(exp.stdout, "secrets", "import", "-", "--format", "yaml")
	require.Equal(t, 0, r.code, r.stderr)
	got := storedValues(t, dst)
	assert.Len(t, got, 2)
	assert.True(t, got["multi"] == transferValues["multi"] && got["quotes"] == transferValues["quotes"])
}

func TestExportFormats(t *testing.T) {
	h := runHarness(t, map[string]string{"b_key": "two words", "a_key": "v1", "on": "it's\n"})
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"secrets", "export"}, "a_key=v1\nb_key='two words'\non=\"it's\\n\"\n"},
		{[]string{"secrets", "export", "--format", "json", "--only", "b_key,a_key"}, "{\n  \"a_key\": \"v1\",\n  \"b_key\": \"two words\"\n}\n"},
		{[]string{"secrets", "export", "--format", "yaml"}, "a_key: \"v1\"\nb_key: \"two words\"\n\"on\": \"it's\\n\"\n"},
	}
	for _, tt := range tests {
		r := h.ok(tt.args...)
		assert.Equal(t, tt.want, r.stdout, strings.Join(tt.args, " "))
	}
	r := h.run("", "secrets", "export", "--only", "a_key,nope,gone")
	assert.Equal(t, exitNotFound, r.code)
	assert.Equal(t, `julep: secrets "nope", "gone" not found for developer "default" (see: julep secrets list)`+"\n", r.stderr)
	assert.Empty(t, r.stdout)
	r = h.run("", "secrets", "export", "--format", "toml")
	assert.Equal(t, exitUsage, r.code)
	assert.True(t, strings.HasPrefix(r.stderr, "julep: --format \"toml\": use env, json or yaml"), r.stderr)
}

func TestImportConflictsAndDryRun(t *testing.T) {
	h := runHarness(t, map[string]string{"existing": "old-value-1", "other": "old-value-2"})
	path := filepath.Join(t.TempDir(), "new.env")
	require.NoError(t, os.WriteFile(path, []byte("fresh=new-value-0\nexisting=new-value-1\nother=old-value-2\n"), 0o600))

	r := h.run("", "secrets", "import", path)
	assert.Equal(t, exitExists, r.code)
	assert.Equal(t, `julep: secrets "existing", "other" already exist for developer "default"; nothing was imported (add --overwrite to replace their values)`+"\n", r.stderr)
	assert.Equal(t, exitNotFound, h.run("", "secrets", "get", "fresh").code, "nothing written")

	r = h.ok("secrets", "import", path, "--dry-run", "--overwrite")
	assert.Equal(t, "would create fresh\nwould update existing\nwould update other\nDry run: 3 secrets in "+path+" (1 to create, 2 to update); nothing was written.\n", r.stdout)
	assert.NotContains(t, r.stdout, "value")
	assert.Equal(t, exitNotFound, h.run("", "secrets", "get", "fresh").code, "dry run writes nothing")
	r = h.run("", "secrets", "import", path, "--dry-run")
	assert.Equal(t, exitExists, r.code, "a dry run reports the conflicts the import would meet")

	r = h.ok("secrets", "import", path, "--overwrite")
	assert.Equal(t, "created fresh\nupdated existing (version 2)\nunchanged other\nImported 3 secrets from "+path+": 1 created, 1 updated, 1 unchanged.\n", r.stdout)
}

func TestImportErrors(t *testing.T) {
	h := runHarness(t, nil)
	dir := t.TempDir()
	tests := []struct {
		file, content string
		code          int
		stderr        string
	}{
		{"bad.env", "GOOD=x1234\nNOEQUALS\n", exitInvalid, "line 2: expected KEY=VALUE"},
		{"names.env", "1bad=secret-one\nok=secret-two\nok=secret-three\nempty=\n", exitInvalid,
			"names.env: line 1: "},
		{"dup.env", "ok=secret-two\nok=secret-three\n", exitInvalid, `dup.env: line 2: "ok" is given again (first at line 1)`},
		{"empty.env", "# nothing\n", exitInvalid, "empty.env holds no secrets"},
		{"list.json", `["secret-one"]`, exitInvalid, "expected a JSON object of secret name to value"},
		{"nested.json", `{"a": {"b": "secret-one"}}`, exitInvalid, `the value of "a" is not a string`},
		{"null.json", `{"a": null}`, exitInvalid, `the value of "a" is null`},
		{"trailing.json", `{"a": "secret-one"} {}`, exitInvalid, "unexpected data after the JSON object"},
		{"list.yaml", "- secret-one\n", exitInvalid, "line 1: expected a YAML map"},
		{"nested.yaml", "a:\n  b: secret-one\n", exitInvalid, `line 2: the value of "a" must be a string`},
		{"missing.env", "", 1, "no such file or directory"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join(dir, tt.file)
			if tt.file != "missing.env" {
				require.NoError(t, os.WriteFile(path, []byte(tt.content), 0o600))
			}
			r := h.run("", "secrets", "import", path)
			assert.Equal(t, tt.code, r.code)
			assert.Contains(t, r.stderr, tt.stderr)
			for _, v := range []string{"secret-one", "secret-two", "secret-three"} {
				noValue(t, r.stderr, v, tt.file)
			}
		})
	}
	r := h.run("", "secrets", "import", filepath.Join(dir, "names.env"))
	assert.Equal(t, 3, strings.Count(r.stderr, "\n"), "every problem is listed: %s", r.stderr)
}
