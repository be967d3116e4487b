package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"

	"github.com/license-manager/license-manager/internal/cli"
	"github.com/license-manager/license-manager/internal/cli/jsondoc"
	"github.com/license-manager/license-manager/internal/cli/param"
	"github.com/license-manager/license-manager/internal/model"
	"github.com/license-manager/license-manager/internal/server"
)

// The exit codes of the installed aws CLI v1 when it refuses a command line
// before sending anything: argparse's own errors (a missing or malformed
// option) exit 2, everything else (a value that does not parse, validation,
// unknown options) 255. We exit 252 for all of them, as aws CLI v2 does
// (docs/cli.md, "Exit codes").
const (
	awsArgparseExit = 2
	awsParamExit    = 255
)

// argRecorder is a License Manager endpoint that records each request's
// target and body and answers {}: enough for a client to finish the call,
// and for a test to see exactly what it sent.
type argRecorder struct {
	url  string
	mu   sync.Mutex
	reqs []recorded
}

type recorded struct {
	target string
	body   []byte
}

func newArgRecorder(t *testing.T) *argRecorder {
	t.Helper()
	rec := &argRecorder{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, recorded{target: r.Header.Get("X-Amz-Target"), body: body})
		rec.mu.Unlock()
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		io.WriteString(w, "{}")
	}))
	t.Cleanup(srv.Close)
	rec.url = srv.URL
	return rec
}

// requests returns what reached the recorder so far.
func (r *argRecorder) requests() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.reqs)
}

// only returns the body of the one request that reached the recorder,
// failing the test unless there was exactly one, for op.
func (r *argRecorder) only(t *testing.T, who string, op *model.Operation) []byte {
	t.Helper()
	reqs := r.requests()
	if len(reqs) != 1 {
		t.Fatalf("%s sent %d requests, want 1", who, len(reqs))
	}
	want := model.LicenseManager().Metadata.TargetPrefix + "." + op.Name
	if reqs[0].target != want {
		t.Errorf("%s sent X-Amz-Target %q, want %q", who, reqs[0].target, want)
	}
	return reqs[0].body
}

// argsCase is one command line, given to the aws CLI and to ours.
type argsCase struct {
	name string
	// args is the command and its options. "@/" in an argument stands for
	// the directory the case's files are written to.
	args []string
	// ours, when set, is our command line where it differs on purpose:
	// --cli-input-yaml, which aws CLI v1 lacks (docs/cli.md follows v2),
	// against the same document as JSON for the aws CLI.
	ours  []string
	files map[string]string
	// awsExit is 0 when the aws CLI sends the request, else the exit code
	// with which it refuses the command line; we must refuse it too.
	awsExit int
}

// Shared values of the cases.
const (
	validity   = "Begin=2026-01-01T00:00:00Z,End=2027-01-01T00:00:00Z"
	consumeCfg = "RenewType=None,ProvisionalConfiguration={MaxTimeToLiveInMinutes=60}," +
		"BorrowConfiguration={AllowEarlyCheckIn=true,MaxTimeToLiveInMinutes=1440}"
	buyer = "111122223333"
)

// licenseJSON is a CreateLicense document with every member, nested
// members out of model order, as a user might write it.
const licenseJSON = `{
  "ClientToken": "ct-doc",
  "LicenseName": "Acme Pro", "ProductName": "Acme", "ProductSKU": "SKU-1",
  "Issuer": {"SignKey": "k1", "Name": "Acme"},
  "HomeRegion": "us-east-1",
  "Validity": {"End": "2027-01-01T00:00:00Z", "Begin": "2026-01-01T00:00:00Z"},
  "Entitlements": [
    {"Unit": "Count", "MaxCount": 9223372036854775807, "Name": "Seats", "Overage": false, "AllowCheckIn": true},
    {"Value": "enabled", "Name": "Pro", "Unit": "None"}
  ],
  "Beneficiary": "111122223333",
  "ConsumptionConfiguration": {
    "BorrowConfiguration": {"MaxTimeToLiveInMinutes": 1440, "AllowEarlyCheckIn": true},
    "ProvisionalConfiguration": {"MaxTimeToLiveInMinutes": 60},
    "RenewType": "Monthly"
  },
  "LicenseMetadata": [{"Value": "b", "Name": "a"}],
  "Tags": [{"Value": "v", "Key": "k"}]
}`

// licenseYAML is licenseJSON in YAML.
const licenseYAML = `ClientToken: ct-doc
LicenseName: Acme Pro
ProductName: Acme
ProductSKU: SKU-1
Issuer: {SignKey: k1, Name: Acme}
HomeRegion: us-east-1
Validity:
  End: '2027-01-01T00:00:00Z'
  Begin: '2026-01-01T00:00:00Z'
Entitlements:
- {Unit: Count, MaxCount: 9223372036854775807, Name: Seats, Overage: false, AllowCheckIn: true}
- Value: enabled
  Name: Pro
  Unit: None
Beneficiary: '111122223333'
ConsumptionConfiguration:
  BorrowConfiguration: {MaxTimeToLiveInMinutes: 1440, AllowEarlyCheckIn: true}
  ProvisionalConfiguration: {MaxTimeToLiveInMinutes: 60}
  RenewType: Monthly
LicenseMetadata: [{Value: b, Name: a}]
Tags: [{Value: v, Key: k}]
`

