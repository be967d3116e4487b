package sts

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/license-manager/license-manager/internal/arn"
	"github.com/license-manager/license-manager/internal/auth"
	"github.com/license-manager/license-manager/internal/awsjson"
	"github.com/license-manager/license-manager/internal/token"
)

// Limits of AssumeRoleWithWebIdentity, from the STS model.
const (
	MinDurationSeconds     = 900
	MaxDurationSeconds     = 43200
	DefaultDurationSeconds = 3600
	minRoleSessionName     = 2
	maxRoleSessionName     = 64
	minWebIdentityToken    = 4
	maxWebIdentityToken    = 20000
	minRoleARN             = 20
	minProviderID          = 4
	maxProviderID          = 2048
)

// roleSessionNameRE is roleSessionNameType's pattern, matched against the
// whole value. Go's \w, like Java's, is [0-9A-Za-z_].
var roleSessionNameRE = regexp.MustCompile(`^[\w+=,.@-]*$`)

const roleSessionNamePattern = `[\w+=,.@-]*`

// assumeInput is a validated AssumeRoleWithWebIdentity request.
type assumeInput struct {
	roleARN, sessionName, webIdentityToken string
	duration                               time.Duration
}

// assumeRoleWithWebIdentity exchanges an access token for temporary
// credentials acting as one of the token's roles, for the token's license.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html
func (a *API) assumeRoleWithWebIdentity(ctx context.Context, requestID string, form url.Values) (any, error) {
	in, err := parseAssume(form)
	if err != nil {
		return nil, err
	}
	claims, err := a.Tokens.VerifyAccess(ctx, in.webIdentityToken)
	if err != nil {
		werr := identityTokenError(err)
		if werr == nil {
			return nil, fmt.Errorf("verify access token: %w", err)
		}
		// The reason is the check that failed, never the token.
		a.Logger.InfoContext(ctx, "web identity token rejected",
			keyRequestID, requestID, keyAction, ActionAssumeRoleWithWebIdentity, keyReason, err.Error())
		return nil, werr
	}
	if !slices.Contains(claims.RoleARNs, in.roleARN) {
		a.Logger.InfoContext(ctx, "role not in web identity token",
			keyRequestID, requestID, keyAccount, claims.Subject, keyRoleARN, in.roleARN)
		return nil, &awsjson.Error{
			Code: CodeAccessDenied, Status: http.StatusForbidden,
			Message: "Not authorized to perform sts:AssumeRoleWithWebIdentity: the role " + in.roleARN + " is not one of the web identity token's role ARNs",
		}
	}
	// Defence in depth: CreateToken embeds only roles of the caller's
	// account, and a token that names another account's role (minted
	// before that rule, or by hand with the installation's key) must not
	// open it.
	if role, _ := arn.Parse(in.roleARN); role.AccountID != claims.Subject {
		a.Logger.InfoContext(ctx, "role of another account than the token's", keyRequestID, requestID, keyAccount, claims.Subject, keyRoleARN, in.roleARN)
		return nil, &awsjson.Error{
			Code: CodeAccessDenied, Status: http.StatusForbidden,
			Message: "Not authorized to perform sts:AssumeRoleWithWebIdentity: the role " + in.roleARN + " is not in the account that issued the web identity token",
		}
	}
	p := auth.Principal{
		Kind:        auth.AssumedRole,
		AccountID:   claims.Subject,
		RoleARN:     in.roleARN,
		SessionName: in.sessionName,
		LicenseARN:  claims.Audience,
		TokenID:     claims.RefreshTokenID,
	}
	// As in STS, the session lasts DurationSeconds whatever the web
	// identity token's own expiry; every use checks that the refresh token
	// behind it is still AVAILABLE, so deleting it ends the session.
	creds, err := a.Sessions.Issue(p, a.Now().Add(in.duration))
	if err != nil {
		return nil, fmt.Errorf("issue temporary credentials: %w", err)
	}
	return &assumeRoleWithWebIdentityResponse{Result: assumeRoleWithWebIdentityResult{
		SubjectFromWebIdentityToken: claims.Subject,
		Audience:                    claims.Audience,
		AssumedRoleUser: assumedRoleUser{
			AssumedRoleID: AssumedRoleID(in.roleARN, in.sessionName),
			Arn:           p.ARN(),
		},
		Credentials: credentials{
			AccessKeyID:     creds.AccessKeyID,
			SecretAccessKey: creds.SecretAccessKey,
			SessionToken:    creds.SessionToken,
			Expiration:      formatTime(creds.Expiration),
		},
		Provider: claims.Issuer,
	}}, nil
}

// identityTokenError maps a VerifyAccess error to the STS error the caller
// gets, or returns nil for an internal failure. Each message says which
// check failed.
func identityTokenError(err error) *awsjson.Error {
	invalid := func(msg string) *awsjson.Error { return awsjson.Errorf(CodeInvalidIdentityToken, "%s", msg) }
	switch {
	case errors.Is(err, token.ErrExpired):
		return awsjson.Errorf(CodeExpiredToken, "The web identity token has expired.")
	case errors.Is(err, token.ErrWrongUse):
		return invalid("The web identity token is not an access token; pass the AccessToken that GetAccessToken returns, not a refresh token.")
	case errors.Is(err, token.ErrMissingAudience):
		return invalid("The web identity token has no aud claim.")
	case errors.Is(err, token.ErrDuplicateClaim):
		return invalid("The web identity token has a duplicate claim.")
	case errors.Is(err, token.ErrMalformed):
		return invalid("The web identity token is not a well-formed JWT.")
	case errors.Is(err, token.ErrUnknownKey):
		return invalid("The web identity token is signed by a key this installation does not have.")
	case errors.Is(err, token.ErrBadSignature):
		return invalid("The web identity token signature is invalid.")
	case errors.Is(err, token.ErrNotYetValid):
		return invalid("The web identity token is not valid yet.")
	case errors.Is(err, token.ErrDeleted):
		return invalid("The refresh token this access token was issued from was deleted.")
	case errors.Is(err, token.ErrUnknownToken):
		return invalid("The refresh token this access token was issued from is not known to this installation.")
	}
	return nil
}

