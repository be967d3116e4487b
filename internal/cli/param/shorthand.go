package param

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/license-manager/license-manager/internal/cli/jsondoc"
	"github.com/license-manager/license-manager/internal/model"
)

// The shorthand syntax, as aws CLI v2 parses it:
//
//	parameter = keyval *("," keyval)
//	keyval    = key ("=" / "@=") values     ; "@=" lets the value be file://
//	values    = explicit-list / hash-literal / csv-list
//	csv-list  = first-value *("," second-value)
//	explicit-list = "[" [item *("," item)] "]"
//	hash-literal  = "{" [key "=" item *("," key "=" item)] "}"
//	item      = explicit-list / hash-literal / first-value
//
// Values may be single- or double-quoted (a backslash escapes the quote and
// itself) and "\," is a literal comma. A csv-list ends where a later
// "key=" begins: a=b,c,d=e is {a: [b, c], d: e}.
//
// See https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-shorthand.html

var (
	shorthandSingleQuoted = regexp.MustCompile(`^'(?:\\'|[^'])*'`)
	shorthandDoubleQuoted = regexp.MustCompile(`^"(?:\\"|[^"])*"`)
	// An unquoted first value may hold "=" and "[" but not "," (unless
	// escaped), quotes, "]" or "}". Like the aws CLI's, the classes end at
	// U+FFFF: a character beyond the Basic Multilingual Plane (an emoji)
	// ends an unquoted value, and must be quoted.
	shorthandFirst = regexp.MustCompile(`^(\\,|[!#-&(-+\--<>-Z\\-z|-\x{FFFF}])` +
		`(\\,|[\s\v\x{1c}-\x{1f}!#-&(-+\--\\^-|~-\x{FFFF}])*`)
	// Later values of a csv-list may hold "]" and "}" but not "=", which
	// marks the start of the next key.
	shorthandSecond = regexp.MustCompile(`^(\\,|[!#-&(-+\--<>-Z\\-z|-\x{FFFF}])` +
		`(\\,|[\s\v\x{1c}-\x{1f}!#-&(-+\--<>-\x{FFFF}])*`)
)

// shorthandError is a shorthand value that does not parse. Its text points
// at the offending character the way the aws CLI does.
type shorthandError struct {
	msg string
}

func (e *shorthandError) Error() string { return e.msg }

type shorthandParser struct {
	in  []rune
	pos int
	// load reads a file:// or fileb:// value written after "@="; nil
	// leaves such values as written.
	load func(string) (string, error)
}

// parseShorthand parses a shorthand value into an object whose values are
// strings, lists and objects; typeShorthand then types them by the model.
func parseShorthand(s string, load func(string) (string, error)) (*jsondoc.Object, error) {
	p := &shorthandParser{in: []rune(s), load: load}
	return p.parameter()
}

func (p *shorthandParser) eof() bool { return p.pos >= len(p.in) }

// current returns the next character, or -1 at the end.
func (p *shorthandParser) current() rune {
	if p.eof() {
		return -1
	}
	return p.in[p.pos]
}

func (p *shorthandParser) parameter() (*jsondoc.Object, error) {
	params := jsondoc.NewObject()
	key, val, err := p.keyval()
	if err != nil {
		return nil, err
	}
	params.Set(key, val)
	last := p.pos
	for !p.eof() {
		if err := p.expect(',', true); err != nil {
			return nil, err
		}
		key, val, err := p.keyval()
		if err != nil {
			return nil, err
		}
		if _, dup := params.Get(key); dup {
			return nil, &shorthandError{fmt.Sprintf(
				"Second instance of key \"%s\" encountered for input:\n%s\n"+
					"This is often because there is a preceding \",\" instead of a space.",
				key, p.location(last+1))}
		}
		params.Set(key, val)
		last = p.pos
	}
	return params, nil
}

func (p *shorthandParser) keyval() (string, any, error) {
	key := p.key()
	files, err := p.assign()
	if err != nil {
		return "", nil, err
	}
	val, err := p.values(files)
	return key, val, err
}

// assign consumes "=" or "@=" and reports whether it was "@=".
func (p *shorthandParser) assign() (bool, error) {
	p.skipSpace()
	files := false
	if p.current() == '@' {
		p.pos++
		files = true
	}
	return files, p.expect('=', true)
}

