package lmapi

import (
	"fmt"
	"strings"
	"testing"

	"github.com/license-manager/license-manager/internal/awsjson"
)

const (
	buyer     = "210987654321"
	notNull   = "Member must not be null"
	atLeast1  = "Member must have length greater than or equal to 1"
	atMost1K  = "Member must have length less than or equal to 1024"
	noNUL     = "Member must not contain the NUL character"
	mustLic   = "Member must be a License Manager license ARN (arn:aws:license-manager::<account-id>:license:l-<32 hexadecimal digits>)"
	mustAcct  = "Member must be a 12-digit AWS account ID"
	unitEnum  = "Member must satisfy enum value set: [Count, None, Seconds, Microseconds, Milliseconds, Bytes, Kilobytes, Megabytes, Gigabytes, Terabytes, Bits, Kilobits, Megabits, Gigabits, Terabits, Percent, Bytes/Second, Kilobytes/Second, Megabytes/Second, Gigabytes/Second, Terabytes/Second, Bits/Second, Kilobits/Second, Megabits/Second, Gigabits/Second, Terabits/Second, Count/Second]"
	mustParse = "Member must be a valid date and time in RFC 3339 form, e.g. 2026-01-01T00:00:00Z"
)

// validator is any Input.
type validator interface{ Validate() *awsjson.Error }

// reject is a request that breaks one rule: Validate must report exactly
// one violation, at path, of constraint want.
type reject struct {
	name string
	in   validator
	path string
	want string
}

func checkRejects(t *testing.T, tests []reject) {
	t.Helper()
	for _, tt := range tests {
		err := tt.in.Validate()
		tail := "at '" + tt.path + "' failed to satisfy constraint: " + tt.want
		switch {
		case err == nil:
			t.Errorf("%s: Validate() = nil, want a ValidationException at %s", tt.name, tt.path)
		case err.Code != ValidationException || err.Status != 400:
			t.Errorf("%s: Validate() = %d %s, want 400 %s", tt.name, err.Status, err.Code, ValidationException)
		case !strings.HasPrefix(err.Message, "1 validation error detected: Value ") || !strings.HasSuffix(err.Message, tail):
			t.Errorf("%s: Validate() = %q\nwant one violation ending %q", tt.name, err.Message, tail)
		}
	}
}

func checkAccepts(t *testing.T, tests map[string]validator) {
	t.Helper()
	for name, in := range tests {
		if err := in.Validate(); err != nil {
			t.Errorf("%s: Validate() = %v, want nil", name, err)
		}
	}
}

// with returns a fresh valid request from base, changed by edit.
func with[T any](base func() *T, edit func(*T)) *T {
	in := base()
	edit(in)
	return in
}

func entitlements() []Entitlement {
	return []Entitlement{
		{Name: ptr("Seats"), Unit: ptr("Count"), MaxCount: ptr(int64(10)), Overage: ptr(false), AllowCheckIn: ptr(true)},
		{Name: ptr("Pro"), Unit: ptr(UnitNone), Value: ptr("enabled")},
		{Name: ptr("Storage"), Unit: ptr("Gigabytes")},
	}
}

func consumptionConfiguration() *ConsumptionConfiguration {
	return &ConsumptionConfiguration{
		RenewType:                ptr("Monthly"),
		ProvisionalConfiguration: &ProvisionalConfiguration{MaxTimeToLiveInMinutes: ptr(int64(60))},
		BorrowConfiguration:      &BorrowConfiguration{AllowEarlyCheckIn: ptr(true), MaxTimeToLiveInMinutes: ptr(int64(1440))},
	}
}

func createLicense() *CreateLicenseInput {
	return &CreateLicenseInput{
		LicenseName: ptr("Acme Pro 2026"), ProductName: ptr("Acme Pro"), ProductSKU: ptr("SKU-1"),
		Issuer: &Issuer{Name: ptr("Acme")}, HomeRegion: ptr("us-east-1"),
		Validity:     &DatetimeRange{Begin: ptr("2026-01-01T00:00:00Z"), End: ptr("2027-01-01T00:00:00Z")},
		Entitlements: entitlements(), Beneficiary: ptr(buyer),
		ConsumptionConfiguration: consumptionConfiguration(),
		LicenseMetadata:          []Metadata{{Name: ptr("tier"), Value: ptr("gold")}},
		ClientToken:              ptr("create-1"),
		Tags:                     []Tag{{Key: ptr("env"), Value: ptr("prod")}},
	}
}

