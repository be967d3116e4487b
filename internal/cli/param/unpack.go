package param

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode"

	"github.com/license-manager/license-manager/internal/cli/jsondoc"
	"github.com/license-manager/license-manager/internal/cli/python"
	"github.com/license-manager/license-manager/internal/model"
)

// unpackArgument turns the raw values of a member's option into a document
// value typed by the member's shape, following awscli's argprocess: a lone
// value may name a file; a value that starts with "[" or "{" is JSON;
// structures, maps and lists of them otherwise take the shorthand syntax;
// lists of scalars take their items as separate arguments, commas and all.
func (u unpacker) unpackArgument(a *argument, raw []string) (any, error) {
	sh := a.member.Shape
	if len(raw) == 1 {
		v, fromFile, err := u.paramFile(a.name, raw[0], sh.Type == "blob")
		if err != nil {
			return nil, err
		}
		if fromFile && a.kind == argList {
			return u.unpackFileList(a.name, sh, v)
		}
		raw = []string{v}
	}
	if a.kind != argList {
		return u.unpackValue(a.name, sh, raw[0])
	}

	elem := sh.Member
	if len(raw) > 0 && looksLikeJSON(raw[0]) {
		if len(raw) == 1 && strings.HasPrefix(strings.TrimLeftFunc(raw[0], isSpace), "[") {
			return decodeJSON(a.name, raw[0])
		}
		return u.unpackEach(a.name, elem, raw)
	}
	if isComplex(elem) {
		list := make([]any, 0, len(raw))
		for _, v := range raw {
			parsed, err := parseShorthand(v, u.shorthandFiles(a.name))
			if err != nil {
				return nil, shorthandParamError(a.name, err)
			}
			list = append(list, parsed)
		}
		out, err := typeShorthand(list, sh)
		if err != nil {
			return nil, paramError(a.name, err.Error())
		}
		return out, nil
	}
	return u.unpackEach(a.name, elem, raw)
}

// unpackEach types the items of a list option one by one, each as
// unpackItem does.
func (u unpacker) unpackEach(cliName string, elem *model.Shape, raw []string) ([]any, error) {
	list := make([]any, 0, len(raw))
	for _, v := range raw {
		x, err := u.unpackItem(cliName, elem, v)
		if err != nil {
			return nil, err
		}
		list = append(list, x)
	}
	return list, nil
}

// unpackItem types one item of a list option whose items are not
// shorthand: plain words, or JSON when the first item is. A structure or
// map item must then be a JSON object, as in the aws CLI, which reads
// shorthand only when the first item is not JSON: '{"Name":"a"}' Name=b is
// refused, not read as two items.
func (u unpacker) unpackItem(cliName string, elem *model.Shape, v string) (any, error) {
	switch elem.Type {
	case "structure", "map":
		if strings.HasPrefix(strings.TrimLeftFunc(v, isSpace), "{") {
			return decodeJSON(cliName, v)
		}
		return nil, paramError(cliName, "Invalid JSON:\n"+v)
	}
	return u.unpackValue(cliName, elem, v)
}

// unpackFileList types the contents of a file:// file given as the only
// value of a list option. The text is one value, not words split by the
// shell, and the aws CLI reads it so: a JSON list (text starting with "[")
// is the list; for a list of structures or maps, other text is shorthand
// for one item, which the aws CLI does not wrap in a list, so validation
// refuses it; and otherwise each character of the text is an item.
//
// NOTE(param): a file holding a plain ARN gives a list of its characters,
// which the service refuses. That is what the aws CLI sends (v1 and v2);
// we build the same request rather than guess at what the file meant.
func (u unpacker) unpackFileList(cliName string, sh *model.Shape, text string) (any, error) {
	trimmed := strings.TrimLeftFunc(text, isSpace)
	if isComplex(sh.Member) && !looksLikeJSON(text) {
		parsed, err := parseShorthand(text, u.shorthandFiles(cliName))
		if err != nil {
			return nil, shorthandParamError(cliName, err)
		}
		return parsed, nil
	}
	switch {
	case trimmed == "":
		return nil, paramError(cliName, "the file holds no value: write the list in it as JSON, "+
			"such as [\"a\", \"b\"]")
	case strings.HasPrefix(trimmed, "["):
		return decodeJSON(cliName, text)
	}
	list := []any{}
	for _, r := range text {
		x, err := u.unpackItem(cliName, sh.Member, string(r))
		if err != nil {
			return nil, err
		}
		list = append(list, x)
	}
	return list, nil
}

// isSpace reports whether r is white space to Python's str.isspace, which
// the aws CLI's strip, lstrip and rstrip remove: Unicode white space and
// the ASCII separators U+001C to U+001F.
func isSpace(r rune) bool {
	return unicode.IsSpace(r) || r >= 0x1c && r <= 0x1f
}

