package param

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/license-manager/license-manager/internal/model"
)

// The expected values (and, below, error locations) were produced by awscli's own ShorthandParser
// (aws CLI 1.45, whose grammar v2 shares) on the same inputs.
func TestParseShorthandLikeAWS(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want, wantErr string
	}{
		{"a=b", "{\"a\":\"b\"}", ""},
		{"a=b,c=d", "{\"a\":\"b\",\"c\":\"d\"}", ""},
		{"a=b,c,d=e", "{\"a\":[\"b\",\"c\"],\"d\":\"e\"}", ""},
		{"a=b,c", "{\"a\":[\"b\",\"c\"]}", ""},
		{"a = b , c = d", "{\"a\":\"b\",\"c\":\"d\"}", ""},
		{"a=", "{\"a\":\"\"}", ""},
		{"a=[]", "{\"a\":[]}", ""},
		{"a=[b,c]", "{\"a\":[\"b\",\"c\"]}", ""},
		{"a=[b, [c,d], {e=f}]", "{\"a\":[\"b\",[\"c\",\"d\"],{\"e\":\"f\"}]}", ""},
		{"a={b=c,d=[e,f]}", "{\"a\":{\"b\":\"c\",\"d\":[\"e\",\"f\"]}}", ""},
		{"a='b,c'", "{\"a\":\"b,c\"}", ""},
		{"a=\"b,\\\"c\"", "{\"a\":\"b,\\\"c\"}", ""},
		{"a=b\\,c", "{\"a\":\"b,c\"}", ""},
		{"a=b=c", "{\"a\":\"b=c\"}", ""},
		{"a=foo bar", "{\"a\":\"foo bar\"}", ""},
		{"a=b ,c", "{\"a\":[\"b\",\"c\"]}", ""},
		{"a=[b,]", "{\"a\":[\"b\"]}", ""},
		{"Name=LicenseArns,Values=arn:aws:x,y", "{\"Name\":\"LicenseArns\",\"Values\":[\"arn:aws:x\",\"y\"]}", ""},
		{"a='it\\'s'", "{\"a\":\"it's\"}", ""},
		{"a=\\\\", "{\"a\":\"\\\\\\\\\"}", ""},
		{"k.#/:-_=v", "{\"k.#/:-_\":\"v\"}", ""},
		{"a=b,a=c", "", "Second instance of key \"a\" encountered"},
		{"a", "", "Expected: '=', received: 'EOF'"},
		{"a=b,", "", "Expected: '<second>', received: '<none>'"},
		{"=b", "{\"\":\"b\"}", ""},
		{"a=[b", "", "Expected: ',', received: 'EOF'"},
		{"a={b=c", "", "Expected: ',', received: 'EOF'"},
		{"a=b,c=", "{\"a\":\"b\",\"c\":\"\"}", ""},
		{"a=é,ü=x", "", "Expected: '=', received: 'ü'"},
		{"a=東京", "{\"a\":\"東京\"}", ""},
		{"a=b\n,c=d", "{\"a\":\"b\",\"c\":\"d\"}", ""},
		{"a='x", "", "Expected: '<singled quoted>', received: '<none>'"},
		{"a=[b]c", "", "Expected: ',', received: 'c'"},
		{"a={}", "{\"a\":{}}", ""},
		{"a=1,2,3", "{\"a\":[\"1\",\"2\",\"3\"]}", ""},
		{"a=[b,c],d=e", "{\"a\":[\"b\",\"c\"],\"d\":\"e\"}", ""},
		{"a=b, c=d", "{\"a\":\"b\",\"c\":\"d\"}", ""},
		{"a=\"\"", "{\"a\":\"\"}", ""},
		{"a=b,,c", "", "Expected: '=', received: 'EOF'"},
	} {
		got, err := parseShorthand(tc.in, nil)
		if tc.wantErr != "" {
			if err == nil || !strings.HasPrefix(err.Error(), tc.wantErr) {
				t.Errorf("parseShorthand(%q) error = %v, want one starting %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseShorthand(%q) error: %v", tc.in, err)
			continue
		}
		b, err := json.Marshal(got)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tc.want {
			t.Errorf("parseShorthand(%q) = %s, want %s", tc.in, b, tc.want)
		}
	}
}

func TestShorthandErrorPointsAtTheMistake(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in, want string
	}{
		{"missing equals sign", "Name", "Expected: '=', received: 'EOF' for input:\nName\n    ^"},
		{"duplicate key", "Name=a,Name=b", "Second instance of key \"Name\" encountered for input:\nName=a,Name=b\n       ^\n" +
			"This is often because there is a preceding \",\" instead of a space."},
		{"caret under the line of the mistake", "a=x,\nb{=c\nd=e", "Expected: '=', received: '{' for input:\na=x,\nb{=c\n ^\nd=e"},
		{"caret after the last line", "a=b,\nc=[d\ne=f", "Expected: ',', received: 'EOF' for input:\na=b,\nc=[d\ne=f\n   ^"},
		{"counted in characters, not bytes", "é=1", "Expected: '=', received: 'é' for input:\né=1\n^"},
	} {
		_, err := parseShorthand(tc.in, nil)
		if err == nil {
			t.Errorf("%s: parseShorthand(%q) succeeded", tc.name, tc.in)
			continue
		}
		if diff := cmp.Diff(tc.want, err.Error()); diff != "" {
			t.Errorf("%s: parseShorthand(%q) error (-want +got):\n%s", tc.name, tc.in, diff)
		}
	}
}

func TestTypeShorthand(t *testing.T) {
	t.Parallel()
	entitlements := model.LicenseManager().Operation("CreateLicense").Input.MemberByName("Entitlements").Shape
	for _, tc := range []struct {
		name, in, want string
	}{
		{"numbers and booleans by the model", "Name=a,Unit=Count,MaxCount=10,Overage=False,AllowCheckIn=true",
			`[{"Name":"a","Unit":"Count","MaxCount":10,"Overage":false,"AllowCheckIn":true}]`},
		{"a boolean that is not a word stays a string for validation", "Name=a,Unit=None,Overage=maybe",
			`[{"Name":"a","Unit":"None","Overage":"maybe"}]`},
		{"unknown keys are kept for validation", "Name=a,Unit=None,Colour=blue",
			`[{"Name":"a","Unit":"None","Colour":"blue"}]`},
		{"numbers stay text where the model wants text", "Name=1,Unit=None,Value=2",
			`[{"Name":"1","Unit":"None","Value":"2"}]`},
	} {
		parsed, err := parseShorthand(tc.in, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := typeShorthand([]any{parsed}, entitlements)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		b, _ := json.Marshal(got)
		if string(b) != tc.want {
			t.Errorf("%s: typeShorthand(%q) = %s, want %s", tc.name, tc.in, b, tc.want)
		}
	}
}

func FuzzParseShorthand(f *testing.F) {
	for _, s := range []string{"a=b", "Name=x,Values=a,b", "a=[b,{c=d}]", "a='x\\'y'", `a="x\"y"`,
		"a=b\\,c", "a=b,,c", "a={b=[c,d],e=f}", "a@=file://x", "é=\n^", "a=[[[", "a={{{"} {
		f.Add(s)
	}
	shape := model.LicenseManager().Operation("CreateLicense").Input
	f.Fuzz(func(t *testing.T, s string) {
		o, err := parseShorthand(s, func(v string) (string, error) { return v, nil })
		if err != nil {
			return
		}
		if _, err := json.Marshal(o); err != nil {
			t.Fatalf("parseShorthand(%q) gave a value JSON cannot hold: %v", s, err)
		}
		_, _ = typeShorthand(o, shape)
	})
}