func createLicenseVersion() *CreateLicenseVersionInput {
	c := createLicense()
	return &CreateLicenseVersionInput{
		LicenseARN: ptr(lic), LicenseName: c.LicenseName, ProductName: c.ProductName, Issuer: c.Issuer,
		HomeRegion: c.HomeRegion, Validity: c.Validity, LicenseMetadata: c.LicenseMetadata,
		Entitlements: c.Entitlements, ConsumptionConfiguration: c.ConsumptionConfiguration,
		Status: ptr("AVAILABLE"), ClientToken: ptr("version-2"), SourceVersion: ptr("1"),
	}
}

func manyEntitlements(n int) []Entitlement {
	l := make([]Entitlement, n)
	for i := range l {
		l[i] = Entitlement{Name: ptr(fmt.Sprintf("E%d", i)), Unit: ptr("Count")}
	}
	return l
}

func TestCreateLicenseValidateAccepts(t *testing.T) {
	t.Parallel()
	checkAccepts(t, map[string]validator{
		"every member": createLicense(),
		"required members only": with(createLicense, func(in *CreateLicenseInput) {
			in.Validity.End, in.LicenseMetadata, in.Tags = nil, nil, nil
			in.ConsumptionConfiguration = &ConsumptionConfiguration{}
			in.Entitlements = []Entitlement{{Name: ptr("Seats"), Unit: ptr("Count")}}
		}),
		"a fraction and an offset": with(createLicense, func(in *CreateLicenseInput) {
			in.Validity = &DatetimeRange{Begin: ptr("2026-01-01T00:00:00.5+02:00"), End: ptr("2025-12-31T22:00:01-00:00")}
		}),
		"MaxCount 0":                 with(createLicense, func(in *CreateLicenseInput) { in.Entitlements[0].MaxCount = ptr(int64(0)) }),
		"100 entitlements":           with(createLicense, func(in *CreateLicenseInput) { in.Entitlements = manyEntitlements(MaxEntitlements) }),
		"1024 characters, not bytes": with(createLicense, func(in *CreateLicenseInput) { in.LicenseName = ptr(strings.Repeat("é", MaxTextLength)) }),
		"shortest and longest TTL": with(createLicense, func(in *CreateLicenseInput) {
			in.ConsumptionConfiguration.ProvisionalConfiguration.MaxTimeToLiveInMinutes = ptr(int64(1))
			in.ConsumptionConfiguration.BorrowConfiguration.MaxTimeToLiveInMinutes = ptr(int64(525600))
		}),
		"empty metadata and tag values": with(createLicense, func(in *CreateLicenseInput) { in.LicenseMetadata[0].Value = ptr(""); in.Tags[0].Value = nil }),
		"empty lists":                   with(createLicense, func(in *CreateLicenseInput) { in.LicenseMetadata, in.Tags = []Metadata{}, []Tag{} }),
		"a SignKey":                     with(createLicense, func(in *CreateLicenseInput) { in.Issuer.SignKey = ptr("arn:aws:kms:us-east-1:123456789012:key/abc") }),
		"borrowing that disallows early check-in": with(createLicense, func(in *CreateLicenseInput) {
			in.ConsumptionConfiguration.BorrowConfiguration.AllowEarlyCheckIn = ptr(false)
		}),
	})
}

