package e2e

import (
	"strings"
	"testing"

	"github.com/google/uuid"
)

// boto3Call is what testdata/boto3_create_token.py records of one
// create_token call: the reply, or the error when Error is set.
type boto3Call struct {
	TokenId        string
	TokenType      string
	Token          string
	HTTPStatusCode int
	RequestId      string
	Error          *boto3Error
}

// boto3Error is a botocore ClientError. Modeled reports whether boto3
// raised the modeled class (client.exceptions.ValidationException).
type boto3Error struct {
	Class          string
	Modeled        bool
	Code           string
	Message        string
	HTTPStatusCode int
	RequestId      string
}

func TestBoto3(t *testing.T) {
	python := requireTool(t, "boto3")
	t.Parallel()
	ts := startServer(t)

	var got struct{ Created, Replayed, FourProperties boto3Call }
	runPython(t, python, "boto3_create_token.py", &got, ts.url, licL, roleR1)

	for name, c := range map[string]boto3Call{"first call": got.Created, "retry": got.Replayed} {
		if c.Error != nil {
			t.Fatalf("create_token %s raised %+v", name, *c.Error)
		}
		if c.HTTPStatusCode != 200 || c.TokenType != "REFRESH_TOKEN" || c.TokenId == "" || c.Token == "" {
			t.Errorf("create_token %s = %+v, want 200 with a REFRESH_TOKEN", name, c)
		}
	}
	if got.Replayed.TokenId != got.Created.TokenId || got.Replayed.Token != got.Created.Token {
		t.Errorf("retry with the same ClientToken got token %s, want the first call's %s, byte for byte",
			got.Replayed.TokenId, got.Created.TokenId)
	}
	if c := unverifiedClaims(t, got.Created.Token); c.Jti != got.Created.TokenId || c.Aud != licL {
		t.Errorf("claims = %+v, want jti %s and aud %s", c, got.Created.TokenId, licL)
	}
	if toks := ts.tokens(t); len(toks) != 1 {
		t.Errorf("store holds %d tokens after a call and its retry, want 1", len(toks))
	}

	e := got.FourProperties.Error
	if e == nil {
		t.Fatalf("create_token with four TokenProperties succeeded: %+v", got.FourProperties)
	}
	if !e.Modeled || e.Class != "ValidationException" || e.Code != "ValidationException" || e.HTTPStatusCode != 400 {
		t.Errorf("create_token with four TokenProperties raised %+v, want the modeled ValidationException with 400", *e)
	}
	if !strings.Contains(e.Message, "tokenProperties") {
		t.Errorf("error message %q does not name tokenProperties", e.Message)
	}

	// BR-14: a request id on success and on error, fresh for every request,
	// and the same one in the server's log.
	ids := map[string]string{
		"first call": got.Created.RequestId, "retry": got.Replayed.RequestId,
		"ClientError": e.RequestId,
	}
	seen := map[string]string{}
	for name, id := range ids {
		if _, err := uuid.Parse(id); err != nil {
			t.Errorf("%s: RequestId %q is not a UUID: %v", name, id, err)
			continue
		}
		if other, ok := seen[id]; ok {
			t.Errorf("%s and %s share RequestId %s", name, other, id)
		}
		seen[id] = name
		if !ts.logged(id) {
			t.Errorf("%s: no server log line has request_id %s", name, id)
		}
	}
}
