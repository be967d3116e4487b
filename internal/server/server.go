// Package server serves the License Manager API over HTTP: routing by
// X-Amz-Target, request authentication (SigV4), the STS query API on the
// same listener, request ids, logging, the JWKS and OpenID discovery
// documents, and the mapping from domain errors to AWS wire errors.
package server

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/license-manager/license-manager/internal/auth"
	"github.com/license-manager/license-manager/internal/awsjson"
	"github.com/license-manager/license-manager/internal/lmapi"
	"github.com/license-manager/license-manager/internal/sigv4"
	"github.com/license-manager/license-manager/internal/sts"
)

// MaxBodyBytes is the largest request body the server reads (1 MiB). Larger
// bodies get RequestEntityTooLargeException with HTTP 413.
const MaxBodyBytes = 1 << 20

// Log attribute keys.
const (
	keyRequestID = "request_id"
	keyOperation = "operation"
	keyStatus    = "status"
	keyDuration  = "duration_ms"
	keyAccount   = "account_id"
	keyErrorCode = "error_code"
	keyErr       = "err"
	keyAddr      = "addr"
	keyMethod    = "method"
	keyPath      = "path"
	keyAuth      = "auth"
	keyAuthError = "auth_error"
)

// Config configures a Server.
type Config struct {
	// Listen is the TCP address to listen on; port 0 picks a free port.
	Listen string
	// Issuer is the issuer URL published in the discovery document.
	Issuer string
	// JWKS returns the public signing keys as a JSON Web Key Set.
	JWKS func() any
	API  *API
	// Verifier authenticates signed requests.
	Verifier *sigv4.Verifier
	// STS serves the STS query API (POST with a form body and no
	// X-Amz-Target).
	STS *sts.API
	Log *slog.Logger
}

// Server is the HTTP server. Create it with New, then call Run.
type Server struct {
	cfg      Config
	listener net.Listener
	http     *http.Server
}

// New listens on cfg.Listen, so that Addr is known before Run.
func New(cfg Config) (*Server, error) {
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", cfg.Listen, err)
	}
	s := &Server{cfg: cfg, listener: ln}
	s.http = &http.Server{
		Handler: s,
		// A client gets 10 s to send its headers and 30 s for the whole
		// request (bodies are at most 1 MiB); an idle keep-alive
		// connection is closed after 2 minutes. Slow or stalled clients
		// cannot hold connections, or a shutdown, for longer.
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(cfg.Log.Handler(), slog.LevelDebug),
	}
	return s, nil
}

// Addr returns the address the server listens on.
func (s *Server) Addr() string { return s.listener.Addr().String() }

// Run serves until ctx is done, then stops accepting connections and waits
// up to 30 seconds for requests in flight to finish.
func (s *Server) Run(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- s.http.Serve(s.listener) }()
	s.cfg.Log.Info("server listening", keyAddr, s.Addr())
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := s.http.Shutdown(shutdownCtx); err != nil {
		// Requests still running after the grace period are cut off;
		// nothing acknowledged is lost, since a reply is only sent
		// after its transaction commits.
		s.cfg.Log.Warn("requests still running at the end of the shutdown grace period were cut off", keyErr, err)
		_ = s.http.Close()
	}
	s.cfg.Log.Info("server stopped")
	return nil
}

type ctxKey struct{}

// RequestID returns the id the server assigned to the request in ctx.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(ctxKey{}).(string)
	return id
}

// recorder remembers the status and error code a handler wrote, and who
// the request acted as.
type recorder struct {
	http.ResponseWriter
	status  int
	code    string
	op      string
	account string // the principal's account; empty if none
	kind    string // the principal's kind, once authentication decided it
	reason  string // why authentication refused the request
}

