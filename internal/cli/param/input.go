package param

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/license-manager/license-manager/internal/cli/jsondoc"
)

// inputDocument reads the value of --cli-input-json or --cli-input-yaml: a
// literal document or a file:// reference to one. The document must be an
// object (a YAML mapping); its keys are the input members.
func (u unpacker) inputDocument(cliName, v string, isYAML bool) (*jsondoc.Object, error) {
	text, fromFile, err := u.paramFile(cliName, v, false)
	if err != nil {
		return nil, err
	}
	text = strings.TrimPrefix(text, "\uFEFF")
	var doc any
	if isYAML {
		doc, err = decodeYAML(text)
		if err != nil {
			return nil, paramError(cliName, fmt.Sprintf("Invalid YAML: %v\nYAML received: %s", err, text))
		}
	} else {
		doc, err = jsondoc.Decode([]byte(text))
		if err != nil {
			msg := fmt.Sprintf("Invalid JSON: %s\nJSON received: %s", jsonErrorText(err, text), text)
			if !fromFile && !looksLikeJSON(text) {
				msg += fmt.Sprintf("\nTo read the document from a file, give its path with the "+
					"file:// prefix: %s file://%s", cliName, strings.TrimSpace(text))
			}
			// The aws CLI names the document option without its dashes
			// here, and only here.
			return nil, paramError(strings.TrimPrefix(cliName, "--"), msg)
		}
	}
	obj, ok := doc.(*jsondoc.Object)
	if !ok {
		want, got := "a JSON object", jsonTypeName(doc)
		if isYAML {
			want, got = "a YAML mapping", yamlTypeName(doc)
		}
		return nil, paramError(cliName, fmt.Sprintf("Invalid type: expecting %s, received %s", want, got))
	}
	return obj, nil
}

func yamlTypeName(v any) string {
	switch v.(type) {
	case []any:
		return "sequence"
	case nil:
		return "null (an empty document)"
	}
	return "scalar " + jsonTypeName(v)
}

// maxAliasCost bounds what the aliases of a YAML document may add to it,
// counted as one per node plus the bytes of each scalar reached through an
// alias, so that a small "billion laughs" document, of many nodes or of
// long repeated strings, cannot exhaust memory. What the document writes
// out itself is bounded by its size; a request built from aliases of a few
// values stays far under this.
const maxAliasCost = 1 << 20

// decodeYAML reads one YAML document into document values, keeping mapping
// order. Scalars are typed by their resolved YAML 1.2 tag, as the aws CLI's
// safe loader types them: numbers, booleans, null, and strings for the rest.
// Like a JSON document it may nest at most jsondoc.MaxDepth levels, aliases
// included, and an alias inside the node it names is refused.
func decodeYAML(text string) (any, error) {
	dec := yaml.NewDecoder(strings.NewReader(text))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, err
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, err
		}
		return nil, errors.New("expected a single document in the stream, found more")
	}
	w := &yamlWalker{budget: maxAliasCost, open: map[*yaml.Node]bool{}}
	return w.value(&root)
}

var jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// yamlWalker turns a YAML node tree into document values.
type yamlWalker struct {
	budget  int                 // what aliases may still add (see maxAliasCost)
	depth   int                 // collections open around the current node
	aliased int                 // aliases being expanded around the current node
	open    map[*yaml.Node]bool // anchored nodes being walked
}

func (w *yamlWalker) value(n *yaml.Node) (any, error) {
	if w.aliased > 0 {
		w.budget -= 1 + len(n.Value)
		if w.budget < 0 {
			return nil, errors.New("document expands to too many values through its aliases")
		}
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return w.value(n.Content[0])
	case yaml.AliasNode:
		if w.open[n.Alias] {
			return nil, fmt.Errorf("line %d: alias *%s is inside the node it names", n.Line, n.Value)
		}
		w.aliased++
		defer func() { w.aliased-- }()
		return w.value(n.Alias)
	case yaml.SequenceNode, yaml.MappingNode:
		if w.depth++; w.depth > jsondoc.MaxDepth {
			return nil, fmt.Errorf("line %d: the YAML document nests sequences and mappings deeper than %d levels", n.Line, jsondoc.MaxDepth)
		}
		if n.Anchor != "" {
			w.open[n] = true
		}
		defer func() {
			w.depth--
			delete(w.open, n)
		}()
		if n.Kind == yaml.MappingNode {
			return w.mapping(n)
		}
		list := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := w.value(c)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		return list, nil
	}
	return yamlScalar(n)
}

func (w *yamlWalker) mapping(n *yaml.Node) (*jsondoc.Object, error) {
	obj := jsondoc.NewObject()
	var merges []*jsondoc.Object
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, vn := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.AliasNode {
			k = k.Alias
		}
		if k.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("line %d: a mapping key must be a plain value", k.Line)
		}
		v, err := w.value(vn)
		if err != nil {
			return nil, err
		}
		if k.ShortTag() == "!!merge" {
			merged, err := mergeSources(v, k.Line)
			if err != nil {
				return nil, err
			}
			merges = append(merges, merged...)
			continue
		}
		obj.Set(k.Value, v)
	}
	// Keys written in the mapping win over merged ones, and earlier merge
	// sources over later ones.
	for _, m := range merges {
		for _, key := range m.Keys() {
			if _, ok := obj.Get(key); !ok {
				v, _ := m.Get(key)
				obj.Set(key, v)
			}
		}
	}
	return obj, nil
}

func mergeSources(v any, line int) ([]*jsondoc.Object, error) {
	switch v := v.(type) {
	case *jsondoc.Object:
		return []*jsondoc.Object{v}, nil
	case []any:
		var out []*jsondoc.Object
		for _, item := range v {
			o, ok := item.(*jsondoc.Object)
			if !ok {
				return nil, fmt.Errorf("line %d: a merge key needs mappings", line)
			}
			out = append(out, o)
		}
		return out, nil
	}
	return nil, fmt.Errorf("line %d: a merge key needs mappings", line)
}

func yamlScalar(n *yaml.Node) (any, error) {
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return nil, err
		}
		return b, nil
	case "!!int":
		if jsonNumber.MatchString(n.Value) {
			return json.Number(n.Value), nil
		}
		var i int64
		if err := n.Decode(&i); err != nil {
			var u uint64
			if err := n.Decode(&u); err != nil {
				return nil, err
			}
			return json.Number(strconv.FormatUint(u, 10)), nil
		}
		return json.Number(strconv.FormatInt(i, 10)), nil
	case "!!float":
		if jsonNumber.MatchString(n.Value) {
			return json.Number(n.Value), nil
		}
		var f float64
		if err := n.Decode(&f); err != nil {
			return nil, err
		}
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, fmt.Errorf("line %d: %s is not a number JSON can carry", n.Line, n.Value)
		}
		return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
	case "!!binary":
		return strings.Join(strings.Fields(n.Value), ""), nil
	}
	return n.Value, nil
}

// jsonTypeName names the JSON type of a document value, with whole numbers
// called integer, as validation messages and type errors print them.
func jsonTypeName(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		if isInteger(v) {
			return "integer"
		}
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case *jsondoc.Object:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// isInteger reports whether a number is written as a whole number, the way
// Python's json module tells int from float.
func isInteger(n json.Number) bool {
	return !strings.ContainsAny(string(n), ".eE")
}
