// Package providers maps an LLM model name to the provider that serves it and
// to the name of the developer secret that holds that provider's API key
// (OPENAI_API_KEY, ANTHROPIC_API_KEY, …), so that a prompt step can use the
// developer's own key without naming it.
//
// # Model name forms
//
// Three forms are accepted, case-insensitively, surrounding spaces ignored:
//
//   - bare: "gpt-4o", "claude-3-5-sonnet-20241022", "gemini-1.5-pro", "grok-2";
//     the provider is found from the model family prefix (see the table in
//     Providers and the rules in this file).
//   - routed (LiteLLM style): "openai/gpt-4o", "anthropic/claude-3-opus",
//     "groq/llama-3.1-70b-versatile", "openrouter/mistralai/mistral-large";
//     the part before the first "/" names the provider and wins over the family
//     (so "bedrock/anthropic.claude-3" is Bedrock, "openrouter/…" is OpenRouter).
//   - aliases: a few spellings users write for well known models are
//     normalized first: "gpt4o" → "gpt-4o", "gpt4" → "gpt-4", "gpt-3.5" →
//     "gpt-3.5-turbo", and dotted Claude versions "claude-3.5-sonnet" →
//     "claude-3-5-sonnet" (Anthropic's ids use dashes; Julep's router accepts
//     the dotted form). Normalize shows the result.
//
// # Google and Gemini
//
// The seeds document GOOGLE_API_KEY for Google, while Julep's router config
// reads GEMINI_API_KEY for gemini-* models. We keep both, by form: a bare
// "gemini-…" model or the "gemini/" route is provider "gemini" with secret
// GEMINI_API_KEY (what Julep's router uses for those names); the "google/"
// and "vertex_ai/" routes (and bare "palm"/"bison" models) are provider
// "google" with secret GOOGLE_API_KEY (what the seeds document).
//
// # Open-weight families
//
// Bare "llama…", "qwen…", "gemma…" and "mixtral-8x7b-32768" style names are
// served by Groq in Julep's router, so they map to GROQ_API_KEY; use a route
// ("together_ai/…", "fireworks_ai/…", "openrouter/…", "bedrock/…") to pick
// another host. Bare "mistral-…"/"codestral…" names map to Mistral's own API,
// bare "deepseek-…" to DeepSeek's.
//
// The package imports no other package of this module.
package providers

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
)

// Provider is one LLM API provider and where its key comes from.
type Provider struct {
	// Name is the stable lower-case identifier ("openai", "anthropic", …),
	// also the LiteLLM route prefix.
	Name string `json:"name"`
	// Title is the human name ("OpenAI").
	Title string `json:"title"`
	// SecretName is the developer secret that holds the key.
	SecretName string `json:"secret_name"`
	// EnvVar is the environment variable a fallback reads (same as
	// SecretName for every provider in the table).
	EnvVar string `json:"env_var"`
	// Routes are the "route/" prefixes that select this provider.
	Routes []string `json:"routes,omitempty"`
}

