package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/julepkit/julep/internal/restapi"
	"github.com/julepkit/julep/secrets"
)

// readBody reads a JSON request body of at most max bytes, checking the
// content type. Errors are *apiError: 415, 413 or 422.
func readBody(r *http.Request, w http.ResponseWriter, max int64) ([]byte, *apiError) {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return nil, &apiError{code: restapi.CodeUnsupportedMedia, msg: "missing Content-Type: send the body as application/json"}
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return nil, &apiError{code: restapi.CodeUnsupportedMedia, msg: fmt.Sprintf("Content-Type %q is not supported: send the body as application/json", ct)}
	}
	if r.ContentLength > max {
		return nil, tooLarge(max)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, tooLarge(max)
		}
		return nil, invalidf("", "cannot read the request body: %v", err)
	}
	return body, nil
}

func tooLarge(max int64) *apiError {
	return &apiError{code: restapi.CodeTooLarge, msg: fmt.Sprintf("request body larger than %d bytes", max)}
}

// decodeJSON decodes one JSON object into v: unknown fields, trailing data,
// wrong types and malformed JSON are 422 errors that say where.
func decodeJSON(body []byte, v any) *apiError {
	if len(bytes.TrimSpace(body)) == 0 {
		return invalidf("", "empty request body: want a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return invalidf("", "unexpected data after the JSON object at byte %d", dec.InputOffset())
	}
	return nil
}

// jsonError explains a decoding error without quoting the input (it may
// hold a value).
func jsonError(err error) *apiError {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return invalidf("", "malformed JSON at byte %d", se.Offset)
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			return invalidf("", "the body must be a JSON object, not %s", te.Value)
		}
		return invalidf(field, "field %q must not be %s", field, te.Value)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return invalidf("", "malformed JSON: unexpected end of the body")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		return invalidf(f, "unknown field %q (allowed: name, value, description, metadata)", f)
	default:
		return invalidf("", "malformed JSON body")
	}
}

// DecodeCreate decodes and checks the body of POST /secrets. It is
// exported for the fuzz target and tests.
func DecodeCreate(body []byte) (secrets.CreateParams, error) {
	var req restapi.CreateRequest
	if err := decodeJSON(body, &req); err != nil {
		return secrets.CreateParams{}, err
	}
	p := secrets.CreateParams{Name: req.Name, Value: req.Value, Metadata: req.Metadata}
	if req.Description != nil {
		p.Description = *req.Description
	}
	if err := secrets.ValidateCreate(p); err != nil {
		return p, validation(err)
	}
	return p, nil
}

// DecodeUpdate decodes and checks the body of PUT (full: name and value
// required) or PATCH (any subset) /secrets/{id}.
func DecodeUpdate(body []byte, full bool) (restapi.UpdateRequest, error) {
	var req restapi.UpdateRequest
	if err := decodeJSON(body, &req); err != nil {
		return req, err
	}
	if full {
		if req.Name == nil {
			return req, invalidf("name", "PUT needs the name (use PATCH to change some fields only)")
		}
		if req.Value == nil {
			return req, invalidf("value", "PUT needs the value (use PATCH to change some fields only)")
		}
	}
	p := secrets.UpdateParams{NewName: req.Name, Value: req.Value, Description: req.Description, Metadata: req.Metadata}
	if err := secrets.ValidateUpdate(p); err != nil {
		return req, validation(err)
	}
	return req, nil
}

// DecodeResolve decodes and checks the body of POST /secrets/_resolve.
func DecodeResolve(body []byte) ([]string, error) {
	var req restapi.ResolveRequest
	if err := decodeJSON(body, &req); err != nil {
		return nil, err
	}
	if len(req.Names) > restapi.MaxResolveNames {
		return nil, invalidf("names", "at most %d names per request, got %d", restapi.MaxResolveNames, len(req.Names))
	}
	for _, n := range req.Names {
		if err := secrets.ValidateName(n); err != nil {
			return nil, validation(err)
		}
	}
	return req.Names, nil
}

// validation turns a secrets.ValidationError into a 422 naming the field.
func validation(err error) *apiError {
	var ve *secrets.ValidationError
	if errors.As(err, &ve) {
		return &apiError{code: restapi.CodeValidation, field: ve.Field, msg: ve.Error()}
	}
	return &apiError{code: restapi.CodeValidation, msg: err.Error()}
}

// ListQuery parses the query of GET /secrets: limit, offset and the
// metadata filter as a JSON object (metadata_filter={"k":"v"}) or as the
// SDK sends it (metadata_filter.k=v, also metadata_filter[k]=v; values are
// strings). Other parameters are ignored.
func ListQuery(q map[string][]string) (secrets.ListParams, error) {
	var p secrets.ListParams
	var err error
	if p.Limit, err = intParam(q, restapi.QueryLimit); err != nil {
		return p, err
	}
	if p.Offset, err = intParam(q, restapi.QueryOffset); err != nil {
		return p, err
	}
	filter := map[string]any{}
	for k, vs := range q {
		switch {
		case k == restapi.QueryMetadataFilter:
			if len(vs) != 1 {
				return p, invalidf(k, "give metadata_filter once")
			}
			var m map[string]any
			if vs[0] != "" {
				if err := json.Unmarshal([]byte(vs[0]), &m); err != nil || m == nil {
					return p, invalidf(k, `metadata_filter must be a JSON object, e.g. {"environment":"production"}`)
				}
			}
			for mk, mv := range m {
				filter[mk] = mv
			}
		case strings.HasPrefix(k, restapi.QueryMetadataFilter+"."), strings.HasPrefix(k, restapi.QueryMetadataFilter+"["):
			key := k[len(restapi.QueryMetadataFilter)+1:]
			if k[len(restapi.QueryMetadataFilter)] == '[' {
				var ok bool
				if key, ok = strings.CutSuffix(key, "]"); !ok {
					return p, invalidf(restapi.QueryMetadataFilter, "malformed parameter %q: want metadata_filter[key]=value", k)
				}
			}
			if key == "" || len(vs) != 1 {
				return p, invalidf(restapi.QueryMetadataFilter, "malformed parameter %q: want one metadata_filter.key=value", k)
			}
			filter[key] = vs[0]
		}
	}
	if len(filter) > 0 {
		p.Metadata = filter
	}
	if _, err := secrets.NormalizeList(p); err != nil {
		return p, validation(err)
	}
	return p, nil
}

// intParam reads a non-negative integer query parameter (0 when absent).
func intParam(q map[string][]string, name string) (int, error) {
	vs, ok := q[name]
	if !ok {
		return 0, nil
	}
	if len(vs) != 1 {
		return 0, invalidf(name, "give %s once", name)
	}
	n, err := strconv.Atoi(vs[0])
	if err != nil || n < 0 || n > 1<<31 {
		return 0, invalidf(name, "%s must be a whole number from 0 to %d", name, 1<<31)
	}
	return n, nil
}