// versionJSON is a CreateLicenseVersion document.
const versionJSON = `{"SourceVersion": "1", "Status": "AVAILABLE", "ClientToken": "ct-v2",
  "LicenseArn": "` + licL + `", "LicenseName": "Acme Pro", "ProductName": "Acme",
  "Issuer": {"Name": "Acme"}, "HomeRegion": "us-east-1",
  "Validity": {"Begin": "2026-01-01T00:00:00+02:00"},
  "LicenseMetadata": [], "Entitlements": [{"Unit": "Count", "Name": "Seats", "MaxCount": 20}],
  "ConsumptionConfiguration": {"ProvisionalConfiguration": {"MaxTimeToLiveInMinutes": 30}}}`

const versionYAML = `SourceVersion: '1'
Status: AVAILABLE
ClientToken: ct-v2
LicenseArn: ` + licL + `
LicenseName: Acme Pro
ProductName: Acme
Issuer:
  Name: Acme
HomeRegion: us-east-1
Validity: {Begin: '2026-01-01T00:00:00+02:00'}
LicenseMetadata: []
Entitlements:
- Unit: Count
  Name: Seats
  MaxCount: 20
ConsumptionConfiguration:
  ProvisionalConfiguration: {MaxTimeToLiveInMinutes: 30}
`

// borrowJSON is a CheckoutBorrowLicense document.
const borrowJSON = `{"ClientToken": "ct-b", "NodeId": "node-1",
  "CheckoutMetadata": [{"Value": "v", "Name": "host"}],
  "DigitalSignatureMethod": "JWT_PS384",
  "Entitlements": [{"Unit": "Count", "Value": "2", "Name": "Seats"}, {"Unit": "None", "Name": "Pro"}],
  "LicenseArn": "` + licL + `"}`

// createLicense is create-license with every required option but those
// named in except, in shorthand.
func createLicense(except ...string) []string {
	args := []string{"create-license"}
	for _, kv := range [][2]string{
		{"--license-name", "Acme Pro"}, {"--product-name", "Acme"}, {"--product-sku", "SKU-1"},
		{"--issuer", "Name=Acme"}, {"--home-region", "us-east-1"}, {"--validity", validity},
		{"--entitlements", "Name=Seats,Unit=Count,MaxCount=10"}, {"--beneficiary", buyer},
		{"--consumption-configuration", consumeCfg}, {"--client-token", "ct-1"},
	} {
		if !slices.Contains(except, kv[0]) {
			args = append(args, kv[0], kv[1])
		}
	}
	return args
}

// checkout is checkout-license with its required scalar options.
func checkout(args ...string) []string {
	return append([]string{"checkout-license", "--product-sku", "SKU-1", "--checkout-type", "PROVISIONAL",
		"--key-fingerprint", "aws:123456789012:Acme:issuer-fingerprint", "--client-token", "ct-co"}, args...)
}

// borrow is checkout-borrow-license with its required scalar options.
func borrow(args ...string) []string {
	return append([]string{"checkout-borrow-license", "--license-arn", licL,
		"--digital-signature-method", "JWT_PS384", "--client-token", "ct-b"}, args...)
}

