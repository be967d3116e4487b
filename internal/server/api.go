package server

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"

	"github.com/license-manager/license-manager/internal/auth"
	"github.com/license-manager/license-manager/internal/awsjson"
	"github.com/license-manager/license-manager/internal/lmapi"
	"github.com/license-manager/license-manager/internal/token"
)

// API runs License Manager operations on JSON 1.1 request bodies. The HTTP
// server and the command line's embedded mode both call it, so they share
// validation, semantics and error mapping.
type API struct {
	Tokens *token.Service
	Logger *slog.Logger
}

type handler func(a *API, ctx context.Context, p auth.Principal, body []byte) (any, error)

var operations = map[string]handler{
	lmapi.OpCreateToken: (*API).createToken,
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
	switch {
	case errors.As(err, &we):
		return we
	case errors.Is(err, token.ErrClientTokenReused):
		return awsjson.Errorf(lmapi.ValidationException,
			"The client token was already used within the last 10 minutes with different request parameters; use a new client token or repeat the original request")
	case errors.Is(err, token.ErrTokenTooLarge):
		return awsjson.Errorf(lmapi.ValidationException,
			"The token would be longer than %d characters; use fewer or shorter TokenProperties and RoleArns", token.MaxTokenLength)
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
	if err := in.Validate(); err != nil {
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
	})
	if err != nil {
		return nil, err
	}
	return lmapi.CreateTokenOutput{
		TokenID: issued.ID, TokenType: lmapi.TokenTypeRefresh, Token: issued.Token,
	}, nil
}