// unpackValue types one command-line value by its shape.
func (u unpacker) unpackValue(cliName string, sh *model.Shape, v string) (any, error) {
	switch sh.Type {
	case "integer", "long":
		n, err := parseInteger(v)
		if err != nil {
			return nil, paramError(cliName, err.Error())
		}
		return n, nil
	case "float", "double":
		n, err := parseFloat(v)
		if err != nil {
			return nil, paramError(cliName, err.Error())
		}
		return n, nil
	case "boolean":
		// Python's bool() of a string: only the word false is false.
		return !strings.EqualFold(v, "false") && v != "", nil
	case "structure", "map":
		trimmed := strings.TrimLeftFunc(v, isSpace)
		if strings.HasPrefix(trimmed, "{") {
			return decodeJSON(cliName, v)
		}
		if strings.HasPrefix(trimmed, "[") {
			return nil, paramError(cliName, "Invalid JSON:\n"+v)
		}
		if single := singleValueMember(sh); single != "" && !strings.Contains(v, "=") {
			o := jsondoc.NewObject()
			o.Set(single, v)
			return o, nil
		}
		parsed, err := parseShorthand(v, u.shorthandFiles(cliName))
		if err != nil {
			return nil, shorthandParamError(cliName, err)
		}
		out, err := typeShorthand(parsed, sh)
		if err != nil {
			return nil, paramError(cliName, err.Error())
		}
		return out, nil
	case "list":
		if looksLikeJSON(v) {
			return decodeJSON(cliName, v)
		}
		return nil, paramError(cliName, "Invalid JSON:\n"+v)
	}
	return v, nil
}

// shorthandFiles loads the files that shorthand values written with "@="
// name.
func (u unpacker) shorthandFiles(cliName string) func(string) (string, error) {
	return func(v string) (string, error) {
		s, _, err := u.paramFile(cliName, v, false)
		return s, err
	}
}

// shorthandParamError names the option in a shorthand syntax error; an
// error from loading a file already does.
func shorthandParamError(cliName string, err error) error {
	var se *shorthandError
	if errors.As(err, &se) {
		return paramError(cliName, se.msg)
	}
	return err
}

// singleValueMember returns "Value" for a structure whose only member is the
// string Value: the aws CLI lets such an option take the bare value.
func singleValueMember(sh *model.Shape) string {
	if sh.Type == "structure" && len(sh.Members) == 1 &&
		sh.Members[0].Name == "Value" && sh.Members[0].Shape.Type == "string" {
		return "Value"
	}
	return ""
}

func looksLikeJSON(v string) bool {
	t := strings.TrimLeftFunc(v, isSpace)
	return strings.HasPrefix(t, "[") || strings.HasPrefix(t, "{")
}

// isComplex reports whether values of the shape are written in shorthand
// rather than as plain words.
func isComplex(sh *model.Shape) bool {
	switch sh.Type {
	case "structure", "list", "map":
		return true
	}
	return false
}

func decodeJSON(cliName, v string) (any, error) {
	doc, err := jsondoc.Decode([]byte(v))
	if err != nil {
		return nil, paramError(cliName, fmt.Sprintf("Invalid JSON: %s\nJSON received: %s", jsonErrorText(err, v), v))
	}
	return doc, nil
}

// jsonErrorText words the error of decoding text as JSON as the aws CLI
// does, in the words of Python's json module; where Python would have read
// the text (NaN, a number too large for Go, nesting too deep), in Go's.
func jsonErrorText(err error, text string) string {
	if msg, ok := python.JSONError(text); ok {
		return msg
	}
	var se *json.SyntaxError
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return "unexpected end of input"
	case errors.As(err, &se):
		return fmt.Sprintf("%v (at character %d)", se, se.Offset)
	}
	return err.Error()
}

// parseInteger reads a whole number as Python's int() does: surrounding
// white space, a sign and single underscores between digits are allowed.
func parseInteger(v string) (json.Number, error) {
	s := strings.TrimSpace(v)
	digits := strings.TrimLeft(s, "+-")
	ok := len(s)-len(digits) <= 1 && digits != "" &&
		!strings.HasPrefix(digits, "_") && !strings.HasSuffix(digits, "_") && !strings.Contains(digits, "__")
	if ok {
		s = strings.ReplaceAll(strings.TrimPrefix(s, "+"), "_", "")
		var n big.Int
		if _, good := n.SetString(s, 10); good {
			return json.Number(n.String()), nil
		}
	}
	return "", fmt.Errorf("expected an integer, received '%s'", v)
}

// parseFloat reads a finite number as Python's float() does.
func parseFloat(v string) (json.Number, error) {
	s := strings.TrimSpace(v)
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return "", fmt.Errorf("expected a finite number, received '%s'", v)
	}
	return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
}