// argsCases are the command lines of the license and consumption commands:
// for each command a full shorthand form, then JSON, file:// and input
// document forms of the nested options, then forms the aws CLI refuses.
var argsCases = []argsCase{
	// create-license
	{name: "create-license shorthand", args: slices.Concat(createLicense("--issuer", "--entitlements"), []string{
		"--issuer", "Name=Acme,SignKey=k1",
		"--entitlements", "Name=Seats,Unit=Count,MaxCount=10", "Name=Pro,Unit=None,Value=enabled",
		"--license-metadata", "Name=a,Value=b", "Name=tier,Value='gold, platinum'",
		"--tags", "Key=k,Value=v"})},
	{name: "create-license long MaxCount and booleans", args: slices.Concat(createLicense("--entitlements"), []string{
		"--entitlements", "Name=Seats,Unit=Count,MaxCount=9223372036854775807,Overage=True,AllowCheckIn=FALSE",
		"Name=Cores,Unit=Count,MaxCount=99999999999999999999,Overage=false", "Name=Bytes,Unit=Bytes,MaxCount= 1_000 "})},
	{name: "create-license JSON options", args: slices.Concat(createLicense("--issuer", "--validity", "--entitlements", "--consumption-configuration"), []string{
		"--issuer", `{"SignKey":"k1","Name":"Acme"}`,
		"--validity", ` {"End":"2027-01-01T00:00:00Z","Begin":"2026-01-01T00:00:00Z"}`,
		"--entitlements", `[{"Unit":"Count","Name":"Seats","MaxCount":10},{"Value":"enabled","Unit":"None","Name":"Pro"}]`,
		"--consumption-configuration", `{"BorrowConfiguration":{"MaxTimeToLiveInMinutes":1440,"AllowEarlyCheckIn":true},"RenewType":"Weekly"}`,
		"--license-metadata", `[{"Value":"b","Name":"a"}]`,
		"--tags", `{"Value":"v","Key":"k"}`, `{"Key":"k2"}`})},
	{name: "create-license entitlements as separate JSON objects", args: slices.Concat(createLicense("--entitlements"), []string{
		"--entitlements", `{"Unit":"Count","Name":"Seats","MaxCount":10}`, ` {"Name":"Pro","Unit":"None","Value":"enabled"}`})},
	{name: "create-license file:// options",
		args: slices.Concat(createLicense("--issuer", "--validity", "--entitlements", "--consumption-configuration"), []string{
			"--issuer", "file://@/issuer.txt", "--validity", "file://@/validity.json",
			"--entitlements", "file://@/entitlements.json", "--consumption-configuration", "file://@/consumption.txt",
			"--tags", "file://@/tags.json", "--license-metadata", "Name=notes,Value@=file://@/notes.txt"}),
		files: map[string]string{
			"issuer.txt":        "Name=Acme,SignKey=k1",
			"validity.json":     `{"Begin":"2026-01-01T00:00:00Z"}`,
			"entitlements.json": "\n[{\"Name\":\"Seats\",\"Unit\":\"Count\",\"MaxCount\":10}]\n",
			"consumption.txt":   consumeCfg,
			"tags.json":         `[{"Key":"k","Value":"v"}]`,
			"notes.txt":         "line one\nline two, with a comma",
		}},
	{name: "create-license --cli-input-json file", args: []string{"create-license", "--cli-input-json", "file://@/in.json"},
		files: map[string]string{"in.json": licenseJSON}},
	{name: "create-license --cli-input-yaml file",
		args:  []string{"create-license", "--cli-input-json", "file://@/in.json"},
		ours:  []string{"create-license", "--cli-input-yaml", "file://@/in.yaml"},
		files: map[string]string{"in.json": licenseJSON, "in.yaml": licenseYAML}},
	{name: "create-license options over the input document", args: []string{"create-license",
		"--entitlements", "Name=Seats,Unit=Count", "--tags", "Key=only,Value=this",
		"--consumption-configuration", "RenewType=Weekly", "--cli-input-json", licenseJSON}},
	{name: "create-license unknown shorthand key", awsExit: awsParamExit,
		args: slices.Concat(createLicense("--entitlements"), []string{"--entitlements", "Name=Seats,Unit=Count,Maximum=10"})},
	{name: "create-license MaxCount not a whole number", awsExit: awsParamExit,
		args: slices.Concat(createLicense("--entitlements"), []string{"--entitlements", "Name=Seats,Unit=Count,MaxCount=1.5"})},
	{name: "create-license boolean neither true nor false", awsExit: awsParamExit,
		args: slices.Concat(createLicense("--entitlements"), []string{"--entitlements", "Name=Seats,Unit=Count,Overage=yes"})},
	{name: "create-license JSON item then a shorthand item", awsExit: awsParamExit,
		args: slices.Concat(createLicense("--entitlements"), []string{"--entitlements", `{"Name":"Seats","Unit":"Count"}`, "Name=Pro,Unit=None"})},
	{name: "create-license shorthand item then a JSON item", awsExit: awsParamExit,
		args: slices.Concat(createLicense("--entitlements"), []string{"--entitlements", "Name=Pro,Unit=None", `{"Name":"Seats","Unit":"Count"}`})},
	{name: "create-license structure given as a JSON list", awsExit: awsParamExit,
		args: slices.Concat(createLicense("--issuer"), []string{"--issuer", `[{"Name":"Acme"}]`})},
	{name: "create-license broken JSON", awsExit: awsParamExit,
		args: slices.Concat(createLicense("--validity"), []string{"--validity", `{"Begin":`})},
	{name: "create-license key given twice", awsExit: awsParamExit,
		args: slices.Concat(createLicense("--issuer"), []string{"--issuer", "Name=Acme,Name=Other"})},
	{name: "create-license shorthand file for a list", awsExit: awsParamExit,
		args:  slices.Concat(createLicense("--entitlements"), []string{"--entitlements", "file://@/e.txt"}),
		files: map[string]string{"e.txt": "Name=Seats,Unit=Count"}},
	{name: "create-license missing file", awsExit: awsParamExit,
		args: slices.Concat(createLicense("--issuer"), []string{"--issuer", "file://@/missing.json"})},
	{name: "create-license missing required options", awsExit: awsArgparseExit,
		args: createLicense("--validity", "--client-token")},
	{name: "create-license wrong types in the input document", awsExit: awsParamExit,
		args: []string{"create-license", "--cli-input-json", `{"LicenseName":null,"Entitlements":{"Name":"x"},"Tags":[{"Key":1}],"Validity":{"Begin":"b","Bogus":1}}`}},

	// get-license
	{name: "get-license --license-version", args: []string{"get-license", "--license-arn", licL, "--license-version", "2"}},
	{name: "get-license abbreviated options", args: []string{"get-license", "--license-a", licL, "--license-v=3"}},
	{name: "get-license input document", args: []string{"get-license", "--cli-input-json", `{"Version":"1","LicenseArn":"` + licL + `"}`}},
	{name: "get-license ambiguous abbreviation", awsExit: awsArgparseExit, args: []string{"get-license", "--license", licL}},
	{name: "get-license without --license-arn", awsExit: awsArgparseExit, args: []string{"get-license", "--license-version", "2"}},

	// list-licenses
	{name: "list-licenses shorthand", args: []string{"list-licenses", "--license-arns", licL, licL2,
		"--filters", "Name=ProductSKU,Values=SKU-1,SKU-2", "Name=Status,Values=AVAILABLE",
		"--next-token", "tok", "--max-results", "5"}},
	{name: "list-licenses shorthand lists and quoting", args: []string{"list-licenses",
		"--filters", "Values=[SKU-1,SKU-2],Name=ProductSKU", `Name="Fingerprint",Values="aws:1:Acme,Inc:issuer-fingerprint",x\,y`,
		"Name=Beneficiary,Values=[]", "Name = Status , Values = DELETED "}},
	{name: "list-licenses quoted non-BMP value", args: []string{"list-licenses", "--filters", `Name=ProductSKU,Values="🔑",東京`}},
	{name: "list-licenses JSON options", args: []string{"list-licenses", "--license-arns", `["` + licL + `"]`,
		"--filters", `[{"Values":["SKU-1"],"Name":"ProductSKU"}]`}},
	{name: "list-licenses empty lists", args: []string{"list-licenses", "--license-arns", "--filters", "--max-results", "100"}},
	{name: "list-licenses file:// JSON list", args: []string{"list-licenses", "--license-arns", "file://@/arns.json",
		"--filters", "file://@/filters.json"},
		files: map[string]string{"arns.json": `["` + licL + `","` + licL2 + `"]`, "filters.json": `[{"Name":"Status","Values":["AVAILABLE"]}]`}},
	// Quirk of the aws CLI: a file holding plain text gives one item per
	// character.
	{name: "list-licenses file:// plain text", args: []string{"list-licenses", "--license-arns", "file://@/arns.txt"},
		files: map[string]string{"arns.txt": "l-1 é"}},
	{name: "list-licenses below the minimum", awsExit: awsParamExit, args: []string{"list-licenses", "--max-results", "0"}},
	{name: "list-licenses number not an integer", awsExit: awsParamExit, args: []string{"list-licenses", "--max-results", "ten"}},
	{name: "list-licenses unquoted non-BMP value", awsExit: awsParamExit,
		args: []string{"list-licenses", "--filters", "Name=ProductSKU,Values=a,🔑"}},
	{name: "list-licenses JSON object file for a list", awsExit: awsParamExit,
		args:  []string{"list-licenses", "--filters", "file://@/f.json"},
		files: map[string]string{"f.json": `{"Name":"Status","Values":["AVAILABLE"]}`}},
	{name: "list-licenses unknown option", awsExit: awsParamExit, args: []string{"list-licenses", "--max-items", "5"}},

	// list-received-licenses
	{name: "list-received-licenses shorthand", args: []string{"list-received-licenses",
		"--filters", "Name=IssuerName,Values=Acme", "Name=Beneficiary,Values=" + buyer, "Name=ProductSKU,Values=SKU-1,SKU-2",
		"--license-arns", licL, "--max-results", "100", "--next-token", "tok"}},
	{name: "list-received-licenses input document", args: []string{"list-received-licenses", "--max-results", "3",
		"--cli-input-json", `{"MaxResults":50,"Filters":[{"Values":["AVAILABLE","EXPIRED"],"Name":"Status"}],"LicenseArns":["` + licL + `"]}`}},
	{name: "list-received-licenses filter of the wrong type", awsExit: awsParamExit,
		args: []string{"list-received-licenses", "--filters", "Name=Status,Values={a=b}"}},

	// delete-license
	{name: "delete-license", args: []string{"delete-license", "--license-arn", licL, "--source-version", "1"}},
	{name: "delete-license input document", args: []string{"delete-license", "--source-version=2",
		"--cli-input-json", `{"SourceVersion":"1","LicenseArn":"` + licL + `"}`}},
	{name: "delete-license without --source-version", awsExit: awsArgparseExit,
		args: []string{"delete-license", "--license-arn", licL}},

	// create-license-version
	{name: "create-license-version shorthand", args: []string{"create-license-version", "--license-arn", licL,
		"--license-name", "Acme Pro", "--product-name", "Acme", "--issuer", "Name=Acme", "--home-region", "us-east-1",
		"--validity", "Begin=2026-01-01T00:00:00+02:00", "--license-metadata", "Name=a,Value=b",
		"--entitlements", "Name=Seats,Unit=Count,MaxCount=20,AllowCheckIn=true", "Name=Pro,Unit=None,Value=enabled",
		"--consumption-configuration", consumeCfg, "--status", "AVAILABLE", "--client-token", "ct-v2", "--source-version", "1"}},
	{name: "create-license-version --cli-input-json", args: []string{"create-license-version", "--cli-input-json", versionJSON}},
	{name: "create-license-version --cli-input-yaml",
		args:  []string{"create-license-version", "--cli-input-json", "file://@/v.json"},
		ours:  []string{"create-license-version", "--cli-input-yaml", "file://@/v.yaml"},
		files: map[string]string{"v.json": versionJSON, "v.yaml": versionYAML}},
	{name: "create-license-version file:// options", args: []string{"create-license-version", "--cli-input-json", "file://@/v.json",
		"--entitlements", "file://@/e.json", "--validity", "file://@/validity.txt"},
		files: map[string]string{"v.json": versionJSON, "e.json": `[{"Name":"Seats","Unit":"Count"}]`,
			"validity.txt": "End=2027-01-01T00:00:00Z, Begin=2026-01-01T00:00:00Z"}},
	{name: "create-license-version nested integer not a number", awsExit: awsParamExit,
		args: []string{"create-license-version", "--cli-input-json", versionJSON,
			"--consumption-configuration", "ProvisionalConfiguration={MaxTimeToLiveInMinutes=soon}"}},

	// list-license-versions
	{name: "list-license-versions", args: []string{"list-license-versions", "--license-arn", licL,
		"--next-token", "tok", "--max-results", "10"}},
	{name: "list-license-versions fractional number", awsExit: awsParamExit,
		args: []string{"list-license-versions", "--license-arn", licL, "--max-results", "1.5"}},

	// checkout-license
	{name: "checkout-license shorthand", args: checkout("--entitlements", "Name=Seats,Value=1,Unit=Count", "Name=Pro,Unit=None",
		"--beneficiary", buyer, "--node-id", "node-1")},
	{name: "checkout-license JSON entitlements", args: checkout("--entitlements", `[{"Unit":"Count","Value":"2","Name":"Seats"}]`)},
	{name: "checkout-license file:// entitlements", args: checkout("--entitlements", "file://@/e.json"),
		files: map[string]string{"e.json": `[{"Unit":"Count","Name":"Seats"},{"Name":"Pro","Unit":"None"}]`}},
	{name: "checkout-license input document", args: []string{"checkout-license", "--cli-input-json", "file://@/in.json"},
		files: map[string]string{"in.json": `{"Entitlements":[{"Unit":"Count","Name":"Seats","Value":"1"}],"CheckoutType":"PERPETUAL",` +
			`"ProductSKU":"SKU-1","KeyFingerprint":"fp","ClientToken":"ct","NodeId":"n"}`}},
	{name: "checkout-license member of another shape", awsExit: awsParamExit,
		args: checkout("--entitlements", "Name=Seats,Unit=Count,MaxCount=1")},
	{name: "checkout-license without entitlements", awsExit: awsArgparseExit, args: checkout()},

	// check-in-license
	{name: "check-in-license", args: []string{"check-in-license", "--license-consumption-token", "0123456789abcdef0123456789abcdef",
		"--beneficiary", buyer}},
	{name: "check-in-license input document", args: []string{"check-in-license",
		"--cli-input-json", `{"Beneficiary":"` + buyer + `","LicenseConsumptionToken":"t"}`}},
	{name: "check-in-license without a token", awsExit: awsArgparseExit, args: []string{"check-in-license", "--beneficiary", buyer}},

	// extend-license-consumption
	{name: "extend-license-consumption --dry-run", args: []string{"extend-license-consumption", "--license-consumption-token", "t", "--dry-run"}},
	{name: "extend-license-consumption --no-dry-run", args: []string{"extend-license-consumption", "--no-dry-run", "--license-consumption-token", "t"}},
	{name: "extend-license-consumption last flag wins", args: []string{"extend-license-consumption", "--license-consumption-token", "t",
		"--dry-run", "--no-dry-run"}},
	{name: "extend-license-consumption flag over the document", args: []string{"extend-license-consumption", "--no-dry-run",
		"--cli-input-json", `{"DryRun":true,"LicenseConsumptionToken":"t"}`}},
	{name: "extend-license-consumption value for a flag", awsExit: awsArgparseExit,
		args: []string{"extend-license-consumption", "--license-consumption-token", "t", "--dry-run=true"}},
	{name: "extend-license-consumption word after a flag", awsExit: awsParamExit,
		args: []string{"extend-license-consumption", "--license-consumption-token", "t", "--dry-run", "false"}},
	{name: "extend-license-consumption boolean as a string", awsExit: awsParamExit,
		args: []string{"extend-license-consumption", "--cli-input-json", `{"LicenseConsumptionToken":"t","DryRun":"yes"}`}},

	// checkout-borrow-license
	{name: "checkout-borrow-license shorthand", args: borrow("--entitlements", "Name=Seats,Value=2,Unit=Count", "Name=Pro,Unit=None",
		"--node-id", "node-1", "--checkout-metadata", "Name=host,Value=build-7", "Name=pid,Value=42")},
	{name: "checkout-borrow-license JSON options", args: borrow("--entitlements", `[{"Unit":"Count","Name":"Seats"}]`,
		"--checkout-metadata", `{"Value":"v","Name":"n"}`)},
	{name: "checkout-borrow-license file:// options", args: borrow("--entitlements", "file://@/e.json",
		"--checkout-metadata", "file://@/m.json"),
		files: map[string]string{"e.json": `[{"Unit":"Count","Name":"Seats"}]`, "m.json": `[{"Value":"v","Name":"n"}]`}},
	{name: "checkout-borrow-license input document", args: []string{"checkout-borrow-license", "--cli-input-json", borrowJSON}},
	{name: "checkout-borrow-license options over the document", args: []string{"checkout-borrow-license",
		"--entitlements", "Name=Seats,Unit=Count", "--cli-input-json", borrowJSON, "--node-id", "node-2"}},
	{name: "checkout-borrow-license document not an object", awsExit: awsParamExit,
		args: []string{"checkout-borrow-license", "--cli-input-json", `[]`}},

	// get-license-usage
	{name: "get-license-usage", args: []string{"get-license-usage", "--license-arn", licL}},
	{name: "get-license-usage input document", args: []string{"get-license-usage", "--cli-input-json", `{"LicenseArn":"` + licL + `"}`}},
	{name: "get-license-usage stray word", awsExit: awsParamExit, args: []string{"get-license-usage", "--license-arn", licL, "extra"}},
}

