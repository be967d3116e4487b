// Package help prints the command line's help pages, built from the service
// model in the shape of the aws CLI's man pages: NAME, DESCRIPTION,
// SYNOPSIS, OPTIONS (each with its type, documentation and the syntax its
// value takes) and OUTPUT, as plain text for an 80-column terminal.
//
// BUG(help): text is wrapped ragged-right without hyphenation, where the aws
// CLI's pages come out of groff justified and hyphenated; the words and
// layout are the same. Syntax examples are not wrapped and may run past the
// page width, as they do in the aws CLI's pages.
package help

import (
	"fmt"
	"io"
	"strings"

	"github.com/license-manager/license-manager/internal/cli/param"
	"github.com/license-manager/license-manager/internal/model"
)

// prog is the program the pages name where the aws CLI's say "aws".
const prog = "license-manager"

// Indents of the aws CLI's man pages: section text, an option's text, and
// each level of nesting below it.
const (
	sectionIndent = 7
	step          = 3
)

// Command writes the help page of the command cliName, which runs op.
func Command(w io.Writer, cliName string, op *model.Operation) error {
	var b strings.Builder
	title := strings.ToUpper(cliName) + "()"
	writeHeader(&b, title)

	b.WriteString("NAME\n")
	writeLine(&b, cliName+" -", sectionIndent)
	b.WriteString("\nDESCRIPTION\n")
	writeDoc(&b, op.Documentation, sectionIndent)
	writeLine(&b, "See also: AWS API Documentation", sectionIndent)
	b.WriteByte('\n')
	writeLine(&b, globalOptionsNote, sectionIndent)

	b.WriteString("\nSYNOPSIS\n")
	writeLine(&b, cliName, sectionIndent+5)
	for _, o := range options(op) {
		s := o.synopsis()
		if !o.required {
			s = "[" + s + "]"
		}
		writeLine(&b, s, sectionIndent+step)
	}
	writeLine(&b, "[--cli-input-json | --cli-input-yaml]", sectionIndent+step)
	writeLine(&b, "[--generate-cli-skeleton <value>]", sectionIndent+step)

	b.WriteString("\nOPTIONS\n")
	for _, o := range options(op) {
		writeOption(&b, o)
	}
	writeWrapped(&b, "--cli-input-json | --cli-input-yaml (string) "+cliInputHelp, sectionIndent, sectionIndent)
	b.WriteByte('\n')
	writeWrapped(&b, "--generate-cli-skeleton (string) "+skeletonHelp, sectionIndent, sectionIndent)
	b.WriteByte('\n')
	writeLine(&b, globalOptionsNote, sectionIndent)

	b.WriteString("\nOUTPUT\n")
	if op.Output == nil || len(op.Output.Members) == 0 {
		writeLine(&b, "None", sectionIndent)
		b.WriteByte('\n')
	} else {
		for _, m := range op.Output.Members {
			writeMember(&b, m.Name, m.Shape, m.Doc(), sectionIndent, nil)
		}
	}
	writeFooter(&b, title)
	_, err := io.WriteString(w, b.String())
	return err
}

// Overview writes the top-level help page: what the program is and the
// commands it has, in the order given.
func Overview(w io.Writer, svc *model.Service, commands []string) {
	var b strings.Builder
	title := strings.ToUpper(prog) + "()"
	writeHeader(&b, title)
	b.WriteString("NAME\n")
	writeLine(&b, prog+" -", sectionIndent)
	b.WriteString("\nDESCRIPTION\n")
	writeWrapped(&b, fmt.Sprintf("The commands of %s (API version %s), run against the endpoint that "+
		"--endpoint-url or the configuration names, or against the embedded store when none is "+
		"configured. They take the options and print the output of the aws CLI's %s commands.",
		svc.Metadata.ServiceFullName, svc.Metadata.APIVersion, svc.Metadata.EndpointPrefix),
		sectionIndent, sectionIndent)
	b.WriteString("\nSYNOPSIS\n")
	writeLine(&b, prog+" [options] <command> [parameters]", sectionIndent+step)
	b.WriteByte('\n')
	writeWrapped(&b, "Use "+prog+" <command> help for information on a specific command.",
		sectionIndent, sectionIndent)
	b.WriteString("\nGLOBAL OPTIONS\n")
	for _, o := range globalOptions {
		writeLine(&b, o[0], sectionIndent)
		writeWrapped(&b, o[1], sectionIndent+step, sectionIndent+step)
		b.WriteByte('\n')
	}
	b.WriteString("AVAILABLE COMMANDS\n")
	for _, c := range commands {
		writeLine(&b, "o "+c, sectionIndent)
		b.WriteByte('\n')
	}
	writeFooter(&b, title)
	_, _ = io.WriteString(w, b.String())
}

// globalOptions are the options every command takes, before or after the
// command name, as the overview page lists them.
var globalOptions = [][2]string{
	{"--endpoint-url (string)", "The server to send requests to. Without it (and without AWS_ENDPOINT_URL_LICENSE_MANAGER, AWS_ENDPOINT_URL or endpoint_url in the aws config file) commands run on the embedded store."},
	{"--region (string)", "The region requests are signed for (default: the configuration, else us-east-1)."},
	{"--profile (string)", "The profile of the aws config and credentials files to use."},
	{"--output (string)", "json, yaml, yaml-stream, text or table."},
	{"--query (string)", "A JMESPath query applied to the response."},
	{"--no-sign-request (boolean)", "Send requests unsigned (GetAccessToken needs no credentials)."},
	{"--ca-bundle (string)", "The CA certificates that verify the server's TLS certificate."},
	{"--no-verify-ssl (boolean)", "Do not verify the server's TLS certificate."},
	{"--cli-read-timeout (int)", "Seconds to wait for a response; 0 waits forever (default 60)."},
	{"--cli-connect-timeout (int)", "Seconds to wait for a connection; 0 waits forever (default 60)."},
	{"--color (string)", "on, off or auto."},
	{"--debug (boolean)", "Log what the command does to standard error."},
	{"--version (boolean)", "Print the version and exit."},
	{"--data-dir (string)", "The data directory of the embedded store (default: LICENSE_MANAGER_DATA_DIR, else $XDG_DATA_HOME/license-manager, else ~/.local/share/license-manager)."},
}

