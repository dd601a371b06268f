package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/julepkit/julep/engine"
)

type evalOptions struct {
	vars  string
	field bool
	batch bool
}

func newEvalCmd(a *app) *cobra.Command {
	var o evalOptions
	cmd := &cobra.Command{
		Use:   "eval [--vars JSON|@FILE] (EXPR | --field TEXT | --batch)",
		Short: "Evaluate a Python expression or a task field and print its JSON value",
		Long: `eval evaluates EXPR (a Python expression, the text after "$ " of a task
field) with the variables of --vars and prints the value as JSON.

With --field, the argument is a task field string evaluated by Julep's
rules: "$ expr", legacy {{ }} templates and _/inputs[...] forms, and plain
strings as f-strings.

With --batch, stdin holds JSON Lines {"expr": "...", "vars": {...}} (or
{"field": "...", "vars": {...}}); each line gets one output line
{"value": <JSON>} or {"error": {"kind": "...", "message": "..."}}, in order,
flushed per line. A bad line never stops the batch.`,
		Example: `  julep-run eval '1 + 2'
  julep-run eval --vars '{"_": {"url": "https://x"}}' "_['url']"
  julep-run eval --vars @vars.json 'steps[0].input.topic.upper()'
  julep-run eval --field 'Hello {{ name }}' --vars '{"name": "Ann"}'
  julep-run eval --batch < lines.jsonl`,
		DisableFlagsInUseLine: true,
		Args: func(cmd *cobra.Command, args []string) error {
			switch {
			case o.batch && len(args) > 0:
				return usageErr(cmd, "--batch reads stdin and takes no argument")
			case o.batch && (o.field || o.vars != ""):
				return usageErr(cmd, "--batch cannot be combined with --field or --vars")
			case !o.batch && len(args) != 1:
				return usageErr(cmd, "eval takes exactly one expression argument (got %d)", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.batch {
				return a.evalBatch(cmd)
			}
			return a.evalOne(cmd, o, args[0])
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.vars, "vars", "", "variables as `JSON|@FILE`: a JSON object, or a file holding one (@- for stdin)")
	f.BoolVar(&o.field, "field", false, "evaluate the argument as a task field string (Julep's string rules)")
	f.BoolVar(&o.batch, "batch", false, "read JSON Lines requests on stdin and write one JSON result line each")
	return cmd
}

// decodeVars decodes a JSON object of variables (ordered dicts, int vs
// float kept).
func decodeVars(data []byte) (map[string]any, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return map[string]any{}, nil
	}
	if err := checkInput(data); err != nil {
		return nil, err
	}
	v, err := engine.DecodeJSON(data)
	if err != nil {
		return nil, err
	}
	return varsOf(v)
}

func varsOf(v any) (map[string]any, error) {
	if v == nil {
		return map[string]any{}, nil
	}
	d, ok := engine.AsDict(v)
	if !ok {
		return nil, fmt.Errorf("vars must be a JSON object, not %s", jsonKind(v))
	}
	vars := make(map[string]any, d.Len())
	var err error
	d.Range(func(k, val any) bool {
		ks, ok := k.(string)
		if !ok {
			err = fmt.Errorf("vars keys must be strings")
			return false
		}
		vars[ks] = val
		return true
	})
	return vars, err
}

func jsonKind(v any) string {
	switch engine.TypeName(v) {
	case "list":
		return "an array"
	case "str":
		return "a string"
	case "bool":
		return "a boolean"
	case "NoneType":
		return "null"
	}
	return "a number"
}

// compileArg compiles an expression argument (tolerating a leading "$ ") or
// a field.
func compileArg(text string, field bool) (func(context.Context, map[string]any) (any, error), error) {
	if field {
		f, err := engine.CompileField(text)
		if err != nil {
			return nil, err
		}
		return f.Eval, nil
	}
	src := text
	if rest, ok := strings.CutPrefix(strings.TrimLeft(text, " \t"), "$ "); ok {
		src = rest
	}
	p, err := engine.Compile(src)
	if err != nil {
		return nil, err
	}
	return p.Eval, nil
}

func (a *app) evalOne(cmd *cobra.Command, o evalOptions, text string) error {
	vars := map[string]any{}
	if o.vars != "" {
		data, err := a.readArg(o.vars)
		if err != nil {
			return usageErr(cmd, "--vars: %v", err)
		}
		if vars, err = decodeVars(data); err != nil {
			return usageErr(cmd, "--vars: %v", err)
		}
	}
	eval, err := compileArg(text, o.field)
	if err == nil {
		var v any
		if v, err = eval(cmd.Context(), vars); err == nil {
			out, err := engine.ToJSON(v)
			if err != nil {
				return engineFailure(err)
			}
			out = append(out, '\n')
			_, err = a.stdout.Write(out)
			return err
		}
	}
	return engineFailure(err)
}

// engineFailure reports an engine error as "<Kind>: <msg>" followed by the
// source line and a caret.
func engineFailure(err error) error {
	var ee *engine.Error
	if !errors.As(err, &ee) {
		return failure(err, "")
	}
	msg := ee.Kind
	if ee.Msg != "" {
		msg += ": " + ee.Msg
	}
	detail := ""
	if sn := ee.Snippet(); sn != "" {
		detail = "  " + strings.ReplaceAll(sn, "\n", "\n  ")
	}
	return failure(errors.New(msg), detail)
}

// batchResult is the answer to one line of eval --batch: a value or an error.
type batchResult struct {
	Value json.RawMessage `json:"value,omitempty"`
	Error *batchError     `json:"error,omitempty"`
}

type batchError struct {
	Kind    string `json:"kind"`
	Message string `json:"message"`
}

func (a *app) evalBatch(cmd *cobra.Command) error {
	in := bufio.NewReaderSize(a.stdin, 1<<16)
	out := bufio.NewWriterSize(a.stdout, 1<<16)
	lineNo := 0
	for {
		line, readErr := readLine(in)
		if errors.Is(readErr, errLineTooLong) || len(bytes.TrimSpace(line)) > 0 {
			lineNo++
			var res batchResult
			if errors.Is(readErr, errLineTooLong) {
				res, readErr = batchResult{Error: &batchError{Kind: engine.KindValue, Message: readErr.Error()}}, nil
			} else {
				res = evalRequest(cmd.Context(), line)
			}
			if err := writeResult(out, res); err != nil {
				return failure(fmt.Errorf("write result of line %d: %w", lineNo, err), "")
			}
			if err := out.Flush(); err != nil {
				return failure(fmt.Errorf("write result of line %d: %w", lineNo, err), "")
			}
		}
		if readErr == io.EOF {
			break
		}
		if readErr != nil {
			return failure(fmt.Errorf("read stdin: %w", readErr), "")
		}
	}
	a.log.Debug("eval --batch done", "lines", lineNo)
	return nil
}

// evalRequest evaluates one input line; every problem becomes an error result.
func evalRequest(ctx context.Context, line []byte) (res batchResult) {
	defer func() {
		if r := recover(); r != nil {
			res = batchResult{Error: &batchError{Kind: engine.KindInternal, Message: fmt.Sprint("panic: ", r)}}
		}
	}()
	fail := func(kind, msg string) batchResult { return batchResult{Error: &batchError{Kind: kind, Message: msg}} }
	if err := checkInput(line); err != nil {
		return fail(engine.KindValue, err.Error())
	}
	v, err := engine.DecodeJSON(line)
	if err != nil {
		return fail(engine.KindValue, "invalid JSON input line: "+errText(err))
	}
	req, ok := engine.AsDict(v)
	if !ok {
		return fail(engine.KindValue, "input line must be a JSON object")
	}
	var text string
	var field bool
	_, hasExpr := req.GetStr("expr")
	if _, hasField := req.GetStr("field"); hasExpr && hasField {
		return fail(engine.KindValue, `input line has both "expr" and "field": give one`)
	}
	if e, ok := req.GetStr("expr"); ok {
		if text, ok = e.(string); !ok {
			return fail(engine.KindValue, `"expr" must be a string`)
		}
	} else if f, ok := req.GetStr("field"); ok {
		if text, ok = f.(string); !ok {
			return fail(engine.KindValue, `"field" must be a string`)
		}
		field = true
	} else {
		return fail(engine.KindValue, `input line needs "expr" or "field"`)
	}
	vv, _ := req.GetStr("vars")
	vars, err := varsOf(vv)
	if err != nil {
		return fail(engine.KindValue, err.Error())
	}
	eval, err := compileArg(text, field)
	var val any
	if err == nil {
		val, err = eval(ctx, vars)
	}
	var js []byte
	if err == nil {
		js, err = engine.ToJSON(val)
	}
	if err != nil {
		var ee *engine.Error
		if errors.As(err, &ee) {
			return fail(ee.Kind, ee.Msg)
		}
		return fail(engine.KindInternal, err.Error())
	}
	return batchResult{Value: js}
}

func errText(err error) string {
	var ee *engine.Error
	if errors.As(err, &ee) {
		return ee.Msg
	}
	return err.Error()
}

func writeResult(w *bufio.Writer, r batchResult) error {
	if r.Error == nil {
		w.WriteString(`{"value":`)
		w.Write(r.Value)
		_, err := w.WriteString("}\n")
		return err
	}
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	w.Write(b)
	return w.WriteByte('\n')
}
