package python

import (
	"encoding/json"
	"testing"
)

// FuzzJSONError checks that JSONError never panics and finds no error in
// text that is valid JSON.
func FuzzJSONError(f *testing.F) {
	for _, seed := range []string{`{"a":[1,2,{"b":"\u00e9"}]}`, `[1,]`, `"\ud800\u12"`, `{"a" 1}`, "\"a\tb\"", `-Infinity`, ``} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		msg, ok := JSONError(text)
		if json.Valid([]byte(text)) && ok {
			t.Fatalf("JSONError(%q) = %q for valid JSON", text, msg)
		}
	})
}
