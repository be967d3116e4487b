package output

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/license-manager/license-manager/internal/model"
)

// FuzzRenderJSON checks that whatever body FromResponse accepts, the json
// format prints valid JSON, and that no format panics on it.
func FuzzRenderJSON(f *testing.F) {
	for _, seed := range []string{
		`{"Tokens":[{"TokenId":"t-1","TokenProperties":["équipe-α","東京","🔑"],"RoleArns":[]}],"NextToken":"n"}`,
		`{"Tokens":[null,{"TokenId":1.5e300,"Status":true}]}`,
		`{"Tokens":[{"TokenId":"\u0000\u001f\"\\\u2028"}]}`,
		`{}`, ``, `{"Tokens":"x"}`,
	} {
		f.Add([]byte(seed))
	}
	shape := model.LicenseManager().Operation("ListTokens").Output
	f.Fuzz(func(t *testing.T, body []byte) {
		doc, err := FromResponse(body, shape)
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := Render(&buf, Options{Format: "json"}, doc); err != nil {
			t.Fatalf("Render(json) error: %v", err)
		}
		if buf.Len() > 0 && !json.Valid(buf.Bytes()) {
			t.Fatalf("Render(json) of %q printed invalid JSON:\n%s", body, buf.Bytes())
		}
		for _, format := range Formats {
			// Table and text may refuse odd shapes, as the aws CLI does;
			// they must not panic.
			_ = Render(&bytes.Buffer{}, Options{Format: format, Title: "ListTokens"}, doc)
		}
	})
}

// FuzzQuery checks that no expression makes Query panic, and that the
// rewrite of bare literals keeps a map back to every byte of the
// expression and leaves an expression without backticks as it is.
func FuzzQuery(f *testing.F) {
	for _, seed := range []string{
		"Tokens[?Status==`DELETED`].TokenId", "`it\\`s`", "'a`b'", "\"a`b\"", "`x` | a[",
		"Tokens[0].*", "`\\u0041`", "`", "``", "`  `", "[?a==`\"`]", "{a: `b`}",
	} {
		f.Add(seed)
	}
	doc, err := FromResponse([]byte(queryDoc), nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		rewritten, origin := legacyLiterals(expr)
		if len(origin) != len(rewritten) {
			t.Fatalf("legacyLiterals(%q) = %q with %d origins", expr, rewritten, len(origin))
		}
		for _, o := range origin {
			if o < 0 || o >= len(expr) {
				t.Fatalf("legacyLiterals(%q): origin %d outside the expression", expr, o)
			}
		}
		if !strings.Contains(expr, "`") && rewritten != expr {
			t.Fatalf("legacyLiterals(%q) = %q, want it unchanged", expr, rewritten)
		}
		_, _ = Query(doc, expr)
	})
}
