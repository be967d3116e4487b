package sigv4

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go/encoding/httpbinding"
)

// canonicalURI returns the canonical URI of r: the path as the client sent
// it (escaped), escaped once more, as SigV4 does for every service but S3.
// An empty path is "/".
func canonicalURI(r *http.Request) string {
	p := r.URL.EscapedPath()
	if p == "" {
		p = "/"
	}
	return httpbinding.EscapePath(p, false)
}

// canonicalQuery returns the canonical query string: every name and value
// percent-encoded (all but A-Z a-z 0-9 - _ . ~, a space as %20), the pairs
// sorted by name, then value, after encoding.
func canonicalQuery(raw string) string {
	q, _ := url.ParseQuery(raw)
	pairs := make([]string, 0, len(q))
	for k, vs := range q {
		ek := queryEscape(k)
		for _, v := range vs {
			pairs = append(pairs, ek+"="+queryEscape(v))
		}
	}
	sort.Strings(pairs)
	return strings.Join(pairs, "&")
}

func queryEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// sdkSignature re-signs a copy of r that carries exactly the headers the
// client signed, with the client's date and the key's secret, using the
// SDK's signer, and returns the signature. It returns false when the SDK
// would not sign exactly the client's SignedHeaders: it always signs Host
// and X-Amz-Date, signs Content-Length only when it is positive, and never
// signs User-Agent, Expect, Transfer-Encoding, X-Amzn-Trace-Id or
// Authorization. The check compares the SignedHeaders the SDK wrote with
// the client's, so no such rule needs to be repeated here.
func sdkSignature(r *http.Request, req *request, payloadHash, secret string) (string, bool) {
	if req.dateHeader != "x-amz-date" {
		return "", false
	}
	values := headerValues(r)
	// The URL has no scheme, so the signer keeps a port of 80 or 443 in
	// the host as the client sent it.
	c := &http.Request{
		Method: r.Method,
		URL:    &url.URL{Path: r.URL.Path, RawPath: r.URL.RawPath, RawQuery: r.URL.RawQuery, Host: r.Host},
		Host:   r.Host,
		Header: http.Header{},
	}
	for _, name := range req.signedHeaders {
		switch name {
		case "host":
		case "x-amz-date":
			// The signer writes X-Amz-Date itself, from the date parsed.
		case "content-length":
			vs := values[name]
			if len(vs) != 1 {
				return "", false
			}
			n, err := strconv.ParseInt(vs[0], 10, 64)
			if err != nil || n <= 0 || strconv.FormatInt(n, 10) != vs[0] {
				return "", false
			}
			c.ContentLength = n
		default:
			c.Header[http.CanonicalHeaderKey(name)] = values[name]
		}
	}
	// The session token, if signed, is among the headers copied; the
	// signer adds none of its own with an empty SessionToken.
	creds := aws.Credentials{AccessKeyID: req.accessKeyID, SecretAccessKey: secret}
	// A new signer each time: the SDK's signer caches the key it derives
	// by access key id, region, service and day, but not by secret. For a
	// client that is harmless; for a verifier it would let a secret that
	// changed for the same key id (a reloaded or edited credentials file,
	// another Verifier in the process) be judged with the old one.
	err := v4.NewSigner().SignHTTP(context.Background(), creds, c, payloadHash, strings.Split(req.scope, "/")[2], req.region, req.date,
		func(o *v4.SignerOptions) { o.DisableSessionToken = true })
	if err != nil {
		return "", false
	}
	_, rest, _ := strings.Cut(c.Header.Get("Authorization"), "SignedHeaders=")
	sdkSigned, sig, _ := strings.Cut(rest, ", Signature=")
	if sdkSigned != strings.Join(req.signedHeaders, ";") {
		return "", false
	}
	// The signer overwrote X-Amz-Date with the same date it signed with;
	// a different value in the client's header would be signed under
	// another date than the one checked.
	if got := c.Header.Get("X-Amz-Date"); got != req.date.Format(amzDateFormat) {
		return "", false
	}
	return sig, true
}
