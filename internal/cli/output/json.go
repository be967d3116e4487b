package output

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/license-manager/license-manager/internal/cli/jsondoc"
)

// writeJSON appends v as Python's json.dumps(v, indent=4,
// ensure_ascii=False) writes it: four-space indentation, ": " after keys, a
// bare "," at line ends, [] and {} for empty collections, non-ASCII text as
// UTF-8, and only quotes, backslashes and control characters escaped.
//
// https://docs.python.org/3/library/json.html#json.dump
func writeJSON(b *strings.Builder, v any, depth int) {
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		if v {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case string:
		writeJSONString(b, v)
	case json.Number:
		s, isFloat := pyNumber(v)
		if isFloat {
			// Python's encoder spells the non-finite floats this way.
			switch s {
			case "inf":
				s = "Infinity"
			case "-inf":
				s = "-Infinity"
			case "nan":
				s = "NaN"
			}
		}
		b.WriteString(s)
	case []any:
		if len(v) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteString("[")
		for i, e := range v {
			if i > 0 {
				b.WriteString(",")
			}
			newline(b, depth+1)
			writeJSON(b, e, depth+1)
		}
		newline(b, depth)
		b.WriteString("]")
	case *jsondoc.Object:
		if v.Len() == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{")
		for i, k := range v.Keys() {
			if i > 0 {
				b.WriteString(",")
			}
			newline(b, depth+1)
			writeJSONString(b, k)
			b.WriteString(": ")
			e, _ := v.Get(k)
			writeJSON(b, e, depth+1)
		}
		newline(b, depth)
		b.WriteString("}")
	default:
		// Only document values reach here; anything else is a bug in the
		// caller, shown rather than hidden.
		writeJSONString(b, fmt.Sprint(v))
	}
}

func newline(b *strings.Builder, depth int) {
	b.WriteByte('\n')
	b.WriteString(strings.Repeat("    ", depth))
}

func writeJSONString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			if r < 0x20 {
				fmt.Fprintf(b, `\u%04x`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
}