func TestCreateLicenseValidateRejects(t *testing.T) {
	t.Parallel()
	edit := func(f func(*CreateLicenseInput)) *CreateLicenseInput { return with(createLicense, f) }
	checkRejects(t, []reject{
		{"no license name", edit(func(in *CreateLicenseInput) { in.LicenseName = nil }), "licenseName", notNull},
		{"empty license name", edit(func(in *CreateLicenseInput) { in.LicenseName = ptr("") }), "licenseName", atLeast1},
		{"license name too long", edit(func(in *CreateLicenseInput) { in.LicenseName = ptr(strings.Repeat("n", 1025)) }), "licenseName", atMost1K},
		{"no product name", edit(func(in *CreateLicenseInput) { in.ProductName = nil }), "productName", notNull},
		{"NUL in the product name", edit(func(in *CreateLicenseInput) { in.ProductName = ptr("a\x00b") }), "productName", noNUL},
		{"no product SKU", edit(func(in *CreateLicenseInput) { in.ProductSKU = nil }), "productSKU", notNull},
		{"empty product SKU", edit(func(in *CreateLicenseInput) { in.ProductSKU = ptr("") }), "productSKU", atLeast1},
		{"no issuer", edit(func(in *CreateLicenseInput) { in.Issuer = nil }), "issuer", notNull},
		{"an issuer without a name", edit(func(in *CreateLicenseInput) { in.Issuer = &Issuer{SignKey: ptr("k")} }), "issuer.name", notNull},
		{"NUL in the sign key", edit(func(in *CreateLicenseInput) { in.Issuer.SignKey = ptr("\x00") }), "issuer.signKey", noNUL},
		{"no home region", edit(func(in *CreateLicenseInput) { in.HomeRegion = nil }), "homeRegion", notNull},
		{"no validity", edit(func(in *CreateLicenseInput) { in.Validity = nil }), "validity", notNull},
		{"no begin", edit(func(in *CreateLicenseInput) { in.Validity.Begin = nil }), "validity.begin", notNull},
		{"a date without a time", edit(func(in *CreateLicenseInput) { in.Validity.Begin = ptr("2026-01-01") }), "validity.begin", "Member must satisfy regular expression pattern: " + DateTimePattern},
		{"epoch seconds", edit(func(in *CreateLicenseInput) { in.Validity.End = ptr("1798761600") }), "validity.end", "Member must satisfy regular expression pattern: " + DateTimePattern},
		{"51 characters", edit(func(in *CreateLicenseInput) {
			in.Validity.Begin = ptr("2026-01-01T00:00:00." + strings.Repeat("1", 30) + "Z")
		}), "validity.begin", "Member must have length less than or equal to 50"},
		{"February 30", edit(func(in *CreateLicenseInput) { in.Validity.Begin = ptr("2026-02-30T00:00:00Z") }), "validity.begin", mustParse},
		{"an offset the pattern lets through", edit(func(in *CreateLicenseInput) { in.Validity.End = ptr("2027-01-01T00:00:00+2 :00") }), "validity.end", mustParse},
		{"a begin before year 1", edit(func(in *CreateLicenseInput) { in.Validity.Begin = ptr("0000-01-01T00:00:00Z") }), "validity.begin", "Member must be an instant from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z in UTC"},
		{"an end after year 9999 in UTC", edit(func(in *CreateLicenseInput) { in.Validity.End = ptr("9999-12-31T23:59:59-23:59") }), "validity.end", "Member must be an instant from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z in UTC"},
		{"end before begin", edit(func(in *CreateLicenseInput) { in.Validity.End = ptr("2025-12-31T23:59:59Z") }), "validity.end", "Member must be later than validity.begin (2026-01-01T00:00:00Z)"},
		{"end at begin in another zone", edit(func(in *CreateLicenseInput) { in.Validity.End = ptr("2026-01-01T01:00:00+01:00") }), "validity.end", "Member must be later than validity.begin (2026-01-01T00:00:00Z)"},
		{"no entitlements", edit(func(in *CreateLicenseInput) { in.Entitlements = nil }), "entitlements", notNull},
		{"an empty list of entitlements", edit(func(in *CreateLicenseInput) { in.Entitlements = []Entitlement{} }), "entitlements", atLeast1},
		{"101 entitlements", edit(func(in *CreateLicenseInput) { in.Entitlements = manyEntitlements(101) }), "entitlements", "Member must have length less than or equal to 100"},
		{"an entitlement without a name", edit(func(in *CreateLicenseInput) { in.Entitlements[1].Name = nil }), "entitlements.2.member.name", notNull},
		{"an entitlement name too long", edit(func(in *CreateLicenseInput) { in.Entitlements[0].Name = ptr(strings.Repeat("e", 1025)) }), "entitlements.1.member.name", atMost1K},
		{"two entitlements of one name", edit(func(in *CreateLicenseInput) { in.Entitlements[2].Name = ptr("Seats") }), "entitlements.3.member.name", "Member must be unique among the entitlements' names (also at entitlements.1.member.name)"},
		{"an entitlement without a unit", edit(func(in *CreateLicenseInput) { in.Entitlements[0].Unit = nil }), "entitlements.1.member.unit", notNull},
		{"a unit in lower case", edit(func(in *CreateLicenseInput) { in.Entitlements[0].Unit = ptr("count") }), "entitlements.1.member.unit", unitEnum},
		{"unit None without a value", edit(func(in *CreateLicenseInput) { in.Entitlements[1].Value = nil }), "entitlements.2.member.value", "Member must not be null when unit is None: an entitlement of unit None grants its value"},
		{"unit None with an empty value", edit(func(in *CreateLicenseInput) { in.Entitlements[1].Value = ptr("") }), "entitlements.2.member.value", atLeast1},
		{"unit None with a MaxCount", edit(func(in *CreateLicenseInput) { in.Entitlements[1].MaxCount = ptr(int64(5)) }), "entitlements.2.member.maxCount", "Member must be absent when unit is None: an entitlement of unit None is not counted"},
		{"a counted unit with a value", edit(func(in *CreateLicenseInput) { in.Entitlements[2].Value = ptr("100") }), "entitlements.3.member.value", "Member must be absent unless unit is None: limit an entitlement of unit Gigabytes with maxCount"},
		{"a negative MaxCount", edit(func(in *CreateLicenseInput) { in.Entitlements[0].MaxCount = ptr(int64(-1)) }), "entitlements.1.member.maxCount", "Member must have value greater than or equal to 0"},
		{"no beneficiary", edit(func(in *CreateLicenseInput) { in.Beneficiary = nil }), "beneficiary", notNull},
		{"a beneficiary of 11 digits", edit(func(in *CreateLicenseInput) { in.Beneficiary = ptr("21098765432") }), "beneficiary", mustAcct},
		{"a beneficiary ARN", edit(func(in *CreateLicenseInput) { in.Beneficiary = ptr("arn:aws:iam::210987654321:root") }), "beneficiary", mustAcct},
		{"no consumption configuration", edit(func(in *CreateLicenseInput) { in.ConsumptionConfiguration = nil }), "consumptionConfiguration", notNull},
		{"an unknown renew type", edit(func(in *CreateLicenseInput) { in.ConsumptionConfiguration.RenewType = ptr("Daily") }), "consumptionConfiguration.renewType", "Member must satisfy enum value set: [None, Weekly, Monthly]"},
		{"a provisional configuration without a TTL", edit(func(in *CreateLicenseInput) {
			in.ConsumptionConfiguration.ProvisionalConfiguration = &ProvisionalConfiguration{}
		}), "consumptionConfiguration.provisionalConfiguration.maxTimeToLiveInMinutes", notNull},
		{"a provisional TTL of 0", edit(func(in *CreateLicenseInput) {
			in.ConsumptionConfiguration.ProvisionalConfiguration.MaxTimeToLiveInMinutes = ptr(int64(0))
		}), "consumptionConfiguration.provisionalConfiguration.maxTimeToLiveInMinutes", "Member must have value greater than or equal to 1"},
		{"a borrow TTL over a year", edit(func(in *CreateLicenseInput) {
			in.ConsumptionConfiguration.BorrowConfiguration.MaxTimeToLiveInMinutes = ptr(int64(525601))
		}), "consumptionConfiguration.borrowConfiguration.maxTimeToLiveInMinutes", "Member must have value less than or equal to 525600"},
		{"a borrow configuration without a TTL", edit(func(in *CreateLicenseInput) {
			in.ConsumptionConfiguration.BorrowConfiguration.MaxTimeToLiveInMinutes = nil
		}), "consumptionConfiguration.borrowConfiguration.maxTimeToLiveInMinutes", notNull},
		{"a borrow configuration without AllowEarlyCheckIn", edit(func(in *CreateLicenseInput) { in.ConsumptionConfiguration.BorrowConfiguration.AllowEarlyCheckIn = nil }), "consumptionConfiguration.borrowConfiguration.allowEarlyCheckIn", notNull},
		{"metadata without a name", edit(func(in *CreateLicenseInput) {
			in.LicenseMetadata = append(in.LicenseMetadata, Metadata{Value: ptr("v")})
		}), "licenseMetadata.2.member.name", notNull},
		{"NUL in a metadata value", edit(func(in *CreateLicenseInput) { in.LicenseMetadata[0].Value = ptr("\x00") }), "licenseMetadata.1.member.value", noNUL},
		{"no client token", edit(func(in *CreateLicenseInput) { in.ClientToken = nil }), "clientToken", notNull},
		{"a client token with a space", edit(func(in *CreateLicenseInput) { in.ClientToken = ptr("a b") }), "clientToken", `Member must satisfy regular expression pattern: \S+`},
		{"a tag without a key", edit(func(in *CreateLicenseInput) { in.Tags[0].Key = nil }), "tags.1.member.key", notNull},
		{"a tag value too long", edit(func(in *CreateLicenseInput) { in.Tags[0].Value = ptr(strings.Repeat("v", 1025)) }), "tags.1.member.value", atMost1K},
	})
}

