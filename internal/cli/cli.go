// Package cli is the license-manager command: the server (serve), the
// License Manager operations as aws-CLI-compatible commands (create-token,
// ...), and jwks. Operation commands run on the embedded store unless an
// endpoint is configured, in which case they send signed requests to it.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"

	"github.com/license-manager/license-manager/internal/cli/param"
	"github.com/license-manager/license-manager/internal/model"
)

// Version is the program's version, set at build time with
// -ldflags "-X .../internal/cli.Version=...".
var Version = "0.1.0-dev"

// Exit codes, the aws CLI v2 scheme (docs/cli.md).
const (
	ExitOK          = 0
	ExitUsage       = 252 // invalid command line or parameters; nothing sent
	ExitConfig      = 253 // configuration or credentials problem
	ExitService     = 254 // the service answered with an error
	ExitOther       = 255 // cannot connect, unparseable reply, anything else
	ExitInterrupted = 130
)

// Env is what the command sees of its process.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
}

// Main runs the command line args (without the program name) and returns the
// exit code.
func Main(ctx context.Context, args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	code := run(ctx, args, env)
	if ctx.Err() != nil && code != ExitOK {
		return ExitInterrupted
	}
	return code
}

func run(ctx context.Context, args []string, env Env) int {
	g, rest, err := splitGlobals(args)
	if err != nil {
		return usageError(env.Stderr, err.Error())
	}
	if g.version {
		fmt.Fprintf(env.Stdout, "license-manager/%s Go/%s %s/%s\n", Version, strings.TrimPrefix(runtime.Version(), "go"), runtime.GOOS, runtime.GOARCH)
		return ExitOK
	}
	if len(rest) == 0 {
		return usageError(env.Stderr, "the following arguments are required: command")
	}
	name, cmdArgs := rest[0], rest[1:]
	switch name {
	case "serve":
		return serve(ctx, g, cmdArgs, env)
	case "jwks":
		return printJWKS(g, cmdArgs, env)
	case "credential-process":
		return credentialProcess(ctx, g, cmdArgs, env)
	case "help":
		return overviewHelp(env)
	}
	op := operationByCommand(name)
	if op == nil {
		return usageError(env.Stderr, param.InvalidChoice("operation", name, choices()))
	}
	if len(cmdArgs) == 1 && cmdArgs[0] == "help" {
		return commandHelp(env, name, op)
	}
	return runOperation(ctx, g, op, cmdArgs, env)
}

// usageError prints an argument error the way the aws CLI prints one and
// returns ExitUsage.
func usageError(w io.Writer, msg string) int {
	fmt.Fprintln(w, param.Format(&param.Error{Kind: param.KindUsage, Msg: msg}))
	return ExitUsage
}

// operationByCommand returns the operation a command name stands for, if
// the service implements it.
func operationByCommand(name string) *model.Operation {
	svc := model.LicenseManager()
	for _, opName := range svc.OperationNames {
		if model.CLIName(opName) == name && implemented(opName) {
			return svc.Operations[opName]
		}
	}
	return nil
}

// choices lists the commands as an invalid one lists them: the operations
// and the other commands in alphabetical order, then help.
func choices() []string {
	names := slices.DeleteFunc(commandNames(), func(n string) bool { return n == "help" })
	slices.Sort(names)
	return append(names, "help")
}

// commandNames lists the commands, operations first in model order.
func commandNames() []string {
	var names []string
	svc := model.LicenseManager()
	for _, opName := range svc.OperationNames {
		if implemented(opName) {
			names = append(names, model.CLIName(opName))
		}
	}
	return append(names, "serve", "jwks", "credential-process", "help")
}

// exitCode classifies an error from an operation.
func exitCode(err error) int {
	var se *serviceError
	var ce *configError
	switch {
	case errors.As(err, &se):
		return ExitService
	case errors.As(err, &ce):
		return ExitConfig
	}
	return ExitOther
}
