// Package remote is the secrets.Store that talks to a "julep serve" REST
// API instead of a database: the CLI's remote mode (JULEP_BASE_URL and
// JULEP_API_KEY) and the resolver's HTTP source use it.
//
// The API key decides the developer: the developerID arguments of the
// Store methods are ignored (the server scopes every request to the key's
// developer). Errors unwrap to the same sentinels a local store returns
// (secrets.ErrNotFound for 404, ErrAlreadyExists for 409, ErrInvalid for
// 422 and 413, ErrEncryption, ErrPermissionDenied), or restapi's
// ErrUnauthorized (401) and ErrServer; see *RemoteError. They never
// contain a value or the API key.
package remote

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/julepkit/julep/internal/restapi"
	"github.com/julepkit/julep/secrets"
)

// Environment variables of remote mode.
const (
	EnvBaseURL = "JULEP_BASE_URL"
	EnvAPIKey  = "JULEP_API_KEY"
)

// ErrUnauthorized is wrapped by errors for a missing, wrong or revoked key.
var ErrUnauthorized = restapi.ErrUnauthorized

// ErrServer is wrapped by errors for answers that are none of the secrets
// sentinels (5xx, unexpected answers).
var ErrServer = restapi.ErrServer

// RemoteError is a JSON error answer of the server (see Unwrap for the
// sentinel it stands for).
type RemoteError = restapi.RemoteError

// maxAnswerBytes bounds what the client reads from one answer.
const maxAnswerBytes = 64 << 20

// Client is a secrets.Store over the REST API. It is safe for concurrent use.
type Client struct {
	base   *url.URL
	key    string
	http   *http.Client
	closer func()
}

var _ secrets.Store = (*Client)(nil)

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient uses hc for requests (timeouts, TLS roots, transport).
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) { c.http = hc }
}