// Every violation is reported at once, in model order.
func TestCreateLicenseValidateReportsAll(t *testing.T) {
	t.Parallel()
	err := (&CreateLicenseInput{}).Validate()
	if err == nil {
		t.Fatal("Validate() of {} = nil")
	}
	want := "10 validation errors detected: "
	for i, p := range []string{"licenseName", "productName", "productSKU", "issuer", "homeRegion", "validity", "entitlements", "beneficiary", "consumptionConfiguration", "clientToken"} {
		if i > 0 {
			want += "; "
		}
		want += "Value null at '" + p + "' failed to satisfy constraint: Member must not be null"
	}
	if err.Code != ValidationException || err.Message != want {
		t.Errorf("Validate() of {} = %s: %q\nwant %s: %q", err.Code, err.Message, ValidationException, want)
	}

	in := createLicense()
	in.ProductSKU = ptr("")
	in.Validity.End = ptr("2025-01-01T00:00:00Z")
	in.Entitlements = []Entitlement{{Name: ptr("A"), Unit: ptr(UnitNone), MaxCount: ptr(int64(1))}, {Name: ptr("A"), Unit: ptr("Bytes"), Value: ptr("1")},
		{Name: ptr("B"), Unit: ptr("seats"), Value: ptr("\x00")}}
	in.ConsumptionConfiguration.ProvisionalConfiguration.MaxTimeToLiveInMinutes = ptr(int64(0))
	in.Tags = []Tag{{}}
	err = in.Validate()
	paths := []string{
		"productSKU", "validity.end", "entitlements.1.member.value", "entitlements.1.member.maxCount",
		"entitlements.2.member.name", "entitlements.2.member.value", "entitlements.3.member.value", "entitlements.3.member.unit",
		"consumptionConfiguration.provisionalConfiguration.maxTimeToLiveInMinutes", "tags.1.member.key",
	}
	if err == nil || !strings.HasPrefix(err.Message, fmt.Sprintf("%d validation errors detected: ", len(paths))) {
		t.Fatalf("Validate() = %v, want %d violations", err, len(paths))
	}
	rest := err.Message
	for _, p := range paths {
		i := strings.Index(rest, " at '"+p+"' ")
		if i < 0 {
			t.Fatalf("message %q lacks %s after the violations before it", err.Message, p)
		}
		rest = rest[i:]
	}
}

