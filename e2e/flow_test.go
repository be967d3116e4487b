package e2e

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/licensemanager"
	lmtypes "github.com/aws/aws-sdk-go-v2/service/licensemanager/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"
	"github.com/go-jose/go-jose/v4"

	"github.com/license-manager/license-manager/internal/auth"
)

// The flow an ISV's software runs (issue #3): an admin key creates a
// refresh token; the software trades it, unsigned, for an access token and
// the access token, unsigned, for temporary credentials; those credentials
// act as the assumed role for the license and nothing else; deleting the
// refresh token ends all of it at once.

// flowAssumedARN is the assumed-role ARN of session s1 of roleR1.
const flowAssumedARN = "arn:aws:sts::" + account + ":assumed-role/LicenseConsumer/s1"

// flowSTS returns an aws-sdk-go-v2 STS client for the server, with
// credentials creds (nil: none, which AssumeRoleWithWebIdentity does not
// need).
func flowSTS(tb testing.TB, ts *testServer, creds aws.CredentialsProvider) *sts.Client {
	tb.Helper()
	return sts.New(sts.Options{
		Region:       region,
		BaseEndpoint: aws.String(ts.url),
		Credentials:  creds,
		HTTPClient:   &http.Client{Transport: sdkTransport(tb)},
	})
}

// flowAnonymousLM is a License Manager client that sends unsigned requests.
func flowAnonymousLM(tb testing.TB, ts *testServer) *licensemanager.Client {
	return newSDKClient(tb, ts, func(o *licensemanager.Options) { o.Credentials = aws.AnonymousCredentials{} })
}

// flowRefresh creates a refresh token with the admin key and returns its
// id and text.
func flowRefresh(t *testing.T, ts *testServer, license string, roles ...string) (string, string) {
	t.Helper()
	out, err := newSDKClient(t, ts).CreateToken(t.Context(), &licensemanager.CreateTokenInput{
		LicenseArn: aws.String(license), RoleArns: roles,
		ClientToken: aws.String("flow-" + strconv.FormatInt(time.Now().UnixNano(), 36)),
	})
	if err != nil {
		t.Fatalf("CreateToken: %v", err)
	}
	return aws.ToString(out.TokenId), aws.ToString(out.Token)
}

// accessToken trades a refresh token for an access token, unsigned.
func flowAccess(t *testing.T, ts *testServer, refresh string) string {
	t.Helper()
	out, err := flowAnonymousLM(t, ts).GetAccessToken(t.Context(), &licensemanager.GetAccessTokenInput{Token: aws.String(refresh)})
	if err != nil {
		t.Fatalf("GetAccessToken: %v", err)
	}
	return aws.ToString(out.AccessToken)
}

// assume calls AssumeRoleWithWebIdentity for roleR1, session s1, unsigned.
func flowAssume(t *testing.T, ts *testServer, access string) *sts.AssumeRoleWithWebIdentityOutput {
	t.Helper()
	out, err := flowSTS(t, ts, nil).AssumeRoleWithWebIdentity(t.Context(), &sts.AssumeRoleWithWebIdentityInput{
		RoleArn: aws.String(roleR1), RoleSessionName: aws.String("s1"), WebIdentityToken: aws.String(access),
	})
	if err != nil {
		t.Fatalf("AssumeRoleWithWebIdentity: %v", err)
	}
	return out
}

func flowCreds(c *ststypes.Credentials) aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider(aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken))
}

// flowErrorCode returns the error code of an SDK error, "" for none.
func flowErrorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func TestFlowGoSDK(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	ctx := t.Context()
	id, refresh := flowRefresh(t, ts, licL, roleR1)
	access := flowAccess(t, ts, refresh)

	before := time.Now().Truncate(time.Second)
	out := flowAssume(t, ts, access)
	after := time.Now()
	c := out.Credentials
	if !strings.HasPrefix(aws.ToString(c.AccessKeyId), "ASIA") || aws.ToString(c.SecretAccessKey) == "" || aws.ToString(c.SessionToken) == "" {
		t.Errorf("Credentials = %+v, want an ASIA key, a secret and a session token", c)
	}
	// The default DurationSeconds is 3600, counted from the request.
	if exp := aws.ToTime(c.Expiration); exp.Before(before.Add(time.Hour)) || exp.After(after.Add(time.Hour)) {
		t.Errorf("Expiration %v, want an hour after the request (%v to %v)", exp, before, after)
	}
	u := out.AssumedRoleUser
	if aws.ToString(u.Arn) != flowAssumedARN || !strings.HasPrefix(aws.ToString(u.AssumedRoleId), "AROA") ||
		!strings.HasSuffix(aws.ToString(u.AssumedRoleId), ":s1") {
		t.Errorf("AssumedRoleUser = %s %s, want %s and AROA...:s1", aws.ToString(u.Arn), aws.ToString(u.AssumedRoleId), flowAssumedARN)
	}
	if aws.ToString(out.SubjectFromWebIdentityToken) != account || aws.ToString(out.Audience) != licL || aws.ToString(out.Provider) != issuer {
		t.Errorf("Subject %q Audience %q Provider %q, want %s, %s, %s",
			aws.ToString(out.SubjectFromWebIdentityToken), aws.ToString(out.Audience), aws.ToString(out.Provider), account, licL, issuer)
	}

	temp := flowCreds(c)
	who, err := flowSTS(t, ts, temp).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("GetCallerIdentity with the temporary credentials: %v", err)
	}
	if aws.ToString(who.Arn) != flowAssumedARN || aws.ToString(who.Account) != account || aws.ToString(who.UserId) != aws.ToString(u.AssumedRoleId) {
		t.Errorf("GetCallerIdentity = %s %s %s, want %s %s %s", aws.ToString(who.Arn), aws.ToString(who.Account),
			aws.ToString(who.UserId), flowAssumedARN, account, aws.ToString(u.AssumedRoleId))
	}

	lmTemp := newSDKClient(t, ts, func(o *licensemanager.Options) { o.Credentials = temp })
	_, err = lmTemp.CreateToken(ctx, &licensemanager.CreateTokenInput{LicenseArn: aws.String(licL), ClientToken: aws.String("by-temp")})
	var denied *lmtypes.AccessDeniedException
	if !errors.As(err, &denied) {
		t.Errorf("CreateToken with temporary credentials: err = %v, want AccessDeniedException", err)
	}
	if _, err := lmTemp.ListTokens(ctx, &licensemanager.ListTokensInput{}); !errors.As(err, &denied) {
		t.Errorf("ListTokens with temporary credentials: err = %v, want AccessDeniedException", err)
	}
	// GetAccessToken takes any caller, the session included.
	if _, err := lmTemp.GetAccessToken(ctx, &licensemanager.GetAccessTokenInput{Token: aws.String(refresh)}); err != nil {
		t.Errorf("GetAccessToken signed with temporary credentials: %v", err)
	}

	if _, err := newSDKClient(t, ts).DeleteToken(ctx, &licensemanager.DeleteTokenInput{TokenId: aws.String(id)}); err != nil {
		t.Fatalf("DeleteToken: %v", err)
	}
	_, err = flowSTS(t, ts, temp).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if code := flowErrorCode(err); code != flowSessionEndedCode {
		t.Errorf("GetCallerIdentity after DeleteToken: err = %v, want %s", err, flowSessionEndedCode)
	}
	_, err = flowAnonymousLM(t, ts).GetAccessToken(ctx, &licensemanager.GetAccessTokenInput{Token: aws.String(refresh)})
	var authz *lmtypes.AuthorizationException
	if !errors.As(err, &authz) || !strings.Contains(authz.ErrorMessage(), "deleted") {
		t.Errorf("GetAccessToken after DeleteToken: err = %v, want AuthorizationException saying deleted", err)
	}
	_, err = flowSTS(t, ts, nil).AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{
		RoleArn: aws.String(roleR1), RoleSessionName: aws.String("s1"), WebIdentityToken: aws.String(access),
	})
	var invalid *ststypes.InvalidIdentityTokenException
	if !errors.As(err, &invalid) || !strings.Contains(invalid.ErrorMessage(), "deleted") {
		t.Errorf("AssumeRoleWithWebIdentity after DeleteToken: err = %v, want InvalidIdentityTokenException saying deleted", err)
	}
}

