package lmapi

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/license-manager/license-manager/internal/arn"
	"github.com/license-manager/license-manager/internal/awsjson"
)

// Limits of CreateToken that the model does not state.
const (
	// DefaultExpirationInDays applies when ExpirationInDays is absent.
	DefaultExpirationInDays = 365
	// MaxExpirationInDays is the longest lifetime a refresh token may get
	// (ten years).
	MaxExpirationInDays = 3650
	// MaxTokenProperties is the MaxSize3StringList limit.
	MaxTokenProperties = 3
	// MaxClientTokenLength is the ClientToken shape's maximum length.
	MaxClientTokenLength = 2048
)

// Violations collects failed constraints and reports them together in the
// format AWS services use:
//
//	2 validation errors detected: Value '...' at 'licenseArn' failed to
//	satisfy constraint: ...; Value null at 'clientToken' failed to satisfy
//	constraint: Member must not be null
type Violations []string

// Add records that value (already formatted, see Quote) at the member path
// failed constraint.
func (v *Violations) Add(value, path, constraint string) {
	*v = append(*v, fmt.Sprintf("Value %s at '%s' failed to satisfy constraint: %s", value, path, constraint))
}

// MaxReported is the most violations one message spells out; the count
// still covers all of them. It keeps a request with thousands of bad list
// members from getting a reply many times its own size.
const MaxReported = 10

// Err returns nil when there are no violations, else a ValidationException.
func (v Violations) Err() *awsjson.Error {
	switch len(v) {
	case 0:
		return nil
	case 1:
		return awsjson.Errorf(ValidationException, "1 validation error detected: %s", v[0])
	}
	shown, more := v, ""
	if len(v) > MaxReported {
		shown, more = v[:MaxReported], fmt.Sprintf("; and %d more", len(v)-MaxReported)
	}
	return awsjson.Errorf(ValidationException, "%d validation errors detected: %s%s", len(v), strings.Join(shown, "; "), more)
}

// MaxEchoed is the most characters of a value a violation message echoes:
// enough for any value that is merely a little too long (an ARN over 2048
// characters), not for a megabyte.
const MaxEchoed = 4096

// Quote formats a string value for a violation message.
func Quote(s string) string { return "'" + truncate(s) + "'" }

// QuoteList formats a list value the way AWS echoes lists: '[a, b]'.
func QuoteList(l []string) string { return "'[" + truncate(strings.Join(l, ", ")) + "]'" }

func truncate(s string) string {
	n := 0
	for i := range s {
		if n == MaxEchoed {
			return fmt.Sprintf("%s... (%d characters in all)", s[:i], utf8.RuneCountInString(s))
		}
		n++
	}
	return s
}

// Null is how a missing required member is shown.
const Null = "null"

// Constraint texts, worded as AWS words them.
// ReservedPropertyPrefix starts the amr entries the service itself writes
// (the token-issuer-account entry that role trust policies match on); a
// caller's TokenProperties may not imitate them.
const ReservedPropertyPrefix = "aws:license-manager:"

const (
	mustNotContainNUL = "Member must not contain the NUL character"
	mustNotBeNull     = "Member must not be null"
	patternPrefix     = "Member must satisfy regular expression pattern: "
)

func minLength(n int) string {
	return "Member must have length greater than or equal to " + strconv.Itoa(n)
}

func maxLength(n int) string {
	return "Member must have length less than or equal to " + strconv.Itoa(n)
}

func minValue(n int) string {
	return "Member must have value greater than or equal to " + strconv.Itoa(n)
}

func maxValue(n int) string {
	return "Member must have value less than or equal to " + strconv.Itoa(n)
}

// noSpaceRE is the ClientToken and TokenString pattern \S+, matched against
// the whole value as AWS does.
var noSpaceRE = regexp.MustCompile(`^\S+$`)

const clientTokenPattern = `\S+`

