// Package arn parses Amazon Resource Names and checks the two kinds the token
// service accepts: License Manager license ARNs and IAM role ARNs.
//
// The format is described in
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html.
package arn

import (
	"errors"
	"regexp"
	"strings"
)

// ARN is a parsed Amazon Resource Name:
// arn:partition:service:region:account-id:resource.
type ARN struct {
	Partition string
	Service   string
	Region    string
	AccountID string
	Resource  string
}

// String formats the ARN.
func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.AccountID + ":" + a.Resource
}

// ErrMalformed is returned by Parse for text that is not an ARN.
var ErrMalformed = errors.New("malformed ARN")

// Parse splits s into its six parts. It checks only the structure; use
// ValidLicense or ValidRole for the kinds the service accepts.
func Parse(s string) (ARN, error) {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] == "" || parts[2] == "" {
		return ARN{}, ErrMalformed
	}
	return ARN{
		Partition: parts[1], Service: parts[2], Region: parts[3],
		AccountID: parts[4], Resource: parts[5],
	}, nil
}

// ModelPattern is the Arn shape's pattern in the License Manager model; every
// ARN member must match it.
const ModelPattern = `^arn:aws[a-zA-Z-]*:[A-Za-z0-9][A-Za-z0-9_/.-]{0,62}:[A-Za-z0-9_/.-]{0,63}:[A-Za-z0-9_/.-]{0,63}:[A-Za-z0-9][A-Za-z0-9:_/+=,@.-]{0,1023}$`

// MaxLength is the Arn shape's maximum length.
const MaxLength = 2048

var (
	// Go's regexp caps repeat counts at 1000, so the last part's {0,1023}
	// becomes * and matchesModel checks that part's length itself.
	modelRE   = regexp.MustCompile(strings.Replace(ModelPattern, "{0,1023}$", "*$", 1))
	accountRE = regexp.MustCompile(`^[0-9]{12}$`)
	// License ids are "l-" and 32 lower-case hexadecimal digits.
	licenseRE = regexp.MustCompile(`^license:l-[0-9a-f]{32}$`)
	// Role names and paths, from the IAM CreateRole reference.
	roleRE = regexp.MustCompile(`^role/(?:[\x21-\x7E]+/)?[\w+=,.@-]{1,64}$`)
)

// maxRolePath is IAM's limit on a role's path, slashes included.
const maxRolePath = 512

// partitions are the AWS partitions. The model's pattern admits any
// "aws..." word; a license or role ARN must name a real partition.
var partitions = map[string]bool{
	"aws": true, "aws-cn": true, "aws-us-gov": true, "aws-iso": true, "aws-iso-b": true,
	"aws-iso-e": true, "aws-iso-f": true, "aws-eusc": true,
}

// MatchesModel reports whether s satisfies the model's Arn pattern.
func MatchesModel(s string) bool {
	if !modelRE.MatchString(s) {
		return false
	}
	a, _ := Parse(s)
	return len(a.Resource) <= 1024
}

// IsLicense reports whether s names a License Manager license:
// arn:aws:license-manager::ACCOUNT:license:l-<32 hex digits>. License ARNs
// carry no Region.
func IsLicense(s string) bool {
	a, err := Parse(s)
	return err == nil && MatchesModel(s) && partitions[a.Partition] && a.Service == "license-manager" &&
		a.Region == "" && accountRE.MatchString(a.AccountID) && licenseRE.MatchString(a.Resource)
}

// IsRole reports whether s names an IAM role:
// arn:aws:iam::ACCOUNT:role/[path/]name.
func IsRole(s string) bool {
	a, err := Parse(s)
	if err != nil || !MatchesModel(s) || !partitions[a.Partition] || a.Service != "iam" || a.Region != "" ||
		!accountRE.MatchString(a.AccountID) || !roleRE.MatchString(a.Resource) {
		return false
	}
	// The path is what lies between "role" and the name: "/" or "/a/b/".
	path := a.Resource[len("role") : strings.LastIndexByte(a.Resource, '/')+1]
	return len(path) <= maxRolePath
}

// RoleName returns the last path element of a role ARN's resource
// ("role/path/App" gives "App"), or "" if s is not a role ARN.
func RoleName(s string) string {
	if !IsRole(s) {
		return ""
	}
	a, _ := Parse(s)
	return a.Resource[strings.LastIndexByte(a.Resource, '/')+1:]
}

// IsAccountID reports whether s is a 12-digit AWS account id.
func IsAccountID(s string) bool { return accountRE.MatchString(s) }
