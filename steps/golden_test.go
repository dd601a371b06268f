package steps_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/steps"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/errors")

// render prints every finding of a file, one per line, as validate does.
func render(t *testing.T, path string, opts steps.Options) string {
	t.Helper()
	task, err := opts.Load(path)
	var findings steps.Errors
	if task != nil {
		findings = task.Findings
	} else {
		require.Error(t, err)
		require.ErrorAs(t, err, &findings)
	}
	var b strings.Builder
	for _, f := range findings {
		f.File = filepath.Base(f.File)
		b.WriteString(f.Error())
		b.WriteByte('\n')
	}
	if b.Len() == 0 {
		return "ok\n"
	}
	return b.String()
}

// TestGolden loads each broken file of testdata/errors and compares every
// finding (position, severity, message, step path) with its .golden file.
// Files named strict_* are loaded with Strict. Run with -update to rewrite.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/errors/*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			opts := steps.Options{Strict: strings.HasPrefix(filepath.Base(f), "strict_")}
			got := render(t, f, opts)
			golden := strings.TrimSuffix(f, ".yaml") + ".golden"
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
				return
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "missing golden file; run go test ./steps -run TestGolden -update")
			assert.Equal(t, string(want), got)
		})
	}
}