// table lists every provider; Providers returns a copy.
var table = []Provider{
	{Name: "openai", Title: "OpenAI", SecretName: "OPENAI_API_KEY", Routes: []string{"openai", "text-completion-openai"}},
	{Name: "anthropic", Title: "Anthropic", SecretName: "ANTHROPIC_API_KEY", Routes: []string{"anthropic"}},
	{Name: "google", Title: "Google", SecretName: "GOOGLE_API_KEY", Routes: []string{"google", "vertex_ai", "vertex_ai_beta", "palm"}},
	{Name: "gemini", Title: "Google Gemini", SecretName: "GEMINI_API_KEY", Routes: []string{"gemini"}},
	{Name: "azure", Title: "Azure OpenAI", SecretName: "AZURE_OPENAI_API_KEY", Routes: []string{"azure", "azure_ai", "azure_text"}},
	{Name: "cohere", Title: "Cohere", SecretName: "COHERE_API_KEY", Routes: []string{"cohere", "cohere_chat"}},
	{Name: "mistral", Title: "Mistral AI", SecretName: "MISTRAL_API_KEY", Routes: []string{"mistral"}},
	{Name: "groq", Title: "Groq", SecretName: "GROQ_API_KEY", Routes: []string{"groq"}},
	{Name: "deepseek", Title: "DeepSeek", SecretName: "DEEPSEEK_API_KEY", Routes: []string{"deepseek"}},
	{Name: "openrouter", Title: "OpenRouter", SecretName: "OPENROUTER_API_KEY", Routes: []string{"openrouter"}},
	{Name: "xai", Title: "xAI", SecretName: "XAI_API_KEY", Routes: []string{"xai"}},
	{Name: "perplexity", Title: "Perplexity", SecretName: "PERPLEXITY_API_KEY", Routes: []string{"perplexity"}},
	{Name: "together", Title: "Together AI", SecretName: "TOGETHER_API_KEY", Routes: []string{"together_ai", "together"}},
	{Name: "fireworks", Title: "Fireworks AI", SecretName: "FIREWORKS_API_KEY", Routes: []string{"fireworks_ai", "fireworks"}},
	{Name: "bedrock", Title: "Amazon Bedrock", SecretName: "BEDROCK_API_KEY", Routes: []string{"bedrock"}},
	{Name: "voyage", Title: "Voyage AI", SecretName: "VOYAGE_API_KEY", Routes: []string{"voyage"}},
	{Name: "huggingface", Title: "Hugging Face", SecretName: "HUGGINGFACE_API_KEY", Routes: []string{"huggingface"}},
	{Name: "replicate", Title: "Replicate", SecretName: "REPLICATE_API_KEY", Routes: []string{"replicate"}},
	{Name: "deepinfra", Title: "DeepInfra", SecretName: "DEEPINFRA_API_KEY", Routes: []string{"deepinfra"}},
	{Name: "cerebras", Title: "Cerebras", SecretName: "CEREBRAS_API_KEY", Routes: []string{"cerebras"}},
	{Name: "ai21", Title: "AI21", SecretName: "AI21_API_KEY", Routes: []string{"ai21"}},
	{Name: "nvidia_nim", Title: "NVIDIA NIM", SecretName: "NVIDIA_NIM_API_KEY", Routes: []string{"nvidia_nim"}},
	{Name: "sambanova", Title: "SambaNova", SecretName: "SAMBANOVA_API_KEY", Routes: []string{"sambanova"}},
	{Name: "anyscale", Title: "Anyscale", SecretName: "ANYSCALE_API_KEY", Routes: []string{"anyscale"}},
	{Name: "jina_ai", Title: "Jina AI", SecretName: "JINA_AI_API_KEY", Routes: []string{"jina_ai"}},
}

// family maps a bare model-name prefix to a provider name. Longer prefixes
// are tried first (familyOrder), so "gpt-" and "o1" never shadow anything more
// specific.
var family = map[string]string{
	// OpenAI
	"gpt-": "openai", "o1": "openai", "o3": "openai", "o4": "openai", "chatgpt-": "openai",
	"text-embedding-": "openai", "dall-e": "openai", "whisper": "openai", "tts-": "openai",
	"davinci": "openai", "babbage": "openai", "omni-moderation": "openai",
	"text-moderation": "openai", "gpt-image": "openai", "codex-": "openai",
	// Anthropic
	"claude-": "anthropic",
	// Google
	"gemini-": "gemini", "learnlm-": "gemini", "text-bison": "google", "chat-bison": "google",
	"textembedding-gecko": "google", "text-embedding-004": "gemini", "imagen-": "google",
	// Cohere
	"command": "cohere", "embed-": "cohere", "rerank-": "cohere", "c4ai-": "cohere",
	// Mistral
	"mistral-": "mistral", "open-mistral": "mistral", "open-mixtral": "mistral",
	"codestral": "mistral", "pixtral": "mistral", "ministral": "mistral", "magistral": "mistral",
	"devstral": "mistral", "mistral-embed": "mistral",
	// Groq (Julep's router serves open-weight families there)
	"llama": "groq", "meta-llama-": "groq", "qwen": "groq", "qwq": "groq", "gemma": "groq",
	"mixtral-8x7b-32768": "groq", "distil-whisper": "groq", "allam-": "groq",
	// DeepSeek
	"deepseek-": "deepseek",
	// xAI
	"grok-": "xai",
	// Perplexity
	"sonar": "perplexity", "perplexity-": "perplexity", "r1-1776": "perplexity",
	// Voyage
	"voyage-": "voyage", "rerank-lite-": "voyage",
	// AI21
	"jamba-": "ai21", "j2-": "ai21",
	// Jina
	"jina-": "jina_ai",
}

