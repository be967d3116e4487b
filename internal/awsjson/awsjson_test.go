package awsjson

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type filter struct {
	Name   *string  `json:"Name"`
	Values []string `json:"Values"`
}

type input struct {
	LicenseArn *string  `json:"LicenseArn"`
	RoleArns   []string `json:"RoleArns"`
	Days       *int64   `json:"ExpirationInDays"`
	Small      *int32   `json:"Small"`
	DryRun     *bool    `json:"DryRun"`
	Filters    []filter `json:"Filters"`
}

func ptr[T any](v T) *T { return &v }

func TestDecode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want input
	}{
		{"empty body is an empty object", "", input{}},
		{"white space body is an empty object", " \n", input{}},
		{"nulls count as absent", `{"LicenseArn":null,"RoleArns":null,"ExpirationInDays":null}`, input{}},
		{"unknown members are ignored", `{"LicenseArn":"a","ExpirationDays":30,"Future":{"x":[1]}}`, input{LicenseArn: ptr("a")}},
		{"names match case-sensitively", `{"licensearn":"a","LICENSEARN":"b"}`, input{}},
		{"empty lists stay empty", `{"RoleArns":[]}`, input{RoleArns: []string{}}},
		{"nested structures", `{"Filters":[{"Name":"LicenseArns","Values":["x"],"Other":1}]}`,
			input{Filters: []filter{{Name: ptr("LicenseArns"), Values: []string{"x"}}}}},
		{"surrogate pairs decode to one code point", `{"RoleArns":["\u00e9quipe-\u03b1","\ud83d\udd11"]}`,
			input{RoleArns: []string{"équipe-α", "🔑"}}},
		{"an escaped backslash before u is not an escape", `{"LicenseArn":"\\ud800"}`, input{LicenseArn: ptr(`\ud800`)}},
		{"nesting up to the limit", `{"X":` + strings.Repeat("[", 31) + strings.Repeat("]", 31) + `}`, input{}},
		{"integers and booleans", `{"ExpirationInDays":30,"DryRun":true}`, input{Days: ptr(int64(30)), DryRun: ptr(true)}},
	}
	for _, tt := range tests {
		var got input
		if err := Decode([]byte(tt.body), &got); err != nil {
			t.Errorf("%s: Decode(%q) = %v", tt.name, tt.body, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: Decode(%q) mismatch (-want +got):\n%s", tt.name, tt.body, diff)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body, wantInMessage string
	}{
		// BR-28: a duplicated member must not let validation and use see
		// different values.
		{"duplicate member", `{"LicenseArn":"a","LicenseArn":"b"}`, "duplicate member LicenseArn"},
		{"duplicate nested member", `{"Filters":[{"Name":"a","Name":"b"}]}`, "duplicate member Filters[0].Name"},
		{"duplicate unknown member", `{"X":1,"X":2}`, "duplicate member X"},
		// BR-06e: a number sent as a string is named, never defaulted.
		{"number as string", `{"ExpirationInDays":"30"}`, "member ExpirationInDays: expected an integer, got a string"},
		{"fraction", `{"ExpirationInDays":30.5}`, "member ExpirationInDays: expected an integer, got 30.5"},
		{"exponent", `{"ExpirationInDays":1e2}`, "expected an integer, got 1e2"},
		{"out of int64 range", `{"ExpirationInDays":99999999999999999999}`, "out of range"},
		{"out of int32 range", `{"Small":3000000000}`, "out of range"},
		{"string as list", `{"RoleArns":"a"}`, "member RoleArns: expected a JSON array, got a string"},
		{"number in list", `{"RoleArns":["a",1]}`, "member RoleArns[1]: expected a string, got a number"},
		{"boolean as string", `{"DryRun":"true"}`, "member DryRun: expected a boolean, got a string"},
		{"object expected", `{"Filters":[1]}`, "member Filters[0]: expected a JSON object, got a number"},
		{"array body", `[1]`, "must be a JSON object"},
		{"string body", `"x"`, "must be a JSON object"},
		{"truncated", `{"LicenseArn":"a",`, "not valid JSON"},
		{"trailing data", `{} {}`, "unexpected data"},
		{"garbage", `<html>`, "not valid JSON"},
		// A null element is not a string: only members may be null.
		{"null in a list", `{"RoleArns":["a",null]}`, "member RoleArns[1]: expected a string, got null"},
		{"null object in a list", `{"Filters":[null]}`, "member Filters[0]: expected a JSON object, got null"},
		// Two different strings must never decode to one.
		{"lone high surrogate", `{"LicenseArn":"s\ud800"}`, "unpaired UTF-16 surrogate"},
		{"lone low surrogate", `{"LicenseArn":"s\udfff"}`, "unpaired UTF-16 surrogate"},
		{"reversed surrogates", `{"LicenseArn":"\udd11\ud83d"}`, "unpaired UTF-16 surrogate"},
		{"byte order mark", "\xef\xbb\xbf{}", "byte order mark"},
		{"invalid UTF-8", "{\"LicenseArn\":\"a\xff\xfe\"}", "not valid UTF-8"},
		{"too deep", `{"X":` + strings.Repeat("[", 33) + strings.Repeat("]", 33) + `}`, "deeper than 32 levels"},
		{"far too deep", `{"X":` + strings.Repeat("[", 200000) + strings.Repeat("]", 200000) + `}`, "deeper than 32 levels"},
	}
	for _, tt := range tests {
		var got input
		err := Decode([]byte(tt.body), &got)
		if err == nil {
			t.Errorf("%s: Decode(%q) succeeded, want SerializationException", tt.name, tt.body)
			continue
		}
		if err.Code != SerializationException || err.Status != 400 {
			t.Errorf("%s: Decode(%q) = %s (%d), want SerializationException (400)", tt.name, tt.body, err.Code, err.Status)
		}
		if !strings.Contains(err.Message, tt.wantInMessage) {
			t.Errorf("%s: Decode(%q) message %q, want it to contain %q", tt.name, tt.body, err.Message, tt.wantInMessage)
		}
	}
}

func TestWriteError(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	WriteError(rec, Errorf("ResourceNotFoundException", "token %s not found", "t-1"))
	if rec.Code != 400 {
		t.Errorf("status = %d, want 400", rec.Code)
	}
	if got := rec.Header().Get("Content-Type"); got != ContentType {
		t.Errorf("Content-Type = %q, want %q", got, ContentType)
	}
	want := `{"__type":"ResourceNotFoundException","Message":"token t-1 not found"}`
	if got := rec.Body.String(); got != want {
		t.Errorf("body = %s, want %s", got, want)
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{}`, `{"LicenseArn":"a","RoleArns":["b"]}`, `{"Filters":[{"Name":"x"}]}`, `[`, `{"a":{"a":1,"a":2}}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		var in input
		if err := Decode([]byte(body), &in); err != nil && err.Code != SerializationException {
			t.Errorf("Decode(%q) = %v, want nil or SerializationException", body, err)
		}
	})
}
