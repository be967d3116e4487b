package output

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/jmespath/go-jmespath"

	"github.com/license-manager/license-manager/internal/cli/jsondoc"
)

// QueryError reports a --query expression that is not valid JMESPath. The
// command line rejects it before sending any request.
type QueryError struct {
	Expr string // the expression as given
	Err  error  // the parser's complaint
}

// Error says that the query is invalid, names the expression and points at
// the offending column, the way the aws CLI reports a bad --query.
func (e *QueryError) Error() string {
	if errors.Is(e.Err, emptyQuery{}) {
		return "Bad value for --query : Invalid JMESPath expression: cannot be empty."
	}
	msg := e.Err.Error()
	var se jmespath.SyntaxError
	if errors.As(e.Err, &se) {
		msg = strings.TrimPrefix(msg, "SyntaxError: ")
		// The caret sits one column right of the offset because of the
		// opening quote.
		msg += fmt.Sprintf(":\n%q\n%s^", se.Expression, strings.Repeat(" ", se.Offset+1))
	}
	return fmt.Sprintf("Bad value for --query %s: Invalid jmespath expression: %s", e.Expr, msg)
}

// Unwrap returns the parser's error.
func (e *QueryError) Unwrap() error { return e.Err }

// emptyQuery is the complaint about an empty --query.
type emptyQuery struct{}

func (emptyQuery) Error() string { return "cannot be empty." }

// CompileQuery reports whether expr is a valid JMESPath expression,
// returning a *QueryError if it is not.
func CompileQuery(expr string) error {
	_, _, err := compileQuery(expr)
	return err
}

// compileQuery compiles expr and returns it with the expression go-jmespath
// was given, bare literals rewritten (see legacyLiterals): the form every
// later reading of its syntax tree must parse.
func compileQuery(expr string) (*jmespath.JMESPath, string, error) {
	if expr == "" {
		return nil, "", &QueryError{Expr: expr, Err: emptyQuery{}}
	}
	rewritten, origin := legacyLiterals(expr)
	jp, err := jmespath.Compile(rewritten)
	if err != nil {
		var se jmespath.SyntaxError
		if errors.As(err, &se) && se.Expression == rewritten {
			// Point at the expression as the user wrote it.
			se.Expression = expr
			if se.Offset >= 0 && se.Offset < len(origin) {
				se.Offset = origin[se.Offset]
			} else if se.Offset >= len(origin) {
				se.Offset = len(expr)
			}
			err = se
		}
		return nil, "", &QueryError{Expr: expr, Err: err}
	}
	return jp, rewritten, nil
}

// legacyLiterals rewrites each `literal` of expr that is not JSON into the
// JSON string it stands for, as the aws CLI's JMESPath does: `Seats` is
// read as `"Seats"` (leading blanks dropped), a form the JMESPath
// specification deprecates but scripts use widely. Raw strings ('...') and
// quoted identifiers ("...") are left alone. origin maps each byte offset
// of the result to the offset in expr it came from.
//
// https://jmespath.org/proposals/raw-string-literals.html
func legacyLiterals(expr string) (string, []int) {
	var b strings.Builder
	var origin []int
	emit := func(s string, at int) {
		b.WriteString(s)
		for range len(s) {
			origin = append(origin, at)
		}
	}
	copyRange := func(from, to int) {
		b.WriteString(expr[from:to])
		for i := from; i < to; i++ {
			origin = append(origin, i)
		}
	}
	// end returns the offset of the delimiter closing the token that
	// starts at i, a backslash escaping the byte after it, or len(expr).
	end := func(i int, delim byte) int {
		for j := i + 1; j < len(expr); j++ {
			switch expr[j] {
			case '\\':
				j++
			case delim:
				return j
			}
		}
		return len(expr)
	}
	for i := 0; i < len(expr); {
		c := expr[i]
		if c != '\'' && c != '"' && c != '`' {
			copyRange(i, i+1)
			i++
			continue
		}
		j := end(i, c)
		if j == len(expr) {
			copyRange(i, j)
			break
		}
		lexeme := strings.ReplaceAll(expr[i+1:j], "\\`", "`")
		if c == '`' && !json.Valid([]byte(lexeme)) {
			quoted := `"` + strings.TrimLeftFunc(lexeme, unicode.IsSpace) + `"`
			if json.Valid([]byte(quoted)) {
				emit("`"+strings.ReplaceAll(quoted, "`", "\\`")+"`", i)
				i = j + 1
				continue
			}
		}
		copyRange(i, j+1)
		i = j + 1
	}
	return b.String(), origin
}

