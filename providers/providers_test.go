package providers

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLookup(t *testing.T) {
	tests := []struct {
		model, provider, secret string
	}{
		// OpenAI, bare families
		{"gpt-4o", "openai", "OPENAI_API_KEY"},
		{"gpt-4", "openai", "OPENAI_API_KEY"},
		{"GPT-4o-mini", "openai", "OPENAI_API_KEY"},
		{"o1-preview", "openai", "OPENAI_API_KEY"},
		{"o3-mini", "openai", "OPENAI_API_KEY"},
		{"o4-mini", "openai", "OPENAI_API_KEY"},
		{"chatgpt-4o-latest", "openai", "OPENAI_API_KEY"},
		{"text-embedding-3-small", "openai", "OPENAI_API_KEY"},
		{"dall-e-3", "openai", "OPENAI_API_KEY"},
		{"whisper-1", "openai", "OPENAI_API_KEY"},
		{"tts-1-hd", "openai", "OPENAI_API_KEY"},
		{"  openai/gpt-4o  ", "openai", "OPENAI_API_KEY"},
		// aliases
		{"gpt4o", "openai", "OPENAI_API_KEY"},
		{"gpt-3.5", "openai", "OPENAI_API_KEY"},
		{"claude-3.5-sonnet", "anthropic", "ANTHROPIC_API_KEY"},
		// Anthropic
		{"claude-3-5-sonnet-20241022", "anthropic", "ANTHROPIC_API_KEY"},
		{"anthropic/claude-3-opus-20240229", "anthropic", "ANTHROPIC_API_KEY"},
		// Google / Gemini
		{"gemini-1.5-pro", "gemini", "GEMINI_API_KEY"},
		{"gemini/gemini-1.5-pro", "gemini", "GEMINI_API_KEY"},
		{"google/gemini-1.5-pro", "google", "GOOGLE_API_KEY"},
		{"vertex_ai/gemini-1.5-pro", "google", "GOOGLE_API_KEY"},
		{"text-embedding-004", "gemini", "GEMINI_API_KEY"},
		// Azure
		{"azure/my-gpt4o-deployment", "azure", "AZURE_OPENAI_API_KEY"},
		// Cohere
		{"command-r-plus", "cohere", "COHERE_API_KEY"},
		{"embed-english-v3.0", "cohere", "COHERE_API_KEY"},
		{"cohere/command-r", "cohere", "COHERE_API_KEY"},
		// Mistral
		{"mistral-large-latest", "mistral", "MISTRAL_API_KEY"},
		{"codestral-latest", "mistral", "MISTRAL_API_KEY"},
		{"mistral/open-mixtral-8x22b", "mistral", "MISTRAL_API_KEY"},
		// Groq
		{"llama-3.1-70b-versatile", "groq", "GROQ_API_KEY"},
		{"groq/llama-3.3-70b-versatile", "groq", "GROQ_API_KEY"},
		{"qwen-2.5-32b", "groq", "GROQ_API_KEY"},
		{"groq/qwen-qwq-32b", "groq", "GROQ_API_KEY"},
		{"mixtral-8x7b-32768", "groq", "GROQ_API_KEY"},
		// DeepSeek
		{"deepseek-chat", "deepseek", "DEEPSEEK_API_KEY"},
		{"deepseek/deepseek-reasoner", "deepseek", "DEEPSEEK_API_KEY"},
		// OpenRouter wins over the family of the rest
		{"openrouter/anthropic/claude-3.5-sonnet", "openrouter", "OPENROUTER_API_KEY"},
		{"openrouter/mistralai/mistral-large", "openrouter", "OPENROUTER_API_KEY"},
		// xAI
		{"grok-2", "xai", "XAI_API_KEY"},
		{"xai/grok-4-fast-reasoning", "xai", "XAI_API_KEY"},
		// Perplexity, Together, Fireworks
		{"sonar-pro", "perplexity", "PERPLEXITY_API_KEY"},
		{"perplexity/sonar", "perplexity", "PERPLEXITY_API_KEY"},
		{"together_ai/meta-llama/Llama-3-70b-chat-hf", "together", "TOGETHER_API_KEY"},
		{"fireworks_ai/accounts/fireworks/models/llama-v3-70b-instruct", "fireworks", "FIREWORKS_API_KEY"},
		// Bedrock, Voyage
		{"bedrock/anthropic.claude-3-sonnet-20240229-v1:0", "bedrock", "BEDROCK_API_KEY"},
		{"voyage-3", "voyage", "VOYAGE_API_KEY"},
		{"voyage/voyage-3-lite", "voyage", "VOYAGE_API_KEY"},
		// others
		{"huggingface/bigcode/starcoder", "huggingface", "HUGGINGFACE_API_KEY"},
		{"cerebras/llama3.1-8b", "cerebras", "CEREBRAS_API_KEY"},
	}
	for _, tt := range tests {
		t.Run(tt.model, func(t *testing.T) {
			p, err := Lookup(tt.model)
			require.NoError(t, err)
			assert.Equal(t, tt.provider, p.Name)
			assert.Equal(t, tt.secret, p.SecretName)
			assert.Equal(t, tt.secret, p.EnvVar)
			k, err := KeyFor(tt.model)
			require.NoError(t, err)
			assert.Equal(t, tt.secret, k)
		})
	}
}

