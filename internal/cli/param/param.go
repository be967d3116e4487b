package param

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"
	"strings"

	"github.com/license-manager/license-manager/internal/cli/jsondoc"
	"github.com/license-manager/license-manager/internal/model"
)

// Skeleton modes of --generate-cli-skeleton, as Request.Skeleton reports
// them.
const (
	SkeletonInput     = "input"
	SkeletonYAMLInput = "yaml-input"
	SkeletonOutput    = "output"
)

// Request is an operation's command line, read.
type Request struct {
	// Params is the request document: command-line options over the
	// --cli-input-json/--cli-input-yaml document, the members of every
	// structure in model order at any depth. It is validated unless
	// Skeleton is input or yaml-input, and never nil.
	Params *jsondoc.Object
	// Skeleton is "", or the --generate-cli-skeleton mode: "input" (also
	// for the option given without a value), "yaml-input" or "output".
	// The caller prints InputSkeleton for the input modes and the sample
	// OutputSkeleton for output; in no case does it send a request.
	Skeleton string
}

// ErrHelp is returned by Parse when the arguments ask for the command's help
// page: "help" alone, or as a stray word among valid options, as the aws CLI
// allows. Like flag.ErrHelp it is not a failure; the caller prints the page.
var ErrHelp = errors.New("help requested")

// Env is what Parse may reach outside its arguments. The zero value uses the
// process's file system and environment.
type Env struct {
	// ReadFile reads a file named by a file:// or fileb:// value; nil
	// means os.ReadFile.
	ReadFile func(name string) ([]byte, error)
	// LookupEnv expands $VAR and ~ in file:// paths, as the aws CLI
	// does; nil means os.LookupEnv.
	LookupEnv func(key string) (string, bool)
}

func (e Env) readFile(name string) ([]byte, error) {
	if e.ReadFile == nil {
		return ReadFileLimited(name)
	}
	return e.ReadFile(name)
}

// MaxFileBytes is the most a file:// or fileb:// value may hold. A request
// body is far smaller (the server refuses bodies over 1 MiB); the limit
// keeps a mistake such as file:///dev/zero from filling memory.
const MaxFileBytes = 16 << 20

// ReadFileLimited reads the file name, refusing one that holds more than
// MaxFileBytes.
func ReadFileLimited(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileBytes {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fmt.Errorf("file is larger than %d MiB", MaxFileBytes>>20)}
	}
	return data, nil
}

func (e Env) lookupEnv(key string) (string, bool) {
	if e.LookupEnv == nil {
		return os.LookupEnv(key)
	}
	return e.LookupEnv(key)
}

// argKind is how an option takes its values on the command line.
type argKind int

const (
	argOne      argKind = iota // exactly one value
	argList                    // any number of values, up to the next option
	argFlag                    // no value: a boolean member's --x or --no-x
	argSkeleton                // --generate-cli-skeleton: an optional value
)

// argument is one option of a command.
type argument struct {
	name   string        // with the leading "--"
	member *model.Member // nil for the CLI's own options
	kind   argKind
	// flagValue is the value a flag stores: true for --x, false for --no-x.
	flagValue bool
	required  bool
}

const (
	optInputJSON = "--cli-input-json"
	optInputYAML = "--cli-input-yaml"
	optSkeleton  = "--generate-cli-skeleton"
)

// renamed lists the options the aws CLI names otherwise than after their
// member, by operation and member name, for the operations of our model: a
// member called Version would take the place of the global --version, which
// prints the program's version. (The aws CLI also renames GetGrant's and
// DeleteGrant's Version to --grant-version.)
var renamed = map[[2]string]string{
	{"GetLicense", "Version"}: "license-version",
}

// OptionName returns the command-line option, without its leading "--",
// that gives the operation's input member: model.CLIName of the member,
// except for the few the aws CLI renames (get-license takes the license
// version as --license-version). Help pages name options with it too.
func OptionName(op *model.Operation, member string) string {
	if name, ok := renamed[[2]string{op.Name, member}]; ok {
		return name
	}
	return model.CLIName(member)
}

// arguments builds a command's options in the aws CLI's order: the input
// members in model order, then --cli-input-json, --cli-input-yaml and
// --generate-cli-skeleton.
func arguments(op *model.Operation) []*argument {
	var args []*argument
	if in := op.Input; in != nil {
		for _, m := range in.Members {
			name := "--" + OptionName(op, m.Name)
			req := in.IsRequired(m.Name)
			switch m.Shape.Type {
			case "boolean":
				args = append(args,
					&argument{name: name, member: m, kind: argFlag, flagValue: true, required: req},
					&argument{name: "--no-" + name[2:], member: m, kind: argFlag})
			case "list":
				args = append(args, &argument{name: name, member: m, kind: argList, required: req})
			default:
				args = append(args, &argument{name: name, member: m, kind: argOne, required: req})
			}
		}
	}
	return append(args,
		&argument{name: optInputJSON, kind: argOne},
		&argument{name: optInputYAML, kind: argOne},
		&argument{name: optSkeleton, kind: argSkeleton})
}