// lmOperation returns the operation a command name stands for.
func lmOperation(t *testing.T, command string) *model.Operation {
	t.Helper()
	svc := model.LicenseManager()
	for _, name := range svc.OperationNames {
		if model.CLIName(name) == command {
			return svc.Operation(name)
		}
	}
	t.Fatalf("no operation for command %q", command)
	return nil
}

// argsCommands are the commands argsCases must cover.
var argsCommands = []string{"create-license", "get-license", "list-licenses", "list-received-licenses",
	"delete-license", "create-license-version", "list-license-versions", "checkout-license",
	"check-in-license", "extend-license-consumption", "checkout-borrow-license", "get-license-usage"}

// TestCLIArgs runs each command line through the aws CLI against a
// recorder, and through our parser: what one sends the other must send
// (decoded JSON, equal), with the members of every structure in model order
// on our side; what one refuses the other must refuse, before sending.
func TestCLIArgs(t *testing.T) {
	requireTool(t, "aws")
	covered := map[string]bool{}
	for _, tc := range argsCases {
		covered[tc.args[0]] = true
	}
	for _, c := range argsCommands {
		if !covered[c] {
			t.Errorf("no case runs %s", c)
		}
	}
	for _, tc := range argsCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for name, data := range tc.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			expand := func(args []string) []string {
				out := make([]string, len(args))
				for i, a := range args {
					out[i] = strings.ReplaceAll(a, "@/", dir+"/")
				}
				return out
			}
			awsArgs, ourArgs := expand(tc.args), expand(tc.args)
			if tc.ours != nil {
				ourArgs = expand(tc.ours)
			}
			op := lmOperation(t, awsArgs[0])

			rec := newArgRecorder(t)
			r := run(t, clientEnv(t), dir, append([]string{"aws", "--endpoint-url", rec.url, "license-manager"}, awsArgs...)...)
			if r.code != tc.awsExit {
				t.Fatalf("aws: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, tc.awsExit, r.stdout, r.stderr)
			}
			req, err := param.Parse(op, ourArgs[1:], param.Env{})
			if tc.awsExit != 0 {
				if n := len(rec.requests()); n != 0 {
					t.Errorf("aws refused the command line but sent %d requests", n)
				}
				sameRefusal(t, r.stderr, err)
				t.Run("binary", func(t *testing.T) { binaryRefuses(t, op, ourArgs) })
				return
			}
			if err != nil {
				t.Fatalf("aws sent the request; Parse(%q) = %v", ourArgs[1:], err)
			}
			if req.Skeleton != "" {
				t.Fatalf("Parse(%q) asks for the %s skeleton", ourArgs[1:], req.Skeleton)
			}
			awsBody := rec.only(t, "aws", op)
			ours, err := json.Marshal(req.Params)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(decodeJSON(t, awsBody), decodeJSON(t, ours)); diff != "" {
				t.Errorf("request body (-aws +ours):\n%s\naws sent %s", diff, awsBody)
			}
			if err := inModelOrder(req.Params, op.Input, ""); err != nil {
				t.Errorf("our request %s: %v", ours, err)
			}
			t.Run("binary", func(t *testing.T) { binarySends(t, op, ourArgs, ours) })
		})
	}

	// The global --version, as in the aws CLI, wherever it stands: that is
	// why get-license takes --license-version.
	t.Run("get-license --version prints the version", func(t *testing.T) {
		t.Parallel()
		args := []string{"get-license", "--license-arn", licL, "--version", "2"}
		rec := newArgRecorder(t)
		r := run(t, clientEnv(t), t.TempDir(), append([]string{"aws", "--endpoint-url", rec.url, "license-manager"}, args...)...)
		if r.code != 0 || !bytes.HasPrefix(r.stdout, []byte("aws-cli/")) {
			t.Fatalf("aws: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
		}
		c := newLM(t)
		c.endpoint = rec.url
		ours := c.run(args...)
		if ours.code != 0 || !bytes.HasPrefix(ours.stdout, []byte("license-manager/")) {
			t.Errorf("license-manager: exit %d\nstdout:\n%s\nstderr:\n%s", ours.code, ours.stdout, ours.stderr)
		}
		if n := len(rec.requests()); n != 0 {
			t.Errorf("%d requests sent, want none", n)
		}
	})
}

