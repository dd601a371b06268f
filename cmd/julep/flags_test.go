package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseDuration(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		in      string
		want    time.Duration
		wantErr string
	}{
		{in: "30d", want: 30 * day},
		{in: "7d", want: 7 * day},
		{in: "2w", want: 14 * day},
		{in: "12h", want: 12 * time.Hour},
		{in: "90m", want: 90 * time.Minute},
		{in: "45s", want: 45 * time.Second},
		{in: "0d", want: 0},
		{in: "1d12h", want: 36 * time.Hour},
		{in: "1w1d1h1m1s", want: 8*day + time.Hour + time.Minute + time.Second},
		{in: "007d", want: 7 * day},
		{in: "", wantErr: "empty duration"},
		{in: "30", wantErr: `"30" needs a unit`},
		{in: "d", wantErr: "expected a whole number"},
		{in: "3y", wantErr: `unknown unit "y"`},
		{in: "3D", wantErr: `unknown unit "D"`},
		{in: "-3d", wantErr: "expected a whole number"},
		{in: "+3d", wantErr: "expected a whole number"},
		{in: "1.5d", wantErr: `unknown unit "."`},
		{in: " 3d", wantErr: "expected a whole number"},
		{in: "3d ", wantErr: "expected a whole number"},
		{in: "1d2", wantErr: `"2" needs a unit`},
		{in: "99999999999999999999s", wantErr: "too long"},
		{in: "106752d", wantErr: "too long"},        // > max time.Duration (~292 years)
		{in: "106751d106751d", wantErr: "too long"}, // sum overflows
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseDuration(tt.in)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"30d", "1w2d3h", "", "9999999999999999999w", "3y", "0s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseDuration(s)
		if err != nil {
			return
		}
		if d < 0 {
			t.Fatalf("parseDuration(%q) = %v, negative", s, d)
		}
		if s == "" || !strings.ContainsAny(s[len(s)-1:], "smhdw") {
			t.Fatalf("parseDuration(%q) accepted input not ending in a unit", s)
		}
	})
}

func TestParseMetadata(t *testing.T) {
	tests := []struct {
		name    string
		in      []string
		want    map[string]any
		wantErr string
	}{
		{name: "none", in: nil, want: nil},
		{name: "one", in: []string{"environment=production"}, want: map[string]any{"environment": "production"}},
		{name: "several", in: []string{"a=1", "b=two"}, want: map[string]any{"a": "1", "b": "two"}},
		{name: "numbers stay strings", in: []string{"n=42", "ok=true"}, want: map[string]any{"n": "42", "ok": "true"}},
		{name: "empty value", in: []string{"a="}, want: map[string]any{"a": ""}},
		{name: "value with equals", in: []string{"q=a=b=c"}, want: map[string]any{"q": "a=b=c"}},
		{name: "value with spaces", in: []string{"owner=payments team"}, want: map[string]any{"owner": "payments team"}},
		{name: "no equals", in: []string{"environment"}, wantErr: `--metadata "environment" is not key=value`},
		{name: "empty key", in: []string{"=x"}, wantErr: "empty key"},
		{name: "blank key", in: []string{" =x"}, wantErr: "empty key"},
		{name: "duplicate key", in: []string{"a=1", "a=2"}, wantErr: `key "a" is given twice`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseMetadata(tt.in)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestReadValue(t *testing.T) {
	tests := []struct {
		name, in, want string
		wantErr        bool
	}{
		{name: "strips one newline", in: "s3cr3t\n", want: "s3cr3t"},
		{name: "only one newline", in: "s3cr3t\n\n", want: "s3cr3t\n"},
		{name: "no newline", in: "s3cr3t", want: "s3cr3t"},
		{name: "keeps spaces and CR", in: " a b \r\n", want: " a b \r"},
		{name: "multi-line", in: "line1\nline2\n", want: "line1\nline2"},
		{name: "empty", in: "", want: ""},
		{name: "largest value plus newline", in: strings.Repeat("x", maxValueBytes) + "\n", want: strings.Repeat("x", maxValueBytes)},
		{name: "too large", in: strings.Repeat("x", maxValueBytes+2), wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var prompt bytes.Buffer
			got, err := readValue(strings.NewReader(tt.in), &prompt)
			if tt.wantErr {
				require.ErrorIs(t, err, errValueTooLarge)
				assert.Equal(t, exitInvalid, exitCode(err))
				return
			}
			require.NoError(t, err)
			assert.True(t, got == tt.want, "value differs (len %d, want len %d)", len(got), len(tt.want))
			assert.Empty(t, prompt.String(), "no prompt when stdin is not a terminal")
		})
	}
}

func FuzzParseMetadata(f *testing.F) {
	f.Add("a=1", "b=")
	f.Add("=x", "k")
	f.Add("k=v=w", "k=z")
	f.Fuzz(func(t *testing.T, p1, p2 string) {
		md, err := parseMetadata([]string{p1, p2})
		if err != nil {
			return
		}
		require.Len(t, md, 2)
		for _, p := range []string{p1, p2} {
			k, v, ok := strings.Cut(p, "=")
			require.True(t, ok)
			require.Equal(t, v, md[k])
		}
	})
}
