package output

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/license-manager/license-manager/internal/cli/jsondoc"
	"github.com/license-manager/license-manager/internal/model"
)

// goldenCase is one entry of testdata/cases.json. The expected bytes in
// testdata/golden/<name>/<format> were printed by the aws CLI's own code
// (see testdata/golden.py): json, text and table by the formatters aws CLI
// v1 and v2 share, yaml and yaml-stream by aws CLI v2's YAML dumper over
// the ruamel.yaml and libyaml versions v2 bundles. A <format>.error file
// means the aws CLI fails on that input, and so must Render.
type goldenCase struct {
	Name      string          `json:"name"`
	Operation string          `json:"operation"` // with Body: a response body to parse
	Body      string          `json:"body"`
	Query     string          `json:"query"`
	Value     json.RawMessage `json:"value"` // or: a value standing for a query result
	JSON      string          `json:"json"`  // the same, as JSON text with exact number literals
	Width     int             `json:"width"`
	Color     bool            `json:"color"`
}

func loadGoldenCases(t *testing.T) []goldenCase {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []goldenCase
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatalf("testdata/cases.json: %v", err)
	}
	return cases
}

// document returns the document the case prints, produced the way the
// command line produces it: FromResponse, then Query.
func (c goldenCase) document(t *testing.T) any {
	t.Helper()
	if c.Operation != "" {
		op := model.LicenseManager().Operation(c.Operation)
		if op == nil {
			t.Fatalf("no operation %s", c.Operation)
		}
		doc, err := FromResponse([]byte(c.Body), op.Output)
		if err != nil {
			t.Fatalf("FromResponse: %v", err)
		}
		if c.Query == "" {
			return doc
		}
		out, err := Query(doc, c.Query)
		if err != nil {
			t.Fatalf("Query(%q): %v", c.Query, err)
		}
		return out
	}
	text := c.JSON
	if text == "" {
		text = string(c.Value)
	}
	// As in golden.py, a bare value is wrapped and selected by a query.
	doc, err := jsondoc.Decode([]byte(`{"v":` + text + `}`))
	if err != nil {
		t.Fatalf("decode value: %v", err)
	}
	out, err := Query(doc, "v")
	if err != nil {
		t.Fatalf("Query: %v", err)
	}
	return out
}

func TestRenderGolden(t *testing.T) {
	t.Parallel()
	for _, c := range loadGoldenCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			doc := c.document(t)
			title := c.Operation
			if title == "" {
				title = "Op"
			}
			variants := []struct {
				file string
				opts Options
			}{
				{"json", Options{Format: "json"}},
				{"text", Options{Format: "text"}},
				{"table", Options{Format: "table", Title: title, TerminalWidth: c.Width}},
				{"yaml", Options{Format: "yaml"}},
				{"yaml-stream", Options{Format: "yaml-stream"}},
			}
			if c.Color {
				variants = append(variants, struct {
					file string
					opts Options
				}{"table-color", Options{Format: "table", Title: title, TerminalWidth: c.Width, Color: true}})
			}
			for _, v := range variants {
				dir := filepath.Join("testdata", "golden", c.Name)
				var buf bytes.Buffer
				err := Render(&buf, v.opts, doc)
				if wantErr, rerr := os.ReadFile(filepath.Join(dir, v.file+".error")); rerr == nil {
					if err == nil {
						t.Errorf("%s: Render succeeded with %q, want an error like the aws CLI's %q", v.file, buf.String(), wantErr)
					} else if buf.Len() != 0 {
						t.Errorf("%s: Render failed but wrote %q", v.file, buf.String())
					}
					continue
				} else if !errors.Is(rerr, os.ErrNotExist) {
					t.Fatal(rerr)
				}
				want, rerr := os.ReadFile(filepath.Join(dir, v.file))
				if rerr != nil {
					t.Fatal(rerr)
				}
				if err != nil {
					t.Errorf("%s: Render: %v", v.file, err)
					continue
				}
				if diff := cmp.Diff(string(want), buf.String()); diff != "" {
					t.Errorf("%s: Render mismatch (-aws +ours):\n%s", v.file, diff)
				}
			}
		})
	}
}
