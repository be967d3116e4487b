package output

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/license-manager/license-manager/internal/cli/jsondoc"
)

// TestQueryHashOrder guards the reflection over go-jmespath's AST: a
// release that renames its fields must fail here, not silently sort keys.
func TestQueryHashOrder(t *testing.T) {
	t.Parallel()
	got := hashKeyOrders("{z: a, y: {q: b, p: c}}.y | [].{m: n, l: o, m: p}")
	want := [][]string{{"z", "y"}, {"q", "p"}, {"m", "l"}}
	slices.SortFunc(got, func(a, b []string) int { return strings.Compare(strings.Join(b, ","), strings.Join(a, ",")) })
	slices.SortFunc(want, func(a, b []string) int { return strings.Compare(strings.Join(b, ","), strings.Join(a, ",")) })
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hashKeyOrders mismatch (-want +got):\n%s", diff)
	}
}

// The expectations are what the aws CLI prints for these queries. Where a
// list or an object is the wrong type, go-jmespath's error holds it only
// in Go's form, so those are not compared.
func TestQuerySearchErrors(t *testing.T) {
	t.Parallel()
	doc, err := jsondoc.Decode([]byte(queryDoc))
	if err != nil {
		t.Fatal(err)
	}
	for expr, want := range map[string]string{
		"abs(`\"x\"`)":              `In function abs(), invalid type for value: x, expected one of: ['number'], received: "string"`,
		"abs(`true`)":               `In function abs(), invalid type for value: True, expected one of: ['number'], received: "boolean"`,
		"abs(`null`)":               `In function abs(), invalid type for value: None, expected one of: ['number'], received: "null"`,
		"length(abs(`\"q\"`))":      `In function abs(), invalid type for value: q, expected one of: ['number'], received: "string"`,
		"starts_with(`1`, `\"a\"`)": `In function starts_with(), invalid type for value: 1, expected one of: ['string'], received: "number"`,
		"keys(`[1]`)":               `In function keys(), invalid type for value: [1], expected one of: ['object'], received: "array"`,
		"abs(`x`)":                  `In function abs(), invalid type for value: x, expected one of: ['number'], received: "string"`,
		"foo(@)":                    "Unknown function: foo()",
		"length(@, @)":              "Expected 1 argument for function length(), received 2",
		"starts_with(@)":            "Expected 2 arguments for function starts_with(), received 1",
		"merge()":                   "Expected at least 1 argument for function merge(), received 0",
		"Tokens[::0]":               "slice step cannot be zero",
	} {
		_, err := Query(doc, expr)
		if err == nil || err.Error() != want {
			t.Errorf("Query(%q) error = %v, want %q", expr, err, want)
		}
	}
}
