package output

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/license-manager/license-manager/internal/model"
)

func outputShape(t *testing.T, op string) *model.Shape {
	t.Helper()
	o := model.LicenseManager().Operation(op)
	if o == nil {
		t.Fatalf("no operation %s in the model", op)
	}
	return o.Output
}

// compact renders a document as compact JSON in its member order.
func compact(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestFromResponse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, op, body, want string
	}{
		{"members in model order", "CreateToken",
			`{"Token":"jwt","TokenType":"REFRESH_TOKEN","TokenId":"t-1"}`,
			`{"TokenId":"t-1","TokenType":"REFRESH_TOKEN","Token":"jwt"}`},
		{"unmodeled members dropped at every level", "ListTokens",
			`{"Tokens":[{"TokenId":"t-1","Secret":"x","RoleArns":["r"]}],"ResponseMetadata":{},"Extra":1}`,
			`{"Tokens":[{"TokenId":"t-1","RoleArns":["r"]}]}`},
		{"null and absent members skipped", "ListTokens",
			`{"NextToken":null,"Tokens":[{"TokenId":"t-1","TokenProperties":null,"Status":null}]}`,
			`{"Tokens":[{"TokenId":"t-1"}]}`},
		{"empty lists kept", "ListTokens",
			`{"Tokens":[{"RoleArns":[],"TokenProperties":[]}]}`,
			`{"Tokens":[{"TokenProperties":[],"RoleArns":[]}]}`},
		{"null list elements kept", "ListTokens",
			`{"Tokens":[null,{"TokenId":"t-2"}]}`,
			`{"Tokens":[null,{"TokenId":"t-2"}]}`},
		{"number literals kept", "ListTokens",
			`{"Tokens":[{"TokenId":12.50}]}`,
			`{"Tokens":[{"TokenId":12.50}]}`},
		{"duplicate member takes the last value", "CreateToken",
			`{"TokenId":"a","TokenId":"b"}`,
			`{"TokenId":"b"}`},
		{"empty body", "CreateToken", ``, `{}`},
		{"blank body", "CreateToken", " \n", `{}`},
		{"operation without output members", "DeleteToken", `{"Anything":1}`, `{}`},
		{"non-ASCII text", "ListTokens",
			`{"Tokens":[{"TokenProperties":["\u00e9quipe-\u03b1","東京","\ud83d\udd11"]}]}`,
			`{"Tokens":[{"TokenProperties":["équipe-α","東京","🔑"]}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := FromResponse([]byte(tt.body), outputShape(t, tt.op))
			if err != nil {
				t.Fatalf("FromResponse(%s) error: %v", tt.body, err)
			}
			if s := compact(t, got); s != tt.want {
				t.Errorf("FromResponse(%s) = %s, want %s", tt.body, s, tt.want)
			}
		})
	}
}

func TestFromResponseNilShape(t *testing.T) {
	t.Parallel()
	got, err := FromResponse([]byte(`{"a":1}`), nil)
	if err != nil || compact(t, got) != "{}" {
		t.Errorf("FromResponse(body, nil) = %v, %v, want {}, nil", got, err)
	}
}

func TestFromResponseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, op, body, wantInErr string
	}{
		{"truncated JSON", "CreateToken", `{"TokenId":"t-1",`, "parse response"},
		{"not JSON", "CreateToken", `<html><body>502</body></html>`, "parse response"},
		{"trailing data", "CreateToken", `{} {}`, "parse response"},
		{"an array body", "CreateToken", `[1]`, "not a JSON object"},
		{"a null body", "CreateToken", `null`, "not a JSON object"},
		{"a string where a list is modeled", "ListTokens", `{"Tokens":"abc"}`, "ListTokensResponse.Tokens: want a JSON array, got a string"},
		{"a list where a structure is modeled", "ListTokens", `{"Tokens":[[1]]}`, "ListTokensResponse.Tokens[0]: want a JSON object, got an array"},
		{"a number beyond float range", "ListTokens", `{"Tokens":[{"TokenId":1e400}]}`, "ListTokensResponse.Tokens[0].TokenId: number 1e400 is out of range"},
		{"invalid UTF-8", "CreateToken", "{\"TokenId\":\"\xff\"}", "not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := FromResponse([]byte(tt.body), outputShape(t, tt.op))
			if err == nil {
				t.Fatalf("FromResponse(%q) = %v, want an error", tt.body, compact(t, got))
			}
			if !strings.Contains(err.Error(), tt.wantInErr) {
				t.Errorf("FromResponse(%q) error = %q, want it to contain %q", tt.body, err, tt.wantInErr)
			}
		})
	}
}