// aliases maps exact (lower-case) spellings to the canonical model name.
var aliases = map[string]string{
	"gpt4":          "gpt-4",
	"gpt4o":         "gpt-4o",
	"gpt4o-mini":    "gpt-4o-mini",
	"gpt-4o mini":   "gpt-4o-mini",
	"gpt4-turbo":    "gpt-4-turbo",
	"gpt-4turbo":    "gpt-4-turbo",
	"gpt-3.5":       "gpt-3.5-turbo",
	"gpt35-turbo":   "gpt-3.5-turbo",
	"gpt-35-turbo":  "gpt-3.5-turbo",
	"gpt4.1":        "gpt-4.1",
	"chatgpt":       "chatgpt-4o-latest",
	"claude":        "claude-3-5-sonnet-latest",
	"claude-sonnet": "claude-3-5-sonnet-latest",
	"claude-opus":   "claude-3-opus-latest",
	"claude-haiku":  "claude-3-5-haiku-latest",
	"gemini":        "gemini-1.5-pro",
	"grok":          "grok-2",
}

// known is a list of well known canonical models, used only to suggest
// close names for an unknown model.
var known = []string{
	"gpt-4o", "gpt-4o-mini", "gpt-4", "gpt-4-turbo", "gpt-4.1", "gpt-4.1-mini", "gpt-3.5-turbo", "o1", "o1-mini",
	"o3", "o3-mini", "o4-mini", "chatgpt-4o-latest", "text-embedding-3-small", "text-embedding-3-large",
	"dall-e-3", "whisper-1", "tts-1",
	"claude-3-5-sonnet-20241022", "claude-3-5-sonnet-latest", "claude-3-5-haiku-latest", "claude-3-opus-latest",
	"claude-3-7-sonnet-latest", "claude-sonnet-4-20250514", "claude-opus-4-20250514",
	"gemini-1.5-pro", "gemini-1.5-flash", "gemini-2.0-flash", "gemini-2.5-pro", "gemini-2.5-flash",
	"command-r", "command-r-plus", "embed-english-v3.0", "mistral-large-latest", "mistral-small-latest",
	"codestral-latest", "llama-3.1-70b-versatile", "llama-3.1-8b-instant", "llama-3.3-70b-versatile",
	"qwen-2.5-32b", "gemma2-9b-it", "deepseek-chat", "deepseek-reasoner", "grok-2", "grok-3", "grok-4",
	"sonar", "sonar-pro", "voyage-3", "voyage-3-lite", "jamba-1.5-large",
	"openrouter/", "azure/", "bedrock/", "together_ai/", "fireworks_ai/", "groq/", "google/",
}

// The indexes over table and family, built once by package-level
// initialisers.
var (
	byName, byRoute = indexProviders(table)
	familyOrder     = familiesLongestFirst(family) // family prefixes, longest first
)

// indexProviders gives each provider without an EnvVar its SecretName as
// EnvVar and returns the providers by name and by route.
func indexProviders(t []Provider) (names, routes map[string]*Provider) {
	names, routes = map[string]*Provider{}, map[string]*Provider{}
	for i := range t {
		p := &t[i]
		if p.EnvVar == "" {
			p.EnvVar = p.SecretName
		}
		names[p.Name] = p
		for _, r := range p.Routes {
			routes[r] = p
		}
	}
	return names, routes
}

// familiesLongestFirst returns the keys of fam, longest first (then in
// lexical order), so that the first prefix that matches is the longest.
func familiesLongestFirst(fam map[string]string) []string {
	keys := make([]string, 0, len(fam))
	for k := range fam {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if len(keys[i]) != len(keys[j]) {
			return len(keys[i]) > len(keys[j])
		}
		return keys[i] < keys[j]
	})
	return keys
}

