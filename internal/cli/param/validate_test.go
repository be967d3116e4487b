package param

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/license-manager/license-manager/internal/cli/jsondoc"
	"github.com/license-manager/license-manager/internal/model"
)

func TestValidate(t *testing.T) {
	t.Parallel()
	lm, sts := model.LicenseManager(), model.STS()
	for _, tc := range []struct {
		name string
		in   *model.Shape
		doc  string
		want []string
	}{
		{"valid document", lm.Operation("CreateToken").Input,
			`{"LicenseArn":"","ClientToken":"","ExpirationInDays":-5,"TokenProperties":["a","b","c","d"]}`, nil},
		{"nested required members and types", lm.Operation("CreateLicense").Input,
			`{"LicenseName":"n","ProductName":"p","ProductSKU":"s","Issuer":{},"HomeRegion":"r","Validity":{"Begin":"b"},` +
				`"Entitlements":[{"Name":"a","Unit":"Count","MaxCount":"10"}],"Beneficiary":"b",` +
				`"ConsumptionConfiguration":{"BorrowConfiguration":{"AllowEarlyCheckIn":1}},"ClientToken":"c"}`,
			[]string{
				`Missing required parameter in Issuer: "Name"`,
				`Invalid type for parameter Entitlements[0].MaxCount, value: 10, type: string, valid types: integer`,
				`Missing required parameter in ConsumptionConfiguration.BorrowConfiguration: "MaxTimeToLiveInMinutes"`,
				`Invalid type for parameter ConsumptionConfiguration.BorrowConfiguration.AllowEarlyCheckIn, value: 1, type: integer, valid types: boolean`,
			}},
		{"min length counts characters", sts.Operation("AssumeRoleWithWebIdentity").Input,
			`{"RoleArn":"arn:aws:iam::1:ro/é","RoleSessionName":"s","WebIdentityToken":"abcd","DurationSeconds":899}`,
			[]string{
				`Invalid length for parameter RoleArn, value: 19, valid min length: 20`,
				`Invalid length for parameter RoleSessionName, value: 1, valid min length: 2`,
				`Invalid value for parameter DurationSeconds, value: 899, valid min value: 900`,
			}},
		{"structure where an object is due", lm.Operation("ListTokens").Input,
			`{"Filters":["Name=a"]}`,
			[]string{`Invalid type for parameter Filters[0], value: Name=a, type: string, valid types: object`}},
		{"max and pattern are the server's", lm.Operation("ListTokens").Input,
			`{"MaxResults":1000000000000}`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v, err := jsondoc.Decode([]byte(tc.doc))
			if err != nil {
				t.Fatal(err)
			}
			got := validate(v.(*jsondoc.Object), tc.in)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("validate(%s) (-want +got):\n%s", tc.doc, diff)
			}
		})
	}
}