func TestNormalize(t *testing.T) {
	tests := map[string]string{
		"gpt4o":                          "gpt-4o",
		" GPT4 ":                         "gpt-4",
		"claude-3.5-sonnet":              "claude-3-5-sonnet",
		"claude-sonnet-4.5":              "claude-sonnet-4-5",
		"anthropic/claude-3.7-sonnet":    "anthropic/claude-3-7-sonnet",
		"gemini-1.5-pro":                 "gemini-1.5-pro",
		"weird/Model":                    "weird/Model",
		"Together_AI/meta-llama/Llama-3": "together_ai/meta-llama/Llama-3",
	}
	for in, want := range tests {
		assert.Equal(t, want, Normalize(in), in)
	}
}

func TestLookupUnknown(t *testing.T) {
	tests := []struct {
		model   string
		suggest string
	}{
		{"gtp-4o", "gpt-4o"},
		{"claud-3-opus-latest", "claude-3-opus-latest"},
		{"opnai/gpt-4o", ""},
		{"", ""},
		{"openai/", ""},
		{"totally-unknown-model-xyz", ""},
	}
	for _, tt := range tests {
		t.Run(tt.model, func(t *testing.T) {
			_, err := Lookup(tt.model)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrUnknownModel)
			var ue *UnknownModelError
			require.True(t, errors.As(err, &ue))
			assert.Equal(t, tt.model, ue.Model)
			if tt.suggest != "" {
				assert.Contains(t, ue.Suggestions, tt.suggest)
				assert.Contains(t, err.Error(), tt.suggest)
			}
			_, err = KeyFor(tt.model)
			assert.ErrorIs(t, err, ErrUnknownModel)
		})
	}
}

func TestProvidersTable(t *testing.T) {
	ps := Providers()
	seen := map[string]bool{}
	for _, p := range ps {
		assert.False(t, seen[p.Name], "duplicate %s", p.Name)
		seen[p.Name] = true
		assert.Regexp(t, `^[A-Z][A-Z0-9_]*_API_KEY$`, p.SecretName)
		q, ok := ByName(p.Name)
		require.True(t, ok)
		assert.Equal(t, p.SecretName, q.SecretName)
	}
	for _, f := range family {
		assert.True(t, seen[f], "family maps to unknown provider %s", f)
	}
	// the copy is independent of the table
	ps[0].Routes[0] = "changed"
	p, _ := ByName(ps[0].Name)
	assert.NotEqual(t, "changed", p.Routes[0])
	_, ok := ByName("nope")
	assert.False(t, ok)
}

func TestInjectKey(t *testing.T) {
	ctx := context.Background()
	has := func(names ...string) SecretExists {
		return func(_ context.Context, n string) (bool, error) {
			for _, x := range names {
				if x == n {
					return true, nil
				}
			}
			return false, nil
		}
	}
	env := func(m map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
	}

	ref, err := InjectKey(ctx, "gpt-4o", has("OPENAI_API_KEY"))
	require.NoError(t, err)
	assert.Equal(t, KeyRef{Model: "gpt-4o", Provider: "openai", SecretName: "OPENAI_API_KEY", Source: SourceSecret}, ref)
	assert.Equal(t, "OPENAI_API_KEY (secret, openai)", ref.String())

	// absent, no fallback: the error comes with the reference the key
	// would have
	ref, err = InjectKey(ctx, "claude-3.5-sonnet", has("OPENAI_API_KEY"))
	assert.ErrorIs(t, err, ErrMissingKey)
	assert.Equal(t, KeyRef{Model: "claude-3-5-sonnet", Provider: "anthropic", SecretName: "ANTHROPIC_API_KEY", Source: SourceSecret}, ref)
	var me *MissingKeyError
	require.ErrorAs(t, err, &me)
	assert.Equal(t, "ANTHROPIC_API_KEY", me.SecretName)

	// the environment is not read without the option
	_, err = InjectKey(ctx, "claude-3.5-sonnet", has(), func(*injectConfig) {})
	assert.ErrorIs(t, err, ErrMissingKey)

	// env fallback when configured
	ref, err = InjectKey(ctx, "claude-3.5-sonnet", has(), WithEnvFallback(env(map[string]string{"ANTHROPIC_API_KEY": "x"})))
	require.NoError(t, err)
	assert.Equal(t, SourceEnv, ref.Source)
	assert.Equal(t, "ANTHROPIC_API_KEY", ref.EnvVar)
	assert.Equal(t, "claude-3-5-sonnet", ref.Model)

	// empty env var counts as absent
	_, err = InjectKey(ctx, "grok-2", has(), WithEnvFallback(env(map[string]string{"XAI_API_KEY": ""})))
	assert.ErrorIs(t, err, ErrMissingKey)

	// the secret wins over env
	ref, err = InjectKey(ctx, "grok-2", has("XAI_API_KEY"), WithEnvFallback(env(map[string]string{"XAI_API_KEY": "v"})))
	require.NoError(t, err)
	assert.Equal(t, SourceSecret, ref.Source)

	// lookup errors are wrapped
	boom := errors.New("store down")
	_, err = InjectKey(ctx, "gpt-4o", func(context.Context, string) (bool, error) { return false, boom })
	assert.ErrorIs(t, err, boom)
	assert.Contains(t, err.Error(), "OPENAI_API_KEY")

	// unknown model
	_, err = InjectKey(ctx, "nope-1", has())
	assert.ErrorIs(t, err, ErrUnknownModel)
}

func FuzzLookup(f *testing.F) {
	for _, s := range []string{"gpt-4o", "openai/", "/", "claude-3.5", "a/b/c", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Lookup(s)
		if err != nil {
			if !errors.Is(err, ErrUnknownModel) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if p.SecretName == "" {
			t.Fatal("provider without secret name")
		}
	})
}
