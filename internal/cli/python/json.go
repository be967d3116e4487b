package python

import (
	"fmt"
	"strings"
)

// JSONError returns the message Python's json.loads raises for text, as
// the aws CLI prints it after "Invalid JSON: ", for example "Expecting ','
// delimiter: line 1 column 29 (char 28)". ok is false when Python would
// read text without complaint (it accepts NaN, Infinity and numbers of any
// size, which Go's decoder refuses); the caller then reports Go's reason.
//
// It follows the decoder of CPython's json module (its C scanner's
// messages): the first error found, its position counted in characters
// from 0, and the line and column counted from 1.
func JSONError(text string) (msg string, ok bool) {
	s := []rune(text)
	p := &jsonScanner{s: s}
	err := p.document()
	if err == nil {
		return "", false
	}
	line := 1 + strings.Count(string(s[:err.pos]), "\n")
	col := err.pos + 1
	for i := err.pos - 1; i >= 0; i-- {
		if s[i] == '\n' {
			col = err.pos - i
			break
		}
	}
	return fmt.Sprintf("%s: line %d column %d (char %d)", err.msg, line, col, err.pos), true
}

type jsonErr struct {
	msg string
	pos int
}

type jsonScanner struct{ s []rune }

func (p *jsonScanner) at(i int) rune {
	if i < len(p.s) {
		return p.s[i]
	}
	return -1
}

func isJSONSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }

// skip returns the first index from i that is not JSON white space.
func (p *jsonScanner) skip(i int) int {
	for i < len(p.s) && isJSONSpace(p.s[i]) {
		i++
	}
	return i
}

func (p *jsonScanner) document() *jsonErr {
	start := p.skip(0)
	end, err := p.value(start)
	if err != nil {
		return err
	}
	if end = p.skip(end); end != len(p.s) {
		return &jsonErr{"Extra data", end}
	}
	return nil
}

// value scans the value at i and returns the index after it. A value that
// cannot start at i is "Expecting value" at i.
func (p *jsonScanner) value(i int) (int, *jsonErr) {
	expecting := &jsonErr{"Expecting value", i}
	switch c := p.at(i); {
	case c == '"':
		return p.str(i + 1)
	case c == '{':
		return p.object(i + 1)
	case c == '[':
		return p.array(i + 1)
	case p.word(i, "null"), p.word(i, "true"):
		return i + 4, nil
	case p.word(i, "false"):
		return i + 5, nil
	case p.word(i, "NaN"):
		return i + 3, nil
	case p.word(i, "Infinity"):
		return i + 8, nil
	case p.word(i, "-Infinity"):
		return i + 9, nil
	case c == '-' || (c >= '0' && c <= '9'):
		if end := p.number(i); end > i {
			return end, nil
		}
	}
	return 0, expecting
}

func (p *jsonScanner) word(i int, w string) bool {
	r := []rune(w)
	if i+len(r) > len(p.s) {
		return false
	}
	return string(p.s[i:i+len(r)]) == w
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// number matches -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)? at i and
// returns the index after the match, or i when nothing matches.
func (p *jsonScanner) number(i int) int {
	j := i
	if p.at(j) == '-' {
		j++
	}
	switch {
	case p.at(j) == '0':
		j++
	case isDigit(p.at(j)):
		for isDigit(p.at(j)) {
			j++
		}
	default:
		return i
	}
	if p.at(j) == '.' && isDigit(p.at(j+1)) {
		j += 2
		for isDigit(p.at(j)) {
			j++
		}
	}
	if e := p.at(j); e == 'e' || e == 'E' {
		k := j + 1
		if p.at(k) == '+' || p.at(k) == '-' {
			k++
		}
		if isDigit(p.at(k)) {
			for isDigit(p.at(k)) {
				k++
			}
			j = k
		}
	}
	return j
}

// str scans a string whose opening quote is at i-1.
func (p *jsonScanner) str(i int) (int, *jsonErr) {
	begin := i - 1
	unterminated := &jsonErr{"Unterminated string starting at", begin}
	for {
		for i < len(p.s) && p.s[i] != '"' && p.s[i] != '\\' {
			if p.s[i] <= 0x1f {
				return 0, &jsonErr{"Invalid control character at", i}
			}
			i++
		}
		if i >= len(p.s) {
			return 0, unterminated
		}
		if p.s[i] == '"' {
			return i + 1, nil
		}
		// A backslash at i.
		i++
		if i >= len(p.s) {
			return 0, unterminated
		}
		if c := p.s[i]; c != 'u' {
			if !strings.ContainsRune(`"\/bfnrt`, c) {
				return 0, &jsonErr{`Invalid \escape`, i - 1}
			}
			i++
			continue
		}
		i++
		end := i + 4
		if end >= len(p.s) {
			return 0, &jsonErr{`Invalid \uXXXX escape`, i - 1}
		}
		for ; i < end; i++ {
			if !strings.ContainsRune("0123456789abcdefABCDEF", p.s[i]) {
				return 0, &jsonErr{`Invalid \uXXXX escape`, end - 5}
			}
		}
	}
}

// object scans an object whose opening brace is at i-1.
func (p *jsonScanner) object(i int) (int, *jsonErr) {
	i = p.skip(i)
	if p.at(i) == '}' {
		return i + 1, nil
	}
	for {
		if p.at(i) != '"' {
			return 0, &jsonErr{"Expecting property name enclosed in double quotes", i}
		}
		end, err := p.str(i + 1)
		if err != nil {
			return 0, err
		}
		if i = p.skip(end); p.at(i) != ':' {
			return 0, &jsonErr{"Expecting ':' delimiter", i}
		}
		if i, err = p.value(p.skip(i + 1)); err != nil {
			return 0, err
		}
		i = p.skip(i)
		switch p.at(i) {
		case '}':
			return i + 1, nil
		case ',':
			i = p.skip(i + 1)
		default:
			return 0, &jsonErr{"Expecting ',' delimiter", i}
		}
	}
}

// array scans an array whose opening bracket is at i-1.
func (p *jsonScanner) array(i int) (int, *jsonErr) {
	i = p.skip(i)
	if p.at(i) == ']' {
		return i + 1, nil
	}
	for {
		end, err := p.value(i)
		if err != nil {
			return 0, err
		}
		i = p.skip(end)
		switch p.at(i) {
		case ']':
			return i + 1, nil
		case ',':
			i = p.skip(i + 1)
		default:
			return 0, &jsonErr{"Expecting ',' delimiter", i}
		}
	}
}