// New returns a client for the server at baseURL (http or https, with an
// optional path prefix) authenticating with apiKey.
func New(baseURL, apiKey string, opts ...Option) (*Client, error) {
	u, err := url.Parse(strings.TrimSpace(baseURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%s must be an http:// or https:// URL, like http://127.0.0.1:8080", EnvBaseURL)
	}
	if u.User != nil {
		return nil, fmt.Errorf("%s must not carry a user or password: the API key goes in %s", EnvBaseURL, EnvAPIKey)
	}
	if strings.TrimSpace(apiKey) == "" {
		return nil, fmt.Errorf("%s is set but %s is empty: create a key with \"julep apikeys create\" on the server", EnvBaseURL, EnvAPIKey)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawQuery, u.Fragment = "", ""
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	c := &Client{base: u, key: strings.TrimSpace(apiKey), http: &http.Client{Timeout: 30 * time.Second, Transport: t}}
	c.closer = t.CloseIdleConnections
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// FromEnv returns a client for JULEP_BASE_URL and JULEP_API_KEY read with
// getenv; ok is false when JULEP_BASE_URL is unset (local mode).
func FromEnv(getenv func(string) string, opts ...Option) (c *Client, ok bool, err error) {
	base := strings.TrimSpace(getenv(EnvBaseURL))
	if base == "" {
		return nil, false, nil
	}
	c, err = New(base, getenv(EnvAPIKey), opts...)
	return c, true, err
}

// BaseURL is the server's URL (never with credentials).
func (c *Client) BaseURL() string { return c.base.String() }

// do sends one request and decodes a 2xx JSON answer into out (when not
// nil). what names the operation in errors.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, body, out any, what string) error {
	target := c.base.String() + path // path is already escaped
	if query != nil {
		target += "?" + query.Encode()
	}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("%s: encode request: %w", what, err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, rd)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	req.Header.Set("Authorization", "Bearer "+c.key)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "julep-remote")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.http.Do(req)
	if err != nil {
		// url.Error quotes the URL, which holds no credentials.
		return fmt.Errorf("%s: cannot reach the server at %s: %w", what, c.base.Redacted(), unwrapURLError(err))
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, maxAnswerBytes))
	if err != nil {
		return fmt.Errorf("%s: read the answer of %s: %w", what, c.base.Redacted(), err)
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return c.answerError(res.StatusCode, data, what)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%s: the answer of %s is not the expected JSON (%v): %w", what, c.base.Redacted(), err, ErrServer)
	}
	return nil
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// answerError turns an error answer into a *RemoteError (with what as
// context); answers without the JSON error shape become ErrServer errors.
func (c *Client) answerError(status int, data []byte, what string) error {
	var eb restapi.ErrorBody
	if json.Unmarshal(data, &eb) != nil || eb.Error.Code == "" {
		return fmt.Errorf("%s: %s answered %d %s: %w", what, c.base.Redacted(), status, http.StatusText(status), ErrServer)
	}
	re := &RemoteError{Status: status, Code: eb.Error.Code, Message: eb.Error.Message, Field: eb.Error.Field}
	if re.Code == restapi.CodeUnauthorized {
		return fmt.Errorf("%s: %s refused the API key in %s (%s): %w", what, c.base.Redacted(), EnvAPIKey, re.Message, re)
	}
	return fmt.Errorf("%s: %w", what, re)
}

// secretPath is /secrets/{name or id}, escaped.
func secretPath(nameOrID string) string {
	return restapi.SecretsPath + "/" + url.PathEscape(nameOrID)
}

// Create implements secrets.Store.
func (c *Client) Create(ctx context.Context, _ string, p secrets.CreateParams) (*secrets.Secret, error) {
	// Checked here too: JSON would silently turn invalid UTF-8 into U+FFFD.
	if err := secrets.ValidateCreate(p); err != nil {
		return nil, err
	}
	req := restapi.CreateRequest{Name: p.Name, Value: p.Value, Metadata: p.Metadata}
	if p.Description != "" {
		req.Description = &p.Description
	}
	var s secrets.Secret
	if err := c.do(ctx, http.MethodPost, restapi.SecretsPath, nil, req, &s, "create"); err != nil {
		return nil, err
	}
	return &s, nil
}

// Get implements secrets.Store.
func (c *Client) Get(ctx context.Context, _ string, name string) (*secrets.Secret, error) {
	if err := secrets.ValidateName(name); err != nil {
		return nil, secrets.NotFound(name)
	}
	return c.get(ctx, name)
}

// GetByID implements secrets.Store.
func (c *Client) GetByID(ctx context.Context, _ string, id string) (*secrets.Secret, error) {
	if id == "" || secrets.ValidateName(id) == nil {
		// The server would read a valid name as a name; ids never are.
		return nil, secrets.NotFound(id)
	}
	return c.get(ctx, id)
}

func (c *Client) get(ctx context.Context, nameOrID string) (*secrets.Secret, error) {
	var s secrets.Secret
	if err := c.do(ctx, http.MethodGet, secretPath(nameOrID), nil, nil, &s, "get"); err != nil {
		return nil, err
	}
	return &s, nil
}

// List implements secrets.Store.
func (c *Client) List(ctx context.Context, _ string, p secrets.ListParams) ([]*secrets.Secret, error) {
	p, err := secrets.NormalizeList(p)
	if err != nil {
		return nil, err
	}
	q := url.Values{}
	q.Set(restapi.QueryLimit, strconv.Itoa(p.Limit))
	q.Set(restapi.QueryOffset, strconv.Itoa(p.Offset))
	if len(p.Metadata) > 0 {
		b, err := json.Marshal(p.Metadata)
		if err != nil {
			return nil, fmt.Errorf("list: encode the metadata filter: %w", err)
		}
		q.Set(restapi.QueryMetadataFilter, string(b))
	}
	out := []*secrets.Secret{}
	if err := c.do(ctx, http.MethodGet, restapi.SecretsPath, q, nil, &out, "list"); err != nil {
		return nil, err
	}
	return out, nil
}

// Update implements secrets.Store with PATCH (metadata merged on the
// server, in its transaction, when p.MergeMetadata).
func (c *Client) Update(ctx context.Context, _ string, name string, p secrets.UpdateParams) (*secrets.Secret, error) {
	if err := secrets.ValidateName(name); err != nil {
		return nil, secrets.NotFound(name)
	}
	// Checked here too: JSON would silently turn invalid UTF-8 into U+FFFD.
	if err := secrets.ValidateUpdate(p); err != nil {
		return nil, err
	}
	req := restapi.UpdateRequest{Name: p.NewName, Value: p.Value, Description: p.Description, Metadata: p.Metadata}
	var q url.Values
	if p.Metadata != nil && p.MergeMetadata {
		q = url.Values{restapi.QueryMetadataMode: {restapi.MetadataMerge}}
	}
	var s secrets.Secret
	if err := c.do(ctx, http.MethodPatch, secretPath(name), q, req, &s, "update"); err != nil {
		return nil, err
	}
	return &s, nil
}

// Delete implements secrets.Store.
func (c *Client) Delete(ctx context.Context, _ string, name string) error {
	if err := secrets.ValidateName(name); err != nil {
		return secrets.NotFound(name)
	}
	return c.do(ctx, http.MethodDelete, secretPath(name), nil, nil, nil, "delete")
}

// Resolve fetches the values of names in one request; names the developer
// does not have are absent from the map.
func (c *Client) Resolve(ctx context.Context, names []string) (map[string]string, error) {
	out := make(map[string]string, len(names))
	for start := 0; start < len(names); start += restapi.MaxResolveNames {
		batch := names[start:min(start+restapi.MaxResolveNames, len(names))]
		var res restapi.ResolveResponse
		if err := c.do(ctx, http.MethodPost, restapi.ResolvePath, nil, restapi.ResolveRequest{Names: batch}, &res, "resolve"); err != nil {
			return nil, err
		}
		for k, v := range res.Values {
			out[k] = v
		}
	}
	return out, nil
}

// Ready asks the server's /readyz.
func (c *Client) Ready(ctx context.Context) error {
	return c.do(ctx, http.MethodGet, restapi.ReadyPath, nil, nil, nil, "readyz")
}

// Close releases idle connections.
func (c *Client) Close() error {
	if c.closer != nil {
		c.closer()
	}
	return nil
}
