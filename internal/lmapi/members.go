package lmapi

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/license-manager/license-manager/internal/arn"
)

// MaxTextLength bounds the String members the model leaves unbounded:
// names (LicenseName, ProductName, ProductSKU, Issuer Name, entitlement,
// metadata and filter names, tag keys), values (entitlement, metadata,
// tag and filter values) and identifiers (HomeRegion, KeyFingerprint,
// NodeId, Version, SourceVersion, LicenseConsumptionToken, SignKey,
// DigitalSignatureMethod). They hold 1 to 1024 characters, except
// metadata and tag values, which may be empty; no member may contain a
// NUL character.
const MaxTextLength = 1024

// MaxEntitlements is the most entitlements a license version may have, and
// so the most a checkout may name.
const MaxEntitlements = 100

// MaxTimeToLiveInMinutes bounds the MaxTimeToLiveInMinutes members of
// ProvisionalConfiguration and BorrowConfiguration: one year.
const MaxTimeToLiveInMinutes = 525600

// present records a violation at path if the member p is absent (nil).
func present[T any](v *Violations, path string, p *T) bool {
	if p == nil {
		v.Add(Null, path, mustNotBeNull)
		return false
	}
	return true
}

// presentList records a violation at path if the list member l is absent.
// An empty list is present.
func presentList[T any](v *Violations, path string, l []T) bool {
	if l == nil {
		v.Add(Null, path, mustNotBeNull)
		return false
	}
	return true
}

// checkText validates a string member the model leaves unbounded: minLen to
// MaxTextLength characters and no NUL.
func checkText(v *Violations, path, s string, minLen int) {
	switch n := utf8.RuneCountInString(s); {
	case n < minLen:
		v.Add(Quote(s), path, minLength(minLen))
	case n > MaxTextLength:
		v.Add(Quote(s), path, maxLength(MaxTextLength))
	case strings.ContainsRune(s, 0):
		v.Add(Quote(s), path, mustNotContainNUL)
	}
}

// requiredText checks a required string member of 1 to MaxTextLength
// characters.
func requiredText(v *Violations, path string, s *string) {
	if present(v, path, s) {
		checkText(v, path, *s, 1)
	}
}

// optionalText checks an optional string member of 1 to MaxTextLength
// characters.
func optionalText(v *Violations, path string, s *string) {
	if s != nil {
		checkText(v, path, *s, 1)
	}
}

// optionalNUL checks an optional string member whose length nothing bounds
// (NextToken, which is ours and checked when opened).
func optionalNUL(v *Violations, path string, s *string) {
	if s != nil && strings.ContainsRune(*s, 0) {
		v.Add(Quote(*s), path, mustNotContainNUL)
	}
}

// requiredLicenseARN checks a required member that names a license.
func requiredLicenseARN(v *Violations, path string, s *string) {
	if present(v, path, s) {
		checkARN(v, path, *s, arn.IsLicense, licenseKind)
	}
}

// checkLicenseARNs checks an optional list of license ARNs.
func checkLicenseARNs(v *Violations, path string, l []string) {
	for i, s := range l {
		checkARN(v, fmt.Sprintf("%s.%d.member", path, i+1), s, arn.IsLicense, licenseKind)
	}
}

// accountKind describes what a Beneficiary must be.
const accountKind = "Member must be a 12-digit AWS account ID"

// checkAccount checks a member that names an account.
func checkAccount(v *Violations, path string, s *string) {
	if s != nil && !arn.IsAccountID(*s) {
		v.Add(Quote(*s), path, accountKind)
	}
}

// enumConstraint is the constraint text of an enum, worded as AWS words it.
func enumConstraint(values []string) string {
	return "Member must satisfy enum value set: [" + strings.Join(values, ", ") + "]"
}

// checkEnum checks a string member against an enum of the model.
func checkEnum(v *Violations, path string, s *string, values []string, required bool) {
	if s == nil {
		if required {
			v.Add(Null, path, mustNotBeNull)
		}
		return
	}
	if !slices.Contains(values, *s) {
		v.Add(Quote(*s), path, enumConstraint(values))
	}
}

// checkMaxResults checks a MaxSize100 member.
func checkMaxResults(v *Violations, m *int64) {
	switch {
	case m == nil:
	case *m < 1:
		v.Add(Quote(strconv.FormatInt(*m, 10)), "maxResults", minValue(1))
	case *m > MaxMaxResults:
		v.Add(Quote(strconv.FormatInt(*m, 10)), "maxResults", maxValue(MaxMaxResults))
	}
}

// checkTTL checks a MaxTimeToLiveInMinutes member.
func checkTTL(v *Violations, path string, m *int64) {
	switch {
	case !present(v, path, m):
	case *m < 1:
		v.Add(Quote(strconv.FormatInt(*m, 10)), path, minValue(1))
	case *m > MaxTimeToLiveInMinutes:
		v.Add(Quote(strconv.FormatInt(*m, 10)), path, maxValue(MaxTimeToLiveInMinutes))
	}
}

// checkFilters checks the Filters of a listing: each names one of allowed,
// at most once, and has at least one value.
func checkFilters(v *Violations, filters []Filter, allowed []string) {
	seen := map[string]int{}
	for i, f := range filters {
		path := fmt.Sprintf("filters.%d.member", i+1)
		if present(v, path+".name", f.Name) {
			switch first, dup := seen[*f.Name]; {
			case !slices.Contains(allowed, *f.Name):
				v.Add(Quote(*f.Name), path+".name", enumConstraint(allowed))
			case dup:
				v.Add(Quote(*f.Name), path+".name", fmt.Sprintf(
					"Member must name each filter once (also at filters.%d.member.name): put all its values in one filter", first))
			default:
				seen[*f.Name] = i + 1
			}
		}
		if len(f.Values) == 0 {
			v.Add(QuoteList(f.Values), path+".values", minLength(1))
		}
		for j, s := range f.Values {
			checkText(v, fmt.Sprintf("%s.values.%d.member", path, j+1), s, 1)
		}
	}
}

// FilterValues returns the values of the filter called name, or nil if the
// listing has none. Call it after Validate, which allows each name once.
func FilterValues(filters []Filter, name string) []string {
	for _, f := range filters {
		if f.Name != nil && *f.Name == name {
			return f.Values
		}
	}
	return nil
}

// checkMetadata checks a list of Metadata: each entry needs a Name; an
// absent Value is the empty string.
func checkMetadata(v *Violations, path string, l []Metadata) {
	for i, m := range l {
		p := fmt.Sprintf("%s.%d.member", path, i+1)
		requiredText(v, p+".name", m.Name)
		if m.Value != nil {
			checkText(v, p+".value", *m.Value, 0)
		}
	}
}