// sameRefusal checks that our parser refused the command line as the aws
// CLI did: the same kind of error and, where aws CLI v1's message is its
// own (not a Python exception's text), the same words.
func sameRefusal(t *testing.T, awsStderr []byte, err error) {
	t.Helper()
	var pe *param.Error
	if !errors.As(err, &pe) {
		t.Fatalf("aws refused the command line; Parse error = %v, want a *param.Error\naws stderr:\n%s", err, awsStderr)
	}
	var lines []string
	for line := range strings.Lines(string(awsStderr)) {
		if line = strings.TrimRight(line, "\n"); line != "" {
			lines = append(lines, line)
		}
	}
	ours := strings.Split(pe.Msg, "\n")
	mismatch := func(what string) {
		t.Errorf("%s\naws stderr:\n%s\nours (kind %d):\n%s", what, awsStderr, pe.Kind, pe.Msg)
	}
	for i, line := range lines {
		switch {
		case strings.HasPrefix(line, "aws: error: "):
			if pe.Kind != param.KindUsage || ours[0] != strings.TrimPrefix(line, "aws: error: ") {
				mismatch("not the same usage error")
			}
			return
		case strings.HasPrefix(line, "Unknown options: "):
			if pe.Kind != param.KindUnknown || pe.Msg != line {
				mismatch("not the same unknown options")
			}
			return
		case line == "Parameter validation failed:":
			// Python's type names and value syntax differ from ours (we
			// name JSON's); the text before the value must match. The
			// aws CLI lists a document's problems in the document's
			// order, we in model order: compare them as sets.
			problems := func(lines []string) []string {
				var out []string
				for _, l := range lines {
					before, _, _ := strings.Cut(l, ", value: ")
					out = append(out, before)
				}
				slices.Sort(out)
				return out
			}
			if pe.Kind != param.KindParam || ours[0] != line {
				mismatch("not a validation error")
			} else if diff := cmp.Diff(problems(lines[i+1:]), problems(ours[1:])); diff != "" {
				mismatch("not the same validation problems (-aws +ours):\n" + diff)
			}
			return
		case strings.HasPrefix(line, "Error parsing parameter '"):
			// The option named, and the first words of the reason.
			prefix, _, _ := strings.Cut(line, ": ")
			if pe.Kind != param.KindParam || !strings.HasPrefix(ours[0], prefix) {
				mismatch("not the same parameter named")
			}
			return
		}
	}
	// The aws CLI printed a Python exception (int() of a word, say): our
	// message is ours, but it must be a parameter error.
	if pe.Kind != param.KindParam {
		mismatch("not a parameter error")
	}
}

