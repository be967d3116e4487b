// Package model loads the AWS service models this project implements (License
// Manager and STS, in botocore's JSON format) and exposes their operations and
// shapes with structure members in model order.
//
// The command line is generated from these models: option names, skeletons,
// client-side validation and the order of output members all come from here,
// as they do in the aws CLI.
package model

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
)

//go:embed license-manager-2018-08-01.json
var licenseManagerJSON []byte

//go:embed sts-2011-06-15.json
var stsJSON []byte

// Service is one AWS service model.
type Service struct {
	Metadata   Metadata
	Operations map[string]*Operation
	// OperationNames lists the operations in model order.
	OperationNames []string
	Shapes         map[string]*Shape
}

// Metadata is the model's metadata block.
type Metadata struct {
	APIVersion      string `json:"apiVersion"`
	EndpointPrefix  string `json:"endpointPrefix"`
	JSONVersion     string `json:"jsonVersion"`
	Protocol        string `json:"protocol"`
	ServiceFullName string `json:"serviceFullName"`
	ServiceID       string `json:"serviceId"`
	TargetPrefix    string `json:"targetPrefix"`
	XMLNamespace    string `json:"xmlNamespace"`
}

// Operation is one API operation.
type Operation struct {
	Name          string
	Input         *Shape // nil when the operation takes no input
	Output        *Shape // nil when the operation returns nothing
	Errors        []*Shape
	Documentation string // HTML, as in the model
}

// Shape is a named type of the model.
type Shape struct {
	Name string
	// Type is one of structure, list, map, string, integer, long, boolean,
	// timestamp, double, float, blob.
	Type          string
	Members       []*Member // structure members, in model order
	Required      []string  // required member names of a structure
	Member        *Shape    // element shape of a list
	Key, Value    *Shape    // key and value shapes of a map
	Min, Max      *int64    // length (strings, lists) or value (numbers) bounds
	Pattern       string
	Enum          []string
	Documentation string
	Exception     bool
	Fault         bool
	Sensitive     bool
}

// Member is a member of a structure shape.
type Member struct {
	Name          string
	Shape         *Shape
	Documentation string // the member's own documentation, else empty
}

// MemberByName returns the member called name, or nil.
func (s *Shape) MemberByName(name string) *Member {
	for _, m := range s.Members {
		if m.Name == name {
			return m
		}
	}
	return nil
}

// IsRequired reports whether the structure requires the member called name.
func (s *Shape) IsRequired(name string) bool {
	for _, r := range s.Required {
		if r == name {
			return true
		}
	}
	return false
}

var (
	lmOnce, stsOnce sync.Once
	lm, sts         *Service
)

// LicenseManager returns the License Manager model. It panics if the embedded
// model is malformed, which a test guards against.
func LicenseManager() *Service {
	lmOnce.Do(func() { lm = mustParse(licenseManagerJSON) })
	return lm
}

// STS returns the STS model.
func STS() *Service {
	stsOnce.Do(func() { sts = mustParse(stsJSON) })
	return sts
}

func mustParse(data []byte) *Service {
	s, err := Parse(data)
	if err != nil {
		panic(fmt.Sprintf("model: embedded model: %v", err))
	}
	return s
}

type rawShape struct {
	Type          string          `json:"type"`
	Members       json.RawMessage `json:"members"`
	Required      []string        `json:"required"`
	Member        *rawRef         `json:"member"`
	Key           *rawRef         `json:"key"`
	Value         *rawRef         `json:"value"`
	Min           *int64          `json:"min"`
	Max           *int64          `json:"max"`
	Pattern       string          `json:"pattern"`
	Enum          []string        `json:"enum"`
	Documentation string          `json:"documentation"`
	Exception     bool            `json:"exception"`
	Fault         bool            `json:"fault"`
	Sensitive     bool            `json:"sensitive"`
}

type rawRef struct {
	Shape         string `json:"shape"`
	Documentation string `json:"documentation"`
}

type rawOperation struct {
	Name          string   `json:"name"`
	Input         *rawRef  `json:"input"`
	Output        *rawRef  `json:"output"`
	Errors        []rawRef `json:"errors"`
	Documentation string   `json:"documentation"`
}