// flowSessionEndedCode is the STS error for temporary credentials whose refresh
// token was deleted: the key is no longer recognised.
const flowSessionEndedCode = "InvalidClientTokenId"

// flowBoto3 runs the flow with boto3 and prints what each step got.
const flowBoto3 = `
import json, sys
import boto3
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

url, license_arn, role_arn = sys.argv[1:4]
unsigned = Config(signature_version=UNSIGNED)
out = {}

def failure(call):
    try:
        call()
    except ClientError as err:
        return {"Code": err.response["Error"]["Code"], "Message": err.response["Error"]["Message"],
                "HTTPStatusCode": err.response["ResponseMetadata"]["HTTPStatusCode"]}
    return None

admin = boto3.client("license-manager", endpoint_url=url)
anonymous = boto3.client("license-manager", endpoint_url=url, config=unsigned)
created = admin.create_token(LicenseArn=license_arn, RoleArns=[role_arn], ClientToken="flow-boto3")
access = anonymous.get_access_token(Token=created["Token"])["AccessToken"]
# No credentials and no signature: the token is the credential.
sts_anonymous = boto3.client("sts", endpoint_url=url, config=unsigned)
r = sts_anonymous.assume_role_with_web_identity(RoleArn=role_arn, RoleSessionName="s1", WebIdentityToken=access)
c = r["Credentials"]
out["Assumed"] = {"AccessKeyId": c["AccessKeyId"], "Arn": r["AssumedRoleUser"]["Arn"],
                  "AssumedRoleId": r["AssumedRoleUser"]["AssumedRoleId"],
                  "Subject": r["SubjectFromWebIdentityToken"], "Audience": r["Audience"], "Provider": r["Provider"],
                  "RequestId": r["ResponseMetadata"]["RequestId"]}
temp = dict(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"],
            aws_session_token=c["SessionToken"])
sts_temp = boto3.client("sts", endpoint_url=url, **temp)
who = sts_temp.get_caller_identity()
out["Caller"] = {"Arn": who["Arn"], "Account": who["Account"], "UserId": who["UserId"]}
lm_temp = boto3.client("license-manager", endpoint_url=url, **temp)
out["CreateWithTemp"] = failure(lambda: lm_temp.create_token(LicenseArn=license_arn, ClientToken="by-temp"))
admin.delete_token(TokenId=created["TokenId"])
out["CallerAfterDelete"] = failure(lambda: sts_temp.get_caller_identity())
out["GetAccessTokenAfterDelete"] = failure(lambda: anonymous.get_access_token(Token=created["Token"]))
out["AssumeAfterDelete"] = failure(lambda: sts_anonymous.assume_role_with_web_identity(
    RoleArn=role_arn, RoleSessionName="s1", WebIdentityToken=access))
print(json.dumps(out))
`

type flowBoto3Failure struct {
	Code, Message  string
	HTTPStatusCode int
}

