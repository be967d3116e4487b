package output

import (
	"fmt"
	"slices"
	"strings"

	"github.com/license-manager/license-manager/internal/cli/jsondoc"
)

// The text format, as awscli/text.py lays it out: tab-separated lines meant
// for cut and awk.
//
//   - A scalar prints alone on its line, so `--query Token --output text`
//     prints the bare token.
//   - An object prints its scalar members on one line, sorted by key, then
//     each collection member in key order with the key as identifier.
//   - A list of scalars prints on one line; under an identifier, one
//     "IDENTIFIER<TAB>value" line per element instead.
//   - A list holding objects prints one line per element, every line with
//     the same columns: all scalar keys found in any element, sorted, empty
//     where an element lacks one, after the upper-cased identifier.
//
// https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-output-format.html#text-output
func writeText(b *strings.Builder, v any) error {
	return writeTextItem(b, v, nil, nil)
}

// writeTextItem prints one value. ident is the member name the value sits
// under (nil at the top: a member may be called ""), and scalarKeys the shared columns when the value
// is an element of a list of objects (nil otherwise).
func writeTextItem(b *strings.Builder, v any, ident *string, scalarKeys []string) error {
	switch v := v.(type) {
	case *jsondoc.Object:
		return writeTextObject(b, v, ident, scalarKeys)
	case []any:
		return writeTextList(b, v, ident)
	default:
		b.WriteString(pyStr(v))
		b.WriteByte('\n')
		return nil
	}
}

func writeTextList(b *strings.Builder, list []any, ident *string) error {
	if len(list) == 0 {
		return nil
	}
	hasObject := slices.ContainsFunc(list, func(e any) bool {
		_, ok := e.(*jsondoc.Object)
		return ok
	})
	if hasObject {
		keys, err := allScalarKeys(list)
		if err != nil {
			return err
		}
		for _, e := range list {
			if err := writeTextItem(b, e, ident, keys); err != nil {
				return err
			}
		}
		return nil
	}
	var scalars, nested []any
	for _, e := range list {
		if isScalar(e) {
			scalars = append(scalars, e)
		} else {
			nested = append(nested, e)
		}
	}
	if len(scalars) > 0 {
		writeTextScalars(b, scalars, ident)
	}
	for _, e := range nested {
		if err := writeTextItem(b, e, ident, nil); err != nil {
			return err
		}
	}
	return nil
}

func writeTextScalars(b *strings.Builder, scalars []any, ident *string) {
	if ident != nil {
		for _, e := range scalars {
			b.WriteString(upper(*ident))
			b.WriteByte('\t')
			b.WriteString(pyStr(e))
			b.WriteByte('\n')
		}
		return
	}
	for i, e := range scalars {
		if i > 0 {
			b.WriteByte('\t')
		}
		b.WriteString(pyStr(e))
	}
	b.WriteByte('\n')
}

func writeTextObject(b *strings.Builder, obj *jsondoc.Object, ident *string, scalarKeys []string) error {
	var cells []string
	type member struct {
		key string
		val any
	}
	var nested []member
	if scalarKeys == nil {
		for _, k := range sortedKeys(obj) {
			e, _ := obj.Get(k)
			if isScalar(e) {
				cells = append(cells, pyStr(e))
			} else {
				nested = append(nested, member{k, e})
			}
		}
	} else {
		for _, k := range scalarKeys {
			e, ok := obj.Get(k)
			if !ok {
				e = ""
			}
			cells = append(cells, pyStr(e))
		}
		for _, k := range sortedKeys(obj) {
			if !slices.Contains(scalarKeys, k) {
				e, _ := obj.Get(k)
				nested = append(nested, member{k, e})
			}
		}
	}
	if len(cells) > 0 {
		if ident != nil {
			cells = append([]string{upper(*ident)}, cells...)
		}
		b.WriteString(strings.Join(cells, "\t"))
		b.WriteByte('\n')
	}
	for _, m := range nested {
		if err := writeTextItem(b, m.val, &m.key, nil); err != nil {
			return err
		}
	}
	return nil
}

// allScalarKeys returns, sorted, every key that holds a scalar in at least
// one object of list. A list that mixes objects with other values has no
// shared columns; the aws CLI fails on it too.
func allScalarKeys(list []any) ([]string, error) {
	var keys []string
	for _, e := range list {
		obj, ok := e.(*jsondoc.Object)
		if !ok {
			return nil, fmt.Errorf("render text: a list mixes objects with other values")
		}
		for _, k := range obj.Keys() {
			v, _ := obj.Get(k)
			if isScalar(v) && !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	slices.Sort(keys)
	if keys == nil {
		keys = []string{}
	}
	return keys, nil
}

// sortedKeys returns the keys of obj in Python's sorted() order, which for
// strings is code point order, the same as byte order of UTF-8.
func sortedKeys(obj *jsondoc.Object) []string {
	keys := slices.Clone(obj.Keys())
	slices.Sort(keys)
	return keys
}
