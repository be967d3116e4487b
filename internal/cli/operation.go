package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"golang.org/x/term"

	"github.com/license-manager/license-manager/internal/cli/output"
	"github.com/license-manager/license-manager/internal/cli/param"
	"github.com/license-manager/license-manager/internal/config"
	"github.com/license-manager/license-manager/internal/model"
	"github.com/license-manager/license-manager/internal/server"
)

func implemented(op string) bool { return server.Implemented(op) }

// invoker runs one operation on a JSON request body.
type invoker interface {
	invoke(ctx context.Context, op string, body []byte) ([]byte, error)
}

// runOperation parses an operation's arguments, sends the request to the
// embedded store or the endpoint, and prints the reply.
func runOperation(ctx context.Context, g globals, op *model.Operation, args []string, env Env) int {
	debugf := func(string, ...any) {}
	if g.debug {
		debugf = func(format string, a ...any) { fmt.Fprintf(env.Stderr, "debug: "+format+"\n", a...) }
	}
	if g.set["--query"] {
		if err := output.CompileQuery(g.query); err != nil {
			fmt.Fprintf(env.Stderr, "\n%v\n", err)
			return ExitUsage
		}
	}
	req, err := param.Parse(op, args, param.Env{ReadFile: interruptibleRead(ctx)})
	if errors.Is(err, param.ErrHelp) {
		return commandHelp(env, model.CLIName(op.Name), op)
	}
	if err != nil && ctx.Err() != nil {
		fmt.Fprintln(env.Stderr)
		return ExitInterrupted
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "%s\n", param.Format(err))
		return ExitUsage
	}
	format, err := outputFormat(g, env)
	if err != nil {
		return usageError(env.Stderr, err.Error())
	}
	switch g.color {
	case "", "on", "off", "auto":
	default:
		return usageError(env.Stderr, fmt.Sprintf("argument --color: Invalid choice: '%s' (choose from 'on', 'off', 'auto')", g.color))
	}
	switch req.Skeleton {
	case "input", "yaml-input":
		env.Stdout.Write(param.InputSkeleton(op, req.Skeleton == "yaml-input"))
		return ExitOK
	case "output":
		return render(env, g, format, op, param.OutputSkeleton(op))
	}

	// An empty or malformed --endpoint-url is a mistake in the command
	// line, never a request for the embedded store or for retries.
	if g.set["--endpoint-url"] {
		if why := endpointProblem(g.endpointURL); why != "" {
			fmt.Fprintf(env.Stderr, "\nBad value for --endpoint-url %q: %s.  Must be of the form http://<hostname>/ or https://<hostname>/\n", g.endpointURL, why)
			return ExitUsage
		}
	}
	body, err := json.Marshal(req.Params)
	if err != nil {
		fmt.Fprintf(env.Stderr, "\n%v\n", err)
		return ExitOther
	}
	inv, closeInv, code := newInvoker(ctx, g, env, debugf)
	if inv == nil {
		return code
	}
	defer closeInv()
	reply, err := inv.invoke(ctx, op.Name, body)
	if err != nil {
		printOperationError(env, op.Name, err)
		return exitCode(err)
	}
	v, err := output.FromResponse(reply, op.Output)
	if err != nil {
		printOperationError(env, op.Name, &parseError{Err: err})
		return ExitOther
	}
	return render(env, g, format, op, v)
}

func render(env Env, g globals, format string, op *model.Operation, v any) int {
	if g.set["--query"] {
		q, err := output.Query(v, g.query)
		if err != nil {
			fmt.Fprintf(env.Stderr, "\n%v\n", err)
			return ExitOther
		}
		v = q
	}
	opts := output.Options{Format: format, Title: op.Name, Color: g.color == "on"}
	if f, ok := env.Stdout.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			opts.TerminalWidth = w
		}
		opts.Color = g.color != "off"
	}
	if err := output.Render(env.Stdout, opts, v); err != nil {
		fmt.Fprintf(env.Stderr, "\n%v\n", err)
		return ExitOther
	}
	return ExitOK
}

func printOperationError(env Env, op string, err error) {
	if errors.Is(err, context.Canceled) {
		// Interrupted: end the line the terminal's ^C started, as the
		// aws CLI does, and say nothing more.
		fmt.Fprintln(env.Stderr)
		return
	}
	switch e := err.(type) {
	case *serviceError:
		retries := ""
		if e.Retries > 0 {
			retries = fmt.Sprintf(" (reached max retries: %d)", e.Retries)
		}
		fmt.Fprintf(env.Stderr, "\nAn error occurred (%s) when calling the %s operation%s: %s\n", e.Code, op, retries, e.Message)
	default:
		fmt.Fprintf(env.Stderr, "\n%v\n", err)
	}
}

// outputFormat resolves --output, then AWS_DEFAULT_OUTPUT, then json.
func outputFormat(g globals, env Env) (string, error) {
	f := g.output
	if f == "" {
		f = env.Getenv("AWS_DEFAULT_OUTPUT")
	}
	if f == "" {
		f = profileSetting(g, env, "output")
	}
	if f == "" {
		f = "json"
	}
	switch f {
	case "json", "yaml", "yaml-stream", "text", "table":
		return f, nil
	}
	return "", errors.New(param.InvalidChoice("--output", f, []string{"json", "text", "table", "yaml", "yaml-stream"}))
}

