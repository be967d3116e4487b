package lmapi

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/license-manager/license-manager/internal/awsjson"
	"github.com/license-manager/license-manager/internal/model"
)

// operations pairs each operation with its Input and Output types.
var operations = []struct {
	name    string
	in, out any
}{
	{OpCreateLicense, CreateLicenseInput{}, CreateLicenseOutput{}},
	{OpGetLicense, GetLicenseInput{}, GetLicenseOutput{}},
	{OpListLicenses, ListLicensesInput{}, ListLicensesOutput{}},
	{OpListReceivedLicenses, ListReceivedLicensesInput{}, ListReceivedLicensesOutput{}},
	{OpDeleteLicense, DeleteLicenseInput{}, DeleteLicenseOutput{}},
	{OpCreateLicenseVersion, CreateLicenseVersionInput{}, CreateLicenseVersionOutput{}},
	{OpListLicenseVersions, ListLicenseVersionsInput{}, ListLicenseVersionsOutput{}},
	{OpCheckoutLicense, CheckoutLicenseInput{}, CheckoutLicenseOutput{}},
	{OpCheckInLicense, CheckInLicenseInput{}, CheckInLicenseOutput{}},
	{OpExtendLicenseConsumption, ExtendLicenseConsumptionInput{}, ExtendLicenseConsumptionOutput{}},
	{OpGetLicenseUsage, GetLicenseUsageInput{}, GetLicenseUsageOutput{}},
	{OpCheckoutBorrowLicense, CheckoutBorrowLicenseInput{}, CheckoutBorrowLicenseOutput{}},
	{OpCreateToken, CreateTokenInput{}, CreateTokenOutput{}},
	{OpListTokens, ListTokensInput{}, ListTokensOutput{}},
	{OpDeleteToken, DeleteTokenInput{}, DeleteTokenOutput{}},
	{OpGetAccessToken, GetAccessTokenInput{}, GetAccessTokenOutput{}},
}

// jsonField is a struct field by its JSON member name.
type jsonField struct {
	name string
	typ  reflect.Type
}

// jsonFields lists the JSON members of a struct type in encoding order,
// with the fields of embedded structs in place, as encoding/json does.
func jsonFields(rt reflect.Type) []jsonField {
	var out []jsonField
	for i := range rt.NumField() {
		f := rt.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && name == "" {
			out = append(out, jsonFields(f.Type)...)
			continue
		}
		if name != "" && name != "-" {
			out = append(out, jsonField{name, f.Type})
		}
	}
	return out
}

// compareShape reports where the Go type rt does not hold what the model
// shape sh describes: a member without a field, a field without a member,
// members out of model order, or a Go type that cannot carry the value.
func compareShape(t *testing.T, sh *model.Shape, rt reflect.Type, path string) {
	t.Helper()
	for rt.Kind() == reflect.Pointer {
		rt = rt.Elem()
	}
	want := map[string]reflect.Kind{"string": reflect.String, "long": reflect.Int64, "integer": reflect.Int64,
		"boolean": reflect.Bool, "structure": reflect.Struct, "list": reflect.Slice}[sh.Type]
	if want == reflect.Invalid {
		t.Errorf("%s: shape %s of type %s has no Go counterpart here", path, sh.Name, sh.Type)
		return
	}
	if rt.Kind() != want {
		t.Errorf("%s: shape %s is a %s, held in a Go %s", path, sh.Name, sh.Type, rt)
		return
	}
	switch sh.Type {
	case "list":
		compareShape(t, sh.Member, rt.Elem(), path+"[]")
	case "structure":
		fields := jsonFields(rt)
		var got, members []string
		for _, f := range fields {
			got = append(got, f.name)
		}
		for _, m := range sh.Members {
			members = append(members, m.Name)
			i := slices.IndexFunc(fields, func(f jsonField) bool { return f.name == m.Name })
			if i < 0 {
				t.Errorf("%s: %s has no field for member %s", path, rt, m.Name)
				continue
			}
			compareShape(t, m.Shape, fields[i].typ, path+"."+m.Name)
		}
		if !slices.Equal(got, members) {
			t.Errorf("%s: %s has members %q, the model's %s %q", path, rt, got, sh.Name, members)
		}
	}
}

// Every member of each operation's input and output shape has a field of a
// fitting type with the same JSON name, in model order, and no field is
// made up.
func TestShapesMatchModel(t *testing.T) {
	t.Parallel()
	svc := model.LicenseManager()
	for _, op := range operations {
		o := svc.Operations[op.name]
		if o == nil {
			t.Errorf("operation %s is not in the model", op.name)
			continue
		}
		compareShape(t, o.Input, reflect.TypeOf(op.in), o.Input.Name)
		compareShape(t, o.Output, reflect.TypeOf(op.out), o.Output.Name)
	}
}

