package cli

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/google/uuid"

	"github.com/license-manager/license-manager/internal/auth"
	"github.com/license-manager/license-manager/internal/config"
	"github.com/license-manager/license-manager/internal/lmapi"
	"github.com/license-manager/license-manager/internal/server"
	lmsts "github.com/license-manager/license-manager/internal/sts"
)

// defaultRoleSessionName is the RoleSessionName credential-process gives
// when --role-session-name is not set.
const defaultRoleSessionName = "license-manager-credential-process"

// credentialProcessUsage is printed for -h and --help.
const credentialProcessUsage = `usage: license-manager credential-process --token-file FILE --role-arn ARN
         [--duration-seconds N] [--role-session-name NAME] [--endpoint-url URL]

Reads a refresh token from FILE, trades it for an access token (GetAccessToken) and the access
token for temporary credentials acting as ARN (STS AssumeRoleWithWebIdentity), and prints them in
the JSON form that the aws config setting credential_process expects. See docs/sts.md.
`

// processCredentials is the credential_process output, version 1.
// https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-sourcing-external.html
type processCredentials struct {
	Version         int    `json:"Version"`
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string `json:"SecretAccessKey"`
	SessionToken    string `json:"SessionToken"`
	Expiration      string `json:"Expiration"`
}

// assumeRequest is what credential-process asks STS for.
type assumeRequest struct {
	roleARN, sessionName, accessToken string
	durationSeconds                   int32 // 0: the server's default
}

// credentialProcess runs the credential-process command: refresh token ->
// GetAccessToken -> AssumeRoleWithWebIdentity -> credential_process JSON.
// Both calls are unsigned: the tokens are the credentials.
func credentialProcess(ctx context.Context, g globals, args []string, env Env) int {
	if len(args) == 1 && args[0] == "help" {
		fmt.Fprint(env.Stdout, credentialProcessUsage)
		return ExitOK
	}
	fs := flag.NewFlagSet("credential-process", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	tokenFile := fs.String("token-file", "", "")
	roleARN := fs.String("role-arn", "", "")
	duration := fs.String("duration-seconds", "", "")
	sessionName := fs.String("role-session-name", defaultRoleSessionName, "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(env.Stdout, credentialProcessUsage)
			return ExitOK
		}
		return usageError(env.Stderr, "credential-process: "+err.Error())
	}
	var missing []string
	if *tokenFile == "" {
		missing = append(missing, "--token-file")
	}
	if *roleARN == "" {
		missing = append(missing, "--role-arn")
	}
	switch {
	case fs.NArg() > 0:
		return usageError(env.Stderr, fmt.Sprintf("credential-process: unexpected argument %q", fs.Arg(0)))
	case len(missing) > 0:
		return usageError(env.Stderr, "the following arguments are required: "+strings.Join(missing, ", "))
	}
	req := assumeRequest{roleARN: *roleARN, sessionName: *sessionName}
	if *duration != "" {
		// The range is the service's to check, as for any other command.
		n, err := strconv.ParseInt(*duration, 10, 32)
		if err != nil {
			return usageError(env.Stderr, fmt.Sprintf("argument --duration-seconds: invalid int value: '%s'", *duration))
		}
		req.durationSeconds = int32(n)
	}
	if g.set["--endpoint-url"] {
		if why := endpointProblem(g.endpointURL); why != "" {
			fmt.Fprintf(env.Stderr, "\nBad value for --endpoint-url %q: %s.  Must be of the form http://<hostname>/ or https://<hostname>/\n", g.endpointURL, why)
			return ExitUsage
		}
	}
	refresh, err := readTokenFile(*tokenFile)
	if err != nil {
		fmt.Fprintf(env.Stderr, "\n%v\n", err)
		return ExitConfig
	}
	debugf := func(string, ...any) {}
	if g.debug {
		debugf = func(format string, a ...any) { fmt.Fprintf(env.Stderr, "debug: "+format+"\n", a...) }
	}

	lmEndpoint, stsEndpoint, region, err := credentialProcessEndpoints(ctx, g, env)
	if err != nil {
		fmt.Fprintf(env.Stderr, "\n%v\n", err)
		return ExitConfig
	}
	var creds processCredentials
	var op string
	if lmEndpoint == "" {
		debugf("no endpoint configured: using the embedded store")
		creds, op, err = credentialsInProcess(ctx, g, env, refresh, req)
	} else {
		debugf("GetAccessToken at %s, AssumeRoleWithWebIdentity at %s", lmEndpoint, stsEndpoint)
		creds, op, err = credentialsFromServer(ctx, g, env, debugf, lmEndpoint, stsEndpoint, region, refresh, req)
	}
	if err != nil {
		printOperationError(env, op, err)
		return exitCode(err)
	}
	out, _ := json.MarshalIndent(creds, "", "  ") // strings and an integer only
	fmt.Fprintf(env.Stdout, "%s\n", out)
	return ExitOK
}

