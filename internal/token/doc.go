// Package token issues and checks the tokens of License Manager's token
// service: refresh tokens (CreateToken, ListTokens, DeleteToken), the
// short-lived access tokens GetAccessToken derives from them, and the
// signing keys both are signed with, published as a JWKS. It knows the
// tokens' claims and the store, not HTTP or the AWS wire format.
package token
