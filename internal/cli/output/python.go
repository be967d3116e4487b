package output

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/license-manager/license-manager/internal/cli/jsondoc"
	"github.com/license-manager/license-manager/internal/cli/python"
)

// The aws CLI is a Python program: its text and table formats print values
// with Python's str(), and its JSON and YAML printers print numbers the way
// Python holds them. This file reproduces the few Python conversions that
// reach the output.

// pyNumber returns the text Python prints for a JSON number literal and
// whether Python holds it as a float. json.loads keeps integer literals as
// arbitrary-precision ints and turns anything with a fraction or exponent
// into a float, whose repr is the shortest text that reads back the same.
func pyNumber(n json.Number) (text string, isFloat bool) {
	s := string(n)
	if isIntLiteral(s) {
		if strings.Trim(s, "-0") == "" {
			return "0", false
		}
		return s, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !isRangeErr(err) {
		// Not a JSON number at all; print it as it came rather than guess.
		return s, false
	}
	return pyFloatRepr(f), true
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// isIntLiteral reports whether s is a JSON integer: an optional minus sign
// and digits only.
func isIntLiteral(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// pyFloatRepr formats f as Python's repr(float) does: shortest round-trip
// digits, positional notation with at least one fractional digit while the
// decimal exponent is in [-4, 16), scientific notation with a signed,
// two-digit-minimum exponent outside it.
//
// https://docs.python.org/3/library/functions.html#repr and
// https://docs.python.org/3/tutorial/floatingpoint.html
func pyFloatRepr(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	// 'e' with precision -1 gives the shortest digits: d.ddde±XX.
	e := strconv.FormatFloat(f, 'e', -1, 64)
	sign := ""
	if e[0] == '-' {
		sign, e = "-", e[1:]
	}
	mant, exps, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(exps)
	digits := strings.Replace(mant, ".", "", 1)
	// Python's decpt: the value is 0.DIGITS × 10^decpt.
	decpt := exp + 1
	if decpt <= -4 || decpt > 16 {
		var b strings.Builder
		b.WriteString(sign)
		b.WriteByte(digits[0])
		if len(digits) > 1 {
			b.WriteByte('.')
			b.WriteString(digits[1:])
		}
		b.WriteByte('e')
		if exp < 0 {
			b.WriteByte('-')
			exp = -exp
		} else {
			b.WriteByte('+')
		}
		fmt.Fprintf(&b, "%02d", exp)
		return b.String()
	}
	switch {
	case decpt <= 0:
		return sign + "0." + strings.Repeat("0", -decpt) + digits
	case decpt >= len(digits):
		return sign + digits + strings.Repeat("0", decpt-len(digits)) + ".0"
	default:
		return sign + digits[:decpt] + "." + digits[decpt:]
	}
}

// pyStr returns Python's str() of a document value, which is what the text
// and table formats print for every cell.
func pyStr(v any) string {
	switch v := v.(type) {
	case nil:
		return "None"
	case bool:
		if v {
			return "True"
		}
		return "False"
	case string:
		return v
	case json.Number:
		s, _ := pyNumber(v)
		return s
	default:
		return pyRepr(v)
	}
}

// pyRepr returns Python's repr() of a document value. The text and table
// formats only reach it when a cell holds a list or an object, which
// happens when one element of a list has a scalar where another has a
// collection.
func pyRepr(v any) string {
	switch v := v.(type) {
	case string:
		return python.StrRepr(v)
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = pyRepr(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case *jsondoc.Object:
		parts := make([]string, 0, v.Len())
		for _, k := range v.Keys() {
			e, _ := v.Get(k)
			parts = append(parts, python.StrRepr(k)+": "+pyRepr(e))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case nil, bool, json.Number:
		return pyStr(v)
	default:
		return fmt.Sprint(v)
	}
}

// isScalar reports whether v is neither a list nor an object, the test the
// aws CLI's text and table formats apply everywhere.
func isScalar(v any) bool {
	switch v.(type) {
	case []any, *jsondoc.Object:
		return false
	}
	return true
}

// isFalsy reports whether Python would treat v as false: None, False, zero,
// and empty strings, lists and objects.
func isFalsy(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case bool:
		return !v
	case string:
		return v == ""
	case json.Number:
		f, err := strconv.ParseFloat(string(v), 64)
		return (err == nil || isRangeErr(err)) && f == 0
	case []any:
		return len(v) == 0
	case *jsondoc.Object:
		return v.Len() == 0
	}
	return false
}

// upper is Python's str.upper for the identifiers the text format prints.
// NOTE(output): Go applies simple case mapping, so the few characters whose
// upper case is longer ('ß' → 'SS') differ; member names are ASCII.
func upper(s string) string { return strings.ToUpper(s) }
