package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/julepkit/julep/internal/restapi"
	"github.com/julepkit/julep/redact"
	"github.com/julepkit/julep/secrets"
)

// apiError is an error answer: a code (which decides the status) and a
// message for the client.
type apiError struct {
	code  string
	msg   string
	field string
}

func (e *apiError) Error() string { return e.msg }

// Status is the HTTP status of the answer.
func (e *apiError) Status() int { return restapi.Status(e.code) }

func invalidf(field, format string, args ...any) *apiError {
	return &apiError{code: restapi.CodeValidation, field: field, msg: fmt.Sprintf(format, args...)}
}

// writeError sends {"error": {...}} with the code's status.
func writeError(w http.ResponseWriter, e *apiError) {
	writeJSON(w, e.Status(), restapi.ErrorBody{Error: restapi.ErrorDetail{Code: e.code, Message: e.msg, Field: e.field}})
}

// writeJSON sends v as JSON with status.
// (no HTML escaping: answers are JSON, never HTML).
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"error":{"code":"internal_error","message":"cannot encode the answer"}}` + "\n")
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// fail answers err: an *apiError as it is; a store error by its sentinel
// (its message names secrets, never values); anything else is a 500 whose
// message is logged (masking value, the request's secret value if any)
// and not sent.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, value string, err error) {
	var ae *apiError
	if errors.As(err, &ae) {
		writeError(w, ae)
		return
	}
	code := restapi.CodeOf(err)
	msg := err.Error()
	if value != "" {
		// Store messages never carry values; mask anyway before the text
		// leaves the process.
		rd := redact.New()
		rd.Add("value", value)
		msg = rd.Redact(msg)
	}
	var field string
	var ve *secrets.ValidationError
	if errors.As(err, &ve) {
		field = ve.Field
	}
	switch code {
	case restapi.CodeInternal, restapi.CodeEncryption:
		requestInfo(r.Context()).errMsg = msg
		if code == restapi.CodeInternal {
			msg = "internal error (logged on the server)"
		}
	}
	writeError(w, &apiError{code: code, msg: msg, field: field})
}