// binarySends runs our built binary on the command line against a recorder
// and requires the exact body want, member order included.
func binarySends(t *testing.T, op *model.Operation, args []string, want []byte) {
	t.Helper()
	skipUnimplemented(t, op)
	rec := newArgRecorder(t)
	c := newLM(t)
	c.endpoint = rec.url
	r := c.run(args...)
	if r.code != 0 || len(r.stderr) != 0 {
		t.Fatalf("license-manager: exit %d\nstderr:\n%s", r.code, r.stderr)
	}
	if got := rec.only(t, "license-manager", op); !bytes.Equal(got, want) {
		t.Errorf("license-manager sent\n%s\nwant\n%s", got, want)
	}
}

// binaryRefuses runs our built binary on a command line the aws CLI refuses.
func binaryRefuses(t *testing.T, op *model.Operation, args []string) {
	t.Helper()
	skipUnimplemented(t, op)
	rec := newArgRecorder(t)
	c := newLM(t)
	c.endpoint = rec.url
	r := c.run(args...)
	if r.code != cli.ExitUsage || len(r.stdout) != 0 {
		t.Errorf("license-manager: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, cli.ExitUsage, r.stdout, r.stderr)
	}
	if n := len(rec.requests()); n != 0 {
		t.Errorf("license-manager sent %d requests, want none", n)
	}
}

// skipUnimplemented skips a test of the built binary for an operation the
// server does not implement yet: the command does not exist until it does.
func skipUnimplemented(t *testing.T, op *model.Operation) {
	t.Helper()
	if !server.Implemented(op.Name) {
		t.Skipf("%s is not implemented by the server yet, so the binary has no %s command; Parse was checked",
			op.Name, model.CLIName(op.Name))
	}
}

// decodeJSON decodes a JSON document keeping numbers as written.
func decodeJSON(t *testing.T, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("%s: %v", data, err)
	}
	return v
}

