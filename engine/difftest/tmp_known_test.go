package difftest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func TestTmpWriteKnown(t *testing.T) {
	c, envs := loadCorpus(t)
	known := loadKnown(t)
	path := filepath.Join("..", "..", "testdata", "expressions", "known_differences.jsonl")
	var out []byte
	for _, tc := range c.Cases {
		ok, msg := agrees(tc, evalCase(tc, envs[tc.Env]))
		if ok {
			continue
		}
		why, isKnown := known[[2]string{tc.Env, tc.Expr}]
		if !isKnown {
			fmt.Println("NEW:", msg)
			continue
		}
		b, _ := json.Marshal(knownDifference{Expr: tc.Expr, Env: tc.Env, Why: why})
		out = append(append(out, b...), '\n')
	}
	os.WriteFile(path, out, 0o644)
}
