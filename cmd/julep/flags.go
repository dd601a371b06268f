package main

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"
)

// durationUnits are the units --expires-in and --expiring-within accept.
var durationUnits = map[byte]time.Duration{
	's': time.Second,
	'm': time.Minute,
	'h': time.Hour,
	'd': 24 * time.Hour,
	'w': 7 * 24 * time.Hour,
}

// parseDuration parses a duration such as "30d", "12h", "2w" or "1d12h":
// one or more whole numbers, each followed by a unit s, m, h, d (24h) or
// w (7d). It never returns a negative duration.
func parseDuration(s string) (time.Duration, error) {
	if s == "" {
		return 0, fmt.Errorf("empty duration (use a number and a unit s, m, h, d or w, e.g. 30d)")
	}
	var total time.Duration
	rest := s
	for rest != "" {
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 {
			return 0, fmt.Errorf("duration %q: expected a whole number at %q (e.g. 30d)", s, rest)
		}
		if i == len(rest) {
			return 0, fmt.Errorf("duration %q: %q needs a unit s, m, h, d or w (e.g. %sd)", s, rest, rest)
		}
		unit, ok := durationUnits[rest[i]]
		if !ok {
			return 0, fmt.Errorf("duration %q: unknown unit %q (use s, m, h, d or w)", s, rest[i:i+1])
		}
		var n int64
		for _, c := range rest[:i] {
			d := int64(c - '0')
			if n > (math.MaxInt64-d)/10 {
				return 0, fmt.Errorf("duration %q is too long", s)
			}
			n = n*10 + d
		}
		if n > int64(math.MaxInt64/unit) {
			return 0, fmt.Errorf("duration %q is too long", s)
		}
		part := time.Duration(n) * unit
		if total > math.MaxInt64-part {
			return 0, fmt.Errorf("duration %q is too long", s)
		}
		total += part
		rest = rest[i+1:]
	}
	return total, nil
}

// parseMetadata turns repeated "k=v" flag values into a metadata object of
// string values. The key is everything before the first "="; the value may be
// empty and may contain "=". A key given twice is an error.
func parseMetadata(pairs []string) (map[string]any, error) {
	if len(pairs) == 0 {
		return nil, nil
	}
	md := make(map[string]any, len(pairs))
	for _, p := range pairs {
		k, v, ok := strings.Cut(p, "=")
		switch {
		case !ok:
			return nil, fmt.Errorf("--metadata %q is not key=value (e.g. --metadata environment=production)", p)
		case strings.TrimSpace(k) == "":
			return nil, fmt.Errorf("--metadata %q has an empty key", p)
		}
		if _, dup := md[k]; dup {
			return nil, fmt.Errorf("--metadata key %q is given twice", k)
		}
		md[k] = v
	}
	return md, nil
}

// stdinLimit bounds how much --value-stdin reads: the largest value plus its
// trailing newline, plus one byte to detect a larger input.
const stdinLimit = maxValueBytes + 2

// readValue reads all of r for --value-stdin and strips one trailing "\n".
// When r is a terminal it first tells the user how to finish the input.
func readValue(r io.Reader, prompt io.Writer) (string, error) {
	// A terminal, not any character device: /dev/null is one too.
	if isTerminal(r) {
		fmt.Fprintln(prompt, "Enter the secret value, then press Ctrl-D on an empty line:")
	}
	data, err := io.ReadAll(io.LimitReader(r, stdinLimit))
	if err != nil {
		return "", fmt.Errorf("read the value from stdin: %w", err)
	}
	if len(data) > maxValueBytes+1 {
		return "", errValueTooLarge
	}
	s := string(data)
	s = strings.TrimSuffix(s, "\n")
	return s, nil
}
