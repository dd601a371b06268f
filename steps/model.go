package steps

import (
	"fmt"
	"strconv"

	"github.com/julepkit/julep/engine"
)

// Pos is a place in a task file: 1-based line and column (counted in runes).
type Pos struct {
	File   string
	Line   int
	Column int
}

// String renders the position as FILE:LINE:COL.
func (p Pos) String() string { return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column) }

// Mode tells how Julep evaluates a string (JULEP.md, Strings).
type Mode uint8

// The modes of a Value.
const (
	// ModeNone: the field is not evaluated, or the scalar is not a string.
	ModeNone Mode = iota
	// ModeLiteral: an evaluated string without braces or expression marks:
	// its value is itself.
	ModeLiteral
	// ModeExpr: a Python expression, "$ expr" or one of Julep's legacy
	// forms (Value.Legacy is then true).
	ModeExpr
	// ModeFString: a plain string with braces, evaluated as an f-string.
	ModeFString
	// ModeTemplate: a string with "{{", whose {{ }} become { } before it is
	// evaluated as an f-string.
	ModeTemplate
)

// String returns the mode's name.
func (m Mode) String() string {
	switch m {
	case ModeNone:
		return "none"
	case ModeLiteral:
		return "literal"
	case ModeExpr:
		return "expr"
	case ModeFString:
		return "fstring"
	case ModeTemplate:
		return "template"
	}
	return "Mode(" + strconv.Itoa(int(m)) + ")"
}

// Data is a YAML value inside a task: a *Value (scalar), a *Map or a *List.
type Data interface {
	// Pos returns where the value starts in the file.
	Pos() Pos
	data()
}

// Value is a scalar of the task file. Strings of evaluated fields carry the
// Python source that Julep evaluates (Code) and the compiled engine field,
// which says what the code reads and uses (engine.Field.Reads...).
type Value struct {
	At  Pos    // where the scalar starts (its first quote or block indicator included)
	Raw string // the scalar's text after YAML decoding
	Tag string // YAML tag: "!!str", "!!int", "!!float", "!!bool" or "!!null"

	// Evaluated tells whether the field is evaluated by Julep's string rules.
	Evaluated bool
	// Scope names the variables in scope for the value (nil when not
	// evaluated).
	Scope *Scope
	// Mode tells how the string is evaluated (ModeNone when not evaluated).
	Mode Mode
	// Legacy is true for an expression recognised by Julep's legacy rule
	// (no "$ " prefix).
	Legacy bool
	// Code is the Python source: the expression (ModeExpr) or the f-string
	// body (ModeFString, ModeTemplate after the {{ }} rewrite).
	Code string
	// Field is the compiled engine field (nil when not evaluated or when it
	// did not compile).
	Field *engine.Field

	form   *engine.FieldForm // how Julep's string rules read Raw (nil when not evaluated)
	srcMap []int             // offset in Raw -> byte offset in the file (nil: unknown)
	lines  *lineIndex
}

// Pos returns where the scalar starts.
func (v *Value) Pos() Pos { return v.At }

// String returns the raw text.
func (v *Value) String() string {
	if v == nil {
		return ""
	}
	return v.Raw
}

// PosAt returns the position in the file of byte offset off of Raw,
// following the scalar's style (quotes, escapes, block indentation, line
// folding). When the mapping is unknown it returns the scalar's start.
func (v *Value) PosAt(off int) Pos {
	if v.srcMap == nil || v.lines == nil {
		return v.At
	}
	off = min(max(off, 0), len(v.srcMap)-1)
	line, col := v.lines.lineCol(v.srcMap[off])
	return Pos{File: v.At.File, Line: line, Column: col}
}

// CodePos returns the position in the file of byte offset off of Code.
func (v *Value) CodePos(off int) Pos {
	if v.form == nil {
		return v.At
	}
	off = min(max(off, 0), len(v.Code))
	return v.PosAt(v.form.TextOffset(off))
}

func (*Value) data() {}

// Entry is one key of a Map.
type Entry struct {
	Key   *Value
	Value Data
}

// Map is a YAML mapping with string keys, in file order.
type Map struct {
	At      Pos
	Entries []Entry
}

// Pos returns where the mapping starts.
func (m *Map) Pos() Pos { return m.At }

// Get returns the value of key, or nil.
func (m *Map) Get(key string) Data {
	if m == nil {
		return nil
	}
	for _, e := range m.Entries {
		if e.Key.Raw == key {
			return e.Value
		}
	}
	return nil
}

func (*Map) data() {}

