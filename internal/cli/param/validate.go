package param

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"unicode/utf8"

	"github.com/license-manager/license-manager/internal/cli/jsondoc"
	"github.com/license-manager/license-manager/internal/model"
)

// validate checks a request document against the input shape as botocore's
// ParamValidator does before a request is sent, and returns every problem
// found, one line each, in botocore's order and wording. Like botocore it
// checks types, required members and min constraints (string and list
// length, number value) and leaves max, pattern and enum to the server.
//
// Type names are JSON's rather than Python's (string, integer, number,
// boolean, array, object, null), and a boolean is not an integer here,
// where Python lets True pass as 1.
func validate(params *jsondoc.Object, in *model.Shape) []string {
	v := &validator{}
	if in == nil {
		in = &model.Shape{Type: "structure"}
	}
	v.check(params, in, "")
	return v.problems
}

type validator struct {
	problems []string
}

func (v *validator) report(format string, a ...any) {
	v.problems = append(v.problems, fmt.Sprintf(format, a...))
}

// displayName is how botocore names a parameter path in messages.
func displayName(path string) string {
	if path == "" {
		return "input"
	}
	return strings.TrimPrefix(path, ".")
}

func (v *validator) check(val any, sh *model.Shape, path string) {
	switch sh.Type {
	case "structure":
		o, ok := val.(*jsondoc.Object)
		if !v.typeOK(ok, val, path, "object") {
			return
		}
		for _, r := range sh.Required {
			if _, present := o.Get(r); !present {
				v.report("Missing required parameter in %s: \"%s\"", displayName(path), r)
			}
		}
		var known []string
		for _, k := range o.Keys() {
			if sh.MemberByName(k) == nil {
				names := make([]string, len(sh.Members))
				for i, m := range sh.Members {
					names[i] = m.Name
				}
				v.report("Unknown parameter in %s: \"%s\", must be one of: %s",
					displayName(path), k, strings.Join(names, ", "))
				continue
			}
			known = append(known, k)
		}
		for _, k := range known {
			mv, _ := o.Get(k)
			v.check(mv, sh.MemberByName(k).Shape, path+"."+k)
		}
	case "list":
		list, ok := val.([]any)
		if !v.typeOK(ok, val, path, "array") {
			return
		}
		v.minLength(len(list), sh, path)
		for i, item := range list {
			v.check(item, sh.Member, fmt.Sprintf("%s[%d]", path, i))
		}
	case "map":
		o, ok := val.(*jsondoc.Object)
		if !v.typeOK(ok, val, path, "object") {
			return
		}
		for _, k := range o.Keys() {
			if sh.Key != nil {
				v.check(k, sh.Key, fmt.Sprintf("%s (key: %s)", path, k))
			}
			mv, _ := o.Get(k)
			v.check(mv, sh.Value, path+"."+k)
		}
	case "string":
		s, ok := val.(string)
		if v.typeOK(ok, val, path, "string") {
			v.minLength(utf8.RuneCountInString(s), sh, path)
		}
	case "integer", "long":
		n, ok := val.(json.Number)
		if v.typeOK(ok && isInteger(n), val, path, "integer") {
			v.minValue(n, sh, path)
		}
	case "float", "double":
		n, ok := val.(json.Number)
		if v.typeOK(ok, val, path, "number") {
			v.minValue(n, sh, path)
		}
	case "boolean":
		_, ok := val.(bool)
		v.typeOK(ok, val, path, "boolean")
	case "blob":
		_, ok := val.(string)
		v.typeOK(ok, val, path, "string (base64)")
	case "timestamp":
		switch val.(type) {
		case string, json.Number:
		default:
			v.typeOK(false, val, path, "string (timestamp), number")
		}
	}
}

// typeOK reports ok, first recording a type problem if it is false.
func (v *validator) typeOK(ok bool, val any, path, want string) bool {
	if !ok {
		v.report("Invalid type for parameter %s, value: %s, type: %s, valid types: %s",
			displayName(path), displayValue(val), jsonTypeName(val), want)
	}
	return ok
}

func (v *validator) minLength(n int, sh *model.Shape, path string) {
	if sh.Min != nil && int64(n) < *sh.Min {
		v.report("Invalid length for parameter %s, value: %d, valid min length: %d",
			displayName(path), n, *sh.Min)
	}
}

func (v *validator) minValue(n json.Number, sh *model.Shape, path string) {
	if sh.Min == nil {
		return
	}
	var r big.Rat
	if _, ok := r.SetString(string(n)); !ok {
		return
	}
	if r.Cmp(new(big.Rat).SetInt64(*sh.Min)) < 0 {
		v.report("Invalid value for parameter %s, value: %s, valid min value: %d",
			displayName(path), n, *sh.Min)
	}
}

// displayValue prints a value in a message: strings bare, as botocore
// prints them, everything else as JSON.
func displayValue(val any) string {
	switch val := val.(type) {
	case string:
		return val
	case nil:
		return "null"
	}
	b, err := json.Marshal(val)
	if err != nil {
		return fmt.Sprint(val)
	}
	return string(b)
}
