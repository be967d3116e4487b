// Package lmapi holds the AWS License Manager API as this project serves it:
// operation names, request and response shapes with AWS's member names, error
// codes, and the server-side validation of requests with AWS's messages.
//
// The shapes follow the model in internal/model; the API reference is
// https://docs.aws.amazon.com/license-manager/latest/APIReference/.
package lmapi

// TargetPrefix prefixes the operation name in the X-Amz-Target header.
const TargetPrefix = "AWSLicenseManager"

// Operation names.
const (
	OpCreateToken    = "CreateToken"
	OpGetAccessToken = "GetAccessToken"
	OpListTokens     = "ListTokens"
	OpDeleteToken    = "DeleteToken"

	OpCreateLicense            = "CreateLicense"
	OpGetLicense               = "GetLicense"
	OpListLicenses             = "ListLicenses"
	OpListReceivedLicenses     = "ListReceivedLicenses"
	OpDeleteLicense            = "DeleteLicense"
	OpCreateLicenseVersion     = "CreateLicenseVersion"
	OpListLicenseVersions      = "ListLicenseVersions"
	OpCheckoutLicense          = "CheckoutLicense"
	OpCheckInLicense           = "CheckInLicense"
	OpExtendLicenseConsumption = "ExtendLicenseConsumption"
	OpGetLicenseUsage          = "GetLicenseUsage"
	OpCheckoutBorrowLicense    = "CheckoutBorrowLicense"
)

// Error codes of the License Manager model, spelled as AWS spells them.
const (
	ValidationException            = "ValidationException"
	AuthorizationException         = "AuthorizationException"
	AccessDeniedException          = "AccessDeniedException"
	RateLimitExceededException     = "RateLimitExceededException"
	ResourceLimitExceededException = "ResourceLimitExceededException"
	ResourceNotFoundException      = "ResourceNotFoundException"
	ServerInternalException        = "ServerInternalException"
	ConflictException              = "ConflictException"

	NoEntitlementsAllowedException             = "NoEntitlementsAllowedException"
	EntitlementNotAllowedException             = "EntitlementNotAllowedException"
	UnsupportedDigitalSignatureMethodException = "UnsupportedDigitalSignatureMethodException"
	InvalidParameterValueException             = "InvalidParameterValueException"
)

// TokenTypeRefresh is the TokenType of tokens CreateToken issues.
const TokenTypeRefresh = "REFRESH_TOKEN"

// CreateTokenInput is the CreateTokenRequest shape. Pointers and nil slices
// mark absent members.
type CreateTokenInput struct {
	LicenseARN       *string  `json:"LicenseArn"`
	RoleARNs         []string `json:"RoleArns"`
	ExpirationInDays *int64   `json:"ExpirationInDays"`
	TokenProperties  []string `json:"TokenProperties"`
	ClientToken      *string  `json:"ClientToken"`
}

// CreateTokenOutput is the CreateTokenResponse shape, members in model order.
type CreateTokenOutput struct {
	TokenID   string `json:"TokenId"`
	TokenType string `json:"TokenType"`
	Token     string `json:"Token"`
}