func (p *shorthandParser) key() string {
	start := p.pos
	for !p.eof() && isKeyChar(p.in[p.pos]) {
		p.pos++
	}
	return string(p.in[start:p.pos])
}

func isKeyChar(r rune) bool {
	return r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-_.#/:", r))
}

func (p *shorthandParser) values(files bool) (any, error) {
	switch {
	case p.eof():
		return "", nil
	case p.current() == '[':
		return p.explicitList(files)
	case p.current() == '{':
		return p.hashLiteral()
	}
	return p.csvValue(files)
}

func (p *shorthandParser) csvValue(files bool) (any, error) {
	first, err := p.firstValue(files)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.eof() || p.current() != ',' {
		return first, nil
	}
	if err := p.expect(',', true); err != nil {
		return nil, err
	}
	list := []any{first}
	for {
		v, err := p.secondValue(files)
		if err == nil {
			p.skipSpace()
			if p.eof() {
				list = append(list, v)
				break
			}
			err = p.expect(',', true)
		}
		if err != nil {
			// What looked like another item is the next key=value:
			// step back to the comma before it and end the list.
			if p.eof() {
				return nil, err
			}
			p.backtrackTo(',')
			break
		}
		list = append(list, v)
	}
	if len(list) == 1 {
		return first, nil
	}
	return list, nil
}

func (p *shorthandParser) explicitList(files bool) ([]any, error) {
	if err := p.expect('[', true); err != nil {
		return nil, err
	}
	list := []any{}
	for p.current() != ']' {
		v, err := p.item(files)
		if err != nil {
			return nil, err
		}
		list = append(list, v)
		p.skipSpace()
		if p.current() != ']' {
			if err := p.expect(',', false); err != nil {
				return nil, err
			}
			p.skipSpace()
		}
	}
	return list, p.expect(']', false)
}

func (p *shorthandParser) item(files bool) (any, error) {
	switch p.current() {
	case '[':
		return p.explicitList(files)
	case '{':
		return p.hashLiteral()
	}
	return p.firstValue(files)
}

func (p *shorthandParser) hashLiteral() (*jsondoc.Object, error) {
	if err := p.expect('{', true); err != nil {
		return nil, err
	}
	obj := jsondoc.NewObject()
	for p.current() != '}' {
		key := p.key()
		files, err := p.assign()
		if err != nil {
			return nil, err
		}
		v, err := p.item(files)
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if p.current() != '}' {
			if err := p.expect(',', false); err != nil {
				return nil, err
			}
			p.skipSpace()
		}
		obj.Set(key, v)
	}
	return obj, p.expect('}', false)
}

func (p *shorthandParser) firstValue(files bool) (any, error) {
	switch p.current() {
	case '\'':
		return p.quoted(shorthandSingleQuoted, '\'', files)
	case '"':
		return p.quoted(shorthandDoubleQuoted, '"', files)
	}
	m := p.match(shorthandFirst)
	return p.unquoted(m, files)
}

func (p *shorthandParser) secondValue(files bool) (any, error) {
	switch p.current() {
	case '\'':
		return p.quoted(shorthandSingleQuoted, '\'', files)
	case '"':
		return p.quoted(shorthandDoubleQuoted, '"', files)
	}
	m := p.match(shorthandSecond)
	if m == "" {
		return nil, p.syntaxError("<second>", "<none>")
	}
	return p.unquoted(m, files)
}

// unquoted finishes an unquoted value: escaped commas become commas and
// trailing white space goes.
func (p *shorthandParser) unquoted(m string, files bool) (any, error) {
	v := strings.TrimRightFunc(strings.ReplaceAll(m, `\,`, ","), isSpace)
	return p.resolveFile(v, files)
}