// Query applies the JMESPath expression expr to v, a document as
// FromResponse returns it, and returns the result as a document.
//
// Objects taken from v keep their member order; objects built by a
// multiselect hash ({Id: TokenId, Type: TokenType}) list their keys in the
// order the expression writes them, as the aws CLI does. Numbers that come
// from v keep the form they had there (7 stays 7, 2.50 prints as Python
// prints 2.5); numbers computed by the query print as integers when they are
// whole.
//
// An invalid expression gives a *QueryError; an expression that fails on
// this data (a function given the wrong type) gives another error.
//
// https://jmespath.org/specification.html
func Query(v any, expr string) (result any, err error) {
	jp, compiled, err := compileQuery(expr)
	if err != nil {
		return nil, err
	}
	c := &converter{orders: make(map[uintptr][]string), numbers: make(map[uint64]json.Number)}
	data := c.toSearch(v)
	defer func() {
		// go-jmespath has panicked on odd inputs before; a panic in a
		// dependency must not take the command line down with a trace.
		if r := recover(); r != nil {
			result, err = nil, fmt.Errorf("%v", r)
		}
	}()
	out, err := jp.Search(data)
	if err != nil {
		return nil, searchError(compiled, err)
	}
	c.hashes = hashKeyOrders(compiled)
	return c.fromSearch(out)
}

// converter turns documents into the map-based values go-jmespath searches
// and back, remembering what the maps lose: the member order of each object
// and the literal form of each number.
type converter struct {
	orders  map[uintptr][]string   // map identity → member order of the source object
	numbers map[uint64]json.Number // float64 bits → the number literal it came from
	hashes  [][]string             // key order of each multiselect hash in the expression
}

func (c *converter) toSearch(v any) any {
	switch v := v.(type) {
	case *jsondoc.Object:
		m := make(map[string]any, v.Len())
		for _, k := range v.Keys() {
			e, _ := v.Get(k)
			m[k] = c.toSearch(e)
		}
		c.orders[reflect.ValueOf(m).Pointer()] = slices.Clone(v.Keys())
		return m
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = c.toSearch(e)
		}
		return out
	case json.Number:
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil && !isRangeErr(err) {
			return string(v)
		}
		bits := math.Float64bits(f)
		// When "2" and "2.0" both occur, a 2 in the result prints as the
		// integer: the guess that is right far more often.
		if prev, ok := c.numbers[bits]; !ok || !isIntLiteral(string(prev)) {
			c.numbers[bits] = v
		}
		return f
	default:
		return v
	}
}

func (c *converter) fromSearch(v any) (any, error) {
	switch v := v.(type) {
	case nil, bool, string:
		return v, nil
	case float64:
		return c.number(v), nil
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			pv, err := c.fromSearch(e)
			if err != nil {
				return nil, err
			}
			out[i] = pv
		}
		return out, nil
	case map[string]any:
		obj := jsondoc.NewObject()
		for _, k := range c.keyOrder(v) {
			pv, err := c.fromSearch(v[k])
			if err != nil {
				return nil, err
			}
			obj.Set(k, pv)
		}
		return obj, nil
	default:
		return nil, fmt.Errorf("query result holds a %T, which cannot be printed", v)
	}
}

func (c *converter) number(f float64) json.Number {
	if n, ok := c.numbers[math.Float64bits(f)]; ok {
		return n
	}
	if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return json.Number(strconv.FormatFloat(f, 'f', -1, 64))
	}
	return json.Number(pyFloatRepr(f))
}

// keyOrder returns the keys of m in the order the aws CLI prints them.
func (c *converter) keyOrder(m map[string]any) []string {
	if order, ok := c.orders[reflect.ValueOf(m).Pointer()]; ok && len(order) == len(m) {
		return order
	}
	for _, order := range c.hashes {
		if sameKeys(order, m) {
			return order
		}
	}
	// TODO(output): objects made by merge() or taken from a JSON literal
	// lose their order inside go-jmespath; Python keeps insertion order.
	// Sorted keys at least print the same way every time.
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func sameKeys(order []string, m map[string]any) bool {
	if len(order) != len(m) {
		return false
	}
	for _, k := range order {
		if _, ok := m[k]; !ok {
			return false
		}
	}
	return true
}
