package lmapi

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/license-manager/license-manager/internal/arn"
	"github.com/license-manager/license-manager/internal/awsjson"
)

// Limits of ListTokens and GetAccessToken.
const (
	// DefaultMaxResults is the ListTokens page size when MaxResults is
	// absent.
	DefaultMaxResults = 100
	// MaxMaxResults is the MaxSize100 limit of MaxResults.
	MaxMaxResults = 100
	// MaxTokenStringLength is the TokenString shape's maximum length.
	MaxTokenStringLength = 4096
)

// FilterLicenseArns is the one filter name ListTokens supports.
const FilterLicenseArns = "LicenseArns"

// TimeFormat is how ExpirationTime is written: ISO 8601 in UTC, to the
// second, which the model's ISO8601DateTime pattern accepts.
const TimeFormat = "2006-01-02T15:04:05Z"

// Filter is the Filter shape.
type Filter struct {
	Name   *string  `json:"Name"`
	Values []string `json:"Values"`
}

// ListTokensInput is the ListTokensRequest shape.
type ListTokensInput struct {
	TokenIDs   []string `json:"TokenIds"`
	Filters    []Filter `json:"Filters"`
	NextToken  *string  `json:"NextToken"`
	MaxResults *int64   `json:"MaxResults"`
}

// ListTokensOutput is the ListTokensResponse shape. Tokens is never null;
// NextToken is left out on the last page.
type ListTokensOutput struct {
	Tokens    []TokenData `json:"Tokens"`
	NextToken string      `json:"NextToken,omitempty"`
}

// TokenData is the TokenData shape, members in model order. The lists are
// never null: a token without roles or properties has empty lists. Status
// is AVAILABLE or DELETED.
type TokenData struct {
	TokenID         string   `json:"TokenId"`
	TokenType       string   `json:"TokenType"`
	LicenseARN      string   `json:"LicenseArn"`
	ExpirationTime  string   `json:"ExpirationTime"`
	TokenProperties []string `json:"TokenProperties"`
	RoleARNs        []string `json:"RoleArns"`
	Status          string   `json:"Status"`
}

// DeleteTokenInput is the DeleteTokenRequest shape.
type DeleteTokenInput struct {
	TokenID *string `json:"TokenId"`
}

// DeleteTokenOutput is the empty DeleteTokenResponse shape: the reply is {}.
type DeleteTokenOutput struct{}

// GetAccessTokenInput is the GetAccessTokenRequest shape.
type GetAccessTokenInput struct {
	Token           *string  `json:"Token"`
	TokenProperties []string `json:"TokenProperties"`
}

// GetAccessTokenOutput is the GetAccessTokenResponse shape.
type GetAccessTokenOutput struct {
	AccessToken string `json:"AccessToken"`
}

// Validate checks a ListTokens request: MaxResults from 1 to 100, and at
// most one filter, named LicenseArns, with exactly one value that is a
// license ARN. TokenIds may name any ids; unknown ones match nothing.
func (in *ListTokensInput) Validate() *awsjson.Error {
	var v Violations
	for i, id := range in.TokenIDs {
		if strings.ContainsRune(id, 0) {
			v.Add(Quote(id), fmt.Sprintf("tokenIds.%d.member", i+1), mustNotContainNUL)
		}
	}
	licenseFilters := 0
	var names []string
	for i, f := range in.Filters {
		path := fmt.Sprintf("filters.%d.member", i+1)
		if f.Name != nil {
			names = append(names, *f.Name)
		}
		switch {
		case f.Name == nil:
			v.Add(Null, path+".name", mustNotBeNull)
		case *f.Name != FilterLicenseArns:
			v.Add(Quote(*f.Name), path+".name", "Member must satisfy enum value set: ["+FilterLicenseArns+"]")
		default:
			licenseFilters++
		}
		switch {
		case len(f.Values) == 0:
			v.Add(QuoteList(f.Values), path+".values", minLength(1))
		case len(f.Values) > 1:
			v.Add(QuoteList(f.Values), path+".values", maxLength(1))
		case f.Name != nil && *f.Name == FilterLicenseArns:
			checkARN(&v, path+".values.1.member", f.Values[0], arn.IsLicense, licenseKind)
		}
	}
	if licenseFilters > 1 {
		v.Add(QuoteList(names), "filters", "Member must have at most one filter named "+FilterLicenseArns)
	}
	if m := in.MaxResults; m != nil {
		switch {
		case *m < 1:
			v.Add(Quote(strconv.FormatInt(*m, 10)), "maxResults", minValue(1))
		case *m > MaxMaxResults:
			v.Add(Quote(strconv.FormatInt(*m, 10)), "maxResults", maxValue(MaxMaxResults))
		}
	}
	return v.Err()
}

// LicenseARN returns the value of the LicenseArns filter, or "" if there
// is none. Call it after Validate.
func (in *ListTokensInput) LicenseARN() string {
	for _, f := range in.Filters {
		if f.Name != nil && *f.Name == FilterLicenseArns && len(f.Values) == 1 {
			return f.Values[0]
		}
	}
	return ""
}

// Validate checks a DeleteToken request: TokenId is required and not empty.
func (in *DeleteTokenInput) Validate() *awsjson.Error {
	var v Violations
	switch {
	case in.TokenID == nil:
		v.Add(Null, "tokenId", mustNotBeNull)
	case *in.TokenID == "":
		v.Add(Quote(""), "tokenId", minLength(1))
	case strings.ContainsRune(*in.TokenID, 0):
		v.Add(Quote(*in.TokenID), "tokenId", mustNotContainNUL)
	}
	return v.Err()
}

// Validate checks a GetAccessToken request against the model: Token is
// required, at most 4096 characters, matching \S+; at most three
// TokenProperties. The token is a credential, so no message echoes it.
// Whether it is a JWT at all is the token service's to say.
func (in *GetAccessTokenInput) Validate() *awsjson.Error {
	var v Violations
	switch {
	case in.Token == nil:
		v.Add(Null, "token", mustNotBeNull)
	case utf8.RuneCountInString(*in.Token) > MaxTokenStringLength:
		v.addSecret("token", maxLength(MaxTokenStringLength))
	case !noSpaceRE.MatchString(*in.Token) || strings.ContainsRune(*in.Token, 0):
		v.addSecret("token", patternPrefix+`\S+`)
	}
	if len(in.TokenProperties) > MaxTokenProperties {
		v.Add(QuoteList(in.TokenProperties), "tokenProperties", maxLength(MaxTokenProperties))
	} else {
		for i, p := range in.TokenProperties {
			if strings.ContainsRune(p, 0) {
				v.Add(Quote(p), fmt.Sprintf("tokenProperties.%d.member", i+1), mustNotContainNUL)
			}
		}
	}
	return v.Err()
}

// addSecret records a violation of a member whose value must not be
// repeated back, as AWS words it for sensitive members.
func (v *Violations) addSecret(path, constraint string) {
	*v = append(*v, fmt.Sprintf("Value at '%s' failed to satisfy constraint: %s", path, constraint))
}
