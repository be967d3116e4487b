// Package sigv4 verifies AWS Signature Version 4 on requests the server
// receives: the Authorization header form that the aws CLI, boto3 and the
// AWS SDKs send. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
//
// The verifier recomputes the signature from the request as it arrived:
// exactly the headers the client lists in SignedHeaders, the Host header
// with its port, the method, path and query, and the SHA-256 of the body
// as the server read it, with the secret of the access key the credential
// names (found by a Resolver) and the client's X-Amz-Date. It also checks
// the credential scope (its date is the request's date, its service the
// endpoint's, its region any) and that X-Amz-Date is within five minutes
// of the server's clock. Signatures are compared in constant time.
//
// Query-string authentication (presigned URLs) is not served: no client of
// the JSON or query protocols sends it, and a request carrying it is
// refused rather than treated as unsigned.
package sigv4

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/license-manager/license-manager/internal/auth"
)

// Algorithm is the one signing algorithm accepted.
const Algorithm = "AWS4-HMAC-SHA256"

// MaxSkew is how far X-Amz-Date may be from the server's clock, either way.
const MaxSkew = 5 * time.Minute

// Services, as they appear in the credential scope.
const (
	ServiceLicenseManager = "license-manager"
	ServiceSTS            = "sts"
)

// scopeTerminator ends every credential scope.
const scopeTerminator = "aws4_request"

// amzDateFormat is the ISO 8601 basic format of X-Amz-Date.
const amzDateFormat = "20060102T150405Z"

// Code classifies a refused request. The server turns each into the error
// of its protocol (JSON 1.1 or query).
type Code int

const (
	// MissingAuthentication: the request is not signed at all.
	MissingAuthentication Code = iota + 1
	// IncompleteSignature: the Authorization header is malformed or lacks
	// a part.
	IncompleteSignature
	// UnrecognizedClient: the access key is not known, or its session
	// token is missing or invalid.
	UnrecognizedClient
	// ExpiredToken: temporary credentials have expired.
	ExpiredToken
	// SignatureMismatch: the signature is wrong, expired or not yet
	// current, or the credential scope is wrong.
	SignatureMismatch
)

func (c Code) String() string {
	switch c {
	case MissingAuthentication:
		return "MissingAuthentication"
	case IncompleteSignature:
		return "IncompleteSignature"
	case UnrecognizedClient:
		return "UnrecognizedClient"
	case ExpiredToken:
		return "ExpiredToken"
	case SignatureMismatch:
		return "SignatureMismatch"
	}
	return fmt.Sprintf("Code(%d)", int(c))
}

// Messages of refused requests, in AWS's words.
const (
	MsgMissingAuthentication = "Request is missing Authentication Token"
	MsgUnrecognizedClient    = "The security token included in the request is invalid."
	MsgExpiredToken          = "The security token included in the request is expired"
	MsgSignatureMismatch     = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)

// Error is a refused request: what the client is told (Code, Message) and,
// for the server's log only, the reason (Reason), which never holds a
// secret, a signature or a token.
type Error struct {
	Code    Code
	Message string
	Reason  string
}

func (e *Error) Error() string { return e.Code.String() + ": " + e.Message }

func refuse(code Code, reason, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Reason: reason}
}

// Resolver finds access keys.
type Resolver interface {
	// Resolve returns the secret of accessKeyID and the principal it acts
	// as; sessionToken is X-Amz-Security-Token ("" if absent). It returns
	// auth.ErrUnknownKey or auth.ErrExpiredToken for keys it refuses, any
	// other error for a failure.
	Resolve(ctx context.Context, accessKeyID, sessionToken string) (secret string, p auth.Principal, err error)
	// Active reports, once the signature is good, whether p may still act,
	// with the errors of Resolve.
	Active(ctx context.Context, p auth.Principal) error
}

