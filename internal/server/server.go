// Package server serves the License Manager API over HTTP: routing by
// X-Amz-Target, request ids, logging, the JWKS and OpenID discovery
// documents, and the mapping from domain errors to AWS wire errors.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/license-manager/license-manager/internal/auth"
	"github.com/license-manager/license-manager/internal/awsjson"
	"github.com/license-manager/license-manager/internal/lmapi"
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
)

// Config configures a Server.
type Config struct {
	// Listen is the TCP address to listen on; port 0 picks a free port.
	Listen string
	// AccountID is the account requests act for until request
	// authentication identifies callers.
	AccountID string
	// Issuer is the issuer URL published in the discovery document.
	Issuer string
	// JWKS returns the public signing keys as a JSON Web Key Set.
	JWKS func() any
	API  *API
	Log  *slog.Logger
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

// recorder remembers the status and error code a handler wrote.
type recorder struct {
	http.ResponseWriter
	status int
	code   string
	op     string
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
			keyAccount, s.cfg.AccountID,
		}
		if rec.code != "" {
			attrs = append(attrs, keyErrorCode, rec.code)
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
	default:
		s.serveJSON(w, r)
	}
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
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.fail(w, &awsjson.Error{
				Code: awsjson.RequestEntityTooLarge, Status: http.StatusRequestEntityTooLarge,
				Message: fmt.Sprintf("the request body is larger than %d bytes", MaxBodyBytes),
			})
			return
		}
		s.fail(w, awsjson.Errorf(awsjson.SerializationException, "could not read the request body"))
		return
	}
	reply, werr := s.cfg.API.Call(r.Context(), auth.Embedded(s.cfg.AccountID), op, body)
	if werr != nil {
		s.fail(w, werr)
		return
	}
	awsjson.WriteResponse(w, reply)
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
