// Package param is the request side of the command line: it turns an
// operation's command-line arguments into the request document, the way aws
// CLI v2 does, and prints the --generate-cli-skeleton samples.
//
// Everything here is driven by the service model (package model): one
// option per input member, named with model.CLIName; values given as plain
// text, JSON, the aws shorthand syntax (Name=x,Values=a,b) or file://
// references; --cli-input-json and --cli-input-yaml documents merged under
// the options; and botocore's client-side validation (types, required
// members, min constraints, never max, pattern or enum) reported all at
// once. Nothing is sent when Parse fails: every failure is an *Error that
// the command line prints with Format and exits 252.
//
// The aws CLI sources read for the behaviour are awscli/argprocess.py,
// shorthand.py, paramfile.py, customizations/cliinput.py and
// generatecliskeleton.py, and botocore/validate.py.
//
// BUG(param): an invalid --generate-cli-skeleton choice lists the valid
// choices but, unlike argparse, suggests no close match.
package param
