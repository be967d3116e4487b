package output

import (
	"encoding/json"
	"regexp"
	"strings"

	"github.com/license-manager/license-manager/internal/cli/jsondoc"
)

// The yaml and yaml-stream formats. aws CLI v2 dumps collections with
// ruamel.yaml's safe dumper on libyaml's C emitter (ruamel.yaml.clib), with
// block style, and dumps a bare scalar as JSON instead, so no document end
// marker follows it. This file reproduces that output for documents:
//
//   - Mapping keys are sorted, as ruamel's safe representer sorts dicts.
//   - Empty collections print in flow style, [] and {}.
//   - A sequence inside a mapping is not indented ("key:\n- item").
//   - A string is plain unless a YAML 1.2 reader would take it for
//     something else (true, 123, 1.5, null, 2024-01-01, ...) or libyaml's
//     analysis forbids it; then single-quoted, or double-quoted with escapes
//     when it holds characters libyaml deems unprintable (control
//     characters, U+0085, U+FEFF and everything beyond the BMP, so an emoji
//     prints as \U0001F511).
//   - Lines are folded at spaces once past column 80.
//
// go.yaml.in/yaml/v3 descends from the same libyaml emitter but cannot be
// told the line width, resolves plain scalars by other rules and indents
// sequences differently, so the emitter is written here, following the
// libyaml emitter step by step for the events a document produces.
//
// https://yaml.org/spec/1.2.2/ and https://github.com/yaml/libyaml

const (
	yamlIndent = 2
	yamlWidth  = 80
)

// yamlEmitter holds libyaml's emitter state for one document.
type yamlEmitter struct {
	b          *strings.Builder
	column     int
	whitespace bool // the last character written was white space
	indention  bool // only indentation has been written on this line
	indent     int
	indents    []int
	mapCtx     bool // the node is a mapping key or value
	simpleKey  bool // the node is a simple mapping key
}

// writeYAML writes v, a list or an object, as one YAML document.
func writeYAML(b *strings.Builder, v any) {
	e := &yamlEmitter{b: b, indent: -1, whitespace: true, indention: true}
	e.node(v, false, false)
	e.writeIndent()
}

func (e *yamlEmitter) increaseIndent(flow, indentless bool) {
	e.indents = append(e.indents, e.indent)
	switch {
	case e.indent < 0:
		if flow {
			e.indent = yamlIndent
		} else {
			e.indent = 0
		}
	case !indentless:
		e.indent += yamlIndent
	}
}

func (e *yamlEmitter) popIndent() {
	e.indent = e.indents[len(e.indents)-1]
	e.indents = e.indents[:len(e.indents)-1]
}

func (e *yamlEmitter) put(c byte) {
	e.b.WriteByte(c)
	e.column++
}

func (e *yamlEmitter) putRune(r rune) {
	e.b.WriteRune(r)
	e.column++
}

func (e *yamlEmitter) putBreak() {
	e.b.WriteByte('\n')
	e.column = 0
}

// writeBreak copies a line break character; only '\n' is normalised.
func (e *yamlEmitter) writeBreak(r rune) {
	if r == '\n' {
		e.putBreak()
		return
	}
	e.b.WriteRune(r)
	e.column = 0
}

func (e *yamlEmitter) writeIndent() {
	indent := max(e.indent, 0)
	if !e.indention || e.column > indent || (e.column == indent && !e.whitespace) {
		e.putBreak()
	}
	for e.column < indent {
		e.put(' ')
	}
	e.whitespace = true
	e.indention = true
}

func (e *yamlEmitter) writeIndicator(ind string, needWhitespace, isWhitespace, isIndention bool) {
	if needWhitespace && !e.whitespace {
		e.put(' ')
	}
	for _, r := range ind {
		e.putRune(r)
	}
	e.whitespace = isWhitespace
	e.indention = e.indention && isIndention
}