const globalOptionsNote = "See '" + prog + " help' for descriptions of global parameters."

const cliInputHelp = "Reads arguments from the JSON string provided. The JSON string follows " +
	"the format provided by --generate-cli-skeleton. If other arguments are provided on the " +
	"command line, those values will override the JSON-provided values. It is not possible to " +
	"pass arbitrary binary values using a JSON-provided value as the string will be taken " +
	"literally. This may not be specified along with --cli-input-yaml."

const skeletonHelp = "Prints a JSON skeleton to standard output without sending an API request. " +
	"If provided with no value or the value input, prints a sample input JSON that can be used " +
	"as an argument for --cli-input-json. Similarly, if provided yaml-input it will print a " +
	"sample input YAML that can be used with --cli-input-yaml. If provided with the value " +
	"output, it validates the command inputs and returns a sample output JSON for that command."

// writeHeader writes the page title at both ends of the first line, then
// the three empty lines man leaves below it.
func writeHeader(b *strings.Builder, title string) {
	gap := pageWidth - 2*len(title)
	if gap < 1 {
		gap = 1
	}
	b.WriteString(title + strings.Repeat(" ", gap) + title + "\n\n\n\n")
}

// writeFooter ends the page with the title at the right margin.
func writeFooter(b *strings.Builder, title string) {
	pad := pageWidth - len(title)
	if pad < 0 {
		pad = 0
	}
	b.WriteString("\n\n" + strings.Repeat(" ", pad) + title + "\n")
}

// option is one documented option of a command.
type option struct {
	member   *model.Member
	name     string // "--license-arn"
	required bool
}

func options(op *model.Operation) []option {
	if op.Input == nil {
		return nil
	}
	var out []option
	for _, m := range op.Input.Members {
		out = append(out, option{
			member:   m,
			name:     "--" + param.OptionName(op, m.Name),
			required: op.Input.IsRequired(m.Name),
		})
	}
	return out
}

// names is the option's name as the page shows it: booleans come as a
// --x | --no-x pair.
func (o option) names() string {
	if o.member.Shape.Type == "boolean" {
		return o.name + " | --no-" + o.name[2:]
	}
	return o.name
}

func (o option) synopsis() string {
	if o.member.Shape.Type == "boolean" {
		return o.names()
	}
	return o.name + " <value>"
}

func writeOption(b *strings.Builder, o option) {
	sh := o.member.Shape
	writeLine(b, fmt.Sprintf("%s (%s)", o.names(), sh.Type), sectionIndent)
	writeDoc(b, o.member.Doc(), sectionIndent+step)
	if len(sh.Enum) > 0 {
		writeLine(b, "Possible values:", sectionIndent+step)
		b.WriteByte('\n')
		for _, e := range sh.Enum {
			writeLine(b, "o "+e, sectionIndent+step)
			b.WriteByte('\n')
		}
	}
	stack := []string{sh.Name}
	switch sh.Type {
	case "structure":
		for _, m := range sh.Members {
			writeMember(b, m.Name, m.Shape, m.Doc(), sectionIndent+step, stack)
		}
	case "list":
		writeMember(b, "", sh.Member, sh.Member.Documentation, sectionIndent+step, stack)
	case "map":
		writeMember(b, "key", sh.Key, sh.Key.Documentation, sectionIndent+step, stack)
		writeMember(b, "value", sh.Value, sh.Value.Documentation, sectionIndent+step, stack)
	}
	writeSyntax(b, sh)
}

// writeMember documents a member (or, with no name, a list's items) and
// what it holds, one level deeper each time. A structure met again on its
// own path is noted as recursive instead.
func writeMember(b *strings.Builder, name string, sh *model.Shape, doc string, indent int, stack []string) {
	if count(stack, sh.Name) > 1 {
		if sh.Type == "structure" {
			writeLine(b, "( ... recursive ... )", indent)
		}
		return
	}
	stack = append(stack, sh.Name)
	// The aws CLI's pages indent what a list item holds by one column
	// more than what a named member holds.
	inner := indent + step
	if name != "" {
		writeLine(b, fmt.Sprintf("%s -> (%s)", name, sh.Type), indent)
	} else {
		writeLine(b, "("+sh.Type+")", indent)
		inner++
	}
	if !writeDoc(b, doc, inner) {
		b.WriteByte('\n')
	}
	switch sh.Type {
	case "structure":
		for _, m := range sh.Members {
			writeMember(b, m.Name, m.Shape, m.Doc(), inner, stack)
		}
	case "list":
		writeMember(b, "", sh.Member, sh.Member.Documentation, inner, stack)
	case "map":
		writeMember(b, "key", sh.Key, sh.Key.Documentation, inner, stack)
		writeMember(b, "value", sh.Value, sh.Value.Documentation, inner, stack)
	}
}

func count(stack []string, name string) int {
	n := 0
	for _, s := range stack {
		if s == name {
			n++
		}
	}
	return n
}
