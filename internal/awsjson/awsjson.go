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
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	doc, err := readValue(dec, "")
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

// readValue reads one JSON value, refusing duplicate member names at any
// depth. Objects become map[string]any; numbers stay json.Number.
func readValue(dec *json.Decoder, path string) (any, error) {
	t, err := dec.Token()
	if err != nil {
		return nil, malformed(err)
	}
	switch t := t.(type) {
	case json.Delim:
		if t == '[' {
			list := []any{}
			for i := 0; dec.More(); i++ {
				v, err := readValue(dec, fmt.Sprintf("%s[%d]", path, i))
				if err != nil {
					return nil, err
				}
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
			name := join(path, k)
			if _, dup := obj[k]; dup {
				return nil, fmt.Errorf("duplicate member %s in the request body", name)
			}
			v, err := readValue(dec, name)
			if err != nil {
				return nil, err
			}
			obj[k] = v
		}
		_, err := dec.Token()
		return obj, malformed(err)
	default:
		return t, nil
	}
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
