package secrets

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"strings"
	"unicode/utf8"
)

// ValidationError says which field of a secret breaks which rule. It wraps
// ErrInvalid (errors.Is(err, ErrInvalid) holds) and never carries a value.
type ValidationError struct {
	// Field is the offending field: "name", "description", "metadata", "value",
	// "limit" or "offset".
	Field string
	// Reason says why, in words fit for a user.
	Reason string
}

// Error implements error.
func (e *ValidationError) Error() string {
	return fmt.Sprintf("%s: %s: %s", ErrInvalid.Error(), e.Field, e.Reason)
}

// Unwrap returns ErrInvalid.
func (e *ValidationError) Unwrap() error { return ErrInvalid }

func invalid(field, format string, args ...any) error {
	return &ValidationError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// NamePattern is the rule every secret name follows (case-sensitive).
const NamePattern = `^[A-Za-z][A-Za-z0-9_]*$`

// ValidateName checks a secret name against NamePattern and MaxNameLen. The
// error wraps ErrInvalid and quotes (a prefix of) the name.
func ValidateName(name string) error {
	if name == "" {
		return invalid("name", "must not be empty")
	}
	if len(name) > MaxNameLen {
		return invalid("name", "%q... is %d characters long, the limit is %d", name[:20], len(name), MaxNameLen)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z':
		case (c >= '0' && c <= '9') || c == '_':
			if i == 0 {
				return invalid("name", "%q must start with a letter (pattern %s)", name, NamePattern)
			}
		default:
			r, _ := utf8.DecodeRuneInString(name[i:])
			return invalid("name", "%q has %q at byte %d: only ASCII letters, digits and _ are allowed (pattern %s)", name, r, i, NamePattern)
		}
	}
	return nil
}

// ValidateDescription checks that a description has at most MaxDescriptionLen
// characters, is valid UTF-8 and holds no NUL character (PostgreSQL text
// cannot store it, and every backend keeps the same rules).
func ValidateDescription(d string) error {
	if !utf8.ValidString(d) {
		return invalid("description", "is not valid UTF-8")
	}
	if i := strings.IndexByte(d, 0); i >= 0 {
		return invalid("description", "has a NUL character at byte %d", i)
	}
	if n := utf8.RuneCountInString(d); n > MaxDescriptionLen {
		return invalid("description", "is %d characters long, the limit is %d", n, MaxDescriptionLen)
	}
	return nil
}

// ValidateValue checks that a value is not empty, has at most MaxValueBytes
// bytes and is valid UTF-8 (values travel as JSON strings, which would
// silently turn invalid bytes into U+FFFD). The error never contains the value.
func ValidateValue(v string) error {
	if v == "" {
		return invalid("value", "must not be empty")
	}
	if len(v) > MaxValueBytes {
		return invalid("value", "is %d bytes long, the limit is %d", len(v), MaxValueBytes)
	}
	if !utf8.ValidString(v) {
		return invalid("value", "is not valid UTF-8 text (store binary data base64-encoded)")
	}
	return nil
}

// ValidateMetadata checks that metadata encodes as a JSON object of at most
// MaxMetadataBytes bytes (compact form). A nil map is valid (no metadata).
func ValidateMetadata(m map[string]any) error {
	_, err := EncodeMetadata(m)
	return err
}

// EncodeMetadata validates metadata and returns its compact JSON encoding;
// nil encodes as {}.
func EncodeMetadata(m map[string]any) ([]byte, error) {
	if m == nil {
		return []byte("{}"), nil
	}
	if where, bad := invalidUTF8(m, ""); bad {
		// encoding/json would silently store U+FFFD instead.
		return nil, invalid("metadata", "%s is not valid UTF-8 text", where)
	}
	return marshalMetadata(m, "is")
}

// marshalMetadata encodes a metadata object as compact JSON within
// MaxMetadataBytes; what says what was too large ("is", "merged with the
// stored keys is").
func marshalMetadata(m map[string]any, what string) ([]byte, error) {
	b, err := json.Marshal(m)
	if err != nil {
		return nil, invalid("metadata", "cannot be encoded as JSON: %v", err)
	}
	if len(b) > MaxMetadataBytes {
		return nil, invalid("metadata", "%s %d bytes as JSON, the limit is %d", what, len(b), MaxMetadataBytes)
	}
	return b, nil
}

