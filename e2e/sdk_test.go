package e2e

import (
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/licensemanager"
	"github.com/aws/aws-sdk-go-v2/service/licensemanager/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
)

// newSDKClient returns an aws-sdk-go-v2 License Manager client for the
// server, configured only through Options so no shared config file or
// environment variable of the machine applies.
func newSDKClient(tb testing.TB, ts *testServer, opts ...func(*licensemanager.Options)) *licensemanager.Client {
	tb.Helper()
	return licensemanager.New(licensemanager.Options{
		Region:       region,
		BaseEndpoint: aws.String(ts.url),
		Credentials:  credentials.NewStaticCredentialsProvider(accessKeyID, secretAccessKey, ""),
		HTTPClient:   &http.Client{Transport: sdkTransport(tb)},
	}, opts...)
}

// sdkTransport returns the SDK's default transport, closed when the test
// ends. Under load it dials connections it then never uses; the server's
// graceful shutdown waits five seconds for such connections unless the
// client closes them first (net/http counts a connection that has sent
// nothing as active for that long).
func sdkTransport(tb testing.TB) *http.Transport {
	tr := awshttp.NewBuildableClient().GetTransport()
	// Registered after the server started, so it runs before its shutdown.
	tb.Cleanup(tr.CloseIdleConnections)
	return tr
}

func TestGoSDK(t *testing.T) {
	t.Run("creates a token", func(t *testing.T) {
		t.Parallel()
		ts := startServer(t)
		out, err := newSDKClient(t, ts).CreateToken(t.Context(), &licensemanager.CreateTokenInput{
			LicenseArn:       aws.String(licL),
			RoleArns:         []string{roleR1, roleR2},
			TokenProperties:  []string{"env=prod"},
			ExpirationInDays: aws.Int32(30),
			ClientToken:      aws.String("sdk-1"),
		})
		if err != nil {
			t.Fatalf("CreateToken: %v", err)
		}
		if out.TokenType != types.TokenTypeRefreshToken || aws.ToString(out.TokenId) == "" {
			t.Errorf("CreateToken = TokenId %q TokenType %q, want an id and REFRESH_TOKEN",
				aws.ToString(out.TokenId), out.TokenType)
		}
		c := unverifiedClaims(t, aws.ToString(out.Token))
		if c.Jti != aws.ToString(out.TokenId) || c.Aud != licL || c.Exp-c.Iat != 30*86400 {
			t.Errorf("claims = %+v, want jti %s, aud %s, 30 days", c, aws.ToString(out.TokenId), licL)
		}
		if diff := cmp.Diff([]string{roleR1, roleR2}, c.RoleARNs); diff != "" {
			t.Errorf("role_arns (-want +got):\n%s", diff)
		}

		// BR-14.
		id, ok := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata)
		if !ok {
			t.Fatal("GetRequestIDMetadata found no request id")
		}
		if _, err := uuid.Parse(id); err != nil {
			t.Errorf("request id %q is not a UUID: %v", id, err)
		}
		if !ts.logged(id) {
			t.Errorf("no server log line has request_id %s", id)
		}
	})

	t.Run("a bad request is the modeled ValidationException", func(t *testing.T) {
		t.Parallel()
		ts := startServer(t)
		_, err := newSDKClient(t, ts).CreateToken(t.Context(), &licensemanager.CreateTokenInput{
			LicenseArn:      aws.String(licL),
			TokenProperties: []string{"a", "b", "c", "d"},
			ClientToken:     aws.String("sdk-2"),
		})
		var ve *types.ValidationException
		if !errors.As(err, &ve) {
			t.Fatalf("CreateToken with four TokenProperties: err = %v, want *types.ValidationException", err)
		}
		if !strings.Contains(ve.ErrorMessage(), "tokenProperties") {
			t.Errorf("message %q does not name tokenProperties", ve.ErrorMessage())
		}
		var re *awshttp.ResponseError
		if !errors.As(err, &re) {
			t.Fatalf("err %v carries no *awshttp.ResponseError", err)
		}
		if re.HTTPStatusCode() != 400 {
			t.Errorf("HTTP status %d, want 400", re.HTTPStatusCode())
		}
		if id := re.ServiceRequestID(); id == "" || !ts.logged(id) {
			t.Errorf("error request id %q is empty or not in the server log", id)
		}
		ts.requireNoTokens(t)
	})

	// BR-15d. Retries are off so that every call must succeed the first
	// time: a retried 500 would hide a lost race.
	t.Run("parallel identical calls get one token", func(t *testing.T) {
		t.Parallel()
		ts := startServer(t)
		client := newSDKClient(t, ts, func(o *licensemanager.Options) { o.Retryer = aws.NopRetryer{} })
		in := &licensemanager.CreateTokenInput{
			LicenseArn:      aws.String(licL),
			RoleArns:        []string{roleR1},
			TokenProperties: []string{"env=prod"},
			ClientToken:     aws.String("sdk-race"),
		}
		const calls = 50
		tokens := make([]string, calls)
		var wg sync.WaitGroup
		for i := range calls {
			wg.Go(func() {
				out, err := client.CreateToken(t.Context(), in)
				if err != nil {
					t.Errorf("call %d: %v", i, err)
					return
				}
				tokens[i] = aws.ToString(out.TokenId) + " " + aws.ToString(out.Token)
			})
		}
		wg.Wait()
		distinct := map[string]int{}
		for _, tok := range tokens {
			distinct[tok]++
		}
		if len(distinct) != 1 {
			t.Errorf("%d parallel calls got %d distinct (TokenId, Token) pairs, want 1", calls, len(distinct))
		}
		if toks := ts.tokens(t); len(toks) != 1 {
			t.Errorf("store holds %d tokens, want 1", len(toks))
		}
	})
}