// Parse turns an operation's command-line arguments (global options already
// removed) into a Request. Any failure is an *Error; a request for the help
// page is ErrHelp.
//
// The steps follow aws CLI v2: the arguments are read as argparse reads
// them (long options, --opt=value, unique prefixes, required options unless
// --cli-input-* or an input skeleton is asked for); each option's value is
// loaded (file://), decoded (JSON or shorthand) and typed by the model; a
// --cli-input-json or --cli-input-yaml document supplies the members no
// option gave, whole top-level keys at a time; and the result is validated
// as botocore validates it, except for the input skeleton modes.
func Parse(op *model.Operation, args []string, env Env) (*Request, error) {
	if len(args) == 1 && args[0] == "help" {
		return nil, ErrHelp
	}
	table := arguments(op)
	cl, err := scan(table, args)
	if err != nil {
		return nil, err
	}
	if cl.help {
		return nil, ErrHelp
	}
	if len(cl.unknown) > 0 {
		return nil, &Error{Kind: KindUnknown, Msg: "Unknown options: " + strings.Join(cl.unknown, ", ")}
	}

	u := unpacker{env: env}
	params := jsondoc.NewObject()
	for _, a := range table {
		if a.member == nil {
			continue
		}
		if a.kind == argFlag {
			if v, ok := cl.flags[a.member.Name]; ok && a.flagValue {
				params.Set(a.member.Name, v)
			}
			continue
		}
		raw, ok := cl.values[a.name]
		if !ok {
			continue
		}
		v, err := u.unpackArgument(a, raw)
		if err != nil {
			return nil, err
		}
		params.Set(a.member.Name, v)
	}

	jsonIn, hasJSON := cl.values[optInputJSON]
	yamlIn, hasYAML := cl.values[optInputYAML]
	if hasJSON && hasYAML {
		return nil, &Error{Kind: KindParam, Msg: "Only one --cli-input- parameter may be specified: " +
			"give either --cli-input-json or --cli-input-yaml, not both."}
	}
	var doc *jsondoc.Object
	switch {
	case hasJSON:
		doc, err = u.inputDocument(optInputJSON, jsonIn[0], false)
	case hasYAML:
		doc, err = u.inputDocument(optInputYAML, yamlIn[0], true)
	}
	if err != nil {
		return nil, err
	}
	if doc != nil {
		for _, k := range doc.Keys() {
			if _, ok := params.Get(k); !ok {
				v, _ := doc.Get(k)
				params.Set(k, v)
			}
		}
	}
	if op.Input != nil {
		params = modelOrder(params, op.Input).(*jsondoc.Object)
	}

	req := &Request{Params: params, Skeleton: cl.skeleton}
	if req.Skeleton == SkeletonInput || req.Skeleton == SkeletonYAMLInput {
		return req, nil
	}
	if problems := validate(params, op.Input); len(problems) > 0 {
		return nil, validationError(problems)
	}
	return req, nil
}

// modelOrder returns v with the members of every structure in model order,
// at any depth, and any members the model does not know after them in the
// order given; validation reports those. Lists and map values are ordered
// item by item. Values of the wrong type are returned as they are.
func modelOrder(v any, sh *model.Shape) any {
	switch sh.Type {
	case "structure":
		o, ok := v.(*jsondoc.Object)
		if !ok {
			return v
		}
		out := jsondoc.NewObject()
		for _, m := range sh.Members {
			if mv, ok := o.Get(m.Name); ok {
				out.Set(m.Name, modelOrder(mv, m.Shape))
			}
		}
		for _, k := range o.Keys() {
			if _, ok := out.Get(k); !ok {
				mv, _ := o.Get(k)
				out.Set(k, mv)
			}
		}
		return out
	case "list":
		list, ok := v.([]any)
		if !ok {
			return v
		}
		out := make([]any, len(list))
		for i, item := range list {
			out[i] = modelOrder(item, sh.Member)
		}
		return out
	case "map":
		o, ok := v.(*jsondoc.Object)
		if !ok {
			return v
		}
		out := jsondoc.NewObject()
		for _, k := range o.Keys() {
			mv, _ := o.Get(k)
			out.Set(k, modelOrder(mv, sh.Value))
		}
		return out
	}
	return v
}

// commandLine is what scan read from the arguments.
type commandLine struct {
	values   map[string][]string // by option name, for argOne and argList
	flags    map[string]bool     // by member name; the last flag given wins
	skeleton string
	help     bool
	unknown  []string
}

// negativeNumber is argparse's test for an argument that looks like a
// negative number and is therefore a value, not an option.
var negativeNumber = regexp.MustCompile(`^-\d+$|^-\d*\.\d+$`)

