package param

import (
	"bytes"
	"encoding/json"

	"github.com/license-manager/license-manager/internal/cli/jsondoc"
	"github.com/license-manager/license-manager/internal/model"
)

// InputSkeleton returns what --generate-cli-skeleton prints for an input
// mode: the sample input document of aws CLI v2, as JSON indented by four
// spaces (input) or as commented YAML (yaml-input), ending in a newline.
//
// Strings are empty (an enum's first value), numbers 0, booleans true,
// lists hold one item and structures every member; a structure already
// open twice on the path is left empty, which ends recursion. The aws CLI
// picks an enum value at random; we pick the first, so the output is
// stable.
func InputSkeleton(op *model.Operation, yaml bool) []byte {
	if yaml {
		return yamlSkeleton(op.Input)
	}
	var doc any = jsondoc.NewObject()
	if op.Input != nil {
		doc = sampleValue(op.Input, nil, "", false)
	}
	return indentJSON(doc)
}

// OutputSkeleton returns the sample output --generate-cli-skeleton output
// prints, before --query and --output apply: every string holds its member
// name (a list item, its shape name), numbers are 0, booleans true and lists
// hold one item. An operation without output members gives an empty object,
// which the aws CLI prints as nothing.
func OutputSkeleton(op *model.Operation) *jsondoc.Object {
	if op.Output == nil {
		return jsondoc.NewObject()
	}
	o, _ := sampleValue(op.Output, nil, "", true).(*jsondoc.Object)
	if o == nil {
		return jsondoc.NewObject()
	}
	return o
}

// sampleValue is botocore's ArgumentGenerator: the placeholder for a value
// of shape sh. stack holds the shapes open above it; name is the member
// name, used for strings when useNames is set.
func sampleValue(sh *model.Shape, stack []string, name string, useNames bool) any {
	stack = append(stack, sh.Name)
	switch sh.Type {
	case "structure":
		o := jsondoc.NewObject()
		if count(stack, sh.Name) > 1 {
			return o
		}
		for _, m := range sh.Members {
			o.Set(m.Name, sampleValue(m.Shape, stack, m.Name, useNames))
		}
		return o
	case "list":
		itemName := ""
		if useNames {
			itemName = sh.Member.Name
		}
		return []any{sampleValue(sh.Member, stack, itemName, useNames)}
	case "map":
		o := jsondoc.NewObject()
		o.Set("KeyName", sampleValue(sh.Value, stack, "", useNames))
		return o
	case "string":
		switch {
		case useNames:
			return name
		case len(sh.Enum) > 0:
			return sh.Enum[0]
		}
		return ""
	case "integer", "long":
		return json.Number("0")
	case "float", "double":
		return json.Number("0.0")
	case "boolean":
		return true
	case "timestamp":
		return "1970-01-01T00:00:00"
	}
	return ""
}

func count(stack []string, name string) int {
	n := 0
	for _, s := range stack {
		if s == name {
			n++
		}
	}
	return n
}

// indentJSON writes v as Python's json.dumps(indent=4) does, plus a newline.
func indentJSON(v any) []byte {
	compact, err := json.Marshal(v)
	if err != nil {
		panic("param: skeleton is not JSON: " + err.Error())
	}
	var b bytes.Buffer
	if err := json.Indent(&b, compact, "", "    "); err != nil {
		panic("param: skeleton is not JSON: " + err.Error())
	}
	b.WriteByte('\n')
	return b.Bytes()
}
