// Command license-manager is a self-hostable AWS License Manager token
// service: the server (license-manager serve) and an aws-CLI-compatible
// command line that works with or without a server.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/license-manager/license-manager/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], cli.Env{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv,
	})
	stop()
	os.Exit(code)
}