// DecodeMetadata decodes a JSON object stored by EncodeMetadata. It never
// returns a nil map.
func DecodeMetadata(b []byte) (map[string]any, error) {
	m := map[string]any{}
	if len(b) == 0 {
		return m, nil
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("decode stored metadata: %w", err)
	}
	if m == nil {
		m = map[string]any{}
	}
	return m, nil
}

// invalidUTF8 finds a key or string value that is not valid UTF-8 in a
// JSON-like value, and says where it is.
func invalidUTF8(v any, path string) (string, bool) {
	switch x := v.(type) {
	case string:
		return "the value at " + path, !utf8.ValidString(x)
	case map[string]any:
		for k, e := range x {
			p := k
			if path != "" {
				p = path + "." + k
			}
			if !utf8.ValidString(k) {
				return fmt.Sprintf("the key %q", k), true
			}
			if where, bad := invalidUTF8(e, p); bad {
				return where, true
			}
		}
	case map[string]string:
		for k, e := range x {
			if !utf8.ValidString(k) || !utf8.ValidString(e) {
				return fmt.Sprintf("the key %q or its value", k), true
			}
		}
	case []any:
		for i, e := range x {
			if where, bad := invalidUTF8(e, fmt.Sprintf("%s[%d]", path, i)); bad {
				return where, true
			}
		}
	case []string:
		for i, e := range x {
			if !utf8.ValidString(e) {
				return fmt.Sprintf("the value at %s[%d]", path, i), true
			}
		}
	}
	return "", false
}

// MergeMetadata sets every key of patch on the stored metadata object (the
// compact JSON a store keeps) and returns the result as compact JSON, for
// UpdateParams.MergeMetadata. The merged object must fit MaxMetadataBytes:
// otherwise a ValidationError for "metadata".
func MergeMetadata(stored []byte, patch map[string]any) ([]byte, error) {
	m, err := DecodeMetadata(stored)
	if err != nil {
		return nil, err
	}
	maps.Copy(m, patch)
	return marshalMetadata(m, "merged with the stored keys is")
}

// NormalizeMetadata returns metadata as it reads back from storage (a JSON
// round trip: numbers become float64, nested maps map[string]any), never nil.
func NormalizeMetadata(m map[string]any) (map[string]any, error) {
	b, err := EncodeMetadata(m)
	if err != nil {
		return nil, err
	}
	return DecodeMetadata(b)
}

// ValidateCreate checks every field of a new secret.
func ValidateCreate(p CreateParams) error {
	if err := ValidateName(p.Name); err != nil {
		return err
	}
	if err := ValidateValue(p.Value); err != nil {
		return err
	}
	if err := ValidateDescription(p.Description); err != nil {
		return err
	}
	return ValidateMetadata(p.Metadata)
}

// ValidateUpdate checks every field an update sets.
func ValidateUpdate(p UpdateParams) error {
	if p.NewName != nil {
		if err := ValidateName(*p.NewName); err != nil {
			return err
		}
	}
	if p.Value != nil {
		if err := ValidateValue(*p.Value); err != nil {
			return err
		}
	}
	if p.Description != nil {
		if err := ValidateDescription(*p.Description); err != nil {
			return err
		}
	}
	return ValidateMetadata(p.Metadata)
}

// NormalizeList validates list parameters and applies the limit rules: 0
// means DefaultListLimit, above MaxListLimit is clamped, negative limit or
// offset is ErrInvalid. The metadata filter is normalized like stored metadata.
func NormalizeList(p ListParams) (ListParams, error) {
	switch {
	case p.Limit < 0:
		return p, invalid("limit", "must not be negative (got %d)", p.Limit)
	case p.Limit == 0:
		p.Limit = DefaultListLimit
	case p.Limit > MaxListLimit:
		p.Limit = MaxListLimit
	}
	if p.Offset < 0 {
		return p, invalid("offset", "must not be negative (got %d)", p.Offset)
	}
	if len(p.Metadata) > 0 {
		m, err := NormalizeMetadata(p.Metadata)
		if err != nil {
			return p, err
		}
		p.Metadata = m
	}
	return p, nil
}

// MetadataMatches reports whether metadata holds every pair of filter (both
// normalized with NormalizeMetadata). An empty filter matches everything.
func MetadataMatches(metadata, filter map[string]any) bool {
	for k, want := range filter {
		got, ok := metadata[k]
		if !ok || !reflect.DeepEqual(got, want) {
			return false
		}
	}
	return true
}