// Parse reads a model in botocore's JSON format.
func Parse(data []byte) (*Service, error) {
	var raw struct {
		Metadata   Metadata                   `json:"metadata"`
		Operations json.RawMessage            `json:"operations"`
		Shapes     map[string]json.RawMessage `json:"shapes"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	s := &Service{
		Metadata:   raw.Metadata,
		Operations: make(map[string]*Operation),
		Shapes:     make(map[string]*Shape, len(raw.Shapes)),
	}
	raws := make(map[string]*rawShape, len(raw.Shapes))
	for name, text := range raw.Shapes {
		var rs rawShape
		if err := json.Unmarshal(text, &rs); err != nil {
			return nil, fmt.Errorf("shape %s: %w", name, err)
		}
		raws[name] = &rs
		s.Shapes[name] = &Shape{Name: name}
	}
	ref := func(owner string, r *rawRef) (*Shape, error) {
		if r == nil {
			return nil, nil
		}
		sh, ok := s.Shapes[r.Shape]
		if !ok {
			return nil, fmt.Errorf("%s refers to unknown shape %q", owner, r.Shape)
		}
		return sh, nil
	}
	for name, rs := range raws {
		sh := s.Shapes[name]
		sh.Type, sh.Required, sh.Min, sh.Max = rs.Type, rs.Required, rs.Min, rs.Max
		sh.Pattern, sh.Enum, sh.Documentation = rs.Pattern, rs.Enum, rs.Documentation
		sh.Exception, sh.Fault, sh.Sensitive = rs.Exception, rs.Fault, rs.Sensitive
		var err error
		if sh.Member, err = ref(name, rs.Member); err != nil {
			return nil, err
		}
		if sh.Key, err = ref(name, rs.Key); err != nil {
			return nil, err
		}
		if sh.Value, err = ref(name, rs.Value); err != nil {
			return nil, err
		}
		if len(rs.Members) == 0 {
			continue
		}
		names, refs, err := orderedRefs(rs.Members)
		if err != nil {
			return nil, fmt.Errorf("shape %s: %w", name, err)
		}
		for i, n := range names {
			msh, err := ref(name+"."+n, &refs[i])
			if err != nil {
				return nil, err
			}
			sh.Members = append(sh.Members, &Member{
				Name: n, Shape: msh, Documentation: refs[i].Documentation,
			})
		}
	}
	names, ops, err := orderedOps(raw.Operations)
	if err != nil {
		return nil, err
	}
	for i, n := range names {
		ro := ops[i]
		op := &Operation{Name: n, Documentation: ro.Documentation}
		if op.Input, err = ref(n, ro.Input); err != nil {
			return nil, err
		}
		if op.Output, err = ref(n, ro.Output); err != nil {
			return nil, err
		}
		for j := range ro.Errors {
			e, err := ref(n, &ro.Errors[j])
			if err != nil {
				return nil, err
			}
			op.Errors = append(op.Errors, e)
		}
		s.Operations[n] = op
		s.OperationNames = append(s.OperationNames, n)
	}
	return s, nil
}

// orderedRefs decodes a JSON object of member references, keeping key order.
func orderedRefs(data []byte) ([]string, []rawRef, error) {
	var names []string
	var refs []rawRef
	err := eachMember(data, func(name string, dec *json.Decoder) error {
		var r rawRef
		if err := dec.Decode(&r); err != nil {
			return err
		}
		names, refs = append(names, name), append(refs, r)
		return nil
	})
	return names, refs, err
}

func orderedOps(data []byte) ([]string, []rawOperation, error) {
	var names []string
	var ops []rawOperation
	err := eachMember(data, func(name string, dec *json.Decoder) error {
		var o rawOperation
		if err := dec.Decode(&o); err != nil {
			return err
		}
		names, ops = append(names, name), append(ops, o)
		return nil
	})
	return names, ops, err
}

func eachMember(data []byte, fn func(string, *json.Decoder) error) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return fmt.Errorf("expected a JSON object")
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		if err := fn(t.(string), dec); err != nil {
			return err
		}
	}
	return nil
}

// Operation returns the operation called name, or nil.
func (s *Service) Operation(name string) *Operation { return s.Operations[name] }

// FirstSentence returns the first sentence of an HTML documentation string as
// plain text, the way the aws CLI abbreviates docs in YAML skeletons.
func FirstSentence(doc string) string {
	text := PlainText(doc)
	if i := strings.Index(text, ". "); i >= 0 {
		return text[:i+1]
	}
	return text
}

// PlainText strips HTML tags from a documentation string and collapses runs
// of white space.
func PlainText(doc string) string {
	var b strings.Builder
	in := false
	for _, r := range doc {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
			b.WriteByte(' ')
		case !in:
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
