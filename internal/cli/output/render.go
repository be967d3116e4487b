package output

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/license-manager/license-manager/internal/cli/jsondoc"
)

// Formats lists the values --output accepts, in the order the aws CLI
// lists them.
var Formats = []string{"json", "text", "table", "yaml", "yaml-stream"}

// DefaultTerminalWidth is the width the table format assumes when standard
// output is not a terminal, as the aws CLI does.
const DefaultTerminalWidth = 80

// Options says how Render prints a result.
type Options struct {
	// Format is one of Formats.
	Format string
	// Title heads the table format: the operation name, e.g. CreateToken.
	Title string
	// TerminalWidth is the number of columns the table format may use
	// before it turns single-row sections into key/value rows; zero means
	// DefaultTerminalWidth.
	TerminalWidth int
	// Color styles the table format with ANSI sequences, as the aws CLI
	// does when standard output is a terminal (or with --color on).
	Color bool
}

// Render writes v, a document as FromResponse or Query return it, in the
// chosen format, byte for byte as aws CLI v2 prints it.
//
// As in aws CLI v2, an empty object (the whole response of DeleteToken, or
// a query that selects one) prints nothing in the json, yaml, yaml-stream,
// text and table formats, while a query result of null prints null (json,
// yaml), None (text) or nothing (table, which also skips every other
// Python-false value: "", 0, false, []). A bare string prints unquoted in
// text and quoted in json and yaml.
//
// Render writes everything at once, so a failure leaves w untouched by
// Render. An unknown format is an error that lists the valid ones.
func Render(w io.Writer, opts Options, v any) error {
	if err := checkDocument(v); err != nil {
		return err
	}
	var b strings.Builder
	empty := isEmptyObject(v)
	switch opts.Format {
	case "json":
		if !empty {
			writeJSON(&b, v, 0)
			b.WriteByte('\n')
		}
	case "text":
		if err := writeText(&b, v); err != nil {
			return err
		}
	case "table":
		t := &table{}
		ok, err := t.build(opts.Title, true, v, 0)
		if err != nil {
			return err
		}
		if ok {
			width := opts.TerminalWidth
			if width <= 0 {
				width = DefaultTerminalWidth
			}
			t.render(&tableWriter{b: &b, color: opts.Color}, width)
		}
	case "yaml":
		if !empty {
			writeYAMLDocument(&b, v)
		}
	case "yaml-stream":
		// A stream is a list of responses, one element per page; ours have
		// one page.
		if !empty {
			writeYAMLDocument(&b, []any{v})
		}
	default:
		return fmt.Errorf("render output: unknown output format %q: valid choices are %s",
			opts.Format, strings.Join(Formats, ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeYAMLDocument dumps collections as YAML and scalars as JSON, as the
// aws CLI v2 YAML dumper does to avoid the "..." end marker that follows a
// scalar document.
func writeYAMLDocument(b *strings.Builder, v any) {
	if isScalar(v) {
		writeJSON(b, v, 0)
		b.WriteByte('\n')
		return
	}
	writeYAML(b, v)
}

func isEmptyObject(v any) bool {
	obj, ok := v.(*jsondoc.Object)
	return ok && obj.Len() == 0
}

// checkDocument rejects values that are not documents, so the writers only
// meet nil, bool, json.Number, string, []any and *jsondoc.Object.
func checkDocument(v any) error {
	switch v := v.(type) {
	case nil, bool, json.Number, string:
		return nil
	case []any:
		for _, e := range v {
			if err := checkDocument(e); err != nil {
				return err
			}
		}
		return nil
	case *jsondoc.Object:
		if v == nil {
			return fmt.Errorf("render output: nil object")
		}
		for _, k := range v.Keys() {
			e, _ := v.Get(k)
			if err := checkDocument(e); err != nil {
				return err
			}
		}
		return nil
	default:
		return fmt.Errorf("render output: cannot print a %T", v)
	}
}
