package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"

	"github.com/license-manager/license-manager/internal/auth"
	"github.com/license-manager/license-manager/internal/awsjson"
	"github.com/license-manager/license-manager/internal/license"
	"github.com/license-manager/license-manager/internal/lmapi"
	"github.com/license-manager/license-manager/internal/token"
)

// API runs License Manager operations on JSON 1.1 request bodies. The HTTP
// server and the command line's embedded mode both call it, so they share
// validation, semantics and error mapping.
type API struct {
	Tokens   *token.Service
	Licenses *license.Service
	Logger   *slog.Logger
}

type handler func(a *API, ctx context.Context, p auth.Principal, body []byte) (any, error)

var operations = map[string]handler{
	lmapi.OpCreateToken:    (*API).createToken,
	lmapi.OpListTokens:     (*API).listTokens,
	lmapi.OpDeleteToken:    (*API).deleteToken,
	lmapi.OpGetAccessToken: (*API).getAccessToken,

	lmapi.OpCreateLicense:            (*API).createLicense,
	lmapi.OpCreateLicenseVersion:     (*API).createLicenseVersion,
	lmapi.OpGetLicense:               (*API).getLicense,
	lmapi.OpListLicenses:             (*API).listLicenses,
	lmapi.OpListReceivedLicenses:     (*API).listReceivedLicenses,
	lmapi.OpListLicenseVersions:      (*API).listLicenseVersions,
	lmapi.OpDeleteLicense:            (*API).deleteLicense,
	lmapi.OpCheckoutLicense:          (*API).checkoutLicense,
	lmapi.OpCheckoutBorrowLicense:    (*API).checkoutBorrowLicense,
	lmapi.OpCheckInLicense:           (*API).checkInLicense,
	lmapi.OpExtendLicenseConsumption: (*API).extendLicenseConsumption,
	lmapi.OpGetLicenseUsage:          (*API).getLicenseUsage,
}

// callers lists the kinds of principal each operation accepts; an
// operation not listed accepts only auth.Account. Token administration
// needs the account's own key: temporary credentials act on their license
// only. GetAccessToken accepts anyone, as the refresh token in the request
// is the credential.
var callers = map[string][]auth.Kind{
	lmapi.OpGetAccessToken: {auth.Anonymous, auth.Account, auth.AssumedRole},
	// The calls role credentials are for, on their token's license (the
	// license service checks which license).
	lmapi.OpGetLicense:               {auth.Account, auth.AssumedRole},
	lmapi.OpGetLicenseUsage:          {auth.Account, auth.AssumedRole},
	lmapi.OpCheckoutLicense:          {auth.Account, auth.AssumedRole},
	lmapi.OpCheckInLicense:           {auth.Account, auth.AssumedRole},
	lmapi.OpExtendLicenseConsumption: {auth.Account, auth.AssumedRole},
	lmapi.OpCheckoutBorrowLicense:    {auth.Account, auth.AssumedRole},
}

// AcceptsAnonymous reports whether op may be called without a signature.
func AcceptsAnonymous(op string) bool { return accepts(op, auth.Anonymous) }

func accepts(op string, k auth.Kind) bool {
	kinds, ok := callers[op]
	if !ok {
		return k == auth.Account
	}
	return slices.Contains(kinds, k)
}

// authorize refuses p if op does not accept its kind of principal.
func authorize(p auth.Principal, op string) *awsjson.Error {
	if accepts(op, p.Kind) {
		return nil
	}
	if p.Kind == auth.Anonymous {
		return awsjson.Errorf(lmapi.AccessDeniedException,
			"An anonymous request is not authorized to perform: license-manager:%s; sign the request with an access key of the account", op)
	}
	return awsjson.Errorf(lmapi.AccessDeniedException,
		"User: %s is not authorized to perform: license-manager:%s; temporary credentials from a token act only on the token's license", p.ARN(), op)
}

// Call runs operation op as principal p with the JSON request body and
// returns the JSON reply, or the wire error to send. Internal failures are
// logged with the request id from ctx and reported as
// ServerInternalException without their cause.
func (a *API) Call(ctx context.Context, p auth.Principal, op string, body []byte) ([]byte, *awsjson.Error) {
	h, ok := operations[op]
	if !ok {
		return nil, awsjson.Errorf(awsjson.UnknownOperationException, "unknown operation %s", op)
	}
	if err := authorize(p, op); err != nil {
		return nil, err
	}
	out, err := h(a, ctx, p, body)
	if err != nil {
		return nil, a.wireError(ctx, op, err)
	}
	reply, err := json.Marshal(out)
	if err != nil {
		return nil, a.wireError(ctx, op, err)
	}
	return reply, nil
}

