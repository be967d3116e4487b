// Package auth says who a request acts as: the Principal that request
// authentication (SigV4 with a long-term or temporary key, or the embedded
// command line's file access) establishes, and what each kind may do.
package auth

import "fmt"

// Kind is how a caller proved who it is.
type Kind int

const (
	// Anonymous is an unsigned request. Only GetAccessToken and STS
	// AssumeRoleWithWebIdentity accept it.
	Anonymous Kind = iota
	// Account is the account itself: a long-term access key from the
	// server's credentials file, or the embedded command line, whose trust
	// boundary is access to the data directory.
	Account
	// AssumedRole is a session from AssumeRoleWithWebIdentity: temporary
	// credentials scoped to one license.
	AssumedRole
)

func (k Kind) String() string {
	switch k {
	case Anonymous:
		return "anonymous"
	case Account:
		return "account"
	case AssumedRole:
		return "assumed-role"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Principal is the identity a request acts as.
type Principal struct {
	Kind Kind
	// AccountID is the 12-digit account; empty for Anonymous.
	AccountID string
	// AccessKeyID is the key that signed the request; empty for the
	// embedded command line and for Anonymous.
	AccessKeyID string
	// UserName names a long-term key's owner (the credentials file's
	// profile) for GetCallerIdentity; empty otherwise.
	UserName string

	// The fields below are set for AssumedRole only.

	// RoleARN is the role assumed, one of the refresh token's role ARNs.
	RoleARN string
	// SessionName is the RoleSessionName given to AssumeRoleWithWebIdentity.
	SessionName string
	// LicenseARN is the license the session may act on: the aud of the
	// token it was created from.
	LicenseARN string
	// TokenID is the id of the refresh token the session derives from;
	// deleting that token ends the session.
	TokenID string
}

// Embedded returns the principal of the embedded command line: the
// configured account, with full rights over its own tokens.
func Embedded(accountID string) Principal {
	return Principal{Kind: Account, AccountID: accountID}
}

// ARN returns the caller's ARN as GetCallerIdentity reports it.
func (p Principal) ARN() string {
	switch p.Kind {
	case Account:
		if p.UserName != "" {
			return "arn:aws:iam::" + p.AccountID + ":user/" + p.UserName
		}
		return "arn:aws:iam::" + p.AccountID + ":root"
	case AssumedRole:
		return "arn:aws:sts::" + p.AccountID + ":assumed-role/" + roleName(p.RoleARN) + "/" + p.SessionName
	}
	return ""
}

// roleName returns the last path element of a role ARN
// (arn:aws:iam::ACCOUNT:role/path/Name -> Name).
func roleName(roleARN string) string {
	for i := len(roleARN) - 1; i >= 0; i-- {
		if roleARN[i] == '/' {
			return roleARN[i+1:]
		}
	}
	return roleARN
}
