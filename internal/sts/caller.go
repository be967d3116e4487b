package sts

import (
	"net/http"

	"github.com/license-manager/license-manager/internal/auth"
	"github.com/license-manager/license-manager/internal/awsjson"
)

// getCallerIdentity reports who the request's credentials make the caller.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
func getCallerIdentity(p *auth.Principal) (any, error) {
	if p == nil || p.Kind == auth.Anonymous {
		// The server authenticates GetCallerIdentity before calling Serve;
		// this answers a caller that reached it unsigned all the same.
		return nil, &awsjson.Error{
			Code: CodeMissingAuthenticationToken, Status: http.StatusForbidden,
			Message: "Request is missing Authentication Token",
		}
	}
	return &getCallerIdentityResponse{Result: getCallerIdentityResult{
		Arn:     p.ARN(),
		UserID:  UserID(*p),
		Account: p.AccountID,
	}}, nil
}

// UserID returns the UserId GetCallerIdentity reports for p: for an
// assumed role its AssumedRoleId ("AROA...:session"); for a named key's
// user "AIDA" and 16 characters derived from the user's ARN; for the
// account itself (the embedded command line, a key without a user name)
// the account id, as STS reports the root user.
func UserID(p auth.Principal) string {
	switch {
	case p.Kind == auth.AssumedRole:
		return AssumedRoleID(p.RoleARN, p.SessionName)
	case p.Kind == auth.Account && p.UserName != "":
		return uniqueID("AIDA", p.ARN())
	}
	return p.AccountID
}
