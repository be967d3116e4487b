package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// serviceError is an error reply from the service (exit 254).
type serviceError struct {
	Code    string
	Message string
	Status  int
	Retries int // retries made before giving up, shown as aws shows them
}

func (e *serviceError) Error() string { return e.Code + ": " + e.Message }

// connectError means the endpoint could not be reached (exit 255).
type connectError struct {
	URL string
	Err error
}

func (e *connectError) Error() string {
	var unknownCA x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var hostname x509.HostnameError
	var tlsVerify *tls.CertificateVerificationError
	if errors.As(e.Err, &unknownCA) || errors.As(e.Err, &invalid) || errors.As(e.Err, &hostname) || errors.As(e.Err, &tlsVerify) {
		return fmt.Sprintf("SSL validation failed for %s %v", e.URL, e.Err)
	}
	var ne net.Error
	if errors.As(e.Err, &ne) && ne.Timeout() {
		var op *net.OpError
		if errors.As(e.Err, &op) && op.Op == "dial" {
			return fmt.Sprintf("Connect timeout on endpoint URL: %q", e.URL)
		}
		return fmt.Sprintf("Read timeout on endpoint URL: %q", e.URL)
	}
	return fmt.Sprintf("Could not connect to the endpoint URL: %q", e.URL)
}

// parseError means the reply could not be understood (exit 255).
type parseError struct{ Err error }

func (e *parseError) Error() string {
	return "Could not parse the response from the service: " + e.Err.Error()
}

// configError is a problem with configuration or credentials (exit 253).
type configError struct{ Msg string }

func (e *configError) Error() string { return e.Msg }

// remote sends License Manager requests to an endpoint over HTTP, signed
// with SigV4 unless unsigned is set.
type remote struct {
	endpoint    string
	region      string
	credentials aws.CredentialsProvider // nil when unsigned
	client      *http.Client
	maxAttempts int
	debug       func(format string, args ...any)
}

// maxBackoff is the most the standard retry mode waits after the nth
// attempt: 2^(n-1) seconds, at most 20 seconds. The wait is a random part
// of it.
func maxBackoff(n int) time.Duration {
	const limit = 20 * time.Second
	if n > 5 {
		return limit
	}
	return min(time.Second<<(n-1), limit)
}

// invoke sends one operation with retries for throttling, server faults
// and connection failures, as the aws CLI's standard retry mode does.
func (r *remote) invoke(ctx context.Context, op string, body []byte) ([]byte, error) {
	var lastErr error
	for attempt := 0; attempt < r.maxAttempts; attempt++ {
		if attempt > 0 {
			select {
			case <-time.After(time.Duration(rand.Int64N(int64(maxBackoff(attempt))))):
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		reply, err := r.once(ctx, op, body)
		if err == nil {
			return reply, nil
		}
		lastErr = err
		if !retryable(err) {
			break
		}
		if se, ok := err.(*serviceError); ok {
			se.Retries = attempt
		}
	}
	return nil, lastErr
}

func retryable(err error) bool {
	var se *serviceError
	var ce *connectError
	switch {
	case errors.As(err, &ce):
		return true
	case errors.As(err, &se):
		return se.Status >= 500 || se.Status == http.StatusTooManyRequests ||
			se.Code == "ThrottlingException" || se.Code == "RateLimitExceededException"
	}
	return false
}

func (r *remote) once(ctx context.Context, op string, body []byte) ([]byte, error) {
	url := strings.TrimSuffix(r.endpoint, "/") + "/"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, &configError{Msg: fmt.Sprintf("Invalid endpoint: %s", r.endpoint)}
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSLicenseManager."+op)
	req.Header.Set("User-Agent", userAgent())
	if r.credentials != nil {
		creds, err := r.credentials.Retrieve(ctx)
		if err != nil {
			return nil, &configError{Msg: "Unable to locate credentials. You can configure credentials by running \"aws configure\"."}
		}
		sum := sha256.Sum256(body)
		signer := v4.NewSigner()
		if err := signer.SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "license-manager", r.region, time.Now()); err != nil {
			return nil, fmt.Errorf("sign request: %w", err)
		}
	}
	r.debug("sending %s to %s (%d bytes)", op, url, len(body))
	resp, err := r.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		r.debug("connection error: %v", err)
		return nil, &connectError{URL: url, Err: err}
	}
	defer resp.Body.Close()
	reply, err := io.ReadAll(io.LimitReader(resp.Body, maxReplyBytes+1))
	if err != nil {
		return nil, &connectError{URL: url, Err: err}
	}
	if len(reply) > maxReplyBytes {
		return nil, &parseError{Err: fmt.Errorf("the reply is larger than %d MiB", maxReplyBytes>>20)}
	}
	r.debug("reply %d, request id %s, %d bytes", resp.StatusCode, resp.Header.Get("x-amzn-RequestId"), len(reply))
	if resp.StatusCode == http.StatusOK {
		return reply, nil
	}
	return nil, parseErrorReply(resp.StatusCode, reply)
}

// parseErrorReply reads a JSON 1.1 error. The code is __type with any
// namespace ("ns#Code") and URI suffix ("Code:http://...") removed; the
// message is Message or message. A reply that is not a JSON error (a proxy's
// HTML page, an empty body) is reported by its HTTP status.
// https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html#operation-error-serialization
func parseErrorReply(status int, body []byte) *serviceError {
	var e struct {
		Type     string `json:"__type"`
		Code     string `json:"code"`
		Message  string `json:"Message"`
		MessageL string `json:"message"`
	}
	if json.Unmarshal(body, &e) == nil && (e.Type != "" || e.Code != "") {
		code := e.Type
		if code == "" {
			code = e.Code
		}
		if i := strings.LastIndexByte(code, '#'); i >= 0 {
			code = code[i+1:]
		}
		if i := strings.IndexByte(code, ':'); i >= 0 {
			code = code[:i]
		}
		msg := e.Message
		if msg == "" {
			msg = e.MessageL
		}
		return &serviceError{Code: code, Message: msg, Status: status}
	}
	return &serviceError{Code: strconv.Itoa(status), Message: http.StatusText(status), Status: status}
}

// maxReplyBytes bounds the reply the command reads: License Manager's
// replies are kilobytes, and an endpoint that streams without end must not
// fill memory.
const maxReplyBytes = 16 << 20

func userAgent() string { return "license-manager/" + Version }