// newInvoker picks the embedded store or the configured endpoint. On
// failure it has printed the error and returns a nil invoker and the exit
// code.
func newInvoker(ctx context.Context, g globals, env Env, debugf func(string, ...any)) (invoker, func(), int) {
	endpoint, region, creds, err := resolveEndpoint(ctx, g, env)
	if err != nil {
		fmt.Fprintf(env.Stderr, "\n%v\n", err)
		return nil, nil, ExitConfig
	}
	if endpoint == "" {
		cfg := config.FromEnv(env.Getenv)
		if g.set["--data-dir"] {
			cfg.DataDir = g.dataDir
		}
		if err := cfg.Validate(); err != nil {
			fmt.Fprintf(env.Stderr, "\n%v\n", err)
			return nil, nil, ExitConfig
		}
		log := discardLogger()
		if g.debug {
			log = slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
		}
		debugf("no endpoint configured: using the embedded store in %s", cfg.DataDir)
		inst, err := server.Open(ctx, cfg, log, time.Now)
		if err != nil {
			fmt.Fprintf(env.Stderr, "\n%v\n", err)
			return nil, nil, ExitOther
		}
		return &local{inst: inst}, func() { inst.Close() }, ExitOK
	}
	attempts := 3
	if n, err := strconv.Atoi(env.Getenv("AWS_MAX_ATTEMPTS")); err == nil && n > 0 {
		attempts = n
	}
	client, err := httpClient(g, env)
	if err != nil {
		var ue *usageErr
		if errors.As(err, &ue) {
			return nil, nil, usageError(env.Stderr, ue.msg)
		}
		fmt.Fprintf(env.Stderr, "\n%v\n", err)
		return nil, nil, ExitConfig
	}
	r := &remote{
		endpoint: endpoint, region: region, credentials: creds,
		client: client, maxAttempts: attempts, debug: debugf,
	}
	return r, func() {}, ExitOK
}

// resolveEndpoint finds the endpoint (empty for the embedded store), the
// signing Region and the credentials, with the aws CLI's precedence:
// --endpoint-url, AWS_ENDPOINT_URL_LICENSE_MANAGER, AWS_ENDPOINT_URL, then
// endpoint_url in the profile's services section or the profile itself.
func resolveEndpoint(ctx context.Context, g globals, env Env) (string, string, aws.CredentialsProvider, error) {
	endpoint := g.endpointURL
	if endpoint == "" {
		endpoint = env.Getenv("AWS_ENDPOINT_URL_LICENSE_MANAGER")
	}
	if endpoint == "" {
		endpoint = env.Getenv("AWS_ENDPOINT_URL")
	}
	cfg, err := loadAWSConfig(ctx, g)
	if err != nil {
		return "", "", nil, err
	}
	if endpoint == "" {
		endpoint = configuredEndpoint(cfg)
	}
	if endpoint == "" {
		return "", "", nil, nil
	}
	if endpointProblem(endpoint) != "" {
		return "", "", nil, &configError{Msg: "Invalid endpoint: " + endpoint}
	}
	region := cfg.Region
	if region == "" {
		// Our server accepts any Region; one is needed only to sign.
		region = "us-east-1"
	}
	if g.noSignRequest {
		return endpoint, region, nil, nil
	}
	return endpoint, region, cfg.Credentials, nil
}

// endpointProblem says what keeps raw from being an endpoint URL, or
// returns "" if it is one: an http or https URL with a host.
func endpointProblem(raw string) string {
	u, err := url.Parse(raw)
	switch {
	case !strings.Contains(raw, "://"):
		return "scheme is missing"
	case err != nil:
		return "not a valid URL"
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Sprintf("scheme %s is not supported", u.Scheme)
	case u.Host == "":
		return "host is missing"
	}
	return ""
}

// configuredEndpoint returns endpoint_url from the shared config file: the
// license_manager entry of the profile's services section, else the
// profile's own endpoint_url.
func configuredEndpoint(cfg aws.Config) string {
	for _, src := range cfg.ConfigSources {
		sc, ok := src.(awsconfig.SharedConfig)
		if !ok {
			continue
		}
		if v, ok := sc.Services.ServiceValues["license_manager"]["endpoint_url"]; ok && v != "" {
			return v
		}
		if sc.BaseEndpoint != "" {
			return sc.BaseEndpoint
		}
	}
	return ""
}

// interruptibleRead returns a file reader for file:// values that gives up
// when ctx is done: a read from a pipe or FIFO that never ends must not
// outlive Ctrl-C.
func interruptibleRead(ctx context.Context) func(string) ([]byte, error) {
	return func(name string) ([]byte, error) {
		type result struct {
			data []byte
			err  error
		}
		done := make(chan result, 1)
		go func() {
			data, err := param.ReadFileLimited(name)
			done <- result{data, err}
		}()
		select {
		case r := <-done:
			return r.data, r.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// loadAWSConfig loads the aws configuration (shared files, environment,
// --profile, --region) the way the SDK does, without ever probing the EC2
// instance metadata service: this command talks only to the endpoints it
// is given. Loading reads files only; no credential_process is run yet.
func loadAWSConfig(ctx context.Context, g globals) (aws.Config, error) {
	opts := []func(*awsconfig.LoadOptions) error{
		awsconfig.WithEC2IMDSClientEnableState(imds.ClientDisabled),
	}
	if g.profile != "" {
		opts = append(opts, awsconfig.WithSharedConfigProfile(g.profile))
	}
	if g.region != "" {
		opts = append(opts, awsconfig.WithRegion(g.region))
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		var missing awsconfig.SharedConfigProfileNotExistError
		if errors.As(err, &missing) {
			return aws.Config{}, &configError{Msg: fmt.Sprintf("The config profile (%s) could not be found", missing.Profile)}
		}
		return aws.Config{}, &configError{Msg: err.Error()}
	}
	return cfg, nil
}
