package cli

import (
	"fmt"
	"strings"
)

// globals are the options every command accepts, before or after the
// command name, as in the aws CLI.
type globals struct {
	endpointURL   string
	region        string
	profile       string
	output        string
	query         string
	dataDir       string
	noSignRequest bool
	debug         bool
	version       bool
	// Transport options: seconds (0 means no limit), TLS trust.
	readTimeout    string
	connectTimeout string
	caBundle       string
	noVerifySSL    bool
	color          string
	// set records which options were given, for precedence over the
	// environment and the config file.
	set map[string]bool
}

// globalValueOptions take a value; globalFlags do not.
var (
	globalValueOptions = map[string]bool{
		"--endpoint-url": true, "--region": true, "--profile": true, "--output": true,
		"--query": true, "--data-dir": true, "--cli-read-timeout": true,
		"--cli-connect-timeout": true, "--color": true, "--ca-bundle": true,
	}
	globalFlags = map[string]bool{
		"--no-sign-request": true, "--debug": true, "--version": true,
		"--no-verify-ssl": true, "--no-paginate": true, "--no-cli-pager": true,
	}
)

// splitGlobals removes the global options from args wherever they stand and
// returns them with the remaining arguments.
func splitGlobals(args []string) (globals, []string, error) {
	g := globals{set: map[string]bool{}}
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, value, hasValue := strings.Cut(a, "=")
		switch {
		case a == "--":
			rest = append(rest, args[i:]...)
			i = len(args)
		case globalFlags[a]:
			g.set[a] = true
			switch a {
			case "--no-sign-request":
				g.noSignRequest = true
			case "--debug":
				g.debug = true
			case "--version":
				g.version = true
			case "--no-verify-ssl":
				g.noVerifySSL = true
			}
		case globalValueOptions[name]:
			if !hasValue {
				if i+1 >= len(args) {
					return g, nil, fmt.Errorf("argument %s: expected one argument", name)
				}
				i++
				value = args[i]
			}
			g.set[name] = true
			switch name {
			case "--endpoint-url":
				g.endpointURL = value
			case "--region":
				g.region = value
			case "--profile":
				g.profile = value
			case "--output":
				g.output = value
			case "--query":
				g.query = value
			case "--data-dir":
				g.dataDir = value
			case "--cli-read-timeout":
				g.readTimeout = value
			case "--cli-connect-timeout":
				g.connectTimeout = value
			case "--ca-bundle":
				g.caBundle = value
			case "--color":
				g.color = value
			}
		default:
			rest = append(rest, a)
		}
	}
	return g, rest, nil
}