// node emits one value; mapping and simpleKey give its context.
func (e *yamlEmitter) node(v any, mapping, simpleKey bool) {
	e.mapCtx, e.simpleKey = mapping, simpleKey
	switch v := v.(type) {
	case []any:
		if len(v) == 0 {
			e.emptyFlow("[", "]")
			return
		}
		e.increaseIndent(false, e.mapCtx && !e.indention)
		for _, item := range v {
			e.writeIndent()
			e.writeIndicator("-", true, false, true)
			e.node(item, false, false)
		}
		e.popIndent()
	case *jsondoc.Object:
		if v.Len() == 0 {
			e.emptyFlow("{", "}")
			return
		}
		e.increaseIndent(false, false)
		for _, k := range sortedKeys(v) {
			val, _ := v.Get(k)
			e.writeIndent()
			if a := analyzeScalar(k); !a.multiline && len(k) <= 128 {
				e.node(k, true, true)
				e.writeIndicator(":", false, false, false)
			} else {
				e.writeIndicator("?", true, false, true)
				e.node(k, true, false)
				e.writeIndent()
				e.writeIndicator(":", true, false, true)
			}
			e.node(val, true, false)
		}
		e.popIndent()
	default:
		e.scalar(v)
	}
}

// emptyFlow writes an empty sequence or mapping, [] or {}. Flow style is
// used for nothing else, so no scalar is ever written in flow context.
func (e *yamlEmitter) emptyFlow(open, close string) {
	e.writeIndicator(open, true, true, false)
	e.writeIndicator(close, false, false, false)
}

type scalarStyle int

const (
	plainStyle scalarStyle = iota
	singleQuotedStyle
	doubleQuotedStyle
)

func (e *yamlEmitter) scalar(v any) {
	text, plainImplicit := yamlScalarText(v)
	a := analyzeScalar(text)

	style := plainStyle
	if e.simpleKey && a.multiline {
		style = doubleQuotedStyle
	}
	if style == plainStyle {
		if !a.plainAllowed {
			style = singleQuotedStyle
		}
		if text == "" && e.simpleKey {
			style = singleQuotedStyle
		}
		if !plainImplicit {
			style = singleQuotedStyle
		}
	}
	if style == singleQuotedStyle && !a.singleQuotedAllowed {
		style = doubleQuotedStyle
	}

	allowBreaks := !e.simpleKey
	e.increaseIndent(true, false)
	switch style {
	case plainStyle:
		e.writePlain(text, allowBreaks)
	case singleQuotedStyle:
		e.writeSingleQuoted(text, allowBreaks)
	default:
		e.writeDoubleQuoted(text, allowBreaks)
	}
	e.popIndent()
}

// yamlScalarText returns the text ruamel's safe representer gives a scalar
// and whether it may be written plain: a string may not when a YAML reader
// would resolve the plain text to another type.
func yamlScalarText(v any) (text string, plainImplicit bool) {
	switch v := v.(type) {
	case nil:
		return "null", true
	case bool:
		if v {
			return "true", true
		}
		return "false", true
	case json.Number:
		s, isFloat := pyNumber(v)
		if isFloat {
			switch s {
			case "inf":
				s = ".inf"
			case "-inf":
				s = "-.inf"
			case "nan":
				s = ".nan"
			}
		}
		return s, true
	case string:
		return v, !resolvesToNonString(v)
	default:
		return pyStr(v), true
	}
}

// implicitResolvers are ruamel.yaml's YAML 1.2 implicit resolvers (those
// its Resolver class installs), each tried only for values starting with one
// of its first characters.
var implicitResolvers = []struct {
	first string
	re    *regexp.Regexp
}{
	{"tTfF", regexp.MustCompile(`^(?:true|True|TRUE|false|False|FALSE)$`)},
	{"-+0123456789.", regexp.MustCompile(`^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$`)},
	{"-+0123456789", regexp.MustCompile(`^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+)$`)},
	{"<", regexp.MustCompile(`^(?:<<)$`)},
	{"~nN", regexp.MustCompile(`^(?:~|null|Null|NULL|)$`)},
	{"0123456789", regexp.MustCompile(`^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$`)},
	{"=", regexp.MustCompile(`^(?:=)$`)},
	{"!&*", regexp.MustCompile(`^(?:!|&|\*)$`)},
}