// scan reads the arguments the way argparse's parse_known_args does for an
// aws CLI operation, including its quirks: an option may be abbreviated to a
// unique prefix; the first stray word fills the command's optional "help"
// slot and so is listed last among unknown options.
func scan(table []*argument, args []string) (*commandLine, error) {
	cl := &commandLine{values: map[string][]string{}, flags: map[string]bool{}}
	byName := make(map[string]*argument, len(table))
	for _, a := range table {
		byName[a.name] = a
	}
	lookup := func(tok string) (*argument, string, bool, error) {
		name, value, inline := tok, "", false
		if i := strings.IndexByte(tok, '='); i >= 0 && strings.HasPrefix(tok, "--") {
			name, value, inline = tok[:i], tok[i+1:], true
		}
		if a, ok := byName[tok]; ok {
			return a, "", false, nil
		}
		if a, ok := byName[name]; ok {
			return a, value, inline, nil
		}
		if !strings.HasPrefix(name, "--") || len(name) < 3 {
			return nil, "", false, nil
		}
		var matches []string
		for _, a := range table {
			if strings.HasPrefix(a.name, name) {
				matches = append(matches, a.name)
			}
		}
		switch len(matches) {
		case 0:
			return nil, "", false, nil
		case 1:
			return byName[matches[0]], value, inline, nil
		}
		return nil, "", false, usageErrorf("ambiguous option: %s could match %s", name, strings.Join(matches, ", "))
	}
	// isOption mirrors argparse's split between option strings and values.
	isOption := func(tok string) (bool, error) {
		switch {
		case !strings.HasPrefix(tok, "-"):
			return false, nil
		case tok == "-" || tok == "--":
			return tok == "--", nil
		}
		a, _, _, err := lookup(tok)
		if err != nil || a != nil {
			return true, err
		}
		if negativeNumber.MatchString(tok) || strings.Contains(tok, " ") {
			return false, nil
		}
		return true, nil
	}

	var slot *string
	stray := func(tok string) {
		if slot == nil {
			slot = &tok
			return
		}
		cl.unknown = append(cl.unknown, tok)
	}
	given := map[*argument]bool{}
	onlyValues := false
	for i := 0; i < len(args); {
		tok := args[i]
		i++
		if onlyValues {
			stray(tok)
			continue
		}
		if tok == "--" {
			onlyValues = true
			continue
		}
		opt, err := isOption(tok)
		if err != nil {
			return nil, err
		}
		if !opt {
			stray(tok)
			continue
		}
		a, value, inline, err := lookup(tok)
		if err != nil {
			return nil, err
		}
		if a == nil {
			cl.unknown = append(cl.unknown, tok)
			continue
		}
		given[a] = true
		// nextValue consumes the following argument when it is a value.
		nextValue := func() (string, bool, error) {
			if i >= len(args) {
				return "", false, nil
			}
			opt, err := isOption(args[i])
			if err != nil || opt {
				return "", false, err
			}
			i++
			return args[i-1], true, nil
		}
		switch a.kind {
		case argFlag:
			if inline {
				return nil, usageErrorf("argument %s: ignored explicit argument '%s'", a.name, value)
			}
			cl.flags[a.member.Name] = a.flagValue
		case argOne:
			if !inline {
				v, ok, err := nextValue()
				if err != nil {
					return nil, err
				}
				if !ok {
					return nil, usageErrorf("argument %s: expected one argument", a.name)
				}
				value = v
			}
			cl.values[a.name] = []string{value}
		case argList:
			vals := []string{}
			if inline {
				vals = append(vals, value)
			} else {
				for {
					v, ok, err := nextValue()
					if err != nil {
						return nil, err
					}
					if !ok {
						break
					}
					vals = append(vals, v)
				}
			}
			cl.values[a.name] = vals
		case argSkeleton:
			if !inline {
				v, ok, err := nextValue()
				if err != nil {
					return nil, err
				}
				value = SkeletonInput
				if ok {
					value = v
				}
			}
			if err := checkSkeletonChoice(value); err != nil {
				return nil, err
			}
			cl.skeleton = value
		}
	}

	// Like the aws CLI, a --cli-input-* document or an input skeleton
	// makes every option optional; output skeletons still need them.
	relaxed := cl.skeleton == SkeletonInput || cl.skeleton == SkeletonYAMLInput
	for _, name := range []string{optInputJSON, optInputYAML} {
		if _, ok := cl.values[name]; ok {
			relaxed = true
		}
	}
	if !relaxed {
		var missing []string
		for _, a := range table {
			if !a.required {
				continue
			}
			_, flagged := cl.flags[a.member.Name]
			if !given[a] && !(a.kind == argFlag && flagged) {
				missing = append(missing, a.name)
			}
		}
		if len(missing) > 0 {
			return nil, usageErrorf("the following arguments are required: %s", strings.Join(missing, ", "))
		}
	}
	if slot != nil {
		if *slot == "help" {
			cl.help = true
			return cl, nil
		}
		cl.unknown = append(cl.unknown, *slot)
	}
	return cl, nil
}

// checkSkeletonChoice rejects a --generate-cli-skeleton value other than
// input, output or yaml-input, as the aws CLI does (see InvalidChoice).
func checkSkeletonChoice(v string) error {
	switch v {
	case SkeletonInput, SkeletonOutput, SkeletonYAMLInput:
		return nil
	}
	return &Error{Kind: KindUsage, Msg: InvalidChoice(optSkeleton, v, []string{SkeletonInput, SkeletonOutput, SkeletonYAMLInput})}
}
