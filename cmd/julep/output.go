package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/julepkit/julep/secrets"
)

// Column widths of the list table; longer cells end with "…".
const (
	maxDescriptionCell = 40
	maxMetadataCell    = 50
)

// jsonSecret returns a copy of s fit for JSON output: metadata is never null.
func jsonSecret(s *secrets.Secret) *secrets.Secret {
	c := *s
	if c.Metadata == nil {
		c.Metadata = map[string]any{}
	}
	return &c
}

// listJSON is the document "julep secrets list --json" prints, shaped like
// the SDK's list answer.
type listJSON struct {
	Items []*secrets.Secret `json:"items"`
}

func writeListJSON(w io.Writer, items []*secrets.Secret) error {
	doc := listJSON{Items: make([]*secrets.Secret, 0, len(items))}
	for _, s := range items {
		c := jsonSecret(s)
		c.Value = secrets.EncryptedPlaceholder // listings never carry values
		doc.Items = append(doc.Items, c)
	}
	return writeJSON(w, doc)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return nil
}

// writeListTable prints the human table of a listing. It shows an EXPIRES
// column when some secret has an expires_at, and marks expired ones.
func writeListTable(w io.Writer, items []*secrets.Secret, now time.Time, dev string) {
	if len(items) == 0 {
		fmt.Fprintf(w, "No secrets found for developer %q (create one: julep secrets create --name NAME --value-stdin).\n", dev)
		return
	}
	withExpiry := slices.ContainsFunc(items, func(s *secrets.Secret) bool { _, ok := expiresAt(s); return ok })
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	header := "NAME\tDESCRIPTION\tMETADATA\tVERSION\tUPDATED"
	if withExpiry {
		header += "\tEXPIRES"
	}
	fmt.Fprintln(tw, header)
	for _, s := range items {
		md := s.Metadata
		if withExpiry {
			md = withoutKey(md, metaExpiresAt)
		}
		row := []string{
			cell(s.Name, secrets.MaxNameLen),
			cell(orDash(s.Description), maxDescriptionCell),
			cell(orDash(formatMetadata(md, ",")), maxMetadataCell),
			fmt.Sprint(s.Version),
			formatTime(s.UpdatedAt),
		}
		if withExpiry {
			row = append(row, expiryCell(s, now))
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	_ = tw.Flush()
}

// expiryCell shows a secret's expires_at, marking it when it has passed.
func expiryCell(s *secrets.Secret, now time.Time) string {
	t, ok := expiresAt(s)
	switch {
	case !ok:
		if v, present := s.Metadata[metaExpiresAt]; present {
			return cell(fmt.Sprint(v), 30) + " (unreadable)"
		}
		return "-"
	case !t.After(now):
		return formatTime(t) + " EXPIRED"
	default:
		return formatTime(t)
	}
}

// writeSecret prints one secret, value last, for "julep secrets get".
func writeSecret(w io.Writer, s *secrets.Secret, now time.Time) {
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	fmt.Fprintf(tw, "Name:\t%s\n", s.Name)
	fmt.Fprintf(tw, "ID:\t%s\n", s.ID)
	fmt.Fprintf(tw, "Developer:\t%s\n", s.DeveloperID)
	fmt.Fprintf(tw, "Description:\t%s\n", orDash(oneLine(s.Description)))
	fmt.Fprintf(tw, "Metadata:\t%s\n", orDash(oneLine(formatMetadata(s.Metadata, ", "))))
	if _, present := s.Metadata[metaExpiresAt]; present {
		fmt.Fprintf(tw, "Expires:\t%s\n", expiryCell(s, now))
	}
	fmt.Fprintf(tw, "Version:\t%d\n", s.Version)
	fmt.Fprintf(tw, "Created:\t%s\n", formatTime(s.CreatedAt))
	fmt.Fprintf(tw, "Updated:\t%s\n", formatTime(s.UpdatedAt))
	_ = tw.Flush()
	// The value goes out as is (not through tabwriter, which would align
	// tabs inside it), so a multi-line value keeps its shape.
	fmt.Fprintf(w, "Value:       %s\n", s.Value)
}

// formatMetadata renders metadata as sorted k=v pairs.
func formatMetadata(md map[string]any, sep string) string {
	keys := make([]string, 0, len(md))
	for k := range md {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		var v string
		switch x := md[k].(type) {
		case string:
			v = x
		default:
			b, err := json.Marshal(x)
			if err != nil {
				v = fmt.Sprint(x)
			} else {
				v = string(b)
			}
		}
		parts = append(parts, k+"="+v)
	}
	return strings.Join(parts, sep)
}

func withoutKey(md map[string]any, key string) map[string]any {
	if _, ok := md[key]; !ok {
		return md
	}
	out := make(map[string]any, len(md))
	for k, v := range md {
		if k != key {
			out[k] = v
		}
	}
	return out
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// oneLine replaces control characters (tabs, newlines) with spaces so a
// field cannot break the layout.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

// cell is oneLine cut to at most max characters.
func cell(s string, max int) string {
	s = oneLine(s)
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max-1]) + "…"
}
