package resolver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/big"
	"sort"

	"github.com/julepkit/julep/providers"
	"github.com/julepkit/julep/redact"
	"github.com/julepkit/julep/steps"
)

// Object is a JSON object that keeps its keys in insertion (file) order.
type Object struct {
	members []member
}

type member struct {
	key string
	val any
}

// NewObject returns an empty Object.
func NewObject() *Object { return &Object{} }

// Set sets key to v, appending the key when new.
func (o *Object) Set(key string, v any) {
	for i := range o.members {
		if o.members[i].key == key {
			o.members[i].val = v
			return
		}
	}
	o.members = append(o.members, member{key, v})
}

// Get returns the value of key.
func (o *Object) Get(key string) (any, bool) {
	for _, m := range o.members {
		if m.key == key {
			return m.val, true
		}
	}
	return nil, false
}

// Keys returns the keys in order.
func (o *Object) Keys() []string {
	ks := make([]string, len(o.members))
	for i, m := range o.members {
		ks[i] = m.key
	}
	return ks
}

// Len returns the number of keys.
func (o *Object) Len() int { return len(o.members) }

// String renders the object as JSON.
func (o *Object) String() string {
	b, err := o.MarshalJSON()
	if err != nil {
		return "{}"
	}
	return string(b)
}

// MarshalJSON writes the keys in order.
func (o *Object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o.members {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(m.key)
		b.Write(kb)
		b.WriteByte(':')
		vb, err := marshalNoEscape(m.val)
		if err != nil {
			return nil, fmt.Errorf("key %q: %w", m.key, err)
		}
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func marshalNoEscape(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// leaf is one evaluated scalar field of a step.
type leaf struct {
	value any // plain Go value (the real one: only Value shows it)
	// secret: the field is exactly secrets.NAME (history: a reference)
	secret string
	// tainted: computed from sensitive values (secrets, or variables
	// computed from them); displays show display, never value
	tainted bool
	// display is what displays show of a tainted field: computed from
	// marks (whole is then true) or redact.Mask
	display  any
	whole    bool
	deferred string   // the expression, when it could not be evaluated yet
	missing  []string // secrets it needs that are missing
	failed   string   // the error as displayed
}

// Rendering modes of a resolved tree.
type mode int

const (
	modeReveal  mode = iota // real values (for the tool)
	modeDisplay             // "[REDACTED:name]" strings (dry-run)
	modeHistory             // {"$secret": name} references (workflow history)
)

func render(v any, m mode, red *redact.Redactor) any {
	switch x := v.(type) {
	case *Object:
		o := &Object{members: make([]member, len(x.members))}
		for i, mb := range x.members {
			o.members[i] = member{mb.key, render(mb.val, m, red)}
		}
		return o
	case []any:
		out := make([]any, len(x))
		for i, it := range x {
			out[i] = render(it, m, red)
		}
		return out
	case *leaf:
		return x.render(m, red)
	case Credential:
		switch m {
		case modeReveal:
			return x.value
		case modeHistory:
			return map[string]string{"$secret": x.Name}
		default:
			return redact.MaskFor(x.Name)
		}
	}
	return v
}

func (l *leaf) render(m mode, red *redact.Redactor) any {
	switch {
	case l.failed != "":
		if m == modeReveal {
			return nil
		}
		return map[string]string{"$error": l.failed}
	case len(l.missing) > 0:
		if m == modeReveal {
			return nil
		}
		if l.deferred == "" { // a credential
			return map[string]any{"$missing_secret": l.missing[0]}
		}
		return map[string]any{"$missing_secrets": l.missing, "expression": l.deferred}
	case l.deferred != "":
		if m == modeReveal {
			return nil
		}
		return map[string]string{"$deferred": l.deferred}
	case m == modeReveal:
		return l.value
	case l.secret != "":
		if m == modeHistory {
			return map[string]string{"$secret": l.secret}
		}
		return redact.MaskFor(l.secret)
	case l.tainted:
		return l.display
	}
	return l.value
}

// registerTainted registers every string (and number) of a value computed
// from secrets with the redactor.
func registerTainted(v any, red *redact.Redactor) {
	switch x := v.(type) {
	case string:
		red.AddDerived(x)
	case map[string]any:
		for k, it := range x {
			_ = k
			registerTainted(it, red)
		}
	case []any:
		for _, it := range x {
			registerTainted(it, red)
		}
	case int64, float64, *big.Int, int:
		red.AddDerived(fmt.Sprint(x))
	}
}

// Deferred is a field whose value depends on something not known yet (a
// step output in a dry run without --mock).
type Deferred struct {
	At         string `json:"at"`
	Expression string `json:"expression"`
}

// Credential is one credential of a step: its secret_name, an entry of its
// secrets: map, or the LLM provider key of a prompt step. Printing it, in
// any way, never shows the value; Value returns it for the tool.
type Credential struct {
	// Param is "secret_name", the secrets: map's key, or "api_key" for a
	// provider key.
	Param string
	// Name is the secret's name.
	Name string
	// Source is "secret" (the secret source) or "env" (a provider key from
	// the environment).
	Source string
	value  string
}

// Value returns the credential's value.
func (c Credential) Value() string { return c.value }

// String shows the parameter and the secret's name, never the value.
func (c Credential) String() string {
	return c.Param + "=" + redact.MaskFor(c.Name)
}

// GoString is String, for %#v.
func (c Credential) GoString() string { return "resolver.Credential{" + c.String() + "}" }

// Format implements fmt.Formatter: every verb prints String.
func (c Credential) Format(f fmt.State, verb rune) { _, _ = f.Write([]byte(c.String())) }

// LogValue implements slog.LogValuer without the value.
func (c Credential) LogValue() slog.Value {
	return slog.GroupValue(slog.String("param", c.Param), slog.String("secret", c.Name), slog.String("source", c.Source))
}

// MarshalJSON writes a reference: {"$secret": name}.
func (c Credential) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{"$secret": c.Name})
}

// ResolvedStep is one step resolved for one execution.
//
// Value returns what the tool or model gets (secret values included);
// Display what a person may see; MarshalJSON what a workflow history keeps
// (secret references, masked derived strings, never a value).
type ResolvedStep struct {
	Path string
	Kind steps.Kind
	// Secrets are the names fetched for the step (present ones), sorted.
	Secrets []string
	// Missing are the names that were missing (only with Scope.AllowMissing).
	Missing []string
	// ProviderKey says which key a prompt step's model uses (nil otherwise).
	ProviderKey *providers.KeyRef
	// Deferred lists the fields not evaluated yet (Scope.Unknown/Partial).
	Deferred []Deferred
	// Errors lists the expressions that failed.
	Errors StepErrors
	// SecretCondition is true when the step's condition (if, a switch
	// case, foreach's in, map_reduce's over) reads secrets or variables
	// computed from them: its value is shown as [REDACTED], and a dry run
	// does not tell which branch would run (it resolves them all).
	SecretCondition bool

	tree        *Object
	root        Object    // tree's storage
	rootMembers [8]member // root's first members
	creds       []Credential
	apiKey      *Credential
	red         *redact.Redactor
	sensitive   bool
}

// Sensitive reports whether a field of the step read secrets or variables
// computed from them (Scope.Tainted): a caller passing the step's output
// on to later steps must list the variables that hold it in their
// Scope.Tainted, so that their displays do not show it.
func (s *ResolvedStep) Sensitive() bool { return s.sensitive }

// Value returns the resolved step as plain Go values (*Object, []any,
// map[string]any, strings, numbers…) with secret values in place: the input
// of the tool call or model request. Never print it.
func (s *ResolvedStep) Value() *Object { return render(s.tree, modeReveal, s.red).(*Object) }

// Display returns the resolved step with secrets as "[REDACTED:<name>]" and
// strings computed from them masked; deferred fields as {"$deferred": expr}.
func (s *ResolvedStep) Display() *Object { return render(s.tree, modeDisplay, s.red).(*Object) }

// Credentials returns the step's credentials (secret_name first, then the
// secrets: map in file order, then the provider key).
func (s *ResolvedStep) Credentials() []Credential {
	out := append([]Credential(nil), s.creds...)
	if s.apiKey != nil {
		out = append(out, *s.apiKey)
	}
	return out
}

// Credential returns the credential for param ("secret_name", a secrets:
// key, or "api_key" for the provider key).
func (s *ResolvedStep) Credential(param string) (Credential, bool) {
	for _, c := range s.Credentials() {
		if c.Param == param {
			return c, true
		}
	}
	return Credential{}, false
}

// MarshalJSON writes the step for a workflow history: secret references
// ({"$secret": name}), masked derived strings, no value.
func (s *ResolvedStep) MarshalJSON() ([]byte, error) {
	o := NewObject()
	o.Set("path", s.Path)
	o.Set("kind", string(s.Kind))
	o.Set("resolved", render(s.tree, modeHistory, s.red))
	o.Set("secrets", nonNil(s.Secrets))
	o.Set("provider_key", s.ProviderKey)
	o.Set("deferred", nonNilD(s.Deferred))
	return o.MarshalJSON()
}

// String describes the step without values.
func (s *ResolvedStep) String() string {
	b, err := s.MarshalJSON()
	if err != nil {
		return "ResolvedStep{" + s.Path + "}"
	}
	return string(b)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	sort.Strings(s)
	return s
}

func nonNilD(s []Deferred) []Deferred {
	if s == nil {
		return []Deferred{}
	}
	return s
}
