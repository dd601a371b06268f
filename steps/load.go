package steps

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	goyaml "github.com/goccy/go-yaml"
	goparser "github.com/goccy/go-yaml/parser"
	"gopkg.in/yaml.v3"

	"github.com/julepkit/julep/engine"
)

// Loader limits, documented beside their defaults.
const (
	// DefaultMaxFileSize is the largest task file Load and Parse accept:
	// 1 MiB, a hundred times the largest real task we know. Julep's own API
	// refuses much smaller bodies; the bound keeps the YAML parser's time
	// under a second on any file.
	DefaultMaxFileSize = 1 << 20
	// DefaultMaxNodes is the largest number of YAML nodes a document may
	// expand to, aliases expanded each time they are used (this stops alias
	// bombs, the "billion laughs" of YAML).
	DefaultMaxNodes = 200_000
	// DefaultMaxDepth is the deepest nesting of collections a task file may
	// have: block indentation levels, nested "- " entries and flow brackets
	// together. Real tasks nest a few dozen levels at most; the file is
	// checked before any YAML parser runs, whose time and memory grow faster
	// than the depth.
	DefaultMaxDepth = 200
)

// Options tune Parse and Load. The zero value is the default.
type Options struct {
	// Strict reports, as errors, the constructs we accept but Julep rejects
	// (lambda, set comprehensions, walrus, starred, sorted/reversed/filter,
	// str.format).
	Strict bool
	// Engine compiles every evaluated string (nil: engine.Default()); the
	// result is stored in Value.Field and compile errors become findings at
	// their line and column in the file. The limits of expressions are the
	// engine's (engine.Limits, set with engine.WithLimits): steps and
	// resolver have none of their own; MaxFileSize and MaxNodes bound the
	// YAML document only.
	Engine *engine.Engine
	// MaxFileSize is the largest accepted file in bytes (0: DefaultMaxFileSize).
	MaxFileSize int
	// MaxNodes bounds the expanded node count (0: DefaultMaxNodes).
	MaxNodes int
	// MaxDepth bounds the nesting of collections (0: DefaultMaxDepth).
	MaxDepth int
}

func (o Options) maxFileSize() int {
	if o.MaxFileSize > 0 {
		return o.MaxFileSize
	}
	return DefaultMaxFileSize
}

func (o Options) maxDepth() int {
	if o.MaxDepth > 0 {
		return o.MaxDepth
	}
	return DefaultMaxDepth
}

func (o Options) maxNodes() int {
	if o.MaxNodes > 0 {
		return o.MaxNodes
	}
	return DefaultMaxNodes
}

// Load reads and parses the task file at path with default options.
func Load(path string) (*Task, error) { return Options{}.Load(path) }

// Parse parses a task file's content with default options. See
// Options.Parse.
func Parse(filename string, data []byte) (*Task, error) { return Options{}.Parse(filename, data) }

// Load reads and parses the task file at path.
func (o Options) Load(path string) (*Task, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load task: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, int64(o.maxFileSize())+1))
	if err != nil {
		return nil, fmt.Errorf("load task %s: %w", path, err)
	}
	return o.Parse(path, data)
}

// Parse parses a task file's content; filename is used in positions.
//
// It finds every problem in one pass. The returned error, when not nil, is a
// steps.Errors holding the error-severity findings sorted by position. The
// Task is returned whenever the file is YAML (even with errors), so that a
// caller can list all findings (Task.Findings also holds warnings and
// notes); it is nil only when the content is not a YAML document at all.
func (o Options) Parse(filename string, data []byte) (*Task, error) {
	fail := func(line, col int, typ, format string, args ...any) (*Task, error) {
		return nil, Errors{{File: filename, Line: line, Column: col, Msg: fmt.Sprintf(format, args...), Severity: SeverityError, Type: typ}}
	}
	if len(data) > o.maxFileSize() {
		return fail(0, 0, TypeLimit, "task file is larger than %d bytes", o.maxFileSize())
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if bytes.HasPrefix(data, []byte("\xff\xfe")) || bytes.HasPrefix(data, []byte("\xfe\xff")) {
		return fail(1, 1, TypeSyntax, "task file is UTF-16 encoded; save it as UTF-8")
	}
	li := newLineIndex(data)
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, size := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			off += size
		}
		line, col := li.lineCol(off)
		return fail(line, col, TypeSyntax, "invalid UTF-8 byte 0x%02x: task files must be UTF-8", data[off])
	}
	if d, at := nestingDepth(data, o.maxDepth()); at >= 0 {
		line, col := li.lineCol(at)
		return fail(line, col, TypeLimit, "nesting deeper than %d levels here (lists, mappings and brackets, %d so far): refusing to parse the file (loader limit MaxDepth)", o.maxDepth(), d)
	}
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return fail(1, 1, TypeSyntax, "empty task file")
		}
		line, col, msg := syntaxErrorPos(data, li, err)
		return fail(line, col, TypeSyntax, "%s", msg)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return fail(extra.Line, extra.Column, TypeSyntax, "more than one YAML document in the task file (remove the second ---)")
	} else if !errors.Is(err, io.EOF) {
		line, col, msg := syntaxErrorPos(data, li, err)
		return fail(line, col, TypeSyntax, "%s", msg)
	}
	doc := &root
	if doc.Kind == yaml.DocumentNode {
		if len(doc.Content) == 0 {
			return fail(1, 1, TypeSyntax, "empty task file")
		}
		doc = doc.Content[0]
	}
	if doc.Kind == yaml.ScalarNode && doc.ShortTag() == "!!null" {
		return fail(doc.Line, doc.Column, TypeSyntax, "empty task file")
	}
	t := &Task{File: filename}
	d := &decoder{file: filename, li: li, opts: o, task: t}
	if n, alias := expansion(doc, o.maxNodes()); n > o.maxNodes() {
		if alias == nil {
			// No alias: the file itself is that big.
			at := d.pos(doc)
			return fail(at.Line, at.Column, TypeLimit, "the task has more than %d YAML nodes (every key, value and list item counts): refusing to load it (loader limit MaxNodes); split it into smaller tasks", o.maxNodes())
		}
		at := d.pos(alias)
		return fail(at.Line, at.Column, TypeLimit, "the document expands to more than %d nodes with its aliases expanded: refusing to load it (alias bomb?); the expansion passes the limit (loader limit MaxNodes) at this alias", o.maxNodes())
	}
	d.document(doc)
	if !d.over {
		d.check()
	}
	d.findings.Sort()
	t.Findings = d.findings
	if errs := d.findings.Filter(SeverityError); len(errs) > 0 {
		return t, errs
	}
	return t, nil
}