// checkARN validates one ARN member: length, the model's pattern, and the
// kind of resource it must name (isKind, described by kind).
func checkARN(v *Violations, path, s string, isKind func(string) bool, kind string) {
	switch {
	case len(s) > arn.MaxLength:
		v.Add(Quote(s), path, maxLength(arn.MaxLength))
	case !arn.MatchesModel(s):
		v.Add(Quote(s), path, patternPrefix+arn.ModelPattern)
	case !isKind(s):
		v.Add(Quote(s), path, "Member must be "+kind)
	}
}

// checkClientToken validates a required ClientToken member.
func checkClientToken(v *Violations, ct *string) {
	switch {
	case ct == nil:
		v.Add(Null, "clientToken", mustNotBeNull)
	case *ct == "":
		v.Add(Quote(""), "clientToken", minLength(1))
	case utf8.RuneCountInString(*ct) > MaxClientTokenLength:
		v.Add(Quote(*ct), "clientToken", maxLength(MaxClientTokenLength))
	case !noSpaceRE.MatchString(*ct) || strings.IndexFunc(*ct, unicode.IsSpace) >= 0:
		v.Add(Quote(*ct), "clientToken", patternPrefix+clientTokenPattern)
	case strings.ContainsRune(*ct, 0):
		v.Add(Quote(*ct), "clientToken", mustNotContainNUL)
	}
}

const (
	licenseKind = "a License Manager license ARN (arn:aws:license-manager::<account-id>:license:l-<32 hexadecimal digits>)"
	roleKind    = "an IAM role ARN (arn:aws:iam::<account-id>:role/<name>)"
)

// Validate checks a CreateToken request against the model's constraints and
// the service's own rules, reporting every violation at once.
func (in *CreateTokenInput) Validate() *awsjson.Error { return in.validate("") }

// ValidateFor is Validate for a caller in account: the roles embedded in the
// token must also belong to that account. A role elsewhere would let one
// account assume another's roles through our STS, which has no trust
// policies to stop it.
func (in *CreateTokenInput) ValidateFor(account string) *awsjson.Error { return in.validate(account) }

func (in *CreateTokenInput) validate(account string) *awsjson.Error {
	var v Violations
	if in.LicenseARN == nil {
		v.Add(Null, "licenseArn", mustNotBeNull)
	} else {
		checkARN(&v, "licenseArn", *in.LicenseARN, arn.IsLicense, licenseKind)
	}
	for i, r := range in.RoleARNs {
		path := fmt.Sprintf("roleArns.%d.member", i+1)
		n := len(v)
		checkARN(&v, path, r, arn.IsRole, roleKind)
		if a, _ := arn.Parse(r); len(v) == n && account != "" && a.AccountID != account {
			v.Add(Quote(r), path, "Member must be an IAM role in the calling account ("+account+")")
		}
	}
	if d := in.ExpirationInDays; d != nil {
		switch {
		case *d < 1:
			v.Add(Quote(strconv.FormatInt(*d, 10)), "expirationInDays", minValue(1))
		case *d > MaxExpirationInDays:
			v.Add(Quote(strconv.FormatInt(*d, 10)), "expirationInDays", maxValue(MaxExpirationInDays))
		}
	}
	if len(in.TokenProperties) > MaxTokenProperties {
		v.Add(QuoteList(in.TokenProperties), "tokenProperties", maxLength(MaxTokenProperties))
	} else {
		for i, p := range in.TokenProperties {
			path := fmt.Sprintf("tokenProperties.%d.member", i+1)
			switch {
			case strings.HasPrefix(p, ReservedPropertyPrefix):
				v.Add(Quote(p), path, "Member must not start with the reserved prefix '"+ReservedPropertyPrefix+"'")
			case strings.ContainsRune(p, 0):
				v.Add(Quote(p), path, mustNotContainNUL)
			}
		}
	}
	checkClientToken(&v, in.ClientToken)
	return v.Err()
}