func (p *shorthandParser) quoted(re *regexp.Regexp, q rune, files bool) (any, error) {
	m := p.match(re)
	if m == "" {
		name := "singled quoted"
		if q == '"' {
			name = "double quoted"
		}
		return nil, p.syntaxError("<"+name+">", "<none>")
	}
	v := m[1 : len(m)-1]
	v = strings.ReplaceAll(v, `\`+string(q), string(q))
	v = strings.ReplaceAll(v, `\\`, `\`)
	return p.resolveFile(v, files)
}

// resolveFile replaces a value written after "@=" that names a file with
// the file's contents.
func (p *shorthandParser) resolveFile(v string, files bool) (any, error) {
	if !files || p.load == nil {
		return v, nil
	}
	return p.load(v)
}

// match consumes the longest text at the current position that re matches
// and returns it, or "" if re does not match there.
func (p *shorthandParser) match(re *regexp.Regexp) string {
	rest := string(p.in[p.pos:])
	m := re.FindString(rest)
	p.pos += len([]rune(m))
	return m
}

func (p *shorthandParser) expect(c rune, skipSpace bool) error {
	if skipSpace {
		p.skipSpace()
	}
	if p.eof() {
		return p.syntaxError(string(c), "EOF")
	}
	if p.in[p.pos] != c {
		return p.syntaxError(string(c), string(p.in[p.pos]))
	}
	p.pos++
	if skipSpace {
		p.skipSpace()
	}
	return nil
}

func (p *shorthandParser) skipSpace() {
	for !p.eof() && strings.ContainsRune(" \t\n\r\v\f", p.in[p.pos]) {
		p.pos++
	}
}

func (p *shorthandParser) backtrackTo(c rune) {
	for p.pos > 0 && (p.pos >= len(p.in) || p.in[p.pos] != c) {
		p.pos--
	}
}

func (p *shorthandParser) syntaxError(expected, actual string) error {
	return &shorthandError{fmt.Sprintf("Expected: '%s', received: '%s' for input:\n%s",
		expected, actual, p.location(p.pos))}
}

// location shows the input with a caret under character index, keeping
// the caret on the line the index falls in.
func (p *shorthandParser) location(index int) string {
	if index > len(p.in) {
		index = len(p.in)
	}
	before, after := p.in[:index], p.in[index:]
	spaces := index
	if i := lastIndexRune(before, '\n'); i >= 0 {
		spaces = index - i - 1
	}
	consumed, remaining := string(p.in), ""
	if i := indexRune(after, '\n'); i >= 0 {
		consumed, remaining = string(p.in[:index+i]), string(p.in[index+i:])
	}
	return consumed + "\n" + strings.Repeat(" ", spaces) + "^" + remaining
}

func indexRune(rs []rune, c rune) int {
	for i, r := range rs {
		if r == c {
			return i
		}
	}
	return -1
}

func lastIndexRune(rs []rune, c rune) int {
	for i := len(rs) - 1; i >= 0; i-- {
		if rs[i] == c {
			return i
		}
	}
	return -1
}

// typeShorthand types parsed shorthand by the model, as awscli's
// BackCompatVisitor does: a single value where the model wants a list
// becomes a one-item list; integers, floats and the words true and false
// become numbers and booleans. Members the model does not know are kept for
// validation to report. It returns the typed value.
func typeShorthand(v any, sh *model.Shape) (any, error) {
	switch sh.Type {
	case "structure":
		o, ok := v.(*jsondoc.Object)
		if !ok {
			return v, nil
		}
		for _, m := range sh.Members {
			mv, ok := o.Get(m.Name)
			if !ok {
				continue
			}
			typed, err := typeShorthand(mv, m.Shape)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", m.Name, err)
			}
			o.Set(m.Name, typed)
		}
		return o, nil
	case "list":
		list, ok := v.([]any)
		if !ok {
			list = []any{v}
		}
		for i, item := range list {
			typed, err := typeShorthand(item, sh.Member)
			if err != nil {
				return nil, err
			}
			list[i] = typed
		}
		return list, nil
	case "map":
		o, ok := v.(*jsondoc.Object)
		if !ok {
			return v, nil
		}
		for _, k := range o.Keys() {
			mv, _ := o.Get(k)
			typed, err := typeShorthand(mv, sh.Value)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			o.Set(k, typed)
		}
		return o, nil
	}
	s, ok := v.(string)
	if !ok {
		return v, nil
	}
	switch sh.Type {
	case "integer", "long":
		return parseInteger(s)
	case "float", "double":
		return parseFloat(s)
	case "boolean":
		switch strings.ToLower(s) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
	}
	return s, nil
}
