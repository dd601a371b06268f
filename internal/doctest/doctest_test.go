package doctest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// marker on the line before a fence makes the block a session to run.
const marker = "<!-- doctest -->"

// session is one marked block.
type session struct {
	file string
	line int // of the fence
	cmds []command
}

type command struct {
	line int
	text string
	want string
	exit int // -1: not shown, not checked
}

var exitLine = regexp.MustCompile(`^\[exit (\d+)\]$`)

// sessions extracts the marked blocks of a Markdown file.
func sessions(file string, src string) ([]session, error) {
	lines := strings.Split(src, "\n")
	var out []session
	for i := 0; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != marker {
			continue
		}
		if i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], "```") {
			return nil, fmt.Errorf("%s:%d: %s is not followed by a fenced block", file, i+1, marker)
		}
		s := session{file: file, line: i + 2}
		j := i + 2
		for ; j < len(lines) && !strings.HasPrefix(lines[j], "```"); j++ {
			l := lines[j]
			if rest, ok := strings.CutPrefix(l, "$ "); ok {
				s.cmds = append(s.cmds, command{line: j + 1, text: rest, exit: -1})
				continue
			}
			if len(s.cmds) == 0 {
				return nil, fmt.Errorf("%s:%d: output before any \"$ \" command", file, j+1)
			}
			c := &s.cmds[len(s.cmds)-1]
			if m := exitLine.FindStringSubmatch(l); m != nil {
				c.exit, _ = strconv.Atoi(m[1])
				continue
			}
			c.want += l + "\n"
		}
		for k := range s.cmds {
			// A blank line separates a command's output from the next command.
			s.cmds[k].want = strings.TrimRight(s.cmds[k].want, "\n")
		}
		out = append(out, s)
		i = j
	}
	return out, nil
}

// TestDocExamples runs every marked session of README.md and docs/*.md.
func TestDocExamples(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	files = append([]string{filepath.Join(root, "README.md")}, files...)
	var all []session
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ss, err := sessions(filepath.Base(f), string(b))
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, ss...)
	}
	if len(all) == 0 {
		t.Fatal("no <!-- doctest --> session found in the docs")
	}
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", bin, "./cmd/julep", "./cmd/julep-run")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build the binaries: %v\n%s", err, out)
	}
	for _, s := range all {
		t.Run(fmt.Sprintf("%s:%d", s.file, s.line), func(t *testing.T) {
			work, home := t.TempDir(), t.TempDir()
			entries, err := os.ReadDir(root)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if strings.HasPrefix(e.Name(), ".") {
					continue
				}
				if err := os.Symlink(filepath.Join(root, e.Name()), filepath.Join(work, e.Name())); err != nil {
					t.Fatal(err)
				}
			}
			env := []string{"HOME=" + home, "PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"), "LANG=C.UTF-8", "NO_COLOR=1"}
			for _, c := range s.cmds {
				if name, ok := strings.CutPrefix(c.text, "cat "); ok && !strings.ContainsAny(name, " |<>") {
					if _, err := os.Stat(filepath.Join(work, name)); os.IsNotExist(err) {
						if err := os.WriteFile(filepath.Join(work, name), []byte(c.want+"\n"), 0o600); err != nil {
							t.Fatal(err)
						}
						continue
					}
				}
				cmd := exec.Command("sh", "-c", c.text)
				cmd.Dir, cmd.Env = work, env
				var out bytes.Buffer
				cmd.Stdout, cmd.Stderr = &out, &out
				err := cmd.Run()
				code := 0
				if ee, ok := err.(*exec.ExitError); ok {
					code = ee.ExitCode()
				} else if err != nil {
					t.Fatalf("%s:%d: %s: %v", s.file, c.line, c.text, err)
				}
				got := strings.TrimRight(out.String(), "\n")
				if got != c.want || (c.exit >= 0 && code != c.exit) {
					t.Errorf("%s:%d: $ %s\n--- the docs show (exit %d):\n%s\n--- it printed (exit %d):\n%s", s.file, c.line, c.text, c.exit, c.want, code, got)
				}
			}
		})
	}
}

func TestSessions(t *testing.T) {
	src := "text\n" + marker + "\n```\n$ cat a.txt\nx\n\n$ echo hi; exit 3\nhi\n[exit 3]\n```\n```\n$ not run\n```\n"
	ss, err := sessions("t.md", src)
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != 1 || len(ss[0].cmds) != 2 {
		t.Fatalf("got %+v", ss)
	}
	c := ss[0].cmds[1]
	if c.text != "echo hi; exit 3" || c.want != "hi" || c.exit != 3 || ss[0].cmds[0].want != "x" {
		t.Fatalf("got %+v", ss[0].cmds)
	}
	if _, err := sessions("t.md", marker+"\ntext\n"); err == nil {
		t.Fatal("a marker without a fence is an error")
	}
}