func resolvesToNonString(s string) bool {
	if s == "" {
		return true // the null resolver is registered for the empty value
	}
	first := []rune(s)[0]
	for _, r := range implicitResolvers {
		if strings.ContainsRune(r.first, first) && r.re.MatchString(s) {
			return true
		}
	}
	return false
}

// scalarAnalysis records which styles libyaml allows for a scalar in block
// context, the only context this emitter writes scalars in.
type scalarAnalysis struct {
	multiline           bool
	plainAllowed        bool
	singleQuotedAllowed bool
}

// analyzeScalar follows libyaml's yaml_emitter_analyze_scalar, leaving out
// what only matters in flow context.
func analyzeScalar(text string) scalarAnalysis {
	if text == "" {
		return scalarAnalysis{plainAllowed: true, singleQuotedAllowed: true}
	}
	rs := []rune(text)
	var (
		indicators, lineBreaks, special                          bool
		leadingSpace, leadingBreak, trailingSpace, trailingBreak bool
		breakSpace, spaceBreak, previousSpace, previousBreak     bool
	)
	// Document markers.
	indicators = strings.HasPrefix(text, "---") || strings.HasPrefix(text, "...")
	// A scalar's end counts as white space.
	blankzAt := func(i int) bool { return i >= len(rs) || isBlankz(rs[i]) }
	precededByWhitespace := true
	followedByWhitespace := blankzAt(1)
	last := len(rs) - 1
	for i, r := range rs {
		switch {
		case i == 0 && strings.ContainsRune("#,[]{}&*!|>'\"%@`", r):
			indicators = true
		case i == 0 && (r == '?' || r == ':' || r == '-') && followedByWhitespace:
			indicators = true
		case i > 0 && r == ':' && followedByWhitespace:
			indicators = true
		case i > 0 && r == '#' && precededByWhitespace:
			indicators = true
		}
		if !isYAMLPrintable(r) {
			special = true
		}
		switch {
		case r == ' ':
			leadingSpace = leadingSpace || i == 0
			trailingSpace = trailingSpace || i == last
			breakSpace = breakSpace || previousBreak
			previousSpace, previousBreak = true, false
		case isYAMLBreak(r):
			lineBreaks = true
			leadingBreak = leadingBreak || i == 0
			trailingBreak = trailingBreak || i == last
			spaceBreak = spaceBreak || previousSpace
			previousSpace, previousBreak = false, true
		default:
			previousSpace, previousBreak = false, false
		}
		precededByWhitespace = isBlankz(r)
		followedByWhitespace = blankzAt(i + 2)
	}

	a := scalarAnalysis{multiline: lineBreaks, plainAllowed: true, singleQuotedAllowed: true}
	if leadingSpace || leadingBreak || trailingSpace || trailingBreak || lineBreaks || indicators {
		a.plainAllowed = false
	}
	if breakSpace || spaceBreak || special {
		a.plainAllowed, a.singleQuotedAllowed = false, false
	}
	return a
}

// isYAMLPrintable is libyaml's printable test: LF, printable ASCII and the
// rest of the BMP except surrogates, U+0085, U+FEFF, U+FFFE and U+FFFF.
// libyaml leaves characters beyond the BMP out, so they get escaped.
func isYAMLPrintable(r rune) bool {
	return r == '\n' || (r >= 0x20 && r <= 0x7e) || (r >= 0xa0 && r <= 0xd7ff) ||
		(r >= 0xe000 && r <= 0xfffd && r != 0xfeff)
}

func isYAMLBreak(r rune) bool {
	return r == '\r' || r == '\n' || r == 0x85 || r == 0x2028 || r == 0x2029
}

func isBlankz(r rune) bool {
	return r == ' ' || r == '\t' || r == 0 || isYAMLBreak(r)
}