// Implemented reports whether op is an operation the API serves.
func Implemented(op string) bool {
	_, ok := operations[op]
	return ok
}

// wireError maps an error from an operation to what goes on the wire. It is
// the one place where domain errors meet AWS error codes.
func (a *API) wireError(ctx context.Context, op string, err error) *awsjson.Error {
	var we *awsjson.Error
	var le *license.Error
	switch {
	case errors.As(err, &we):
		return we
	case errors.As(err, &le):
		return awsjson.Errorf(licenseCodes[le.Code], "%s", le.Message)
	case errors.Is(err, token.ErrClientTokenReused):
		return awsjson.Errorf(lmapi.ValidationException,
			"The client token was already used within the last 10 minutes with different request parameters; use a new client token or repeat the original request")
	case errors.Is(err, token.ErrTokenTooLarge) && op == lmapi.OpGetAccessToken:
		return awsjson.Errorf(lmapi.ValidationException,
			"The access token would be longer than %d characters; create a refresh token with fewer or shorter TokenProperties and RoleArns", token.MaxTokenLength)
	case errors.Is(err, token.ErrTokenTooLarge):
		return awsjson.Errorf(lmapi.ValidationException,
			"The token would be longer than %d characters; use fewer or shorter TokenProperties and RoleArns", token.MaxTokenLength)
	case errors.Is(err, token.ErrInvalidNextToken):
		return awsjson.Errorf(lmapi.ValidationException,
			"Invalid NextToken: pass the NextToken of the previous %s reply unchanged, with the same other parameters", op)
	case errors.Is(err, token.ErrMalformed):
		return awsjson.Errorf(lmapi.ValidationException,
			"1 validation error detected: Value at 'token' failed to satisfy constraint: Member must be a JWT in compact serialization (three base64url segments separated by periods)")
	}
	if msg, ok := refusal(err); ok {
		// Not an error of the server's, but an operator wants to see
		// forgeries; the reason is a fixed phrase, never the token.
		a.Logger.InfoContext(ctx, "token refused", keyRequestID, RequestID(ctx), keyOperation, op, keyReason, msg)
		return awsjson.Errorf(lmapi.AuthorizationException, "%s", msg)
	}
	switch {
	case errors.Is(err, context.Canceled):
		return &awsjson.Error{Code: lmapi.ServerInternalException, Message: "The request was canceled.", Status: 500, Fault: true}
	}
	a.Logger.ErrorContext(ctx, "operation failed", keyOperation, op, keyErr, err)
	return &awsjson.Error{
		Code:    lmapi.ServerInternalException,
		Message: "The server experienced an internal error. Try again.",
		Status:  500,
		Fault:   true,
	}
}

func (a *API) createToken(ctx context.Context, p auth.Principal, body []byte) (any, error) {
	var in lmapi.CreateTokenInput
	if err := awsjson.Decode(body, &in); err != nil {
		return nil, err
	}
	if err := in.ValidateFor(p.AccountID); err != nil {
		return nil, err
	}
	days := lmapi.DefaultExpirationInDays
	if in.ExpirationInDays != nil {
		days = int(*in.ExpirationInDays)
	}
	issued, err := a.Tokens.Create(ctx, token.CreateRequest{
		AccountID:        p.AccountID,
		LicenseARN:       *in.LicenseARN,
		RoleARNs:         in.RoleARNs,
		Properties:       in.TokenProperties,
		ExpirationInDays: days,
		ClientToken:      *in.ClientToken,
		Admit: func(ctx context.Context) error {
			return a.Licenses.CheckForToken(ctx, p.AccountID, *in.LicenseARN)
		},
	})
	if err != nil {
		return nil, err
	}
	return lmapi.CreateTokenOutput{
		TokenID: issued.ID, TokenType: lmapi.TokenTypeRefresh, Token: issued.Token,
	}, nil
}

