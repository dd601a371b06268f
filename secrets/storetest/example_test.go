package storetest_test

import (
	"testing"

	"github.com/julepkit/julep/secrets/storetest"
)

// A backend's test file runs the suite with a Harness over a fresh store;
// see secrets/memory and secrets/sqlite for complete harnesses.
func ExampleRun() {
	_ = func(t *testing.T, newHarness func(t *testing.T) storetest.Harness) {
		storetest.Run(t, newHarness)
	}
}
