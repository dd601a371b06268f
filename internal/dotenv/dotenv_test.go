package dotenv

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	in := `# a comment
A=plain
export B = spaced value   # comment
C='single # not a comment'
D="double\n\"quoted\" \$HOME \\ \x"
E=
F=''
G="multi
line"
H='also
multi'
	I=after-tab#not-a-comment
J=a=b=c
`
	got, err := Parse(strings.NewReader(in))
	require.NoError(t, err)
	want := []Entry{
		{"A", "plain", 2},
		{"B", "spaced value", 3},
		{"C", "single # not a comment", 4},
		{"D", "double\n\"quoted\" $HOME \\ \\x", 5},
		{"E", "", 6},
		{"F", "", 7},
		{"G", "multi\nline", 8},
		{"H", "also\nmulti", 10},
		{"I", "after-tab#not-a-comment", 12},
		{"J", "a=b=c", 13},
	}
	assert.Equal(t, want, got)
}

func TestParseCRLF(t *testing.T) {
	got, err := Parse(strings.NewReader("A=1\r\nB=\"x\"\r\n"))
	require.NoError(t, err)
	assert.Equal(t, []Entry{{"A", "1", 1}, {"B", "x", 2}}, got)
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"A=1\nNOEQUALS\n", `line 2: expected KEY=VALUE, found no "=" after "NOEQUALS"`},
		{"=value\n", `line 1: empty key before "="`},
		{"A='open\nB=2\n", `line 1: value of "A": no closing '`},
		{"A=\"open\\\"\n", `line 1: value of "A": no closing "`},
		{"A='x' trailing\n", `line 1: value of "A": unexpected text after the closing quote`},
		{"A=\"x\ny\" z\n", `line 2: value of "A": unexpected text after the closing quote`},
	}
	for _, tt := range tests {
		_, err := Parse(strings.NewReader(tt.in))
		var se *SyntaxError
		require.True(t, errors.As(err, &se), "%q: %v", tt.in, err)
		assert.Equal(t, tt.want, err.Error())
	}
}

func TestQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"abc-123_x@y.z/%+=:,", "abc-123_x@y.z/%+=:,"},
		{"", "''"},
		{"has space", "'has space'"},
		{`a"b$c\d`, `'a"b$c\d'`},
		{"it's", `"it's"`},
		{"two\nlines", `"two\nlines"`},
		{"x'\"$\\\t\r", `"x'\"\$\\\t\r"`},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Quote(tt.in), "%q", tt.in)
	}
}

// FuzzRoundTrip: any value written by Write is read back unchanged, and
// Parse never panics on any input.
func FuzzRoundTrip(f *testing.F) {
	f.Add("plain", "two\nlines 'and' \"quotes\" $x \\", "A=1\nB='2'\n")
	f.Add(" spaced ", "#hash", "export X=\"a\\nb\"")
	f.Fuzz(func(t *testing.T, v1, v2, raw string) {
		_, _ = Parse(strings.NewReader(raw))
		entries := []Entry{{Key: "A", Value: v1}, {Key: "B_2", Value: v2}}
		var buf bytes.Buffer
		require.NoError(t, Write(&buf, entries))
		got, err := Parse(&buf)
		require.NoError(t, err)
		require.Len(t, got, 2)
		if got[0].Value != v1 || got[1].Value != v2 {
			t.Fatalf("round trip changed a value: %q %q -> %q %q", v1, v2, got[0].Value, got[1].Value)
		}
	})
}