func TestCreateLicenseVersionValidate(t *testing.T) {
	t.Parallel()
	edit := func(f func(*CreateLicenseVersionInput)) *CreateLicenseVersionInput {
		return with(createLicenseVersion, f)
	}
	checkAccepts(t, map[string]validator{
		"every member":         createLicenseVersion(),
		"without a source":     edit(func(in *CreateLicenseVersionInput) { in.SourceVersion = nil }),
		"pending availability": edit(func(in *CreateLicenseVersionInput) { in.Status = ptr("PENDING_AVAILABLE") }),
		"deactivated":          edit(func(in *CreateLicenseVersionInput) { in.Status = ptr("DEACTIVATED") }),
		"suspended":            edit(func(in *CreateLicenseVersionInput) { in.Status = ptr("SUSPENDED") }),
	})
	const versionStatus = "Member must be AVAILABLE, PENDING_AVAILABLE, DEACTIVATED or SUSPENDED: delete a license with DeleteLicense; a license is EXPIRED once past validity.end"
	checkRejects(t, []reject{
		{"no license", edit(func(in *CreateLicenseVersionInput) { in.LicenseARN = nil }), "licenseArn", notNull},
		{"a role ARN", edit(func(in *CreateLicenseVersionInput) { in.LicenseARN = ptr(role) }), "licenseArn", mustLic},
		{"no license name", edit(func(in *CreateLicenseVersionInput) { in.LicenseName = nil }), "licenseName", notNull},
		{"no issuer name", edit(func(in *CreateLicenseVersionInput) { in.Issuer = &Issuer{} }), "issuer.name", notNull},
		{"a bad begin", edit(func(in *CreateLicenseVersionInput) { in.Validity = &DatetimeRange{Begin: ptr("2026-13-01T00:00:00Z")} }), "validity.begin", "Member must satisfy regular expression pattern: " + DateTimePattern},
		{"metadata without a name", edit(func(in *CreateLicenseVersionInput) { in.LicenseMetadata = []Metadata{{}} }), "licenseMetadata.1.member.name", notNull},
		{"duplicate entitlements", edit(func(in *CreateLicenseVersionInput) {
			in.Entitlements = append(in.Entitlements, Entitlement{Name: ptr("Pro"), Unit: ptr("Count")})
		}), "entitlements.4.member.name", "Member must be unique among the entitlements' names (also at entitlements.2.member.name)"},
		{"no consumption configuration", edit(func(in *CreateLicenseVersionInput) { in.ConsumptionConfiguration = nil }), "consumptionConfiguration", notNull},
		{"no status", edit(func(in *CreateLicenseVersionInput) { in.Status = nil }), "status", notNull},
		{"a status not in the enum", edit(func(in *CreateLicenseVersionInput) { in.Status = ptr("ACTIVE") }), "status", "Member must satisfy enum value set: [AVAILABLE, PENDING_AVAILABLE, DEACTIVATED, SUSPENDED, EXPIRED, PENDING_DELETE, DELETED]"},
		{"status DELETED", edit(func(in *CreateLicenseVersionInput) { in.Status = ptr("DELETED") }), "status", versionStatus},
		{"status PENDING_DELETE", edit(func(in *CreateLicenseVersionInput) { in.Status = ptr("PENDING_DELETE") }), "status", versionStatus},
		{"status EXPIRED", edit(func(in *CreateLicenseVersionInput) { in.Status = ptr("EXPIRED") }), "status", versionStatus},
		{"no client token", edit(func(in *CreateLicenseVersionInput) { in.ClientToken = nil }), "clientToken", notNull},
		{"an empty source version", edit(func(in *CreateLicenseVersionInput) { in.SourceVersion = ptr("") }), "sourceVersion", atLeast1},
	})
}

