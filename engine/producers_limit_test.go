package engine_test

import (
	"context"
	"errors"
	"testing"

	"github.com/julepkit/julep/engine"
)

// TestProducersHoldStringLimit: every producer of the library that builds a
// string from another (json.dumps with escapes, re.escape, yaml.dump, repr
// and str of containers, str methods, urllib quote) stops at the string
// limit instead of building 3 to 16 M characters.
func TestProducersHoldStringLimit(t *testing.T) {
	for _, src := range []string{
		`json.dumps("\u0001" * 1000000)`,
		`json.dumps(["x" * 2000000] * 6)`,
		`re.escape("." * 2000000)`,
		`yaml.dump(["x" * 2000000] * 2)`,
		`str(["x" * 1500000] * 2)`,
		`repr(["x" * 1500000] * 2)`,
		`"x".center(3000000)`,
		`"a".ljust(3000000)`,
		`("a" * 1000000).replace("a", "bbb")`,
		`",".join(["ab" * 1000000] * 2)`,
		`urllib.parse.quote("/" * 1000000)`,
		`("x" * 2000000).zfill(3000000)`,
	} {
		p, err := engine.Compile(src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		_, err = p.Eval(context.Background(), nil)
		var ee *engine.Error
		if !errors.As(err, &ee) || ee.Kind != engine.KindLimit {
			t.Errorf("%s: got %v, want a LimitError", src, err)
		}
	}
}