// licenseCodes are the error codes of the license service's refusals.
var licenseCodes = map[license.Code]string{
	license.NotFound:              lmapi.ResourceNotFoundException,
	license.InvalidParameter:      lmapi.InvalidParameterValueException,
	license.Invalid:               lmapi.ValidationException,
	license.Conflict:              lmapi.ConflictException,
	license.NoEntitlements:        lmapi.NoEntitlementsAllowedException,
	license.EntitlementNotAllowed: lmapi.EntitlementNotAllowedException,
	license.UnsupportedSignature:  lmapi.UnsupportedDigitalSignatureMethodException,
	license.AccessDenied:          lmapi.AccessDeniedException,
}

// caller is the license service's view of principal p.
func caller(p auth.Principal) license.Caller {
	return license.Caller{Account: p.AccountID, License: p.LicenseARN, ARN: p.ARN()}
}

// keyReason is the log attribute that says why a token was refused.
const keyReason = "reason"

// refusals are the AuthorizationException messages for refresh tokens that
// GetAccessToken refuses, by the check that failed.
var refusals = []struct {
	err error
	msg string
}{
	{token.ErrExpired, "The token has expired."},
	{token.ErrDeleted, "The token was deleted."},
	{token.ErrNotYetValid, "The token is not valid yet."},
	{token.ErrBadSignature, "The token signature is invalid."},
	{token.ErrUnknownKey, "The token was not issued by this installation: its signing key (kid) is unknown."},
	{token.ErrWrongUse, "The token is not a refresh token. An access token cannot be used here; pass a refresh token."},
	{token.ErrDuplicateClaim, "The token is invalid: a claim appears twice."},
	{token.ErrMissingAudience, "The token is invalid: it has no aud claim."},
	{token.ErrUnknownToken, "The token is not known to this installation."},
	{token.ErrPropertiesMismatch, "TokenProperties do not match the token: each must be one of the token's properties."},
}

// refusal returns the message for a refused token, if err is one.
func refusal(err error) (string, bool) {
	for _, r := range refusals {
		if errors.Is(err, r.err) {
			return r.msg, true
		}
	}
	return "", false
}

func (a *API) listTokens(ctx context.Context, p auth.Principal, body []byte) (any, error) {
	var in lmapi.ListTokensInput
	if err := awsjson.Decode(body, &in); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	req := token.ListRequest{
		AccountID:  p.AccountID,
		IDs:        in.TokenIDs,
		LicenseARN: in.LicenseARN(),
		MaxResults: lmapi.DefaultMaxResults,
	}
	if in.MaxResults != nil {
		req.MaxResults = int(*in.MaxResults)
	}
	if in.NextToken != nil {
		req.NextToken = *in.NextToken
	}
	page, err := a.Tokens.List(ctx, req)
	if err != nil {
		return nil, err
	}
	out := lmapi.ListTokensOutput{Tokens: make([]lmapi.TokenData, 0, len(page.Tokens)), NextToken: page.NextToken}
	for _, t := range page.Tokens {
		out.Tokens = append(out.Tokens, lmapi.TokenData{
			TokenID:         t.ID,
			TokenType:       lmapi.TokenTypeRefresh,
			LicenseARN:      t.LicenseARN,
			ExpirationTime:  t.ExpiresAt.UTC().Format(lmapi.TimeFormat),
			TokenProperties: nonNil(t.Properties),
			RoleARNs:        nonNil(t.RoleARNs),
			Status:          t.Status,
		})
	}
	return out, nil
}

func (a *API) deleteToken(ctx context.Context, p auth.Principal, body []byte) (any, error) {
	var in lmapi.DeleteTokenInput
	if err := awsjson.Decode(body, &in); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	err := a.Tokens.Delete(ctx, p.AccountID, *in.TokenID)
	if errors.Is(err, token.ErrUnknownToken) {
		// Another account's token is as unknown as one never issued.
		return nil, awsjson.Errorf(lmapi.ResourceNotFoundException,
			"The token %s does not exist.", lmapi.Quote(*in.TokenID))
	}
	if err != nil {
		return nil, err
	}
	return lmapi.DeleteTokenOutput{}, nil
}

func (a *API) getAccessToken(ctx context.Context, _ auth.Principal, body []byte) (any, error) {
	var in lmapi.GetAccessTokenInput
	if err := awsjson.Decode(body, &in); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	// The refresh token is the credential: whoever presents it, signed or
	// not, acts for the token's account.
	at, err := a.Tokens.GetAccessToken(ctx, *in.Token, in.TokenProperties)
	if err != nil {
		return nil, fmt.Errorf("get access token: %w", err)
	}
	return lmapi.GetAccessTokenOutput{AccessToken: at.Token}, nil
}

func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}
