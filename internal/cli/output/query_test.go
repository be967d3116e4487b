package output

import (
	"errors"
	"strings"
	"testing"

	"github.com/license-manager/license-manager/internal/cli/jsondoc"
)

const queryDoc = `{"Tokens":[
	{"TokenId":"t-1","Status":"AVAILABLE","RoleArns":["r1","r2"],"Count":7,"Ratio":2.50,"Zeta":1,"Alpha":2},
	{"TokenId":"t-2","Status":"DELETED","RoleArns":[],"Count":3,"Ratio":0.5,"Zeta":3,"Alpha":4}],
	"NextToken":"nt"}`

func TestQuery(t *testing.T) {
	t.Parallel()
	doc, err := jsondoc.Decode([]byte(queryDoc))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, expr, want string }{
		{"a string", "Tokens[0].TokenId", `"t-1"`},
		{"a list", "Tokens[].TokenId", `["t-1","t-2"]`},
		{"a missing member is null", "Tokens[0].Nope", `null`},
		{"an object keeps its input order", "Tokens[0]", `{"TokenId":"t-1","Status":"AVAILABLE","RoleArns":["r1","r2"],"Count":7,"Ratio":2.50,"Zeta":1,"Alpha":2}`},
		{"a hash keeps the order written", "Tokens[0].{Z: Zeta, A: Alpha, M: Status}", `{"Z":1,"A":2,"M":"AVAILABLE"}`},
		{"a projected hash keeps the order written", "Tokens[].{Status: Status, Id: TokenId}", `[{"Status":"AVAILABLE","Id":"t-1"},{"Status":"DELETED","Id":"t-2"}]`},
		{"nested hashes keep their orders", "{b: {y: NextToken, x: Tokens[0].Count}, a: `1`}", `{"b":{"y":"nt","x":7},"a":1}`},
		{"a repeated hash key stays at its first place", "{b: NextToken, a: NextToken, b: Tokens[0].TokenId}", `{"b":"t-1","a":"nt"}`},
		{"input numbers keep their literal", "Tokens[0].[Count, Ratio]", `[7,2.50]`},
		{"computed whole numbers print as integers", "length(Tokens)", `2`},
		{"computed fractions print as Python floats", "Tokens[1].Ratio", `0.5`},
		{"a filter and a pipe", "Tokens[?Status=='DELETED'] | [0].RoleArns", `[]`},
		{"a boolean", "contains(Tokens[0].RoleArns, 'r2')", `true`},
		{"an empty projection", "Tokens[?Count > `100`]", `[]`},
		// Literals that are not JSON are strings, as in the aws CLI.
		{"a bare literal is a string", "Tokens[?Status==`DELETED`].TokenId", `["t-2"]`},
		{"a hash after a bare literal keeps the order written", "Tokens[?Status==`DELETED`].{Z: Zeta, A: Alpha}", `[{"Z":3,"A":4}]`},
		{"leading blanks of a bare literal are dropped", "Tokens[?Status==`  DELETED`].TokenId", `["t-2"]`},
		{"an escaped backtick in a bare literal", "`it\\`s`", `"it` + "`" + `s"`},
		{"a JSON escape in a bare literal", "`\\u0041B`", `"AB"`},
		{"JSON literals stay JSON", "Tokens[?Count==`7`].TokenId", `["t-1"]`},
		{"a JSON string literal", "Tokens[?Status==`\"DELETED\"`].TokenId", `["t-2"]`},
		{"a backtick inside a raw string", "'it`s'", `"it` + "`" + `s"`},
		{"a backtick inside a quoted name", "\"a`b\"", `null`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Query(doc, tt.expr)
			if err != nil {
				t.Fatalf("Query(%q) error: %v", tt.expr, err)
			}
			if s := compact(t, got); s != tt.want {
				t.Errorf("Query(%q) = %s, want %s", tt.expr, s, tt.want)
			}
		})
	}
}

func TestQueryLeavesInputAlone(t *testing.T) {
	t.Parallel()
	doc, err := jsondoc.Decode([]byte(queryDoc))
	if err != nil {
		t.Fatal(err)
	}
	before := compact(t, doc)
	if _, err := Query(doc, "sort_by(Tokens, &Status)[].{a: TokenId}"); err != nil {
		t.Fatal(err)
	}
	if after := compact(t, doc); after != before {
		t.Errorf("Query changed its input:\n%s\nwant\n%s", after, before)
	}
}

func TestCompileQuery(t *testing.T) {
	t.Parallel()
	for _, expr := range []string{"Token", "Tokens[].{Id: TokenId}", "length(Tokens)", "@"} {
		if err := CompileQuery(expr); err != nil {
			t.Errorf("CompileQuery(%q) = %v, want nil", expr, err)
		}
	}
	for _, expr := range []string{"a[", "Tokens[].{Id TokenId}", "foo)", "{", "`foo\"bar`", "`\\q`"} {
		err := CompileQuery(expr)
		var qe *QueryError
		if !errors.As(err, &qe) {
			t.Errorf("CompileQuery(%q) = %v, want a *QueryError", expr, err)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "Bad value for --query "+expr+": Invalid jmespath expression: ") {
			t.Errorf("CompileQuery(%q) error = %q, want it to name the query and say it is invalid", expr, msg)
		}
		if _, err := Query(jsondoc.NewObject(), expr); !errors.As(err, &qe) {
			t.Errorf("Query(%q) = %v, want a *QueryError", expr, err)
		}
	}
}

func TestQueryErrorPointsAtColumn(t *testing.T) {
	t.Parallel()
	err := CompileQuery("a[")
	want := "\n\"a[\"\n   ^"
	if err == nil || !strings.HasSuffix(err.Error(), want) {
		t.Errorf("CompileQuery(%q) = %v, want it to end with %q", "a[", err, want)
	}
}

func TestQueryEmpty(t *testing.T) {
	t.Parallel()
	const want = "Bad value for --query : Invalid JMESPath expression: cannot be empty."
	if err := CompileQuery(""); err == nil || err.Error() != want {
		t.Errorf("CompileQuery(\"\") = %v, want %q", err, want)
	}
}

// A syntax error after a rewritten bare literal points into the
// expression as written.
func TestQueryErrorAfterBareLiteral(t *testing.T) {
	t.Parallel()
	for expr, want := range map[string]string{
		"`x` | a[":      "\n\"`x` | a[\"\n" + strings.Repeat(" ", 9) + "^",
		"`x` | a[?b==]": "\n\"`x` | a[?b==]\"\n" + strings.Repeat(" ", 13) + "^",
	} {
		err := CompileQuery(expr)
		if err == nil || !strings.HasSuffix(err.Error(), want) {
			t.Errorf("CompileQuery(%q) = %v, want it to end with %q", expr, err, want)
		}
	}
}

func TestQueryTypeError(t *testing.T) {
	t.Parallel()
	doc, err := jsondoc.Decode([]byte(queryDoc))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Query(doc, "length(Tokens[0].Count)")
	var qe *QueryError
	if err == nil || errors.As(err, &qe) {
		t.Errorf("Query(length of a number) = %v, want a non-syntax error", err)
	}
}
