package providers_test

import (
	"context"
	"fmt"

	"github.com/julepkit/julep/providers"
)

func Example() {
	for _, m := range []string{"gpt-4o", "anthropic/claude-3.5-sonnet", "gemini-1.5-pro", "groq/llama-3.1-70b-versatile"} {
		name, _ := providers.KeyFor(m)
		fmt.Println(m, "->", name)
	}

	// A prompt step's key: the developer has OPENAI_API_KEY.
	exists := func(_ context.Context, name string) (bool, error) { return name == "OPENAI_API_KEY", nil }
	ref, _ := providers.InjectKey(context.Background(), "gpt4o", exists)
	fmt.Println(ref)

	_, err := providers.Lookup("gtp-4o")
	fmt.Println(err)
	// Output:
	// gpt-4o -> OPENAI_API_KEY
	// anthropic/claude-3.5-sonnet -> ANTHROPIC_API_KEY
	// gemini-1.5-pro -> GEMINI_API_KEY
	// groq/llama-3.1-70b-versatile -> GROQ_API_KEY
	// OPENAI_API_KEY (secret, openai)
	// unknown model "gtp-4o": no provider known for it (did you mean "gpt-4o", "gpt-4"?)
}
