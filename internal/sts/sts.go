// Package sts serves the part of the AWS Security Token Service query API
// that turns a license-scoped access token into temporary credentials:
// AssumeRoleWithWebIdentity, and GetCallerIdentity so that a caller can ask
// who its credentials make it.
//
// Requests are form-encoded (the AWS query protocol) and replies are XML in
// the namespace of STS API version 2011-06-15:
// https://docs.aws.amazon.com/STS/latest/APIReference/welcome.html and
// https://smithy.io/2.0/aws/protocols/aws-query-protocol.html.
//
// The package knows nothing of HTTP: the server parses the form, verifies a
// signature where NeedsSignature says one is needed, and writes what Serve
// returns with ContentType.
package sts

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/license-manager/license-manager/internal/auth"
	"github.com/license-manager/license-manager/internal/awsjson"
	"github.com/license-manager/license-manager/internal/token"
)

// Version is the only STS API version served.
const Version = "2011-06-15"

// Namespace is the XML namespace of every reply.
const Namespace = "https://sts.amazonaws.com/doc/" + Version + "/"

// ContentType is the media type of every reply, errors included.
const ContentType = "text/xml"

// Actions served.
const (
	ActionAssumeRoleWithWebIdentity = "AssumeRoleWithWebIdentity"
	ActionGetCallerIdentity         = "GetCallerIdentity"
)

// Error codes, spelled as STS spells them.
const (
	CodeValidationError            = "ValidationError"
	CodeInvalidIdentityToken       = "InvalidIdentityToken"
	CodeExpiredToken               = "ExpiredTokenException"
	CodeAccessDenied               = "AccessDenied"
	CodeMissingAction              = "MissingAction"
	CodeInvalidAction              = "InvalidAction"
	CodeMissingAuthenticationToken = "MissingAuthenticationToken"
	CodeInternalFailure            = "InternalFailure"
)

// Log attribute keys.
const (
	keyRequestID = "request_id"
	keyAction    = "action"
	keyReason    = "reason"
	keyAccount   = "account_id"
	keyRoleARN   = "role_arn"
	keyErr       = "err"
)

// API answers STS requests. Its fields must be set before use; it is safe
// for concurrent use if they are.
type API struct {
	// Tokens verifies access tokens: signature, time claims, token_use, and
	// that the refresh token they derive from is still AVAILABLE. Its errors
	// are the token package's sentinels (token.ErrExpired, token.ErrDeleted,
	// ...), which Serve maps to STS error codes.
	Tokens interface {
		VerifyAccess(ctx context.Context, compact string) (*token.Claims, error)
	}
	// Sessions issues the temporary credentials of an assumed-role
	// principal, valid until expires.
	Sessions interface {
		Issue(p auth.Principal, expires time.Time) (auth.TemporaryCredentials, error)
	}
	// Now returns the current time; tests inject a fake clock.
	Now func() time.Time
	// Logger records rejected web identity tokens (never their text) and
	// internal failures.
	Logger *slog.Logger
}

// Serve handles one STS request: form already parsed; p is the verified principal of a
// signed request, or nil when the request was unsigned. Returns status and XML body.
//
// requestID is echoed in the reply's ResponseMetadata (or, for an error,
// its RequestId). An AssumeRoleWithWebIdentity request is served whether
// or not it was signed: the web identity token is its credential, and any
// principal p is ignored.
func (a *API) Serve(ctx context.Context, requestID string, p *auth.Principal, form url.Values) (status int, body []byte) {
	action, err := a.action(form)
	if err == nil {
		var reply any
		switch action {
		case ActionAssumeRoleWithWebIdentity:
			reply, err = a.assumeRoleWithWebIdentity(ctx, requestID, form)
		case ActionGetCallerIdentity:
			reply, err = getCallerIdentity(p)
		}
		if err == nil {
			return http.StatusOK, encodeReply(reply, requestID)
		}
	}
	var we *awsjson.Error
	if !errors.As(err, &we) {
		a.Logger.ErrorContext(ctx, "sts action failed", keyRequestID, requestID, keyAction, action, keyErr, err)
		we = &awsjson.Error{
			Code: CodeInternalFailure, Status: http.StatusInternalServerError, Fault: true,
			Message: "The server experienced an internal error. Try again.",
		}
	}
	return ErrorResponse(requestID, we)
}

// NeedsSignature reports whether action must arrive signed. Only
// AssumeRoleWithWebIdentity may be sent unsigned, as STS models it; every
// other action, unknown ones included, is authenticated first, so that an
// unsigned caller learns nothing but that a signature is missing.
func NeedsSignature(action string) bool {
	return action != ActionAssumeRoleWithWebIdentity
}

// action returns the request's Action once it is known to be one this
// package serves at Version.
//
// STS answers a request without Action with MissingAction, and one whose
// Action or Version it does not know with InvalidAction naming both (a
// missing Version reads NO_VERSION_SPECIFIED).
func (a *API) action(form url.Values) (string, error) {
	action, err := single(form, "Action")
	if err != nil {
		return "", err
	}
	if action == "" {
		return "", &awsjson.Error{Code: CodeMissingAction, Message: "Missing Action", Status: http.StatusBadRequest}
	}
	version, err := single(form, "Version")
	if err != nil {
		return "", err
	}
	known := action == ActionAssumeRoleWithWebIdentity || action == ActionGetCallerIdentity
	if version != Version || !known {
		if version == "" {
			version = "NO_VERSION_SPECIFIED"
		}
		return "", awsjson.Errorf(CodeInvalidAction, "Could not find operation %s for version %s", truncate(action), truncate(version))
	}
	return action, nil
}

// single returns the one value of a form parameter, "" if it is absent.
// A parameter given twice is refused rather than resolved, so that no two
// readers of the request can see different values.
func single(form url.Values, name string) (string, error) {
	switch vs := form[name]; len(vs) {
	case 0:
		return "", nil
	case 1:
		return vs[0], nil
	}
	return "", awsjson.Errorf(CodeValidationError, "The parameter %s was given more than once.", name)
}

// maxEchoed is the most characters of a caller's value an error message
// repeats.
const maxEchoed = 256

func truncate(s string) string {
	n := 0
	for i := range s {
		if n == maxEchoed {
			return s[:i] + "..."
		}
		n++
	}
	return s
}