// List is a YAML sequence.
type List struct {
	At    Pos
	Items []Data
}

// Pos returns where the sequence starts.
func (l *List) Pos() Pos { return l.At }

func (*List) data() {}

// Form tells which of the two task document forms a file uses.
type Form uint8

// The task forms.
const (
	// FormNative is Julep's own form: name, tools, main and named workflows.
	FormNative Form = iota
	// FormKind is the seeds' form: a "steps:" list of "kind:" steps.
	FormKind
)

// Task is a loaded task file.
type Task struct {
	File string
	Form Form

	Name          *Value // required in the native form
	Description   *Value
	CanonicalName *Value
	InputSchema   Data
	InheritTools  *Value
	Metadata      Data
	Tools         []*Tool
	// Workflows holds main first, then the named workflows in file order.
	// In the kind form there is one workflow named "steps".
	Workflows []*Workflow

	// Findings lists every error, warning and note found, sorted by position.
	Findings Errors

	values []valueRef
}

// Workflow returns the workflow called name, or nil.
func (t *Task) Workflow(name string) *Workflow {
	for _, w := range t.Workflows {
		if w.Name == name {
			return w
		}
	}
	return nil
}

// Tool returns the tool called name, or nil.
func (t *Task) Tool(name string) *Tool {
	for _, tl := range t.Tools {
		if tl.Name != nil && tl.Name.Raw == name {
			return tl
		}
	}
	return nil
}

// Workflow is a named list of steps (main, or any other top-level key of
// the native form).
type Workflow struct {
	Name  string
	At    Pos
	Steps []Step
}

// Tool is an entry of the task's tools list.
type Tool struct {
	At          Pos
	Name        *Value
	Description *Value
	// Type is "function", "integration", "system" or "api_call" (the spec's
	// key, or the type field).
	Type string
	// Spec is the mapping under the type's key.
	Spec *Map
	// Secrets are the secret names the spec's expressions read.
	Secrets []string
}

// Kind names a step kind.
type Kind string

// The step kinds.
const (
	KindToolCall     Kind = "tool_call"
	KindPrompt       Kind = "prompt"
	KindEvaluate     Kind = "evaluate"
	KindSet          Kind = "set"
	KindGet          Kind = "get"
	KindLog          Kind = "log"
	KindReturn       Kind = "return"
	KindYield        Kind = "yield"
	KindSleep        Kind = "sleep"
	KindError        Kind = "error"
	KindWaitForInput Kind = "wait_for_input"
	KindIfElse       Kind = "if_else"
	KindSwitch       Kind = "switch"
	KindForeach      Kind = "foreach"
	KindMapReduce    Kind = "map_reduce"
	KindParallel     Kind = "parallel"
	KindTransform    Kind = "transform" // the kind form only
)

// Step is one step of a workflow. The concrete types are the pointer types
// *ToolCallStep, *PromptStep, *EvaluateStep, *SetStep, *GetStep, *LogStep,
// *ReturnStep, *YieldStep, *SleepStep, *ErrorStep, *WaitForInputStep,
// *IfElseStep, *SwitchStep, *ForeachStep, *MapReduceStep, *ParallelStep and
// *TransformStep.
type Step interface {
	// Kind returns the step's kind.
	Kind() Kind
	// Pos returns where the step's mapping starts.
	Pos() Pos
	// Path returns the step path: main[2], main[2].then, steps[1]...
	Path() string
	base() *StepBase
}

// StepBase holds what every step has.
type StepBase struct {
	At    Pos
	Label *Value // nil when absent
	// KindForm is true for a step written with a "kind:" key.
	KindForm bool
	path     string
}

// Pos returns where the step starts.
func (b *StepBase) Pos() Pos { return b.At }

// Path returns the step path.
func (b *StepBase) Path() string { return b.path }

func (b *StepBase) base() *StepBase { return b }

// ToolCallStep calls a tool: native {tool, arguments} or kind form
// {kind: tool_call, tool, operation, arguments, secret_name, secrets}.
type ToolCallStep struct {
	StepBase
	Tool      *Value // tool name (not evaluated)
	Operation *Value // kind form: the operation of an external integration
	// Arguments is a *Map whose string leaves are evaluated, or the *Value
	// "_" (pass the input through), or nil.
	Arguments  Data
	SecretName *Value // kind form: one secret for the call
	// Secrets is the kind form's map of parameter -> secret name.
	Secrets *Map
}

// Message is one message of a prompt.
type Message struct {
	At      Pos
	Role    *Value
	Content Data // a *Value or a *List of parts (maps)
}