// synthesize makes a JSON value for shape sh with every member set, each
// string naming its path so that a member landing in the wrong field
// shows.
func synthesize(sh *model.Shape, path string) any {
	switch sh.Type {
	case "structure":
		obj := map[string]any{}
		for _, m := range sh.Members {
			obj[m.Name] = synthesize(m.Shape, path+"."+m.Name)
		}
		return obj
	case "list":
		return []any{synthesize(sh.Member, path+"[0]"), synthesize(sh.Member, path+"[1]")}
	case "string":
		if len(sh.Enum) > 0 {
			return sh.Enum[len(path)%len(sh.Enum)]
		}
		return path
	case "integer", "long":
		return json.Number(fmt.Sprint(len(path)))
	case "boolean":
		return true
	}
	panic("no value for shape type " + sh.Type)
}

// A request with every member of the model decodes into the Input with
// nothing lost or moved, and a reply with every member survives the
// Output's encoding.
func TestEveryMemberRoundTrips(t *testing.T) {
	t.Parallel()
	svc := model.LicenseManager()
	for _, op := range operations {
		o := svc.Operations[op.name]
		if o == nil {
			continue // TestShapesMatchModel reports it
		}
		body, err := json.Marshal(synthesize(o.Input, op.name))
		if err != nil {
			t.Fatal(err)
		}
		in := reflect.New(reflect.TypeOf(op.in))
		if err := awsjson.Decode(body, in.Interface()); err != nil {
			t.Errorf("%s: Decode(%s) = %v", op.name, body, err)
			continue
		}
		if diff := jsonDiff(t, body, in.Interface()); diff != "" {
			t.Errorf("%s: the decoded request differs from the one sent (-sent +decoded):\n%s", op.name, diff)
		}

		body, err = json.Marshal(synthesize(o.Output, op.name))
		if err != nil {
			t.Fatal(err)
		}
		out := reflect.New(reflect.TypeOf(op.out))
		if err := json.Unmarshal(body, out.Interface()); err != nil {
			t.Errorf("%s: Unmarshal(%s) = %v", op.name, body, err)
			continue
		}
		if diff := jsonDiff(t, body, out.Interface()); diff != "" {
			t.Errorf("%s: the encoded reply lost members (-model +encoded):\n%s", op.name, diff)
		}
	}
}

// jsonDiff compares the JSON document want with the encoding of v.
func jsonDiff(t *testing.T, want []byte, v any) string {
	t.Helper()
	got, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var w, g any
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatal(err)
	}
	return cmp.Diff(w, g)
}

// The enums and limits written out in Go are the model's.
func TestEnumsMatchModel(t *testing.T) {
	t.Parallel()
	shapes := model.LicenseManager().Shapes
	enums := []struct {
		shape string
		got   []string
	}{
		{"EntitlementUnit", entitlementUnits},
		{"EntitlementDataUnit", entitlementUnits},
		{"RenewType", renewTypes},
		{"LicenseStatus", licenseStatuses},
		{"CheckoutType", checkoutTypes},
	}
	for _, e := range enums {
		if want := shapes[e.shape].Enum; !slices.Equal(e.got, want) {
			t.Errorf("%s enum = %q, model %q", e.shape, e.got, want)
		}
	}
	subsets := []struct {
		shape string
		got   []string
	}{
		{"LicenseStatus", versionStatuses},
		{"AllowedOperation", AllowedOperations(true)},
		{"ReceivedStatus", []string{ReceivedStatusActive, ReceivedStatusDeleted}},
		{"EntitlementUnit", []string{UnitNone}},
	}
	for _, s := range subsets {
		enum := shapes[s.shape].Enum
		for _, v := range s.got {
			if !slices.Contains(enum, v) {
				t.Errorf("%q is not in the model's %s enum %q", v, s.shape, enum)
			}
		}
	}
	if ops := AllowedOperations(true); !slices.IsSortedFunc(ops, func(a, b string) int {
		return slices.Index(shapes["AllowedOperation"].Enum, a) - slices.Index(shapes["AllowedOperation"].Enum, b)
	}) || int64(len(ops)) > *shapes["AllowedOperationList"].Max {
		t.Errorf("AllowedOperations(true) = %q: not in enum order or too many", ops)
	}
	dt := shapes["ISO8601DateTime"]
	if dt.Pattern != DateTimePattern || *dt.Max != MaxDateTimeLength {
		t.Errorf("ISO8601DateTime = %q max %d, want DateTimePattern %q max %d", dt.Pattern, *dt.Max, DateTimePattern, MaxDateTimeLength)
	}
	if m := shapes["MaxSize100"]; *m.Min != 1 || *m.Max != MaxMaxResults {
		t.Errorf("MaxSize100 = %d..%d, want 1..%d", *m.Min, *m.Max, MaxMaxResults)
	}
	if ct := shapes["ClientToken"]; *ct.Max != MaxClientTokenLength || ct.Pattern != clientTokenPattern {
		t.Errorf("ClientToken = max %d pattern %q", *ct.Max, ct.Pattern)
	}
}