func (r *recorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

// ServeHTTP assigns the request id, dates the reply, recovers from panics
// and logs one line per request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	id := uuid.NewString()
	ctx := context.WithValue(r.Context(), ctxKey{}, id)
	w.Header().Set(awsjson.RequestIDHeader, id)
	// aws-sdk-go-v2 corrects its clock skew from this header.
	w.Header().Set("Date", start.UTC().Format(http.TimeFormat))
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	defer func() {
		if p := recover(); p != nil {
			s.cfg.Log.ErrorContext(ctx, "panic serving request", keyRequestID, id, keyErr, fmt.Sprint(p))
			rec.code = lmapi.ServerInternalException
			awsjson.WriteError(rec, &awsjson.Error{
				Code: lmapi.ServerInternalException, Status: 500, Fault: true,
				Message: "The server experienced an internal error. Try again.",
			})
		}
		attrs := []any{
			keyRequestID, id, keyMethod, r.Method, keyPath, r.URL.Path,
			keyOperation, rec.op, keyStatus, rec.status,
			keyDuration, float64(time.Since(start).Microseconds()) / 1000,
		}
		if rec.kind != "" {
			attrs = append(attrs, keyAuth, rec.kind)
		}
		if rec.account != "" {
			attrs = append(attrs, keyAccount, rec.account)
		}
		if rec.code != "" {
			attrs = append(attrs, keyErrorCode, rec.code)
		}
		if rec.reason != "" {
			attrs = append(attrs, keyAuthError, rec.reason)
		}
		s.cfg.Log.InfoContext(ctx, "request", attrs...)
	}()
	s.route(rec, r.WithContext(ctx))
}

func (s *Server) route(w *recorder, r *http.Request) {
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/healthz":
		writeJSON(w, map[string]string{"status": "ok"})
	case r.Method == http.MethodGet && r.URL.Path == "/.well-known/jwks.json":
		writeJSON(w, s.cfg.JWKS())
	case r.Method == http.MethodGet && r.URL.Path == "/.well-known/openid-configuration":
		writeJSON(w, s.discovery())
	case r.Method != http.MethodPost:
		s.fail(w, &awsjson.Error{
			Code: awsjson.UnknownOperationException, Status: http.StatusNotFound,
			Message: fmt.Sprintf("%s %s is not an operation; send POST / with an X-Amz-Target header", r.Method, r.URL.Path),
		})
	case isSTS(r):
		s.serveSTS(w, r)
	default:
		s.serveJSON(w, r)
	}
}

// isSTS reports whether r is an STS query request: no X-Amz-Target, and a
// form body. https://smithy.io/2.0/aws/protocols/aws-query-protocol.html
func isSTS(r *http.Request) bool {
	if _, ok := r.Header["X-Amz-Target"]; ok {
		return false
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "application/x-www-form-urlencoded"
}

// serveJSON handles a JSON 1.1 request: POST / with X-Amz-Target.
// https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html
func (s *Server) serveJSON(w *recorder, r *http.Request) {
	target := r.Header.Get("X-Amz-Target")
	if target == "" {
		s.fail(w, awsjson.Errorf(awsjson.UnknownOperationException, "missing X-Amz-Target header"))
		return
	}
	prefix, op, ok := strings.Cut(target, ".")
	if !ok || prefix != lmapi.TargetPrefix || !Implemented(op) {
		s.fail(w, awsjson.Errorf(awsjson.UnknownOperationException, "unknown operation %s", target))
		return
	}
	w.op = op
	body, rerr := readBody(w, r)
	if rerr != nil {
		s.fail(w, rerr)
		return
	}
	var p auth.Principal // Anonymous
	if sigv4.Signed(r) || !AcceptsAnonymous(op) {
		var err error
		p, err = s.cfg.Verifier.Verify(r.Context(), r, body, sigv4.ServiceLicenseManager)
		if err != nil {
			s.fail(w, s.jsonAuthError(w, r, err))
			return
		}
	}
	w.kind, w.account = p.Kind.String(), p.AccountID
	reply, werr := s.cfg.API.Call(r.Context(), p, op, body)
	if werr != nil {
		s.fail(w, werr)
		return
	}
	awsjson.WriteResponse(w, reply)
}

// readBody reads a request body of at most MaxBodyBytes.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, *awsjson.Error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, &awsjson.Error{
				Code: awsjson.RequestEntityTooLarge, Status: http.StatusRequestEntityTooLarge,
				Message: fmt.Sprintf("the request body is larger than %d bytes", MaxBodyBytes),
			}
		}
		return nil, awsjson.Errorf(awsjson.SerializationException, "could not read the request body")
	}
	return body, nil
}

// wireCode is an error code and its HTTP status.
type wireCode struct {
	code   string
	status int
}

// Error codes of request authentication in the JSON 1.1 protocol.
var jsonAuthCodes = map[sigv4.Code]wireCode{
	sigv4.MissingAuthentication: {"MissingAuthenticationTokenException", http.StatusForbidden},
	sigv4.IncompleteSignature:   {"IncompleteSignatureException", http.StatusBadRequest},
	sigv4.UnrecognizedClient:    {"UnrecognizedClientException", http.StatusForbidden},
	sigv4.ExpiredToken:          {"ExpiredTokenException", http.StatusForbidden},
	sigv4.SignatureMismatch:     {"InvalidSignatureException", http.StatusForbidden},
}