// readTokenFile returns the refresh token in path without surrounding
// white space.
func readTokenFile(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", &configError{Msg: fmt.Sprintf("Unable to read the token file: %v", err)}
	}
	tok := strings.TrimSpace(string(data))
	if tok == "" {
		return "", &configError{Msg: fmt.Sprintf("The token file %s is empty", path)}
	}
	return tok, nil
}

// credentialProcessEndpoints resolves where the two calls go, with the
// aws CLI's precedence for each service:
//
//	License Manager: --endpoint-url, AWS_ENDPOINT_URL_LICENSE_MANAGER,
//	                 AWS_ENDPOINT_URL, the profile's license_manager service
//	                 endpoint_url, the profile's endpoint_url
//	STS:             --endpoint-url, AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL,
//	                 the profile's sts service endpoint_url, the profile's
//	                 endpoint_url
//
// A server answers both on one listener, so if only one service has an
// endpoint the other uses it too. Both empty means the embedded store.
func credentialProcessEndpoints(ctx context.Context, g globals, env Env) (lm, stsURL, region string, err error) {
	lm, stsURL = g.endpointURL, g.endpointURL
	if lm == "" {
		lm = firstNonEmpty(env.Getenv("AWS_ENDPOINT_URL_LICENSE_MANAGER"), env.Getenv("AWS_ENDPOINT_URL"))
	}
	if stsURL == "" {
		stsURL = firstNonEmpty(env.Getenv("AWS_ENDPOINT_URL_STS"), env.Getenv("AWS_ENDPOINT_URL"))
	}
	// Loading the configuration reads files only: the profile's own
	// credential_process, which may be this very command, is never run.
	cfg, err := loadAWSConfig(ctx, g)
	if err != nil {
		return "", "", "", err
	}
	if lm == "" {
		lm = serviceEndpoint(cfg, "license_manager")
	}
	if stsURL == "" {
		stsURL = serviceEndpoint(cfg, "sts")
	}
	lm, stsURL = firstNonEmpty(lm, stsURL), firstNonEmpty(stsURL, lm)
	for _, e := range []string{lm, stsURL} {
		if e != "" && endpointProblem(e) != "" {
			return "", "", "", &configError{Msg: "Invalid endpoint: " + e}
		}
	}
	region = cfg.Region
	if region == "" {
		region = "us-east-1"
	}
	return lm, stsURL, region, nil
}

// serviceEndpoint returns endpoint_url from the shared config file: the
// service's entry in the profile's services section, else the profile's
// own endpoint_url.
func serviceEndpoint(cfg aws.Config, service string) string {
	for _, src := range cfg.ConfigSources {
		sc, ok := src.(awsconfig.SharedConfig)
		if !ok {
			continue
		}
		if v := sc.Services.ServiceValues[service]["endpoint_url"]; v != "" {
			return v
		}
		if sc.BaseEndpoint != "" {
			return sc.BaseEndpoint
		}
	}
	return ""
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// credentialsFromServer makes both calls over HTTP, unsigned. It returns
// the operation that failed with any error.
func credentialsFromServer(ctx context.Context, g globals, env Env, debugf func(string, ...any),
	lmEndpoint, stsEndpoint, region, refresh string, req assumeRequest,
) (processCredentials, string, error) {
	client, err := httpClient(g, env)
	if err != nil {
		var ue *usageErr
		if errors.As(err, &ue) {
			return processCredentials{}, "", &configError{Msg: ue.msg}
		}
		return processCredentials{}, "", err
	}
	attempts := 3
	if n, err := strconv.Atoi(env.Getenv("AWS_MAX_ATTEMPTS")); err == nil && n > 0 {
		attempts = n
	}
	lm := &remote{endpoint: lmEndpoint, region: region, client: client, maxAttempts: attempts, debug: debugf}
	body, _ := json.Marshal(map[string]string{"Token": refresh})
	reply, err := lm.invoke(ctx, lmapi.OpGetAccessToken, body)
	if err != nil {
		return processCredentials{}, lmapi.OpGetAccessToken, err
	}
	access, err := accessTokenFromReply(reply)
	if err != nil {
		return processCredentials{}, lmapi.OpGetAccessToken, err
	}
	req.accessToken = access

	stsClient := sts.New(sts.Options{
		Region:           region,
		BaseEndpoint:     aws.String(stsEndpoint),
		HTTPClient:       client,
		RetryMaxAttempts: attempts,
	})
	in := &sts.AssumeRoleWithWebIdentityInput{
		RoleArn:          aws.String(req.roleARN),
		RoleSessionName:  aws.String(req.sessionName),
		WebIdentityToken: aws.String(req.accessToken),
	}
	if req.durationSeconds != 0 {
		in.DurationSeconds = aws.Int32(req.durationSeconds)
	}
	out, err := stsClient.AssumeRoleWithWebIdentity(ctx, in)
	if err != nil {
		return processCredentials{}, lmsts.ActionAssumeRoleWithWebIdentity, stsClientError(ctx, stsEndpoint, err)
	}
	c := out.Credentials
	if c == nil || c.Expiration == nil {
		return processCredentials{}, lmsts.ActionAssumeRoleWithWebIdentity,
			&parseError{Err: errors.New("the reply holds no credentials")}
	}
	return processCredentials{
		Version:         1,
		AccessKeyID:     aws.ToString(c.AccessKeyId),
		SecretAccessKey: aws.ToString(c.SecretAccessKey),
		SessionToken:    aws.ToString(c.SessionToken),
		Expiration:      c.Expiration.UTC().Format(time.RFC3339),
	}, "", nil
}

// stsClientError classifies an error of the SDK's STS client the way the
// command's own transport classifies its errors.
func stsClientError(ctx context.Context, endpoint string, err error) error {
	var api smithy.APIError
	var re interface{ HTTPStatusCode() int }
	var de *smithy.DeserializationError
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.As(err, &api):
		status := 0
		if errors.As(err, &re) {
			status = re.HTTPStatusCode()
		}
		return &serviceError{Code: api.ErrorCode(), Message: api.ErrorMessage(), Status: status}
	case errors.As(err, &de):
		return &parseError{Err: de}
	}
	return &connectError{URL: endpoint, Err: err}
}

