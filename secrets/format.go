package secrets

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
)

// Redacted is what printing a Secret shows in place of its value.
const Redacted = "[REDACTED]"

// String describes the secret without its value, e.g.
// Secret{ID:…, DeveloperID:…, Name:API_KEY, Version:2, Value:[REDACTED]}.
func (s Secret) String() string {
	var b strings.Builder
	b.WriteString("Secret{ID:")
	b.WriteString(s.ID)
	b.WriteString(", DeveloperID:")
	b.WriteString(s.DeveloperID)
	b.WriteString(", Name:")
	b.WriteString(s.Name)
	b.WriteString(", Version:")
	b.WriteString(strconv.Itoa(s.Version))
	b.WriteString(", Value:")
	b.WriteString(s.redactedValue())
	b.WriteString("}")
	return b.String()
}

// GoString is like String but with every field but the value, for %#v.
func (s Secret) GoString() string {
	return fmt.Sprintf("secrets.Secret{ID:%q, DeveloperID:%q, Name:%q, Description:%q, Metadata:%#v, Value:%q, CreatedAt:%s, UpdatedAt:%s, Version:%d}",
		s.ID, s.DeveloperID, s.Name, s.Description, s.Metadata, s.redactedValue(),
		s.CreatedAt.Format(time.RFC3339Nano), s.UpdatedAt.Format(time.RFC3339Nano), s.Version)
}

// Format implements fmt.Formatter so that no verb (%v, %+v, %#v, %s, %q, %x,
// …) ever prints the value: %#v uses GoString, %q quotes String, and every
// other verb prints String.
func (s Secret) Format(f fmt.State, verb rune) {
	switch {
	case verb == 'v' && f.Flag('#'):
		_, _ = f.Write([]byte(s.GoString()))
	case verb == 'q':
		_, _ = f.Write([]byte(strconv.Quote(s.String())))
	default:
		_, _ = f.Write([]byte(s.String()))
	}
}

// LogValue implements slog.LogValuer: a group of the secret's fields with the
// value replaced by Redacted.
func (s Secret) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("id", s.ID),
		slog.String("developer_id", s.DeveloperID),
		slog.String("name", s.Name),
		slog.Int("version", s.Version),
		slog.String("value", s.redactedValue()),
	)
}

// redactedValue keeps the listing placeholder (not secret) and masks anything else.
func (s Secret) redactedValue() string {
	if s.Value == EncryptedPlaceholder || s.Value == "" {
		return s.Value
	}
	return Redacted
}