func TestGetLicenseValidate(t *testing.T) {
	t.Parallel()
	checkAccepts(t, map[string]validator{
		"latest":     &GetLicenseInput{LicenseARN: ptr(lic)},
		"a version":  &GetLicenseInput{LicenseARN: ptr(lic), Version: ptr("2")},
		"any string": &GetLicenseInput{LicenseARN: ptr(lic), Version: ptr("latest")},
	})
	checkRejects(t, []reject{
		{"no license", &GetLicenseInput{}, "licenseArn", notNull},
		{"a role ARN", &GetLicenseInput{LicenseARN: ptr(role)}, "licenseArn", mustLic},
		{"an upper-case license id", &GetLicenseInput{LicenseARN: ptr(lic[:len(lic)-32] + strings.Repeat("A", 32))}, "licenseArn", mustLic},
		{"not an ARN", &GetLicenseInput{LicenseARN: ptr("l-0123456789abcdef0123456789abcdef")}, "licenseArn", "Member must satisfy regular expression pattern: " + arnPattern},
		{"an empty version", &GetLicenseInput{LicenseARN: ptr(lic), Version: ptr("")}, "version", atLeast1},
	})
}

const arnPattern = `^arn:aws[a-zA-Z-]*:[A-Za-z0-9][A-Za-z0-9_/.-]{0,62}:[A-Za-z0-9_/.-]{0,63}:[A-Za-z0-9_/.-]{0,63}:[A-Za-z0-9][A-Za-z0-9:_/+=,@.-]{0,1023}$`