// Verifier verifies signed requests.
type Verifier struct {
	Resolver Resolver
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

// Signed reports whether r carries any signature, well-formed or not: an
// Authorization header, or the parameters of query-string authentication.
// An unsigned request may still be served as anonymous where the operation
// allows it; a signed one is always verified.
func Signed(r *http.Request) bool {
	if _, ok := r.Header["Authorization"]; ok {
		return true
	}
	q := r.URL.Query()
	return q.Has("X-Amz-Algorithm") || q.Has("X-Amz-Credential") || q.Has("X-Amz-Signature")
}

// Verify checks the signature of r, whose body the server has read into
// body, for service, and returns the principal of the key that signed it.
// A refused request is an *Error; any other error is a failure of the
// server (the key store could not be read).
func (v *Verifier) Verify(ctx context.Context, r *http.Request, body []byte, service string) (auth.Principal, error) {
	now := time.Now()
	if v.Now != nil {
		now = v.Now()
	}
	req, rerr := parse(r, service, now)
	if rerr != nil {
		return auth.Principal{}, rerr
	}
	sum := sha256.Sum256(body)
	payloadHash := hex.EncodeToString(sum[:])
	if claimed := r.Header.Values("X-Amz-Content-Sha256"); len(claimed) > 0 {
		// The server hashes what it read; a client that declares another
		// hash (or UNSIGNED-PAYLOAD) signed something else.
		if len(claimed) != 1 || claimed[0] != payloadHash {
			return auth.Principal{}, refuse(SignatureMismatch, "x-amz-content-sha256 differs from the body's hash",
				"The provided 'x-amz-content-sha256' header does not match what was computed.")
		}
	}
	secret, p, err := v.Resolver.Resolve(ctx, req.accessKeyID, strings.Join(r.Header.Values("X-Amz-Security-Token"), ","))
	if err != nil {
		return auth.Principal{}, keyError(err)
	}
	want := signature(r, req, payloadHash, secret)
	if subtle.ConstantTimeCompare([]byte(want), []byte(req.signature)) != 1 {
		return auth.Principal{}, refuse(SignatureMismatch, "signature mismatch", MsgSignatureMismatch)
	}
	if err := v.Resolver.Active(ctx, p); err != nil {
		return auth.Principal{}, keyError(err)
	}
	return p, nil
}

// keyError maps a Resolver error.
func keyError(err error) error {
	switch {
	case errors.Is(err, auth.ErrUnknownKey):
		return &Error{Code: UnrecognizedClient, Message: MsgUnrecognizedClient, Reason: err.Error()}
	case errors.Is(err, auth.ErrExpiredToken):
		return &Error{Code: ExpiredToken, Message: MsgExpiredToken, Reason: err.Error()}
	}
	return fmt.Errorf("resolve access key: %w", err)
}

// request is a parsed Authorization header and the request's date.
type request struct {
	accessKeyID   string
	scope         string // DATE/REGION/SERVICE/aws4_request
	region        string
	signedHeaders []string // as listed: lower case, sorted
	signature     string
	date          time.Time
	dateHeader    string // x-amz-date or date, whichever gave the date
}

// parse reads and checks the Authorization header and the request's date.
func parse(r *http.Request, service string, now time.Time) (*request, *Error) {
	values := r.Header.Values("Authorization")
	switch {
	case len(values) == 0:
		q := r.URL.Query()
		if q.Has("X-Amz-Algorithm") || q.Has("X-Amz-Credential") || q.Has("X-Amz-Signature") {
			return nil, refuse(IncompleteSignature, "query-string authentication",
				"Query-string authentication (a presigned URL) is not supported by this server; sign the request's Authorization header.")
		}
		return nil, refuse(MissingAuthentication, "no Authorization header", MsgMissingAuthentication)
	case len(values) > 1:
		return nil, refuse(IncompleteSignature, "several Authorization headers",
			"The request has %d Authorization headers; sign it with exactly one.", len(values))
	}
	header := values[0]
	alg, rest, _ := strings.Cut(header, " ")
	if alg != Algorithm {
		return nil, refuse(IncompleteSignature, "unsupported algorithm",
			"Unsupported Authorization type %s; this server verifies %s (Signature Version 4) only.", quote(alg), Algorithm)
	}
	params := map[string]string{}
	for _, part := range strings.Split(rest, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, val, ok := strings.Cut(part, "=")
		if !ok {
			return nil, refuse(IncompleteSignature, "Authorization part without =",
				"'%s' not a valid key=value pair (missing equal-sign) in Authorization header: '%s'.", part, header)
		}
		if _, dup := params[k]; dup {
			return nil, refuse(IncompleteSignature, "Authorization part given twice",
				"The Authorization header has '%s' more than once: '%s'.", k, header)
		}
		params[k] = val
	}
	var missing []string
	for _, k := range []string{"Credential", "Signature", "SignedHeaders"} {
		if _, ok := params[k]; !ok {
			missing = append(missing, fmt.Sprintf("Authorization header requires '%s' parameter.", k))
		}
	}
	if n := len(r.Header.Values("X-Amz-Date")); n > 1 {
		return nil, refuse(IncompleteSignature, "several X-Amz-Date headers",
			"The request has %d X-Amz-Date headers; send exactly one.", n)
	}
	amzDate, dateHeader := r.Header.Get("X-Amz-Date"), "x-amz-date"
	if amzDate == "" {
		amzDate, dateHeader = r.Header.Get("Date"), "date"
	}
	if amzDate == "" {
		missing = append(missing, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
	}
	if len(missing) > 0 {
		return nil, refuse(IncompleteSignature, "Authorization lacks a part",
			"%s Authorization=%s", strings.Join(missing, " "), header)
	}

	req := &request{signature: params["Signature"], dateHeader: dateHeader}
	var err error
	if dateHeader == "x-amz-date" {
		req.date, err = time.Parse(amzDateFormat, amzDate)
		if err == nil && req.date.Format(amzDateFormat) != amzDate {
			err = errors.New("not in canonical form")
		}
	} else {
		req.date, err = http.ParseTime(amzDate)
	}
	if err != nil {
		return nil, refuse(IncompleteSignature, "malformed date",
			"Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601", amzDate)
	}
	req.date = req.date.UTC()

	cred := strings.Split(params["Credential"], "/")
	if len(cred) != 5 || cred[0] == "" {
		return nil, refuse(IncompleteSignature, "malformed Credential",
			"Credential must have the form ACCESS-KEY-ID/YYYYMMDD/REGION/SERVICE/aws4_request; got %d parts in Authorization header: '%s'.", len(cred), header)
	}
	req.accessKeyID, req.region = cred[0], cred[2]
	req.scope = strings.Join(cred[1:], "/")
	if day := req.date.Format("20060102"); cred[1] != day {
		return nil, refuse(SignatureMismatch, "credential scope date differs from the request's",
			"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.", cred[1], day, dateHeader)
	}
	if cred[2] == "" {
		return nil, refuse(SignatureMismatch, "empty region in credential scope",
			"Credential should be scoped to a valid region, not ''.")
	}
	if cred[3] != service {
		return nil, refuse(SignatureMismatch, "credential scope names service "+quote(cred[3]),
			"Credential should be scoped to correct service: '%s'.", service)
	}
	if cred[4] != scopeTerminator {
		return nil, refuse(SignatureMismatch, "bad scope terminator",
			"Credential should be scoped with a valid terminator: '%s', not '%s'.", scopeTerminator, cred[4])
	}

	signed := params["SignedHeaders"]
	req.signedHeaders = strings.Split(signed, ";")
	hasHost := false
	for i, h := range req.signedHeaders {
		if h == "" || h != strings.ToLower(h) || (i > 0 && h <= req.signedHeaders[i-1]) {
			return nil, refuse(IncompleteSignature, "malformed SignedHeaders",
				"SignedHeaders must list lower-case header names, sorted, each once, separated by ';'; got '%s'.", signed)
		}
		hasHost = hasHost || h == "host"
	}
	if !hasHost {
		return nil, refuse(IncompleteSignature, "host not signed",
			"'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
	}

	// AWS's wording for both directions: the date, the earliest (or
	// latest) date accepted, and the server's time.
	f := func(t time.Time) string { return t.UTC().Format(amzDateFormat) }
	switch {
	case now.Sub(req.date) > MaxSkew:
		return nil, refuse(SignatureMismatch, "signature expired",
			"Signature expired: %s is now earlier than %s (%s - 5 min.)", f(req.date), f(now.Add(-MaxSkew)), f(now))
	case req.date.Sub(now) > MaxSkew:
		return nil, refuse(SignatureMismatch, "signature not yet current",
			"Signature not yet current: %s is still later than %s (%s + 5 min.)", f(req.date), f(now.Add(MaxSkew)), f(now))
	}
	return req, nil
}

// signature returns the signature r should carry, computed by the SDK's
// signer where it signs exactly the headers the client signed, else from a
// canonical request built here.
func signature(r *http.Request, req *request, payloadHash, secret string) string {
	if sig, ok := sdkSignature(r, req, payloadHash, secret); ok {
		return sig
	}
	return ownSignature(r, req, payloadHash, secret)
}

// ownSignature signs the canonical request of r as the SigV4 specification
// builds it. The SDK's signer cannot be used when the client signed a
// header that it never signs (User-Agent, Expect, X-Amzn-Trace-Id, ...,
// which some clients do sign), a Content-Length of 0, or a date from the
// Date header.
func ownSignature(r *http.Request, req *request, payloadHash, secret string) string {
	canonical := canonicalRequest(r, req.signedHeaders, payloadHash)
	sum := sha256.Sum256([]byte(canonical))
	stringToSign := Algorithm + "\n" + req.date.Format(amzDateFormat) + "\n" + req.scope + "\n" + hex.EncodeToString(sum[:])
	return hex.EncodeToString(hmacSHA256(signingKey(secret, req.scope), []byte(stringToSign)))
}

// canonicalRequest returns the canonical request of r with the headers
// signed.
func canonicalRequest(r *http.Request, signed []string, payloadHash string) string {
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	b.WriteString(canonicalURI(r))
	b.WriteByte('\n')
	b.WriteString(canonicalQuery(r.URL.RawQuery))
	b.WriteByte('\n')
	values := headerValues(r)
	for _, name := range signed {
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(canonicalHeaderValue(values[name]))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(signed, ";"))
	b.WriteByte('\n')
	b.WriteString(payloadHash)
	return b.String()
}

// headerValues returns r's headers by lower-case name, with the Host and
// Content-Length that net/http keeps outside Header.
func headerValues(r *http.Request) map[string][]string {
	m := make(map[string][]string, len(r.Header)+2)
	for k, vs := range r.Header {
		lk := strings.ToLower(k)
		m[lk] = append(m[lk], vs...)
	}
	m["host"] = []string{r.Host}
	if _, ok := m["content-length"]; !ok && r.ContentLength >= 0 && len(r.TransferEncoding) == 0 {
		m["content-length"] = []string{fmt.Sprint(r.ContentLength)}
	}
	return m
}

// canonicalHeaderValue trims each value, collapses runs of spaces to one
// and joins the values with commas.
func canonicalHeaderValue(values []string) string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = strings.Join(strings.FieldsFunc(v, func(r rune) bool { return r == ' ' }), " ")
	}
	return strings.Join(out, ",")
}

// signingKey derives the key of a scope (DATE/REGION/SERVICE/aws4_request)
// from the secret.
func signingKey(secret, scope string) []byte {
	key := []byte("AWS4" + secret)
	for _, part := range strings.Split(scope, "/") {
		key = hmacSHA256(key, []byte(part))
	}
	return key
}

func hmacSHA256(key, data []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write(data)
	return h.Sum(nil)
}

// quote returns s in single quotes, cut to 64 bytes: for echoing what a
// client sent in an error message.
func quote(s string) string {
	if len(s) > 64 {
		s = s[:64] + "..."
	}
	return "'" + s + "'"
}
