package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/license-manager/license-manager/internal/config"
	"github.com/license-manager/license-manager/internal/server"
	"github.com/license-manager/license-manager/internal/token"
)

// serve runs the server until ctx is done.
func serve(ctx context.Context, g globals, args []string, env Env) int {
	cfg := config.FromEnv(env.Getenv)
	if g.dataDir != "" {
		cfg.DataDir = g.dataDir
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.StringVar(&cfg.Listen, "listen", cfg.Listen, "TCP `address` to listen on (port 0 picks a free port)")
	fs.StringVar(&cfg.DataDir, "data-dir", cfg.DataDir, "`directory` for the database and signing keys")
	fs.StringVar(&cfg.AccountID, "account-id", cfg.AccountID, "`account` of the access key created in a new data directory")
	fs.StringVar(&cfg.Issuer, "issuer", cfg.Issuer, "issuer `URL` written into tokens (iss)")
	fs.StringVar(&cfg.Credentials, "credentials", cfg.Credentials,
		"access keys `file` (aws shared-credentials format with aws_account_id per profile); default: credentials in the data directory, created on first start")
	logFormat := fs.String("log-format", "text", "log `format`: text or json")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: license-manager serve [options]\n\n"+
			"Serve the License Manager API (AWS JSON 1.1), STS and the token keys over HTTP.\n"+
			"Requests are signed with SigV4 by a key of the credentials file, except\n"+
			"GetAccessToken and AssumeRoleWithWebIdentity, whose tokens are their credentials.\n\nOptions:\n")
		printFlags(fs, map[string]string{
			"listen": config.EnvListen, "data-dir": config.EnvDataDir, "account-id": config.EnvAccountID,
			"issuer": config.EnvIssuer, "credentials": config.EnvCredentials,
		})
	}
	if len(args) == 1 && args[0] == "help" {
		fs.SetOutput(env.Stdout)
		fs.Usage()
		return ExitOK
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitUsage
	}
	if fs.NArg() > 0 {
		return usageError(env.Stderr, fmt.Sprintf("serve: unexpected argument %q", fs.Arg(0)))
	}
	issuerGiven := env.Getenv(config.EnvIssuer) != ""
	fs.Visit(func(f *flag.Flag) { issuerGiven = issuerGiven || f.Name == "issuer" })
	if !issuerGiven {
		cfg.Issuer = defaultIssuer(cfg.Listen, cfg.Issuer)
	}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintf(env.Stderr, "license-manager serve: invalid configuration:\n%v\n", err)
		return ExitConfig
	}
	var handler slog.Handler
	switch *logFormat {
	case "text":
		handler = slog.NewTextHandler(env.Stderr, nil)
	case "json":
		handler = slog.NewJSONHandler(env.Stderr, nil)
	default:
		return usageError(env.Stderr, fmt.Sprintf("serve: --log-format %q: want text or json", *logFormat))
	}
	log := slog.New(handler)

	inst, err := server.Open(ctx, cfg, log, time.Now)
	if err != nil {
		log.Error("open data directory", "data_dir", cfg.DataDir, "err", err)
		return ExitOther
	}
	defer inst.Close()
	srv, err := inst.NewServer(log)
	if err != nil {
		log.Error("start server", "err", err)
		return ExitOther
	}
	log.Info("data directory opened", "data_dir", cfg.DataDir, "issuer", cfg.Issuer)
	if !issuerGiven && strings.HasSuffix(cfg.Listen, ":0") {
		log.Warn("the port is chosen at start, so the issuer (iss) is not this server's URL; pass --issuer to make them match", "issuer", cfg.Issuer, "addr", srv.Addr())
	}
	go inst.PurgeLoop(ctx, time.Minute, log)
	if err := srv.Run(ctx); err != nil {
		log.Error("server failed", "err", err)
		return ExitOther
	}
	return ExitOK
}

// printJWKS prints the public signing keys of the data directory.
func printJWKS(g globals, args []string, env Env) int {
	if len(args) == 1 && (args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
		fmt.Fprint(env.Stdout, "usage: license-manager [--data-dir DIR] jwks\n\n"+
			"Print the public signing keys of the data directory as a JSON Web Key Set, the\n"+
			"document a server serves at /.well-known/jwks.json. The keys are created if the\n"+
			"directory has none. No private key is ever printed.\n")
		return ExitOK
	}
	if len(args) > 0 {
		return usageError(env.Stderr, fmt.Sprintf("jwks: unexpected argument %q", args[0]))
	}
	cfg := config.FromEnv(env.Getenv)
	if g.dataDir != "" {
		cfg.DataDir = g.dataDir
	}
	keys, err := token.LoadKeySet(cfg.KeyPath(), token.Algorithms...)
	if err != nil {
		fmt.Fprintf(env.Stderr, "\n%v\n", err)
		return ExitOther
	}
	out, err := json.MarshalIndent(keys.JWKS(), "", "    ")
	if err != nil {
		fmt.Fprintf(env.Stderr, "\n%v\n", err)
		return ExitOther
	}
	fmt.Fprintf(env.Stdout, "%s\n", out)
	return ExitOK
}

// printFlags writes the options of fs as the rest of the command line
// spells them (--name), each with its environment variable, if any.
func printFlags(fs *flag.FlagSet, envs map[string]string) {
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		fmt.Fprintf(fs.Output(), "  --%s %s\n    \t%s", f.Name, name, usage)
		if f.DefValue != "" {
			fmt.Fprintf(fs.Output(), " (default %q)", f.DefValue)
		}
		if env := envs[f.Name]; env != "" {
			fmt.Fprintf(fs.Output(), "\n    \tenvironment: %s", env)
		}
		fmt.Fprintln(fs.Output())
	})
}

// defaultIssuer is the issuer when none is configured: the URL of the
// server on its listen address, so that discovery and the JWKS are found at
// iss. A wildcard host (0.0.0.0, ::) becomes 127.0.0.1; with port 0 the
// port is not known yet and fallback is kept.
func defaultIssuer(listen, fallback string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil || port == "0" {
		return fallback
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}
