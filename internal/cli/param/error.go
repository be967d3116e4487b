package param

import (
	"errors"
	"fmt"
	"strings"
)

// Kind says how the command line prints an Error, following the three
// shapes aws CLI v2 uses for mistakes found before anything is sent.
type Kind int

const (
	// KindParam is a parameter that cannot be read or does not validate:
	// the message alone ("Error parsing parameter ...", "Parameter
	// validation failed: ...").
	KindParam Kind = iota
	// KindUsage is a command line the argument parser rejects: the usage
	// block, then "license-manager: error: " and the message.
	KindUsage
	// KindUnknown is a command line with options the command does not
	// take: the usage block, then the message ("Unknown options: ...").
	KindUnknown
)

// Error is a usage or parameter error found before any request is sent. The
// command line prints Format(err) to standard error and exits with 252.
type Error struct {
	Kind Kind
	// Msg is the message without the usage block or program prefix; it may
	// span several lines.
	Msg string
}

// Error returns the message.
func (e *Error) Error() string { return e.Msg }

// Prog is the program name the usage block and usage errors print.
const Prog = "license-manager"

// usage is the usage block aws CLI v2 prints above argument errors, with
// our program name. The aws line for sub-subcommands is left out: our
// commands have none.
const usage = "usage: " + Prog + " [options] <command> [parameters]\n" +
	"To see help text, you can run:\n\n" +
	"  " + Prog + " help\n" +
	"  " + Prog + " <command> help\n"

// Format renders err the way aws CLI v2 writes it to standard error, less
// the final newline: an empty line first, then the usage block for argument
// errors. Errors other than *Error are rendered as parameter errors.
func Format(err error) string {
	var e *Error
	if !errors.As(err, &e) {
		return "\n" + err.Error()
	}
	switch e.Kind {
	case KindUsage:
		return "\n" + usage + "\n" + Prog + ": error: " + e.Msg + "\n"
	case KindUnknown:
		return "\n" + usage + "\n" + e.Msg + "\n"
	default:
		return "\n" + e.Msg
	}
}

func usageErrorf(format string, a ...any) *Error {
	return &Error{Kind: KindUsage, Msg: fmt.Sprintf(format, a...)}
}

// paramError is the aws CLI's ParamError: a value given for an option could
// not be read.
func paramError(cliName, msg string) *Error {
	return &Error{Kind: KindParam, Msg: fmt.Sprintf("Error parsing parameter '%s': %s", cliName, msg)}
}

// validationError joins problems found by validate into one report, as
// botocore does.
func validationError(problems []string) *Error {
	return &Error{Kind: KindParam, Msg: "Parameter validation failed:\n" + strings.Join(problems, "\n")}
}