func TestFlowBoto3(t *testing.T) {
	python := requireTool(t, "boto3")
	t.Parallel()
	ts := startServer(t)
	var got struct {
		Assumed                                                      struct{ AccessKeyId, Arn, AssumedRoleId, Subject, Audience, Provider, RequestId string }
		Caller                                                       struct{ Arn, Account, UserId string }
		CreateWithTemp, CallerAfterDelete, GetAccessTokenAfterDelete *flowBoto3Failure
		AssumeAfterDelete                                            *flowBoto3Failure
	}
	r := run(t, clientEnv(t), t.TempDir(), python, "-c", flowBoto3, ts.url, licL, roleR1)
	if r.code != 0 {
		t.Fatalf("boto3 flow: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if err := decodeStrict(r.stdout, &got); err != nil {
		t.Fatalf("boto3 flow printed %s: %v", r.stdout, err)
	}
	a := got.Assumed
	if !strings.HasPrefix(a.AccessKeyId, "ASIA") || a.Arn != flowAssumedARN || !strings.HasSuffix(a.AssumedRoleId, ":s1") ||
		a.Subject != account || a.Audience != licL || a.Provider != issuer {
		t.Errorf("assume_role_with_web_identity = %+v, want an ASIA key as %s for %s", a, flowAssumedARN, licL)
	}
	if !ts.logged(a.RequestId) {
		t.Errorf("RequestId %q of the STS reply is not in the server log", a.RequestId)
	}
	if got.Caller.Arn != flowAssumedARN || got.Caller.Account != account || got.Caller.UserId != a.AssumedRoleId {
		t.Errorf("get_caller_identity = %+v, want %s, %s, %s", got.Caller, flowAssumedARN, account, a.AssumedRoleId)
	}
	for _, tc := range []struct {
		step   string
		got    *flowBoto3Failure
		code   string
		status int
		word   string
	}{
		{"create_token with temporary credentials", got.CreateWithTemp, "AccessDeniedException", 400, "CreateToken"},
		{"get_caller_identity after delete_token", got.CallerAfterDelete, flowSessionEndedCode, 403, ""},
		{"get_access_token after delete_token", got.GetAccessTokenAfterDelete, "AuthorizationException", 400, "deleted"},
		{"assume_role_with_web_identity after delete_token", got.AssumeAfterDelete, "InvalidIdentityToken", 400, "deleted"},
	} {
		if tc.got == nil {
			t.Errorf("%s succeeded, want %s", tc.step, tc.code)
			continue
		}
		if tc.got.Code != tc.code || tc.got.HTTPStatusCode != tc.status || !strings.Contains(tc.got.Message, tc.word) {
			t.Errorf("%s = %+v, want %d %s naming %q", tc.step, *tc.got, tc.status, tc.code, tc.word)
		}
	}
}

// TestWebIdentityProviderGoSDK lets aws-sdk-go-v2's own web identity
// provider, configured by the environment alone, do the exchange. It sets
// the process environment, so it cannot run in parallel.
func TestWebIdentityProviderGoSDK(t *testing.T) {
	ts := startServer(t)
	_, refresh := flowRefresh(t, ts, licL, roleR1)
	tokenFile := filepath.Join(t.TempDir(), "access-token")
	if err := os.WriteFile(tokenFile, []byte(flowAccess(t, ts, refresh)), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(t.TempDir(), "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "AWS_") {
			t.Setenv(k, "")
			os.Unsetenv(k)
		}
	}
	t.Setenv("AWS_ROLE_ARN", roleR1)
	t.Setenv("AWS_ROLE_SESSION_NAME", "s1")
	t.Setenv("AWS_WEB_IDENTITY_TOKEN_FILE", tokenFile)
	t.Setenv("AWS_ENDPOINT_URL_STS", ts.url)
	t.Setenv("AWS_REGION", region)
	t.Setenv("AWS_CONFIG_FILE", empty)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", empty)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")

	cfg, err := awsconfig.LoadDefaultConfig(t.Context(), awsconfig.WithHTTPClient(&http.Client{Transport: sdkTransport(t)}))
	if err != nil {
		t.Fatalf("LoadDefaultConfig: %v", err)
	}
	who, err := sts.NewFromConfig(cfg).GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("GetCallerIdentity through the web identity provider: %v", err)
	}
	if aws.ToString(who.Arn) != flowAssumedARN {
		t.Errorf("GetCallerIdentity Arn = %s, want %s", aws.ToString(who.Arn), flowAssumedARN)
	}
	creds, err := cfg.Credentials.Retrieve(t.Context())
	if err != nil || !strings.HasPrefix(creds.AccessKeyID, "ASIA") || creds.Source != "WebIdentityCredentials" {
		t.Errorf("credentials = %s from %q, %v; want an ASIA key from the web identity provider", creds.AccessKeyID, creds.Source, err)
	}
	lm := licensemanager.NewFromConfig(cfg, func(o *licensemanager.Options) { o.BaseEndpoint = aws.String(ts.url) })
	_, err = lm.CreateToken(t.Context(), &licensemanager.CreateTokenInput{LicenseArn: aws.String(licL), ClientToken: aws.String("web-identity")})
	var denied *lmtypes.AccessDeniedException
	if !errors.As(err, &denied) {
		t.Errorf("CreateToken as the assumed role: err = %v, want AccessDeniedException", err)
	}
}

// flowWebIdentityBoto3 prints who boto3's web identity provider makes the
// caller.
const flowWebIdentityBoto3 = `
import json
import boto3
session = boto3.Session()
who = session.client("sts").get_caller_identity()
creds = session.get_credentials()
print(json.dumps({"Arn": who["Arn"], "Method": creds.method, "AccessKeyId": creds.get_frozen_credentials().access_key}))
`

