// Package restapi is the wire contract of the secrets REST API that the
// server (package server) answers and the client (package secrets/remote)
// speaks: paths, request and answer bodies, error codes and how they map to
// HTTP statuses and to the secrets package's sentinel errors. It is the one
// home of these rules, so that the two sides cannot drift.
package restapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/julepkit/julep/secrets"
)

// Paths.
const (
	// SecretsPath is the collection: POST creates, GET lists.
	SecretsPath = "/secrets"
	// ResolvePath fetches the values of several secrets by name in one
	// request (an extension of Julep's API for workers; a segment starting
	// with "_" can never be a secret name or id).
	ResolvePath = "/secrets/_resolve"
	// HealthPath answers 200 while the process serves.
	HealthPath = "/healthz"
	// ReadyPath answers 200 when the store is reachable, else 503.
	ReadyPath = "/readyz"
)

// Query parameters of GET /secrets.
const (
	QueryLimit          = "limit"
	QueryOffset         = "offset"
	QueryMetadataFilter = "metadata_filter"
	// QueryMetadataMode on PATCH: "merge" sets the given metadata keys and
	// keeps the others; absent or "replace" replaces the object.
	QueryMetadataMode = "metadata"
)

// MetadataMerge is the value of QueryMetadataMode that merges.
const MetadataMerge = "merge"

// Error codes of the JSON error body.
const (
	CodeNotFound         = "not_found"
	CodeAlreadyExists    = "already_exists"
	CodeValidation       = "validation_error"
	CodePermissionDenied = "permission_denied"
	CodeUnauthorized     = "unauthorized"
	// Codes beyond DESIGN.md's five, for transport problems.
	CodeTooLarge         = "request_too_large"
	CodeUnsupportedMedia = "unsupported_media_type"
	CodeMethodNotAllowed = "method_not_allowed"
	CodeInternal         = "internal_error"
	CodeEncryption       = "encryption_error"
	CodeUnavailable      = "unavailable"
)

// statusOf maps each error code to its HTTP status.
var statusOf = map[string]int{
	CodeNotFound:         http.StatusNotFound,
	CodeAlreadyExists:    http.StatusConflict,
	CodeValidation:       http.StatusUnprocessableEntity,
	CodePermissionDenied: http.StatusForbidden,
	CodeUnauthorized:     http.StatusUnauthorized,
	CodeTooLarge:         http.StatusRequestEntityTooLarge,
	CodeUnsupportedMedia: http.StatusUnsupportedMediaType,
	CodeMethodNotAllowed: http.StatusMethodNotAllowed,
	CodeInternal:         http.StatusInternalServerError,
	CodeEncryption:       http.StatusInternalServerError,
	CodeUnavailable:      http.StatusServiceUnavailable,
}

// Status returns the HTTP status of an error code (500 for an unknown code).
func Status(code string) int {
	if s, ok := statusOf[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// ErrorBody is every error answer: {"error": {"code": "...", "message": "..."}}.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is the inside of an ErrorBody.
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// Field names the offending field of a validation error, when known.
	Field string `json:"field,omitempty"`
}

// CodeOf returns the error code for an error from a secrets.Store.
func CodeOf(err error) string {
	switch {
	case errors.Is(err, secrets.ErrNotFound):
		return CodeNotFound
	case errors.Is(err, secrets.ErrAlreadyExists):
		return CodeAlreadyExists
	case errors.Is(err, secrets.ErrInvalid):
		return CodeValidation
	case errors.Is(err, secrets.ErrPermissionDenied):
		return CodePermissionDenied
	case errors.Is(err, secrets.ErrEncryption):
		return CodeEncryption
	default:
		return CodeInternal
	}
}

// ErrUnauthorized is what a client returns for a 401 answer (missing, wrong
// or revoked API key).
var ErrUnauthorized = errors.New("unauthorized")

// ErrServer is wrapped by client errors for answers that are not one of the
// secrets sentinels (5xx, unexpected statuses, unreadable bodies).
var ErrServer = errors.New("server error")

// RemoteError is an error answer as a client sees it. It unwraps to the
// secrets sentinel of its code (ErrNotFound for not_found…), ErrUnauthorized
// for unauthorized, or ErrServer, so callers branch with errors.Is as they
// do for a local store.
type RemoteError struct {
	Status  int
	Code    string
	Message string
	Field   string
}

// Error implements error: the server's message (which names secrets, never
// values).
func (e *RemoteError) Error() string {
	if e.Message == "" {
		return fmt.Sprintf("server answered %d %s", e.Status, e.Code)
	}
	return e.Message
}

// Unwrap returns the sentinel of the error's code.
func (e *RemoteError) Unwrap() error {
	switch e.Code {
	case CodeValidation:
		if e.Field != "" {
			// The server sends a secrets.ValidationError's text: give the
			// client the same typed error a local store returns.
			reason := strings.TrimPrefix(e.Message, secrets.ErrInvalid.Error()+": "+e.Field+": ")
			return &secrets.ValidationError{Field: e.Field, Reason: reason}
		}
		return secrets.ErrInvalid
	case CodeNotFound:
		return secrets.ErrNotFound
	case CodeAlreadyExists:
		return secrets.ErrAlreadyExists
	case CodeTooLarge:
		return secrets.ErrInvalid
	case CodePermissionDenied:
		return secrets.ErrPermissionDenied
	case CodeEncryption:
		return secrets.ErrEncryption
	case CodeUnauthorized:
		return ErrUnauthorized
	default:
		return ErrServer
	}
}

// CreateRequest is the body of POST /secrets.
type CreateRequest struct {
	Name        string         `json:"name"`
	Value       string         `json:"value"`
	Description *string        `json:"description,omitempty"`
	Metadata    map[string]any `json:"metadata,omitempty"`
}

// UpdateRequest is the body of PUT and PATCH /secrets/{id}: PUT needs name
// and value; PATCH takes any subset. A field that is absent or null is left
// as it is; metadata {} is an empty object (it replaces, or merges nothing).
type UpdateRequest struct {
	Name        *string        `json:"name,omitempty"`
	Value       *string        `json:"value,omitempty"`
	Description *string        `json:"description,omitempty"`
	Metadata    map[string]any `json:"metadata"`
}

// DeleteResponse is the answer of DELETE /secrets/{id}.
type DeleteResponse struct {
	ID        string    `json:"id"`
	DeletedAt time.Time `json:"deleted_at"`
}

// ResolveRequest is the body of POST /secrets/_resolve.
type ResolveRequest struct {
	Names []string `json:"names"`
}

// ResolveResponse is its answer: the values of the names the developer has;
// the other names are listed in Missing.
type ResolveResponse struct {
	Values  map[string]string `json:"values"`
	Missing []string          `json:"missing"`
}

// MaxResolveNames is the most names one resolve request may ask for.
const MaxResolveNames = 1000

// Encode marshals v as compact JSON with a trailing newline.
func Encode(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