func (e *yamlEmitter) writePlain(text string, allowBreaks bool) {
	if !e.whitespace && text != "" {
		e.put(' ')
	}
	rs := []rune(text)
	spaces, breaks := false, false
	for i, r := range rs {
		switch {
		case r == ' ':
			if allowBreaks && !spaces && e.column > yamlWidth && !(i+1 < len(rs) && rs[i+1] == ' ') {
				e.writeIndent()
			} else {
				e.putRune(r)
			}
			spaces = true
		case isYAMLBreak(r):
			if !breaks && r == '\n' {
				e.putBreak()
			}
			e.writeBreak(r)
			e.indention = true
			breaks = true
		default:
			if breaks {
				e.writeIndent()
			}
			e.putRune(r)
			e.indention = false
			spaces, breaks = false, false
		}
	}
	e.whitespace, e.indention = false, false
}

func (e *yamlEmitter) writeSingleQuoted(text string, allowBreaks bool) {
	e.writeIndicator("'", true, false, false)
	rs := []rune(text)
	spaces, breaks := false, false
	for i, r := range rs {
		switch {
		case r == ' ':
			if allowBreaks && !spaces && e.column > yamlWidth && i != 0 && i != len(rs)-1 && rs[i+1] != ' ' {
				e.writeIndent()
			} else {
				e.putRune(r)
			}
			spaces = true
		case isYAMLBreak(r):
			if !breaks && r == '\n' {
				e.putBreak()
			}
			e.writeBreak(r)
			e.indention = true
			breaks = true
		default:
			if breaks {
				e.writeIndent()
			}
			if r == '\'' {
				e.put('\'')
			}
			e.putRune(r)
			e.indention = false
			spaces, breaks = false, false
		}
	}
	if breaks {
		e.writeIndent()
	}
	e.writeIndicator("'", false, false, false)
	e.whitespace, e.indention = false, false
}

// yamlEscapes are the short escapes of double-quoted YAML scalars.
var yamlEscapes = map[rune]byte{
	0x00: '0', 0x07: 'a', 0x08: 'b', 0x09: 't', 0x0a: 'n', 0x0b: 'v', 0x0c: 'f',
	0x0d: 'r', 0x1b: 'e', '"': '"', '\\': '\\', 0x85: 'N', 0xa0: '_',
	0x2028: 'L', 0x2029: 'P',
}

func (e *yamlEmitter) writeDoubleQuoted(text string, allowBreaks bool) {
	e.writeIndicator(`"`, true, false, false)
	rs := []rune(text)
	spaces := false
	for i, r := range rs {
		switch {
		case !isYAMLPrintable(r) || isYAMLBreak(r) || r == '"' || r == '\\':
			e.put('\\')
			if c, ok := yamlEscapes[r]; ok {
				e.put(c)
			} else {
				var hex string
				switch {
				case r <= 0xff:
					e.put('x')
					hex = strings.ToUpper(padHex(r, 2))
				case r <= 0xffff:
					e.put('u')
					hex = strings.ToUpper(padHex(r, 4))
				default:
					e.put('U')
					hex = strings.ToUpper(padHex(r, 8))
				}
				for j := 0; j < len(hex); j++ {
					e.put(hex[j])
				}
			}
			spaces = false
		case r == ' ':
			if allowBreaks && !spaces && e.column > yamlWidth && i != 0 && i != len(rs)-1 {
				e.writeIndent()
				// A space that starts a continuation line would be folded
				// away; escape it.
				if rs[i+1] == ' ' {
					e.put('\\')
				}
			} else {
				e.putRune(r)
			}
			spaces = true
		default:
			e.putRune(r)
			spaces = false
		}
	}
	e.writeIndicator(`"`, false, false, false)
	e.whitespace, e.indention = false, false
}

func padHex(r rune, n int) string {
	const digits = "0123456789abcdef"
	buf := make([]byte, n)
	for i := n - 1; i >= 0; i-- {
		buf[i] = digits[r&0xf]
		r >>= 4
	}
	return string(buf)
}