// Error codes of request authentication in STS's query protocol.
var stsAuthCodes = map[sigv4.Code]wireCode{
	sigv4.MissingAuthentication: {sts.CodeMissingAuthenticationToken, http.StatusForbidden},
	sigv4.IncompleteSignature:   {"IncompleteSignature", http.StatusBadRequest},
	sigv4.UnrecognizedClient:    {"InvalidClientTokenId", http.StatusForbidden},
	sigv4.ExpiredToken:          {"ExpiredToken", http.StatusForbidden},
	sigv4.SignatureMismatch:     {"SignatureDoesNotMatch", http.StatusForbidden},
}

// authError turns a Verify error into the protocol's error: a refusal
// into its code, anything else into an internal error, logged.
func (s *Server) authError(w *recorder, r *http.Request, err error, codes map[sigv4.Code]wireCode, internal string) *awsjson.Error {
	var se *sigv4.Error
	if errors.As(err, &se) {
		w.reason = se.Reason
		c := codes[se.Code]
		return &awsjson.Error{Code: c.code, Status: c.status, Message: se.Message}
	}
	s.cfg.Log.ErrorContext(r.Context(), "authenticate request", keyRequestID, RequestID(r.Context()), keyErr, err)
	return &awsjson.Error{
		Code: internal, Status: http.StatusInternalServerError, Fault: true,
		Message: "The server experienced an internal error. Try again.",
	}
}

func (s *Server) jsonAuthError(w *recorder, r *http.Request, err error) *awsjson.Error {
	return s.authError(w, r, err, jsonAuthCodes, lmapi.ServerInternalException)
}

// serveSTS handles an STS request: a form body whose Action names the
// action. AssumeRoleWithWebIdentity is served signed or not (its web
// identity token is the credential); every other action, unknown ones
// included, is authenticated first with the credential scope "sts".
func (s *Server) serveSTS(w *recorder, r *http.Request) {
	w.Header().Set("Content-Type", sts.ContentType)
	id := RequestID(r.Context())
	body, rerr := readBody(w, r)
	if rerr != nil {
		s.writeSTS(w, id, rerr)
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		s.writeSTS(w, id, awsjson.Errorf("MalformedQueryString", "The request body is not a valid form (application/x-www-form-urlencoded): %v", err))
		return
	}
	action := form.Get("Action")
	w.op = "sts:" + truncate(action, 64)
	var p *auth.Principal
	if sts.NeedsSignature(action) {
		verified, err := s.cfg.Verifier.Verify(r.Context(), r, body, sigv4.ServiceSTS)
		if err != nil {
			s.writeSTS(w, id, s.authError(w, r, err, stsAuthCodes, sts.CodeInternalFailure))
			return
		}
		p = &verified
		w.kind, w.account = verified.Kind.String(), verified.AccountID
	} else {
		// Any signature is ignored: the web identity token is the
		// credential.
		w.kind = auth.Anonymous.String()
	}
	status, reply := s.cfg.STS.Serve(r.Context(), id, p, form)
	if status != http.StatusOK {
		w.code = stsErrorCode(reply)
	}
	w.WriteHeader(status)
	_, _ = w.Write(reply)
}

// writeSTS writes e as STS's ErrorResponse.
func (s *Server) writeSTS(w *recorder, requestID string, e *awsjson.Error) {
	w.code = e.Code
	status, body := sts.ErrorResponse(requestID, e)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// stsErrorCode returns the Code of an STS ErrorResponse, for the log.
func stsErrorCode(body []byte) string {
	var e struct {
		Code string `xml:"Error>Code"`
	}
	_ = xml.Unmarshal(body, &e)
	return e.Code
}

// truncate cuts s to at most n bytes, for logging what a client sent.
func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func (s *Server) fail(w *recorder, e *awsjson.Error) {
	w.code = e.Code
	awsjson.WriteError(w, e)
}

func (s *Server) discovery() any {
	return map[string]any{
		"issuer":                                s.cfg.Issuer,
		"jwks_uri":                              strings.TrimSuffix(s.cfg.Issuer, "/") + "/.well-known/jwks.json",
		"id_token_signing_alg_values_supported": []string{"ES256"},
		"response_types_supported":              []string{"id_token"},
		"subject_types_supported":               []string{"public"},
		"claims_supported": []string{
			"iss", "sub", "aud", "amr", "role_arns", "token_use", "iat", "nbf", "exp", "jti",
		},
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	body, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}