func TestWebIdentityProviderBoto3(t *testing.T) {
	python := requireTool(t, "boto3")
	t.Parallel()
	ts := startServer(t)
	_, refresh := flowRefresh(t, ts, licL, roleR1)
	tokenFile := filepath.Join(t.TempDir(), "access-token")
	if err := os.WriteFile(tokenFile, []byte(flowAccess(t, ts, refresh)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := flowWithoutKeys(clientEnv(t))
	env = append(env, "AWS_ROLE_ARN="+roleR1, "AWS_ROLE_SESSION_NAME=s1",
		"AWS_WEB_IDENTITY_TOKEN_FILE="+tokenFile, "AWS_ENDPOINT_URL_STS="+ts.url)
	r := run(t, env, t.TempDir(), python, "-c", flowWebIdentityBoto3)
	if r.code != 0 {
		t.Fatalf("boto3 web identity: exit %d\nstderr:\n%s", r.code, r.stderr)
	}
	var got struct{ Arn, Method, AccessKeyId string }
	if err := decodeStrict(r.stdout, &got); err != nil {
		t.Fatalf("printed %s: %v", r.stdout, err)
	}
	if got.Arn != flowAssumedARN || got.Method != "assume-role-with-web-identity" || !strings.HasPrefix(got.AccessKeyId, "ASIA") {
		t.Errorf("boto3 web identity = %+v, want %s through assume-role-with-web-identity with an ASIA key", got, flowAssumedARN)
	}
}

// flowWithoutKeys drops the static keys of clientEnv, so that only the
// provider under test can supply credentials.
func flowWithoutKeys(env []string) []string {
	var out []string
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		if k != "AWS_ACCESS_KEY_ID" && k != "AWS_SECRET_ACCESS_KEY" && k != "AWS_SESSION_TOKEN" {
			out = append(out, kv)
		}
	}
	return out
}

// setEnv returns env with k set to v, replacing any earlier value.
func flowSetEnv(env []string, k, v string) []string {
	var out []string
	for _, kv := range env {
		if name, _, _ := strings.Cut(kv, "="); name != k {
			out = append(out, kv)
		}
	}
	return append(out, k+"="+v)
}

// TestCredentialProcessAWSCLI configures a profile whose credentials come
// from license-manager credential-process and runs the aws CLI with it.
func TestCredentialProcessAWSCLI(t *testing.T) {
	requireTool(t, "aws")
	t.Parallel()
	lm := newLM(t)
	ts := startServer(t)
	id, refresh := flowRefresh(t, ts, licL, roleR1)
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "refresh-token")
	if err := os.WriteFile(tokenFile, []byte(refresh+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	configFile := filepath.Join(dir, "config")
	profile := "[profile licensed]\n" +
		"credential_process = " + lm.bin + " credential-process --token-file " + tokenFile +
		" --role-arn " + roleR1 + " --role-session-name s1 --endpoint-url " + ts.url + "\n" +
		"region = " + region + "\n"
	if err := os.WriteFile(configFile, []byte(profile), 0o600); err != nil {
		t.Fatal(err)
	}
	env := flowSetEnv(flowWithoutKeys(clientEnv(t)), "AWS_CONFIG_FILE", configFile)

	r := run(t, env, dir, "aws", "sts", "get-caller-identity", "--profile", "licensed", "--endpoint-url", ts.url)
	if r.code != 0 {
		t.Fatalf("aws sts get-caller-identity: exit %d\nstderr:\n%s", r.code, r.stderr)
	}
	var who struct{ UserId, Account, Arn string }
	if err := decodeStrict(r.stdout, &who); err != nil {
		t.Fatalf("aws sts get-caller-identity printed %s: %v", r.stdout, err)
	}
	if who.Arn != flowAssumedARN || who.Account != account || !strings.HasPrefix(who.UserId, "AROA") {
		t.Errorf("aws sts get-caller-identity = %+v, want %s", who, flowAssumedARN)
	}

	r = run(t, env, dir, "aws", "license-manager", "create-token", "--profile", "licensed", "--endpoint-url", ts.url,
		"--license-arn", licL, "--client-token", "by-credential-process")
	if r.code != awsServiceErrorExit || !strings.Contains(string(r.stderr), "(AccessDeniedException)") {
		t.Errorf("aws license-manager create-token as the assumed role: exit %d, stderr %s; want AccessDeniedException", r.code, r.stderr)
	}

	if _, err := newSDKClient(t, ts).DeleteToken(t.Context(), &licensemanager.DeleteTokenInput{TokenId: aws.String(id)}); err != nil {
		t.Fatalf("DeleteToken: %v", err)
	}
	// A fresh aws process runs credential-process again, which now fails.
	r = run(t, env, dir, "aws", "sts", "get-caller-identity", "--profile", "licensed", "--endpoint-url", ts.url)
	if r.code == 0 || !strings.Contains(string(r.stderr), "AuthorizationException") || !strings.Contains(string(r.stderr), "deleted") {
		t.Errorf("aws sts get-caller-identity after DeleteToken: exit %d, stderr %s; want the refusal of GetAccessToken", r.code, r.stderr)
	}
}

// flowProcessCredentials is the credential_process JSON.
type flowProcessCredentials struct {
	Version                                                int
	AccessKeyId, SecretAccessKey, SessionToken, Expiration string
}

func TestCredentialProcess(t *testing.T) {
	t.Parallel()
	lm := newLM(t)
	ts := startServer(t)
	_, refresh := flowRefresh(t, ts, licL, roleR1)
	tokenFile := flowWriteFile(t, lm.dir, "refresh-token", []byte("  "+refresh+"\n\n"))
	emptyFile := flowWriteFile(t, lm.dir, "empty", []byte(" \n"))
	base := []string{"credential-process", "--token-file", tokenFile, "--role-arn", roleR1}

	t.Run("prints credentials that work", func(t *testing.T) {
		r := lm.run(append(base, "--endpoint-url", ts.url, "--duration-seconds", "900", "--role-session-name", "s1")...)
		if r.code != 0 || len(r.stderr) != 0 {
			t.Fatalf("exit %d, stderr %s", r.code, r.stderr)
		}
		var c flowProcessCredentials
		if err := decodeStrict(r.stdout, &c); err != nil {
			t.Fatalf("printed %s: %v", r.stdout, err)
		}
		exp, err := time.Parse(time.RFC3339, c.Expiration)
		if c.Version != 1 || !strings.HasPrefix(c.AccessKeyId, "ASIA") || err != nil ||
			exp.After(time.Now().Add(15*time.Minute)) || !exp.After(time.Now().Add(10*time.Minute)) {
			t.Errorf("credentials = Version %d key %s Expiration %s (%v), want 1, ASIA..., 15 minutes from now", c.Version, c.AccessKeyId, c.Expiration, err)
		}
		who, err := flowSTS(t, ts, credentials.NewStaticCredentialsProvider(c.AccessKeyId, c.SecretAccessKey, c.SessionToken)).
			GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
		if err != nil || aws.ToString(who.Arn) != flowAssumedARN {
			t.Errorf("GetCallerIdentity with the printed credentials = %v, %v; want %s", who, err, flowAssumedARN)
		}
	})

	t.Run("endpoints from the environment", func(t *testing.T) {
		for _, env := range [][]string{
			{"AWS_ENDPOINT_URL=" + ts.url},
			{"AWS_ENDPOINT_URL_STS=" + ts.url},
			{"AWS_ENDPOINT_URL_LICENSE_MANAGER=" + ts.url},
			{"AWS_ENDPOINT_URL_STS=" + ts.url, "AWS_ENDPOINT_URL_LICENSE_MANAGER=" + ts.url},
		} {
			r := lm.runEnv(lm.withEnv(env...), base...)
			if r.code != 0 || !bytes.Contains(r.stdout, []byte(`"AccessKeyId": "ASIA`)) {
				t.Errorf("with %s: exit %d\nstdout %s\nstderr %s", env, r.code, r.stdout, r.stderr)
			}
		}
	})

	t.Run("errors", func(t *testing.T) {
		for _, tc := range []struct {
			name   string
			args   []string
			code   int
			stderr string
		}{
			{"no token file", []string{"credential-process", "--role-arn", roleR1}, 252, "the following arguments are required: --token-file"},
			{"no role", []string{"credential-process", "--token-file", tokenFile}, 252, "the following arguments are required: --role-arn"},
			{"duration not a number", append(base, "--duration-seconds", "soon"), 252, "--duration-seconds"},
			{"unreadable token file", []string{"credential-process", "--token-file", tokenFile + ".missing", "--role-arn", roleR1, "--endpoint-url", ts.url},
				253, "Unable to read the token file"},
			{"empty token file", []string{"credential-process", "--token-file", emptyFile, "--role-arn", roleR1, "--endpoint-url", ts.url},
				253, "is empty"},
			{"role not in the token", []string{"credential-process", "--token-file", tokenFile, "--role-arn", roleR2, "--endpoint-url", ts.url},
				254, "An error occurred (AccessDenied) when calling the AssumeRoleWithWebIdentity operation: Not authorized to perform sts:AssumeRoleWithWebIdentity"},
			{"duration too short", append(base, "--duration-seconds", "899", "--endpoint-url", ts.url),
				254, "An error occurred (ValidationError) when calling the AssumeRoleWithWebIdentity operation: 1 validation error detected: Value '899' at 'durationSeconds'"},
			{"bad endpoint", append(base, "--endpoint-url", "localhost:1"), 252, "Bad value for --endpoint-url"},
		} {
			r := lm.run(tc.args...)
			if r.code != tc.code || len(r.stdout) != 0 || !strings.Contains(string(r.stderr), tc.stderr) {
				t.Errorf("%s: exit %d, stdout %q, stderr %q; want %d and %q", tc.name, r.code, r.stdout, r.stderr, tc.code, tc.stderr)
			}
		}
	})

	t.Run("an unreachable endpoint", func(t *testing.T) {
		closed := flowClosedURL(t)
		r := lm.runEnv(lm.withEnv("AWS_MAX_ATTEMPTS=1"), append(base, "--endpoint-url", closed)...)
		if r.code != 255 || len(r.stdout) != 0 || !strings.Contains(string(r.stderr), "Could not connect to the endpoint URL") {
			t.Errorf("exit %d, stderr %q; want 255 and Could not connect", r.code, r.stderr)
		}
	})

	t.Run("a deleted refresh token", func(t *testing.T) {
		_, refresh2 := flowRefresh(t, ts, licL, roleR1)
		id2 := unverifiedClaims(t, refresh2).Jti
		file := flowWriteFile(t, lm.dir, "refresh-token-2", []byte(refresh2))
		if _, err := newSDKClient(t, ts).DeleteToken(t.Context(), &licensemanager.DeleteTokenInput{TokenId: aws.String(id2)}); err != nil {
			t.Fatal(err)
		}
		r := lm.run("credential-process", "--token-file", file, "--role-arn", roleR1, "--endpoint-url", ts.url)
		want := "An error occurred (AuthorizationException) when calling the GetAccessToken operation: The token was deleted."
		if r.code != 254 || len(r.stdout) != 0 || !strings.Contains(string(r.stderr), want) {
			t.Errorf("exit %d, stderr %q; want 254 and %q", r.code, r.stderr, want)
		}
	})
}

// flowWriteFile writes data to name in dir and returns its path.
func flowWriteFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// flowClosedURL returns the URL of a loopback port that nothing listens
// on: one that was free a moment ago.
func flowClosedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

// TestCredentialProcessEmbedded runs credential-process with no endpoint,
// on the data directory a server is using, and uses the credentials
// against that server.
func TestCredentialProcessEmbedded(t *testing.T) {
	t.Parallel()
	lm := newLM(t)
	ts := startServer(t)
	_, refresh := flowRefresh(t, ts, licL, roleR1)
	tokenFile := flowWriteFile(t, lm.dir, "refresh-token", []byte(refresh))
	env := flowSetEnv(lm.env, "LICENSE_MANAGER_DATA_DIR", ts.inst.Config.DataDir)
	r := lm.runEnv(env, "credential-process", "--token-file", tokenFile, "--role-arn", roleR1, "--role-session-name", "s1")
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %s", r.code, r.stderr)
	}
	var c flowProcessCredentials
	if err := decodeStrict(r.stdout, &c); err != nil {
		t.Fatalf("printed %s: %v", r.stdout, err)
	}
	who, err := flowSTS(t, ts, credentials.NewStaticCredentialsProvider(c.AccessKeyId, c.SecretAccessKey, c.SessionToken)).
		GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(who.Arn) != flowAssumedARN {
		t.Errorf("GetCallerIdentity with credentials from the embedded store = %v, %v; want %s", who, err, flowAssumedARN)
	}

	// The same command on a data directory that never issued the token.
	r = lm.run("credential-process", "--token-file", tokenFile, "--role-arn", roleR1)
	if r.code != 254 || !strings.Contains(string(r.stderr), "(AuthorizationException) when calling the GetAccessToken operation") {
		t.Errorf("on another data directory: exit %d, stderr %s; want 254 AuthorizationException", r.code, r.stderr)
	}
}

// flowSTSReply is a raw STS reply.
type flowSTSReply struct {
	status    int
	requestID string // the x-amzn-RequestId header
	body      []byte
}

// flowPostSTS sends an STS form to the server, unsigned unless sign is set
// (then with the admin key), with the extra headers.
func flowPostSTS(t *testing.T, ts *testServer, form url.Values, sign bool, headers ...string) flowSTSReply {
	t.Helper()
	body := form.Encode()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, ts.url+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	if sign {
		sum := sha256.Sum256([]byte(body))
		creds := aws.Credentials{AccessKeyID: accessKeyID, SecretAccessKey: secretAccessKey}
		if err := v4.NewSigner().SignHTTP(t.Context(), creds, req, hex.EncodeToString(sum[:]), "sts", region, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := (&http.Client{Transport: sdkTransport(t)}).Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", ts.url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return flowSTSReply{status: resp.StatusCode, requestID: resp.Header.Get("x-amzn-RequestId"), body: data}
}

type flowSTSError struct {
	XMLName   xml.Name `xml:"https://sts.amazonaws.com/doc/2011-06-15/ ErrorResponse"`
	Error     struct{ Type, Code, Message string }
	RequestID string `xml:"RequestId"`
}

type flowAssumeReply struct {
	XMLName xml.Name `xml:"https://sts.amazonaws.com/doc/2011-06-15/ AssumeRoleWithWebIdentityResponse"`
	Result  struct {
		Credentials     struct{ AccessKeyId, SecretAccessKey, SessionToken, Expiration string }
		AssumedRoleUser struct{ Arn, AssumedRoleId string }
		Audience        string
	} `xml:"AssumeRoleWithWebIdentityResult"`
	RequestID string `xml:"ResponseMetadata>RequestId"`
}

func flowAssumeForm(access string) url.Values {
	return url.Values{
		"Action": {"AssumeRoleWithWebIdentity"}, "Version": {"2011-06-15"},
		"RoleArn": {roleR1}, "RoleSessionName": {"s1"}, "WebIdentityToken": {access},
	}
}

// flowRequireAssumed checks a successful raw AssumeRoleWithWebIdentity reply,
// including BR-14: the request id in the header and the body agree.
func flowRequireAssumed(t *testing.T, what string, r flowSTSReply) flowAssumeReply {
	t.Helper()
	var a flowAssumeReply
	if r.status != 200 {
		t.Fatalf("%s: status %d, body %s", what, r.status, r.body)
	}
	if err := xml.Unmarshal(r.body, &a); err != nil {
		t.Fatalf("%s: reply %s: %v", what, r.body, err)
	}
	c := a.Result.Credentials
	if !strings.HasPrefix(c.AccessKeyId, "ASIA") || c.SecretAccessKey == "" || c.SessionToken == "" ||
		a.Result.AssumedRoleUser.Arn != flowAssumedARN {
		t.Errorf("%s: reply %s, want an ASIA key for %s", what, r.body, flowAssumedARN)
	}
	if _, err := time.Parse("2006-01-02T15:04:05Z", c.Expiration); err != nil {
		t.Errorf("%s: Expiration %q is not ISO 8601 UTC: %v", what, c.Expiration, err)
	}
	if a.RequestID == "" || a.RequestID != r.requestID {
		t.Errorf("%s: RequestId %q in the body, %q in the header; want the same, not empty", what, a.RequestID, r.requestID)
	}
	return a
}

// flowRequireSTSError checks a raw STS error reply.
func flowRequireSTSError(t *testing.T, what string, r flowSTSReply, status int, code string, words ...string) {
	t.Helper()
	var e flowSTSError
	if err := xml.Unmarshal(r.body, &e); err != nil {
		t.Errorf("%s: status %d, reply %s: %v", what, r.status, r.body, err)
		return
	}
	if r.status != status || e.Error.Code != code || e.Error.Type != "Sender" {
		t.Errorf("%s: %d %s %s %q, want %d Sender %s", what, r.status, e.Error.Type, e.Error.Code, e.Error.Message, status, code)
	}
	for _, w := range words {
		if !strings.Contains(e.Error.Message, w) {
			t.Errorf("%s: message %q does not say %q", what, e.Error.Message, w)
		}
	}
	if e.RequestID == "" || e.RequestID != r.requestID {
		t.Errorf("%s: RequestId %q in the body, %q in the header", what, e.RequestID, r.requestID)
	}
}

// BR-20: AssumeRoleWithWebIdentity works unsigned, with a stray session
// token header, from the aws CLI without credentials, and signed.
func TestAssumeRoleWithWebIdentityUnsigned(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	_, refresh := flowRefresh(t, ts, licL, roleR1)
	access := flowAccess(t, ts, refresh)

	first := flowRequireAssumed(t, "unsigned", flowPostSTS(t, ts, flowAssumeForm(access), false))
	second := flowRequireAssumed(t, "with X-Amz-Security-Token: junk", flowPostSTS(t, ts, flowAssumeForm(access), false, "X-Amz-Security-Token", "junk"))
	flowRequireAssumed(t, "signed", flowPostSTS(t, ts, flowAssumeForm(access), true))
	if first.RequestID == second.RequestID || first.Result.Credentials.AccessKeyId == second.Result.Credentials.AccessKeyId {
		t.Errorf("two calls got request id %s and key %s twice, want fresh ones", first.RequestID, first.Result.Credentials.AccessKeyId)
	}
	if !ts.logged(first.RequestID) {
		t.Errorf("request id %s is not in the server log", first.RequestID)
	}

	t.Run("aws CLI without credentials", func(t *testing.T) {
		requireTool(t, "aws")
		env := flowSetEnv(flowWithoutKeys(clientEnv(t)), "AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
		r := run(t, env, t.TempDir(), "aws", "sts", "assume-role-with-web-identity", "--endpoint-url", ts.url,
			"--role-arn", roleR1, "--role-session-name", "s1", "--web-identity-token", access)
		if r.code != 0 || !bytes.Contains(r.stdout, []byte(flowAssumedARN)) {
			t.Errorf("exit %d\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
		}
	})
}

// flowMinter signs tokens with a server's own key, read from its key file, so
// a test can give STS any claims.
type flowMinter struct {
	signer jose.Signer
}

func newFlowMinter(t *testing.T, ts *testServer) *flowMinter {
	t.Helper()
	data, err := os.ReadFile(ts.inst.Config.KeyPath())
	if err != nil {
		t.Fatal(err)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(data, &set); err != nil {
		t.Fatal(err)
	}
	for _, k := range set.Keys {
		if k.Algorithm != string(jose.ES256) {
			continue
		}
		s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: k},
			(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", k.KeyID))
		if err != nil {
			t.Fatal(err)
		}
		return &flowMinter{signer: s}
	}
	t.Fatal("the key file has no ES256 key")
	return nil
}

func (m *flowMinter) raw(t *testing.T, payload string) string {
	t.Helper()
	jws, err := m.signer.Sign([]byte(payload))
	if err != nil {
		t.Fatal(err)
	}
	s, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// access mints an access token for the refresh token id, valid now, with
// change applied to its claims (a nil value deletes the claim).
func (m *flowMinter) access(t *testing.T, refreshID string, change map[string]any) string {
	t.Helper()
	now := time.Now().Unix()
	c := map[string]any{
		"iss": issuer, "sub": account, "aud": licL, "amr": []string{issuerAMR},
		"role_arns": []string{roleR1}, "token_use": "access",
		"iat": now, "nbf": now, "exp": now + 3600, "jti": "minted", "refresh_token_id": refreshID,
	}
	for k, v := range change {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	payload, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return m.raw(t, string(payload))
}

// BR-21, BR-22 (STS), BR-26 (STS), BR-28 (duplicate aud): each bad web
// identity token gets its own documented error, never a 500, and never
// credentials.
func TestAssumeRoleWithWebIdentityRejects(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	id, refresh := flowRefresh(t, ts, licL, roleR1)
	_, refreshL2 := flowRefresh(t, ts, licL2, roleR2)
	accessL2 := flowAccess(t, ts, refreshL2)
	m := newFlowMinter(t, ts)
	now := time.Now().Unix()
	valid := m.access(t, id, nil)
	parts := strings.Split(valid, ".")
	payload := parts[1]
	with := func(f url.Values, k, v string) url.Values { f.Set(k, v); return f }
	ts2 := startServer(t)
	_, refresh2 := flowRefresh(t, ts2, licL, roleR1)
	other := flowAccess(t, ts2, refresh2)

	for _, tc := range []struct {
		name   string
		form   url.Values
		status int
		code   string
		words  []string
	}{
		{"BR-21a refresh token", flowAssumeForm(refresh), 400, "InvalidIdentityToken", []string{"not an access token"}},
		{"BR-21b role not in the token", flowAssumeForm(accessL2), 403, "AccessDenied", []string{"Not authorized to perform sts:AssumeRoleWithWebIdentity"}},
		{"BR-21c expired", flowAssumeForm(m.access(t, id, map[string]any{"iat": now - 3700, "nbf": now - 3700, "exp": now - 100})),
			400, "ExpiredTokenException", []string{"expired"}},
		{"BR-21d session name with a space", with(flowAssumeForm(valid), "RoleSessionName", "has space"), 400, "ValidationError",
			[]string{"roleSessionName", `[\w+=,.@-]*`}},
		{"BR-21e token of 3 characters", flowAssumeForm("abc"), 400, "ValidationError", []string{"webIdentityToken", "greater than or equal to 4"}},
		{"BR-21f no aud", flowAssumeForm(m.access(t, id, map[string]any{"aud": nil})), 400, "InvalidIdentityToken", []string{"aud"}},
		{"BR-22 alg none", flowAssumeForm(flowB64(`{"alg":"none","typ":"JWT"}`) + "." + payload + "."), 400, "InvalidIdentityToken", []string{"signature is invalid"}},
		{"BR-22 alg NONE", flowAssumeForm(flowB64(`{"alg":"NONE","typ":"JWT"}`) + "." + payload + "."), 400, "InvalidIdentityToken", []string{"signature is invalid"}},
		{"BR-22 stripped signature", flowAssumeForm(parts[0] + "." + payload + "."), 400, "InvalidIdentityToken", []string{"signature is invalid"}},
		{"BR-22 tampered payload", flowAssumeForm(parts[0] + "." + flowB64(`{"sub":"210987654321"}`) + "." + parts[2]), 400, "InvalidIdentityToken", []string{"signature is invalid"}},
		{"another installation's token", flowAssumeForm(other), 400, "InvalidIdentityToken", []string{"key this installation does not have"}},
		{"BR-26 nbf 10 minutes ahead", flowAssumeForm(m.access(t, id, map[string]any{"nbf": now + 600})), 400, "InvalidIdentityToken", []string{"not valid yet"}},
		{"BR-26 exp 10 minutes ago", flowAssumeForm(m.access(t, id, map[string]any{"iat": now - 4200, "nbf": now - 4200, "exp": now - 600})),
			400, "ExpiredTokenException", nil},
		{"BR-28 duplicate aud", flowAssumeForm(m.raw(t, `{"iss":"`+issuer+`","sub":"`+account+`","aud":"`+licL+`","aud":"`+licL2+
			`","role_arns":["`+roleR1+`"],"token_use":"access","iat":`+flowItoa(now)+`,"nbf":`+flowItoa(now)+`,"exp":`+flowItoa(now+3600)+
			`,"jti":"d","refresh_token_id":"`+id+`"}`)), 400, "InvalidIdentityToken", []string{"duplicate"}},
		{"unknown refresh token", flowAssumeForm(m.access(t, "00000000000000000000000000000000", nil)), 400, "InvalidIdentityToken", []string{"not known"}},
	} {
		r := flowPostSTS(t, ts, tc.form, false)
		flowRequireSTSError(t, tc.name, r, tc.status, tc.code, tc.words...)
	}

	// BR-26: the one leeway of 60 seconds applies to every time claim.
	for name, change := range map[string]map[string]any{
		"iat and nbf 30 s ahead": {"iat": now + 30, "nbf": now + 30},
		"exp 30 s ago":           {"iat": now - 3600, "nbf": now - 3600, "exp": now - 30},
	} {
		flowRequireAssumed(t, "BR-26 "+name, flowPostSTS(t, ts, flowAssumeForm(m.access(t, id, change)), false))
	}

	// BR-22: the log records the rejections, never the token.
	if logs := ts.logs.String(); strings.Contains(logs, payload) || strings.Contains(logs, refresh) {
		t.Error("the server log contains a token")
	}
}

func flowB64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func flowItoa(n int64) string { return strconv.FormatInt(n, 10) }

// BR-25: STS accepts aud as a string, or as an array holding the license
// ARN, and refuses an array without one.
func TestAssumeRoleWithWebIdentityAudienceForms(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	id, _ := flowRefresh(t, ts, licL, roleR1)
	m := newFlowMinter(t, ts)

	a := flowRequireAssumed(t, "aud a string", flowPostSTS(t, ts, flowAssumeForm(m.access(t, id, nil)), false))
	if a.Result.Audience != licL {
		t.Errorf("Audience %q, want %s", a.Result.Audience, licL)
	}
	r := flowPostSTS(t, ts, flowAssumeForm(m.access(t, id, map[string]any{"aud": []string{"other"}})), false)
	flowRequireSTSError(t, "aud an array without the license ARN", r, 400, "InvalidIdentityToken")

	t.Run("aud an array holding the license ARN", func(t *testing.T) {
		r := flowPostSTS(t, ts, flowAssumeForm(m.access(t, id, map[string]any{"aud": []string{licL, "other"}})), false)
		if a := flowRequireAssumed(t, "aud an array holding the license ARN", r); a.Result.Audience != licL {
			t.Errorf("Audience %q, want %s", a.Result.Audience, licL)
		}
	})
}

// A web identity token naming a role of another account than its own (one
// CreateToken refuses to embed, minted here with the installation's key)
// does not open that role.
func TestAssumeRoleOfAnotherAccountRefused(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	id, _ := flowRefresh(t, ts, licL, roleR1)
	m := newFlowMinter(t, ts)
	other := "arn:aws:iam::111111111111:role/App"
	form := flowAssumeForm(m.access(t, id, map[string]any{"role_arns": []string{roleR1, other}}))
	form.Set("RoleArn", other)
	flowRequireSTSError(t, "role of another account", flowPostSTS(t, ts, form, false), 403, "AccessDenied", "not in the account that issued")
}

// BR-19: temporary credentials are valid only with their own session token
// and only until they expire, in both protocols: the aws CLI calling STS
// and aws-sdk-go-v2 calling License Manager.
func TestTemporaryCredentialsNeedSessionToken(t *testing.T) {
	t.Parallel()
	ts := startServer(t)
	id, refresh := flowRefresh(t, ts, licL, roleR1)
	access := flowAccess(t, ts, refresh)
	mine := flowAssume(t, ts, access).Credentials
	other := flowAssume(t, ts, access).Credentials
	// Credentials that expired ten minutes ago, from the server's own
	// session issuer: the clock of the test cannot move the server's.
	expired, err := ts.inst.Sessions.Issue(auth.Principal{
		Kind: auth.AssumedRole, AccountID: account, RoleARN: roleR1, SessionName: "s1", LicenseARN: licL, TokenID: id,
	}, time.Now().Add(-10*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	key, secret := aws.ToString(mine.AccessKeyId), aws.ToString(mine.SecretAccessKey)
	cases := []struct {
		name                 string
		key, secret, session string
		stsCode, lmCode      string
	}{
		{"(a) key, secret and session token", key, secret, aws.ToString(mine.SessionToken), "", ""},
		{"(b) no session token", key, secret, "", "InvalidClientTokenId", "UnrecognizedClientException"},
		{"(c) another session's token", key, secret, aws.ToString(other.SessionToken), "InvalidClientTokenId", "UnrecognizedClientException"},
		{"(d) expired", expired.AccessKeyID, expired.SecretAccessKey, expired.SessionToken, "ExpiredToken", "ExpiredTokenException"},
	}
	for _, tc := range cases {
		creds := credentials.NewStaticCredentialsProvider(tc.key, tc.secret, tc.session)
		lm := newSDKClient(t, ts, func(o *licensemanager.Options) { o.Credentials = creds; o.Retryer = aws.NopRetryer{} })
		_, err := lm.GetAccessToken(t.Context(), &licensemanager.GetAccessTokenInput{Token: aws.String(refresh)})
		if got := flowErrorCode(err); got != tc.lmCode {
			t.Errorf("%s: GetAccessToken signed with them: err = %v, want code %q", tc.name, err, tc.lmCode)
		}
	}

	t.Run("aws CLI", func(t *testing.T) {
		requireTool(t, "aws")
		for _, tc := range cases {
			env := flowWithoutKeys(clientEnv(t))
			env = append(env, "AWS_ACCESS_KEY_ID="+tc.key, "AWS_SECRET_ACCESS_KEY="+tc.secret)
			if tc.session != "" {
				env = append(env, "AWS_SESSION_TOKEN="+tc.session)
			}
			r := run(t, env, t.TempDir(), "aws", "sts", "get-caller-identity", "--endpoint-url", ts.url)
			switch {
			case tc.stsCode == "" && (r.code != 0 || !bytes.Contains(r.stdout, []byte(flowAssumedARN))):
				t.Errorf("%s: exit %d\nstdout %s\nstderr %s", tc.name, r.code, r.stdout, r.stderr)
			case tc.stsCode != "" && (r.code != awsServiceErrorExit || len(r.stdout) != 0 ||
				!strings.Contains(string(r.stderr), "An error occurred ("+tc.stsCode+") when calling the GetCallerIdentity operation")):
				t.Errorf("%s: exit %d, stderr %s; want %s", tc.name, r.code, r.stderr, tc.stsCode)
			}
		}
	})
}