// Sentinel errors, for errors.Is.
var (
	// ErrUnknownModel: no provider is known for the model name.
	ErrUnknownModel = errors.New("unknown model")
	// ErrMissingKey: the provider's key is neither a developer secret nor
	// (when allowed) an environment variable.
	ErrMissingKey = errors.New("missing provider API key")
)

// UnknownModelError reports a model no provider matches, with close names.
type UnknownModelError struct {
	Model       string
	Suggestions []string
}

// Error names the model and suggests close names when there are some.
func (e *UnknownModelError) Error() string {
	if strings.TrimSpace(e.Model) == "" {
		return "unknown model: empty model name"
	}
	msg := fmt.Sprintf("unknown model %q: no provider known for it", e.Model)
	if len(e.Suggestions) > 0 {
		msg += " (did you mean " + quoteJoin(e.Suggestions) + "?)"
	} else {
		msg += " (use a provider prefix such as \"openai/\" or \"anthropic/\")"
	}
	return msg
}

// Is makes errors.Is(err, ErrUnknownModel) true.
func (e *UnknownModelError) Is(target error) bool { return target == ErrUnknownModel }

// MissingKeyError reports that no key was found for a model's provider.
type MissingKeyError struct {
	Model      string
	Provider   string
	SecretName string
}

// Error names the model, provider and expected secret.
func (e *MissingKeyError) Error() string {
	return fmt.Sprintf("model %q (%s) needs the developer secret %s, which does not exist", e.Model, e.Provider, e.SecretName)
}

// Is makes errors.Is(err, ErrMissingKey) true.
func (e *MissingKeyError) Is(target error) bool { return target == ErrMissingKey }

func quoteJoin(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}

// Providers returns a copy of the provider table, in a stable order.
func Providers() []Provider {
	out := make([]Provider, len(table))
	for i, p := range table {
		p.Routes = append([]string(nil), p.Routes...)
		out[i] = p
	}
	return out
}

// ByName returns the provider with that Name ("openai").
func ByName(name string) (Provider, bool) {
	p, ok := byName[strings.ToLower(name)]
	if !ok {
		return Provider{}, false
	}
	return *p, true
}

// Normalize returns the canonical spelling of a model name: trimmed,
// aliases resolved (case-insensitively), dotted Claude versions dashed, a
// known route lower-cased ("OpenAI/gpt-4o" → "openai/gpt-4o"); the model id
// itself keeps its case (Hugging Face style ids are case-sensitive).
func Normalize(model string) string {
	m := strings.TrimSpace(model)
	route, rest, routed := strings.Cut(m, "/")
	if routed {
		if _, ok := byRoute[strings.ToLower(route)]; ok {
			return strings.ToLower(route) + "/" + normalizeBare(rest)
		}
		return m
	}
	return normalizeBare(m)
}

func normalizeBare(m string) string {
	if a, ok := aliases[strings.ToLower(m)]; ok {
		return a
	}
	if len(m) > 7 && strings.EqualFold(m[:7], "claude-") {
		// claude-3.5-sonnet → claude-3-5-sonnet; claude-sonnet-4.5 → claude-sonnet-4-5.
		b := []byte(m)
		for i := 1; i+1 < len(b); i++ {
			if b[i] == '.' && isDigit(b[i-1]) && isDigit(b[i+1]) {
				b[i] = '-'
			}
		}
		return string(b)
	}
	return m
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// Lookup returns the provider serving model. An empty or unknown model gives
// an *UnknownModelError (errors.Is ErrUnknownModel) with close names.
func Lookup(model string) (Provider, error) {
	m := strings.ToLower(Normalize(model))
	if m == "" {
		return Provider{}, &UnknownModelError{Model: model}
	}
	if route, rest, routed := strings.Cut(m, "/"); routed {
		if p, ok := byRoute[route]; ok && rest != "" {
			return *p, nil
		}
		return Provider{}, &UnknownModelError{Model: model, Suggestions: suggest(m)}
	}
	for _, f := range familyOrder {
		if strings.HasPrefix(m, f) {
			return *byName[family[f]], nil
		}
	}
	return Provider{}, &UnknownModelError{Model: model, Suggestions: suggest(m)}
}

// KeyFor returns the name of the developer secret holding the API key for
// model's provider (OPENAI_API_KEY for "gpt-4o").
func KeyFor(model string) (string, error) {
	p, err := Lookup(model)
	if err != nil {
		return "", err
	}
	return p.SecretName, nil
}

// suggest returns up to three known names within a small edit distance.
func suggest(m string) []string {
	type cand struct {
		name string
		d    int
	}
	var cs []cand
	maxD := len(m)/3 + 1
	if maxD > 4 {
		maxD = 4
	}
	for _, k := range known {
		d := levenshtein(m, k)
		if strings.HasSuffix(k, "/") {
			if r, _, ok := strings.Cut(m, "/"); ok {
				d = levenshtein(r+"/", k)
			} else {
				continue
			}
		}
		if d <= maxD {
			cs = append(cs, cand{k, d})
		}
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].d < cs[j].d })
	var out []string
	for _, c := range cs {
		if len(out) == 3 {
			break
		}
		out = append(out, c.name)
	}
	return out
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Key sources reported in a KeyRef.
const (
	// SourceSecret: the key is the developer secret named SecretName.
	SourceSecret = "secret"
	// SourceEnv: the key is the process environment variable EnvVar (only
	// with WithEnvFallback).
	SourceEnv = "env"
)