func accessTokenFromReply(reply []byte) (string, error) {
	var out struct {
		AccessToken string `json:"AccessToken"`
	}
	if err := json.Unmarshal(reply, &out); err != nil {
		return "", &parseError{Err: err}
	}
	if out.AccessToken == "" {
		return "", &parseError{Err: errors.New("the reply holds no AccessToken")}
	}
	return out.AccessToken, nil
}

// credentialsInProcess makes both calls in this process on the embedded
// store, through the same code a server runs. The credentials work against
// any server that shares the data directory.
func credentialsInProcess(ctx context.Context, g globals, env Env, refresh string, req assumeRequest) (processCredentials, string, error) {
	cfg := config.FromEnv(env.Getenv)
	if g.dataDir != "" {
		cfg.DataDir = g.dataDir
	}
	if err := cfg.Validate(); err != nil {
		return processCredentials{}, "", &configError{Msg: err.Error()}
	}
	inst, err := server.Open(ctx, cfg, discardLogger(), time.Now)
	if err != nil {
		return processCredentials{}, "", err
	}
	defer inst.Close()

	body, _ := json.Marshal(map[string]string{"Token": refresh})
	reply, werr := inst.API.Call(ctx, auth.Principal{Kind: auth.Anonymous}, lmapi.OpGetAccessToken, body)
	if werr != nil {
		return processCredentials{}, lmapi.OpGetAccessToken,
			&serviceError{Code: werr.Code, Message: werr.Message, Status: werr.Status}
	}
	access, err := accessTokenFromReply(reply)
	if err != nil {
		return processCredentials{}, lmapi.OpGetAccessToken, err
	}

	form := url.Values{
		"Action": {lmsts.ActionAssumeRoleWithWebIdentity}, "Version": {lmsts.Version},
		"RoleArn": {req.roleARN}, "RoleSessionName": {req.sessionName}, "WebIdentityToken": {access},
	}
	if req.durationSeconds != 0 {
		form.Set("DurationSeconds", strconv.Itoa(int(req.durationSeconds)))
	}
	api := &lmsts.API{Tokens: inst.API.Tokens, Sessions: inst.Sessions, Now: time.Now, Logger: discardLogger()}
	status, xmlBody := api.Serve(ctx, uuid.NewString(), nil, form)
	return parseAssumeReply(status, xmlBody)
}

// parseAssumeReply reads the XML that sts.API.Serve returns for
// AssumeRoleWithWebIdentity.
func parseAssumeReply(status int, body []byte) (processCredentials, string, error) {
	op := lmsts.ActionAssumeRoleWithWebIdentity
	if status != 200 {
		var e struct {
			Error struct{ Code, Message string }
		}
		if err := xml.Unmarshal(body, &e); err != nil {
			return processCredentials{}, op, &parseError{Err: err}
		}
		return processCredentials{}, op, &serviceError{Code: e.Error.Code, Message: e.Error.Message, Status: status}
	}
	var r struct {
		Result struct {
			Credentials struct{ AccessKeyId, SecretAccessKey, SessionToken, Expiration string }
		} `xml:"AssumeRoleWithWebIdentityResult"`
	}
	if err := xml.Unmarshal(body, &r); err != nil {
		return processCredentials{}, op, &parseError{Err: err}
	}
	c := r.Result.Credentials
	return processCredentials{
		Version: 1, AccessKeyID: c.AccessKeyId, SecretAccessKey: c.SecretAccessKey,
		SessionToken: c.SessionToken, Expiration: c.Expiration,
	}, "", nil
}
