package resolver

import (
	"context"
	"fmt"

	"github.com/julepkit/julep/secrets/remote"
)

// HTTPSource reads secrets from a "julep serve" REST API: every Fetch is
// one request (POST /secrets/_resolve) for all the names a step needs, so a
// worker on another machine needs an API key, not the database password or
// the master key. The API key decides the developer: the developerID
// arguments are ignored. Put a Cache in front of it in a worker:
//
//	src, err := resolver.NewHTTPSource("https://secrets.internal:8443", apiKey)
//	cached := resolver.NewCache(src, time.Minute)
type HTTPSource struct {
	client *remote.Client
}

var _ SecretLister = (*HTTPSource)(nil)

// NewHTTPSource returns a source for the server at baseURL with apiKey.
func NewHTTPSource(baseURL, apiKey string, opts ...remote.Option) (*HTTPSource, error) {
	c, err := remote.New(baseURL, apiKey, opts...)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadSource, err)
	}
	return &HTTPSource{client: c}, nil
}

// HTTPSourceFromEnv is NewHTTPSource with JULEP_BASE_URL and JULEP_API_KEY
// read with getenv; both must be set.
func HTTPSourceFromEnv(getenv func(string) string) (*HTTPSource, error) {
	c, ok, err := remote.FromEnv(getenv)
	if !ok {
		return nil, fmt.Errorf("%w: http needs %s (the julep serve URL) and %s", ErrBadSource, remote.EnvBaseURL, remote.EnvAPIKey)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadSource, err)
	}
	return &HTTPSource{client: c}, nil
}

// Fetch implements SecretSource with one batch request.
func (s *HTTPSource) Fetch(ctx context.Context, _ string, names []string) (map[string]string, error) {
	if len(names) == 0 {
		return map[string]string{}, nil
	}
	got, err := s.client.Resolve(ctx, names)
	if err != nil {
		return nil, fmt.Errorf("fetching secrets from %s: %w", s.client.BaseURL(), err)
	}
	return got, nil
}

// Has implements SecretLister from the server's listing (no value leaves
// the server).
func (s *HTTPSource) Has(ctx context.Context, developerID string, names []string) (map[string]bool, error) {
	return StoreSource{Store: s.client}.Has(ctx, developerID, names)
}

// String names the source.
func (s *HTTPSource) String() string { return "http" }

// Close releases idle connections.
func (s *HTTPSource) Close() error { return s.client.Close() }