func filter(name string, values ...string) Filter { return Filter{Name: ptr(name), Values: values} }

func TestListLicensesValidate(t *testing.T) {
	t.Parallel()
	checkAccepts(t, map[string]validator{
		"nothing": &ListLicensesInput{},
		"every filter": &ListLicensesInput{LicenseARNs: []string{lic}, MaxResults: ptr(int64(100)), NextToken: ptr("n"), Filters: []Filter{
			filter("Beneficiary", buyer), filter("ProductSKU", "A", "B"), filter("Fingerprint", "aws:123456789012:Acme:issuer-fingerprint"), filter("Status", "AVAILABLE", "EXPIRED"),
		}},
		"one result": &ListLicensesInput{MaxResults: ptr(int64(1))},
	})
	const names = "Member must satisfy enum value set: [Beneficiary, ProductSKU, Fingerprint, Status]"
	checkRejects(t, []reject{
		{"a role ARN", &ListLicensesInput{LicenseARNs: []string{lic, role}}, "licenseArns.2.member", mustLic},
		{"a filter by issuer name", &ListLicensesInput{Filters: []Filter{filter("IssuerName", "Acme")}}, "filters.1.member.name", names},
		{"a filter name in another case", &ListLicensesInput{Filters: []Filter{filter("status", "AVAILABLE")}}, "filters.1.member.name", names},
		{"a filter without a name", &ListLicensesInput{Filters: []Filter{{Values: []string{"x"}}}}, "filters.1.member.name", notNull},
		{"a filter without values", &ListLicensesInput{Filters: []Filter{filter("Status")}}, "filters.1.member.values", atLeast1},
		{"an empty filter value", &ListLicensesInput{Filters: []Filter{filter("Status", "AVAILABLE", "")}}, "filters.1.member.values.2.member", atLeast1},
		{"a filter named twice", &ListLicensesInput{Filters: []Filter{filter("Status", "AVAILABLE"), filter("ProductSKU", "A"), filter("Status", "EXPIRED")}},
			"filters.3.member.name", "Member must name each filter once (also at filters.1.member.name): put all its values in one filter"},
		{"NUL in the next token", &ListLicensesInput{NextToken: ptr("\x00")}, "nextToken", noNUL},
		{"zero results", &ListLicensesInput{MaxResults: ptr(int64(0))}, "maxResults", "Member must have value greater than or equal to 1"},
		{"101 results", &ListLicensesInput{MaxResults: ptr(int64(101))}, "maxResults", "Member must have value less than or equal to 100"},
	})
	in := ListLicensesInput{Filters: []Filter{filter("ProductSKU", "A", "B"), filter("Status", "AVAILABLE")}}
	if got := FilterValues(in.Filters, FilterProductSKU); strings.Join(got, ",") != "A,B" {
		t.Errorf("FilterValues(ProductSKU) = %q, want [A B]", got)
	}
	if got := FilterValues(in.Filters, FilterBeneficiary); got != nil {
		t.Errorf("FilterValues(Beneficiary) = %q, want nil", got)
	}
}

