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
			msg := fmt.Sprintf("Invalid JSON: %s\nJSON received: %s", jsonErrorText(err), text)
			if !fromFile && !looksLikeJSON(text) {
				msg += fmt.Sprintf("\nTo read the document from a file, give its path with the "+
					"file:// prefix: %s file://%s", cliName, strings.TrimSpace(text))
			}
			return nil, paramError(cliName, msg)
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

// maxYAMLCost bounds what a YAML document may expand to through aliases,
// counted as one per node plus the bytes of each scalar, so that a small
// "billion laughs" document, of many nodes or of long repeated strings,
// cannot exhaust memory. Any document that fits the file:// limit without
// aliases stays well under it.
const maxYAMLCost = 64 << 20

// decodeYAML reads one YAML document into document values, keeping mapping
// order. Scalars are typed by their resolved YAML 1.2 tag, as the aws CLI's
// safe loader types them: numbers, booleans, null, and strings for the rest.
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
	budget := maxYAMLCost
	return yamlValue(&root, &budget)
}

var jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

func yamlValue(n *yaml.Node, budget *int) (any, error) {
	*budget -= 1 + len(n.Value)
	if *budget < 0 {
		return nil, errors.New("document expands to too many values")
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return yamlValue(n.Content[0], budget)
	case yaml.AliasNode:
		return yamlValue(n.Alias, budget)
	case yaml.SequenceNode:
		list := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := yamlValue(c, budget)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		return list, nil
	case yaml.MappingNode:
		return yamlMapping(n, budget)
	}
	return yamlScalar(n)
}

func yamlMapping(n *yaml.Node, budget *int) (*jsondoc.Object, error) {
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
		v, err := yamlValue(vn, budget)
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