// KeyRef says where a prompt step's provider key comes from. It never holds
// the key itself.
type KeyRef struct {
	Model      string `json:"model"`
	Provider   string `json:"provider"`
	SecretName string `json:"secret_name"`
	// Source is SourceSecret or SourceEnv.
	Source string `json:"source"`
	// EnvVar is set when Source is SourceEnv.
	EnvVar string `json:"env_var,omitempty"`
}

// String describes the reference, e.g. "OPENAI_API_KEY (secret, openai)".
func (k KeyRef) String() string {
	if k.Source == SourceEnv {
		return fmt.Sprintf("%s (env $%s, %s)", k.SecretName, k.EnvVar, k.Provider)
	}
	return fmt.Sprintf("%s (secret, %s)", k.SecretName, k.Provider)
}

// SecretExists reports whether the developer has a secret of that name. It
// must not return the value.
type SecretExists func(ctx context.Context, name string) (bool, error)

type injectConfig struct {
	env func(string) (string, bool)
}

// InjectOption configures InjectKey.
type InjectOption func(*injectConfig)

// WithEnvFallback lets InjectKey use the provider's environment variable
// when the developer has no secret of that name. lookup reads the
// environment; nil means os.LookupEnv. An empty variable counts as absent.
func WithEnvFallback(lookup func(string) (string, bool)) InjectOption {
	return func(c *injectConfig) {
		if lookup == nil {
			lookup = os.LookupEnv
		}
		c.env = lookup
	}
}

// InjectKey returns the key reference for a prompt step using model: the
// developer secret named like the provider's variable when exists says it is
// there, else (only with WithEnvFallback) the environment variable, else a
// *MissingKeyError, returned with the reference the key would have (a
// developer secret), so that a caller can report what is missing. An
// unknown model gives an *UnknownModelError.
//
// This is the one home of the provider-key decision: the resolver calls it
// with the secrets it fetched for the step.
func InjectKey(ctx context.Context, model string, exists SecretExists, opts ...InjectOption) (KeyRef, error) {
	var cfg injectConfig
	for _, o := range opts {
		o(&cfg)
	}
	p, err := Lookup(model)
	if err != nil {
		return KeyRef{}, err
	}
	ref := KeyRef{Model: Normalize(model), Provider: p.Name, SecretName: p.SecretName, Source: SourceSecret}
	if exists != nil {
		ok, err := exists(ctx, p.SecretName)
		if err != nil {
			return KeyRef{}, fmt.Errorf("looking up provider key %s for model %q: %w", p.SecretName, model, err)
		}
		if ok {
			return ref, nil
		}
	}
	if cfg.env != nil {
		if v, ok := cfg.env(p.EnvVar); ok && v != "" {
			ref.Source = SourceEnv
			ref.EnvVar = p.EnvVar
			return ref, nil
		}
	}
	return ref, &MissingKeyError{Model: model, Provider: p.Name, SecretName: p.SecretName}
}
