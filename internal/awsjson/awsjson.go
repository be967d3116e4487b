// Package awsjson implements the server side of the AWS JSON 1.1 protocol:
// strict decoding of request bodies, and the wire error every API of this
// project returns (the sts package writes the same error as XML).
//
// The protocol is described in
// https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html.
package awsjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ContentType is the media type of JSON 1.1 requests and replies.
const ContentType = "application/x-amz-json-1.1"

// RequestIDHeader carries the request id on every reply.
const RequestIDHeader = "x-amzn-RequestId"

// Protocol-level error codes, which any operation may return.
const (
	SerializationException    = "SerializationException"
	UnknownOperationException = "UnknownOperationException"
	RequestEntityTooLarge     = "RequestEntityTooLargeException"
	MissingAuthentication     = "MissingAuthenticationTokenException"
)

// Error is an error as it goes on the wire: a code (the exception name), a
// message for the caller, and the HTTP status. Fault reports whether the
// server, not the caller, is at fault.
type Error struct {
	Code    string
	Message string
	Status  int
	Fault   bool
}

// Error returns "Code: Message".
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Errorf returns a client error (HTTP 400) with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Status: http.StatusBadRequest}
}

// WriteResponse writes a successful reply with the given JSON body.
func WriteResponse(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", ContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// WriteError writes e as a JSON 1.1 error reply: the bare exception name in
// __type, as License Manager sends it, and the text in Message.
func WriteError(w http.ResponseWriter, e *Error) {
	body, _ := json.Marshal(struct {
		Type    string `json:"__type"`
		Message string `json:"Message"`
	}{e.Code, e.Message})
	w.Header().Set("Content-Type", ContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(e.Status)
	_, _ = w.Write(body)
}

// Decode parses a request body into v, a pointer to a struct whose fields
// carry json tags with the exact AWS member names. It follows what AWS JSON
// services do and what a careful client expects:
//
//   - an empty body is the empty object;
//   - member names match exactly (case-sensitively); unknown members are
//     ignored, so newer clients keep working;
//   - null counts as an absent member;
//   - a member given twice, a value of the wrong type, or malformed JSON is
//     a SerializationException naming the member.
func Decode(body []byte, v any) *Error {
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	if bytes.HasPrefix(body, []byte("\xef\xbb\xbf")) {
		return Errorf(SerializationException, "the request body starts with a UTF-8 byte order mark; send the JSON document without it")
	}
	if !utf8.Valid(body) {
		return Errorf(SerializationException, "the request body is not valid UTF-8")
	}
	if err := checkSurrogates(body); err != nil {
		return Errorf(SerializationException, "%s", err.Error())
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	doc, err := readValue(dec, &path{})
	if err != nil {
		return Errorf(SerializationException, "%s", err.Error())
	}
	if _, err := dec.Token(); err != io.EOF {
		return Errorf(SerializationException, "unexpected data after the JSON document")
	}
	top, ok := doc.(map[string]any)
	if !ok {
		return Errorf(SerializationException, "the request body must be a JSON object")
	}
	rt := reflect.TypeOf(v).Elem()
	if err := checkTypes(top, rt, ""); err != nil {
		return err
	}
	clean, _ := json.Marshal(filterKnown(top, rt))
	if err := json.Unmarshal(clean, v); err != nil {
		// checkTypes accepted the document, so this is a value no Go type
		// can hold, such as an integer out of range.
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return Errorf(SerializationException, "member %s: value %s out of range for %s", te.Field, te.Value, te.Type)
		}
		return Errorf(SerializationException, "%s", err.Error())
	}
	return nil
}

// MaxDepth is the deepest nesting of arrays and objects a request body may
// have. License Manager's deepest request shape nests four levels; the
// limit keeps a hostile body from costing memory or stack.
const MaxDepth = 32

// path is the position of the value being read, kept as segments and
// rendered only when an error names it.
type path struct{ segs []string }

func (p *path) String() string {
	var b strings.Builder
	for _, s := range p.segs {
		if b.Len() > 0 && !strings.HasPrefix(s, "[") {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}

// readValue reads one JSON value, refusing duplicate member names at any
// depth and nesting deeper than MaxDepth. Objects become map[string]any;
// numbers stay json.Number.
func readValue(dec *json.Decoder, p *path) (any, error) {
	t, err := dec.Token()
	if err != nil {
		return nil, malformed(err)
	}
	delim, ok := t.(json.Delim)
	if !ok {
		return t, nil
	}
	if len(p.segs) >= MaxDepth {
		return nil, fmt.Errorf("the request body nests arrays and objects deeper than %d levels", MaxDepth)
	}
	if delim == '[' {
		list := []any{}
		for i := 0; dec.More(); i++ {
			p.segs = append(p.segs, "["+strconv.Itoa(i)+"]")
			v, err := readValue(dec, p)
			if err != nil {
				return nil, err
			}
			p.segs = p.segs[:len(p.segs)-1]
			list = append(list, v)
		}
		_, err := dec.Token()
		return list, malformed(err)
	}
	obj := map[string]any{}
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil, malformed(err)
		}
		k := kt.(string)
		p.segs = append(p.segs, k)
		if _, dup := obj[k]; dup {
			return nil, fmt.Errorf("duplicate member %s in the request body", p)
		}
		v, err := readValue(dec, p)
		if err != nil {
			return nil, err
		}
		p.segs = p.segs[:len(p.segs)-1]
		obj[k] = v
	}
	_, err = dec.Token()
	return obj, malformed(err)
}

// checkSurrogates refuses \u escapes that encode half of a UTF-16
// surrogate pair: encoding/json would turn each into U+FFFD, so two
// different client tokens could become one.
func checkSurrogates(body []byte) error {
	isHigh := func(r rune) bool { return r >= 0xD800 && r < 0xDC00 }
	isLow := func(r rune) bool { return r >= 0xDC00 && r < 0xE000 }
	escape := func(i int) (rune, bool) {
		if i+6 > len(body) || body[i] != '\\' || body[i+1] != 'u' {
			return 0, false
		}
		n, err := strconv.ParseUint(string(body[i+2:i+6]), 16, 32)
		return rune(n), err == nil
	}
	for i := 0; i < len(body); i++ {
		if body[i] != '\\' {
			continue
		}
		r, ok := escape(i)
		if !ok {
			i++ // skip the escaped character, which may be a backslash
			continue
		}
		switch {
		case isHigh(r):
			if low, ok := escape(i + 6); ok && isLow(low) {
				i += 11
				continue
			}
			return errors.New("the request body is not valid JSON: a string holds an unpaired UTF-16 surrogate escape")
		case isLow(r):
			return errors.New("the request body is not valid JSON: a string holds an unpaired UTF-16 surrogate escape")
		}
		i += 5
	}
	return nil
}

func malformed(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("the request body is not valid JSON: unexpected end of input")
	}
	return fmt.Errorf("the request body is not valid JSON: %v", err)
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

// fields maps a struct type's exact JSON member names to their fields.
func fields(rt reflect.Type) map[string]reflect.StructField {
	m := map[string]reflect.StructField{}
	for i := range rt.NumField() {
		f := rt.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "" && name != "-" {
			m[name] = f
		}
	}
	return m
}

// filterKnown drops members the target type does not declare, so that
// encoding/json's case-insensitive matching never binds "licensearn" to
// LicenseArn.
func filterKnown(v any, rt reflect.Type) any {
	for rt.Kind() == reflect.Pointer {
		rt = rt.Elem()
	}
	switch val := v.(type) {
	case map[string]any:
		if rt.Kind() != reflect.Struct {
			return val
		}
		fs := fields(rt)
		out := make(map[string]any, len(val))
		for k, x := range val {
			if f, ok := fs[k]; ok {
				out[k] = filterKnown(x, f.Type)
			}
		}
		return out
	case []any:
		if rt.Kind() != reflect.Slice {
			return val
		}
		out := make([]any, len(val))
		for i, x := range val {
			out[i] = filterKnown(x, rt.Elem())
		}
		return out
	}
	return v
}

// checkTypes compares the JSON value with the Go type of the member it fills
// and names the member and the expected type on a mismatch.
func checkTypes(v any, rt reflect.Type, path string) *Error {
	if v == nil {
		return nil
	}
	for rt.Kind() == reflect.Pointer {
		rt = rt.Elem()
	}
	bad := func(want string) *Error {
		return Errorf(SerializationException, "member %s: expected %s, got %s", path, want, jsonType(v))
	}
	switch rt.Kind() {
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return bad("a JSON object")
		}
		for k, f := range fields(rt) {
			if x, ok := obj[k]; ok {
				if err := checkTypes(x, f.Type, join(path, k)); err != nil {
					return err
				}
			}
		}
	case reflect.Slice:
		list, ok := v.([]any)
		if !ok {
			return bad("a JSON array")
		}
		for i, x := range list {
			if x == nil {
				// Only a member may be null (and then counts as absent);
				// a list element must have the element type.
				return Errorf(SerializationException, "member %s[%d]: expected %s, got null", path, i, typeName(rt.Elem()))
			}
			if err := checkTypes(x, rt.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case reflect.String:
		if _, ok := v.(string); !ok {
			return bad("a string")
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			return bad("a boolean")
		}
	case reflect.Int, reflect.Int32, reflect.Int64:
		n, ok := v.(json.Number)
		if !ok {
			return bad("an integer")
		}
		if _, err := strconv.ParseInt(string(n), 10, 64); err != nil {
			if strings.ContainsAny(string(n), ".eE") {
				return Errorf(SerializationException, "member %s: expected an integer, got %s", path, n)
			}
			return Errorf(SerializationException, "member %s: integer %s out of range", path, n)
		}
	}
	return nil
}

// typeName says in words what JSON value a Go type takes.
func typeName(rt reflect.Type) string {
	for rt.Kind() == reflect.Pointer {
		rt = rt.Elem()
	}
	switch rt.Kind() {
	case reflect.Struct:
		return "a JSON object"
	case reflect.Slice:
		return "a JSON array"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int32, reflect.Int64:
		return "an integer"
	}
	return "a value"
}

func jsonType(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return "null"
}
