package param

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
)

const br01JSON = `{"LicenseArn":"` + lic + `","RoleArns":["` + r1 + `","` + r2 + `"],"ExpirationInDays":7,"ClientToken":"ct-br01"}`

const br07YAML = "LicenseArn: " + lic + "\nClientToken: ct-br07\n" +
	"TokenProperties: [\"équipe-α\", \"東京\", \"🔑\"]\n# délai: 30 jours\n"

const br07JSON = `{"LicenseArn":"` + lic + `","ClientToken":"ct-br07","TokenProperties":["\u00e9quipe-\u03b1","東京","\ud83d\udd11"]}`

const br07Want = `{"LicenseArn":"` + lic + `","TokenProperties":["équipe-α","東京","🔑"],"ClientToken":"ct-br07"}`

func utf16LE(s string, bom bool) []byte {
	var b []byte
	if bom {
		b = append(b, 0xFF, 0xFE)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

func TestCLIInput(t *testing.T) {
	t.Parallel()
	br01YAML := "LicenseArn: " + lic + "\nRoleArns:\n- " + r1 + "\n- " + r2 + "\nExpirationInDays: 7\nClientToken: ct-br01\n"
	for _, tc := range []struct {
		name  string
		op    string            // CreateToken if empty
		files map[string][]byte // written to a temporary directory; "@" in args stands for it
		args  []string
		want  string
	}{
		{"BR-01 an option replaces the document's list", "", map[string][]byte{"in.json": []byte(br01JSON)},
			[]string{"--cli-input-json", "file://@/in.json", "--role-arns", "arn:aws:iam::123456789012:role/CI"},
			`{"LicenseArn":"` + lic + `","RoleArns":["arn:aws:iam::123456789012:role/CI"],"ExpirationInDays":7,"ClientToken":"ct-br01"}`},
		{"BR-01 the same for YAML and token properties", "", map[string][]byte{"in.yaml": []byte(br01YAML + "TokenProperties: [a, b]\n")},
			[]string{"--token-properties", "c", "--cli-input-yaml", "file://@/in.yaml"},
			`{"LicenseArn":"` + lic + `","RoleArns":["` + r1 + `","` + r2 + `"],"ExpirationInDays":7,"TokenProperties":["c"],"ClientToken":"ct-br01"}`},
		{"a document supplies required members", "", nil,
			[]string{"--cli-input-json", `{"LicenseArn":"L"}`, "--client-token", "c"},
			`{"LicenseArn":"L","ClientToken":"c"}`},
		{"BR-07 non-ASCII YAML file", "", map[string][]byte{"in.yaml": []byte(br07YAML)},
			[]string{"--cli-input-yaml", "file://@/in.yaml"}, br07Want},
		{"BR-07 surrogate pairs in JSON escapes", "", nil,
			[]string{"--cli-input-json", br07JSON}, br07Want},
		{"BR-07a UTF-8 byte order mark is dropped", "", map[string][]byte{"in.json": []byte("\uFEFF" + br07JSON)},
			[]string{"--cli-input-json", "file://@/in.json"}, br07Want},
		{"byte order mark in YAML too", "", map[string][]byte{"in.yaml": []byte("\uFEFF" + br07YAML)},
			[]string{"--cli-input-yaml", "file://@/in.yaml"}, br07Want},
		{"BR-10a empty lists are sent as empty lists", "", nil,
			[]string{"--cli-input-json", `{"LicenseArn":"` + lic + `","ClientToken":"ct-br10","RoleArns":[],"TokenProperties":[]}`},
			`{"LicenseArn":"` + lic + `","RoleArns":[],"TokenProperties":[],"ClientToken":"ct-br10"}`},
		{"BR-10b unedited skeleton is sent verbatim", "", nil,
			[]string{"--cli-input-json", `{"LicenseArn":"","RoleArns":[""],"ExpirationInDays":0,"TokenProperties":[""],"ClientToken":""}`},
			`{"LicenseArn":"","RoleArns":[""],"ExpirationInDays":0,"TokenProperties":[""],"ClientToken":""}`},
		{"YAML anchors, aliases and merge keys", "ListTokens", nil,
			[]string{"--cli-input-yaml", "x: &f {Name: LicenseArns, Values: [a]}\n" +
				"Filters:\n- *f\n- <<: *f\n  Values: [b]\n", "--generate-cli-skeleton"},
			`{"Filters":[{"Name":"LicenseArns","Values":["a"]},{"Name":"LicenseArns","Values":["b"]}],"x":{"Name":"LicenseArns","Values":["a"]}}`},
		{"YAML 1.2 words stay strings", "", nil,
			[]string{"--cli-input-yaml", "LicenseArn: yes\nClientToken: 'on'\nTokenProperties: [no, ~x, v1.0]\n"},
			`{"LicenseArn":"yes","TokenProperties":["no","~x","v1.0"],"ClientToken":"on"}`},
		{"$VAR and ~ expand in file paths", "", map[string][]byte{"in.json": []byte(`{"LicenseArn":"L","ClientToken":"c"}`)},
			[]string{"--cli-input-json", "file://$TESTDIR/in.json"}, `{"LicenseArn":"L","ClientToken":"c"}`},
		{"file:// value of a scalar option", "", map[string][]byte{"arn.txt": []byte(lic)},
			[]string{"--license-arn", "file://@/arn.txt", "--client-token", "c"}, `{"LicenseArn":"` + lic + `","ClientToken":"c"}`},
		{"file:// value of a list option holding JSON", "", map[string][]byte{"roles.json": []byte(`["` + r1 + `"]`)},
			[]string{"--license-arn", "L", "--client-token", "c", "--role-arns", "file://@/roles.json"},
			`{"LicenseArn":"L","RoleArns":["` + r1 + `"],"ClientToken":"c"}`},
		{"@= reads a file inside shorthand", "ListTokens", map[string][]byte{"v.txt": []byte("from-file")},
			[]string{"--filters", "Name=n,Values@=file://@/v.txt"},
			`{"Filters":[{"Name":"n","Values":["from-file"]}]}`},
		// As the aws CLI (v1 and v2) reads a file given to a list of
		// strings that is not a JSON list.
		{"file:// plain text of a string list gives its characters", "ListLicenses", map[string][]byte{"arns.txt": []byte("a b")},
			[]string{"--license-arns", "file://@/arns.txt"},
			`{"LicenseArns":["a"," ","b"]}`},
		{"file:// JSON list after white space", "ListLicenses", map[string][]byte{"arns.json": []byte("\n [\"a\", \"b\"]")},
			[]string{"--license-arns", "file://@/arns.json"},
			`{"LicenseArns":["a","b"]}`},
		{"nested members of a document in model order", "CheckoutBorrowLicense", nil,
			[]string{"--cli-input-json", `{"ClientToken":"c","Entitlements":[{"Unit":"Count","Name":"Seats"}],` +
				`"CheckoutMetadata":[{"Value":"v","Name":"n"}],"LicenseArn":"L","DigitalSignatureMethod":"JWT_PS384"}`},
			`{"LicenseArn":"L","Entitlements":[{"Name":"Seats","Unit":"Count"}],"DigitalSignatureMethod":"JWT_PS384",` +
				`"CheckoutMetadata":[{"Name":"n","Value":"v"}],"ClientToken":"c"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for name, data := range tc.files {
				writeAt(t, dir, name, data)
			}
			args := make([]string, len(tc.args))
			for i, a := range tc.args {
				args[i] = strings.ReplaceAll(a, "file://@", "file://"+dir)
			}
			op := tc.op
			if op == "" {
				op = "CreateToken"
			}
			env := Env{LookupEnv: func(k string) (string, bool) {
				if k == "TESTDIR" {
					return dir, true
				}
				return "", false
			}}
			req, err := Parse(lmOp(t, op), args, env)
			if err != nil {
				t.Fatalf("Parse(%q) error: %v", args, err)
			}
			if diff := cmp.Diff(tc.want, docJSON(t, req.Params)); diff != "" {
				t.Errorf("Parse(%q) (-want +got):\n%s", args, diff)
			}
		})
	}
}

func TestCLIInputErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		files map[string][]byte
		args  []string
		want  []string // each must appear in the message
	}{
		{"BR-02a bare file name", map[string][]byte{"in.json": []byte("{}")},
			[]string{"--cli-input-json", "in.json"},
			[]string{"Error parsing parameter 'cli-input-json': Invalid JSON: Expecting value: line 1 column 1 (char 0)", "JSON received: in.json", "file://in.json"}},
		{"BR-02b missing file", nil,
			[]string{"--cli-input-json", "file://does-not-exist.json"},
			[]string{"Unable to load paramfile file://does-not-exist.json: [Errno 2] No such file or directory: 'does-not-exist.json'"}},
		{"BR-02c a list, not an object", nil,
			[]string{"--cli-input-json", "[1]"},
			[]string{"Error parsing parameter '--cli-input-json': Invalid type: expecting a JSON object, received array"}},
		{"a YAML sequence, not a mapping", nil,
			[]string{"--cli-input-yaml", "- a"},
			[]string{"Error parsing parameter '--cli-input-yaml': Invalid type: expecting a YAML mapping, received sequence"}},
		{"an empty YAML document", nil,
			[]string{"--cli-input-yaml", "# nothing"},
			[]string{"expecting a YAML mapping, received null"}},
		// Few nodes, long strings: the alias budget counts bytes too.
		{"YAML aliases of a long string", nil,
			[]string{"--cli-input-yaml", longStringLaughs()},
			[]string{"document expands to too many values through its aliases"}},
		{"a YAML alias inside the node it names", nil,
			[]string{"--cli-input-yaml", "a: &x [*x]"},
			[]string{"line 1: alias *x is inside the node it names"}},
		{"a YAML alias inside the mapping it names", nil,
			[]string{"--cli-input-yaml", "a: &m {b: *m}"},
			[]string{"line 1: alias *m is inside the node it names"}},
		// Nine aliases of the level below, eight levels deep: 43 million
		// values from a few hundred bytes.
		{"YAML billion laughs", nil,
			[]string{"--cli-input-yaml", laughs(8)},
			[]string{"document expands to too many values through its aliases"}},
		{"YAML nested too deep", nil,
			[]string{"--cli-input-yaml", "a: " + strings.Repeat("[", 101) + strings.Repeat("]", 101)},
			[]string{"deeper than 100 levels"}},
		{"JSON nested too deep", nil,
			[]string{"--cli-input-json", `{"RoleArns":` + strings.Repeat("[", 200000) + strings.Repeat("]", 200000) + `}`},
			[]string{"deeper than 100 levels"}},
		{"BR-02d both documents", nil,
			[]string{"--cli-input-json", "{}", "--cli-input-yaml", "a: 1"},
			[]string{"Only one --cli-input- parameter may be specified"}},
		{"broken YAML", nil,
			[]string{"--cli-input-yaml", "a: [1"},
			[]string{"Error parsing parameter '--cli-input-yaml': Invalid YAML:", "YAML received: a: [1"}},
		{"BR-05 nulls, one line each", nil,
			[]string{"--cli-input-json", `{"LicenseArn":"` + lic + `","ClientToken":"ct-br05","RoleArns":null,"ExpirationInDays":null,"TokenProperties":null}`},
			[]string{"Parameter validation failed:\n" +
				"Invalid type for parameter RoleArns, value: null, type: null, valid types: array\n" +
				"Invalid type for parameter ExpirationInDays, value: null, type: null, valid types: integer\n" +
				"Invalid type for parameter TokenProperties, value: null, type: null, valid types: array"}},
		{"BR-06a number given as a string", nil,
			[]string{"--cli-input-json", `{"LicenseArn":"` + lic + `","ClientToken":"ct-br06","ExpirationInDays":"30"}`},
			[]string{"Parameter validation failed:\nInvalid type for parameter ExpirationInDays, value: 30, type: string, valid types: integer"}},
		{"other type mismatches, all reported", nil,
			[]string{"--cli-input-json", `{"LicenseArn":5,"ClientToken":"c","ExpirationInDays":1.5,"RoleArns":"r","TokenProperties":[true]}`},
			[]string{"Parameter validation failed:\n" +
				"Invalid type for parameter LicenseArn, value: 5, type: integer, valid types: string\n" +
				"Invalid type for parameter RoleArns, value: r, type: string, valid types: array\n" +
				"Invalid type for parameter ExpirationInDays, value: 1.5, type: number, valid types: integer\n" +
				"Invalid type for parameter TokenProperties[0], value: true, type: boolean, valid types: string"}},
		{"BR-06f misspelt key lists the valid names", nil,
			[]string{"--cli-input-json", `{"LicenseArn":"` + lic + `","ClientToken":"ct-br06f","ExpirationDays":30}`},
			[]string{"Parameter validation failed:\nUnknown parameter in input: \"ExpirationDays\", must be one of: " +
				"LicenseArn, RoleArns, ExpirationInDays, TokenProperties, ClientToken"}},
		{"required member missing from the merged input", nil,
			[]string{"--cli-input-json", `{"ClientToken":"c"}`},
			[]string{"Parameter validation failed:\nMissing required parameter in input: \"LicenseArn\""}},
		{"BR-07b UTF-16 with a byte order mark", map[string][]byte{"in.json": utf16LE(br07JSON, true)},
			[]string{"--cli-input-json", "file://@/in.json"},
			[]string{"Unable to load paramfile file://", "encoded as UTF-16LE"}},
		{"UTF-16 without a byte order mark", map[string][]byte{"in.json": utf16LE(br07JSON, false)},
			[]string{"--cli-input-json", "file://@/in.json"},
			[]string{"appears to be encoded as UTF-16LE"}},
		{"UTF-32 big-endian", map[string][]byte{"in.yaml": {0, 0, 0xFE, 0xFF, 0, 0, 0, 'a'}},
			[]string{"--cli-input-yaml", "file://@/in.yaml"},
			[]string{"encoded as UTF-32BE"}},
		{"Latin-1 text", map[string][]byte{"in.json": []byte("{\"LicenseArn\":\"\xe9\"}")},
			[]string{"--cli-input-json", "file://@/in.json"},
			[]string{"could not be decoded as UTF-8", "fileb://"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for name, data := range tc.files {
				writeAt(t, dir, name, data)
			}
			args := make([]string, len(tc.args))
			for i, a := range tc.args {
				args[i] = strings.ReplaceAll(a, "file://@", "file://"+dir)
			}
			_, err := Parse(lmOp(t, "CreateToken"), args, Env{})
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindParam {
				t.Fatalf("Parse(%q) error = %#v, want a parameter *Error", args, err)
			}
			for _, w := range tc.want {
				if !strings.Contains(e.Msg, w) {
					t.Errorf("Parse(%q) message:\n%s\nwant it to contain:\n%s", args, e.Msg, w)
				}
			}
			if strings.ContainsRune(e.Msg, '\uFFFD') {
				t.Errorf("message holds replacement characters: %q", e.Msg)
			}
		})
	}
}

// longStringLaughs is a 10 kB YAML document whose aliases expand a
// 10,000-character string ten thousand times: 100 MB.
func longStringLaughs() string {
	var b strings.Builder
	b.WriteString("a: &a \"" + strings.Repeat("x", 10000) + "\"\n")
	prev := "a"
	for _, name := range []string{"b", "c", "d", "e"} {
		b.WriteString(name + ": &" + name + " [" + strings.Repeat("*"+prev+",", 9) + "*" + prev + "]\n")
		prev = name
	}
	b.WriteString("RoleArns: *e\n")
	return b.String()
}

// laughs returns a document of levels levels of nine aliases each.
func laughs(levels int) string {
	var b strings.Builder
	b.WriteString("l0: &l0 lol\n")
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, "l%d: &l%d [%s*l%d]\n", i, i, strings.Repeat(fmt.Sprintf("*l%d, ", i-1), 8), i-1)
	}
	fmt.Fprintf(&b, "RoleArns: *l%d\n", levels)
	return b.String()
}

// A file named as the only value of a list option holds one value, which
// the aws CLI reads as JSON, shorthand or characters; these it refuses.
func TestFileListErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		files map[string][]byte
		args  []string
		want  string
	}{
		// The aws CLI takes the text as one shorthand item and does not
		// wrap it in a list.
		{"file:// shorthand for a list of structures", map[string][]byte{"f.txt": []byte("Name=Status,Values=AVAILABLE")},
			[]string{"--filters", "file://@/f.txt"},
			"Parameter validation failed:\nInvalid type for parameter Filters, " +
				`value: {"Name":"Status","Values":"AVAILABLE"}, type: object, valid types: array`},
		{"file:// JSON object for a list of structures", map[string][]byte{"f.json": []byte(`{"Name":"Status"}`)},
			[]string{"--filters", "file://@/f.json"},
			"Error parsing parameter '--filters': Invalid JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)\nJSON received: {"},
		{"file:// with only white space for a string list", map[string][]byte{"arns.txt": []byte(" \n")},
			[]string{"--license-arns", "file://@/arns.txt"},
			"Error parsing parameter '--license-arns': the file holds no value: write the list in it as JSON, such as [\"a\", \"b\"]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for name, data := range tc.files {
				writeAt(t, dir, name, data)
			}
			args := make([]string, len(tc.args))
			for i, a := range tc.args {
				args[i] = strings.ReplaceAll(a, "file://@", "file://"+dir)
			}
			_, err := Parse(lmOp(t, "ListLicenses"), args, Env{})
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindParam {
				t.Fatalf("Parse(%q) error = %#v, want a parameter *Error", args, err)
			}
			if diff := cmp.Diff(tc.want, e.Msg); diff != "" {
				t.Errorf("Parse(%q) message (-want +got):\n%s", args, diff)
			}
		})
	}
}