// reparseWindow is how many lines past yaml.v3's error line the re-parse
// that finds the real place of a syntax error reads.
const reparseWindow = 200

// reparseMaxBytes bounds the text of that re-parse (the lines up to the
// window's end): 256 KiB, twenty times the largest real task we know.
const reparseMaxBytes = 256 << 10

// syntaxErrorPos finds the real place of a YAML syntax error. yaml.v3 often
// names the line where the enclosing block started (a mis-indented key at
// line 5 is reported at line 2); goccy/go-yaml's parser names the offending
// token. Tabs in indentation get their own message.
func syntaxErrorPos(data []byte, li *lineIndex, err error) (line, col int, msg string) {
	v3msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line = 1
	if _, rest, ok := strings.Cut(v3msg, "line "); ok {
		fmt.Sscanf(rest, "%d", &line)
		if i := strings.Index(v3msg, ": "); i >= 0 && strings.HasPrefix(v3msg, "line ") {
			v3msg = v3msg[i+2:]
		}
	}
	col, msg = 1, v3msg
	if strings.HasPrefix(v3msg, "mapping values are not allowed") {
		if c := misplacedColon(data, li, line); c > 0 {
			return line, c, "invalid YAML: mapping values are not allowed here (a \": \" inside a plain value: quote the value, or fix the indentation)"
		}
	}
	// goccy's parser takes time that grows faster than the input on some
	// malformed files (an unclosed "[" followed by 20,000 lines: 8 s), so it
	// reads only a window of reparseWindow lines past the line yaml.v3 named;
	// an error it finds at the window's end may be the cut itself.
	window, cut := data, len(li.start)+1
	if line+reparseWindow < len(li.start) {
		cut = line + reparseWindow
		window = data[:li.start[cut-1]]
	}
	if len(window) > reparseMaxBytes {
		window = nil // too big to re-parse in a fraction of a second: keep yaml.v3's place
	}
	if _, gerr := goparser.ParseBytes(window, 0, goparser.AllowDuplicateMapKey()); window != nil && gerr != nil {
		var se *goyaml.SyntaxError
		if errors.As(gerr, &se) && se.Token != nil && se.Token.Position != nil && se.Token.Position.Line > 0 && se.Token.Position.Line < cut-1 {
			line, col, msg = se.Token.Position.Line, se.Token.Position.Column, se.Message
			if off := li.offset(line, col); off >= 0 && off < len(data) && data[off] == '-' && strings.Contains(msg, "non-map value") {
				msg = "unexpected list item \"-\" where a mapping key belongs (check the indentation)"
			}
		}
	}
	// A tab in the indentation of the reported line (or of the line yaml.v3
	// named) is the usual cause of confusing messages: say so.
	for _, l := range []int{line, line + 1} {
		if l < 1 || l > len(li.start) {
			continue
		}
		start := li.start[l-1]
		for i := start; i < len(data) && (data[i] == ' ' || data[i] == '\t'); i++ {
			if data[i] == '\t' {
				_, c := li.lineCol(i)
				return l, c, "tab character in indentation: YAML indents with spaces only"
			}
		}
		if !strings.Contains(v3msg, "tab") {
			break
		}
	}
	if name, ok := strings.CutPrefix(msg, "unknown anchor '"); ok && line == 1 && col == 1 {
		// yaml.v3 gives no place: the first use of the alias is it.
		name, _, _ = strings.Cut(name, "'")
		if i := bytes.Index(data, []byte("*"+name)); i >= 0 {
			line, col = li.lineCol(i)
		}
	}
	return line, col, "invalid YAML: " + yamlMessage(msg)
}