// inModelOrder reports the first structure, at any depth, whose members are
// not in model order.
func inModelOrder(v any, sh *model.Shape, path string) error {
	switch sh.Type {
	case "structure":
		o, ok := v.(*jsondoc.Object)
		if !ok {
			return nil
		}
		last := -1
		for _, k := range o.Keys() {
			i := slices.IndexFunc(sh.Members, func(m *model.Member) bool { return m.Name == k })
			if i < 0 {
				continue
			}
			if i < last {
				return errors.New("members of " + displayPath(path) + " are not in model order: " + strings.Join(o.Keys(), ", "))
			}
			last = i
			mv, _ := o.Get(k)
			if err := inModelOrder(mv, sh.Members[i].Shape, path+"."+k); err != nil {
				return err
			}
		}
	case "list":
		list, _ := v.([]any)
		for _, item := range list {
			if err := inModelOrder(item, sh.Member, path+"[]"); err != nil {
				return err
			}
		}
	}
	return nil
}

func displayPath(path string) string {
	if path == "" {
		return "the input"
	}
	return strings.TrimPrefix(path, ".")
}

// TestCLIArgsSkeletons compares --generate-cli-skeleton of the twelve
// commands with aws CLI v1's: the input skeleton (with any value of an enum,
// as the aws CLI picks one at random and we the first) and the output one.
// The yaml-input skeleton, which only v2 prints, must hold the same document.
func TestCLIArgsSkeletons(t *testing.T) {
	requireTool(t, "aws")
	required := map[string][]string{}
	for _, tc := range argsCases {
		if _, ok := required[tc.args[0]]; !ok && tc.awsExit == 0 && len(tc.files) == 0 {
			required[tc.args[0]] = tc.args[1:]
		}
	}
	for _, command := range argsCommands {
		t.Run(command, func(t *testing.T) {
			t.Parallel()
			op := lmOperation(t, command)
			rec := newArgRecorder(t)
			aws := func(args ...string) result {
				t.Helper()
				argv := append([]string{"aws", "--endpoint-url", rec.url, "license-manager", command}, args...)
				return run(t, clientEnv(t), t.TempDir(), argv...)
			}
			awsOK := func(args ...string) []byte {
				t.Helper()
				r := aws(args...)
				if r.code != 0 || len(r.stderr) != 0 {
					t.Fatalf("aws %s %q: exit %d\nstderr:\n%s", command, args, r.code, r.stderr)
				}
				return r.stdout
			}

			req, err := param.Parse(op, []string{"--generate-cli-skeleton"}, param.Env{})
			if err != nil || req.Skeleton != param.SkeletonInput {
				t.Fatalf("Parse(--generate-cli-skeleton) = %+v, %v", req, err)
			}
			ours := param.InputSkeleton(op, false)
			awsIn := decodeJSON(t, awsOK("--generate-cli-skeleton"))
			oursIn := decodeJSON(t, ours)
			if err := sameEnums(awsIn, oursIn, op.Input, ""); err != nil {
				t.Error(err)
			}
			if diff := cmp.Diff(awsIn, oursIn); diff != "" {
				t.Errorf("input skeleton (-aws +ours):\n%s", diff)
			}

			var fromYAML any
			if err := yaml.Unmarshal(param.InputSkeleton(op, true), &fromYAML); err != nil {
				t.Fatalf("yaml-input skeleton: %v", err)
			}
			if diff := cmp.Diff(decodeJSON(t, ours), decodeJSON(t, mustJSON(t, fromYAML))); diff != "" {
				t.Errorf("yaml-input skeleton (-input +yaml-input):\n%s", diff)
			}

			args := append(slices.Clone(required[command]), "--generate-cli-skeleton", "output")
			req, err = param.Parse(op, args, param.Env{})
			if err != nil || req.Skeleton != param.SkeletonOutput {
				t.Fatalf("Parse(%q) = %+v, %v", args, req, err)
			}
			oursOut := param.OutputSkeleton(op)
			if member, ok := awsOutputSkeletonFails[command]; ok {
				// aws CLI v1 validates its own sample reply and refuses it.
				r := aws(args...)
				refusal := "Invalid length for parameter " + member + ", value: " + fmt.Sprint(len(member))
				if r.code != awsParamExit || !bytes.Contains(r.stderr, []byte(refusal)) {
					t.Errorf("aws: exit %d, want %d and %q (has aws CLI v1 changed?)\nstdout:\n%s\nstderr:\n%s",
						r.code, awsParamExit, refusal, r.stdout, r.stderr)
				}
				if v, _ := oursOut.Get(member); v != member {
					t.Errorf("our output skeleton %s, want %s: %q", mustJSON(t, oursOut), member, member)
				}
				return
			}
			awsOut := awsOK(args...)
			if len(bytes.TrimSpace(awsOut)) == 0 {
				// No output members: the aws CLI prints nothing.
				if oursOut.Len() != 0 {
					t.Errorf("output skeleton %s, want none", mustJSON(t, oursOut))
				}
			} else if diff := cmp.Diff(decodeJSON(t, awsOut), decodeJSON(t, mustJSON(t, oursOut))); diff != "" {
				t.Errorf("output skeleton (-aws +ours):\n%s", diff)
			}
			if n := len(rec.requests()); n != 0 {
				t.Errorf("aws sent %d requests for skeletons, want none", n)
			}
		})
	}
}