func TestListReceivedLicensesValidate(t *testing.T) {
	t.Parallel()
	checkAccepts(t, map[string]validator{
		"nothing": &ListReceivedLicensesInput{},
		"every filter": &ListReceivedLicensesInput{LicenseARNs: []string{lic}, MaxResults: ptr(int64(5)), Filters: []Filter{
			filter("ProductSKU", "A"), filter("Status", "AVAILABLE"), filter("Fingerprint", "f"), filter("IssuerName", "Acme"), filter("Beneficiary", buyer),
		}},
	})
	checkRejects(t, []reject{
		{"a filter by license ARN", &ListReceivedLicensesInput{Filters: []Filter{filter("LicenseArn", lic)}}, "filters.1.member.name",
			"Member must satisfy enum value set: [ProductSKU, Status, Fingerprint, IssuerName, Beneficiary]"},
		{"a filter value too long", &ListReceivedLicensesInput{Filters: []Filter{filter("IssuerName", strings.Repeat("i", 1025))}}, "filters.1.member.values.1.member", atMost1K},
		{"an empty license ARN", &ListReceivedLicensesInput{LicenseARNs: []string{""}}, "licenseArns.1.member", "Member must satisfy regular expression pattern: " + arnPattern},
		{"negative results", &ListReceivedLicensesInput{MaxResults: ptr(int64(-1))}, "maxResults", "Member must have value greater than or equal to 1"},
	})
}

func TestDeleteLicenseValidate(t *testing.T) {
	t.Parallel()
	checkAccepts(t, map[string]validator{"both": &DeleteLicenseInput{LicenseARN: ptr(lic), SourceVersion: ptr("3")}})
	checkRejects(t, []reject{
		{"no license", &DeleteLicenseInput{SourceVersion: ptr("1")}, "licenseArn", notNull},
		{"no source version", &DeleteLicenseInput{LicenseARN: ptr(lic)}, "sourceVersion", notNull},
		{"NUL in the source version", &DeleteLicenseInput{LicenseARN: ptr(lic), SourceVersion: ptr("1\x00")}, "sourceVersion", noNUL},
	})
}

func TestListLicenseVersionsValidate(t *testing.T) {
	t.Parallel()
	checkAccepts(t, map[string]validator{
		"a license": &ListLicenseVersionsInput{LicenseARN: ptr(lic)},
		"a page":    &ListLicenseVersionsInput{LicenseARN: ptr(lic), NextToken: ptr("t"), MaxResults: ptr(int64(10))},
	})
	checkRejects(t, []reject{
		{"no license", &ListLicenseVersionsInput{}, "licenseArn", notNull},
		{"a license ARN with a region", &ListLicenseVersionsInput{LicenseARN: ptr(strings.Replace(lic, "license-manager::", "license-manager:us-east-1:", 1))}, "licenseArn", mustLic},
		{"101 results", &ListLicenseVersionsInput{LicenseARN: ptr(lic), MaxResults: ptr(int64(101))}, "maxResults", "Member must have value less than or equal to 100"},
	})
}

func TestAllowedOperations(t *testing.T) {
	t.Parallel()
	if got, want := strings.Join(AllowedOperations(false), ","), "CheckoutLicense,CheckInLicense,ExtendConsumptionLicense,ListPurchasedLicenses,CreateToken"; got != want {
		t.Errorf("AllowedOperations(false) = %s, want %s", got, want)
	}
	if got, want := strings.Join(AllowedOperations(true), ","), "CheckoutLicense,CheckoutBorrowLicense,CheckInLicense,ExtendConsumptionLicense,ListPurchasedLicenses,CreateToken"; got != want {
		t.Errorf("AllowedOperations(true) = %s, want %s", got, want)
	}
}