// yamlMessages words the YAML parsers' messages (yaml.v3's and goccy's) in
// our language: what is wrong and what to check. A message not listed
// keeps the parser's text.
var yamlMessages = []struct{ raw, ours string }{
	{"sequence end token ']' not found", `unclosed "[": no matching "]" before the end of the file`},
	{"did not find expected ',' or ']'", `unclosed "[": expected "," or "]"`},
	{"could not find flow mapping end token '}'", `unclosed "{": no matching "}" before the end of the file`},
	{"did not find expected ',' or '}'", `unclosed "{": expected "," or "}"`},
	{"could not find end character of double-quoted text", `unclosed double-quoted string: no closing "`},
	{"could not find end character of single-quoted text", "unclosed single-quoted string: no closing '"},
	{"found unexpected end of stream", "the file ends inside an unfinished value (an unclosed quote or bracket?)"},
	{"mapping value is not allowed in this context", "a key is not allowed here: check this line's indentation against the lines above"},
	{"value is not allowed in this context", "a key or value is not allowed here: check this line's indentation against the lines above"},
	{"did not find expected key", "expected a key here: check the indentation"},
	{"did not find expected '-' indicator", `expected a list item "-" here: check the indentation`},
	{"found character that cannot start any token", `a character that cannot start a YAML value (a tab, "@" or a backquote?): quote the value`},
	{"could not find expected ':'", `expected ":" after a key`},
}

func yamlMessage(raw string) string {
	for _, m := range yamlMessages {
		if strings.HasPrefix(raw, m.raw) {
			return m.ours
		}
	}
	if name, ok := strings.CutPrefix(raw, "unknown anchor '"); ok {
		name, _, _ = strings.Cut(name, "'")
		return fmt.Sprintf("alias *%s refers to no anchor &%s defined before it", name, name)
	}
	return raw
}

// expansion counts the nodes of the tree rooted at n with every alias
// expanded, stopping past limit, and returns the alias whose target is the
// largest (nil when there is none). Sizes are memoized per node, so the
// count costs time linear in the document, not in its expansion.
func expansion(n *yaml.Node, limit int) (int, *yaml.Node) {
	memo := map[*yaml.Node]int{}
	var biggest *yaml.Node
	biggestSize := -1
	var size func(n *yaml.Node, depth int) int
	size = func(n *yaml.Node, depth int) int {
		if n == nil || depth > 10_000 {
			return 0
		}
		if s, ok := memo[n]; ok {
			return s
		}
		memo[n] = limit + 1 // a cycle counts as too big
		total := 1
		if n.Kind == yaml.AliasNode {
			t := size(n.Alias, depth+1)
			if t > biggestSize {
				biggest, biggestSize = n, t
			}
			total += t
		}
		for _, c := range n.Content {
			total += size(c, depth+1)
			if total > limit {
				total = limit + 1
				break
			}
		}
		memo[n] = min(total, limit+1)
		return memo[n]
	}
	return size(n, 0), biggest
}

// misplacedColonMaxBytes bounds the text misplacedColon re-parses.
const misplacedColonMaxBytes = 64 << 10

// misplacedColon finds, on line, the ": " that yaml.v3 refused as "mapping
// values are not allowed": the first colon such that the document cut just
// after it fails with that error. It returns its 1-based column, or 0.
func misplacedColon(data []byte, li *lineIndex, line int) int {
	if line < 1 || line > len(li.start) {
		return 0
	}
	start := li.start[line-1]
	end := start
	for end < len(data) && data[end] != '\n' {
		end++
	}
	// Re-parse from the top-level key the line belongs to (a line that
	// starts in column 1, not a comment): it answers like the whole prefix
	// would. When that block is too big, give up rather than take seconds.
	from := start
	for l := line - 1; l >= 0; l-- {
		from = li.start[l]
		if from < len(data) && data[from] != ' ' && data[from] != '\t' && data[from] != '#' && data[from] != '\n' && data[from] != '-' {
			break
		}
	}
	if end-from > misplacedColonMaxBytes {
		return 0
	}
	tries := 0
	for p := start; p < end && tries < 8; p++ {
		if data[p] != ':' || (p+1 < end && data[p+1] != ' ' && data[p+1] != '\t') {
			continue
		}
		tries++ // each try re-parses the top-level block up to here: bound the work
		prefix := append(append([]byte{}, data[from:p+1]...), '\n')
		var n yaml.Node
		err := yaml.Unmarshal(prefix, &n)
		if err != nil && strings.Contains(err.Error(), "mapping values are not allowed") {
			_, col := li.lineCol(p)
			return col
		}
	}
	return 0
}