// PromptStep asks a model.
type PromptStep struct {
	StepBase
	// Prompt is the prompt when it is one string (nil for the list form).
	Prompt *Value
	// Messages is the prompt when it is a list of messages.
	Messages     []*Message
	Tools        Data
	ToolChoice   Data
	Settings     *Map
	Unwrap       *Value
	AutoRunTools *Value
	DisableCache *Value
	// Model is settings.model, or the kind form's model field (nil when
	// neither is given: the agent's model is used).
	Model *Value
	// TemplateVariables is the kind form's map of {{ name }} -> expression.
	TemplateVariables *Map
}

// EvaluateStep evaluates a map of expressions.
type EvaluateStep struct {
	StepBase
	Values *Map
}

// SetStep stores values in state.
type SetStep struct {
	StepBase
	Values *Map
}

// GetStep reads a key of state.
type GetStep struct {
	StepBase
	Key *Value
}

// LogStep logs an evaluated string.
type LogStep struct {
	StepBase
	Message *Value
}

// ReturnStep ends the workflow with a map of values.
type ReturnStep struct {
	StepBase
	Values *Map
}

// YieldStep runs another workflow of the task.
type YieldStep struct {
	StepBase
	Workflow  *Value
	Arguments Data
}

// SleepStep waits; the total duration must be positive.
type SleepStep struct {
	StepBase
	Seconds, Minutes, Hours, Days *Value
	// TotalSeconds is the whole duration.
	TotalSeconds float64
}

// ErrorStep fails the workflow with a message.
type ErrorStep struct {
	StepBase
	Message *Value
}

// WaitForInputStep pauses for outside input.
type WaitForInputStep struct {
	StepBase
	Info *Map
}

// IfElseStep branches on a condition.
type IfElseStep struct {
	StepBase
	If   *Value
	Then Step
	Else Step // nil when absent
}

// Case is one branch of a switch.
type Case struct {
	At   Pos
	Case *Value
	// Default is true for case "_" (treated as the default branch).
	Default bool
	Then    Step
}

// SwitchStep runs the first case whose condition holds.
type SwitchStep struct {
	StepBase
	Cases []*Case
}

// ForeachStep runs Do for each item of In.
type ForeachStep struct {
	StepBase
	In *Value
	Do Step
}

// MapReduceStep maps a step over a list and reduces the results.
type MapReduceStep struct {
	StepBase
	Over        *Value
	Map         Step
	Reduce      *Value // nil: results + [_]
	Initial     Data
	Parallelism *Value
}

// ParallelStep runs steps side by side.
type ParallelStep struct {
	StepBase
	Steps []Step
}

// TransformStep is the kind form's transform: Expression evaluated with
// Input in scope as input; the result is kept under Output.
type TransformStep struct {
	StepBase
	Expression *Value
	Input      Data
	Output     *Value
}

// Kind implementations.

// Kind returns KindToolCall.
func (*ToolCallStep) Kind() Kind { return KindToolCall }

// Kind returns KindPrompt.
func (*PromptStep) Kind() Kind { return KindPrompt }

// Kind returns KindEvaluate.
func (*EvaluateStep) Kind() Kind { return KindEvaluate }

// Kind returns KindSet.
func (*SetStep) Kind() Kind { return KindSet }

// Kind returns KindGet.
func (*GetStep) Kind() Kind { return KindGet }

// Kind returns KindLog.
func (*LogStep) Kind() Kind { return KindLog }

// Kind returns KindReturn.
func (*ReturnStep) Kind() Kind { return KindReturn }

// Kind returns KindYield.
func (*YieldStep) Kind() Kind { return KindYield }

// Kind returns KindSleep.
func (*SleepStep) Kind() Kind { return KindSleep }

// Kind returns KindError.
func (*ErrorStep) Kind() Kind { return KindError }

// Kind returns KindWaitForInput.
func (*WaitForInputStep) Kind() Kind { return KindWaitForInput }

// Kind returns KindIfElse.
func (*IfElseStep) Kind() Kind { return KindIfElse }

// Kind returns KindSwitch.
func (*SwitchStep) Kind() Kind { return KindSwitch }

// Kind returns KindForeach.
func (*ForeachStep) Kind() Kind { return KindForeach }

// Kind returns KindMapReduce.
func (*MapReduceStep) Kind() Kind { return KindMapReduce }

// Kind returns KindParallel.
func (*ParallelStep) Kind() Kind { return KindParallel }

// Kind returns KindTransform.
func (*TransformStep) Kind() Kind { return KindTransform }
