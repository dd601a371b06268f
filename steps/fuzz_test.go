package steps_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/julepkit/julep/steps"
)

// FuzzLoad feeds arbitrary bytes to Parse: it must never panic or hang, and
// its outcome must be a Task and/or a steps.Errors whose findings all have a
// message (no other error type). Memory stays bounded by the file size limit
// and the alias expansion limit.
func FuzzLoad(f *testing.F) {
	files, _ := filepath.Glob("testdata/errors/*.yaml")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(nested))
	f.Add([]byte(seedSteps))
	f.Add([]byte("a: &a [*a]\n"))
	f.Add([]byte("name: x\nmain:\n  - log: \"\\u00e9 {x\"\n"))
	opts := steps.Options{Strict: true, MaxFileSize: 1 << 16, MaxNodes: 5000}
	f.Fuzz(func(t *testing.T, data []byte) {
		task, err := opts.Parse("fuzz.yaml", data)
		if err != nil {
			var errs steps.Errors
			if !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("error of type %T, want steps.Errors: %v", err, err)
			}
			for _, e := range errs {
				if e.Msg == "" || e.Severity != steps.SeverityError {
					t.Fatalf("bad finding %#v", e)
				}
			}
		}
		if task == nil {
			if err == nil {
				t.Fatal("nil task without error")
			}
			return
		}
		_ = task.Walk(func(path string, s steps.Step) error {
			if path == "" || s.Path() != path {
				t.Fatalf("bad path %q", path)
			}
			return nil
		})
		_ = task.SecretRefs()
	})
}