// parseAssume validates the request's parameters, reporting every
// violated constraint at once in STS's ValidationError format.
func parseAssume(form url.Values) (assumeInput, error) {
	var in assumeInput
	var v violations
	params := map[string]string{}
	for _, name := range []string{"RoleArn", "RoleSessionName", "WebIdentityToken", "DurationSeconds", "ProviderId", "Policy"} {
		s, err := single(form, name)
		if err != nil {
			return in, err
		}
		params[name] = s
	}
	_, hasDuration := form["DurationSeconds"]
	_, hasProvider := form["ProviderId"]

	in.roleARN = params["RoleArn"]
	switch n := utf8.RuneCountInString(in.roleARN); {
	case n == 0:
		v.add(null, "roleArn", mustNotBeNull)
	case n < minRoleARN:
		v.add(quote(in.roleARN), "roleArn", minLength(minRoleARN))
	case n > arn.MaxLength:
		v.add(quote(in.roleARN), "roleArn", maxLength(arn.MaxLength))
	}

	in.sessionName = params["RoleSessionName"]
	switch n := utf8.RuneCountInString(in.sessionName); {
	case n == 0:
		v.add(null, "roleSessionName", mustNotBeNull)
	case !roleSessionNameRE.MatchString(in.sessionName):
		v.add(quote(in.sessionName), "roleSessionName", "Member must satisfy regular expression pattern: "+roleSessionNamePattern)
	case n < minRoleSessionName:
		v.add(quote(in.sessionName), "roleSessionName", minLength(minRoleSessionName))
	case n > maxRoleSessionName:
		v.add(quote(in.sessionName), "roleSessionName", maxLength(maxRoleSessionName))
	}

	// The token is sensitive: messages never repeat it.
	in.webIdentityToken = params["WebIdentityToken"]
	switch n := utf8.RuneCountInString(in.webIdentityToken); {
	case n == 0:
		v.add(null, "webIdentityToken", mustNotBeNull)
	case n < minWebIdentityToken:
		v.add(redacted, "webIdentityToken", minLength(minWebIdentityToken))
	case n > maxWebIdentityToken:
		v.add(redacted, "webIdentityToken", maxLength(maxWebIdentityToken))
	}

	in.duration = DefaultDurationSeconds * time.Second
	if d := params["DurationSeconds"]; hasDuration {
		secs, err := strconv.ParseInt(d, 10, 32)
		switch {
		case err != nil:
			v.add(quote(d), "durationSeconds", "Member must be an integer")
		case secs < MinDurationSeconds:
			v.add(quote(d), "durationSeconds", minValue(MinDurationSeconds))
		case secs > MaxDurationSeconds:
			v.add(quote(d), "durationSeconds", maxValue(MaxDurationSeconds))
		default:
			in.duration = time.Duration(secs) * time.Second
		}
	}

	// ProviderId names an OAuth 2.0 provider; for our tokens it has no
	// meaning, so it is checked as the model says and otherwise ignored.
	if p := params["ProviderId"]; hasProvider {
		switch n := utf8.RuneCountInString(p); {
		case n < minProviderID:
			v.add(quote(p), "providerId", minLength(minProviderID))
		case n > maxProviderID:
			v.add(quote(p), "providerId", maxLength(maxProviderID))
		}
	}
	if err := v.err(); err != nil {
		return in, err
	}

	// Session policies would narrow the session's rights; accepting and
	// ignoring one would grant more than the caller asked for.
	if _, ok := form["Policy"]; ok || hasPolicyARNs(form) {
		return in, awsjson.Errorf(CodeValidationError, "Session policies (Policy, PolicyArns) are not supported by this server.")
	}
	if !arn.IsRole(in.roleARN) {
		return in, awsjson.Errorf(CodeValidationError, "Request ARN is invalid")
	}
	return in, nil
}

func hasPolicyARNs(form url.Values) bool {
	for k := range form {
		if strings.HasPrefix(k, "PolicyArns.") {
			return true
		}
	}
	return false
}

// AssumedRoleID returns the AssumedRoleId of a session:
// "AROA" + 16 characters derived from the role ARN, ":", the session name.
// The same role always gets the same prefix, as an IAM role keeps its id.
func AssumedRoleID(roleARN, sessionName string) string {
	return uniqueID("AROA", roleARN) + ":" + sessionName
}

// uniqueID derives a stable IAM-style unique id (prefix + 16 characters of
// upper-case base32) from name.
func uniqueID(prefix, name string) string {
	sum := sha256.Sum256([]byte(name))
	return prefix + base32.StdEncoding.EncodeToString(sum[:])[:16]
}