// awsOutputSkeletonFails lists the commands whose output skeleton aws CLI
// v1 cannot print, and the member it trips on: it validates its sample reply
// as a request, and the member's placeholder (its name) is shorter than the
// model's minimum length (4096 for SignedToken). We print the sample, as aws
// CLI v2 does.
var awsOutputSkeletonFails = map[string]string{
	"checkout-license":        "SignedToken",
	"checkout-borrow-license": "SignedToken",
}

// sameEnums checks the enum values of two input skeletons, at any depth:
// the aws CLI's must be one of the enum's values, ours its first. It then
// sets both to ours, so that the documents can be compared whole.
func sameEnums(awsDoc, oursDoc any, sh *model.Shape, path string) error {
	switch sh.Type {
	case "structure":
		a, _ := awsDoc.(map[string]any)
		o, _ := oursDoc.(map[string]any)
		for _, m := range sh.Members {
			av, aok := a[m.Name]
			ov, ook := o[m.Name]
			if !aok || !ook {
				continue
			}
			if len(m.Shape.Enum) > 0 {
				if s, ok := av.(string); !ok || !slices.Contains(m.Shape.Enum, s) || ov != m.Shape.Enum[0] {
					return fmt.Errorf("%s: aws %v, ours %v; want a value of %s, and its first for ours",
						displayPath(path+"."+m.Name), av, ov, strings.Join(m.Shape.Enum, "|"))
				}
				a[m.Name] = ov
				continue
			}
			if err := sameEnums(av, ov, m.Shape, path+"."+m.Name); err != nil {
				return err
			}
		}
	case "list":
		a, _ := awsDoc.([]any)
		o, _ := oursDoc.([]any)
		for i := range min(len(a), len(o)) {
			if len(sh.Member.Enum) > 0 {
				if s, ok := a[i].(string); ok && slices.Contains(sh.Member.Enum, s) {
					a[i] = o[i]
				}
				continue
			}
			if err := sameEnums(a[i], o[i], sh.Member, path+"[]"); err != nil {
				return err
			}
		}
	}
	return nil
}
